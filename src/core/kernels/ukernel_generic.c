/*
 * Portable micro-kernels: plain C for any CPU, MR x NR = 4 x 8 for every type.
 * They are the reference the SIMD kernels are tested against, and built with
 * -ffp-contract=off so the compiler never fuses a multiply into an add.
 */
#include <stdint.h>

#include "core/kernels/kernel.h"

#define GEN_MR	4
#define GEN_NR	8

/*
 * One kernel per element type T, accumulating in type ACC. Integers
 * accumulate in the unsigned type of the same width, where wrap-around is
 * defined; converting back to the signed type is two's complement in gcc.
 */
#define DEFINE_GENERIC_KERNEL(name, T, ACC)				\
static void								\
name(size_t k, const void *restrict a_, const void *restrict b_,	\
    void *restrict c_, size_t ldc, int accumulate)			\
{									\
	const T *restrict a = a_;					\
	const T *restrict b = b_;					\
	T *restrict c = c_;						\
	ACC ab[GEN_MR][GEN_NR] = { { 0 } };				\
									\
	for (size_t p = 0; p < k; p++) {				\
		for (int i = 0; i < GEN_MR; i++) {			\
			ACC ai = (ACC)a[p * GEN_MR + i];		\
			for (int j = 0; j < GEN_NR; j++)		\
				ab[i][j] += ai * (ACC)b[p * GEN_NR + j];\
		}							\
	}								\
	for (int i = 0; i < GEN_MR; i++) {				\
		for (int j = 0; j < GEN_NR; j++) {			\
			ACC v = ab[i][j];				\
			if (accumulate)					\
				v += (ACC)c[i * ldc + j];		\
			c[i * ldc + j] = (T)v;				\
		}							\
	}								\
}

DEFINE_GENERIC_KERNEL(f64_generic_4x8, double, double)
DEFINE_GENERIC_KERNEL(f32_generic_4x8, float, float)
DEFINE_GENERIC_KERNEL(i64_generic_4x8, int64_t, uint64_t)
DEFINE_GENERIC_KERNEL(i32_generic_4x8, int32_t, uint32_t)

/* int16 pairs into int32 (kernel.h), products in uint32: wrap-around. */
static void
i16x2_generic_4x8(size_t k, const void *restrict a_, const void *restrict b_,
    void *restrict c_, size_t ldc, int accumulate)
{
	const uint32_t *restrict a = a_;
	const uint32_t *restrict b = b_;
	int32_t *restrict c = c_;
	uint32_t ab[GEN_MR][GEN_NR] = { { 0 } };

	for (size_t q = 0; q < k; q++) {
		for (int i = 0; i < GEN_MR; i++) {
			uint32_t ai = a[q * GEN_MR + i];
			int32_t lo = (int16_t)(ai & 0xffff), hi = (int16_t)(ai >> 16);

			for (int j = 0; j < GEN_NR; j++) {
				uint32_t bj = b[q * GEN_NR + j];

				ab[i][j] += (uint32_t)(lo * (int16_t)(bj & 0xffff)) +
				    (uint32_t)(hi * (int16_t)(bj >> 16));
			}
		}
	}
	for (int i = 0; i < GEN_MR; i++) {
		for (int j = 0; j < GEN_NR; j++) {
			uint32_t v = ab[i][j];

			if (accumulate)
				v += (uint32_t)c[i * ldc + j];
			c[i * ldc + j] = (int32_t)v;
		}
	}
}

/*
 * The cache blocks are those the cache sizes gave on a 48 KiB L1, 1 MiB L2
 * machine before they became data: a kc x NR sliver of B in half of L1, an
 * mc x kc block of A in half of L2.
 */
const struct kernel_set kernels_generic = {
	.isa = "generic",
	.k = {
		[DTYPE_F64] = { "f64_generic_4x8", GEN_MR, GEN_NR,
		    168, 384, 2728, f64_generic_4x8 },
		[DTYPE_F32] = { "f32_generic_4x8", GEN_MR, GEN_NR,
		    168, 768, 2728, f32_generic_4x8 },
		[DTYPE_I64] = { "i64_generic_4x8", GEN_MR, GEN_NR,
		    168, 384, 2728, i64_generic_4x8 },
		[DTYPE_I32] = { "i32_generic_4x8", GEN_MR, GEN_NR,
		    168, 768, 2728, i32_generic_4x8 },
	},
	/* kc in pairs: the int32 kernel's sliver of B, twice the k. */
	.i16x2 = { "i16x2_generic_4x8", GEN_MR, GEN_NR, 168, 768, 2728,
	    i16x2_generic_4x8 },
};
