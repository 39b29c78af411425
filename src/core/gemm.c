/*
 * The BLIS loop nest around the micro-kernels:
 *
 *	for jc in N by nc:		column panel of B and C
 *	  for pc in K by kc:		B[pc, jc] packed once, shared
 *	    parallel for ic in M by mc:	A[ic, pc] packed per thread
 *	      for jr in nc by NR, ir in mc by MR: micro-kernel
 *
 * Threads split row blocks of C (and, when there are fewer row blocks than
 * threads, column groups within them), never the k loop: each element of C
 * is then summed in an order set by kc alone, whatever the thread count.
 *
 * The loops see real matrices of one of the four kernel types. Packing
 * converts each operand to it; a complex product runs as the real product
 * C' = A' . B' of pack1m.h (n and k doubled); a result narrower than its
 * compute type (narrow.h) is summed into a private band of C at a time,
 * then stored into C. Splitting C into bands changes no sum, so the band
 * size is free to follow memory alone.
 *
 * A bool result (both operands bool) never sees these loops: boolmm.h
 * tests bitsets instead of counting true products, for any shape.
 */
#include <errno.h>
#include <omp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/arith.h"
#include "core/bigbuf.h"
#include "core/boolmm.h"
#include "core/dtype.h"
#include "core/gemm.h"
#include "core/gemv.h"
#include "core/meter.h"
#include "core/narrow.h"
#include "core/overflow.h"
#include "core/pack.h"
#include "core/pack1m.h"
#include "core/packpairs.h"

#define ALIGN		PACK_ALIGN
#define MAX_TILE_BYTES	(32 * 32 * 8)	/* the largest MR x NR tile */

static size_t
round_down(size_t x, size_t unit)
{
	x -= x % unit;
	return x > 0 ? x : unit;
}

static size_t
cache_size(int name, size_t fallback)
{
	long v = sysconf(name);

	return v > 0 ? (size_t)v : fallback;
}

/*
 * The cache blocks: those a test forces in the setup, else the kernel's own
 * from the table, so that kc, which orders the sums, and with it every bit
 * of the result, depends on the kernel set alone. Only a block the table
 * leaves at 0 comes from the cache sizes, as in BLIS: a kc x NR sliver of B
 * in half of L1, an mc x kc block of A in half of L2, the kc x nc panel of
 * B in a share of L3.
 */
static struct gemm_blocks
choose_blocking(const struct gemm_setup *setup, const struct ukernel *uk,
    size_t esz, size_t m, size_t n, bool cplx)
{
	const struct gemm_blocks *force = &setup->blocks;
	struct gemm_blocks b;
	size_t l3;

	b.kc = force->kc ? force->kc : uk->kc;
	if (b.kc == 0)
		b.kc = round_down(cache_size(_SC_LEVEL1_DCACHE_SIZE, 32 << 10) /
		    2 / (uk->nr * esz), 8);
	/* 1m packs k in (Re, Im) pairs: a block of k holds whole pairs. */
	if (cplx)
		b.kc = b.kc >= 2 ? b.kc & ~(size_t)1 : 2;
	b.mc = force->mc ? force->mc : uk->mc;
	if (b.mc == 0)
		b.mc = cache_size(_SC_LEVEL2_CACHE_SIZE, 512 << 10) / 2 /
		    (b.kc * esz);
	b.mc = round_down(b.mc, uk->mr);
	b.nc = force->nc ? force->nc : uk->nc;
	if (b.nc == 0) {
		l3 = cache_size(_SC_LEVEL3_CACHE_SIZE, 8 << 20);
		if (l3 > (32u << 20))
			l3 = 32u << 20;	/* virtual machines report odd sizes */
		b.nc = l3 / 4 / (b.kc * esz);
	}
	b.nc = round_down(b.nc, uk->nr);
	/* No larger than the matrix: the buffers are sized from these. */
	if (b.mc > round_up(m, uk->mr))
		b.mc = round_up(m, uk->mr);
	if (b.nc > round_up(n, uk->nr))
		b.nc = round_up(n, uk->nr);
	return b;
}

