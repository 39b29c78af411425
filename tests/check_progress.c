/*
 * gemm's progress hook: called from one thread at a time, with counts that
 * only grow, never past the total, ending with all of it done; and with
 * no effect on the result.
 */
#include <check.h>
#include <omp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/gemm.h"
#include "core/overflow.h"
#include "testutil.h"

#define NELEMS(a)	(sizeof(a) / sizeof((a)[0]))

struct record {
	int		 calls, bad_thread, went_back;
	double		 last, total;
};

static void
hook(void *arg, double done, double total)
{
	struct record *r = arg;

	/* Thread 0 of gemm's team, or the caller outside it. */
	if (omp_get_thread_num() != 0)
		r->bad_thread++;
	if (done < r->last || done > total)
		r->went_back++;
	r->calls++;
	r->last = done;
	r->total = total;
}

/* M x K x N, with blocks small enough for many reports. */
static const size_t shapes[][3] = {
	{ 300, 200, 100 },	/* blocked */
	{ 1, 5000, 3000 },	/* vector times matrix */
	{ 4000, 3000, 1 },	/* matrix times vector */
};

START_TEST(test_gemm_hook)
{
	size_t m = shapes[_i][0], k = shapes[_i][1], n = shapes[_i][2];
	double *a = malloc(m * k * 8), *b = malloc(k * n * 8);
	double *c1 = malloc(m * n * 8), *c2 = malloc(m * n * 8);
	struct matrix va = { a, m, k, (ptrdiff_t)k, 1, DTYPE_F64, false };
	struct matrix vb = { b, k, n, (ptrdiff_t)n, 1, DTYPE_F64, false };
	struct matrix_out o1 = { c1, m, n, n, DTYPE_F64 };
	struct matrix_out o2 = { c2, m, n, n, DTYPE_F64 };
	struct record rec = { 0 };
	struct gemm_progress p = { hook, &rec };
	struct gemm_config cfg = { .kernels = &kernels_generic,
	    .nthreads = 3, .mc = 32, .kc = 32, .nc = 64 };

	for (size_t i = 0; i < m * k; i++)
		a[i] = (double)(i % 7) - 3;
	for (size_t i = 0; i < k * n; i++)
		b[i] = (double)(i % 5) - 2;
	ck_assert_int_eq(gemm(&va, &vb, &o1, &cfg), 0);
	cfg.progress = &p;
	ck_assert_int_eq(gemm(&va, &vb, &o2, &cfg), 0);
	ck_assert_msg(memcmp(c1, c2, m * n * 8) == 0, "the hook changed C");
	ck_assert_int_ge(rec.calls, 2);
	ck_assert_int_eq(rec.bad_thread, 0);
	ck_assert_int_eq(rec.went_back, 0);
	ck_assert(rec.total == (double)m * (double)n * (double)k);
	ck_assert(rec.last == rec.total);
	free(a);
	free(b);
	free(c1);
	free(c2);
}
END_TEST

/* The exact overflow search reports the same way. */
START_TEST(test_overflow_hook)
{
	size_t m = 64, k = 2000, n = 64;
	int64_t *a = calloc(m * k, 8), *b = calloc(k * n, 8);
	struct matrix va = { a, m, k, (ptrdiff_t)k, 1, DTYPE_I64, false };
	struct matrix vb = { b, k, n, (ptrdiff_t)n, 1, DTYPE_I64, false };
	struct record rec = { 0 };
	struct gemm_progress p = { hook, &rec };
	struct overflow_at at;

	for (size_t i = 0; i < m * k; i++)
		a[i] = INT64_MAX / 4;	/* the bound cannot clear any row */
	b[0] = 1;
	/*
	 * On one thread, thread 0 does every block, so it reports before the
	 * end; on three, it may do none on a loaded machine, and only the
	 * final report is certain.
	 */
	ck_assert_int_eq(overflow_find(&va, &vb, DTYPE_I64, 1, &p, &at), 0);
	ck_assert_int_ge(rec.calls, 2);
	ck_assert(rec.last == (double)m * (double)n * (double)k);
	memset(&rec, 0, sizeof(rec));
	ck_assert_int_eq(overflow_find(&va, &vb, DTYPE_I64, 3, &p, &at), 0);
	ck_assert_int_ge(rec.calls, 1);
	ck_assert_int_eq(rec.bad_thread, 0);
	ck_assert_int_eq(rec.went_back, 0);
	ck_assert(rec.last == (double)m * (double)n * (double)k);
	free(a);
	free(b);
}
END_TEST

static Suite *
progress_suite(void)
{
	Suite *s = suite_create("progress");
	TCase *tc = tcase_create("Core");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_gemm_hook, 0, NELEMS(shapes));
	tcase_add_test(tc, test_overflow_hook);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(progress_suite());
}
