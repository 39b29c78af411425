#include <string.h>

#include "core/dtype.h"
#include "core/matmul.h"

/* Operand x's size in batch dimension i of n, aligned from the last. */
static uint64_t
batch_dim(const struct matmul_operand *x, int n, int i, ptrdiff_t *stride)
{
	int own = x->ndim > 2 ? x->ndim - 2 : 0, j = i - (n - own);

	if (j < 0 || x->shape[j] == 1) {
		*stride = 0;	/* broadcast: every matrix of C sees the same */
		return 1;
	}
	*stride = x->strides[j];
	return x->shape[j];
}

/* C's leading dimensions from A's and B's, or -1 if they do not broadcast. */
static int
broadcast(struct batch_plan *p, const struct matmul_operand *a,
    const struct matmul_operand *b)
{
	int na = a->ndim > 2 ? a->ndim - 2 : 0, nb = b->ndim > 2 ?
	    b->ndim - 2 : 0;

	p->ndim = na > nb ? na : nb;
	for (int i = 0; i < p->ndim; i++) {
		uint64_t da = batch_dim(a, p->ndim, i, &p->sa[i]);
		uint64_t db = batch_dim(b, p->ndim, i, &p->sb[i]);

		if (da != db && da != 1 && db != 1)
			return -1;
		p->dim[i] = da != 1 ? da : db;
	}
	return 0;
}

/*
 * The product of n sizes, or -1 when it exceeds PTRDIFF_MAX (an offset
 * must hold it). A zero anywhere makes it zero, however large the rest.
 */
static int
count_of(const uint64_t *d, int n, uint64_t *out)
{
	uint64_t c = 1;
	bool over = false;

	for (int i = 0; i < n; i++) {
		if (d[i] == 0) {
			*out = 0;
			return 0;
		}
		over |= __builtin_mul_overflow(c, d[i], &c) ||
		    c > (uint64_t)PTRDIFF_MAX;
	}
	*out = c;
	return over ? -1 : 0;
}

/*
 * A stack whose matrices of A follow one another with the step of their
 * rows, times one B: the rows of all of them are one matrix. C's matrices
 * follow one another anyway.
 */
static void
fold(struct matmul_shape *s)
{
	struct batch_plan *p = &s->batch;
	ptrdiff_t step;

	if (p->count == 0 || p->ndim != 1 || p->sb[0] != 0 || s->a.rows == 0 ||
	    __builtin_mul_overflow((ptrdiff_t)s->a.rows, s->a.rs, &step))
		return;
	if (step != p->sa[0] && s->a.rows != 1)
		return;
	if (s->a.rows == 1)
		s->a.rs = p->sa[0];
	s->a.rows *= p->dim[0];
	s->folded = true;
	p->ndim = 0;
	p->count = 1;
}

enum matmul_status
matmul_plan(struct matmul_shape *s, const struct matmul_operand *a,
    bool trans_a, const struct matmul_operand *b, bool trans_b)
{
	uint64_t total;

	memset(s, 0, sizeof(*s));
	if (a->ndim == 0)
		return MATMUL_SCALAR_A;
	if (b->ndim == 0)
		return MATMUL_SCALAR_B;
	s->a = a->ndim >= 2 && trans_a ? matrix_transposed(a->m) : a->m;
	s->b = b->ndim == 1 || trans_b ? matrix_transposed(b->m) : b->m;
	if (s->a.cols != s->b.rows)
		return MATMUL_INNER;
	if (broadcast(&s->batch, a, b) == -1)
		return MATMUL_BATCH;
	s->ndim = s->batch.ndim;
	memcpy(s->shape, s->batch.dim, sizeof(uint64_t) * (size_t)s->ndim);
	if (a->ndim >= 2)
		s->shape[s->ndim++] = s->a.rows;
	if (b->ndim >= 2)
		s->shape[s->ndim++] = s->b.cols;
	if (count_of(s->shape, s->ndim, &total) == -1 ||
	    count_of(s->batch.dim, s->batch.ndim, &s->batch.count) == -1)
		return MATMUL_TOO_LARGE;
	s->matrices = s->batch.count;
	s->rows = s->a.rows;
	s->dtype = dtype_promote(s->a.dtype, s->b.dtype);
	if (s->batch.count > 0)
		batch_simplify(&s->batch);
	fold(s);
	return MATMUL_OK;
}

enum matmul_status
matmul_shape(struct matmul_shape *s, const struct matrix *a, int nda,
    bool trans_a, const struct matrix *b, int ndb, bool trans_b)
{
	struct matmul_operand x = { *a, nda, NULL, NULL };
	struct matmul_operand y = { *b, ndb, NULL, NULL };

	return matmul_plan(s, &x, trans_a, &y, trans_b);
}
