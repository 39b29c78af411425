/*
 * AVX-512 micro-kernels (F, DQ, BW, VL: Skylake-SP and later, Zen 4 and
 * later): 32 zmm registers. The plan of ukernel_avx2.c, with vectors twice
 * as wide: a vector runs along a row of the tile, each element of A is
 * broadcast. int64 has a multiply of its own here (vpmullq).
 *
 *	f64_avx512_8x24		24 accumulators + 3 B + 1 A	vfmadd231pd
 *	f32_avx512_8x48		24 accumulators + 3 B + 1 A	vfmadd231ps
 *	i32_avx512_12x32	24 accumulators + 2 B + 1 A	vpmulld, vpaddd
 *	i64_avx512_12x16	24 accumulators + 2 B + 1 A	vpmullq, vpaddq
 *
 * Twenty-four independent chains cover the FMA latency on two 512-bit FMA
 * ports with room to spare. The float tiles are 8 rows of three vectors:
 * a step is 3 loads of B and 8 broadcasts for 24 FMAs, one line of the A
 * panel and three of B, where 12 rows of two vectors need 14 loads and 1.5
 * lines of A, the panel that streams from L2. From L1 both shapes run at
 * the FMA peak (Zen 5); the difference is the traffic around them. The
 * integer kernels are bound by their multiply, one vector a cycle on Zen 5
 * (half the FMA rate), so their shape matters less and stays.
 *
 * The loads would work unaligned; the 64-byte alignment of the panels only
 * spares split lines. The cache blocks (MC, KC, NC) are in the table at the
 * end.
 *
 * Every kernel adds its products in the order p = 0 .. k-1, each float
 * product with one fused multiply-add, as kernel.h requires.
 */
#include <stdint.h>

/*
 * Built with PARDOT_SIMDE, only for tests/check_kernels.c, the same kernels
 * run on CPUs without AVX-512: SIMDe emulates the intrinsics, and the set
 * gets a name of its own so that it links beside the real one.
 */
#if defined(PARDOT_SIMDE)
#define kernels_avx512	kernels_avx512_emulated
#define ISA		"avx512"
#elif defined(PARDOT_VNNI)
#define kernels_avx512	kernels_avx512vnni	/* ukernel_avx512vnni.c */
#define ISA		"avx512vnni"
#else
#define ISA		"avx512"
#endif

#include "core/kernels/kernel.h"

#if defined(__x86_64__)
#ifdef PARDOT_SIMDE
#define SIMDE_ENABLE_NATIVE_ALIASES
#include <simde/x86/avx512.h>
#else
#include <immintrin.h>
#endif

#include "core/kernels/ukernel_frame.h"

/*
 * float64: 8 x 24. Three B vectors a step and one broadcast of A for every
 * three FMAs: 11 loads to 24 FMAs, against 14 for a 12 x 16 tile.
 */
#define F64_MR	8
#define F64_NR	24

INLINE void
f64_avx512_8x24_step(__m512d ab[F64_MR][3], const double *a,
    const double *b)
{
	__m512d b0 = _mm512_loadu_pd(b);
	__m512d b1 = _mm512_loadu_pd(b + 8);
	__m512d b2 = _mm512_loadu_pd(b + 16);

#pragma GCC unroll 32
	for (int i = 0; i < F64_MR; i++) {
		__m512d ai = _mm512_set1_pd(a[i]);

		ab[i][0] = _mm512_fmadd_pd(ai, b0, ab[i][0]);
		ab[i][1] = _mm512_fmadd_pd(ai, b1, ab[i][1]);
		ab[i][2] = _mm512_fmadd_pd(ai, b2, ab[i][2]);
	}
}

SIMD_KERNEL(f64_avx512_8x24, double, __m512d, F64_MR, F64_NR,
    f64_avx512_8x24_step, _mm512_setzero_pd, _mm512_loadu_pd,
    _mm512_storeu_pd, _mm512_add_pd)

/* float32: 8 x 48, the same plan. */
#define F32_MR	8
#define F32_NR	48

INLINE void
f32_avx512_8x48_step(__m512 ab[F32_MR][3], const float *a, const float *b)
{
	__m512 b0 = _mm512_loadu_ps(b);
	__m512 b1 = _mm512_loadu_ps(b + 16);
	__m512 b2 = _mm512_loadu_ps(b + 32);

#pragma GCC unroll 32
	for (int i = 0; i < F32_MR; i++) {
		__m512 ai = _mm512_set1_ps(a[i]);

		ab[i][0] = _mm512_fmadd_ps(ai, b0, ab[i][0]);
		ab[i][1] = _mm512_fmadd_ps(ai, b1, ab[i][1]);
		ab[i][2] = _mm512_fmadd_ps(ai, b2, ab[i][2]);
	}
}

SIMD_KERNEL(f32_avx512_8x48, float, __m512, F32_MR, F32_NR,
    f32_avx512_8x48_step, _mm512_setzero_ps, _mm512_loadu_ps,
    _mm512_storeu_ps, _mm512_add_ps)

/*
 * Integer addition is associative, so gcc may regroup the adds into an
 * accumulator and, short of registers, keep a copy of one on the stack. An
 * empty asm that claims to change each accumulator after its add pins it to
 * a register of its own ("v": any of the 32) and keeps the adds in order.
 */
#ifdef PARDOT_SIMDE
/* An emulated vector fills two registers: no hint to give, none needed. */
#define KEEP_IN_REGISTER(v)	((void)0)
#else
#define KEEP_IN_REGISTER(v)	__asm__("" : "+v"(v))
#endif

