/* pardot mul: C = op(A) . op(B) from files into a file. */
#include <err.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/mul.h"
#include "core/batch.h"
#include "core/dtype.h"
#include "core/rowsplit.h"
#include "io/clock.h"
#include "io/streams.h"
#include "mpi/mpi_mul.h"
#include "mpi/mpi_run.h"

static const char mul_help[] =
"usage: pardot mul [options] A B -o C\n"
"       pardot mul [options] --each FILE... --by B|--by-left B -o DIR\n"
"\n"
"Multiplies the matrices in files A and B into file C (.npy by default).\n"
"A or B may be '-', standard input. With --each, multiplies every FILE by\n"
"B (FILE . B; with --by-left, B . FILE) in one process, each product into\n"
"DIR under its FILE's name, going on past a file that fails.\n"
"\n"
"  -o, --output FILE      write the result to FILE (required); '-' is\n"
"                         standard output\n"
"  -j, --jobs N           use N threads (default: OMP_NUM_THREADS, else all CPUs)\n"
"      --each             the operands are the FILEs, each times --by's B\n"
"      --by B             with --each: FILE . B for every FILE\n"
"      --by-left B        with --each: B . FILE for every FILE\n"
"      --transpose-a      use the transpose of A\n"
"      --transpose-b      use the transpose of B\n"
"      --raw-a SHAPE      A is headerless data of this shape, C order: ROWSxCOLS,\n"
"                         N, or a stack such as 8x100x100 (needs a dtype)\n"
"      --raw-b SHAPE      B is headerless data of this shape (needs a dtype)\n"
"      --dtype T          element type of raw inputs: any NumPy numeric dtype\n"
"      --dtype-a T        element type of a raw A (overrides --dtype)\n"
"      --dtype-b T        element type of a raw B (overrides --dtype)\n"
"      --format npy|raw   format of the output (default npy)\n"
"      --mem-limit SIZE   keep within SIZE bytes of memory (512M, 8G),\n"
"                         page cache included (default: the smaller of\n"
"                         available memory and the cgroup's limit)\n"
"      --no-sync          do not wait for C to reach the disk: still renamed\n"
"                         into place whole, but a system crash may lose it\n"
"      --grid PRxPC       under mpirun: the ranks on a PR x PC grid, each\n"
"                         computing a tile of C (default: chosen)\n"
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
	OPT_NO_SYNC, OPT_EACH, OPT_BY, OPT_BY_LEFT, OPT_GRID, OPT_DTYPE_A,
	OPT_DTYPE_B,
};

