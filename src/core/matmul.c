#include "core/dtype.h"
#include "core/matmul.h"

enum matmul_status
matmul_shape(struct matmul_shape *s, const struct matrix *a, int nda,
    bool trans_a, const struct matrix *b, int ndb, bool trans_b)
{
	if (nda == 0)
		return MATMUL_SCALAR_A;
	if (ndb == 0)
		return MATMUL_SCALAR_B;
	s->a = nda == 2 && trans_a ? matrix_transposed(*a) : *a;
	s->b = ndb == 1 || trans_b ? matrix_transposed(*b) : *b;
	if (s->a.cols != s->b.rows)
		return MATMUL_INNER;
	s->ndim = 0;
	if (nda == 2)
		s->shape[s->ndim++] = s->a.rows;
	if (ndb == 2)
		s->shape[s->ndim++] = s->b.cols;
	s->dtype = dtype_promote(s->a.dtype, s->b.dtype);
	return MATMUL_OK;
}
