/*
 * Matrix-vector products: C = A . x (N == 1) or C = x . B (M == 1). Here the
 * blocked GEMM would pack a whole matrix to use a sliver of each micro-tile,
 * while the product only needs to stream the matrix once. Both cases are
 *
 *	out[t] = sum over k of U[t, k] * v[k]
 *
 * with U = A or the transpose of B. When U's rows are contiguous each
 * thread takes whole dot products; otherwise each thread takes a range of t
 * and sweeps k, adding a scaled column at a time (an axpy), so memory is
 * always read in order. Either way an element's sum runs over k in an order
 * fixed by k alone, whatever the thread count. A result narrower than its
 * compute type (narrow.h) is summed in that type and narrowed as it is
 * stored; complex products never come here (gemm runs them by 1m).
 */
#include <errno.h>
#include <omp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/dtype.h"
#include "core/gemv.h"
#include "core/narrow.h"
#include "core/pack.h"

#define CHUNK	2048	/* elements converted at a time */
#define LANES	8	/* partial sums of a dot product, by k mod LANES */

/* The partial sums of one dot product, in its accumulating type. */
union lanes {
	double		 f64[LANES];
	float		 f32[LANES];
	uint64_t	 i64[LANES];
	uint32_t	 i32[LANES];
};

struct vector_ops {
	void	(*dot)(union lanes *, const void *u, const void *v, size_t n);
	void	(*finish)(void *out, const union lanes *);
	void	(*axpy)(void *acc, const void *col, const void *x, size_t n);
	void	(*store)(void *out, size_t stride, const void *acc, size_t n);
};

/*
 * Each element type gets its loops from one macro. ACC is the type sums
 * are kept in: unsigned for integers, where wrap-around is defined.
 */
#define DEFINE_VECTOR_LOOPS(sfx, T, ACC)				\
/* Adds sum over p < n of u[p] * v[p] into lanes[p % LANES]. */		\
static void								\
dot_##sfx(union lanes *ln, const void *u_, const void *v_, size_t n)	\
{									\
	ACC *lanes = ln->sfx;						\
	const T *u = u_, *v = v_;					\
	size_t p = 0;							\
									\
	for (; p + LANES <= n; p += LANES)				\
		for (int l = 0; l < LANES; l++)				\
			lanes[l] += (ACC)u[p + l] * (ACC)v[p + l];	\
	for (int l = 0; p < n; p++, l++)				\
		lanes[l] += (ACC)u[p] * (ACC)v[p];			\
}									\
									\
static void								\
finish_##sfx(void *out, const union lanes *ln)				\
{									\
	const ACC *lanes = ln->sfx;					\
	ACC s = 0;							\
									\
	for (int l = 0; l < LANES; l++)					\
		s += lanes[l];						\
	*(T *)out = (T)s;						\
}									\
									\
/* acc[i] += col[i] * x for i < n. */					\
static void								\
axpy_##sfx(void *acc_, const void *col_, const void *x_, size_t n)	\
{									\
	ACC *acc = acc_;						\
	const T *col = col_;						\
	ACC x = (ACC)*(const T *)x_;					\
									\
	for (size_t i = 0; i < n; i++)					\
		acc[i] += (ACC)col[i] * x;				\
}									\
									\
static void								\
store_##sfx(void *out, size_t stride, const void *acc_, size_t n)	\
{									\
	const ACC *acc = acc_;						\
									\
	for (size_t i = 0; i < n; i++)					\
		((T *)out)[i * stride] = (T)acc[i];			\
}									\
									\
static const struct vector_ops ops_##sfx = {				\
	dot_##sfx, finish_##sfx, axpy_##sfx, store_##sfx		\
};

DEFINE_VECTOR_LOOPS(f64, double, double)
DEFINE_VECTOR_LOOPS(f32, float, float)
DEFINE_VECTOR_LOOPS(i64, int64_t, uint64_t)
DEFINE_VECTOR_LOOPS(i32, int32_t, uint32_t)

static const struct vector_ops *const vector_ops[DTYPE_COUNT] = {
	[DTYPE_F64] = &ops_f64, [DTYPE_F32] = &ops_f32,
	[DTYPE_I64] = &ops_i64, [DTYPE_I32] = &ops_i32,
};

