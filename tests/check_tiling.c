/*
 * The out-of-core plan: parts that cover C without gaps and never leave a
 * row or column alone, a resident set within the budget when it says it
 * fits, reads that fall as the budget grows, and the model's figures.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>

#include "testutil.h"
#include "core/tiling.h"

#define NELEMS(a)	(sizeof(a) / sizeof((a)[0]))
#define MiB		(UINT64_C(1) << 20)

static struct tile_problem
square(size_t n, size_t s, uint64_t budget)
{
	struct tile_problem q = { n, n, n, s, s, s, true, true, 256, 4096,
	    budget, 0 };

	return q;
}

START_TEST(test_ranges_cover)
{
	static const size_t n[] = { 2, 3, 7, 67, 257, 4801 };

	for (size_t i = 0; i < NELEMS(n); i++) {
		for (size_t parts = 1; parts <= n[i] / 2; parts +=
		    parts < 100 ? 1 : parts) {
			size_t end = 0;

			for (size_t p = 0; p < parts; p++) {
				size_t lo, hi;

				tile_range(n[i], parts, p, &lo, &hi);
				ck_assert_uint_eq(lo, end);
				ck_assert_uint_ge(hi - lo, 2);
				end = hi;
			}
			ck_assert_uint_eq(end, n[i]);
		}
	}
}
END_TEST

/* Shapes and budgets from roomy to hopeless, for every layout. */
START_TEST(test_plans_valid)
{
	static const size_t dims[][3] = {
		{ 2, 2, 2 }, { 3, 5, 7 }, { 67, 257, 31 }, { 4800, 4800, 4800 },
		{ 8192, 8192, 8192 }, { 100000, 3, 50 }, { 3, 100000, 50 },
	};
	static const uint64_t budgets[] = { 0, 4096, MiB, 48 * MiB,
	    328 * MiB, 1ull << 40 };

	for (size_t d = 0; d < NELEMS(dims); d++) {
		for (size_t b = 0; b < NELEMS(budgets); b++) {
			struct tile_problem q = { dims[d][0], dims[d][1],
			    dims[d][2], 8, 4, 8, _i & 1, (_i >> 1) & 1, 256,
			    4096, budgets[b], 64 };
			struct tile_plan p;

			tile_plan(&p, &q);
			ck_assert_uint_ge(p.nbands, 1);
			ck_assert_uint_ge(p.ntiles, 1);
			ck_assert_uint_le(p.nbands, q.m / 2 ? q.m / 2 : 1);
			ck_assert_uint_le(p.ntiles, q.n / 2 ? q.n / 2 : 1);
			ck_assert_uint_eq(p.resident, tile_resident(&q,
			    p.rows, p.cols));
			ck_assert_uint_eq(p.reads, tile_reads(&q, p.nbands,
			    p.ntiles));
			ck_assert(p.fits == (p.resident <= q.budget));
		}
	}
}
END_TEST

/*
 * More budget never costs more, and between plans of whole rows never
 * reads more; enough of it means one pass.
 */
START_TEST(test_reads_fall)
{
	struct tile_problem roomy = square(8192, 8, 4096 * MiB);
	uint64_t last = UINT64_MAX, last_cost = UINT64_MAX;

	for (uint64_t w = 16 * MiB; w <= 4096 * MiB; w += 16 * MiB) {
		struct tile_problem q = square(8192, 8, w);
		struct tile_plan p;
		uint64_t cost;

		tile_plan(&p, &q);
		cost = tile_cost(&q, p.nbands, p.ntiles);
		ck_assert(p.fits);
		ck_assert_msg(cost <= last_cost, "budget %llu MiB costs more "
		    "than a smaller one", (unsigned long long)(w / MiB));
		if (p.ntiles == 1) {
			ck_assert_msg(p.reads <= last, "budget %llu MiB reads "
			    "more than a smaller one",
			    (unsigned long long)(w / MiB));
			last = p.reads;
		}
		last_cost = cost;
	}
	ck_assert_uint_eq(last, tile_reads(&roomy, 1, 1));
}
END_TEST

/*
 * The figures of tiling.h: n = 8192 float64 under 328 MiB holds, per row
 * of a band, 64 KiB of A and 1.5 times 64 KiB of C, and two slabs of B
 * (32 MiB): bands of 1894 rows at most, so 5 bands of whole rows, A read
 * once and B five times, each slab of B one run, plus a page per run.
 */
START_TEST(test_model_figures)
{
	struct tile_problem q = square(8192, 8, 328 * MiB);
	struct tile_plan p;
	uint64_t mat = 8192ull * 8192 * 8;

	tile_plan(&p, &q);
	ck_assert_uint_eq(p.nbands, 5);
	ck_assert_uint_eq(p.ntiles, 1);
	ck_assert_uint_eq(p.rows, 1639);
	ck_assert_uint_eq(p.reads, mat + 8192ull * 4096 +
	    5 * (mat + 32ull * 4096));
	ck_assert_uint_le(p.resident, q.budget);
	ck_assert_uint_gt(tile_resident(&q, 2048, 8192), q.budget);
}
END_TEST

/* Rows too long for a band of two: columns are split instead. */
START_TEST(test_narrow_tiles)
{
	struct tile_problem q = { 64, 1u << 22, 64, 8, 8, 8, true, true, 64,
	    4096, 8 * MiB, 0 };
	struct tile_plan p;

	tile_plan(&p, &q);
	ck_assert(p.fits);
	ck_assert_uint_gt(p.ntiles, 1);
}
END_TEST

static Suite *
tiling_suite(void)
{
	Suite *s = suite_create("tiling");
	TCase *tc = tcase_create("Core");

	tcase_add_test(tc, test_ranges_cover);
	tcase_add_loop_test(tc, test_plans_valid, 0, 4);
	tcase_add_test(tc, test_reads_fall);
	tcase_add_test(tc, test_model_figures);
	tcase_add_test(tc, test_narrow_tiles);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(tiling_suite());
}
