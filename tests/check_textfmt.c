/*
 * Tests for the text formats: numbers, CSV and Matrix Market files as
 * NumPy, SciPy and people write them, a table of broken files with the line
 * each error must name, round trips through the writers, and every
 * truncation and random mutations of good files.
 *
 * Every buffer handed to a parser is a heap block of exactly its length,
 * with no NUL after it, so that a build with AddressSanitizer catches any
 * read past the end.
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "codec/textfmt.h"

#define LEN(a)		(sizeof(a) / sizeof((a)[0]))
#define MAXV		16

/* A copy of s, without its NUL, in a block of exactly its length. */
static char *
exact(const char *s, size_t *lenp)
{
	size_t n = strlen(s);
	char *b = malloc(n > 0 ? n : 1);

	ck_assert_ptr_nonnull(b);
	memcpy(b, s, n);
	*lenp = n;
	return b;
}

/* csv_parse of the len bytes at s, copied to a block of exactly that size. */
static void
parse_exact(const char *s, size_t len, char delim, struct text_matrix *m,
    struct text_error *err)
{
	char *b = malloc(len > 0 ? len : 1);

	ck_assert_ptr_nonnull(b);
	memcpy(b, s, len);
	ck_assert_msg(csv_parse(b, len, delim, m, err) == 0, "line %zu: %s",
	    err->line, err->msg);
	free(b);
}

/* ---- numbers ---------------------------------------------------------- */

static const struct {
	const char	*tok;
	int		 kind;		/* text_number's result */
	double		 d;
	int64_t		 i;
} numbers[] = {
	{ "0", 1, 0, 0 },
	{ "-17", 1, -17, -17 },
	{ "+5", 1, 5, 5 },
	{ "007", 1, 7, 7 },
	{ "9223372036854775807", 1, 9223372036854775807.0, INT64_MAX },
	{ "-9223372036854775808", 1, -9223372036854775808.0, INT64_MIN },
	{ "9223372036854775808", 0, 9223372036854775808.0, 0 },
	{ "1.5", 0, 1.5, 0 },
	{ ".5", 0, 0.5, 0 },
	{ "5.", 0, 5, 0 },
	{ "-2.5e-3", 0, -2.5e-3, 0 },
	{ "1E10", 0, 1e10, 0 },
	{ "1e+308", 0, 1e308, 0 },
	{ "1.000000000000000000e+00", 0, 1, 0 },
	{ "4.940656458412465442e-324", 0, 4.9406564584124654e-324, 0 },
	{ "inf", 0, INFINITY, 0 },
	{ "-Infinity", 0, -INFINITY, 0 },
	{ "+INF", 0, INFINITY, 0 },
	{ "1e999", 0, INFINITY, 0 },
	{ "", -1, 0, 0 },
	{ "-", -1, 0, 0 },
	{ ".", -1, 0, 0 },
	{ "e5", -1, 0, 0 },
	{ "1e", -1, 0, 0 },
	{ "1e+", -1, 0, 0 },
	{ "1.2.3", -1, 0, 0 },
	{ "0x10", -1, 0, 0 },
	{ "1,5", -1, 0, 0 },
	{ " 1", -1, 0, 0 },
	{ "1 ", -1, 0, 0 },
	{ "--1", -1, 0, 0 },
	{ "infinit", -1, 0, 0 },
	{ "nan(1)", -1, 0, 0 },
	{ "abc", -1, 0, 0 },
};

START_TEST(test_number)
{
	size_t n;
	char *b = exact(numbers[_i].tok, &n);
	int64_t i = 0;
	double d = 0;
	int r = text_number(b, n, &i, &d);

	ck_assert_msg(r == numbers[_i].kind, "'%s': %d", numbers[_i].tok, r);
	if (r >= 0)
		ck_assert_msg(d == numbers[_i].d, "'%s': %.17g", numbers[_i].tok,
		    d);
	if (r == 1)
		ck_assert_int_eq(i, numbers[_i].i);
	free(b);
}
END_TEST

START_TEST(test_number_nan)
{
	int64_t i;
	double d = 0;

	ck_assert_int_eq(text_number("nan", 3, &i, &d), 0);
	ck_assert(isnan(d));
	ck_assert_int_eq(text_number("-NaN", 4, &i, &d), 0);
	ck_assert(isnan(d) && signbit(d));
	ck_assert_int_eq(text_number("-0.0", 4, &i, &d), 0);
	ck_assert(d == 0 && signbit(d));
}
END_TEST

/* A token much longer than any number is refused, not overrun. */
START_TEST(test_number_long)
{
	size_t n = 5000;
	char *b = malloc(n);
	int64_t i;
	double d;

	ck_assert_ptr_nonnull(b);
	memset(b, '1', n);
	ck_assert_int_eq(text_number(b, n, &i, &d), -1);
	free(b);
}
END_TEST

/*
 * Complex numbers in the forms NumPy's loadtxt takes with dtype=complex,
 * and forms it refuses (checked against NumPy 1.24).
 */
