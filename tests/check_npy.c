/*
 * Tests for the .npy header codec: round trips through the writer, headers
 * written by hand the ways NumPy and others write them, a table of broken
 * files, every truncation of good ones, and random mutations.
 *
 * Every buffer handed to npy_parse is a heap block of exactly its length,
 * so that a build with AddressSanitizer catches any read past the end; the
 * one exception, huge round trips, is explained where it happens.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "core/dtype.h"
#include "codec/npy.h"

#define LEN(a)		(sizeof(a) / sizeof((a)[0]))

/* A dict as NumPy spells it, with its padding left out. */
#define DICT(descr, fortran, shape)					\
	"{'descr': " descr ", 'fortran_order': " fortran ", 'shape': "	\
	shape ", }\n"
#define F64_3x4(shape)	DICT("'<f8'", "False", shape)

/* A copy of n bytes in a block of exactly n bytes. */
static unsigned char *
dup_exact(const void *p, size_t n)
{
	unsigned char *b = malloc(n);

	if (n > 0) {
		ck_assert_ptr_nonnull(b);
		memcpy(b, p, n);
	}
	return b;
}

/*
 * A file of version major.0 whose header is dict, which brings its own
 * padding and newline, followed by ndata zero bytes.
 */
static unsigned char *
make_file(int major, const char *dict, size_t ndata, size_t *lenp)
{
	size_t lenlen = major == 1 ? 2 : 4, dlen = strlen(dict), i;
	size_t prefix = NPY_MAGIC_LEN + 2 + lenlen;
	unsigned char *b;

	*lenp = prefix + dlen + ndata;
	b = malloc(*lenp);
	ck_assert_ptr_nonnull(b);
	memcpy(b, NPY_MAGIC, NPY_MAGIC_LEN);
	b[NPY_MAGIC_LEN] = (unsigned char)major;
	b[NPY_MAGIC_LEN + 1] = 0;
	for (i = 0; i < lenlen; i++)
		b[NPY_MAGIC_LEN + 2 + i] = (unsigned char)(dlen >> (8 * i));
	memcpy(b + prefix, dict, dlen);
	memset(b + prefix + dlen, 0, ndata);
	return b;
}

static bool
host_is_big_endian(void)
{
	const uint16_t one = 1;
	unsigned char first;

	memcpy(&first, &one, 1);
	return first == 0;
}

/*
 * The item size times the dimensions that are not 0; UINT64_MAX if it
 * overflows. Over INT64_MAX, NumPy refuses the array even when it is
 * empty, and so does the parser.
 */
static uint64_t
nonzero_bytes(enum dtype t, int ndim, const uint64_t *shape)
{
	uint64_t n = dtype_size(t);

	for (int i = 0; i < ndim; i++)
		if (shape[i] != 0 && __builtin_mul_overflow(n, shape[i], &n))
			return UINT64_MAX;
	return n;
}

/* Product of the shape times the item size; UINT64_MAX if it overflows. */
static uint64_t
bytes_of(enum dtype t, int ndim, const uint64_t *shape)
{
	for (int i = 0; i < ndim; i++)
		if (shape[i] == 0)
			return 0;
	return nonzero_bytes(t, ndim, shape);
}

/*
 * Round trips. Where the data would be too large to allocate, only the
 * header is allocated and len claims the rest: the parser must not read
 * the data, and AddressSanitizer would say so if it did.
 */
static const struct {
	int		 ndim;
	uint64_t	 shape[5];
} shapes[] = {
	{ 3, { 2, 3, 4 } },
	{ 5, { 1, 2, 0, 3, 1 } },
	{ 1, { 0, 0 } },
	{ 1, { 1, 0 } },
	{ 1, { 5, 0 } },
	{ 1, { 1000, 0 } },
	{ 1, { UINT64_C(1) << 40, 0 } },
	{ 1, { UINT64_C(1) << 60, 0 } },
	{ 2, { 0, 0 } },
	{ 2, { 0, 7 } },
	{ 2, { 7, 0 } },
	{ 2, { 1, 1 } },
	{ 2, { 3, 4 } },
	{ 2, { 100, 37 } },
	{ 2, { UINT64_C(1) << 31, UINT64_C(1) << 20 } },
	{ 2, { INT64_MAX, 0 } },
	{ 2, { 0, INT64_MAX } },
	{ 2, { 1, UINT64_C(1) << 60 } },
};
#define BIG_DATA	(1u << 20)

START_TEST(test_round_trip)
{
	enum dtype t = (enum dtype)(_i % DTYPE_COUNT);
	int ndim = shapes[_i / DTYPE_COUNT].ndim;
	const uint64_t *shape = shapes[_i / DTYPE_COUNT].shape;
	uint64_t data = bytes_of(t, ndim, shape);
	size_t hsize, len, alloc;
	struct npy_header h;
	unsigned char *b;
	const char *err;

	hsize = npy_header_size(t, ndim, shape);
	ck_assert_uint_gt(hsize, 0);
	ck_assert_uint_eq(hsize % NPY_ALIGN, 0);
	if (data > SIZE_MAX - hsize ||
	    nonzero_bytes(t, ndim, shape) > (uint64_t)INT64_MAX)
		return;		/* too big for NumPy: test_bad has those */
	len = hsize + (size_t)data;
	alloc = data > BIG_DATA ? hsize : len;
	b = calloc(1, alloc);
	ck_assert_ptr_nonnull(b);
	ck_assert_uint_eq(npy_header_write(b, alloc, t, ndim, shape), hsize);
	ck_assert_uint_eq(b[hsize - 1], '\n');

	err = npy_parse(b, len, &h);
	ck_assert_msg(err == NULL, "parse failed: %s", err);
	ck_assert_int_eq(h.major, 1);
	ck_assert_int_eq(h.minor, 0);
	ck_assert_int_eq(h.dtype, t);
	ck_assert(!h.big_endian);
	ck_assert(!h.fortran_order);
	ck_assert_int_eq(h.ndim, ndim);
	for (int i = 0; i < ndim; i++)
		ck_assert_uint_eq(h.shape[i], shape[i]);
	ck_assert_uint_eq(h.data_offset, hsize);
	ck_assert_uint_eq(h.data_offset % NPY_ALIGN, 0);
	ck_assert_uint_eq(h.data_size, data);

	if (data > 0) {
		err = npy_parse(b, len - 1, &h);
		ck_assert_ptr_nonnull(err);
		ck_assert_str_eq(err, "file is shorter than its header says");
	}
	free(b);
}
END_TEST

