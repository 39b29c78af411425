#include <string.h>

#include "core/dtype.h"

static const struct {
	const char	*name;
	const char	*alias[2];
	size_t		 size;
	enum dtype_kind	 kind;
} dtypes[DTYPE_COUNT] = {
	[DTYPE_F64]  = { "float64",    { "f8", "f64" },   8, KIND_FLOAT },
	[DTYPE_F32]  = { "float32",    { "f4", "f32" },   4, KIND_FLOAT },
	[DTYPE_I64]  = { "int64",      { "i8", "i64" },   8, KIND_INT },
	[DTYPE_I32]  = { "int32",      { "i4", "i32" },   4, KIND_INT },
	[DTYPE_BOOL] = { "bool",       { "b1", "?" },     1, KIND_BOOL },
	[DTYPE_I8]   = { "int8",       { "i1", NULL },   1, KIND_INT },
	[DTYPE_I16]  = { "int16",      { "i2", "i16" },   2, KIND_INT },
	[DTYPE_U8]   = { "uint8",      { "u1", NULL },   1, KIND_UINT },
	[DTYPE_U16]  = { "uint16",     { "u2", "u16" },   2, KIND_UINT },
	[DTYPE_U32]  = { "uint32",     { "u4", "u32" },   4, KIND_UINT },
	[DTYPE_U64]  = { "uint64",     { "u8", "u64" },   8, KIND_UINT },
	[DTYPE_F16]  = { "float16",    { "f2", "half" },   2, KIND_FLOAT },
	[DTYPE_C64]  = { "complex64",  { "c8", "c64" },   8, KIND_COMPLEX },
	[DTYPE_C128] = { "complex128", { "c16", "c128" }, 16, KIND_COMPLEX },
};

size_t
dtype_size(enum dtype t)
{
	return dtypes[t].size;
}

enum dtype_kind
dtype_kind(enum dtype t)
{
	return dtypes[t].kind;
}

bool
dtype_is_int(enum dtype t)
{
	return dtypes[t].kind == KIND_INT || dtypes[t].kind == KIND_UINT;
}

bool
dtype_is_exact(enum dtype t)
{
	return dtypes[t].kind <= KIND_UINT;
}

bool
dtype_is_complex(enum dtype t)
{
	return dtypes[t].kind == KIND_COMPLEX;
}

const char *
dtype_name(enum dtype t)
{
	return dtypes[t].name;
}

char
dtype_kind_char(enum dtype t)
{
	return "biufc"[dtypes[t].kind];
}

int
dtype_parse(const char *name, enum dtype *out)
{
	for (int t = 0; t < DTYPE_COUNT; t++) {
		if (strcmp(name, dtypes[t].name) == 0 ||
		    strcmp(name, dtypes[t].alias[0]) == 0 ||
		    (dtypes[t].alias[1] != NULL &&
		    strcmp(name, dtypes[t].alias[1]) == 0)) {
			*out = (enum dtype)t;
			return 0;
		}
	}
	return -1;
}

int
dtype_of_kind(enum dtype_kind kind, size_t size, enum dtype *out)
{
	for (int t = 0; t < DTYPE_COUNT; t++) {
		if (dtypes[t].kind == kind && dtypes[t].size == size) {
			*out = (enum dtype)t;
			return 0;
		}
	}
	return -1;
}

/* The type of a kind and size that exists: kind and size come from ours. */
static enum dtype
of_kind(enum dtype_kind kind, size_t size)
{
	enum dtype t = DTYPE_F64;

	(void)dtype_of_kind(kind, size, &t);
	return t;
}

static size_t
max_size(size_t a, size_t b)
{
	return a > b ? a : b;
}

/*
 * The bytes of the narrowest float that holds every value of integer type
 * t exactly, as NumPy's promotion asks: 8 bits fit float16's mantissa, 16
 * bits float32's, and anything wider goes to float64 (which does not hold
 * every int64 either: NumPy accepts that).
 */
static size_t
float_for_int(enum dtype t)
{
	return dtypes[t].size == 1 ? 2 : dtypes[t].size == 2 ? 4 : 8;
}

static enum dtype
promote_ints(enum dtype a, enum dtype b)
{
	enum dtype s, u;

	if (dtypes[a].kind == dtypes[b].kind)
		return dtypes[a].size >= dtypes[b].size ? a : b;
	s = dtypes[a].kind == KIND_INT ? a : b;
	u = s == a ? b : a;
	if (dtypes[u].size < dtypes[s].size)
		return s;
	if (dtypes[u].size < 8)
		return of_kind(KIND_INT, 2 * dtypes[u].size);
	return DTYPE_F64;
}

/*
 * An inexact type f against a type x of any kind: the float (or complex's
 * component) must be wide enough for both, and there is no complex32.
 */
static enum dtype
promote_inexact(enum dtype f, enum dtype x)
{
	bool complex = dtypes[f].kind == KIND_COMPLEX ||
	    dtypes[x].kind == KIND_COMPLEX;
	size_t need = 0;

	for (int i = 0; i < 2; i++) {
		enum dtype t = i == 0 ? f : x;

		if (dtypes[t].kind == KIND_COMPLEX)
			need = max_size(need, dtypes[t].size / 2);
		else if (dtypes[t].kind == KIND_FLOAT)
			need = max_size(need, dtypes[t].size);
		else if (dtypes[t].kind != KIND_BOOL)
			need = max_size(need, float_for_int(t));
	}
	if (complex)
		return of_kind(KIND_COMPLEX, 2 * max_size(need, 4));
	return of_kind(KIND_FLOAT, need);
}

enum dtype
dtype_promote(enum dtype a, enum dtype b)
{
	if (a == b || dtypes[b].kind == KIND_BOOL)
		return a;
	if (dtypes[a].kind == KIND_BOOL)
		return b;
	if (dtype_is_int(a) && dtype_is_int(b))
		return promote_ints(a, b);
	return dtypes[a].kind >= KIND_FLOAT ? promote_inexact(a, b) :
	    promote_inexact(b, a);
}

enum dtype
dtype_compute(enum dtype t)
{
	switch (t) {
	case DTYPE_F16:
		return DTYPE_F32;
	case DTYPE_U64:
		return DTYPE_I64;
	case DTYPE_BOOL: case DTYPE_I8: case DTYPE_I16: case DTYPE_U8:
	case DTYPE_U16: case DTYPE_U32:
		return DTYPE_I32;
	default:
		return t;
	}
}
