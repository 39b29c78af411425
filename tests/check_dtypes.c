/*
 * gemm() for every pair of the 14 dtypes against a reference of its own,
 * built on core/elem.h alone (not on the packing it checks): every layout
 * and byte order of either operand, shapes that are multiples of no block
 * (and empty ones), forced cache blocks and bands small enough to cross
 * every edge, 1, 2 and 3 threads, each kernel set this CPU runs.
 *
 * Integer and bool results must match exactly, wrap-around at each width
 * included (integer operands take random bits of their whole width).
 * Floats must lie within a bound relative to the sum of |a||b|; float16
 * adds its one final rounding. Whatever the type, results of one kernel
 * set and kc are bitwise identical across threads, blocks and bands.
 */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"
#include "core/dtype.h"
#include "core/elem.h"
#include "core/gemm.h"
#include "core/half.h"
#include "core/kernels/kernel.h"
#include "core/matrix.h"
#include "core/overflow.h"
#include "core/pack.h"
#include "core/pack1m.h"

#define NELEMS(a)	(sizeof(a) / sizeof((a)[0]))
#define GARBAGE		0x5a
#define LDPAD		2	/* C's ld is n + LDPAD: the gap must survive */

static const struct kernel_set *const sets[] = {
	&kernels_generic,
#if defined(__x86_64__)
	&kernels_avx2,
	&kernels_avx512,
	&kernels_avx512vnni,
#endif
};

static void *
xmalloc(size_t size)
{
	void *p = malloc(size > 0 ? size : 1);

	ck_assert_msg(p != NULL, "out of memory");
	return p;
}

/* Storage layouts; | LAY_SWAP stores the other byte order. */
enum layout {
	LAY_ROW,		/* row-major */
	LAY_FORTRAN,		/* column-major */
	LAY_ROW_PAD,		/* rows 3 elements apart more than needed */
	LAY_COL_PAD,		/* columns 2 elements apart more than needed */
	LAY_SWAP = 4,
};

struct operand {
	unsigned char	*mem;
	struct matrix	 view;
};

/* The bytes of each part of the element at p reversed. */
static void
swap_elem(unsigned char *p, enum dtype t)
{
	size_t part = dtype_is_complex(t) ? dtype_size(t) / 2 : dtype_size(t);

	for (unsigned char *q = p; q < p + dtype_size(t); q += part)
		for (size_t i = 0; i < part / 2; i++) {
			unsigned char c = q[i];

			q[i] = q[part - 1 - i];
			q[part - 1 - i] = c;
		}
}

static double
uniform(uint64_t *seed)
{
	return (double)(rnd(seed) >> 11) * 0x1p-52 - 1;	/* [-1, 1) */
}

/*
 * A random value of type t at p, native order. Integers take random bits
 * of their whole width, except with a float16 result, which holds only
 * small sums (small: values in [-8, 8]).
 */
static void
put_value(unsigned char *p, enum dtype t, bool small, uint64_t *seed)
{
	uint64_t r = rnd(seed);
	uint16_t h;
	float f[2];
	double d[2];

	switch (dtype_kind(t)) {
	case KIND_BOOL:
		*p = r & 1;
		break;
	case KIND_INT:
	case KIND_UINT:
		if (small)
			r = (uint64_t)((int64_t)(r % 17) - 8);
		memcpy(p, &r, dtype_size(t));	/* the low bytes */
		break;
	case KIND_FLOAT:
		d[0] = 2 * uniform(seed);
		if (t == DTYPE_F16) {
			h = half_from_double(d[0]);
			memcpy(p, &h, 2);
		} else if (t == DTYPE_F32) {
			f[0] = (float)d[0];
			memcpy(p, f, 4);
		} else {
			memcpy(p, d, 8);
		}
		break;
	default:
		d[0] = uniform(seed);
		d[1] = uniform(seed);
		f[0] = (float)d[0];
		f[1] = (float)d[1];
		if (t == DTYPE_C64)
			memcpy(p, f, 8);
		else
			memcpy(p, d, 16);
		break;
	}
}

static void
make_operand(struct operand *o, enum dtype t, size_t rows, size_t cols,
    unsigned lay, bool small, uint64_t *seed)
{
	size_t sz = dtype_size(t), rs = cols, cs = 1, n;

	switch (lay & 3) {
	case LAY_FORTRAN:
		rs = 1;
		cs = rows;
		break;
	case LAY_ROW_PAD:
		rs = cols + 3;
		break;
	case LAY_COL_PAD:
		rs = 1;
		cs = rows + 2;
		break;
	}
	n = rows * rs * (rs != 1) + cols * cs * (cs != 1) + rows + cols + 4;
	o->mem = xmalloc(n * sz);
	memset(o->mem, 0xff, n * sz);	/* NaN or -1 if ever read */
	for (size_t i = 0; i < rows; i++)
		for (size_t j = 0; j < cols; j++) {
			unsigned char *p = o->mem + (i * rs + j * cs) * sz;

			put_value(p, t, small, seed);
			if (lay & LAY_SWAP)
				swap_elem(p, t);
		}
	o->view = (struct matrix){ o->mem, rows, cols, (ptrdiff_t)rs,
	    (ptrdiff_t)cs, t, (lay & LAY_SWAP) != 0 };
}

