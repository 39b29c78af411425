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

/*
 * Stacks: an operand as matmul_plan takes it, C order (or Fortran) of the
 * given shape, its strides worked out as the .npy reader does.
 */
struct array {
	struct matmul_operand	 op;
	uint64_t		 shape[8];
	ptrdiff_t		 strides[8];
};

static void
array_init(struct array *x, bool fortran, int ndim, const uint64_t *shape)
{
	ptrdiff_t step = 1;

	for (int n = 0; n < ndim; n++) {
		int i = fortran ? n : ndim - 1 - n;

		x->shape[i] = shape[i];
		x->strides[i] = step;
		/* Wraps for the refusal tests' huge shapes, never read. */
		step = (ptrdiff_t)((uint64_t)step * shape[i]);
	}
	x->op.ndim = ndim;
	x->op.shape = x->shape;
	x->op.strides = x->strides;
	x->op.m = (struct matrix){ store, 1, ndim > 0 ? shape[ndim - 1] : 1,
	    ndim > 0 ? (ptrdiff_t)shape[ndim - 1] : 1, 1, DTYPE_F64, false };
	if (ndim >= 2) {
		x->op.m.rows = shape[ndim - 2];
		x->op.m.cols = shape[ndim - 1];
		x->op.m.rs = x->strides[ndim - 2];
		x->op.m.cs = x->strides[ndim - 1];
	}
}

#define ARRAY(x, ...) do {						\
	static const uint64_t shape_[] = { __VA_ARGS__ };		\
	array_init((x), false, (int)(sizeof(shape_) / sizeof(shape_[0])), \
	    shape_);							\
} while (0)

#define ARRAY_F(x, ...) do {						\
	static const uint64_t shape_[] = { __VA_ARGS__ };		\
	array_init((x), true, (int)(sizeof(shape_) / sizeof(shape_[0])),	\
	    shape_);							\
} while (0)

static void
expect_nd(const struct matmul_shape *s, int ndim, const uint64_t *want)
{
	ck_assert_int_eq(s->ndim, ndim);
	for (int i = 0; i < ndim; i++)
		ck_assert_uint_eq(s->shape[i], want[i]);
}

#define EXPECT(s, ...) do {						\
	static const uint64_t want_[] = { __VA_ARGS__ };		\
	expect_nd((s), (int)(sizeof(want_) / sizeof(want_[0])), want_);	\
} while (0)

START_TEST(test_stack_times_matrix)
{
	struct array a, b;
	struct matmul_shape s;

	/* (3, 4, 5) @ (5, 6) -> (3, 4, 6): A's rows follow on, one matrix */
	ARRAY(&a, 3, 4, 5);
	ARRAY(&b, 5, 6);
	ck_assert_int_eq(matmul_plan(&s, &a.op, false, &b.op, false),
	    MATMUL_OK);
	EXPECT(&s, 3, 4, 6);
	ck_assert(s.folded);
	ck_assert_uint_eq(s.a.rows, 12);
	ck_assert_uint_eq(s.rows, 4);
	ck_assert_uint_eq(s.matrices, 3);
	ck_assert_uint_eq(s.batch.count, 1);
	/* (2, 3, 4, 5) @ (5, 6): the two leading dimensions merge, and fold */
	ARRAY(&a, 2, 3, 4, 5);
	ck_assert_int_eq(matmul_plan(&s, &a.op, false, &b.op, false),
	    MATMUL_OK);
	EXPECT(&s, 2, 3, 4, 6);
	ck_assert(s.folded);
	ck_assert_uint_eq(s.a.rows, 24);
	ck_assert_uint_eq(s.matrices, 6);
	/* (3, 5, 4) transposed @ (5, 6): the rows of op(A) do not follow on */
	ARRAY(&a, 3, 5, 4);
	ck_assert_int_eq(matmul_plan(&s, &a.op, true, &b.op, false),
	    MATMUL_OK);
	EXPECT(&s, 3, 4, 6);
	ck_assert(!s.folded);
	ck_assert_int_eq(s.a.rs, 1);
	ck_assert_int_eq(s.a.cs, 4);
	ck_assert_int_eq(s.batch.ndim, 1);
	ck_assert_int_eq(s.batch.sa[0], 20);
	ck_assert_int_eq(s.batch.sb[0], 0);
	/* Fortran order (3, 4, 5): a matrix's elements are 3 apart */
	ARRAY_F(&a, 3, 4, 5);
	ck_assert_int_eq(matmul_plan(&s, &a.op, false, &b.op, false),
	    MATMUL_OK);
	EXPECT(&s, 3, 4, 6);
	ck_assert(!s.folded);
	ck_assert_int_eq(s.a.rs, 3);
	ck_assert_int_eq(s.a.cs, 12);
	ck_assert_int_eq(s.batch.sa[0], 1);
	/* (3, 1, 5) @ (5, 6): rows of one, any step, fold */
	ARRAY(&a, 3, 1, 5);
	ck_assert_int_eq(matmul_plan(&s, &a.op, false, &b.op, false),
	    MATMUL_OK);
	EXPECT(&s, 3, 1, 6);
	ck_assert(s.folded);
	ck_assert_uint_eq(s.a.rows, 3);
	ck_assert_int_eq(s.a.rs, 5);
}
END_TEST