static const struct {
	const char	*tok;
	int		 kind;		/* text_complex's result */
	double		 re, im;
} complexes[] = {
	{ "(1+2j)", 1, 1, 2 },
	{ "1+2j", 1, 1, 2 },
	{ "1-2j", 1, 1, -2 },
	{ "2j", 1, 0, 2 },
	{ "+2j", 1, 0, 2 },
	{ "-2j", 1, 0, -2 },
	{ "-1.5e-3+4e2j", 1, -1.5e-3, 4e2 },
	{ "1e+05+2e-03j", 1, 1e5, 2e-3 },
	{ "1E5-1E-5j", 1, 1e5, -1e-5 },
	{ "1e5j", 1, 0, 1e5 },
	{ "1.+2.j", 1, 1, 2 },
	{ ".5+.5j", 1, 0.5, 0.5 },
	{ "+1+2j", 1, 1, 2 },
	{ "1++2j", 1, 1, 2 },
	{ "1+-2j", 1, 1, -2 },
	{ "(-1-2j)", 1, -1, -2 },
	{ "( 1+2j )", 1, 1, 2 },
	{ "(\t2j\t)", 1, 0, 2 },
	{ "(1)", 1, 1, 0 },
	{ "( 3 )", 1, 3, 0 },
	{ "(inf)", 1, INFINITY, 0 },
	{ "(inf-infj)", 1, INFINITY, -INFINITY },
	{ "-inf+infj", 1, -INFINITY, INFINITY },
	{ "Infinity+1j", 1, INFINITY, 1 },
	{ "1+INFINITYj", 1, 1, INFINITY },
	{ "infj", 1, 0, INFINITY },
	{ "1+2e400j", 1, 1, INFINITY },
	{ "1e400+1j", 1, INFINITY, 1 },
	{ "1e-400-1e-400j", 1, 0, -0.0 },
	{ "(5.665615751722808957e-01+5.911897341980794085e-01j)", 1,
	    5.665615751722808957e-01, 5.911897341980794085e-01 },
	{ "0.1+0.2j", 1, 0.1, 0.2 },
	{ "3", 0, 3, 0 },
	{ "-2.5", 0, -2.5, 0 },
	{ "inf", 0, INFINITY, 0 },
	{ "-INF", 0, -INFINITY, 0 },
	{ "", -1, 0, 0 },
	{ "j", -1, 0, 0 },
	{ "1+j", -1, 0, 0 },
	{ "1-j", -1, 0, 0 },
	{ "(1+2j", -1, 0, 0 },
	{ "1+2j)", -1, 0, 0 },
	{ "((1))", -1, 0, 0 },
	{ "()", -1, 0, 0 },
	{ "( )", -1, 0, 0 },
	{ "(", -1, 0, 0 },
	{ ")", -1, 0, 0 },
	{ "1 + 2j", -1, 0, 0 },
	{ "1 +2j", -1, 0, 0 },
	{ " 1+2j", -1, 0, 0 },
	{ "1+2j ", -1, 0, 0 },
	{ "1+2J", -1, 0, 0 },
	{ "1+2i", -1, 0, 0 },
	{ "1--2j", -1, 0, 0 },
	{ "1-+2j", -1, 0, 0 },
	{ "--1j", -1, 0, 0 },
	{ "+-1j", -1, 0, 0 },
	{ "1+2jj", -1, 0, 0 },
	{ "1j+2", -1, 0, 0 },
	{ "1+2j+3j", -1, 0, 0 },
	{ "1+2ej", -1, 0, 0 },
	{ "1e+2e+j", -1, 0, 0 },
	{ "1ej", -1, 0, 0 },
	{ "1e5+.j", -1, 0, 0 },
	{ "-(1+2j)", -1, 0, 0 },
	{ "+(1+2j)", -1, 0, 0 },
	{ "(1+2j)(", -1, 0, 0 },
	{ "0x1+2j", -1, 0, 0 },
	{ "1+0x2j", -1, 0, 0 },
	{ "1_0+2j", -1, 0, 0 },
	{ "nan(1)+1j", -1, 0, 0 },
	{ "infinit+1j", -1, 0, 0 },
	{ "1,2j", -1, 0, 0 },
	{ "abc", -1, 0, 0 },
};

START_TEST(test_complex)
{
	size_t n;
	char *b = exact(complexes[_i].tok, &n);
	double re = 7, im = 7;
	int r = text_complex(b, n, &re, &im);

	ck_assert_msg(r == complexes[_i].kind, "'%s': %d", complexes[_i].tok,
	    r);
	if (r >= 0)
		ck_assert_msg(memcmp(&re, &complexes[_i].re, 8) == 0 &&
		    memcmp(&im, &complexes[_i].im, 8) == 0, "'%s': %.17g, "
		    "%.17g", complexes[_i].tok, re, im);
	free(b);
}
END_TEST

/* NaN parts, and the signs of zeros and NaNs, as each part is written. */
START_TEST(test_complex_signs)
{
	static const struct {
		const char	*tok;
		bool		 re_nan, im_nan, re_neg, im_neg;
	} cases[] = {
		{ "(nan+nanj)", true, true, false, false },
		{ "NaN-NaNj", true, true, false, true },
		{ "-nan+nanj", true, true, true, false },
		{ "nanj", false, true, false, false },
		{ "-nanj", false, true, false, true },
		{ "-0-0j", false, false, true, true },
		{ "(0-0j)", false, false, false, true },
		{ "-0.0+0j", false, false, true, false },
		{ "-0j", false, false, false, true },
	};
	double re, im;

	for (size_t k = 0; k < LEN(cases); k++) {
		ck_assert_int_eq(text_complex(cases[k].tok,
		    strlen(cases[k].tok), &re, &im), 1);
		ck_assert_msg(!!isnan(re) == cases[k].re_nan &&
		    !!isnan(im) == cases[k].im_nan &&
		    !!signbit(re) == cases[k].re_neg &&
		    !!signbit(im) == cases[k].im_neg, "'%s': %g, %g",
		    cases[k].tok, re, im);
		if (!cases[k].re_nan)
			ck_assert(re == 0);
		if (!cases[k].im_nan)
			ck_assert(im == 0);
	}
}
END_TEST

/*
 * Each part is rounded on its own, as strtod rounds a real: halfway
 * cases and the digits that savetxt prints for random doubles.
 */
START_TEST(test_complex_rounding)
{
	uint64_t x = 0x2545f4914f6cdd1dull;
	char tok[96];
	double want[2], re, im;

	for (int k = 0; k < 2000; k++) {
		for (int p = 0; p < 2; p++) {
			do {
				uint64_t bits;

				x ^= x << 13;
				x ^= x >> 7;
				x ^= x << 17;
				bits = x;
				memcpy(&want[p], &bits, 8);
			} while (isnan(want[p]));
		}
		snprintf(tok, sizeof(tok), k % 2 ? "(%.18e%+.18ej)" :
		    "%.17g%+.17gj", want[0], want[1]);
		ck_assert_int_eq(text_complex(tok, strlen(tok), &re, &im), 1);
		ck_assert_msg(memcmp(&re, &want[0], 8) == 0 &&
		    memcmp(&im, &want[1], 8) == 0, "'%s'", tok);
	}
	/* 2^53 + 1 is halfway: to even, 2^53; 2^53 + 3 goes up. */
	ck_assert_int_eq(text_complex("9007199254740993+9007199254740995j",
	    34, &re, &im), 1);
	ck_assert(re == 9007199254740992.0 && im == 9007199254740996.0);
}
END_TEST

/* A part much longer than any number is refused, not overrun. */
START_TEST(test_complex_long)
{
	size_t n = 5000;
	char *b = malloc(n);
	double re, im;

	ck_assert_ptr_nonnull(b);
	memset(b, '1', n);
	b[n - 1] = 'j';
	ck_assert_int_eq(text_complex(b, n, &re, &im), -1);
	b[0] = '(';
	b[n - 1] = ')';
	ck_assert_int_eq(text_complex(b, n, &re, &im), -1);
	free(b);
}
END_TEST

static const char *const good_fmts[] = {
	"%.18e", "%.17g", "%g", "%f", "%10.3f", "%-+ #012.5E", "%G", "x=%g%%",
	"%.0e", "%%%e",
};
static const char *const bad_fmts[] = {
	"", "%", "%d", "%s", "%n", "%g %g", "%.18Le", "%lf", "%*g", "%.*g",
	"%123g", "%.123g", "%g\n", "no conversion", "%%", "%e%",
	"%1$g", "%'g",
	"0123456789012345678901234567890123456789012345678901234567890123%g",
};

START_TEST(test_fmt)
{
	for (size_t k = 0; k < LEN(good_fmts); k++)
		ck_assert_msg(text_check_fmt(good_fmts[k]) == NULL, "'%s': %s",
		    good_fmts[k], text_check_fmt(good_fmts[k]));
	for (size_t k = 0; k < LEN(bad_fmts); k++)
		ck_assert_msg(text_check_fmt(bad_fmts[k]) != NULL,
		    "'%s' accepted", bad_fmts[k]);
}
END_TEST

