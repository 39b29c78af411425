/*
 * An input file, .npy or raw, as an array of any rank (core/ndarray.h)
 * rather than the matrix view that the multiply takes: what info, cmp and
 * convert read.
 */
#ifndef PARDOT_NDINPUT_H
#define PARDOT_NDINPUT_H

#include "core/ndarray.h"
#include "io/matfile.h"

/* The parsed header's elements, in the mapped bytes. */
void	input_ndarray(const struct input_matrix *in, struct ndarray *a);

#endif
