/*
 * The bool x bool product on bitsets, the GEMM engine's route for a bool
 * result: C[i, j] = whether any A[i, p] and B[p, j]. Rows of A and columns
 * of B are packed into bitsets over k, 64 bits a word, and each element of
 * C is the test "some word of (row & column) is not 0", which stops at the
 * first chunk of words that has one; a sparse row of A ORs the rows of B
 * it selects instead. No count is kept, so k is unbounded.
 */
#ifndef PARDOT_BOOLMM_H
#define PARDOT_BOOLMM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/kernels/kernel.h"
#include "core/matrix.h"
#include "core/meter.h"

/*
 * The most bits of k packed at a time, and the bytes of the B panel packed
 * by columns (its rows, packed too when A looks sparse, take as much).
 */
#define BOOLMM_KC	((size_t)8192)
#define BOOLMM_PANEL	((size_t)256 << 10)

/*
 * The blocks of one product: mc rows of A packed by a task, kc bits of k
 * (a multiple of 64) packed at a time, nc columns of B in the shared
 * panel, ldw words from one packed row or column to the next (kc / 64
 * padded to a whole chunk of the test).
 */
struct boolmm_blocks {
	size_t	mc, kc, nc, ldw;
};

/*
 * The blocks for m x k by k x n (k 0: the largest, for a caller sizing
 * memory before it knows k), each forced one used when it is not 0: tests
 * force small ones to cross every edge with small matrices. They bound
 * the buffers whatever m, n and k, and they change no bit of C.
 */
struct boolmm_blocks boolmm_blocks(size_t m, size_t n, size_t k,
		    size_t force_mc, size_t force_kc, size_t force_nc);

/* The packed B panel, shared; the packed A block, one per thread. */
size_t		boolmm_bpack_bytes(const struct boolmm_blocks *blk);
size_t		boolmm_apack_bytes(const struct boolmm_blocks *blk);

/*
 * C = A . B for bool A, B and C (C |= A . B when accumulating; a byte of
 * A, B or an accumulated C that is not 0 reads as true, as in NumPy, and
 * C gets 0 or 1), on nthreads threads splitting the rows of C. bpack and
 * apack are the buffers sized above (apack for every thread), aligned to
 * 64 bytes. Counts m x n x k multiply-adds on meter.
 */
void		boolmm(const struct matrix *a, const struct matrix *b,
		    const struct matrix_out *c, const struct boolmm_blocks *blk,
		    bool accumulate, int nthreads, uint64_t *bpack,
		    uint64_t *apack, struct meter *meter);

/* What -v and --stats name as the kernel of this route. */
extern const struct ukernel boolmm_kernel;

#endif
