/*
 * The fault guard. A mapped file can fault: an input that another process
 * truncates under us, an output page the file system cannot back after
 * all. Each is reported as "pardot: PATH: WHAT" and the process exits,
 * never leaving the output's temporary file behind; so do the fatal
 * signals and exit() from anywhere.
 */
#ifndef PARDOT_FAULT_H
#define PARDOT_FAULT_H

#include <stddef.h>

/*
 * Installs the SIGBUS and SIGSEGV handlers, once: called before the first
 * mapping, so that no fault can come unexplained. A fault outside the
 * watched mappings (a bug) goes on to the disposition found before.
 */
void	fault_guard_start(void);

/*
 * SIGINT, SIGTERM, SIGHUP and SIGPIPE (each unless already ignored, as
 * under nohup), and exit(), then remove the pending file; the signals end
 * the process with status 128 + signal. SIGXFSZ is ignored, so that a
 * file size limit is an error rather than a signal.
 */
void	fault_guard_signals(void);

/*
 * Starts watching [addr, addr + len) for faults, to be reported as
 * "pardot: PATH: WHAT". Returns -1 if out of memory or of slots.
 */
int	fault_watch(const void *addr, size_t len, const char *path,
	    const char *what);
void	fault_unwatch(const void *addr);

/*
 * The files that a signal, a fault or exit() removes: an output in
 * flight, or a batch awaiting its commits. The caller keeps path alive
 * until it removes it. fault_pending_add returns -1 when all
 * FAULT_MAX_PENDING places are taken.
 */
#define FAULT_MAX_PENDING	72
int	fault_pending_add(char *path);
void	fault_pending_remove(const char *path);

/*
 * The status to exit with after a reported fault (1 by default; cmp uses
 * 2, its status for trouble).
 */
void	fault_exit_status(int status);

#endif
