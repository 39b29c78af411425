#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <stdint.h>
#include <unistd.h>

#include "core/arith.h"
#include "core/bigbuf.h"
#include "core/dtype.h"
#include "io/blockread.h"
#include "io/outofcore.h"
#include "io/reader.h"

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

/* Where the walk over the calls of the engine is: piece i of a tile. */
struct pos {
	size_t	band, tile, i;
};

/* A job of the reader: the inputs of one call of the engine. */
struct fetch {
	struct file_block	 a, b;		/* a.m NULL: no A to read */
	unsigned char		*abuf, *bbuf;
	struct matrix		 av, bv;	/* the views read */
	int			 err;
};

/*
 * A job of the reader: rows of C written, to be written back to disk and
 * dropped (finish), or only to start going to disk.
 */
struct write_back {
	int			 fd;
	off_t			 off, len;
	bool			 finish;
	int			 err;
};

/*
 * Where the inputs are read to: the band of A or two slabs of it, two
 * pieces of B (slots apart), the tile of C; and the files opened for
 * direct reads (-1: through the page cache).
 */
struct ooc_buffers {
	unsigned char	*a, *b, *c;
	size_t		 a_slot, b_slot;
	int		 a_direct, b_direct;
};

/* What every call of the engine in one out-of-core multiply shares. */
struct ooc_run {
	const struct matrix		*a, *b;
	const struct matrix_out		*c;
	const struct tile_plan		*plan;
	const struct tile_problem	*q;
	const struct ooc_files		*f;
	struct gemm_setup		 setup;	/* the caller's, with our hook */
	enum gemm_route			 route;
	struct gemm_progress_part	 part;
	struct gemm_result		*res;
	bool				 a_whole; /* A read a band at a time */
	bool				 keep;	/* int64 sums kept as doubles */
	struct ooc_buffers		 buf;
	struct matrix			 aband;	/* the band read, when whole */
	struct reader			 reader;
	struct write_back		 wb;	/* the last write-back */
};

/*
 * B stored by columns: a slab would be a run of bytes a column, but a
 * strip of whole columns is one run. A tile of cols columns is cut into
 * strips of about strip columns, each summed over all of k at once; at
 * least 2 columns each keep the engine off its vector path.
 */
static size_t
strip_count(size_t cols, size_t strip)
{
	size_t n = ceil_div(cols, strip);

	if (n > cols / 2)
		n = cols / 2 > 0 ? cols / 2 : 1;
	return n;
}

/* The calls of the engine one tile of cols columns takes. */
static size_t
tile_pieces(const struct ooc_run *run, size_t cols)
{
	return by_rows(run->b) ? ceil_div(run->a->cols, run->q->slab) :
	    strip_count(cols, run->q->strip);
}

/* The tile at p, whole. */
static struct tile
tile_at(const struct ooc_run *run, const struct pos *p)
{
	struct tile t = { 0, 0, 0, 0, 0, run->a->cols };

	tile_range(run->c->rows, run->plan->nbands, p->band, &t.r0, &t.r1);
	tile_range(run->c->cols, run->plan->ntiles, p->tile, &t.c0, &t.c1);
	return t;
}

/* The part of the tile at p that its call computes: a slab, or a strip. */
static struct tile
piece_at(const struct ooc_run *run, const struct pos *p)
{
	struct tile t = tile_at(run, p);
	size_t k = run->a->cols, slab = run->q->slab, lo, hi;

	if (by_rows(run->b)) {
		t.p0 = p->i * slab;
		t.p1 = k - t.p0 < slab ? k : t.p0 + slab;
	} else {
		tile_range(t.c1 - t.c0, strip_count(t.c1 - t.c0,
		    run->q->strip), p->i, &lo, &hi);
		t.c1 = t.c0 + hi;
		t.c0 += lo;
	}
	return t;
}

/* Moves p to the next call: false after the last. */
static bool
advance(const struct ooc_run *run, struct pos *p)
{
	struct tile t = tile_at(run, p);

	if (++p->i < tile_pieces(run, t.c1 - t.c0))
		return true;
	p->i = 0;
	if (++p->tile < run->plan->ntiles)
		return true;
	p->tile = 0;
	return ++p->band < run->plan->nbands;
}

static void
fetch_job(void *arg)
{
	struct fetch *f = arg;

	if (f->a.m != NULL)
		f->err = block_read(&f->a, f->abuf, &f->av);
	if (f->err == 0 && f->b.m != NULL)
		f->err = block_read(&f->b, f->bbuf, &f->bv);
}

/* Written back and dropped, so that dirty pages never pile up. */
static void
write_back_job(void *arg)
{
	struct write_back *w = arg;

	unsigned flags = SYNC_FILE_RANGE_WRITE;

	if (w->finish)
		flags |= SYNC_FILE_RANGE_WAIT_BEFORE |
		    SYNC_FILE_RANGE_WAIT_AFTER;
	if (sync_file_range(w->fd, w->off, w->len, flags) == -1)
		w->err = EIO;
	else if (w->finish)
		posix_fadvise(w->fd, w->off, w->len, POSIX_FADV_DONTNEED);
}