/* Byte for byte what NumPy 1.24's np.save writes. */
START_TEST(test_numpy_bytes)
{
	static const char f64_3x4[] = "\x93NUMPY\x01\x00v\x00"
	    "{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }"
	    "                                                          \n";
	static const char i32_5[] = "\x93NUMPY\x01\x00v\x00"
	    "{'descr': '<i4', 'fortran_order': False, 'shape': (5,), }"
	    "                                                            \n";
	const uint64_t s34[2] = { 3, 4 }, s5[1] = { 5 };
	unsigned char b[256];

	ck_assert_uint_eq(sizeof(f64_3x4) - 1, 128);
	ck_assert_uint_eq(npy_header_write(b, sizeof(b), DTYPE_F64, 2, s34),
	    128);
	ck_assert_mem_eq(b, f64_3x4, 128);
	ck_assert_uint_eq(sizeof(i32_5) - 1, 128);
	ck_assert_uint_eq(npy_header_write(b, sizeof(b), DTYPE_I32, 1, s5),
	    128);
	ck_assert_mem_eq(b, i32_5, 128);
}
END_TEST

/* A 0-d array (two vectors' product) is written as np.save writes it. */
START_TEST(test_write_scalar)
{
	static const char want[] = "\x93NUMPY\x01\x00\x76\x00{'descr': '<f8', "
	    "'fortran_order': False, 'shape': (), }";
	unsigned char b[128];

	ck_assert_uint_eq(npy_header_size(DTYPE_F64, 0, NULL), 128);
	ck_assert_uint_eq(npy_header_write(b, sizeof(b), DTYPE_F64, 0, NULL),
	    128);
	ck_assert_mem_eq(b, want, sizeof(want) - 1);
	for (size_t i = sizeof(want) - 1; i < 127; i++)
		ck_assert_int_eq(b[i], ' ');
	ck_assert_int_eq(b[127], '\n');
}
END_TEST

/* A cap one short must not be written past: the block is exactly cap. */
START_TEST(test_write_limits)
{
	const uint64_t shape[2] = { 3, 4 };
	size_t size = npy_header_size(DTYPE_F32, 2, shape);
	unsigned char *b = malloc(size - 1);

	ck_assert_ptr_nonnull(b);
	ck_assert_uint_eq(npy_header_write(b, size - 1, DTYPE_F32, 2, shape),
	    0);
	ck_assert_uint_eq(npy_header_write(b, 0, DTYPE_F32, 2, shape), 0);
	ck_assert_uint_eq(npy_header_size(DTYPE_F32, -1, shape), 0);
	ck_assert_uint_eq(npy_header_size(DTYPE_F32, NPY_MAXDIMS + 1, shape),
	    0);
	ck_assert_uint_eq(npy_header_write(b, size - 1, DTYPE_F32, -1, shape),
	    0);
	ck_assert_uint_eq(npy_header_write(b, size - 1, DTYPE_F32,
	    NPY_MAXDIMS + 1, shape), 0);
	free(b);
}
END_TEST

START_TEST(test_has_magic)
{
	ck_assert(npy_has_magic("\x93NUMPY\x01\x00", 8));
	ck_assert(npy_has_magic("\x93NUMPY", 6));
	ck_assert(!npy_has_magic("\x93NUMP", 5));
	ck_assert(!npy_has_magic("", 0));
	ck_assert(!npy_has_magic("PK\x03\x04\x14\x00\x00\x00", 8));
}
END_TEST

