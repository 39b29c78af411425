/* The output shared by the ranks of an MPI run; see mpi_output.h. */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/arith.h"
#include "core/dtype.h"
#include "mpi/mpi_output.h"
#include "mpi/mpi_run.h"
#include "codec/npy.h"

/* The most bytes one MPI write moves: its count is an int. */
#define WRITE_MAX	((size_t)1 << 30)

/* The header's length and the file's, or -1 after a message. */
static int
output_size(struct rank_output *o, enum file_format fmt, enum dtype t,
    int ndim, const uint64_t *shape)
{
	uint64_t n = dtype_size(t);
	char s[64];

	o->data_at = fmt == FORMAT_NPY ? npy_header_size(t, ndim, shape) : 0;
	for (int i = 0; i < ndim; i++)
		if (__builtin_mul_overflow(n, shape[i], &n))
			goto large;
	if (__builtin_add_overflow(n, o->data_at, &o->size) ||
	    o->size > (uint64_t)INT64_MAX)
		goto large;
	return 0;
large:
	warnx("%s: a %s %s result is too large", o->target,
	    shape_str(s, sizeof(s), ndim, shape), dtype_name(t));
	return -1;
}

/*
 * Rank 0: the temporary file, as for one process, but holding only the
 * header in memory; the rest is reserved on disk, so that a full disk
 * shows here rather than in a write.
 */
static int
create_file(struct rank_output *o, enum dtype t, int ndim,
    const uint64_t *shape)
{
	int e;

	if (output_reserve(&o->tmp, o->target, (size_t)o->data_at) == -1) {
		warnx("%s: %s", o->target, o->tmp.err);
		return -1;
	}
	if (o->data_at > 0)
		npy_header_write(o->tmp.addr, (size_t)o->data_at, t, ndim,
		    shape);
	if (o->size > 0 && (e = posix_fallocate(o->tmp.fd, 0,
	    (off_t)o->size)) != 0) {
		warnx("%s: cannot reserve %llu bytes: %s", o->target,
		    (unsigned long long)o->size, strerror(e));
		output_discard(&o->tmp);
		return -1;
	}
	return 0;
}

/* Rank 0's temporary file name, on every rank. */
static void
share_path(struct rank_output *o)
{
	uint64_t len = mpi_rank() == 0 ? strlen(o->tmp.tmp) : 0;

	mpi_share(&len, sizeof(len));
	if ((o->path = calloc(1, (size_t)len + 1)) == NULL)
		err(1, "out of memory");
	if (mpi_rank() == 0)
		memcpy(o->path, o->tmp.tmp, (size_t)len);
	mpi_share(o->path, (size_t)len);
}

/*
 * Whether this rank sees the file: it does not when the target's directory
 * is not on a filesystem shared by every node. Asked with open(2) first,
 * since an MPI open that fails on some ranks only cannot be undone.
 */
static int
check_visible(const struct rank_output *o)
{
	int fd = open(o->path, O_WRONLY | O_CLOEXEC);

	if (fd == -1) {
		warnx("%s: rank %d cannot open %s: %s (the output's directory "
		    "must be on a filesystem every rank sees)", o->target,
		    mpi_rank(), o->path, strerror(errno));
		return -1;
	}
	close(fd);
	return 0;
}

/* MPI's words for an error code. */
static const char *
mpi_error(int code, char *buf)
{
	int len;

	if (MPI_Error_string(code, buf, &len) != MPI_SUCCESS)
		snprintf(buf, MPI_MAX_ERROR_STRING, "MPI error %d", code);
	return buf;
}

int
rank_output_open(struct rank_output *o, const char *target,
    enum file_format fmt, enum dtype t, int ndim, const uint64_t *shape,
    size_t cols)
{
	char why[MPI_MAX_ERROR_STRING];
	int e;

	memset(o, 0, sizeof(*o));
	o->fh = MPI_FILE_NULL;
	o->target = target;
	o->elem = dtype_size(t);
	o->row_bytes = cols * o->elem;
	if (mpi_agree(output_size(o, fmt, t, ndim, shape) == -1) == -1)
		return -1;
	if (mpi_agree(mpi_rank() == 0 && create_file(o, t, ndim, shape) ==
	    -1) == -1)
		return -1;
	o->rows = o->row_bytes > 0 ? (size_t)((o->size - o->data_at) /
	    o->row_bytes) : 0;
	share_path(o);
	if (mpi_agree(check_visible(o) == -1) == -1) {
		rank_output_close(o, false);
		return -1;
	}
	e = MPI_File_open(MPI_COMM_WORLD, o->path, MPI_MODE_WRONLY,
	    MPI_INFO_NULL, &o->fh);
	if (e != MPI_SUCCESS) {
		/* The ranks that did open it cannot close it alone. */
		warnx("%s: rank %d cannot open %s: %s", target, mpi_rank(),
		    o->path, mpi_error(e, why));
		mpi_abort();
	}
	return 0;
}

