/*
 * Matrix Market files (NIST's "The Matrix Market Exchange Formats"): a
 * banner "%%MatrixMarket matrix FORMAT FIELD SYMMETRY", comment lines that
 * start with '%', a size line, then one entry a line. An "array" file lists
 * every element column after column ("M N"); a "coordinate" file lists the
 * nonzero ones as "ROW COL VALUE", counting from 1 ("M N ENTRIES"); a
 * complex VALUE is two numbers, the real part then the imaginary one. A
 * symmetric or hermitian matrix stores its lower triangle only, a
 * skew-symmetric one the part strictly below the diagonal.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/dtype.h"
#include "core/elem.h"
#include "codec/textfmt.h"

#define BANNER		"%%MatrixMarket"
#define BANNER_LEN	14

enum mtx_field { FIELD_REAL, FIELD_INTEGER, FIELD_COMPLEX, FIELD_PATTERN };
enum mtx_symmetry { SYM_GENERAL, SYM_SYMMETRIC, SYM_SKEW, SYM_HERMITIAN };

static const char *const symmetry_names[] = {
	"general", "symmetric", "skew-symmetric", "hermitian",
};

struct mtx_header {
	bool			 coordinate;
	enum mtx_field		 field;
	enum mtx_symmetry	 symmetry;
	size_t			 rows, cols;
	size_t			 entries;	/* lines of entries */
};

/* One line's whitespace-separated words, up to MAX_WORDS of them. */
#define MAX_WORDS	6
struct words {
	int		 n;		/* even past MAX_WORDS */
	const char	*s[MAX_WORDS];
	size_t		 len[MAX_WORDS];
};

static void
split_words(const char *s, const char *e, struct words *w)
{
	w->n = 0;
	for (;;) {
		while (s < e && (*s == ' ' || *s == '\t'))
			s++;
		if (s == e)
			return;
		if (w->n < MAX_WORDS)
			w->s[w->n] = s;
		while (s < e && *s != ' ' && *s != '\t')
			s++;
		if (w->n < MAX_WORDS)
			w->len[w->n] = (size_t)(s - w->s[w->n]);
		w->n++;
	}
}

static bool
word_is(const struct words *w, int k, const char *name)
{
	return strlen(name) == w->len[k] &&
	    strncasecmp(w->s[k], name, w->len[k]) == 0;
}

bool
mtx_has_banner(const void *buf, size_t len)
{
	const char *s = buf;

	if (len >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0) {
		s += 3;
		len -= 3;
	}
	return len >= BANNER_LEN && strncasecmp(s, BANNER, BANNER_LEN) == 0;
}

/* FIELD, then SYMMETRY, of the banner, and whether they go together. */
static int
banner_kinds(const struct words *w, struct mtx_header *h,
    struct text_error *err)
{
	char tok[48];

	if (word_is(w, 3, "real"))
		h->field = FIELD_REAL;
	else if (word_is(w, 3, "integer"))
		h->field = FIELD_INTEGER;
	else if (word_is(w, 3, "complex"))
		h->field = FIELD_COMPLEX;
	else if (word_is(w, 3, "pattern"))
		h->field = FIELD_PATTERN;
	else
		return text_fail(err, 1, "unknown field '%s' (real, integer, "
		    "complex, pattern)", text_token(tok, sizeof(tok), w->s[3],
		    w->len[3]));
	if (word_is(w, 4, "general"))
		h->symmetry = SYM_GENERAL;
	else if (word_is(w, 4, "symmetric"))
		h->symmetry = SYM_SYMMETRIC;
	else if (word_is(w, 4, "skew-symmetric"))
		h->symmetry = SYM_SKEW;
	else if (word_is(w, 4, "hermitian"))
		h->symmetry = SYM_HERMITIAN;
	else
		return text_fail(err, 1, "unknown symmetry '%s' (general, "
		    "symmetric, skew-symmetric, hermitian)", text_token(tok,
		    sizeof(tok), w->s[4], w->len[4]));
	if (h->symmetry == SYM_HERMITIAN && h->field != FIELD_COMPLEX)
		return text_fail(err, 1, "a hermitian matrix must have the "
		    "field complex (a real one is symmetric)");
	if (h->field == FIELD_PATTERN && !h->coordinate)
		return text_fail(err, 1, "a pattern matrix must be in "
		    "coordinate format");
	if (h->field == FIELD_PATTERN && h->symmetry == SYM_SKEW)
		return text_fail(err, 1, "a pattern matrix cannot be "
		    "skew-symmetric");
	return 0;
}