static const struct option mul_options[] = {
	{ "output",	 required_argument, NULL, 'o' },
	{ "jobs",	 required_argument, NULL, 'j' },
	{ "transpose-a", no_argument,	    NULL, OPT_TA },
	{ "transpose-b", no_argument,	    NULL, OPT_TB },
	{ "raw-a",	 required_argument, NULL, OPT_RAW_A },
	{ "raw-b",	 required_argument, NULL, OPT_RAW_B },
	{ "dtype",	 required_argument, NULL, OPT_DTYPE },
	{ "dtype-a",	 required_argument, NULL, OPT_DTYPE_A },
	{ "dtype-b",	 required_argument, NULL, OPT_DTYPE_B },
	{ "format",	 required_argument, NULL, OPT_FORMAT },
	{ "mem-limit",	 required_argument, NULL, OPT_MEM_LIMIT },
	{ "no-sync",	 no_argument,	    NULL, OPT_NO_SYNC },
	{ "each",	 no_argument,	    NULL, OPT_EACH },
	{ "by",		 required_argument, NULL, OPT_BY },
	{ "by-left",	 required_argument, NULL, OPT_BY_LEFT },
	{ "grid",	 required_argument, NULL, OPT_GRID },
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

/* --grid PRxPC: two numbers of ranks, each from 1. */
static int
parse_grid(struct mul_request *rq, const char *arg)
{
	uint64_t shape[2];
	int ndim;

	if (parse_shape("--grid", arg, 2, &ndim, shape) != CLI_OK)
		return EXIT_USAGE;
	if (ndim != 2 || shape[0] < 1 || shape[1] < 1 || shape[0] > 65536 ||
	    shape[1] > 65536)
		return usage_error("--grid", "'%s' is not PRxPC, two numbers "
		    "of ranks from 1 to 65536", arg);
	rq->grid_rows = (int)shape[0];
	rq->grid_cols = (int)shape[1];
	return CLI_OK;
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
		return parse_shape("--raw-a", optarg, NPY_MAXDIMS,
		    &rq->raw_spec_a.ndim, rq->raw_spec_a.shape);
	case OPT_RAW_B:
		rq->raw_b = true;
		return parse_shape("--raw-b", optarg, NPY_MAXDIMS,
		    &rq->raw_spec_b.ndim, rq->raw_spec_b.shape);
	case OPT_DTYPE:
		rq->dtype_given = true;
		return parse_dtype("--dtype", optarg, &rq->raw_dtype);
	case OPT_DTYPE_A:
		rq->dtype_a_given = true;
		return parse_dtype("--dtype-a", optarg, &rq->raw_spec_a.dtype);
	case OPT_DTYPE_B:
		rq->dtype_b_given = true;
		return parse_dtype("--dtype-b", optarg, &rq->raw_spec_b.dtype);
	case OPT_FORMAT:
		return parse_format("--format", optarg, &rq->format);
	case OPT_NO_SYNC:
		rq->no_sync = true;
		return 0;
	case OPT_EACH:
		rq->each = true;
		return 0;
	case OPT_BY:
	case OPT_BY_LEFT:
		if (rq->by_path != NULL)
			return usage_error(c == OPT_BY ? "--by" : "--by-left",
			    "one fixed operand only (--by or --by-left, once)");
		rq->by_path = optarg;
		rq->by_left = c == OPT_BY_LEFT;
		return 0;
	case OPT_MEM_LIMIT:
		return parse_size("--mem-limit", optarg, &rq->mem_limit) == 0 ?
		    0 : EXIT_USAGE;
	case OPT_GRID:
		return parse_grid(rq, optarg);
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
	if (mpi_size() <= 1 && rq->grid_rows > 0 && (rq->grid_rows > 1 ||
	    rq->grid_cols > 1))
		return usage_error("--grid", "needs %dx%d ranks under mpirun",
		    rq->grid_rows, rq->grid_cols);
	if (mpi_size() <= 1)
		return 0;
	if (rq->to_stdout || is_stdio(rq->a_path) || is_stdio(rq->b_path))
		return usage_error("mul", "standard input or output ('-') "
		    "needs a single process; under mpirun, name files");
	if (rq->grid_rows > 0 && (long long)rq->grid_rows * rq->grid_cols !=
	    mpi_size())
		return usage_error("--grid", "%dx%d is %lld ranks, but the run "
		    "has %d", rq->grid_rows, rq->grid_cols,
		    (long long)rq->grid_rows * rq->grid_cols, mpi_size());
	if (mpi_rank() > 0)
		rq->progress = PROGRESS_OFF;	/* rank 0 draws the bar */
	return 0;
}

/*
 * The element types of raw inputs: --dtype-a and --dtype-b for their own
 * operand, --dtype for any operand without one. Each raw input needs one,
 * and none is wanted for a .npy file, which carries its own.
 */
static int
settle_raw_dtypes(struct mul_request *rq)
{
	bool a = rq->dtype_a_given || rq->dtype_given;
	bool b = rq->dtype_b_given || rq->dtype_given;

	if ((rq->raw_a && !a) || (rq->raw_b && !b)) {
		if (!rq->dtype_a_given && !rq->dtype_b_given)
			return usage_error("mul", "raw inputs need --dtype");
		return usage_error("mul", "raw input %s needs --dtype or %s",
		    rq->raw_a && !a ? "A" : "B", rq->raw_a && !a ?
		    "--dtype-a" : "--dtype-b");
	}
	if (rq->dtype_given && !rq->raw_a && !rq->raw_b)
		return usage_error("--dtype", "applies only to raw inputs "
		    "(--raw-a, --raw-b); .npy files carry their own");
	if (rq->dtype_a_given && !rq->raw_a)
		return usage_error("--dtype-a", "applies only to a raw A "
		    "(--raw-a); .npy files carry their own");
	if (rq->dtype_b_given && !rq->raw_b)
		return usage_error("--dtype-b", "applies only to a raw B "
		    "(--raw-b); .npy files carry their own");
	if (!rq->dtype_a_given)
		rq->raw_spec_a.dtype = rq->raw_dtype;
	if (!rq->dtype_b_given)
		rq->raw_spec_b.dtype = rq->raw_dtype;
	return 0;
}

/* The last part of a path: the name a product of --each is written under. */
static const char *
base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash != NULL ? slash + 1 : path;
}

