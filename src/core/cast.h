/*
 * One element's value, of any type, held exactly, and its conversion to
 * another type for pardot convert, where a value that the new type cannot
 * hold must be an error: the multiply's packing only ever widens, and
 * wraps integers as NumPy does.
 *
 * The policy: a float type holds any real value, rounded to nearest once
 * (to an infinity beyond its range), as NumPy's astype does; a complex
 * type holds any value, each part rounded so; an integer type holds only
 * whole numbers in its range (no NaN, no infinity); bool holds 0 and 1
 * (False and True) only, so that astype's "any nonzero is True" never
 * loses a value silently; a real type holds a complex value only when its
 * imaginary part is zero (astype would drop it, with a warning).
 */
#ifndef PARDOT_CAST_H
#define PARDOT_CAST_H

#include <stdbool.h>
#include <stdint.h>

#include "core/dtype.h"

enum scalar_kind {
	SCALAR_INT,		/* bool and signed integers: i */
	SCALAR_UINT,		/* unsigned integers: u */
	SCALAR_REAL,		/* floats: re */
	SCALAR_COMPLEX,		/* re and im */
};

/* Every value of every type, exactly: a float16 or float32 is a double. */
struct scalar {
	enum scalar_kind	 kind;
	int64_t			 i;
	uint64_t		 u;
	double			 re, im;
};

/* The element of type t at p, its bytes swapped if swapped. */
void	scalar_load(struct scalar *s, const void *p, enum dtype t,
	    bool swapped);
/*
 * s as type t, in the machine's byte order, at out; returns 0, or -1
 * (out untouched) when t cannot hold it by the policy above.
 */
int	cast_store(const struct scalar *s, enum dtype t, void *out);
/* The value of an exact (bool or integer) scalar, widened. */
__int128 scalar_exact(const struct scalar *s);

#endif