static const unsigned char *
at(const struct matrix *v, size_t i, size_t j)
{
	return (const unsigned char *)v->data + ((ptrdiff_t)i * v->rs +
	    (ptrdiff_t)j * v->cs) * (ptrdiff_t)dtype_size(v->dtype);
}

/* The naive product: exact modulo 2^64 for integers, long double else. */
struct reference {
	enum dtype	 t;
	size_t		 m, n, k;
	uint64_t	*isum;
	long double	*re, *im, *mag;
};

static void
ref_elem(struct reference *r, const struct matrix *a, const struct matrix *b,
    size_t i, size_t j)
{
	size_t e = i * r->n + j;
	uint64_t s = 0;
	long double re = 0, im = 0, mag = 0;

	for (size_t p = 0; p < r->k; p++) {
		const unsigned char *x = at(a, i, p), *y = at(b, p, j);

		if (dtype_is_exact(r->t)) {
			uint64_t u = (uint64_t)elem_int(x, a->dtype, a->swapped);
			uint64_t v = (uint64_t)elem_int(y, b->dtype, b->swapped);

			s += r->t == DTYPE_BOOL ? (u && v) : u * v;
			continue;
		}
		long double xr = elem_real(x, a->dtype, a->swapped);
		long double xi = elem_imag(x, a->dtype, a->swapped);
		long double yr = elem_real(y, b->dtype, b->swapped);
		long double yi = elem_imag(y, b->dtype, b->swapped);

		re += xr * yr - xi * yi;
		im += xr * yi + xi * yr;
		mag += sqrtl(xr * xr + xi * xi) * sqrtl(yr * yr + yi * yi);
	}
	r->isum[e] = s;
	r->re[e] = re;
	r->im[e] = im;
	r->mag[e] = mag;
}

static void
ref_init(struct reference *r, const struct matrix *a, const struct matrix *b)
{
	size_t cells;

	r->t = dtype_promote(a->dtype, b->dtype);
	r->m = a->rows;
	r->n = b->cols;
	r->k = a->cols;
	cells = r->m * r->n;
	r->isum = xmalloc(cells * sizeof(*r->isum));
	r->re = xmalloc(cells * sizeof(*r->re));
	r->im = xmalloc(cells * sizeof(*r->im));
	r->mag = xmalloc(cells * sizeof(*r->mag));
	for (size_t i = 0; i < r->m; i++)
		for (size_t j = 0; j < r->n; j++)
			ref_elem(r, a, b, i, j);
}

static void
ref_free(struct reference *r)
{
	free(r->isum);
	free(r->re);
	free(r->im);
	free(r->mag);
}

/* The unit roundoff of the type a float result is summed in. */
static long double
unit_roundoff(enum dtype t)
{
	return t == DTYPE_F64 || t == DTYPE_C128 ? 0x1p-53L : 0x1p-24L;
}

/* Whether got, a float of the result's component type, is close to want. */
static bool
close_to(long double got, long double want, long double mag,
    const struct reference *r)
{
	long double tol = (long double)(2 * r->k + 2) * unit_roundoff(r->t) *
	    mag + 0x1p-60L;

	if (r->t == DTYPE_F16)	/* one rounding to half at the end */
		tol += 0x1p-11L * (fabsl(want) + tol) + 0x1p-24L;
	return fabsl(got - want) <= tol;
}

/* Component c (0 real, 1 imaginary) of C's element at p, as a number. */
static long double
got_part(const unsigned char *p, enum dtype t, int c)
{
	return c == 0 ? elem_real(p, t, false) : elem_imag(p, t, false);
}

