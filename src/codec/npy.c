/*
 * The .npy header codec.
 *
 * The dict is parsed by hand rather than by a general Python literal reader:
 * only three keys with three kinds of value are legal, so a small recursive
 * descent over a cursor that can never pass the end of the header is both
 * enough and easy to convince oneself of. Every check on a length is done
 * by subtraction from the bytes left, never by adding to a pointer first.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/dtype.h"
#include "codec/npy.h"

#define PREFIX_V1	(NPY_MAGIC_LEN + 2 + 2)	/* magic, version, u16 length */
#define PREFIX_V2	(NPY_MAGIC_LEN + 2 + 4)	/* the same with a u32 length */
/* Our longest dict: NPY_MAXDIMS dimensions of 19 digits and ", ". */
#define DICT_MAX	(64 + NPY_MAXDIMS * 21)

#define NOT_NUMERIC	" is not supported: pardot multiplies NumPy's 14 " \
	"numeric types (bool, int8 to uint64, float16 to float64, complex64, " \
	"complex128)"

/*
 * Type strings ("<f8") by kind and size: the 14 types pardot reads, and
 * the long doubles, which get a message of their own naming them, so that
 * a user learns what the file holds rather than that it is bad.
 */
static const struct {
	char		 kind;
	const char	*size;
	int		 dtype;		/* -1 when unsupported */
	const char	*err;
} typestrs[] = {
	{ 'f', "8",  DTYPE_F64, NULL },
	{ 'f', "4",  DTYPE_F32, NULL },
	{ 'i', "8",  DTYPE_I64, NULL },
	{ 'i', "4",  DTYPE_I32, NULL },
	{ 'b', "1",  DTYPE_BOOL, NULL },
	{ 'i', "1",  DTYPE_I8, NULL },
	{ 'i', "2",  DTYPE_I16, NULL },
	{ 'u', "1",  DTYPE_U8, NULL },
	{ 'u', "2",  DTYPE_U16, NULL },
	{ 'u', "4",  DTYPE_U32, NULL },
	{ 'u', "8",  DTYPE_U64, NULL },
	{ 'f', "2",  DTYPE_F16, NULL },
	{ 'c', "8",  DTYPE_C64, NULL },
	{ 'c', "16", DTYPE_C128, NULL },
	{ 'f', "12", -1, "dtype float96 (long double)" NOT_NUMERIC },
	{ 'f', "16", -1, "dtype float128 (long double)" NOT_NUMERIC },
	{ 'c', "24", -1, "dtype complex192 (long double)" NOT_NUMERIC },
	{ 'c', "32", -1, "dtype complex256 (long double)" NOT_NUMERIC },
};

/* Kinds whose size part varies ("<U12", "<M8[ns]"): known by kind alone. */
static const struct {
	char		 kind;
	const char	*err;
} otherkinds[] = {
	{ 'O', "object arrays are not supported" },
	{ 'S', "byte string arrays are not supported" },
	{ 'a', "byte string arrays are not supported" },
	{ 'U', "unicode string arrays are not supported" },
	{ 'V', "void (raw bytes) arrays are not supported" },
	{ 'M', "datetime64 arrays are not supported" },
	{ 'm', "timedelta64 arrays are not supported" },
};

/*
 * The other spellings that np.dtype reads as one of the type strings
 * above: one-letter type codes, which may follow a byte order ("<d"), and
 * names, which may not ("float64", never "<float64"). The sizes of 'l',
 * 'L', 'p', 'P' and 'int' are NumPy's on LP64 systems, where pardot runs.
 */
