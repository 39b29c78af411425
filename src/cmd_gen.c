/* pardot gen: write a matrix of a given shape, type and fill. */
#include <err.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "dtype.h"
#include "matfile.h"

enum fill { FILL_RANDOM, FILL_ZEROS, FILL_ONES, FILL_IDENTITY, FILL_ARANGE };

static const char *const fill_names[] = {
	"random", "zeros", "ones", "identity", "arange",
};

struct gen_request {
	const char		*out_path;
	int			 ndim;
	uint64_t		 shape[2];
	enum dtype		 dtype;
	enum fill		 fill;
	uint64_t		 seed;
	enum file_format	 format;
};

static const char gen_help[] =
"usage: pardot gen ROWSxCOLS -o FILE [--dtype T] [--seed N] [--fill KIND]\n"
"\n"
"Writes a ROWSxCOLS matrix (or a vector of N elements) to FILE.\n"
"\n"
"  -o, --output FILE    write to FILE (required)\n"
"  -t, --dtype T        float64 (default), float32, int64 or int32\n"
"  -s, --seed N         seed of the random fill (default 1); the same seed\n"
"                       always gives the same matrix\n"
"  -f, --fill KIND      random (default: floats in [0, 1), integers in\n"
"                       [0, 10)), zeros, ones, identity or arange (0, 1, 2,\n"
"                       ... in row-major order)\n"
"      --format npy|raw format of the output (default npy)\n"
"  -h, --help           show this help\n";

enum { OPT_FORMAT = 256 };

static const struct option gen_options[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "dtype",  required_argument, NULL, 't' },
	{ "seed",   required_argument, NULL, 's' },
	{ "fill",   required_argument, NULL, 'f' },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "help",   no_argument,       NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int
parse_fill(const char *s, enum fill *out)
{
	for (size_t i = 0; i < sizeof(fill_names) / sizeof(fill_names[0]); i++) {
		if (strcmp(s, fill_names[i]) == 0) {
			*out = (enum fill)i;
			return 0;
		}
	}
	return usage_error("--fill", "unknown fill '%s' (random, zeros, ones, "
	    "identity or arange)", s);
}

/* Applies one option to rq; returns 0, -1 for --help, or EXIT_USAGE. */
static int
gen_option(struct gen_request *rq, int c)
{
	long long n;

	switch (c) {
	case 'o':
		rq->out_path = optarg;
		return 0;
	case 't':
		return parse_dtype("--dtype", optarg, &rq->dtype) ? EXIT_USAGE : 0;
	case 's':
		if (parse_number("--seed", optarg, 0, INT64_MAX, &n) == -1)
			return EXIT_USAGE;
		rq->seed = (uint64_t)n;
		return 0;
	case 'f':
		return parse_fill(optarg, &rq->fill);
	case OPT_FORMAT:
		return parse_format("--format", optarg, &rq->format);
	case 'h':
		return -1;
	default:
		return EXIT_USAGE;
	}
}

static int
parse_gen_args(int argc, char **argv, struct gen_request *rq)
{
	int c, r;

	memset(rq, 0, sizeof(*rq));
	rq->seed = 1;
	while ((c = cli_getopt(argc, argv, "o:t:s:f:h", gen_options, "gen")) != -1)
		if ((r = gen_option(rq, c)) != 0)
			return r;
	if (argc - optind != 1)
		return usage_error("gen", "needs one shape (ROWSxCOLS or N); "
		    "see 'pardot gen --help'");
	if (parse_shape("gen", argv[optind], &rq->ndim, rq->shape) == -1)
		return EXIT_USAGE;
	if (rq->out_path == NULL)
		return usage_error("gen", "missing the output file (-o FILE)");
	return 0;
}

/*
 * A counter-based generator: element i's value is a hash of (seed, i), so
 * the matrix is the same whatever the thread count or the order of filling.
 * The hash is SplitMix64's finaliser.
 */
static uint64_t
hash64(uint64_t seed, uint64_t i)
{
	uint64_t z = seed * 0x9e3779b97f4a7c15ull + i + 1;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static double
element(const struct gen_request *rq, uint64_t i, uint64_t row, uint64_t col)
{
	double v;

	switch (rq->fill) {
	case FILL_ZEROS:
		return 0;
	case FILL_ONES:
		return 1;
	case FILL_IDENTITY:
		return row == col;
	case FILL_ARANGE:
		return (double)i;
	case FILL_RANDOM:
		break;
	}
	if (dtype_is_int(rq->dtype))
		return (double)(hash64(rq->seed, i) % 10);
	v = (double)(hash64(rq->seed, i) >> 11) * 0x1p-53;
	/* Rounding to float32 may carry up to 1: stay in [0, 1). */
	if (rq->dtype == DTYPE_F32 && (float)v >= 1.0f)
		v = 0x1.fffffep-1;
	return v;
}

static void
fill(const struct gen_request *rq, const struct matrix_out *c)
{
	int64_t rows = (int64_t)c->rows;

	#pragma omp parallel for schedule(static)
	for (int64_t r = 0; r < rows; r++) {
		for (size_t j = 0; j < c->cols; j++) {
			size_t i = (size_t)r * c->cols + j;
			double v = element(rq, i, (uint64_t)r, j);

			switch (c->dtype) {
			case DTYPE_F64:
				((double *)c->data)[i] = v;
				break;
			case DTYPE_F32:
				((float *)c->data)[i] = (float)v;
				break;
			case DTYPE_I64:
				((int64_t *)c->data)[i] = (int64_t)v;
				break;
			case DTYPE_I32:
				/* arange past 2^31 wraps, as NumPy's astype does. */
				((int32_t *)c->data)[i] = (int32_t)(uint32_t)(int64_t)v;
				break;
			}
		}
	}
}

static int
gen_main(int argc, char **argv)
{
	struct gen_request rq;
	struct output_file out;
	struct matrix_out c;
	int r = parse_gen_args(argc, argv, &rq);

	if (r == -1) {
		fputs(gen_help, stdout);
		return close_stdout();
	}
	if (r != 0)
		return r;
	if (output_open(&out, rq.out_path, rq.format, rq.dtype, rq.ndim,
	    rq.shape, &c) == -1) {
		warnx("%s: %s", rq.out_path, out.err);
		return 1;
	}
	if (c.rows > 0 && c.cols > 0)
		fill(&rq, &c);
	if (output_commit(&out) == -1) {
		warnx("%s: %s", rq.out_path, out.err);
		return 1;
	}
	return 0;
}

const struct command cmd_gen = { "gen", gen_main, gen_help };
