/*
 * The .npy header codec: a pure function of a byte buffer, with no I/O and
 * no allocation, so it can be fuzzed on its own.
 *
 * Format (NumPy's NEP 1): the magic "\x93NUMPY", a major and minor version
 * byte, a header length (2 bytes little-endian for 1.0, 4 bytes for 2.0 and
 * 3.0), then that many bytes of a Python dict literal with the keys 'descr',
 * 'fortran_order' and 'shape', padded with spaces and ended by '\n'. The data
 * follows at the end of the header.
 */
#ifndef PARDOT_NPY_H
#define PARDOT_NPY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/matrix.h"

#define NPY_MAGIC	"\x93NUMPY"
#define NPY_MAGIC_LEN	6
#define NPY_ALIGN	64		/* the data offset we write */
#define NPY_MAX_HEADER	(1u << 20)	/* a sane cap on the dict's length */
#define NPY_MAXDIMS	64		/* NumPy 2's limit (32 before) */

struct npy_header {
	int		 major, minor;	/* format version, e.g. 1.0 */
	enum dtype	 dtype;
	bool		 big_endian;	/* data is stored big-endian */
	bool		 fortran_order;
	int		 ndim;		/* 0 (a scalar) to NPY_MAXDIMS */
	uint64_t	 shape[NPY_MAXDIMS];	/* unused past ndim */
	uint64_t	 data_offset;	/* bytes from the start of the file */
	uint64_t	 data_size;	/* product of shape and item size */
};

/* True when buf starts with the .npy magic bytes. */
bool		 npy_has_magic(const void *buf, size_t len);

/*
 * Parses the header at the start of buf, where len is the length of the
 * whole file. Returns NULL on success, else a static message saying what is
 * wrong ("data is shorter than the header says", ...). Never reads outside
 * buf[0..len).
 */
const char	*npy_parse(const void *buf, size_t len, struct npy_header *out);

/*
 * Bytes needed for the header of a C-order little-endian array of the given
 * type and shape: version 1.0 unless the dict is too long for it, padded so
 * that the data starts at a multiple of NPY_ALIGN.
 */
size_t		 npy_header_size(enum dtype, int ndim, const uint64_t *shape);

/*
 * Writes that header into buf and returns its length, or 0 if cap is too
 * small or ndim is not 0 to NPY_MAXDIMS. A 0-d array is what NumPy's matmul gives
 * for two vectors; the parser refuses it as an operand, but we write it.
 */
size_t		 npy_header_write(void *buf, size_t cap, enum dtype, int ndim,
		    const uint64_t *shape);

#endif