/* NULL when C matches the reference, else what differs. */
static const char *
compare(const struct reference *r, const struct matrix_out *c, char *why,
    size_t len)
{
	size_t sz = dtype_size(r->t);

	for (size_t i = 0; i < r->m; i++) {
		const unsigned char *row = (const unsigned char *)c->data +
		    i * c->ld * sz;

		for (size_t j = 0; j < r->n; j++) {
			size_t e = i * r->n + j;
			const unsigned char *p = row + j * sz;
			uint64_t want = r->t == DTYPE_BOOL ? r->isum[e] != 0 :
			    r->isum[e], got = 0;

			if (dtype_is_exact(r->t)) {
				memcpy(&got, p, sz);
				if (sz < 8)
					want &= (UINT64_C(1) << 8 * sz) - 1;
				if (got == want)
					continue;
				snprintf(why, len, "C[%zu,%zu] = %#llx, want "
				    "%#llx", i, j, (unsigned long long)got,
				    (unsigned long long)want);
				return why;
			}
			for (int part = 0; part < 2; part++) {
				long double g = got_part(p, r->t, part);
				long double w = part == 0 ? r->re[e] : r->im[e];

				if (close_to(g, w, r->mag[e], r))
					continue;
				snprintf(why, len, "C[%zu,%zu] part %d = %Lg, "
				    "want %Lg (mag %Lg)", i, j, part, g, w,
				    r->mag[e]);
				return why;
			}
		}
		/* The gap between rows is not C's. */
		for (size_t b = r->n * sz; b < c->ld * sz; b++)
			if (row[b] != GARBAGE) {
				snprintf(why, len, "row %zu's padding written",
				    i);
				return why;
			}
	}
	return NULL;
}

/* A C of m x n with ld n + LDPAD, all garbage. */
static struct matrix_out
make_c(enum dtype t, size_t m, size_t n)
{
	size_t bytes = (m * (n + LDPAD) + 1) * dtype_size(t);
	struct matrix_out c = { xmalloc(bytes), m, n, n + LDPAD, t };

	memset(c.data, GARBAGE, bytes);
	return c;
}

/* One configuration of the engine. */
struct config {
	int			threads;
	struct gemm_blocks	blocks;
	size_t			band;
	bool			same_kc;	/* bitwise as the first */
};

static const struct config configs[] = {
	{ 1, { 0, 0, 0 }, 0, true },
	{ 2, { 0, 0, 0 }, 0, true },
	{ 3, { 0, 0, 0 }, 0, true },
	{ 3, { 5, 0, 7 }, 40, true },
	{ 2, { 5, 3, 7 }, 40, false },	/* kc 3: 2 for complex */
};

/* m, k, n: not multiples of any block, empty ones, and vectors. */
static const size_t shapes[][3] = {
	{ 1, 1, 1 }, { 1, 67, 13 }, { 13, 67, 1 }, { 7, 13, 5 },
	{ 67, 29, 3 }, { 5, 67, 67 }, { 37, 131, 41 }, { 0, 5, 3 },
	{ 4, 0, 6 }, { 3, 4, 0 },
};

static bool
usable(const struct kernel_set *ks)
{
	return kernels_supported(ks);
}

/*
 * Whether gemm must run the pair kernel (kernel.h): an integer result of
 * 16 bits or fewer, other than bool, on a matrix (not a vector) with a k.
 */
static bool
takes_pairs(const struct reference *r)
{
	bool narrow_int = r->t == DTYPE_I8 || r->t == DTYPE_U8 ||
	    r->t == DTYPE_I16 || r->t == DTYPE_U16;

	return narrow_int && r->m > 1 && r->n > 1 && r->k > 0;
}

/* Runs every configuration on one set; -1 with why filled on a failure. */
static int
run_set(const struct kernel_set *ks, const struct operand *a,
    const struct operand *b, const struct reference *r, char *why,
    size_t len)
{
	struct matrix_out first = make_c(r->t, r->m, r->n);
	size_t bytes = (r->m * (r->n + LDPAD) + 1) * dtype_size(r->t);
	int bad = 0;

	for (size_t i = 0; i < NELEMS(configs) && bad == 0; i++) {
		const struct config *cf = &configs[i];
		struct gemm_setup setup = { .kernels = ks, .nthreads =
		    cf->threads, .blocks = cf->blocks, .min_work = 1,
		    .band = cf->band };
		struct matrix_out c = i == 0 ? first : make_c(r->t, r->m, r->n);
		struct gemm_result res = { 0 };
		int e = gemm(&a->view, &b->view, &c, &setup, NULL, &res);

		if (e != 0) {
			snprintf(why, len, "gemm returned %d", e);
			bad = -1;
		} else if (takes_pairs(r) && res.used != &ks->i16x2) {
			snprintf(why, len, "ran %s, not the pair kernel",
			    res.used != NULL ? res.used->name : "no kernel");
			bad = -1;
		} else if (compare(r, &c, why, len) != NULL) {
			bad = -1;
		} else if (i > 0 && cf->same_kc &&
		    memcmp(c.data, first.data, bytes) != 0) {
			snprintf(why, len, "not bitwise the same as config 0");
			bad = -1;
		}
		if (bad != 0) {
			size_t l = strlen(why);

			snprintf(why + l, len - l, " (set %s, config %zu)",
			    ks->isa, i);
		}
		if (i > 0)
			free(c.data);
	}
	free(first.data);
	return bad;
}

