/*
 * The bool route of gemm (core/boolmm.c) against a triple loop over the
 * views: shapes on both sides of a 64-bit word and of the 512-bit test
 * chunk, densities from none to all, bytes other than 0 and 1, every
 * layout (transposed, Fortran, padded, reversed), accumulating onto a C
 * that is partly true, forced blocks small enough to cross every edge,
 * 1, 2 and 3 threads, the progress count and the memory it reports.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "core/boolmm.h"
#include "core/gemm.h"
#include "core/matrix.h"

#define NELEMS(a)	(sizeof(a) / sizeof((a)[0]))
#define GARBAGE		0x5a
#define LDPAD		3	/* C's ld is n + LDPAD: the gap must survive */

/* How an operand is stored; its view says where element (i, j) is. */
enum layout {
	LAY_ROW,		/* C order */
	LAY_FORTRAN,		/* column-major: a transpose's view */
	LAY_ROW_PAD,		/* rows 5 bytes apart more than needed */
	LAY_REVERSED,		/* rows last to first: rs < 0 */
	LAY_COL_STEP,		/* every other byte: cs = 2 */
	NLAYOUTS
};

struct operand {
	uint8_t		*mem;
	struct matrix	 view;
};

static void *
xmalloc(size_t size)
{
	void *p = malloc(size > 0 ? size : 1);

	ck_assert_msg(p != NULL, "out of memory");
	return p;
}

static uint8_t *
at(const struct matrix *v, size_t i, size_t j)
{
	return (uint8_t *)v->data + (ptrdiff_t)i * v->rs + (ptrdiff_t)j * v->cs;
}

/* Storage for rows x cols bools in layout lay, every byte GARBAGE. */
static struct operand
make(size_t rows, size_t cols, enum layout lay)
{
	struct operand o;
	size_t r = rows > 0 ? rows : 1, c = cols > 0 ? cols : 1, size;
	ptrdiff_t rs = (ptrdiff_t)c, cs = 1;

	if (lay == LAY_FORTRAN) {
		rs = 1;
		cs = (ptrdiff_t)r;
	} else if (lay == LAY_ROW_PAD)
		rs = (ptrdiff_t)c + 5;
	else if (lay == LAY_COL_STEP) {
		cs = 2;
		rs = 2 * (ptrdiff_t)c;
	}
	size = r * c * 2 + r * 5;
	o.mem = xmalloc(size);
	memset(o.mem, GARBAGE, size);
	o.view = (struct matrix){ o.mem, rows, cols, rs, cs, DTYPE_BOOL,
	    false };
	if (lay == LAY_REVERSED) {
		o.view.data = o.mem + (r - 1) * c;
		o.view.rs = -(ptrdiff_t)c;
	}
	return o;
}

/* A true byte: mostly 1, else one of the others NumPy reads as true. */
static uint8_t
truth(uint64_t *seed)
{
	static const uint8_t other[] = { 2, 255, 0x80, 0x7f, 0x10 };
	uint64_t r = rnd(seed);

	return r % 4 != 0 ? 1 : other[(r >> 8) % NELEMS(other)];
}

/* Each element true with chance per_mille / 1000. */
static void
fill(struct operand *o, unsigned per_mille, uint64_t *seed)
{
	for (size_t i = 0; i < o->view.rows; i++)
		for (size_t j = 0; j < o->view.cols; j++)
			*at(&o->view, i, j) = rnd(seed) % 1000 < per_mille ?
			    truth(seed) : 0;
}

/* The triple loop: whether any a[i, p] and b[p, j] (onto old when acc). */
static void
reference(const struct matrix *a, const struct matrix *b, const uint8_t *old,
    uint8_t *want)
{
	size_t m = a->rows, k = a->cols, n = b->cols;

	for (size_t i = 0; i < m; i++)
		for (size_t j = 0; j < n; j++) {
			uint8_t any = old != NULL && old[i * n + j] != 0;

			for (size_t p = 0; p < k && !any; p++)
				any = *at(a, i, p) != 0 && *at(b, p, j) != 0;
			want[i * n + j] = any;
		}
}

