/*
 * The plain build: one process, never an MPI run. What src/mpi/mpi_run.c and
 * src/mpi/mpi_mul.c provide in the MPI build, answered for a single process.
 */
#include <err.h>
#include <stdlib.h>

#include "mpi/mpi_mul.h"
#include "mpi/mpi_run.h"

int
mpi_start(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

int
mpi_size(void)
{
	return 1;
}

int
mpi_rank(void)
{
	return 0;
}

const char *
mpi_library(void)
{
	return NULL;
}

int
mpi_agree(bool failed)
{
	return failed ? -1 : 0;
}

void
mpi_share(void *buf, size_t len)
{
	(void)buf;
	(void)len;
}

int
mpi_on_root(int (*fn)(int, char **), int argc, char **argv)
{
	return fn(argc, argv);
}

int
mpi_finish(int status)
{
	return status;
}

void
mpi_abort(void)
{
	exit(1);
}

/* Never called: mpi_size() is 1. */
int
mpi_share_rows(struct rank_mul *job)
{
	job->rows = rowsplit_share(job->a->rows, 1, 0);
	return 0;
}

/* Never called: mpi_size() is 1. */
int
mpi_multiply(const struct rank_mul *job, struct rank_mul_done *done)
{
	(void)job;
	(void)done;
	warnx("mul: this pardot was built without MPI");
	return -1;
}
