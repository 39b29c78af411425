/*
 * The fault guard: what the process does on a signal or a fault while an
 * output is in flight (see fault.h). Its state is process-wide, since a
 * signal handler has nowhere else to find it.
 */
#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io/fault.h"

#define MAX_WATCHED	8	/* a command maps two inputs and one output */

/*
 * The temporary files a signal must not leave behind: one output in
 * flight, or a batch of them awaiting their commits together. The
 * handlers only unlink and exit, both safe in a signal handler.
 */
static char *volatile pending[FAULT_MAX_PENDING];

/* Removes every pending file: from a handler, or at exit. */
static void
remove_pending(void)
{
	for (size_t i = 0; i < FAULT_MAX_PENDING; i++) {
		char *tmp = pending[i];

		if (tmp != NULL)
			unlink(tmp);
	}
}

/*
 * The mappings a SIGBUS may land in, each with the message that explains
 * it, formatted in advance because a handler may not call stdio. A fault
 * in an input means another process truncated it under us; one in the
 * output means the file system could not back a page after all.
 */
struct watched {
	const char	*volatile start;
	size_t		 len;
	char		*msg;
	size_t		 msglen;
};
static struct watched watched[MAX_WATCHED];

/* The exit status after a reported fault: 1, or 2 for cmp's "trouble". */
static volatile int fault_status = 1;

/* The dispositions we replaced, for faults that are not ours to explain. */
static struct sigaction old_bus, old_segv;

static void
on_fatal_signal(int sig)
{
	remove_pending();
	_exit(128 + sig);
}

static const struct watched *
find_watched(const char *addr)
{
	for (size_t i = 0; i < MAX_WATCHED; i++) {
		const char *s = watched[i].start;

		if (s != NULL && addr >= s && (size_t)(addr - s) < watched[i].len)
			return &watched[i];
	}
	return NULL;
}

/*
 * SIGBUS in a watched mapping: report it, remove the temporary file, exit 1.
 * Anything else (a bug, or a signal sent with kill) goes back to the
 * disposition we found, the default or a sanitizer's, once the temporary
 * file is gone: a fault repeats when the handler returns, and a sent
 * signal is raised again.
 */
static void
on_fault(int sig, siginfo_t *si, void *ctx)
{
	static atomic_flag reported = ATOMIC_FLAG_INIT;
	const struct watched *w = NULL;

	(void)ctx;
	if (sig == SIGBUS && si->si_code > 0)
		w = find_watched(si->si_addr);
	remove_pending();
	if (w == NULL) {
		sigaction(sig, sig == SIGBUS ? &old_bus : &old_segv, NULL);
		if (si->si_code <= 0)
			raise(sig);
		return;
	}
	/* Several threads may fault at once: one message, then _exit. */
	if (atomic_flag_test_and_set(&reported))
		for (;;)
			pause();
	if (write(STDERR_FILENO, w->msg, w->msglen) == -1) {
		/* Nothing more can be said. */
	}
	_exit(fault_status);
}

void
fault_exit_status(int status)
{
	fault_status = status;
}

void
fault_guard_start(void)
{
	static int done;
	struct sigaction sa;

	if (done)
		return;
	done = 1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_fault;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, &old_bus);
	sigaction(SIGSEGV, &sa, &old_segv);
}

int
fault_watch(const void *addr, size_t len, const char *path, const char *what)
{
	for (size_t i = 0; i < MAX_WATCHED; i++) {
		struct watched *w = &watched[i];
		int n;

		if (w->start != NULL)
			continue;
		if ((n = asprintf(&w->msg, "%s: %s: %s\n",
		    program_invocation_short_name, path, what)) == -1) {
			w->msg = NULL;
			return -1;
		}
		w->msglen = (size_t)n;
		w->len = len;
		/* Last: a slot with a start is whole, for the handler. */
		atomic_signal_fence(memory_order_seq_cst);
		w->start = addr;
		return 0;
	}
	return -1;
}

void
fault_unwatch(const void *addr)
{
	for (size_t i = 0; i < MAX_WATCHED; i++) {
		struct watched *w = &watched[i];

		if (w->start == addr && addr != NULL) {
			w->start = NULL;
			atomic_signal_fence(memory_order_seq_cst);
			free(w->msg);
			w->msg = NULL;
		}
	}
}

/*
 * The fatal signals remove the temporary file. A signal that was ignored
 * when we started stays ignored: nohup's SIGHUP, or SIGINT in a background
 * job. SIGXFSZ is ignored outright, so that past a file size limit
 * posix_fallocate fails with EFBIG, reported like any other error, instead
 * of the signal killing us.
 */
void
fault_guard_signals(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGPIPE };
	static int registered;
	struct sigaction sa, old;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_fatal_signal;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		if (sigaction(sigs[i], NULL, &old) == 0 &&
		    old.sa_handler != SIG_IGN)
			sigaction(sigs[i], &sa, NULL);
	signal(SIGXFSZ, SIG_IGN);
	/*
	 * A library we call may end the process with exit() (the OpenMP
	 * runtime does when it cannot start a thread); the files go too.
	 */
	if (!registered && atexit(remove_pending) == 0)
		registered = 1;
}

int
fault_pending_add(char *path)
{
	for (size_t i = 0; i < FAULT_MAX_PENDING; i++)
		if (pending[i] == NULL) {
			pending[i] = path;
			return 0;
		}
	return -1;
}

void
fault_pending_remove(const char *path)
{
	for (size_t i = 0; i < FAULT_MAX_PENDING; i++)
		if (pending[i] == path)
			pending[i] = NULL;
}