START_TEST(test_pair)
{
	enum dtype ta = (enum dtype)(_i / DTYPE_COUNT);
	enum dtype tb = (enum dtype)(_i % DTYPE_COUNT);
	bool small = dtype_promote(ta, tb) == DTYPE_F16;
	char why[512];

	for (size_t s = 0; s < NELEMS(shapes); s++) {
		size_t m = shapes[s][0], k = shapes[s][1], n = shapes[s][2];
		unsigned la = (unsigned)(s + (size_t)_i) % 8;
		unsigned lb = (unsigned)(s + (size_t)_i / 8 + 3) % 8;
		uint64_t seed = (uint64_t)_i * 1000003 + s;
		struct operand a, b;
		struct reference r;
		int bad = 0;

		make_operand(&a, ta, m, k, la, small, &seed);
		make_operand(&b, tb, k, n, lb, small, &seed);
		ref_init(&r, &a.view, &b.view);
		for (size_t i = 0; i < NELEMS(sets) && bad == 0; i++)
			if (usable(sets[i]))
				bad = run_set(sets[i], &a, &b, &r, why,
				    sizeof(why));
		ref_free(&r);
		free(a.mem);
		free(b.mem);
		ck_assert_msg(bad == 0, "%s x %s, %zux%zu (layout %u) x "
		    "%zux%zu (layout %u): %s", dtype_name(ta), dtype_name(tb),
		    m, k, la, k, n, lb, why);
	}
}
END_TEST

/* C = A . B on the best kernel set, 2 threads, small work split. */
static int
mul(const struct matrix *a, const struct matrix *b, struct matrix_out *c,
    const struct gemm_call *call, struct gemm_result *res)
{
	const char *why;
	struct gemm_setup setup = { .kernels = kernels_select(NULL, &why),
	    .nthreads = 2, .min_work = 1 };

	return gemm(a, b, c, &setup, call, res);
}

static struct matrix
row_major(const void *data, enum dtype t, size_t rows, size_t cols)
{
	return (struct matrix){ data, rows, cols, (ptrdiff_t)cols, 1, t,
	    false };
}

/*
 * float16 sums in float32: 4096 products of ones give 4096 (summed in
 * float16 they would stop at 2048, where 2048 + 1 rounds back to 2048).
 * On the vector path and on the engine; and one rounding at the end.
 */
START_TEST(test_float16_sums)
{
	enum { K = 4096 };
	static uint16_t a[3 * K], b[K * 2], c[6];
	const size_t shapes2[][2] = { { 1, 1 }, { 3, 2 } };

	for (size_t i = 0; i < 3 * K; i++)
		a[i] = half_from_double(1);
	for (size_t i = 0; i < 2 * K; i++)
		b[i] = half_from_double(1);
	for (size_t s = 0; s < NELEMS(shapes2); s++) {
		size_t m = shapes2[s][0], n = shapes2[s][1];
		struct matrix va = row_major(a, DTYPE_F16, m, K);
		struct matrix vb = row_major(b, DTYPE_F16, K, n);
		struct matrix_out vc = { c, m, n, n, DTYPE_F16 };

		ck_assert_int_eq(mul(&va, &vb, &vc, NULL, NULL), 0);
		for (size_t i = 0; i < m * n; i++)
			ck_assert_float_eq(half_to_float(c[i]), 4096.0f);
	}
	/* 2049 in float32, rounded once to float16: 2048 (ties to even). */
	{
		struct matrix va = row_major(a, DTYPE_F16, 1, 2049);
		struct matrix vb = row_major(b, DTYPE_F16, 2049, 1);
		struct matrix_out vc = { c, 1, 1, 1, DTYPE_F16 };

		ck_assert_int_eq(mul(&va, &vb, &vc, NULL, NULL), 0);
		ck_assert_float_eq(half_to_float(c[0]), 2048.0f);
	}
}
END_TEST

