#include <string.h>

#include "core/dtype.h"

static const struct {
	const char	*name;
	const char	*alias[2];
	size_t		 size;
	bool		 is_int;
} dtypes[DTYPE_COUNT] = {
	[DTYPE_F64] = { "float64", { "f8", "f64" }, 8, false },
	[DTYPE_F32] = { "float32", { "f4", "f32" }, 4, false },
	[DTYPE_I64] = { "int64",   { "i8", "i64" }, 8, true },
	[DTYPE_I32] = { "int32",   { "i4", "i32" }, 4, true },
};

size_t
dtype_size(enum dtype t)
{
	return dtypes[t].size;
}

bool
dtype_is_int(enum dtype t)
{
	return dtypes[t].is_int;
}

const char *
dtype_name(enum dtype t)
{
	return dtypes[t].name;
}

int
dtype_parse(const char *name, enum dtype *out)
{
	for (int t = 0; t < DTYPE_COUNT; t++) {
		if (strcmp(name, dtypes[t].name) == 0 ||
		    strcmp(name, dtypes[t].alias[0]) == 0 ||
		    strcmp(name, dtypes[t].alias[1]) == 0) {
			*out = (enum dtype)t;
			return 0;
		}
	}
	return -1;
}

/*
 * NumPy keeps a type when both sides agree, widens within a kind, and goes
 * to float64 whenever an integer meets a float, because float32 cannot hold
 * every int32 exactly.
 */
enum dtype
dtype_promote(enum dtype a, enum dtype b)
{
	if (a == b)
		return a;
	if (dtypes[a].is_int == dtypes[b].is_int)
		return dtypes[a].size >= dtypes[b].size ? a : b;
	return DTYPE_F64;
}
