/*
 * Mapping files: inputs read-only and shared, outputs through a temporary
 * file beside the target that replaces it only once it is complete.
 */
#ifndef PARDOT_MAPFILE_H
#define PARDOT_MAPFILE_H

#include <stddef.h>

#define MAPFILE_ERRLEN	256

struct mapped_input {
	const void	*addr;		/* NULL when the file is empty */
	size_t		 len;
	char		 err[MAPFILE_ERRLEN];
};

/*
 * Maps path read-only. Returns 0, or -1 with the reason in m->err. Should
 * another process truncate the file while it is mapped, the next read past
 * its new end ends the process: "pardot: PATH: file changed while reading"
 * on stderr, the output's temporary file removed, status 1.
 */
int	map_input(struct mapped_input *m, const char *path);
void	unmap_input(struct mapped_input *m);

/*
 * The status to exit with when a mapped input turns out truncated while it
 * is read (1 by default; cmp uses 2, its status for trouble).
 */
void	map_fault_status(int status);

struct output_file {
	char		*target;	/* the path the user named */
	char		*tmp;		/* .NAME.pardot-XXXXXX beside it */
	int		 fd;
	void		*addr;		/* len bytes, mapped shared */
	size_t		 len;
	char		 err[MAPFILE_ERRLEN];
};

/*
 * Creates the temporary file, reserves len bytes on disk (so that a full
 * disk is an error now rather than a SIGBUS later) and maps them. The
 * target is not touched. Returns 0, or -1 with the reason in o->err; a
 * length this process could not map is refused before anything is created.
 *
 * From then on SIGINT, SIGTERM, SIGHUP and SIGPIPE (each unless already
 * ignored, as under nohup), and exit() from anywhere, remove the temporary
 * file; the signals end the process with status 128 + signal. SIGXFSZ is
 * ignored, so a file size limit is an error. A page of the mapping that the
 * file system cannot back after all ends the process with "pardot: TARGET:
 * cannot write (no space?)", status 1.
 */
int	output_reserve(struct output_file *o, const char *target, size_t len);

/*
 * Makes the data durable and renames the temporary file over the target,
 * then syncs the directory. On failure the temporary file is removed and
 * -1 returned with the reason in o->err.
 */
int	output_commit(struct output_file *o);

/* Removes the temporary file and forgets it; the target is untouched. */
void	output_discard(struct output_file *o);

#endif
