#include <stdio.h>
#include <string.h>

#include "core/ndarray.h"

size_t
ndarray_count(const struct ndarray *a)
{
	size_t n = 1;

	for (int d = 0; d < a->ndim; d++)
		n *= (size_t)a->shape[d];
	return n;
}

struct matrix
ndarray_matrix(const struct ndarray *a)
{
	struct matrix v = { .data = a->data, .rows = 1, .cols = 1, .rs = 1,
	    .cs = 1, .dtype = a->dtype, .swapped = a->swapped };

	if (a->ndim == 1) {
		v.cols = (size_t)a->shape[0];
		v.rs = (ptrdiff_t)v.cols;
	} else if (a->ndim >= 2) {
		v.rows = (size_t)a->shape[0];
		v.cols = (size_t)a->shape[1];
		/* Fortran order is the transpose's layout. */
		v.rs = a->fortran ? 1 : (ptrdiff_t)v.cols;
		v.cs = a->fortran ? (ptrdiff_t)v.rows : 1;
	}
	return v;
}

void
ndwalk_start(struct ndwalk *w, const struct ndarray *a)
{
	size_t s = dtype_size(a->dtype);

	memset(w, 0, sizeof(*w));
	w->a = a;
	w->n = ndarray_count(a);
	/* The stride of a dimension is the product of the faster ones. */
	if (a->fortran) {
		for (int d = 0; d < a->ndim; d++) {
			w->step[d] = s;
			s *= (size_t)a->shape[d];
		}
	} else {
		for (int d = a->ndim - 1; d >= 0; d--) {
			w->step[d] = s;
			s *= (size_t)a->shape[d];
		}
	}
}

/*
 * idx moves on like an odometer, and the offset with it: one step of the
 * dimension that moves, less the whole run of each one that wraps. A
 * C-order array's offsets simply count up; this serves both orders.
 */
const void *
ndwalk_next(struct ndwalk *w)
{
	const struct ndarray *a = w->a;

	if (w->k == w->n)
		return NULL;
	if (w->k++ > 0) {
		for (int d = a->ndim - 1; d >= 0; d--) {
			if (++w->idx[d] < a->shape[d]) {
				w->off += w->step[d];
				break;
			}
			w->idx[d] = 0;
			w->off -= (size_t)(a->shape[d] - 1) * w->step[d];
		}
	}
	return a->data + w->off;
}

const char *
nd_index_str(char *buf, size_t cap, int ndim, const uint64_t *idx)
{
	size_t n = 0;
	int k;

	if (cap == 0)
		return buf;
	buf[0] = '\0';
	n = (size_t)snprintf(buf, cap, "[");
	for (int d = 0; d < ndim && n < cap; d++) {
		k = snprintf(buf + n, cap - n, d == 0 ? "%llu" : ", %llu",
		    (unsigned long long)idx[d]);
		n += k < 0 ? cap : (size_t)k;
	}
	if (n < cap)
		snprintf(buf + n, cap - n, "]");
	return buf;
}
