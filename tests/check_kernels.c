/*
 * The micro-kernels against a plain loop that follows the contract in
 * kernel.h to the letter, for every kernel set this CPU can run.
 *
 * The comparison is bitwise. A SIMD kernel fuses each multiply-add, so its
 * reference does the same with fma(); the generic kernels never fuse, so
 * theirs rounds the product first (ISO C mode, -std=c11, keeps gcc from
 * contracting it). Integers wrap, so their data spans the whole range.
 * C sits inside a larger buffer with a wider row stride; the bytes around
 * the tile must not change, and a tile that is only overwritten starts as
 * NaN (or garbage) that must not leak into the result.
 *
 * Built with PARDOT_EMULATED_AVX512, as check_kernels_emulated, the suite
 * tests only the AVX-512 kernels compiled against SIMDe, which emulates
 * AVX-512 with AVX2 and FMA: so CPUs without AVX-512 test them too. Kernel
 * selection is select.c's, and left to the plain build.
 */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "core/dtype.h"
#include "core/kernels/kernel.h"

#ifdef PARDOT_EMULATED_AVX512
#define PROG	"check_kernels_emulated"
#define TCASE	"Kernels (AVX-512 emulated by SIMDe)"
extern const struct kernel_set kernels_avx512_emulated;
#else
#define PROG	"check_kernels"
#define TCASE	"Kernels"
#endif

static const struct {
	const struct kernel_set	*ks;
	const struct kernel_set	*cpu;	/* the set whose CPU ks needs */
	const char		*needs;		/* for the SKIP line */
} sets[] = {
#ifdef PARDOT_EMULATED_AVX512
	{ &kernels_avx512_emulated, &kernels_avx2,
	    "AVX2 and FMA, which the emulation uses" },
#else
	{ &kernels_generic, &kernels_generic, "nothing" },
#if defined(__x86_64__)
	{ &kernels_avx2, &kernels_avx2, "AVX2 and FMA" },
	{ &kernels_avx512, &kernels_avx512, "AVX-512 (F, DQ, BW, VL)" },
	{ &kernels_avx512vnni, &kernels_avx512vnni,
	    "AVX-512 (F, DQ, BW, VL) and AVX512-VNNI" },
#endif
#endif
};
#define NSETS	(sizeof(sets) / sizeof(sets[0]))

static const char *const dtype_prefix[KERNEL_DTYPES] = {
	[DTYPE_F64] = "f64", [DTYPE_F32] = "f32",
	[DTYPE_I64] = "i64", [DTYPE_I32] = "i32",
};

static const size_t depths[] = { 0, 1, 2, 3, 7, 16, 67, 257 };
#define NDEPTHS	(sizeof(depths) / sizeof(depths[0]))

/* The tile starts at row TOP, column LEFT of a buffer with ldc = NR + PAD. */
#define TOP	1
#define LEFT	2
#define PAD	5

/*
 * Fills n elements: floats uniform in [-1, 1) with every mantissa bit in
 * use, so that fused and unfused sums differ; integers with random bits.
 */
static void
fill(enum dtype t, void *p, size_t n, uint64_t *state)
{
	for (size_t i = 0; i < n; i++) {
		uint64_t r = rnd(state);

		switch (t) {
		case DTYPE_F64:
			((double *)p)[i] = (double)(r >> 11) * 0x1p-52 - 1.0;
			break;
		case DTYPE_F32:
			((float *)p)[i] = (float)(r >> 40) * 0x1p-23f - 1.0f;
			break;
		case DTYPE_I64:
			((int64_t *)p)[i] = (int64_t)r;
			break;
		case DTYPE_I32:
			((int32_t *)p)[i] = (int32_t)(uint32_t)r;
			break;
		default:	/* no kernels: KERNEL_DTYPES */
			break;
		}
	}
}

/* A tile that is only overwritten starts as something that must not leak. */
static void
poison(enum dtype t, void *p, size_t n, uint64_t *state)
{
	if (t == DTYPE_F64)
		for (size_t i = 0; i < n; i++)
			((double *)p)[i] = NAN;
	else if (t == DTYPE_F32)
		for (size_t i = 0; i < n; i++)
			((float *)p)[i] = NAN;
	else
		fill(t, p, n, state);
}

/*
 * One element of the result, c = sum a * b (+ c), as the contract orders
 * it. Integers add in the unsigned type, where wrap-around is defined.
 */
