/*
 * IEEE half precision (NumPy's float16) to and from wider floats, in
 * software: bit for bit what NumPy's npy_half functions give, on any
 * compiler and CPU.
 */
#ifndef PARDOT_HALF_H
#define PARDOT_HALF_H

#include <stdint.h>
#include <string.h>

static inline float
half_to_float(uint16_t h)
{
	uint32_t sign = (uint32_t)(h & 0x8000) << 16, e = (h >> 10) & 0x1f;
	uint32_t m = h & 0x3ff, bits;
	float f;

	if (e == 0) {
		/* Zero or subnormal: m units of 2^-24, exact in a float. */
		f = (float)m * 0x1p-24f;
		return sign ? -f : f;
	}
	if (e == 31)
		bits = sign | 0x7f800000u | m << 13;
	else
		bits = sign | (e - 15 + 127) << 23 | m << 13;
	memcpy(&f, &bits, sizeof(f));
	return f;
}

/* q plus one when the dropped bits rem (of width shift) round it up. */
static inline uint64_t
half_round(uint64_t q, uint64_t rem, unsigned shift)
{
	uint64_t halfway = (uint64_t)1 << (shift - 1);

	return rem > halfway || (rem == halfway && (q & 1)) ? q + 1 : q;
}

/*
 * The nearest half to d, ties to even, overflowing to infinity, NaN kept
 * quiet. Rounding once from the double, as NumPy's astype does: going
 * through float32 first would round twice. A float converts exactly to a
 * double first, so this serves floats too.
 */
static inline uint16_t
half_from_double(double d)
{
	uint64_t b, mant;
	uint16_t sign;
	int exp, e;

	memcpy(&b, &d, sizeof(b));
	sign = (uint16_t)(b >> 48 & 0x8000);
	exp = (int)(b >> 52 & 0x7ff);
	mant = b & ((UINT64_C(1) << 52) - 1);
	if (exp == 0x7ff)
		return sign | 0x7c00 | (mant ? 0x200 | (uint16_t)(mant >> 42) : 0);
	e = exp - 1023 + 15;
	if (e >= 31)
		return sign | 0x7c00;
	if (e <= 0) {
		/* Subnormal: units of 2^-24; 1051 - exp bits drop out. */
		unsigned shift = (unsigned)(1051 - exp);
		uint64_t m = mant | UINT64_C(1) << 52;

		if (exp == 0 || shift >= 64)
			return sign;
		return sign | (uint16_t)half_round(m >> shift,
		    m & ((UINT64_C(1) << shift) - 1), shift);
	}
	/* The carry of a round-up runs into the exponent, to inf at most. */
	return sign | (uint16_t)half_round((uint64_t)e << 10 | mant >> 42,
	    mant & ((UINT64_C(1) << 42) - 1), 42);
}

#endif
