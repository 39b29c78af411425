/*
 * The FMA peak of this CPU, measured: one loop of independent fused
 * multiply-adds per ISA, each file built with its own -m flags (Makefile),
 * the one to run picked from the CPU's features at run time.
 */
#ifndef PARDOT_BENCH_PEAK_H
#define PARDOT_BENCH_PEAK_H

/*
 * Runs iters steps of PEAK_CHAINS independent vector FMAs on doubles
 * (f64 != 0) or floats and returns a value made of the results, so that
 * the compiler keeps the loop. The flops done are
 * iters * PEAK_CHAINS * 2 * lanes.
 */
#define PEAK_CHAINS	16

double	peak_loop_avx512(long iters, int f64);
double	peak_loop_avx2(long iters, int f64);

#endif
