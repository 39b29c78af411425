/*
 * The 1m packing of pack1m.h. Each complex element is read once per panel
 * slot pair it fills; a complex operand in the machine's byte order and
 * of the panel's component type is read directly, anything else through
 * core/elem.h. Such an operand with adjacent columns (C order, the common
 * case) takes a faster way still: A' is then a real matrix in A's own
 * memory, packed by pack_panels, and each row of B is a row of B' as it
 * is, the next row its pairs swapped and negated.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "core/dtype.h"
#include "core/elem.h"
#include "core/pack.h"
#include "core/pack1m.h"

/* The real and imaginary parts of the element at s, as doubles. */
static inline __attribute__((always_inline)) void
load_cplx(const unsigned char *s, enum dtype t, bool swapped, double *re,
    double *im)
{
	float f[2];

	if (!swapped && t == DTYPE_C128) {
		memcpy(re, s, 8);
		memcpy(im, s + 8, 8);
	} else if (!swapped && t == DTYPE_C64) {
		memcpy(f, s, 8);
		*re = f[0];
		*im = f[1];
	} else {
		*re = elem_real(s, t, swapped);
		*im = elem_imag(s, t, swapped);
	}
}

static inline __attribute__((always_inline)) void
put(unsigned char *d, size_t i, double v, size_t dsz)
{
	float f = (float)v;

	if (dsz == 8)
		memcpy(d + i * 8, &v, 8);
	else
		memcpy(d + i * 4, &f, 4);
}

/* The parts of A's (i, p) into column pair (2p, 2p + 1) of row i. */
static inline __attribute__((always_inline)) void
a_elem(unsigned char *d, unsigned reg, size_t i, size_t p,
    const unsigned char *s, enum dtype t, bool swapped, size_t dsz)
{
	double re, im;

	load_cplx(s, t, swapped, &re, &im);
	put(d, 2 * p * reg + i, re, dsz);
	put(d, (2 * p + 1) * reg + i, im, dsz);
}

/*
 * The loops, specialised by the compiler for each component size and the
 * two direct source types through the constant arguments.
 */
static inline __attribute__((always_inline)) void
a_panels(const struct matrix *a, size_t r0, size_t nrows, size_t p0,
    size_t np, unsigned reg, void *buf, enum dtype t, size_t dsz)
{
	size_t ssz = dtype_size(a->dtype);
	size_t stride = pack_panel_bytes(reg, 2 * np, dsz);
	ptrdiff_t rsb = a->rs * (ptrdiff_t)ssz, csb = a->cs * (ptrdiff_t)ssz;
	const unsigned char *base = (const unsigned char *)a->data +
	    (ptrdiff_t)p0 * csb;
	bool sw = a->swapped;

	for (size_t q = 0; q * reg < nrows; q++) {
		unsigned char *d = (unsigned char *)buf + q * stride;
		size_t rows = nrows - q * reg < reg ? nrows - q * reg : reg;
		const unsigned char *s0 = base + (ptrdiff_t)(r0 + q * reg) * rsb;

		if (a->cs == 1 || np == 1) {
			for (size_t i = 0; i < rows; i++)
				for (size_t p = 0; p < np; p++)
					a_elem(d, reg, i, p, s0 + (ptrdiff_t)i *
					    rsb + (ptrdiff_t)p * csb, t, sw, dsz);
		} else {
			for (size_t p = 0; p < np; p++)
				for (size_t i = 0; i < rows; i++)
					a_elem(d, reg, i, p, s0 + (ptrdiff_t)i *
					    rsb + (ptrdiff_t)p * csb, t, sw, dsz);
		}
		for (size_t p = 0; rows < reg && p < 2 * np; p++)
			memset(d + (p * reg + rows) * dsz, 0, (reg - rows) * dsz);
	}
}

/* Whether m is complex of dst's component type, in the machine's order. */
static bool
native(const struct matrix *m, enum dtype dst)
{
	return !m->swapped && m->dtype == (dst == DTYPE_F64 ? DTYPE_C128 :
	    DTYPE_C64);
}

void
pack1m_a(const struct matrix *a, size_t r0, size_t nrows, size_t p0,
    size_t np, unsigned reg, enum dtype dst, void *buf)
{
	struct matrix real = *a;

	if (native(a, dst) && a->cs == 1) {
		/* A'[i, 2p + t] is component t of a[i, p]: a real view. */
		real.dtype = dst;
		real.cols = 2 * a->cols;
		real.rs = 2 * a->rs;
		pack_panels(&real, r0, nrows, 2 * p0, 2 * np, reg, dst, buf);
	} else if (dst == DTYPE_F64 && a->dtype == DTYPE_C128)
		a_panels(a, r0, nrows, p0, np, reg, buf, DTYPE_C128, 8);
	else if (dst == DTYPE_F32 && a->dtype == DTYPE_C64)
		a_panels(a, r0, nrows, p0, np, reg, buf, DTYPE_C64, 4);
	else if (dst == DTYPE_F64)
		a_panels(a, r0, nrows, p0, np, reg, buf, a->dtype, 8);
	else
		a_panels(a, r0, nrows, p0, np, reg, buf, a->dtype, 4);
}