/* gemm into a C of ld n + LDPAD, checked against want and its gaps. */
static void
check_product(const struct matrix *a, const struct matrix *b,
    const uint8_t *old, const uint8_t *want, struct gemm_setup *setup,
    const char *what)
{
	size_t m = a->rows, n = b->cols, ld = n + LDPAD;
	uint8_t *c = xmalloc(m * ld);
	struct matrix_out out = { c, m, n, ld, DTYPE_BOOL };
	struct gemm_call call = { .accumulate = old != NULL };
	struct gemm_result res;

	memset(c, GARBAGE, m * ld);
	for (size_t i = 0; old != NULL && i < m; i++)
		memcpy(c + i * ld, old + i * n, n);
	ck_assert_int_eq(gemm(a, b, &out, setup, &call, &res), 0);
	for (size_t i = 0; i < m; i++) {
		for (size_t j = 0; j < n; j++)
			ck_assert_msg(c[i * ld + j] == want[i * n + j],
			    "%s: %zux%zux%zu, %d threads: C[%zu,%zu] = %u, "
			    "want %u", what, m, a->cols, n, setup->nthreads,
			    i, j, c[i * ld + j], want[i * n + j]);
		for (size_t j = n; j < ld; j++)
			ck_assert_msg(c[i * ld + j] == GARBAGE,
			    "%s: the gap after row %zu was written", what, i);
	}
	/* One row goes the vector path, unless it accumulates. */
	if (m == 1 && old == NULL)
		ck_assert_ptr_null(res.used);
	else if (m > 0 && n > 0 && a->cols > 0)
		ck_assert_str_eq(res.used->name, "bool_bitset");
	free(c);
}

/* Checks A . B on 1, 2 and 3 threads, with and without forced blocks. */
static void
check_all_threads(const struct matrix *a, const struct matrix *b,
    const uint8_t *old, const char *what)
{
	size_t m = a->rows, n = b->cols;
	uint8_t *want = xmalloc(m * n);

	reference(a, b, old, want);
	for (int t = 1; t <= 3; t++) {
		struct gemm_setup setup = { .kernels = &kernels_generic,
		    .nthreads = t, .min_work = 1 };

		check_product(a, b, old, want, &setup, what);
		/* Blocks of 5 rows, 2 words of k and 7 columns of B. */
		setup.blocks = (struct gemm_blocks){ 5, 128, 7 };
		check_product(a, b, old, want, &setup, what);
	}
	free(want);
}

static const size_t shapes[][3] = {	/* m, k, n */
	{ 1, 1, 1 }, { 7, 7, 7 }, { 63, 63, 63 }, { 64, 64, 64 },
	{ 65, 65, 65 }, { 67, 67, 67 }, { 1, 257, 1 }, { 257, 1, 257 },
	{ 7, 511, 65 }, { 65, 513, 7 }, { 1, 1000, 257 }, { 257, 1000, 1 },
	{ 63, 1000, 67 }, { 67, 257, 64 }, { 1000, 65, 7 }, { 7, 64, 1000 },
	{ 1, 513, 511 }, { 511, 7, 1 }, { 9, 20000, 11 }, { 3, 8193, 2 },
	{ 0, 7, 7 }, { 7, 0, 7 }, { 7, 7, 0 }, { 1, 0, 1 },
};
static const unsigned densities[] = { 0, 10, 500, 1000 };	/* per mille */

START_TEST(test_shapes)
{
	const size_t *s = shapes[_i];
	uint64_t seed = 1000 + (uint64_t)_i;

	for (size_t d = 0; d < NELEMS(densities); d++) {
		enum layout la = (enum layout)((_i + d) % NLAYOUTS);
		enum layout lb = (enum layout)((_i + 2 * d + 1) % NLAYOUTS);
		struct operand a = make(s[0], s[1], la), b = make(s[1], s[2],
		    lb);

		fill(&a, densities[d], &seed);
		fill(&b, densities[d], &seed);
		check_all_threads(&a.view, &b.view, NULL, "shapes");
		free(a.mem);
		free(b.mem);
	}
}
END_TEST

/*
 * Every pair of layouts, at a size past a word and a chunk: the packing
 * reads along rows or across them by the strides.
 */
