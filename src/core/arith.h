/*
 * Small arithmetic that sizes and plans need: division rounded up, and
 * sums and products that saturate at UINT64_MAX instead of wrapping, for
 * models whose "too large" must stay too large.
 */
#ifndef PARDOT_ARITH_H
#define PARDOT_ARITH_H

#include <stddef.h>
#include <stdint.h>

/* a / b rounded up; b > 0. */
static inline size_t
ceil_div(size_t a, size_t b)
{
	return a / b + (a % b != 0);
}

/* a rounded up to a multiple of unit > 0. */
static inline size_t
round_up(size_t a, size_t unit)
{
	return ceil_div(a, unit) * unit;
}

static inline uint64_t
add_sat(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

static inline uint64_t
mul_sat(uint64_t a, uint64_t b)
{
	return b != 0 && a > UINT64_MAX / b ? UINT64_MAX : a * b;
}

#endif
