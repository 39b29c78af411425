/*
 * How the rows of C are shared out among the ranks of an MPI run, and how
 * a rank walks its share in chunks of bounded size. Pure arithmetic: from
 * M, the number of ranks and the size of a row, every rank derives the
 * same plan for all of them without a message.
 *
 * One rule shapes it: no share and no chunk ever has exactly one row,
 * unless C has only one. gemm takes its matrix-vector path for a one-row
 * C, and that path sums in another order than the blocked kernels, so a
 * lone row could differ in its last bits from the same row computed in a
 * block. Shares and chunks of two rows or more go through the kernels,
 * whose sum order depends on K alone: the result is the same bytes for any
 * number of ranks.
 */
#ifndef PARDOT_ROWSPLIT_H
#define PARDOT_ROWSPLIT_H

#include <stddef.h>

#include "core/matrix.h"

struct row_range {
	size_t	 first, count;
};

/*
 * The rows of an m-row C that rank r of p computes: contiguous, in rank
 * order, equal to within one row. When m < 2p only m / 2 ranks get rows
 * (two or three each) and the others none; when m == 1, rank 0 alone.
 * Rank 0's share is never smaller than another's.
 */
struct row_range	rowsplit_share(size_t m, int p, int r);

/*
 * The rows a chunk holds when a rank computes its share a chunk at a time
 * into a private buffer of at most cap bytes: as many rows of row_bytes as
 * fit, but at least three, so that the last chunk can always be balanced
 * with the one before it (see rowsplit_chunk).
 */
size_t			rowsplit_chunk_rows(size_t row_bytes, size_t cap);

/*
 * Chunk i of a share: chunks of per rows in order, except that a last
 * chunk of one row takes a row from the chunk before it. Past the end, an
 * empty range at the end of the share.
 */
struct row_range	rowsplit_chunk(struct row_range share, size_t per,
			    size_t i);

/*
 * The number of chunks in the largest share, rank 0's: the number of
 * collective writes every rank makes, those with fewer chunks writing
 * nothing in the rest.
 */
size_t			rowsplit_chunks(size_t m, int p, size_t per);

/* The view of rows [first, first + count) of a. */
struct matrix		rowsplit_view(const struct matrix *a,
			    struct row_range rows);

#endif
