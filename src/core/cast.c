#include <math.h>
#include <stdint.h>
#include <string.h>

#include "core/cast.h"
#include "core/dtype.h"
#include "core/pack.h"

/* d as an integer of type t in *out, or -1 if it is not one. */
static int
float_to_int(double d, enum dtype t, void *out)
{
	int64_t i8;
	int32_t i4;

	/* NaN fails every comparison; 2^63 is the first double too large. */
	if (!(d >= -0x1p63 && d < 0x1p63) || d != trunc(d))
		return -1;
	i8 = (int64_t)d;
	if (t == DTYPE_I64) {
		memcpy(out, &i8, sizeof(i8));
		return 0;
	}
	if (i8 < INT32_MIN || i8 > INT32_MAX)
		return -1;
	i4 = (int32_t)i8;
	memcpy(out, &i4, sizeof(i4));
	return 0;
}

static int
int_to(int64_t v, enum dtype t, void *out)
{
	double d = (double)v;
	float s = (float)v;
	int32_t i4 = (int32_t)v;

	switch (t) {
	case DTYPE_F64:
		memcpy(out, &d, sizeof(d));
		return 0;
	case DTYPE_F32:
		memcpy(out, &s, sizeof(s));
		return 0;
	case DTYPE_I64:
		memcpy(out, &v, sizeof(v));
		return 0;
	case DTYPE_I32:
		memcpy(out, &i4, sizeof(i4));
		return v < INT32_MIN || v > INT32_MAX ? -1 : 0;
	default:	/* TODO(dtypes): refused before here */
		break;
	}
	return -1;
}

static int
float_to(double d, enum dtype t, void *out)
{
	float s = (float)d;

	if (t == DTYPE_F64)
		memcpy(out, &d, sizeof(d));
	else if (t == DTYPE_F32)
		memcpy(out, &s, sizeof(s));
	else
		return float_to_int(d, t, out);
	return 0;
}

/*
 * The row goes through the widest type of its kind, int64 or float64, which
 * holds every value of the narrower one exactly, so that each value is
 * rounded once, straight to t.
 */
size_t
cast_row(const struct matrix *src, size_t r, enum dtype t, void *out,
    void *tmp)
{
	bool ints = dtype_is_int(src->dtype);
	size_t sz = dtype_size(t);
	unsigned char *o = out;
	int64_t *iv = tmp;
	double *dv = tmp;

	pack_panels(src, r, 1, 0, src->cols, 1, ints ? DTYPE_I64 : DTYPE_F64,
	    tmp);
	for (size_t j = 0; j < src->cols; j++)
		if ((ints ? int_to(iv[j], t, o + j * sz) :
		    float_to(dv[j], t, o + j * sz)) == -1)
			return j;
	return SIZE_MAX;
}