/* Headers as NumPy, old NumPy, other writers and people might write them. */
static const struct {
	int		 major;
	const char	*dict;
	size_t		 trailing;	/* bytes after the data */
	enum dtype	 dtype;
	char		 order;		/* '<', '>', or '=' for native */
	bool		 fortran;
	int		 ndim;
	uint64_t	 shape[4];
} valid[] = {
	/* Every numeric type, by type string, code and name. */
	{ 1, DICT("'|b1'", "False", "(3, 4)"),
	    0, DTYPE_BOOL, '=', false, 2, { 3, 4 } },
	{ 1, DICT("'|i1'", "False", "(3, 4)"),
	    0, DTYPE_I8, '=', false, 2, { 3, 4 } },
	{ 1, DICT("'>i2'", "False", "(3, 4)"),
	    0, DTYPE_I16, '>', false, 2, { 3, 4 } },
	{ 1, DICT("'|u1'", "False", "(3, 4)"),
	    0, DTYPE_U8, '=', false, 2, { 3, 4 } },
	{ 1, DICT("'<u2'", "False", "(3, 4)"),
	    0, DTYPE_U16, '<', false, 2, { 3, 4 } },
	{ 1, DICT("'<u4'", "False", "(3, 4)"),
	    0, DTYPE_U32, '<', false, 2, { 3, 4 } },
	{ 1, DICT("'>u8'", "False", "(3, 4)"),
	    0, DTYPE_U64, '>', false, 2, { 3, 4 } },
	{ 1, DICT("'<f2'", "False", "(3, 4)"),
	    0, DTYPE_F16, '<', false, 2, { 3, 4 } },
	{ 1, DICT("'>c8'", "False", "(3, 4)"),
	    0, DTYPE_C64, '>', false, 2, { 3, 4 } },
	{ 1, DICT("'<c16'", "True", "(3, 4)"),
	    0, DTYPE_C128, '<', true, 2, { 3, 4 } },
	{ 1, DICT("'e'", "False", "(3, 4)"),
	    0, DTYPE_F16, '=', false, 2, { 3, 4 } },
	{ 1, DICT("'<D'", "False", "(3, 4)"),
	    0, DTYPE_C128, '<', false, 2, { 3, 4 } },
	{ 1, DICT("'?'", "False", "(3, 4)"),
	    0, DTYPE_BOOL, '=', false, 2, { 3, 4 } },
	{ 1, DICT("'b'", "False", "(3, 4)"),
	    0, DTYPE_I8, '=', false, 2, { 3, 4 } },
	{ 1, DICT("'uint64'", "False", "(3, 4)"),
	    0, DTYPE_U64, '=', false, 2, { 3, 4 } },
	/* A repeated key: the last value wins, the others are not read. */
	{ 1, "{'descr': '<i4', 'descr': '<f8', 'fortran_order': False, "
	    "'shape': (3, 4)}\n",
	    0, DTYPE_F64, '<', false, 2, { 3, 4 } },
	{ 1, "{'shape': (2, 2), 'descr': '<f8', 'fortran_order': False, "
	    "'shape': (3, 4)}\n",
	    0, DTYPE_F64, '<', false, 2, { 3, 4 } },
	{ 1, "{'descr': 'junk', 'descr': '<f8', 'fortran_order': 'x', "
	    "'fortran_order': True, 'shape': [1.5, {2: b'x'}], "
	    "'shape': (3, 4)}\n",
	    0, DTYPE_F64, '<', true, 2, { 3, 4 } },
	/* Stacks. */
	{ 1, F64_3x4("(2, 3, 4)"),
	    0, DTYPE_F64, '<', false, 3, { 2, 3, 4 } },
	{ 1, F64_3x4("(1, 1, 1, 1,)"),
	    0, DTYPE_F64, '<', false, 4, { 1, 1, 1, 1 } },
	{ 1, F64_3x4("(2, 0, 4)"),
	    0, DTYPE_F64, '<', false, 3, { 2, 0, 4 } },
	{ 1, "{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }"
	    "                                                          \n",
	    0, DTYPE_F64, '<', false, 2, { 3, 4 } },
	{ 2, DICT("'<i4'", "False", "(5,)"),
	    0, DTYPE_I32, '<', false, 1, { 5, 0 } },
	{ 1, DICT("'<f8'", "False", "()"),
	    0, DTYPE_F64, '<', false, 0, { 0, 0 } },
	{ 1, DICT("'<i4'", "False", "( )"),
	    0, DTYPE_I32, '<', false, 0, { 0, 0 } },
	{ 3, DICT("'<i8'", "False", "(0, 7)"),
	    0, DTYPE_I64, '<', false, 2, { 0, 7 } },
	{ 3, DICT("'>f8'", "True", "(2, 3)"),
	    0, DTYPE_F64, '>', true, 2, { 2, 3 } },
	{ 1, DICT("'<f4'", "True", "(2, 3)"),
	    0, DTYPE_F32, '<', true, 2, { 2, 3 } },
	{ 1, DICT("'>f4'", "False", "(2, 3)"),
	    0, DTYPE_F32, '>', false, 2, { 2, 3 } },
	{ 2, DICT("'>i8'", "False", "(2, 3)"),
	    0, DTYPE_I64, '>', false, 2, { 2, 3 } },
	{ 1, DICT("'>i4'", "False", "(4,)"),
	    0, DTYPE_I32, '>', false, 1, { 4, 0 } },
	{ 1, "{\"descr\": \"<f8\", \"fortran_order\": False, "
	    "\"shape\": (3, 4)}\n",
	    0, DTYPE_F64, '<', false, 2, { 3, 4 } },
	{ 1, "{'descr': \"<f4\", \"fortran_order\": False, 'shape': (1, 1),}\n",
	    0, DTYPE_F32, '<', false, 2, { 1, 1 } },
	{ 1, "  { \n\t'shape' :( 3 ,\n4 ) ,\t'descr':'<i8'  ,"
	    "'fortran_order'\r\n:False\f}\r\n",
	    0, DTYPE_I64, '<', false, 2, { 3, 4 } },
	{ 1, "{'descr':'<f8','fortran_order':False,'shape':(2,2)}\n",
	    0, DTYPE_F64, '<', false, 2, { 2, 2 } },
	{ 1, "{'shape': (2, 2), 'fortran_order': True, 'descr': '<f8'}\n",
	    0, DTYPE_F64, '<', true, 2, { 2, 2 } },
	{ 1, DICT("'<f8'", "False", "(3L, 4L)"),
	    0, DTYPE_F64, '<', false, 2, { 3, 4 } },
	{ 2, DICT("'<i4'", "False", "(5L,)"),
	    0, DTYPE_I32, '<', false, 1, { 5, 0 } },
	{ 1, DICT("'=f8'", "False", "(3,)"),
	    0, DTYPE_F64, '=', false, 1, { 3, 0 } },
	{ 1, DICT("'f4'", "False", "(3,)"),
	    0, DTYPE_F32, '=', false, 1, { 3, 0 } },
	{ 1, DICT("'|f8'", "False", "(3,)"),
	    0, DTYPE_F64, '=', false, 1, { 3, 0 } },
	{ 1, DICT("'|i4'", "False", "(3,)"),
	    0, DTYPE_I32, '=', false, 1, { 3, 0 } },
	{ 1, DICT("'<f8'", "False", "( 5 , )"),
	    0, DTYPE_F64, '<', false, 1, { 5, 0 } },
	{ 1, DICT("'<f8'", "False", "(0,)"),
	    0, DTYPE_F64, '<', false, 1, { 0, 0 } },
	{ 1, DICT("'<f8'", "False", "(0, 0)"),
	    0, DTYPE_F64, '<', false, 2, { 0, 0 } },
	/* Empty, and its other dimension times 8 bytes fits in an int64. */
	{ 1, DICT("'<f8'", "False", "(1152921504606846975, 0)"),
	    0, DTYPE_F64, '<', false, 2, { 1152921504606846975, 0 } },
	{ 1, DICT("'<i4'", "False", "(2, 3)"),
	    13, DTYPE_I32, '<', false, 2, { 2, 3 } },
	{ 1, "{'descr': '<f8', 'fortran_order': False, 'shape': (3,)}\n\n\n",
	    0, DTYPE_F64, '<', false, 1, { 3, 0 } },
	{ 1, "# a comment\n{'descr': '<f8', # {'shape': (9,)}\n"
	    "'fortran_order': False, 'shape': (00, 3)}   # no brace }\n",
	    0, DTYPE_F64, '<', false, 2, { 0, 3 } },
	{ 1, "{'descr': '<f8', 'fortran_order': False, 'shape': (10, 1), }"
	    "                      \t                         \n",
	    0, DTYPE_F64, '<', false, 2, { 10, 1 } },
	/* Other spellings that np.load reads (np.dtype's, literal_eval's). */
	{ 1, DICT("'<d'", "False", "(2, 3)"), 0, DTYPE_F64, '<', false, 2, { 2, 3 } },
	{ 1, DICT("'>d'", "False", "(2, 3)"), 0, DTYPE_F64, '>', false, 2, { 2, 3 } },
	{ 1, DICT("'d'", "False", "(2, 3)"), 0, DTYPE_F64, '=', false, 2, { 2, 3 } },
	{ 1, DICT("'float64'", "False", "(2, 3)"), 0, DTYPE_F64, '=', false, 2, { 2, 3 } },
	{ 1, DICT("'double'", "False", "(2, 3)"), 0, DTYPE_F64, '=', false, 2, { 2, 3 } },
	{ 1, DICT("'float'", "False", "(2, 3)"), 0, DTYPE_F64, '=', false, 2, { 2, 3 } },
	{ 1, DICT("'<f'", "False", "(2, 3)"), 0, DTYPE_F32, '<', false, 2, { 2, 3 } },
	{ 1, DICT("'single'", "False", "(2, 3)"), 0, DTYPE_F32, '=', false, 2, { 2, 3 } },
	{ 1, DICT("'float32'", "False", "(2, 3)"), 0, DTYPE_F32, '=', false, 2, { 2, 3 } },
	{ 1, DICT("'<q'", "False", "(2, 3)"), 0, DTYPE_I64, '<', false, 2, { 2, 3 } },
	{ 1, DICT("'=l'", "False", "(2, 3)"), 0, DTYPE_I64, '=', false, 2, { 2, 3 } },
	{ 1, DICT("'int'", "False", "(2, 3)"), 0, DTYPE_I64, '=', false, 2, { 2, 3 } },
	{ 1, DICT("'int64'", "False", "(2, 3)"), 0, DTYPE_I64, '=', false, 2, { 2, 3 } },
	{ 1, DICT("'>i'", "False", "(2, 3)"), 0, DTYPE_I32, '>', false, 2, { 2, 3 } },
	{ 1, DICT("'intc'", "False", "(2, 3)"), 0, DTYPE_I32, '=', false, 2, { 2, 3 } },
	{ 1, DICT("'int32'", "False", "(2, 3)"), 0, DTYPE_I32, '=', false, 2, { 2, 3 } },
	{ 1, DICT("'<f\\x38'", "False", "(2, 3)"), 0, DTYPE_F64, '<', false, 2, { 2, 3 } },
	{ 1, DICT("'<' 'f8'", "False", "(2, 3)"), 0, DTYPE_F64, '<', false, 2, { 2, 3 } },
	{ 1, DICT("u'<f8'", "False", "(2, 3)"), 0, DTYPE_F64, '<', false, 2, { 2, 3 } },
	{ 1, DICT("'<f8'", "False", "(0x2, 0o3)"), 0, DTYPE_F64, '<', false, 2, { 2, 3 } },
	{ 1, DICT("'<f8'", "False", "(0b10, +3,)"), 0, DTYPE_F64, '<', false, 2, { 2, 3 } },
	{ 1, DICT("'<f8'", "False", "(1_2,)"), 0, DTYPE_F64, '<', false, 1, { 12, 0 } },
	{ 1, DICT("'<f8'", "False", "(-0, 3)"), 0, DTYPE_F64, '<', false, 2, { 0, 3 } },
};

