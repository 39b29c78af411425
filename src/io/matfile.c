#include <stdio.h>
#include <string.h>

#include "core/dtype.h"
#include "io/matfile.h"
#include "io/streams.h"

const char *
shape_str(char *buf, size_t len, int ndim, const uint64_t *shape)
{
	size_t n = 0;

	if (len > 0)
		buf[0] = '\0';
	if (ndim == 0)
		snprintf(buf, len, "()");
	for (int i = 0; i < ndim && n < len; i++) {
		int k = snprintf(buf + n, len - n, i == 0 ? "%llu" : "x%llu",
		    (unsigned long long)shape[i]);

		n += k < 0 ? len : (size_t)k;
	}
	return buf;
}

/* Product of the dims times the item size, or -1 if it overflows. */
static int
array_bytes(int ndim, const uint64_t *shape, enum dtype t, uint64_t *out)
{
	uint64_t n = dtype_size(t);

	for (int i = 0; i < ndim; i++)
		if (__builtin_mul_overflow(n, shape[i], &n))
			return -1;
	*out = n;
	return 0;
}

static int
open_raw(struct input_matrix *in, const struct raw_spec *raw)
{
	struct npy_header *h = &in->hdr;
	char s[64];

	memset(h, 0, sizeof(*h));
	h->dtype = raw->dtype;
	h->ndim = raw->ndim;
	memcpy(h->shape, raw->shape, sizeof(h->shape));
	if (array_bytes(raw->ndim, raw->shape, raw->dtype, &h->data_size) == -1) {
		snprintf(in->err, sizeof(in->err), "shape %s is too large",
		    shape_str(s, sizeof(s), raw->ndim, raw->shape));
		return -1;
	}
	if (h->data_size != in->map.len) {
		snprintf(in->err, sizeof(in->err),
		    "file is %zu bytes but %s %s needs %llu", in->map.len,
		    shape_str(s, sizeof(s), raw->ndim, raw->shape),
		    dtype_name(raw->dtype), (unsigned long long)h->data_size);
		return -1;
	}
	return 0;
}

/*
 * The strides of each dimension in elements: the last varies fastest in C
 * order, the first in Fortran order. A product too large for an offset
 * can only come after a zero (the data size was checked), in an array
 * with no element to reach: its stride is left 0.
 */
static void
make_strides(struct input_matrix *in)
{
	const struct npy_header *h = &in->hdr;
	ptrdiff_t step = 1;
	bool over = false;

	for (int n = 0; n < h->ndim; n++) {
		int i = h->fortran_order ? n : h->ndim - 1 - n;

		in->strides[i] = over ? 0 : step;
		over = over || h->shape[i] > (uint64_t)PTRDIFF_MAX ||
		    __builtin_mul_overflow(step, (ptrdiff_t)h->shape[i], &step);
	}
}

/* The view of the parsed header's elements; see struct input_matrix. */
static void
make_view(struct input_matrix *in)
{
	const struct npy_header *h = &in->hdr;
	struct matrix *v = &in->view;
	int nd = h->ndim;

	make_strides(in);
	v->data = (const unsigned char *)in->map.addr + h->data_offset;
	v->dtype = h->dtype;
	v->swapped = h->big_endian != (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__);
	if (nd == 0) {
		v->rows = v->cols = 1;
		v->rs = v->cs = 1;
	} else if (nd == 1) {
		v->rows = 1;
		v->cols = h->shape[0];
		v->rs = (ptrdiff_t)v->cols;
		v->cs = 1;
	} else {
		/* Fortran order is the transpose's layout: so are its strides. */
		v->rows = h->shape[nd - 2];
		v->cols = h->shape[nd - 1];
		v->rs = in->strides[nd - 2];
		v->cs = in->strides[nd - 1];
	}
}

/* The first bytes look like text: no control byte but blanks. */
static bool
looks_like_text(const unsigned char *b, size_t len)
{
	for (size_t i = 0; i < len && i < 4096; i++)
		if (b[i] < 0x20 && b[i] != '\n' && b[i] != '\r' &&
		    b[i] != '\t')
			return false;
	return true;
}