/*
 * Everything the threads share for one multiply, or one band of it: the
 * real product of m x k by k x n elements of type compute into cdata (ldc
 * elements from a row to the next). For a complex one, n and k count the
 * real columns of C' and A' (twice those of C and A).
 */
struct job {
	struct matrix		 a, b;
	size_t			 m, n, k;	/* k in pairs when pairs */
	bool			 cplx;		/* packed by pack1m.h */
	bool			 pairs;		/* by packpairs.h, for i16x2 */
	unsigned char		*cdata;
	size_t			 ldc;
	const struct ukernel	*uk;
	enum dtype		 compute;	/* what packing converts to */
	bool			 accumulate;	/* onto C as it is */
	struct gemm_blocks	 blk;
	size_t			 esz;
	unsigned char		*bpack;		/* kc x nc, shared */
	unsigned char		*apack;		/* mc x kc per thread */
	size_t			 apack_stride;
	struct meter		 meter;		/* for the progress hook */
};

/*
 * Packs rows [r0, r0 + rows) of A (of_b: columns of B) over the k block
 * at pc, kc steps long, into panels of reg, the way the job's kernel reads
 * them: 1m pairs for complex, int16 pairs for the pair kernel, else plain
 * panels of the compute type. pc and kc count the job's steps: real
 * columns for complex, pairs of k for the pair kernel.
 */
static void
pack_block(const struct job *job, bool of_b, size_t r0, size_t rows,
    size_t pc, size_t kc, unsigned reg, void *dst)
{
	struct matrix src = of_b ? matrix_transposed(job->b) : job->a;

	if (job->cplx)
		(of_b ? pack1m_b : pack1m_a)(of_b ? &job->b : &job->a, r0,
		    rows, pc / 2, kc / 2, reg, job->compute, dst);
	else if (job->pairs)
		pack_pairs(&src, r0, rows, pc, kc, reg, dst);
	else
		pack_panels(&src, r0, rows, pc, kc, reg, job->compute, dst);
}

/*
 * Runs the micro-kernel over the tiles of one packed A block and the B
 * panels in columns [j0, j1) of the packed B panel. Tiles that overhang C
 * go through a scratch tile, so kernels only ever see whole tiles and the
 * arithmetic is the same for edge and inner tiles.
 */
static void
macro_kernel(const struct job *job, const unsigned char *apack, size_t ic,
    size_t mc, size_t jc, size_t j0, size_t j1, size_t kc, int accumulate)
{
	const struct ukernel *uk = job->uk;
	size_t esz = job->esz, ldc = job->ldc;
	_Alignas(ALIGN) unsigned char tile[MAX_TILE_BYTES];

	for (size_t jr = j0; jr < j1; jr += uk->nr) {
		const unsigned char *bp = job->bpack +
		    jr / uk->nr * pack_panel_bytes(uk->nr, kc, esz);
		size_t nr = j1 - jr < uk->nr ? j1 - jr : uk->nr;

		for (size_t ir = 0; ir < mc; ir += uk->mr) {
			const unsigned char *ap = apack +
			    ir / uk->mr * pack_panel_bytes(uk->mr, kc, esz);
			size_t mr = mc - ir < uk->mr ? mc - ir : uk->mr;
			unsigned char *cp = job->cdata +
			    ((ic + ir) * ldc + jc + jr) * esz;

			if (mr == uk->mr && nr == uk->nr) {
				uk->fn(kc, ap, bp, cp, ldc, accumulate);
				continue;
			}
			if (accumulate)
				memset(tile, 0, uk->mr * uk->nr * esz);
			for (size_t i = 0; accumulate && i < mr; i++)
				memcpy(tile + i * uk->nr * esz, cp + i * ldc * esz,
				    nr * esz);
			uk->fn(kc, ap, bp, tile, uk->nr, accumulate);
			for (size_t i = 0; i < mr; i++)
				memcpy(cp + i * ldc * esz, tile + i * uk->nr * esz,
				    nr * esz);
		}
	}
}