START_TEST(test_valid)
{
	bool big = valid[_i].order == '>' ||
	    (valid[_i].order == '=' && host_is_big_endian());
	uint64_t data = bytes_of(valid[_i].dtype, valid[_i].ndim,
	    valid[_i].shape);
	size_t len, prefix = valid[_i].major == 1 ? 10 : 12;
	struct npy_header h;
	unsigned char *b;
	const char *err;

	b = make_file(valid[_i].major, valid[_i].dict,
	    (size_t)data + valid[_i].trailing, &len);
	err = npy_parse(b, len, &h);
	ck_assert_msg(err == NULL, "case %d: %s", _i, err);
	ck_assert_int_eq(h.major, valid[_i].major);
	ck_assert_int_eq(h.minor, 0);
	ck_assert_int_eq(h.dtype, valid[_i].dtype);
	ck_assert_int_eq(h.big_endian, big);
	ck_assert_int_eq(h.fortran_order, valid[_i].fortran);
	ck_assert_int_eq(h.ndim, valid[_i].ndim);
	for (int i = 0; i < h.ndim; i++)
		ck_assert_uint_eq(h.shape[i], valid[_i].shape[i]);
	ck_assert_uint_eq(h.data_offset, prefix + strlen(valid[_i].dict));
	ck_assert_uint_eq(h.data_size, data);
	free(b);
}
END_TEST

