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
#include "cli/progress.h"
#include "cli/stats.h"

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

int
mpi_same_inputs(const struct npy_header *a, const char *a_path,
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

/* Rows c of C into buf, from the view of those rows of op(A). */
static int
compute_chunk(struct rank_mul *job, struct row_range c, void *buf,
    struct gemm_progress_part *part)
{
	struct matrix a = rowsplit_view(job->a, c);
	struct matrix_out out = { buf, c.count, job->b->cols, job->b->cols,
	    job->dtype };
	int e;

	if (c.count == 0)
		return 0;
	e = gemm(&a, job->b, &out, job->cfg);
	part->base += (double)c.count * (double)a.cols * (double)out.cols;
	if (e != 0) {
		warnx("mul: %s", e == ENOMEM ? "out of memory for the packing "
		    "buffers" : strerror(e));
		return -1;
	}
	return 0;
}

/* Every chunk, computed and written; true when all were, on all ranks. */
static bool
write_share(struct rank_mul *job, struct rank_output *out)
{
	const struct gemm_progress *outer = job->cfg->progress;
	/* The bar goes once from 0 to the share's work, not once a chunk. */
	struct gemm_progress_part part = { outer, 0, (double)job->rows.count *
	    (double)job->a->cols * (double)job->b->cols };
	struct gemm_progress hook = { gemm_progress_part, &part };
	size_t per = rowsplit_chunk_rows(out->row_bytes, CHUNK_BYTES);
	size_t chunks = rowsplit_chunks(job->a->rows, mpi_size(), per);
	size_t rows = job->rows.count < per ? job->rows.count : per;
	void *buf = malloc(rows * out->row_bytes + 1);
	bool ok = true;

	if (buf == NULL)
		warnx("mul: out of memory for %zu rows of the result", rows);
	if (outer != NULL)
		job->cfg->progress = &hook;
	for (size_t i = 0; i < chunks && ok; i++) {
		struct row_range c = rowsplit_chunk(job->rows, per, i);
		bool failed = buf == NULL ||
		    compute_chunk(job, c, buf, &part) == -1;

		ok = rank_output_write(out, c.first, c.count, buf, per,
		    failed) == 0;
	}
	job->cfg->progress = outer;
	free(buf);
	return ok;
}

int
mpi_multiply(struct rank_mul *job)
{
	struct rank_output out;
	double t = progress_now();
	bool ok;

	if (rank_output_open(&out, job->target, job->format, job->dtype,
	    job->ndim, job->shape, job->b->cols) == -1)
		return -1;
	job->seconds[STATS_MAP] += progress_now() - t;
	t = progress_now();
	ok = write_share(job, &out);
	job->seconds[STATS_COMPUTE] = progress_now() - t;
	t = progress_now();
	if (rank_output_close(&out, ok) == -1)
		return -1;
	job->seconds[STATS_COMMIT] = progress_now() - t;
	job->written = out.size;
	return 0;
}