/*
 * One thread's share of a (jc, pc) step: tasks are (row block, column
 * group) pairs, column groups existing only so that a matrix with fewer row
 * blocks than threads still keeps every thread busy. A thread that gets
 * consecutive tasks of one row block packs that block once.
 */
static void
run_tasks(struct job *job, unsigned char *apack, size_t jc, size_t nc,
    size_t pc, size_t kc, size_t ngroups)
{
	unsigned long long pending = 0;
	const struct gemm_blocks *blk = &job->blk;
	size_t m = job->m, nblocks = ceil_div(m, blk->mc);
	size_t npanels = ceil_div(nc, job->uk->nr);
	size_t packed = (size_t)-1;

	#pragma omp for schedule(dynamic, 1)
	for (size_t t = 0; t < nblocks * ngroups; t++) {
		size_t ib = t / ngroups, g = t % ngroups;
		size_t ic = ib * blk->mc;
		size_t mc = m - ic < blk->mc ? m - ic : blk->mc;
		size_t j0 = npanels * g / ngroups * job->uk->nr;
		size_t j1 = npanels * (g + 1) / ngroups * job->uk->nr;

		if (j1 > nc)
			j1 = nc;
		if (j0 >= j1)
			continue;
		if (packed != ib) {
			pack_block(job, false, ic, mc, pc, kc, job->uk->mr,
			    apack);
			packed = ib;
		}
		macro_kernel(job, apack, ic, mc, jc, j0, j1, kc,
		    pc > 0 || job->accumulate);
		meter_count(&job->meter, &pending,
		    (unsigned long long)mc * (j1 - j0) * kc * (job->pairs ? 2 : 1));
	}
	meter_flush(&job->meter, &pending);
}

/* Packs the kc x nc panel of B at (pc, jc), the threads sharing the work. */
static void
pack_b_panel(const struct job *job, size_t jc, size_t nc, size_t pc, size_t kc)
{
	unsigned nr = job->uk->nr;
	size_t npanels = ceil_div(nc, nr);

	#pragma omp for schedule(static)
	for (size_t q = 0; q < npanels; q++) {
		size_t cols = nc - q * nr < nr ? nc - q * nr : nr;
		unsigned char *dst = job->bpack +
		    q * pack_panel_bytes(nr, kc, job->esz);

		pack_block(job, true, jc + q * nr, cols, pc, kc, nr, dst);
	}
}

static void
run_job(struct job *job, int nthreads)
{
	size_t m = job->m, k = job->k, n = job->n;
	size_t nblocks = ceil_div(m, job->blk.mc);
	size_t ngroups = nblocks >= 2 * (size_t)nthreads ? 1 : (size_t)nthreads;

	#pragma omp parallel num_threads(nthreads)
	{
		unsigned char *apack = job->apack +
		    (size_t)omp_get_thread_num() * job->apack_stride;

		for (size_t jc = 0; jc < n; jc += job->blk.nc) {
			size_t nc = n - jc < job->blk.nc ? n - jc : job->blk.nc;

			for (size_t pc = 0; pc < k; pc += job->blk.kc) {
				size_t kc = k - pc < job->blk.kc ?
				    k - pc : job->blk.kc;

				pack_b_panel(job, jc, nc, pc, kc);
				run_tasks(job, apack, jc, nc, pc, kc, ngroups);
			}
		}
	}
}

void
gemm_progress_part(void *arg, double done, double total)
{
	struct gemm_progress_part *part = arg;

	(void)total;
	if (part->whole != NULL)
		part->whole->fn(part->whole->arg, part->base + done, part->total);
}

