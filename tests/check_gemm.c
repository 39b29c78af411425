/*
 * gemm() against a naive triple loop: every type and promotion, every view
 * the packing must absorb (transposes, Fortran order, sub-blocks, foreign
 * byte order), shapes and forced cache blocks that reach every edge path,
 * several thread counts, and every kernel set this CPU can run.
 *
 * Integers must match bitwise, wrap-around included. Floats must lie within
 * a bound relative to the sum of |a||b| (kernels may fuse multiply-adds),
 * except when every value is a small integer: then every partial sum is
 * exact and so must be the result. Whatever the comparison, results for the
 * same kernel set and kc must be bitwise identical across thread counts and
 * other cache blocks, as gemm.h promises.
 *
 * C lives inside a larger buffer, wider than its rows and with a row above
 * and below: those bytes must not change, and C starts as garbage that must
 * all be overwritten.
 *
 * gemm() has two paths besides the blocked loops, both checked here: M or
 * N of 1 goes to the matrix-vector code, and int64 products small enough
 * to be exact in float64 go through the float64 kernels. Besides the real
 * kernel sets, a test set of an odd tile shape shows that the loops make
 * no assumption about MR and NR.
 */
#include <errno.h>
#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"
#include "core/bigbuf.h"
#include "core/dtype.h"
#include "core/gemm.h"
#include "core/kernels/kernel.h"
#include "core/matrix.h"

#define NELEMS(a)	(sizeof(a) / sizeof((a)[0]))

#define SENTINEL	0xa5	/* around C: must survive the call */
#define GARBAGE		0x5a	/* in C before the call: must not survive */
#define POISON		0xff	/* around a sub-view: NaN or -1 if ever read */

/*
 * Micro-kernels of an odd shape, 3 x 5, that no real set uses: with them,
 * no block size is a multiple of MR or NR, so the engine's edge handling is
 * tested apart from the shapes the real kernels happen to have. They also
 * count packed panels that break the 64-byte alignment kernel.h promises.
 */
static atomic_uint misaligned;
static atomic_uintptr_t misaligned_offset;

#define DEFINE_TEST_KERNEL(name, T, ACC, MR, NR)			\
static void								\
name(size_t k, const void *restrict a_, const void *restrict b_,	\
    void *restrict c_, size_t ldc, int accumulate)			\
{									\
	const T *a = a_, *b = b_;					\
	T *c = c_;							\
									\
	note_alignment(a_, b_);						\
	for (size_t i = 0; i < (MR); i++) {				\
		for (size_t j = 0; j < (NR); j++) {			\
			ACC v = 0;					\
									\
			for (size_t p = 0; p < k; p++)			\
				v += (ACC)a[p * (MR) + i] *		\
				    (ACC)b[p * (NR) + j];		\
			if (accumulate)					\
				v += (ACC)c[i * ldc + j];		\
			c[i * ldc + j] = (T)v;				\
		}							\
	}								\
}

static void
note_alignment(const void *a, const void *b)
{
	uintptr_t off = (uintptr_t)a % 64 ? (uintptr_t)a % 64 :
	    (uintptr_t)b % 64;

	if (off != 0) {
		atomic_fetch_add(&misaligned, 1);
		atomic_store(&misaligned_offset, off);
	}
}

DEFINE_TEST_KERNEL(f64_test_3x5, double, double, 3, 5)
DEFINE_TEST_KERNEL(f32_test_3x5, float, float, 3, 5)
DEFINE_TEST_KERNEL(i64_test_3x5, int64_t, uint64_t, 3, 5)
DEFINE_TEST_KERNEL(i32_test_3x5, int32_t, uint32_t, 3, 5)

/* Blocks of 0: the test set also takes the cache-size fallback. */
static const struct kernel_set kernels_test = {
	.isa = "test3x5",
	.k = {
		[DTYPE_F64] = { "f64_test_3x5", 3, 5, 0, 0, 0, f64_test_3x5 },
		[DTYPE_F32] = { "f32_test_3x5", 3, 5, 0, 0, 0, f32_test_3x5 },
		[DTYPE_I64] = { "i64_test_3x5", 3, 5, 0, 0, 0, i64_test_3x5 },
		[DTYPE_I32] = { "i32_test_3x5", 3, 5, 0, 0, 0, i32_test_3x5 },
	},
};

static const struct kernel_set *const sets[] = {
	&kernels_generic,
#if defined(__x86_64__)
	&kernels_avx2,
	&kernels_avx512,
	&kernels_avx512vnni,
#endif
	&kernels_test,
};

/*
 * Whether set ks can multiply into type t here; main() says why not. An
 * int64 product may run on the float64 kernel (gemm.h's exact route).
 */
static int
usable(const struct kernel_set *ks, enum dtype t)
{
	if (ks != &kernels_test && !kernels_supported(ks))
		return 0;
	if (t == DTYPE_I64 && ks->k[DTYPE_F64].fn == NULL)
		return 0;
	return ks->k[t].fn != NULL;
}

/*
 * Operand types: each type alone, one conversion of each kind (widening an
 * integer, a float, or an integer to float in both operands), then the
 * rest of the mixed pairs both ways.
 */
static const enum dtype pairs[][2] = {
	{ DTYPE_F64, DTYPE_F64 }, { DTYPE_F32, DTYPE_F32 },
	{ DTYPE_I64, DTYPE_I64 }, { DTYPE_I32, DTYPE_I32 },
	{ DTYPE_I32, DTYPE_I64 }, { DTYPE_F32, DTYPE_F64 },
	{ DTYPE_I32, DTYPE_F32 },
	{ DTYPE_I64, DTYPE_F64 }, { DTYPE_I64, DTYPE_I32 },
	{ DTYPE_F64, DTYPE_F32 }, { DTYPE_F32, DTYPE_I32 },
	{ DTYPE_F64, DTYPE_I64 }, { DTYPE_I32, DTYPE_F64 },
	{ DTYPE_I64, DTYPE_F32 },
};
#define NPAIRS_KINDS	7	/* the pairs up to one of each conversion */

enum layout {
	LAY_ROW,		/* row-major */
	LAY_TRANS,		/* matrix_transposed() of a row-major buffer */
	LAY_FORTRAN,		/* column-major: rs = 1, cs = rows */
	LAY_SUB,		/* a block of a wider, taller matrix */
	LAY_KIND = 3,
	LAY_SWAP = 4,		/* flag: bytes stored in the other order */
};

enum values {
	VAL_SMALL,		/* integers in [-8, 8]: exact in every type */
	VAL_RANDOM,		/* floats in [-1, 1), integers to +-1000 */
	VAL_FULL,		/* integers of any bits, floats to +-2^8 */
};

struct blocks {
	size_t	mc, kc, nc;
};

/* One product to check: what goes in, and how C is laid out. */
struct spec {
	enum dtype	ta, tb;
	unsigned	la, lb;		/* enum layout, maybe | LAY_SWAP */
	size_t		m, n, k;
	enum values	values;
	size_t		ldpad;		/* C's ld is n + ldpad */
};

/* An operand: its values in plain form, and the bytes its view reads. */
struct operand {
	long double	*f;		/* as promotion to a float type gives */
	uint64_t	*u;		/* as promotion to an integer gives */
	unsigned char	*mem;
	struct matrix	 view;
};

/* The naive product: exact for integers, long double for floats. */
struct reference {
	enum dtype	 t;
	size_t		 m, n, k;
	long double	*sum;
	long double	*mag;		/* sum of |a||b|: scales the error */
	uint64_t	*isum;
};

/* C inside a buffer with a row of sentinels above and below. */
struct cbuf {
	unsigned char		*mem;
	size_t			 size;
	struct matrix_out	 out;
};

/*
 * Why the last check failed. Helpers return -1 after filling it, so that
 * the test frees everything before asserting.
 */