/* The fetch for the call at p, into buffer slot s. */
static void
fetch_for(const struct ooc_run *run, const struct pos *p, int s,
    struct fetch *f)
{
	struct tile t = piece_at(run, p);

	*f = (struct fetch){ .err = 0 };
	f->b = (struct file_block){ run->f->b, run->b, t.p0, t.p1, t.c0,
	    t.c1, run->buf.b_direct };
	f->bbuf = run->buf.b + (size_t)s * run->buf.b_slot;
	if (!run->a_whole) {
		f->a = (struct file_block){ run->f->a, run->a, t.r0, t.r1, t.p0,
		    t.p1, run->buf.a_direct };
		f->abuf = run->buf.a + (size_t)s * run->buf.a_slot;
	}
}

/* Reads the band of A at p whole, before its first call. */
static int
read_band(struct ooc_run *run, const struct pos *p)
{
	struct tile t = tile_at(run, p);
	struct file_block fb = { run->f->a, run->a, t.r0, t.r1, 0,
	    run->a->cols, run->buf.a_direct };

	return block_read(&fb, run->buf.a, &run->aband);
}

/*
 * One call of the engine: rows [i0, i1) of the piece at p, its inputs
 * read into f.
 */
static int
run_piece(struct ooc_run *run, const struct pos *p, const struct fetch *f,
    size_t i0, size_t i1)
{
	struct tile t = piece_at(run, p), whole = tile_at(run, p);
	size_t csz = dtype_size(run->c->dtype), ld = whole.c1 - whole.c0;
	struct matrix ta = matrix_block(run->a_whole ? &run->aband : &f->av,
	    i0, i1, run->a_whole ? t.p0 : 0, run->a_whole ? t.p1 : t.p1 -
	    t.p0);
	struct matrix_out tc = { run->buf.c + (i0 * ld + t.c0 - whole.c0) *
	    csz, i1 - i0, t.c1 - t.c0, ld, run->c->dtype };
	struct gemm_call call = { .accumulate = t.p0 > 0,
	    .keep_doubles = run->keep, .route = run->route };
	struct gemm_result res;
	int e;

	e = gemm(&ta, &f->bv, &tc, &run->setup, &call, &res);
	gemm_result_add(run->res, &res);
	run->part.base += (double)tc.rows * (double)tc.cols *
	    (double)(t.p1 - t.p0);
	return e;
}

static int
write_all(int fd, const unsigned char *p, size_t len, off_t off)
{
	while (len > 0) {
		ssize_t put = pwrite(fd, p, len, off);

		if (put == -1 && errno == EINTR)
			continue;
		if (put <= 0)
			return EIO;
		p += put;
		off += put;
		len -= (size_t)put;
	}
	return 0;
}

/*
 * Rows [i0, i1) of the tile at p are done: their sums made int64s if kept
 * as doubles, and they are written to the output file, then handed to
 * the reader to be written back to disk once its job before is done.
 * Rows that follow each other in the file go in one write. Tiles narrower
 * than C share pages at their edges, which dropping one tile's pages
 * would make the next tile's writes read back from the disk first: their
 * rows only start going to disk, and the band waits and drops them once
 * its last tile is written.
 */
static int
write_rows(struct ooc_run *run, const struct pos *p, size_t i0, size_t i1)
{
	const struct matrix_out *c = run->c;
	struct tile t = tile_at(run, p);
	size_t csz = dtype_size(c->dtype), cols = t.c1 - t.c0;
	size_t rows = i1 - i0, row = cols * csz;
	bool whole = cols == c->ld;
	const unsigned char *src = run->buf.c + i0 * row;
	off_t base = (off_t)((const unsigned char *)c->data -
	    (const unsigned char *)run->f->c->addr);
	off_t at = base + (off_t)(((t.r0 + i0) * c->ld + t.c0) * csz);
	struct matrix_out tc = { (void *)src, rows, cols, cols, c->dtype };

	if (run->keep)
		gemm_to_int64(&tc, run->setup.nthreads);
	if (!output_intact(run->f->c))
		return EIO;
	for (size_t i = 0; i < (whole ? 1 : rows); i++)
		if (write_all(run->f->c->fd, src + i * row, whole ? rows *
		    row : row, at + (off_t)(i * c->ld * csz)) != 0)
			return EIO;
	if (!output_intact(run->f->c))
		return EIO;
	reader_wait(&run->reader);
	if (run->wb.err != 0)
		return run->wb.err;
	run->wb = (struct write_back){ run->f->c->fd, at, (off_t)(((rows -
	    1) * c->ld + cols) * csz), run->plan->ntiles == 1, 0 };
	if (run->plan->ntiles > 1 && p->tile + 1 == run->plan->ntiles &&
	    i1 == t.r1 - t.r0) {
		run->wb.off = base + (off_t)(t.r0 * c->ld * csz);
		run->wb.len = (off_t)((t.r1 - t.r0) * c->ld * csz);
		run->wb.finish = true;
	}
	reader_post(&run->reader, write_back_job, &run->wb);
	return 0;
}