static int
parse_banner(const char *s, const char *e, struct mtx_header *h,
    struct text_error *err)
{
	struct words w;
	char tok[48];

	split_words(s, e, &w);
	if (w.n == 0 || !word_is(&w, 0, BANNER))
		return text_fail(err, 1, "no '%s' banner", BANNER);
	if (w.n != 5)
		return text_fail(err, 1, "the banner needs 4 words after %s "
		    "(matrix, a format, a field, a symmetry)", BANNER);
	if (!word_is(&w, 1, "matrix"))
		return text_fail(err, 1, "object '%s' is not supported "
		    "(matrix only)", text_token(tok, sizeof(tok), w.s[1],
		    w.len[1]));
	if (word_is(&w, 2, "coordinate"))
		h->coordinate = true;
	else if (!word_is(&w, 2, "array"))
		return text_fail(err, 1, "unknown format '%s' (array or "
		    "coordinate)", text_token(tok, sizeof(tok), w.s[2],
		    w.len[2]));
	return banner_kinds(&w, h, err);
}

/* A whole number in [lo, hi] from word k, or -1 after saying which. */
static int
parse_index(const struct words *w, int k, size_t lo, size_t hi, size_t line,
    const char *what, size_t *out, struct text_error *err)
{
	char tok[48];
	int64_t i = 0;
	double d;

	if (text_number(w->s[k], w->len[k], &i, &d) != 1)
		return text_fail(err, line, "%s '%s' is not a whole number",
		    what, text_token(tok, sizeof(tok), w->s[k], w->len[k]));
	if (i < 0 || (uint64_t)i < lo || (uint64_t)i > hi)
		return text_fail(err, line, "%s %lld is out of range (%zu to "
		    "%zu)", what, (long long)i, lo, hi);
	*out = (size_t)i;
	return 0;
}

/* The bytes of one element: a complex one takes two slots. */
static size_t
value_size(const struct mtx_header *h)
{
	return (h->field == FIELD_COMPLEX ? 2 : 1) * sizeof(union text_value);
}

/* How many entries an array file lists. */
static size_t
array_entries(const struct mtx_header *h)
{
	size_t n = h->rows;

	if (h->symmetry == SYM_SYMMETRIC || h->symmetry == SYM_HERMITIAN)
		return n % 2 == 0 ? n / 2 * (n + 1) : (n + 1) / 2 * n;
	if (h->symmetry == SYM_SKEW)
		return n % 2 == 0 ? n / 2 * (n - 1) : (n - 1) / 2 * n;
	return h->rows * h->cols;
}

static int
parse_size(const char *s, const char *e, size_t line, struct mtx_header *h,
    struct text_error *err)
{
	struct words w;
	int want = h->coordinate ? 3 : 2;

	split_words(s, e, &w);
	if (w.n != want)
		return text_fail(err, line, "the size line needs %s, not %d "
		    "numbers", h->coordinate ? "ROWS COLS ENTRIES" :
		    "ROWS COLS", w.n);
	/* Dimensions stay below 2^62, as on the command line. */
	if (parse_index(&w, 0, 0, (size_t)1 << 62, line, "row count",
	    &h->rows, err) == -1 ||
	    parse_index(&w, 1, 0, (size_t)1 << 62, line, "column count",
	    &h->cols, err) == -1 ||
	    (h->coordinate && parse_index(&w, 2, 0, SIZE_MAX, line,
	    "entry count", &h->entries, err) == -1))
		return -1;
	if (h->symmetry != SYM_GENERAL && h->rows != h->cols)
		return text_fail(err, line, "a %s matrix must be square, not "
		    "%zux%zu", symmetry_names[h->symmetry], h->rows, h->cols);
	if (h->rows != 0 && h->cols > SIZE_MAX / value_size(h) / h->rows)
		return text_fail(err, line, "a %zux%zu matrix is too large",
		    h->rows, h->cols);
	if (!h->coordinate)
		h->entries = array_entries(h);
	return 0;
}

