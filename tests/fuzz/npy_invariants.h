/*
 * What must hold for any bytes given to npy_parse: shared by the fuzz target
 * (tests/fuzz/fuzz_npy.c), which aborts when it does not, and by the replay
 * of the corpus in 'make check' (tests/check_fuzz_replay.c).
 */
#ifndef PARDOT_NPY_INVARIANTS_H
#define PARDOT_NPY_INVARIANTS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/dtype.h"
#include "codec/npy.h"

/* A header the parser accepted describes bytes that are really there. */
static const char *
npy_check_accepted(const unsigned char *buf, size_t len,
    const struct npy_header *h)
{
	uint64_t size, prefix = h->major == 1 ? 10 : 12;

	if (h->major < 1 || h->major > 3 || h->minor != 0)
		return "accepted an unknown version";
	if (h->ndim < 0 || h->ndim > NPY_MAXDIMS)
		return "accepted an array of more than NPY_MAXDIMS dimensions";
	if ((unsigned)h->dtype >= DTYPE_COUNT)
		return "dtype out of range";
	if (h->data_offset <= prefix || h->data_offset > len)
		return "data offset outside the file";
	if (buf[h->data_offset - 1] != '\n')
		return "header does not end with its newline";
	if (h->data_size > len - h->data_offset)
		return "data runs past the end of the file";
	/*
	 * NumPy's rule: the item size times the dimensions other than 0
	 * fits in an int64, even when a 0 makes the array empty.
	 */
	size = dtype_size(h->dtype);
	bool empty = false;
	for (int i = 0; i < h->ndim; i++) {
		if (h->shape[i] == 0)
			empty = true;
		else if (__builtin_mul_overflow(size, h->shape[i], &size) ||
		    size > (uint64_t)INT64_MAX)
			return "accepted a shape whose size overflows";
	}
	if (empty)
		size = 0;
	if (size != h->data_size)
		return "data size is not the shape times the item size";
	return NULL;
}

/*
 * The writer's header for the same type and shape fits in exactly
 * npy_header_size bytes, aligns the data, and parses back to the same
 * array: little-endian, C order.
 */
static const char *
npy_check_round_trip(const struct npy_header *h)
{
	size_t hs = npy_header_size(h->dtype, h->ndim, h->shape), n;
	struct npy_header back;
	const char *why = NULL;
	unsigned char *w;

	if (hs == 0 || hs % NPY_ALIGN != 0)
		return "npy_header_size gives no aligned size";
	if ((w = calloc(1, hs + h->data_size)) == NULL)
		return NULL;	/* not the parser's fault */
	n = hs + h->data_size;
	if (npy_header_write(w, hs - 1, h->dtype, h->ndim, h->shape) != 0)
		why = "npy_header_write ignores its cap";
	else if (npy_header_write(w, hs, h->dtype, h->ndim, h->shape) != hs)
		why = "npy_header_write and npy_header_size disagree";
	else if (npy_parse(w, n, &back) != NULL)
		why = "the writer's header does not parse";
	else if (back.dtype != h->dtype || back.ndim != h->ndim ||
	    memcmp(back.shape, h->shape, (size_t)h->ndim *
	    sizeof(h->shape[0])) != 0 || back.big_endian || back.fortran_order || back.data_offset != hs ||
	    back.data_size != h->data_size)
		why = "the writer's header parses to another array";
	else if (h->data_size > 0 && npy_parse(w, n - 1, &back) == NULL)
		why = "a file one byte short of its data is accepted";
	free(w);
	return why;
}

/*
 * Parses the len bytes at buf, which the caller keeps in a block of exactly
 * that size so that a sanitizer sees any read past it. Returns NULL when
 * every invariant holds, else the one that does not.
 */
static const char *
npy_check_invariants(const unsigned char *buf, size_t len)
{
	struct npy_header h, untouched;
	const char *why;

	memset(&h, 0xa5, sizeof(h));
	memcpy(&untouched, &h, sizeof(h));
	if (npy_parse(buf, len, &h) != NULL)
		return memcmp(&h, &untouched, sizeof(h)) == 0 ? NULL :
		    "a refused header wrote its result";
	if ((why = npy_check_accepted(buf, len, &h)) != NULL)
		return why;
	return npy_check_round_trip(&h);
}

#endif
