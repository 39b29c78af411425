/*
 * core/cast and core/ndarray: every type read exactly in either byte
 * order, convert's policy of what a type can hold (astype's values where
 * it allows them, an error where a value would be lost), and the walk in
 * row-major order over C and Fortran layouts.
 */
#include <math.h>
#include <string.h>

#include "core/cast.h"
#include "core/half.h"
#include "core/ndarray.h"
#include "testutil.h"

#define LEN(a)	(sizeof(a) / sizeof((a)[0]))

/* A value cast to t: 0 and its bytes in out, or -1. */
static int
cast(const struct scalar *s, enum dtype t, void *out)
{
	memset(out, 0xee, 16);
	return cast_store(s, t, out);
}

static struct scalar
sint(int64_t v)
{
	struct scalar s = { .kind = SCALAR_INT, .i = v };

	return s;
}

static struct scalar
suint(uint64_t v)
{
	struct scalar s = { .kind = SCALAR_UINT, .u = v };

	return s;
}

static struct scalar
sreal(double v)
{
	struct scalar s = { .kind = SCALAR_REAL, .re = v };

	return s;
}

static struct scalar
scplx(double re, double im)
{
	struct scalar s = { .kind = SCALAR_COMPLEX, .re = re, .im = im };

	return s;
}

/* Each integer type's edges: held, and one past them refused. */
static const struct {
	enum dtype	 t;
	int64_t		 lo;
	uint64_t	 hi;
} edges[] = {
	{ DTYPE_BOOL, 0, 1 },
	{ DTYPE_I8, INT8_MIN, INT8_MAX },
	{ DTYPE_I16, INT16_MIN, INT16_MAX },
	{ DTYPE_I32, INT32_MIN, INT32_MAX },
	{ DTYPE_U8, 0, UINT8_MAX },
	{ DTYPE_U16, 0, UINT16_MAX },
	{ DTYPE_U32, 0, UINT32_MAX },
};

START_TEST(test_int_edges)
{
	enum dtype t = edges[_i].t;
	unsigned char out[16];
	struct scalar s;

	s = sint(edges[_i].lo);
	ck_assert_int_eq(cast(&s, t, out), 0);
	s = suint(edges[_i].hi);
	ck_assert_int_eq(cast(&s, t, out), 0);
	scalar_load(&s, out, t, false);
	ck_assert_int_eq((int64_t)scalar_exact(&s), (int64_t)edges[_i].hi);
	s = sint(edges[_i].lo - 1);
	ck_assert_int_eq(cast(&s, t, out), -1);
	ck_assert_uint_eq(out[0], 0xee);
	s = suint(edges[_i].hi + 1);
	ck_assert_int_eq(cast(&s, t, out), -1);
	s = sreal((double)edges[_i].hi + 1);
	ck_assert_int_eq(cast(&s, t, out), -1);
	s = sreal((double)edges[_i].lo);
	ck_assert_int_eq(cast(&s, t, out), 0);
}
END_TEST

START_TEST(test_wide_ints)
{
	unsigned char out[16];
	struct scalar s = suint(UINT64_MAX);
	uint64_t u;
	int64_t i;

	ck_assert_int_eq(cast(&s, DTYPE_U64, out), 0);
	memcpy(&u, out, 8);
	ck_assert(u == UINT64_MAX);
	ck_assert_int_eq(cast(&s, DTYPE_I64, out), -1);
	s = sint(-1);
	ck_assert_int_eq(cast(&s, DTYPE_U64, out), -1);
	s = sint(INT64_MIN);
	ck_assert_int_eq(cast(&s, DTYPE_I64, out), 0);
	memcpy(&i, out, 8);
	ck_assert(i == INT64_MIN);
	/* 2^64 is the first double beyond uint64; 2^64 - 2048 fits. */
	s = sreal(0x1p64);
	ck_assert_int_eq(cast(&s, DTYPE_U64, out), -1);
	s = sreal(0x1p64 - 2048);
	ck_assert_int_eq(cast(&s, DTYPE_U64, out), 0);
	memcpy(&u, out, 8);
	ck_assert(u == UINT64_MAX - 2047);
	s = sreal(0x1p63);
	ck_assert_int_eq(cast(&s, DTYPE_I64, out), -1);
	s = sreal(-0x1p63);
	ck_assert_int_eq(cast(&s, DTYPE_I64, out), 0);
}
END_TEST