static const struct {
	const char	*alias, *typestr;
} typecodes[] = {
	{ "?", "b1" }, { "b", "i1" }, { "B", "u1" }, { "h", "i2" },
	{ "H", "u2" }, { "i", "i4" }, { "I", "u4" }, { "l", "i8" },
	{ "L", "u8" }, { "q", "i8" }, { "Q", "u8" }, { "p", "i8" },
	{ "P", "u8" }, { "e", "f2" }, { "f", "f4" }, { "d", "f8" },
	{ "g", "f16" }, { "F", "c8" }, { "D", "c16" }, { "G", "c32" },
}, typenames[] = {
	{ "float64", "f8" }, { "double", "f8" }, { "float", "f8" },
	{ "float_", "f8" }, { "float32", "f4" }, { "single", "f4" },
	{ "int64", "i8" }, { "int", "i8" }, { "int_", "i8" },
	{ "int0", "i8" }, { "intp", "i8" }, { "long", "i8" },
	{ "longlong", "i8" }, { "int32", "i4" }, { "intc", "i4" },
	{ "bool", "b1" }, { "bool_", "b1" }, { "bool8", "b1" },
	{ "int8", "i1" }, { "byte", "i1" }, { "int16", "i2" },
	{ "short", "i2" }, { "uint8", "u1" }, { "ubyte", "u1" },
	{ "uint16", "u2" }, { "ushort", "u2" }, { "uint32", "u4" },
	{ "uintc", "u4" }, { "uint64", "u8" }, { "uint", "u8" },
	{ "uint0", "u8" }, { "uintp", "u8" }, { "ulong", "u8" },
	{ "ulonglong", "u8" }, { "float16", "f2" }, { "half", "f2" },
	{ "float128", "f16" }, { "longdouble", "f16" },
	{ "longfloat", "f16" }, { "complex64", "c8" }, { "csingle", "c8" },
	{ "singlecomplex", "c8" }, { "complex128", "c16" },
	{ "complex", "c16" }, { "cdouble", "c16" }, { "cfloat", "c16" },
	{ "complex_", "c16" }, { "complex256", "c32" },
	{ "clongdouble", "c32" }, { "clongfloat", "c32" },
	{ "longcomplex", "c32" },
};

/* The message for a descr that is no dtype: it shows the value, escaped. */
static const char *
bad_descr(const unsigned char *s, size_t n)
{
	static char msg[96];
	size_t used = (size_t)snprintf(msg, sizeof(msg), "'descr' '");

	for (size_t i = 0; i < n && used + 8 < sizeof(msg); i++)
		used += (size_t)snprintf(msg + used, sizeof(msg) - used,
		    s[i] >= ' ' && s[i] < 0x7f ? "%c" : "\\x%02x", s[i]);
	snprintf(msg + used, sizeof(msg) - used, "' is not a data type");
	return msg;
}

enum { KEY_DESCR, KEY_FORTRAN, KEY_SHAPE, KEY_COUNT };
static const char *const keys[KEY_COUNT] = {
	[KEY_DESCR] = "descr",
	[KEY_FORTRAN] = "fortran_order",
	[KEY_SHAPE] = "shape",
};

/* A cursor over the dict: p only ever moves towards end, never past it. */
struct scan {
	const unsigned char	*p, *end;
};

static bool
host_is_big_endian(void)
{
	const uint16_t one = 1;
	unsigned char first;

	memcpy(&first, &one, 1);
	return first == 0;
}

bool
npy_has_magic(const void *buf, size_t len)
{
	return len >= NPY_MAGIC_LEN &&
	    memcmp(buf, NPY_MAGIC, NPY_MAGIC_LEN) == 0;
}

static bool
is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/*
 * Skips what Python skips between tokens: whitespace, newlines (we are
 * always inside braces or after them) and comments, which NumPy's reader
 * allows too.
 */
static void
skip_space(struct scan *sc)
{
	while (sc->p < sc->end) {
		if (*sc->p == '#') {
			while (sc->p < sc->end && *sc->p != '\n')
				sc->p++;
		} else if (is_space(*sc->p))
			sc->p++;
		else
			break;
	}
}

/* Skips whitespace, then consumes c if it comes next. */
static bool
eat(struct scan *sc, int c)
{
	skip_space(sc);
	if (sc->p < sc->end && *sc->p == c) {
		sc->p++;
		return true;
	}
	return false;
}

static bool
is_ident(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_';
}

/* The value of digit c in base, or -1. */
static int
digit_value(int c, int base)
{
	int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ?
	    c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;

	return v < base ? v : -1;
}

/*
 * Consumes a quoted string and points *s, *n at its contents, escapes left
 * as they are: no legal key or type string contains one, so a string that
 * does simply fails to match. False when there is no complete string here.
 */
