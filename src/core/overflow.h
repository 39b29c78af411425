/*
 * Integer overflow in C = A . B, said out loud: a cheap bound that proves
 * most products safe, and an exact search for the first element that is
 * not. Part of the engine: pure, no I/O and no globals.
 */
#ifndef PARDOT_OVERFLOW_H
#define PARDOT_OVERFLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/progress_hook.h"
#include "core/matrix.h"

/*
 * (largest sum over a row of |A|) x (largest |B|), saturated at UINT64_MAX:
 * no product and no partial sum of any element of A . B is larger in
 * magnitude, whatever order the sum is taken in (a uint64 counts by its
 * unsigned value, a bool as 0 or 1). UINT64_MAX when an operand is not an
 * integer or bool type, or memory is short. Reads A and B once, on
 * nthreads threads.
 */
uint64_t	overflow_bound(const struct matrix *a, const struct matrix *b,
		    int nthreads);

/*
 * The largest value an integer type holds: INT8_MAX ... UINT64_MAX. The
 * smallest is 0 for an unsigned type, -limit - 1 for a signed one.
 */
uint64_t	overflow_limit(enum dtype t);

/* Whether a bound (overflow_bound) proves that no element overflows t. */
bool		overflow_bound_clears(uint64_t bound, enum dtype t);

/* Where the exact search stopped. */
struct overflow_at {
	size_t		 row, col;	/* in C as M x N */
	__int128	 value;		/* the exact sum, unless beyond */
	bool		 beyond;	/* |sum| >= 2^127; value has its sign */
};

/*
 * Finds the first element of A . B, in row-major order, whose exact value
 * the integer type t cannot hold, whatever the thread count. Partial sums
 * may leave the range and come back: wrap-around arithmetic then still
 * gives the exact result, so only the final value counts. Rows that the
 * bound clears are skipped; the rest cost K multiply-adds an element, in
 * 128 bits, reported to progress (may be NULL) as they are done.
 * Returns 1 with *at filled in, 0 when every element fits, -1 when out of
 * memory.
 */
int	overflow_find(const struct matrix *a, const struct matrix *b,
	    enum dtype t, int nthreads, const struct gemm_progress *progress,
	    struct overflow_at *at);

#endif
