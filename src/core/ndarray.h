/*
 * Arrays of any rank, as the commands that print, compare, convert and
 * make whole files see them: one description of the bytes (type, byte
 * order, shape, C or Fortran order) and a walk over the elements in
 * row-major order, which is the order NumPy means by "element i" and the
 * order of every output pardot writes.
 */
#ifndef PARDOT_NDARRAY_H
#define PARDOT_NDARRAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/dtype.h"
#include "core/matrix.h"

/* As many dimensions as a .npy file may have (NumPy 2's limit). */
#define ND_MAXDIMS	64

struct ndarray {
	const unsigned char	*data;
	enum dtype		 dtype;
	bool			 swapped;	/* bytes in the other order */
	bool			 fortran;	/* first index varies fastest */
	int			 ndim;		/* 0 to ND_MAXDIMS */
	uint64_t		 shape[ND_MAXDIMS];
};

/*
 * A walk in row-major order. idx is the index of the element last given,
 * for messages. The caller checked that the array fits its bytes, so the
 * element count and every offset fit a size_t.
 */
struct ndwalk {
	const struct ndarray	*a;
	size_t			 n, k;		/* elements, and given so far */
	size_t			 off;		/* bytes, of the last one given */
	size_t			 step[ND_MAXDIMS];	/* bytes per index */
	uint64_t		 idx[ND_MAXDIMS];
};

/* The number of elements: the product of the shape. */
size_t		 ndarray_count(const struct ndarray *a);
/*
 * An array of at most two dimensions as a matrix view: a 1-D array is one
 * row, a 0-d array 1 x 1.
 */
struct matrix	 ndarray_matrix(const struct ndarray *a);

void		 ndwalk_start(struct ndwalk *w, const struct ndarray *a);
/* The next element's bytes, or NULL after the last. */
const void	*ndwalk_next(struct ndwalk *w);

/*
 * The row-major index of element k as "[i, j, k]" ("[]" for a 0-d array)
 * into buf.
 */
const char	*nd_index_str(char *buf, size_t cap, int ndim,
		    const uint64_t *idx);

#endif