/* The dense matrix being filled, and where the next array entry goes. */
struct dense {
	const struct mtx_header	*h;
	union text_value	*v;
	size_t			 i, j;
	size_t			 max_bytes;	/* of v, the caller's limit */
};

/* One entry's value: x[0], and x[1] the imaginary part of a complex one. */
struct value {
	union text_value	 x[2];
};

/* Word k as a number of the field's kind into *out, or -1 after why. */
static int
parse_number(const struct words *w, int k, const struct mtx_header *h,
    size_t line, union text_value *out, struct text_error *err)
{
	char tok[48];
	int64_t i = 0;
	double d = 0;
	int r;

	if ((r = text_number(w->s[k], w->len[k], &i, &d)) == -1)
		return text_fail(err, line, "'%s' is not a number",
		    text_token(tok, sizeof(tok), w->s[k], w->len[k]));
	if (h->field == FIELD_INTEGER && r != 1)
		return text_fail(err, line, "'%s' is not an integer that fits "
		    "int64, as the field 'integer' requires",
		    text_token(tok, sizeof(tok), w->s[k], w->len[k]));
	if (h->field == FIELD_INTEGER)
		out->i = i;
	else
		out->d = d;
	return 0;
}

/* The value from word k on: none for a pattern, two words for complex. */
static int
parse_value(const struct words *w, int k, const struct mtx_header *h,
    size_t line, struct value *out, struct text_error *err)
{
	if (h->field == FIELD_PATTERN) {
		out->x[0].d = 1;
		return 0;
	}
	if (parse_number(w, k, h, line, &out->x[0], err) == -1)
		return -1;
	if (h->field == FIELD_COMPLEX)
		return parse_number(w, k + 1, h, line, &out->x[1], err);
	return 0;
}

/*
 * *p gets x times sign (1 or -1): stored for an array entry, added to what
 * is there for a coordinate entry (duplicates are summed). Returns -1 when
 * an integer overflows.
 */
static int
store(union text_value *p, union text_value x, int sign,
    const struct mtx_header *h)
{
	int64_t base;
	double d;

	if (h->field != FIELD_INTEGER) {
		d = sign < 0 ? -x.d : x.d;
		p->d = h->coordinate ? p->d + d : d;
		return 0;
	}
	base = h->coordinate ? p->i : 0;
	if (sign < 0 ? __builtin_sub_overflow(base, x.i, &p->i) :
	    __builtin_add_overflow(base, x.i, &p->i))
		return -1;
	return 0;
}

/*
 * The signs of the mirror image of an element off the diagonal, for the
 * real part and the imaginary one: the conjugate for a hermitian matrix.
 */
static const int mirror_sign[][2] = {
	[SYM_GENERAL] = { 0, 0 }, [SYM_SYMMETRIC] = { 1, 1 },
	[SYM_SKEW] = { -1, -1 }, [SYM_HERMITIAN] = { 1, -1 },
};

/* The value at element k, times sign[0] and sign[1] for its parts. */
static int
store_value(struct dense *m, size_t k, const struct value *x,
    const int sign[2])
{
	const struct mtx_header *h = m->h;

	if (h->field != FIELD_COMPLEX)
		return store(&m->v[k], x->x[0], sign[0], h);
	/* Only integers can overflow. */
	store(&m->v[2 * k], x->x[0], sign[0], h);
	store(&m->v[2 * k + 1], x->x[1], sign[1], h);
	return 0;
}

/* Element (i, j), counting from 0, and its mirror image if it has one. */
static int
put(struct dense *m, size_t i, size_t j, const struct value *x, size_t line,
    struct text_error *err)
{
	const struct mtx_header *h = m->h;
	static const int as_is[2] = { 1, 1 };
	const int *mirror = mirror_sign[h->symmetry];

