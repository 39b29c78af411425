/*
 * Text formats: CSV (and TSV, and whitespace-separated columns) as NumPy's
 * savetxt writes and loadtxt reads them, and Matrix Market files, the format
 * of the public sparse matrix collections.
 *
 * The parsers are pure functions of a byte buffer, which need not end in a
 * newline or a NUL: no I/O, and no allocation beyond the matrix they return,
 * so that a test can hand them any bytes. An error names the line at fault.
 * The writers print to a stdio stream and leave its error state to the
 * caller, who checks it once at the end.
 */
#ifndef PARDOT_TEXTFMT_H
#define PARDOT_TEXTFMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/matrix.h"

#define TEXT_ERRLEN		160
/* savetxt's default: 19 significant digits, enough for any float64. */
#define TEXT_DEFAULT_FMT	"%.18e"

struct text_error {
	size_t	 line;		/* from 1; 0 for the whole file */
	char	 msg[TEXT_ERRLEN];
};

/* One value read: an integer when the whole matrix is, else a double. */
union text_value {
	int64_t	 i;
	double	 d;
};

/*
 * A matrix read from text: rows x cols values, row after row. A complex
 * value takes two slots, its real part then its imaginary part, which is
 * how a complex128 lies in memory.
 */
struct text_matrix {
	size_t			 rows, cols;
	bool			 is_int;	/* v[].i */
	bool			 is_complex;	/* pairs of v[].d */
	union text_value	*v;		/* NULL if there are none */
};

void		 text_matrix_free(struct text_matrix *m);
/* int64, float64 or complex128: what the values of m are. */
enum dtype	 text_matrix_dtype(const struct text_matrix *m);
/* m as a read-only view of that type, for the packing code. */
struct matrix	 text_matrix_view(const struct text_matrix *m);

/*
 * CSV: one row per line, values separated by delim; ' ' stands for any run
 * of spaces and tabs, as loadtxt's delimiter=None. Blanks around a value are
 * ignored, '#' starts a comment that runs to the end of the line, and lines
 * with nothing else are skipped. Every row must have as many values as the
 * first. A value is a real number or a complex one (text_complex). The
 * matrix is complex128 when any value is written as a complex number, else
 * int64 when every value is written as an integer that fits, else float64.
 * Returns 0, or -1 with err filled in and m empty.
 */
int		 csv_parse(const char *buf, size_t len, char delim,
		    struct text_matrix *m, struct text_error *err);
/* ',' when the first line with data holds a comma, else ' '. */
char		 csv_sniff_delimiter(const char *buf, size_t len);

/* True when buf starts with the banner "%%MatrixMarket". */
bool		 mtx_has_banner(const void *buf, size_t len);
/*
 * Matrix Market "matrix" files, array or coordinate, of field real,
 * integer, complex (two numbers an entry) or pattern (values 1), general,
 * symmetric, skew-symmetric or (complex only) hermitian. A coordinate
 * matrix becomes dense: absent entries are 0, duplicates are summed and
 * the stored triangle of a symmetric matrix is mirrored (negated when
 * skew, conjugated when hermitian, whose diagonal must be real). An
 * integer field gives int64, complex complex128, the others float64.
 */
int		 mtx_parse(const char *buf, size_t len,
		    struct text_matrix *m, struct text_error *err);
/* The same, refusing a dense matrix of more than max_bytes. */
int		 mtx_parse_within(const char *buf, size_t len,
		    size_t max_bytes, struct text_matrix *m,
		    struct text_error *err);

/*
 * What the two parsers share. text_number reads the whole token s[0..n): a
 * decimal number with an optional sign, fraction and exponent, or inf,
 * infinity or nan in any case. Returns -1 if it is not one; else 1 when it
 * is written as an integer that fits int64, in *i, and 0 otherwise; *d gets
 * the value as a double either way, correctly rounded.
 */
int		 text_number(const char *s, size_t n, int64_t *i, double *d);
/*
 * The whole token s[0..n) as a complex number, in the forms NumPy's
 * loadtxt reads with dtype=complex: RE, IMj, RE+IMj or RE-IMj, where RE
 * and IM are numbers as text_number reads them, each part rounded on its
 * own; optionally in parentheses, with blanks inside them. Returns -1 if
 * it is not one; else 1 when it is written as a complex number (with a j
 * or parentheses), 0 for a plain real one; *re and *im get the parts.
 */
int		 text_complex(const char *s, size_t n, double *re, double *im);
/*
 * Fills err: the line, then the message; a token quoted in it is cut short
 * and stripped of control characters by text_token. Returns -1.
 */
int		 text_fail(struct text_error *err, size_t line,
		    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
const char	*text_token(char *buf, size_t cap, const char *s, size_t n);

/* Line by line through a buffer, counting lines for messages. */
struct text_cursor {
	const char	*p, *end;
	size_t		 line;		/* of the last line given */
};
/*
 * The next line in [*s, *e), without its "\n" or "\r\n", and the first
 * without a UTF-8 byte-order mark; false at the end.
 */
bool		 text_next_line(struct text_cursor *c, const char **s,
		    const char **e);

/*
 * NULL when fmt is a printf format that prints one double: exactly one
 * conversion among e E f F g G, with optional flags, width and precision,
 * amid text that holds no other '%' (but "%%") and no newline. Else what
 * is wrong with it: a user's format is checked before printf sees it.
 */
const char	*text_check_fmt(const char *fmt);

/*
 * Room for one value printed with a format that text_check_fmt passed:
 * "%99.99f" of 1e308 and 64 characters of text around it.
 */
#define TEXT_VALUE_MAX		600

/*
 * One element at p of type t, in the machine's byte order: integers as
 * integers; floats, and bools as the floats 0 and 1, with fmt, as savetxt
 * writes them; a complex as savetxt does, " (RE+IMj)" with fmt for each.
 */
void		 text_put_value(FILE *f, const void *p, enum dtype t,
		    const char *fmt);
/* n values of type t from row, separated by delim, and a newline. */
void		 csv_write_row(FILE *f, const void *row, size_t n,
		    enum dtype t, char delim, const char *fmt);
/*
 * The banner and size line of a dense ("array") file of type t: field
 * complex, integer (integers and bools) or real.
 */
void		 mtx_write_header(FILE *f, size_t rows, size_t cols,
		    enum dtype t);
/*
 * One column of an array file: n values of type t, one a line; a bool as
 * 0 or 1, a complex as its two parts.
 */
void		 mtx_write_column(FILE *f, const void *col, size_t n,
		    enum dtype t, const char *fmt);

#endif