static void
reference_elem(enum dtype t, const struct ukernel *uk, size_t k,
    const void *a, const void *b, size_t i, size_t j, void *c,
    int accumulate, bool fused)
{
	size_t ia = i, ib = j;

#define DOT(T, ACC, MULADD) do {					\
	const T *a_ = a, *b_ = b;					\
	ACC s = 0;							\
	for (size_t p = 0; p < k; p++, ia += uk->mr, ib += uk->nr)	\
		s = MULADD((ACC)a_[ia], (ACC)b_[ib], s);		\
	if (accumulate)							\
		s += (ACC)*(T *)c;					\
	*(T *)c = (T)s;							\
} while (0)
#define UNFUSED(x, y, s)	((s) + (x) * (y))
	switch (t) {
	case DTYPE_F64:
		if (fused)
			DOT(double, double, fma);
		else
			DOT(double, double, UNFUSED);
		break;
	case DTYPE_F32:
		if (fused)
			DOT(float, float, fmaf);
		else
			DOT(float, float, UNFUSED);
		break;
	case DTYPE_I64:
		DOT(int64_t, uint64_t, UNFUSED);
		break;
	case DTYPE_I32:
		DOT(int32_t, uint32_t, UNFUSED);
		break;
	default:	/* no kernels: KERNEL_DTYPES */
		break;
	}
#undef UNFUSED
#undef DOT
}

/* Fails at the first element that differs, saying where and what. */
static void
compare(enum dtype t, const struct ukernel *uk, size_t k, int accumulate,
    const char *got, const char *want, size_t rows, size_t ldc)
{
	size_t sz = dtype_size(t);

	for (size_t e = 0; e < rows * ldc; e++) {
		size_t i = e / ldc, j = e % ldc;
		bool inside = i >= TOP && i < TOP + uk->mr &&
		    j >= LEFT && j < LEFT + uk->nr;
		uint64_t g = 0, w = 0;

		if (memcmp(got + e * sz, want + e * sz, sz) == 0)
			continue;
		memcpy(&g, got + e * sz, sz);
		memcpy(&w, want + e * sz, sz);
		ck_abort_msg("%s, k=%zu, accumulate=%d: C[%td][%td] (%s the "
		    "tile) is 0x%llx, want 0x%llx", uk->name, k, accumulate,
		    (ptrdiff_t)i - TOP, (ptrdiff_t)j - LEFT,
		    inside ? "inside" : "outside",
		    (unsigned long long)g, (unsigned long long)w);
	}
}

static void *
xalloc(size_t n)
{
	void *p = NULL;

	/* The exact size, so that AddressSanitizer sees any overrun. */
	ck_assert_int_eq(posix_memalign(&p, 64, n > 0 ? n : 1), 0);
	return p;
}

/* One kernel, one depth, one mode, against the reference. */
static void
check_one(const struct kernel_set *ks, enum dtype t, size_t k,
    int accumulate, uint64_t *state)
{
	const struct ukernel *uk = &ks->k[t];
	size_t sz = dtype_size(t), ldc = uk->nr + PAD, rows = uk->mr + 2 * TOP;
	char *a = xalloc(k * uk->mr * sz), *b = xalloc(k * uk->nr * sz);
	char *c = xalloc(rows * ldc * sz), *want = xalloc(rows * ldc * sz);
	char *tile = c + (TOP * ldc + LEFT) * sz;
	bool fused = strcmp(ks->isa, "generic") != 0;

	fill(t, a, k * uk->mr, state);
	fill(t, b, k * uk->nr, state);
	fill(t, c, rows * ldc, state);
	for (size_t i = 0; i < uk->mr && !accumulate; i++)
		poison(t, tile + i * ldc * sz, uk->nr, state);
	memcpy(want, c, rows * ldc * sz);
	for (size_t i = 0; i < uk->mr; i++)
		for (size_t j = 0; j < uk->nr; j++)
			reference_elem(t, uk, k, a, b, i, j,
			    want + ((TOP + i) * ldc + LEFT + j) * sz,
			    accumulate, fused);

	uk->fn(k, a, b, tile, ldc, accumulate);
	compare(t, uk, k, accumulate, c, want, rows, ldc);
	free(a);
	free(b);
	free(c);
	free(want);
}

