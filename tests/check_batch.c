/*
 * Stacks on the engine (core/batch.c): every matrix of a broadcast stack
 * against a plain triple loop, for odd sizes and every way of sharing the
 * work (the stack among threads, or each matrix on all of them), with the
 * same bits for any thread count.
 */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/batch.h"
#include "core/dtype.h"
#include "core/kernels/kernel.h"
#include "core/matmul.h"
#include "testutil.h"

#define NELEMS(x)	(sizeof(x) / sizeof((x)[0]))

/* An operand: its elements, filled with small integers, and its shape. */
struct array {
	void			*data;
	size_t			 n;
	uint64_t		 shape[4];
	ptrdiff_t		 strides[4];
	struct matmul_operand	 op;
};

static void
array_make(struct array *x, enum dtype t, int ndim, const uint64_t *shape,
    uint64_t *seed)
{
	ptrdiff_t step = 1;

	x->n = 1;
	for (int i = ndim - 1; i >= 0; i--) {
		x->shape[i] = shape[i];
		x->strides[i] = step;
		step *= (ptrdiff_t)shape[i];
		x->n *= shape[i];
	}
	x->data = calloc(x->n + 1, dtype_size(t));
	ck_assert_ptr_nonnull(x->data);
	for (size_t i = 0; i < x->n; i++) {
		int64_t v = (int64_t)(rnd(seed) % 19) - 9;
		double d = (double)v / 4;

		switch (t) {
		case DTYPE_F64:
			((double *)x->data)[i] = d;
			break;
		case DTYPE_F32:
			((float *)x->data)[i] = (float)d;
			break;
		case DTYPE_I64:
			((int64_t *)x->data)[i] = v;
			break;
		default:
			((int32_t *)x->data)[i] = (int32_t)v;
			break;
		}
	}
	x->op.ndim = ndim;
	x->op.shape = x->shape;
	x->op.strides = x->strides;
	x->op.m = (struct matrix){ x->data, 1, shape[ndim - 1],
	    (ptrdiff_t)shape[ndim - 1], 1, t, false };
	if (ndim >= 2) {
		x->op.m.rows = shape[ndim - 2];
		x->op.m.rs = x->strides[ndim - 2];
	}
}

static double
value(const void *p, enum dtype t, ptrdiff_t i)
{
	switch (t) {
	case DTYPE_F64:
		return ((const double *)p)[i];
	case DTYPE_F32:
		return ((const float *)p)[i];
	case DTYPE_I64:
		return (double)((const int64_t *)p)[i];
	default:
		return ((const int32_t *)p)[i];
	}
}

/* C[t] against sums of products, matrix by matrix from the plan's walk. */
static void
check_against_loops(const struct matmul_shape *s, const void *c)
{
	const struct matrix *a = &s->a, *b = &s->b;
	size_t m = a->rows, k = a->cols, n = b->cols;
	struct batch_pos w;

	batch_seek(&s->batch, 0, &w);
	for (uint64_t t = 0; t < s->batch.count; t++) {
		for (size_t i = 0; i < m; i++)
			for (size_t j = 0; j < n; j++) {
				double want = 0, got;

				for (size_t p = 0; p < k; p++)
					want += value(a->data, a->dtype, w.oa +
					    (ptrdiff_t)i * a->rs + (ptrdiff_t)p *
					    a->cs) * value(b->data, b->dtype,
					    w.ob + (ptrdiff_t)p * b->rs +
					    (ptrdiff_t)j * b->cs);
				got = value(c, s->dtype, (ptrdiff_t)((t * m + i) *
				    n + j));
				ck_assert_msg(fabs(got - want) <= 1e-9 *
				    (double)(k + 1), "matrix %llu C[%zu, %zu] "
				    "is %g, not %g", (unsigned long long)t, i, j,
				    got, want);
			}
		batch_next(&s->batch, &w);
	}
}

