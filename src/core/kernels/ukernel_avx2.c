/*
 * AVX2 + FMA micro-kernels (Haswell, Zen and later): 16 ymm registers.
 *
 * C is row-major, so a vector runs along a row of the tile, where C and the
 * packed B panel are contiguous, and each element of A is broadcast from
 * memory. A tile of MR rows by NR/lanes vectors stays in registers for the
 * whole k loop, leaving room for the B vectors of one step and a broadcast:
 *
 *	f64_avx2_6x8	12 accumulators + 2 B + 1 A	vfmadd231pd
 *	f32_avx2_6x16	12 accumulators + 2 B + 1 A	vfmadd231ps
 *	i32_avx2_6x16	12 accumulators + 2 B + 1 A	vpmulld, vpaddd
 *	i64_avx2_4x4	 8 accumulators + 2 B + 1 A	vpmuludq, vpmulld
 *
 * Twelve independent FMA chains cover the FMA latency (4 or 5 cycles) on
 * both FMA ports, and the eight loads of a step (two B vectors, six
 * broadcasts) fit the load ports beside its twelve FMAs: on Zen 3 the
 * float kernels run at about 97% of the FMA peak from L1. The B row of one
 * step is one cache line of the aligned panel (half of one for int64); the
 * loads would work unaligned, the alignment only spares split lines. The
 * cache blocks (MC, KC, NC) are in the table at the end.
 *
 * Every kernel adds its products in the order p = 0 .. k-1, each float
 * product with one fused multiply-add, as kernel.h requires.
 */
#include <stdint.h>

#include "core/kernels/kernel.h"

#if defined(__x86_64__)
#include <immintrin.h>

#include "core/kernels/ukernel_frame.h"

/* float64: 6 x 8. */
#define F64_MR	6
#define F64_NR	8

INLINE void
f64_avx2_6x8_step(__m256d ab[F64_MR][2], const double *a, const double *b)
{
	__m256d b0 = _mm256_loadu_pd(b);
	__m256d b1 = _mm256_loadu_pd(b + 4);

#pragma GCC unroll 16
	for (int i = 0; i < F64_MR; i++) {
		__m256d ai = _mm256_broadcast_sd(a + i);

		ab[i][0] = _mm256_fmadd_pd(ai, b0, ab[i][0]);
		ab[i][1] = _mm256_fmadd_pd(ai, b1, ab[i][1]);
	}
}

SIMD_KERNEL(f64_avx2_6x8, double, __m256d, F64_MR, F64_NR,
    f64_avx2_6x8_step, _mm256_setzero_pd, _mm256_loadu_pd, _mm256_storeu_pd,
    _mm256_add_pd)

/* float32: 6 x 16. */
#define F32_MR	6
#define F32_NR	16

INLINE void
f32_avx2_6x16_step(__m256 ab[F32_MR][2], const float *a, const float *b)
{
	__m256 b0 = _mm256_loadu_ps(b);
	__m256 b1 = _mm256_loadu_ps(b + 8);

#pragma GCC unroll 16
	for (int i = 0; i < F32_MR; i++) {
		__m256 ai = _mm256_broadcast_ss(a + i);

		ab[i][0] = _mm256_fmadd_ps(ai, b0, ab[i][0]);
		ab[i][1] = _mm256_fmadd_ps(ai, b1, ab[i][1]);
	}
}

SIMD_KERNEL(f32_avx2_6x16, float, __m256, F32_MR, F32_NR,
    f32_avx2_6x16_step, _mm256_setzero_ps, _mm256_loadu_ps, _mm256_storeu_ps,
    _mm256_add_ps)

/* Integer vectors in memory, whatever the element type. */
#define LOADU_SI(p)	_mm256_loadu_si256((const __m256i *)(const void *)(p))
#define STOREU_SI(p, v)	_mm256_storeu_si256((__m256i *)(void *)(p), (v))

/*
 * Integer addition is associative, so gcc may regroup the adds into an
 * accumulator and, short of registers, keep a copy of one on the stack. An
 * empty asm that claims to change each accumulator after its add pins it to
 * a register of its own and keeps the adds in order.
 */
#define KEEP_IN_REGISTER(v)	__asm__("" : "+x"(v))

/*
 * int32: 6 x 16. vpmulld keeps the low 32 bits: the wrapped product.
 *
 * The pair kernel, int16 pairs into int32 (kernel.h), has the same plan
 * with vpmaddwd, two products a lane for each multiply. A lane's pair of
 * products of -32768 by -32768 is 2^31, which vpmaddwd gives as -2^31: the
 * same bits, and only the bits of a wrapped sum are kept. The two steps
 * differ in MULADD(acc, a, b) alone.
 */
#define I32_MR	6
#define I32_NR	16

#define MULADD_I32(acc, a, b)	_mm256_add_epi32(acc, _mm256_mullo_epi32(a, b))
#define MULADD_I16X2(acc, a, b)	_mm256_add_epi32(acc, _mm256_madd_epi16(a, b))

#define I32_STEP(name, MULADD)						\
INLINE void								\
name(__m256i ab[I32_MR][2], const int32_t *a, const int32_t *b)		\
{									\
	__m256i b0 = LOADU_SI(b);					\
	__m256i b1 = LOADU_SI(b + 8);					\
									\
	_Pragma("GCC unroll 16")					\
	for (int i = 0; i < I32_MR; i++) {				\
		__m256i ai = _mm256_set1_epi32(a[i]);			\
									\
		ab[i][0] = MULADD(ab[i][0], ai, b0);			\
		ab[i][1] = MULADD(ab[i][1], ai, b1);			\
		KEEP_IN_REGISTER(ab[i][0]);				\
		KEEP_IN_REGISTER(ab[i][1]);				\
	}								\
}

