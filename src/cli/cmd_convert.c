/* pardot convert: a matrix from one file format, or type, into another. */
#include <err.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/cast.h"
#include "cli/cli.h"
#include "cli/values.h"
#include "core/dtype.h"
#include "core/ndarray.h"
#include "io/matfile.h"
#include "io/ndinput.h"
#include "io/membudget.h"
#include "codec/npy.h"
#include "io/streams.h"
#include "codec/textfmt.h"

enum conv_format { CONV_NPY, CONV_RAW, CONV_CSV, CONV_MTX, CONV_AUTO };

static const char *const conv_names[] = { "npy", "raw", "csv", "mtx" };

/* What an output's name says when --to does not. */
static const struct {
	const char		*ext;
	enum conv_format	 format;
	char			 delim;
} by_name[] = {
	{ ".npy", CONV_NPY, 0 }, { ".raw", CONV_RAW, 0 },
	{ ".bin", CONV_RAW, 0 }, { ".csv", CONV_CSV, ',' },
	{ ".tsv", CONV_CSV, '\t' }, { ".txt", CONV_CSV, ' ' },
	{ ".mtx", CONV_MTX, 0 },
};

struct convert_request {
	const char		*in_path, *out_path;
	enum conv_format	 from, to;
	bool			 raw_given, dtype_given;
	struct raw_spec		 raw;
	enum dtype		 dtype;
	char			 delim;		/* given, or 0 */
	char			 out_delim;
	const char		*fmt;
};

/* The input, whatever its format, as one array. */
struct source {
	enum conv_format	 format;
	struct input_matrix	 in;		/* npy, raw */
	struct text_matrix	 text;		/* csv, mtx */
	struct ndarray		 arr;
};

/*
 * The conversion under way: element by element in row-major order for
 * binary output, row by row of a matrix view for text.
 */
struct writer {
	const struct convert_request	*rq;
	const struct source		*src;
	enum dtype			 t;
	void				*buf;
	size_t				 buf_elems;	/* room in buf */
};

/* Elements cast at a time for a stream; a row of text may be longer. */
#define CHUNK_ELEMS	4096

static const char convert_help[] =
"usage: pardot convert IN -o OUT [--to FORMAT] [options]\n"
"\n"
"Writes the matrix in IN to OUT in another format or type. IN is read as\n"
".npy (known by its magic bytes), Matrix Market (by its banner) or else as\n"
"CSV text, unless --from or --raw says what it is.\n"
"\n"
"  -o, --output OUT     write to OUT (required); '-' is standard output\n"
"      --to FORMAT      npy, raw, csv or mtx (default: from OUT's name, one\n"
"                       of .npy .raw .bin .csv .tsv .txt .mtx; csv for -)\n"
"      --from FORMAT    read IN as npy, raw, csv or mtx\n"
"      --raw SHAPE      IN is headerless data of this shape, N, ROWSxCOLS\n"
"                       or D1xD2x... (needs --dtype)\n"
"  -t, --dtype T        type of OUT, any NumPy numeric dtype (default: IN's;\n"
"                       for text, complex128 when any value is complex, else\n"
"                       int64 when every value is an integer, else float64);\n"
"                       with --raw, IN's type. A value that T cannot hold\n"
"                       (a fraction or out of range for an integer type, a\n"
"                       nonzero imaginary part for a real type, other than\n"
"                       0 or 1 for bool) is an error\n"
"  -d, --delimiter C    CSV separator: one character, '\\t' for a tab, ' '\n"
"                       for any run of blanks (default: ',', a tab for .tsv,\n"
"                       ' ' for .txt; reading, ' ' unless the first row\n"
"                       holds a comma)\n"
"      --fmt FMT        printf format of floats in text (default %.18e)\n"
"  -h, --help           show this help\n";

enum { OPT_TO = 256, OPT_FROM, OPT_RAW, OPT_FMT };

