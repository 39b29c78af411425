/* pardot cmp: compare two matrix files element by element, like cmp(1). */
#include <err.h>
#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/values.h"
#include "core/cast.h"
#include "core/dtype.h"
#include "core/ndarray.h"
#include "io/fault.h"
#include "io/matfile.h"
#include "io/ndinput.h"

/* cmp(1)'s statuses: same, different, trouble. */
#define CMP_SAME	0
#define CMP_DIFFER	1
#define CMP_TROUBLE	2

struct cmp_request {
	double		 rtol, atol;
	bool		 equal_nan;
	const char	*x_path, *y_path;
};

/* How two arrays are compared, from their types. */
enum cmp_mode {
	CMP_EXACT,	/* both bool or integer: equal values */
	CMP_REAL,	/* isclose on real values */
	CMP_COMPLEX,	/* isclose on complex values, either one complex */
};

/*
 * What a comparison found. Integers are kept as integers, values and
 * differences, so that 2^62 and 2^62 + 1 are shown as two numbers.
 */
struct cmp_result {
	enum cmp_mode	 mode;
	size_t		 ndiff;
	uint64_t	 first_at[ND_MAXDIMS];
	struct scalar	 first_x, first_y;
	double		 max_abs, max_rel;
	unsigned __int128 imax_abs;
};

static const char cmp_help[] =
"usage: pardot cmp [--rtol R] [--atol A] [--equal-nan] X Y\n"
"\n"
"Compares two .npy files of the same shape, of any dtypes. Bools and\n"
"integers must be equal; floats and complex values are compared as NumPy's\n"
"isclose(x, y): |x - y| <= atol + rtol * |y| (complex absolute values), a\n"
"value that is not finite matches only an equal one, and NaN matches\n"
"nothing unless --equal-nan. Exits 0 when they match, 1 when they differ\n"
"(with a summary on stdout), 2 on trouble.\n"
"\n"
"  -r, --rtol R     relative tolerance (default 1e-5)\n"
"  -a, --atol A     absolute tolerance (default 1e-8)\n"
"      --equal-nan  NaN matches NaN\n"
"  -h, --help       show this help\n";

enum { OPT_EQUAL_NAN = 256 };

