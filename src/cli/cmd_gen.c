/* pardot gen: write a matrix of a given shape, type and fill. */
#include <err.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/dtype.h"
#include "io/matfile.h"
#include "io/streams.h"

enum fill {
	FILL_RANDOM, FILL_NORMAL, FILL_ZEROS, FILL_ONES, FILL_IDENTITY,
	FILL_ARANGE,
};

static const char *const fill_names[] = {
	"random", "normal", "zeros", "ones", "identity", "arange",
};

struct gen_request {
	const char		*out_path;
	int			 ndim;
	uint64_t		 shape[2];
	enum dtype		 dtype;
	enum fill		 fill;
	uint64_t		 seed;
	enum file_format	 format;
	const char		*range;		/* --range as given */
	double			 lo, hi;	/* of random floats */
	int64_t			 ilo, ihi;	/* of random ints */
};

static const char gen_help[] =
"usage: pardot gen ROWSxCOLS -o FILE [--dtype T] [--seed N] [--fill KIND]\n"
"           [--range LO:HI]\n"
"\n"
"Writes a ROWSxCOLS matrix (or a vector of N elements) to FILE.\n"
"\n"
"  -o, --output FILE    write to FILE (required); '-' is standard output\n"
"  -t, --dtype T        float64 (default), float32, int64 or int32\n"
"  -s, --seed N         seed of the random fill (default 1); the same seed\n"
"                       always gives the same matrix\n"
"  -f, --fill KIND      random (default: floats in [0, 1), integers in\n"
"                       [0, 10)), normal (standard normal floats), zeros,\n"
"                       ones, identity or arange (0, 1, 2, ... in row-major\n"
"                       order)\n"
"      --range LO:HI    random values in [LO, HI) instead: whole numbers\n"
"                       for an integer dtype\n"
"      --format npy|raw format of the output (default npy)\n"
"  -h, --help           show this help\n";

enum { OPT_FORMAT = 256, OPT_RANGE };

static const struct option gen_options[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "dtype",  required_argument, NULL, 't' },
	{ "seed",   required_argument, NULL, 's' },
	{ "fill",   required_argument, NULL, 'f' },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "range",  required_argument, NULL, OPT_RANGE },
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
	return usage_error("--fill", "unknown fill '%s' (random, normal, zeros, "
	    "ones, identity or arange)", s);
}

/* Applies one option to rq; returns CLI_OK, CLI_HELP or EXIT_USAGE. */
static int
gen_option(struct gen_request *rq, int c)
{
	long long n;

	switch (c) {
	case 'o':
		rq->out_path = optarg;
		return 0;
	case 't':
		return parse_dtype("--dtype", optarg, &rq->dtype);
	case 's':
		if (parse_number("--seed", optarg, 0, INT64_MAX, &n) != 0)
			return EXIT_USAGE;
		rq->seed = (uint64_t)n;
		return 0;
	case 'f':
		return parse_fill(optarg, &rq->fill);
	case OPT_FORMAT:
		return parse_format("--format", optarg, &rq->format);
	case OPT_RANGE:
		rq->range = optarg;
		return 0;
	case 'h':
		return CLI_HELP;
	default:
		return EXIT_USAGE;
	}
}

/*
 * Whole numbers LO < HI, every value in [LO, HI) one that the integer
 * dtype holds: HI, excluded, may be one past its largest.
 */
static int
parse_int_range(struct gen_request *rq, const char *lo, const char *hi)
{
	bool i4 = rq->dtype == DTYPE_I32;
	long long min = i4 ? INT32_MIN : INT64_MIN;
	long long max = i4 ? INT32_MAX : INT64_MAX;
	long long a, b;

	if (parse_number("--range", lo, LLONG_MIN, LLONG_MAX, &a) != 0 ||
	    parse_number("--range", hi, LLONG_MIN, LLONG_MAX, &b) != 0)
		return EXIT_USAGE;
	/* int64's own bounds are parse_number's; int32's are checked here. */
	if (i4 && (a < min || a > max || b < min || b > max + 1))
		return usage_error("--range", "'%s' is outside int32, which "
		    "holds %lld to %lld (HI, excluded, may be %lld)", rq->range,
		    min, max, max + 1);
	if (a >= b)
		return usage_error("--range", "'%s' is empty: LO must be below "
		    "HI", rq->range);
	rq->ilo = a;
	rq->ihi = b;
	return 0;
}