static char failure[2048];

static int
note_failure(const char *desc, const char *fmt, ...)
{
	int len = snprintf(failure, sizeof(failure), "%s: ", desc);
	va_list ap;

	if (len < 0 || (size_t)len >= sizeof(failure))
		return -1;
	va_start(ap, fmt);
	vsnprintf(failure + len, sizeof(failure) - (size_t)len, fmt, ap);
	va_end(ap);
	return -1;
}

static void *
xmalloc(size_t size)
{
	void *p = malloc(size > 0 ? size : 1);

	ck_assert_msg(p != NULL, "out of memory");
	return p;
}

/* A seed from the case itself, so each case is reproducible on its own. */
static uint64_t
seed_of(const struct spec *s)
{
	uint64_t seed = 0x70a2d07;

	seed = seed * 31 + s->ta;
	seed = seed * 31 + s->tb;
	seed = seed * 31 + s->values;
	seed = seed * 1009 + s->m;
	seed = seed * 1009 + s->n;
	return seed * 1009 + s->k;
}

static double
random_float(enum values v, uint64_t *state)
{
	double x = (double)(rnd(state) >> 11) * 0x1p-53;	/* [0, 1) */
	uint64_t r;

	if (v == VAL_RANDOM)
		return 2 * x - 1;
	r = rnd(state);
	return ldexp(r & 1 ? -1 - x : 1 + x, (int)(r >> 1 & 15) - 8);
}

/* Stores one random value of type t, native byte order, at p. */
static void
put_value(unsigned char *p, enum dtype t, enum values v, uint64_t *state)
{
	uint64_t r = rnd(state);
	int64_t i = v == VAL_SMALL ? (int64_t)(r % 17) - 8 :
	    (int64_t)(r % 2001) - 1000;
	double d = v == VAL_SMALL ? (double)i : random_float(v, state);
	uint32_t u4 = v == VAL_FULL ? (uint32_t)r : (uint32_t)i;
	float f = (float)d;

	switch (t) {
	case DTYPE_F64:
		memcpy(p, &d, 8);
		break;
	case DTYPE_F32:
		memcpy(p, &f, 4);
		break;
	case DTYPE_I64:
		memcpy(p, v == VAL_FULL ? (void *)&r : (void *)&i, 8);
		break;
	case DTYPE_I32:
		memcpy(p, &u4, 4);
		break;
	default:	/* only the kernels' types here */
		break;
	}
}

/* The value at p as a float result sees it: int64 rounds to double. */
static long double
get_float(const unsigned char *p, enum dtype t)
{
	double d;
	float f;
	int64_t i8;
	int32_t i4;

	switch (t) {
	case DTYPE_F64:
		memcpy(&d, p, 8);
		return d;
	case DTYPE_F32:
		memcpy(&f, p, 4);
		return f;
	case DTYPE_I64:
		memcpy(&i8, p, 8);
		return (double)i8;
	case DTYPE_I32:
		memcpy(&i4, p, 4);
		return i4;
	default:	/* only the kernels' types here */
		break;
	}
	return 0;
}

/* The value at p as an integer result sees it: int32 is sign-extended. */
static uint64_t
get_uint(const unsigned char *p, enum dtype t)
{
	uint64_t u8;
	int32_t i4;

	if (t == DTYPE_I64) {
		memcpy(&u8, p, 8);
		return u8;
	}
	memcpy(&i4, p, 4);
	return (uint64_t)(int64_t)i4;
}

static void
reverse_bytes(unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n / 2; i++) {
		unsigned char t = p[i];

		p[i] = p[n - 1 - i];
		p[n - 1 - i] = t;
	}
}

/* The view of layout lay for a rows x cols matrix, before data is set. */
static struct matrix
layout_view(unsigned lay, enum dtype t, size_t rows, size_t cols,
    size_t *prows, size_t *pcols)
{
	struct matrix v = { NULL, rows, cols, (ptrdiff_t)cols, 1, t,
	    (lay & LAY_SWAP) != 0 };
	struct matrix tr = v;

	*prows = rows;
	*pcols = cols;
	switch (lay & LAY_KIND) {
	case LAY_TRANS:
		tr.rows = cols;
		tr.cols = rows;
		tr.rs = (ptrdiff_t)rows;
		v = matrix_transposed(tr);
		break;
	case LAY_FORTRAN:
		v.rs = 1;
		v.cs = (ptrdiff_t)rows;
		break;
	case LAY_SUB:
		*prows = rows + 3;
		*pcols = cols + 5;
		v.rs = (ptrdiff_t)*pcols;
		break;
	}
	return v;
}

/*
 * Lays out an operand of type t as layout lay, its elements to be set with
 * operand_put. A sub-view starts at row 2, column 1 of its parent, whose
 * other elements are poison that the product would show if ever read.
 */
static void
operand_alloc(struct operand *op, enum dtype t, size_t rows, size_t cols,
    unsigned lay)
{
	size_t esz = dtype_size(t), prows, pcols, start = 0;

	op->view = layout_view(lay, t, rows, cols, &prows, &pcols);
	if ((lay & LAY_KIND) == LAY_SUB)
		start = 2 * pcols + 1;
	op->mem = xmalloc(prows * pcols * esz);
	memset(op->mem, POISON, prows * pcols * esz);
	op->view.data = op->mem + start * esz;
	op->f = xmalloc(rows * cols * sizeof(*op->f));
	op->u = xmalloc(rows * cols * sizeof(*op->u));
}

/* Sets element (i, j) to the native-order value at val. */
static void
operand_put(struct operand *op, size_t i, size_t j, const unsigned char *val)
{
	enum dtype t = op->view.dtype;
	size_t esz = dtype_size(t), at = i * op->view.cols + j;
	unsigned char *p = (unsigned char *)op->view.data +
	    (i * (size_t)op->view.rs + j * (size_t)op->view.cs) * esz;

	op->f[at] = get_float(val, t);
	op->u[at] = get_uint(val, t);
	memcpy(p, val, esz);
	if (op->view.swapped)
		reverse_bytes(p, esz);
}

/* Makes a random rows x cols operand of type t stored as layout lay. */
static void
operand_init(struct operand *op, enum dtype t, size_t rows, size_t cols,
    unsigned lay, enum values v, uint64_t *state)
{
	unsigned char val[8];

	operand_alloc(op, t, rows, cols, lay);
	for (size_t i = 0; i < rows; i++) {
		for (size_t j = 0; j < cols; j++) {
			put_value(val, t, v, state);
			operand_put(op, i, j, val);
		}
	}
}

static void
operand_free(struct operand *op)
{
	free(op->f);
	free(op->u);
	free(op->mem);
}

static void
reference_init(struct reference *r, const struct operand *a,
    const struct operand *b, enum dtype t)
{
	size_t m = a->view.rows, k = a->view.cols, n = b->view.cols;

	*r = (struct reference){ t, m, n, k, NULL, NULL, NULL };
	r->sum = xmalloc(m * n * sizeof(*r->sum));
	r->mag = xmalloc(m * n * sizeof(*r->mag));
	r->isum = xmalloc(m * n * sizeof(*r->isum));
	for (size_t i = 0; i < m; i++) {
		for (size_t j = 0; j < n; j++) {
			long double s = 0, mag = 0;
			uint64_t u = 0;

			for (size_t p = 0; p < k; p++) {
				long double ab = a->f[i * k + p] *
				    b->f[p * n + j];

				s += ab;
				mag += fabsl(ab);
				u += a->u[i * k + p] * b->u[p * n + j];
			}
			r->sum[i * n + j] = s;
			r->mag[i * n + j] = mag;
			r->isum[i * n + j] = u;
		}
	}
}

static void
reference_free(struct reference *r)
{
	free(r->sum);
	free(r->mag);
	free(r->isum);
}

