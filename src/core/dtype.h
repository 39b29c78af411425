/*
 * The element types, and their names, sizes and NumPy's promotion rules.
 *
 * Every numeric dtype NumPy has is a storage type here. The engine sums in
 * fewer (dtype_compute): packing widens each operand to the compute type,
 * and the result is narrowed once at the end.
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
	DTYPE_BOOL,
	DTYPE_I8,
	DTYPE_I16,
	DTYPE_U8,
	DTYPE_U16,
	DTYPE_U32,
	DTYPE_U64,
	DTYPE_F16,
	DTYPE_C64,	/* two float32s: real, imaginary */
	DTYPE_C128,	/* two float64s */
};
#define DTYPE_COUNT 14

/* NumPy's kinds, in the order its promotion climbs them. */
enum dtype_kind {
	KIND_BOOL,
	KIND_INT,
	KIND_UINT,
	KIND_FLOAT,
	KIND_COMPLEX,
};

size_t		 dtype_size(enum dtype);
enum dtype_kind	 dtype_kind(enum dtype);
/* A signed or unsigned integer type (bool is not). */
bool		 dtype_is_int(enum dtype);
/* bool or an integer type: results are exact, sums wrap around. */
bool		 dtype_is_exact(enum dtype);
bool		 dtype_is_complex(enum dtype);
/* NumPy's name: "float64", "int32", "bool", "complex64", ... */
const char	*dtype_name(enum dtype);
/*
 * Accepts NumPy's names and the short forms: bytes as in a .npy type
 * string (f8 i4 u1 b1 f2 c16) or bits for the 32 and 64-bit types (f64 i32
 * u64 c128); -1 if unknown. "f16" is not float16: NumPy reads it as
 * float128.
 */
int		 dtype_parse(const char *name, enum dtype *out);
/* The type of a kind and size in bytes, as a .npy type string has them. */
int		 dtype_of_kind(enum dtype_kind, size_t size, enum dtype *out);
/* The kind's letter in a .npy type string: 'b', 'i', 'u', 'f', 'c'. */
char		 dtype_kind_char(enum dtype);
/* np.result_type(a, b): the type NumPy's matmul gives. */
enum dtype	 dtype_promote(enum dtype a, enum dtype b);
/*
 * The type the engine sums a result of type t in: float64, float32 (also
 * for float16, as NumPy does), int64 (int64, uint64), int32 (every
 * narrower integer and bool: a sum of products modulo 2^bits is the same
 * in any wider type), complex64 or complex128.
 */
enum dtype	 dtype_compute(enum dtype t);

#endif
