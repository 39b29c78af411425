/*
 * The overflow module: the bound, and the exact search at the edges of
 * int32 and int64, in 128 bits and beyond, for any thread count.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/overflow.h"
#include "testutil.h"

#define NELEMS(a)	(sizeof(a) / sizeof((a)[0]))

static const int threads[] = { 1, 2, 3, 7 };

/* A row-major view of n int64s or int32s. */
static struct matrix
view(const void *data, enum dtype t, size_t rows, size_t cols)
{
	struct matrix m = { data, rows, cols, (ptrdiff_t)cols, 1, t, false };

	return m;
}

START_TEST(test_limits)
{
	ck_assert_uint_eq(overflow_limit(DTYPE_I32), INT32_MAX);
	ck_assert_uint_eq(overflow_limit(DTYPE_I64), INT64_MAX);
}
END_TEST

START_TEST(test_bound)
{
	/* Row sums of |A|: 6 and 7; largest |B|: 5. */
	static const int64_t a[] = { 1, -2, 3, -7, 0, 0 };
	static const int32_t b[] = { 2, -5, 1, 0, 4, 3 };
	static const int64_t big[] = { INT64_MIN, INT64_MIN };
	static const double f[] = { 1, 2 };
	struct matrix va = view(a, DTYPE_I64, 2, 3);
	struct matrix vb = view(b, DTYPE_I32, 3, 2);

	for (size_t t = 0; t < NELEMS(threads); t++)
		ck_assert_uint_eq(overflow_bound(&va, &vb, threads[t]), 35);
	/* 2^64 saturates. */
	va = view(big, DTYPE_I64, 1, 2);
	vb = view(big, DTYPE_I64, 2, 1);
	ck_assert_uint_eq(overflow_bound(&va, &vb, 2), UINT64_MAX);
	va = view(f, DTYPE_F64, 1, 2);
	ck_assert_uint_eq(overflow_bound(&va, &vb, 1), UINT64_MAX);
}
END_TEST

/* One 1 x k by k x 1 product and what the search must say of it. */
static const struct edge {
	const char	*what;
	enum dtype	 t;
	size_t		 k;
	int64_t		 a[4], b[4];
	int		 found;
	bool		 beyond;
	__int128	 value;
} edges[] = {
	{ "INT64_MAX exactly", DTYPE_I64, 2, { INT64_MAX - 1, 1 }, { 1, 1 },
	    0, false, 0 },
	{ "INT64_MAX + 1", DTYPE_I64, 2, { INT64_MAX, 1 }, { 1, 1 }, 1,
	    false, (__int128)INT64_MAX + 1 },
	{ "INT64_MIN exactly", DTYPE_I64, 2, { INT64_MIN + 1, -1 }, { 1, 1 },
	    0, false, 0 },
	{ "INT64_MIN - 1", DTYPE_I64, 2, { INT64_MIN, -1 }, { 1, 1 }, 1,
	    false, (__int128)INT64_MIN - 1 },
	{ "back in range after a partial sum past it", DTYPE_I64, 2,
	    { INT64_MAX, INT64_MAX }, { 1, -1 }, 0, false, 0 },
	{ "a product of 2^126 alone", DTYPE_I64, 1, { INT64_MIN },
	    { INT64_MIN }, 1, false, (__int128)1 << 126 },
	{ "128 bits wrapped and back: 2^64", DTYPE_I64, 4,
	    { INT64_MIN, INT64_MIN, INT64_MIN, INT64_MIN },
	    { INT64_MIN, INT64_MIN, INT64_MAX, INT64_MAX }, 1, false,
	    (__int128)1 << 64 },
	{ "beyond 2^127", DTYPE_I64, 3, { INT64_MIN, INT64_MIN, INT64_MIN },
	    { INT64_MIN, INT64_MIN, INT64_MIN }, 1, true, 1 },
	{ "beyond -2^127", DTYPE_I64, 3, { INT64_MIN, INT64_MIN, INT64_MIN },
	    { INT64_MAX, INT64_MAX, INT64_MAX }, 1, true, -1 },
	{ "INT32_MAX exactly", DTYPE_I32, 2, { INT32_MAX - 1, 1 }, { 1, 1 },
	    0, false, 0 },
	{ "INT32_MAX + 1", DTYPE_I32, 2, { INT32_MAX, 1 }, { 1, 1 }, 1,
	    false, (__int128)INT32_MAX + 1 },
	{ "INT32_MIN exactly", DTYPE_I32, 2, { INT32_MIN + 1, -1 }, { 1, 1 },
	    0, false, 0 },
	{ "INT32_MIN - 1", DTYPE_I32, 2, { INT32_MIN, -1 }, { 1, 1 }, 1,
	    false, (__int128)INT32_MIN - 1 },
};

