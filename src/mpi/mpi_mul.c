/* A multiply shared by the ranks of an MPI run; see mpi_mul.h. */
#include <err.h>
#include <errno.h>
#include <limits.h>
#include <mpi.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arith.h"
#include "core/dtype.h"
#include "core/overflow.h"
#include "io/membudget.h"
#include "io/procfile.h"
#include "mpi/mpi_mul.h"
#include "mpi/mpi_output.h"
#include "mpi/mpi_run.h"
#include "io/clock.h"

/*
 * The most of C a rank holds in private memory at once, unless three rows
 * are more. Large enough that packing B again for every chunk costs
 * nothing measurable, small beside any node's memory.
 */
#define CHUNK_BYTES	((size_t)64 << 20)

/* What the inputs are, as far as the plan depends on them. */
enum { SEEN_DTYPE, SEEN_ORDER, SEEN_FORTRAN, SEEN_NDIM, SEEN_ROWS, SEEN_COLS,
    SEEN_FIELDS };

static void
seen(uint64_t *v, const struct npy_header *h)
{
	v[SEEN_DTYPE] = h->dtype;
	v[SEEN_ORDER] = h->big_endian;
	v[SEEN_FORTRAN] = h->fortran_order;
	v[SEEN_NDIM] = (uint64_t)h->ndim;
	v[SEEN_ROWS] = h->ndim > 0 ? h->shape[0] : 0;
	v[SEEN_COLS] = h->ndim > 1 ? h->shape[1] : 0;
}

/* "5x4 float64 (Fortran order, big-endian)", into buf. */
static const char *
seen_str(char *buf, size_t len, const uint64_t *v)
{
	char s[64];

	snprintf(buf, len, "%s %s%s%s", shape_str(s, sizeof(s),
	    (int)v[SEEN_NDIM], v + SEEN_ROWS),
	    dtype_name((enum dtype)v[SEEN_DTYPE]),
	    v[SEEN_FORTRAN] ? ", Fortran order" : "",
	    v[SEEN_ORDER] ? ", big-endian" : "");
	return buf;
}

static int
compare_seen(const uint64_t *mine, const uint64_t *root, const char *path)
{
	char m[128], r[128];

	if (memcmp(mine, root, SEEN_FIELDS * sizeof(*mine)) == 0)
		return 0;
	warnx("%s: rank %d reads %s where rank 0 reads %s (every rank must "
	    "see the same file: put it on a filesystem they share)", path,
	    mpi_rank(), seen_str(m, sizeof(m), mine),
	    seen_str(r, sizeof(r), root));
	return -1;
}

/* Returns 0, or -1 once the lowest rank that differs has said how. */
static int
same_inputs(const struct npy_header *a, const char *a_path,
    const struct npy_header *b, const char *b_path)
{
	uint64_t mine[2][SEEN_FIELDS], root[2][SEEN_FIELDS];

	/* Where a rank that could not open its inputs joins the others. */
	if (mpi_agree(false) == -1)
		return -1;
	seen(mine[0], a);
	seen(mine[1], b);
	memcpy(root, mine, sizeof(root));
	mpi_share(root, sizeof(root));
	return mpi_agree(compare_seen(mine[0], root[0], a_path) == -1 ||
	    compare_seen(mine[1], root[1], b_path) == -1);
}

/* The smallest of every rank's v. */
static uint64_t
least(uint64_t v)
{
	uint64_t all;

	MPI_Allreduce(&v, &all, 1, MPI_UINT64_T, MPI_MIN, MPI_COMM_WORLD);
	return all;
}

static uint64_t
most(uint64_t v)
{
	uint64_t all;

	MPI_Allreduce(&v, &all, 1, MPI_UINT64_T, MPI_MAX, MPI_COMM_WORLD);
	return all;
}

/*
 * gemm_fits_float64 of the whole problem, shared out: the bound is the
 * largest row sum of op(A) times the largest element of op(B), each rank
 * taking a share of op(A)'s rows and of op(B)'s, so that no rank reads all
 * of B. The same answer as one process's scan, to the bit.
 */
