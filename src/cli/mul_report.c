/* What watches and reports a multiply of pardot mul; see mul.h. */
#include <err.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/mul.h"
#include "core/batch.h"
#include "core/dtype.h"
#include "io/clock.h"

double
mul_multiply_adds(const struct operands *op)
{
	return batch_madds(&op->mm.a, &op->mm.b) *
	    (double)op->mm.batch.count;
}

const char *
batch_tuple(char *buf, size_t len, const struct npy_header *h)
{
	int n = h->ndim > 2 ? h->ndim - 2 : 0;
	size_t used = 0;

	for (int i = 0; i < n && used < len; i++) {
		int k = snprintf(buf + used, len - used, "%s%llu%s", i == 0 ?
		    "(" : ", ", (unsigned long long)h->shape[i], n == 1 ?
		    ",)" : i == n - 1 ? ")" : "");

		used += k < 0 ? len : (size_t)k;
	}
	if (n == 0)
		snprintf(buf, len, "()");
	return buf;
}

static bool
is_stack(const struct operands *op)
{
	return op->a.hdr.ndim > 2 || op->b.hdr.ndim > 2;
}

/* -v's first line for a stack: one matrix's product, and how it ran. */
static void
report_stack(const struct operands *op, const struct mul_done *done)
{
	const struct matmul_shape *mm = &op->mm;
	char s[MUL_SHAPE_LEN];

	fprintf(stderr, "pardot: mul: a stack of %llu: %zux%zu %s x %zux%zu "
	    "%s -> %s %s\n", (unsigned long long)mm->matrices, mm->rows,
	    mm->a.cols, dtype_name(mm->a.dtype), mm->b.rows, mm->b.cols,
	    dtype_name(mm->b.dtype), shape_str(s, sizeof(s), mm->ndim,
	    mm->shape), dtype_name(mm->dtype));
	if (mm->folded)
		fprintf(stderr, "pardot: mul: the stack multiplied as one "
		    "%zux%zu matrix: its matrices follow one another\n",
		    mm->a.rows, mm->a.cols);
	else if (mm->batch.count > 1)
		fprintf(stderr, "pardot: mul: %s\n", done->split ?
		    "matrices shared among the threads, one thread each" :
		    "one matrix after another, each on every thread");
}

void
mul_report(const struct mul_request *rq, const struct operands *op,
    const struct mul_done *done, double secs)
{
	const struct matmul_shape *mm = &op->mm;
	double flops = 2.0 * mul_multiply_adds(op);
	char s[MUL_SHAPE_LEN];

	if (is_stack(op))
		report_stack(op, done);
	else
		fprintf(stderr, "pardot: mul: %zux%zu %s x %zux%zu %s -> %s "
		    "%s\n", mm->a.rows, mm->a.cols, dtype_name(mm->a.dtype),
		    mm->b.rows, mm->b.cols, dtype_name(mm->b.dtype),
		    shape_str(s, sizeof(s), mm->ndim, mm->shape),
		    dtype_name(mm->dtype));
	fprintf(stderr, "pardot: mul: %d thread%s, kernel %s (%s)%s\n",
	    done->gemm.threads, done->gemm.threads == 1 ? "" : "s",
	    done->gemm.used != NULL ? done->gemm.used->name :
	    "matrix-vector loops", done->isa, done->gemm.exact_route ?
	    ", exact int64 on float64: no sum exceeds 2^53" : "");
	fprintf(stderr, "pardot: mul: %.3f s, %.2f G%s/s\n", secs,
	    secs > 0 ? flops / secs * 1e-9 : 0.0,
	    dtype_is_int(mm->dtype) ? "OP" : "FLOP");
	if (done->ranks > 1)
		fprintf(stderr, "pardot: mul: %d ranks x %d threads, %zu of "
		    "%zu rows on rank 0\n", done->ranks, rq->jobs,
		    done->rank0_rows, mm->a.rows);
}

/*
 * The hook that gemm and the overflow search call from one of their
 * threads: the bar redraws itself a few times a second at most, and the
 * stats read the private memory in use ten times a second at most.
 */
static void
on_progress(void *arg, double done, double total)
{
	struct monitor *mon = arg;

	if (mon->show)
		progress_update(&mon->bar, done, total);
	if (mon->sample)
		stats_sample_memory_now_and_then(&mon->stats, clock_now());
}

void
monitor_init(struct monitor *mon, const struct mul_request *rq)
{
	memset(mon, 0, sizeof(*mon));
	mon->show = rq->progress == PROGRESS_ON ||
	    (rq->progress == PROGRESS_AUTO && isatty(STDERR_FILENO));
	mon->hook.fn = on_progress;
	mon->hook.arg = mon;
	mon->stats.peak_anon_kb = -1;
	if (rq->stats_json) {
		mon->sample = true;
		mon->stats.overflow = rq->overflow_error ? "error" : "wrap";
		stats_sample_memory(&mon->stats);
	}
}

const struct gemm_progress *
monitor_hook(struct monitor *mon, const struct mul_request *rq)
{
	return mon->show || rq->stats_json ? &mon->hook : NULL;
}

