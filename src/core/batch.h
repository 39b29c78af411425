/*
 * Stacks of matrices: the leading (batch) dimensions of a matmul after
 * NumPy's broadcasting, walked matrix by matrix, and the multiply of a
 * whole stack on the engine. Pure: no I/O.
 */
#ifndef PARDOT_BATCH_H
#define PARDOT_BATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/gemm.h"
#include "core/matrix.h"

#define BATCH_MAXDIMS	64	/* NumPy's NPY_MAXDIMS, the codec's limit */

/*
 * The batch dimensions of C, outermost first, and for each the step of A's
 * and B's matrix in elements (0 where that operand is broadcast). C's
 * matrices are contiguous, one after the other, in C order.
 */
struct batch_plan {
	int		 ndim;
	uint64_t	 dim[BATCH_MAXDIMS];
	ptrdiff_t	 sa[BATCH_MAXDIMS], sb[BATCH_MAXDIMS];
	uint64_t	 count;		/* matrices of C: the product of dim */
};

/* Where one matrix of the stack is: its index in each dimension. */
struct batch_pos {
	uint64_t	 idx[BATCH_MAXDIMS];
	ptrdiff_t	 oa, ob;	/* offsets of A's and B's matrix */
};

/*
 * Drops dimensions of 1 and merges neighbours that A and B both step
 * through evenly, so that the walk has as few dimensions as it can: a C-order
 * stack of any rank times one matrix has one. count is left as it is.
 */
void	batch_simplify(struct batch_plan *p);

/* The position of matrix t (t < count), in C's order. */
void	batch_seek(const struct batch_plan *p, uint64_t t,
	    struct batch_pos *w);
/* The next matrix after w, in C's order. */
void	batch_next(const struct batch_plan *p, struct batch_pos *w);

/* Matrix t's view, from the first matrix's and an offset. */
struct matrix	batch_matrix(const struct matrix *first, ptrdiff_t off);
/* C's matrix t, from the first. */
struct matrix_out	batch_out(const struct matrix_out *first, uint64_t t);

/*
 * The multiply-adds of one matrix's product as gemm's progress counts
 * them: real ones, four for each complex one. A caller reporting the
 * progress of a whole stack counts with this.
 */
double	batch_madds(const struct matrix *a, const struct matrix *b);

/*
 * Whether the stack is split among the threads, each matrix multiplied on
 * one, rather than each matrix in turn on all of them: when a matrix is too
 * small to keep them all busy (see threads_for in gemm.c).
 */
bool	batch_splits(const struct batch_plan *p, const struct matrix *a,
	    const struct matrix *b, const struct gemm_setup *setup);

/*
 * C[t] = A[t] . B[t] for every matrix t of the stack, where a and b are the
 * first matrices and c the first of C's, contiguous ones after it. The
 * result is that of gemm on each, the same for any thread count; res
 * reports the first matrix's call and the threads used. setup->buffers, if
 * not NULL, serves the calls made on the calling thread. Returns 0 or
 * gemm's error.
 */
int	batch_gemm(const struct batch_plan *p, const struct matrix *a,
	    const struct matrix *b, const struct matrix_out *c,
	    const struct gemm_setup *setup, struct gemm_result *res);
/*
 * The same for matrices [t0, t1) of the stack alone, which a caller that
 * writes C back as it goes takes a slice at a time; the result of each
 * matrix is the same as in a call over the whole stack.
 */
int	batch_gemm_part(const struct batch_plan *p, const struct matrix *a,
	    const struct matrix *b, const struct matrix_out *c, uint64_t t0,
	    uint64_t t1, const struct gemm_setup *setup,
	    struct gemm_result *res);

#endif
