/*
 * Numbers in text, real and complex, as NumPy's loadtxt reads them: the
 * grammar is checked here, and strtod, which rounds correctly, only
 * converts what the grammar has passed.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "codec/textfmt.h"

/* Longer parts are refused rather than copied to the heap for strtod. */
#define NUMBER_MAX	400

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Case-insensitive: do the n bytes at s start with word? */
static bool
starts(const char *s, size_t n, const char *word)
{
	size_t k = strlen(word);

	return n >= k && strncasecmp(s, word, k) == 0;
}

/* The length of the word inf, infinity or nan that s starts with, or 0. */
static size_t
special_length(const char *s, size_t n)
{
	if (starts(s, n, "infinity"))
		return 8;
	if (starts(s, n, "inf") || starts(s, n, "nan"))
		return 3;
	return 0;
}

/*
 * The grammar alone, so that strtod never decides what a number is: it
 * would also take hexadecimal, "nan(...)" and leading blanks. Returns the
 * length of the longest prefix that is a number and sets *integral, or 0.
 * A complex number is read as the numbers its parts start with.
 */
static size_t
number_syntax(const char *s, size_t n, bool *integral)
{
	size_t k = 0, digits = 0, w;

	*integral = false;
	if (n > 0 && (s[0] == '+' || s[0] == '-'))
		k++;
	if ((w = special_length(s + k, n - k)) > 0)
		return k + w;
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
	/* "1e" followed by no digit can start no number that goes on. */
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

/* s[0..n), which the grammar has passed, as the nearest double. */
static int
to_double(const char *s, size_t n, double *d)
{
	char buf[NUMBER_MAX + 1];

	if (n > NUMBER_MAX)
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	/* Overflow gives inf, as Python's float() does; underflow gives 0. */
	*d = strtod(buf, NULL);
	return 0;
}

int
text_number(const char *s, size_t n, int64_t *i, double *d)
{
	char buf[NUMBER_MAX + 1];
	bool integral;
	long long v;

	if (n == 0 || number_syntax(s, n, &integral) != n ||
	    to_double(s, n, d) == -1)
		return -1;
	if (!integral)
		return 0;
	memcpy(buf, s, n);
	buf[n] = '\0';
	errno = 0;
	v = strtoll(buf, NULL, 10);
	if (errno == ERANGE)
		return 0;
	*i = v;
	return 1;
}

/*
 * The inside of a complex number, blanks trimmed: RE, IMj, or RE then
 * '+' or '-' and IMj. After a '+' the imaginary part may have a sign of
 * its own ("1+-2j"); a '-' is its sign ("1-2j", not "1--2j"): so
 * loadtxt reads them.
 */
static int
complex_body(const char *s, size_t n, double *re, double *im)
{
	size_t k, at, w;
	bool integral;

	if ((k = number_syntax(s, n, &integral)) == 0)
		return -1;
	if (k == n) {
		*im = 0;
		return to_double(s, k, re);
	}
	if (s[k] == 'j' && k + 1 == n) {
		*re = 0;
		return to_double(s, k, im);
	}
	if (s[k] != '+' && s[k] != '-')
		return -1;
	at = s[k] == '+' ? k + 1 : k;
	if ((w = number_syntax(s + at, n - at, &integral)) == 0 ||
	    at + w + 1 != n || s[at + w] != 'j')
		return -1;
	if (to_double(s, k, re) == -1)
		return -1;
	return to_double(s + at, w, im);
}

int
text_complex(const char *s, size_t n, double *re, double *im)
{
	bool parens = n >= 2 && s[0] == '(' && s[n - 1] == ')';
	int64_t i;

	if (!parens && text_number(s, n, &i, re) != -1) {
		*im = 0;
		return 0;
	}
	if (parens) {
		s++;
		n -= 2;
		/* Blanks are allowed inside the parentheses, as in Python. */
		while (n > 0 && is_blank(s[0])) {
			s++;
			n--;
		}
		while (n > 0 && is_blank(s[n - 1]))
			n--;
	}
	return complex_body(s, n, re, im) == -1 ? -1 : 1;
}
