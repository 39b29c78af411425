#include "core/dtype.h"
#include "core/rowsplit.h"

struct row_range
rowsplit_share(size_t m, int p, int r)
{
	/* At most one rank for every two rows: no share of one row. */
	size_t q = m == 1 ? 1 : m / 2, each, extra;
	struct row_range s;

	if (q > (size_t)p)
		q = (size_t)p;
	if ((size_t)r >= q) {
		s.first = m;
		s.count = 0;
		return s;
	}
	/* The first m % q ranks take one row more than the others. */
	each = m / q;
	extra = m % q;
	s.first = each * (size_t)r + ((size_t)r < extra ? (size_t)r : extra);
	s.count = each + ((size_t)r < extra);
	return s;
}

size_t
rowsplit_chunk_rows(size_t row_bytes, size_t cap)
{
	size_t per = row_bytes > 0 ? cap / row_bytes : cap;

	return per < 3 ? 3 : per;
}

struct row_range
rowsplit_chunk(struct row_range share, size_t per, size_t i)
{
	size_t n = share.count, last = n > 0 ? (n - 1) / per : 0;
	struct row_range c;

	if (n == 0 || i > last) {
		c.first = share.first + n;
		c.count = 0;
		return c;
	}
	c.first = share.first + i * per;
	c.count = i < last ? per : n - i * per;
	/* per >= 3, so the chunk that gives a row keeps two or more. */
	if (n > 1 && n % per == 1) {
		if (i + 1 == last)
			c.count--;
		else if (i == last) {
			c.first--;
			c.count++;
		}
	}
	return c;
}

size_t
rowsplit_chunks(size_t m, int p, size_t per)
{
	struct row_range s = rowsplit_share(m, p, 0);

	return s.count == 0 ? 0 : (s.count - 1) / per + 1;
}

struct matrix
rowsplit_view(const struct matrix *a, struct row_range rows)
{
	struct matrix v = *a;

	v.rows = rows.count;
	if (rows.count > 0)
		v.data = (const unsigned char *)a->data + (ptrdiff_t)rows.first *
		    a->rs * (ptrdiff_t)dtype_size(a->dtype);
	return v;
}
