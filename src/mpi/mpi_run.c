/* pardot as one rank of an MPI run; see mpi_run.h. */
#include <err.h>
#include <fcntl.h>
#include <mpi.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mpi/mpi_run.h"

static bool	joined;		/* MPI_Init was called */
static int	size = 1, rank;
/* The rank's real standard error while fd 2 is the capture; -1 on rank 0. */
static int	real_stderr = -1;
/* A failed decision ends the command on every rank at once. */
static bool	settled;

static bool
launched(void)
{
	static const char *const vars[] = { "OMPI_COMM_WORLD_SIZE",
	    "PMIX_RANK", "PMI_RANK", "PMI_SIZE" };

	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
		if (getenv(vars[i]) != NULL)
			return true;
	return false;
}

/*
 * Ranks other than 0 keep quiet: standard output to /dev/null, standard
 * error to an unnamed file kept for mpi_agree.
 */
static int
capture_stderr(void)
{
	FILE *f = tmpfile();
	int null = open("/dev/null", O_WRONLY | O_CLOEXEC);

	if (f == NULL || null == -1) {
		warn("rank %d: cannot keep its messages", rank);
		return -1;
	}
	fflush(stdout);
	fflush(stderr);
	real_stderr = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
	if (real_stderr == -1 || dup2(fileno(f), STDERR_FILENO) == -1 ||
	    dup2(null, STDOUT_FILENO) == -1) {
		warn("rank %d: cannot keep its messages", rank);
		return -1;
	}
	close(null);
	return 0;
}

int
mpi_start(int *argc, char ***argv)
{
	int provided;

	if (!launched())
		return 0;
	/*
	 * Open MPI's own MPI-IO (ompio, 4.1) can lose a rank's failed write
	 * and report success: a file with a hole in it would then replace the
	 * target. ROMIO reports it. The user's choice, if any, stands.
	 */
	setenv("OMPI_MCA_io", "^ompio", 0);
	/* OpenMP threads run in each rank; only the main one calls MPI. */
	if (MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided) !=
	    MPI_SUCCESS) {
		warnx("cannot join the MPI run");
		return -1;
	}
	joined = true;
	MPI_Comm_size(MPI_COMM_WORLD, &size);
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	if (rank > 0 && capture_stderr() == -1)
		MPI_Abort(MPI_COMM_WORLD, 1);
	/*
	 * Every rank writes the output: past a file size limit, a write
	 * must fail with EFBIG, an error to agree on, not end the rank.
	 */
	signal(SIGXFSZ, SIG_IGN);
	return 0;
}

int
mpi_size(void)
{
	return size;
}

int
mpi_rank(void)
{
	return rank;
}

const char *
mpi_library(void)
{
	static char version[MPI_MAX_LIBRARY_VERSION_STRING];
	int len;

	MPI_Get_library_version(version, &len);
	version[strcspn(version, ",\n")] = '\0';
	return version;
}

/* This rank's kept messages, onto the real standard error. */
static void
tell_kept(void)
{
	char buf[4096];
	ssize_t n;
	off_t at = 0;

	fflush(stderr);
	while ((n = pread(STDERR_FILENO, buf, sizeof(buf), at)) > 0) {
		if (write(real_stderr, buf, (size_t)n) != n)
			break;
		at += n;
	}
}

int
mpi_agree(bool failed)
{
	int mine = failed ? rank : size, first;

	if (size == 1)
		return failed ? -1 : 0;
	MPI_Allreduce(&mine, &first, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
	if (first == size)
		return 0;
	settled = true;
	/* Rank 0 said it already, on its own standard error. */
	if (first == rank && rank > 0)
		tell_kept();
	return -1;
}

void
mpi_abort(void)
{
	if (rank > 0)
		tell_kept();
	MPI_Abort(MPI_COMM_WORLD, 1);
	abort();	/* MPI_Abort does not return either */
}

void
mpi_share(void *buf, size_t len)
{
	if (size > 1)
		MPI_Bcast(buf, (int)len, MPI_BYTE, 0, MPI_COMM_WORLD);
}

int
mpi_on_root(int (*fn)(int, char **), int argc, char **argv)
{
	int status = 0;

	if (rank == 0)
		status = fn(argc, argv);
	if (size > 1) {
		MPI_Bcast(&status, 1, MPI_INT, 0, MPI_COMM_WORLD);
		settled = true;
	}
	return status;
}

int
mpi_finish(int status)
{
	if (!joined)
		return status;
	/*
	 * A rank that failed on its own, before the others could know,
	 * joins the decision they wait in; it is the first to have failed.
	 */
	if (size > 1 && status != 0 && !settled)
		mpi_agree(true);
	fflush(stdout);
	fflush(stderr);
	MPI_Finalize();
	return status;
}
