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

/* Maps path read-only. Returns 0, or -1 with the reason in m->err. */
int	map_input(struct mapped_input *m, const char *path);
void	unmap_input(struct mapped_input *m);

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
 * target is not touched. Returns 0, or -1 with the reason in o->err.
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
