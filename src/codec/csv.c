/*
 * CSV, TSV and whitespace-separated columns, as NumPy's savetxt writes them
 * and loadtxt reads them (with ndmin=2: a text file is always a matrix).
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/dtype.h"
#include "codec/textfmt.h"

/*
 * The values read so far, in a block that doubles as it fills: n slots
 * used, two a value once one is complex.
 */
struct values {
	union text_value	*v;
	size_t			 n, cap;
	bool			 is_int, is_complex;
};

/* One field read; re is set for an integer too, rounded as a cast would. */
struct field {
	enum { FIELD_REAL, FIELD_INT, FIELD_COMPLEX } kind;
	int64_t		 i;
	double		 re, im;
};

/* Room for at least want slots. */
static int
reserve(struct values *vs, size_t want)
{
	union text_value *p;
	size_t cap = vs->cap > 0 ? vs->cap : 1024;

	if (want <= vs->cap)
		return 0;
	while (cap < want) {
		if (cap > SIZE_MAX / 2 / sizeof(*p))
			return -1;
		cap *= 2;
	}
	if (cap > SIZE_MAX / sizeof(*p) ||
	    (p = realloc(vs->v, cap * sizeof(*p))) == NULL)
		return -1;
	vs->v = p;
	vs->cap = cap;
	return 0;
}

/*
 * The first complex value: every value so far becomes a pair, spread
 * from the end down so that none is overwritten before it is read.
 */
static int
make_complex(struct values *vs)
{
	size_t n = vs->n;
	double d;

	if (reserve(vs, 2 * n + 2) == -1)
		return -1;
	for (size_t k = n; k-- > 0; ) {
		d = vs->is_int ? (double)vs->v[k].i : vs->v[k].d;
		vs->v[2 * k].d = d;
		vs->v[2 * k + 1].d = 0;
	}
	vs->n = 2 * n;
	vs->is_int = false;
	vs->is_complex = true;
	return 0;
}

static int
append(struct values *vs, const struct field *f)
{
	if (f->kind == FIELD_COMPLEX && !vs->is_complex &&
	    make_complex(vs) == -1)
		return -1;
	if (reserve(vs, vs->n + 2) == -1)
		return -1;
	if (vs->is_int && f->kind != FIELD_INT) {
		/* The first value that is not an integer: all are floats. */
		for (size_t k = 0; k < vs->n; k++)
			vs->v[k].d = (double)vs->v[k].i;
		vs->is_int = false;
	}
	if (vs->is_complex) {
		vs->v[vs->n++].d = f->re;
		vs->v[vs->n++].d = f->im;
	} else if (vs->is_int) {
		vs->v[vs->n++].i = f->i;
	} else {
		vs->v[vs->n++].d = f->re;
	}
	return 0;
}

/* The field s[0..n) as a number, or -1. */
static int
read_field(const char *s, size_t n, struct field *f)
{
	int r = text_number(s, n, &f->i, &f->re);

	f->im = 0;
	f->kind = r == 1 ? FIELD_INT : FIELD_REAL;
	/* "-0" is how %g spells a float's negative zero: keep its sign. */
	if (r == 1 && f->i == 0 && signbit(f->re))
		f->kind = FIELD_REAL;
	if (r != -1)
		return 0;
	if (text_complex(s, n, &f->re, &f->im) != 1)
		return -1;
	f->kind = FIELD_COMPLEX;
	return 0;
}

static const char *
skip_blanks(const char *p, const char *e)
{
	while (p < e && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

static const char *
trim_blanks(const char *s, const char *e)
{
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	return e;
}

/* The next value of the line from *p on, in [*ts, *te); false at its end. */
static bool
next_field(const char **p, const char *e, char delim, const char **ts,
    const char **te, bool *last)
{
	const char *q;

	if (delim == ' ') {
		*ts = *p = skip_blanks(*p, e);
		if (*p == e)
			return false;
		while (*p < e && **p != ' ' && **p != '\t')
			(*p)++;
		*te = *p;
		return true;
	}
	if (*last)
		return false;
	q = memchr(*p, delim, (size_t)(e - *p));
	*last = q == NULL;
	*ts = skip_blanks(*p, q != NULL ? q : e);
	*te = trim_blanks(*ts, q != NULL ? q : e);
	*p = q != NULL ? q + 1 : e;
	return true;
}

/* Appends the values of one line; *count gets how many. */
static int
parse_row(const char *s, const char *e, char delim, size_t line,
    struct values *vs, size_t *count, struct text_error *err)
{
	const char *p = s, *ts, *te;
	bool last = false;
	struct field f;
	char tok[48];

	for (*count = 0; next_field(&p, e, delim, &ts, &te, &last); ) {
		++*count;
		if (ts == te)
			return text_fail(err, line, "empty field in column %zu",
			    *count);
		if (read_field(ts, (size_t)(te - ts), &f) == -1)
			return text_fail(err, line, "'%s' is not a number "
			    "(column %zu)", text_token(tok, sizeof(tok), ts,
			    (size_t)(te - ts)), *count);
		if (append(vs, &f) == -1)
			return text_fail(err, line, "out of memory");
	}
	return 0;
}

/* The line's data: [s, *e) less its comment; false if none is left. */
static bool
has_data(const char *s, const char **e)
{
	const char *hash = memchr(s, '#', (size_t)(*e - s));

	if (hash != NULL)
		*e = hash;
	return skip_blanks(s, *e) < *e;
}

int
csv_parse(const char *buf, size_t len, char delim, struct text_matrix *m,
    struct text_error *err)
{
	struct text_cursor c = { buf, buf != NULL ? buf + len : NULL, 0 };
	struct values vs = { NULL, 0, 0, true, false };
	size_t n, first = 0;
	const char *s, *e;

	memset(m, 0, sizeof(*m));
	while (text_next_line(&c, &s, &e)) {
		if (memchr(s, '\0', (size_t)(e - s)) != NULL) {
			text_fail(err, c.line, "a NUL byte: binary data, not "
			    "text");
			goto fail;
		}
		if (!has_data(s, &e))
			continue;
		if (parse_row(s, e, delim, c.line, &vs, &n, err) == -1)
			goto fail;
		if (m->rows++ == 0) {
			m->cols = n;
			first = c.line;
		} else if (n != m->cols) {
			text_fail(err, c.line, "%zu value%s, but line %zu has "
			    "%zu", n, n == 1 ? "" : "s", first, m->cols);
			goto fail;
		}
	}
	if (m->rows == 0) {
		text_fail(err, 0, "holds no numbers");
		goto fail;
	}
	m->v = vs.v;
	m->is_int = vs.is_int;
	m->is_complex = vs.is_complex;
	return 0;
fail:
	free(vs.v);
	memset(m, 0, sizeof(*m));
	return -1;
}

char
csv_sniff_delimiter(const char *buf, size_t len)
{
	struct text_cursor c = { buf, buf != NULL ? buf + len : NULL, 0 };
	const char *s, *e;

	while (text_next_line(&c, &s, &e))
		if (has_data(s, &e))
			return memchr(s, ',', (size_t)(e - s)) != NULL ? ',' :
			    ' ';
	return ',';
}

void
csv_write_row(FILE *f, const void *row, size_t n, enum dtype t, char delim,
    const char *fmt)
{
	size_t sz = dtype_size(t);

	for (size_t j = 0; j < n; j++) {
		if (j > 0)
			putc(delim, f);
		text_put_value(f, (const unsigned char *)row + j * sz, t, fmt);
	}
	putc('\n', f);
}