/*
 * The bound of overflow.c, (largest sum over a row of |A|) x (largest |B|),
 * bounds every product and every partial sum of every element of C. A
 * uint64 counts by its unsigned value there, so a uint64 of 2^63 or more
 * never passes for a small negative number.
 */
bool
gemm_fits_float64(const struct matrix *a, const struct matrix *b,
    int nthreads)
{
	return dtype_is_exact(a->dtype) && dtype_is_exact(b->dtype) &&
	    overflow_bound(a, b, nthreads) <= (1ull << 53);
}

/*
 * After the exact route: C holds whole-number doubles; make them int64
 * (for a uint64 result, its bits: the sums are not negative).
 */
void
gemm_to_int64(const struct matrix_out *c, int nthreads)
{
	#pragma omp parallel for num_threads(nthreads) schedule(static)
	for (size_t i = 0; i < c->rows; i++) {
		unsigned char *p = (unsigned char *)c->data + i * c->ld * 8;

		for (size_t j = 0; j < c->cols; j++) {
			double d;
			int64_t v;

			memcpy(&d, p + j * 8, 8);
			v = (int64_t)d;
			memcpy(p + j * 8, &v, 8);
		}
	}
}

/* The packed A block of one thread, and the packed B panel, in bytes. */
static size_t
apack_bytes(const struct ukernel *uk, const struct gemm_blocks *blk,
    size_t esz)
{
	return blk->mc / uk->mr * pack_panel_bytes(uk->mr, blk->kc, esz);
}

static size_t
bpack_bytes(const struct ukernel *uk, const struct gemm_blocks *blk,
    size_t esz)
{
	return blk->nc / uk->nr * pack_panel_bytes(uk->nr, blk->kc, esz);
}

/*
 * How a result of type t is summed (t is float64 for an int64 on the exact
 * route): the kernels' type, whether by 1m, and whether through bands.
 */
struct plan {
	enum dtype		 compute;	/* the sums: narrow.h */
	enum dtype		 kernel;	/* the kernels' and the panels' type */
	bool			 cplx, narrow;
	/*
	 * An integer result of 16 bits or fewer, but bool, runs on the pair
	 * kernel: its sums need only their low 16 bits, which int16 pairs
	 * multiplied into int32 give, at twice the products an instruction.
	 */
	bool			 pairs;
	size_t			 esz;		/* of kernel */
	const struct ukernel	*uk;
};

static struct plan
plan_for(const struct kernel_set *ks, enum dtype t, size_t k)
{
	struct plan p;

	p.compute = narrow_compute(t, k);
	p.cplx = dtype_is_complex(t);
	p.kernel = !p.cplx ? p.compute : t == DTYPE_C64 ? DTYPE_F32 :
	    DTYPE_F64;
	p.narrow = narrow_needed(t, p.compute);
	p.pairs = t != DTYPE_BOOL && pack_pairs_takes(t) &&
	    ks->i16x2.fn != NULL;
	p.esz = dtype_size(p.kernel);
	p.uk = p.pairs ? &ks->i16x2 : &ks->k[p.kernel];
	return p;
}

/*
 * A band of a narrow result: about setup->band elements (GEMM_BAND), as
 * square as whole micro-tiles make it, so that both A and B are packed
 * few times over. Its size depends on the setup alone.
 */
struct band {
	size_t	rows, cols;
};

static size_t
isqrt(size_t x)
{
	size_t r = 0;

	while ((r + 1) * (r + 1) <= x)
		r++;
	return r;
}

static struct band
choose_band(const struct gemm_setup *setup, const struct ukernel *uk,
    size_t m, size_t n)
{
	size_t elems = setup->band > 0 ? setup->band : GEMM_BAND;
	struct band b;

	b.cols = round_down(isqrt(elems), uk->nr);
	if (b.cols > n)
		b.cols = n > 0 ? n : 1;
	b.rows = round_down(elems / b.cols, uk->mr);
	if (b.rows > m)
		b.rows = m > 0 ? m : 1;
	return b;
}

