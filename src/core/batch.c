/*
 * Stacks of matrices. Small matrices are shared out among the threads, a
 * chunk of the stack at a time, each multiplied on one thread with that
 * thread's packing buffers kept from one matrix to the next: the engine's
 * own setup (buffers, a team of threads, barriers) would otherwise cost
 * more than an 8 x 8 product. Large ones go one after the other, each on
 * every thread. Either way each matrix is one gemm call, whose result does
 * not depend on the thread count, so neither does the stack's.
 */
#include <omp.h>
#include <string.h>

#include "core/batch.h"
#include "core/dtype.h"

void
batch_simplify(struct batch_plan *p)
{
	int n = 0;

	for (int i = 0; i < p->ndim; i++) {
		ptrdiff_t ea, eb;
		uint64_t d;

		if (p->dim[i] == 1)
			continue;	/* one step: its strides never count */
		/* Stepping the outer one is stepping the inner one dim times. */
		if (n > 0 && !__builtin_mul_overflow(p->sa[i],
		    (ptrdiff_t)p->dim[i], &ea) && !__builtin_mul_overflow(
		    p->sb[i], (ptrdiff_t)p->dim[i], &eb) && ea == p->sa[n - 1] &&
		    eb == p->sb[n - 1] && !__builtin_mul_overflow(p->dim[n - 1],
		    p->dim[i], &d)) {
			p->dim[n - 1] = d;
			p->sa[n - 1] = p->sa[i];
			p->sb[n - 1] = p->sb[i];
			continue;
		}
		p->dim[n] = p->dim[i];
		p->sa[n] = p->sa[i];
		p->sb[n] = p->sb[i];
		n++;
	}
	p->ndim = n;
}

void
batch_seek(const struct batch_plan *p, uint64_t t, struct batch_pos *w)
{
	w->oa = w->ob = 0;
	for (int i = p->ndim - 1; i >= 0; i--) {
		w->idx[i] = t % p->dim[i];
		t /= p->dim[i];
		w->oa += (ptrdiff_t)w->idx[i] * p->sa[i];
		w->ob += (ptrdiff_t)w->idx[i] * p->sb[i];
	}
}

void
batch_next(const struct batch_plan *p, struct batch_pos *w)
{
	for (int i = p->ndim - 1; i >= 0; i--) {
		w->oa += p->sa[i];
		w->ob += p->sb[i];
		if (++w->idx[i] < p->dim[i])
			return;
		/* Wrapped: back to the start of this one, carry to the next. */
		w->oa -= (ptrdiff_t)p->dim[i] * p->sa[i];
		w->ob -= (ptrdiff_t)p->dim[i] * p->sb[i];
		w->idx[i] = 0;
	}
}

struct matrix
batch_matrix(const struct matrix *first, ptrdiff_t off)
{
	struct matrix m = *first;

	m.data = (const unsigned char *)first->data + off *
	    (ptrdiff_t)dtype_size(first->dtype);
	return m;
}

struct matrix_out
batch_out(const struct matrix_out *first, uint64_t t)
{
	struct matrix_out c = *first;

	c.data = (unsigned char *)first->data + t * first->rows * first->cols *
	    dtype_size(first->dtype);
	return c;
}

static double
matrix_work(const struct matrix *a, const struct matrix *b)
{
	return (double)a->rows * (double)a->cols * (double)b->cols;
}

double
batch_madds(const struct matrix *a, const struct matrix *b)
{
	return matrix_work(a, b) * (dtype_is_complex(dtype_promote(a->dtype,
	    b->dtype)) ? 4 : 1);
}

bool
batch_splits(const struct batch_plan *p, const struct matrix *a,
    const struct matrix *b, const struct gemm_setup *setup)
{
	double unit = (double)(setup->min_work > 0 ? setup->min_work :
	    GEMM_MIN_WORK);

	return p->count >= 2 && setup->nthreads > 1 &&
	    matrix_work(a, b) / unit < setup->nthreads;
}

/* The matrices of a stack in turn, each on every thread. */
static int
each_in_turn(const struct batch_plan *p, const struct matrix *a,
    const struct matrix *b, const struct matrix_out *c, uint64_t t0,
    uint64_t t1, const struct gemm_setup *setup, struct gemm_result *res)
{
	double work = batch_madds(a, b);
	struct gemm_progress_part part = { setup->progress, 0,
	    work * (double)(t1 - t0) };
	struct gemm_progress hook = { gemm_progress_part, &part };
	struct gemm_buffers own = { 0 };
	struct gemm_setup each = *setup;
	struct batch_pos w;
	int e = 0;

	each.buffers = setup->buffers != NULL ? setup->buffers : &own;
	each.progress = setup->progress != NULL ? &hook : NULL;
	batch_seek(p, t0, &w);
	for (uint64_t t = t0; t < t1 && e == 0; t++) {
		struct matrix ma = batch_matrix(a, w.oa), mb = batch_matrix(b,
		    w.ob);
		struct matrix_out mc = batch_out(c, t);
		struct gemm_result r;

		e = gemm(&ma, &mb, &mc, &each, NULL, &r);
		if (t == t0)
			*res = r;
		else
			gemm_result_add(res, &r);
		part.base += work;
		batch_next(p, &w);
	}
	gemm_buffers_free(&own);
	return e;
}

