/* pardot cmp: compare two matrix files element by element, like cmp(1). */
#include <err.h>
#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/dtype.h"
#include "io/fault.h"
#include "io/matfile.h"
#include "core/pack.h"

/* cmp(1)'s statuses: same, different, trouble. */
#define CMP_SAME	0
#define CMP_DIFFER	1
#define CMP_TROUBLE	2

struct cmp_request {
	double		 rtol, atol;
	bool		 equal_nan;
	const char	*x_path, *y_path;
};

/*
 * What a comparison found. Integers are kept as integers, values and
 * differences, so that 2^62 and 2^62 + 1 are shown as two numbers.
 */
struct cmp_result {
	bool		 ints;
	size_t		 ndiff;
	size_t		 first_row, first_col;
	double		 first_x, first_y;
	int64_t		 first_ix, first_iy;
	double		 max_abs, max_rel;
	uint64_t	 imax_abs;
};

static const char cmp_help[] =
"usage: pardot cmp [--rtol R] [--atol A] [--equal-nan] X Y\n"
"\n"
"Compares two .npy files of the same shape. Integers must be equal; floats\n"
"are compared as NumPy's isclose(x, y): |x - y| <= atol + rtol * |y|, an\n"
"infinity matches only the same infinity, and NaN matches nothing unless\n"
"--equal-nan. Exits 0 when they match, 1 when they differ (with a summary\n"
"on stdout), 2 on trouble.\n"
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
 * reference, an infinity is close only to itself, and NaN to nothing
 * unless equal_nan.
 */
static bool
isclose(const struct cmp_request *rq, double x, double y)
{
	if (isnan(x) || isnan(y))
		return rq->equal_nan && isnan(x) && isnan(y);
	if (isinf(x) || isinf(y))
		return x == y;
	return fabs(x - y) <= rq->atol + rq->rtol * fabs(y);
}

/* |x - y| of two int64s, exactly: it always fits in 64 unsigned bits. */
static uint64_t
int_distance(int64_t x, int64_t y)
{
	return x > y ? (uint64_t)x - (uint64_t)y : (uint64_t)y - (uint64_t)x;
}

static void
note_int_difference(struct cmp_result *res, size_t i, size_t j, int64_t x,
    int64_t y)
{
	uint64_t ad = int_distance(x, y);
	double rd = y != 0 ? (double)ad / fabs((double)y) : INFINITY;

	if (res->ndiff++ == 0) {
		res->first_row = i;
		res->first_col = j;
		res->first_ix = x;
		res->first_iy = y;
	}
	if (ad > res->imax_abs)
		res->imax_abs = ad;
	if (rd > res->max_rel)
		res->max_rel = rd;
}

static void
note_difference(struct cmp_result *res, size_t i, size_t j, double x,
    double y)
{
	double ad = fabs(x - y);
	/* An infinite difference is infinitely relative, even to infinity. */
	double rd = isnan(ad) ? NAN : isinf(ad) || y == 0 ? INFINITY :
	    ad / fabs(y);

	if (res->ndiff++ == 0) {
		res->first_row = i;
		res->first_col = j;
		res->first_x = x;
		res->first_y = y;
	}
	/* A NaN difference is as large as any: keep it visible. */
	if (isnan(ad) || ad > res->max_abs)
		res->max_abs = ad;
	if (isnan(rd) || rd > res->max_rel)
		res->max_rel = rd;
}

/*
 * Compares row by row, each row converted by the packing code so that byte
 * order, Fortran order and type are handled once, in one place. Integers
 * are compared as 64-bit integers, exactly; anything else as doubles.
 */
static int
compare(const struct cmp_request *rq, const struct matrix *x,
    const struct matrix *y, struct cmp_result *res)
{
	bool ints = dtype_is_int(x->dtype) && dtype_is_int(y->dtype);
	enum dtype t = ints ? DTYPE_I64 : DTYPE_F64;
	unsigned char *bx, *by;

	memset(res, 0, sizeof(*res));
	res->ints = ints;
	/* No row buffer for no elements: a dimension may be huge. */
	if (x->rows == 0 || x->cols == 0)
		return 0;
	bx = malloc(x->cols * 8 + 8);
	by = malloc(x->cols * 8 + 8);
	if (bx == NULL || by == NULL) {
		free(bx);
		free(by);
		return -1;
	}
	for (size_t i = 0; i < x->rows; i++) {
		pack_panels(x, i, 1, 0, x->cols, 1, t, bx);
		pack_panels(y, i, 1, 0, y->cols, 1, t, by);
		for (size_t j = 0; j < x->cols; j++) {
			int64_t ix = ((int64_t *)bx)[j], iy = ((int64_t *)by)[j];
			double dx = ((double *)bx)[j], dy = ((double *)by)[j];

			if (ints && ix != iy)
				note_int_difference(res, i, j, ix, iy);
			else if (!ints && !isclose(rq, dx, dy))
				note_difference(res, i, j, dx, dy);
		}
	}
	free(bx);
	free(by);
	return 0;
}

static void
print_differences(const struct cmp_request *rq, const struct cmp_result *res,
    size_t total, int ndim)
{
	printf("%s %s differ: %zu of %zu elements", rq->x_path, rq->y_path,
	    res->ndiff, total);
	if (ndim == 2)
		printf(", first at [%zu, %zu]", res->first_row, res->first_col);
	else
		printf(", first at [%zu]", res->first_col);
	if (res->ints)
		printf(" (%" PRId64 " vs %" PRId64 "), largest absolute "
		    "difference %" PRIu64 ", largest relative difference %.6g\n",
		    res->first_ix, res->first_iy, res->imax_abs, res->max_rel);
	else
		printf(" (%.17g vs %.17g), largest absolute difference %.6g, "
		    "largest relative difference %.6g\n", res->first_x,
		    res->first_y, res->max_abs, res->max_rel);
}

static int
run_cmp(const struct cmp_request *rq, struct input_matrix *x,
    struct input_matrix *y)
{
	struct cmp_result res;
	char sx[64], sy[64];

	if (x->hdr.ndim != y->hdr.ndim || x->view.rows != y->view.rows ||
	    x->view.cols != y->view.cols) {
		printf("%s %s differ: shapes %s and %s\n", rq->x_path, rq->y_path,
		    shape_str(sx, sizeof(sx), x->hdr.ndim, x->hdr.shape),
		    shape_str(sy, sizeof(sy), y->hdr.ndim, y->hdr.shape));
		return CMP_DIFFER;
	}
	if (compare(rq, &x->view, &y->view, &res) == -1) {
		warnx("cmp: out of memory");
		return CMP_TROUBLE;
	}
	if (res.ndiff == 0)
		return CMP_SAME;
	print_differences(rq, &res, x->view.rows * x->view.cols, x->hdr.ndim);
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
	if (input_open(&x, rq.x_path, NULL) == -1 ||
	    input_refuse_unsupported(&x, false, false) == -1) {
		warnx("%s: %s", rq.x_path, x.err);
		return CMP_TROUBLE;
	}
	if (input_open(&y, rq.y_path, NULL) == -1 ||
	    input_refuse_unsupported(&y, false, false) == -1) {
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