/* C at row 1 of a buffer of m + 2 rows of ld elements, full of garbage. */
static void
cbuf_init(struct cbuf *cb, enum dtype t, size_t m, size_t n, size_t ld)
{
	size_t esz = dtype_size(t);

	cb->size = (m + 2) * ld * esz + esz;
	cb->mem = xmalloc(cb->size);
	memset(cb->mem, SENTINEL, cb->size);
	cb->out = (struct matrix_out){ cb->mem + ld * esz, m, n, ld, t };
	for (size_t i = 0; i < m; i++)
		memset(cb->mem + (i + 1) * ld * esz, GARBAGE, n * esz);
}

/* Checks that nothing outside C changed. */
static int
check_sentinels(const struct cbuf *cb, const char *desc)
{
	size_t esz = dtype_size(cb->out.dtype), row = cb->out.ld * esz;

	for (size_t off = 0; off < cb->size; off++) {
		int in_c = off >= row && off < (cb->out.rows + 1) * row &&
		    off % row < cb->out.cols * esz;

		if (!in_c && cb->mem[off] != SENTINEL)
			return note_failure(desc, "byte %zu of the C buffer "
			    "(row %zu, byte %zu) lies outside C but changed "
			    "to %#x", off, off / row, off % row, cb->mem[off]);
	}
	return 0;
}

static int
check_float(const struct reference *r, const unsigned char *p, size_t at,
    int exact, const char *desc)
{
	long double got = get_float(p, r->t), want = r->sum[at];
	long double eps = r->t == DTYPE_F32 ? FLT_EPSILON : DBL_EPSILON;
	long double tol = exact ? 0 : 8 * r->k * eps * r->mag[at] + DBL_MIN;

	if (fabsl(got - want) <= tol)
		return 0;
	return note_failure(desc, "C[%zu][%zu] = %.21Lg, want %.21Lg "
	    "(tolerance %Lg)", at / r->n, at % r->n, got, want, tol);
}

static int
check_int(const struct reference *r, const unsigned char *p, size_t at,
    const char *desc)
{
	uint64_t got = get_uint(p, r->t), want = r->isum[at];

	if (r->t == DTYPE_I32)
		want = (uint64_t)(int64_t)(int32_t)(uint32_t)want;
	if (got == want)
		return 0;
	return note_failure(desc, "C[%zu][%zu] = %" PRId64 ", want %" PRId64,
	    at / r->n, at % r->n, (int64_t)got, (int64_t)want);
}

/* Checks C against the reference; floats exactly when exact is set. */
static int
check_c(const struct cbuf *cb, const struct reference *r, int exact,
    const char *desc)
{
	size_t esz = dtype_size(r->t);

	if (check_sentinels(cb, desc) != 0)
		return -1;
	for (size_t i = 0; i < r->m; i++) {
		for (size_t j = 0; j < r->n; j++) {
			const unsigned char *p = (unsigned char *)cb->out.data +
			    (i * cb->out.ld + j) * esz;
			int bad = dtype_is_int(r->t) ?
			    check_int(r, p, i * r->n + j, desc) :
			    check_float(r, p, i * r->n + j, exact, desc);

			if (bad)
				return -1;
		}
	}
	return 0;
}

static const char *
layout_name(unsigned lay)
{
	static const char *const kind[] = { "row", "trans", "fortran", "sub" };
	static const char *const swapped[] = { "row+swap", "trans+swap",
	    "fortran+swap", "sub+swap" };

	return (lay & LAY_SWAP ? swapped : kind)[lay & LAY_KIND];
}

static void
describe(char *buf, size_t size, const struct spec *s,
    const struct gemm_setup *setup, const struct gemm_result *res)
{
	static const char *const vname[] = { "small", "random", "full" };
	enum dtype t = dtype_promote(s->ta, s->tb);

	snprintf(buf, size, "%s (%s%s): %s x %s -> %s, A %s, B %s, "
	    "M=%zu N=%zu K=%zu, ld=%zu, %s values, mc=%zu kc=%zu nc=%zu, "
	    "%d threads", setup->kernels->isa,
	    res->used != NULL ? res->used->name : "no micro-kernel",
	    res->exact_route ? ", exact route" : "", dtype_name(s->ta),
	    dtype_name(s->tb), dtype_name(t), layout_name(s->la),
	    layout_name(s->lb), s->m, s->n, s->k, s->n + s->ldpad,
	    vname[s->values], setup->blocks.mc, setup->blocks.kc,
	    setup->blocks.nc, setup->nthreads);
}

/* One call of gemm() into a fresh C buffer, checked against r. */
static int
run_one(const struct spec *s, const struct operand *a,
    const struct operand *b, const struct reference *r,
    const struct gemm_setup *setup, struct gemm_result *res,
    struct cbuf *cb)
{
	char desc[512];
	int rc;

	cbuf_init(cb, r->t, s->m, s->n, s->n + s->ldpad);
	rc = gemm(&a->view, &b->view, &cb->out, setup, NULL, res);
	describe(desc, sizeof(desc), s, setup, res);
	if (rc != 0)
		return note_failure(desc, "gemm returned %d (%s)", rc,
		    strerror(rc));
	return check_c(cb, r, s->values == VAL_SMALL, desc);
}

/*
 * Runs every blocking and thread count with one kernel set. Results with
 * the same kc must not differ in a single bit: not across thread counts,
 * and not across mc and nc either, since kc alone orders the sums.
 */
static int
run_set(const struct spec *s, const struct operand *a,
    const struct operand *b, const struct reference *r,
    const struct kernel_set *ks, const struct blocks *blk, size_t nblk,
    const int *threads, size_t nthreads)
{
	struct cbuf saved[8];
	int status = 0;

	ck_assert(nblk <= NELEMS(saved));
	memset(saved, 0, sizeof(saved));
	for (size_t bi = 0; status == 0 && bi < nblk; bi++) {
		size_t b0 = 0;

		while (blk[b0].kc != blk[bi].kc)
			b0++;
		for (size_t ti = 0; status == 0 && ti < nthreads; ti++) {
			struct gemm_setup setup = { .kernels = ks,
			    .nthreads = threads[ti], .blocks = { blk[bi].mc,
			    blk[bi].kc, blk[bi].nc }, .min_work = 1 };
			struct gemm_result res;
			struct cbuf cb;
			char desc[512];

			status = run_one(s, a, b, r, &setup, &res, &cb);
			if (status == 0 && saved[b0].mem != NULL &&
			    memcmp(saved[b0].mem, cb.mem, cb.size) != 0) {
				describe(desc, sizeof(desc), s, &setup, &res);
				status = note_failure(desc, "differs bitwise "
				    "from the result with %d threads, mc=%zu "
				    "nc=%zu", threads[0], blk[b0].mc,
				    blk[b0].nc);
			}
			if (saved[bi].mem == NULL)
				saved[bi] = cb;
			else
				free(cb.mem);
		}
	}
	for (size_t bi = 0; bi < nblk; bi++)
		free(saved[bi].mem);
	return status;
}

/* Checks one product with every kernel set, blocking and thread count. */
static int
run_case(const struct spec *s, const struct blocks *blk, size_t nblk,
    const int *threads, size_t nthreads)
{
	enum dtype t = dtype_promote(s->ta, s->tb);
	uint64_t state = seed_of(s);
	struct operand a, b;
	struct reference r;
	int status = 0;

	operand_init(&a, s->ta, s->m, s->k, s->la, s->values, &state);
	operand_init(&b, s->tb, s->k, s->n, s->lb, s->values, &state);
	reference_init(&r, &a, &b, t);
	for (size_t i = 0; status == 0 && i < NELEMS(sets); i++)
		if (usable(sets[i], t))
			status = run_set(s, &a, &b, &r, sets[i], blk, nblk,
			    threads, nthreads);
	reference_free(&r);
	operand_free(&a);
	operand_free(&b);
	return status;
}

