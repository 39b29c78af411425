#include <stdint.h>
#include <string.h>

#include "core/dtype.h"
#include "core/pack.h"

/* Reads one element of type t, in the file's byte order, as a double. */
static double
load_as_double(const unsigned char *p, enum dtype t, bool swapped)
{
	uint64_t u8;
	uint32_t u4;
	double d;
	float f;

	if (dtype_size(t) == 8) {
		memcpy(&u8, p, 8);
		if (swapped)
			u8 = __builtin_bswap64(u8);
		if (t == DTYPE_I64)
			return (double)(int64_t)u8;
		memcpy(&d, &u8, 8);
		return d;
	}
	memcpy(&u4, p, 4);
	if (swapped)
		u4 = __builtin_bswap32(u4);
	if (t == DTYPE_I32)
		return (double)(int32_t)u4;
	memcpy(&f, &u4, 4);
	return f;
}

/* Reads one integer element as a 64-bit integer (widening int32). */
static uint64_t
load_as_u64(const unsigned char *p, enum dtype t, bool swapped)
{
	uint64_t u8;
	uint32_t u4;

	if (t == DTYPE_I64) {
		memcpy(&u8, p, 8);
		return swapped ? __builtin_bswap64(u8) : u8;
	}
	memcpy(&u4, p, 4);
	if (swapped)
		u4 = __builtin_bswap32(u4);
	return (uint64_t)(int64_t)(int32_t)u4;
}

/* Stores element src into slot i of dst, as type dst_t. */
static inline void
store_elem(void *dst, size_t i, const unsigned char *src, enum dtype src_t,
    enum dtype dst_t, bool swapped)
{
	switch (dst_t) {
	case DTYPE_F64:
		((double *)dst)[i] = load_as_double(src, src_t, swapped);
		break;
	case DTYPE_F32:
		((float *)dst)[i] = (float)load_as_double(src, src_t, swapped);
		break;
	case DTYPE_I64:
		((uint64_t *)dst)[i] = load_as_u64(src, src_t, swapped);
		break;
	case DTYPE_I32:
		((uint32_t *)dst)[i] = (uint32_t)load_as_u64(src, src_t, swapped);
		break;
	default:	/* TODO(dtypes): refused before here */
		break;
	}
}

/*
 * The loops shared by every element operation. ELEM(d, i, s) stores the
 * element at s into slot i of the panel d. The loop order follows the
 * source: along a row when columns are adjacent in memory, else down a
 * column, so that reads stream and only the small panel is written out of
 * order.
 */
#define PACK_LOOPS(ELEM) do {						\
	for (size_t q = 0; q * reg < nrows; q++) {			\
		unsigned char *d = (unsigned char *)buf + q * stride;	\
		size_t rows = nrows - q * reg < reg ? nrows - q * reg : reg; \
		const unsigned char *s0 = base +			\
		    (ptrdiff_t)(r0 + q * reg) * src->rs * (ptrdiff_t)ssz; \
									\
		if (src->cs == 1 || ncols == 1) {			\
			for (size_t i = 0; i < rows; i++)		\
				for (size_t p = 0; p < ncols; p++)	\
					ELEM(d, p * reg + i, s0 + (ptrdiff_t)i * rsb + (ptrdiff_t)p * csb); \
		} else {						\
			for (size_t p = 0; p < ncols; p++)		\
				for (size_t i = 0; i < rows; i++)	\
					ELEM(d, p * reg + i, s0 + (ptrdiff_t)i * rsb + (ptrdiff_t)p * csb); \
		}							\
		for (size_t p = 0; rows < reg && p < ncols; p++)	\
			memset(d + (p * reg + rows) * dsz, 0, (reg - rows) * dsz); \
	}								\
} while (0)

#define COPY8(d, i, s)	memcpy((d) + (i) * 8, (s), 8)
#define COPY4(d, i, s)	memcpy((d) + (i) * 4, (s), 4)
#define SWAP8(d, i, s)	do { uint64_t v_; memcpy(&v_, (s), 8);		\
	v_ = __builtin_bswap64(v_); memcpy((d) + (i) * 8, &v_, 8); } while (0)
