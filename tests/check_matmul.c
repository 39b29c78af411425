/*
 * NumPy's matmul rules for one and two dimensions (core/matmul.c): the
 * result's shape and type, the views multiplied, and each refusal. The
 * expected shapes are those np.matmul gives for the same operands.
 */
#include <check.h>
#include <stdint.h>

#include "core/matmul.h"
#include "testutil.h"

static double store[64];

/* A row-major view of rows x cols, as a file of ndim dimensions gives. */
static struct matrix
view(size_t rows, size_t cols, enum dtype t)
{
	struct matrix m = { store, rows, cols, (ptrdiff_t)cols, 1, t, false };

	return m;
}

static void
expect_shape(const struct matmul_shape *s, int ndim, uint64_t d0,
    uint64_t d1)
{
	ck_assert_int_eq(s->ndim, ndim);
	if (ndim > 0)
		ck_assert_uint_eq(s->shape[0], d0);
	if (ndim > 1)
		ck_assert_uint_eq(s->shape[1], d1);
}

START_TEST(test_matrices)
{
	struct matrix a = view(3, 4, DTYPE_F64), b = view(4, 5, DTYPE_F64);
	struct matmul_shape s;

	/* (3, 4) @ (4, 5) -> (3, 5) */
	ck_assert_int_eq(matmul_shape(&s, &a, 2, false, &b, 2, false),
	    MATMUL_OK);
	expect_shape(&s, 2, 3, 5);
	ck_assert_uint_eq(s.a.rows, 3);
	ck_assert_uint_eq(s.b.cols, 5);
	ck_assert_int_eq(s.dtype, DTYPE_F64);
	/* (4, 3).T @ (4, 5) -> (3, 5): the view is transposed, not copied */
	a = view(4, 3, DTYPE_F64);
	ck_assert_int_eq(matmul_shape(&s, &a, 2, true, &b, 2, false),
	    MATMUL_OK);
	expect_shape(&s, 2, 3, 5);
	ck_assert_int_eq(s.a.rs, 1);
	ck_assert_int_eq(s.a.cs, 3);
	/* (3, 4) @ (5, 4).T -> (3, 5) */
	a = view(3, 4, DTYPE_F64);
	b = view(5, 4, DTYPE_F64);
	ck_assert_int_eq(matmul_shape(&s, &a, 2, false, &b, 2, true),
	    MATMUL_OK);
	expect_shape(&s, 2, 3, 5);
	/* (0, 4) @ (4, 0) -> (0, 0) */
	a = view(0, 4, DTYPE_F64);
	b = view(4, 0, DTYPE_F64);
	ck_assert_int_eq(matmul_shape(&s, &a, 2, false, &b, 2, false),
	    MATMUL_OK);
	expect_shape(&s, 2, 0, 0);
}
END_TEST

START_TEST(test_vectors)
{
	struct matrix v4 = view(1, 4, DTYPE_F32), m = view(4, 5, DTYPE_F32);
	struct matrix w = view(3, 4, DTYPE_F32);
	struct matmul_shape s;

	/* (4,) @ (4, 5) -> (5,) */
	ck_assert_int_eq(matmul_shape(&s, &v4, 1, false, &m, 2, false),
	    MATMUL_OK);
	expect_shape(&s, 1, 5, 0);
	ck_assert_uint_eq(s.a.rows, 1);
	/* (3, 4) @ (4,) -> (3,): the right vector is a column */
	ck_assert_int_eq(matmul_shape(&s, &w, 2, false, &v4, 1, false),
	    MATMUL_OK);
	expect_shape(&s, 1, 3, 0);
	ck_assert_uint_eq(s.b.rows, 4);
	ck_assert_uint_eq(s.b.cols, 1);
	/* (4,) @ (4,) -> (): a scalar result */
	ck_assert_int_eq(matmul_shape(&s, &v4, 1, false, &v4, 1, false),
	    MATMUL_OK);
	expect_shape(&s, 0, 0, 0);
	/* Transposing a vector changes nothing, on either side. */
	ck_assert_int_eq(matmul_shape(&s, &v4, 1, true, &m, 2, false),
	    MATMUL_OK);
	expect_shape(&s, 1, 5, 0);
	ck_assert_int_eq(matmul_shape(&s, &w, 2, false, &v4, 1, true),
	    MATMUL_OK);
	expect_shape(&s, 1, 3, 0);
}
END_TEST

START_TEST(test_refusals)
{
	struct matrix a = view(3, 4, DTYPE_F64), b = view(5, 6, DTYPE_F64);
	struct matrix one = view(1, 1, DTYPE_F64);
	struct matmul_shape s;

	ck_assert_int_eq(matmul_shape(&s, &one, 0, false, &b, 2, false),
	    MATMUL_SCALAR_A);
	ck_assert_int_eq(matmul_shape(&s, &a, 2, false, &one, 0, false),
	    MATMUL_SCALAR_B);
	ck_assert_int_eq(matmul_shape(&s, &a, 2, false, &b, 2, false),
	    MATMUL_INNER);
	/* The views are there to word the refusal with. */
	ck_assert_uint_eq(s.a.cols, 4);
	ck_assert_uint_eq(s.b.rows, 5);
	/* (3, 4).T @ (5, 6): 3 against 5 */
	ck_assert_int_eq(matmul_shape(&s, &a, 2, true, &b, 2, false),
	    MATMUL_INNER);
	ck_assert_uint_eq(s.a.cols, 3);
}
END_TEST

