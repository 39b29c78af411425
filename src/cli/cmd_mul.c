/* pardot mul: C = op(A) . op(B) from files into a file. */
#include <err.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/dtype.h"
#include "core/gemm.h"
#include "io/matfile.h"
#include "io/mul_memory.h"
#include "mpi/mpi_mul.h"
#include "mpi/mpi_run.h"
#include "core/overflow.h"
#include "cli/progress.h"
#include "core/rowsplit.h"
#include "cli/stats.h"
#include "io/streams.h"

enum progress_mode { PROGRESS_AUTO, PROGRESS_ON, PROGRESS_OFF };

struct mul_request {
	const char		*a_path, *b_path, *out_path;
	int			 jobs;
	bool			 trans_a, trans_b, verbose;
	bool			 raw_a, raw_b, dtype_given;
	bool			 to_stdout, stats_json, overflow_error;
	enum progress_mode	 progress;
	struct raw_spec		 raw_spec_a, raw_spec_b;
	enum dtype		 raw_dtype;
	enum file_format	 format;
	uint64_t		 mem_limit;	/* MEMBUDGET_NONE: detect */
};


/* One multiply in progress: its inputs, as NumPy's matmul sees them. */
struct operands {
	struct input_matrix	 a, b;
	struct matrix		 va, vb;	/* after transposes and 1-D rules */
	int			 out_ndim;
	uint64_t		 out_shape[2];
	enum dtype		 out_dtype;
	size_t			 row0;	/* va's first row in op(A): under MPI */
};

/* What watches a run: the bar, if drawn, and the stats, if asked for. */
struct monitor {
	struct progress_bar	 bar;
	bool			 show;
	bool			 sample;	/* memory, for the stats */
	struct mul_stats	 stats;
};

static const char mul_help[] =
"usage: pardot mul [options] A B -o C\n"
"\n"
"Multiplies the matrices in files A and B into file C (.npy by default).\n"
"A or B may be '-', standard input.\n"
"\n"
"  -o, --output FILE      write the result to FILE (required); '-' is\n"
"                         standard output\n"
"  -j, --jobs N           use N threads (default: OMP_NUM_THREADS, else all CPUs)\n"
"      --transpose-a      use the transpose of A\n"
"      --transpose-b      use the transpose of B\n"
"      --raw-a ROWSxCOLS  A is headerless data of this shape (needs --dtype)\n"
"      --raw-b ROWSxCOLS  B is headerless data of this shape (needs --dtype)\n"
"      --dtype T          element type of raw inputs: float64 float32 int64 int32\n"
"      --format npy|raw   format of the output (default npy)\n"
"      --mem-limit SIZE   keep within SIZE bytes of memory (512M, 8G),\n"
"                         page cache included (default: the smaller of\n"
"                         available memory and the cgroup's limit)\n"
"      --overflow wrap|error\n"
"                         integer results: wrap around as NumPy does (the\n"
"                         default), or fail naming the first element that\n"
"                         overflows\n"
"      --progress         draw a progress bar on standard error, even if it\n"
"                         is not a terminal (default: on a terminal, for\n"
"                         work over a second)\n"
"      --no-progress      never draw one\n"
"  -q, --quiet            the same as --no-progress\n"
"      --stats json       after the run, one line of JSON on standard error:\n"
"                         shapes, kernel, times, speed, bytes, memory\n"
"  -v, --verbose          report shapes, threads, kernel, time and speed\n"
"  -h, --help             show this help\n";

enum {
	OPT_TA = 256, OPT_TB, OPT_RAW_A, OPT_RAW_B, OPT_DTYPE, OPT_FORMAT,
	OPT_OVERFLOW, OPT_PROGRESS, OPT_NO_PROGRESS, OPT_STATS, OPT_MEM_LIMIT,
};

