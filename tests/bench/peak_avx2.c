/*
 * The FMA loop of peak.h on ymm registers, for CPUs without AVX-512;
 * sixteen chains as in peak_avx512.c, more than latency times ports on
 * Haswell and Zen 1 to 3.
 */
#include <immintrin.h>

#include "peak.h"

static double
sum_pd(__m256d v)
{
	double x[4];

	_mm256_storeu_pd(x, v);
	return x[0] + x[1] + x[2] + x[3];
}

static double
sum_ps(__m256 v)
{
	float x[8];
	double s = 0;

	_mm256_storeu_ps(x, v);
	for (int i = 0; i < 8; i++)
		s += x[i];
	return s;
}

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
peak_loop_avx2(long iters, int f64)
{
	if (f64)
		PEAK_LOOP(__m256d, _mm256_set1_pd, _mm256_fmadd_pd,
		    _mm256_add_pd, sum_pd);
	PEAK_LOOP(__m256, _mm256_set1_ps, _mm256_fmadd_ps, _mm256_add_ps,
	    sum_ps);
}