/* ---- CSV --------------------------------------------------------------- */

static const struct {
	const char	*text;
	char		 delim;
	size_t		 rows, cols;
	bool		 is_int;
	double		 v[MAXV];
} csv_good[] = {
	{ "1,2,3\n4,5,6\n", ',', 2, 3, true, { 1, 2, 3, 4, 5, 6 } },
	{ "1,2,3\n4,5,6", ',', 2, 3, true, { 1, 2, 3, 4, 5, 6 } },
	{ "1.5,2\n3,4\n", ',', 2, 2, false, { 1.5, 2, 3, 4 } },
	{ "1,2\n3,4.0\n", ',', 2, 2, false, { 1, 2, 3, 4 } },
	{ "1.000000000000000000e+00 2.000000000000000000e+00\n", ' ', 1, 2,
	    false, { 1, 2 } },
	{ "  1 \t 2\t\t3  \n\n 4 5 6\n", ' ', 2, 3, true, { 1, 2, 3, 4, 5, 6 } },
	{ "1\t2\n3\t4\n", '\t', 2, 2, true, { 1, 2, 3, 4 } },
	{ " 1 , 2 \n 3 ,\t4\n", ',', 2, 2, true, { 1, 2, 3, 4 } },
	{ "1;2\r\n3;4\r\n", ';', 2, 2, true, { 1, 2, 3, 4 } },
	{ "# header\n1,2 # first\n\n   \n# 9,9\n3,4\n#", ',', 2, 2, true,
	    { 1, 2, 3, 4 } },
	{ "7\n8\n9\n", ',', 3, 1, true, { 7, 8, 9 } },
	{ "-inf,nan,inf\n", ',', 1, 3, false, { -INFINITY, NAN, INFINITY } },
	{ "0.1,-2e-3\n", ',', 1, 2, false, { 0.1, -2e-3 } },
	{ "1,-0\n", ',', 1, 2, false, { 1, -0.0 } },
	{ "5", ',', 1, 1, true, { 5 } },
};

static void
check_values(const struct text_matrix *m, const double *want, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		double got = m->is_int ? (double)m->v[k].i : m->v[k].d;

		if (isnan(want[k]))
			ck_assert_msg(isnan(got), "value %zu: %g", k, got);
		else
			ck_assert_msg(got == want[k], "value %zu: %.17g, want "
			    "%.17g", k, got, want[k]);
	}
}

START_TEST(test_csv_good)
{
	struct text_matrix m;
	struct text_error err;
	size_t n;
	char *b = exact(csv_good[_i].text, &n);

	ck_assert_msg(csv_parse(b, n, csv_good[_i].delim, &m, &err) == 0,
	    "case %d: line %zu: %s", _i, err.line, err.msg);
	ck_assert_uint_eq(m.rows, csv_good[_i].rows);
	ck_assert_uint_eq(m.cols, csv_good[_i].cols);
	ck_assert_int_eq(m.is_int, csv_good[_i].is_int);
	check_values(&m, csv_good[_i].v, m.rows * m.cols);
	text_matrix_free(&m);
	free(b);
}
END_TEST

/* int64's extremes are read exactly, and one past them makes floats. */
START_TEST(test_csv_int64)
{
	static const char ok[] = "9223372036854775807,-9223372036854775808\n"
	    "9007199254740993,-1\n";
	static const char past[] = "1,9223372036854775808\n";
	struct text_matrix m;
	struct text_error err;

	ck_assert_int_eq(csv_parse(ok, sizeof(ok) - 1, ',', &m, &err), 0);
	ck_assert(m.is_int);
	ck_assert_int_eq(m.v[0].i, INT64_MAX);
	ck_assert_int_eq(m.v[1].i, INT64_MIN);
	ck_assert_int_eq(m.v[2].i, INT64_C(9007199254740993));
	text_matrix_free(&m);
	ck_assert_int_eq(csv_parse(past, sizeof(past) - 1, ',', &m, &err), 0);
	ck_assert(!m.is_int);
	ck_assert(m.v[0].d == 1 && m.v[1].d == 9223372036854775808.0);
	text_matrix_free(&m);
}
END_TEST

/* Text with complex values: complex128, the real ones with imaginary 0. */
static const struct {
	const char	*text;
	char		 delim;
	size_t		 rows, cols;
	double		 v[MAXV];	/* pairs */
} csv_complex[] = {
	{ " (1+2j), (3-4j)\n (0.5-0j), (-1e3+0j)\n", ',', 2, 2,
	    { 1, 2, 3, -4, 0.5, -0.0, -1e3, 0 } },
	{ "1,2\n3,4j\n", ',', 2, 2, { 1, 0, 2, 0, 3, 0, 0, 4 } },
	{ "1.5 2j\n", ' ', 1, 2, { 1.5, 0, 0, 2 } },
	{ "9007199254740993\t1-1j\n", '\t', 1, 2,
	    { 9007199254740992.0, 0, 1, -1 } },
	{ "-0;(inf+nanj)\n", ';', 1, 2, { -0.0, 0, INFINITY, NAN } },
	{ "# c\n( 1+2j ) , 3\n", ',', 1, 2, { 1, 2, 3, 0 } },
	{ "(2)\n", ',', 1, 1, { 2, 0 } },
};

/*
 * A parsed complex128 matrix of rows x cols holds want, (Re, Im) pairs
 * bit for bit (a NaN as any NaN); frees it.
 */
static void
check_complex(struct text_matrix *m, size_t rows, size_t cols,
    const double *want, int c)
{
	ck_assert_uint_eq(m->rows, rows);
	ck_assert_uint_eq(m->cols, cols);
	ck_assert(m->is_complex && !m->is_int);
	ck_assert_int_eq(text_matrix_dtype(m), DTYPE_C128);
	for (size_t k = 0; k < 2 * m->rows * m->cols; k++)
		ck_assert_msg(isnan(want[k]) ? isnan(m->v[k].d) :
		    memcmp(&m->v[k].d, &want[k], 8) == 0, "case %d, slot %zu: "
		    "%.17g", c, k, m->v[k].d);
	text_matrix_free(m);
}

START_TEST(test_csv_complex)
{
	struct text_matrix m;
	struct text_error err;
	size_t n;
	char *b = exact(csv_complex[_i].text, &n);
	const double *want = csv_complex[_i].v;

	ck_assert_msg(csv_parse(b, n, csv_complex[_i].delim, &m, &err) == 0,
	    "case %d: line %zu: %s", _i, err.line, err.msg);
	check_complex(&m, csv_complex[_i].rows, csv_complex[_i].cols, want,
	    _i);
	free(b);
}
END_TEST