/*
 * Integer products alternate between small values, for which gemm takes
 * int64 results through the float64 kernels (its exact route), and values
 * over the whole range, which wrap and need the integer kernels.
 */
static enum values
values_for(const enum dtype *pair, size_t i)
{
	if (dtype_is_int(pair[0]) && dtype_is_int(pair[1]) && i % 2 == 0)
		return VAL_FULL;
	return VAL_RANDOM;
}

/*
 * Forced blocks, next to the defaults: mc and nc round to multiples of MR
 * and NR, so these give blocks of one or a few tiles and kc of 3 or 16,
 * and every matrix here ends in a partial tile, block and panel.
 */
static const struct blocks blocks_std[] = {
	{ 0, 0, 0 }, { 5, 3, 7 }, { 12, 16, 24 },
};
static const int threads_all[] = { 1, 2, 3, 7 };
static const int threads_few[] = { 1, 3 };

/*
 * (M, N, K): every zero case, ones and twos, sizes below, at and above the
 * register and cache blocks, and primes that no block size divides.
 */
static const size_t shapes[][3] = {
	{ 0, 0, 0 }, { 0, 7, 13 }, { 13, 0, 7 }, { 7, 13, 0 },
	{ 0, 0, 31 }, { 257, 67, 0 },
	{ 1, 1, 1 }, { 1, 1, 257 }, { 1, 257, 1 }, { 257, 1, 1 },
	{ 2, 2, 2 }, { 2, 7, 13 }, { 7, 2, 31 }, { 13, 97, 2 },
	{ 4, 8, 16 }, { 7, 7, 7 }, { 13, 13, 13 }, { 31, 13, 67 },
	{ 67, 31, 13 }, { 97, 67, 7 }, { 13, 257, 31 }, { 257, 13, 97 },
	{ 67, 67, 67 }, { 31, 23, 257 }, { 257, 31, 67 }, { 97, 257, 2 },
};

/*
 * Each shape with every pair of types, the default blocks and up to more
 * threads than cores. Forced blocks mean hundreds of thread barriers per
 * call on the larger shapes, so they run with fewer thread counts and the
 * pairs whose packing differs: each type alone and one conversion of each
 * kind (the views test puts every pair through forced blocks).
 */
START_TEST(test_shapes)
{
	for (size_t p = 0; p < NELEMS(pairs); p++) {
		struct spec s = { pairs[p][0], pairs[p][1], LAY_ROW, LAY_ROW,
		    shapes[_i][0], shapes[_i][1], shapes[_i][2],
		    values_for(pairs[p], _i / 2), _i % 2 ? 3 : 0 };

		ck_assert_msg(run_case(&s, blocks_std, 1, threads_all,
		    NELEMS(threads_all)) == 0, "%s", failure);
		if (p >= NPAIRS_KINDS)
			continue;
		ck_assert_msg(run_case(&s, blocks_std + 1,
		    NELEMS(blocks_std) - 1, threads_few,
		    NELEMS(threads_few)) == 0, "%s", failure);
	}
}
END_TEST

/* Each layout for A with B row-major, the reverse, and some mixtures. */
static const unsigned views[][2] = {
	{ LAY_TRANS, LAY_ROW }, { LAY_FORTRAN, LAY_ROW },
	{ LAY_SUB, LAY_ROW }, { LAY_SWAP, LAY_ROW },
	{ LAY_TRANS | LAY_SWAP, LAY_ROW }, { LAY_SUB | LAY_SWAP, LAY_ROW },
	{ LAY_ROW, LAY_TRANS }, { LAY_ROW, LAY_FORTRAN },
	{ LAY_ROW, LAY_SUB }, { LAY_ROW, LAY_SWAP },
	{ LAY_ROW, LAY_FORTRAN | LAY_SWAP }, { LAY_ROW, LAY_SUB | LAY_SWAP },
	{ LAY_TRANS, LAY_TRANS }, { LAY_FORTRAN, LAY_FORTRAN },
	{ LAY_SUB, LAY_SUB }, { LAY_SWAP, LAY_SWAP },
	{ LAY_TRANS | LAY_SWAP, LAY_SUB }, { LAY_SUB, LAY_FORTRAN | LAY_SWAP },
};

static const size_t view_shapes[][3] = {
	{ 13, 31, 7 }, { 7, 13, 67 }, { 1, 9, 2 },
};

/*
 * Every pair of types through each pair of views, with the default blocks
 * (on several threads) and with tiny ones (on one and several).
 */
START_TEST(test_views)
{
	for (size_t p = 0; p < NELEMS(pairs); p++) {
		for (size_t h = 0; h < NELEMS(view_shapes); h++) {
			struct spec s = { pairs[p][0], pairs[p][1],
			    views[_i][0], views[_i][1], view_shapes[h][0],
			    view_shapes[h][1], view_shapes[h][2],
			    values_for(pairs[p], _i), 2 };

			ck_assert_msg(run_case(&s, blocks_std, 1,
			    threads_few + 1, 1) == 0, "%s", failure);
			ck_assert_msg(run_case(&s, blocks_std + 1, 1,
			    threads_few, NELEMS(threads_few)) == 0, "%s",
			    failure);
		}
	}
}
END_TEST

/*
 * Integers over their whole range, so that nearly every product and sum
 * wraps; with a float on the other side, large integers must reach double
 * as (double) would convert them, never through float.
 */
START_TEST(test_full_range)
{
	static const size_t fshapes[][3] = { { 13, 31, 67 }, { 67, 7, 257 } };
	static const unsigned flay[][2] = {
		{ LAY_ROW, LAY_ROW }, { LAY_TRANS | LAY_SWAP, LAY_SUB },
	};

	for (size_t h = 0; h < NELEMS(fshapes); h++) {
		for (size_t l = 0; l < NELEMS(flay); l++) {
			struct spec s = { pairs[_i][0], pairs[_i][1],
			    flay[l][0], flay[l][1], fshapes[h][0],
			    fshapes[h][1], fshapes[h][2], VAL_FULL, 1 };

			ck_assert_msg(run_case(&s, blocks_std,
			    NELEMS(blocks_std), threads_few,
			    NELEMS(threads_few)) == 0, "%s", failure);
		}
	}
}
END_TEST

/* The pairs of types whose product is a float. */
static const enum dtype float_pairs[][2] = {
	{ DTYPE_F64, DTYPE_F64 }, { DTYPE_F32, DTYPE_F32 },
	{ DTYPE_F32, DTYPE_F64 }, { DTYPE_F64, DTYPE_F32 },
	{ DTYPE_I64, DTYPE_F64 }, { DTYPE_F64, DTYPE_I64 },
	{ DTYPE_I32, DTYPE_F32 }, { DTYPE_F32, DTYPE_I32 },
	{ DTYPE_I32, DTYPE_F64 }, { DTYPE_I64, DTYPE_F32 },
};

/*
 * Small integers stored as floats: every partial sum is an integer well
 * below 2^24, so any kernel and any order must give the exact result.
 */
START_TEST(test_exact_floats)
{
	static const size_t eshapes[][3] = {
		{ 31, 13, 257 }, { 67, 67, 67 }, { 7, 97, 31 }, { 1, 5, 300 },
	};
	const enum dtype *pair = float_pairs[_i];

	for (size_t h = 0; h < NELEMS(eshapes); h++) {
		struct spec s = { pair[0], pair[1], LAY_ROW,
		    h % 2 ? LAY_TRANS | LAY_SWAP : LAY_ROW, eshapes[h][0],
		    eshapes[h][1], eshapes[h][2], VAL_SMALL, 4 };

		ck_assert_msg(run_case(&s, blocks_std, NELEMS(blocks_std),
		    threads_few, NELEMS(threads_few)) == 0, "%s", failure);
	}
}
END_TEST