/* Fractions, NaN and infinities fit no exact type; bool takes 0 and 1. */
START_TEST(test_not_whole)
{
	static const double bad[] = { 0.5, -1.5, NAN, INFINITY, -INFINITY, 2 };
	unsigned char out[16];
	struct scalar s;

	for (size_t k = 0; k < LEN(bad); k++) {
		s = sreal(bad[k]);
		ck_assert_int_eq(cast(&s, DTYPE_BOOL, out), -1);
		if (bad[k] != 2)
			ck_assert_int_eq(cast(&s, DTYPE_I64, out), -1);
	}
	s = sreal(-0.0);
	ck_assert_int_eq(cast(&s, DTYPE_BOOL, out), 0);
	ck_assert_uint_eq(out[0], 0);
	s = sreal(1);
	ck_assert_int_eq(cast(&s, DTYPE_BOOL, out), 0);
	ck_assert_uint_eq(out[0], 1);
}
END_TEST

/* A complex value fits a real type only when its imaginary part is 0. */
START_TEST(test_complex_to_real)
{
	unsigned char out[16];
	struct scalar s = scplx(3, 0);
	double d;
	int8_t i1;

	ck_assert_int_eq(cast(&s, DTYPE_F64, out), 0);
	memcpy(&d, out, 8);
	ck_assert(d == 3);
	ck_assert_int_eq(cast(&s, DTYPE_I8, out), 0);
	memcpy(&i1, out, 1);
	ck_assert_int_eq(i1, 3);
	s = scplx(3, -0.0);
	ck_assert_int_eq(cast(&s, DTYPE_F32, out), 0);
	s = scplx(3, 1e-300);
	ck_assert_int_eq(cast(&s, DTYPE_F64, out), -1);
	s = scplx(3, NAN);
	ck_assert_int_eq(cast(&s, DTYPE_F64, out), -1);
	s = scplx(1.5, 2.5);
	ck_assert_int_eq(cast(&s, DTYPE_C64, out), 0);
	scalar_load(&s, out, DTYPE_C64, false);
	ck_assert(s.re == 1.5 && s.im == 2.5);
}
END_TEST

/*
 * Floats round once, to nearest even, as astype does: 2049 to float16 is
 * 2048, 2^24 + 1 to float32 is 2^24, 70000 to float16 is inf, and an int64
 * goes straight to float32, not through a double.
 */
START_TEST(test_rounding)
{
	unsigned char out[16];
	struct scalar s = sint(2049);
	uint16_t h;
	float f;

	ck_assert_int_eq(cast(&s, DTYPE_F16, out), 0);
	memcpy(&h, out, 2);
	ck_assert(half_to_float(h) == 2048);
	s = sint(70000);
	ck_assert_int_eq(cast(&s, DTYPE_F16, out), 0);
	memcpy(&h, out, 2);
	ck_assert(isinf(half_to_float(h)));
	s = sint((1 << 24) + 1);
	ck_assert_int_eq(cast(&s, DTYPE_F32, out), 0);
	memcpy(&f, out, 4);
	ck_assert(f == 0x1p24f);
	/* 2^62 + 2^38 + 1: through a double it would tie and round down. */
	s = sint(INT64_C(0x4000004000000001));
	ck_assert_int_eq(cast(&s, DTYPE_F32, out), 0);
	memcpy(&f, out, 4);
	ck_assert(f == (float)INT64_C(0x4000004000000001));
	ck_assert(f == 0x1p62f + 0x1p39f);
	s = sreal(1e300);
	ck_assert_int_eq(cast(&s, DTYPE_F32, out), 0);
	memcpy(&f, out, 4);
	ck_assert(isinf(f));
}
END_TEST