/*
 * mul --each FILE... --by B -o DIR: every FILE a product of its own, into
 * DIR under the FILE's name; no two FILEs may share a name, and standard
 * streams have none.
 */
static int
parse_each_args(int argc, char **argv, struct mul_request *rq)
{
	struct stat st;

	if (!rq->each || rq->by_path == NULL)
		return usage_error(rq->each ? "--each" : rq->by_left ?
		    "--by-left" : "--by", "--each FILE... goes with --by B or "
		    "--by-left B");
	if (argc < 1)
		return usage_error("--each", "needs at least one FILE");
	if (rq->out_path == NULL)
		return usage_error("mul", "missing the output directory "
		    "(-o DIR)");
	if (stat(rq->out_path, &st) == -1 || !S_ISDIR(st.st_mode))
		return usage_error(rq->out_path, "with --each, -o names an "
		    "existing directory");
	if (is_stdio(rq->by_path))
		return usage_error(rq->by_left ? "--by-left" : "--by",
		    "standard input ('-') cannot be read for every FILE");
	for (int i = 0; i < argc; i++) {
		if (is_stdio(argv[i]))
			return usage_error("--each", "standard input ('-') has "
			    "no name to write its product under");
		for (int j = 0; j < i; j++)
			if (strcmp(base_name(argv[i]), base_name(argv[j])) == 0)
				return usage_error("--each", "%s and %s would both "
				    "be written to %s/%s", argv[j], argv[i],
				    rq->out_path, base_name(argv[i]));
	}
	rq->files = argv;
	rq->nfiles = argc;
	if (settle_raw_dtypes(rq) != 0)
		return EXIT_USAGE;
	if (mpi_size() > 1)
		return usage_error("--each", "needs a single process");
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
	if (rq->each || rq->by_path != NULL)
		return parse_each_args(argc, argv, rq);
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
	if (settle_raw_dtypes(rq) != 0)
		return EXIT_USAGE;
	return check_ranks(rq);
}

/* An input as matmul_plan takes it: its first matrix and its dimensions. */
static struct matmul_operand
operand_of(const struct input_matrix *in)
{
	struct matmul_operand x = { in->view, in->hdr.ndim, in->hdr.shape,
	    in->strides };

	return x;
}

/* NumPy's matmul rules on the operands (core/matmul.h), refusals worded. */
static int
plan_shapes(struct operands *op, const struct mul_request *rq)
{
	struct matmul_operand a = operand_of(&op->a), b = operand_of(&op->b);
	int nda = op->a.hdr.ndim, ndb = op->b.hdr.ndim;
	char sa[MUL_SHAPE_LEN], sb[MUL_SHAPE_LEN];

	op->row0 = 0;
	switch (matmul_plan(&op->mm, &a, rq->trans_a, &b, rq->trans_b)) {
	case MATMUL_OK:
		return 0;
	case MATMUL_SCALAR_A:
	case MATMUL_SCALAR_B:
		warnx("%s: a 0-d array (scalar) cannot be multiplied: matmul "
		    "needs at least one dimension", nda == 0 ? rq->a_path :
		    rq->b_path);
		return -1;
	case MATMUL_BATCH:
		warnx("mul: batch dimensions %s and %s do not broadcast",
		    batch_tuple(sa, sizeof(sa), &op->a.hdr),
		    batch_tuple(sb, sizeof(sb), &op->b.hdr));
		return -1;
	case MATMUL_TOO_LARGE:
		warnx("mul: %s is %s and %s is %s: the result is too large",
		    rq->a_path, shape_str(sa, sizeof(sa), nda, op->a.hdr.shape),
		    rq->b_path, shape_str(sb, sizeof(sb), ndb, op->b.hdr.shape));
		return -1;
	case MATMUL_INNER:
		break;
	}
	warnx("mul: %s is %s but %s is %s: inner dimensions differ "
	    "(%zu and %zu)", rq->a_path, shape_str(sa, sizeof(sa), nda,
	    op->a.hdr.shape), rq->b_path, shape_str(sb, sizeof(sb), ndb,
	    op->b.hdr.shape), op->mm.a.cols, op->mm.b.rows);
	return -1;
}

