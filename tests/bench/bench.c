/*
 * make bench: pardot's GEMM engine against OpenBLAS, measured in one run,
 * alternating the two sides so that drift of the machine cancels out.
 *
 *	bench [-r REPS] [-s N,N,...] [-t dtypes] [-j 1,2] [-M mc -K kc -N nc]
 *
 * Prints this CPU's FMA peak, measured first (peak.h), then one row per
 * (dtype, n, threads): the median GFLOP/s (GOP/s for integers) of each
 * side, their ratio, and pardot's share of the peak on that many threads.
 * OpenBLAS has no integer GEMM, so integer rows have pardot's figure alone.
 */
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifdef HAVE_OPENBLAS
#include <cblas.h>
#endif

#include "core/dtype.h"
#include "core/gemm.h"
#include "peak.h"

struct operands {
	void		*a, *b, *c;
	size_t		 n;
	enum dtype	 dt;
};

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int
by_value(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return (a > b) - (a < b);
}

static double
median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), by_value);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Uniform [0, 1) floats or [0, 10) integers, as 'pardot gen' makes. */
static void
fill(void *p, size_t count, enum dtype dt, unsigned seed)
{
	srand(seed);
	for (size_t i = 0; i < count; i++) {
		double v = (double)rand() / ((double)RAND_MAX + 1);

		switch (dt) {
		case DTYPE_F64: ((double *)p)[i] = v; break;
		case DTYPE_F32: ((float *)p)[i] = (float)v; break;
		case DTYPE_I64: ((int64_t *)p)[i] = (int64_t)(v * 10); break;
		case DTYPE_I32: ((int32_t *)p)[i] = (int32_t)(v * 10); break;
		default: abort();	/* -t takes these four alone */
		}
	}
}

/* Cache blocks to try instead of pardot's own choice (-M, -K, -N). */
static size_t force_mc, force_kc, force_nc;

/*
 * The packing buffers, kept from one call to the next as OpenBLAS keeps
 * its own: what is timed is the multiply, not the page faults of fresh
 * buffers (the end-to-end figures count those).
 */
static struct gemm_buffers buffers;

static double
time_pardot(const struct operands *op, const struct kernel_set *ks,
    int threads)
{
	struct matrix a = { op->a, op->n, op->n, (ptrdiff_t)op->n, 1, op->dt,
	    false };
	struct matrix b = { op->b, op->n, op->n, (ptrdiff_t)op->n, 1, op->dt,
	    false };
	struct matrix_out c = { op->c, op->n, op->n, op->n, op->dt };
	struct gemm_setup setup = { .kernels = ks, .nthreads = threads,
	    .blocks = { force_mc, force_kc, force_nc },
	    .buffers = &buffers };
	double t0 = now();

	if (gemm(&a, &b, &c, &setup, NULL, NULL) != 0) {
		fprintf(stderr, "bench: gemm failed\n");
		exit(1);
	}
	return now() - t0;
}

static double
time_blas(const struct operands *op, int threads)
{
#ifdef HAVE_OPENBLAS
	int n = (int)op->n;
	double t0;

	openblas_set_num_threads(threads);
	t0 = now();
	if (op->dt == DTYPE_F64)
		cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n,
		    1.0, op->a, n, op->b, n, 0.0, op->c, n);
	else
		cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n,
		    1.0f, op->a, n, op->b, n, 0.0f, op->c, n);
	return now() - t0;
#else
	(void)op;
	(void)threads;
	return 0;
#endif
}

/*
 * The FMA peak on threads threads, in GFLOP/s, for float64 or float32:
 * the loop of peak.h for the widest vectors this CPU has, on every thread
 * at once, the best of 15 runs of some 20 ms (the best, since the peak is
 * what the hardware can do; noise only ever lowers it). 0 when the CPU
 * has no FMA.
 */
static double
fma_peak(int f64, int threads, const char **isa)
{
	double (*loop)(long, int) = NULL, best = 0, lanes = 0, sink = 0;
	long iters = 1000000;

#if defined(__x86_64__)
	__builtin_cpu_init();
	if (__builtin_cpu_supports("avx512f")) {
		loop = peak_loop_avx512;
		lanes = f64 ? 8 : 16;
		*isa = "avx512";
	} else if (__builtin_cpu_supports("avx2") &&
	    __builtin_cpu_supports("fma")) {
		loop = peak_loop_avx2;
		lanes = f64 ? 4 : 8;
		*isa = "avx2";
	}
#endif
	if (loop == NULL)
		return 0;
	for (int r = 0; r < 15; r++) {
		double t0 = now(), t, g;

		#pragma omp parallel num_threads(threads) reduction(+:sink)
		sink += loop(iters, f64);
		t = now() - t0;
		g = threads * (double)iters * PEAK_CHAINS * 2 * lanes / t * 1e-9;
		if (g > best)
			best = g;
	}
	if (sink == 42)	/* never: keeps the sums alive */
		printf(" ");
	return best;
}

#define MAX_ROWS	128

/* One row of the table, printed once the run is over (print_table). */
struct row {
	enum dtype	 dt;
	size_t		 n;
	int		 threads;
	double		 pardot, blas;	/* GFLOP/s; blas 0: none */
	double		*peak;		/* NULL: integers, no FMA peak */
};

/*
 * Times one row. The peak is measured once more just before it, and the
 * highest seen in the whole run is what every row is a share of, so that
 * a loaded moment while the peak was measured cannot flatter a row.
 */