static const struct option cmp_options[] = {
	{ "rtol", required_argument, NULL, 'r' },
	{ "atol", required_argument, NULL, 'a' },
	{ "equal-nan", no_argument,  NULL, OPT_EQUAL_NAN },
	{ "help", no_argument,       NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int
parse_cmp_args(int argc, char **argv, struct cmp_request *rq)
{
	int c;

	rq->rtol = 1e-5;
	rq->atol = 1e-8;
	rq->equal_nan = false;
	while ((c = cli_getopt(argc, argv, "r:a:h", cmp_options, "cmp")) != -1) {
		if (c == 'r' && parse_real("--rtol", optarg, &rq->rtol) == 0)
			continue;
		if (c == 'a' && parse_real("--atol", optarg, &rq->atol) == 0)
			continue;
		if (c == OPT_EQUAL_NAN) {
			rq->equal_nan = true;
			continue;
		}
		return c == 'h' ? CLI_HELP : EXIT_USAGE;
	}
	if (argc - optind != 2)
		return usage_error("cmp", "needs two files; see 'pardot cmp "
		    "--help'");
	rq->x_path = argv[optind];
	rq->y_path = argv[optind + 1];
	return 0;
}

/*
 * NumPy's isclose(x, y, rtol, atol, equal_nan), rule for rule: y is the
 * reference; where both are finite (a complex value when both its parts
 * are), |x - y| <= atol + rtol * |y| with complex absolute values; else
 * x == y, which NaN never is; with equal_nan two NaNs (a complex value is
 * NaN when either part is) match.
 */
static bool
isclose_complex(const struct cmp_request *rq, double xr, double xi,
    double yr, double yi)
{
	bool xfin = isfinite(xr) && isfinite(xi);
	bool yfin = isfinite(yr) && isfinite(yi);

	if (xfin && yfin)
		return hypot(xr - yr, xi - yi) <= rq->atol +
		    rq->rtol * hypot(yr, yi);
	if (rq->equal_nan && (isnan(xr) || isnan(xi)) &&
	    (isnan(yr) || isnan(yi)))
		return true;
	return xr == yr && xi == yi;
}

/* The same for real values: no hypot, which is slow, in the common case. */
static bool
isclose(const struct cmp_request *rq, double x, double y)
{
	if (isnan(x) || isnan(y))
		return rq->equal_nan && isnan(x) && isnan(y);
	if (isinf(x) || isinf(y))
		return x == y;
	return fabs(x - y) <= rq->atol + rq->rtol * fabs(y);
}

/* |x - y| of two exact values, exactly: it fits in 128 unsigned bits. */
static unsigned __int128
exact_distance(__int128 x, __int128 y)
{
	return x > y ? (unsigned __int128)(x - y) : (unsigned __int128)(y - x);
}

static void
note_first(struct cmp_result *res, const struct ndwalk *w,
    const struct scalar *x, const struct scalar *y)
{
	if (res->ndiff++ > 0)
		return;
	memcpy(res->first_at, w->idx, sizeof(res->first_at));
	res->first_x = *x;
	res->first_y = *y;
}

static void
note_exact_difference(struct cmp_result *res, const struct ndwalk *w,
    const struct scalar *x, const struct scalar *y)
{
	__int128 ix = scalar_exact(x), iy = scalar_exact(y);
	unsigned __int128 ad = exact_distance(ix, iy);
	double rd = iy != 0 ? (double)ad / fabs((double)iy) : INFINITY;

	note_first(res, w, x, y);
	if (ad > res->imax_abs)
		res->imax_abs = ad;
	if (rd > res->max_rel)
		res->max_rel = rd;
}

/* A real value of an exact or float scalar, the real part of a complex. */
static double
real_of(const struct scalar *v)
{
	return v->kind == SCALAR_INT ? (double)v->i :
	    v->kind == SCALAR_UINT ? (double)v->u : v->re;
}

static void
note_difference(struct cmp_result *res, const struct ndwalk *w,
    const struct scalar *x, const struct scalar *y)
{
	double ad = hypot(real_of(x) - real_of(y), x->im - y->im);
	double ay = hypot(real_of(y), y->im);
	/* An infinite difference is infinitely relative, even to infinity. */
	double rd = isnan(ad) ? NAN : isinf(ad) || ay == 0 ? INFINITY :
	    ad / ay;

	note_first(res, w, x, y);
	/* A NaN difference is as large as any: keep it visible. */
	if (isnan(ad) || ad > res->max_abs)
		res->max_abs = ad;
	if (isnan(rd) || rd > res->max_rel)
		res->max_rel = rd;
}

static enum cmp_mode
cmp_mode(enum dtype x, enum dtype y)
{
	if (dtype_is_exact(x) && dtype_is_exact(y))
		return CMP_EXACT;
	if (dtype_is_complex(x) || dtype_is_complex(y))
		return CMP_COMPLEX;
	return CMP_REAL;
}

/*
 * Compares element by element in row-major order, whatever the byte order,
 * memory order and type of each: bools and integers exactly, as 128-bit
 * integers, so that a uint64 and an int64 compare by value; anything else
 * as (complex) doubles, which hold every value of every float type.
 */
static void
compare(const struct cmp_request *rq, const struct ndarray *x,
    const struct ndarray *y, struct cmp_result *res)
{
	struct ndwalk wx, wy;
	struct scalar vx, vy;
	const void *px, *py;

	memset(res, 0, sizeof(*res));
	res->mode = cmp_mode(x->dtype, y->dtype);
	ndwalk_start(&wx, x);
	ndwalk_start(&wy, y);
	while ((px = ndwalk_next(&wx)) != NULL &&
	    (py = ndwalk_next(&wy)) != NULL) {
		scalar_load(&vx, px, x->dtype, x->swapped);
		scalar_load(&vy, py, y->dtype, y->swapped);
		if (res->mode == CMP_EXACT) {
			if (scalar_exact(&vx) != scalar_exact(&vy))
				note_exact_difference(res, &wx, &vx, &vy);
		} else if (res->mode == CMP_REAL ?
		    !isclose(rq, real_of(&vx), real_of(&vy)) :
		    !isclose_complex(rq, real_of(&vx), vx.im, real_of(&vy),
		    vy.im)) {
			note_difference(res, &wx, &vx, &vy);
		}
	}
}

static void
print_differences(const struct cmp_request *rq, const struct cmp_result *res,
    size_t total, const struct ndarray *x, const struct ndarray *y)
{
	char at[ND_MAXDIMS * 22 + 4], vx[VALUE_STR_MAX], vy[VALUE_STR_MAX];
	char ad[48];

	printf("%s %s differ: %zu of %zu elements, first at %s (%s vs %s)",
	    rq->x_path, rq->y_path, res->ndiff, total,
	    nd_index_str(at, sizeof(at), x->ndim, res->first_at),
	    scalar_str(vx, sizeof(vx), &res->first_x, x->dtype),
	    scalar_str(vy, sizeof(vy), &res->first_y, y->dtype));
	if (res->mode == CMP_EXACT)
		printf(", largest absolute difference %s, largest relative "
		    "difference %.6g\n", u128_str(ad, sizeof(ad),
		    res->imax_abs), res->max_rel);
	else
		printf(", largest absolute difference %.6g, largest relative "
		    "difference %.6g\n", res->max_abs, res->max_rel);
}

static bool
same_shape(const struct npy_header *x, const struct npy_header *y)
{
	if (x->ndim != y->ndim)
		return false;
	for (int d = 0; d < x->ndim; d++)
		if (x->shape[d] != y->shape[d])
			return false;
	return true;
}

static int
run_cmp(const struct cmp_request *rq, struct input_matrix *x,
    struct input_matrix *y)
{
	struct cmp_result res;
	struct ndarray ax, ay;
	char sx[64], sy[64];

	if (!same_shape(&x->hdr, &y->hdr)) {
		printf("%s %s differ: shapes %s and %s\n", rq->x_path, rq->y_path,
		    shape_str(sx, sizeof(sx), x->hdr.ndim, x->hdr.shape),
		    shape_str(sy, sizeof(sy), y->hdr.ndim, y->hdr.shape));
		return CMP_DIFFER;
	}
	input_ndarray(x, &ax);
	input_ndarray(y, &ay);
	compare(rq, &ax, &ay, &res);
	if (res.ndiff == 0)
		return CMP_SAME;
	print_differences(rq, &res, ndarray_count(&ax), &ax, &ay);
	return CMP_DIFFER;
}

static int
cmp_main(int argc, char **argv)
{
	struct cmp_request rq;
	struct input_matrix x, y;
	int r = parse_cmp_args(argc, argv, &rq);

	if (r != 0)
		return r == CLI_HELP ? CLI_HELP : CMP_TROUBLE;
	cli_threads(0);
	fault_exit_status(CMP_TROUBLE);
	if (input_open(&x, rq.x_path, NULL) == -1) {
		warnx("%s: %s", rq.x_path, x.err);
		return CMP_TROUBLE;
	}
	if (input_open(&y, rq.y_path, NULL) == -1) {
		warnx("%s: %s", rq.y_path, y.err);
		input_close(&x);
		return CMP_TROUBLE;
	}
	map_input_prefetch(&x.map);
	map_input_prefetch(&y.map);
	r = run_cmp(&rq, &x, &y);
	input_close(&x);
	input_close(&y);
	return close_stdout() ? CMP_TROUBLE : r;
}

const struct command cmd_cmp = { "cmp", cmp_main, cmp_help, CMP_TROUBLE };
