#include <math.h>
#include <string.h>

#include "core/cast.h"
#include "core/elem.h"
#include "core/half.h"

void
scalar_load(struct scalar *s, const void *p, enum dtype t, bool swapped)
{
	memset(s, 0, sizeof(*s));
	switch (dtype_kind(t)) {
	case KIND_BOOL:
	case KIND_INT:
		s->kind = SCALAR_INT;
		s->i = elem_int(p, t, swapped);
		break;
	case KIND_UINT:
		s->kind = SCALAR_UINT;
		s->u = (uint64_t)elem_int(p, t, swapped);
		break;
	case KIND_FLOAT:
		s->kind = SCALAR_REAL;
		s->re = elem_real(p, t, swapped);
		break;
	case KIND_COMPLEX:
		s->kind = SCALAR_COMPLEX;
		s->re = elem_real(p, t, swapped);
		s->im = elem_imag(p, t, swapped);
		break;
	}
}

__int128
scalar_exact(const struct scalar *s)
{
	return s->kind == SCALAR_UINT ? (__int128)s->u : (__int128)s->i;
}

/* The real part rounded straight to a float type: one rounding only. */
static void
store_float(const struct scalar *s, double d, enum dtype t, void *out)
{
	uint16_t h;
	float f;

	if (s->kind == SCALAR_INT)
		f = (float)s->i;
	else if (s->kind == SCALAR_UINT)
		f = (float)s->u;
	else
		f = (float)d;
	if (t == DTYPE_F64) {
		memcpy(out, &d, sizeof(d));
	} else if (t == DTYPE_F32) {
		memcpy(out, &f, sizeof(f));
	} else {
		/*
		 * An integer rounds to a double only beyond 2^53, far past
		 * float16's largest (65504): the second rounding cannot
		 * change an infinity.
		 */
		h = half_from_double(d);
		memcpy(out, &h, sizeof(h));
	}
}

/* A whole number in [lo, hi] as n bytes in the machine's order. */
static int
store_int(__int128 v, enum dtype t, void *out)
{
	size_t n = dtype_size(t);
	unsigned bits = 8 * (unsigned)n;
	__int128 lo, hi;
	uint64_t u = (uint64_t)v;
	uint32_t u4 = (uint32_t)u;
	uint16_t u2 = (uint16_t)u;
	uint8_t u1 = (uint8_t)u;

	if (dtype_kind(t) == KIND_BOOL) {
		lo = 0;
		hi = 1;
	} else if (dtype_kind(t) == KIND_UINT) {
		lo = 0;
		hi = ((__int128)1 << bits) - 1;
	} else {
		lo = -((__int128)1 << (bits - 1));
		hi = ((__int128)1 << (bits - 1)) - 1;
	}
	if (v < lo || v > hi)
		return -1;
	if (n == 1)
		memcpy(out, &u1, 1);
	else if (n == 2)
		memcpy(out, &u2, 2);
	else if (n == 4)
		memcpy(out, &u4, 4);
	else
		memcpy(out, &u, 8);
	return 0;
}

/* A real value as an integer type: whole, finite, in range. */
static int
real_to_int(double d, enum dtype t, void *out)
{
	/* NaN fails every comparison; 2^64 is beyond every type. */
	if (!(d >= -0x1p63 && d < 0x1p64) || d != trunc(d))
		return -1;
	return store_int(d < 0 ? (__int128)(int64_t)d :
	    (__int128)(uint64_t)d, t, out);
}

static void
store_complex(const struct scalar *s, enum dtype t, void *out)
{
	double re = s->re, im = s->im;
	float p[2];

	if (s->kind == SCALAR_INT)
		re = (double)s->i;
	else if (s->kind == SCALAR_UINT)
		re = (double)s->u;
	if (t == DTYPE_C128) {
		double q[2] = { re, im };

		memcpy(out, q, sizeof(q));
		return;
	}
	/* Each part rounded once: straight from the integer if it is one. */
	p[0] = s->kind == SCALAR_INT ? (float)s->i : s->kind == SCALAR_UINT ?
	    (float)s->u : (float)re;
	p[1] = (float)im;
	memcpy(out, p, sizeof(p));
}

int
cast_store(const struct scalar *s, enum dtype t, void *out)
{
	double d = s->kind == SCALAR_INT ? (double)s->i :
	    s->kind == SCALAR_UINT ? (double)s->u : s->re;

	if (dtype_kind(t) == KIND_COMPLEX) {
		store_complex(s, t, out);
		return 0;
	}
	if (s->kind == SCALAR_COMPLEX && s->im != 0)
		return -1;
	if (dtype_kind(t) == KIND_FLOAT) {
		store_float(s, d, t, out);
		return 0;
	}
	if (s->kind == SCALAR_INT || s->kind == SCALAR_UINT)
		return store_int(scalar_exact(s), t, out);
	return real_to_int(d, t, out);
}
