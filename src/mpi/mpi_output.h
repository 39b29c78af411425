/*
 * The output of a multiply shared by the ranks of an MPI run: one
 * temporary file beside the target, created, headed and sized by rank 0
 * (as mapfile.c does for one process), written by every rank with MPI-IO
 * collective writes at its rows' offsets, and renamed over the target by
 * rank 0 once every rank has succeeded. No rank maps it.
 *
 * Every function here is collective and ends with a decision (mpi_agree):
 * on failure every rank gets -1, and one of them has said why.
 */
#ifndef PARDOT_MPI_OUTPUT_H
#define PARDOT_MPI_OUTPUT_H

#include <mpi.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/rowsplit.h"
#include "io/mapfile.h"
#include "io/output.h"
#include "io/matfile.h"

struct rank_output {
	struct output_file	 tmp;	/* rank 0's hold on the file */
	const char		*target;
	char			*path;	/* the temporary file, on every rank */
	MPI_File		 fh;
	uint64_t		 data_at;	/* the header's length */
	uint64_t		 size;		/* the whole file's */
	size_t			 row_bytes;	/* one row of C */
	size_t			 elem;		/* one element */
	size_t			 rows;		/* of C */
};

/*
 * Reserves the output for an array of the given type and shape (ndim 0,
 * 1 or 2), seen as rows of cols elements, and opens it on every rank.
 */
int	rank_output_open(struct rank_output *o, const char *target,
	    enum file_format fmt, enum dtype t, int ndim, const uint64_t *shape,
	    size_t cols);

/*
 * Writes rows [rows.first, rows.first + rows.count) of C from buf, with
 * every rank in the same call; a rank with nothing to write passes a
 * count of 0, and failed true if it failed to compute them. most is the
 * largest count any rank passes, so that all split a write larger than
 * MPI's int counts the same way.
 */
int	rank_output_write(struct rank_output *o, size_t first, size_t count,
	    const void *buf, size_t most, bool failed);

/*
 * Writes the tile of C at rows [rows.first, rows.first + rows.count) and
 * columns [cols.first, cols.first + cols.count), held row-major in buf,
 * through a view of the file that selects it: every rank in the same
 * call, a rank without a tile passing empty ranges, failed true if it
 * failed to compute it. most is the largest tile of any rank, in bytes.
 * C's rows and the bytes of a row must fit in an int (grid.h's plan is
 * refused otherwise).
 */
int	rank_output_write_tile(struct rank_output *o, struct row_range rows,
	    struct row_range cols, const void *buf, size_t most, bool failed);

/*
 * Closes the file and, when ok (the same on every rank) and every write
 * reached the disk, has rank 0 make it durable and rename it over the
 * target; otherwise rank 0 removes it and the target is untouched.
 */
int	rank_output_close(struct rank_output *o, bool ok);

#endif