/* _i runs over (set, dtype) pairs of the sets this CPU supports. */
START_TEST(test_kernel)
{
	const struct kernel_set *ks = sets[_i / KERNEL_DTYPES].ks;
	enum dtype t = (enum dtype)(_i % KERNEL_DTYPES);
	uint64_t state = 0x5eed0000 + (uint64_t)_i;

	for (size_t d = 0; d < NDEPTHS; d++)
		for (int accumulate = 0; accumulate <= 1; accumulate++)
			check_one(ks, t, depths[d], accumulate, &state);
}
END_TEST

/*
 * The pair kernel (kernel.h, i16x2) against its contract: int16 halves of
 * random 32-bit units, with every unit of A's first row and B's first
 * column -32768 in both halves, where a lane's two products make 2^31.
 */
static void
check_pairs_one(const struct ukernel *uk, size_t k, int accumulate,
    uint64_t *state)
{
	size_t ldc = uk->nr + PAD, rows = uk->mr + 2 * TOP;
	uint32_t *a = xalloc(k * uk->mr * 4), *b = xalloc(k * uk->nr * 4);
	int32_t *c = xalloc(rows * ldc * 4), *want = xalloc(rows * ldc * 4);
	int32_t *tile = c + TOP * ldc + LEFT;

	fill(DTYPE_I32, a, k * uk->mr, state);
	fill(DTYPE_I32, b, k * uk->nr, state);
	for (size_t q = 0; q < k; q++) {
		a[q * uk->mr] = 0x80008000u;
		b[q * uk->nr] = 0x80008000u;
	}
	fill(DTYPE_I32, c, rows * ldc, state);
	memcpy(want, c, rows * ldc * 4);
	for (size_t i = 0; i < uk->mr; i++) {
		for (size_t j = 0; j < uk->nr; j++) {
			int32_t *w = want + (TOP + i) * ldc + LEFT + j;
			uint32_t sum = accumulate ? (uint32_t)*w : 0;

			for (size_t q = 0; q < k; q++) {
				uint32_t x = a[q * uk->mr + i], y = b[q * uk->nr + j];

				sum += (uint32_t)((int32_t)(int16_t)x *
				    (int16_t)y) + (uint32_t)((int32_t)(int16_t)
				    (x >> 16) * (int16_t)(y >> 16));
			}
			*w = (int32_t)sum;
		}
	}
	uk->fn(k, a, b, tile, ldc, accumulate);
	compare(DTYPE_I32, uk, k, accumulate, (const char *)c,
	    (const char *)want, rows, ldc);
	free(a);
	free(b);
	free(c);
	free(want);
}

/* _i runs over the sets this CPU supports. */
START_TEST(test_pairs_kernel)
{
	const struct ukernel *uk = &sets[_i].ks->i16x2;
	uint64_t state = 0x9a125000 + (uint64_t)_i;

	ck_assert_ptr_nonnull(uk->fn);
	for (size_t d = 0; d < NDEPTHS; d++)
		for (int accumulate = 0; accumulate <= 1; accumulate++)
			check_pairs_one(uk, depths[d], accumulate, &state);
}
END_TEST

/*
 * The bitwise comparison has teeth only if fusing changes the result: on
 * this data the fused and unfused references must disagree somewhere.
 */
START_TEST(test_reference_tells_fused_apart)
{
	enum dtype t = (enum dtype)_i;
	const struct ukernel *uk = &kernels_generic.k[t];
	size_t k = 257, sz = dtype_size(t);
	char *a = xalloc(k * uk->mr * sz), *b = xalloc(k * uk->nr * sz);
	char *fused = xalloc(sz), *unfused = xalloc(sz);
	int differ = 0;
	uint64_t state = 42;

	fill(t, a, k * uk->mr, &state);
	fill(t, b, k * uk->nr, &state);
	for (size_t i = 0; i < uk->mr; i++) {
		for (size_t j = 0; j < uk->nr; j++) {
			reference_elem(t, uk, k, a, b, i, j, fused, 0, true);
			reference_elem(t, uk, k, a, b, i, j, unfused, 0, false);
			differ += memcmp(fused, unfused, sz) != 0;
		}
	}
	ck_assert_msg(differ > 0, "fused and unfused sums never differ");
	free(a);
	free(b);
	free(fused);
	free(unfused);
}
END_TEST

/*
 * Every entry of every table, runnable here or not, is filled in and named,
 * with cache blocks of its own: multiples of MR, of 8 steps and of NR.
 */
