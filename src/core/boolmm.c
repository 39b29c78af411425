/*
 * The bool product on bitsets. Summing bools as int32 counts does k
 * multiply-adds for each element of C, when one true term settles it:
 * here 64 terms take one AND of two words, and the test of an element
 * stops at the first chunk of words with a true one, which dense data
 * reaches at once and sparse data after k / 64 ANDs at most. A sparse
 * row of A takes the other way round: its row of C is the OR of the rows
 * of B its true bits select (B's panel packed by rows as well), a few ORs
 * of n / 64 words instead of n x k / 64 ANDs.
 *
 *	for jc in N by nc:		nc columns of B
 *	  for pc in K by kc:		packed into bitsets, shared
 *	    parallel for ic in M by mc:	mc rows of A packed per thread
 *	      C[ic.., jc..] (|)= any(row & column)
 *
 * After the first piece of k (or onto a C that accumulates) an element
 * already true is left alone: a later piece can only add true terms. The
 * answer has no order to depend on, so it is the same for any split of
 * the work, and any -j.
 */
#include <omp.h>
#include <stdint.h>
#include <string.h>

#include "core/arith.h"
#include "core/boolmm.h"

#define CHUNK	8	/* words tested at a time: 512 bits, vector ORs */
#define STRIP	256	/* rows of a view packed together across it */
#define MC	32	/* rows of A a task packs: a few KiB to 64 KiB */

const struct ukernel boolmm_kernel = { "bool_bitset", 1, 1, MC, BOOLMM_KC,
    0, NULL };

/* Words of a packed row: whole chunks of the test, or 1, 2 or 4. */
static size_t
padded_words(size_t words)
{
	if (words <= 2)
		return words <= 1 ? 1 : 2;
	return words <= 4 ? 4 : round_up(words, CHUNK);
}

struct boolmm_blocks
boolmm_blocks(size_t m, size_t n, size_t k, size_t force_mc,
    size_t force_kc, size_t force_nc)
{
	struct boolmm_blocks b;
	size_t pieces;

	/* As few pieces of k as fit, of about the same size. */
	if (k == 0)
		k = BOOLMM_KC;
	pieces = ceil_div(k, BOOLMM_KC);
	b.kc = force_kc > 0 ? round_up(force_kc, 64) :
	    round_up(ceil_div(k, pieces), 64);
	b.ldw = padded_words(b.kc / 64);
	b.nc = force_nc > 0 ? force_nc : BOOLMM_PANEL / (b.ldw * 8);
	b.mc = force_mc > 0 ? force_mc : MC;
	if (b.nc > n)
		b.nc = n > 0 ? n : 1;
	if (b.mc > m)
		b.mc = m > 0 ? m : 1;
	return b;
}

/* The panel's columns as bitsets over k, then its rows over the columns. */
size_t
boolmm_bpack_bytes(const struct boolmm_blocks *blk)
{
	return (blk->nc * blk->ldw + blk->kc * ceil_div(blk->nc, 64)) *
	    sizeof(uint64_t);
}

/* A task's rows of A, then a row of C as a bitset. */
size_t
boolmm_apack_bytes(const struct boolmm_blocks *blk)
{
	return (blk->mc * blk->ldw + ceil_div(blk->nc, 64)) *
	    sizeof(uint64_t);
}