static const struct option convert_options[] = {
	{ "output",	required_argument, NULL, 'o' },
	{ "to",		required_argument, NULL, OPT_TO },
	{ "from",	required_argument, NULL, OPT_FROM },
	{ "raw",	required_argument, NULL, OPT_RAW },
	{ "dtype",	required_argument, NULL, 't' },
	{ "delimiter",	required_argument, NULL, 'd' },
	{ "fmt",	required_argument, NULL, OPT_FMT },
	{ "help",	no_argument,	   NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int
parse_conv_format(const char *opt, const char *s, enum conv_format *out)
{
	for (size_t i = 0; i < CONV_AUTO; i++) {
		if (strcmp(s, conv_names[i]) == 0) {
			*out = (enum conv_format)i;
			return 0;
		}
	}
	return usage_error(opt, "unknown format '%s' (npy, raw, csv or mtx)",
	    s);
}

/*
 * One character that cannot be part of a number or a comment: a letter
 * or a digit, '.', '+', '-' or '#' would make rows ambiguous.
 */
static int
parse_delimiter(const char *s, char *out)
{
	unsigned char c = (unsigned char)s[0];

	if (strcmp(s, "\\t") == 0) {
		*out = '\t';
		return 0;
	}
	if (c != '\0' && s[1] == '\0' && (c == '\t' || (c >= ' ' && c < 0x7f &&
	    strchr("0123456789.+-#", c) == NULL && !(c >= 'a' && c <= 'z') &&
	    !(c >= 'A' && c <= 'Z')))) {
		*out = (char)c;
		return 0;
	}
	return usage_error("--delimiter", "'%s' is not one separator "
	    "character (such as ',' ';' ' ' or '\\t')", s);
}

/* Applies one option to rq; returns CLI_OK, CLI_HELP or EXIT_USAGE. */
static int
convert_option(struct convert_request *rq, int c)
{
	switch (c) {
	case 'o':
		rq->out_path = optarg;
		return 0;
	case OPT_TO:
		return parse_conv_format("--to", optarg, &rq->to);
	case OPT_FROM:
		return parse_conv_format("--from", optarg, &rq->from);
	case OPT_RAW:
		rq->raw_given = true;
		return parse_shape("--raw", optarg, NPY_MAXDIMS, &rq->raw.ndim,
		    rq->raw.shape);
	case 't':
		rq->dtype_given = true;
		return parse_dtype("--dtype", optarg, &rq->dtype);
	case 'd':
		return parse_delimiter(optarg, &rq->delim);
	case OPT_FMT:
		rq->fmt = optarg;
		return 0;
	case 'h':
		return CLI_HELP;
	default:
		return EXIT_USAGE;
	}
}

/* Does name end in ext, in any case, after at least one character? */
static bool
has_extension(const char *name, const char *ext)
{
	size_t n = strlen(name), k = strlen(ext);

	return n > k && strcasecmp(name + n - k, ext) == 0;
}

/* --to, else what the output's name says; its delimiter for CSV. */
static int
choose_output(struct convert_request *rq)
{
	rq->out_delim = ',';
	for (size_t i = 0; i < sizeof(by_name) / sizeof(by_name[0]); i++) {
		if (!has_extension(rq->out_path, by_name[i].ext))
			continue;
		if (rq->to == CONV_AUTO)
			rq->to = by_name[i].format;
		if (by_name[i].delim != 0)
			rq->out_delim = by_name[i].delim;
	}
	if (rq->to == CONV_AUTO && strcmp(rq->out_path, "-") == 0)
		rq->to = CONV_CSV;
	if (rq->to == CONV_AUTO)
		return usage_error("convert", "cannot tell the format of %s "
		    "from its name; give --to npy|raw|csv|mtx", rq->out_path);
	if (rq->delim != 0)
		rq->out_delim = rq->delim;
	return 0;
}

/* What the options say together, once all are known. */
static int
check_convert_args(struct convert_request *rq)
{
	const char *why;

	if (rq->raw_given && rq->from != CONV_AUTO && rq->from != CONV_RAW)
		return usage_error("--raw", "describes raw input, but --from "
		    "says %s", conv_names[rq->from]);
	if (rq->from == CONV_RAW && !rq->raw_given)
		return usage_error("--from", "raw input needs --raw SHAPE and "
		    "--dtype");
	if (rq->raw_given && !rq->dtype_given)
		return usage_error("convert", "raw input needs --dtype");
	if (rq->raw_given)
		rq->from = CONV_RAW;
	rq->raw.dtype = rq->dtype;
	if (choose_output(rq) != 0)
		return EXIT_USAGE;
	if (rq->fmt != NULL && rq->to != CONV_CSV && rq->to != CONV_MTX)
		return usage_error("--fmt", "applies only to text output (csv "
		    "or mtx)");
	if (rq->fmt != NULL && (why = text_check_fmt(rq->fmt)) != NULL)
		return usage_error("--fmt", "'%s' %s", rq->fmt, why);
	if (rq->fmt == NULL)
		rq->fmt = TEXT_DEFAULT_FMT;
	return 0;
}

static int
parse_convert_args(int argc, char **argv, struct convert_request *rq)
{
	int c, r;

	memset(rq, 0, sizeof(*rq));
	rq->from = rq->to = CONV_AUTO;
	while ((c = cli_getopt(argc, argv, "o:t:d:h", convert_options,
	    "convert")) != -1)
		if ((r = convert_option(rq, c)) != 0)
			return r;
	if (argc - optind != 1)
		return usage_error("convert", argc == optind ? "needs an input "
		    "file; see 'pardot convert --help'" : "takes one input "
		    "file; see 'pardot convert --help'");
	rq->in_path = argv[optind];
	if (rq->out_path == NULL)
		return usage_error("convert", "missing the output file "
		    "(-o FILE)");
	return check_convert_args(rq);
}

/* The most a dense matrix read from text may take: the memory budget. */
static size_t
dense_limit(void)
{
	struct mem_budget b;

	mem_budget_detect(&b, MEMBUDGET_NONE);
	return b.bytes < SIZE_MAX ? (size_t)b.bytes : SIZE_MAX;
}

/* Text from mapped bytes, which it unmaps: the text is parsed into memory. */
static int
parse_text(const struct convert_request *rq, struct mapped_input map,
    struct source *src)
{
	struct text_error err;
	const char *buf;
	int r;

	if (map.len == 0) {
		warnx("%s: file is empty", rq->in_path);
		unmap_input(&map);
		return -1;
	}
	buf = map.addr;
	if (rq->from == CONV_MTX || (rq->from == CONV_AUTO &&
	    mtx_has_banner(buf, map.len))) {
		src->format = CONV_MTX;
		r = mtx_parse_within(buf, map.len, dense_limit(), &src->text,
		    &err);
	} else {
		src->format = CONV_CSV;
		r = csv_parse(buf, map.len, rq->delim != 0 ? rq->delim :
		    csv_sniff_delimiter(buf, map.len), &src->text, &err);
	}
	unmap_input(&map);
	if (r == -1 && err.line > 0)
		warnx("%s:%zu: %s", rq->in_path, err.line, err.msg);
	else if (r == -1)
		warnx("%s: %s", rq->in_path, err.msg);
	if (r == -1)
		return -1;
	src->arr.data = (const unsigned char *)src->text.v;
	src->arr.dtype = text_matrix_dtype(&src->text);
	src->arr.ndim = 2;
	src->arr.shape[0] = src->text.rows;
	src->arr.shape[1] = src->text.cols;
	return 0;
}

static int
open_text(const struct convert_request *rq, struct source *src)
{
	struct mapped_input map;

	if (map_path(&map, rq->in_path) == -1) {
		warnx("%s: %s", rq->in_path, map.err);
		return -1;
	}
	return parse_text(rq, map, src);
}

/* Standard input is read once, then parsed as what its bytes say it is. */
static int
open_stdin_source(const struct convert_request *rq, struct source *src)
{
	struct mapped_input map;

	if (map_stdin(&map) == -1) {
		warnx("%s: %s", rq->in_path, map.err);
		return -1;
	}
	if (rq->from == CONV_AUTO && map.len > 0 &&
	    !npy_has_magic(map.addr, map.len))
		return parse_text(rq, map, src);
	if (input_open_mapped(&src->in, &map, rq->from == CONV_RAW ?
	    &rq->raw : NULL) == -1) {
		warnx("%s: %s", rq->in_path, src->in.err);
		return -1;
	}
	return 0;
}

/* The input opened as .npy or raw data, as one array. */
static void
binary_source(const struct convert_request *rq, struct source *src)
{
	src->format = rq->from == CONV_RAW ? CONV_RAW : CONV_NPY;
	map_input_prefetch(&src->in.map);
	input_ndarray(&src->in, &src->arr);
}

/* Opens the input as its format says, or as its contents say. */
static int
open_source(const struct convert_request *rq, struct source *src)
{
	memset(src, 0, sizeof(*src));
	if (rq->from == CONV_CSV || rq->from == CONV_MTX)
		return open_text(rq, src);
	if (is_stdio(rq->in_path)) {
		if (open_stdin_source(rq, src) == -1)
			return -1;
		if (src->format != CONV_CSV && src->format != CONV_MTX)
			binary_source(rq, src);
		return 0;
	}
	if (input_open(&src->in, rq->in_path, rq->from == CONV_RAW ?
	    &rq->raw : NULL) == 0) {
		binary_source(rq, src);
		return 0;
	}
	if (rq->from == CONV_AUTO && (src->in.not_npy || src->in.text))
		return open_text(rq, src);
	warnx("%s: %s", rq->in_path, src->in.err);
	return -1;
}

static void
close_source(struct source *src)
{
	if (src->format == CONV_NPY || src->format == CONV_RAW)
		input_close(&src->in);
	else
		text_matrix_free(&src->text);
}

/*
 * Says that the element at index at (already "[i, j]", or "" for a 0-d
 * array) of type st is v, which the output's type cannot hold.
 */
static void
say_cannot_hold(const struct writer *w, const char *at,
    const struct scalar *v, enum dtype st)
{
	char val[VALUE_STR_MAX];

	warnx("%s: element%s%s is %s, which %s cannot hold%s", w->rq->in_path,
	    at[0] != '\0' ? " " : "", at, scalar_str(val, sizeof(val), v, st),
	    dtype_name(w->t), v->kind == SCALAR_COMPLEX &&
	    !dtype_is_complex(w->t) && v->im != 0 ?
	    " (its imaginary part is not zero)" : "");
}

/*
 * Row r of v as the output's type into out; v is a view of the source,
 * or its transpose when transposed is set. A value that the type cannot
 * hold is named, with its index in the input, and fails the conversion.
 */
static int
get_row(const struct writer *w, const struct matrix *v, bool transposed,
    size_t r, void *out)
{
	size_t ssz = dtype_size(v->dtype), dsz = dtype_size(w->t);
	const unsigned char *base = v->data;
	uint64_t at[2];
	char where[48];
	struct scalar x;

	for (size_t j = 0; j < v->cols; j++) {
		const unsigned char *p = base + ((ptrdiff_t)r * v->rs +
		    (ptrdiff_t)j * v->cs) * (ptrdiff_t)ssz;

		scalar_load(&x, p, v->dtype, v->swapped);
		if (cast_store(&x, w->t, (unsigned char *)out + j * dsz) == 0)
			continue;
		at[0] = transposed ? j : r;
		at[1] = transposed ? r : j;
		if (w->src->arr.ndim == 0)
			where[0] = '\0';
		else
			nd_index_str(where, sizeof(where), w->src->arr.ndim,
			    w->src->arr.ndim == 1 ? at + 1 : at);
		say_cannot_hold(w, where, &x, v->dtype);
		return -1;
	}
	return 0;
}

/*
 * The next n elements of the walk as the output's type into out, or -1
 * after naming the first that it cannot hold.
 */
static int
cast_elements(const struct writer *w, struct ndwalk *wk, size_t n, void *out)
{
	const struct ndarray *a = wk->a;
	size_t dsz = dtype_size(w->t);
	char where[ND_MAXDIMS * 22 + 4];
	struct scalar x;
	const void *p;

	for (size_t k = 0; k < n && (p = ndwalk_next(wk)) != NULL; k++) {
		scalar_load(&x, p, a->dtype, a->swapped);
		if (cast_store(&x, w->t, (unsigned char *)out + k * dsz) == 0)
			continue;
		if (a->ndim == 0)
			where[0] = '\0';
		else
			nd_index_str(where, sizeof(where), a->ndim, wk->idx);
		say_cannot_hold(w, where, &x, a->dtype);
		return -1;
	}
	return 0;
}

/*
 * Elements that need no conversion at all: the output's type, the
 * machine's byte order, row-major order. Then the data is copied as it is.
 */
static bool
copies_as_is(const struct writer *w)
{
	const struct ndarray *a = &w->src->arr;

	return a->dtype == w->t && !a->swapped && (!a->fortran ||
	    a->ndim <= 1);
}

static int
put_npy_header(const struct writer *w, FILE *f)
{
	const struct ndarray *a = &w->src->arr;
	size_t len = npy_header_size(w->t, a->ndim, a->shape);
	void *h = malloc(len);

	if (h == NULL) {
		warnx("convert: out of memory");
		return -1;
	}
	npy_header_write(h, len, w->t, a->ndim, a->shape);
	fwrite(h, 1, len, f);
	free(h);
	return 0;
}

/* Binary elements, chunk by chunk; a write error stops the loop early. */
static int
write_elements(const struct writer *w, FILE *f)
{
	const struct ndarray *a = &w->src->arr;
	size_t n = ndarray_count(a), k;
	struct ndwalk wk;

	if (copies_as_is(w)) {
		fwrite(a->data, dtype_size(w->t), n, f);
		return 0;
	}
	ndwalk_start(&wk, a);
	for (size_t done = 0; done < n && !ferror(f); done += k) {
		k = n - done < CHUNK_ELEMS ? n - done : CHUNK_ELEMS;
		if (cast_elements(w, &wk, k, w->buf) == -1)
			return -1;
		fwrite(w->buf, dtype_size(w->t), k, f);
	}
	return 0;
}

/* Text has no 1-D form: a vector is a column, as savetxt writes it. */
static int
write_text(const struct writer *w, FILE *f)
{
	const struct convert_request *rq = w->rq;
	bool transposed = w->src->arr.ndim == 1;
	struct matrix m = ndarray_matrix(&w->src->arr);
	struct matrix v = transposed ? matrix_transposed(m) : m;

	if (rq->to == CONV_CSV) {
		for (size_t r = 0; r < v.rows && !ferror(f); r++) {
			if (get_row(w, &v, transposed, r, w->buf) == -1)
				return -1;
			csv_write_row(f, w->buf, v.cols, w->t, rq->out_delim,
			    rq->fmt);
		}
		return 0;
	}
	/* Matrix Market lists an array column after column. */
	mtx_write_header(f, v.rows, v.cols, w->t);
	v = matrix_transposed(v);
	for (size_t r = 0; r < v.rows && v.cols > 0 && !ferror(f); r++) {
		if (get_row(w, &v, !transposed, r, w->buf) == -1)
			return -1;
		mtx_write_column(f, w->buf, v.cols, w->t, rq->fmt);
	}
	return 0;
}

/* Any format to a stream; -1 after a message if a value does not fit. */
static int
write_stream(const struct writer *w, FILE *f)
{
	switch (w->rq->to) {
	case CONV_NPY:
		if (put_npy_header(w, f) == -1)
			return -1;
		return write_elements(w, f);
	case CONV_RAW:
		return write_elements(w, f);
	default:
		return write_text(w, f);
	}
}

/* Binary data into a file reserved at its full size, as mul's output. */
static int
write_mapped(const struct writer *w)
{
	const struct convert_request *rq = w->rq;
	const struct ndarray *a = &w->src->arr;
	size_t n = ndarray_count(a);
	struct output_file out;
	struct matrix_out c;
	struct ndwalk wk;

	if (output_open(&out, rq->out_path, rq->to == CONV_NPY ? FORMAT_NPY :
	    FORMAT_RAW, w->t, a->ndim, a->shape, &c) == -1) {
		warnx("%s: %s", rq->out_path, out.err);
		return 1;
	}
	/* c describes a matrix; the data area holds all n elements. */
	ndwalk_start(&wk, a);
	if (n > 0 && copies_as_is(w)) {
		memcpy(c.data, a->data, n * dtype_size(w->t));
	} else if (cast_elements(w, &wk, n, c.data) == -1) {
		output_discard(&out);
		return 1;
	}
	if (output_commit(&out, OUTPUT_DURABLE) == -1) {
		warnx("%s: %s", rq->out_path, out.err);
		return 1;
	}
	return 0;
}

/*
 * Text into the temporary file through a stream on its descriptor: its
 * length is known only once it is written. The target is replaced only
 * after every byte is out and synced, as for any output.
 */
static int
write_text_file(const struct writer *w)
{
	const char *path = w->rq->out_path;
	struct output_file out;
	FILE *f = NULL;
	int fd, r, e;

	if (output_reserve(&out, path, 0) == -1) {
		warnx("%s: %s", path, out.err);
		return 1;
	}
	if ((fd = dup(out.fd)) == -1 || (f = fdopen(fd, "w")) == NULL) {
		warn("%s", path);
		if (fd != -1)
			close(fd);
		output_discard(&out);
		return 1;
	}
	r = write_stream(w, f);
	e = ferror(f) ? errno : 0;
	if (fclose(f) != 0 && e == 0)
		e = errno;
	if (r == 0 && e != 0)
		warnx("%s: cannot write: %s", path, strerror(e));
	if (r != 0 || e != 0) {
		output_discard(&out);
		return 1;
	}
	if (output_commit(&out, OUTPUT_DURABLE) == -1) {
		warnx("%s: %s", path, out.err);
		return 1;
	}
	return 0;
}

static int
write_stdout(const struct writer *w)
{
	if ((w->rq->to == CONV_NPY || w->rq->to == CONV_RAW) &&
	    refuse_binary_stdout())
		return 1;
	if (write_stream(w, stdout) == -1) {
		close_stdout();
		return 1;
	}
	return close_stdout();
}

static int
run_convert(const struct convert_request *rq, const struct source *src)
{
	struct writer w = { rq, src, rq->dtype_given ? rq->dtype :
	    src->arr.dtype, NULL, CHUNK_ELEMS };
	struct matrix m = ndarray_matrix(&src->arr);
	int r = 1;

	/*
	 * A text row, of a view or its transpose, is as long as the longer
	 * side; nothing is sized by a dimension when there are no elements.
	 */
	if (src->arr.ndim <= 2 && ndarray_count(&src->arr) > 0) {
		if (m.rows > w.buf_elems)
			w.buf_elems = m.rows;
		if (m.cols > w.buf_elems)
			w.buf_elems = m.cols;
	}
	if (w.buf_elems < SIZE_MAX / 16 &&
	    (w.buf = malloc(w.buf_elems * 16)) != NULL) {
		if (strcmp(rq->out_path, "-") == 0)
			r = write_stdout(&w);
		else if (rq->to == CONV_NPY || rq->to == CONV_RAW)
			r = write_mapped(&w);
		else
			r = write_text_file(&w);
	} else {
		warnx("convert: out of memory");
	}
	free(w.buf);
	return r;
}

/* Text is a matrix at most: a stack must become npy or raw. */
static int
refuse_text_stack(const struct convert_request *rq, const struct source *src)
{
	char s[64];

	if ((rq->to != CONV_CSV && rq->to != CONV_MTX) || src->arr.ndim <= 2)
		return 0;
	warnx("%s: a %s array has %d dimensions, but %s holds at most 2: "
	    "convert it to npy or raw, or reshape it in NumPy", rq->in_path,
	    shape_str(s, sizeof(s), src->arr.ndim, src->arr.shape),
	    src->arr.ndim, rq->to == CONV_CSV ? "CSV" : "Matrix Market");
	return -1;
}

static int
convert_main(int argc, char **argv)
{
	struct convert_request rq;
	struct source src;
	int r = parse_convert_args(argc, argv, &rq);

	if (r != 0)
		return r;
	cli_threads(0);
	if (open_source(&rq, &src) == -1)
		return 1;
	if (rq.delim != 0 && src.format != CONV_CSV && rq.to != CONV_CSV)
		r = usage_error("--delimiter", "applies only to CSV, and "
		    "neither %s nor %s is CSV", rq.in_path, rq.out_path);
	else if (refuse_text_stack(&rq, &src) == -1)
		r = 1;
	else
		r = run_convert(&rq, &src);
	close_source(&src);
	return r;
}

const struct command cmd_convert = { "convert", convert_main, convert_help,
    1 };
