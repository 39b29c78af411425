#include <errno.h>
#include <stdint.h>
#include <unistd.h>

#include "core/arith.h"
#include "core/dtype.h"
#include "io/outofcore.h"

/* The pages of one region of a view: rows [r0, r1), columns [c0, c1). */
struct region {
	const unsigned char	*data;
	ptrdiff_t		 rs, cs;	/* strides, in bytes */
	size_t			 r0, r1, c0, c1;
};

/*
 * Applies advice to the region. Reading ahead and faulting in go one
 * contiguous run of bytes at a time (along each row when rows are
 * contiguous, along each column when columns are; runs a page or less
 * apart merged), so that nothing outside the region is read. Dropping and
 * writing back take the region's whole span in one call: a call costs far
 * more than the pages between its runs, which are not held anyway.
 */
static int
advise_region(const void *base, int fd, const struct region *rg,
    enum page_advice advice)
{
	bool by_rows = rg->cs <= rg->rs;
	size_t outer0 = by_rows ? rg->r0 : rg->c0, outer1 = by_rows ? rg->r1 :
	    rg->c1, in0 = by_rows ? rg->c0 : rg->r0, in1 = by_rows ? rg->c1 :
	    rg->r1;
	ptrdiff_t step = by_rows ? rg->rs : rg->cs, unit = by_rows ? rg->cs :
	    rg->rs;
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE), lo = 0, hi = 0;
	bool whole = advice == PAGES_DROP || advice == PAGES_WRITE_BACK;

	if (outer0 >= outer1 || in0 >= in1)
		return 0;
	for (size_t o = outer0; o < outer1; o++) {
		uintptr_t a = (uintptr_t)(rg->data + (ptrdiff_t)o * step +
		    (ptrdiff_t)in0 * unit);
		uintptr_t b = a + (uintptr_t)((in1 - in0) * (size_t)unit);

		if (hi != 0 && (whole || a <= hi + page)) {
			hi = b > hi ? b : hi;
			continue;
		}
		if (hi != 0 && pages_advise(base, fd, (void *)lo, hi - lo,
		    advice) == -1)
			return -1;
		lo = a;
		hi = b;
	}
	return pages_advise(base, fd, (void *)lo, hi - lo, advice);
}

static int
advise_view(const struct mapped_input *m, const struct matrix *v, size_t r0,
    size_t r1, size_t c0, size_t c1, enum page_advice advice)
{
	ptrdiff_t s = (ptrdiff_t)dtype_size(v->dtype);
	struct region rg = { v->data, v->rs * s, v->cs * s, r0, r1, c0, c1 };

	return advise_region(m->addr, m->fd, &rg, advice);
}

static int
advise_out(const struct output_file *o, const struct matrix_out *c,
    size_t r0, size_t r1, size_t c0, size_t c1, enum page_advice advice)
{
	ptrdiff_t s = (ptrdiff_t)dtype_size(c->dtype);
	struct region rg = { c->data, (ptrdiff_t)c->ld * s, s, r0, r1, c0, c1 };

	return advise_region(o->addr, o->fd, &rg, advice);
}

/* Rows (or columns) of a view are contiguous: its column stride is 1. */
static bool
by_rows(const struct matrix *v)
{
	return v->cs == 1 || v->cols <= 1;
}

/* Slabs of B a sixteenth of the budget, in whole blocks of kc. */
static size_t
choose_slab(size_t kc, size_t n, const struct tile_problem *q)
{
	uint64_t per_block = (uint64_t)kc * ((uint64_t)n * q->b_size + q->page);
	uint64_t budget = q->budget;
	uint64_t blocks = budget / 16 / per_block;

	return kc * (size_t)(blocks > 1 ? (blocks < 64 ? blocks : 64) : 1);
}