/* Many values before the first complex one: all are spread into pairs. */
START_TEST(test_csv_complex_late)
{
	size_t rows = 3000, len = 0;
	char *buf = NULL;
	FILE *f = open_memstream(&buf, &len);
	struct text_matrix m;
	struct text_error err;

	ck_assert_ptr_nonnull(f);
	for (size_t r = 0; r < rows; r++)
		fprintf(f, r + 1 < rows ? "%zu,%zu.5\n" : "%zu,1+%zuj\n", r,
		    r);
	ck_assert_int_eq(fclose(f), 0);
	parse_exact(buf, len, ',', &m, &err);
	ck_assert(m.is_complex);
	for (size_t r = 0; r < rows; r++) {
		const union text_value *v = m.v + 4 * r;

		ck_assert(v[0].d == (double)r && v[1].d == 0);
		if (r + 1 < rows)
			ck_assert(v[2].d == r + 0.5 && v[3].d == 0);
		else
			ck_assert(v[2].d == 1 && v[3].d == (double)r);
	}
	text_matrix_free(&m);
	free(buf);
}
END_TEST

static const struct {
	const char	*text;
	char		 delim;
	size_t		 line;
	const char	*msg;		/* a part of the message */
} csv_bad[] = {
	{ "", ',', 0, "no numbers" },
	{ "# only a comment\n\n", ',', 0, "no numbers" },
	{ "1,2\n3,x\n", ',', 2, "'x' is not a number (column 2)" },
	{ "1,2\n3,4,5\n", ',', 2, "3 values, but line 1 has 2" },
	{ "\n1,2\n3\n", ',', 3, "1 value, but line 2 has 2" },
	{ "1,,2\n", ',', 1, "empty field in column 2" },
	{ "1,2,\n", ',', 1, "empty field in column 3" },
	{ ",1\n", ',', 1, "empty field in column 1" },
	{ "1\t\t2\n", '\t', 1, "empty field in column 2" },
	{ "1 2\n", ',', 1, "'1 2' is not a number" },
	{ "1,2\n", ' ', 1, "'1,2' is not a number" },
	{ "\"1\",\"2\"\n", ',', 1, "'\"1\"' is not a number" },
	{ "1,0x1p3\n", ',', 1, "'0x1p3' is not a number" },
	{ "1,2\n\x93NUMPY\x01\x00", ',', 2, "not a number" },
	{ "1,2\n3,4\n5,\x01\n", ',', 3, "'?' is not a number" },
	{ "1,2\n", ';', 1, "'1,2' is not a number" },
	{ "1e,2\n", ',', 1, "'1e' is not a number" },
	{ "1,2j\n(1+2j,3\n", ',', 2, "'(1+2j' is not a number (column 1)" },
	{ "1,2j\n3,1+j\n", ',', 2, "'1+j' is not a number (column 2)" },
	{ "(1+2j) (3-4j)\n(1 + 2j)\n", ' ', 2, "'(1' is not a number "
	    "(column 1)" },
	{ "1+2i\n", ',', 1, "'1+2i' is not a number (column 1)" },
	{ "1--2j\n", ',', 1, "'1--2j' is not a number (column 1)" },
	{ "()\n", ',', 1, "'()' is not a number (column 1)" },
	{ "1,2j\n3\n", ',', 2, "1 value, but line 1 has 2" },
	{ "12345678901234567890123456789012345678901234567890x\n", ',', 1,
	    "'12345678901234567890123456789012345678901234...' is not" },
};

START_TEST(test_csv_bad)
{
	struct text_matrix m;
	struct text_error err;
	size_t n;
	char *b = exact(csv_bad[_i].text, &n);

	ck_assert_msg(csv_parse(b, n, csv_bad[_i].delim, &m, &err) == -1,
	    "case %d accepted", _i);
	ck_assert_msg(err.line == csv_bad[_i].line, "case %d: line %zu, want "
	    "%zu (%s)", _i, err.line, csv_bad[_i].line, err.msg);
	ck_assert_msg(strstr(err.msg, csv_bad[_i].msg) != NULL,
	    "case %d: '%s' lacks '%s'", _i, err.msg, csv_bad[_i].msg);
	ck_assert_ptr_null(m.v);
	free(b);
}
END_TEST

START_TEST(test_csv_nul)
{
	static const char t[] = "1,2\n3,4\n5\0,6\n";
	struct text_matrix m;
	struct text_error err;

	ck_assert_int_eq(csv_parse(t, sizeof(t) - 1, ',', &m, &err), -1);
	ck_assert_uint_eq(err.line, 3);
	ck_assert_str_eq(err.msg, "a NUL byte: binary data, not text");
}
END_TEST

START_TEST(test_csv_sniff)
{
	ck_assert_int_eq(csv_sniff_delimiter("1,2\n", 4), ',');
	ck_assert_int_eq(csv_sniff_delimiter("1 2\n3,4\n", 8), ' ');
	ck_assert_int_eq(csv_sniff_delimiter("# a,b\n1\t2\n", 10), ' ');
	ck_assert_int_eq(csv_sniff_delimiter("\n\n  1 , 2", 9), ',');
	ck_assert_int_eq(csv_sniff_delimiter("1 # x,y\n", 8), ' ');
	ck_assert_int_eq(csv_sniff_delimiter("", 0), ',');
	ck_assert_int_eq(csv_sniff_delimiter(NULL, 0), ',');
}
END_TEST

/* ---- Matrix Market ------------------------------------------------------- */

#define MM	"%%MatrixMarket matrix "

static const struct {
	const char	*text;
	size_t		 rows, cols;
	bool		 is_int;
	double		 v[MAXV];	/* row-major */
} mtx_good[] = {
	{ MM "array real general\n% a comment\n2 3\n1\n4\n2\n5\n3\n6\n",
	    2, 3, false, { 1, 2, 3, 4, 5, 6 } },
	{ MM "array integer general\n2 2\n1\n-2\n3\n4\n",
	    2, 2, true, { 1, 3, -2, 4 } },
	{ "%%matrixmarket MATRIX Array Real General\n1 1\n  2.5  \n",
	    1, 1, false, { 2.5 } },
	{ MM "array real symmetric\n3 3\n1\n2\n3\n4\n5\n6\n",
	    3, 3, false, { 1, 2, 3, 2, 4, 5, 3, 5, 6 } },
	{ MM "array integer skew-symmetric\n3 3\n1\n2\n3\n",
	    3, 3, true, { 0, -1, -2, 1, 0, -3, 2, 3, 0 } },
	{ MM "array real general\n0 4\n", 0, 4, false, { 0 } },
	{ MM "coordinate real general\n%\n2 3 3\n1 1 1.5\n2 3 -2\n1 2 4\n",
	    2, 3, false, { 1.5, 4, 0, 0, 0, -2 } },
	{ MM "coordinate integer general\n2 2 3\n1 1 1\n1 1 2\n2 2 5\n",
	    2, 2, true, { 3, 0, 0, 5 } },
	{ MM "coordinate real symmetric\n3 3 3\n1 1 1\n3 1 2\n3 2 3\n",
	    3, 3, false, { 1, 0, 2, 0, 0, 3, 2, 3, 0 } },
	{ MM "coordinate integer skew-symmetric\n2 2 1\n2 1 7\n",
	    2, 2, true, { 0, -7, 7, 0 } },
	{ MM "coordinate pattern general\n2 2 2\n1 2\n2 1\n",
	    2, 2, false, { 0, 1, 1, 0 } },
	{ MM "coordinate pattern symmetric\n2 2 2\n2 1\n2 1\n",
	    2, 2, false, { 0, 2, 2, 0 } },
	{ MM "coordinate real general\n3 2 0\n", 3, 2, false, { 0 } },
	{ MM "coordinate real general\r\n2 2 1\r\n\r\n2 2 1e3\r\n% end\r\n",
	    2, 2, false, { 0, 0, 0, 1000 } },
	{ MM "array real general\n1 2\n-0.0\n nan", 1, 2, false, { 0, NAN } },
};

