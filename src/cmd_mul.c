/* pardot mul: C = op(A) . op(B) from files into a file. */
#include <err.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "dtype.h"
#include "gemm.h"
#include "matfile.h"

struct mul_request {
	const char		*a_path, *b_path, *out_path;
	int			 jobs;
	bool			 trans_a, trans_b, verbose;
	bool			 raw_a, raw_b, dtype_given;
	struct raw_spec		 raw_spec_a, raw_spec_b;
	enum dtype		 raw_dtype;
	enum file_format	 format;
};

/* One multiply in progress: its inputs, as NumPy's matmul sees them. */
struct operands {
	struct input_matrix	 a, b;
	struct matrix		 va, vb;	/* after transposes and 1-D rules */
	int			 out_ndim;
	uint64_t		 out_shape[2];
	enum dtype		 out_dtype;
};

static const char mul_help[] =
"usage: pardot mul [options] A B -o C\n"
"\n"
"Multiplies the matrices in files A and B into file C (.npy by default).\n"
"\n"
"  -o, --output FILE      write the result to FILE (required)\n"
"  -j, --jobs N           use N threads (default: OMP_NUM_THREADS, else all CPUs)\n"
"      --transpose-a      use the transpose of A\n"
"      --transpose-b      use the transpose of B\n"
"      --raw-a ROWSxCOLS  A is headerless data of this shape (needs --dtype)\n"
"      --raw-b ROWSxCOLS  B is headerless data of this shape (needs --dtype)\n"
"      --dtype T          element type of raw inputs: float64 float32 int64 int32\n"
"      --format npy|raw   format of the output (default npy)\n"
"  -v, --verbose          report shapes, threads, kernel, time and speed\n"
"  -h, --help             show this help\n";

enum { OPT_TA = 256, OPT_TB, OPT_RAW_A, OPT_RAW_B, OPT_DTYPE, OPT_FORMAT };

static const struct option mul_options[] = {
	{ "output",	 required_argument, NULL, 'o' },
	{ "jobs",	 required_argument, NULL, 'j' },
	{ "transpose-a", no_argument,	    NULL, OPT_TA },
	{ "transpose-b", no_argument,	    NULL, OPT_TB },
	{ "raw-a",	 required_argument, NULL, OPT_RAW_A },
	{ "raw-b",	 required_argument, NULL, OPT_RAW_B },
	{ "dtype",	 required_argument, NULL, OPT_DTYPE },
	{ "format",	 required_argument, NULL, OPT_FORMAT },
	{ "verbose",	 no_argument,	    NULL, 'v' },
	{ "help",	 no_argument,	    NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* Applies one option to rq; returns 0, -1 for --help, or EXIT_USAGE. */
static int
mul_option(struct mul_request *rq, int c)
{
	long long n;

	switch (c) {
	case 'o':
		rq->out_path = optarg;
		return 0;
	case 'j':
		if (parse_number("--jobs", optarg, 1, 4096, &n) == -1)
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
		    rq->raw_spec_a.shape) == 0 ? 0 : EXIT_USAGE;
	case OPT_RAW_B:
		rq->raw_b = true;
		return parse_shape("--raw-b", optarg, &rq->raw_spec_b.ndim,
		    rq->raw_spec_b.shape) == 0 ? 0 : EXIT_USAGE;
	case OPT_DTYPE:
		rq->dtype_given = true;
		return parse_dtype("--dtype", optarg, &rq->raw_dtype) == 0 ?
		    0 : EXIT_USAGE;
	case OPT_FORMAT:
		return parse_format("--format", optarg, &rq->format);
	case 'v':
		rq->verbose = true;
		return 0;
	case 'h':
		return -1;
	default:
		return EXIT_USAGE;
	}
}

static int
parse_mul_args(int argc, char **argv, struct mul_request *rq)
{
	int c, r;

	memset(rq, 0, sizeof(*rq));
	rq->jobs = default_jobs();
	while ((c = cli_getopt(argc, argv, "o:j:vh", mul_options, "mul")) != -1)
		if ((r = mul_option(rq, c)) != 0)
			return r;
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
	if ((rq->raw_a || rq->raw_b) && !rq->dtype_given)
		return usage_error("mul", "raw inputs need --dtype");
	if (rq->dtype_given && !rq->raw_a && !rq->raw_b)
		return usage_error("--dtype", "applies only to raw inputs "
		    "(--raw-a, --raw-b); .npy files carry their own");
	rq->raw_spec_a.dtype = rq->raw_spec_b.dtype = rq->raw_dtype;
	return 0;
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
	return 0;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
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

/* Runs the multiply into a reserved output; returns 0 or 1 after a message. */
static int
compute(const struct mul_request *rq, struct operands *op,
    struct output_file *out)
{
	struct gemm_config cfg = { .nthreads = rq->jobs };
	struct matrix_out c;
	const char *why;
	double t0;
	int e;

	if ((cfg.kernels = kernels_select(arch_override(), &why)) == NULL) {
		warnx("PARDOT_ARCH=%s: %s", arch_override(), why);
		return 1;
	}
	if (output_open(out, rq->out_path, rq->format, op->out_dtype,
	    op->out_ndim, op->out_shape, &c) == -1) {
		warnx("%s: %s", rq->out_path, out->err);
		return 1;
	}
	/* A 1-D result is one row on disk; gemm wants it in op(A)'s shape. */
	c.rows = op->va.rows;
	c.cols = c.ld = op->vb.cols;
	t0 = now();
	if ((e = gemm(&op->va, &op->vb, &c, &cfg)) != 0) {
		warnx("mul: %s", e == ENOMEM ? "out of memory for the packing "
		    "buffers" : strerror(e));
		output_discard(out);
		return 1;
	}
	if (rq->verbose)
		report(rq, op, &cfg, now() - t0);
	if (output_commit(out) == -1) {
		warnx("%s: %s", rq->out_path, out->err);
		return 1;
	}
	return 0;
}

static int
open_operand(struct input_matrix *in, const char *path,
    const struct raw_spec *raw, const char *raw_option)
{
	if (input_open(in, path, raw) == 0)
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
	struct output_file out;
	int status = 1;

	if (open_operand(&op.a, rq->a_path, rq->raw_a ? &rq->raw_spec_a : NULL,
	    "--raw-a") == -1)
		return 1;
	if (open_operand(&op.b, rq->b_path, rq->raw_b ? &rq->raw_spec_b : NULL,
	    "--raw-b") == -1) {
		input_close(&op.a);
		return 1;
	}
	if (plan_shapes(&op, rq) == 0)
		status = compute(rq, &op, &out);
	input_close(&op.a);
	input_close(&op.b);
	return status;
}

static int
mul_main(int argc, char **argv)
{
	struct mul_request rq;
	int r = parse_mul_args(argc, argv, &rq);

	if (r == -1) {
		fputs(mul_help, stdout);
		return close_stdout();
	}
	return r != 0 ? r : run_mul(&rq);
}

const struct command cmd_mul = { "mul", mul_main, mul_help };