/* One wrap-around per result width, worked by hand. */
static const struct wrap_case {
	enum dtype	ta, tb;
	int64_t		a[2], b[2];	/* A 2 x 2 = (a0 a1; a0 a1), B likewise */
	uint64_t	want;		/* every element: a0 b0 + a1 b1, wrapped */
} wraps[] = {
	{ DTYPE_I8, DTYPE_I8, { 100, 100 }, { 2, 1 }, 44 },		/* 300 */
	{ DTYPE_U8, DTYPE_U8, { 16, 1 }, { 16, 5 }, 5 },		/* 261 */
	{ DTYPE_I16, DTYPE_I16, { 200, 0 }, { 200, 0 }, 0x9c40 },	/* 40000 */
	{ DTYPE_U16, DTYPE_U16, { 256, 1 }, { 256, 3 }, 3 },
	{ DTYPE_U8, DTYPE_I8, { 255, 255 }, { -128, -128 }, 0x0100 },	/* -65280 */
	{ DTYPE_I32, DTYPE_I32, { 65536, 1 }, { 65536, 7 }, 7 },
	{ DTYPE_U32, DTYPE_U32, { 65536, 2 }, { 65536, 3 }, 6 },
	{ DTYPE_I64, DTYPE_I64, { INT64_C(1) << 32, 1 }, { INT64_C(1) << 32, 9 }, 9 },
	{ DTYPE_U64, DTYPE_U64, { -1, 0 }, { 2, 0 }, UINT64_MAX - 1 },
	{ DTYPE_BOOL, DTYPE_I8, { 1, 1 }, { 127, 127 }, 0xfe },	/* 254 */
};

static void
put_int(unsigned char *p, enum dtype t, int64_t v)
{
	memcpy(p, &v, dtype_size(t));
}

START_TEST(test_wrap_by_width)
{
	const struct wrap_case *w = &wraps[_i];
	enum dtype t = dtype_promote(w->ta, w->tb);
	unsigned char a[4 * 8], b[4 * 8], c[4 * 8];
	size_t sa = dtype_size(w->ta), sb = dtype_size(w->tb);
	size_t sc = dtype_size(t);

	for (size_t i = 0; i < 2; i++)
		for (size_t p = 0; p < 2; p++) {
			put_int(a + (i * 2 + p) * sa, w->ta, w->a[p]);
			put_int(b + (p * 2 + i) * sb, w->tb, w->b[p]);
		}
	for (int vec = 0; vec < 2; vec++) {
		size_t n = vec ? 1 : 2;
		struct matrix va = row_major(a, w->ta, 2, 2);
		struct matrix vb = { b, 2, n, 2, 1, w->tb, false };
		struct matrix_out vc = { c, 2, n, n, t };

		ck_assert_int_eq(mul(&va, &vb, &vc, NULL, NULL), 0);
		for (size_t e = 0; e < 2 * n; e++) {
			uint64_t got = 0;

			memcpy(&got, c + e * sc, sc);
			ck_assert_msg(got == w->want, "%s x %s: %#llx, want "
			    "%#llx", dtype_name(w->ta), dtype_name(w->tb),
			    (unsigned long long)got,
			    (unsigned long long)w->want);
		}
	}
}
END_TEST

/* bool: any A[i,p] and B[p,j]; a count of 2 or 256 is still true. */
START_TEST(test_bool_any)
{
	enum { K = 256 };
	static uint8_t a[2 * K], b[K * 2], c[4];
	struct matrix va = row_major(a, DTYPE_BOOL, 2, K);
	struct matrix vb = row_major(b, DTYPE_BOOL, K, 2);
	struct matrix_out vc = { c, 2, 2, 2, DTYPE_BOOL };

	/* Row 0 of A all true; row 1 false. B's column 0 true, 1 false. */
	memset(a, 1, K);
	for (size_t p = 0; p < K; p++)
		b[p * 2] = 1;
	ck_assert_int_eq(mul(&va, &vb, &vc, NULL, NULL), 0);
	ck_assert_uint_eq(c[0], 1);
	ck_assert_uint_eq(c[1], 0);
	ck_assert_uint_eq(c[2], 0);
	ck_assert_uint_eq(c[3], 0);
}
END_TEST

/*
 * The int64 exact route with uint64 operands: small values take it (and
 * are right), a uint64 of 2^63 or more must not pass for a small negative
 * int64 there, and wraps on the integer kernels.
 */
START_TEST(test_uint64_route)
{
	uint64_t a[2] = { 3, 5 }, b[2] = { 7, 11 }, c[4];
	struct matrix va = { a, 2, 1, 1, 1, DTYPE_U64, false };
	struct matrix vb = row_major(b, DTYPE_U64, 1, 2);
	struct matrix_out vc = { c, 2, 2, 2, DTYPE_U64 };
	struct gemm_result res;

	ck_assert_int_eq(mul(&va, &vb, &vc, NULL, &res), 0);
	ck_assert(res.exact_route);
	ck_assert_uint_eq(c[3], 55);
	a[0] = UINT64_MAX;		/* -1 as an int64 */
	ck_assert_int_eq(mul(&va, &vb, &vc, NULL, &res), 0);
	ck_assert(!res.exact_route);
	ck_assert_uint_eq(c[0], UINT64_MAX - 6);	/* 7 (2^64 - 1) */
	ck_assert_uint_eq(c[1], UINT64_MAX - 10);
	ck_assert_uint_eq(c[3], 55);
	/* int64 x uint64 is float64, by value. */
	{
		int64_t s[2] = { -1, 1 };
		double d[4];
		struct matrix vs = { s, 2, 1, 1, 1, DTYPE_I64, false };
		struct matrix_out vd = { d, 2, 2, 2, DTYPE_F64 };

		ck_assert_int_eq(mul(&vs, &vb, &vd, NULL, NULL), 0);
		ck_assert_double_eq(d[0], -7);
		b[0] = UINT64_MAX;
		ck_assert_int_eq(mul(&vs, &vb, &vd, NULL, NULL), 0);
		ck_assert_double_eq(d[2], 0x1p64);
	}
}
END_TEST

