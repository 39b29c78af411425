/*
 * Packing into micro-panels: the plain copies, the fast conversions of the
 * common type pairs, and a general conversion through core/elem.h for the
 * rest (a foreign byte order, or a pair no fast loop covers).
 */
#include <stdint.h>
#include <string.h>

#include "core/dtype.h"
#include "core/elem.h"
#include "core/half.h"
#include "core/pack.h"

/*
 * Whether a copy of the bits is the conversion: the same type, or signed
 * and unsigned integers of one width (uint32 is summed in int32 bits).
 */
static bool
same_bits(enum dtype src, enum dtype dst)
{
	return src == dst || (dtype_is_int(src) && dtype_is_int(dst) &&
	    dtype_size(src) == dtype_size(dst));
}

/* The general conversion of one element into slot i of dst. */
static inline void
store_elem(unsigned char *dst, size_t i, const unsigned char *src,
    enum dtype src_t, enum dtype dst_t, bool swapped)
{
	double d;
	float f;
	uint64_t u8;
	uint32_t u4;

	switch (dst_t) {
	case DTYPE_F64:
		d = elem_real(src, src_t, swapped);
		memcpy(dst + i * 8, &d, 8);
		break;
	case DTYPE_F32:
		f = (float)elem_real(src, src_t, swapped);
		memcpy(dst + i * 4, &f, 4);
		break;
	case DTYPE_I64:
		u8 = (uint64_t)elem_int(src, src_t, swapped);
		memcpy(dst + i * 8, &u8, 8);
		break;
	default:	/* DTYPE_I32: pack.h allows nothing else */
		u4 = (uint32_t)elem_int(src, src_t, swapped);
		memcpy(dst + i * 4, &u4, 4);
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
		    (ptrdiff_t)(r0 + q * reg) * rsb;			\
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

/* What every packing function takes, past the choice of loop. */
#define PACK_PARAMS							\
	const struct matrix *src, size_t r0, size_t nrows,		\
	const unsigned char *base, size_t ncols, unsigned reg, void *buf, \
	size_t ssz, size_t dsz
#define PACK_PREAMBLE							\
	size_t stride = pack_panel_bytes(reg, ncols, dsz);		\
	ptrdiff_t rsb = src->rs * (ptrdiff_t)ssz;			\
	ptrdiff_t csb = src->cs * (ptrdiff_t)ssz

#define COPYN(d, i, s)	memcpy((d) + (i) * dsz, (s), dsz)
#define SWAP8(d, i, s)	do { uint64_t v_; memcpy(&v_, (s), 8);		\
	v_ = __builtin_bswap64(v_); memcpy((d) + (i) * 8, &v_, 8); } while (0)
#define SWAP4(d, i, s)	do { uint32_t v_; memcpy(&v_, (s), 4);		\
	v_ = __builtin_bswap32(v_); memcpy((d) + (i) * 4, &v_, 4); } while (0)
#define SWAP2(d, i, s)	do { uint16_t v_; memcpy(&v_, (s), 2);		\
	v_ = __builtin_bswap16(v_); memcpy((d) + (i) * 2, &v_, 2); } while (0)
#define CONVERT(d, i, s) store_elem((d), (i), (s), src->dtype, dst, src->swapped)

/* Element by element: a copy in either byte order, or the general case. */
static void
pack_copy_elems(PACK_PARAMS)
{
	PACK_PREAMBLE;

	if (!src->swapped || dsz == 1)
		PACK_LOOPS(COPYN);
	else if (dsz == 8)
		PACK_LOOPS(SWAP8);
	else if (dsz == 4)
		PACK_LOOPS(SWAP4);
	else
		PACK_LOOPS(SWAP2);
}

static void
pack_general(PACK_PARAMS, enum dtype dst)
{
	PACK_PREAMBLE;

	PACK_LOOPS(CONVERT);
}

/*
 * The fast conversions, for operands in the machine's byte order: one
 * loop per (source, compute type) pair, the load and the store inline, so
 * that widening an int8 costs about what copying it does. A load gives
 * the value in a C type that holds it exactly; the store's cast converts
 * by value (to a float type) or modulo 2^bits (to an integer type), as
 * NumPy's casts do. Bools become 0 or 1 whatever their byte.
 */
#define DEFINE_LOAD(name, T)						\
static inline T name(const unsigned char *s)				\
{									\
	T v;								\
									\
	memcpy(&v, s, sizeof(v));					\
	return v;							\
}
DEFINE_LOAD(ld_i8, int8_t)
DEFINE_LOAD(ld_u8, uint8_t)
DEFINE_LOAD(ld_i16, int16_t)
DEFINE_LOAD(ld_u16, uint16_t)
DEFINE_LOAD(ld_i32, int32_t)
DEFINE_LOAD(ld_u32, uint32_t)
DEFINE_LOAD(ld_i64, int64_t)
DEFINE_LOAD(ld_u64, uint64_t)
DEFINE_LOAD(ld_f32, float)

