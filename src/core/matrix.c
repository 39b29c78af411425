#include "core/dtype.h"
#include "core/matrix.h"

struct matrix
matrix_block(const struct matrix *v, size_t r0, size_t r1, size_t c0,
    size_t c1)
{
	struct matrix b = *v;

	b.data = (const unsigned char *)v->data + ((ptrdiff_t)r0 * v->rs +
	    (ptrdiff_t)c0 * v->cs) * (ptrdiff_t)dtype_size(v->dtype);
	b.rows = r1 - r0;
	b.cols = c1 - c0;
	return b;
}