size_t
gemm_private_bytes(const struct gemm_setup *setup, enum dtype t, size_t m,
    size_t n, size_t *kc)
{
	struct plan p = plan_for(setup->kernels, t, 0);
	const struct ukernel *uk = p.uk;
	size_t threads = setup->nthreads > 0 ? (size_t)setup->nthreads : 1;
	struct gemm_blocks blk = choose_blocking(setup, uk, p.esz, m,
	    p.cplx ? 2 * n : n, p.cplx);
	size_t bytes = bigbuf_bytes(apack_bytes(uk, &blk, p.esz) * threads) +
	    bigbuf_bytes(bpack_bytes(uk, &blk, p.esz));
	struct boolmm_blocks bb;
	struct band band;

	if (t == DTYPE_BOOL) {
		bb = boolmm_blocks(m, n, 0, setup->blocks.mc, setup->blocks.kc,
		    setup->blocks.nc);
		*kc = bb.kc;
		return bigbuf_bytes(boolmm_bpack_bytes(&bb)) +
		    bigbuf_bytes(boolmm_apack_bytes(&bb) * threads);
	}
	*kc = p.cplx ? blk.kc / 2 : p.pairs ? 2 * blk.kc : blk.kc;
	if (p.narrow) {
		band = choose_band(setup, uk, m, n);
		bytes += bigbuf_bytes(band.rows * band.cols *
		    dtype_size(p.compute));
	}
	return bytes;
}

/*
 * The packing buffers: the caller's, grown if they are too small, or new
 * ones for this call alone.
 */
static int
get_buffers(struct gemm_buffers *keep, size_t asize, size_t bsize,
    void **apack, void **bpack)
{
	struct gemm_buffers own = { 0 }, *buf = keep != NULL ? keep : &own;

	if (buf->apack_size < asize) {
		free(buf->apack);
		buf->apack = bigbuf_alloc(asize, ALIGN);
		buf->apack_size = buf->apack != NULL ? asize : 0;
	}
	if (buf->bpack_size < bsize) {
		free(buf->bpack);
		buf->bpack = bigbuf_alloc(bsize, ALIGN);
		buf->bpack_size = buf->bpack != NULL ? bsize : 0;
	}
	*apack = buf->apack;
	*bpack = buf->bpack;
	if (buf->apack != NULL && buf->bpack != NULL)
		return 0;
	if (keep == NULL) {
		free(own.apack);
		free(own.bpack);
	}
	return -1;
}

void
gemm_result_add(struct gemm_result *into, const struct gemm_result *r)
{
	int most = into->threads > r->threads ? into->threads : r->threads;

	*into = *r;
	into->threads = most;
}

void
gemm_buffers_free(struct gemm_buffers *buf)
{
	free(buf->apack);
	free(buf->bpack);
	memset(buf, 0, sizeof(*buf));
}

/*
 * The route an int64 or uint64 result takes (the same bits either way);
 * false for every other type.
 */
static bool
exact_route(const struct matrix *a, const struct matrix *b,
    const struct matrix_out *c, const struct gemm_call *call, int nthreads)
{
	/* C holds int64s to accumulate onto unless the caller keeps doubles. */
	if ((c->dtype != DTYPE_I64 && c->dtype != DTYPE_U64) ||
	    (call->accumulate && !call->keep_doubles))
		return false;
	if (call->route != GEMM_ROUTE_SCAN)
		return call->route == GEMM_ROUTE_EXACT;
	return gemm_fits_float64(a, b, nthreads);
}

/* C = 0, or left as it is when accumulating: the sum over an empty k. */
static void
empty_sum(const struct matrix_out *c, size_t esz, bool accumulate)
{
	for (size_t i = 0; i < c->rows && !accumulate; i++)
		memset((unsigned char *)c->data + i * c->ld * esz, 0,
		    c->cols * esz);
}

