/*
 * Packing for BLIS's "1m" method: a complex product C = A . B computed on
 * the real micro-kernels of its component type, with no complex kernel.
 * C (m x n complex, row-major) is read as a real m x 2n matrix C'; A as a
 * real m x 2k matrix A' (A'[i, 2p] = Re a[i, p], A'[i, 2p+1] = Im a[i, p]);
 * B is expanded into a real 2k x 2n matrix B':
 *
 *	B'[2p, 2j]   =  Re b[p, j]	B'[2p, 2j+1]   = Im b[p, j]
 *	B'[2p+1, 2j] = -Im b[p, j]	B'[2p+1, 2j+1] = Re b[p, j]
 *
 * so that C' = A' . B' holds Re c and Im c side by side, with exactly the
 * four real multiply-adds a complex one costs. Operands may be complex or
 * real (imaginary part 0), of any component type, strides and byte order;
 * the panels are of type dst (float32 or float64), laid out as pack.h
 * says of pack_panels.
 */
#ifndef PARDOT_PACK1M_H
#define PARDOT_PACK1M_H

#include <stddef.h>

#include "core/matrix.h"

/*
 * Rows [r0, r0 + nrows) of A' and its columns [2 p0, 2 (p0 + np)), that is
 * columns [p0, p0 + np) of a, into panels of reg rows.
 */
void	pack1m_a(const struct matrix *a, size_t r0, size_t nrows, size_t p0,
	    size_t np, unsigned reg, enum dtype dst, void *buf);

/*
 * Columns [j0, j0 + ncols) of B' (of 2n) and its rows [2 p0, 2 (p0 + np)),
 * into panels of reg columns (as pack_panels packs a B block through its
 * transpose). j0 may be odd.
 */
void	pack1m_b(const struct matrix *b, size_t j0, size_t ncols, size_t p0,
	    size_t np, unsigned reg, enum dtype dst, void *buf);

#endif
