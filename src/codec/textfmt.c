/* What the CSV and Matrix Market codecs share: lines, messages, writers. */
#include <stdio.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/elem.h"
#include "codec/textfmt.h"

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

enum dtype
text_matrix_dtype(const struct text_matrix *m)
{
	return m->is_int ? DTYPE_I64 : m->is_complex ? DTYPE_C128 : DTYPE_F64;
}

struct matrix
text_matrix_view(const struct text_matrix *m)
{
	struct matrix v = {
		.data = m->v, .rows = m->rows, .cols = m->cols,
		.rs = (ptrdiff_t)m->cols, .cs = 1,
		.dtype = text_matrix_dtype(m), .swapped = false,
	};

	return v;
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

/* fmt of d into buf, as printf would write it. */
static void
format_real(char *buf, size_t cap, const char *fmt, double d)
{
	snprintf(buf, cap, fmt, d);
}

/*
 * savetxt's complex form, ' (RE+IMj)' with fmt for each part, and then
 * every "+-" made "-", as savetxt does.
 */
static void
put_complex(FILE *f, double re, double im, const char *fmt)
{
	char a[TEXT_VALUE_MAX], b[TEXT_VALUE_MAX], s[2 * TEXT_VALUE_MAX + 8];
	char *q;

	format_real(a, sizeof(a), fmt, re);
	format_real(b, sizeof(b), fmt, im);
	snprintf(s, sizeof(s), " (%s+%sj)", a, b);
	while ((q = strstr(s, "+-")) != NULL)
		memmove(q, q + 1, strlen(q + 1) + 1);
	fputs(s, f);
}

void
text_put_value(FILE *f, const void *p, enum dtype t, const char *fmt)
{
	switch (dtype_kind(t)) {
	case KIND_INT:
		fprintf(f, "%" PRId64, elem_int(p, t, false));
		break;
	case KIND_UINT:
		fprintf(f, "%" PRIu64, (uint64_t)elem_int(p, t, false));
		break;
	case KIND_COMPLEX:
		put_complex(f, elem_real(p, t, false), elem_imag(p, t, false),
		    fmt);
		break;
	case KIND_BOOL:
		/* savetxt writes False and True as the floats 0 and 1. */
	case KIND_FLOAT:
		fprintf(f, fmt, elem_real(p, t, false));
		break;
	}
}