/*
 * The threads a multiply of m x n x k gets: at most one for each
 * GEMM_MIN_WORK multiply-adds (about half a millisecond on one core).
 * Below that, waking threads and their barriers cost more than sharing
 * saves, and far more on a busy machine, where a thread may wait for a
 * core at every barrier; the result is the same for any count.
 */
static int
threads_for(const struct gemm_setup *setup, size_t m, size_t n, size_t k)
{
	double work = (double)m * (double)n * (double)k;
	double fit = work / (double)(setup->min_work > 0 ? setup->min_work :
	    GEMM_MIN_WORK);
	int most = setup->nthreads;

	if (most < 1)
		return 1;
	return fit >= most ? most : fit >= 1 ? (int)fit : 1;
}

/*
 * A narrow result: each band of C summed afresh in the compute type into
 * buf, then stored into C (onto it when accumulating) by narrow_store.
 */
static void
run_bands(struct job *job, const struct matrix *a, const struct matrix *b,
    const struct matrix_out *c, const struct band *band, bool accumulate,
    int nthreads, unsigned char *buf)
{
	size_t m = a->rows, n = b->cols, k = a->cols;

	job->cdata = buf;
	job->ldc = band->cols;
	job->accumulate = false;
	for (size_t i0 = 0; i0 < m; i0 += band->rows) {
		size_t rows = m - i0 < band->rows ? m - i0 : band->rows;

		for (size_t j0 = 0; j0 < n; j0 += band->cols) {
			size_t cols = n - j0 < band->cols ? n - j0 :
			    band->cols;

			job->a = matrix_block(a, i0, i0 + rows, 0, k);
			job->b = matrix_block(b, 0, k, j0, j0 + cols);
			job->m = rows;
			job->n = cols;
			run_job(job, nthreads);
			#pragma omp parallel for num_threads(nthreads) \
			    schedule(static)
			for (size_t i = 0; i < rows; i++)
				narrow_store(buf + i * band->cols * job->esz,
				    band->cols, job->compute, c, i0 + i, j0, 1,
				    cols, accumulate);
		}
	}
}

/* The job of one multiply by plan p, its buffers apart. */
static void
job_init(struct job *job, const struct matrix *a, const struct matrix *b,
    const struct matrix_out *c, const struct plan *p,
    const struct gemm_setup *setup)
{
	job->a = *a;
	job->b = *b;
	job->m = a->rows;
	job->n = p->cplx ? 2 * b->cols : b->cols;
	job->k = p->cplx ? 2 * a->cols : p->pairs ? (a->cols + 1) / 2 :
	    a->cols;
	job->cplx = p->cplx;
	job->pairs = p->pairs;
	job->cdata = c->data;
	job->ldc = p->cplx ? 2 * c->ld : c->ld;
	job->compute = p->kernel;
	job->esz = p->esz;
	job->uk = p->uk;
	job->blk = choose_blocking(setup, job->uk, p->esz, job->m, job->n,
	    p->cplx);
}

/*
 * A bool result (both operands bool): the bitsets of boolmm.h, any shape,
 * accumulating or not, in the caller's buffers when it keeps some.
 */
static int
bool_product(const struct matrix *a, const struct matrix *b,
    const struct matrix_out *c, const struct gemm_setup *setup,
    bool accumulate, int nthreads)
{
	const struct gemm_blocks *f = &setup->blocks;
	struct boolmm_blocks blk = boolmm_blocks(c->rows, c->cols, a->cols,
	    f->mc, f->kc, f->nc);
	void *apack, *bpack;
	struct meter meter;

	if (get_buffers(setup->buffers, boolmm_apack_bytes(&blk) *
	    (size_t)nthreads, boolmm_bpack_bytes(&blk), &apack, &bpack) == -1)
		return ENOMEM;
	meter_init(&meter, setup->progress, (double)c->rows *
	    (double)c->cols * (double)a->cols);
	boolmm(a, b, c, &blk, accumulate, nthreads, bpack, apack, &meter);
	meter_end(&meter);
	if (setup->buffers == NULL) {
		free(apack);
		free(bpack);
	}
	return 0;
}

