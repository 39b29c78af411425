/*
 * Mapping files: inputs read-only and shared, outputs through a temporary
 * file beside the target that replaces it only once it is complete.
 */
#ifndef PARDOT_MAPFILE_H
#define PARDOT_MAPFILE_H

#include <stddef.h>

#define MAPFILE_ERRLEN	256

/*
 * The io layer's one way to fill an err[MAPFILE_ERRLEN]: "WHAT: strerror"
 * (or strerror alone for what NULL). Returns -1, for "return ...".
 */
int	mapfile_error(char *err, const char *what, int errnum);

struct mapped_input {
	const void	*addr;		/* NULL when the file is empty */
	size_t		 len;
	int		 fd;		/* kept open for page advice; or -1 */
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

/* Starts reading the whole file ahead, for a caller that uses all of it. */
void	map_input_prefetch(const struct mapped_input *m);

/*
 * Advice on the pages that hold [p, p + len), inside a file mapped shared
 * at base from fd (fd -1: the mapping alone). WILLNEED starts reading them
 * ahead; RANDOM says that a fault
 * should read its own page and no more, since reading is advised; POPULATE faults them in,
 * writable, ahead of writes (an output's); DROP unmaps them and
 * drops them from the page cache, once clean; WRITE_BACK writes them to
 * disk, waits, then drops them. Returns 0, or -1 with errno if the write
 * failed; the other advice is only advice and never fails.
 */
enum page_advice {
	PAGES_WILLNEED,
	PAGES_RANDOM,
	PAGES_POPULATE,
	PAGES_DROP,
	PAGES_WRITE_BACK,
};
int	pages_advise(const void *base, int fd, const void *p, size_t len,
	    enum page_advice advice);

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
 * Faults every page of the output in, writable, ahead of the multiply: one
 * call costs far less than a fault per page from inside the kernels. Only
 * for an output that fits in memory beside the inputs.
 */
void	output_prefault(struct output_file *o);

/*
 * Makes the data durable and renames the temporary file over the target,
 * then syncs the directory. On failure the temporary file is removed and
 * -1 returned with the reason in o->err.
 */
int	output_commit(struct output_file *o);

/* Removes the temporary file and forgets it; the target is untouched. */
void	output_discard(struct output_file *o);

#endif