/*
 * Column jj of the panel is column j' = j0 + jj of B': an even j' takes
 * (Re, -Im) of b down its row pair, an odd one (Im, Re).
 */
static inline __attribute__((always_inline)) void
b_elem(unsigned char *d, unsigned reg, size_t jj, bool odd, size_t p,
    const unsigned char *s, enum dtype t, bool swapped, size_t dsz)
{
	double re, im;

	load_cplx(s, t, swapped, &re, &im);
	put(d, 2 * p * reg + jj, odd ? im : re, dsz);
	put(d, (2 * p + 1) * reg + jj, odd ? re : -im, dsz);
}

/* *d = -*s, by the sign bit alone, as the negation of a float is. */
static inline __attribute__((always_inline)) void
neg_copy(unsigned char *d, const unsigned char *s, size_t dsz)
{
	uint64_t u8;
	uint32_t u4;

	if (dsz == 8) {
		memcpy(&u8, s, 8);
		u8 ^= (uint64_t)1 << 63;
		memcpy(d, &u8, 8);
	} else {
		memcpy(&u4, s, 4);
		u4 ^= (uint32_t)1 << 31;
		memcpy(d, &u4, 4);
	}
}

/*
 * Rows 2p and 2p + 1 of a panel whose first column is even, from s, the
 * parts of b[p, j] from that column's j on, in the panel's type: (Re, Im)
 * pairs as they are, then (-Im, Re).
 */
static inline __attribute__((always_inline)) void
b_row_pair(unsigned char *d0, unsigned char *d1, const unsigned char *s,
    size_t cols, size_t dsz)
{
	memcpy(d0, s, cols * dsz);
	for (size_t jj = 0; jj + 1 < cols; jj += 2) {
		neg_copy(d1 + jj * dsz, s + (jj + 1) * dsz, dsz);
		memcpy(d1 + (jj + 1) * dsz, s + jj * dsz, dsz);
	}
	if (cols & 1)
		neg_copy(d1 + (cols - 1) * dsz, s + cols * dsz, dsz);
}

static inline __attribute__((always_inline)) void
b_panels(const struct matrix *b, size_t j0, size_t ncols, size_t p0,
    size_t np, unsigned reg, void *buf, enum dtype t, size_t dsz)
{
	size_t ssz = dtype_size(b->dtype);
	size_t stride = pack_panel_bytes(reg, 2 * np, dsz);
	ptrdiff_t rsb = b->rs * (ptrdiff_t)ssz, csb = b->cs * (ptrdiff_t)ssz;
	const unsigned char *base = (const unsigned char *)b->data +
	    (ptrdiff_t)p0 * rsb;
	bool sw = b->swapped;

	for (size_t q = 0; q * reg < ncols; q++) {
		unsigned char *d = (unsigned char *)buf + q * stride;
		size_t cols = ncols - q * reg < reg ? ncols - q * reg : reg;
		size_t jq = j0 + q * reg;

		if (b->cs == 1 && jq % 2 == 0 && native(b, dsz == 8 ?
		    DTYPE_F64 : DTYPE_F32)) {
			for (size_t p = 0; p < np; p++)
				b_row_pair(d + 2 * p * reg * dsz,
				    d + (2 * p + 1) * reg * dsz, base +
				    (ptrdiff_t)p * rsb + (ptrdiff_t)(jq / 2) *
				    csb, cols, dsz);
		} else if (b->cs == 1 || np == 1) {
			for (size_t p = 0; p < np; p++)
				for (size_t jj = 0; jj < cols; jj++)
					b_elem(d, reg, jj, (jq + jj) & 1, p,
					    base + (ptrdiff_t)p * rsb +
					    (ptrdiff_t)((jq + jj) / 2) * csb,
					    t, sw, dsz);
		} else {
			for (size_t jj = 0; jj < cols; jj++)
				for (size_t p = 0; p < np; p++)
					b_elem(d, reg, jj, (jq + jj) & 1, p,
					    base + (ptrdiff_t)p * rsb +
					    (ptrdiff_t)((jq + jj) / 2) * csb,
					    t, sw, dsz);
		}
		for (size_t p = 0; cols < reg && p < 2 * np; p++)
			memset(d + (p * reg + cols) * dsz, 0, (reg - cols) * dsz);
	}
}

void
pack1m_b(const struct matrix *b, size_t j0, size_t ncols, size_t p0,
    size_t np, unsigned reg, enum dtype dst, void *buf)
{
	if (dst == DTYPE_F64 && b->dtype == DTYPE_C128)
		b_panels(b, j0, ncols, p0, np, reg, buf, DTYPE_C128, 8);
	else if (dst == DTYPE_F32 && b->dtype == DTYPE_C64)
		b_panels(b, j0, ncols, p0, np, reg, buf, DTYPE_C64, 4);
	else if (dst == DTYPE_F64)
		b_panels(b, j0, ncols, p0, np, reg, buf, b->dtype, 8);
	else
		b_panels(b, j0, ncols, p0, np, reg, buf, b->dtype, 4);
}