START_TEST(test_layouts)
{
	enum layout la = (enum layout)(_i / NLAYOUTS);
	enum layout lb = (enum layout)(_i % NLAYOUTS);
	uint64_t seed = 77 + (uint64_t)_i;
	struct operand a = make(37, 600, la), b = make(600, 41, lb);

	fill(&a, 3, &seed);
	fill(&b, 3, &seed);
	check_all_threads(&a.view, &b.view, NULL, "layouts");
	free(a.mem);
	free(b.mem);
}
END_TEST

/*
 * One true term alone, at the edges of words, chunks and pieces of k:
 * C is true at its (i, j) and nowhere else. Any byte other than 0 counts,
 * each in every position of its 8-byte group.
 */
START_TEST(test_single_term)
{
	static const size_t ks[] = { 1, 63, 64, 65, 511, 512, 513, 8193 };
	static const uint8_t bytes[] = { 1, 2, 0x80, 255 };
	size_t k = ks[_i], m = 5, n = 6;

	for (size_t q = 0; q < 6; q++) {
		size_t p = (size_t[]){ 0, 1, 63, 64, k / 2, k - 1 }[q] % k;
		struct operand a = make(m, k, LAY_ROW), b = make(k, n,
		    LAY_ROW);

		for (size_t i = 0; i < m; i++)
			memset(at(&a.view, i, 0), 0, k);
		for (size_t r = 0; r < k; r++)
			memset(at(&b.view, r, 0), 0, n);
		*at(&a.view, 3, p) = bytes[q % NELEMS(bytes)];
		*at(&b.view, p, 4) = bytes[(q + 1) % NELEMS(bytes)];
		/* More trues, so that C[3, 0] is true and row 1 false. */
		*at(&a.view, 1, (p + 1) % k) = k > 1 ? 1 : 0;
		*at(&b.view, p, 0) = 7;
		check_all_threads(&a.view, &b.view, NULL, "one term");
		free(a.mem);
		free(b.mem);
	}
}
END_TEST

/*
 * Rows of A of both kinds in one product: most sparse (taken by ORs of
 * B's rows), every seventh dense (by ANDs with B's columns), so that the
 * choice made row by row meets both on either side of every edge.
 */
START_TEST(test_mixed_rows)
{
	static const size_t mixed[][3] = { { 70, 1000, 130 }, { 65, 64, 65 },
	    { 100, 9000, 9 }, { 40, 7, 300 } };
	const size_t *s = mixed[_i];
	uint64_t seed = 31 + (uint64_t)_i;
	struct operand a = make(s[0], s[1], LAY_ROW), b = make(s[1], s[2],
	    _i % 2 ? LAY_FORTRAN : LAY_ROW);

	fill(&a, 4, &seed);
	fill(&b, 20, &seed);
	for (size_t i = 0; i < s[0]; i += 7)
		for (size_t p = 0; p < s[1]; p++)
			*at(&a.view, i, p) = rnd(&seed) % 2 ? truth(&seed) : 0;
	check_all_threads(&a.view, &b.view, NULL, "mixed rows");
	free(a.mem);
	free(b.mem);
}
END_TEST

/*
 * C |= A . B onto a C that is partly true (any byte but 0), as the
 * out-of-core driver and MPI call it; one row or one column too, which
 * the vector path refuses for other types. The result is 0 or 1.
 */
START_TEST(test_accumulate)
{
	static const size_t acc_shapes[][3] = { { 33, 300, 45 },
	    { 1, 700, 70 }, { 70, 700, 1 }, { 64, 64, 64 }, { 5, 3, 9 } };
	const size_t *s = acc_shapes[_i];
	uint64_t seed = 4242 + (uint64_t)_i;
	struct operand a = make(s[0], s[1], LAY_ROW), b = make(s[1], s[2],
	    LAY_FORTRAN);
	uint8_t *old = xmalloc(s[0] * s[2]);

	fill(&a, 2, &seed);
	fill(&b, 2, &seed);
	for (size_t e = 0; e < s[0] * s[2]; e++)
		old[e] = rnd(&seed) % 3 == 0 ? truth(&seed) : 0;
	check_all_threads(&a.view, &b.view, old, "accumulate");
	free(old);
	free(a.mem);
	free(b.mem);
}
END_TEST