START_TEST(test_stack_broadcast)
{
	struct array a, b;
	struct matmul_shape s;

	/* (4, 5) @ (3, 5, 6) -> (3, 4, 6): A is every matrix's */
	ARRAY(&a, 4, 5);
	ARRAY(&b, 3, 5, 6);
	ck_assert_int_eq(matmul_plan(&s, &a.op, false, &b.op, false),
	    MATMUL_OK);
	EXPECT(&s, 3, 4, 6);
	ck_assert(!s.folded);
	ck_assert_uint_eq(s.batch.count, 3);
	ck_assert_int_eq(s.batch.sa[0], 0);
	ck_assert_int_eq(s.batch.sb[0], 30);
	/* (3, 4, 5) @ (3, 5, 6) -> (3, 4, 6) */
	ARRAY(&a, 3, 4, 5);
	ck_assert_int_eq(matmul_plan(&s, &a.op, false, &b.op, false),
	    MATMUL_OK);
	EXPECT(&s, 3, 4, 6);
	ck_assert_int_eq(s.batch.sa[0], 20);
	/* (2, 1, 4, 5) @ (4, 5, 6) -> (2, 4, 4, 6) */
	ARRAY(&a, 2, 1, 4, 5);
	ARRAY(&b, 4, 5, 6);
	ck_assert_int_eq(matmul_plan(&s, &a.op, false, &b.op, false),
	    MATMUL_OK);
	EXPECT(&s, 2, 4, 4, 6);
	ck_assert_uint_eq(s.batch.count, 8);
	ck_assert_int_eq(s.batch.ndim, 2);
	ck_assert_int_eq(s.batch.sa[0], 20);
	ck_assert_int_eq(s.batch.sa[1], 0);
	ck_assert_int_eq(s.batch.sb[0], 0);
	ck_assert_int_eq(s.batch.sb[1], 30);
	/* (1, 1, 4, 5) @ (1, 5, 6): a stack of one is a 2-D multiply */
	ARRAY(&a, 1, 1, 4, 5);
	ARRAY(&b, 1, 5, 6);
	ck_assert_int_eq(matmul_plan(&s, &a.op, false, &b.op, false),
	    MATMUL_OK);
	EXPECT(&s, 1, 1, 4, 6);
	ck_assert_uint_eq(s.batch.count, 1);
	ck_assert_int_eq(s.batch.ndim, 0);
	/* (2, 3, 4, 5) @ (3, 5, 6) -> (2, 3, 4, 6) */
	ARRAY(&a, 2, 3, 4, 5);
	ARRAY(&b, 3, 5, 6);
	ck_assert_int_eq(matmul_plan(&s, &a.op, false, &b.op, true),
	    MATMUL_INNER);
	ck_assert_int_eq(matmul_plan(&s, &a.op, false, &b.op, false),
	    MATMUL_OK);
	EXPECT(&s, 2, 3, 4, 6);
	ck_assert_uint_eq(s.batch.count, 6);
}
END_TEST