static bool
scan_string(struct scan *sc, const unsigned char **s, size_t *n)
{
	const unsigned char *p;
	int q;

	skip_space(sc);
	if (sc->p == sc->end || (*sc->p != '\'' && *sc->p != '"'))
		return false;
	q = *sc->p;
	for (p = sc->p + 1; p < sc->end && *p != q; p++) {
		if (*p == '\n')
			return false;
		if (*p == '\\' && ++p == sc->end)
			return false;
	}
	if (p == sc->end)
		return false;
	*s = sc->p + 1;
	*n = (size_t)(p - *s);
	sc->p = p + 1;
	return true;
}

/* Consumes an identifier (True, False) and points *s, *n at it. */
static size_t
scan_ident(struct scan *sc, const unsigned char **s)
{
	skip_space(sc);
	*s = sc->p;
	while (sc->p < sc->end && is_ident(*sc->p))
		sc->p++;
	return (size_t)(sc->p - *s);
}

static bool
equals(const unsigned char *s, size_t n, const char *word)
{
	return strlen(word) == n && memcmp(s, word, n) == 0;
}

/* Another spelling of a type string as the type string, or NULL. */
static const char *
canonical_typestr(const unsigned char *s, size_t n, bool ordered)
{
	size_t i;

	for (i = 0; i < sizeof(typecodes) / sizeof(typecodes[0]); i++)
		if (equals(s, n, typecodes[i].alias))
			return typecodes[i].typestr;
	for (i = 0; !ordered && i < sizeof(typenames) / sizeof(typenames[0]);
	    i++)
		if (equals(s, n, typenames[i].alias))
			return typenames[i].typestr;
	return NULL;
}

/* Maps a type string such as "<f8" to a dtype and a byte order. */
static const char *
parse_typestr(const unsigned char *s, size_t n, struct npy_header *h)
{
	const unsigned char *s0 = s;
	const char *canon;
	size_t i, n0 = n;
	bool ordered = false;

	/*
	 * NumPy reads '=', '|' and no order at all as native, even for
	 * '|f8', which it never writes; we do the same.
	 */
	h->big_endian = host_is_big_endian();
	if (n > 0 && (*s == '<' || *s == '>' || *s == '=' || *s == '|')) {
		if (*s == '<' || *s == '>')
			h->big_endian = *s == '>';
		s++;
		n--;
		ordered = true;
	}
	if ((canon = canonical_typestr(s, n, ordered)) != NULL) {
		s = (const unsigned char *)canon;
		n = strlen(canon);
	}
	if (n == 0)
		return bad_descr(s0, n0);
	for (i = 0; i < sizeof(typestrs) / sizeof(typestrs[0]); i++) {
		if (typestrs[i].kind == *s &&
		    equals(s + 1, n - 1, typestrs[i].size)) {
			if (typestrs[i].err != NULL)
				return typestrs[i].err;
			h->dtype = (enum dtype)typestrs[i].dtype;
			return NULL;
		}
	}
	for (i = 0; i < sizeof(otherkinds) / sizeof(otherkinds[0]); i++)
		if (otherkinds[i].kind == *s)
			return otherkinds[i].err;
	return bad_descr(s0, n0);
}

/* Is a string next, with the u prefix that Python 3 still allows? */
static bool
string_next(struct scan *sc)
{
	const unsigned char *p;

	skip_space(sc);
	p = sc->p;
	if (p < sc->end && (*p == 'u' || *p == 'U'))
		p++;
	return p < sc->end && (*p == '\'' || *p == '"');
}

/*
 * Python's escapes in a string's contents, into out: \\ \' \" \n \t \r
 * and \xHH, all a type string could be spelled with; any other escape
 * fails, and so the descr. Returns the decoded length, or SIZE_MAX.
 */
static size_t
unescape(const unsigned char *s, size_t n, unsigned char *out, size_t cap)
{
	size_t i = 0, k = 0;
	int hi, lo;

	for (; i < n; k++) {
		if (k == cap)
			return SIZE_MAX;
		if (s[i] != '\\') {
			out[k] = s[i++];
			continue;
		}
		if (++i == n)
			return SIZE_MAX;
		switch (s[i++]) {
		case '\\': out[k] = '\\'; break;
		case '\'': out[k] = '\''; break;
		case '"': out[k] = '"'; break;
		case 'n': out[k] = '\n'; break;
		case 't': out[k] = '\t'; break;
		case 'r': out[k] = '\r'; break;
		case 'x':
			if (n - i < 2 || (hi = digit_value(s[i], 16)) < 0 ||
			    (lo = digit_value(s[i + 1], 16)) < 0)
				return SIZE_MAX;
			out[k] = (unsigned char)(hi << 4 | lo);
			i += 2;
			break;
		default:
			return SIZE_MAX;
		}
	}
	return k;
}