/* Split over k at any point, accumulating: the same as one call. */
START_TEST(test_split_k)
{
	enum { M = 19, K = 900, N = 23 };
	static const size_t cuts[] = { 1, 64, 100, 500, 899 };
	uint64_t seed = 99;
	struct operand a = make(M, K, LAY_ROW), b = make(K, N, LAY_ROW);
	uint8_t one[M * N], split[M * N];
	struct gemm_setup setup = { .kernels = &kernels_generic,
	    .nthreads = 2, .min_work = 1 };
	struct matrix_out c1 = { one, M, N, N, DTYPE_BOOL };
	struct matrix_out c2 = { split, M, N, N, DTYPE_BOOL };
	struct gemm_call acc = { .accumulate = true };

	fill(&a, 1, &seed);
	fill(&b, 1, &seed);
	ck_assert_int_eq(gemm(&a.view, &b.view, &c1, &setup, NULL, NULL), 0);
	for (size_t q = 0; q < NELEMS(cuts); q++) {
		struct matrix a0 = matrix_block(&a.view, 0, M, 0, cuts[q]);
		struct matrix a1 = matrix_block(&a.view, 0, M, cuts[q], K);
		struct matrix b0 = matrix_block(&b.view, 0, cuts[q], 0, N);
		struct matrix b1 = matrix_block(&b.view, cuts[q], K, 0, N);

		memset(split, GARBAGE, sizeof(split));
		ck_assert_int_eq(gemm(&a0, &b0, &c2, &setup, NULL, NULL), 0);
		ck_assert_int_eq(gemm(&a1, &b1, &c2, &setup, &acc, NULL), 0);
		ck_assert_msg(memcmp(one, split, sizeof(one)) == 0,
		    "split at %zu differs", cuts[q]);
	}
	free(a.mem);
	free(b.mem);
}
END_TEST

/* k == 0: all false, or C left as it is when accumulating. */
START_TEST(test_empty_k)
{
	uint8_t c[6], z[1];
	struct matrix a = { z, 2, 0, 0, 1, DTYPE_BOOL, false };
	struct matrix b = { z, 0, 3, 3, 1, DTYPE_BOOL, false };
	struct matrix_out out = { c, 2, 3, 3, DTYPE_BOOL };
	struct gemm_setup setup = { .kernels = &kernels_generic,
	    .nthreads = 2 };
	struct gemm_call acc = { .accumulate = true };

	memset(c, GARBAGE, sizeof(c));
	ck_assert_int_eq(gemm(&a, &b, &out, &setup, NULL, NULL), 0);
	for (size_t e = 0; e < 6; e++)
		ck_assert_uint_eq(c[e], 0);
	c[4] = 1;
	ck_assert_int_eq(gemm(&a, &b, &out, &setup, &acc, NULL), 0);
	ck_assert_uint_eq(c[4], 1);
	ck_assert_uint_eq(c[3], 0);
}
END_TEST

struct progress_log {
	double	last_before_end, total, end;
	int	calls;
};

static void
log_progress(void *arg, double done, double total)
{
	struct progress_log *log = arg;

	log->last_before_end = log->end;
	log->end = done;
	log->total = total;
	log->calls++;
}

/*
 * The progress meter counts m x n x k multiply-adds, as the other paths
 * do: on one thread, the count it reaches before the final report is all
 * of them, pieces of k, panels and skipped elements included.
 */
START_TEST(test_progress)
{
	enum { M = 70, K = 1000, N = 50 };
	uint64_t seed = 5;
	struct operand a = make(M, K, LAY_ROW), b = make(K, N, LAY_ROW);
	uint8_t c[M * N];
	struct progress_log log = { 0 };
	struct gemm_progress hook = { log_progress, &log };
	struct gemm_setup setup = { .kernels = &kernels_generic,
	    .nthreads = 1, .progress = &hook, .blocks = { 8, 256, 16 } };
	struct matrix_out out = { c, M, N, N, DTYPE_BOOL };

	fill(&a, 500, &seed);
	fill(&b, 500, &seed);
	ck_assert_int_eq(gemm(&a.view, &b.view, &out, &setup, NULL, NULL), 0);
	ck_assert(log.calls >= 2);
	ck_assert(log.total == (double)M * N * K);
	ck_assert(log.end == log.total);
	ck_assert(log.last_before_end == log.total);
	free(a.mem);
	free(b.mem);
}
END_TEST

