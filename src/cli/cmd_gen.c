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
#include "core/half.h"
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
	uint64_t		 shape[NPY_MAXDIMS];
	enum dtype		 dtype;
	enum fill		 fill;
	uint64_t		 seed;
	enum file_format	 format;
	const char		*range;		/* --range as given */
	double			 lo, hi;	/* of random floats */
	int64_t			 ilo, ihi;	/* of random ints */
	enum dtype		 part;		/* float type of each part */
};

static const char gen_help[] =
"usage: pardot gen SHAPE -o FILE [--dtype T] [--seed N] [--fill KIND]\n"
"           [--range LO:HI]\n"
"\n"
"Writes an array of SHAPE to FILE: N (a vector), ROWSxCOLS (a matrix) or\n"
"D1xD2x... (a stack of matrices), of any NumPy numeric dtype.\n"
"\n"
"  -o, --output FILE    write to FILE (required); '-' is standard output\n"
"  -t, --dtype T        float64 (default), float32, float16, int8 to int64,\n"
"                       uint8 to uint64, bool, complex64 or complex128\n"
"  -s, --seed N         seed of the random fill (default 1); the same seed\n"
"                       always gives the same array\n"
"  -f, --fill KIND      random (default: floats in [0, 1), integers in\n"
"                       [0, 10), bools False or True, complex values with\n"
"                       both parts in [0, 1)), normal (standard normal\n"
"                       floats; both parts for complex), zeros, ones,\n"
"                       identity (of each matrix of a stack) or arange (0,\n"
"                       1, 2, ... in row-major order, converted as NumPy's\n"
"                       astype does)\n"
"      --range LO:HI    random values in [LO, HI) instead: whole numbers\n"
"                       for an integer dtype, each part for complex\n"
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

/* The range of an exact dtype, within what parse_number reads. */
static void
exact_bounds(enum dtype t, long long *min, long long *max)
{
	unsigned bits = 8 * (unsigned)dtype_size(t);

	if (dtype_kind(t) == KIND_BOOL) {
		*min = 0;
		*max = 1;
	} else if (dtype_kind(t) == KIND_UINT) {
		*min = 0;
		*max = bits >= 64 ? LLONG_MAX : (long long)((1ull << bits) - 1);
	} else {
		*min = bits >= 64 ? LLONG_MIN : -(1ll << (bits - 1));
		*max = bits >= 64 ? LLONG_MAX : (1ll << (bits - 1)) - 1;
	}
}

/*
 * Whole numbers LO < HI, every value in [LO, HI) one that the exact dtype
 * holds: HI, excluded, may be one past its largest.
 */