/*
 * The first matrix of the stack from t on (a 2-D multiply is a stack of
 * one) that the bound does not clear, or the count if none is left.
 */
static uint64_t
first_unbounded(const struct operands *op, uint64_t t, int nthreads)
{
	const struct matmul_shape *mm = &op->mm;
	struct batch_pos w;

	batch_seek(&mm->batch, t, &w);
	for (; t < mm->batch.count; t++, batch_next(&mm->batch, &w)) {
		struct matrix a = batch_matrix(&mm->a, w.oa);
		struct matrix b = batch_matrix(&mm->b, w.ob);

		if (!overflow_bound_clears(overflow_bound(&a, &b, nthreads),
		    mm->dtype))
			return t;
	}
	return t;
}

/*
 * --overflow=error for an integer result: the bound settles most cases at
 * the cost of one read of A and B; the exact search, as long as a multiply,
 * the rest, matrix by matrix of a stack. Returns 0 when nothing overflows,
 * or 1 after a message.
 */
static int
check_overflow(const struct mul_request *rq, const struct operands *op,
    struct monitor *mon)
{
	const struct matmul_shape *mm = &op->mm;
	uint64_t t = 0, n = mm->batch.count;
	struct overflow_at at;
	int r = 0;

	if (!rq->overflow_error || !dtype_is_int(mm->dtype))
		return 0;
	if ((t = first_unbounded(op, 0, rq->jobs)) == n) {
		mon->stats.proof = "bound";
		return 0;
	}
	monitor_start(mon, rq, "check", mm->dtype);
	while (t < n && r == 0) {
		struct batch_pos w;
		struct matrix a, b;

		batch_seek(&mm->batch, t, &w);
		a = batch_matrix(&mm->a, w.oa);
		b = batch_matrix(&mm->b, w.ob);
		/* One bar for one search; a stack's would run back each time. */
		r = overflow_find(&a, &b, mm->dtype, rq->jobs, n == 1 ?
		    &mon->hook : NULL, &at);
		if (r == 0)
			t = first_unbounded(op, t + 1, rq->jobs);
	}
	monitor_end(mon, op, r == 0);
	mon->stats.proof = "exact";
	if (r == -1)
		warnx("mul: out of memory for the overflow check");
	else if (r == 1) {
		at.row += op->row0;
		mul_report_overflow(op, &at, t);
	}
	return r == 0 ? 0 : 1;
}

/*
 * Where C goes. In one process: an output file reserved here (the
 * target's temporary file, or for standard output one in the temporary
 * directory, copied out once complete) and a plan to keep within memory.
 * As one rank of several: the rows of this rank, written by mpi_multiply.
 */
struct mul_target {
	struct output_file	 out;
	struct matrix_out	 c;
	struct memory_plan	 mp;
	struct rank_mul		 rank;
};

static int
open_output(const struct mul_request *rq, const struct operands *op,
    const struct gemm_setup *setup, struct mul_target *t)
{
	const struct matmul_shape *mm = &op->mm;

	if (output_open(&t->out, rq->to_stdout ? stdout_staging_path() :
	    rq->out_path, rq->format, mm->dtype, mm->ndim, mm->shape,
	    &t->c) == -1) {
		warnx("%s: %s", rq->out_path, t->out.err);
		return -1;
	}
	/* A 1-D result is one row on disk; gemm wants it in op(A)'s shape. */
	t->c.rows = mm->a.rows;
	t->c.cols = t->c.ld = mm->b.cols;
	memory_plan(&t->mp, rq->mem_limit, &op->a.map, &op->b.map, &mm->a,
	    &mm->b, &t->out, &t->c, setup);
	if (rq->verbose)
		memory_report(stderr, &t->mp);
	return 0;
}

/*
 * A stack out of core: its matrices in turn, each tile by tile as the plan
 * made for the first (they all have its shape and strides) says.
 */
static int
ooc_stack(const struct operands *op, const struct gemm_setup *setup,
    const struct mul_target *t, const struct ooc_files *files,
    struct gemm_result *res)
{
	const struct matmul_shape *mm = &op->mm;
	double work = batch_madds(&mm->a, &mm->b);
	struct gemm_progress_part part = { setup->progress, 0,
	    work * (double)mm->batch.count };
	struct gemm_progress hook = { gemm_progress_part, &part };
	struct gemm_setup each = *setup;
	struct batch_pos w;
	int e = 0;

