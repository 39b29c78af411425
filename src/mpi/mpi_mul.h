/*
 * A multiply shared by the ranks of an MPI run, on one of two plans
 * (src/core/grid.h), whichever moves fewer bytes per rank within the
 * memory budget. The row plan: rank r computes its rows of C
 * (src/core/rowsplit.h) with the unchanged gemm, a chunk at a time into a
 * private buffer, reading its rows of op(A) and all of op(B) from the
 * mapped files. The grid plan (SUMMA): rank r holds its tile of C and,
 * panel by panel of k, reads its share of op(A)'s and op(B)'s blocks with
 * pread, broadcasts them along its grid row and column and adds each
 * panel's product with gemm's accumulate. Either way every rank writes its
 * part into the one output file (src/mpi/mpi_output.h). A, B and the
 * output's directory are on a filesystem every rank sees.
 *
 * Both functions are collective: every rank calls them, after its own
 * fallible steps, and gets the same answer; a rank that failed before
 * them leaves through mpi_finish instead (see mpi_run.h).
 */
#ifndef PARDOT_MPI_MUL_H
#define PARDOT_MPI_MUL_H

#include <stdint.h>

#include "core/gemm.h"
#include "core/grid.h"
#include "io/matfile.h"
#include "core/rowsplit.h"

struct rank_mul {
	const struct matrix	*a;	/* op(A), every row */
	const struct matrix	*b;	/* op(B) */
	const struct input_matrix *a_in, *b_in;	/* their files */
	const char		*a_path, *b_path;
	uint64_t		 mem_limit;	/* --mem-limit, or MEMBUDGET_NONE */
	int			 grid_rows, grid_cols;	/* --grid; 0: chosen */
	bool			 verbose;	/* -v: the plan, on rank 0 */
	/*
	 * The rows of C this rank computes on the row plan; on the grid, the
	 * rows its overflow check covers.
	 */
	struct row_range	 rows;
	struct grid_problem	 problem;
	struct grid_plan	 plan;
	enum gemm_route		 route;		/* the grid's, settled once */
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
	/* This rank's panels: read with pread, broadcast, received. */
	uint64_t		 read, sent, received;
};

/*
 * The plan of job (a, b, a_in, b_in, the paths, setup, dtype, the limit
 * and --grid set), once every rank has checked that it reads inputs of the
 * same types and shapes as rank 0 (a file that is not on a shared
 * filesystem may differ from node to node): job->plan, job->rows and, for
 * an int64 grid, job->route. On the row plan the inputs are then read
 * ahead. Returns 0, or -1 after one message: a forced grid that cannot be,
 * or a budget no plan fits in (with the number of ranks that would do).
 */
int	mpi_share_rows(struct rank_mul *job);

/* Computes and writes this rank's part; 0, or -1 after one message. */
int	mpi_multiply(const struct rank_mul *job, struct rank_mul_done *done);

#endif
