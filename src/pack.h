/*
 * Packing: copies a block of a matrix view into the contiguous micro-panel
 * order a micro-kernel reads. This is where strides, transposes, byte order
 * and type promotion disappear, so that kernels see one layout per type.
 */
#ifndef PARDOT_PACK_H
#define PARDOT_PACK_H

#include <stddef.h>

#include "matrix.h"

/*
 * Packs rows [r0, r0 + nrows) and columns [c0, c0 + ncols) of src, converted
 * to type dst, into panels of reg rows: panel q holds rows r0 + q*reg ...
 * stored column after column (element (i, p) of the panel at p*reg + i).
 * Rows past the block's end are filled with zeros up to a whole panel.
 *
 * An A block is packed as it is; a B block is packed through its transpose,
 * so that B's panels hold reg columns each.
 */
void	pack_panels(const struct matrix *src, size_t r0, size_t nrows,
	    size_t c0, size_t ncols, unsigned reg, enum dtype dst, void *buf);

#endif
