#include <errno.h>
#include <err.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/errmsg.h"
#include "io/streams.h"

#define COPY_CHUNK	(1u << 20)

/* Set by streams_init: descriptor 0 was closed when pardot started. */
static bool	stdin_closed;

void
streams_init(void)
{
	/*
	 * A reader gone away is a write error like any other, in every
	 * command: EPIPE, one message and status 1, rather than death by
	 * SIGPIPE for some commands and an error for others.
	 */
	signal(SIGPIPE, SIG_IGN);
	if (fcntl(STDIN_FILENO, F_GETFD) == -1 && errno == EBADF) {
		stdin_closed = true;
		/* Taken now, so that no file opened later becomes it. */
		int fd = open("/dev/null", O_RDONLY);
		if (fd > STDIN_FILENO)
			close(fd);
	}
}

bool
is_stdio(const char *path)
{
	return strcmp(path, "-") == 0;
}

bool
refuse_binary_stdout(void)
{
	if (fcntl(STDOUT_FILENO, F_GETFD) == -1) {
		warn("-: cannot write");
		return true;
	}
	if (!isatty(STDOUT_FILENO))
		return false;
	warnx("-: refusing to write binary data to a terminal");
	return true;
}

static const char *
tmp_dir(void)
{
	const char *d = getenv("TMPDIR");

	return d != NULL && *d != '\0' ? d : "/tmp";
}

const char *
stdout_staging_path(void)
{
	static char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/pardot-stdout", tmp_dir());
	return path;
}

/* An unlinked file in the temporary directory, or -1. */
static int
anonymous_file(struct mapped_input *m)
{
	char path[PATH_MAX];
	int fd;

	if (snprintf(path, sizeof(path), "%s/.stdin.pardot-XXXXXX",
	    tmp_dir()) >= (int)sizeof(path))
		return errmsg_set(m->err, "cannot make a temporary file",
		    ENAMETOOLONG);
	if ((fd = mkostemp(path, O_CLOEXEC)) == -1) {
		/* Name the directory: a wrong TMPDIR is the usual cause. */
		snprintf(m->err, sizeof(m->err), "cannot make a temporary file "
		    "in %s: %s", tmp_dir(), strerror(errno));
		return -1;
	}
	unlink(path);
	return fd;
}

/* Copies all of standard input to fd; returns the length, or -1. */
static off_t
copy_stdin(struct mapped_input *m, int fd, char *buf)
{
	off_t total = 0;
	ssize_t n;

	for (;;) {
		n = read(STDIN_FILENO, buf, COPY_CHUNK);
		if (n == 0)
			return total;
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return errmsg_set(m->err, "cannot read standard "
			    "input", errno);
		for (ssize_t w, done = 0; done < n; done += w) {
			if ((w = write(fd, buf + done, (size_t)(n - done))) ==
			    -1 && errno == EINTR)
				w = 0;
			else if (w == -1)
				return errmsg_set(m->err, "cannot copy "
				    "standard input", errno);
		}
		total += n;
	}
}

int
map_stdin(struct mapped_input *m)
{
	char *buf;
	off_t len;
	void *p;
	int fd;

	memset(m, 0, sizeof(*m));
	m->fd = -1;
	if (stdin_closed || fcntl(STDIN_FILENO, F_GETFD) == -1) {
		snprintf(m->err, sizeof(m->err), "standard input is closed");
		return -1;
	}
	if (isatty(STDIN_FILENO)) {
		snprintf(m->err, sizeof(m->err),
		    "refusing to read binary data from a terminal");
		return -1;
	}
	if ((buf = malloc(COPY_CHUNK)) == NULL)
		return errmsg_set(m->err, "cannot read standard input",
		    ENOMEM);
	if ((fd = anonymous_file(m)) == -1) {
		free(buf);
		return -1;
	}
	len = copy_stdin(m, fd, buf);
	free(buf);
	if (len <= 0 || (uint64_t)len > SIZE_MAX) {
		close(fd);
		return len == 0 ? 0 : len > 0 ? errmsg_set(m->err,
		    "cannot map", EFBIG) : -1;
	}
	p = mmap(NULL, (size_t)len, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return errmsg_set(m->err, "cannot map", errno);
	m->addr = p;
	m->len = (size_t)len;
	return 0;
}

int
map_path(struct mapped_input *m, const char *path)
{
	return is_stdio(path) ? map_stdin(m) : map_input(m, path);
}

int
stdout_write_all(const void *buf, size_t len)
{
	const char *p = buf;
	ssize_t n;

	signal(SIGPIPE, SIG_IGN);
	while (len > 0) {
		n = write(STDOUT_FILENO, p, len < SSIZE_MAX ? len : SSIZE_MAX);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}