/* Bit i: whether byte i of the eight at p is not 0 (NumPy's truth). */
static inline uint64_t
nonzero8(const uint8_t *p)
{
	const uint64_t low7 = 0x7f7f7f7f7f7f7f7full;
	uint64_t x, top;

	memcpy(&x, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	x = __builtin_bswap64(x);
#endif
	/* A byte's top bit, set when it or any of its low seven bits is. */
	top = (((x & low7) + low7) | x) & ~low7;
	/* The multiply gathers byte i's top bit into bit 56 + i. */
	return ((top >> 7) * 0x0102040810204080ull) >> 56;
}

/*
 * One row of a view into ldw words at dst: cols elements from p, cs apart,
 * bit b of word w for element 64 w + b, the words past them 0.
 */
static void
pack_along(const uint8_t *p, ptrdiff_t cs, size_t cols, uint64_t *dst,
    size_t ldw)
{
	size_t w = 0, c = 0;

	for (; cs == 1 && c + 64 <= cols; c += 64, w++) {
		uint64_t word = 0;

		for (unsigned q = 0; q < 8; q++)
			word |= nonzero8(p + c + 8 * q) << (8 * q);
		dst[w] = word;
	}
	for (; c < cols; w++) {
		uint64_t word = 0;

		for (unsigned b = 0; b < 64 && c < cols; b++, c++)
			word |= (uint64_t)(p[(ptrdiff_t)c * cs] != 0) << b;
		dst[w] = word;
	}
	for (; w < ldw; w++)
		dst[w] = 0;
}

/*
 * rows <= STRIP rows of a view whose columns lie closer together than
 * its rows (a column of a C-order B, say): packed a word of every row at
 * a time, so memory is read along the columns, rs apart.
 */
static void
pack_across(const uint8_t *p, ptrdiff_t rs, ptrdiff_t cs, size_t rows,
    size_t cols, uint64_t *dst, size_t ldw)
{
	uint64_t word[STRIP];

	for (size_t w = 0; w < ldw; w++) {
		memset(word, 0, rows * sizeof(word[0]));
		for (size_t b = 0; b < 64 && 64 * w + b < cols; b++) {
			const uint8_t *q = p + (ptrdiff_t)(64 * w + b) * cs;

			/* Apart, so that the contiguous case vectorises. */
			if (rs == 1)
				for (size_t r = 0; r < rows; r++)
					word[r] |= (uint64_t)(q[r] != 0) << b;
			else
				for (size_t r = 0; r < rows; r++)
					word[r] |= (uint64_t)(q[(ptrdiff_t)r *
					    rs] != 0) << b;
		}
		for (size_t r = 0; r < rows; r++)
			dst[r * ldw + w] = word[r];
	}
}

static size_t
magnitude(ptrdiff_t s)
{
	return s < 0 ? -(size_t)s : (size_t)s;
}

/*
 * Rows [r0, r0 + rows) of the bool view v, each over its columns
 * [c0, c0 + cols), into bitsets ldw words apart at dst.
 */
static void
pack_bits(const struct matrix *v, size_t r0, size_t rows, size_t c0,
    size_t cols, uint64_t *dst, size_t ldw)
{
	const uint8_t *p = (const uint8_t *)v->data + (ptrdiff_t)r0 * v->rs +
	    (ptrdiff_t)c0 * v->cs;

	if (magnitude(v->rs) >= magnitude(v->cs)) {
		for (size_t r = 0; r < rows; r++)
			pack_along(p + (ptrdiff_t)r * v->rs, v->cs, cols,
			    dst + r * ldw, ldw);
		return;
	}
	for (size_t r = 0; r < rows; r += STRIP)
		pack_across(p + (ptrdiff_t)r * v->rs, v->rs, v->cs,
		    rows - r < STRIP ? rows - r : STRIP, cols, dst + r * ldw,
		    ldw);
}

/* Whether a and b share a bit, tested w words at a time (w divides ldw). */
static inline bool
meet(const uint64_t *a, const uint64_t *b, size_t ldw, size_t w)
{
	for (size_t i = 0; i < ldw; i += w) {
		uint64_t t = 0;

		for (size_t l = 0; l < w; l++)
			t |= a[i + l] & b[i + l];
		if (t != 0)
			return true;
	}
	return false;
}

/*
 * meet for four columns at b, ldw words apart, sharing the loads of a:
 * bit q of the result for column q. Those in found are known already;
 * the test stops when all four are.
 */
static inline unsigned
meet4(const uint64_t *a, const uint64_t *b, size_t ldw, size_t w,
    unsigned found)
{
	const uint64_t *b1 = b + ldw, *b2 = b1 + ldw, *b3 = b2 + ldw;

	for (size_t i = 0; i < ldw && found != 15; i += w) {
		uint64_t t0 = 0, t1 = 0, t2 = 0, t3 = 0;

		for (size_t l = 0; l < w; l++) {
			uint64_t x = a[i + l];

			t0 |= x & b[i + l];
			t1 |= x & b1[i + l];
			t2 |= x & b2[i + l];
			t3 |= x & b3[i + l];
		}
		found |= (unsigned)(t0 != 0) | (unsigned)(t1 != 0) << 1 |
		    (unsigned)(t2 != 0) << 2 | (unsigned)(t3 != 0) << 3;
	}
	return found;
}

/*
 * c[j] for j < cols from the packed row a and the packed columns at b,
 * ldw words apart, four columns at a time; with skip, a c[j] already
 * true stays true (as 1). One function for each chunk, so that its
 * loops have constant counts.
 */
typedef void row_fn(const uint64_t *a, const uint64_t *b, size_t ldw,
    size_t cols, uint8_t *c, bool skip);

#define DEFINE_ROW(W)							\
static void								\
row_##W(const uint64_t *a, const uint64_t *b, size_t ldw, size_t cols,	\
    uint8_t *c, bool skip)						\
{									\
	size_t j = 0;							\
									\
	for (; j + 4 <= cols; j += 4, b += 4 * ldw) {			\
		unsigned f = !skip ? 0 : (unsigned)(c[j] != 0) |	\
		    (unsigned)(c[j + 1] != 0) << 1 |			\
		    (unsigned)(c[j + 2] != 0) << 2 |			\
		    (unsigned)(c[j + 3] != 0) << 3;			\
									\
		f = meet4(a, b, ldw, W, f);				\
		for (unsigned q = 0; q < 4; q++)			\
			c[j + q] = f >> q & 1;				\
	}								\
	for (; j < cols; j++, b += ldw)					\
		c[j] = (skip && c[j] != 0) || meet(a, b, ldw, W);	\
}