	each.progress = setup->progress != NULL ? &hook : NULL;
	batch_seek(&mm->batch, 0, &w);
	for (uint64_t i = 0; i < mm->batch.count && e == 0; i++) {
		struct matrix a = batch_matrix(&mm->a, w.oa);
		struct matrix b = batch_matrix(&mm->b, w.ob);
		struct matrix_out c = batch_out(&t->c, i);
		struct gemm_result r;

		e = ooc_gemm(&a, &b, &c, &t->mp.tiles, &t->mp.problem, files,
		    &each, t->mp.route, &r);
		if (i == 0)
			*res = r;
		else
			gemm_result_add(res, &r);
		part.base += work;
		batch_next(&mm->batch, &w);
	}
	return e;
}

/*
 * A stack in memory, in slices of C of WRITE_BEHIND bytes or more, each
 * written back as soon as it is done: the disk then writes while the
 * threads compute, instead of all at the commit.
 */
#define WRITE_BEHIND	((size_t)4 << 20)
#define MAX_SLICES	16

static int
stack_in_slices(const struct operands *op, const struct gemm_setup *setup,
    struct mul_target *t, struct gemm_result *res)
{
	const struct matmul_shape *mm = &op->mm;
	uint64_t count = mm->batch.count;
	size_t bytes = t->c.rows * t->c.cols * dtype_size(t->c.dtype);
	uint64_t per = bytes > 0 ? WRITE_BEHIND / bytes + 1 : count;
	double work = batch_madds(&mm->a, &mm->b);
	struct gemm_progress_part part = { setup->progress, 0,
	    work * (double)count };
	struct gemm_progress hook = { gemm_progress_part, &part };
	struct gemm_setup each = *setup;
	int e = 0;

	if (per < count / MAX_SLICES + 1)
		per = count / MAX_SLICES + 1;
	/* Matrices shared among the threads: as many for each in a slice. */
	if (batch_splits(&mm->batch, &mm->a, &mm->b, setup))
		per = (per + (uint64_t)setup->nthreads - 1) /
		    (uint64_t)setup->nthreads * (uint64_t)setup->nthreads;
	each.progress = setup->progress != NULL ? &hook : NULL;
	for (uint64_t t0 = 0; t0 < count && e == 0; t0 += per) {
		uint64_t t1 = count - t0 < per ? count : t0 + per;
		struct gemm_result r;

		e = batch_gemm_part(&mm->batch, &mm->a, &mm->b, &t->c, t0, t1,
		    &each, &r);
		if (t0 == 0)
			*res = r;
		else
			gemm_result_add(res, &r);
		output_retire(&t->out, (size_t)((const char *)batch_out(&t->c,
		    t0).data - (const char *)t->out.addr), (size_t)(t1 - t0) *
		    bytes);
		part.base += work * (double)(t1 - t0);
	}
	return e;
}

/* In one process: C computed at once, or tile by tile out of core. */
static int
multiply_here(const struct operands *op, const struct gemm_setup *setup,
    struct mul_target *t, struct mul_done *done)
{
	struct ooc_files files = { &op->a.map, &op->b.map, &t->out };
	struct gemm_call call = { .route = t->mp.route };

	done->memory = &t->mp;
	if (op->mm.batch.count != 1 && t->mp.tiled)
		return ooc_stack(op, setup, t, &files, &done->gemm);
	done->split = batch_splits(&op->mm.batch, &op->mm.a, &op->mm.b, setup);
	if (op->mm.batch.count != 1)
		return stack_in_slices(op, setup, t, &done->gemm);
	if (t->mp.tiled)
		return ooc_gemm(&op->mm.a, &op->mm.b, &t->c, &t->mp.tiles,
		    &t->mp.problem, &files, setup, t->mp.route, &done->gemm);
	return gemm(&op->mm.a, &op->mm.b, &t->c, setup, &call, &done->gemm);
}

static int
multiply(const struct mul_request *rq, const struct operands *op,
    const struct gemm_setup *setup, struct mul_target *t,
    struct mul_done *done, double *secs)
{
	struct rank_mul_done rd;
	int e;

