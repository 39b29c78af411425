/*
 * Matrix files: an input file as a matrix view, whether .npy (known by its
 * magic bytes) or headerless raw data of a shape the user gives, and an
 * output file reserved with its header written and its data area ready.
 */
#ifndef PARDOT_MATFILE_H
#define PARDOT_MATFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "io/mapfile.h"
#include "io/output.h"
#include "core/matrix.h"
#include "codec/format.h"
#include "codec/npy.h"


/* The shape and type of a headerless file, from the command line. */
struct raw_spec {
	int		 ndim;		/* 1 to NPY_MAXDIMS */
	uint64_t	 shape[NPY_MAXDIMS];
	enum dtype	 dtype;
};

struct input_matrix {
	struct mapped_input	 map;
	struct npy_header	 hdr;	/* also filled in for raw files */
	bool			 is_npy;
	bool			 not_npy;	/* failed: binary, no .npy magic */
	bool			 text;		/* failed: text, no .npy magic */
	/*
	 * The elements as a matrix: a 1-D array is one row here, and the
	 * multiply turns it into a column where NumPy would. Of an array of
	 * more dimensions, the matrix of the last two at index 0 of the
	 * others: a stack of them, strides apart.
	 */
	struct matrix		 view;
	/*
	 * Elements from one index to the next in each dimension, as the
	 * file's order (C or Fortran) lays them out; 0 in an empty array
	 * where the product would not fit.
	 */
	ptrdiff_t		 strides[NPY_MAXDIMS];
	char			 err[MAPFILE_ERRLEN];
};

/*
 * Opens path as a .npy file, or as raw data of the given shape when raw is
 * not NULL; "-" is standard input. Returns 0, or -1 with the reason in
 * in->err.
 */
int	input_open(struct input_matrix *in, const char *path,
	    const struct raw_spec *raw);
/* The same for standard input, copied first into a temporary file. */
int	input_open_stdin(struct input_matrix *in, const struct raw_spec *raw);
/*
 * The same for bytes already mapped (standard input that was looked at
 * first); the input takes map over and unmaps it on failure or close.
 */
int	input_open_mapped(struct input_matrix *in,
	    const struct mapped_input *map, const struct raw_spec *raw);
void	input_close(struct input_matrix *in);
/*
 * TODO(dtypes), TODO(stacks): until every command takes every type and
 * shape. Closes in and returns -1 with the reason in in->err when it holds
 * a type other than the first four (unless dtypes_ok) or more than two
 * dimensions (unless stacks_ok); else returns 0.
 */
int	input_refuse_unsupported(struct input_matrix *in, bool dtypes_ok,
	    bool stacks_ok);

/*
 * Reserves the output file for an array of the given type and shape (ndim
 * 0 to NPY_MAXDIMS) and writes its header; c then describes the data area
 * as a row-major matrix (a vector is one row, a scalar 1 x 1, a stack its
 * matrices' rows one after the other). Returns 0, or -1 with the reason in
 * o->err and nothing left on disk.
 */
int	output_open(struct output_file *o, const char *path,
	    enum file_format fmt, enum dtype dtype, int ndim,
	    const uint64_t *shape, struct matrix_out *c);

/* "3x4", "7" or "()" for a shape, into buf. */
const char *shape_str(char *buf, size_t len, int ndim, const uint64_t *shape);

#endif
