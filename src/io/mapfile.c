/* Inputs mapped read-only and shared, and advice on their pages. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/arith.h"
#include "io/errmsg.h"
#include "io/fault.h"
#include "io/mapfile.h"

#define WILLNEED_CHUNK	(128u << 10)	/* the smallest read-ahead window */

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
		return errmsg_set(m->err, NULL, errno);
	if (fstat(fd, &st) == -1) {
		close(fd);
		return errmsg_set(m->err, NULL, errno);
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
		return errmsg_set(m->err, NULL, EFBIG);
	}
	fault_guard_start();
	p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		close(fd);
		return errmsg_set(m->err, "cannot map", errno);
	}
	if (fault_watch(p, (size_t)st.st_size, path, "file changed while reading") ==
	    -1) {
		munmap(p, (size_t)st.st_size);
		close(fd);
		return errmsg_set(m->err, NULL, ENOMEM);
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
		fault_unwatch(m->addr);
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
	pages_advise(m->addr, m->len, PAGES_WILLNEED);
}

void
map_input_populate(const struct mapped_input *m)
{
	pages_advise(m->addr, m->len, PAGES_HUGE);
	pages_advise(m->addr, m->len, PAGES_POPULATE_READ);
}

void
pages_advise(const void *p, size_t len, enum page_advice advice)
{
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
	uintptr_t lo = (uintptr_t)p / page * page;
	uintptr_t hi = round_up((uintptr_t)p + len, page);
	void *start = (void *)lo;

	if (len == 0)
		return;
	switch (advice) {
	case PAGES_WILLNEED:
		/*
		 * The kernel reads at most its read-ahead window per call
		 * (128 KiB by default) and silently ignores the rest.
		 */
		for (uintptr_t at = lo; at < hi; at += WILLNEED_CHUNK)
			madvise((void *)at, hi - at < WILLNEED_CHUNK ? hi - at :
			    WILLNEED_CHUNK, MADV_WILLNEED);
		return;
	case PAGES_HUGE:
#ifdef MADV_HUGEPAGE
		madvise(start, hi - lo, MADV_HUGEPAGE);
#endif
		return;
	case PAGES_POPULATE_READ:
#ifdef MADV_POPULATE_READ
		madvise(start, hi - lo, MADV_POPULATE_READ);
#endif
		return;
	}
}