/* Broken files below the dict: magic, version, length. */
#define RAW(s, err)	{ s, sizeof(s) - 1, err }
static const struct {
	const char	*bytes;
	size_t		 len;
	const char	*err;
} raw[] = {
	RAW("", "empty file"),
	RAW("\x93", "truncated header"),
	RAW("\x93NUM", "truncated header"),
	RAW("\x93NUMPY", "truncated header"),
	RAW("\x93NUMPY\x01", "truncated header"),
	RAW("\x93NUMPY\x01\x00", "truncated header"),
	RAW("\x93NUMPY\x01\x00\x10", "truncated header"),
	RAW("\x93NUMPY\x02\x00\x10\x00\x00", "truncated header"),
	RAW("\x93NUMPY\x03\x00\x10", "truncated header"),
	RAW("x", "bad magic"),
	RAW("\x93NUMPZ\x01\x00\x02\x00{}", "bad magic"),
	RAW("\x93numpy\x01\x00\x02\x00{}", "bad magic"),
	RAW("PK\x03\x04\x14\x00\x00\x00\x00\x00", "bad magic"),
	RAW("\x94NU", "bad magic"),
	RAW("\x93NUMPY\x00\x00\x03\x00{}\n", "unsupported .npy format version"),
	RAW("\x93NUMPY\x04\x00\x03\x00\x00\x00{}\n",
	    "unsupported .npy format version"),
	RAW("\x93NUMPY\x01\x01\x03\x00{}\n", "unsupported .npy format version"),
	RAW("\x93NUMPY\x02\x01\x03\x00\x00\x00{}\n",
	    "unsupported .npy format version"),
	RAW("\x93NUMPY\xff\x00", "unsupported .npy format version"),
	RAW("\x93NUMPY\x01\x00\xff\xff{}\n", "header length exceeds the file"),
	RAW("\x93NUMPY\x01\x00\x04\x00{}\n", "header length exceeds the file"),
	RAW("\x93NUMPY\x02\x00\x04\x00\x00\x00{}\n",
	    "header length exceeds the file"),
	RAW("\x93NUMPY\x02\x00\xff\xff\xff\xff{}\n", "header is too long"),
	RAW("\x93NUMPY\x03\x00\x01\x00\x10\x00{}\n", "header is too long"),
	RAW("\x93NUMPY\x01\x00\x00\x00", "does not end with a newline"),
	RAW("\x93NUMPY\x01\x00\x03\x00{} ", "does not end with a newline"),
	RAW("\x93NUMPY\x01\x00\x02\x00{}\n", "does not end with a newline"),
	RAW("\x93NUMPY\x01\x00\x03\x00{}\n", "header has no 'descr'"),
};