START_TEST(test_mtx_good)
{
	struct text_matrix m;
	struct text_error err;
	size_t n;
	char *b = exact(mtx_good[_i].text, &n);

	ck_assert(mtx_has_banner(b, n));
	ck_assert_msg(mtx_parse(b, n, &m, &err) == 0, "case %d: line %zu: %s",
	    _i, err.line, err.msg);
	ck_assert_uint_eq(m.rows, mtx_good[_i].rows);
	ck_assert_uint_eq(m.cols, mtx_good[_i].cols);
	ck_assert_int_eq(m.is_int, mtx_good[_i].is_int);
	check_values(&m, mtx_good[_i].v, m.rows * m.cols);
	text_matrix_free(&m);
	free(b);
}
END_TEST

static const struct {
	const char	*text;
	size_t		 line;
	const char	*msg;
} mtx_bad[] = {
	{ "", 0, "empty" },
	{ "%%MatrixMarket\n", 1, "4 words" },
	{ "%%MatrixMarket matrix array real\n1 1\n1\n", 1, "4 words" },
	{ MM "array real general extra\n", 1, "4 words" },
	{ "%%MatrixMarket vector array real general\n", 1,
	    "object 'vector' is not supported" },
	{ MM "sparse real general\n", 1, "unknown format 'sparse'" },
	{ MM "coordinate pattern hermitian\n", 1,
	    "a hermitian matrix must have the field complex" },
	{ MM "array integer hermitian\n", 1, "field complex" },
	{ MM "array complex general\n1 1\n1\n", 3,
	    "expected RE IM, found 1 word" },
	{ MM "array complex general\n1 1\n1 2 3\n", 3,
	    "expected RE IM, found 3 words" },
	{ MM "coordinate complex general\n1 1 1\n1 1 1\n", 3,
	    "expected ROW COL RE IM, found 3 words" },
	{ MM "coordinate complex general\n1 1 1\n1 1 1 2 3\n", 3,
	    "expected ROW COL RE IM, found 5 words" },
	{ MM "array complex general\n1 1\n1 2j\n", 3, "'2j' is not a number" },
	{ MM "array complex general\n1 1\n(1+2j) 0\n", 3,
	    "'(1+2j)' is not a number" },
	{ MM "array complex general\n2 1\n1 2\nx 1\n", 4,
	    "'x' is not a number" },
	{ MM "array complex hermitian\n2 3\n", 2,
	    "a hermitian matrix must be square, not 2x3" },
	{ MM "array complex hermitian\n2 2\n1 0\n2 3\n4 0.5\n", 5,
	    "entry (2, 2) is on the diagonal of a hermitian matrix, which "
	    "must be real, but its imaginary part is 0.5" },
	{ MM "coordinate complex hermitian\n2 2 1\n1 1 1 nan\n", 3,
	    "imaginary part is nan" },
	{ MM "coordinate complex hermitian\n2 2 1\n1 2 1 1\n", 3,
	    "entry (1, 2) is above the diagonal, but a hermitian matrix" },
	{ MM "coordinate complex skew-symmetric\n2 2 1\n1 1 1 1\n", 3,
	    "on the diagonal of a skew-symmetric" },
	{ MM "array complex general\n2 2\n1 0\n2 0\n3 0\n", 5,
	    "ends after 3 of its 4 entries" },
	{ MM "array complex general\n4611686018427387904 2\n", 2,
	    "too large" },
	{ MM "array double general\n", 1, "unknown field 'double'" },
	{ MM "coordinate real hermitian\n", 1, "hermitian" },
	{ MM "array real lower\n", 1, "unknown symmetry 'lower'" },
	{ MM "array pattern general\n", 1, "coordinate format" },
	{ MM "coordinate pattern skew-symmetric\n", 1, "skew-symmetric" },
	{ MM "array real general\n% nothing else\n", 2, "no size line" },
	{ MM "array real general\n2\n", 2, "ROWS COLS, not 1" },
	{ MM "coordinate real general\n2 2\n", 2, "ROWS COLS ENTRIES, not 2" },
	{ MM "array real general\n2 x\n", 2, "column count 'x'" },
	{ MM "array real general\n-1 2\n", 2, "row count -1 is out of range" },
	{ MM "array real general\n4611686018427387905 1\n", 2,
	    "out of range" },
	{ MM "array real general\n4611686018427387904 4611686018427387904\n", 2,
	    "too large" },
	{ MM "array real symmetric\n2 3\n", 2, "must be square, not 2x3" },
	{ MM "array real general\n2 1\n1\n", 3, "ends after 1 of its 2" },
	{ MM "array real general\n1 1\n1\n2\n", 4,
	    "more entries than the 1" },
	{ MM "array real general\n1 2\n1 2\n", 3, "expected one value, found 2" },
	{ MM "array integer general\n1 1\n1.5\n", 3, "'1.5' is not an integer" },
	{ MM "array integer general\n1 1\n9223372036854775808\n", 3,
	    "not an integer that fits int64" },
	{ MM "array real general\n1 1\nabc\n", 3, "'abc' is not a number" },
	{ MM "coordinate real general\n2 2 1\n1 1\n", 3,
	    "expected ROW COL VALUE, found 2 words" },
	{ MM "coordinate pattern general\n2 2 1\n1 1 1\n", 3,
	    "expected ROW COL, found 3" },
	{ MM "coordinate real general\n2 2 1\n0 1 1\n", 3,
	    "row 0 is out of range (1 to 2)" },
	{ MM "coordinate real general\n2 2 1\n1 3 1\n", 3,
	    "column 3 is out of range (1 to 2)" },
	{ MM "coordinate real general\n2 2 1\n1.0 1 1\n", 3,
	    "row '1.0' is not a whole number" },
	{ MM "coordinate real symmetric\n2 2 1\n1 2 1\n", 3,
	    "entry (1, 2) is above the diagonal" },
	{ MM "coordinate real skew-symmetric\n2 2 1\n2 2 1\n", 3,
	    "on the diagonal" },
	{ MM "coordinate integer general\n1 1 2\n1 1 9223372036854775807\n"
	    "1 1 1\n", 4, "the value at (1, 1) overflows int64" },
	{ MM "coordinate integer skew-symmetric\n2 2 1\n"
	    "2 1 -9223372036854775808\n", 3, "overflows int64" },
	{ MM "coordinate real general\n2 2 1\n1 1 1\n1 1 1\n", 4,
	    "more entries than the 1" },
};