bool
ooc_plan(struct tile_plan *plan, struct tile_problem *q,
    const struct matrix *a, const struct matrix *b,
    const struct matrix_out *c, uint64_t file_bytes, uint64_t budget,
    const struct gemm_setup *setup, enum gemm_route *route)
{
	size_t kc, buffers = gemm_private_bytes(setup, c->dtype, c->rows,
	    c->cols, &kc);

	*route = GEMM_ROUTE_SCAN;
	if (c->rows < 2 || c->cols < 2 || a->cols == 0 ||
	    file_bytes + buffers <= budget)
		return false;
	/* The int64 route picks the kernels, and so the blocks: settle it. */
	if (c->dtype == DTYPE_I64)
		*route = gemm_fits_float64(a, b, setup->nthreads) ?
		    GEMM_ROUTE_EXACT : GEMM_ROUTE_INTEGER;
	if (*route == GEMM_ROUTE_EXACT)
		buffers = gemm_private_bytes(setup, DTYPE_F64, c->rows, c->cols,
		    &kc);
	q->m = c->rows;
	q->n = c->cols;
	q->k = a->cols;
	q->a_size = dtype_size(a->dtype);
	q->b_size = dtype_size(b->dtype);
	q->c_size = dtype_size(c->dtype);
	q->a_by_rows = by_rows(a);
	q->b_by_rows = by_rows(b);
	q->page = (size_t)sysconf(_SC_PAGESIZE);
	q->strip = 0;
	q->budget = budget > buffers ? budget - buffers : 0;
	if (!q->b_by_rows) {
		/* Strips of whole columns of B, a sixteenth of the budget. */
		uint64_t per_col = (uint64_t)q->k * q->b_size + q->page;

		q->slab = q->k;
		q->strip = q->budget / 16 / per_col > 2 ?
		    (size_t)(q->budget / 16 / per_col) : 2;
		tile_plan(plan, q);
		return true;
	}
	/* The slab for whole rows of B first, then for the tiles planned. */
	q->slab = choose_slab(kc, q->n, q);
	tile_plan(plan, q);
	q->slab = choose_slab(kc, plan->cols, q);
	tile_plan(plan, q);
	return true;
}

/* One tile of C, and the part of the sum one gemm call does. */
struct tile {
	size_t	r0, r1, c0, c1, p0, p1;
};

/* What every call of the engine in one out-of-core multiply shares. */
struct ooc_run {
	const struct ooc_files		*f;
	struct gemm_setup		 setup;	/* the caller's, with our hook */
	enum gemm_route			 route;
	struct gemm_progress_part	 part;
	struct gemm_result		*res;
};

/* Whether the band of op(A) is read whole, at the start of its band. */
static bool
a_band_whole(const struct matrix *a, const struct matrix *b)
{
	return by_rows(a) || !by_rows(b);
}

/*
 * Reads ahead, or drops, the piece of B one call uses: a slab of rows p0
 * to p1 of its columns, or a strip of its columns c0 to c1 (and of A,
 * when A streams in slabs too).
 */
static void
advise_piece(const struct ooc_files *f, const struct matrix *a,
    const struct matrix *b, const struct tile *t, enum page_advice advice)
{
	advise_view(f->b, b, t->p0, t->p1, t->c0, t->c1, advice);
	if (!a_band_whole(a, b))
		advise_view(f->a, a, t->r0, t->r1, t->p0, t->p1, advice);
}

/* The tile's part of C. */
static struct matrix_out
tile_out(const struct matrix_out *c, const struct tile *t)
{
	struct matrix_out tc = *c;

	tc.data = (unsigned char *)c->data + (t->r0 * c->ld + t->c0) *
	    dtype_size(c->dtype);
	tc.rows = t->r1 - t->r0;
	tc.cols = t->c1 - t->c0;
	return tc;
}

/*
 * One call of the engine on piece t, its successor next read ahead while
 * it runs, t dropped once summed. Slabs after the first accumulate.
 */
static int
run_piece(const struct matrix *a, const struct matrix *b,
    const struct matrix_out *c, const struct tile *t, const struct tile *next,
    struct ooc_run *run, bool keep_doubles)
{
	struct matrix ta = matrix_block(a, t->r0, t->r1, t->p0, t->p1);
	struct matrix tb = matrix_block(b, t->p0, t->p1, t->c0, t->c1);
	struct matrix_out tc = tile_out(c, t);
	struct gemm_call call = { .accumulate = t->p0 > 0,
	    .keep_doubles = keep_doubles, .route = run->route };
	struct gemm_result res;
	int e;

	if (next != NULL)
		advise_piece(run->f, a, b, next, PAGES_WILLNEED);
	e = gemm(&ta, &tb, &tc, &run->setup, &call, &res);
	gemm_result_add(run->res, &res);
	advise_piece(run->f, a, b, t, PAGES_DROP);
	run->part.base += (double)tc.rows * (double)tc.cols *
	    (double)(t->p1 - t->p0);
	return e;
}

/* B stored by rows: the tile's sum over k, slab by slab. */
static int
sum_slabs(const struct matrix *a, const struct matrix *b,
    const struct matrix_out *c, struct tile t, size_t slab,
    struct ooc_run *run)
{
	struct matrix_out tc = tile_out(c, &t);
	size_t k = a->cols;
	bool keep = c->dtype == DTYPE_I64 && run->route == GEMM_ROUTE_EXACT;
	int e = 0;

