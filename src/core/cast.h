/*
 * Converting elements from one type to another for pardot convert, where a
 * value that the new type cannot hold must be an error: the multiply's
 * packing only ever widens, and wraps integers as NumPy does.
 */
#ifndef PARDOT_CAST_H
#define PARDOT_CAST_H

#include <stddef.h>

#include "core/matrix.h"

/*
 * Copies row r of src into out as type t, and returns the first column
 * whose value t cannot hold, or SIZE_MAX when every value fits. An integer
 * type holds only whole numbers in its range (no NaN); a float type holds
 * any value, rounded to nearest (to an infinity beyond float32's range), as
 * NumPy's astype does. tmp has room for src->cols 8-byte values.
 */
size_t	cast_row(const struct matrix *src, size_t r, enum dtype t,
	    void *out, void *tmp);

#endif