static const struct option mul_options[] = {
	{ "output",	 required_argument, NULL, 'o' },
	{ "jobs",	 required_argument, NULL, 'j' },
	{ "transpose-a", no_argument,	    NULL, OPT_TA },
	{ "transpose-b", no_argument,	    NULL, OPT_TB },
	{ "raw-a",	 required_argument, NULL, OPT_RAW_A },
	{ "raw-b",	 required_argument, NULL, OPT_RAW_B },
	{ "dtype",	 required_argument, NULL, OPT_DTYPE },
	{ "format",	 required_argument, NULL, OPT_FORMAT },
	{ "mem-limit",	 required_argument, NULL, OPT_MEM_LIMIT },
	{ "overflow",	 required_argument, NULL, OPT_OVERFLOW },
	{ "progress",	 no_argument,	    NULL, OPT_PROGRESS },
	{ "no-progress", no_argument,	    NULL, OPT_NO_PROGRESS },
	{ "quiet",	 no_argument,	    NULL, 'q' },
	{ "stats",	 required_argument, NULL, OPT_STATS },
	{ "verbose",	 no_argument,	    NULL, 'v' },
	{ "help",	 no_argument,	    NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* The options about what is reported, and how integers overflow. */
static int
mul_report_option(struct mul_request *rq, int c)
{
	switch (c) {
	case OPT_OVERFLOW:
		if (strcmp(optarg, "wrap") != 0 && strcmp(optarg, "error") != 0)
			return usage_error("--overflow", "unknown mode '%s' "
			    "(wrap or error)", optarg);
		rq->overflow_error = strcmp(optarg, "error") == 0;
		return 0;
	case OPT_PROGRESS:
		rq->progress = PROGRESS_ON;
		return 0;
	case 'q':
		cli_verbosity = VERBOSITY_QUIET;
		/* FALLTHROUGH */
	case OPT_NO_PROGRESS:
		rq->progress = PROGRESS_OFF;
		return 0;
	case OPT_STATS:
		if (strcmp(optarg, "json") != 0)
			return usage_error("--stats", "unknown format '%s' "
			    "(json)", optarg);
		rq->stats_json = true;
		return 0;
	case 'v':
		cli_verbosity = VERBOSITY_VERBOSE;
		rq->verbose = true;
		return 0;
	default:
		return EXIT_USAGE;
	}
}

/* Applies one option to rq; returns CLI_OK, CLI_HELP or EXIT_USAGE. */
static int
mul_option(struct mul_request *rq, int c)
{
	long long n;

	switch (c) {
	case 'o':
		rq->out_path = optarg;
		return 0;
	case 'j':
		if (parse_number("--jobs", optarg, 1, MAX_THREADS, &n) != 0)
			return EXIT_USAGE;
		rq->jobs = (int)n;
		return 0;
	case OPT_TA:
		rq->trans_a = true;
		return 0;
	case OPT_TB:
		rq->trans_b = true;
		return 0;
	case OPT_RAW_A:
		rq->raw_a = true;
		return parse_shape("--raw-a", optarg, &rq->raw_spec_a.ndim,
		    rq->raw_spec_a.shape);
	case OPT_RAW_B:
		rq->raw_b = true;
		return parse_shape("--raw-b", optarg, &rq->raw_spec_b.ndim,
		    rq->raw_spec_b.shape);
	case OPT_DTYPE:
		rq->dtype_given = true;
		return parse_dtype("--dtype", optarg, &rq->raw_dtype);
	case OPT_FORMAT:
		return parse_format("--format", optarg, &rq->format);
	case OPT_MEM_LIMIT:
		return parse_size("--mem-limit", optarg, &rq->mem_limit);
	case 'h':
		return CLI_HELP;
	default:
		return mul_report_option(rq, c);
	}
}

/* What a run on several MPI ranks cannot do, and what rank 0 alone does. */
static int
check_ranks(struct mul_request *rq)
{
	if (mpi_size() <= 1)
		return 0;
	if (rq->to_stdout || is_stdio(rq->a_path) || is_stdio(rq->b_path))
		return usage_error("mul", "standard input or output ('-') "
		    "needs a single process; under mpirun, name files");
	if (rq->mem_limit != MEMBUDGET_NONE)
		return usage_error("--mem-limit", "needs a single process; "
		    "under mpirun each rank holds its rows of C in chunks of "
		    "64 MiB");
	if (mpi_rank() > 0)
		rq->progress = PROGRESS_OFF;	/* rank 0 draws the bar */
	return 0;
}

static int
parse_mul_args(int argc, char **argv, struct mul_request *rq)
{
	int c, r;

	memset(rq, 0, sizeof(*rq));
	rq->mem_limit = MEMBUDGET_NONE;
	while ((c = cli_getopt(argc, argv, "o:j:qvh", mul_options, "mul")) != -1)
		if ((r = mul_option(rq, c)) != 0)
			return r;
	rq->jobs = cli_threads(rq->jobs);
	argc -= optind;
	argv += optind;
	if (argc != 2)
		return usage_error("mul", argc < 2 ? "needs two input files; "
		    "see 'pardot mul --help'" : "too many arguments; see "
		    "'pardot mul --help'");
	rq->a_path = argv[0];
	rq->b_path = argv[1];
	if (rq->out_path == NULL)
		return usage_error("mul", "missing the output file (-o FILE)");
	if (is_stdio(rq->a_path) && is_stdio(rq->b_path))
		return usage_error("mul", "A and B cannot both be standard "
		    "input ('-')");
	rq->to_stdout = is_stdio(rq->out_path);
	if ((rq->raw_a || rq->raw_b) && !rq->dtype_given)
		return usage_error("mul", "raw inputs need --dtype");
	if (rq->dtype_given && !rq->raw_a && !rq->raw_b)
		return usage_error("--dtype", "applies only to raw inputs "
		    "(--raw-a, --raw-b); .npy files carry their own");
	rq->raw_spec_a.dtype = rq->raw_spec_b.dtype = rq->raw_dtype;
	return check_ranks(rq);
}

/*
 * NumPy's matmul rules: a 1-D left operand is a row and a 1-D right operand
 * a column, and each such dimension is dropped from the result. Transposing
 * a 1-D array changes nothing, as in NumPy.
 */
static int
plan_shapes(struct operands *op, const struct mul_request *rq)
{
	int nda = op->a.hdr.ndim, ndb = op->b.hdr.ndim;
	char sa[64], sb[64];

	if (nda == 0 || ndb == 0) {
		warnx("%s: a 0-d array (scalar) cannot be multiplied: matmul "
		    "needs at least one dimension", nda == 0 ? rq->a_path :
		    rq->b_path);
		return -1;
	}
	op->va = op->a.view;
	op->vb = op->b.view;
	if (nda == 2 && rq->trans_a)
		op->va = matrix_transposed(op->va);
	if (ndb == 1 || rq->trans_b)
		op->vb = matrix_transposed(op->vb);
	if (op->va.cols != op->vb.rows) {
		warnx("mul: %s is %s but %s is %s: inner dimensions differ "
		    "(%zu and %zu)", rq->a_path, shape_str(sa, sizeof(sa), nda,
		    op->a.hdr.shape), rq->b_path, shape_str(sb, sizeof(sb), ndb,
		    op->b.hdr.shape), op->va.cols, op->vb.rows);
		return -1;
	}
	op->out_ndim = 0;
	if (nda == 2)
		op->out_shape[op->out_ndim++] = op->va.rows;
	if (ndb == 2)
		op->out_shape[op->out_ndim++] = op->vb.cols;
	op->out_dtype = dtype_promote(op->va.dtype, op->vb.dtype);
	op->row0 = 0;
	return 0;
}

static void
report(const struct mul_request *rq, const struct operands *op,
    const struct gemm_config *cfg, double secs)
{
	double flops = 2.0 * (double)op->va.rows * (double)op->va.cols *
	    (double)op->vb.cols;
	char s[64];

	fprintf(stderr, "pardot: mul: %zux%zu %s x %zux%zu %s -> %s %s\n",
	    op->va.rows, op->va.cols, dtype_name(op->va.dtype), op->vb.rows,
	    op->vb.cols, dtype_name(op->vb.dtype),
	    shape_str(s, sizeof(s), op->out_ndim, op->out_shape),
	    dtype_name(op->out_dtype));
	fprintf(stderr, "pardot: mul: %d threads, kernel %s (%s)%s\n", rq->jobs,
	    cfg->used != NULL ? cfg->used->name : "matrix-vector loops",
	    cfg->kernels->isa,
	    cfg->exact_route ? ", exact int64 on float64: no sum exceeds 2^53" :
	    "");
	fprintf(stderr, "pardot: mul: %.3f s, %.2f G%s/s\n", secs,
	    secs > 0 ? flops / secs * 1e-9 : 0.0,
	    dtype_is_int(op->out_dtype) ? "OP" : "FLOP");
}

static double
multiply_adds(const struct operands *op)
{
	return (double)op->va.rows * (double)op->va.cols * (double)op->vb.cols;
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
		stats_sample_memory_now_and_then(&mon->stats, progress_now());
}

static void
monitor_init(struct monitor *mon, const struct mul_request *rq)
{
	memset(mon, 0, sizeof(*mon));
	mon->show = rq->progress == PROGRESS_ON ||
	    (rq->progress == PROGRESS_AUTO && isatty(STDERR_FILENO));
	mon->stats.peak_anon_kb = -1;
	if (rq->stats_json) {
		mon->sample = true;
		mon->stats.overflow = rq->overflow_error ? "error" : "wrap";
		stats_sample_memory(&mon->stats);
	}
}

static void
monitor_start(struct monitor *mon, const struct mul_request *rq,
    const char *label, enum dtype t)
{
	if (mon->show)
		progress_start(&mon->bar, stderr, label, dtype_is_int(t) ?
		    "GOP/s" : "GFLOP/s", rq->progress == PROGRESS_ON);
}

static void
monitor_end(struct monitor *mon, const struct operands *op, bool complete)
{
	if (mon->show)
		progress_end(&mon->bar, multiply_adds(op), complete);
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

/* "pardot: mul: C[i, j] overflows int64 (...)", indexed as NumPy would. */
static void
report_overflow(const struct operands *op, const struct overflow_at *at)
{
	char where[64], value[48], limit[48];
	__int128 hi = (__int128)overflow_limit(op->out_dtype);

	if (op->out_ndim == 2)
		snprintf(where, sizeof(where), "C[%zu, %zu]", at->row, at->col);
	else if (op->out_ndim == 1)
		snprintf(where, sizeof(where), "C[%zu]",
		    op->a.hdr.ndim == 1 ? at->col : at->row);
	else
		snprintf(where, sizeof(where), "C");
	if (at->beyond)
		warnx("mul: %s overflows %s (its exact value is %s)", where,
		    dtype_name(op->out_dtype), at->value > 0 ?
		    "above 2^127" : "below -2^127");
	else
		warnx("mul: %s overflows %s (its exact value is %s, %s %s)",
		    where, dtype_name(op->out_dtype), int128_str(value,
		    at->value), at->value > 0 ? "above" : "below",
		    int128_str(limit, at->value > 0 ? hi : -hi - 1));
}

/*
 * --overflow=error for an integer result: the bound settles most cases at
 * the cost of one read of A and B; the exact search, as long as a multiply,
 * the rest. Returns 0 when nothing overflows, or 1 after a message.
 */
static int
check_overflow(const struct mul_request *rq, const struct operands *op,
    struct monitor *mon)
{
	struct gemm_progress hook = { on_progress, mon };
	struct overflow_at at;
	int r;

	if (!rq->overflow_error || !dtype_is_int(op->out_dtype))
		return 0;
	if (overflow_bound(&op->va, &op->vb, rq->jobs) <=
	    overflow_limit(op->out_dtype)) {
		mon->stats.proof = "bound";
		return 0;
	}
	monitor_start(mon, rq, "check", op->out_dtype);
	r = overflow_find(&op->va, &op->vb, op->out_dtype, rq->jobs, &hook,
	    &at);
	monitor_end(mon, op, r == 0);
	mon->stats.proof = "exact";
	if (r == -1)
		warnx("mul: out of memory for the overflow check");
	else if (r == 1) {
		at.row += op->row0;
		report_overflow(op, &at);
	}
	return r == 0 ? 0 : 1;
}

/*
 * Reserves the output: the target's temporary file, or for standard
 * output one in the temporary directory, copied out once complete.
 */
static int
open_output(const struct mul_request *rq, const struct operands *op,
    struct output_file *out, struct matrix_out *c)
{
	if (output_open(out, rq->to_stdout ? stdout_staging_path() :
	    rq->out_path, rq->format, op->out_dtype, op->out_ndim,
	    op->out_shape, c) == -1) {
		warnx("%s: %s", rq->out_path, out->err);
		return -1;
	}
	/* A 1-D result is one row on disk; gemm wants it in op(A)'s shape. */
	c->rows = op->va.rows;
	c->cols = c->ld = op->vb.cols;
	return 0;
}

static int
multiply(const struct mul_request *rq, const struct operands *op,
    const struct output_file *out, const struct matrix_out *c,
    const struct memory_plan *mp, struct gemm_config *cfg,
    struct monitor *mon)
{
	struct gemm_progress hook = { on_progress, mon };
	struct ooc_files files = { &op->a.map, &op->b.map, out };
	int e;

	if (mon->show || rq->stats_json)
		cfg->progress = &hook;
	monitor_start(mon, rq, "mul", op->out_dtype);
	e = mp->tiled ? ooc_gemm(&op->va, &op->vb, c, &mp->tiles,
	    &mp->problem, &files, cfg) : gemm(&op->va, &op->vb, c, cfg);
	monitor_end(mon, op, e == 0);
	cfg->progress = NULL;
	if (e == EIO)
		warnx("%s: cannot write: %s", rq->out_path, strerror(e));
	else if (e != 0)
		warnx("mul: %s", e == ENOMEM ? "out of memory for the packing "
		    "buffers" : strerror(e));
	return e != 0;
}

/* The result to its target: renamed over it, or copied to standard output. */
static int
finish_output(const struct mul_request *rq, struct output_file *out)
{
	if (!rq->to_stdout) {
		if (output_commit(out) == 0)
			return 0;
		warnx("%s: %s", rq->out_path, out->err);
		return 1;
	}
	if (stdout_write_all(out->addr, out->len) == -1) {
		warn("-: cannot write");
		output_discard(out);
		return 1;
	}
	output_discard(out);
	return 0;
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

static void
print_stats(const struct mul_request *rq, const struct operands *op,
    const struct gemm_config *cfg, const struct memory_plan *mp,
    struct mul_stats *st, size_t written)
{
	describe_file(&st->in[0], rq->a_path, op->a.is_npy, op->a.hdr.ndim,
	    op->a.hdr.shape, op->a.hdr.dtype);
	describe_file(&st->in[1], rq->b_path, op->b.is_npy, op->b.hdr.ndim,
	    op->b.hdr.shape, op->b.hdr.dtype);
	describe_file(&st->out, rq->out_path, rq->format == FORMAT_NPY,
	    op->out_ndim, op->out_shape, op->out_dtype);
	st->threads = rq->jobs;
	st->ranks = mpi_size();
	st->kernel = cfg->used != NULL ? cfg->used->name :
	    multiply_adds(op) > 0 ? "matrix-vector loops" : "none";
	st->isa = cfg->kernels->isa;
	st->exact_route = cfg->exact_route;
	st->flops = 2 * multiply_adds(op);
	st->bytes_read = op->a.map.len + op->b.map.len;
	st->bytes_written = written;
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

/*
 * Under mpirun: this rank's rows of C, checked for overflow, computed and
 * written with the other ranks' rows into one file (src/mpi/mpi_mul.c). Only
 * rank 0's report and stats reach standard error.
 */
static int
compute_ranks(const struct mul_request *rq, const struct operands *op,
    struct gemm_config *cfg, struct monitor *mon)
{
	struct gemm_progress hook = { on_progress, mon };
	double *secs = mon->stats.seconds, t = progress_now();
	struct rank_mul job = { .a = &op->va, .b = &op->vb, .cfg = cfg,
	    .target = rq->out_path, .format = rq->format,
	    .dtype = op->out_dtype, .ndim = op->out_ndim,
	    .shape = op->out_shape, .seconds = secs };
	struct operands mine = *op;
	int e;

	if (mpi_same_inputs(&op->a.hdr, rq->a_path, &op->b.hdr,
	    rq->b_path) == -1)
		return 1;
	map_input_prefetch(&op->a.map);
	map_input_prefetch(&op->b.map);
	job.rows = rowsplit_share(op->va.rows, mpi_size(), mpi_rank());
	mine.va = rowsplit_view(&op->va, job.rows);
	mine.row0 = job.rows.first;
	if (check_overflow(rq, &mine, mon) != 0)
		return 1;
	secs[STATS_CHECK] = progress_now() - t;
	if (mon->show || rq->stats_json)
		cfg->progress = &hook;
	monitor_start(mon, rq, "mul", op->out_dtype);
	e = mpi_multiply(&job);
	monitor_end(mon, &mine, e == 0);
	cfg->progress = NULL;
	if (e != 0)
		return 1;
	if (rq->verbose) {
		report(rq, op, cfg, secs[STATS_COMPUTE]);
		fprintf(stderr, "pardot: mul: %d ranks x %d threads, %zu of "
		    "%zu rows on rank 0\n", mpi_size(), rq->jobs,
		    job.rows.count, op->va.rows);
	}
	if (rq->stats_json)
		print_stats(rq, op, cfg, NULL, &mon->stats, job.written);
	return 0;
}

/* Runs the multiply into a reserved output; returns 0 or 1 after a message. */
static int
compute(const struct mul_request *rq, const struct operands *op,
    struct monitor *mon)
{
	struct gemm_config cfg = { .nthreads = rq->jobs };
	double *secs = mon->stats.seconds, t = progress_now();
	struct output_file out;
	struct matrix_out c;
	struct memory_plan mp;
	size_t written;
	const char *why;

	if ((cfg.kernels = kernels_select(arch_override(), &why)) == NULL) {
		warnx("PARDOT_ARCH=%s: %s", arch_override(), why);
		return 1;
	}
	if (mpi_size() > 1)
		return compute_ranks(rq, op, &cfg, mon);
	if (check_overflow(rq, op, mon) != 0)
		return 1;
	secs[STATS_CHECK] = progress_now() - t;
	t = progress_now();
	if (open_output(rq, op, &out, &c) == -1)
		return 1;
	memory_plan(&mp, rq->mem_limit, &op->a.map, &op->b.map, &op->va,
	    &op->vb, &out, &c, &cfg);
	if (rq->verbose)
		memory_report(stderr, &mp);
	secs[STATS_MAP] += progress_now() - t;
	t = progress_now();
	if (multiply(rq, op, &out, &c, &mp, &cfg, mon) != 0) {
		output_discard(&out);
		return 1;
	}
	secs[STATS_COMPUTE] = progress_now() - t;
	if (rq->verbose)
		report(rq, op, &cfg, secs[STATS_COMPUTE]);
	written = out.len;
	t = progress_now();
	if (finish_output(rq, &out) != 0)
		return 1;
	secs[STATS_COMMIT] = progress_now() - t;
	if (rq->stats_json)
		print_stats(rq, op, &cfg, &mp, &mon->stats, written);
	return 0;
}

static int
open_operand(struct input_matrix *in, const char *path,
    const struct raw_spec *raw, const char *raw_option)
{
	if ((is_stdio(path) ? input_open_stdin(in, raw) :
	    input_open(in, path, raw)) == 0)
		return 0;
	if (in->not_npy)
		warnx("%s: %s (for headerless data give %s ROWSxCOLS and "
		    "--dtype)", path, in->err, raw_option);
	else
		warnx("%s: %s", path, in->err);
	return -1;
}

static int
run_mul(const struct mul_request *rq)
{
	struct operands op;
	struct monitor mon;
	double t = progress_now();
	int status = 1;

	if (rq->to_stdout && refuse_binary_stdout())
		return 1;
	monitor_init(&mon, rq);
	if (open_operand(&op.a, rq->a_path, rq->raw_a ? &rq->raw_spec_a : NULL,
	    "--raw-a") == -1)
		return 1;
	if (open_operand(&op.b, rq->b_path, rq->raw_b ? &rq->raw_spec_b : NULL,
	    "--raw-b") == -1) {
		input_close(&op.a);
		return 1;
	}
	mon.stats.seconds[STATS_MAP] = progress_now() - t;
	if (plan_shapes(&op, rq) == 0)
		status = compute(rq, &op, &mon);
	input_close(&op.a);
	input_close(&op.b);
	return status;
}

static int
mul_main(int argc, char **argv)
{
	struct mul_request rq;
	int r = parse_mul_args(argc, argv, &rq);

	return r != 0 ? r : run_mul(&rq);
}

const struct command cmd_mul = { "mul", mul_main, mul_help, 1 };
