/*
 * Integer overflow checks for C = A . B. The bound is the one gemm uses to
 * decide whether int64 sums are exact in float64; the search recomputes
 * elements exactly, in 128 bits with a count of wrap-arounds.
 */
#include <omp.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>

#include "core/arith.h"
#include "core/dtype.h"
#include "core/meter.h"
#include "core/overflow.h"
#include "core/pack.h"

#define CHUNK		4096		/* elements converted at a time */
#define PANEL_BYTES	(8u << 20)	/* B columns converted at a time */

static uint64_t
magnitude(int64_t v)
{
	return v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
}

/*
 * Row i of m, magnitudes folded: their sum, saturated, or their largest.
 * buf holds CHUNK int64s. A uint64 is packed as its bits: its magnitude
 * is those bits read unsigned.
 */
static uint64_t
row_fold(const struct matrix *m, size_t i, int64_t *buf, bool sum)
{
	bool is_unsigned = m->dtype == DTYPE_U64;
	uint64_t acc = 0;

	for (size_t j0 = 0; j0 < m->cols; j0 += CHUNK) {
		size_t n = m->cols - j0 < CHUNK ? m->cols - j0 : CHUNK;

		pack_panels(m, i, 1, j0, n, 1, DTYPE_I64, buf);
		for (size_t j = 0; j < n; j++) {
			uint64_t v = is_unsigned ? (uint64_t)buf[j] :
			    magnitude(buf[j]);

			acc = sum ? add_sat(acc, v) : v > acc ? v : acc;
		}
	}
	return acc;
}

/* Rows through the packing code, which knows strides, byte order, widths. */
static int
scan(const struct matrix *a, const struct matrix *b, int nthreads,
    uint64_t *a_row_max, uint64_t *b_max)
{
	uint64_t ra = 0, mb = 0;
	int64_t *bufs;

	if ((bufs = malloc((size_t)nthreads * CHUNK * sizeof(*bufs))) == NULL)
		return -1;
	#pragma omp parallel num_threads(nthreads) reduction(max: ra, mb)
	{
		int64_t *buf = bufs + (size_t)omp_get_thread_num() * CHUNK;

		#pragma omp for schedule(static)
		for (size_t i = 0; i < a->rows; i++) {
			uint64_t s = row_fold(a, i, buf, true);

			ra = s > ra ? s : ra;
		}
		#pragma omp for schedule(static)
		for (size_t p = 0; p < b->rows; p++) {
			uint64_t s = row_fold(b, p, buf, false);

			mb = s > mb ? s : mb;
		}
	}
	free(bufs);
	*a_row_max = ra;
	*b_max = mb;
	return 0;
}

uint64_t
overflow_bound(const struct matrix *a, const struct matrix *b, int nthreads)
{
	uint64_t ra, mb;

	if (!dtype_is_exact(a->dtype) || !dtype_is_exact(b->dtype) ||
	    scan(a, b, nthreads > 0 ? nthreads : 1, &ra, &mb) == -1)
		return UINT64_MAX;
	return mul_sat(ra, mb);
}

uint64_t
overflow_limit(enum dtype t)
{
	switch (t) {
	case DTYPE_I8:
		return INT8_MAX;
	case DTYPE_U8:
		return UINT8_MAX;
	case DTYPE_I16:
		return INT16_MAX;
	case DTYPE_U16:
		return UINT16_MAX;
	case DTYPE_I32:
		return INT32_MAX;
	case DTYPE_U32:
		return UINT32_MAX;
	case DTYPE_U64:
		return UINT64_MAX;
	default:
		return INT64_MAX;
	}
}

/*
 * A saturated bound of UINT64_MAX may stand for anything larger, so it
 * clears no type, not even uint64.
 */
bool
overflow_bound_clears(uint64_t bound, enum dtype t)
{
	return bound < UINT64_MAX && bound <= overflow_limit(t);
}

/* One search: rows of A against a panel of B's columns at a time. */
struct search {
	const struct matrix	*a, *b;
	__int128		 lo, hi;	/* what the type holds */
	enum dtype		 t;
	bool			 u64;		/* an operand is uint64 */
	uint64_t		 limit, b_max;
	int64_t			*panel;		/* w columns of B, K each */
	size_t			 j0, w;
	atomic_size_t		 first;		/* row found, SIZE_MAX: none */
	struct overflow_at	 at;
	struct meter		 meter;
};

/*
 * The exact sum of a[p] * b[p]: products fit in 128 bits, and each time
 * the 128-bit sum wraps, the count says which way. A sum that wrapped on
 * balance is beyond 2^127 and so beyond any type.
 */
static bool
fits(const int64_t *a, const int64_t *b, size_t k, const struct search *s,
    struct overflow_at *at)
{
	__int128 sum = 0;
	long long wraps = 0;

	for (size_t p = 0; p < k; p++) {
		__int128 t = (__int128)a[p] * b[p];

		if (__builtin_add_overflow(sum, t, &sum))
			wraps += t > 0 ? 1 : -1;
	}
	if (wraps == 0 && sum >= s->lo && sum <= s->hi)
		return true;
	at->beyond = wraps != 0;
	at->value = wraps == 0 ? sum : wraps > 0 ? 1 : -1;
	return false;
}

