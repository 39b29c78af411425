#include <string.h>

#include "core/elem.h"
#include "core/half.h"

/* The n bytes at p, byte order fixed, as an unsigned integer. */
static uint64_t
load_bits(const void *p, size_t n, bool swapped)
{
	uint64_t u8 = 0;
	uint32_t u4 = 0;
	uint16_t u2 = 0;
	uint8_t u1 = 0;

	switch (n) {
	case 1:
		memcpy(&u1, p, 1);
		return u1;
	case 2:
		memcpy(&u2, p, 2);
		return swapped ? __builtin_bswap16(u2) : u2;
	case 4:
		memcpy(&u4, p, 4);
		return swapped ? __builtin_bswap32(u4) : u4;
	default:
		memcpy(&u8, p, 8);
		return swapped ? __builtin_bswap64(u8) : u8;
	}
}

/* A float of n bytes (2, 4 or 8) from its bits. */
static double
float_of_bits(uint64_t bits, size_t n)
{
	uint32_t u4 = (uint32_t)bits;
	double d;
	float f;

	if (n == 2)
		return half_to_float((uint16_t)bits);
	if (n == 4) {
		memcpy(&f, &u4, 4);
		return f;
	}
	memcpy(&d, &bits, 8);
	return d;
}

int64_t
elem_int(const void *p, enum dtype t, bool swapped)
{
	size_t n = dtype_size(t);
	uint64_t u = load_bits(p, n, swapped);

	if (dtype_kind(t) == KIND_BOOL)
		return u != 0;
	if (dtype_kind(t) == KIND_INT && n < 8) {
		/* Sign-extend from n bytes. */
		unsigned shift = 64 - 8 * (unsigned)n;

		return (int64_t)(u << shift) >> shift;
	}
	return (int64_t)u;
}

double
elem_real(const void *p, enum dtype t, bool swapped)
{
	switch (dtype_kind(t)) {
	case KIND_FLOAT:
		return float_of_bits(load_bits(p, dtype_size(t), swapped),
		    dtype_size(t));
	case KIND_COMPLEX:
		return float_of_bits(load_bits(p, dtype_size(t) / 2, swapped),
		    dtype_size(t) / 2);
	case KIND_UINT:
		return (double)(uint64_t)elem_int(p, t, swapped);
	default:
		return (double)elem_int(p, t, swapped);
	}
}

double
elem_imag(const void *p, enum dtype t, bool swapped)
{
	size_t half = dtype_size(t) / 2;

	if (dtype_kind(t) != KIND_COMPLEX)
		return 0;
	return float_of_bits(load_bits((const unsigned char *)p + half, half,
	    swapped), half);
}