START_TEST(test_tables)
{
	for (size_t s = 0; s < NSETS; s++) {
		/* The four typed kernels, then the pair kernel. */
		for (int t = 0; t <= KERNEL_DTYPES; t++) {
			const struct ukernel *uk = t < KERNEL_DTYPES ?
			    &sets[s].ks->k[t] : &sets[s].ks->i16x2;
			char want[64];

			ck_assert_ptr_nonnull(uk->fn);
			ck_assert_ptr_nonnull(uk->name);
			ck_assert_uint_gt(uk->mr, 0);
			ck_assert_uint_gt(uk->nr, 0);
			/* Blocks are data (gemm.c), whole tiles of the kernel. */
			ck_assert_uint_gt(uk->mc, 0);
			ck_assert_uint_gt(uk->kc, 0);
			ck_assert_uint_gt(uk->nc, 0);
			ck_assert_uint_eq(uk->mc % uk->mr, 0);
			ck_assert_uint_eq(uk->kc % 8, 0);
			ck_assert_uint_eq(uk->nc % uk->nr, 0);
			snprintf(want, sizeof(want), "%s_%s_%ux%u",
			    t < KERNEL_DTYPES ? dtype_prefix[t] : "i16x2",
			    sets[s].ks->isa, uk->mr, uk->nr);
			ck_assert_str_eq(uk->name, want);
		}
	}
}
END_TEST

#ifndef PARDOT_EMULATED_AVX512
START_TEST(test_select_default)
{
	const char *why = NULL;
	const struct kernel_set *ks = kernels_select(NULL, &why);
	const struct kernel_set *best = &kernels_generic;

	/* sets[] is in order of preference, worst first. */
	for (size_t s = 0; s < NSETS; s++)
		if (kernels_supported(sets[s].ks))
			best = sets[s].ks;
	ck_assert_ptr_nonnull(ks);
	ck_assert_ptr_eq(ks, best);
}
END_TEST

START_TEST(test_select_forced)
{
	for (size_t s = 0; s < NSETS; s++) {
		const struct kernel_set *want = sets[s].ks;
		const char *why = NULL;
		const struct kernel_set *ks = kernels_select(want->isa, &why);

		if (kernels_supported(want)) {
			ck_assert_ptr_eq(ks, want);
		} else {
			ck_assert_ptr_null(ks);
			ck_assert_ptr_nonnull(why);
			ck_assert_uint_gt(strlen(why), 0);
		}
	}
	ck_assert(kernels_supported(&kernels_generic));
}
END_TEST

START_TEST(test_select_unknown)
{
	static const char *const bad[] = { "nonsense", "", "AVX2", "avx" };

	for (size_t n = 0; n < sizeof(bad) / sizeof(bad[0]); n++) {
		const char *why = NULL;

		ck_assert_ptr_null(kernels_select(bad[n], &why));
		ck_assert_ptr_nonnull(why);
		ck_assert_uint_gt(strlen(why), 0);
	}
}
END_TEST

static TCase *
select_tcase(void)
{
	TCase *sel = tcase_create("Select");

	tcase_add_test(sel, test_select_default);
	tcase_add_test(sel, test_select_forced);
	tcase_add_test(sel, test_select_unknown);
	return sel;
}
#endif /* !PARDOT_EMULATED_AVX512 */

/* Kernel tests only for the sets this CPU runs; the others are said aloud. */
static Suite *
kernels_suite(void)
{
	Suite *s = suite_create("kernels");
	TCase *tc = tcase_create(TCASE);
	bool all = true;

	for (size_t n = 0; n < NSETS; n++) {
		if (kernels_supported(sets[n].cpu)) {
			tcase_add_loop_test(tc, test_kernel, n * KERNEL_DTYPES,
			    (n + 1) * KERNEL_DTYPES);
			tcase_add_loop_test(tc, test_pairs_kernel, n, n + 1);
			continue;
		}
		all = false;
		fprintf(stderr, PROG ": SKIP %s kernels: CPU lacks %s\n",
		    sets[n].ks->isa, sets[n].needs);
	}
	tcase_add_loop_test(tc, test_reference_tells_fused_apart, DTYPE_F64,
	    DTYPE_F32 + 1);
	tcase_add_test(tc, test_tables);
	suite_add_tcase(s, tc);
#ifdef PARDOT_EMULATED_AVX512
	if (all)
		fprintf(stderr, PROG ": avx512 kernels emulated by SIMDe\n");
#else
	if (all)
		fprintf(stderr, PROG ": SKIP forcing an unsupported "
		    "set: this CPU supports them all\n");
	suite_add_tcase(s, select_tcase());
#endif
	return s;
}

int
main(void)
{
	return run_suite(kernels_suite());
}