/* One product in flight: out[t * ostride] = sum over k of U[t, k] * v[k]. */
struct product {
	struct matrix			 u;
	const unsigned char		*v;	/* K elements, converted */
	unsigned char			*out;	/* of type ct */
	size_t				 ostride, esz, csz;
	enum dtype			 dt;	/* the sums' type */
	enum dtype			 ct;
	bool				 narrow;
	const struct vector_ops		*ops;
	struct meter			*meter;
};

/* Whole dot products, for U with contiguous rows. */
static void
by_rows(const struct product *pr, unsigned char *buf)
{
	size_t k = pr->u.cols;
	unsigned long long pending = 0;

	#pragma omp for schedule(static)
	for (size_t t = 0; t < pr->u.rows; t++) {
		union lanes lanes;

		memset(&lanes, 0, sizeof(lanes));
		for (size_t k0 = 0; k0 < k; k0 += CHUNK) {
			size_t n = k - k0 < CHUNK ? k - k0 : CHUNK;

			pack_panels(&pr->u, t, 1, k0, n, 1, pr->dt, buf);
			pr->ops->dot(&lanes, buf, pr->v + k0 * pr->esz, n);
		}
		if (pr->narrow) {
			_Alignas(8) unsigned char sum[8];

			pr->ops->finish(sum, &lanes);
			narrow_elems(pr->out + t * pr->ostride * pr->csz, 1,
			    pr->ct, sum, pr->dt, 1);
		} else {
			pr->ops->finish(pr->out + t * pr->ostride * pr->esz,
			    &lanes);
		}
		meter_count(pr->meter, &pending, k);
	}
	meter_flush(pr->meter, &pending);
}

/* Scaled columns added up, for U with contiguous columns. */
static void
by_columns(const struct product *pr, unsigned char *buf, unsigned char *acc)
{
	struct matrix ut = matrix_transposed(pr->u);
	size_t rows = pr->u.rows;
	unsigned long long pending = 0;

	#pragma omp for schedule(static)
	for (size_t t0 = 0; t0 < rows; t0 += CHUNK) {
		size_t n = rows - t0 < CHUNK ? rows - t0 : CHUNK;

		memset(acc, 0, n * pr->esz);
		for (size_t k = 0; k < ut.rows; k++) {
			pack_panels(&ut, k, 1, t0, n, 1, pr->dt, buf);
			pr->ops->axpy(acc, buf, pr->v + k * pr->esz, n);
		}
		if (pr->narrow)
			narrow_elems(pr->out + t0 * pr->ostride * pr->csz,
			    pr->ostride, pr->ct, acc, pr->dt, n);
		else
			pr->ops->store(pr->out + t0 * pr->ostride * pr->esz,
			    pr->ostride, acc, n);
		meter_count(pr->meter, &pending, (unsigned long long)n *
		    ut.rows);
	}
	meter_flush(pr->meter, &pending);
}

int
gemv(const struct matrix *a, const struct matrix *b,
    const struct matrix_out *c, int nthreads, struct meter *meter)
{
	struct product pr = { .ct = c->dtype, .out = c->data, .meter = meter };
	struct matrix vec;
	unsigned char *v, *bufs;

	pr.dt = narrow_compute(c->dtype, a->cols);
	pr.narrow = narrow_needed(c->dtype, pr.dt);
	pr.esz = dtype_size(pr.dt);
	pr.csz = dtype_size(pr.ct);
	pr.ops = vector_ops[pr.dt];
	/* For C = A . x, U is A; for C = x . B, U is B's transpose. */
	pr.u = c->cols == 1 ? *a : matrix_transposed(*b);
	vec = c->cols == 1 ? matrix_transposed(*b) : *a;
	pr.ostride = c->cols == 1 ? c->ld : 1;
	v = malloc(pr.u.cols * pr.esz + 1);
	bufs = malloc((size_t)nthreads * 2 * CHUNK * 8);
	if (v == NULL || bufs == NULL) {
		free(v);
		free(bufs);
		return ENOMEM;
	}
	pack_panels(&vec, 0, 1, 0, pr.u.cols, 1, pr.dt, v);
	pr.v = v;
	#pragma omp parallel num_threads(nthreads)
	{
		unsigned char *buf = bufs +
		    (size_t)omp_get_thread_num() * 2 * CHUNK * 8;

		if (pr.u.cs == 1 || pr.u.rs != 1)
			by_rows(&pr, buf);
		else
			by_columns(&pr, buf, buf + CHUNK * 8);
	}
	meter_end(meter);
	free(v);
	free(bufs);
	return 0;
}
