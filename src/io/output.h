/*
 * The output's life: written through a temporary file beside the target
 * that replaces it only once it is complete, so that the target is never
 * seen half written and a failed run leaves it as it was.
 */
#ifndef PARDOT_OUTPUT_H
#define PARDOT_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>

#include "io/errmsg.h"

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
 * Faults every page of the output in, writable, ahead of the multiply: one
 * call costs far less than a fault per page from inside the kernels. Only
 * for an output that fits in memory beside the inputs. nthreads threads
 * share the work, since each page costs the system an allocation.
 */
void	output_prefault(struct output_file *o, int nthreads);

/*
 * Starts writing bytes [off, off + len) of the output to disk and returns
 * at once: a part that is complete, such as a stack's finished matrices,
 * so that the commit's sync finds most of the file written already. The
 * whole pages of that range are unmapped first (see output.c): they must
 * not be touched again, while a page the range shares with the rest of
 * the file stays mapped.
 */
void	output_retire(struct output_file *o, size_t off, size_t len);

/*
 * Whether the temporary file still has all of its length: for a writer
 * that writes with pwrite rather than through the mapping, where another
 * process cutting the file would raise no fault, and a later write would
 * just grow it again with a hole.
 */
bool	output_intact(const struct output_file *o);

/*
 * How far a commit goes. OUTPUT_DURABLE: the data is on disk before the
 * rename, and the rename is on disk before the commit returns, so that a
 * crash of the whole system leaves the old target or the new one, whole.
 * OUTPUT_VISIBLE skips both syncs, for scratch files: the rename is as
 * atomic for other processes, the data reaches the disk when the kernel
 * writes it back, and a system crash may leave the target incomplete.
 * OUTPUT_DURABLE_DATA syncs the data but leaves the directory to the
 * caller, who commits many files into one directory and then syncs it
 * once with output_sync_dir: a commit of the directory's journal each
 * file is half of what syncing costs a small file.
 */
enum output_sync {
	OUTPUT_DURABLE,
	OUTPUT_DURABLE_DATA,
	OUTPUT_VISIBLE,
};

/*
 * Unmaps and closes a complete output whose commit is to wait, writing
 * it back to disk meanwhile: a batch commits many at once, so that one
 * journal commit covers them all. The temporary file stays, still removed
 * on a signal, for output_commit or output_discard.
 */
void	output_park(struct output_file *o);

/*
 * Renames the temporary file over the target, as sync says. On failure
 * the temporary file is removed and -1 returned with the reason in o->err.
 */
int	output_commit(struct output_file *o, enum output_sync sync);

/* Syncs the directory dir, so that the renames into it are durable. */
int	output_sync_dir(const char *dir);

/* Removes the temporary file and forgets it; the target is untouched. */
void	output_discard(struct output_file *o);

#endif
