#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/mapfile.h"

#define TMP_SUFFIX	".pardot-XXXXXX"
#define MAX_WATCHED	8	/* a command maps two inputs and one output */
#define WILLNEED_CHUNK	(128u << 10)	/* the smallest read-ahead window */

/*
 * The temporary file a signal must not leave behind. A process has at most
 * one output in flight, so one slot is enough; the handlers only unlink and
 * exit, both safe in a signal handler.
 */
static char *volatile pending_tmp;

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
	char *tmp = pending_tmp;

	if (tmp != NULL)
		unlink(tmp);
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
	char *tmp = pending_tmp;

	(void)ctx;
	if (sig == SIGBUS && si->si_code > 0)
		w = find_watched(si->si_addr);
	if (tmp != NULL)
		unlink(tmp);
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
map_fault_status(int status)
{
	fault_status = status;
}

/* Called before the first mapping, so that no fault can come unexplained. */
static void
watch_faults(void)
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

/*
 * Starts watching [addr, addr + len) for faults, to be reported as
 * "pardot: PATH: WHAT". Returns -1 if out of memory or of slots.
 */
static int
watch(const void *addr, size_t len, const char *path, const char *what)
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

static void
unwatch(const void *addr)
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
 * A library we call may end the process with exit() (the OpenMP runtime
 * does when it cannot start a thread); the temporary file goes too.
 */
static void
remove_pending(void)
{
	char *tmp = pending_tmp;

	if (tmp != NULL)
		unlink(tmp);
}

/*
 * The fatal signals remove the temporary file. A signal that was ignored
 * when we started stays ignored: nohup's SIGHUP, or SIGINT in a background
 * job. SIGXFSZ is ignored outright, so that past a file size limit
 * posix_fallocate fails with EFBIG, reported like any other error, instead
 * of the signal killing us.
 */
static void
watch_signals(void)
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
	if (!registered && atexit(remove_pending) == 0)
		registered = 1;
}

static int
fail(char *err, const char *what, int errnum)
{
	if (what != NULL)
		snprintf(err, MAPFILE_ERRLEN, "%s: %s", what, strerror(errnum));
	else
		snprintf(err, MAPFILE_ERRLEN, "%s", strerror(errnum));
	return -1;
}

int
mapfile_error(char *err, const char *what, int errnum)
{
	return fail(err, what, errnum);
}

int
map_input(struct mapped_input *m, const char *path)
{
	struct stat st;
	void *p;
	int fd;

	memset(m, 0, sizeof(*m));
	m->fd = -1;
	/* O_NONBLOCK: a FIFO must be refused, not waited on for a writer. */
	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) == -1)
		return fail(m->err, NULL, errno);
	if (fstat(fd, &st) == -1) {
		close(fd);
		return fail(m->err, NULL, errno);
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		snprintf(m->err, sizeof(m->err), "%s", S_ISDIR(st.st_mode) ?
		    "is a directory" : "not a regular file");
		return -1;
	}
	if (st.st_size == 0) {
		close(fd);
		return 0;
	}
	if ((unsigned long long)st.st_size > SIZE_MAX) {
		close(fd);
		return fail(m->err, NULL, EFBIG);
	}
	watch_faults();
	p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		close(fd);
		return fail(m->err, "cannot map", errno);
	}
	if (watch(p, (size_t)st.st_size, path, "file changed while reading") ==
	    -1) {
		munmap(p, (size_t)st.st_size);
		close(fd);
		return fail(m->err, NULL, ENOMEM);
	}
	m->addr = p;
	m->len = (size_t)st.st_size;
	m->fd = fd;
	return 0;
}

void
unmap_input(struct mapped_input *m)
{
	if (m->addr != NULL) {
		unwatch(m->addr);
		munmap((void *)m->addr, m->len);
	}
	if (m->fd != -1)
		close(m->fd);
	m->addr = NULL;
	m->len = 0;
	m->fd = -1;
}

void
map_input_prefetch(const struct mapped_input *m)
{
	pages_advise(m->addr, m->fd, m->addr, m->len, PAGES_WILLNEED);
}

int
pages_advise(const void *base, int fd, const void *p, size_t len,
    enum page_advice advice)
{
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
	uintptr_t lo = (uintptr_t)p / page * page;
	uintptr_t hi = ((uintptr_t)p + len + page - 1) / page * page;
	void *start = (void *)lo;

	if (len == 0)
		return 0;
	switch (advice) {
	case PAGES_WILLNEED:
		/*
		 * The kernel reads at most its read-ahead window per call
		 * (128 KiB by default) and silently ignores the rest.
		 */
		for (uintptr_t at = lo; at < hi; at += WILLNEED_CHUNK)
			madvise((void *)at, hi - at < WILLNEED_CHUNK ? hi - at :
			    WILLNEED_CHUNK, MADV_WILLNEED);
		return 0;
	case PAGES_RANDOM:
		madvise(start, hi - lo, MADV_RANDOM);
		return 0;
	case PAGES_POPULATE:
#ifdef MADV_POPULATE_WRITE
		madvise(start, hi - lo, MADV_POPULATE_WRITE);
#endif
		return 0;
	case PAGES_WRITE_BACK:
		if (msync(start, hi - lo, MS_SYNC) == -1)
			return -1;
		/* FALLTHROUGH */
	case PAGES_DROP:
		/* Mapped pages stay in the cache: unmap them first. */
		madvise(start, hi - lo, MADV_DONTNEED);
		if (fd != -1)
			posix_fadvise(fd, (off_t)(lo - (uintptr_t)base),
			    (off_t)(hi - lo), POSIX_FADV_DONTNEED);
		return 0;
	}
	return 0;
}