START_TEST(test_stack_vectors)
{
	struct array a, b;
	struct matmul_shape s;

	/* (5,) @ (3, 5, 6) -> (3, 6) */
	ARRAY(&a, 5);
	ARRAY(&b, 3, 5, 6);
	ck_assert_int_eq(matmul_plan(&s, &a.op, false, &b.op, false),
	    MATMUL_OK);
	EXPECT(&s, 3, 6);
	ck_assert_uint_eq(s.a.rows, 1);
	ck_assert_uint_eq(s.batch.count, 3);
	/* a transposed 1-D operand is the same */
	ck_assert_int_eq(matmul_plan(&s, &a.op, true, &b.op, false),
	    MATMUL_OK);
	EXPECT(&s, 3, 6);
	/* (3, 4, 5) @ (5,) -> (3, 4), folded into one matrix-vector product */
	ARRAY(&a, 3, 4, 5);
	ARRAY(&b, 5);
	ck_assert_int_eq(matmul_plan(&s, &a.op, false, &b.op, false),
	    MATMUL_OK);
	EXPECT(&s, 3, 4);
	ck_assert(s.folded);
	ck_assert_uint_eq(s.a.rows, 12);
	ck_assert_uint_eq(s.b.cols, 1);
	/* (2, 3, 4, 5) @ (6,): inner dimensions */
	ARRAY(&b, 6);
	ck_assert_int_eq(matmul_plan(&s, &a.op, false, &b.op, false),
	    MATMUL_INNER);
}
END_TEST

START_TEST(test_stack_empty)
{
	struct array a, b;
	struct matmul_shape s;

	/* (0, 4, 5) @ (5, 6) -> (0, 4, 6) */
	ARRAY(&a, 0, 4, 5);
	ARRAY(&b, 5, 6);
	ck_assert_int_eq(matmul_plan(&s, &a.op, false, &b.op, false),
	    MATMUL_OK);
	EXPECT(&s, 0, 4, 6);
	ck_assert_uint_eq(s.batch.count, 0);
	ck_assert_uint_eq(s.matrices, 0);
	/* (1, 4, 5) @ (0, 5, 6) -> (0, 4, 6): a 1 broadcasts to 0 */
	ARRAY(&a, 1, 4, 5);
	ARRAY(&b, 0, 5, 6);
	ck_assert_int_eq(matmul_plan(&s, &a.op, false, &b.op, false),
	    MATMUL_OK);
	EXPECT(&s, 0, 4, 6);
	ck_assert_uint_eq(s.batch.count, 0);
	/* (3, 4, 0) @ (3, 0, 6) -> (3, 4, 6): sums over nothing */
	ARRAY(&a, 3, 4, 0);
	ARRAY(&b, 3, 0, 6);
	ck_assert_int_eq(matmul_plan(&s, &a.op, false, &b.op, false),
	    MATMUL_OK);
	EXPECT(&s, 3, 4, 6);
	ck_assert_uint_eq(s.matrices, 3);
	/* (2, 0, 5) @ (2, 5, 6) -> (2, 0, 6) */
	ARRAY(&a, 2, 0, 5);
	ARRAY(&b, 2, 5, 6);
	ck_assert_int_eq(matmul_plan(&s, &a.op, false, &b.op, false),
	    MATMUL_OK);
	EXPECT(&s, 2, 0, 6);
}
END_TEST