/*
 * The private memory the planners are told of: bounded whatever m and n
 * (4 MiB, the bitsets rounded to whole huge pages: bigbuf.h), a whole
 * number of words of k, and no less than gemm then keeps.
 */
START_TEST(test_private_bytes)
{
	enum { M = 300, K = 20000, N = 500 };
	uint64_t seed = 8;
	struct operand a = make(M, K, LAY_ROW), b = make(K, N, LAY_FORTRAN);
	uint8_t *c = xmalloc(M * N);
	struct gemm_buffers keep = { 0 };
	struct gemm_setup setup = { .kernels = &kernels_generic,
	    .nthreads = 2, .min_work = 1, .buffers = &keep };
	struct matrix_out out = { c, M, N, N, DTYPE_BOOL };
	size_t kc, kc_big;
	size_t bytes = gemm_private_bytes(&setup, DTYPE_BOOL, M, N, &kc);
	size_t big = gemm_private_bytes(&setup, DTYPE_BOOL, 1000000, 1000000,
	    &kc_big);

	ck_assert_uint_eq(kc, kc_big);
	ck_assert_uint_eq(kc % 64, 0);
	ck_assert_uint_gt(kc, 0);
	ck_assert_uint_le(big, 4u << 20);
	fill(&a, 1, &seed);
	fill(&b, 1, &seed);
	ck_assert_int_eq(gemm(&a.view, &b.view, &out, &setup, NULL, NULL), 0);
	ck_assert_uint_gt(keep.apack_size + keep.bpack_size, 0);
	ck_assert_uint_le(keep.apack_size + keep.bpack_size, bytes);
	gemm_buffers_free(&keep);
	free(c);
	free(a.mem);
	free(b.mem);
}
END_TEST

/* The blocks: whole words, bounded, no larger than the matrix. */
START_TEST(test_blocks)
{
	struct boolmm_blocks b = boolmm_blocks(10, 3, 100000, 0, 0, 0);

	ck_assert_uint_eq(b.kc % 64, 0);
	ck_assert_uint_le(b.kc, BOOLMM_KC);
	ck_assert_uint_ge(b.ldw * 64, b.kc);
	ck_assert_uint_le(b.nc, 3);
	ck_assert_uint_le(b.mc, 10);
	b = boolmm_blocks(1u << 20, 1u << 20, 7, 0, 0, 0);
	ck_assert_uint_eq(b.kc, 64);
	ck_assert_uint_eq(b.ldw, 1);
	/* The columns' form and the rows' form, about as large. */
	ck_assert_uint_le(boolmm_bpack_bytes(&b), 2 * BOOLMM_PANEL +
	    BOOLMM_KC);
	b = boolmm_blocks(50, 50, 1000, 3, 100, 4);
	ck_assert_uint_eq(b.kc, 128);
	ck_assert_uint_eq(b.mc, 3);
	ck_assert_uint_eq(b.nc, 4);
}
END_TEST

static Suite *
boolmm_suite(void)
{
	Suite *s = suite_create("boolmm");
	TCase *tc = tcase_create("Core");

	tcase_set_timeout(tc, 300);
	tcase_add_loop_test(tc, test_shapes, 0, NELEMS(shapes));
	tcase_add_loop_test(tc, test_layouts, 0, NLAYOUTS * NLAYOUTS);
	tcase_add_loop_test(tc, test_single_term, 0, 8);
	tcase_add_loop_test(tc, test_accumulate, 0, 5);
	tcase_add_loop_test(tc, test_mixed_rows, 0, 4);
	tcase_add_test(tc, test_split_k);
	tcase_add_test(tc, test_empty_k);
	tcase_add_test(tc, test_progress);
	tcase_add_test(tc, test_private_bytes);
	tcase_add_test(tc, test_blocks);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(boolmm_suite());
}
