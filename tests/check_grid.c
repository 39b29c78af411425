/*
 * The plans of an MPI multiply: tiles that cover C once, never of one row
 * or column; panels that cover k in order in whole kc slabs; traffic that
 * adds up to what the run moves; and the choice between plans.
 */
#include <check.h>
#include <stdint.h>

#include "core/grid.h"
#include "testutil.h"

static struct grid_problem
problem(size_t m, size_t k, size_t n, size_t kc)
{
	return (struct grid_problem){ m, k, n, 8, 4, 8, kc };
}

START_TEST(test_tiles)
{
	static const int grids[][2] = { { 1, 1 }, { 1, 4 }, { 4, 1 },
	    { 2, 2 }, { 2, 3 }, { 3, 2 }, { 3, 3 } };

	for (size_t m = 2; m <= 13; m++)
		for (size_t n = 2; n <= 13; n++)
			for (size_t g = 0; g < sizeof(grids) / sizeof(grids[0]);
			    g++) {
				int pr = grids[g][0], pc = grids[g][1];
				struct grid_problem q = problem(m, 5, n, 2);
				struct grid_plan plan;
				size_t cells = 0;

				ck_assert(grid_make(&q, pr * pc, pr, pc, &plan));
				for (int r = 0; r < pr * pc; r++) {
					struct grid_tile t = grid_tile(&q, &plan, r);

					ck_assert_int_eq(t.row * pc + t.col, r);
					ck_assert(t.rows.count != 1);
					ck_assert(t.cols.count != 1);
					ck_assert_uint_le(t.rows.first +
					    t.rows.count, m);
					cells += t.rows.count * t.cols.count;
				}
				ck_assert_uint_eq(cells, m * n);
			}
}
END_TEST

START_TEST(test_refused)
{
	struct grid_problem q = problem(1, 5, 9, 2);
	struct grid_plan plan;

	ck_assert(!grid_make(&q, 2, 1, 2, &plan));	/* one row */
	q = problem(9, 5, 1, 2);
	ck_assert(!grid_make(&q, 2, 2, 1, &plan));	/* one column */
	q = problem(9, 5, 9, 2);
	ck_assert(!grid_make(&q, 4, 2, 3, &plan));	/* 6 is not 4 */
	ck_assert(grid_make(&q, 4, 0, 0, &plan));	/* rows always */
	ck_assert_int_eq(plan.pr, 0);
}
END_TEST

START_TEST(test_panels)
{
	for (size_t k = 0; k <= 40; k++)
		for (size_t kc = 1; kc <= 7; kc++) {
			struct grid_problem q = problem(6, k, 6, kc);
			struct grid_plan plan;
			size_t next = 0;

			ck_assert(grid_make(&q, 4, 2, 2, &plan));
			ck_assert_uint_eq(plan.width % kc, 0);
			ck_assert_uint_ge(plan.panels, 1);
			for (size_t s = 0; s < plan.panels; s++) {
				struct row_range p = grid_panel(&q, &plan, s);

				ck_assert_uint_eq(p.first, next);
				ck_assert(p.count == plan.width ||
				    s == plan.panels - 1);
				ck_assert(k == 0 || p.count > 0);
				next += p.count;
				ck_assert_int_lt(grid_a_owner(&plan, s), 2);
				ck_assert_int_lt(grid_b_owner(&plan, s), 2);
				if (s > 0)
					ck_assert_int_ge(grid_a_owner(&plan, s),
					    grid_a_owner(&plan, s - 1));
			}
			ck_assert_uint_eq(next, k);
		}
}
END_TEST

/* Every block of op(A) and op(B) is read once and reaches the others. */
START_TEST(test_traffic)
{
	static const int grids[][2] = { { 1, 6 }, { 6, 1 }, { 2, 3 },
	    { 3, 2 } };

	for (size_t g = 0; g < 4; g++) {
		int pr = grids[g][0], pc = grids[g][1];
		/* A kc of 1 and a k of 3000: the panels hold several slabs. */
		struct grid_problem q = problem(37, 3000, 29, 1);
		struct grid_plan plan;
		uint64_t read = 0, received = 0, sent = 0, a = 37 * 3000 * 8,
		    b = 3000 * 29 * 4;

		ck_assert(grid_make(&q, 6, pr, pc, &plan));
		for (int r = 0; r < 6; r++) {
			struct grid_traffic t;

			grid_traffic(&q, &plan, r, &t);
			read += t.read;
			received += t.received;
			sent += t.sent;
		}
		ck_assert_uint_eq(read, a + b);
		ck_assert_uint_eq(received, (uint64_t)(pc - 1) * a +
		    (uint64_t)(pr - 1) * b);
		ck_assert_uint_eq(sent, (pc > 1 ? a : 0) + (pr > 1 ? b : 0));
	}
}
END_TEST

START_TEST(test_choice)
{
	struct grid_problem q = problem(1000, 1000, 1000, 256);
	struct grid_plan plan;
	struct grid_traffic t;

	/* Two ranks: every plan moves 1.5 |A|, a tie the row plan wins. */
	q.b_size = 8;
	ck_assert(grid_choose(&q, 2, UINT64_MAX, &plan));
	ck_assert_int_eq(plan.pr, 0);
	ck_assert(grid_choose(&q, 4, UINT64_MAX, &plan));
	ck_assert_int_eq(plan.pr, 2);
	ck_assert_int_eq(plan.pc, 2);
	ck_assert(grid_choose(&q, 16, UINT64_MAX, &plan));
	ck_assert_int_eq(plan.pr, 4);
	/* A small B: the row plan moves less. */
	q = problem(100000, 64, 64, 256);
	ck_assert(grid_choose(&q, 4, UINT64_MAX, &plan));
	ck_assert_int_eq(plan.pr, 0);
	/* Within a budget the row plan's all of B does not fit in. */
	q = problem(64, 4096, 8192, 256);
	q.b_size = 8;
	ck_assert(grid_choose(&q, 4, 100 << 20, &plan));
	ck_assert_int_gt(plan.pr, 0);
	grid_worst(&q, &plan, &t);
	ck_assert_uint_le(t.held, 100 << 20);
	/* Too little for four, enough for more. */
	ck_assert(!grid_choose(&q, 4, 600 << 10, &plan));
	ck_assert_int_gt(grid_ranks_needed(&q, 4, 4096, 600 << 10), 4);
	ck_assert_int_eq(grid_ranks_needed(&q, 4, 4096, 1000), 0);
}
END_TEST

static Suite *
grid_suite(void)
{
	Suite *s = suite_create("grid");
	TCase *tc = tcase_create("Core");

	tcase_add_test(tc, test_tiles);
	tcase_add_test(tc, test_refused);
	tcase_add_test(tc, test_panels);
	tcase_add_test(tc, test_traffic);
	tcase_add_test(tc, test_choice);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(grid_suite());
}
