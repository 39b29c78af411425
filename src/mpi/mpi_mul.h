/*
 * A multiply shared by the ranks of an MPI run. Rank r computes its rows
 * of C (src/core/rowsplit.h) with the unchanged gemm, a chunk at a time into a
 * private buffer, and every rank writes its chunks into the one output
 * file (src/mpi/mpi_output.h). A, B and the output's directory are on a
 * filesystem every rank sees; each rank maps A and B whole and reads the
 * rows of op(A) it needs and all of op(B).
 *
 * Both functions are collective: every rank calls them, after its own
 * fallible steps, and gets the same answer; a rank that failed before
 * them leaves through mpi_finish instead (see mpi_run.h).
 */
#ifndef PARDOT_MPI_MUL_H
#define PARDOT_MPI_MUL_H

#include <stdint.h>

#include "core/gemm.h"
#include "io/matfile.h"
#include "core/rowsplit.h"

struct rank_mul {
	const struct matrix	*a;	/* op(A), every row */
	const struct matrix	*b;	/* op(B) */
	struct row_range	 rows;	/* the rows of C this rank computes */
	const struct gemm_setup	*setup;
	const char		*target;
	enum file_format	 format;
	enum dtype		 dtype;	/* C's, with its shape as NumPy's */
	int			 ndim;
	const uint64_t		*shape;
};

/* What mpi_multiply did, for -v and the stats. */
struct rank_mul_done {
	struct gemm_result	 gemm;
	double			 open_s, compute_s, commit_s;	/* seconds */
	uint64_t		 written;	/* the output file's size */
};

/*
 * This rank's share of the rows of C, of m in all, once every rank has
 * checked that it reads inputs of the same types and shapes as rank 0 (a
 * file that is not on a shared filesystem may differ from node to node);
 * its inputs are then read ahead. Returns 0, or -1 after one message.
 */
int	mpi_share_rows(const struct input_matrix *a, const char *a_path,
	    const struct input_matrix *b, const char *b_path, size_t m,
	    struct row_range *rows);

/* Computes and writes this rank's rows; 0, or -1 after one message. */
int	mpi_multiply(const struct rank_mul *job, struct rank_mul_done *done);

#endif