DEFINE_ROW(1)
DEFINE_ROW(2)
DEFINE_ROW(4)
DEFINE_ROW(8)

/* Whether the nw words at acc have every bit of nc columns set. */
static bool
all_true(const uint64_t *acc, size_t nw, size_t nc)
{
	uint64_t last = nc % 64 != 0 ? ((uint64_t)1 << nc % 64) - 1 : ~0ull;

	for (size_t q = 0; q + 1 < nw; q++)
		if (acc[q] != ~0ull)
			return false;
	return (acc[nw - 1] & last) == last;
}

/*
 * The same row of C the other way round: the OR of the rows of B (as
 * bitsets of nw words over the panel's nc columns, at brows) that the true
 * bits of a select, in acc, until every column is true. Sparse rows of A
 * select few: k / 64 ANDs for each element become a handful of ORs of
 * nc / 64 words for the whole row.
 */
static void
row_by_rows(const uint64_t *a, size_t ldw, const uint64_t *brows,
    size_t nc, uint8_t *c, bool skip, uint64_t *acc)
{
	size_t nw = ceil_div(nc, 64);

	memset(acc, 0, nw * sizeof(acc[0]));
	for (size_t j = 0; skip && j < nc; j++)
		acc[j / 64] |= (uint64_t)(c[j] != 0) << j % 64;
	for (size_t w = 0; w < ldw && !all_true(acc, nw, nc); w++)
		for (uint64_t bits = a[w]; bits != 0; bits &= bits - 1) {
			const uint64_t *r = brows + (64 * w +
			    (size_t)__builtin_ctzll(bits)) * nw;

			for (size_t q = 0; q < nw; q++)
				acc[q] |= r[q];
		}
	for (size_t j = 0; j < nc; j++)
		c[j] = acc[j / 64] >> j % 64 & 1;
}

/*
 * Whether row a (ldw words) is cheaper by rows of B than by columns: its
 * true bits times the words of a row of B, against a quarter of the words
 * of the columns (the tests of four columns share their loads, and a true
 * element usually stops early).
 */
static bool
by_rows_pays(const uint64_t *a, size_t ldw, size_t nc)
{
	size_t ones = 0;

	for (size_t w = 0; w < ldw; w++)
		ones += (size_t)__builtin_popcountll(a[w]);
	return ones * ceil_div(nc, 64) * 4 <= nc * ldw;
}

/* What the threads share. */
struct bool_job {
	const struct matrix		*a;
	struct matrix			 bt;	/* B's columns as rows */
	const struct matrix_out		*c;
	const struct boolmm_blocks	*blk;
	bool				 accumulate;
	row_fn				*row;
	bool				 rows;	/* B packed by rows too */
	uint64_t			*bpack;
	struct meter			*meter;
};

/*
 * Columns [jc, jc + nc) of B over k in [pc, pc + kc), the threads sharing:
 * as bitsets of its columns, then of its rows (brows).
 */
static void
pack_panel(const struct bool_job *job, size_t jc, size_t nc, size_t pc,
    size_t kc, uint64_t *brows)
{
	size_t ldw = job->blk->ldw, nstrips = ceil_div(nc, STRIP);
	size_t nw = ceil_div(nc, 64), rstrips = ceil_div(kc, STRIP);
	struct matrix b = matrix_transposed(job->bt);

	#pragma omp for schedule(static) nowait
	for (size_t s = 0; s < nstrips; s++) {
		size_t j0 = s * STRIP;

		pack_bits(&job->bt, jc + j0, nc - j0 < STRIP ? nc - j0 : STRIP,
		    pc, kc, job->bpack + j0 * ldw, ldw);
	}
	#pragma omp for schedule(static)
	for (size_t s = 0; s < (job->rows ? rstrips : 0); s++) {
		size_t p0 = s * STRIP;

		pack_bits(&b, pc + p0, kc - p0 < STRIP ? kc - p0 : STRIP, jc,
		    nc, brows + p0 * nw, nw);
	}
}

