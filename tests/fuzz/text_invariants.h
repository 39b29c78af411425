/*
 * What must hold for any bytes given to the CSV and Matrix Market readers:
 * shared by their fuzz targets (tests/fuzz/fuzz_csv.c, fuzz_mtx.c), which
 * abort when it does not, and by the replay of their corpora in 'make
 * check' (tests/check_fuzz_text_replay.c).
 */
#ifndef PARDOT_TEXT_INVARIANTS_H
#define PARDOT_TEXT_INVARIANTS_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "codec/textfmt.h"

/*
 * After a parse: a success is a matrix whose every element can be read,
 * of a size the input could describe; a failure says why, in one line of
 * printable text, and leaves the matrix empty.
 */
static const char *
text_check_result(int r, const struct text_matrix *m,
    const struct text_error *err)
{
	size_t n;
	volatile uint64_t sink = 0;

	if (r != 0 && r != -1)
		return "returned neither 0 nor -1";
	if (r == -1) {
		if (m->v != NULL || m->rows != 0 || m->cols != 0)
			return "failed, but left a matrix";
		if (err->msg[0] == '\0')
			return "failed without a message";
		for (const char *p = err->msg; *p != '\0'; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				return "a control byte in the message";
		return NULL;
	}
	if (__builtin_mul_overflow(m->rows, m->cols, &n))
		return "a shape whose size overflows";
	if (m->is_int && m->is_complex)
		return "both int64 and complex";
	/* A complex value takes two slots, its real and imaginary parts. */
	if (m->is_complex && __builtin_mul_overflow(n, 2, &n))
		return "a complex shape whose size overflows";
	if (n > 0 && m->v == NULL)
		return "elements without storage";
	/*
	 * Touch the elements: AddressSanitizer checks the storage. A huge
	 * dense matrix of a few entries is legal: its ends are enough.
	 */
	for (size_t i = 0; i < n;
	    i = i < 4096 || i + 4096 >= n ? i + 1 : n - 4096)
		sink += m->is_int ? (uint64_t)m->v[i].i : m->v[i].d != 0;
	(void)sink;
	return NULL;
}

/* A copy without a terminator, so that reading past the end is caught. */
static const char *
text_check_parse(const unsigned char *data, size_t size, int which)
{
	char *buf = malloc(size > 0 ? size : 1);
	struct text_matrix m;
	struct text_error err;
	const char *why;
	int r;

	if (buf == NULL)
		return NULL;
	memcpy(buf, data, size);
	memset(&err, 0, sizeof(err));
	if (which == 'm')
		r = mtx_parse_within(buf, size, 64u << 20, &m, &err);
	else
		r = csv_parse(buf, size, which == 's' ?
		    csv_sniff_delimiter(buf, size) : (char)which, &m, &err);
	why = text_check_result(r, &m, &err);
	text_matrix_free(&m);
	free(buf);
	return why;
}

/* CSV with the delimiter sniffed, then with ',' ';' and blanks forced. */
static __attribute__((unused)) const char *
csv_check_invariants(const unsigned char *data, size_t size)
{
	static const int delims[] = { 's', ',', ';', ' ', '\t' };
	const char *why;

	for (size_t i = 0; i < sizeof(delims) / sizeof(delims[0]); i++)
		if ((why = text_check_parse(data, size, delims[i])) != NULL)
			return why;
	return NULL;
}

static __attribute__((unused)) const char *
mtx_check_invariants(const unsigned char *data, size_t size)
{
	return text_check_parse(data, size, 'm');
}

#endif
