/*
 * One element of any type, read from its bytes in either byte order: the
 * slow, general path that packing's fast copies fall back to, and what the
 * commands that print, compare and convert values use.
 */
#ifndef PARDOT_ELEM_H
#define PARDOT_ELEM_H

#include <stdbool.h>
#include <stdint.h>

#include "core/dtype.h"

/*
 * The value at p as a double: bool as 0 or 1, integers rounded to nearest
 * (exact below 2^53), float16 and float32 exactly, and the real part of a
 * complex. swapped: the bytes are in the other byte order (a complex's
 * two parts each).
 */
double	elem_real(const void *p, enum dtype t, bool swapped);
/* The imaginary part of a complex at p, 0 for every other type. */
double	elem_imag(const void *p, enum dtype t, bool swapped);
/*
 * An integer or bool at p as an int64 holding its value modulo 2^64
 * (a uint64 keeps its bits), which is all a wrapping sum needs.
 */
int64_t	elem_int(const void *p, enum dtype t, bool swapped);

#endif