static const struct {
	int		 nda, ndb;
	uint64_t	 a[4], b[4];
	bool		 ta, tb;
} cases[] = {
	{ 3, 3, { 5, 7, 13 }, { 5, 13, 1 }, false, false },
	{ 3, 2, { 4, 13, 7 }, { 13, 9 }, true, false },	/* not folded */
	{ 2, 3, { 7, 13 }, { 6, 13, 9 }, false, false },
	{ 4, 3, { 2, 1, 7, 5 }, { 3, 5, 7 }, false, false },
	{ 3, 3, { 1, 1, 13 }, { 4, 9, 13 }, false, true },
	{ 1, 3, { 13 }, { 5, 13, 7 }, false, false },
	{ 3, 3, { 67, 3, 5 }, { 67, 5, 2 }, false, false },
	{ 3, 3, { 3, 67, 35 }, { 3, 35, 67 }, false, false },
	{ 3, 3, { 3, 0, 7 }, { 3, 0, 5 }, true, false },
};

static const enum dtype types[] = { DTYPE_F64, DTYPE_F32, DTYPE_I64,
    DTYPE_I32 };

START_TEST(test_stacks_against_loops)
{
	const char *why;
	const struct kernel_set *ks = kernels_select(NULL, &why);
	uint64_t seed = 12345 + (uint64_t)_i;
	enum dtype t = types[_i];

	ck_assert_ptr_nonnull(ks);
	for (size_t ci = 0; ci < NELEMS(cases); ci++) {
		struct array a, b;
		struct matmul_shape s;
		void *first = NULL;
		size_t bytes;

		array_make(&a, t, cases[ci].nda, cases[ci].a, &seed);
		array_make(&b, t, cases[ci].ndb, cases[ci].b, &seed);
		ck_assert_msg(matmul_plan(&s, &a.op, cases[ci].ta, &b.op,
		    cases[ci].tb) == MATMUL_OK, "case %zu", ci);
		ck_assert_msg(!s.folded, "case %zu folded", ci);
		bytes = s.batch.count * s.a.rows * s.b.cols * dtype_size(s.dtype);
		/* Each thread count, the stack split and each matrix split. */
		for (int j = 1; j <= 3; j++)
			for (size_t mw = 0; mw <= 1; mw++) {
				struct gemm_setup setup = { .kernels = ks,
				    .nthreads = j, .min_work = mw };
				struct matrix_out c = { calloc(bytes + 1, 1),
				    s.a.rows, s.b.cols, s.b.cols, s.dtype };
				struct gemm_result res;

				ck_assert_ptr_nonnull(c.data);
				memset(c.data, 0x5a, bytes);
				ck_assert_int_eq(batch_gemm(&s.batch, &s.a, &s.b,
				    &c, &setup, &res), 0);
				check_against_loops(&s, c.data);
				if (first == NULL)
					first = c.data;
				else {
					ck_assert_msg(memcmp(first, c.data,
					    bytes) == 0, "case %zu: -j%d "
					    "differs from -j1", ci, j);
					free(c.data);
				}
			}
		free(first);
		free(a.data);
		free(b.data);
	}
}
END_TEST

START_TEST(test_split_choice)
{
	const char *why;
	struct gemm_setup setup = { .kernels = kernels_select(NULL, &why),
	    .nthreads = 4 };
	struct batch_plan p = { 1, { 64 }, { 0 }, { 0 }, 64 };
	struct matrix small = { NULL, 8, 8, 8, 1, DTYPE_F64, false };
	struct matrix big = { NULL, 1024, 1024, 1024, 1, DTYPE_F64, false };

	/* 8 x 8 x 8 cannot keep 4 threads busy: the stack is shared out. */
	ck_assert(batch_splits(&p, &small, &small, &setup));
	/* 1024^3 can: each matrix on every thread. */
	ck_assert(!batch_splits(&p, &big, &big, &setup));
	/* One thread, or one matrix, shares nothing. */
	setup.nthreads = 1;
	ck_assert(!batch_splits(&p, &small, &small, &setup));
	setup.nthreads = 4;
	p.count = 1;
	ck_assert(!batch_splits(&p, &small, &small, &setup));
}
END_TEST

static Suite *
batch_suite(void)
{
	Suite *s = suite_create("batch");
	TCase *tc = tcase_create("Core");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_stacks_against_loops, 0,
	    (int)NELEMS(types));
	tcase_add_test(tc, test_split_choice);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(batch_suite());
}
