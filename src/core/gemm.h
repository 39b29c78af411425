/*
 * The GEMM engine: C = A . B from views into a view, on several threads.
 * It knows nothing of files; transposes and Fortran order arrive as views.
 */
#ifndef PARDOT_GEMM_H
#define PARDOT_GEMM_H

#include <stdbool.h>
#include <stddef.h>

#include "core/kernels/kernel.h"
#include "core/matrix.h"
#include "core/progress_hook.h"

/*
 * Packing buffers kept from one call to the next, for a caller that calls
 * gemm many times (tile by tile): allocating them anew each time costs
 * page faults, and leaves the allocator holding freed memory.
 */
struct gemm_buffers {
	void	*apack, *bpack;
	size_t	 apack_size, bpack_size;
};

/* Cache blocks in elements. */
struct gemm_blocks {
	size_t	mc, kc, nc;
};

/*
 * What stays the same for a run, however many calls make it up: where the
 * work goes and what watches it. A caller splitting a multiply into calls
 * (tiles, chunks) gives them a copy whose hook is a gemm_progress_part.
 */
struct gemm_setup {
	const struct kernel_set	*kernels;
	int			 nthreads;
	/*
	 * Cache blocks to force, each 0 to take the kernel's (struct
	 * ukernel). Tests set tiny ones to reach every edge with small
	 * matrices.
	 */
	struct gemm_blocks	 blocks;
	const struct gemm_progress *progress;	/* NULL: none */
	struct gemm_buffers	*buffers;	/* NULL: allocated per call */
	/*
	 * The multiply-adds that make a thread worth waking, 0 for the
	 * default (GEMM_MIN_WORK); tests set 1 to split small matrices.
	 */
	size_t			 min_work;
	/*
	 * The elements of C a narrow result (narrow.h) is summed into at a
	 * time, 0 for the default (GEMM_BAND: 4 MiB of int32 or float32
	 * sums); tests set a few dozen to cross band edges with small C.
	 */
	size_t			 band;
};

#define GEMM_MIN_WORK	((size_t)1 << 24)
#define GEMM_BAND	((size_t)1 << 20)

/*
 * How an int64 (or uint64) result is summed: GEMM_ROUTE_SCAN scans A and B to choose;
 * the others say it was settled already (gemm_fits_float64 of the whole
 * problem), so that a caller working tile by tile scans once. EXACT is
 * float64 arithmetic on the float64 kernels, exact below 2^53; INTEGER the
 * int64 kernels. Other result types have one route.
 */
enum gemm_route {
	GEMM_ROUTE_SCAN,
	GEMM_ROUTE_EXACT,
	GEMM_ROUTE_INTEGER,
};

/* What one call asks, beyond its operands. */
struct gemm_call {
	/*
	 * C += A . B instead of C = A . B, for a caller that splits the sum
	 * over k at multiples of kc: the sum order is then that of one call.
	 * Not for a real result of one row or column (EINVAL): a single call
	 * takes the vector path, whose order differs; a bool one, which
	 * has no order, may (C |= A . B). A narrow result adds
	 * each call's sum onto C in its own type: exact for integers and
	 * bools, but a float16 is then rounded once per call, not once.
	 */
	bool			 accumulate;
	/*
	 * For an int64 result on the exact route: leave C as the float64
	 * sums, for later calls to accumulate onto, and gemm_to_int64 to
	 * convert at the end. Without it, an int64 result that accumulates
	 * is summed on the integer kernels (C then holds int64s).
	 */
	bool			 keep_doubles;
	enum gemm_route		 route;
};

/* What a call reports, for -v and the stats. */
struct gemm_result {
	const struct ukernel	*used;		/* NULL: the vector path */
	bool			 exact_route;	/* int64 on float64 kernels */
	/*
	 * The threads that ran: the setup's, or fewer for a multiply too
	 * small to share (see threads_for in gemm.c).
	 */
	int			 threads;
};

/*
 * Computes C = A . B, where A is M x K, B is K x N and C is M x N of the
 * type NumPy's promotion gives (any of the 14; A and B in any layout and
 * byte order): integers wrap around modulo 2^bits, a bool is whether any
 * product is true (on bitsets, boolmm.h), a float16 is summed in float32
 * and rounded once, a complex is summed by the 1m method (pack1m.h) on the
 * real kernels; as call asks (NULL: C = A . B, the route chosen by a
 * scan); fills res unless it is NULL. Every element of C is
 * summed over k in an order fixed by kc alone, so the result is the same
 * for any thread count; setup->nthreads is the most it uses. Returns 0,
 * EINVAL when the shapes or types disagree, or ENOMEM.
 */
int	gemm(const struct matrix *a, const struct matrix *b,
	    const struct matrix_out *c, const struct gemm_setup *setup,
	    const struct gemm_call *call, struct gemm_result *res);

/*
 * What several calls that make up one multiply (tiles, chunks) reported,
 * into the first: the last call's kernel and route, the most threads.
 */
void	gemm_result_add(struct gemm_result *into, const struct gemm_result *r);

void	gemm_buffers_free(struct gemm_buffers *buf);

/* C, summed as float64 with keep_doubles, as the int64s it holds. */
void	gemm_to_int64(const struct matrix_out *c, int nthreads);

/*
 * The private memory gemm will allocate for a result of m x n of type t
 * (float64 for an int64 on the exact route): its packing buffers, and the
 * band of a narrow result, or a bool's bitsets (boolmm.h). *kc is the
 * block of k it sums at a time (in elements of A's columns, complex ones
 * too), for a caller that keeps within a memory budget or splits k.
 */
size_t	gemm_private_bytes(const struct gemm_setup *setup, enum dtype compute,
	    size_t m, size_t n, size_t *kc);

/*
 * Whether every product and partial sum of A . B stays within 2^53 in
 * magnitude, so that float64 arithmetic gives the exact integer result.
 * gemm takes that route for int64 results: FMA units are far faster than
 * 64-bit integer multiplies. Scans A and B once, on nthreads threads.
 */
bool	gemm_fits_float64(const struct matrix *a, const struct matrix *b,
	    int nthreads);

#endif
