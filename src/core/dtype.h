/*
 * The element types, and their names, sizes and NumPy's promotion rules.
 */
#ifndef PARDOT_DTYPE_H
#define PARDOT_DTYPE_H

#include <stdbool.h>
#include <stddef.h>

enum dtype {
	DTYPE_F64,
	DTYPE_F32,
	DTYPE_I64,
	DTYPE_I32,
};
#define DTYPE_COUNT 4

size_t		 dtype_size(enum dtype);
bool		 dtype_is_int(enum dtype);
/* NumPy's name: "float64", "int32", ... */
const char	*dtype_name(enum dtype);
/* Accepts NumPy's names and the short forms f8 f64 i4 i32 ...; -1 if unknown. */
int		 dtype_parse(const char *name, enum dtype *out);
/* The type NumPy's matmul gives for operands of types a and b. */
enum dtype	 dtype_promote(enum dtype a, enum dtype b);

#endif
