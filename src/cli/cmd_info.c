/* pardot info: describe .npy files. */
#include <err.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/values.h"
#include "core/cast.h"
#include "core/dtype.h"
#include "core/ndarray.h"
#include "codec/json.h"
#include "io/matfile.h"
#include "io/ndinput.h"

struct info_request {
	bool	 range, json;
};

/*
 * The smallest and largest element, NaNs aside, as NumPy's nanmin and
 * nanmax: complex values in NumPy's order, by real part and then by
 * imaginary part, a complex with a NaN part being NaN.
 */
struct range {
	struct scalar	 min, max;
	size_t		 count;		/* elements that are not NaN */
	size_t		 nans;
};

static const char info_help[] =
"usage: pardot info [--range] [--json] FILE...\n"
"\n"
"Prints the shape, dtype, byte order, memory order, format version, data\n"
"offset and data size of each .npy file, one line per file: any dtype and\n"
"any number of dimensions.\n"
"\n"
"      --range  add the smallest and largest element (NaNs left out, and\n"
"               counted when there are any; complex values ordered by\n"
"               real part, then imaginary part, as NumPy orders them)\n"
"      --json   print each file's line as a JSON object\n"
"  -h, --help   show this help\n";

enum { OPT_RANGE = 256, OPT_JSON };

