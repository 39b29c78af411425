/*
 * The micro-kernel contract, and the table that picks one set of kernels for
 * the CPU at hand. Nothing outside src/core/kernels/ knows which ISA runs.
 *
 * A micro-kernel for element type T with register block MR x NR computes
 *
 *	AB[i][j] = sum over p = 0 .. k-1, in that order, of a[p*MR + i] * b[p*NR + j]
 *
 * starting from zero, one accumulator per (i, j), and then stores
 *
 *	c[i*ldc + j] = AB[i][j]			when accumulate is 0,
 *	c[i*ldc + j] = c[i*ldc + j] + AB[i][j]	otherwise,
 *
 * for every i < MR and j < NR: C is not read when it is only overwritten.
 * a and b are packed micro-panels, aligned to 64 bytes; edge tiles are
 * zero-padded by the packing, so a kernel always computes a full tile (the
 * caller points c at scratch for tiles that overhang C). k may be 0.
 *
 * Floating-point kernels may use fused multiply-add; the order above is what
 * makes a result independent of how the work is split between threads.
 * Integer kernels wrap around in two's complement, as NumPy does: they
 * compute in unsigned arithmetic, so overflow is never undefined.
 */
#ifndef PARDOT_KERNEL_H
#define PARDOT_KERNEL_H

#include <stddef.h>

#include "core/matrix.h"

typedef void ukernel_fn(size_t k, const void *restrict a,
    const void *restrict b, void *restrict c, size_t ldc, int accumulate);

/*
 * A kernel and the cache blocks the GEMM loops use around it, in elements:
 * mc rows of A (a multiple of mr), kc steps of the sum (a multiple of the
 * kernel's unrolling of k), nc columns of B (a multiple of nr). They are
 * data, not measured from the machine, because kc orders the sums: with
 * them fixed, a result depends on the kernel set alone. A 0 leaves that
 * block to the cache sizes the system reports.
 */
struct ukernel {
	const char	*name;		/* e.g. "f64_avx2_6x8" */
	unsigned	 mr, nr;
	size_t		 mc, kc, nc;
	ukernel_fn	*fn;
};

/*
 * Kernels exist for the first four types of enum dtype only (float64,
 * float32, int64, int32): every other type is summed in one of them
 * (dtype_compute), a complex one as pairs of reals.
 */
#define KERNEL_DTYPES	4

/*
 * The pair kernel, i16x2: int16 elements two steps of k at a time, for
 * the integer results of 16 bits or fewer (gemm.c), whose sums need only
 * their low 16 bits. For each step q, a holds MR and b NR 32-bit units,
 * each the int16 values at k = 2q (low half) and 2q + 1 (high half) of
 * its row of A or column of B, and
 *
 *	AB[i][j] = sum over q = 0 .. k-1 of a[q][i].lo * b[q][j].lo +
 *	    a[q][i].hi * b[q][j].hi
 *
 * in int32 with wrap-around, stored into int32 C as above; k counts pairs.
 * Two products a multiply (vpmaddwd) where the int32 kernels get one.
 */
struct kernel_set {
	const char	*isa;	/* "generic", "avx2", "avx512", "avx512vnni" */
	struct ukernel	 k[KERNEL_DTYPES];	/* indexed by enum dtype */
	struct ukernel	 i16x2;
};

extern const struct kernel_set kernels_generic;
extern const struct kernel_set kernels_avx2;
extern const struct kernel_set kernels_avx512;
extern const struct kernel_set kernels_avx512vnni;	/* + AVX512-VNNI */

/* Whether this CPU (and its operating system) can run the set. */
int			 kernels_supported(const struct kernel_set *);

/*
 * The set to use: the one named by force ("generic", "avx2", "avx512",
 * "avx512vnni") when
 * it is not NULL, else the best the CPU supports. Returns NULL, with *why
 * set, when the name is unknown or the CPU cannot run that set.
 */
const struct kernel_set	*kernels_select(const char *force, const char **why);

#endif
