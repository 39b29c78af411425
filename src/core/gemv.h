/* Matrix-vector products, the GEMM engine's path for M == 1 or N == 1. */
#ifndef PARDOT_GEMV_H
#define PARDOT_GEMV_H

#include "core/matrix.h"
#include "core/meter.h"

/*
 * C = A . B where C has one column (A times a vector) or one row (a vector
 * times B), with the same type rules and the same result for any thread
 * count as gemm. The shapes must already be checked. The work done is
 * counted on meter. Returns 0 or ENOMEM.
 */
int	gemv(const struct matrix *a, const struct matrix *b,
	    const struct matrix_out *c, int nthreads, struct meter *meter);

#endif