/*
 * One kc, many mc and nc, up to more threads than cores: the sum for each
 * element must come out the same to the bit, the thing that makes pardot's
 * output independent of the machine's core count.
 */
START_TEST(test_reproducible)
{
	static const struct blocks same_kc[] = {
		{ 4, 16, 8 }, { 12, 16, 24 }, { 40, 16, 96 },
		{ 1000, 16, 1000 },
	};
	struct spec s = { pairs[_i][0], pairs[_i][1], LAY_ROW, LAY_ROW,
	    37, 53, 71, VAL_RANDOM, 0 };

	ck_assert_msg(run_case(&s, same_kc, NELEMS(same_kc), threads_all,
	    NELEMS(threads_all)) == 0, "%s", failure);
}
END_TEST

/* The smallest blocks there are: one tile per block, kc of 1 or 2. */
START_TEST(test_tiny_blocks)
{
	static const struct blocks tiny[] = {
		{ 1, 1, 1 }, { 1, 2, 1 }, { 9, 1, 17 },
	};
	static const size_t tshapes[][3] = { { 7, 13, 5 }, { 13, 7, 31 } };

	for (size_t h = 0; h < NELEMS(tshapes); h++) {
		struct spec s = { pairs[_i][0], pairs[_i][1], LAY_ROW,
		    LAY_FORTRAN, tshapes[h][0], tshapes[h][1], tshapes[h][2],
		    VAL_RANDOM, 1 };

		ck_assert_msg(run_case(&s, tiny, NELEMS(tiny), threads_few,
		    NELEMS(threads_few)) == 0, "%s", failure);
	}
}
END_TEST

/*
 * Wrap-around worked out by hand, so that it does not rest on the
 * reference: [MAX 3] . [2 3]' wraps to -2 + 9 = 7 in the operands' type,
 * while int32 x int64 widens first and gets 2 * (2^31 - 1) + 9. Every row
 * of A and column of B is the same, so any M, N in 1..2 gives all C the
 * same value, through the matrix-vector path and the blocked one.
 */
static int
check_wrap(enum dtype ta, enum dtype tb, int64_t want)
{
	static const int32_t a4[4] = { INT32_MAX, 3, INT32_MAX, 3 };
	static const int64_t a8[4] = { INT64_MAX, 3, INT64_MAX, 3 };
	static const int32_t b4[4] = { 2, 2, 3, 3 };
	static const int64_t b8[4] = { 2, 2, 3, 3 };
	enum dtype t = dtype_promote(ta, tb);
	struct reference r = { t, 0, 0, 2, NULL, NULL, NULL };
	uint64_t isum[4] = { (uint64_t)want, (uint64_t)want, (uint64_t)want,
	    (uint64_t)want };
	int status = 0;

	r.isum = isum;
	for (size_t m = 1; status == 0 && m <= 2; m++) {
		for (size_t n = 1; status == 0 && n <= 2; n++) {
			struct matrix a = { ta == DTYPE_I32 ? (void *)a4 : a8,
			    m, 2, 2, 1, ta, false };
			struct matrix b = { tb == DTYPE_I32 ? (void *)b4 : b8,
			    2, n, 2, 1, tb, false };
			struct gemm_setup setup = { .kernels = &kernels_generic,
			    .nthreads = 2, .min_work = 1 };
			char desc[128];
			struct cbuf cb;

			snprintf(desc, sizeof(desc), "%s x %s, M=%zu N=%zu",
			    dtype_name(ta), dtype_name(tb), m, n);
			r.m = m;
			r.n = n;
			cbuf_init(&cb, t, m, n, n + 1);
			if (gemm(&a, &b, &cb.out, &setup, NULL, NULL) != 0)
				status = note_failure(desc, "gemm failed");
			else
				status = check_c(&cb, &r, 1, desc);
			free(cb.mem);
		}
	}
	return status;
}

START_TEST(test_wrap_by_hand)
{
	ck_assert_msg(check_wrap(DTYPE_I32, DTYPE_I32, 7) == 0, "%s",
	    failure);
	ck_assert_msg(check_wrap(DTYPE_I64, DTYPE_I64, 7) == 0, "%s",
	    failure);
	ck_assert_msg(check_wrap(DTYPE_I32, DTYPE_I64,
	    2 * (int64_t)INT32_MAX + 9) == 0, "%s", failure);
}
END_TEST

/*
 * Empty operands, whose data may well be NULL as an empty file maps to:
 * with K = 0 the empty sums make C all zeros, over the garbage it held;
 * with M or N = 0 nothing at all is written.
 */
START_TEST(test_empty)
{
	struct gemm_setup setup = { .kernels = &kernels_generic,
	    .nthreads = 3, .min_work = 1 };
	struct reference r = { DTYPE_F64, 5, 3, 0, NULL, NULL, NULL };
	struct matrix a = { NULL, 5, 0, 0, 1, DTYPE_F64, false };
	struct matrix b = { NULL, 0, 3, 3, 1, DTYPE_F64, false };
	long double zero[15] = { 0 };
	uint64_t izero[15] = { 0 };
	struct cbuf cb;
	int rc, status;

	r.sum = r.mag = zero;
	r.isum = izero;
	cbuf_init(&cb, DTYPE_F64, 5, 3, 4);
	rc = gemm(&a, &b, &cb.out, &setup, NULL, NULL);
	status = rc != 0 ? note_failure("5x0 . 0x3", "gemm returned %d", rc) :
	    check_c(&cb, &r, 1, "5x0 . 0x3, NULL data");
	free(cb.mem);
	ck_assert_msg(status == 0, "%s", failure);

	a.rows = 0;
	a.cols = 4;
	b.rows = 4;
	cbuf_init(&cb, DTYPE_F64, 0, 3, 4);
	rc = gemm(&a, &b, &cb.out, &setup, NULL, NULL);
	status = rc != 0 ? note_failure("0x4 . 4x3", "gemm returned %d", rc) :
	    check_sentinels(&cb, "0x4 . 4x3, NULL data");
	free(cb.mem);
	ck_assert_msg(status == 0, "%s", failure);
}
END_TEST

/* Shapes or a C type that do not agree are refused, and C is untouched. */
START_TEST(test_einval)
{
	static const struct {
		size_t		m, k1, k2, n, cm, cn, ld;
		enum dtype	ta, tb, tc;
		const char	*what;
	} bad[] = {
		{ 3, 4, 5, 2, 3, 2, 2, DTYPE_F64, DTYPE_F64, DTYPE_F64,
		    "A's columns differ from B's rows" },
		{ 3, 4, 4, 2, 4, 2, 2, DTYPE_F64, DTYPE_F64, DTYPE_F64,
		    "C has too many rows" },
		{ 3, 4, 4, 2, 3, 1, 2, DTYPE_F64, DTYPE_F64, DTYPE_F64,
		    "C has too few columns" },
		{ 3, 4, 4, 2, 3, 2, 1, DTYPE_F64, DTYPE_F64, DTYPE_F64,
		    "C's ld is below its columns" },
		{ 3, 4, 4, 2, 3, 2, 2, DTYPE_I32, DTYPE_I32, DTYPE_I64,
		    "int32 x int32 into int64" },
		{ 3, 4, 4, 2, 3, 2, 2, DTYPE_F32, DTYPE_F64, DTYPE_F32,
		    "float32 x float64 into float32" },
		{ 3, 4, 4, 2, 3, 2, 2, DTYPE_I32, DTYPE_F32, DTYPE_F32,
		    "int32 x float32 into float32" },
		{ 3, 4, 4, 2, 3, 2, 2, DTYPE_I64, DTYPE_F64, DTYPE_I64,
		    "int64 x float64 into int64" },
		{ 0, 4, 5, 0, 0, 0, 0, DTYPE_F64, DTYPE_F64, DTYPE_F64,
		    "empty, but A's columns differ from B's rows" },
	};
	static const double data[64];
	struct gemm_setup setup = { .kernels = &kernels_generic,
	    .nthreads = 1 };

	for (size_t i = 0; i < NELEMS(bad); i++) {
		struct matrix a = { data, bad[i].m, bad[i].k1,
		    (ptrdiff_t)bad[i].k1, 1, bad[i].ta, false };
		struct matrix b = { data, bad[i].k2, bad[i].n,
		    (ptrdiff_t)bad[i].n, 1, bad[i].tb, false };
		unsigned char *before;
		struct cbuf cb;
		int rc, same;

		cbuf_init(&cb, bad[i].tc, bad[i].cm, bad[i].cn, bad[i].ld + 1);
		cb.out.ld = bad[i].ld;
		before = xmalloc(cb.size);
		memcpy(before, cb.mem, cb.size);
		rc = gemm(&a, &b, &cb.out, &setup, NULL, NULL);
		same = memcmp(before, cb.mem, cb.size) == 0;
		free(before);
		free(cb.mem);
		ck_assert_msg(rc == EINVAL, "%s: gemm returned %d, want EINVAL",
		    bad[i].what, rc);
		ck_assert_msg(same, "%s: C changed, though gemm refused",
		    bad[i].what);
	}
}
END_TEST