	t.p0 = 0;
	t.p1 = slab < k ? slab : k;
	advise_piece(run->f, a, b, &t, PAGES_WILLNEED);
	while (t.p0 < k && e == 0) {
		struct tile next = t;

		next.p0 = t.p1;
		next.p1 = t.p1 + slab < k ? t.p1 + slab : k;
		e = run_piece(a, b, c, &t, &next, run, keep);
		t = next;
	}
	if (e == 0 && keep)
		gemm_to_int64(&tc, run->setup.nthreads);
	return e;
}

/* Strip i of n of the tile's columns, summed over all k rows. */
static struct tile
strip_of(const struct tile *tile, size_t n, size_t i, size_t k)
{
	struct tile t = *tile;

	tile_range(tile->c1 - tile->c0, n, i, &t.c0, &t.c1);
	t.c0 += tile->c0;
	t.c1 += tile->c0;
	t.p0 = 0;
	t.p1 = k;
	return t;
}

/*
 * B stored by columns: a slab would be a run of bytes a column, but a
 * strip of whole columns is one run: the tile's columns, strip by strip,
 * each summed over all of k at once. Strips of at least 2 columns keep
 * the engine off its vector path.
 */
static int
sum_strips(const struct matrix *a, const struct matrix *b,
    const struct matrix_out *c, const struct tile *tile, size_t strip,
    struct ooc_run *run)
{
	size_t cols = tile->c1 - tile->c0, n = ceil_div(cols, strip);
	struct tile t;
	int e = 0;

	if (n > cols / 2)
		n = cols / 2 > 0 ? cols / 2 : 1;
	t = strip_of(tile, n, 0, a->cols);
	advise_piece(run->f, a, b, &t, PAGES_WILLNEED);
	for (size_t i = 0; i < n && e == 0; i++) {
		struct tile next = strip_of(tile, n, i + 1 < n ? i + 1 : i,
		    a->cols);

		e = run_piece(a, b, c, &t, i + 1 < n ? &next : NULL, run,
		    false);
		t = next;
	}
	return e;
}

/* C[r0:r1, c0:c1], then written back to disk and dropped. */
static int
run_tile(const struct matrix *a, const struct matrix *b,
    const struct matrix_out *c, const struct tile *t,
    const struct tile_problem *q, struct ooc_run *run)
{
	const struct output_file *out = run->f->c;
	int e;

	/* Faulted in at once when its rows are whole: one call, not a row. */
	if (t->c1 - t->c0 == c->cols)
		advise_out(out, c, t->r0, t->r1, t->c0, t->c1, PAGES_POPULATE);
	e = by_rows(b) ? sum_slabs(a, b, c, *t, q->slab, run) :
	    sum_strips(a, b, c, t, q->strip, run);
	if (e == 0 && advise_out(out, c, t->r0, t->r1, t->c0, t->c1,
	    PAGES_WRITE_BACK) == -1)
		e = EIO;
	return e;
}

int
ooc_gemm(const struct matrix *a, const struct matrix *b,
    const struct matrix_out *c, const struct tile_plan *plan,
    const struct tile_problem *q, const struct ooc_files *f,
    const struct gemm_setup *setup, enum gemm_route route,
    struct gemm_result *res)
{
	struct ooc_run run = { f, *setup, route, { setup->progress, 0,
	    (double)c->rows * (double)c->cols * (double)a->cols }, res };
	struct gemm_progress hook = { gemm_progress_part, &run.part };
	struct gemm_buffers buffers = { 0 };
	int e = 0;

	*res = (struct gemm_result){ NULL, false, 0 };
	run.setup.progress = &hook;
	run.setup.buffers = &buffers;
	/* Reads happen when advised, not around each fault. */
	advise_view(f->a, a, 0, a->rows, 0, a->cols, PAGES_RANDOM);
	advise_view(f->b, b, 0, b->rows, 0, b->cols, PAGES_RANDOM);
	for (size_t band = 0; band < plan->nbands && e == 0; band++) {
		struct tile t;

		tile_range(c->rows, plan->nbands, band, &t.r0, &t.r1);
		if (a_band_whole(a, b))
			advise_view(f->a, a, t.r0, t.r1, 0, a->cols,
			    PAGES_WILLNEED);
		for (size_t i = 0; i < plan->ntiles && e == 0; i++) {
			tile_range(c->cols, plan->ntiles, i, &t.c0, &t.c1);
			e = run_tile(a, b, c, &t, q, &run);
		}
		advise_view(f->a, a, t.r0, t.r1, 0, a->cols, PAGES_DROP);
	}
	gemm_buffers_free(&buffers);
	return e;
}