#define LD_BOOL(s)	((uint8_t)(*(s) != 0))
#define LD_I8(s)	ld_i8(s)
#define LD_U8(s)	ld_u8(s)
#define LD_I16(s)	ld_i16(s)
#define LD_U16(s)	ld_u16(s)
#define LD_I32(s)	ld_i32(s)
#define LD_U32(s)	ld_u32(s)
#define LD_I64(s)	ld_i64(s)
#define LD_U64(s)	ld_u64(s)
#define LD_F16(s)	half_to_float(ld_u16(s))
#define LD_F32(s)	ld_f32(s)

#define ST_T(T, d, i, v) do { T w_ = (T)(v);				\
	memcpy((d) + (i) * sizeof(T), &w_, sizeof(T)); } while (0)
#define ST_F64(d, i, v)	ST_T(double, d, i, v)
#define ST_F32(d, i, v)	ST_T(float, d, i, v)
#define ST_I64(d, i, v)	ST_T(uint64_t, d, i, v)
#define ST_I32(d, i, v)	ST_T(uint32_t, d, i, v)

#define FAST(S, D)							\
static inline void							\
elem_##S##_##D(unsigned char *d, size_t i, const unsigned char *s)	\
{									\
	ST_##D(d, i, LD_##S(s));					\
}									\
static void								\
fast_##S##_##D(PACK_PARAMS)						\
{									\
	PACK_PREAMBLE;							\
									\
	PACK_LOOPS(elem_##S##_##D);					\
}

/* Each integer type into each compute type; float16 and float32 widened. */
#define FAST_INT(S)	FAST(S, I32) FAST(S, I64) FAST(S, F32) FAST(S, F64)
FAST_INT(BOOL)
FAST_INT(I8)
FAST_INT(U8)
FAST_INT(I16)
FAST_INT(U16)
FAST_INT(I32)
FAST_INT(U32)
FAST(I64, F64)
FAST(U64, F64)
FAST(F16, F32)
FAST(F16, F64)
FAST(F32, F64)

typedef void pack_fn(PACK_PARAMS);

/* float64, float32, int64, int32: the first four of enum dtype. */
#define COMPUTE_TYPES	4

#define ROW_INT(S)	[DTYPE_##S] = { [DTYPE_I32] = fast_##S##_I32,	\
	[DTYPE_I64] = fast_##S##_I64, [DTYPE_F32] = fast_##S##_F32,	\
	[DTYPE_F64] = fast_##S##_F64 }

/*
 * [source][compute type]; NULL where a copy serves or no pair needs it
 * (int64 into float32: NumPy promotes that pair to float64).
 */
static pack_fn *const fast[DTYPE_COUNT][COMPUTE_TYPES] = {
	ROW_INT(BOOL), ROW_INT(I8), ROW_INT(U8), ROW_INT(I16), ROW_INT(U16),
	ROW_INT(I32), ROW_INT(U32),
	[DTYPE_I64] = { [DTYPE_F64] = fast_I64_F64 },
	[DTYPE_U64] = { [DTYPE_F64] = fast_U64_F64 },
	[DTYPE_F16] = { [DTYPE_F32] = fast_F16_F32, [DTYPE_F64] = fast_F16_F64 },
	[DTYPE_F32] = { [DTYPE_F64] = fast_F32_F64 },
};

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
pack_copy(PACK_PARAMS)
{
	PACK_PREAMBLE;

	for (size_t q = 0; q * reg < nrows; q++) {
		unsigned char *d = (unsigned char *)buf + q * stride;
		size_t rows = nrows - q * reg < reg ? nrows - q * reg : reg;
		const unsigned char *s = base + (ptrdiff_t)(r0 + q * reg) * rsb;

		switch (ssz) {
		case 8:
			copy_panel(d, s, rows, ncols, reg, rsb, csb, 8);
			break;
		case 4:
			copy_panel(d, s, rows, ncols, reg, rsb, csb, 4);
			break;
		case 2:
			copy_panel(d, s, rows, ncols, reg, rsb, csb, 2);
			break;
		default:
			copy_panel(d, s, rows, ncols, reg, rsb, csb, ssz);
			break;
		}
		for (size_t p = 0; rows < reg && p < ncols; p++)
			memset(d + (p * reg + rows) * dsz, 0, (reg - rows) * dsz);
	}
}

void
pack_panels(const struct matrix *src, size_t r0, size_t nrows, size_t c0,
    size_t ncols, unsigned reg, enum dtype dst, void *buf)
{
	size_t ssz = dtype_size(src->dtype), dsz = dtype_size(dst);
	const unsigned char *base = (const unsigned char *)src->data +
	    (ptrdiff_t)c0 * src->cs * (ptrdiff_t)ssz;
	bool copy = same_bits(src->dtype, dst);

	if (copy && !src->swapped && (src->rs == 1 || src->cs == 1))
		pack_copy(src, r0, nrows, base, ncols, reg, buf, ssz, dsz);
	else if (copy)
		pack_copy_elems(src, r0, nrows, base, ncols, reg, buf, ssz,
		    dsz);
	else if (!src->swapped && dst < COMPUTE_TYPES && fast[src->dtype][dst] != NULL)
		fast[src->dtype][dst](src, r0, nrows, base, ncols, reg, buf,
		    ssz, dsz);
	else
		pack_general(src, r0, nrows, base, ncols, reg, buf, ssz, dsz,
		    dst);
}
