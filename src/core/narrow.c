#include <stdint.h>
#include <string.h>

#include "core/dtype.h"
#include "core/half.h"
#include "core/narrow.h"

enum dtype
narrow_compute(enum dtype t, size_t k)
{
	if (t == DTYPE_BOOL && k > INT32_MAX)
		return DTYPE_I64;
	return dtype_compute(t);
}

bool
narrow_needed(enum dtype t, enum dtype compute)
{
	return !dtype_is_complex(t) && dtype_size(t) < dtype_size(compute);
}

/*
 * One row of n sums into d, of the narrow type T: the sum S (uint32_t,
 * uint64_t or float) converted by CONV, after OP with the old value when
 * accumulating.
 */
#define NARROW_ROW(T, S, d, s, n, acc, OLD, CONV) do {			\
	const S *s_ = (const S *)(s);					\
	T *d_ = (T *)(d);						\
									\
	for (size_t j = 0; j < (n); j++) {				\
		S v = s_[j];						\
									\
		if (acc)						\
			v = OLD(d_[j], v);				\
		d_[j] = CONV(v);					\
	}								\
} while (0)

#define ADD_INT(old, v)		((v) + (old))
#define OR_BOOL(old, v)		((v) != 0 || (old) != 0)
#define ADD_HALF(old, v)	(half_to_float(old) + (v))
#define TRUNC8(v)		((uint8_t)(v))
#define TRUNC16(v)		((uint16_t)(v))
#define TRUTH(v)		((uint8_t)((v) != 0))
#define HALF(v)			half_from_double((double)(v))

static void
narrow_row(unsigned char *d, const unsigned char *s, size_t n,
    enum dtype t, enum dtype compute, bool acc)
{
	if (t == DTYPE_F16)
		NARROW_ROW(uint16_t, float, d, s, n, acc, ADD_HALF, HALF);
	else if (t == DTYPE_BOOL && compute == DTYPE_I64)
		NARROW_ROW(uint8_t, uint64_t, d, s, n, acc, OR_BOOL, TRUTH);
	else if (t == DTYPE_BOOL)
		NARROW_ROW(uint8_t, uint32_t, d, s, n, acc, OR_BOOL, TRUTH);
	else if (dtype_size(t) == 1)
		NARROW_ROW(uint8_t, uint32_t, d, s, n, acc, ADD_INT, TRUNC8);
	else
		NARROW_ROW(uint16_t, uint32_t, d, s, n, acc, ADD_INT, TRUNC16);
}

void
narrow_store(const void *src, size_t lds, enum dtype compute,
    const struct matrix_out *c, size_t i0, size_t j0, size_t rows,
    size_t cols, bool accumulate)
{
	size_t csz = dtype_size(c->dtype), ssz = dtype_size(compute);

	for (size_t i = 0; i < rows; i++)
		narrow_row((unsigned char *)c->data + ((i0 + i) * c->ld + j0) *
		    csz, (const unsigned char *)src + i * lds * ssz, cols,
		    c->dtype, compute, accumulate);
}

void
narrow_elems(void *dst, size_t stride, enum dtype t, const void *src,
    enum dtype compute, size_t n)
{
	size_t csz = dtype_size(t), ssz = dtype_size(compute);

	for (size_t i = 0; i < n; i++)
		narrow_row((unsigned char *)dst + i * stride * csz,
		    (const unsigned char *)src + i * ssz, 1, t, compute, false);
}
