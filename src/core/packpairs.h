/*
 * Packing for the pair kernel (kernel.h, i16x2): two steps of k in one
 * 32-bit unit, as int16 halves.
 */
#ifndef PARDOT_PACKPAIRS_H
#define PARDOT_PACKPAIRS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/matrix.h"

/*
 * Whether src's elements pack into pairs: bool and the integer types of
 * 16 bits or fewer.
 */
bool	pack_pairs_takes(enum dtype t);

/*
 * Packs rows [r0, r0 + nrows) of src and the pairs of columns [2 q0,
 * 2 (q0 + nq)) into panels of reg rows, as pack_panels does with 32-bit
 * elements: unit (i, q) of panel p, at p * pack_panel_bytes(reg, nq, 4)
 * from buf, holds the values at columns 2 (q0 + q) and 2 (q0 + q) + 1 of
 * row r0 + p * reg + i, the first in its low 16 bits. A value is kept
 * modulo 2^16 (a bool as 0 or 1); a column at or past src->cols, and rows
 * past the block's end up to a whole panel, give zeros.
 */
void	pack_pairs(const struct matrix *src, size_t r0, size_t nrows,
	    size_t q0, size_t nq, unsigned reg, void *buf);

#endif