START_TEST(test_edges)
{
	const struct edge *e = &edges[_i];
	int32_t a4[4], b4[4];
	struct matrix va, vb;

	for (size_t p = 0; p < e->k; p++) {
		a4[p] = (int32_t)e->a[p];
		b4[p] = (int32_t)e->b[p];
	}
	va = e->t == DTYPE_I32 ? view(a4, DTYPE_I32, 1, e->k) :
	    view(e->a, DTYPE_I64, 1, e->k);
	vb = e->t == DTYPE_I32 ? view(b4, DTYPE_I32, e->k, 1) :
	    view(e->b, DTYPE_I64, e->k, 1);
	for (size_t t = 0; t < NELEMS(threads); t++) {
		struct overflow_at at;
		int r = overflow_find(&va, &vb, e->t, threads[t], NULL, &at);

		ck_assert_msg(r == e->found, "%s: found %d", e->what, r);
		if (r != 1)
			continue;
		ck_assert_msg(at.row == 0 && at.col == 0, "%s", e->what);
		ck_assert_msg(at.beyond == e->beyond, "%s: beyond", e->what);
		ck_assert_msg(at.value == e->value, "%s: value", e->what);
	}
}
END_TEST

/*
 * The first element in row-major order, whatever the thread count, when
 * B is wide enough in K to be searched a few columns at a time: K is
 * 300000, so a panel holds three columns, and the overflow in an earlier
 * panel but a later row must lose to the one in the earlier row.
 */
START_TEST(test_first_element)
{
	size_t m = 5, k = 300000, n = 8;
	int64_t *a = calloc(m * k, 8), *b = calloc(k * n, 8);
	struct matrix va = view(a, DTYPE_I64, m, k), vb = view(b, DTYPE_I64,
	    k, n);

	ck_assert(a != NULL && b != NULL);
	for (size_t i = 0; i < m; i++)
		a[i * k + k - 1] = 1;		/* row i . column j: B[k-1, j] */
	a[3 * k] = INT64_MAX;			/* row 3 . column j: + B[0, j] */
	for (size_t j = 0; j < n; j++)
		b[(k - 1) * n + j] = 1;
	b[1] = 1;				/* C[3, 1] = INT64_MAX + 1 */
	a[2 * k + 5] = INT64_MAX;
	b[5 * n + 7] = 1;			/* C[2, 7] = INT64_MAX + 1 */
	for (size_t t = 0; t < NELEMS(threads); t++) {
		struct overflow_at at;

		ck_assert_int_eq(overflow_find(&va, &vb, DTYPE_I64, threads[t],
		    NULL, &at), 1);
		ck_assert_uint_eq(at.row, 2);
		ck_assert_uint_eq(at.col, 7);
	}
	/* Without the one in row 2, row 3's comes first. */
	b[5 * n + 7] = 0;
	for (size_t t = 0; t < NELEMS(threads); t++) {
		struct overflow_at at;

		ck_assert_int_eq(overflow_find(&va, &vb, DTYPE_I64, threads[t],
		    NULL, &at), 1);
		ck_assert_uint_eq(at.row, 3);
		ck_assert_uint_eq(at.col, 1);
	}
	free(a);
	free(b);
}
END_TEST

/* Empty products cannot overflow. */
START_TEST(test_empty)
{
	static const int64_t x[] = { INT64_MAX };
	struct matrix va = view(x, DTYPE_I64, 1, 0), vb = view(x, DTYPE_I64,
	    0, 1);
	struct overflow_at at;

	ck_assert_int_eq(overflow_find(&va, &vb, DTYPE_I64, 2, NULL, &at), 0);
}
END_TEST

static Suite *
overflow_suite(void)
{
	Suite *s = suite_create("overflow");
	TCase *tc = tcase_create("Core");

	tcase_add_test(tc, test_limits);
	tcase_add_test(tc, test_bound);
	tcase_add_test(tc, test_empty);
	suite_add_tcase(s, tc);
	tc = tcase_create("Limits");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_edges, 0, NELEMS(edges));
	tcase_add_test(tc, test_first_element);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(overflow_suite());
}