/* Broken dicts, each with the data a (3, 4) float64 array needs. */
static const struct {
	int		 major;
	const char	*dict;
	const char	*err;
} bad[] = {
	/* Syntax. */
	{ 1, "\n", "header is not a dict" },
	{ 1, "[]\n", "header is not a dict" },
	{ 1, "'descr'\n", "header is not a dict" },
	{ 1, "{\n", "bad header syntax" },
	{ 1, "{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4)\n",
	    "bad header syntax" },
	{ 1, "{'descr' '<f8', 'fortran_order': False, 'shape': (3, 4)}\n",
	    "bad header syntax" },
	/* Adjacent strings are one, as in Python: the comma is missed. */
	{ 1, "{'descr': '<f8' 'fortran_order': False, 'shape': (3, 4)}\n",
	    "'<f8fortran_order' is not a data type" },
	{ 1, "{'descr': '<f8',, 'fortran_order': False, 'shape': (3, 4)}\n",
	    "bad header syntax" },
	{ 1, "{,}\n", "bad header syntax" },
	{ 1, "{descr: '<f8', 'fortran_order': False, 'shape': (3, 4)}\n",
	    "bad header syntax" },
	{ 1, "{'descr\n: '<f8', 'fortran_order': False, 'shape': (3, 4)}\n",
	    "bad header syntax" },
	{ 1, "{1: '<f8'}\n", "bad header syntax" },
	{ 1, "{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4) # }\n",
	    "bad header syntax" },
	{ 1, "{'descr\\\n", "bad header syntax" },
	{ 1, "{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4)} x\n",
	    "bad header syntax" },
	{ 1, "{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4)}{}\n",
	    "bad header syntax" },
	{ 1, "{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4)}  ",
	    "does not end with a newline" },
	/* Keys. */
	{ 1, "{}\n", "header has no 'descr'" },
	{ 1, "{'fortran_order': False, 'shape': (3, 4)}\n",
	    "header has no 'descr'" },
	{ 1, "{'descr': '<f8', 'shape': (3, 4)}\n",
	    "header has no 'fortran_order'" },
	{ 1, "{'descr': '<f8', 'fortran_order': False}\n",
	    "header has no 'shape'" },
	/* A repeated key's last value counts, and must be good. */
	{ 1, "{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), "
	    "'shape': (3, 4.0)}\n", "bad dimension in 'shape'" },
	{ 1, "{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), "
	    "'descr': 'junk'}\n", "'junk' is not a data type" },
	{ 1, "{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), "
	    "'shape': (3, 4}\n", "bad 'shape'" },
	{ 1, "{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), "
	    "'extra': 1}\n", "unknown key" },
	{ 1, "{'Descr': '<f8', 'fortran_order': False, 'shape': (3, 4)}\n",
	    "unknown key" },
	{ 1, "{'descr ': '<f8', 'fortran_order': False, 'shape': (3, 4)}\n",
	    "unknown key" },
	{ 1, "{'': '<f8', 'fortran_order': False, 'shape': (3, 4)}\n",
	    "unknown key" },
	/* fortran_order. */
	{ 1, DICT("'<f8'", "1", "(3, 4)"), "'fortran_order' is not True" },
	{ 1, DICT("'<f8'", "0", "(3, 4)"), "'fortran_order' is not True" },
	{ 1, DICT("'<f8'", "'False'", "(3, 4)"),
	    "'fortran_order' is not True" },
	{ 1, DICT("'<f8'", "false", "(3, 4)"), "'fortran_order' is not True" },
	{ 1, DICT("'<f8'", "None", "(3, 4)"), "'fortran_order' is not True" },
	{ 1, DICT("'<f8'", "Truth", "(3, 4)"), "'fortran_order' is not True" },
	{ 1, DICT("'<f8'", "", "(3, 4)"), "'fortran_order' is not True" },
	/* descr: types NumPy knows and pardot does not. */
	{ 1, DICT("'<c32'", "False", "(3, 4)"),
	    "dtype complex256 (long double) is not supported" },
	{ 1, DICT("'<f16'", "False", "(3, 4)"),
	    "dtype float128 (long double) is not supported" },
	{ 1, DICT("'<f12'", "False", "(3, 4)"), "dtype float96 (long double)" },
	{ 1, DICT("'|O'", "False", "(3, 4)"), "object arrays are not" },
	{ 1, DICT("'|O8'", "False", "(3, 4)"), "object arrays are not" },
	{ 1, DICT("'<U5'", "False", "(3, 4)"), "unicode string arrays" },
	{ 1, DICT("'|S3'", "False", "(3, 4)"), "byte string arrays" },
	{ 1, DICT("'|V8'", "False", "(3, 4)"), "void (raw bytes) arrays" },
	{ 1, DICT("'<M8[ns]'", "False", "(3, 4)"), "datetime64 arrays" },
	{ 1, DICT("'<m8[s]'", "False", "(3, 4)"), "timedelta64 arrays" },
	{ 1, DICT("[('a', '<f8'), ('b', '<i4')]", "False", "(3, 4)"),
	    "structured dtypes are not supported" },
	{ 1, DICT("('<f8', (2,))", "False", "(3, 4)"),
	    "subarray dtypes are not supported" },
	/* descr: not a type string at all, shown as it is. */
	{ 1, DICT("''", "False", "(3, 4)"), "'descr' '' is not a data type" },
	{ 1, DICT("'<'", "False", "(3, 4)"), "'descr' '<' is not a data type" },
	{ 1, DICT("'<f3'", "False", "(3, 4)"), "'<f3' is not a data type" },
	{ 1, DICT("'<f08'", "False", "(3, 4)"), "'<f08' is not a data type" },
	{ 1, DICT("'<x8'", "False", "(3, 4)"), "'<x8' is not a data type" },
	{ 1, DICT("'<float64'", "False", "(3, 4)"),
	    "'<float64' is not a data type" },
	{ 1, DICT("'<d8'", "False", "(3, 4)"), "'<d8' is not a data type" },
	{ 1, DICT("'Float64'", "False", "(3, 4)"),
	    "'Float64' is not a data type" },
	{ 1, DICT("'<f8 '", "False", "(3, 4)"), "'<f8 ' is not a data type" },
	{ 1, DICT("' <f8'", "False", "(3, 4)"), "' <f8' is not a data type" },
	{ 1, DICT("'<<f8'", "False", "(3, 4)"), "'<<f8' is not a data type" },
	{ 1, DICT("'<f\\x1b'", "False", "(3, 4)"),
	    "'<f\\x1b' is not a data type" },
	{ 1, DICT("'<f\\q'", "False", "(3, 4)"), "bad 'descr'" },
	/* NumPy's names for the types pardot does not read. */
	{ 1, DICT("'longdouble'", "False", "(3, 4)"), "dtype float128 (long" },
	{ 1, DICT("'G'", "False", "(3, 4)"), "dtype complex256 (long" },
	{ 1, DICT("1", "False", "(3, 4)"), "bad 'descr'" },
	{ 1, DICT("<f8", "False", "(3, 4)"), "bad 'descr'" },
	{ 1, "{'descr': '<f8\n', 'fortran_order': False, 'shape': (3, 4)}\n",
	    "bad 'descr'" },
	/* shape. */
	{ 1, F64_3x4("(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, "
	    "1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, "
	    "1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, "
	    "1, 1)"), "'shape' has more than 64 dimensions" },
	{ 1, F64_3x4("(3)"), "'shape' is not a tuple" },
	{ 1, F64_3x4("[3, 4]"), "'shape' is not a tuple" },
	{ 1, F64_3x4("3"), "'shape' is not a tuple" },
	{ 1, F64_3x4("'(3, 4)'"), "'shape' is not a tuple" },
	{ 1, F64_3x4("(3 4)"), "bad 'shape'" },
	{ 1, F64_3x4("(3; 4)"), "bad 'shape'" },
	{ 1, F64_3x4("(-1, 4)"), "negative dimension" },
	{ 1, F64_3x4("(3, -4)"), "negative dimension" },
	{ 1, F64_3x4("(a, 4)"), "bad dimension" },
	{ 1, F64_3x4("('3', 4)"), "bad dimension" },
	{ 1, F64_3x4("(3.0, 4)"), "bad dimension" },
	{ 1, F64_3x4("(3e2, 4)"), "bad dimension" },
	{ 1, F64_3x4("(0x, 4)"), "bad dimension" },
	{ 1, F64_3x4("(0x3g, 4)"), "bad dimension" },
	{ 1, F64_3x4("(1__0, 4)"), "bad dimension" },
	{ 1, F64_3x4("(10_, 4)"), "bad dimension" },
	{ 1, F64_3x4("(_10, 4)"), "bad dimension" },
	{ 1, F64_3x4("(0_3, 4)"), "bad dimension" },
	{ 1, F64_3x4("(+-3, 4)"), "bad dimension" },
	{ 1, F64_3x4("(0b2, 4)"), "bad dimension" },
	{ 1, F64_3x4("(-0x3, 4)"), "negative dimension" },
	{ 1, F64_3x4("(03, 4)"), "bad dimension" },
	{ 1, F64_3x4("(3, 004)"), "bad dimension" },
	{ 1, F64_3x4("(3LL, 4)"), "bad dimension" },
	{ 1, F64_3x4("(3l, 4)"), "bad dimension" },
	{ 1, F64_3x4("(None,)"), "bad dimension" },
	{ 1, F64_3x4("(,)"), "bad dimension" },
	{ 1, F64_3x4("(3,,)"), "bad dimension" },
	{ 1, F64_3x4("(3, 4"), "bad dimension" },
	{ 1, F64_3x4("(9223372036854775808,)"), "dimension in 'shape' is too" },
	{ 1, F64_3x4("(18446744073709551616, 1)"),
	    "dimension in 'shape' is too" },
	{ 1, F64_3x4("(99999999999999999999999999999999,)"),
	    "dimension in 'shape' is too" },
	{ 1, F64_3x4("(9223372036854775807, 9223372036854775807)"),
	    "array is too large" },
	{ 1, F64_3x4("(2305843009213693952,)"), "array is too large" },
	{ 1, F64_3x4("(1152921504606846976, 8)"), "array is too large" },
	{ 1, DICT("'<i4'", "False", "(4611686018427387904,)"),
	    "array is too large" },
	/* Sizes that fit in 64 bits and not in the file. */
	{ 1, F64_3x4("(3, 5)"), "file is shorter than its header says" },
	{ 1, F64_3x4("(97,)"), "file is shorter than its header says" },
	{ 3, F64_3x4("(1152921504606846975,)"), "file is shorter" },
	/* Over an int64 of bytes: refused as NumPy refuses it. */
	{ 3, F64_3x4("(2305843009213693951,)"), "array is too large" },
	/* Empty, but the other dimensions overflow: NumPy refuses these too. */
	{ 1, DICT("'<f8'", "False", "(9223372036854775807, 0)"),
	    "array is too large" },
	{ 1, DICT("'<f8'", "False", "(5, 922337203685477587, 0)"),
	    "array is too large" },
	{ 1, DICT("'<f8'", "False", "(0, 5, 922337203685477587)"),
	    "array is too large" },
	{ 1, F64_3x4("(1, 9223372036854775807)"), "array is too large" },
};