/* Complex fields: pairs (real, imaginary) in row-major order. */
static const struct {
	const char	*text;
	size_t		 rows, cols;
	double		 v[2 * 9];
} mtx_complex[] = {
	{ MM "array complex general\n2 2\n1 2\n3 4\n5 6\n7 8\n", 2, 2,
	    { 1, 2, 5, 6, 3, 4, 7, 8 } },
	{ MM "array complex general\n1 2\n-0.0 nan\n inf  -inf \n", 1, 2,
	    { -0.0, NAN, INFINITY, -INFINITY } },
	{ MM "array complex symmetric\n2 2\n1 1\n2 3\n4 -1\n", 2, 2,
	    { 1, 1, 2, 3, 2, 3, 4, -1 } },
	{ MM "array complex hermitian\n2 2\n1 0\n2 3\n4 -0\n", 2, 2,
	    { 1, 0, 2, -3, 2, 3, 4, -0.0 } },
	{ MM "array complex skew-symmetric\n3 3\n1 1\n2 2\n3 -3\n", 3, 3,
	    { 0, 0, -1, -1, -2, -2, 1, 1, 0, 0, -3, 3, 2, 2, 3, -3, 0, 0 } },
	{ MM "coordinate complex general\n2 3 3\n1 1 1.5 -1\n2 3 0 2\n"
	    "1 1 0.5 0.25\n", 2, 3, { 2, -0.75, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2 } },
	{ MM "coordinate complex hermitian\n3 3 4\n1 1 2 0\n2 1 1 1\n"
	    "3 2 0 -2\n3 3 5 -0\n", 3, 3,
	    { 2, 0, 1, -1, 0, 0, 1, 1, 0, 0, 0, 2, 0, 0, 0, -2, 5, 0 } },
	{ MM "coordinate complex skew-symmetric\n2 2 1\n2 1 1 -2\n", 2, 2,
	    { 0, 0, -1, 2, 1, -2, 0, 0 } },
	{ MM "coordinate complex symmetric\n2 2 2\n2 1 1 -2\n2 1 1 1\n", 2,
	    2, { 0, 0, 2, -1, 2, -1, 0, 0 } },
	{ MM "coordinate complex general\n2 2 0\n", 2, 2, { 0 } },
	{ MM "array complex general\n0 3\n", 0, 3, { 0 } },
};

START_TEST(test_mtx_complex)
{
	struct text_matrix m;
	struct text_error err;
	size_t n;
	char *b = exact(mtx_complex[_i].text, &n);
	const double *want = mtx_complex[_i].v;

	ck_assert_msg(mtx_parse(b, n, &m, &err) == 0, "case %d: line %zu: %s",
	    _i, err.line, err.msg);
	check_complex(&m, mtx_complex[_i].rows, mtx_complex[_i].cols, want,
	    _i);
	free(b);
}
END_TEST

START_TEST(test_mtx_bad)
{
	struct text_matrix m;
	struct text_error err;
	size_t n;
	char *b = exact(mtx_bad[_i].text, &n);

	ck_assert_msg(mtx_parse(b, n, &m, &err) == -1, "case %d accepted", _i);
	ck_assert_msg(err.line == mtx_bad[_i].line, "case %d: line %zu, want "
	    "%zu (%s)", _i, err.line, mtx_bad[_i].line, err.msg);
	ck_assert_msg(strstr(err.msg, mtx_bad[_i].msg) != NULL,
	    "case %d: '%s' lacks '%s'", _i, err.msg, mtx_bad[_i].msg);
	ck_assert_ptr_null(m.v);
	free(b);
}
END_TEST

START_TEST(test_mtx_banner)
{
	ck_assert(mtx_has_banner("%%MatrixMarket", 14));
	ck_assert(mtx_has_banner("%%MATRIXMARKET matrix", 21));
	ck_assert(!mtx_has_banner("%%MatrixMarke", 13));
	ck_assert(!mtx_has_banner(" %%MatrixMarket", 15));
	ck_assert(!mtx_has_banner("", 0));
}
END_TEST

START_TEST(test_mtx_nul)
{
	static const char t[] = MM "array real general\n1 1\n1\0\n";
	struct text_matrix m;
	struct text_error err;

	ck_assert_int_eq(mtx_parse(t, sizeof(t) - 1, &m, &err), -1);
	ck_assert_uint_eq(err.line, 3);
	ck_assert_str_eq(err.msg, "a NUL byte: binary data, not text");
}
END_TEST

/* ---- writers: round trips ---------------------------------------------- */