static enum gemm_route
settle_route(const struct rank_mul *job)
{
	static const int64_t one = 1;
	const struct matrix unit = { &one, 1, 1, 1, 1, DTYPE_I64, false };
	struct row_range ra = rowsplit_share(job->a->rows, mpi_size(),
	    mpi_rank());
	struct row_range rb = rowsplit_share(job->b->rows, mpi_size(),
	    mpi_rank());
	struct matrix a = rowsplit_view(job->a, ra), b = rowsplit_view(job->b,
	    rb);
	uint64_t sum, top;

	if (job->dtype != DTYPE_I64 || !dtype_is_int(job->a->dtype) ||
	    !dtype_is_int(job->b->dtype))
		return GEMM_ROUTE_INTEGER;
	sum = most(overflow_bound(&a, &unit, job->setup->nthreads));
	top = most(overflow_bound(&unit, &b, job->setup->nthreads));
	return mul_sat(sum, top) <= (1ull << 53) ? GEMM_ROUTE_EXACT :
	    GEMM_ROUTE_INTEGER;
}

/* The problem as the plans see it, with the engine's kc. */
static size_t
describe(struct rank_mul *job)
{
	struct grid_problem *q = &job->problem;
	enum dtype compute = job->route == GEMM_ROUTE_EXACT ? DTYPE_F64 :
	    job->dtype;
	size_t kc, bytes;

	*q = (struct grid_problem){ job->a->rows, job->a->cols, job->b->cols,
	    dtype_size(job->a->dtype), dtype_size(job->b->dtype),
	    dtype_size(job->dtype), 0 };
	bytes = gemm_private_bytes(job->setup, compute, q->m, q->n, &kc);
	q->kc = kc;
	return bytes;
}

/* Whether MPI-IO can address C's tiles: its rows, a row's bytes, ints. */
static bool
grid_addressable(const struct grid_problem *q)
{
	return q->m <= INT_MAX && q->n <= INT_MAX / q->c_size;
}

static void
refuse_budget(const struct rank_mul *job, const struct mem_budget *mb,
    uint64_t budget)
{
	char need[32], have[32];
	struct grid_plan plan;
	struct grid_traffic t;
	int p = mpi_size(), n;

	if (job->grid_rows > 0)
		grid_make(&job->problem, p, job->grid_rows, job->grid_cols,
		    &plan);
	else
		grid_make(&job->problem, p, 0, 0, &plan);
	grid_worst(&job->problem, &plan, &t);
	n = grid_ranks_needed(&job->problem, p + 1, 1 << 16, budget);
	mem_size_str(need, sizeof(need), t.held);
	mem_size_str(have, sizeof(have), budget);
	if (n > 0)
		warnx("mul: a rank would hold %s (its %s), over the budget of "
		    "%s (%s); %d ranks would do", need, plan.pr > 0 ?
		    "tile of C and panels" : "rows of C and all of B", have,
		    mb->source, n);
	else
		warnx("mul: a rank would hold %s, over the budget of %s (%s), "
		    "whatever the number of ranks", need, have, mb->source);
}

/* Settles job->plan; 0, or -1 after a message (on every rank alike). */
static int
choose_plan(struct rank_mul *job)
{
	const struct grid_problem *q = &job->problem;
	struct mem_budget mb;
	struct grid_traffic t;
	uint64_t budget, buffers;
	int p = mpi_size();

	buffers = describe(job);
	mem_budget_detect(&mb, job->mem_limit);
	budget = least(mb.bytes);
	budget = budget > buffers ? budget - buffers : 0;
	if (job->grid_rows > 0) {
		if (!grid_addressable(q) || !grid_make(q, p, job->grid_rows,
		    job->grid_cols, &job->plan)) {
			warnx("--grid %dx%d: C of %zu x %zu %s", job->grid_rows,
			    job->grid_cols, q->m, q->n, q->m < 2 || q->n < 2 ?
			    "has one row or column: only the row plan keeps "
			    "its sums in order" : "is too large for MPI-IO's "
			    "int sizes");
			return -1;
		}
		grid_worst(q, &job->plan, &t);
		if (t.held > budget) {
			refuse_budget(job, &mb, budget);
			return -1;
		}
		return 0;
	}
	if (!grid_addressable(q)) {
		grid_make(q, p, 0, 0, &job->plan);
		grid_worst(q, &job->plan, &t);
		if (t.held <= budget)
			return 0;
	} else if (grid_choose(q, p, budget, &job->plan))
		return 0;
	refuse_budget(job, &mb, budget);
	return -1;
}