	/* A = A^H makes the diagonal real: an imaginary part there is an error. */
	if (h->symmetry == SYM_HERMITIAN && i == j && x->x[1].d != 0)
		return text_fail(err, line, "entry (%zu, %zu) is on the "
		    "diagonal of a hermitian matrix, which must be real, but "
		    "its imaginary part is %g", i + 1, j + 1, x->x[1].d);
	if (store_value(m, i * h->cols + j, x, as_is) == -1 ||
	    (i != j && mirror[0] != 0 &&
	    store_value(m, j * h->cols + i, x, mirror) == -1))
		return text_fail(err, line, "the value at (%zu, %zu) overflows "
		    "int64", i + 1, j + 1);
	return 0;
}

/* An array entry: the next element down the column, or of the next one. */
static int
array_entry(struct dense *m, const struct words *w, size_t line,
    struct text_error *err)
{
	const struct mtx_header *h = m->h;
	struct value x;

	if (parse_value(w, 0, h, line, &x, err) == -1 ||
	    put(m, m->i, m->j, &x, line, err) == -1)
		return -1;
	if (++m->i == h->rows) {
		m->j++;
		m->i = h->symmetry == SYM_GENERAL ? 0 :
		    h->symmetry == SYM_SKEW ? m->j + 1 : m->j;
	}
	return 0;
}

static int
coordinate_entry(struct dense *m, const struct words *w, size_t line,
    struct text_error *err)
{
	const struct mtx_header *h = m->h;
	struct value x;
	size_t i, j;

	if (parse_index(w, 0, 1, h->rows, line, "row", &i, err) == -1 ||
	    parse_index(w, 1, 1, h->cols, line, "column", &j, err) == -1 ||
	    parse_value(w, 2, h, line, &x, err) == -1)
		return -1;
	if (h->symmetry != SYM_GENERAL && i < j)
		return text_fail(err, line, "entry (%zu, %zu) is above the "
		    "diagonal, but a %s matrix stores its lower triangle", i, j,
		    symmetry_names[h->symmetry]);
	if (h->symmetry == SYM_SKEW && i == j)
		return text_fail(err, line, "entry (%zu, %zu) is on the "
		    "diagonal of a skew-symmetric matrix", i, j);
	return put(m, i - 1, j - 1, &x, line, err);
}

/* What an entry line holds: its words, and how they are named. */
static int
entry_words(const struct mtx_header *h, const char **names)
{
	static const char *const array[] = { "one value", "RE IM" };
	static const char *const coord[] = { "ROW COL VALUE", "ROW COL RE IM",
	    "ROW COL" };
	int cplx = h->field == FIELD_COMPLEX;

	if (!h->coordinate) {
		*names = array[cplx];
		return 1 + cplx;
	}
	if (h->field == FIELD_PATTERN) {
		*names = coord[2];
		return 2;
	}
	*names = coord[cplx];
	return 3 + cplx;
}

static int
entry(struct dense *m, const char *s, const char *e, size_t line,
    struct text_error *err)
{
	const struct mtx_header *h = m->h;
	const char *names;
	int want = entry_words(h, &names);
	struct words w;

	split_words(s, e, &w);
	if (w.n != want)
		return text_fail(err, line, "expected %s, found %d word%s",
		    names, w.n, w.n == 1 ? "" : "s");
	return h->coordinate ? coordinate_entry(m, &w, line, err) :
	    array_entry(m, &w, line, err);
}

/* Comment lines start with '%'; blank lines are skipped as well. */
static bool
skipped(const char *s, const char *e)
{
	while (s < e && (*s == ' ' || *s == '\t'))
		s++;
	return s == e || *s == '%';
}

/*
 * After the size line: room for the dense matrix, all zeros. The entries
 * promised must fit in the bytes left, at two at least each ("1\n"), so
 * that a size line alone cannot make an array file take memory.
 */