/* The limits and the bound's verdict, for every integer result type. */
START_TEST(test_overflow_types)
{
	static const struct {
		enum dtype	t;
		uint64_t	limit;
	} lim[] = {
		{ DTYPE_I8, 127 }, { DTYPE_U8, 255 }, { DTYPE_I16, 32767 },
		{ DTYPE_U16, 65535 }, { DTYPE_I32, INT32_MAX },
		{ DTYPE_U32, UINT32_MAX }, { DTYPE_I64, INT64_MAX },
		{ DTYPE_U64, UINT64_MAX },
	};

	for (size_t i = 0; i < NELEMS(lim); i++) {
		ck_assert_uint_eq(overflow_limit(lim[i].t), lim[i].limit);
		ck_assert(overflow_bound_clears(lim[i].limit, lim[i].t) ==
		    (lim[i].limit < UINT64_MAX));
		if (lim[i].limit < UINT64_MAX)
			ck_assert(!overflow_bound_clears(lim[i].limit + 1,
			    lim[i].t));
	}
}
END_TEST

/* One 1 x k by k x 1 product of type t, and what the search says. */
static const struct search_case {
	enum dtype	 ta, tb;
	size_t		 k;
	int64_t		 a[2], b[2];
	int		 found;
	__int128	 value;
} searches[] = {
	{ DTYPE_I8, DTYPE_I8, 2, { 100, 27 }, { 1, 1 }, 0, 0 },	/* 127 */
	{ DTYPE_I8, DTYPE_I8, 2, { 100, 28 }, { 1, 1 }, 1, 128 },
	{ DTYPE_I8, DTYPE_I8, 2, { -100, -28 }, { 1, 1 }, 0, 0 },	/* -128 */
	{ DTYPE_I8, DTYPE_I8, 2, { -100, -29 }, { 1, 1 }, 1, -129 },
	{ DTYPE_U8, DTYPE_U8, 2, { 200, 55 }, { 1, 1 }, 0, 0 },
	{ DTYPE_U8, DTYPE_U8, 2, { 200, 56 }, { 1, 1 }, 1, 256 },
	{ DTYPE_U8, DTYPE_I8, 1, { 255 }, { -128 }, 0, 0 },		/* int16 */
	{ DTYPE_I16, DTYPE_I16, 1, { 200 }, { 200 }, 1, 40000 },
	{ DTYPE_U16, DTYPE_U16, 1, { 256 }, { 255 }, 0, 0 },
	{ DTYPE_U16, DTYPE_U16, 1, { 256 }, { 256 }, 1, 65536 },
	{ DTYPE_U32, DTYPE_U32, 1, { 65536 }, { 65536 }, 1,
	    (__int128)1 << 32 },
	{ DTYPE_U64, DTYPE_U64, 2, { -1, 0 }, { 1, 1 }, 0, 0 },	/* 2^64 - 1 */
	{ DTYPE_U64, DTYPE_U64, 2, { -1, 1 }, { 1, 1 }, 1,
	    (__int128)1 << 64 },
	{ DTYPE_U64, DTYPE_U8, 1, { INT64_C(1) << 62 }, { 4 }, 1,
	    (__int128)1 << 64 },
};

START_TEST(test_overflow_search)
{
	const struct search_case *sc = &searches[_i];
	enum dtype t = dtype_promote(sc->ta, sc->tb);
	unsigned char a[16], b[16];
	struct overflow_at where;

	for (size_t p = 0; p < sc->k; p++) {
		put_int(a + p * dtype_size(sc->ta), sc->ta, sc->a[p]);
		put_int(b + p * dtype_size(sc->tb), sc->tb, sc->b[p]);
	}
	for (int th = 1; th <= 3; th++) {
		struct matrix va = row_major(a, sc->ta, 1, sc->k);
		struct matrix vb = row_major(b, sc->tb, sc->k, 1);
		int r = overflow_find(&va, &vb, t, th, NULL, &where);

		ck_assert_msg(r == sc->found, "case %d: %d", _i, r);
		if (r == 1)
			ck_assert_msg(!where.beyond && where.value == sc->value,
			    "case %d: value %lld", _i, (long long)where.value);
	}
}
END_TEST