/* The mode a new file gets from open(2): 0666 less the umask. */
static mode_t
default_mode(void)
{
	mode_t mask = umask(0);

	umask(mask);
	return 0666 & ~mask;
}

/* Fills o->tmp with DIR/.BASE.pardot-XXXXXX for the target DIR/BASE. */
static int
make_tmp_name(struct output_file *o)
{
	char *d = strdup(o->target), *b = strdup(o->target);
	int r = -1;

	if (d != NULL && b != NULL &&
	    asprintf(&o->tmp, "%s/.%s" TMP_SUFFIX, dirname(d), basename(b)) != -1)
		r = 0;
	else
		o->tmp = NULL;
	free(d);
	free(b);
	return r;
}

/* Creates the temporary file, registered for removal on a signal. */
static int
create_tmp(struct output_file *o, mode_t mode)
{
	sigset_t all, old;
	int saved;

	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	o->fd = mkostemp(o->tmp, O_CLOEXEC);
	saved = errno;
	if (o->fd != -1)
		pending_tmp = o->tmp;
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (o->fd == -1) {
		char *d = strdup(o->target);

		snprintf(o->err, sizeof(o->err), "cannot create a file in %s: %s",
		    d != NULL ? dirname(d) : "its directory", strerror(saved));
		free(d);
		free(o->tmp);
		o->tmp = NULL;
		return -1;
	}
	if (fchmod(o->fd, mode) == -1)
		return fail(o->err, "cannot set the mode", errno);
	return 0;
}

/*
 * Refuses a size that this process could never map, whether for the width
 * of the address space or for a limit on it (ulimit -v), before anything
 * is created or reserved on disk. The probe takes address space only.
 */
static int
check_mappable(struct output_file *o, size_t len)
{
	void *p;

	if (len == 0)
		return 0;
	p = mmap(NULL, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS |
	    MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED) {
		snprintf(o->err, sizeof(o->err), "cannot map a result of %zu "
		    "bytes: %s", len, strerror(errno));
		return -1;
	}
	munmap(p, len);
	return 0;
}

/* Allocates the file's blocks now, then maps them for writing. */
static int
reserve_space(struct output_file *o, size_t len)
{
	int e;

	o->len = len;
	if (len == 0)
		return 0;
	if ((e = posix_fallocate(o->fd, 0, (off_t)len)) != 0) {
		snprintf(o->err, sizeof(o->err), "cannot reserve %zu bytes: %s",
		    len, strerror(e));
		return -1;
	}
	o->addr = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, o->fd, 0);
	if (o->addr == MAP_FAILED) {
		o->addr = NULL;
		return fail(o->err, "cannot map", errno);
	}
	if (watch(o->addr, len, o->target, "cannot write (no space?)") == -1)
		return fail(o->err, NULL, ENOMEM);
	return 0;
}

void
output_prefault(struct output_file *o)
{
#ifdef MADV_POPULATE_WRITE
	if (o->addr != NULL)
		madvise(o->addr, o->len, MADV_POPULATE_WRITE);
#else
	(void)o;	/* an older kernel takes the faults later */
#endif
}

int
output_reserve(struct output_file *o, const char *target, size_t len)
{
	struct stat st;
	mode_t mode;

	memset(o, 0, sizeof(*o));
	o->fd = -1;
	if (stat(target, &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			snprintf(o->err, sizeof(o->err), "is a directory");
			return -1;
		}
		if (!S_ISREG(st.st_mode)) {
			snprintf(o->err, sizeof(o->err),
			    "not a regular file (pardot replaces its output)");
			return -1;
		}
		mode = st.st_mode & 07777;
	} else if (errno == ENOENT) {
		mode = default_mode();
	} else {
		return fail(o->err, NULL, errno);
	}
	if (check_mappable(o, len) == -1)
		return -1;
	if ((o->target = strdup(target)) == NULL || make_tmp_name(o) == -1) {
		free(o->target);
		o->target = NULL;
		return fail(o->err, NULL, ENOMEM);
	}
	watch_faults();
	watch_signals();
	if (create_tmp(o, mode) == -1 || reserve_space(o, len) == -1) {
		output_discard(o);
		return -1;
	}
	return 0;
}

static void
close_output(struct output_file *o)
{
	if (o->addr != NULL) {
		unwatch(o->addr);
		munmap(o->addr, o->len);
	}
	if (o->fd != -1)
		close(o->fd);
	o->addr = NULL;
	o->fd = -1;
}

static void
forget_output(struct output_file *o)
{
	pending_tmp = NULL;
	free(o->tmp);
	free(o->target);
	o->tmp = o->target = NULL;
}

/* Syncs the directory that holds path, so that a rename in it is durable. */
static int
sync_parent(const char *path)
{
	char *d = strdup(path);
	int fd, r = -1;

	if (d != NULL && (fd = open(dirname(d), O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) != -1) {
		r = fsync(fd);
		close(fd);
	}
	free(d);
	return r;
}

int
output_commit(struct output_file *o)
{
	if (o->addr != NULL && msync(o->addr, o->len, MS_SYNC) == -1) {
		fail(o->err, "cannot write", errno);
		output_discard(o);
		return -1;
	}
	if (fsync(o->fd) == -1) {
		fail(o->err, "cannot write", errno);
		output_discard(o);
		return -1;
	}
	close_output(o);
	if (rename(o->tmp, o->target) == -1) {
		fail(o->err, "cannot replace", errno);
		output_discard(o);
		return -1;
	}
	pending_tmp = NULL;
	if (sync_parent(o->target) == -1) {
		fail(o->err, "cannot sync its directory", errno);
		forget_output(o);
		return -1;
	}
	forget_output(o);
	return 0;
}

void
output_discard(struct output_file *o)
{
	close_output(o);
	if (o->tmp != NULL)
		unlink(o->tmp);
	forget_output(o);
}