/*
 * A string value as literal_eval reads it: adjacent strings joined ('<'
 * 'f8'), escapes decoded, into buf of cap bytes. False if it is none.
 */
static bool
scan_string_value(struct scan *sc, unsigned char *buf, size_t cap,
    size_t *len)
{
	const unsigned char *s;
	size_t n, k;

	*len = 0;
	if (!string_next(sc))
		return false;
	while (string_next(sc)) {
		if (*sc->p == 'u' || *sc->p == 'U')
			sc->p++;
		if (!scan_string(sc, &s, &n) ||
		    (k = unescape(s, n, buf + *len, cap - *len)) == SIZE_MAX)
			return false;
		*len += k;
	}
	return true;
}

static const char *
parse_descr(struct scan *sc, struct npy_header *h)
{
	unsigned char s[32];
	size_t n;

	/* A list is a record type, a tuple a subarray: both are composite. */
	skip_space(sc);
	if (sc->p < sc->end && *sc->p == '[')
		return "structured dtypes are not supported";
	if (sc->p < sc->end && *sc->p == '(')
		return "subarray dtypes are not supported";
	if (!scan_string_value(sc, s, sizeof(s), &n))
		return "bad 'descr'";
	return parse_typestr(s, n, h);
}

static const char *
parse_fortran(struct scan *sc, struct npy_header *h)
{
	const unsigned char *s;
	size_t n;

	n = scan_ident(sc, &s);
	if (equals(s, n, "True"))
		h->fortran_order = true;
	else if (equals(s, n, "False"))
		h->fortran_order = false;
	else
		return "'fortran_order' is not True or False";
	return NULL;
}

/*
 * The base of a Python 3 integer literal from its prefix (0x, 0o, 0b),
 * which it consumes; 10 without one.
 */
static int
literal_base(struct scan *sc)
{
	int c;

	if (sc->end - sc->p < 2 || sc->p[0] != '0')
		return 10;
	c = sc->p[1] | 0x20;
	if (c != 'x' && c != 'o' && c != 'b')
		return 10;
	sc->p += 2;
	return c == 'x' ? 16 : c == 'o' ? 8 : 2;
}

/*
 * One dimension: an integer literal as Python 3's literal_eval reads it
 * for np.load (one sign, 0x 0o 0b prefixes, '_' between digits), with the
 * 'L' that Python 2 put on longs, and that fits in NumPy's intp. A decimal
 * with a leading zero is refused unless it is all zeros, as in Python 3.
 */
static const char *
parse_dim(struct scan *sc, uint64_t *out)
{
	const unsigned char *start;
	bool neg = false, nonzero_lead;
	uint64_t v = 0;
	int base, d;

	skip_space(sc);
	if (sc->p < sc->end && (*sc->p == '-' || *sc->p == '+')) {
		neg = *sc->p++ == '-';
		skip_space(sc);
	}
	base = literal_base(sc);
	start = sc->p;
	nonzero_lead = sc->p < sc->end && *sc->p == '0' && base == 10;
	while (sc->p < sc->end) {
		if (*sc->p == '_' && sc->p > start && sc->end - sc->p > 1 &&
		    digit_value(sc->p[1], base) >= 0)
			sc->p++;
		if ((d = digit_value(*sc->p, base)) < 0)
			break;
		if (v > (INT64_MAX - (uint64_t)d) / (uint64_t)base)
			return neg ? "negative dimension in 'shape'" :
			    "dimension in 'shape' is too large";
		v = v * (uint64_t)base + (uint64_t)d;
		sc->p++;
	}
	if (sc->p == start || (nonzero_lead && v != 0))
		return "bad dimension in 'shape'";
	if (sc->p < sc->end && *sc->p == 'L')
		sc->p++;
	if (sc->p < sc->end && (is_ident(*sc->p) || *sc->p == '.'))
		return "bad dimension in 'shape'";
	if (neg && v != 0)
		return "negative dimension in 'shape'";
	*out = v;
	return NULL;
}