/* Every type loads the same value from either byte order. */
START_TEST(test_load_swapped)
{
	enum dtype t = (enum dtype)_i;
	size_t n = dtype_size(t), part = dtype_is_complex(t) ? n / 2 : n;
	unsigned char native[16], swapped[16];
	struct scalar a, b, one = sint(1);

	ck_assert_int_eq(cast(&one, t, native), 0);
	for (size_t p = 0; p < n; p += part)
		for (size_t k = 0; k < part; k++)
			swapped[p + k] = native[p + part - 1 - k];
	scalar_load(&a, native, t, false);
	scalar_load(&b, swapped, t, true);
	ck_assert(a.kind == b.kind && a.i == b.i && a.u == b.u &&
	    a.re == b.re && a.im == b.im);
	ck_assert(a.i == 1 || a.u == 1 || a.re == 1);
}
END_TEST

/* A 2x3x4 int16 array in Fortran order is walked in row-major order. */
START_TEST(test_walk_orders)
{
	int16_t c[24], f[24];
	struct ndarray a = { .dtype = DTYPE_I16, .ndim = 3,
	    .shape = { 2, 3, 4 } };
	struct ndwalk w;
	const void *p;
	size_t k = 0;
	int16_t v;

	for (int i = 0; i < 2; i++)
		for (int j = 0; j < 3; j++)
			for (int l = 0; l < 4; l++) {
				c[(i * 3 + j) * 4 + l] = (int16_t)(i * 100 + j * 10 + l);
				f[i + 2 * (j + 3 * l)] = (int16_t)(i * 100 + j * 10 + l);
			}
	for (int order = 0; order < 2; order++) {
		a.data = (const unsigned char *)(order ? f : c);
		a.fortran = order;
		ndwalk_start(&w, &a);
		for (k = 0; (p = ndwalk_next(&w)) != NULL; k++) {
			memcpy(&v, p, 2);
			ck_assert_int_eq(v, c[k]);
			ck_assert_int_eq(w.idx[0] * 100 + w.idx[1] * 10 +
			    w.idx[2], v);
		}
		ck_assert_uint_eq(k, 24);
	}
}
END_TEST

/* Empty dimensions give no elements; a 0-d array gives one. */
START_TEST(test_walk_edges)
{
	double d = 5;
	struct ndarray a = { .data = (const unsigned char *)&d,
	    .dtype = DTYPE_F64, .ndim = 3, .shape = { 2, 0, 4 } };
	struct ndwalk w;
	char buf[64];

	ndwalk_start(&w, &a);
	ck_assert_ptr_null(ndwalk_next(&w));
	a.ndim = 0;
	ndwalk_start(&w, &a);
	ck_assert_ptr_eq(ndwalk_next(&w), &d);
	ck_assert_ptr_null(ndwalk_next(&w));
	ck_assert_str_eq(nd_index_str(buf, sizeof(buf), 0, w.idx), "[]");
	a.shape[0] = 7;
	a.shape[1] = 12;
	w.idx[0] = 3;
	w.idx[1] = 11;
	ck_assert_str_eq(nd_index_str(buf, sizeof(buf), 2, w.idx), "[3, 11]");
}
END_TEST

static Suite *
cast_suite(void)
{
	Suite *s = suite_create("cast");
	TCase *tc = tcase_create("Policy");

	tcase_add_loop_test(tc, test_int_edges, 0, (int)LEN(edges));
	tcase_add_test(tc, test_wide_ints);
	tcase_add_test(tc, test_not_whole);
	tcase_add_test(tc, test_complex_to_real);
	tcase_add_test(tc, test_rounding);
	tcase_add_loop_test(tc, test_load_swapped, 0, DTYPE_COUNT);
	suite_add_tcase(s, tc);
	tc = tcase_create("Walk");
	tcase_add_test(tc, test_walk_orders);
	tcase_add_test(tc, test_walk_edges);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(cast_suite());
}