/*
 * M = 1 or N = 1 takes the matrix-vector path, which streams the matrix
 * 2048 elements at a time, along rows or, when columns are contiguous,
 * down columns: these shapes cross that chunk in K and in the output.
 */
static const size_t gemv_shapes[][3] = {
	{ 1, 2100, 5 }, { 2100, 1, 3 }, { 1, 3, 2500 }, { 3, 1, 2500 },
	{ 1, 1, 4099 }, { 1, 37, 1 }, { 37, 1, 2 },
};
static const unsigned gemv_views[][2] = {
	{ LAY_ROW, LAY_ROW }, { LAY_FORTRAN, LAY_TRANS | LAY_SWAP },
	{ LAY_SUB | LAY_SWAP, LAY_FORTRAN }, { LAY_TRANS, LAY_SUB },
};

START_TEST(test_vector_shapes)
{
	for (size_t h = 0; h < NELEMS(gemv_shapes); h++) {
		for (size_t l = 0; l < NELEMS(gemv_views); l++) {
			struct spec s = { pairs[_i][0], pairs[_i][1],
			    gemv_views[l][0], gemv_views[l][1],
			    gemv_shapes[h][0], gemv_shapes[h][1],
			    gemv_shapes[h][2], values_for(pairs[_i], h + l),
			    l };

			ck_assert_msg(run_case(&s, blocks_std, 1, threads_all,
			    NELEMS(threads_all)) == 0, "%s", failure);
		}
	}
}
END_TEST

#define P53	(INT64_C(1) << 53)

/*
 * gemm.h's exact route: int64 products whose every partial sum stays
 * within 2^53 run on the float64 kernels. Each case is worked out by hand;
 * past the bound the result is odd and above 2^53, where float64 cannot
 * hold it, so wrongly taking the route would show. M = N = 2 keeps these
 * off the matrix-vector path.
 */
static const struct route_case {
	const char	*what;
	enum dtype	 ta, tb;
	unsigned	 la, lb;
	size_t		 k;		/* A is 2 x k, B is k x 2 */
	int64_t		 a[6], b[6], c[4];
	bool		 route;
} route_cases[] = {
	{ "a row of A sums to 2^53", DTYPE_I64, DTYPE_I64, LAY_ROW, LAY_ROW,
	    2, { P53 - 1, 1, 0, 0 }, { 1, 0, 1, 0 }, { P53, 0, 0, 0 }, true },
	{ "a row of A sums past 2^53", DTYPE_I64, DTYPE_I64, LAY_ROW,
	    LAY_ROW, 2, { P53 - 1, 2, 0, 0 }, { 1, 0, 1, 0 },
	    { P53 + 1, 0, 0, 0 }, false },
	{ "the second row of A sums past 2^53", DTYPE_I64, DTYPE_I64,
	    LAY_ROW, LAY_ROW, 2, { 1, 1, P53 - 1, 2 }, { 1, 0, 1, 0 },
	    { 2, 0, P53 + 1, 0 }, false },
	{ "-2^53 itself", DTYPE_I64, DTYPE_I64, LAY_ROW, LAY_ROW, 2,
	    { -P53, 0, 0, 0 }, { 1, 0, 0, 0 }, { -P53, 0, 0, 0 }, true },
	{ "a product past 2^53", DTYPE_I64, DTYPE_I64, LAY_ROW, LAY_ROW, 2,
	    { 3, 0, 0, 0 }, { P53 / 2 + 1, 0, 0, 0 },
	    { 3 * (P53 / 2) + 3, 0, 0, 0 }, false },
	{ "the largest |b| in B's last column", DTYPE_I64, DTYPE_I64,
	    LAY_ROW, LAY_ROW, 2, { 1, 2, 0, 0 }, { 1, 1, 1, P53 / 2 + 1 },
	    { 3, P53 + 3, 0, 0 }, false },
	{ "INT64_MIN times zero", DTYPE_I64, DTYPE_I64, LAY_ROW, LAY_ROW, 2,
	    { INT64_MIN, 1, 0, 0 }, { 0, 0, 1, 0 }, { 1, 0, 0, 0 }, false },
	{ "swapped views, int32 x int64, past 2^53", DTYPE_I32, DTYPE_I64,
	    LAY_FORTRAN | LAY_SWAP, LAY_TRANS | LAY_SWAP, 3,
	    { 1, 1, 1, INT32_MAX, INT32_MAX, INT32_MAX },
	    { (1 << 22) + 1, 0, (1 << 22) + 1, 0, (1 << 22) + 1, 0 },
	    { 3 * ((1 << 22) + 1), 0,
	    3 * ((int64_t)INT32_MAX * ((1 << 22) + 1)), 0 }, false },
	{ "swapped views, int32 x int64, at -2^53", DTYPE_I32, DTYPE_I64,
	    LAY_FORTRAN | LAY_SWAP, LAY_SUB | LAY_SWAP, 2,
	    { INT32_MIN, 0, 0, 0 }, { 1 << 22, 0, 0, 0 },
	    { -P53, 0, 0, 0 }, true },
};

/* Sets element (i, j) of an integer operand to v. */
static void
put_int(struct operand *op, size_t i, size_t j, int64_t v)
{
	unsigned char val[8];
	int32_t v4 = (int32_t)v;

	if (op->view.dtype == DTYPE_I32)
		memcpy(val, &v4, 4);
	else
		memcpy(val, &v, 8);
	operand_put(op, i, j, val);
}

/* One route case with one kernel set and thread count. */
static int
run_route(const struct route_case *rc, const struct operand *a,
    const struct operand *b, const struct reference *r,
    const struct kernel_set *ks, int nthreads)
{
	struct gemm_setup setup = { .kernels = ks, .nthreads = nthreads,
	    .min_work = 1 };
	struct gemm_result res;
	char desc[256];
	struct cbuf cb;
	int status, rv;

	snprintf(desc, sizeof(desc), "%s, %s, %d threads", rc->what, ks->isa,
	    nthreads);
	if (gemm_fits_float64(&a->view, &b->view, nthreads) != rc->route)
		return note_failure(desc, "gemm_fits_float64 says %d",
		    !rc->route);
	cbuf_init(&cb, DTYPE_I64, 2, 2, 3);
	rv = gemm(&a->view, &b->view, &cb.out, &setup, NULL, &res);
	if (rv != 0)
		status = note_failure(desc, "gemm returned %d", rv);
	else if (res.exact_route != rc->route)
		status = note_failure(desc, "exact_route is %d", !rc->route);
	else
		status = check_c(&cb, r, 1, desc);
	free(cb.mem);
	return status;
}

