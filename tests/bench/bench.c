/*
 * make bench: pardot's GEMM engine against OpenBLAS, measured in one run,
 * alternating the two sides so that drift of the machine cancels out.
 *
 *	bench [-r REPS] [-s N,N,...] [-t dtypes] [-j 1,2] [-M mc -K kc -N nc]
 *
 * Prints one row per (dtype, n, threads): the median GFLOP/s (GOP/s for
 * integers) of each side and their ratio. OpenBLAS has no integer GEMM, so
 * integer rows have pardot's figure alone.
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
		}
	}
}

/* Cache blocks to try instead of pardot's own choice (-M, -K, -N). */
static size_t force_mc, force_kc, force_nc;

static double
time_pardot(const struct operands *op, const struct kernel_set *ks,
    int threads)
{
	struct matrix a = { op->a, op->n, op->n, (ptrdiff_t)op->n, 1, op->dt,
	    false };
	struct matrix b = { op->b, op->n, op->n, (ptrdiff_t)op->n, 1, op->dt,
	    false };
	struct matrix_out c = { op->c, op->n, op->n, op->n, op->dt };
	struct gemm_config cfg = { .kernels = ks, .nthreads = threads,
	    .mc = force_mc, .kc = force_kc, .nc = force_nc };
	double t0 = now();

	if (gemm(&a, &b, &c, &cfg) != 0) {
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

static void
run_case(struct operands *op, const struct kernel_set *ks, int threads,
    int reps)
{
	double tp[64], tb[64], flops = 2.0 * (double)op->n * op->n * op->n;
	bool blas = !dtype_is_int(op->dt);
	double p, b;

#ifndef HAVE_OPENBLAS
	blas = false;
#endif
	/* One untimed run of each warms caches, pages and thread pools. */
	time_pardot(op, ks, threads);
	if (blas)
		time_blas(op, threads);
	for (int r = 0; r < reps; r++) {
		tp[r] = time_pardot(op, ks, threads);
		tb[r] = blas ? time_blas(op, threads) : 0;
	}
	p = flops / median(tp, reps) * 1e-9;
	printf("| %-7s | %5zu | %7d | %8.1f |", dtype_name(op->dt), op->n,
	    threads, p);
	if (blas) {
		b = flops / median(tb, reps) * 1e-9;
		printf(" %8.1f | %5.2f |\n", b, p / b);
	} else {
		printf("        - |     - |\n");
	}
	fflush(stdout);
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
	int nsizes = 4, nthreads = 2, reps = 0, c;
	const char *types = "f64,f32,i64,i32", *why;
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
	printf("kernels: %s\n\n", ks->isa);
	printf("| dtype   |     n | threads |   pardot | openblas | ratio |\n");
	printf("|---------|------:|--------:|---------:|---------:|------:|\n");
	for (const char *t = types; *t != '\0'; t += strcspn(t, ",") + (t[strcspn(t, ",")] == ',')) {
		char name[8];
		enum dtype dt;

		snprintf(name, sizeof(name), "%.*s", (int)strcspn(t, ","), t);
		if (dtype_parse(name, &dt) == -1)
			continue;
		for (int s = 0; s < nsizes; s++) {
			struct operands op = { .n = (size_t)sizes[s], .dt = dt };
			size_t bytes = op.n * op.n * dtype_size(dt);

			op.a = aligned_alloc(64, (bytes + 63) / 64 * 64);
			op.b = aligned_alloc(64, (bytes + 63) / 64 * 64);
			op.c = aligned_alloc(64, (bytes + 63) / 64 * 64);
			fill(op.a, op.n * op.n, dt, 1);
			fill(op.b, op.n * op.n, dt, 2);
			for (int j = 0; j < nthreads; j++)
				run_case(&op, ks, (int)threads[j], reps > 0 ?
				    reps : op.n <= 1024 ? 7 : 3);
			free(op.a);
			free(op.b);
			free(op.c);
		}
	}
	return 0;
}