/* The struct must be left alone on failure: fill it and compare. */
static void
assert_fails(const unsigned char *b, size_t len, const char *want, int i)
{
	unsigned char orig[sizeof(struct npy_header)];
	struct npy_header h;
	const char *err;

	memset(&h, 0xa5, sizeof(h));
	memset(orig, 0xa5, sizeof(orig));
	err = npy_parse(b, len, &h);
	ck_assert_msg(err != NULL, "case %d parsed", i);
	ck_assert_msg(strstr(err, want) != NULL,
	    "case %d: got \"%s\", want \"%s\"", i, err, want);
	ck_assert_mem_eq(&h, orig, sizeof(h));
}

START_TEST(test_raw)
{
	unsigned char *b = dup_exact(raw[_i].bytes, raw[_i].len);

	assert_fails(b, raw[_i].len, raw[_i].err, _i);
	free(b);
}
END_TEST

START_TEST(test_bad)
{
	unsigned char *b;
	size_t len;

	b = make_file(bad[_i].major, bad[_i].dict, 96, &len);
	assert_fails(b, len, bad[_i].err, _i);
	free(b);
}
END_TEST

/* Every proper prefix of a good (3, 4) float64 file is broken. */
#define V1_LEN		(128 + 96)
START_TEST(test_truncated_v1)
{
	const uint64_t shape[2] = { 3, 4 };
	unsigned char file[V1_LEN], *b;
	const char *want;

	memset(file, 0x3f, sizeof(file));
	ck_assert_uint_eq(npy_header_write(file, sizeof(file), DTYPE_F64, 2,
	    shape), 128);
	if (_i == 0)
		want = "empty file";
	else if (_i < 10)
		want = "truncated header";
	else if (_i < 128)
		want = "header length exceeds the file";
	else
		want = "file is shorter than its header says";
	b = dup_exact(file, (size_t)_i);
	assert_fails(b, (size_t)_i, want, _i);
	free(b);
}
END_TEST

