/*
 * The GEMM engine: C = A . B from views into a view, on several threads.
 * It knows nothing of files; transposes and Fortran order arrive as views.
 */
#ifndef PARDOT_GEMM_H
#define PARDOT_GEMM_H

#include <stdbool.h>
#include <stddef.h>

#include "core/kernels/kernel.h"
#include "core/matrix.h"

/*
 * A progress hook, for a caller that shows or measures a long multiply.
 * The engine calls fn from one thread only (its thread 0, after a block of
 * work, and once more at the end from the calling thread) with the
 * multiply-adds done so far and the total, M x N x K. The other threads
 * only add to a shared counter, so the hook costs the multiply nothing
 * measurable; fn should be quick, and throttle itself if it draws.
 */
struct gemm_progress {
	void	(*fn)(void *arg, double done, double total);
	void	 *arg;
};

/*
 * The hook for one call among several that make up a larger multiply (by
 * tiles, by chunks): gemm_progress_part passes each report on to whole, if
 * not NULL, as base + done out of total. The caller adds each call's
 * multiply-adds to base once the call is done.
 */
struct gemm_progress_part {
	const struct gemm_progress	*whole;
	double				 base, total;
};
void	gemm_progress_part(void *arg, double done, double total);

/*
 * Packing buffers kept from one call to the next, for a caller that calls
 * gemm many times (tile by tile): allocating them anew each time costs
 * page faults, and leaves the allocator holding freed memory.
 */
struct gemm_buffers {
	void	*apack, *bpack;
	size_t	 apack_size, bpack_size;
};

struct gemm_config {
	const struct kernel_set	*kernels;
	int			 nthreads;
	/*
	 * Cache blocks in elements; 0 takes the kernel's (struct ukernel).
	 * Tests set tiny ones to reach every edge with small matrices.
	 */
	size_t			 mc, kc, nc;
	const struct gemm_progress *progress;	/* NULL: none */
	struct gemm_buffers	*buffers;	/* NULL: allocated per call */
	/*
	 * For an int64 result: 0 scans A and B to choose the route; 1 or -1
	 * says it was settled already (gemm_fits_float64 of the whole
	 * problem), so that a caller working tile by tile scans once.
	 */
	int			 exact_route_known;
	/*
	 * C += A . B instead of C = A . B, for a caller that splits the sum
	 * over k at multiples of kc: the sum order is then that of one call.
	 * Not for a result of one row or column (EINVAL): a single call takes
	 * the vector path, whose order differs.
	 */
	bool			 accumulate;
	/*
	 * For an int64 result on the exact route: leave C as the float64
	 * sums, for later calls to accumulate onto, and gemm_to_int64 to
	 * convert at the end. Without it, an int64 result that accumulates
	 * is summed on the integer kernels (C then holds int64s).
	 */
	bool			 keep_doubles;

	/* Set by gemm: the kernel that ran (NULL: the vector path), for -v. */
	const struct ukernel	*used;
	bool			 exact_route;	/* int64 on float64 kernels */
};

/*
 * Computes C = A . B, where A is M x K, B is K x N and C is M x N of the
 * type NumPy's promotion gives. Every element of C is summed over k in an
 * order fixed by kc alone, so the result is the same for any thread count.
 * Returns 0, EINVAL when the shapes or types disagree, or ENOMEM.
 */
int	gemm(const struct matrix *a, const struct matrix *b,
	    const struct matrix_out *c, struct gemm_config *cfg);

void	gemm_buffers_free(struct gemm_buffers *buf);

/* C, summed as float64 with keep_doubles, as the int64s it holds. */
void	gemm_to_int64(const struct matrix_out *c, int nthreads);

/*
 * The private memory gemm will allocate for a result of m x n (its packing
 * buffers), and the block of k it sums at a time, for a caller that keeps
 * within a memory budget.
 */
size_t	gemm_private_bytes(const struct gemm_config *cfg, enum dtype c,
	    size_t m, size_t n, size_t *kc);

/*
 * Whether every product and partial sum of A . B stays within 2^53 in
 * magnitude, so that float64 arithmetic gives the exact integer result.
 * gemm takes that route for int64 results: FMA units are far faster than
 * 64-bit integer multiplies. Scans A and B once, on nthreads threads.
 */
bool	gemm_fits_float64(const struct matrix *a, const struct matrix *b,
	    int nthreads);

#endif