/*
 * Matrices [t0, t1) of the stack on this thread alone; first gets the
 * report of matrix lead's call, if it is among them.
 */
static int
run_chunk(const struct batch_plan *p, const struct matrix *a,
    const struct matrix *b, const struct matrix_out *c,
    const struct gemm_setup *one, uint64_t t0, uint64_t t1, uint64_t lead,
    struct gemm_result *first)
{
	struct batch_pos w;
	int e = 0;

	batch_seek(p, t0, &w);
	for (uint64_t t = t0; t < t1 && e == 0; t++) {
		struct matrix ma = batch_matrix(a, w.oa), mb = batch_matrix(b,
		    w.ob);
		struct matrix_out mc = batch_out(c, t);
		struct gemm_result r;

		e = gemm(&ma, &mb, &mc, one, NULL, &r);
		if (t == lead)
			*first = r;
		batch_next(p, &w);
	}
	return e;
}

/*
 * The stack shared out in chunks, each thread taking the next one free;
 * about sixteen a thread, so that a thread slowed by a busy machine holds
 * the others up little. Thread 0 reports progress after each of its chunks.
 */
static int
split_stack(const struct batch_plan *p, const struct matrix *a,
    const struct matrix *b, const struct matrix_out *c, uint64_t first,
    uint64_t end, const struct gemm_setup *setup, struct gemm_result *res)
{
	uint64_t count = end - first;
	uint64_t per = count / ((uint64_t)setup->nthreads * 16) + 1;
	uint64_t nchunks = (count + per - 1) / per, done = 0;
	int nthreads = nchunks < (uint64_t)setup->nthreads ? (int)nchunks :
	    setup->nthreads;
	double work = batch_madds(a, b), total = work * (double)count;
	int err = 0;

	#pragma omp parallel num_threads(nthreads)
	{
		struct gemm_buffers buf = { 0 };
		struct gemm_setup one = *setup;

		one.nthreads = 1;
		one.buffers = &buf;
		one.progress = NULL;
		#pragma omp for schedule(dynamic, 1)
		for (uint64_t q = 0; q < nchunks; q++) {
			uint64_t t0 = first + q * per, t1 = t0 + per < end ?
			    t0 + per : end, now;
			int e, failed;

			#pragma omp atomic read
			failed = err;
			if (failed != 0)
				continue;
			if ((e = run_chunk(p, a, b, c, &one, t0, t1, first,
			    res)) != 0) {
				#pragma omp atomic write
				err = e;
			}
			#pragma omp atomic capture
			now = done += t1 - t0;
			if (omp_get_thread_num() == 0 && setup->progress != NULL)
				setup->progress->fn(setup->progress->arg,
				    (double)now * work, total);
		}
		gemm_buffers_free(&buf);
	}
	res->threads = nthreads;
	if (err == 0 && setup->progress != NULL)
		setup->progress->fn(setup->progress->arg, total, total);
	return err;
}

int
batch_gemm_part(const struct batch_plan *p, const struct matrix *a,
    const struct matrix *b, const struct matrix_out *c, uint64_t t0,
    uint64_t t1, const struct gemm_setup *setup, struct gemm_result *res)
{
	struct gemm_result ignored;

	if (res == NULL)
		res = &ignored;
	memset(res, 0, sizeof(*res));
	res->threads = 1;
	/* Nothing to write: however many matrices, there is nothing to do. */
	if (t0 >= t1 || c->rows == 0 || c->cols == 0)
		return 0;
	if (batch_splits(p, a, b, setup) && t1 - t0 >= 2)
		return split_stack(p, a, b, c, t0, t1, setup, res);
	return each_in_turn(p, a, b, c, t0, t1, setup, res);
}

int
batch_gemm(const struct batch_plan *p, const struct matrix *a,
    const struct matrix *b, const struct matrix_out *c,
    const struct gemm_setup *setup, struct gemm_result *res)
{
	return batch_gemm_part(p, a, b, c, 0, p->count, setup, res);
}
