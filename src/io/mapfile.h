/*
 * Mapping inputs: read-only and shared by every thread, with advice on
 * which of their pages to read ahead or map in at once.
 */
#ifndef PARDOT_MAPFILE_H
#define PARDOT_MAPFILE_H

#include <stddef.h>

#include "io/errmsg.h"

struct mapped_input {
	const void	*addr;		/* NULL when the file is empty */
	size_t		 len;
	int		 fd;		/* kept open for pread out of core; or -1 */
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
 * Maps every page of the file in at once, waiting for those still being
 * read: for a file that fits in memory and is read whole by several
 * threads. A fault per 16 pages costs far more, in a virtual machine
 * above all: faulting in 64 MiB from the page cache took 150 ms there,
 * this 6 ms. What is not in the page cache yet is read in 2 MiB folios
 * where memory allows (PAGES_HUGE); read-ahead started by
 * map_input_prefetch would have read it in smaller ones.
 */
void	map_input_populate(const struct mapped_input *m);

/*
 * Advice on the pages of a mapping that hold [p, p + len). WILLNEED starts reading them
 * ahead; POPULATE_READ maps them in, readable, reading what is not in the
 * page cache yet. HUGE asks for transparent huge pages: 2 MiB folios in
 * the page cache, each mapped by one entry. On the virtual machines here
 * the first touch of each 4 KiB mapping costs some 1.5 us even once
 * populated (128 MiB in small pages: 60 ms; in 2 MiB folios: 2 ms).
 */
enum page_advice {
	PAGES_WILLNEED,
	PAGES_POPULATE_READ,
	PAGES_HUGE,
};
void	pages_advise(const void *p, size_t len, enum page_advice advice);

#endif
