/*
 * Matrix views shared by every layer.
 *
 * A view describes where the elements of a 2-D matrix live without owning
 * them: a Fortran-order file, a transpose and a row block are all views of
 * the same bytes with other strides, so nothing is ever copied to change
 * layout.
 */
#ifndef PARDOT_MATRIX_H
#define PARDOT_MATRIX_H

#include <stdbool.h>
#include <stddef.h>

#include "core/dtype.h"

/* Read-only view: element (i, j) is at data + (i * rs + j * cs) elements. */
struct matrix {
	const void	*data;
	size_t		 rows, cols;
	ptrdiff_t	 rs, cs;	/* strides in elements, never bytes */
	enum dtype	 dtype;
	bool		 swapped;	/* bytes are in the other byte order */
};

/* Writable, row-major destination with leading dimension ld (elements). */
struct matrix_out {
	void		*data;
	size_t		 rows, cols, ld;
	enum dtype	 dtype;
};

/* The same elements, read as the transpose. */
static inline struct matrix
matrix_transposed(struct matrix m)
{
	struct matrix t = m;

	t.rows = m.cols;
	t.cols = m.rows;
	t.rs = m.cs;
	t.cs = m.rs;
	return t;
}

/* Rows [r0, r1) and columns [c0, c1) of v, as a view of the same bytes. */
struct matrix	matrix_block(const struct matrix *v, size_t r0, size_t r1,
		    size_t c0, size_t c1);

#endif
