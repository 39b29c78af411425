/*
 * Packing: copies a block of a matrix view into the contiguous micro-panel
 * order a micro-kernel reads. This is where strides, transposes, byte order
 * and type promotion disappear, so that kernels see one layout per type.
 */
#ifndef PARDOT_PACK_H
#define PARDOT_PACK_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arith.h"
#include "core/matrix.h"

#define PACK_ALIGN	64

/*
 * Bytes from one packed panel to the next: reg x ncols elements, rounded up
 * so that every panel starts on a PACK_ALIGN boundary, as kernels expect.
 */
static inline size_t
pack_panel_bytes(unsigned reg, size_t ncols, size_t elem_size)
{
	size_t b = reg * ncols * elem_size;

	return round_up(b, PACK_ALIGN);
}

/*
 * Packs rows [r0, r0 + nrows) and columns [c0, c0 + ncols) of src, converted
 * to type dst, into panels of reg rows: panel q, at q * pack_panel_bytes()
 * from buf, holds rows r0 + q*reg ... stored column after column (element
 * (i, p) of the panel at p*reg + i).
 * Rows past the block's end are filled with zeros up to a whole panel.
 *
 * dst is one of the four types the kernels sum in (float64, float32, int64,
 * int32), or src's own type (not a complex one in the foreign byte order).
 * Conversion is by value into a float type (an int64 rounded to nearest,
 * as NumPy's cast does), modulo 2^bits into an integer type (a uint32 into
 * int32 is a copy of its bits), a bool 0 or 1 whatever its byte; a complex
 * source gives its real part.
 *
 * An A block is packed as it is; a B block is packed through its transpose,
 * so that B's panels hold reg columns each.
 */
void	pack_panels(const struct matrix *src, size_t r0, size_t nrows,
	    size_t c0, size_t ncols, unsigned reg, enum dtype dst, void *buf);

#endif