void
monitor_start(struct monitor *mon, const struct mul_request *rq,
    const char *label, enum dtype t)
{
	if (mon->show)
		progress_start(&mon->bar, stderr, label, dtype_is_int(t) ?
		    "GOP/s" : "GFLOP/s", rq->progress == PROGRESS_ON);
}

void
monitor_end(struct monitor *mon, const struct operands *op, bool complete)
{
	if (mon->show)
		progress_end(&mon->bar, mul_multiply_adds(op), complete);
}

/* A 128-bit integer in decimal, into buf of at least 41 bytes. */
static const char *
int128_str(char *buf, __int128 v)
{
	unsigned __int128 u = v < 0 ? -(unsigned __int128)v :
	    (unsigned __int128)v;
	char digits[40];
	size_t n = 0, i = 0;

	do {
		digits[n++] = (char)('0' + (int)(u % 10));
		u /= 10;
	} while (u > 0);
	if (v < 0)
		buf[i++] = '-';
	while (n > 0)
		buf[i++] = digits[--n];
	buf[i] = '\0';
	return buf;
}

/*
 * C's index of at, as NumPy's: the matrix's index in the leading
 * dimensions, then the row and column that are C's dimensions.
 */
static const char *
overflow_index(char *buf, size_t len, const struct operands *op,
    const struct overflow_at *at, uint64_t matrix)
{
	const struct matmul_shape *mm = &op->mm;
	bool rows = op->a.hdr.ndim >= 2, cols = op->b.hdr.ndim >= 2;
	int nb = mm->ndim - rows - cols, n = 0;
	uint64_t idx[BATCH_MAXDIMS];
	size_t row = at->row, used;

	if (mm->folded) {
		matrix = row / mm->rows;
		row %= mm->rows;
	}
	for (int i = nb - 1; i >= 0; i--) {
		idx[i] = matrix % mm->shape[i];
		matrix /= mm->shape[i];
	}
	n = nb;
	if (rows)
		idx[n++] = row;
	if (cols)
		idx[n++] = at->col;
	if (n == 0)
		return snprintf(buf, len, "C"), buf;
	used = (size_t)snprintf(buf, len, "C[");
	for (int i = 0; i < n && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%llu",
		    i > 0 ? ", " : "", (unsigned long long)idx[i]);
	if (used < len)
		snprintf(buf + used, len - used, "]");
	return buf;
}

void
mul_report_overflow(const struct operands *op, const struct overflow_at *at,
    uint64_t matrix)
{
	char where[MUL_SHAPE_LEN], value[48], limit[48];
	__int128 hi = (__int128)overflow_limit(op->mm.dtype);

	overflow_index(where, sizeof(where), op, at, matrix);
	if (at->beyond)
		warnx("mul: %s overflows %s (its exact value is %s)", where,
		    dtype_name(op->mm.dtype), at->value > 0 ?
		    "above 2^127" : "below -2^127");
	else
		warnx("mul: %s overflows %s (its exact value is %s, %s %s)",
		    where, dtype_name(op->mm.dtype), int128_str(value,
		    at->value), at->value > 0 ? "above" : "below",
		    int128_str(limit, at->value > 0 ? hi : -hi - 1));
}

static void
describe_file(struct stats_file *sf, const char *path, bool npy, int ndim,
    const uint64_t *shape, enum dtype t)
{
	sf->path = path;
	sf->format = npy ? "npy" : "raw";
	sf->ndim = ndim;
	memcpy(sf->shape, shape, sizeof(sf->shape));
	sf->dtype = t;
}

void
mul_print_stats(const struct mul_request *rq, const struct operands *op,
    const struct mul_done *done, struct mul_stats *st)
{
	const struct memory_plan *mp = done->memory;

	describe_file(&st->in[0], rq->a_path, op->a.is_npy, op->a.hdr.ndim,
	    op->a.hdr.shape, op->a.hdr.dtype);
	describe_file(&st->in[1], rq->b_path, op->b.is_npy, op->b.hdr.ndim,
	    op->b.hdr.shape, op->b.hdr.dtype);
	describe_file(&st->out, rq->out_path, rq->format == FORMAT_NPY,
	    op->mm.ndim, op->mm.shape, op->mm.dtype);
	st->threads = rq->jobs;
	st->ranks = done->ranks;
	st->kernel = done->gemm.used != NULL ? done->gemm.used->name :
	    mul_multiply_adds(op) > 0 ? "matrix-vector loops" : "none";
	st->isa = done->isa;
	st->exact_route = done->gemm.exact_route;
	st->flops = 2 * mul_multiply_adds(op);
	st->bytes_read = op->a.map.len + op->b.map.len;
	st->bytes_written = done->written;
	if (mp != NULL) {
		st->budget_bytes = mp->budget.bytes;
		st->budget_source = mp->budget.source;
	}
	if (mp != NULL && mp->tiled) {
		st->bands = mp->tiles.nbands;
		st->tiles_per_band = mp->tiles.ntiles;
		st->model_resident = mp->tiles.resident;
		st->model_reads = mp->tiles.reads;
	}
	stats_sample_memory(st);
	stats_print_json(stderr, st);
}