int
mpi_share_rows(struct rank_mul *job)
{
	if (same_inputs(&job->a_in->hdr, job->a_path, &job->b_in->hdr,
	    job->b_path) == -1)
		return -1;
	job->route = settle_route(job);
	if (mpi_agree(choose_plan(job) == -1) == -1)
		return -1;
	job->rows = rowsplit_share(job->a->rows, mpi_size(), mpi_rank());
	if (job->plan.pr == 0) {
		map_input_prefetch(&job->a_in->map);
		map_input_prefetch(&job->b_in->map);
	}
	return 0;
}

/* Rows c of C into buf, from the view of those rows of op(A). */
static int
compute_chunk(const struct rank_mul *job, const struct gemm_setup *setup,
    struct row_range c, void *buf, struct rank_mul_done *done)
{
	struct matrix a = rowsplit_view(job->a, c);
	struct matrix_out out = { buf, c.count, job->b->cols, job->b->cols,
	    job->dtype };
	struct gemm_result res;
	int e;

	if (c.count == 0)
		return 0;
	e = gemm(&a, job->b, &out, setup, NULL, &res);
	gemm_result_add(&done->gemm, &res);
	if (e != 0) {
		warnx("mul: %s", e == ENOMEM ? "out of memory for the packing "
		    "buffers" : strerror(e));
		return -1;
	}
	return 0;
}

/* Every chunk, computed and written; true when all were, on all ranks. */
static bool
write_share(const struct rank_mul *job, struct rank_output *out,
    struct rank_mul_done *done)
{
	/* The bar goes once from 0 to the share's work, not once a chunk. */
	struct gemm_progress_part part = { job->setup->progress, 0,
	    (double)job->rows.count * (double)job->a->cols *
	    (double)job->b->cols };
	struct gemm_progress hook = { gemm_progress_part, &part };
	struct gemm_setup setup = *job->setup;
	size_t per = rowsplit_chunk_rows(out->row_bytes, CHUNK_BYTES);
	size_t chunks = rowsplit_chunks(job->a->rows, mpi_size(), per);
	size_t rows = job->rows.count < per ? job->rows.count : per;
	void *buf = malloc(rows * out->row_bytes + 1);
	bool ok = true;

	if (buf == NULL)
		warnx("mul: out of memory for %zu rows of the result", rows);
	if (setup.progress != NULL)
		setup.progress = &hook;
	for (size_t i = 0; i < chunks && ok; i++) {
		struct row_range c = rowsplit_chunk(job->rows, per, i);
		bool failed = buf == NULL ||
		    compute_chunk(job, &setup, c, buf, done) == -1;

		part.base += (double)c.count * (double)job->a->cols *
		    (double)job->b->cols;
		ok = rank_output_write(out, c.first, c.count, buf, per,
		    failed) == 0;
	}
	free(buf);
	return ok;
}

/* The most bytes one broadcast moves: its count is an int. */
#define BCAST_MAX	((size_t)1 << 30)

static void
bcast(void *buf, size_t len, int root, MPI_Comm comm)
{
	unsigned char *p = buf;

	for (size_t at = 0; at < len; at += BCAST_MAX)
		MPI_Bcast(p + at, (int)(len - at < BCAST_MAX ? len - at :
		    BCAST_MAX), MPI_BYTE, root, comm);
}