static int
parse_int_range(struct gen_request *rq, const char *lo, const char *hi)
{
	long long min, max, a, b;

	exact_bounds(rq->dtype, &min, &max);
	if (parse_number("--range", lo, LLONG_MIN, LLONG_MAX, &a) != 0 ||
	    parse_number("--range", hi, LLONG_MIN, LLONG_MAX, &b) != 0)
		return EXIT_USAGE;
	if (a >= b)
		return usage_error("--range", "'%s' is empty: LO must be below "
		    "HI", rq->range);
	/* b - 1 cannot overflow: b > a. */
	if (a < min || b - 1 > max)
		return usage_error("--range", "'%s' is outside %s, which "
		    "holds %lld to %lld (HI, excluded, may be %llu)",
		    rq->range, dtype_name(rq->dtype), min, max,
		    (unsigned long long)max + 1);
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

/* The float16 next to h (finite), up or down, through a monotone key. */
static uint16_t
half_step(uint16_t h, bool up)
{
	int key = h & 0x8000 ? -(int)(h & 0x7fff) : (int)h;

	key += up ? 1 : -1;
	return key >= 0 ? (uint16_t)key : (uint16_t)(0x8000 | -key);
}

/* d rounded to the float type t (float16, float32 or float64). */
static double
round_to(double d, enum dtype t)
{
	if (t == DTYPE_F16)
		return half_to_float(half_from_double(d));
	if (t == DTYPE_F32)
		return (float)d;
	return d;
}

/* The value of type t next to d, which t holds, up or down. */
static double
step(double d, enum dtype t, bool up)
{
	if (t == DTYPE_F16)
		return half_to_float(half_step(half_from_double(d), up));
	if (t == DTYPE_F32)
		return nextafterf((float)d, up ? INFINITY : -INFINITY);
	return nextafter(d, up ? INFINITY : -INFINITY);
}

/* The value of type t nearest d in [lo, hi), given that there is one. */
static double
clamp_to(double d, enum dtype t, double lo, double hi)
{
	double r = round_to(d, t);

	while (r >= hi)
		r = step(r, t, false);
	while (r < lo)
		r = step(r, t, true);
	return r;
}

/* Finite LO < HI, with a value of the part's float type in between. */
static int
parse_float_range(struct gen_request *rq, const char *lo, const char *hi)
{
	double f;

	if (parse_bound(lo, &rq->lo) != 0 || parse_bound(hi, &rq->hi) != 0)
		return EXIT_USAGE;
	if (!(rq->lo < rq->hi))
		return usage_error("--range", "'%s' is empty: LO must be below "
		    "HI", rq->range);
	if ((f = round_to(rq->lo, rq->part)) < rq->lo)
		f = step(f, rq->part, true);
	if (!(f < rq->hi))
		return usage_error("--range", "'%s' holds no %s value",
		    rq->range, dtype_name(rq->part));
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
	rq->ihi = dtype_kind(rq->dtype) == KIND_BOOL ? 2 : 10;
	if (rq->range == NULL)
		return 0;
	if (rq->fill != FILL_RANDOM)
		return usage_error("--range", "applies only to --fill random");
	snprintf(lo, sizeof(lo), "%s", rq->range);
	if (strlen(rq->range) >= sizeof(lo) || (hi = strchr(lo, ':')) == NULL)
		return usage_error("--range", "'%s' is not a range LO:HI",
		    rq->range);
	*hi++ = '\0';
	return dtype_is_exact(rq->dtype) ? parse_int_range(rq, lo, hi) :
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
		return usage_error("gen", "needs one shape (N, ROWSxCOLS or "
		    "D1xD2x...); see 'pardot gen --help'");
	if (parse_shape("gen", argv[optind], NPY_MAXDIMS, &rq->ndim,
	    rq->shape) != 0)
		return EXIT_USAGE;
	if (rq->out_path == NULL)
		return usage_error("gen", "missing the output file (-o FILE)");
	if (rq->fill == FILL_NORMAL && dtype_is_exact(rq->dtype))
		return usage_error("--fill", "normal needs a float dtype "
		    "(float16, float32, float64) or a complex one: round it "
		    "in NumPy if need be");
	rq->part = rq->dtype == DTYPE_C64 ? DTYPE_F32 :
	    rq->dtype == DTYPE_C128 ? DTYPE_F64 : rq->dtype;
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

/* Uniform in [lo, hi), and still so once rounded to the part's type. */
static double
uniform(const struct gen_request *rq, uint64_t h)
{
	double u = (double)(h >> 11) * 0x1p-53;
	/* A weighted mean cannot overflow, as lo + (hi - lo) * u can. */
	double v = rq->lo * (1 - u) + rq->hi * u;

	if (v >= rq->hi)
		v = nextafter(rq->hi, -INFINITY);
	if (v < rq->lo)
		v = rq->lo;
	/* parse_range made sure that a value of the type lies in between. */
	return clamp_to(v, rq->part, rq->lo, rq->hi);
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

/*
 * Part k (0 real, 1 imaginary) of element i: a complex element draws its
 * two parts from streams of their own, 2i and 2i + 1; a pattern has no
 * imaginary part.
 */
static double
float_element(const struct gen_request *rq, uint64_t i, uint64_t row,
    uint64_t col, int k)
{
	bool cplx = dtype_is_complex(rq->dtype);
	uint64_t stream = cplx ? 2 * i + (uint64_t)k : i;
	int64_t v;

	if (pattern_element(rq, i, row, col, &v))
		return k == 0 ? (double)v : 0;
	if (rq->fill == FILL_NORMAL)
		return normal(rq->seed, stream);
	return uniform(rq, hash64(rq->seed, stream));
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

/*
 * An exact value stored as NumPy's astype stores an int64: bool is
 * "nonzero", integers keep their low bytes (arange past 2^31 wraps).
 */
static void
store_exact(void *p, enum dtype t, int64_t v)
{
	uint64_t u8 = (uint64_t)v;
	uint32_t u4 = (uint32_t)u8;
	uint16_t u2 = (uint16_t)u8;
	uint8_t u1 = dtype_kind(t) == KIND_BOOL ? v != 0 : (uint8_t)u8;

	switch (dtype_size(t)) {
	case 1:
		memcpy(p, &u1, 1);
		break;
	case 2:
		memcpy(p, &u2, 2);
		break;
	case 4:
		memcpy(p, &u4, 4);
		break;
	default:
		memcpy(p, &u8, 8);
		break;
	}
}

/* A float part, already of type part's values, stored as that type. */
static void
store_part(void *p, enum dtype part, double d)
{
	float f = (float)d;
	uint16_t h = half_from_double(d);

	if (part == DTYPE_F64)
		memcpy(p, &d, sizeof(d));
	else if (part == DTYPE_F32)
		memcpy(p, &f, sizeof(f));
	else
		memcpy(p, &h, sizeof(h));
}

/* The shape as rows of its last dimension, and where each element lies. */
struct layout {
	size_t	 cols;		/* of the last dimension (1 for a 0-d array) */
	size_t	 mrows;		/* rows of each matrix of a stack */
};

static void
fill_row(const struct gen_request *rq, const struct matrix_out *c,
    const struct layout *l, size_t r)
{
	size_t sz = dtype_size(c->dtype), psz = dtype_size(rq->part);
	unsigned char *base = c->data;

	for (size_t j = 0; j < l->cols; j++) {
		size_t i = r * l->cols + j, row = r % l->mrows;
		unsigned char *p = base + i * sz;

		if (dtype_is_exact(c->dtype)) {
			store_exact(p, c->dtype, int_element(rq, i, row, j));
			continue;
		}
		store_part(p, rq->part, float_element(rq, i, row, j, 0));
		if (dtype_is_complex(c->dtype))
			store_part(p + psz, rq->part,
			    float_element(rq, i, row, j, 1));
	}
}

static void
fill(const struct gen_request *rq, const struct matrix_out *c, size_t n)
{
	struct layout l = { 1, 1 };
	int64_t rows;

	if (rq->ndim >= 1)
		l.cols = (size_t)rq->shape[rq->ndim - 1];
	if (rq->ndim >= 2)
		l.mrows = (size_t)rq->shape[rq->ndim - 2];
	rows = (int64_t)(n / l.cols);
	#pragma omp parallel for schedule(static)
	for (int64_t r = 0; r < rows; r++)
		fill_row(rq, c, &l, (size_t)r);
}

/* The number of elements: output_open has checked that they fit. */
static size_t
element_count(const struct gen_request *rq)
{
	size_t n = 1;

	for (int d = 0; d < rq->ndim; d++)
		n *= (size_t)rq->shape[d];
	return n;
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
	/* c describes a matrix; the data area holds the whole array. */
	if (element_count(&rq) > 0)
		fill(&rq, &c, element_count(&rq));
	return finish(&rq, &out);
}

const struct command cmd_gen = { "gen", gen_main, gen_help, 1 };