/*
 * int32: 12 x 32. vpmulld keeps the low 32 bits: the wrapped product.
 *
 * The pair kernel, int16 pairs into int32 (kernel.h), has the same plan
 * with vpmaddwd, two products a lane for each multiply; -32768 * -32768
 * twice gives -2^31 for 2^31, the same bits of a wrapped sum. On Zen 5
 * vpmaddwd issues twice a cycle, vpmulld once: four times the products a
 * cycle. Built as the avx512vnni set, vpdpwssd does the multiply and the
 * add in one instruction (without saturation: the same wrapped bits). The
 * steps differ in MULADD(acc, a, b) alone.
 */
#define I32_MR	12
#define I32_NR	32

/* SIMDe's alias of _mm512_madd_epi16 takes the masked form's arguments. */
#ifdef PARDOT_SIMDE
#define MADD_EPI16	simde_mm512_madd_epi16
#else
#define MADD_EPI16	_mm512_madd_epi16
#endif

#define MULADD_I32(acc, a, b)	_mm512_add_epi32(acc, _mm512_mullo_epi32(a, b))
#ifdef PARDOT_VNNI
#define MULADD_I16X2(acc, a, b)	_mm512_dpwssd_epi32(acc, a, b)
#else
#define MULADD_I16X2(acc, a, b)	_mm512_add_epi32(acc, MADD_EPI16(a, b))
#endif

#define I32_STEP(name, MULADD)						\
INLINE void								\
name(__m512i ab[I32_MR][2], const int32_t *a, const int32_t *b)		\
{									\
	__m512i b0 = _mm512_loadu_si512(b);				\
	__m512i b1 = _mm512_loadu_si512(b + 16);			\
									\
	_Pragma("GCC unroll 32")					\
	for (int i = 0; i < I32_MR; i++) {				\
		__m512i ai = _mm512_set1_epi32(a[i]);			\
									\
		ab[i][0] = MULADD(ab[i][0], ai, b0);			\
		ab[i][1] = MULADD(ab[i][1], ai, b1);			\
		KEEP_IN_REGISTER(ab[i][0]);				\
		KEEP_IN_REGISTER(ab[i][1]);				\
	}								\
}

I32_STEP(i32_avx512_12x32_step, MULADD_I32)
I32_STEP(i16x2_avx512_12x32_step, MULADD_I16X2)

SIMD_KERNEL(i32_avx512_12x32, int32_t, __m512i, I32_MR, I32_NR,
    i32_avx512_12x32_step, _mm512_setzero_si512, _mm512_loadu_si512,
    _mm512_storeu_si512, _mm512_add_epi32)
SIMD_KERNEL(i16x2_avx512_12x32, int32_t, __m512i, I32_MR, I32_NR,
    i16x2_avx512_12x32_step, _mm512_setzero_si512, _mm512_loadu_si512,
    _mm512_storeu_si512, _mm512_add_epi32)

/*
 * int64: 12 x 16. vpmullq (AVX512DQ) keeps the low 64 bits. It is several
 * uops on Intel cores; if int64 matters there, the vpmuludq + vpmulld
 * scheme of ukernel_avx2.c, widened, is the alternative to measure.
 */
#define I64_MR	12
#define I64_NR	16

INLINE void
i64_avx512_12x16_step(__m512i ab[I64_MR][2], const int64_t *a,
    const int64_t *b)
{
	__m512i b0 = _mm512_loadu_si512(b);
	__m512i b1 = _mm512_loadu_si512(b + 8);

#pragma GCC unroll 32
	for (int i = 0; i < I64_MR; i++) {
		__m512i ai = _mm512_set1_epi64(a[i]);

		ab[i][0] = _mm512_add_epi64(ab[i][0],
		    _mm512_mullo_epi64(ai, b0));
		ab[i][1] = _mm512_add_epi64(ab[i][1],
		    _mm512_mullo_epi64(ai, b1));
		KEEP_IN_REGISTER(ab[i][0]);
		KEEP_IN_REGISTER(ab[i][1]);
	}
}

SIMD_KERNEL(i64_avx512_12x16, int64_t, __m512i, I64_MR, I64_NR,
    i64_avx512_12x16_step, _mm512_setzero_si512, _mm512_loadu_si512,
    _mm512_storeu_si512, _mm512_add_epi64)

/*
 * The float blocks: the kc x NR sliver of B (72 KiB at KC 384) and the
 * mc x kc block of A (384 KiB for float64) both live in L2, 1 MiB from Zen 4
 * on and Skylake-SP; NC 4032 keeps a panel of B (12 MiB) in a share of L3.
 * KC 384 halves the passes over C that KC 192 took; MC 128 gives a power
 * of two rows as whole blocks, shared evenly between threads. The integer
 * blocks are those a 48 KiB L1, 1 MiB L2 machine derived before blocks were
 * data.
 */
const struct kernel_set kernels_avx512 = {
	.isa = ISA,
	.k = {
		[DTYPE_F64] = { "f64_" ISA "_8x24", F64_MR, F64_NR,
		    128, 384, 4032, f64_avx512_8x24 },
		[DTYPE_F32] = { "f32_" ISA "_8x48", F32_MR, F32_NR,
		    128, 384, 4032, f32_avx512_8x48 },
		[DTYPE_I64] = { "i64_" ISA "_12x16", I64_MR, I64_NR,
		    336, 192, 5456, i64_avx512_12x16 },
		[DTYPE_I32] = { "i32_" ISA "_12x32", I32_MR, I32_NR,
		    672, 192, 10912, i32_avx512_12x32 },
	},
	/* kc in pairs: the int32 kernel's sliver of B, twice the k. */
	.i16x2 = { "i16x2_" ISA "_12x32", I32_MR, I32_NR, 672, 192, 10912,
	    i16x2_avx512_12x32 },
};

#endif /* __x86_64__ */