START_TEST(test_stack_refusals)
{
	struct array a, b;
	struct matmul_shape s;
	uint64_t big[4] = { 1ull << 40, 1ull << 40, 1, 1 }, one[2] = { 1, 1 };

	/* (3, 4, 5) @ (2, 5, 6): 3 and 2 */
	ARRAY(&a, 3, 4, 5);
	ARRAY(&b, 2, 5, 6);
	ck_assert_int_eq(matmul_plan(&s, &a.op, false, &b.op, false),
	    MATMUL_BATCH);
	/* (3, 4, 5) @ (0, 5, 6): 3 and 0, as NumPy refuses too */
	ARRAY(&b, 0, 5, 6);
	ck_assert_int_eq(matmul_plan(&s, &a.op, false, &b.op, false),
	    MATMUL_BATCH);
	/* (2, 3, 4, 5) @ (2, 5, 6): aligned from the last, 3 and 2 */
	ARRAY(&a, 2, 3, 4, 5);
	ARRAY(&b, 2, 5, 6);
	ck_assert_int_eq(matmul_plan(&s, &a.op, false, &b.op, false),
	    MATMUL_BATCH);
	/* 0-d operands, as in 2-D */
	ARRAY(&b, 5, 6);
	array_init(&a, false, 0, one);
	ck_assert_int_eq(matmul_plan(&s, &a.op, false, &b.op, false),
	    MATMUL_SCALAR_A);
	/* 2^40 x 2^40 matrices of 1 x 1: the count overflows an offset */
	array_init(&a, false, 4, big);
	array_init(&b, false, 2, one);
	ck_assert_int_eq(matmul_plan(&s, &a.op, false, &b.op, false),
	    MATMUL_TOO_LARGE);
	/* ... and so does it with empty matrices, however few elements */
	big[2] = 0;
	array_init(&a, false, 4, big);
	ck_assert_int_eq(matmul_plan(&s, &a.op, false, &b.op, false),
	    MATMUL_TOO_LARGE);
	big[2] = 1;
	big[3] = 0;
	array_init(&a, false, 4, big);
	one[0] = 0;
	array_init(&b, false, 2, one);
	ck_assert_int_eq(matmul_plan(&s, &a.op, false, &b.op, false),
	    MATMUL_TOO_LARGE);
	/* 2^62 matrices of 4 x 6 elements: the result's size overflows */
	big[0] = 1ull << 31;
	big[1] = 1ull << 31;
	big[3] = 1;
	array_init(&a, false, 4, big);
	one[0] = 1;
	one[1] = 1ull << 40;
	array_init(&b, false, 2, one);
	ck_assert_int_eq(matmul_plan(&s, &a.op, false, &b.op, false),
	    MATMUL_TOO_LARGE);
}
END_TEST

START_TEST(test_batch_walk)
{
	/* (2, 3, 4) leading dimensions, A broadcast in the middle one */
	struct batch_plan p = { 3, { 2, 3, 4 }, { 100, 0, 7 }, { 1, 2, 30 },
	    24 };
	struct batch_pos w, v;

	batch_seek(&p, 0, &w);
	for (uint64_t t = 0; t < p.count; t++) {
		uint64_t i = t / 12, j = t / 4 % 3, k = t % 4;

		ck_assert_int_eq(w.oa, (ptrdiff_t)(i * 100 + k * 7));
		ck_assert_int_eq(w.ob, (ptrdiff_t)(i + j * 2 + k * 30));
		batch_seek(&p, t, &v);
		ck_assert_int_eq(v.oa, w.oa);
		ck_assert_int_eq(v.ob, w.ob);
		batch_next(&p, &w);
	}
	/* Dimensions of 1 go; 2 x 3 with steps 3 and 1 merge into 6 */
	p = (struct batch_plan){ 4, { 1, 2, 3, 5 }, { 9, 3, 1, 0 },
	    { 9, 0, 0, 0 }, 30 };
	batch_simplify(&p);
	ck_assert_int_eq(p.ndim, 2);
	ck_assert_uint_eq(p.dim[0], 6);
	ck_assert_int_eq(p.sa[0], 1);
	ck_assert_uint_eq(p.dim[1], 5);
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
	tc = tcase_create("Stacks");
	tcase_add_test(tc, test_stack_times_matrix);
	tcase_add_test(tc, test_stack_broadcast);
	tcase_add_test(tc, test_stack_vectors);
	tcase_add_test(tc, test_stack_empty);
	tcase_add_test(tc, test_stack_refusals);
	tcase_add_test(tc, test_batch_walk);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(matmul_suite());
}
