#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli/values.h"
#include "core/half.h"

/* Does the text in buf read back as d, once rounded to type t? */
static bool
reads_back(const char *buf, double d, enum dtype t)
{
	double back = strtod(buf, NULL);

	if (t == DTYPE_F16)
		return half_from_double(back) == half_from_double(d);
	if (t == DTYPE_F32 || t == DTYPE_C64)
		return (float)back == (float)d;
	return back == d;
}

const char *
real_str(char *buf, size_t cap, double d, enum dtype t)
{
	if (isnan(d)) {
		snprintf(buf, cap, "nan");
		return buf;
	}
	if (isinf(d)) {
		snprintf(buf, cap, d < 0 ? "-inf" : "inf");
		return buf;
	}
	for (int p = 1; p <= 17; p++) {
		snprintf(buf, cap, "%.*g", p, d);
		if (reads_back(buf, d, t))
			break;
	}
	return buf;
}

const char *
u128_str(char *buf, size_t cap, unsigned __int128 v)
{
	char tmp[48];
	size_t n = sizeof(tmp);

	tmp[--n] = '\0';
	do {
		tmp[--n] = (char)('0' + (int)(v % 10));
		v /= 10;
	} while (v != 0);
	snprintf(buf, cap, "%s", tmp + n);
	return buf;
}

const char *
scalar_str(char *buf, size_t cap, const struct scalar *s, enum dtype t)
{
	char re[40], im[40];

	switch (s->kind) {
	case SCALAR_INT:
		if (dtype_kind(t) == KIND_BOOL)
			snprintf(buf, cap, "%s", s->i != 0 ? "True" : "False");
		else
			snprintf(buf, cap, "%" PRId64, s->i);
		break;
	case SCALAR_UINT:
		snprintf(buf, cap, "%" PRIu64, s->u);
		break;
	case SCALAR_REAL:
		real_str(buf, cap, s->re, t);
		break;
	case SCALAR_COMPLEX:
		real_str(re, sizeof(re), s->re, t);
		real_str(im, sizeof(im), s->im, t);
		/* NumPy's repr: (1+2j), (1-2j), (nan+nanj), (1-0j). */
		snprintf(buf, cap, "(%s%s%sj)", re, im[0] == '-' ? "" : "+",
		    im);
		break;
	}
	return buf;
}
