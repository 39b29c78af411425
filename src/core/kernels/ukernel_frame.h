/*
 * What the SIMD micro-kernels share, whatever the vector width: included by
 * each ukernel_<isa>.c after its intrinsics header, so that the code below
 * is compiled once per instruction set with that set's vector types.
 */
#ifndef PARDOT_UKERNEL_FRAME_H
#define PARDOT_UKERNEL_FRAME_H

#include <stddef.h>

#define INLINE	static inline __attribute__((always_inline))

/*
 * Bring the tile of C towards L1 while the k loop runs: it is read or
 * written only at the end. A row of an unaligned tile straddles one more
 * cache line than its length needs, hence the last byte too. A prefetch
 * never faults and is not a read of C in the sense of the contract.
 */
INLINE void
prefetch_tile(const void *c, size_t ldc_bytes, int mr, size_t row_bytes)
{
	const char *row = c;

#pragma GCC unroll 32
	for (int i = 0; i < mr; i++, row += ldc_bytes) {
#pragma GCC unroll 4
		for (size_t off = 0; off < row_bytes; off += 64)
			_mm_prefetch(row + off, _MM_HINT_T0);
		_mm_prefetch(row + row_bytes - 1, _MM_HINT_T0);
	}
}

/*
 * What every kernel shares: zero the MR x NV accumulators, run STEP once
 * per p, then add to or overwrite C with unaligned loads and stores. The
 * per-type parts are STEP and the vector operations named after V.
 *
 * The loops over the tile are unrolled completely (the pragmas) so that
 * each accumulator becomes a register of its own. The k loop is not: a step
 * is already a dozen or more independent multiply-adds, and unrolling it by
 * 4 measured no faster but made gcc spill accumulators.
 */
#define SIMD_KERNEL(name, T, V, MR, NR, STEP, ZERO, LOADU, STOREU, ADD) \
static void								\
name(size_t k, const void *restrict a_, const void *restrict b_,	\
    void *restrict c_, size_t ldc, int accumulate)			\
{									\
	enum { NV = (NR) * sizeof(T) / sizeof(V) };			\
	const T *a = a_;						\
	const T *b = b_;						\
	T *c = c_;							\
	V ab[MR][NV];							\
									\
	prefetch_tile(c, ldc * sizeof(T), MR, (NR) * sizeof(T));	\
	_Pragma("GCC unroll 32")					\
	for (int i = 0; i < (MR); i++)					\
		_Pragma("GCC unroll 4")					\
		for (int j = 0; j < NV; j++)				\
			ab[i][j] = ZERO();				\
	for (size_t p = 0; p < k; p++, a += (MR), b += (NR))		\
		STEP(ab, a, b);						\
	_Pragma("GCC unroll 32")					\
	for (int i = 0; i < (MR); i++) {				\
		_Pragma("GCC unroll 4")					\
		for (int j = 0; j < NV; j++) {				\
			T *cij = c + i * ldc + j * (NR / NV);		\
			V v = ab[i][j];					\
									\
			if (accumulate)					\
				v = ADD(v, LOADU(cij));			\
			STOREU(cij, v);					\
		}							\
	}								\
}

#endif