#define SWAP4(d, i, s)	do { uint32_t v_; memcpy(&v_, (s), 4);		\
	v_ = __builtin_bswap32(v_); memcpy((d) + (i) * 4, &v_, 4); } while (0)
#define CONVERT(d, i, s) store_elem((d), (i), (s), src->dtype, dst, src->swapped)

/*
 * The plain copies, the common case, without going element by element
 * through PACK_LOOPS. When the rows of a panel are adjacent in the source
 * (a B block of a row-major B, packed through its transpose), each column
 * of the panel is one run of bytes. When its columns are (an A block of a
 * row-major A), the copy transposes: it goes in tiles of one cache line of
 * the source per row, so that the few lines of the panel it writes stay in
 * L1 while all rows of the tile are read.
 */
#define PACK_TILE_BYTES	64

static inline __attribute__((always_inline)) void
copy_panel(unsigned char *d, const unsigned char *s, size_t rows,
    size_t ncols, unsigned reg, ptrdiff_t rsb, ptrdiff_t csb, size_t sz)
{
	size_t tile = PACK_TILE_BYTES / sz;

	if (rsb == (ptrdiff_t)sz) {
		for (size_t p = 0; p < ncols; p++)
			memcpy(d + p * reg * sz, s + (ptrdiff_t)p * csb,
			    rows * sz);
		return;
	}
	for (size_t p0 = 0; p0 < ncols; p0 += tile) {
		size_t p1 = ncols - p0 < tile ? ncols : p0 + tile;

		for (size_t i = 0; i < rows; i++) {
			const unsigned char *si = s + (ptrdiff_t)i * rsb;

			for (size_t p = p0; p < p1; p++)
				memcpy(d + (p * reg + i) * sz,
				    si + (ptrdiff_t)p * csb, sz);
		}
	}
}

static void
pack_copy(const struct matrix *src, size_t r0, size_t nrows,
    const unsigned char *base, size_t ncols, unsigned reg, void *buf)
{
	size_t sz = dtype_size(src->dtype);
	size_t stride = pack_panel_bytes(reg, ncols, sz);
	ptrdiff_t rsb = src->rs * (ptrdiff_t)sz, csb = src->cs * (ptrdiff_t)sz;

	for (size_t q = 0; q * reg < nrows; q++) {
		unsigned char *d = (unsigned char *)buf + q * stride;
		size_t rows = nrows - q * reg < reg ? nrows - q * reg : reg;
		const unsigned char *s = base + (ptrdiff_t)(r0 + q * reg) * rsb;

		if (sz == 8)
			copy_panel(d, s, rows, ncols, reg, rsb, csb, 8);
		else
			copy_panel(d, s, rows, ncols, reg, rsb, csb, 4);
		for (size_t p = 0; rows < reg && p < ncols; p++)
			memset(d + (p * reg + rows) * sz, 0, (reg - rows) * sz);
	}
}

void
pack_panels(const struct matrix *src, size_t r0, size_t nrows, size_t c0,
    size_t ncols, unsigned reg, enum dtype dst, void *buf)
{
	size_t ssz = dtype_size(src->dtype), dsz = dtype_size(dst);
	size_t stride = pack_panel_bytes(reg, ncols, dsz);
	ptrdiff_t rsb = src->rs * (ptrdiff_t)ssz, csb = src->cs * (ptrdiff_t)ssz;
	const unsigned char *base = (const unsigned char *)src->data +
	    (ptrdiff_t)c0 * csb;

	/* Same type in native order is a plain copy; the rest converts. */
	if (src->dtype == dst && !src->swapped && (src->rs == 1 || src->cs == 1))
		pack_copy(src, r0, nrows, base, ncols, reg, buf);
	else if (src->dtype != dst)
		PACK_LOOPS(CONVERT);
	else if (ssz == 8 && src->swapped)
		PACK_LOOPS(SWAP8);
	else if (ssz == 8)
		PACK_LOOPS(COPY8);
	else if (src->swapped)
		PACK_LOOPS(SWAP4);
	else
		PACK_LOOPS(COPY4);
}