	if (done->ranks == 1) {
		e = multiply_here(op, setup, t, done);
		if (e == EIO)
			warnx("%s: cannot write: %s", rq->out_path,
			    strerror(e));
		else if (e != 0)
			warnx("mul: %s", e == ENOMEM ? "out of memory for the "
			    "packing buffers" : strerror(e));
		return e != 0;
	}
	if (mpi_multiply(&t->rank, &rd) != 0)
		return 1;
	done->gemm = rd.gemm;
	done->written = rd.written;
	secs[STATS_MAP] += rd.open_s;
	secs[STATS_COMPUTE] = rd.compute_s;
	secs[STATS_COMMIT] = rd.commit_s;
	return 0;
}

/*
 * The products of --each waiting for their commits, made together: the
 * data of all, synced at once; then their renames, and one sync of the
 * directory. A file's sync costs a commit of the file system's journal,
 * which covers every file synced with it.
 */
#define BATCH_MAX	64

struct mul_batch {
	const char		*dir;		/* -o DIR, which holds them all */
	struct output_file	 out[BATCH_MAX];
	int			 n;
	int			 status;	/* 1 once a commit failed */
};

static void
batch_commit(const struct mul_request *rq, struct mul_batch *b)
{
	for (int i = 0; i < b->n; i++)
		if (output_commit(&b->out[i], rq->no_sync ? OUTPUT_VISIBLE :
		    OUTPUT_DURABLE_DATA) == -1) {
			warnx("%s: %s", b->out[i].target, b->out[i].err);
			b->status = 1;
		}
	if (b->n > 0 && !rq->no_sync && output_sync_dir(b->dir) == -1) {
		warn("%s: cannot sync the directory", b->dir);
		b->status = 1;
	}
	b->n = 0;
}

/*
 * The result to its target: renamed over it, copied to standard output,
 * or for --each parked in the batch.
 */