/*
 * A tuple of dimensions. As in Python, "(5)" is the integer 5, not a
 * tuple, so a single dimension needs its trailing comma.
 */
static const char *
parse_shape(struct scan *sc, struct npy_header *h)
{
	const char *err;
	uint64_t dim;
	int n = 0;

	if (!eat(sc, '('))
		return "'shape' is not a tuple";
	while (!eat(sc, ')')) {
		if ((err = parse_dim(sc, &dim)) != NULL)
			return err;
		if (n == NPY_MAXDIMS)
			return "'shape' has more than 64 dimensions";
		h->shape[n++] = dim;
		if (eat(sc, ')')) {
			if (n == 1)
				return "'shape' is not a tuple";
			break;
		}
		if (!eat(sc, ','))
			return "bad 'shape'";
	}
	h->ndim = n;
	return NULL;
}

/* Which key the next string names, or -1 if it is not a string. */
static int
parse_key(struct scan *sc)
{
	const unsigned char *s;
	size_t n;
	int k;

	if (!scan_string(sc, &s, &n))
		return -1;
	for (k = 0; k < KEY_COUNT; k++)
		if (equals(s, n, keys[k]))
			return k;
	return KEY_COUNT;
}

/*
 * Skips one Python literal of the kinds a header could hold, nested to a
 * sane depth: strings (prefixed, adjacent ones joined), numbers and names
 * (signed, with exponents), and tuples, lists, sets and dicts of them.
 * Its meaning is not checked: that is for the last value of each key.
 */
static bool
skip_value(struct scan *sc, int depth)
{
	const unsigned char *s, *start;
	size_t n;
	int close;

	skip_space(sc);
	if (sc->p == sc->end || depth > 32)
		return false;
	if (*sc->p == '(' || *sc->p == '[' || *sc->p == '{') {
		close = *sc->p == '(' ? ')' : *sc->p == '[' ? ']' : '}';
		sc->p++;
		while (!eat(sc, close)) {
			if (!skip_value(sc, depth + 1) ||
			    (eat(sc, ':') && !skip_value(sc, depth + 1)))
				return false;
			if (!eat(sc, ',') && !(skip_space(sc), sc->p < sc->end &&
			    *sc->p == close))
				return false;
		}
		return true;
	}
	if (string_next(sc) || ((*sc->p == 'b' || *sc->p == 'B' ||
	    *sc->p == 'r' || *sc->p == 'R') && sc->end - sc->p > 1 &&
	    (sc->p[1] == '\'' || sc->p[1] == '"'))) {
		do {
			while (sc->p < sc->end && *sc->p != '\'' && *sc->p != '"')
				sc->p++;
			if (!scan_string(sc, &s, &n))
				return false;
			skip_space(sc);
		} while (string_next(sc));
		return true;
	}
	while (*sc->p == '-' || *sc->p == '+') {
		sc->p++;
		skip_space(sc);
		if (sc->p == sc->end)
			return false;
	}
	for (start = sc->p; sc->p < sc->end && (is_ident(*sc->p) ||
	    *sc->p == '.' || ((*sc->p == '-' || *sc->p == '+') &&
	    sc->p > start && (sc->p[-1] | 0x20) == 'e'));)
		sc->p++;
	return sc->p > start;
}

static const char *
parse_value(int k, const unsigned char *p, const unsigned char *end,
    struct npy_header *h)
{
	struct scan at = { p, end };

	return k == KEY_DESCR ? parse_descr(&at, h) :
	    k == KEY_FORTRAN ? parse_fortran(&at, h) : parse_shape(&at, h);
}

/* A value that is no literal: the key's own parser words it best. */
static const char *
bad_entry(int k, const unsigned char *value, const unsigned char *end)
{
	struct npy_header scratch;
	const char *err = parse_value(k, value, end, &scratch);

	return err != NULL ? err : "bad header syntax";
}

/*
 * Pass one: every entry's syntax, and where the last value of each key
 * starts. A repeated key is no error: literal_eval builds the dict, so the
 * last value wins and the others are never looked at, as in np.load.
 */