int
rank_output_write(struct rank_output *o, size_t first, size_t count,
    const void *buf, size_t most, bool failed)
{
	const unsigned char *p = buf;
	size_t left = failed ? 0 : count * o->row_bytes;
	size_t calls = ceil_div(most * o->row_bytes, WRITE_MAX);
	MPI_Offset at = (MPI_Offset)(o->data_at + first * o->row_bytes);
	char why[MPI_MAX_ERROR_STRING];
	int e = MPI_SUCCESS;

	/* As many calls on every rank; those with less to write pass 0. */
	for (size_t i = 0; i < calls || i == 0; i++) {
		size_t n = left < WRITE_MAX ? left : WRITE_MAX;
		int r = MPI_File_write_at_all(o->fh, at, p, (int)n, MPI_BYTE,
		    MPI_STATUS_IGNORE);

		if (r != MPI_SUCCESS && e == MPI_SUCCESS) {
			e = r;
			n = left = 0;
		}
		p += n;
		at += (MPI_Offset)n;
		left -= n;
	}
	if (e != MPI_SUCCESS)
		warnx("%s: cannot write: %s", o->target, mpi_error(e, why));
	return mpi_agree(failed || e != MPI_SUCCESS);
}

/* The tile as a type over the file's data: rows of row_bytes. */
static int
tile_type(const struct rank_output *o, struct row_range rows,
    struct row_range cols, MPI_Datatype *t)
{
	int sizes[2] = { (int)o->rows, (int)o->row_bytes };
	int sub[2] = { (int)rows.count, (int)(cols.count * o->elem) };
	int starts[2] = { (int)rows.first, (int)(cols.first * o->elem) };
	int e;

	*t = MPI_BYTE;
	if (rows.count == 0 || cols.count == 0)
		return MPI_SUCCESS;
	e = MPI_Type_create_subarray(2, sizes, sub, starts, MPI_ORDER_C,
	    MPI_BYTE, t);
	if (e == MPI_SUCCESS && (e = MPI_Type_commit(t)) != MPI_SUCCESS)
		MPI_Type_free(t);
	if (e != MPI_SUCCESS)
		*t = MPI_BYTE;
	return e;
}

int
rank_output_write_tile(struct rank_output *o, struct row_range rows,
    struct row_range cols, const void *buf, size_t most, bool failed)
{
	const unsigned char *p = buf;
	size_t left = failed ? 0 : rows.count * cols.count * o->elem;
	size_t calls = ceil_div(most, WRITE_MAX);
	char why[MPI_MAX_ERROR_STRING];
	MPI_Datatype t;
	int e = tile_type(o, rows, cols, &t), v;

	/* Collective: every rank sets a view, its own tile's or none. */
	v = MPI_File_set_view(o->fh, (MPI_Offset)o->data_at, MPI_BYTE, t,
	    "native", MPI_INFO_NULL);
	if (e == MPI_SUCCESS)
		e = v;
	if (e != MPI_SUCCESS)
		left = 0;
	for (size_t i = 0; i < calls || i == 0; i++) {
		size_t n = left < WRITE_MAX ? left : WRITE_MAX;
		int r = MPI_File_write_all(o->fh, p, (int)n, MPI_BYTE,
		    MPI_STATUS_IGNORE);

		if (r != MPI_SUCCESS && e == MPI_SUCCESS) {
			e = r;
			n = left = 0;
		}
		p += n;
		left -= n;
	}
	if (t != MPI_BYTE)
		MPI_Type_free(&t);
	if (e != MPI_SUCCESS)
		warnx("%s: cannot write: %s", o->target, mpi_error(e, why));
	return mpi_agree(failed || e != MPI_SUCCESS);
}

/* Every rank's writes to disk, and the file closed everywhere. */
static int
close_file(struct rank_output *o)
{
	char why[MPI_MAX_ERROR_STRING];
	int e, c;

	if (o->fh == MPI_FILE_NULL)
		return 0;
	e = MPI_File_sync(o->fh);
	c = MPI_File_close(&o->fh);
	if (e == MPI_SUCCESS)
		e = c;
	if (e != MPI_SUCCESS)
		warnx("%s: cannot write: %s", o->target, mpi_error(e, why));
	return e == MPI_SUCCESS ? 0 : -1;
}

int
rank_output_close(struct rank_output *o, bool ok)
{
	bool failed = false;

	ok = mpi_agree(close_file(o) == -1) == 0 && ok;
	free(o->path);
	o->path = NULL;
	if (mpi_rank() == 0 && !ok)
		output_discard(&o->tmp);
	else if (mpi_rank() == 0 &&
	    output_commit(&o->tmp, OUTPUT_DURABLE) == -1) {
		warnx("%s: %s", o->target, o->tmp.err);
		failed = true;
	}
	/* Only rank 0 can fail here, and only when it renames. */
	return mpi_agree(failed) == 0 && ok ? 0 : -1;
}