/*
 * One thread's share of a (jc, pc) step: tasks are (row block, column
 * group) pairs, the groups there only to keep every thread busy when C
 * has fewer row blocks than threads, as in gemm.c.
 */
static void
run_tasks(const struct bool_job *job, uint64_t *apack, size_t jc,
    size_t nc, size_t pc, size_t kc, size_t ngroups, const uint64_t *brows)
{
	const struct boolmm_blocks *blk = job->blk;
	const struct matrix_out *c = job->c;
	unsigned long long pending = 0;
	size_t m = c->rows, nblocks = ceil_div(m, blk->mc), packed = SIZE_MAX;
	bool skip = pc > 0 || job->accumulate;

	#pragma omp for schedule(dynamic, 1)
	for (size_t t = 0; t < nblocks * ngroups; t++) {
		size_t ib = t / ngroups, g = t % ngroups, ic = ib * blk->mc;
		size_t rows = m - ic < blk->mc ? m - ic : blk->mc;
		size_t j0 = nc * g / ngroups, j1 = nc * (g + 1) / ngroups;

		if (j0 >= j1)
			continue;
		if (packed != ib) {
			pack_bits(job->a, ic, rows, pc, kc, apack, blk->ldw);
			packed = ib;
		}
		for (size_t i = 0; i < rows; i++) {
			const uint64_t *ai = apack + i * blk->ldw;
			uint8_t *ci = (uint8_t *)c->data + (ic + i) * c->ld +
			    jc + j0;

			/* Rows of B cover the whole panel: one group only. */
			if (job->rows && ngroups == 1 &&
			    by_rows_pays(ai, blk->ldw, nc))
				row_by_rows(ai, blk->ldw, brows, nc, ci, skip,
				    apack + blk->mc * blk->ldw);
			else
				job->row(ai, job->bpack + j0 * blk->ldw,
				    blk->ldw, j1 - j0, ci, skip);
		}
		meter_count(job->meter, &pending,
		    (unsigned long long)rows * (j1 - j0) * kc);
	}
	meter_flush(job->meter, &pending);
}

/*
 * Whether rows of A will be sparse enough for the rows of B to pay (as
 * by_rows_pays judges a row), from up to 64 rows spread over A, each over
 * its first piece of k: packing B's rows too costs about as much as the
 * columns, wasted on dense data.
 */
static bool
rows_may_pay(const struct matrix *a, const struct boolmm_blocks *blk,
    size_t n)
{
	size_t step = a->rows / 64 + 1, kc = a->cols < blk->kc ? a->cols :
	    blk->kc, nc = n < blk->nc ? n : blk->nc, ones = 0, rows = 0;

	for (size_t i = 0; i < a->rows; i += step, rows++)
		for (size_t p = 0; p < kc; p++)
			ones += ((const uint8_t *)a->data)[(ptrdiff_t)i *
			    a->rs + (ptrdiff_t)p * a->cs] != 0;
	return ones * ceil_div(nc, 64) * 4 <= rows * nc * blk->ldw;
}

void
boolmm(const struct matrix *a, const struct matrix *b,
    const struct matrix_out *c, const struct boolmm_blocks *blk,
    bool accumulate, int nthreads, uint64_t *bpack, uint64_t *apack,
    struct meter *meter)
{
	struct bool_job job = { a, matrix_transposed(*b), c, blk, accumulate,
	    blk->ldw == 1 ? row_1 : blk->ldw == 2 ? row_2 : blk->ldw == 4 ?
	    row_4 : row_8, rows_may_pay(a, blk, c->cols), bpack, meter };
	size_t k = a->cols, n = c->cols;
	size_t nblocks = ceil_div(c->rows, blk->mc);
	size_t ngroups = nblocks >= 2 * (size_t)nthreads ? 1 :
	    (size_t)nthreads;
	uint64_t *brows = bpack + blk->nc * blk->ldw;

	#pragma omp parallel num_threads(nthreads)
	{
		uint64_t *ap = apack + (size_t)omp_get_thread_num() *
		    (boolmm_apack_bytes(blk) / sizeof(uint64_t));

		for (size_t jc = 0; jc < n; jc += blk->nc) {
			size_t nc = n - jc < blk->nc ? n - jc : blk->nc;

			for (size_t pc = 0; pc < k; pc += blk->kc) {
				size_t kc = k - pc < blk->kc ? k - pc : blk->kc;

				pack_panel(&job, jc, nc, pc, kc, brows);
				run_tasks(&job, ap, jc, nc, pc, kc, ngroups,
				    brows);
			}
		}
	}
}