I32_STEP(i32_avx2_6x16_step, MULADD_I32)
I32_STEP(i16x2_avx2_6x16_step, MULADD_I16X2)

SIMD_KERNEL(i32_avx2_6x16, int32_t, __m256i, I32_MR, I32_NR,
    i32_avx2_6x16_step, _mm256_setzero_si256, LOADU_SI, STOREU_SI,
    _mm256_add_epi32)
SIMD_KERNEL(i16x2_avx2_6x16, int32_t, __m256i, I32_MR, I32_NR,
    i16x2_avx2_6x16_step, _mm256_setzero_si256, LOADU_SI, STOREU_SI,
    _mm256_add_epi32)

/*
 * int64: 4 x 4. AVX2 has no 64-bit multiply. Modulo 2^64, with
 * a = ah * 2^32 + al and b likewise,
 *
 *	a * b = al * bl + ((al * bh + ah * bl) mod 2^32) * 2^32
 *
 * since ah * bh * 2^64 vanishes. vpmuludq gives al * bl whole; vpmulld of a
 * with b's halves swapped gives al * bh and ah * bl mod 2^32, side by side
 * in the two halves of a lane. Summing those halves with 32-bit adds keeps
 * them apart, so each vector of C has two accumulators, merged once at the
 * end: two multiplies and two adds per vector and step, 1.7 times as fast
 * on Zen 3 as three vpmuludq with their shifts and adds. Two accumulators
 * per vector are why the tile is only 4 x 4, and why this kernel has its
 * own driver.
 */
#define I64_MR	4
#define I64_NR	4

INLINE void
i64_avx2_4x4_step(__m256i lo[I64_MR], __m256i cross[I64_MR],
    const int64_t *a, const int64_t *b)
{
	__m256i b0 = LOADU_SI(b);
	__m256i b0swap = _mm256_shuffle_epi32(b0, _MM_SHUFFLE(2, 3, 0, 1));

#pragma GCC unroll 16
	for (int i = 0; i < I64_MR; i++) {
		__m256i ai = _mm256_set1_epi64x(a[i]);

		lo[i] = _mm256_add_epi64(lo[i], _mm256_mul_epu32(ai, b0));
		cross[i] = _mm256_add_epi32(cross[i],
		    _mm256_mullo_epi32(ai, b0swap));
		KEEP_IN_REGISTER(lo[i]);
		KEEP_IN_REGISTER(cross[i]);
	}
}

/* lo + (sum of the two 32-bit halves of cross) * 2^32, lane by lane. */
INLINE __m256i
i64_avx2_merge(__m256i lo, __m256i cross)
{
	__m256i high = _mm256_set1_epi64x((long long)0xffffffff00000000ULL);

	return _mm256_add_epi64(lo, _mm256_add_epi64(
	    _mm256_slli_epi64(cross, 32), _mm256_and_si256(cross, high)));
}

static void
i64_avx2_4x4(size_t k, const void *restrict a_, const void *restrict b_,
    void *restrict c_, size_t ldc, int accumulate)
{
	const int64_t *a = a_;
	const int64_t *b = b_;
	int64_t *c = c_;
	__m256i lo[I64_MR], cross[I64_MR];

	prefetch_tile(c, ldc * sizeof(*c), I64_MR, I64_NR * sizeof(*c));
#pragma GCC unroll 16
	for (int i = 0; i < I64_MR; i++)
		lo[i] = cross[i] = _mm256_setzero_si256();
	for (size_t p = 0; p < k; p++, a += I64_MR, b += I64_NR)
		i64_avx2_4x4_step(lo, cross, a, b);
#pragma GCC unroll 16
	for (int i = 0; i < I64_MR; i++) {
		__m256i v = i64_avx2_merge(lo[i], cross[i]);

		if (accumulate)
			v = _mm256_add_epi64(v, LOADU_SI(c + i * ldc));
		STOREU_SI(c + i * ldc, v);
	}
}

/*
 * The cache blocks (MC, KC, NC) are those the cache sizes gave on a 48 KiB
 * L1, 1 MiB L2 machine before they became data: a kc x NR sliver of B in
 * half of L1, an mc x kc block of A in half of L2, a kc x nc panel of B in
 * 8 MiB of L3.
 */
const struct kernel_set kernels_avx2 = {
	.isa = "avx2",
	.k = {
		[DTYPE_F64] = { "f64_avx2_6x8", F64_MR, F64_NR,
		    168, 384, 2728, f64_avx2_6x8 },
		[DTYPE_F32] = { "f32_avx2_6x16", F32_MR, F32_NR,
		    336, 384, 5456, f32_avx2_6x16 },
		[DTYPE_I64] = { "i64_avx2_4x4", I64_MR, I64_NR,
		    84, 768, 1364, i64_avx2_4x4 },
		[DTYPE_I32] = { "i32_avx2_6x16", I32_MR, I32_NR,
		    336, 384, 5456, i32_avx2_6x16 },
	},
	/* kc in pairs: the int32 kernel's sliver of B, twice the k. */
	.i16x2 = { "i16x2_avx2_6x16", I32_MR, I32_NR, 336, 384, 5456,
	    i16x2_avx2_6x16 },
};

#endif /* __x86_64__ */
