/*
 * pardot as one rank of an MPI run. Started by mpirun or srun, it joins
 * the run; started any other way, even from the MPI build, it is one
 * process and never initialises MPI. The plain build has the one-process
 * answers (src/mpi/serial.c) in place of src/mpi/mpi_run.c.
 *
 * Only rank 0 speaks. The other ranks' standard output goes to /dev/null
 * and their standard error to a private file, which reaches the terminal
 * only when that rank holds the message that explains a failure: each
 * fallible step ends with mpi_agree, and of the ranks that failed the
 * lowest tells why, so that a failure anywhere is one message in all.
 */
#ifndef PARDOT_MPI_RUN_H
#define PARDOT_MPI_RUN_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Joins the MPI run if a launcher started this process (its environment
 * says so: OMPI_COMM_WORLD_SIZE, PMIX_RANK, PMI_RANK or PMI_SIZE). Returns
 * 0, or -1 after a message.
 */
int	mpi_start(int *argc, char ***argv);

/* The number of ranks, 1 outside an MPI run, and this one's, from 0. */
int	mpi_size(void);
int	mpi_rank(void);

/* "Open MPI v4.1.4, ..." for --version; NULL in the plain build. */
const char *mpi_library(void);

/*
 * The collective decision after a step that every rank takes: 0 when it
 * succeeded everywhere, -1 when it failed on any rank, once the lowest
 * failing rank's messages are on standard error. Every rank must reach
 * the same decisions in the same order; a rank that leaves a command
 * early, after a message, is brought to the one the others wait in by
 * mpi_finish.
 */
int	mpi_agree(bool failed);

/*
 * For a failure that leaves the ranks unable to agree (an MPI call that
 * failed on some ranks only): tells this rank's messages and has the
 * launcher end every rank with status 1. Does not return.
 */
void	mpi_abort(void) __attribute__((noreturn));

/* Rank 0's len bytes at buf, on every rank. Collective. */
void	mpi_share(void *buf, size_t len);

/*
 * Runs fn on rank 0 alone, the way gen, info, cmp and convert run under
 * mpirun; every rank returns rank 0's status.
 */
int	mpi_on_root(int (*fn)(int, char **), int argc, char **argv);

/* Leaves the MPI run; returns status, for main to return. */
int	mpi_finish(int status);

#endif