static const char *
scan_entries(struct scan *sc, const unsigned char **value)
{
	int k;

	if (!eat(sc, '{'))
		return "header is not a dict";
	while (!eat(sc, '}')) {
		if ((k = parse_key(sc)) < 0)
			return "bad header syntax";
		if (k == KEY_COUNT)
			return "unknown key in header";
		if (!eat(sc, ':'))
			return "bad header syntax";
		skip_space(sc);
		value[k] = sc->p;
		/* NumPy writes a trailing comma before the brace. */
		if (!skip_value(sc, 0) || (!eat(sc, ',') &&
		    !(sc->p < sc->end && *sc->p == '}')))
			return bad_entry(k, value[k], sc->end);
	}
	skip_space(sc);
	if (sc->p != sc->end)
		return "bad header syntax";
	return NULL;
}

static const char *
parse_dict(struct scan *sc, struct npy_header *h)
{
	const unsigned char *value[KEY_COUNT] = { NULL, NULL, NULL };
	const char *err;
	int k;

	if ((err = scan_entries(sc, value)) != NULL)
		return err;
	for (k = 0; k < KEY_COUNT; k++) {
		if (value[k] == NULL)
			return k == KEY_DESCR ? "header has no 'descr'" :
			    k == KEY_FORTRAN ? "header has no 'fortran_order'" :
			    "header has no 'shape'";
		if ((err = parse_value(k, value[k], sc->end, h)) != NULL)
			return err;
	}
	return NULL;
}

/*
 * Checks magic, version and header length, and sets the version and data
 * offset in h and the dict's bounds in sc.
 */
static const char *
parse_prefix(const unsigned char *b, size_t len, struct npy_header *h,
    struct scan *sc)
{
	size_t lenlen, hlen;

	if (len == 0)
		return "empty file";
	if (len < NPY_MAGIC_LEN)
		return memcmp(b, NPY_MAGIC, len) == 0 ? "truncated header" :
		    "not a .npy file (bad magic)";
	if (!npy_has_magic(b, len))
		return "not a .npy file (bad magic)";
	if (len < NPY_MAGIC_LEN + 2)
		return "truncated header";
	h->major = b[NPY_MAGIC_LEN];
	h->minor = b[NPY_MAGIC_LEN + 1];
	if (h->major < 1 || h->major > 3 || h->minor != 0)
		return "unsupported .npy format version";
	lenlen = h->major == 1 ? 2 : 4;
	if (len < NPY_MAGIC_LEN + 2 + lenlen)
		return "truncated header";
	b += NPY_MAGIC_LEN + 2;
	hlen = (size_t)b[0] | (size_t)b[1] << 8;
	if (lenlen == 4)
		hlen |= (size_t)b[2] << 16 | (size_t)b[3] << 24;
	b += lenlen;
	len -= NPY_MAGIC_LEN + 2 + lenlen;
	if (hlen > NPY_MAX_HEADER)
		return "header is too long";
	if (hlen > len)
		return "header length exceeds the file";
	if (hlen == 0 || b[hlen - 1] != '\n')
		return "header does not end with a newline";
	h->data_offset = NPY_MAGIC_LEN + 2 + lenlen + hlen;
	sc->p = b;
	sc->end = b + hlen;
	return NULL;
}

/*
 * Sets data_size, refusing sizes that overflow or that the file lacks. As
 * in NumPy, the item size times the dimensions that are not 0 must fit in
 * an int64 even when another dimension is 0: np.load refuses (5, 2^60, 0)
 * of float64 ("array is too big") though it holds no element.
 */
static const char *
check_size(struct npy_header *h, size_t len)
{
	uint64_t size = dtype_size(h->dtype);
	bool empty = false;

	for (int i = 0; i < h->ndim; i++) {
		if (h->shape[i] == 0) {
			empty = true;
			continue;
		}
		if (size > (uint64_t)INT64_MAX / h->shape[i])
			return "array is too large";
		size *= h->shape[i];
	}
	if (empty)
		size = 0;
	h->data_size = size;
	if (size > (uint64_t)len - h->data_offset)
		return "file is shorter than its header says";
	return NULL;
}

/* *out is written only on success. */
const char *
npy_parse(const void *buf, size_t len, struct npy_header *out)
{
	struct npy_header h;
	struct scan sc;
	const char *err;

	memset(&h, 0, sizeof(h));
	if ((err = parse_prefix(buf, len, &h, &sc)) != NULL ||
	    (err = parse_dict(&sc, &h)) != NULL ||
	    (err = check_size(&h, len)) != NULL)
		return err;
	*out = h;
	return NULL;
}