/*
 * The same for a uint64 result, whose operands are all unsigned: a uint64
 * of 2^63 or more is packed as a negative int64, read back unsigned here.
 * Products fit in 128 unsigned bits; a sum that wraps or passes 2^127 is
 * reported beyond.
 */
static bool
fits_unsigned(const int64_t *a, const int64_t *b, size_t k,
    const struct search *s, struct overflow_at *at)
{
	unsigned __int128 sum = 0, top = (unsigned __int128)1 << 127;
	bool wrapped = false;

	for (size_t p = 0; p < k; p++) {
		unsigned __int128 t = (unsigned __int128)(uint64_t)a[p] *
		    (uint64_t)b[p];

		wrapped |= __builtin_add_overflow(sum, t, &sum);
	}
	if (!wrapped && sum <= (unsigned __int128)s->hi)
		return true;
	at->beyond = wrapped || sum >= top;
	at->value = at->beyond ? 1 : (__int128)sum;
	return false;
}

/* Row i against the panel; records it if it is the first row so far. */
static void
search_row(struct search *s, size_t i, int64_t *row)
{
	size_t k = s->a->cols;
	struct overflow_at at;

	pack_panels(s->a, i, 1, 0, k, 1, DTYPE_I64, row);
	for (size_t j = 0; j < s->w; j++) {
		if (s->u64 ? fits_unsigned(row, s->panel + j * k, k, s, &at) :
		    fits(row, s->panel + j * k, k, s, &at))
			continue;
		at.row = i;
		at.col = s->j0 + j;
		#pragma omp critical(overflow_first)
		if (i < atomic_load(&s->first)) {
			s->at = at;
			atomic_store(&s->first, i);
		}
		return;
	}
}

/*
 * Rows past the first one found need no look: the panels go left to
 * right, so any row after it comes later in row-major order.
 */
static void
search_panel(struct search *s, int64_t *row, unsigned long long *pending)
{
	struct matrix bt = matrix_transposed(*s->b);
	size_t k = s->a->cols;

	#pragma omp for schedule(static)
	for (size_t j = 0; j < s->w; j++)
		pack_panels(&bt, s->j0 + j, 1, 0, k, 1, DTYPE_I64,
		    s->panel + j * k);
	#pragma omp for schedule(dynamic, 16)
	for (size_t i = 0; i < s->a->rows; i++) {
		if (i < atomic_load_explicit(&s->first, memory_order_relaxed) &&
		    !overflow_bound_clears(mul_sat(row_fold(s->a, i, row, true),
		    s->b_max), s->t))
			search_row(s, i, row);
		meter_count(&s->meter, pending, (unsigned long long)k * s->w);
	}
	meter_flush(&s->meter, pending);
}

static void
search_init(struct search *s, const struct matrix *a, const struct matrix *b,
    enum dtype t)
{
	s->a = a;
	s->b = b;
	s->t = t;
	s->u64 = a->dtype == DTYPE_U64 || b->dtype == DTYPE_U64;
	s->limit = overflow_limit(t);
	s->hi = (__int128)s->limit;
	s->lo = dtype_kind(t) == KIND_UINT ? 0 : -s->hi - 1;
	atomic_init(&s->first, SIZE_MAX);
	/* Columns of K elements, as many as fit a panel, at least one. */
	s->w = a->cols > 0 ? PANEL_BYTES / 8 / a->cols : b->cols;
	if (s->w == 0)
		s->w = 1;
	if (s->w > b->cols)
		s->w = b->cols;
}

int
overflow_find(const struct matrix *a, const struct matrix *b, enum dtype t,
    int nthreads, const struct gemm_progress *progress,
    struct overflow_at *at)
{
	size_t k = a->cols, width = k > CHUNK ? k : CHUNK;
	struct search s;
	uint64_t ra;
	int64_t *rows;

	if (nthreads < 1)
		nthreads = 1;
	search_init(&s, a, b, t);
	if (k == 0 || b->cols == 0 || a->rows == 0)
		return 0;
	if (scan(a, b, nthreads, &ra, &s.b_max) == -1)
		return -1;
	if (overflow_bound_clears(mul_sat(ra, s.b_max), t))
		return 0;
	s.panel = malloc(s.w * k * sizeof(*s.panel));
	rows = malloc((size_t)nthreads * width * sizeof(*rows));
	if (s.panel == NULL || rows == NULL) {
		free(s.panel);
		free(rows);
		return -1;
	}
	meter_init(&s.meter, progress, (double)a->rows * (double)b->cols *
	    (double)k);
	for (s.j0 = 0; s.j0 < b->cols; s.j0 += s.w) {
		if (s.w > b->cols - s.j0)
			s.w = b->cols - s.j0;
		#pragma omp parallel num_threads(nthreads)
		{
			unsigned long long pending = 0;

			search_panel(&s, rows + (size_t)omp_get_thread_num() *
			    width, &pending);
		}
	}
	meter_end(&s.meter);
	free(s.panel);
	free(rows);
	if (atomic_load(&s.first) == SIZE_MAX)
		return 0;
	*at = s.at;
	return 1;
}