static int
finish_output(const struct mul_request *rq, struct output_file *out,
    struct mul_batch *batch)
{
	if (batch != NULL) {
		output_park(out);
		batch->out[batch->n++] = *out;
		if (batch->n == BATCH_MAX)
			batch_commit(rq, batch);
		return 0;
	}
	if (!rq->to_stdout) {
		if (output_commit(out, rq->no_sync ? OUTPUT_VISIBLE :
		    OUTPUT_DURABLE) == 0)
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

/*
 * Under mpirun: this rank's rows of C (src/mpi/mpi_mul.c), which the
 * overflow check and the multiply then see as all of op(A); only rank 0's
 * report and stats reach standard error.
 */
static int
share_rows(const struct mul_request *rq, const struct operands *op,
    const struct gemm_setup *setup, struct operands *mine,
    struct mul_target *t, struct mul_done *done)
{
	struct rank_mul *job = &t->rank;

	*mine = *op;
	if (done->ranks == 1)
		return 0;
	*job = (struct rank_mul){ .a = &op->mm.a, .b = &op->mm.b,
	    .a_in = &op->a, .b_in = &op->b, .a_path = rq->a_path,
	    .b_path = rq->b_path, .mem_limit = rq->mem_limit,
	    .grid_rows = rq->grid_rows, .grid_cols = rq->grid_cols,
	    .verbose = rq->verbose, .setup = setup, .target = rq->out_path,
	    .format = rq->format, .dtype = op->mm.dtype, .ndim = op->mm.ndim,
	    .shape = op->mm.shape };
	if (mpi_share_rows(job) == -1)
		return -1;
	mine->mm.a = rowsplit_view(&op->mm.a, job->rows);
	mine->row0 = job->rows.first;
	done->rank0_rows = job->rows.count;
	return 0;
}

/*
 * Runs the multiply, in one process or as one rank of several: the same
 * steps in the same order, each path doing its part of the output's life.
 * Returns 0, or 1 after a message.
 */
static int
compute(const struct mul_request *rq, const struct operands *op,
    struct monitor *mon, struct mul_batch *batch)
{
	struct gemm_setup setup = { .nthreads = rq->jobs };
	struct mul_done done = { .ranks = mpi_size() };
	double *secs = mon->stats.seconds, t = clock_now();
	bool here = done.ranks == 1;
	struct operands mine;
	struct mul_target target;
	const char *why;

	if ((setup.kernels = kernels_select(arch_override(), &why)) == NULL) {
		warnx("PARDOT_ARCH=%s: %s", arch_override(), why);
		return 1;
	}
	done.isa = setup.kernels->isa;
	if (!here && (op->a.hdr.ndim > 2 || op->b.hdr.ndim > 2)) {
		/* Every rank knows; one says so. */
		if (mpi_rank() == 0)
			warnx("mul: stacks are not supported with MPI yet "
			    "(operands of more than two dimensions)");
		return 1;
	}
	if (share_rows(rq, op, &setup, &mine, &target, &done) == -1 ||
	    check_overflow(rq, &mine, mon) != 0)
		return 1;
	secs[STATS_CHECK] = clock_now() - t;
	t = clock_now();
	if (here && open_output(rq, op, &setup, &target) == -1)
		return 1;
	secs[STATS_MAP] += clock_now() - t;
	setup.progress = monitor_hook(mon, rq);
	t = clock_now();
	monitor_start(mon, rq, "mul", op->mm.dtype);
	if (multiply(rq, op, &setup, &target, &done, secs) != 0) {
		monitor_end(mon, &mine, false);
		if (here)
			output_discard(&target.out);
		return 1;
	}
	monitor_end(mon, &mine, true);
	if (here)
		secs[STATS_COMPUTE] = clock_now() - t;
	if (rq->verbose)
		mul_report(rq, op, &done, secs[STATS_COMPUTE]);
	if (here) {
		done.written = target.out.len;
		t = clock_now();
		if (finish_output(rq, &target.out, batch) != 0)
			return 1;
		secs[STATS_COMMIT] = clock_now() - t;
	}
	if (rq->stats_json)
		mul_print_stats(rq, op, &done, &mon->stats);
	return 0;
}

static int
open_operand(struct input_matrix *in, const char *path,
    const struct raw_spec *raw, const char *raw_option)
{
	if ((is_stdio(path) ? input_open_stdin(in, raw) :
	    input_open(in, path, raw)) == 0 &&
	    input_refuse_unsupported(in, true, true) == 0)
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
	double t = clock_now();
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
	mon.stats.seconds[STATS_MAP] = clock_now() - t;
	if (plan_shapes(&op, rq) == 0)
		status = compute(rq, &op, &mon, NULL);
	input_close(&op.a);
	input_close(&op.b);
	return status;
}

/*
 * Every FILE times the fixed operand, in this one process: B is opened
 * and mapped once, the threads start once, and a file that fails is
 * reported and passed over. Returns 0, or 1 if any file failed.
 */
static int
run_each(const struct mul_request *rq)
{
	const struct raw_spec *raw_fixed = rq->by_left ?
	    (rq->raw_a ? &rq->raw_spec_a : NULL) :
	    (rq->raw_b ? &rq->raw_spec_b : NULL);
	const struct raw_spec *raw_file = rq->by_left ?
	    (rq->raw_b ? &rq->raw_spec_b : NULL) :
	    (rq->raw_a ? &rq->raw_spec_a : NULL);
	struct input_matrix fixed;
	struct mul_batch batch = { .dir = rq->out_path };
	int status = 0;

	if (open_operand(&fixed, rq->by_path, raw_fixed, rq->by_left ?
	    "--raw-a" : "--raw-b") == -1)
		return 1;
	for (int i = 0; i < rq->nfiles; i++) {
		struct mul_request one = *rq;
		struct operands op;
		struct monitor mon;
		struct input_matrix *file = rq->by_left ? &op.b : &op.a;
		char *out;

		if (asprintf(&out, "%s/%s", rq->out_path,
		    base_name(rq->files[i])) == -1) {
			warnx("mul: out of memory");
			status = 1;
			break;
		}
		one.out_path = out;
		one.a_path = rq->by_left ? rq->by_path : rq->files[i];
		one.b_path = rq->by_left ? rq->files[i] : rq->by_path;
		monitor_init(&mon, &one);
		*(rq->by_left ? &op.a : &op.b) = fixed;
		if (open_operand(file, rq->files[i], raw_file, rq->by_left ?
		    "--raw-b" : "--raw-a") == -1)
			status = 1;
		else {
			if (plan_shapes(&op, &one) != 0 ||
			    compute(&one, &op, &mon, &batch) != 0)
				status = 1;
			input_close(file);
		}
		free(out);
	}
	input_close(&fixed);
	batch_commit(rq, &batch);
	return status | batch.status;
}

static int
mul_main(int argc, char **argv)
{
	struct mul_request rq;
	int r = parse_mul_args(argc, argv, &rq);

	if (r != 0)
		return r;
	return rq.each ? run_each(&rq) : run_mul(&rq);
}

const struct command cmd_mul = { "mul", mul_main, mul_help, 1 };