/* What a file that is no .npy is, as far as its first bytes tell. */
static void
not_npy(struct input_matrix *in)
{
	const unsigned char *b = in->map.addr;
	size_t len = in->map.len;

	if (len == 0)
		snprintf(in->err, sizeof(in->err), "file is empty");
	else if (len >= 4 && memcmp(b, "PK\x03\x04", 4) == 0)
		snprintf(in->err, sizeof(in->err), "a zip archive such as "
		    ".npz, not a .npy file: save one array with np.save");
	else if ((in->text = looks_like_text(b, len)))
		snprintf(in->err, sizeof(in->err), "text such as CSV, not a "
		    ".npy file: make one with 'pardot convert IN -o OUT.npy'");
	else {
		snprintf(in->err, sizeof(in->err), "not a .npy file");
		in->not_npy = true;
	}
}

/* The mapped bytes as .npy, or as raw data of the given shape. */
static int
input_parse(struct input_matrix *in, const struct raw_spec *raw)
{
	const char *why;

	if (raw != NULL) {
		if (open_raw(in, raw) == -1)
			goto fail;
	} else if (!npy_has_magic(in->map.addr, in->map.len)) {
		not_npy(in);
		goto fail;
	} else if ((why = npy_parse(in->map.addr, in->map.len, &in->hdr))) {
		snprintf(in->err, sizeof(in->err), "%s", why);
		goto fail;
	} else {
		in->is_npy = true;
	}
	make_view(in);
	return 0;
fail:
	unmap_input(&in->map);
	return -1;
}

int
input_refuse_unsupported(struct input_matrix *in, bool dtypes_ok,
    bool stacks_ok)
{
	if (!stacks_ok && in->hdr.ndim > 2) {
		snprintf(in->err, sizeof(in->err),
		    "arrays of 3 or more dimensions are not supported");
	} else if (!dtypes_ok && in->hdr.dtype > DTYPE_I32) {
		snprintf(in->err, sizeof(in->err), "dtype %s is not supported "
		    "(use float64, float32, int64 or int32)",
		    dtype_name(in->hdr.dtype));
	} else {
		return 0;
	}
	input_close(in);
	return -1;
}

int
input_open(struct input_matrix *in, const char *path,
    const struct raw_spec *raw)
{
	/* "-" is standard input for every command; "./-" is a file. */
	if (is_stdio(path))
		return input_open_stdin(in, raw);
	memset(in, 0, sizeof(*in));
	if (map_input(&in->map, path) == -1) {
		memcpy(in->err, in->map.err, sizeof(in->err));
		return -1;
	}
	return input_parse(in, raw);
}

int
input_open_stdin(struct input_matrix *in, const struct raw_spec *raw)
{
	memset(in, 0, sizeof(*in));
	if (map_stdin(&in->map) == -1) {
		memcpy(in->err, in->map.err, sizeof(in->err));
		return -1;
	}
	return input_parse(in, raw);
}

int
input_open_mapped(struct input_matrix *in, const struct mapped_input *map,
    const struct raw_spec *raw)
{
	memset(in, 0, sizeof(*in));
	in->map = *map;
	return input_parse(in, raw);
}

void
input_close(struct input_matrix *in)
{
	unmap_input(&in->map);
}

int
output_open(struct output_file *o, const char *path, enum file_format fmt,
    enum dtype dtype, int ndim, const uint64_t *shape, struct matrix_out *c)
{
	uint64_t data, total;
	size_t hlen = 0;
	char s[64];

	if (fmt == FORMAT_NPY)
		hlen = npy_header_size(dtype, ndim, shape);
	if (array_bytes(ndim, shape, dtype, &data) == -1 ||
	    __builtin_add_overflow(data, hlen, &total) || total > SIZE_MAX ||
	    total > (uint64_t)INT64_MAX) {
		memset(o, 0, sizeof(*o));
		snprintf(o->err, sizeof(o->err), "a %s %s result is too large",
		    shape_str(s, sizeof(s), ndim, shape), dtype_name(dtype));
		return -1;
	}
	if (output_reserve(o, path, (size_t)total) == -1)
		return -1;
	if (hlen > 0)
		npy_header_write(o->addr, hlen, dtype, ndim, shape);
	c->data = (unsigned char *)o->addr + hlen;
	c->dtype = dtype;
	c->cols = ndim >= 2 ? shape[ndim - 1] : ndim == 1 ? shape[0] : 1;
	c->rows = ndim < 2 ? 1 : c->cols > 0 ? data / dtype_size(dtype) /
	    c->cols : shape[ndim - 2];
	c->ld = c->cols;
	return 0;
}
