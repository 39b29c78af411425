/* What the CSV and Matrix Market codecs share: numbers, lines, messages. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "codec/textfmt.h"

/* Longer tokens are refused rather than copied to the heap for strtod. */
#define NUMBER_MAX	400

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

void
text_matrix_free(struct text_matrix *m)
{
	free(m->v);
	memset(m, 0, sizeof(*m));
}

struct matrix
text_matrix_view(const struct text_matrix *m)
{
	struct matrix v = {
		.data = m->v, .rows = m->rows, .cols = m->cols,
		.rs = (ptrdiff_t)m->cols, .cs = 1,
		.dtype = m->is_int ? DTYPE_I64 : DTYPE_F64, .swapped = false,
	};

	return v;
}

/* Case-insensitive: do the n bytes at s spell word? */
static bool
spells(const char *s, size_t n, const char *word)
{
	return strlen(word) == n && strncasecmp(s, word, n) == 0;
}

/*
 * The grammar alone, so that strtod never decides what a number is: it
 * would also take hexadecimal, "nan(...)" and leading blanks. Returns the
 * length of the longest prefix that is a number and sets *integral, or 0.
 */
static size_t
number_syntax(const char *s, size_t n, bool *integral)
{
	size_t k = 0, digits = 0;

	*integral = false;
	if (n > 0 && (s[0] == '+' || s[0] == '-'))
		k++;
	if (spells(s + k, n - k, "inf") || spells(s + k, n - k, "nan") ||
	    spells(s + k, n - k, "infinity"))
		return n;
	for (; k < n && is_digit(s[k]); k++)
		digits++;
	*integral = true;
	if (k < n && s[k] == '.') {
		*integral = false;
		for (k++; k < n && is_digit(s[k]); k++)
			digits++;
	}
	if (digits == 0)
		return 0;
	if (k < n && (s[k] == 'e' || s[k] == 'E')) {
		*integral = false;
		if (++k < n && (s[k] == '+' || s[k] == '-'))
			k++;
		if (k == n || !is_digit(s[k]))
			return 0;
		while (k < n && is_digit(s[k]))
			k++;
	}
	return k;
}

int
text_number(const char *s, size_t n, int64_t *i, double *d)
{
	char buf[NUMBER_MAX + 1];
	bool integral;
	long long v;

	if (n == 0 || n > NUMBER_MAX || number_syntax(s, n, &integral) != n)
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	/* Overflow gives inf, as Python's float() does; underflow gives 0. */
	*d = strtod(buf, NULL);
	if (!integral)
		return 0;
	errno = 0;
	v = strtoll(buf, NULL, 10);
	if (errno == ERANGE)
		return 0;
	*i = v;
	return 1;
}

const char *
text_token(char *buf, size_t cap, const char *s, size_t n)
{
	size_t k, shown = n < cap - 4 ? n : cap - 4;

	for (k = 0; k < shown; k++)
		buf[k] = (unsigned char)s[k] < ' ' || s[k] == 0x7f ? '?' : s[k];
	if (shown < n) {
		memcpy(buf + k, "...", 3);
		k += 3;
	}
	buf[k] = '\0';
	return buf;
}

int
text_fail(struct text_error *err, size_t line, const char *fmt, ...)
{
	va_list ap;

	err->line = line;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -1;
}

bool
text_next_line(struct text_cursor *c, const char **s, const char **e)
{
	const char *nl;

	if (c->p >= c->end)
		return false;
	/* A UTF-8 byte-order mark, as some editors write, is not data. */
	if (c->line == 0 && c->end - c->p >= 3 &&
	    memcmp(c->p, "\xef\xbb\xbf", 3) == 0)
		c->p += 3;
	*s = c->p;
	nl = memchr(c->p, '\n', (size_t)(c->end - c->p));
	*e = nl != NULL ? nl : c->end;
	c->p = nl != NULL ? nl + 1 : c->end;
	if (*e > *s && (*e)[-1] == '\r')
		(*e)--;
	c->line++;
	return true;
}

/* Flags, then a width and a precision of at most two digits each. */
static const char *
skip_spec(const char *p)
{
	p += strspn(p, "-+ #0");
	if (is_digit(*p))
		p += is_digit(p[1]) ? 2 : 1;
	if (*p == '.') {
		p++;
		if (is_digit(*p))
			p += is_digit(p[1]) ? 2 : 1;
	}
	return p;
}

const char *
text_check_fmt(const char *fmt)
{
	int nconv = 0;

	if (strlen(fmt) > 64)
		return "is longer than 64 characters";
	for (const char *p = fmt; *p != '\0'; p++) {
		if (*p == '\n' || *p == '\r')
			return "holds a line break";
		if (*p != '%')
			continue;
		if (p[1] == '%') {
			p++;
			continue;
		}
		p = skip_spec(p + 1);
		if (*p == '\0' || strchr("eEfFgG", *p) == NULL)
			return "may only convert with %e, %f or %g (and flags, "
			    "a width and a precision of up to two digits)";
		nconv++;
	}
	if (nconv != 1)
		return "needs exactly one conversion (%e, %f or %g)";
	return NULL;
}

void
text_put_value(FILE *f, const void *p, enum dtype t, const char *fmt)
{
	int64_t i8;
	int32_t i4;
	double d;
	float s;

	switch (t) {
	case DTYPE_F64:
		memcpy(&d, p, sizeof(d));
		fprintf(f, fmt, d);
		break;
	case DTYPE_F32:
		memcpy(&s, p, sizeof(s));
		fprintf(f, fmt, (double)s);
		break;
	case DTYPE_I64:
		memcpy(&i8, p, sizeof(i8));
		fprintf(f, "%" PRId64, i8);
		break;
	case DTYPE_I32:
		memcpy(&i4, p, sizeof(i4));
		fprintf(f, "%" PRId32, i4);
		break;
	default:	/* TODO(dtypes): refused before here */
		break;
	}
}
