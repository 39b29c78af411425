/*
 * One value of any type as text for people: what info prints as a bound
 * and what cmp and convert name in their messages, written as NumPy
 * prints it (True, 255, 0.1, (1+2j)) rather than with 17 digits of noise.
 */
#ifndef PARDOT_VALUES_H
#define PARDOT_VALUES_H

#include <stddef.h>

#include "core/cast.h"

/* Room for any value scalar_str writes. */
#define VALUE_STR_MAX	96

/*
 * s, an element of type t, into buf: a bool as True or False, an integer
 * exactly, a float as the shortest decimal that reads back as the same
 * value of t (nan, inf, -inf spelled so), a complex as (RE+IMj).
 */
const char	*scalar_str(char *buf, size_t cap, const struct scalar *s,
		    enum dtype t);
/* The shortest decimal for d that reads back as d in float type t. */
const char	*real_str(char *buf, size_t cap, double d, enum dtype t);
/* An unsigned 128-bit integer in decimal. */
const char	*u128_str(char *buf, size_t cap, unsigned __int128 v);

#endif