static void
run_case(struct operands *op, const struct kernel_set *ks, int reps,
    struct row *row)
{
	double tp[64], tb[64], flops = 2.0 * (double)op->n * op->n * op->n;
	bool blas = !dtype_is_int(op->dt);
	int threads = row->threads;

#ifndef HAVE_OPENBLAS
	blas = false;
#endif
	if (row->peak != NULL) {
		const char *isa;
		double again = fma_peak(op->dt == DTYPE_F64, threads, &isa);

		if (again > *row->peak)
			*row->peak = again;
	}
	/* One untimed run of each warms caches, pages and thread pools. */
	time_pardot(op, ks, threads);
	if (blas)
		time_blas(op, threads);
	for (int r = 0; r < reps; r++) {
		tp[r] = time_pardot(op, ks, threads);
		tb[r] = blas ? time_blas(op, threads) : 0;
	}
	row->pardot = flops / median(tp, reps) * 1e-9;
	row->blas = blas ? flops / median(tb, reps) * 1e-9 : 0;
}

static void
print_table(const struct row *rows, int nrows)
{
	printf("| dtype   |     n | threads |   pardot | openblas | ratio | "
	    "%% peak |\n");
	printf("|---------|------:|--------:|---------:|---------:|------:|"
	    "-------:|\n");
	for (int i = 0; i < nrows; i++) {
		const struct row *r = &rows[i];

		printf("| %-7s | %5zu | %7d | %8.1f |", dtype_name(r->dt), r->n,
		    r->threads, r->pardot);
		if (r->blas > 0)
			printf(" %8.1f | %5.2f |", r->blas, r->pardot / r->blas);
		else
			printf("        - |     - |");
		if (r->peak != NULL && *r->peak > 0)
			printf(" %5.1f%% |\n", 100 * r->pardot / *r->peak);
		else
			printf("      - |\n");
	}
}

/* Parses "a,b,c" into up to max numbers; returns how many. */
static int
parse_list(const char *s, long *out, int max)
{
	int n = 0;

	while (*s != '\0' && n < max) {
		char *end;

		out[n++] = strtol(s, &end, 10);
		s = *end == ',' ? end + 1 : end;
		if (end == s && *s != '\0')
			break;
	}
	return n;
}

int
main(int argc, char **argv)
{
	long sizes[16] = { 512, 1024, 2048, 4096 }, threads[4];
	int nsizes = 4, nthreads = 2, reps = 0, c, nrows = 0;
	const char *types = "f64,f32,i64,i32", *why, *isa = "none";
	/* The peaks of float64 and float32 on each thread count of -j. */
	double peaks[2][4] = { { 0 } };
	struct row rows[MAX_ROWS];
	const struct kernel_set *ks;

	threads[0] = 1;
	threads[1] = sysconf(_SC_NPROCESSORS_ONLN);
	nthreads = threads[1] > 1 ? 2 : 1;
	while ((c = getopt(argc, argv, "r:s:t:j:M:K:N:")) != -1) {
		switch (c) {
		case 'M': force_mc = (size_t)atol(optarg); break;
		case 'K': force_kc = (size_t)atol(optarg); break;
		case 'N': force_nc = (size_t)atol(optarg); break;
		case 'r': reps = atoi(optarg); break;
		case 's': nsizes = parse_list(optarg, sizes, 16); break;
		case 't': types = optarg; break;
		case 'j': nthreads = parse_list(optarg, threads, 4); break;
		default:
			fprintf(stderr, "usage: bench [-r reps] [-s n,n] "
			    "[-t f64,f32,i64,i32] [-j 1,2] [-M mc -K kc -N nc]\n");
			return 2;
		}
	}
	if ((ks = kernels_select(getenv("PARDOT_ARCH"), &why)) == NULL) {
		fprintf(stderr, "bench: %s\n", why);
		return 1;
	}
	for (int f = 0; f < 2; f++)
		for (int j = 0; j < nthreads; j++)
			peaks[f][j] = fma_peak(f == 0, (int)threads[j], &isa);
	for (const char *t = types; *t != '\0'; t += strcspn(t, ",") + (t[strcspn(t, ",")] == ',')) {
		char name[8];
		enum dtype dt;

		snprintf(name, sizeof(name), "%.*s", (int)strcspn(t, ","), t);
		if (dtype_parse(name, &dt) == -1)
			continue;
		for (int s = 0; s < nsizes && nrows + nthreads <= MAX_ROWS;
		    s++) {
			struct operands op = { .n = (size_t)sizes[s], .dt = dt };
			size_t bytes = op.n * op.n * dtype_size(dt);

			op.a = aligned_alloc(64, (bytes + 63) / 64 * 64);
			op.b = aligned_alloc(64, (bytes + 63) / 64 * 64);
			op.c = aligned_alloc(64, (bytes + 63) / 64 * 64);
			fill(op.a, op.n * op.n, dt, 1);
			fill(op.b, op.n * op.n, dt, 2);
			for (int j = 0; j < nthreads; j++) {
				struct row *r = &rows[nrows++];

				*r = (struct row){ dt, op.n, (int)threads[j], 0,
				    0, dt == DTYPE_F64 ? &peaks[0][j] :
				    dt == DTYPE_F32 ? &peaks[1][j] : NULL };
				run_case(&op, ks, reps > 0 ? reps :
				    op.n <= 1024 ? 7 : 3, r);
			}
			free(op.a);
			free(op.b);
			free(op.c);
		}
	}
	printf("kernels: %s\n", ks->isa);
	for (int f = 0; f < 2; f++) {
		printf("FMA peak, %s, the highest measured in the run:",
		    dtype_name(f == 0 ? DTYPE_F64 : DTYPE_F32));
		for (int j = 0; j < nthreads; j++)
			printf("%s %.1f GFLOP/s on %ld thread%s", j ? "," : "",
			    peaks[f][j], threads[j], threads[j] > 1 ? "s" : "");
		printf(" (%s loop)\n", isa);
	}
	printf("\n");
	print_table(rows, nrows);
	return 0;
}
