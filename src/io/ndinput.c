#include <string.h>

#include "io/ndinput.h"

void
input_ndarray(const struct input_matrix *in, struct ndarray *a)
{
	const struct npy_header *h = &in->hdr;

	memset(a, 0, sizeof(*a));
	a->data = (const unsigned char *)in->map.addr + h->data_offset;
	a->dtype = h->dtype;
	a->swapped = h->big_endian != (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__);
	a->fortran = h->fortran_order;
	a->ndim = h->ndim;
	memcpy(a->shape, h->shape, sizeof(a->shape));
}
