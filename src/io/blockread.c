#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

#include "core/dtype.h"
#include "io/blockread.h"

/* The most bytes one pread asks for: a long run is read in such pieces. */
#define PIECE	((size_t)1 << 20)

/*
 * The block as runs of contiguous bytes in the file: count runs of len
 * bytes, the first at offset first, width of them outer bytes after the
 * width before, each of those inner bytes after the one before. Runs are
 * rows or columns (width 1); a view with neither stride of one element
 * has runs of one element, a row of width of them at a time.
 */
struct runs {
	int64_t		 first, outer, inner;
	size_t		 len, count, width;
};

static struct runs
block_runs(const struct file_block *fb, struct matrix *out)
{
	const struct matrix *v = fb->v;
	int64_t esz = (int64_t)dtype_size(v->dtype);
	int64_t rs = v->rs * esz, cs = v->cs * esz;
	size_t rows = fb->r1 - fb->r0, cols = fb->c1 - fb->c0;
	struct runs r = { (int64_t)((const unsigned char *)v->data -
	    (const unsigned char *)fb->m->addr) + (int64_t)fb->r0 * rs +
	    (int64_t)fb->c0 * cs, 0, 0, 0, 0, 0 };

	*out = *v;
	out->rows = rows;
	out->cols = cols;
	if (cs == esz || cols == 1) {
		r = (struct runs){ r.first, rs, 0, cols * (size_t)esz, rows,
		    1 };
		out->rs = (ptrdiff_t)cols;
		out->cs = 1;
	} else if (rs == esz || rows == 1) {
		r = (struct runs){ r.first, cs, 0, rows * (size_t)esz, cols,
		    1 };
		out->rs = 1;
		out->cs = (ptrdiff_t)rows;
	} else {
		r = (struct runs){ r.first, rs, cs, (size_t)esz, rows * cols,
		    cols };
		out->rs = (ptrdiff_t)cols;
		out->cs = 1;
	}
	/* Runs that follow each other in the file are one. */
	if (r.width == 1 && r.count > 1 && r.outer == (int64_t)r.len) {
		r.len *= r.count;
		r.count = 1;
	}
	return r;
}

int
block_direct_open(const struct mapped_input *m)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/self/fd/%d", m->fd);
	return open(path, O_RDONLY | O_DIRECT | O_CLOEXEC);
}

size_t
block_buffer_bytes(size_t len)
{
	return (len + 3 * BLOCK_ALIGN - 1) / BLOCK_ALIGN * BLOCK_ALIGN;
}

size_t
block_bytes(const struct file_block *fb)
{
	return (fb->r1 - fb->r0) * (fb->c1 - fb->c0) *
	    dtype_size(fb->v->dtype);
}

/* Piece i of the runs: its offset in the file and its length. */
static void
piece_at(const struct runs *r, size_t i, int64_t *off, size_t *len)
{
	size_t per = (r->len + PIECE - 1) / PIECE, run = i / per;
	size_t at = (i % per) * PIECE;

	*off = r->first + (int64_t)(run / r->width) * r->outer +
	    (int64_t)(run % r->width) * r->inner + (int64_t)at;
	*len = r->len - at < PIECE ? r->len - at : PIECE;
}

/*
 * A read that failed or came back short: the file changed under us, or
 * the disk failed. Reading the byte through the mapping then faults, and
 * the fault guard names the file; should it not, the caller says EIO.
 */
static int
read_failed(const struct file_block *fb, int64_t off)
{
	const volatile unsigned char *p = (const unsigned char *)fb->m->addr +
	    off;

	(void)*p;
	return EIO;
}

static int
read_piece(const struct file_block *fb, int fd, unsigned char *dst,
    int64_t off, size_t len, size_t need)
{
	size_t done = 0;

	while (done < need) {
		ssize_t got = pread(fd, dst + done, len - done, (off_t)off +
		    (off_t)done);

		if (got == -1 && errno == EINTR)
			continue;
		if (got == -1 && errno == EINVAL && fd == fb->direct_fd)
			return EINVAL;
		if (got <= 0)
			return read_failed(fb, off + (int64_t)done);
		done += (size_t)got;
	}
	return 0;
}

/*
 * One run read directly: whole aligned pieces from the aligned offset
 * below it, the run then starting mis bytes into buf. The end of the
 * file may cut the last piece short, but not before the run's end.
 */
static int
read_direct(const struct file_block *fb, const struct runs *r,
    unsigned char *buf, struct matrix *out)
{
	int64_t lo = r->first & ~(int64_t)(BLOCK_ALIGN - 1);
	size_t mis = (size_t)(r->first - lo), end = mis + r->len;
	size_t total = (end + BLOCK_ALIGN - 1) / BLOCK_ALIGN * BLOCK_ALIGN;

	for (size_t at = 0; at < total; at += PIECE) {
		size_t len = total - at < PIECE ? total - at : PIECE;
		size_t need = end - at < len ? end - at : len;
		int e = read_piece(fb, fb->direct_fd, buf + at, lo +
		    (int64_t)at, len, need);

		if (e != 0)
			return e;
	}
	out->data = buf + mis;
	return 0;
}

int
block_read(const struct file_block *fb, void *buf, struct matrix *out)
{
	struct runs r = block_runs(fb, out);
	size_t pieces = r.count * ((r.len + PIECE - 1) / PIECE), ahead = 0;
	size_t asked = 0, since_drop = 0;
	int64_t drop_from = r.first;
	unsigned char *dst = buf;

	/* Direct where the file system allows it, else through the cache. */
	if (fb->direct_fd != -1 && r.count == 1 && r.width == 1 &&
	    read_direct(fb, &r, buf, out) == 0)
		return 0;
	out->data = buf;
	for (size_t i = 0; i < pieces; i++) {
		int64_t off;
		size_t len;
		int e;

		/* Keep BLOCK_READ_AHEAD bytes asked for past this piece. */
		for (; ahead < pieces && asked < BLOCK_READ_AHEAD; ahead++) {
			piece_at(&r, ahead, &off, &len);
			posix_fadvise(fb->m->fd, (off_t)off, (off_t)len,
			    POSIX_FADV_WILLNEED);
			asked += len;
		}
		piece_at(&r, i, &off, &len);
		if ((e = read_piece(fb, fb->m->fd, dst, off, len, len)) != 0)
			return e;
		dst += len;
		asked -= len;
		since_drop += len;
		/* Drop what was read, a stretch at a time: one call each. */
		if (since_drop >= BLOCK_READ_AHEAD || i + 1 == pieces) {
			posix_fadvise(fb->m->fd, (off_t)drop_from, (off_t)(off +
			    (int64_t)len - drop_from), POSIX_FADV_DONTNEED);
			drop_from = off + (int64_t)len;
			since_drop = 0;
		}
	}
	return 0;
}