/* The same for a version 2.0 file, whose length field is 4 bytes. */
#define V2_DICT		DICT("'>i8'", "False", "(5,)")
#define V2_LEN		(12 + sizeof(V2_DICT) - 1 + 40)
START_TEST(test_truncated_v2)
{
	unsigned char *file, *b;
	const char *want;
	size_t len;

	file = make_file(2, V2_DICT, 40, &len);
	ck_assert_uint_eq(len, V2_LEN);
	if (_i == 0)
		want = "empty file";
	else if (_i < 12)
		want = "truncated header";
	else if ((size_t)_i < V2_LEN - 40)
		want = "header length exceeds the file";
	else
		want = "file is shorter than its header says";
	b = dup_exact(file, (size_t)_i);
	assert_fails(b, (size_t)_i, want, _i);
	free(b);
	free(file);
}
END_TEST

/* xorshift64: a fixed sequence on every platform, unlike rand(). */
static uint64_t
next_random(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/*
 * Changes, deletes or inserts a few bytes, mostly in the header, and often
 * with the bytes the dict grammar turns on, so that mutants get deep.
 */
static size_t
mutate(unsigned char *b, size_t len, size_t cap, uint64_t *rng)
{
	static const char interesting[] = "0123456789(),:'\" \n{}[]-L<>=|fiuc"
	    "TrueFalse\x93\x01\x02\x03\xff";
	int k, nk = 1 + (int)(next_random(rng) % 4);
	size_t at;
	uint64_t r;
	unsigned char c;

	for (k = 0; k < nk && len > 0; k++) {
		r = next_random(rng);
		at = (size_t)(r >> 8) % (r & 1 ? len : (len < 128 ? len : 128));
		c = r & 2 ? (unsigned char)interesting[(r >> 40) %
		    (sizeof(interesting) - 1)] : (unsigned char)(r >> 48);
		switch ((r >> 2) % 8) {
		case 0:		/* delete */
			memmove(b + at, b + at + 1, len - at - 1);
			len--;
			break;
		case 1:		/* insert */
			if (len == cap)
				break;
			memmove(b + at + 1, b + at, len - at);
			b[at] = c;
			len++;
			break;
		case 2:		/* truncate */
			len = at;
			break;
		default:	/* overwrite */
			b[at] = c;
			break;
		}
	}
	return len;
}

/* What a successful parse promises, whatever the input was. */
static void
assert_consistent(const struct npy_header *h, size_t len)
{
	uint64_t n;

	ck_assert(h->major >= 1 && h->major <= 3);
	ck_assert_int_eq(h->minor, 0);
	ck_assert((unsigned)h->dtype < DTYPE_COUNT);
	ck_assert(h->ndim == 1 || h->ndim == 2);
	ck_assert_uint_ge(h->data_offset, 10);
	ck_assert_uint_le(h->data_offset, len);
	ck_assert_uint_le(h->data_size, len - h->data_offset);
	n = bytes_of(h->dtype, h->ndim, h->shape);
	ck_assert_uint_eq(h->data_size, n);
}

#define FUZZ_ROUNDS	1000
START_TEST(test_fuzz)
{
	const uint64_t shape[2] = { 3, 4 };
	unsigned char file[V1_LEN], work[V1_LEN + 8], *b;
	uint64_t rng = UINT64_C(0x9e3779b97f4a7c15) * (uint64_t)(_i + 1);
	int ok = 0, failed = 0, round;
	struct npy_header h;
	const char *err;
	size_t len;

	memset(file, 0, sizeof(file));
	npy_header_write(file, sizeof(file), (enum dtype)(_i % DTYPE_COUNT),
	    2, shape);
	for (round = 0; round < FUZZ_ROUNDS; round++) {
		memcpy(work, file, sizeof(file));
		len = mutate(work, sizeof(file), sizeof(work), &rng);
		b = dup_exact(work, len);
		err = npy_parse(b, len, &h);
		if (err == NULL) {
			assert_consistent(&h, len);
			ok++;
		} else {
			ck_assert_uint_gt(strlen(err), 0);
			failed++;
		}
		free(b);
	}
	/* Both outcomes must be common, or the mutations miss the point. */
	ck_assert_int_gt(ok, FUZZ_ROUNDS / 100);
	ck_assert_int_gt(failed, FUZZ_ROUNDS / 100);
}
END_TEST

static Suite *
npy_suite(void)
{
	Suite *s = suite_create("npy");
	TCase *tc;

	tc = tcase_create("Write");
	tcase_add_loop_test(tc, test_round_trip, 0,
	    (int)(LEN(shapes) * DTYPE_COUNT));
	tcase_add_test(tc, test_numpy_bytes);
	tcase_add_test(tc, test_write_limits);
	tcase_add_test(tc, test_write_scalar);
	tcase_add_test(tc, test_has_magic);
	suite_add_tcase(s, tc);

	tc = tcase_create("Parse");
	tcase_add_loop_test(tc, test_valid, 0, (int)LEN(valid));
	suite_add_tcase(s, tc);

	tc = tcase_create("Malformed");
	tcase_add_loop_test(tc, test_raw, 0, (int)LEN(raw));
	tcase_add_loop_test(tc, test_bad, 0, (int)LEN(bad));
	tcase_add_loop_test(tc, test_truncated_v1, 0, V1_LEN);
	tcase_add_loop_test(tc, test_truncated_v2, 0, (int)V2_LEN);
	suite_add_tcase(s, tc);

	tc = tcase_create("Fuzz");
	tcase_add_loop_test(tc, test_fuzz, 0, 8);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(npy_suite());
}