int
gemm(const struct matrix *a, const struct matrix *b,
    const struct matrix_out *c, const struct gemm_setup *setup,
    const struct gemm_call *call, struct gemm_result *res)
{
	static const struct gemm_call plain = { .route = GEMM_ROUTE_SCAN };
	struct gemm_result ignored;
	struct job job = { .accumulate = false };
	int nthreads = threads_for(setup, a->rows, b->cols, a->cols);
	unsigned char *band_buf = NULL;
	struct band band;
	struct plan p;
	bool exact;

	if (call == NULL)
		call = &plain;
	if (res == NULL)
		res = &ignored;
	*res = (struct gemm_result){ NULL, false, nthreads };
	if (a->cols != b->rows || c->rows != a->rows || c->cols != b->cols ||
	    c->dtype != dtype_promote(a->dtype, b->dtype) || c->ld < c->cols)
		return EINVAL;
	if (c->rows == 0 || c->cols == 0)
		return 0;
	if (a->cols == 0) {
		/* An empty sum is zero: NumPy gives zeros, and so do we. */
		empty_sum(c, dtype_size(c->dtype), call->accumulate);
		return 0;
	}
	/*
	 * A bool result takes the bitsets, but for one row (not
	 * accumulating): the vector path streams B once, where packing
	 * would read a C-order B in short runs a row apart.
	 */
	if (c->dtype == DTYPE_BOOL && (c->rows > 1 || call->accumulate)) {
		res->used = &boolmm_kernel;
		return bool_product(a, b, c, setup, call->accumulate,
		    nthreads);
	}
	p = plan_for(setup->kernels, c->dtype, a->cols);
	if (!p.cplx && (c->rows == 1 || c->cols == 1)) {
		meter_init(&job.meter, setup->progress, (double)c->rows *
		    (double)c->cols * (double)a->cols);
		return call->accumulate ? EINVAL :
		    gemv(a, b, c, nthreads, &job.meter);
	}
	/* Pairs count an odd k's padding step as a whole pair. */
	meter_init(&job.meter, setup->progress, (double)c->rows *
	    (double)c->cols * (p.pairs ? (double)((a->cols + 1) / 2 * 2) :
	    (double)a->cols * (p.cplx ? 4 : 1)));
	exact = exact_route(a, b, c, call, nthreads);
	if (exact)
		p = plan_for(setup->kernels, DTYPE_F64, a->cols);
	job_init(&job, a, b, c, &p, setup);
	job.accumulate = call->accumulate;
	if (job.uk->mr * job.uk->nr * job.esz > MAX_TILE_BYTES)
		return EINVAL;
	res->used = job.uk;
	res->exact_route = exact;
	job.apack_stride = apack_bytes(job.uk, &job.blk, job.esz);
	if (p.narrow) {
		band = choose_band(setup, job.uk, c->rows, c->cols);
		band_buf = bigbuf_alloc(band.rows * band.cols * job.esz,
		    ALIGN);
		if (band_buf == NULL)
			return ENOMEM;
	}
	if (get_buffers(setup->buffers, job.apack_stride * (size_t)nthreads,
	    bpack_bytes(job.uk, &job.blk, job.esz), (void **)&job.apack,
	    (void **)&job.bpack) == -1) {
		free(band_buf);
		return ENOMEM;
	}
	if (p.narrow)
		run_bands(&job, a, b, c, &band, call->accumulate, nthreads,
		    band_buf);
	else
		run_job(&job, nthreads);
	if (exact && !call->keep_doubles)
		gemm_to_int64(c, nthreads);
	meter_end(&job.meter);
	free(band_buf);
	if (setup->buffers == NULL) {
		free(job.apack);
		free(job.bpack);
	}
	return 0;
}