START_TEST(test_exact_route)
{
	const struct route_case *rc = &route_cases[_i];
	struct operand a, b;
	struct reference r;
	int status = 0;

	operand_alloc(&a, rc->ta, 2, rc->k, rc->la);
	operand_alloc(&b, rc->tb, rc->k, 2, rc->lb);
	for (size_t i = 0; i < 2; i++) {
		for (size_t p = 0; p < rc->k; p++) {
			put_int(&a, i, p, rc->a[i * rc->k + p]);
			put_int(&b, p, i, rc->b[p * 2 + i]);
		}
	}
	reference_init(&r, &a, &b, DTYPE_I64);
	for (size_t i = 0; status == 0 && i < 4; i++)
		if (r.isum[i] != (uint64_t)rc->c[i])
			status = note_failure(rc->what, "the reference gives "
			    "%" PRId64 " for C[%zu], worked by hand: %" PRId64,
			    (int64_t)r.isum[i], i, rc->c[i]);
	for (size_t i = 0; status == 0 && i < NELEMS(sets); i++)
		for (size_t t = 0; status == 0 && t < 2; t++)
			if (usable(sets[i], DTYPE_I64))
				status = run_route(rc, &a, &b, &r, sets[i],
				    threads_few[t]);
	reference_free(&r);
	operand_free(&a);
	operand_free(&b);
	ck_assert_msg(status == 0, "%s", failure);
}
END_TEST

/* The promotions this suite relies on, as NumPy's matmul has them. */
START_TEST(test_promotion)
{
	ck_assert_int_eq(dtype_promote(DTYPE_I32, DTYPE_I64), DTYPE_I64);
	ck_assert_int_eq(dtype_promote(DTYPE_I64, DTYPE_I32), DTYPE_I64);
	ck_assert_int_eq(dtype_promote(DTYPE_F32, DTYPE_F64), DTYPE_F64);
	ck_assert_int_eq(dtype_promote(DTYPE_I64, DTYPE_F64), DTYPE_F64);
	ck_assert_int_eq(dtype_promote(DTYPE_I32, DTYPE_F32), DTYPE_F64);
	ck_assert_int_eq(dtype_promote(DTYPE_F32, DTYPE_I32), DTYPE_F64);
	ck_assert_int_eq(dtype_promote(DTYPE_F32, DTYPE_F32), DTYPE_F32);
	ck_assert_int_eq(dtype_promote(DTYPE_I32, DTYPE_I32), DTYPE_I32);
}
END_TEST

/*
 * kernel.h promises kernels packed panels aligned to 64 bytes, so a SIMD
 * kernel may use aligned loads. Odd K leaves a last k block whose panels
 * are MR * kc elements long, which is what this checks.
 */
START_TEST(test_panel_alignment)
{
	static const struct blocks blk[] = { { 0, 0, 0 } };
	static const int one[] = { 1 };
	struct spec s = { pairs[_i][0], pairs[_i][1], LAY_ROW, LAY_ROW,
	    13, 17, 13, VAL_RANDOM, 0 };
	unsigned n;

	atomic_store(&misaligned, 0);
	ck_assert_msg(run_case(&s, blk, 1, one, 1) == 0, "%s", failure);
	n = atomic_load(&misaligned);
	ck_assert_msg(n == 0, "%s x %s, M=13 N=17 K=13: %u micro-kernel calls "
	    "got a packed panel %zu bytes past a 64-byte boundary",
	    dtype_name(s.ta), dtype_name(s.tb), n,
	    (size_t)atomic_load(&misaligned_offset));
}
END_TEST

/* Bounds of part i of n split into parts, as the out-of-core driver does. */
static void
part(size_t n, size_t parts, size_t i, size_t *lo, size_t *hi)
{
	*lo = n * i / parts;
	*hi = n * (i + 1) / parts;
}

/*
 * What the out-of-core driver does: C in tiles of 2 or more rows and
 * columns, each summed over k in slabs of whole kc blocks, every slab but
 * the first accumulating. Returns gemm's first error, or 0.
 */
static int
tiled_gemm(const struct matrix *a, const struct matrix *b,
    const struct matrix_out *c, size_t bands, size_t tiles, size_t slab,
    const struct gemm_setup *setup, enum gemm_route route)
{
	/* int64 on the exact route: float64 sums, converted tile by tile. */
	bool exact = c->dtype == DTYPE_I64 && route == GEMM_ROUTE_EXACT;
	size_t esz = dtype_size(c->dtype), k = a->cols;
	int e = 0;

	for (size_t bi = 0; bi < bands; bi++) {
		for (size_t ti = 0; ti < tiles; ti++) {
			size_t r0, r1, c0, c1;
			struct matrix_out tc = *c;

			part(c->rows, bands, bi, &r0, &r1);
			part(c->cols, tiles, ti, &c0, &c1);
			tc.data = (unsigned char *)c->data + (r0 * c->ld + c0) *
			    esz;
			tc.rows = r1 - r0;
			tc.cols = c1 - c0;
			for (size_t p0 = 0; p0 < k && e == 0; p0 += slab) {
				size_t p1 = p0 + slab < k ? p0 + slab : k;
				struct matrix ta = matrix_block(a, r0, r1, p0, p1);
				struct matrix tb = matrix_block(b, p0, p1, c0, c1);
				struct gemm_call call = { .accumulate = p0 > 0,
				    .keep_doubles = exact, .route = route };

				e = gemm(&ta, &tb, &tc, setup, &call, NULL);
			}
			if (exact && e == 0)
				gemm_to_int64(&tc, setup->nthreads);
		}
	}
	return e;
}

/*
 * Tiles of C and slabs of k, summed with accumulate, give C bitwise as one
 * call does, for every type pair and kernel set, in row-major and
 * transposed layouts, whatever the tiles and the slabs (multiples of kc).
 */
START_TEST(test_tiles_and_slabs)
{
	static const size_t shape[][3] = { { 67, 31, 97 }, { 13, 257, 67 } };
	static const size_t split[][3] = {	/* bands, tiles, slab / kc */
		{ 1, 1, 1 }, { 2, 3, 1 }, { 6, 1, 2 }, { 3, 6, 5 },
	};
	const enum dtype *pair = pairs[_i];
	enum dtype t = dtype_promote(pair[0], pair[1]);

	for (size_t h = 0; h < NELEMS(shape); h++) {
		uint64_t state = 7 + h;
		struct operand a, b;
		size_t m = shape[h][0], n = shape[h][1], k = shape[h][2];

		operand_init(&a, pair[0], m, k, h ? LAY_TRANS : LAY_ROW,
		    values_for(pair, h), &state);
		operand_init(&b, pair[1], k, n, h ? LAY_ROW : LAY_TRANS,
		    values_for(pair, h), &state);
		for (size_t si = 0; si < NELEMS(sets); si++) {
			if (!usable(sets[si], t))
				continue;
			/* int64 twice: the second time, the route settled. */
			for (size_t r = 0; r < (t == DTYPE_I64 ? 2 : 1) *
			    NELEMS(split); r++) {
				size_t x = r % NELEMS(split);
				enum gemm_route route = r < NELEMS(split) ?
				    GEMM_ROUTE_SCAN : gemm_fits_float64(&a.view,
				    &b.view, 1) ? GEMM_ROUTE_EXACT :
				    GEMM_ROUTE_INTEGER;
				struct gemm_setup setup = { .kernels = sets[si],
				    .nthreads = 2, .blocks = { .kc = 16 },
				    .min_work = 1 };
				struct gemm_call call = { .route = route };
				struct cbuf one, tiled;

				cbuf_init(&one, t, m, n, n);
				cbuf_init(&tiled, t, m, n, n);
				ck_assert_int_eq(gemm(&a.view, &b.view, &one.out,
				    &setup, &call, NULL), 0);
				ck_assert_int_eq(tiled_gemm(&a.view, &b.view,
				    &tiled.out, split[x][0], split[x][1],
				    split[x][2] * setup.blocks.kc, &setup,
				    route), 0);
				ck_assert_msg(memcmp(one.mem, tiled.mem,
				    one.size) == 0, "%s x %s, %s, M=%zu N=%zu "
				    "K=%zu: %zu bands x %zu tiles, slabs of %zu "
				    "differ bitwise from one call",
				    dtype_name(pair[0]), dtype_name(pair[1]),
				    sets[si]->isa, m, n, k, split[x][0],
				    split[x][1], split[x][2] * setup.blocks.kc);
				free(one.mem);
				free(tiled.mem);
			}
		}
		operand_free(&a);
		operand_free(&b);
	}
}
END_TEST