/*
 * A narrow result that accumulates over k split at kc (how out-of-core
 * tiles call gemm) is the same as one call, for integers and bools.
 */
START_TEST(test_narrow_accumulate)
{
	static const enum dtype types[] = { DTYPE_I8, DTYPE_U16, DTYPE_BOOL };
	enum { M = 9, K = 40, N = 11, KC = 8 };
	enum dtype t = types[_i];
	uint16_t a[M * K], b[K * N], one[M * N], split[M * N];
	uint64_t seed = 7;
	const char *why;
	struct gemm_setup setup = { .kernels = kernels_select(NULL, &why),
	    .nthreads = 2, .min_work = 1, .blocks = { 0, KC, 0 }, .band = 30 };
	size_t sz = dtype_size(t);
	struct gemm_call acc = { .accumulate = true };

	for (size_t i = 0; i < M * K; i++)
		put_value((unsigned char *)a + i * sz, t, false, &seed);
	for (size_t i = 0; i < K * N; i++)
		put_value((unsigned char *)b + i * sz, t, false, &seed);
	{
		struct matrix va = row_major(a, t, M, K);
		struct matrix vb = row_major(b, t, K, N);
		struct matrix_out c1 = { one, M, N, N, t };
		struct matrix_out c2 = { split, M, N, N, t };

		ck_assert_int_eq(gemm(&va, &vb, &c1, &setup, NULL, NULL), 0);
		for (size_t p = 0; p < K; p += KC) {
			struct matrix sa = matrix_block(&va, 0, M, p, p + KC);
			struct matrix sb = matrix_block(&vb, p, p + KC, 0, N);

			ck_assert_int_eq(gemm(&sa, &sb, &c2, &setup,
			    p > 0 ? &acc : NULL, NULL), 0);
		}
		ck_assert(memcmp(one, split, M * N * sz) == 0);
	}
}
END_TEST

/*
 * The private bytes of a narrow result count its band, a few MiB, and the
 * kc they report is in steps of k.
 */
START_TEST(test_private_bytes)
{
	const char *why;
	struct gemm_setup setup = { .kernels = kernels_select(NULL, &why),
	    .nthreads = 2 };
	size_t kc8, kc32, kc64, kcc;
	size_t i8 = gemm_private_bytes(&setup, DTYPE_I8, 5000, 5000, &kc8);
	size_t i32 = gemm_private_bytes(&setup, DTYPE_I32, 5000, 5000, &kc32);
	size_t f64 = gemm_private_bytes(&setup, DTYPE_F64, 5000, 10000, &kc64);
	size_t c128 = gemm_private_bytes(&setup, DTYPE_C128, 5000, 5000, &kcc);

	/* int8 runs on the pair kernel, whose kc counts two steps of k. */
	ck_assert_uint_eq(kc8, 2 * setup.kernels->i16x2.kc);
	ck_assert_uint_eq(kc32, setup.kernels->k[DTYPE_I32].kc);
	ck_assert_uint_gt(i8, i32);
	ck_assert_uint_le(i8, i32 + GEMM_BAND * 4);
	ck_assert_uint_le(i8, 16u << 20);
	/* complex128 is float64 of twice the columns; kc counts complex k. */
	ck_assert_uint_eq(c128, f64);
	ck_assert_uint_eq(kcc, kc64 / 2);
	/* An empty C has a band of nothing, and no division by it. */
	ck_assert_uint_gt(gemm_private_bytes(&setup, DTYPE_I8, 3, 0, &kc8), 0);
	ck_assert_uint_gt(gemm_private_bytes(&setup, DTYPE_F16, 0, 3, &kc8), 0);
}
END_TEST

/* Empty sums are zeros of every type, narrow or complex. */
START_TEST(test_empty_k)
{
	enum dtype t = (enum dtype)_i;
	unsigned char c[3 * 4 * 16], none[16];
	struct matrix va = row_major(none, t, 3, 0);
	struct matrix vb = row_major(none, t, 0, 4);
	struct matrix_out vc = { c, 3, 4, 4, t };
	unsigned char zero[sizeof(c)] = { 0 };

	memset(c, GARBAGE, sizeof(c));
	ck_assert_int_eq(mul(&va, &vb, &vc, NULL, NULL), 0);
	ck_assert(memcmp(c, zero, 12 * dtype_size(t)) == 0);
}
END_TEST

/*
 * pack1m's fast ways (a native complex operand with adjacent columns: A'
 * through pack_panels, B' row pairs copied and swapped) pack the same bits
 * as its element by element way, which the same values take when stored
 * byte-swapped or with other strides. Odd and even first columns of B',
 * whole and partial panels, odd and even panel widths, one row or column.
 */
