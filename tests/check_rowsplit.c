/*
 * The row split of an MPI run: shares that tile C in rank order, balanced,
 * never of one row; chunks that tile a share, never of one row; and row
 * blocks of views in every layout.
 */
#include <check.h>
#include <stdint.h>

#include "core/rowsplit.h"
#include "testutil.h"

#define MAX_M	200
#define MAX_P	9

START_TEST(test_shares)
{
	for (size_t m = 0; m <= MAX_M; m++) {
		for (int p = 1; p <= MAX_P; p++) {
			struct row_range s0 = rowsplit_share(m, p, 0);
			size_t next = 0, lo = SIZE_MAX;

			for (int r = 0; r < p; r++) {
				struct row_range s = rowsplit_share(m, p, r);

				if (s.count == 0)
					continue;
				ck_assert_uint_eq(s.first, next);
				ck_assert(s.count >= 2 || m == 1);
				ck_assert_uint_le(s.count, s0.count);
				if (s.count < lo)
					lo = s.count;
				next += s.count;
			}
			ck_assert_uint_eq(next, m);
			ck_assert(m == 0 || s0.count - lo <= 1);
			/* As many ranks work as the rule allows. */
			ck_assert(m < 2 * (size_t)p || lo == m / p);
		}
	}
}
END_TEST

START_TEST(test_examples)
{
	/* M = P + 1 = 4 on three ranks: two ranks of two rows. */
	struct row_range s = rowsplit_share(4, 3, 1);

	ck_assert_uint_eq(s.first, 2);
	ck_assert_uint_eq(s.count, 2);
	ck_assert_uint_eq(rowsplit_share(4, 3, 2).count, 0);
	/* M = 7 on two ranks: 4 and 3. */
	ck_assert_uint_eq(rowsplit_share(7, 2, 0).count, 4);
	ck_assert_uint_eq(rowsplit_share(7, 2, 1).first, 4);
	/* One row: rank 0's. */
	ck_assert_uint_eq(rowsplit_share(1, 5, 0).count, 1);
	ck_assert_uint_eq(rowsplit_share(1, 5, 1).count, 0);
	/* At least three rows a chunk, else what fits. */
	ck_assert_uint_eq(rowsplit_chunk_rows(1000, 64), 3);
	ck_assert_uint_eq(rowsplit_chunk_rows(8, 64), 8);
	ck_assert_uint_eq(rowsplit_chunk_rows(0, 64), 64);
}
END_TEST

START_TEST(test_chunks)
{
	for (size_t n = 0; n <= 60; n++) {
		for (size_t per = 3; per <= 8; per++) {
			struct row_range share = { 17, n }, c;
			size_t next = share.first, i = 0;
			size_t chunks = n == 0 ? 0 : (n - 1) / per + 1;

			for (; (c = rowsplit_chunk(share, per, i)).count > 0;
			    i++) {
				ck_assert_uint_eq(c.first, next);
				ck_assert(c.count >= 2 || n == 1);
				ck_assert_uint_le(c.count, per);
				next += c.count;
			}
			ck_assert_uint_eq(i, chunks);
			ck_assert_uint_eq(next, share.first + n);
			c = rowsplit_chunk(share, per, i + 5);
			ck_assert_uint_eq(c.first, share.first + n);
		}
	}
	ck_assert_uint_eq(rowsplit_chunks(100, 3, 10), 4);	/* 34 rows */
	ck_assert_uint_eq(rowsplit_chunks(0, 3, 10), 0);
	ck_assert_uint_eq(rowsplit_chunks(1, 3, 10), 1);
}
END_TEST

START_TEST(test_views)
{
	static const int32_t x[12] = { 0 };
	/* 3 x 4 row-major, its transpose, and a Fortran-order 3 x 4. */
	struct matrix c = { x, 3, 4, 4, 1, DTYPE_I32, false };
	struct matrix t = matrix_transposed(c);
	struct matrix f = { x, 3, 4, 1, 3, DTYPE_I32, false };
	struct row_range rows = { 1, 2 }, none = { 3, 0 };
	struct matrix v;

	v = rowsplit_view(&c, rows);
	ck_assert_ptr_eq(v.data, x + 4);
	ck_assert_uint_eq(v.rows, 2);
	ck_assert_uint_eq(v.cols, 4);
	v = rowsplit_view(&t, rows);
	ck_assert_ptr_eq(v.data, x + 1);
	ck_assert_int_eq(v.rs, 1);
	ck_assert_int_eq(v.cs, 4);
	v = rowsplit_view(&f, rows);
	ck_assert_ptr_eq(v.data, x + 1);
	v = rowsplit_view(&c, none);
	ck_assert_uint_eq(v.rows, 0);
}
END_TEST

static Suite *
rowsplit_suite(void)
{
	Suite *s = suite_create("rowsplit");
	TCase *tc = tcase_create("Core");

	tcase_add_test(tc, test_shares);
	tcase_add_test(tc, test_examples);
	tcase_add_test(tc, test_chunks);
	tcase_add_test(tc, test_views);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(rowsplit_suite());
}