/*
 * NumPy's type string for t as np.save writes it: '|' for one-byte types,
 * which have no byte order, '<' for the rest.
 */
static void
format_typestr(char *buf, size_t cap, enum dtype t)
{
	snprintf(buf, cap, "%c%c%zu", dtype_size(t) == 1 ? '|' : '<',
	    dtype_kind_char(t), dtype_size(t));
}

/* The shape as Python prints a tuple: "()", "(7,)", "(2, 3, 4)". */
static size_t
format_shape(char *d, size_t cap, int ndim, const uint64_t *shape)
{
	size_t n = 0;
	int k;

	if ((k = snprintf(d, cap, "(")) < 0)
		return 0;
	n = (size_t)k;
	for (int i = 0; i < ndim && n < cap; i++) {
		k = snprintf(d + n, cap - n, i == 0 ? "%" PRIu64 : ", %" PRIu64,
		    shape[i]);
		if (k < 0)
			return 0;
		n += (size_t)k;
	}
	if (n < cap) {
		k = snprintf(d + n, cap - n, ndim == 1 ? ",)" : ")");
		n += k < 0 ? cap : (size_t)k;
	}
	return n < cap ? n : 0;
}

/* NumPy's dict for a C-order little-endian array; 0 if there is none. */
static size_t
format_dict(char *d, size_t cap, enum dtype t, int ndim,
    const uint64_t *shape)
{
	char descr[8], tuple[DICT_MAX];
	int n;

	if ((unsigned)t >= DTYPE_COUNT || ndim < 0 || ndim > NPY_MAXDIMS ||
	    format_shape(tuple, sizeof(tuple), ndim, shape) == 0)
		return 0;
	format_typestr(descr, sizeof(descr), t);
	n = snprintf(d, cap, "{'descr': '%s', 'fortran_order': False, "
	    "'shape': %s, }", descr, tuple);
	return n < 0 || (size_t)n >= cap ? 0 : (size_t)n;
}

/*
 * NumPy's padding: spaces and a newline to the next multiple of NPY_ALIGN,
 * a whole NPY_ALIGN of them when already aligned, so that the header is
 * byte for byte what np.save writes. Sets *prefix to the prefix used.
 */
static size_t
wrapped_size(size_t dlen, size_t *prefix)
{
	size_t used;

	*prefix = PREFIX_V1;
	used = PREFIX_V1 + dlen + 1;
	if (used + NPY_ALIGN - used % NPY_ALIGN - PREFIX_V1 > 0xffff) {
		*prefix = PREFIX_V2;
		used = PREFIX_V2 + dlen + 1;
	}
	return used + NPY_ALIGN - used % NPY_ALIGN;
}

size_t
npy_header_size(enum dtype t, int ndim, const uint64_t *shape)
{
	char dict[DICT_MAX];
	size_t dlen, prefix;

	if ((dlen = format_dict(dict, sizeof(dict), t, ndim, shape)) == 0)
		return 0;
	return wrapped_size(dlen, &prefix);
}

size_t
npy_header_write(void *buf, size_t cap, enum dtype t, int ndim,
    const uint64_t *shape)
{
	unsigned char *b = buf;
	char dict[DICT_MAX];
	size_t dlen, prefix, size, hlen, i;

	if ((dlen = format_dict(dict, sizeof(dict), t, ndim, shape)) == 0)
		return 0;
	size = wrapped_size(dlen, &prefix);
	if (cap < size)
		return 0;
	hlen = size - prefix;
	memcpy(b, NPY_MAGIC, NPY_MAGIC_LEN);
	b[NPY_MAGIC_LEN] = prefix == PREFIX_V1 ? 1 : 2;
	b[NPY_MAGIC_LEN + 1] = 0;
	for (i = 0; i < prefix - NPY_MAGIC_LEN - 2; i++)
		b[NPY_MAGIC_LEN + 2 + i] = (unsigned char)(hlen >> (8 * i));
	memcpy(b + prefix, dict, dlen);
	memset(b + prefix + dlen, ' ', hlen - dlen - 1);
	b[size - 1] = '\n';
	return size;
}
