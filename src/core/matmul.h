/*
 * NumPy's matmul rules: which matrices are multiplied, how the leading
 * dimensions of stacks broadcast, and the shape and type of the result.
 * Pure: the caller words any refusal.
 */
#ifndef PARDOT_MATMUL_H
#define PARDOT_MATMUL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/batch.h"
#include "core/matrix.h"

/* One operand as an array of ndim dimensions. */
struct matmul_operand {
	/*
	 * The matrix of its last two dimensions (a 1-D array as one row),
	 * the first of the stack when there are more.
	 */
	struct matrix	 m;
	int		 ndim;
	const uint64_t	*shape;		/* ndim of them */
	const ptrdiff_t	*strides;	/* in elements; only read past 2-D */
};

struct matmul_shape {
	/* op(A) and op(B) of the first matrices, or of all when folded. */
	struct matrix	 a, b;
	int		 ndim;		/* of the result: 0 to BATCH_MAXDIMS */
	uint64_t	 shape[BATCH_MAXDIMS];
	enum dtype	 dtype;		/* NumPy's promotion of A's and B's */
	/* C's leading dimensions, simplified: count 1 and ndim 0 for none. */
	struct batch_plan batch;
	/*
	 * A stack times one matrix, A's matrices one after the other in
	 * memory with the step of their rows: then the stack is one tall
	 * matrix, and a and b are that product (a.rows is rows x the stack's
	 * count), which any 2-D path can take as it is.
	 */
	bool		 folded;
	size_t		 rows;		/* of one op(A) matrix of the stack */
	uint64_t	 matrices;	/* in the stack, folded or not */
};

enum matmul_status {
	MATMUL_OK,
	MATMUL_SCALAR_A,	/* A has no dimension: matmul needs one */
	MATMUL_SCALAR_B,
	MATMUL_INNER,		/* op(A)'s columns are not op(B)'s rows */
	MATMUL_BATCH,		/* the leading dimensions do not broadcast */
	MATMUL_TOO_LARGE,	/* the result's size overflows */
};

/*
 * Plans op(A) . op(B), where op transposes the last two dimensions of an
 * array of two or more (np.swapaxes(-1, -2)); transposing a 1-D array
 * changes nothing, as in NumPy. A 1-D left operand is a row and a 1-D
 * right operand a column, and each such dimension is dropped from the
 * result. The leading dimensions broadcast as NumPy's do: aligned from the
 * last, each pair equal or one of them 1. s->a and s->b are set whenever
 * both operands have a dimension, so that a caller can word MATMUL_INNER
 * with them.
 */
enum matmul_status matmul_plan(struct matmul_shape *s,
	    const struct matmul_operand *a, bool trans_a,
	    const struct matmul_operand *b, bool trans_b);

/* The same for operands of at most two dimensions, given as matrices. */
enum matmul_status matmul_shape(struct matmul_shape *s,
	    const struct matrix *a, int nda, bool trans_a,
	    const struct matrix *b, int ndb, bool trans_b);

#endif
