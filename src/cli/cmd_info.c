/* pardot info: describe .npy files. */
#include <err.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/dtype.h"
#include "codec/json.h"
#include "io/matfile.h"
#include "core/pack.h"

struct info_request {
	bool	 range, json;
};

/* The smallest and largest element, NaNs aside, as NumPy's nanmin. */
struct range {
	bool	 is_int;
	int64_t	 imin, imax;
	double	 dmin, dmax;
	size_t	 count;		/* elements that are not NaN */
	size_t	 nans;
};

static const char info_help[] =
"usage: pardot info [--range] [--json] FILE...\n"
"\n"
"Prints the shape, dtype, byte order, memory order, format version, data\n"
"offset and data size of each .npy file, one line per file.\n"
"\n"
"      --range  add the smallest and largest element (NaNs left out, and\n"
"               counted when there are any)\n"
"      --json   print each file's line as a JSON object\n"
"  -h, --help   show this help\n";

enum { OPT_RANGE = 256, OPT_JSON };

static const struct option info_options[] = {
	{ "range", no_argument, NULL, OPT_RANGE },
	{ "json",  no_argument, NULL, OPT_JSON },
	{ "help",  no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static void
note_float(struct range *rg, double d)
{
	if (isnan(d)) {
		rg->nans++;
		return;
	}
	if (rg->count++ == 0 || d < rg->dmin)
		rg->dmin = d;
	if (rg->count == 1 || d > rg->dmax)
		rg->dmax = d;
}

static void
note_int(struct range *rg, int64_t i)
{
	if (rg->count++ == 0 || i < rg->imin)
		rg->imin = i;
	if (rg->count == 1 || i > rg->imax)
		rg->imax = i;
}

/*
 * Reads the matrix row by row through the packing code, as cmp does, so
 * that byte order and memory order are dealt with in one place. Integers
 * stay integers: an int64 beyond 2^53 is reported exactly.
 */
static int
find_range(const struct matrix *v, struct range *rg)
{
	void *row;

	memset(rg, 0, sizeof(*rg));
	rg->is_int = dtype_is_int(v->dtype);
	/* No row buffer for no elements: a dimension may be huge. */
	if (v->rows == 0 || v->cols == 0)
		return 0;
	if ((row = malloc(v->cols * 8 + 8)) == NULL)
		return -1;
	for (size_t i = 0; i < v->rows; i++) {
		pack_panels(v, i, 1, 0, v->cols, 1, rg->is_int ? DTYPE_I64 :
		    DTYPE_F64, row);
		for (size_t j = 0; j < v->cols; j++) {
			if (rg->is_int)
				note_int(rg, ((int64_t *)row)[j]);
			else
				note_float(rg, ((double *)row)[j]);
		}
	}
	free(row);
	return 0;
}

/*
 * The shortest decimal that reads back as the same value of type t, as
 * NumPy prints it, rather than 17 digits that are mostly noise.
 */
static const char *
shortest(char *buf, size_t cap, double d, enum dtype t)
{
	double back;

	if (isinf(d))
		return d < 0 ? "-inf" : "inf";
	for (int p = 1; p <= 17; p++) {
		snprintf(buf, cap, "%.*g", p, d);
		back = strtod(buf, NULL);
		if (t == DTYPE_F32 ? (float)back == (float)d : back == d)
			break;
	}
	return buf;
}

/* The minimum or maximum as text, or NULL when there is none. */
static const char *
bound(char *buf, size_t cap, const struct range *rg, bool max, enum dtype t)
{
	if (rg->count == 0)
		return NULL;
	if (rg->is_int) {
		snprintf(buf, cap, "%" PRId64, max ? rg->imax : rg->imin);
		return buf;
	}
	return shortest(buf, cap, max ? rg->dmax : rg->dmin, t);
}

static void
print_text(const char *path, const struct npy_header *h,
    const struct range *rg)
{
	char s[64], lo[40], hi[40];
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

/*
 * A bound in JSON: a number; null when there is none; a string for an
 * infinity, which JSON numbers cannot spell (no other bound has an 'i').
 */
static void
json_bound(const char *key, const char *v)
{
	printf(", \"%s\": ", key);
	if (v == NULL)
		fputs("null", stdout);
	else if (strchr(v, 'i') != NULL)
		json_string(stdout, v);
	else
		fputs(v, stdout);
}

static void
print_json(const char *path, const struct npy_header *h,
    const struct range *rg)
{
	char lo[40], hi[40];

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
		json_bound("min", bound(lo, sizeof(lo), rg, false, h->dtype));
		json_bound("max", bound(hi, sizeof(hi), rg, true, h->dtype));
		printf(", \"nans\": %zu", rg->nans);
	}
	fputs("}\n", stdout);
}

static int
describe(const struct info_request *rq, const char *path)
{
	struct input_matrix in;
	struct range rg;

	if (input_open(&in, path, NULL) == -1 ||
	    input_refuse_unsupported(&in, false, false) == -1) {
		warnx("%s: %s", path, in.err);
		return 1;
	}
	if (rq->range)
		map_input_prefetch(&in.map);
	if (rq->range && find_range(&in.view, &rg) == -1) {
		warnx("%s: out of memory", path);
		input_close(&in);
		return 1;
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
