/* A multiply shared by the ranks of an MPI run; see mpi_mul.h. */
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dtype.h"
#include "mpi/mpi_mul.h"
#include "mpi/mpi_output.h"
#include "mpi/mpi_run.h"
#include "io/clock.h"

/*
 * The most of C a rank holds in private memory at once, unless three rows
 * are more. Large enough that packing B again for every chunk costs
 * nothing measurable, small beside any node's memory.
 */
#define CHUNK_BYTES	((size_t)64 << 20)

/* What the inputs are, as far as the plan depends on them. */
enum { SEEN_DTYPE, SEEN_ORDER, SEEN_FORTRAN, SEEN_NDIM, SEEN_ROWS, SEEN_COLS,
    SEEN_FIELDS };

static void
seen(uint64_t *v, const struct npy_header *h)
{
	v[SEEN_DTYPE] = h->dtype;
	v[SEEN_ORDER] = h->big_endian;
	v[SEEN_FORTRAN] = h->fortran_order;
	v[SEEN_NDIM] = (uint64_t)h->ndim;
	v[SEEN_ROWS] = h->ndim > 0 ? h->shape[0] : 0;
	v[SEEN_COLS] = h->ndim > 1 ? h->shape[1] : 0;
}

/* "5x4 float64 (Fortran order, big-endian)", into buf. */
static const char *
seen_str(char *buf, size_t len, const uint64_t *v)
{
	char s[64];

	snprintf(buf, len, "%s %s%s%s", shape_str(s, sizeof(s),
	    (int)v[SEEN_NDIM], v + SEEN_ROWS),
	    dtype_name((enum dtype)v[SEEN_DTYPE]),
	    v[SEEN_FORTRAN] ? ", Fortran order" : "",
	    v[SEEN_ORDER] ? ", big-endian" : "");
	return buf;
}

static int
compare_seen(const uint64_t *mine, const uint64_t *root, const char *path)
{
	char m[128], r[128];

	if (memcmp(mine, root, SEEN_FIELDS * sizeof(*mine)) == 0)
		return 0;
	warnx("%s: rank %d reads %s where rank 0 reads %s (every rank must "
	    "see the same file: put it on a filesystem they share)", path,
	    mpi_rank(), seen_str(m, sizeof(m), mine),
	    seen_str(r, sizeof(r), root));
	return -1;
}

/* Returns 0, or -1 once the lowest rank that differs has said how. */
static int
same_inputs(const struct npy_header *a, const char *a_path,
    const struct npy_header *b, const char *b_path)
{
	uint64_t mine[2][SEEN_FIELDS], root[2][SEEN_FIELDS];

	/* Where a rank that could not open its inputs joins the others. */
	if (mpi_agree(false) == -1)
		return -1;
	seen(mine[0], a);
	seen(mine[1], b);
	memcpy(root, mine, sizeof(root));
	mpi_share(root, sizeof(root));
	return mpi_agree(compare_seen(mine[0], root[0], a_path) == -1 ||
	    compare_seen(mine[1], root[1], b_path) == -1);
}

int
mpi_share_rows(const struct input_matrix *a, const char *a_path,
    const struct input_matrix *b, const char *b_path, size_t m,
    struct row_range *rows)
{
	if (same_inputs(&a->hdr, a_path, &b->hdr, b_path) == -1)
		return -1;
	map_input_prefetch(&a->map);
	map_input_prefetch(&b->map);
	*rows = rowsplit_share(m, mpi_size(), mpi_rank());
	return 0;
}

/* Rows c of C into buf, from the view of those rows of op(A). */
static int
compute_chunk(const struct rank_mul *job, const struct gemm_setup *setup,
    struct row_range c, void *buf, struct rank_mul_done *done)
{
	struct matrix a = rowsplit_view(job->a, c);
	struct matrix_out out = { buf, c.count, job->b->cols, job->b->cols,
	    job->dtype };
	struct gemm_result res;
	int e;

	if (c.count == 0)
		return 0;
	e = gemm(&a, job->b, &out, setup, NULL, &res);
	gemm_result_add(&done->gemm, &res);
	if (e != 0) {
		warnx("mul: %s", e == ENOMEM ? "out of memory for the packing "
		    "buffers" : strerror(e));
		return -1;
	}
	return 0;
}

/* Every chunk, computed and written; true when all were, on all ranks. */
static bool
write_share(const struct rank_mul *job, struct rank_output *out,
    struct rank_mul_done *done)
{
	/* The bar goes once from 0 to the share's work, not once a chunk. */
	struct gemm_progress_part part = { job->setup->progress, 0,
	    (double)job->rows.count * (double)job->a->cols *
	    (double)job->b->cols };
	struct gemm_progress hook = { gemm_progress_part, &part };
	struct gemm_setup setup = *job->setup;
	size_t per = rowsplit_chunk_rows(out->row_bytes, CHUNK_BYTES);
	size_t chunks = rowsplit_chunks(job->a->rows, mpi_size(), per);
	size_t rows = job->rows.count < per ? job->rows.count : per;
	void *buf = malloc(rows * out->row_bytes + 1);
	bool ok = true;

	if (buf == NULL)
		warnx("mul: out of memory for %zu rows of the result", rows);
	if (setup.progress != NULL)
		setup.progress = &hook;
	for (size_t i = 0; i < chunks && ok; i++) {
		struct row_range c = rowsplit_chunk(job->rows, per, i);
		bool failed = buf == NULL ||
		    compute_chunk(job, &setup, c, buf, done) == -1;

		part.base += (double)c.count * (double)job->a->cols *
		    (double)job->b->cols;
		ok = rank_output_write(out, c.first, c.count, buf, per,
		    failed) == 0;
	}
	free(buf);
	return ok;
}

int
mpi_multiply(const struct rank_mul *job, struct rank_mul_done *done)
{
	struct rank_output out;
	double t = clock_now();
	bool ok;

	memset(done, 0, sizeof(*done));
	if (rank_output_open(&out, job->target, job->format, job->dtype,
	    job->ndim, job->shape, job->b->cols) == -1)
		return -1;
	done->open_s = clock_now() - t;
	t = clock_now();
	ok = write_share(job, &out, done);
	done->compute_s = clock_now() - t;
	t = clock_now();
	if (rank_output_close(&out, ok) == -1)
		return -1;
	done->commit_s = clock_now() - t;
	done->written = out.size;
	return 0;
}