START_TEST(test_types)
{
	static const struct { enum dtype a, b, c; } cases[] = {
		{ DTYPE_F64, DTYPE_F32, DTYPE_F64 },
		{ DTYPE_F32, DTYPE_F32, DTYPE_F32 },
		{ DTYPE_I32, DTYPE_F32, DTYPE_F64 },
		{ DTYPE_I64, DTYPE_F32, DTYPE_F64 },
		{ DTYPE_I32, DTYPE_I64, DTYPE_I64 },
		{ DTYPE_I32, DTYPE_I32, DTYPE_I32 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct matrix a = view(2, 3, cases[i].a);
		struct matrix b = view(3, 2, cases[i].b);
		struct matmul_shape s;

		ck_assert_int_eq(matmul_shape(&s, &a, 2, false, &b, 2, false),
		    MATMUL_OK);
		ck_assert_int_eq(s.dtype, cases[i].c);
		ck_assert_int_eq(matmul_shape(&s, &b, 2, false, &a, 2, false),
		    MATMUL_OK);
		ck_assert_int_eq(s.dtype, cases[i].c);
	}
}
END_TEST

START_TEST(test_promotion_table)
{
	/*
	 * np.result_type(a, b) for every pair, rows and columns in the order
	 * of enum dtype, as NumPy 1.24 prints it.
	 */
#define P(t) DTYPE_##t
	static const enum dtype want[DTYPE_COUNT][DTYPE_COUNT] = {
		{ P(F64), P(F64), P(F64), P(F64), P(F64), P(F64), P(F64),
		  P(F64), P(F64), P(F64), P(F64), P(F64), P(C128), P(C128) },
		{ P(F64), P(F32), P(F64), P(F64), P(F32), P(F32), P(F32),
		  P(F32), P(F32), P(F64), P(F64), P(F32), P(C64), P(C128) },
		{ P(F64), P(F64), P(I64), P(I64), P(I64), P(I64), P(I64),
		  P(I64), P(I64), P(I64), P(F64), P(F64), P(C128), P(C128) },
		{ P(F64), P(F64), P(I64), P(I32), P(I32), P(I32), P(I32),
		  P(I32), P(I32), P(I64), P(F64), P(F64), P(C128), P(C128) },
		{ P(F64), P(F32), P(I64), P(I32), P(BOOL), P(I8), P(I16),
		  P(U8), P(U16), P(U32), P(U64), P(F16), P(C64), P(C128) },
		{ P(F64), P(F32), P(I64), P(I32), P(I8), P(I8), P(I16),
		  P(I16), P(I32), P(I64), P(F64), P(F16), P(C64), P(C128) },
		{ P(F64), P(F32), P(I64), P(I32), P(I16), P(I16), P(I16),
		  P(I16), P(I32), P(I64), P(F64), P(F32), P(C64), P(C128) },
		{ P(F64), P(F32), P(I64), P(I32), P(U8), P(I16), P(I16),
		  P(U8), P(U16), P(U32), P(U64), P(F16), P(C64), P(C128) },
		{ P(F64), P(F32), P(I64), P(I32), P(U16), P(I32), P(I32),
		  P(U16), P(U16), P(U32), P(U64), P(F32), P(C64), P(C128) },
		{ P(F64), P(F64), P(I64), P(I64), P(U32), P(I64), P(I64),
		  P(U32), P(U32), P(U32), P(U64), P(F64), P(C128), P(C128) },
		{ P(F64), P(F64), P(F64), P(F64), P(U64), P(F64), P(F64),
		  P(U64), P(U64), P(U64), P(U64), P(F64), P(C128), P(C128) },
		{ P(F64), P(F32), P(F64), P(F64), P(F16), P(F16), P(F32),
		  P(F16), P(F32), P(F64), P(F64), P(F16), P(C64), P(C128) },
		{ P(C128), P(C64), P(C128), P(C128), P(C64), P(C64), P(C64),
		  P(C64), P(C64), P(C128), P(C128), P(C64), P(C64), P(C128) },
		{ P(C128), P(C128), P(C128), P(C128), P(C128), P(C128), P(C128),
		  P(C128), P(C128), P(C128), P(C128), P(C128), P(C128), P(C128) },
	};
#undef P

	for (int a = 0; a < DTYPE_COUNT; a++)
		for (int b = 0; b < DTYPE_COUNT; b++)
			ck_assert_msg(dtype_promote(a, b) == want[a][b],
			    "%s x %s gave %s, not %s", dtype_name(a),
			    dtype_name(b), dtype_name(dtype_promote(a, b)),
			    dtype_name(want[a][b]));
}
END_TEST

static Suite *
matmul_suite(void)
{
	Suite *s = suite_create("matmul");
	TCase *tc = tcase_create("Core");

	tcase_add_test(tc, test_matrices);
	tcase_add_test(tc, test_vectors);
	tcase_add_test(tc, test_refusals);
	tcase_add_test(tc, test_types);
	tcase_add_test(tc, test_promotion_table);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(matmul_suite());
}