/* accumulate refuses a result of one row or column: see gemm.h. */
START_TEST(test_accumulate_vector)
{
	static const double x[4] = { 1, 2, 3, 4 };
	double y[2] = { 0, 0 };
	struct matrix a = { x, 1, 4, 4, 1, DTYPE_F64, false };
	struct matrix b = { x, 4, 1, 1, 1, DTYPE_F64, false };
	struct matrix_out c = { y, 1, 1, 1, DTYPE_F64 };
	struct gemm_setup setup = { .kernels = &kernels_generic,
	    .nthreads = 1 };
	struct gemm_call add = { .accumulate = true };

	ck_assert_int_eq(gemm(&a, &b, &c, &setup, &add, NULL), EINVAL);
	ck_assert_int_eq(gemm(&a, &b, &c, &setup, NULL, NULL), 0);
	ck_assert(y[0] == 30 && y[1] == 0);
}
END_TEST

/*
 * The working buffers: aligned as asked below BIGBUF_HUGE, on a 2 MiB
 * boundary from there on, writable to their last byte, and bigbuf_bytes
 * counting what each really takes: one huge page up to 2 MiB, the size
 * asked beyond.
 */
START_TEST(test_bigbuf)
{
	static const size_t sizes[] = { 0, 1, 4095, BIGBUF_HUGE - 1,
	    BIGBUF_HUGE, (size_t)2 << 20, ((size_t)2 << 20) + 1,
	    (size_t)13 << 20 };
	const size_t huge = (size_t)2 << 20;

	for (size_t i = 0; i < NELEMS(sizes); i++) {
		size_t size = sizes[i], took = bigbuf_bytes(size);
		unsigned char *p = bigbuf_alloc(size, 64);

		ck_assert_ptr_nonnull(p);
		ck_assert_uint_eq((uintptr_t)p % 64, 0);
		ck_assert_uint_ge(took, size);
		if (size >= BIGBUF_HUGE)
			ck_assert_uint_eq((uintptr_t)p % huge, 0);
		if (size >= BIGBUF_HUGE && size < huge)
			ck_assert_uint_eq(took, huge);
		else
			ck_assert_uint_eq(took, size);
		if (size > 0)
			memset(p, 0xa5, size);
		free(p);
	}
	ck_assert_ptr_null(bigbuf_alloc(SIZE_MAX - 10, 64));
}
END_TEST

/*
 * A multiply too small to share runs on one thread, whatever the setup
 * allows; one of GEMM_MIN_WORK multiply-adds a thread gets them all.
 */
START_TEST(test_threads_for_small_work)
{
	static const size_t dims[][3] = { { 7, 5, 3 }, { 256, 256, 255 },
	    { 256, 256, 512 }, { 400, 400, 400 } };
	static const int want[] = { 1, 1, 2, 3 };

	for (size_t i = 0; i < NELEMS(dims); i++) {
		size_t m = dims[i][0], n = dims[i][1], k = dims[i][2];
		double *a = xmalloc(m * k * 8), *b = xmalloc(k * n * 8);
		double *c = xmalloc(m * n * 8);
		struct matrix va = { a, m, k, (ptrdiff_t)k, 1, DTYPE_F64, false };
		struct matrix vb = { b, k, n, (ptrdiff_t)n, 1, DTYPE_F64, false };
		struct matrix_out vc = { c, m, n, n, DTYPE_F64 };
		struct gemm_setup setup = { .kernels = &kernels_generic,
		    .nthreads = 3 };
		struct gemm_result res;

		memset(a, 0, m * k * 8);
		memset(b, 0, k * n * 8);
		ck_assert_int_eq(gemm(&va, &vb, &vc, &setup, NULL, &res), 0);
		ck_assert_msg(res.threads == want[i], "%zux%zux%zu: %d threads, "
		    "wanted %d", m, n, k, res.threads, want[i]);
		setup.min_work = 1;
		ck_assert_int_eq(gemm(&va, &vb, &vc, &setup, NULL, &res), 0);
		ck_assert_int_eq(res.threads, 3);
		free(a);
		free(b);
		free(c);
	}
}
END_TEST

static Suite *
gemm_suite(void)
{
	Suite *s = suite_create("gemm");
	TCase *tc;

	tc = tcase_create("Core");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_promotion);
	tcase_add_test(tc, test_wrap_by_hand);
	tcase_add_test(tc, test_empty);
	tcase_add_test(tc, test_einval);
	tcase_add_loop_test(tc, test_shapes, 0, NELEMS(shapes));
	tcase_add_loop_test(tc, test_views, 0, NELEMS(views));
	suite_add_tcase(s, tc);

	tc = tcase_create("Limits");
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_full_range, 0, NELEMS(pairs));
	tcase_add_loop_test(tc, test_exact_floats, 0, NELEMS(float_pairs));
	/* Each type alone: the first four pairs. */
	tcase_add_loop_test(tc, test_reproducible, 0, 4);
	tcase_add_loop_test(tc, test_tiny_blocks, 0, NELEMS(pairs));
	tcase_add_loop_test(tc, test_vector_shapes, 0, NELEMS(pairs));
	tcase_add_loop_test(tc, test_exact_route, 0, NELEMS(route_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("Contract");
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_panel_alignment, 0, 4);	/* ditto */
	tcase_add_loop_test(tc, test_tiles_and_slabs, 0, NELEMS(pairs));
	tcase_add_test(tc, test_accumulate_vector);
	tcase_add_test(tc, test_threads_for_small_work);
	tcase_add_test(tc, test_bigbuf);
	suite_add_tcase(s, tc);
	return s;
}

/* Says, once, which kernel sets the tests leave out and why. */
static void
report_skips(void)
{
	for (size_t i = 0; i < NELEMS(sets); i++) {
		if (sets[i] != &kernels_test && !kernels_supported(sets[i])) {
			fprintf(stderr, "check_gemm: SKIP %s: not supported "
			    "by this CPU\n", sets[i]->isa);
			continue;
		}
		for (int t = 0; t < KERNEL_DTYPES; t++)
			if (sets[i]->k[t].fn == NULL)
				fprintf(stderr, "check_gemm: SKIP %s %s: no "
				    "kernel in this set yet\n", sets[i]->isa,
				    dtype_name((enum dtype)t));
	}
}

/*
 * The suite makes thousands of small parallel calls, some with more
 * threads than cores, and libgomp's default of spinning at each barrier
 * then spends most of the run waiting. libgomp reads its policy before
 * main() runs, so the suite starts itself again with passive waiting,
 * unless the caller chose a policy; if that fails, it only runs slower.
 */
static void
wait_passively(char **argv)
{
	if (getenv("OMP_WAIT_POLICY") != NULL)
		return;
	if (setenv("OMP_WAIT_POLICY", "passive", 1) == 0)
		execv("/proc/self/exe", argv);
}

int
main(int argc, char **argv)
{
	(void)argc;
	wait_passively(argv);
	report_skips();
	return run_suite(gemm_suite());
}