static int
allocate(struct dense *m, size_t line, size_t left, struct text_error *err)
{
	const struct mtx_header *h = m->h;
	size_t n = h->rows * h->cols;

	if (h->entries > left / 2 + 1)
		return text_fail(err, line, "the size line promises %zu "
		    "entries, more than the rest of the file can hold",
		    h->entries);
	/* A coordinate file of a few lines may describe a huge matrix. */
	if (n > m->max_bytes / value_size(h))
		return text_fail(err, line, "a dense %zux%zu matrix would "
		    "take more memory than there is (%zu bytes at most)",
		    h->rows, h->cols, m->max_bytes);
	m->i = h->symmetry == SYM_SKEW ? 1 : 0;
	m->j = 0;
	if (n > 0 && (m->v = calloc(n, value_size(h))) == NULL)
		return text_fail(err, line, "out of memory for a dense %zux%zu "
		    "matrix", h->rows, h->cols);
	return 0;
}

static int
parse_body(struct text_cursor *c, struct dense *m, struct mtx_header *h,
    struct text_error *err)
{
	const char *s, *e;
	bool sized = false;
	size_t seen = 0;

	while (text_next_line(c, &s, &e)) {
		if (memchr(s, '\0', (size_t)(e - s)) != NULL)
			return text_fail(err, c->line, "a NUL byte: binary "
			    "data, not text");
		if (skipped(s, e))
			continue;
		if (!sized) {
			if (parse_size(s, e, c->line, h, err) == -1 ||
			    allocate(m, c->line, (size_t)(c->end - c->p),
			    err) == -1)
				return -1;
			sized = true;
		} else if (seen++ == h->entries) {
			return text_fail(err, c->line, "more entries than the "
			    "%zu of the size line", h->entries);
		} else if (entry(m, s, e, c->line, err) == -1) {
			return -1;
		}
	}
	if (!sized)
		return text_fail(err, c->line, "no size line");
	if (seen < h->entries)
		return text_fail(err, c->line, "the file ends after %zu of its "
		    "%zu entries", seen, h->entries);
	return 0;
}

int
mtx_parse(const char *buf, size_t len, struct text_matrix *m,
    struct text_error *err)
{
	return mtx_parse_within(buf, len, SIZE_MAX, m, err);
}

int
mtx_parse_within(const char *buf, size_t len, size_t max_bytes,
    struct text_matrix *m, struct text_error *err)
{
	struct text_cursor c = { buf, buf != NULL ? buf + len : NULL, 0 };
	struct mtx_header h;
	struct dense d = { &h, NULL, 0, 0, max_bytes };
	const char *s, *e;

	memset(m, 0, sizeof(*m));
	memset(&h, 0, sizeof(h));
	if (!text_next_line(&c, &s, &e))
		return text_fail(err, 0, "file is empty");
	if (parse_banner(s, e, &h, err) == -1 ||
	    parse_body(&c, &d, &h, err) == -1) {
		free(d.v);
		return -1;
	}
	m->rows = h.rows;
	m->cols = h.cols;
	m->is_int = h.field == FIELD_INTEGER;
	m->is_complex = h.field == FIELD_COMPLEX;
	m->v = d.v;
	return 0;
}

void
mtx_write_header(FILE *f, size_t rows, size_t cols, enum dtype t)
{
	fprintf(f, "%s matrix array %s general\n", BANNER,
	    dtype_is_complex(t) ? "complex" : dtype_is_exact(t) ? "integer" :
	    "real");
	fprintf(f, "%zu %zu\n", rows, cols);
}

static void
put_real(FILE *f, const char *fmt, double d)
{
	fprintf(f, fmt, d);
}

void
mtx_write_column(FILE *f, const void *col, size_t n, enum dtype t,
    const char *fmt)
{
	size_t sz = dtype_size(t);

	for (size_t i = 0; i < n; i++) {
		const unsigned char *p = (const unsigned char *)col + i * sz;

		if (dtype_kind(t) == KIND_BOOL) {
			putc(*p != 0 ? '1' : '0', f);
		} else if (dtype_is_complex(t)) {
			put_real(f, fmt, elem_real(p, t, false));
			putc(' ', f);
			put_real(f, fmt, elem_imag(p, t, false));
		} else {
			text_put_value(f, p, t, fmt);
		}
		putc('\n', f);
	}
}
