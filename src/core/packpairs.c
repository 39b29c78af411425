/*
 * Pair packing: why a unit holds two steps of k. vpmaddwd multiplies the
 * int16 halves of two 32-bit lanes and adds both products into an int32:
 * with a row of A's pair in every lane of one operand (a broadcast) and
 * B's pairs for NR columns in the other, one instruction does two steps of
 * k for a whole vector of C. Values are kept modulo 2^16, which is all a
 * result of 16 bits or fewer needs: a uint16 of 40000 packs as the int16
 * -25536, and its products agree with the true ones in their low 16 bits.
 */
#include <stdint.h>
#include <string.h>

#include "core/pack.h"
#include "core/packpairs.h"

bool
pack_pairs_takes(enum dtype t)
{
	return t == DTYPE_BOOL || t == DTYPE_I8 || t == DTYPE_U8 ||
	    t == DTYPE_I16 || t == DTYPE_U16;
}

/* One element as its low 16 bits. */
#define LOAD_BOOL(p)	((uint16_t)(*(const uint8_t *)(p) != 0))
#define LOAD_I8(p)	((uint16_t)(int16_t)*(const int8_t *)(p))
#define LOAD_U8(p)	((uint16_t)*(const uint8_t *)(p))
#define LOAD_16(p)	load16(p, false)
#define LOAD_16SW(p)	load16(p, true)

static inline uint16_t
load16(const unsigned char *p, bool swapped)
{
	uint16_t v;

	memcpy(&v, p, 2);
	return swapped ? __builtin_bswap16(v) : v;
}

/*
 * The units of one panel: rows rows of reg (the rest zero), nq pairs, of
 * which columns past ncols are zero. LOAD reads one element; rsb and csb
 * are the strides in bytes.
 */
#define PAIR_PANEL(LOAD) do {						\
	for (size_t q = 0; q < nq; q++) {				\
		size_t c = 2 * (q0 + q);				\
		bool has0 = c < ncols, has1 = c + 1 < ncols;		\
		uint32_t *d = dst + q * reg;				\
									\
		for (size_t i = 0; i < rows; i++) {			\
			const unsigned char *s = row + (ptrdiff_t)i * rsb + \
			    (ptrdiff_t)c * csb;				\
			uint32_t lo = has0 ? LOAD(s) : 0;		\
			uint32_t hi = has1 ? LOAD(s + csb) : 0;		\
									\
			d[i] = lo | hi << 16;				\
		}							\
		for (size_t i = rows; i < reg; i++)			\
			d[i] = 0;					\
	}								\
} while (0)

void
pack_pairs(const struct matrix *src, size_t r0, size_t nrows, size_t q0,
    size_t nq, unsigned reg, void *buf)
{
	size_t ssz = dtype_size(src->dtype), ncols = src->cols;
	size_t stride = pack_panel_bytes(reg, nq, 4);
	ptrdiff_t rsb = src->rs * (ptrdiff_t)ssz, csb = src->cs * (ptrdiff_t)ssz;

	for (size_t p = 0; p * reg < nrows; p++) {
		size_t rows = nrows - p * reg < reg ? nrows - p * reg : reg;
		const unsigned char *row = (const unsigned char *)src->data +
		    (ptrdiff_t)(r0 + p * reg) * rsb;
		uint32_t *dst = (uint32_t *)((unsigned char *)buf + p * stride);

		switch (src->dtype) {
		case DTYPE_BOOL:
			PAIR_PANEL(LOAD_BOOL);
			break;
		case DTYPE_I8:
			PAIR_PANEL(LOAD_I8);
			break;
		case DTYPE_U8:
			PAIR_PANEL(LOAD_U8);
			break;
		default:	/* int16, uint16: pack_pairs_takes */
			if (src->swapped)
				PAIR_PANEL(LOAD_16SW);
			else
				PAIR_PANEL(LOAD_16);
			break;
		}
	}
}
