/*
 * The output's life: a temporary file beside the target, reserved and
 * mapped, then committed over the target or discarded.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/errmsg.h"
#include "io/fault.h"
#include "io/output.h"

#define TMP_SUFFIX	".pardot-XXXXXX"

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
	if (o->fd != -1 && fault_pending_add(o->tmp) == -1) {
		close(o->fd);
		unlink(o->tmp);
		o->fd = -1;
		saved = EMFILE;
	}
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
		return errmsg_set(o->err, "cannot set the mode", errno);
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
		return errmsg_set(o->err, "cannot map", errno);
	}
	if (fault_watch(o->addr, len, o->target, "cannot write (no space?)") == -1)
		return errmsg_set(o->err, NULL, ENOMEM);
	return 0;
}

/*
 * The pages of a new file cost the system an allocation each, and on a
 * virtual machine often a fault of the host's too: 0.2 s for 128 MiB was
 * seen here on one thread, 0.1 s on two. Chunks of PREFAULT_CHUNK go to
 * the threads in turn.
 */
#define PREFAULT_CHUNK	((size_t)4 << 20)

void
output_prefault(struct output_file *o, int nthreads)
{
#ifdef MADV_POPULATE_WRITE
	size_t nchunks = (o->len + PREFAULT_CHUNK - 1) / PREFAULT_CHUNK;
	int threads = nchunks < (size_t)nthreads ? (int)nchunks : nthreads;

	if (o->addr == NULL)
		return;
	/* 2 MiB folios: see PAGES_HUGE in mapfile.h. */
#ifdef MADV_HUGEPAGE
	madvise(o->addr, o->len, MADV_HUGEPAGE);
#endif
	#pragma omp parallel for num_threads(threads > 1 ? threads : 1) \
	    schedule(dynamic, 1)
	for (size_t i = 0; i < nchunks; i++) {
		size_t off = i * PREFAULT_CHUNK;
		size_t len = o->len - off < PREFAULT_CHUNK ?
		    o->len - off : PREFAULT_CHUNK;

		madvise((char *)o->addr + off, len, MADV_POPULATE_WRITE);
	}
#else
	(void)o;	/* an older kernel takes the faults later */
	(void)nthreads;
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
		return errmsg_set(o->err, NULL, errno);
	}
	if (check_mappable(o, len) == -1)
		return -1;
	if ((o->target = strdup(target)) == NULL || make_tmp_name(o) == -1) {
		free(o->target);
		o->target = NULL;
		return errmsg_set(o->err, NULL, ENOMEM);
	}
	fault_guard_start();
	fault_guard_signals();
	if (create_tmp(o, mode) == -1 || reserve_space(o, len) == -1) {
		output_discard(o);
		return -1;
	}
	return 0;
}

/*
 * Writing back a page that is still mapped write-protects it first, so
 * that a later store dirties it again: a walk of its mappings and a TLB
 * flush for each page, which in a virtual machine costs microseconds a
 * page (sync_file_range over a mapped 32 MiB output took 120 ms here, and
 * msync as long). Pages that are no longer mapped are written back
 * without any of that, and their dirty bits were handed to the page cache
 * when they were unmapped, in one flush. So the output is unmapped before
 * any write-back, and fsync on the descriptor finds every dirty page.
 */
static void
unmap_output(struct output_file *o)
{
	if (o->addr != NULL) {
		fault_unwatch(o->addr);
		munmap(o->addr, o->len);
	}
	o->addr = NULL;
}

void
output_retire(struct output_file *o, size_t off, size_t len)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t lo = (off + page - 1) / page * page;
	size_t hi = (off + len) / page * page;
	char *p = (char *)o->addr + lo;

	if (o->addr == NULL || o->fd == -1 || hi <= lo || hi > o->len)
		return;
	/*
	 * A reservation in place of the pages, rather than munmap, so that
	 * no other mapping can take the addresses before the whole is
	 * unmapped. If it fails the pages stay mapped, and are written at
	 * the commit.
	 */
	if (mmap(p, hi - lo, PROT_NONE, MAP_FIXED | MAP_PRIVATE |
	    MAP_ANONYMOUS | MAP_NORESERVE, -1, 0) == MAP_FAILED)
		return;
	/* Only advice: a failure to write shows again at the commit's sync. */
	sync_file_range(o->fd, (off_t)lo, (off_t)(hi - lo),
	    SYNC_FILE_RANGE_WRITE);
}

static void
close_output(struct output_file *o)
{
	unmap_output(o);
	if (o->fd != -1)
		close(o->fd);
	o->fd = -1;
}

static void
forget_output(struct output_file *o)
{
	fault_pending_remove(o->tmp);
	free(o->tmp);
	free(o->target);
	o->tmp = o->target = NULL;
}

int
output_sync_dir(const char *dir)
{
	int fd, r;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return -1;
	r = fsync(fd);
	close(fd);
	return r;
}

/* Syncs the directory that holds path, so that a rename in it is durable. */
static int
sync_parent(const char *path)
{
	char *d = strdup(path);
	int r = d != NULL ? output_sync_dir(dirname(d)) : -1;

	free(d);
	return r;
}

void
output_park(struct output_file *o)
{
	unmap_output(o);
	if (o->fd != -1 && o->len > 0)
		sync_file_range(o->fd, 0, 0, SYNC_FILE_RANGE_WRITE);
	close_output(o);
}

/* fsync of the temporary file, reopened if it was parked. */
static int
sync_file(const struct output_file *o)
{
	int fd = o->fd, r, saved;

	if (fd == -1 && (fd = open(o->tmp, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	r = fsync(fd);
	saved = errno;
	if (fd != o->fd)
		close(fd);
	errno = saved;
	return r;
}

int
output_commit(struct output_file *o, enum output_sync sync)
{
	bool durable = sync != OUTPUT_VISIBLE;

	unmap_output(o);
	if (durable && sync_file(o) == -1) {
		errmsg_set(o->err, "cannot write", errno);
		output_discard(o);
		return -1;
	}
	close_output(o);
	if (rename(o->tmp, o->target) == -1) {
		errmsg_set(o->err, "cannot replace", errno);
		output_discard(o);
		return -1;
	}
	fault_pending_remove(o->tmp);
	if (sync == OUTPUT_DURABLE && sync_parent(o->target) == -1) {
		errmsg_set(o->err, "cannot sync its directory", errno);
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

bool
output_intact(const struct output_file *o)
{
	struct stat st;

	return fstat(o->fd, &st) == 0 && (uint64_t)st.st_size >= o->len;
}
