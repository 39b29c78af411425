/*
 * The last step for results narrower than the type they are summed in
 * (bool, int8, int16, uint8, uint16, float16): the engine sums into a
 * private band of the compute type, and this stores the band into C,
 * rounding or truncating each element once, as NumPy does.
 */
#ifndef PARDOT_NARROW_H
#define PARDOT_NARROW_H

#include <stdbool.h>
#include <stddef.h>

#include "core/matrix.h"

/*
 * The type a result of type t is summed in over k terms: dtype_compute(t),
 * but int64 for a bool result when k > INT32_MAX, where an int32 count of
 * true products could wrap around to 0.
 */
enum dtype	narrow_compute(enum dtype t, size_t k);

/* Whether results of type t summed in compute go through narrow_store. */
bool		narrow_needed(enum dtype t, enum dtype compute);

/*
 * C[i0 + i, j0 + j] = the sum at src[i * lds + j], of type compute, for
 * i < rows, j < cols, converted to c->dtype: an integer truncated modulo
 * 2^bits, a bool true when the count is not 0, a float16 rounded to
 * nearest from the float32 sum. accumulate adds the sum to C's element
 * (a bool: or) before converting.
 */
void		narrow_store(const void *src, size_t lds, enum dtype compute,
		    const struct matrix_out *c, size_t i0, size_t j0,
		    size_t rows, size_t cols, bool accumulate);

/*
 * n sums at src, of type compute, into every stride-th element of type t
 * at dst, converted as narrow_store does.
 */
void		narrow_elems(void *dst, size_t stride, enum dtype t,
		    const void *src, enum dtype compute, size_t n);

#endif
