/*
 * NumPy's matmul rules for operands of one or two dimensions: which
 * matrices are multiplied, and the shape and type of the result. Pure:
 * the caller words any refusal.
 */
#ifndef PARDOT_MATMUL_H
#define PARDOT_MATMUL_H

#include <stdbool.h>
#include <stdint.h>

#include "core/matrix.h"

struct matmul_shape {
	struct matrix	 a, b;		/* op(A) and op(B), as matrices */
	int		 ndim;		/* of the result: 0, 1 or 2 */
	uint64_t	 shape[2];
	enum dtype	 dtype;		/* NumPy's promotion of A's and B's */
};

enum matmul_status {
	MATMUL_OK,
	MATMUL_SCALAR_A,	/* A has no dimension: matmul needs one */
	MATMUL_SCALAR_B,
	MATMUL_INNER,		/* op(A)'s columns are not op(B)'s rows */
};

/*
 * Plans op(A) . op(B) for A and B of nda and ndb dimensions, viewed as
 * matrices (a 1-D array as one row). A 1-D left operand is a row and a 1-D
 * right operand a column, and each such dimension is dropped from the
 * result. Transposing a 1-D array changes nothing, as in NumPy. s->a and
 * s->b are set whenever both operands have a dimension, so that a caller
 * can word MATMUL_INNER with them.
 */
enum matmul_status matmul_shape(struct matmul_shape *s,
	    const struct matrix *a, int nda, bool trans_a,
	    const struct matrix *b, int ndb, bool trans_b);

#endif
