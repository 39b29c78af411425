/*
 * Standard input and output as matrix files: '-' on the command line.
 * Matrices are mapped, so standard input is first copied into a temporary
 * file; a result for standard output is computed into one and then copied
 * out. Binary data is never read from or written to a terminal.
 */
#ifndef PARDOT_STREAMS_H
#define PARDOT_STREAMS_H

#include <stdbool.h>
#include <stddef.h>

#include "io/mapfile.h"

/*
 * Run first: SIGPIPE is ignored, so that a closed pipe on standard output
 * is EPIPE, reported; a closed standard input is noted, and its descriptor
 * taken by /dev/null so that no file opened later becomes "standard
 * input", and reading "-" then says that it is closed.
 */
void	streams_init(void);

/* Is path "-", standard input or output? */
bool	is_stdio(const char *path);

/*
 * Whether binary data cannot go to standard output, after saying why:
 * "pardot: -: refusing to write binary data to a terminal", or that it is
 * closed (a file opened later would take its place).
 */
bool	refuse_binary_stdout(void);

/*
 * Copies standard input into a temporary file in $TMPDIR (or /tmp),
 * removed at once so nothing is left behind, and maps it read-only into m,
 * to be released with unmap_input(). Refuses a terminal. Returns 0, or -1
 * with the reason in m->err.
 */
int	map_stdin(struct mapped_input *m);
/* map_stdin for "-", else map_input. */
int	map_path(struct mapped_input *m, const char *path);

/*
 * Writes len bytes to standard output, through short writes and signals.
 * SIGPIPE is ignored from then on, so that a reader gone away is EPIPE, an
 * error like any other. Returns 0, or -1 with errno set.
 */
int	stdout_write_all(const void *buf, size_t len);

/*
 * Where a result for standard output is computed before it is written
 * out: a name in $TMPDIR (or /tmp) for output_open(), which makes its
 * temporary file beside it. Never itself created.
 */
const char *stdout_staging_path(void);

#endif
