/*
 * The FMA loop of peak.h on zmm registers. Sixteen chains: more than the
 * FMA latency times the FMA ports of any AVX-512 core (4 x 2 on Zen 4 and
 * 5, 4 x 2 on Skylake-SP), so the ports, not the latency, set the rate.
 * The multiplier is just under 1 and the addend small: the chains settle
 * near a fixed point, never overflowing or going subnormal.
 */
#include <immintrin.h>

#include "peak.h"

#define PEAK_LOOP(V, SET1, FMA, ADD, REDUCE) do {			\
	V acc[PEAK_CHAINS], m = SET1(0.999999), c = SET1(1e-6), s;	\
									\
	for (int i = 0; i < PEAK_CHAINS; i++)				\
		acc[i] = SET1(1.0 + i * 1e-3);				\
	for (long it = 0; it < iters; it++) {				\
		_Pragma("GCC unroll 16")				\
		for (int i = 0; i < PEAK_CHAINS; i++)			\
			acc[i] = FMA(acc[i], m, c);			\
	}								\
	s = acc[0];							\
	for (int i = 1; i < PEAK_CHAINS; i++)				\
		s = ADD(s, acc[i]);					\
	return REDUCE(s);						\
} while (0)

double
peak_loop_avx512(long iters, int f64)
{
	if (f64)
		PEAK_LOOP(__m512d, _mm512_set1_pd, _mm512_fmadd_pd,
		    _mm512_add_pd, _mm512_reduce_add_pd);
	PEAK_LOOP(__m512, _mm512_set1_ps, _mm512_fmadd_ps, _mm512_add_ps,
	    _mm512_reduce_add_ps);
}