/* len bytes at off of in's file; 0, or -1 after a message. */
static int
read_at(const struct input_matrix *in, const char *path, void *buf,
    size_t len, uint64_t off)
{
	unsigned char *p = buf;

	while (len > 0) {
		ssize_t n = pread(in->map.fd, p, len, (off_t)off);

		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				warnx("%s: file changed while reading", path);
			else
				warn("%s: cannot read", path);
			return -1;
		}
		p += n;
		off += (uint64_t)n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * The block of rows r and columns c of the view v as it lies in buf once
 * read: as runs of the file's own bytes, a row-major block when v's rows
 * are runs, a column-major one when its columns are. True for rows.
 */
static bool
block_view(const struct matrix *v, struct row_range r, struct row_range c,
    void *buf, struct matrix *out)
{
	bool by_rows = v->cs == 1 || c.count == 1 || v->rs != 1;

	*out = (struct matrix){ buf, r.count, c.count, by_rows ?
	    (ptrdiff_t)c.count : 1, by_rows ? 1 : (ptrdiff_t)r.count,
	    v->dtype, v->swapped };
	return by_rows;
}

/* Element (i, j) of v, as an offset in its file. */
static uint64_t
offset_of(const struct input_matrix *in, const struct matrix *v, size_t i,
    size_t j)
{
	uint64_t at = (uint64_t)((const unsigned char *)v->data -
	    (const unsigned char *)in->map.addr);

	return at + ((uint64_t)i * (uint64_t)v->rs + (uint64_t)j *
	    (uint64_t)v->cs) * dtype_size(v->dtype);
}

/* That block of in's file, read into buf; 0, or -1 after a message. */
static int
read_block(const struct input_matrix *in, const char *path,
    const struct matrix *v, struct row_range r, struct row_range c,
    void *buf)
{
	struct matrix out;
	size_t esz = dtype_size(v->dtype);
	unsigned char *p = buf;
	bool by_rows = block_view(v, r, c, buf, &out);

	if (r.count == 0 || c.count == 0)
		return 0;
	if (by_rows && (v->cs == 1 || c.count == 1)) {
		for (size_t i = 0; i < r.count; i++)
			if (read_at(in, path, p + i * c.count * esz,
			    c.count * esz, offset_of(in, v, r.first + i,
			    c.first)) == -1)
				return -1;
		return 0;
	}
	if (!by_rows) {
		for (size_t j = 0; j < c.count; j++)
			if (read_at(in, path, p + j * r.count * esz,
			    r.count * esz, offset_of(in, v, r.first,
			    c.first + j)) == -1)
				return -1;
		return 0;
	}
	/* Neither rows nor columns are runs: element by element. */
	for (size_t i = 0; i < r.count; i++)
		for (size_t j = 0; j < c.count; j++)
			if (read_at(in, path, p + (i * c.count + j) * esz, esz,
			    offset_of(in, v, r.first + i, c.first + j)) == -1)
				return -1;
	return 0;
}

/* One grid rank's state through the panels. */
struct grid_run {
	const struct rank_mul	*job;
	struct grid_tile	 tile;
	MPI_Comm		 row, col;	/* this rank's grid row, column */
	void			*abuf, *bbuf, *cbuf;
	struct matrix_out	 c;
};

static int
grid_alloc(struct grid_run *g)
{
	const struct grid_problem *q = &g->job->problem;
	size_t w = g->job->plan.width, m = g->tile.rows.count,
	    n = g->tile.cols.count;

	g->abuf = malloc(m * w * q->a_size + 1);
	g->bbuf = malloc(w * n * q->b_size + 1);
	g->cbuf = malloc(m * n * q->c_size + 1);
	g->c = (struct matrix_out){ g->cbuf, m, n, n, g->job->dtype };
	if (g->abuf != NULL && g->bbuf != NULL && g->cbuf != NULL)
		return 0;
	warnx("mul: out of memory for a tile of %zu x %zu and its panels", m,
	    n);
	return -1;
}

/*
 * Panel s: its block of op(A) from the rank of this grid row that reads
 * it, its block of op(B) from the rank of this grid column, and their
 * product added into the tile. *failed, once set, stays: the rank goes on
 * through the broadcasts, which every rank of its row and column waits in.
 */
static void
grid_panel_step(struct grid_run *g, size_t s, const struct gemm_setup *setup,
    struct rank_mul_done *done, bool *failed)
{
	const struct rank_mul *job = g->job;
	struct row_range k = grid_panel(&job->problem, &job->plan, s);
	int ra = grid_a_owner(&job->plan, s), rb = grid_b_owner(&job->plan, s);
	size_t alen = g->tile.rows.count * k.count * job->problem.a_size;
	size_t blen = k.count * g->tile.cols.count * job->problem.b_size;
	bool keep = job->dtype == DTYPE_I64 && job->route == GEMM_ROUTE_EXACT;
	struct gemm_call call = { s > 0, keep, job->route };
	struct matrix a, b;
	int e;

	if (ra == g->tile.col) {
		if (!*failed && read_block(job->a_in, job->a_path, job->a,
		    g->tile.rows, k, g->abuf) == -1)
			*failed = true;
		done->read += alen;
		done->sent += job->plan.pc > 1 ? alen : 0;
	} else
		done->received += alen;
	if (rb == g->tile.row) {
		if (!*failed && read_block(job->b_in, job->b_path, job->b, k,
		    g->tile.cols, g->bbuf) == -1)
			*failed = true;
		done->read += blen;
		done->sent += job->plan.pr > 1 ? blen : 0;
	} else
		done->received += blen;
	bcast(g->abuf, alen, ra, g->row);
	bcast(g->bbuf, blen, rb, g->col);
	/* The owner's layout: receivers work it out as the owner did. */
	block_view(job->a, g->tile.rows, k, g->abuf, &a);
	block_view(job->b, k, g->tile.cols, g->bbuf, &b);
	if (*failed)
		return;
	e = gemm(&a, &b, &g->c, setup, &call, &done->gemm);
	if (e != 0) {
		warnx("mul: %s", e == ENOMEM ? "out of memory for the packing "
		    "buffers" : strerror(e));
		*failed = true;
	}
}

/* The tile, panel by panel; true when every rank computed and wrote its. */
static bool
grid_share(const struct rank_mul *job, struct rank_output *out,
    struct rank_mul_done *done)
{
	struct grid_run g = { job, grid_tile(&job->problem, &job->plan,
	    mpi_rank()), MPI_COMM_NULL, MPI_COMM_NULL, NULL, NULL, NULL,
	    { 0 } };
	struct grid_tile t0 = grid_tile(&job->problem, &job->plan, 0);
	double work = (double)g.tile.rows.count * (double)job->a->cols *
	    (double)g.tile.cols.count;
	struct gemm_progress_part part = { job->setup->progress, 0, work };
	struct gemm_progress hook = { gemm_progress_part, &part };
	struct gemm_setup setup = *job->setup;
	struct gemm_buffers kept = { 0 };
	bool failed, ok;

	/* The packing buffers once, not once a panel. */
	setup.buffers = &kept;
	if (setup.progress != NULL)
		setup.progress = &hook;
	MPI_Comm_split(MPI_COMM_WORLD, g.tile.row, g.tile.col, &g.row);
	MPI_Comm_split(MPI_COMM_WORLD, g.tile.col, g.tile.row, &g.col);
	failed = mpi_agree(grid_alloc(&g) == -1) == -1;
	for (size_t s = 0; s < job->plan.panels && !failed; s++) {
		bool mine = false;

		grid_panel_step(&g, s, &setup, done, &mine);
		part.base = work * (double)(s + 1) / (double)job->plan.panels;
		/* Past a failure, no rank needs the panels that follow. */
		failed = mpi_agree(mine) == -1;
	}
	if (!failed && job->dtype == DTYPE_I64 &&
	    job->route == GEMM_ROUTE_EXACT)
		gemm_to_int64(&g.c, setup.nthreads);
	/* failed is the same on every rank: all write, or none. */
	ok = !failed && rank_output_write_tile(out, g.tile.rows, g.tile.cols,
	    g.cbuf, t0.rows.count * t0.cols.count * job->problem.c_size,
	    false) == 0;
	MPI_Comm_free(&g.row);
	MPI_Comm_free(&g.col);
	gemm_buffers_free(&kept);
	free(g.abuf);
	free(g.bbuf);
	free(g.cbuf);
	return ok;
}

/* This rank's bytes read by read(2) and kin, from /proc/self/io. */
static uint64_t
rchar(void)
{
	uint64_t v = 0;

	procfile_u64("/proc/self/io", "rchar:", &v);
	return v;
}

/* The largest v of any rank, on rank 0. */
static uint64_t
most_on_root(uint64_t v)
{
	uint64_t all = v;

	MPI_Reduce(&v, &all, 1, MPI_UINT64_T, MPI_MAX, 0, MPI_COMM_WORLD);
	return all;
}

/*
 * -v: the plan, rank 0's model and run (bytes read by read calls, from
 * /proc/self/io, and the broadcasts' sizes), and the largest peak resident
 * memory of any rank (VmHWM: mapped pages of the inputs included).
 * Collective.
 */
static void
report_plan(const struct rank_mul *job, const struct rank_mul_done *done,
    uint64_t read)
{
	const struct grid_tile t0 = grid_tile(&job->problem, &job->plan, 0);
	struct grid_traffic t;
	uint64_t peak = 0;
	char s[32];

	procfile_u64("/proc/self/status", "VmHWM:", &peak);
	peak = most_on_root(peak);
	if (mpi_rank() != 0)
		return;
	grid_traffic(&job->problem, &job->plan, 0, &t);
	if (job->plan.pr == 0)
		fprintf(stderr, "pardot: mul: row plan: each rank reads its "
		    "rows of A and all of B\n");
	else
		fprintf(stderr, "pardot: mul: grid %dx%d, tiles of %zu x %zu, "
		    "%zu panels of k by %zu\n", job->plan.pr, job->plan.pc,
		    t0.rows.count, t0.cols.count, job->plan.panels,
		    job->plan.width);
	fprintf(stderr, "pardot: mul: rank 0, model: read %llu bytes, sent "
	    "%llu, received %llu; holds %s\n", (unsigned long long)t.read,
	    (unsigned long long)t.sent, (unsigned long long)t.received,
	    mem_size_str(s, sizeof(s), t.held));
	fprintf(stderr, "pardot: mul: rank 0, run: read %llu bytes by read "
	    "calls, sent %llu, received %llu; peak resident, most of any "
	    "rank: %llu bytes\n", (unsigned long long)read,
	    (unsigned long long)done->sent,
	    (unsigned long long)done->received,
	    (unsigned long long)peak * 1024);
}

int
mpi_multiply(const struct rank_mul *job, struct rank_mul_done *done)
{
	struct rank_output out;
	double t = clock_now();
	uint64_t read0 = rchar();
	bool ok;

	memset(done, 0, sizeof(*done));
	if (rank_output_open(&out, job->target, job->format, job->dtype,
	    job->ndim, job->shape, job->b->cols) == -1)
		return -1;
	done->open_s = clock_now() - t;
	t = clock_now();
	ok = job->plan.pr > 0 ? grid_share(job, &out, done) :
	    write_share(job, &out, done);
	done->compute_s = clock_now() - t;
	if (job->verbose && ok)
		report_plan(job, done, rchar() - read0);
	t = clock_now();
	if (rank_output_close(&out, ok) == -1)
		return -1;
	done->commit_s = clock_now() - t;
	done->written = out.size;
	return 0;
}