/*
 * The call at p, the last of its tile when last: then in TILE_WB_PARTS
 * parts of its rows, each written once done, so that only a part or two
 * of the tile wait to be written back at a time (a tile finished by a
 * strip of B's columns is written at once).
 */
static int
run_call(struct ooc_run *run, const struct pos *p, const struct fetch *f,
    bool last)
{
	struct tile t = tile_at(run, p);
	size_t rows = t.r1 - t.r0, parts = !last ? 1 : !by_rows(run->b) ?
	    1 : rows / 2 < TILE_WB_PARTS ? rows / 2 : TILE_WB_PARTS;
	size_t i0, i1;
	int e = 0;

	if (!last)
		return run_piece(run, p, f, 0, rows);
	for (size_t j = 0; j < parts && e == 0; j++) {
		tile_range(rows, parts, j, &i0, &i1);
		if ((e = run_piece(run, p, f, i0, i1)) == 0)
			e = write_rows(run, p, i0, i1);
	}
	return e;
}

/*
 * Every call in turn, the reader fetching the next one's inputs (and
 * writing back what is done) while the engine runs.
 */
static int
walk(struct ooc_run *run)
{
	struct fetch f[2];
	struct pos p = { 0, 0, 0 }, n;
	bool more = true;
	int s = 0, e = 0;

	if (run->a_whole)
		e = read_band(run, &p);
	fetch_for(run, &p, 0, &f[0]);
	if (e == 0 && (fetch_job(&f[0]), (e = f[0].err) == 0))
		for (; more && e == 0; p = n, s ^= 1) {
			n = p;
			if ((more = advance(run, &n))) {
				fetch_for(run, &n, s ^ 1, &f[s ^ 1]);
				reader_post(&run->reader, fetch_job, &f[s ^ 1]);
			}
			e = run_call(run, &p, &f[s], !more ||
			    n.tile != p.tile || n.band != p.band);
			reader_wait(&run->reader);
			if (e == 0 && more)
				e = f[s ^ 1].err;
			if (e == 0 && more && n.band != p.band && run->a_whole)
				e = read_band(run, &n);
		}
	reader_wait(&run->reader);
	return e != 0 ? e : run->wb.err;
}

/* The largest strip of B by columns any tile reads. */
static size_t
widest_strip(const struct ooc_run *run)
{
	size_t lo = run->c->cols / run->plan->ntiles, widest = 0;

	for (size_t w = lo > 2 ? lo : 2; w <= run->plan->cols; w++) {
		size_t n = strip_count(w, run->q->strip);

		widest = ceil_div(w, n) > widest ? ceil_div(w, n) : widest;
	}
	return widest;
}

/* The buffers: the band of A or two slabs, two pieces of B, a tile of C. */
static int
get_buffers(struct ooc_run *run)
{
	const struct tile_problem *q = run->q;
	struct ooc_buffers *buf = &run->buf;
	size_t rows = run->plan->rows, cols = run->plan->cols, k = q->k;

	buf->a_slot = block_buffer_bytes(rows * (run->a_whole ? k : q->slab) *
	    q->a_size);
	buf->b_slot = block_buffer_bytes((by_rows(run->b) ? q->slab * cols :
	    k * widest_strip(run)) * q->b_size);
	buf->a = bigbuf_alloc(buf->a_slot * (run->a_whole ? 1 : 2),
	    BLOCK_ALIGN);
	buf->b = bigbuf_alloc(2 * buf->b_slot, BLOCK_ALIGN);
	buf->c = bigbuf_alloc(rows * cols * q->c_size, 64);
	return buf->a && buf->b && buf->c ? 0 : ENOMEM;
}

int
ooc_gemm(const struct matrix *a, const struct matrix *b,
    const struct matrix_out *c, const struct tile_plan *plan,
    const struct tile_problem *q, const struct ooc_files *f,
    const struct gemm_setup *setup, enum gemm_route route,
    struct gemm_result *res)
{
	struct ooc_run run = { .a = a, .b = b, .c = c, .plan = plan, .q = q,
	    .f = f, .setup = *setup, .route = route, .part = {
	    setup->progress, 0, (double)c->rows * (double)c->cols *
	    (double)a->cols }, .res = res, .a_whole = tile_a_whole(q),
	    .keep = c->dtype == DTYPE_I64 && route == GEMM_ROUTE_EXACT &&
	    by_rows(b), .wb = { .fd = -1 } };
	struct gemm_progress hook = { gemm_progress_part, &run.part };
	struct gemm_buffers buffers = { 0 };
	int e;

	*res = (struct gemm_result){ NULL, false, 0 };
	run.setup.progress = &hook;
	run.setup.buffers = &buffers;
	run.buf.a_direct = block_direct_open(f->a);
	run.buf.b_direct = block_direct_open(f->b);
	if ((e = get_buffers(&run)) == 0) {
		reader_start(&run.reader);
		e = walk(&run);
		reader_stop(&run.reader);
	}
	if (run.buf.a_direct != -1)
		close(run.buf.a_direct);
	if (run.buf.b_direct != -1)
		close(run.buf.b_direct);
	free(run.buf.a);
	free(run.buf.b);
	free(run.buf.c);
	gemm_buffers_free(&buffers);
	return e;
}