static const struct option info_options[] = {
	{ "range", no_argument, NULL, OPT_RANGE },
	{ "json",  no_argument, NULL, OPT_JSON },
	{ "help",  no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* a < b, for two scalars of one kind, neither of them NaN. */
static bool
less(const struct scalar *a, const struct scalar *b)
{
	switch (a->kind) {
	case SCALAR_INT:
		return a->i < b->i;
	case SCALAR_UINT:
		return a->u < b->u;
	case SCALAR_REAL:
		return a->re < b->re;
	case SCALAR_COMPLEX:
		break;
	}
	return a->re < b->re || (a->re == b->re && a->im < b->im);
}

static void
note(struct range *rg, const struct scalar *v)
{
	if (isnan(v->re) || isnan(v->im)) {
		rg->nans++;
		return;
	}
	if (rg->count++ == 0 || less(v, &rg->min))
		rg->min = *v;
	if (rg->count == 1 || less(&rg->max, v))
		rg->max = *v;
}

/*
 * Every element, in row-major order, read exactly: an int64 beyond 2^53
 * or a uint64 beyond 2^63 is reported as it is.
 */
static void
find_range(const struct ndarray *a, struct range *rg)
{
	struct ndwalk w;
	struct scalar v;
	const void *p;

	memset(rg, 0, sizeof(*rg));
	ndwalk_start(&w, a);
	while ((p = ndwalk_next(&w)) != NULL) {
		scalar_load(&v, p, a->dtype, a->swapped);
		note(rg, &v);
	}
}

/* The minimum or maximum as text, or NULL when there is none. */
static const char *
bound(char *buf, size_t cap, const struct range *rg, bool max, enum dtype t)
{
	if (rg->count == 0)
		return NULL;
	return scalar_str(buf, cap, max ? &rg->max : &rg->min, t);
}

static void
print_text(const char *path, const struct npy_header *h,
    const struct range *rg)
{
	char s[64], lo[VALUE_STR_MAX], hi[VALUE_STR_MAX];
	const char *none = rg != NULL && rg->nans > 0 ? "nan" : "none";

	printf("%s: shape %s, %s, %s-endian, %s order, npy %d.%d, "
	    "data offset %llu, data size %llu bytes", path,
	    shape_str(s, sizeof(s), h->ndim, h->shape), dtype_name(h->dtype),
	    h->big_endian ? "big" : "little", h->fortran_order ? "Fortran" : "C",
	    h->major, h->minor, (unsigned long long)h->data_offset,
	    (unsigned long long)h->data_size);
	if (rg != NULL) {
		const char *a = bound(lo, sizeof(lo), rg, false, h->dtype);
		const char *b = bound(hi, sizeof(hi), rg, true, h->dtype);

		printf(", min %s, max %s", a != NULL ? a : none,
		    b != NULL ? b : none);
		if (rg->nans > 0)
			printf(", %zu NaN%s", rg->nans,
			    rg->nans == 1 ? "" : "s");
	}
	putchar('\n');
}

/* A real in JSON: a number, or a string for an infinity. */
static void
json_real(double d, enum dtype t)
{
	char buf[VALUE_STR_MAX];

	real_str(buf, sizeof(buf), d, t);
	if (isinf(d))
		json_string(stdout, buf);
	else
		fputs(buf, stdout);
}

/*
 * A bound in JSON: null when there is none; true or false for a bool; a
 * number, or a string for an infinity, which JSON numbers cannot spell;
 * [RE, IM] for a complex.
 */
static void
json_bound(const char *key, const struct range *rg, bool max, enum dtype t)
{
	const struct scalar *v = max ? &rg->max : &rg->min;
	char buf[VALUE_STR_MAX];

	printf(", \"%s\": ", key);
	if (rg->count == 0) {
		fputs("null", stdout);
	} else if (dtype_kind(t) == KIND_BOOL) {
		fputs(v->i != 0 ? "true" : "false", stdout);
	} else if (v->kind == SCALAR_COMPLEX) {
		putchar('[');
		json_real(v->re, t);
		fputs(", ", stdout);
		json_real(v->im, t);
		putchar(']');
	} else if (v->kind == SCALAR_REAL) {
		json_real(v->re, t);
	} else {
		fputs(scalar_str(buf, sizeof(buf), v, t), stdout);
	}
}

static void
print_json(const char *path, const struct npy_header *h,
    const struct range *rg)
{
	fputs("{\"file\": ", stdout);
	json_string(stdout, path);
	fputs(", \"shape\": [", stdout);
	for (int i = 0; i < h->ndim; i++)
		printf("%s%llu", i > 0 ? ", " : "",
		    (unsigned long long)h->shape[i]);
	printf("], \"dtype\": \"%s\", \"byte_order\": \"%s\", \"order\": "
	    "\"%s\", \"npy_version\": \"%d.%d\", \"data_offset\": %llu, "
	    "\"data_size\": %llu", dtype_name(h->dtype),
	    h->big_endian ? "big" : "little",
	    h->fortran_order ? "Fortran" : "C", h->major, h->minor, (unsigned long long)h->data_offset,
	    (unsigned long long)h->data_size);
	if (rg != NULL) {
		json_bound("min", rg, false, h->dtype);
		json_bound("max", rg, true, h->dtype);
		printf(", \"nans\": %zu", rg->nans);
	}
	fputs("}\n", stdout);
}

static int
describe(const struct info_request *rq, const char *path)
{
	struct input_matrix in;
	struct ndarray a;
	struct range rg;

	if (input_open(&in, path, NULL) == -1) {
		warnx("%s: %s", path, in.err);
		return 1;
	}
	if (rq->range) {
		map_input_prefetch(&in.map);
		input_ndarray(&in, &a);
		find_range(&a, &rg);
	}
	if (rq->json)
		print_json(path, &in.hdr, rq->range ? &rg : NULL);
	else
		print_text(path, &in.hdr, rq->range ? &rg : NULL);
	input_close(&in);
	return 0;
}

static int
info_main(int argc, char **argv)
{
	struct info_request rq = { false, false };
	int c, status = 0;

	while ((c = cli_getopt(argc, argv, "h", info_options, "info")) != -1) {
		switch (c) {
		case OPT_RANGE:
			rq.range = true;
			break;
		case OPT_JSON:
			rq.json = true;
			break;
		case 'h':
			return CLI_HELP;
		default:
			return EXIT_USAGE;
		}
	}
	if (optind == argc)
		return usage_error("info", "needs at least one file; see "
		    "'pardot info --help'");
	cli_threads(0);
	for (int i = optind; i < argc; i++)
		status |= describe(&rq, argv[i]);
	return close_stdout() | status;
}

const struct command cmd_info = { "info", info_main, info_help, 1 };