static int
parse_bound(const char *s, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	if (end == s || *end != '\0' || errno == ERANGE || !isfinite(*out))
		return usage_error("--range", "'%s' is not a finite number", s);
	return 0;
}

/* Finite LO < HI, with a float32 in between for float32. */
static int
parse_float_range(struct gen_request *rq, const char *lo, const char *hi)
{
	float f;

	if (parse_bound(lo, &rq->lo) != 0 || parse_bound(hi, &rq->hi) != 0)
		return EXIT_USAGE;
	if (!(rq->lo < rq->hi))
		return usage_error("--range", "'%s' is empty: LO must be below "
		    "HI", rq->range);
	if (rq->dtype != DTYPE_F32)
		return 0;
	if ((double)(f = (float)rq->lo) < rq->lo)
		f = nextafterf(f, INFINITY);
	if (!((double)f < rq->hi))
		return usage_error("--range", "'%s' holds no float32 value",
		    rq->range);
	return 0;
}

/* --range, or the default ranges of the random fill. */
static int
parse_range(struct gen_request *rq)
{
	char lo[64], *hi;

	rq->lo = 0;
	rq->hi = 1;
	rq->ilo = 0;
	rq->ihi = 10;
	if (rq->range == NULL)
		return 0;
	if (rq->fill != FILL_RANDOM)
		return usage_error("--range", "applies only to --fill random");
	snprintf(lo, sizeof(lo), "%s", rq->range);
	if (strlen(rq->range) >= sizeof(lo) || (hi = strchr(lo, ':')) == NULL)
		return usage_error("--range", "'%s' is not a range LO:HI",
		    rq->range);
	*hi++ = '\0';
	return dtype_is_int(rq->dtype) ? parse_int_range(rq, lo, hi) :
	    parse_float_range(rq, lo, hi);
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
	if (parse_shape("gen", argv[optind], 2, &rq->ndim, rq->shape) != 0)
		return EXIT_USAGE;
	if (rq->out_path == NULL)
		return usage_error("gen", "missing the output file (-o FILE)");
	if (rq->fill == FILL_NORMAL && dtype_is_int(rq->dtype))
		return usage_error("--fill", "normal needs a float dtype "
		    "(float64 or float32): round it in NumPy if need be");
	return parse_range(rq);
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

/* Normal (Gaussian) with mean 0 and variance 1, by Box and Muller's method. */
static double
normal(uint64_t seed, uint64_t i)
{
	/* u1 in (0, 1], so that its logarithm is finite; u2 in [0, 1). */
	double u1 = (double)((hash64(seed, 2 * i) >> 11) + 1) * 0x1p-53;
	double u2 = (double)(hash64(seed, 2 * i + 1) >> 11) * 0x1p-53;

	return sqrt(-2 * log(u1)) * cos(2 * M_PI * u2);
}

/* Uniform in [lo, hi), and still so once rounded to the dtype. */
static double
uniform(const struct gen_request *rq, uint64_t h)
{
	double u = (double)(h >> 11) * 0x1p-53;
	/* A weighted mean cannot overflow, as lo + (hi - lo) * u can. */
	double v = rq->lo * (1 - u) + rq->hi * u;
	float f;

	if (v >= rq->hi)
		v = nextafter(rq->hi, -INFINITY);
	if (v < rq->lo)
		v = rq->lo;
	if (rq->dtype != DTYPE_F32)
		return v;
	/* parse_range made sure that a float32 lies in between. */
	f = (float)v;
	while ((double)f >= rq->hi)
		f = nextafterf(f, -INFINITY);
	while ((double)f < rq->lo)
		f = nextafterf(f, INFINITY);
	return f;
}

/*
 * The fills that are patterns rather than random draws, the same for every
 * type: sets *v and returns true, or returns false for a random fill.
 */
static bool
pattern_element(const struct gen_request *rq, uint64_t i, uint64_t row,
    uint64_t col, int64_t *v)
{
	switch (rq->fill) {
	case FILL_ZEROS:
		*v = 0;
		return true;
	case FILL_ONES:
		*v = 1;
		return true;
	case FILL_IDENTITY:
		*v = row == col;
		return true;
	case FILL_ARANGE:
		*v = (int64_t)i;
		return true;
	case FILL_NORMAL:
	case FILL_RANDOM:
		break;
	}
	return false;
}

static double
float_element(const struct gen_request *rq, uint64_t i, uint64_t row,
    uint64_t col)
{
	int64_t v;

	if (pattern_element(rq, i, row, col, &v))
		return (double)v;
	if (rq->fill == FILL_NORMAL)
		return normal(rq->seed, i);
	return uniform(rq, hash64(rq->seed, i));
}

/* Integers are made as such, so that no value goes through a double. */
static int64_t
int_element(const struct gen_request *rq, uint64_t i, uint64_t row,
    uint64_t col)
{
	uint64_t span = (uint64_t)rq->ihi - (uint64_t)rq->ilo;
	int64_t v;

	if (pattern_element(rq, i, row, col, &v))
		return v;
	/* The modulo's bias is below span / 2^64: nothing a test can see. */
	return (int64_t)((uint64_t)rq->ilo + hash64(rq->seed, i) % span);
}

static void
fill_row(const struct gen_request *rq, const struct matrix_out *c, size_t r)
{
	for (size_t j = 0; j < c->cols; j++) {
		size_t i = r * c->cols + j;

		switch (c->dtype) {
		case DTYPE_F64:
			((double *)c->data)[i] = float_element(rq, i, r, j);
			break;
		case DTYPE_F32:
			((float *)c->data)[i] =
			    (float)float_element(rq, i, r, j);
			break;
		case DTYPE_I64:
			((int64_t *)c->data)[i] = int_element(rq, i, r, j);
			break;
		case DTYPE_I32:
			/* arange past 2^31 wraps, as NumPy's astype does. */
			((int32_t *)c->data)[i] =
			    (int32_t)(uint32_t)int_element(rq, i, r, j);
			break;
		default:	/* TODO(dtypes): refused before here */
			break;
		}
	}
}

static void
fill(const struct gen_request *rq, const struct matrix_out *c)
{
	int64_t rows = (int64_t)c->rows;

	#pragma omp parallel for schedule(static)
	for (int64_t r = 0; r < rows; r++)
		fill_row(rq, c, (size_t)r);
}

/* The file renamed over its target, or copied to standard output. */
static int
finish(const struct gen_request *rq, struct output_file *out)
{
	if (is_stdio(rq->out_path)) {
		if (stdout_write_all(out->addr, out->len) == -1) {
			warn("-: cannot write");
			output_discard(out);
			return 1;
		}
		output_discard(out);
		return 0;
	}
	if (output_commit(out, OUTPUT_DURABLE) == -1) {
		warnx("%s: %s", rq->out_path, out->err);
		return 1;
	}
	return 0;
}

static int
gen_main(int argc, char **argv)
{
	struct gen_request rq;
	struct output_file out;
	struct matrix_out c;
	int r = parse_gen_args(argc, argv, &rq);

	if (r != 0)
		return r;
	cli_threads(0);
	if (is_stdio(rq.out_path) && refuse_binary_stdout())
		return 1;
	if (output_open(&out, is_stdio(rq.out_path) ? stdout_staging_path() :
	    rq.out_path, rq.format, rq.dtype, rq.ndim, rq.shape, &c) == -1) {
		warnx("%s: %s", rq.out_path, out.err);
		return 1;
	}
	if (c.rows > 0 && c.cols > 0)
		fill(&rq, &c);
	return finish(&rq, &out);
}

const struct command cmd_gen = { "gen", gen_main, gen_help, 1 };