/* Marsaglia's xorshift64: enough randomness for tests, the same each run. */
static uint64_t
xorshift(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

static const double awkward[16] = {
	0.0, -0.0, 1.0, -1.5, 0.1, 1.0 / 3, DBL_MAX, -DBL_MAX, DBL_MIN,
	4.9406564584124654e-324, 1e300, -1e-300, INFINITY, -INFINITY,
	123456789.123456789, 2.0 / 3,
};

/* Writes rows x cols doubles (row-major) as CSV, or as Matrix Market. */
static char *
write_f64(const double *v, size_t rows, size_t cols, bool mtx, char delim,
    const char *fmt, size_t *len)
{
	double col[MAXV];
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	ck_assert_ptr_nonnull(f);
	if (mtx)
		mtx_write_header(f, rows, cols, DTYPE_F64);
	for (size_t j = 0; mtx && j < cols; j++) {
		for (size_t i = 0; i < rows; i++)
			col[i] = v[i * cols + j];
		mtx_write_column(f, col, rows, DTYPE_F64, fmt);
	}
	for (size_t i = 0; !mtx && i < rows; i++)
		csv_write_row(f, v + i * cols, cols, DTYPE_F64, delim, fmt);
	ck_assert_int_eq(fclose(f), 0);
	return buf;
}

static void
parse_back(const char *text, size_t len, bool mtx, char delim,
    struct text_matrix *m)
{
	struct text_error err;
	size_t n = len;
	char *b = malloc(n > 0 ? n : 1);

	ck_assert_ptr_nonnull(b);
	memcpy(b, text, n);
	ck_assert_msg((mtx ? mtx_parse(b, n, m, &err) :
	    csv_parse(b, n, delim, m, &err)) == 0, "line %zu: %s\n%s",
	    err.line, err.msg, text);
	free(b);
}

/* Every combination of format, delimiter and float format, bit for bit. */
START_TEST(test_round_trip_f64)
{
	static const char delims[] = { ',', ' ', '\t', ';' };
	static const char *const fmts[] = { TEXT_DEFAULT_FMT, "%.17g" };
	bool mtx = _i % 2;
	char delim = delims[_i / 2 % 4];
	const char *fmt = fmts[_i / 8];
	struct text_matrix m;
	size_t len;
	char *text = write_f64(awkward, 4, 4, mtx, delim, fmt, &len);

	parse_back(text, len, mtx, delim, &m);
	ck_assert_uint_eq(m.rows, 4);
	ck_assert_uint_eq(m.cols, 4);
	ck_assert(!m.is_int);
	for (size_t k = 0; k < 16; k++)
		ck_assert_msg(memcmp(&m.v[k].d, &awkward[k], 8) == 0,
		    "%zu: %.17g became %.17g", k, awkward[k], m.v[k].d);
	text_matrix_free(&m);
	free(text);
}
END_TEST

/* Random bit patterns (NaNs aside) survive the default format. */
START_TEST(test_round_trip_random)
{
	uint64_t x = 0x9e3779b97f4a7c15ull * (uint64_t)(_i + 1);
	double v[MAXV];
	struct text_matrix m;
	size_t len;
	char *text;

	for (size_t k = 0; k < MAXV; k++) {
		do {
			uint64_t bits = xorshift(&x);

			memcpy(&v[k], &bits, 8);
		} while (isnan(v[k]));
	}
	text = write_f64(v, 2, 8, _i % 2, ',', TEXT_DEFAULT_FMT, &len);
	parse_back(text, len, _i % 2, ',', &m);
	for (size_t k = 0; k < MAXV; k++)
		ck_assert_msg(memcmp(&m.v[k].d, &v[k], 8) == 0, "%.17g became "
		    "%.17g", v[k], m.v[k].d);
	text_matrix_free(&m);
	free(text);
}
END_TEST

/* Integers print as integers and read back exactly, as int64. */
START_TEST(test_round_trip_int)
{
	static const int64_t i8[6] = { INT64_MIN, INT64_MAX, 0, -1,
	    INT64_C(9007199254740993), 42 };
	static const int32_t i4[6] = { INT32_MIN, INT32_MAX, 0, -1, 7, -7 };
	bool mtx = _i % 2, wide = _i / 2;
	const void *v = wide ? (const void *)i8 : (const void *)i4;
	enum dtype t = wide ? DTYPE_I64 : DTYPE_I32;
	struct text_matrix m;
	char *buf = NULL;
	size_t len;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(f);
	if (mtx) {
		mtx_write_header(f, 6, 1, t);
		mtx_write_column(f, v, 6, t, "%g");
	} else {
		csv_write_row(f, v, 6, t, ',', "%g");
	}
	ck_assert_int_eq(fclose(f), 0);
	parse_back(buf, len, mtx, ',', &m);
	ck_assert(m.is_int);
	ck_assert_uint_eq(m.rows * m.cols, 6);
	for (size_t k = 0; k < 6; k++)
		ck_assert_int_eq(m.v[k].i, wide ? i8[k] : i4[k]);
	text_matrix_free(&m);
	free(buf);
}
END_TEST

/*
 * Complex values through every format, delimiter and float format, bit
 * for bit: complex128 as written, complex64 after each part read back as
 * a double is rounded to float. The matrix is 2x4, of the awkward parts.
 */
START_TEST(test_round_trip_complex)
{
	static const char delims[] = { ',', ' ', '\t', ';' };
	static const char *const fmts[] = { TEXT_DEFAULT_FMT, "%.17g", "%g" };
	bool mtx = _i % 2, single = _i / 2 % 2;
	char delim = delims[_i / 4 % 4];
	const char *fmt = fmts[_i / 16];
	enum dtype t = single ? DTYPE_C64 : DTYPE_C128;
	size_t sz = single ? 8 : 16, len;
	unsigned char v[8 * 16], col[2 * 16];
	char *buf = NULL;
	FILE *f = open_memstream(&buf, &len);
	struct text_matrix m;

	for (size_t k = 0; k < 16; k++) {
		float x = (float)awkward[k];

		if (single)
			memcpy(v + 4 * k, &x, 4);
		else
			memcpy(v + 8 * k, &awkward[k], 8);
	}
	/* %g keeps 6 digits: only values that it writes exactly. */
	if (_i / 16 == 2)
		for (size_t k = 0; k < 16; k++) {
			double d = (double)(k % 7) - 2.5;
			float x = (float)d;

			memcpy(v + (single ? 4 : 8) * k, single ? (void *)&x :
			    (void *)&d, single ? 4 : 8);
		}
	ck_assert_ptr_nonnull(f);
	if (mtx)
		mtx_write_header(f, 2, 4, t);
	for (size_t j = 0; mtx && j < 4; j++) {
		memcpy(col, v + j * sz, sz);
		memcpy(col + sz, v + (4 + j) * sz, sz);
		mtx_write_column(f, col, 2, t, fmt);
	}
	for (size_t i = 0; !mtx && i < 2; i++)
		csv_write_row(f, v + 4 * i * sz, 4, t, delim, fmt);
	ck_assert_int_eq(fclose(f), 0);
	parse_back(buf, len, mtx, delim, &m);
	ck_assert_uint_eq(m.rows, 2);
	ck_assert_uint_eq(m.cols, 4);
	ck_assert(m.is_complex);
	for (size_t k = 0; k < 16; k++) {
		float x = (float)m.v[k].d;

		ck_assert_msg(single ? memcmp(&x, v + 4 * k, 4) == 0 :
		    memcmp(&m.v[k].d, v + 8 * k, 8) == 0, "part %zu: %.17g\n%s",
		    k, m.v[k].d, buf);
	}
	text_matrix_free(&m);
	free(buf);
}
END_TEST

/* What savetxt writes, and the header that SciPy's mmwrite gives. */
START_TEST(test_writer_bytes)
{
	const double d[2] = { 0.5, -3 };
	const float s[2] = { 0.1f, 2 };
	char *buf = NULL;
	size_t len;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(f);
	csv_write_row(f, d, 2, DTYPE_F64, ',', TEXT_DEFAULT_FMT);
	csv_write_row(f, s, 2, DTYPE_F32, ' ', TEXT_DEFAULT_FMT);
	mtx_write_header(f, 2, 1, DTYPE_F64);
	mtx_write_column(f, d, 2, DTYPE_F64, "%.17g");
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_str_eq(buf,
	    "5.000000000000000000e-01,-3.000000000000000000e+00\n"
	    "1.000000014901161194e-01 2.000000000000000000e+00\n"
	    "%%MatrixMarket matrix array real general\n2 1\n0.5\n-3\n");
	free(buf);
}
END_TEST

/*
 * The new types as savetxt writes them: bools as the floats 0 and 1,
 * complex values as " (RE+IMj)" with "+-" made "-"; unsigned integers
 * exactly; float16 exactly at the default precision. Matrix Market: bool
 * as an integer field, complex as its two parts.
 */
START_TEST(test_writer_types)
{
	const uint8_t b[2] = { 1, 0 };
	const double z[4] = { 1, 2, 3, -4 };
	const float c[2] = { 0.5f, -0.0f };
	const uint64_t u[2] = { UINT64_MAX, 7 };
	const int8_t i1[2] = { -128, 127 };
	const uint16_t h[2] = { 0x3c00, 0x2e66 };	/* 1 and 0.0999755859375 */
	char *buf = NULL;
	size_t len;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(f);
	csv_write_row(f, b, 2, DTYPE_BOOL, ',', TEXT_DEFAULT_FMT);
	csv_write_row(f, z, 2, DTYPE_C128, ',', "%g");
	csv_write_row(f, c, 1, DTYPE_C64, ',', "%g");
	csv_write_row(f, u, 2, DTYPE_U64, ',', "%g");
	csv_write_row(f, i1, 2, DTYPE_I8, ',', "%g");
	csv_write_row(f, h, 2, DTYPE_F16, ',', TEXT_DEFAULT_FMT);
	mtx_write_header(f, 2, 1, DTYPE_BOOL);
	mtx_write_column(f, b, 2, DTYPE_BOOL, "%g");
	mtx_write_header(f, 2, 1, DTYPE_C128);
	mtx_write_column(f, z, 2, DTYPE_C128, "%g");
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_str_eq(buf,
	    "1.000000000000000000e+00,0.000000000000000000e+00\n"
	    " (1+2j), (3-4j)\n"
	    " (0.5-0j)\n"
	    "18446744073709551615,7\n"
	    "-128,127\n"
	    "1.000000000000000000e+00,9.997558593750000000e-02\n"
	    "%%MatrixMarket matrix array integer general\n2 1\n1\n0\n"
	    "%%MatrixMarket matrix array complex general\n2 1\n1 2\n3 -4\n");
	free(buf);
}
END_TEST

/* ---- truncations and mutations ---------------------------------------------- */

static const char *const seeds[] = {
	"# x\n1.5,2,3\n4,5e3,-6\n7,8,nan\n",
	"1 2 3\n\t4 5 6 # c\n",
	MM "array real symmetric\n% c\n3 3\n1\n2\n3\n4\n5\n6\n",
	MM "coordinate integer general\n3 3 4\n1 1 5\n3 2 -1\n1 1 2\n2 3 9\n",
	MM "coordinate pattern symmetric\n3 3 2\n2 1\n3 3\n",
	MM "array integer skew-symmetric\n3 3\n1\n2\n3\n",
	" (1.5+2j), (-3-4e-2j)\n(nan-infj), 7\n",
	MM "coordinate complex hermitian\n3 3 3\n1 1 1 0\n3 1 2 -1\n"
	    "3 2 1.5 2\n",
	MM "array complex skew-symmetric\n3 3\n1 2\n3 4\n5 6\n",
};

/* Parses b either way; a success must hold rows x cols values. */
static void
parse_any(const char *b, size_t n, bool mtx)
{
	struct text_matrix m;
	struct text_error err;
	volatile double sink = 0;

	if ((mtx ? mtx_parse(b, n, &m, &err) : csv_parse(b, n, ',', &m,
	    &err)) == 0) {
		/* A complex value takes two slots: all must be there. */
		for (size_t k = 0; k < m.rows * m.cols *
		    (m.is_complex ? 2 : 1); k++)
			sink += m.v[k].d;
		text_matrix_free(&m);
	} else {
		ck_assert(strlen(err.msg) > 0);
	}
	(void)sink;
}

START_TEST(test_truncated)
{
	const char *s = seeds[_i];
	size_t len = strlen(s);

	for (size_t n = 0; n <= len; n++) {
		char *b = malloc(n > 0 ? n : 1);

		ck_assert_ptr_nonnull(b);
		memcpy(b, s, n);
		parse_any(n > 0 ? b : NULL, n, strncmp(s, MM, 4) == 0);
		free(b);
	}
}
END_TEST

START_TEST(test_fuzz)
{
	static const char alphabet[] = "0123456789.-+eE, \t\n\r#%nai()j\0";
	const char *s = seeds[_i % LEN(seeds)];
	size_t len = strlen(s);
	uint64_t x = 88172645463325252ull + (uint64_t)_i;

	for (int round = 0; round < 3000; round++) {
		char *b = malloc(len);

		ck_assert_ptr_nonnull(b);
		memcpy(b, s, len);
		for (int k = 0; k < 1 + round % 4; k++) {
			uint64_t r = xorshift(&x);

			/* Half the time a byte that numbers are made of. */
			b[r % len] = r >> 40 & 1 ? (char)(r >> 48) :
			    alphabet[(r >> 32) % (sizeof(alphabet) - 1)];
		}
		parse_any(b, len, round % 2);
		free(b);
	}
}
END_TEST

static Suite *
textfmt_suite(void)
{
	Suite *s = suite_create("textfmt");
	TCase *tc;

	tc = tcase_create("Numbers");
	tcase_add_loop_test(tc, test_number, 0, (int)LEN(numbers));
	tcase_add_test(tc, test_number_nan);
	tcase_add_test(tc, test_number_long);
	tcase_add_loop_test(tc, test_complex, 0, (int)LEN(complexes));
	tcase_add_test(tc, test_complex_signs);
	tcase_add_test(tc, test_complex_rounding);
	tcase_add_test(tc, test_complex_long);
	tcase_add_test(tc, test_fmt);
	suite_add_tcase(s, tc);

	tc = tcase_create("CSV");
	tcase_add_loop_test(tc, test_csv_good, 0, (int)LEN(csv_good));
	tcase_add_test(tc, test_csv_int64);
	tcase_add_loop_test(tc, test_csv_complex, 0, (int)LEN(csv_complex));
	tcase_add_test(tc, test_csv_complex_late);
	tcase_add_loop_test(tc, test_csv_bad, 0, (int)LEN(csv_bad));
	tcase_add_test(tc, test_csv_nul);
	tcase_add_test(tc, test_csv_sniff);
	suite_add_tcase(s, tc);

	tc = tcase_create("MatrixMarket");
	tcase_add_loop_test(tc, test_mtx_good, 0, (int)LEN(mtx_good));
	tcase_add_loop_test(tc, test_mtx_complex, 0, (int)LEN(mtx_complex));
	tcase_add_loop_test(tc, test_mtx_bad, 0, (int)LEN(mtx_bad));
	tcase_add_test(tc, test_mtx_nul);
	tcase_add_test(tc, test_mtx_banner);
	suite_add_tcase(s, tc);

	tc = tcase_create("Write");
	tcase_add_loop_test(tc, test_round_trip_f64, 0, 16);
	tcase_add_loop_test(tc, test_round_trip_random, 0, 32);
	tcase_add_loop_test(tc, test_round_trip_int, 0, 4);
	tcase_add_loop_test(tc, test_round_trip_complex, 0, 48);
	tcase_add_test(tc, test_writer_bytes);
	tcase_add_test(tc, test_writer_types);
	suite_add_tcase(s, tc);

	tc = tcase_create("Fuzz");
	tcase_add_loop_test(tc, test_truncated, 0, (int)LEN(seeds));
	tcase_add_loop_test(tc, test_fuzz, 0, 12);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(textfmt_suite());
}