static const size_t packs[][4] = {	/* rows, cols, first, count */
	{ 1, 1, 0, 2 }, { 7, 7, 2, 11 }, { 67, 13, 3, 9 }, { 13, 67, 1, 130 },
	{ 5, 3, 0, 6 }, { 257, 2, 4, 200 },
};

/*
 * pack1m_a (b false) or pack1m_b of the block packs[s] says: rows (A') or
 * columns (B') from first, count of them or as many as there are, and
 * the sum's steps from the second on, if there are two.
 */
static void
pack_block(const struct matrix *v, size_t s, bool b, unsigned reg,
    enum dtype dst, unsigned char *buf, size_t bytes)
{
	size_t first = packs[s][2], count = packs[s][3];
	size_t all = b ? 2 * v->cols : v->rows;
	size_t steps = b ? v->rows : v->cols, p0 = steps > 1 ? 1 : 0;

	first %= all;
	if (count > all - first)
		count = all - first;
	memset(buf, GARBAGE, bytes);
	if (b)
		pack1m_b(v, first, count, p0, steps - p0, reg, dst, buf);
	else
		pack1m_a(v, first, count, p0, steps - p0, reg, dst, buf);
}

START_TEST(test_pack1m_fast)
{
	static const unsigned regs[] = { 8, 24, 48, 5 };
	static const unsigned lays[] = { LAY_FORTRAN, LAY_COL_PAD, LAY_SWAP,
	    LAY_ROW_PAD | LAY_SWAP };
	enum dtype t = _i % 2 ? DTYPE_C128 : DTYPE_C64;
	enum dtype dst = t == DTYPE_C128 ? DTYPE_F64 : DTYPE_F32;
	bool b = _i / 2 % 2;
	unsigned reg = regs[_i / 4];

	for (size_t s = 0; s < NELEMS(packs); s++) {
		size_t rows = packs[s][0], cols = packs[s][1];
		size_t wide = 2 * cols > rows ? 2 * cols : rows;
		size_t bytes = (wide / reg + 1) * pack_panel_bytes(reg,
		    2 * (rows > cols ? rows : cols), 8);
		unsigned char *fast = xmalloc(bytes), *slow = xmalloc(bytes);

		for (size_t l = 0; l < NELEMS(lays); l++) {
			struct operand n, o;
			uint64_t seed = 77 + s, again = seed;

			make_operand(&n, t, rows, cols, LAY_ROW, false, &seed);
			make_operand(&o, t, rows, cols, lays[l], false, &again);
			pack_block(&n.view, s, b, reg, dst, fast, bytes);
			pack_block(&o.view, s, b, reg, dst, slow, bytes);
			ck_assert_msg(memcmp(fast, slow, bytes) == 0,
			    "%s %s reg %u, %zux%zu, layout %u", dtype_name(t),
			    b ? "B" : "A", reg, rows, cols, lays[l]);
			free(n.mem);
			free(o.mem);
		}
		free(fast);
		free(slow);
	}
}
END_TEST

static Suite *
dtypes_suite(void)
{
	Suite *s = suite_create("dtypes");
	TCase *tc = tcase_create("Pairs");

	tcase_set_timeout(tc, 600);
	tcase_add_loop_test(tc, test_pair, 0, DTYPE_COUNT * DTYPE_COUNT);
	suite_add_tcase(s, tc);
	tc = tcase_create("Values");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_float16_sums);
	tcase_add_loop_test(tc, test_wrap_by_width, 0, NELEMS(wraps));
	tcase_add_test(tc, test_bool_any);
	tcase_add_test(tc, test_uint64_route);
	tcase_add_test(tc, test_overflow_types);
	tcase_add_loop_test(tc, test_overflow_search, 0, NELEMS(searches));
	tcase_add_loop_test(tc, test_narrow_accumulate, 0, 3);
	tcase_add_test(tc, test_private_bytes);
	tcase_add_loop_test(tc, test_empty_k, 0, DTYPE_COUNT);
	tcase_add_loop_test(tc, test_pack1m_fast, 0, 16);
	suite_add_tcase(s, tc);
	return s;
}

/* As check_gemm: many small parallel calls want passive waiting. */
static void
wait_passively(char **argv)
{
	if (getenv("OMP_WAIT_POLICY") != NULL)
		return;
	if (setenv("OMP_WAIT_POLICY", "passive", 1) == 0)
		execv("/proc/self/exe", argv);
}

int
main(int argc, char **argv)
{
	(void)argc;
	wait_passively(argv);
	for (size_t i = 0; i < NELEMS(sets); i++)
		if (!usable(sets[i]))
			fprintf(stderr, "check_dtypes: SKIP %s: not supported "
			    "by this CPU\n", sets[i]->isa);
	return run_suite(dtypes_suite());
}
