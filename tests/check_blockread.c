/*
 * Blocks of matrix files read into private memory (io/blockread.h): every
 * layout (by rows, by columns, neither stride of one element), blocks of
 * one run and of many, runs longer than a read piece, and headers that
 * leave the elements unaligned, read through the page cache and directly;
 * each element of the view read must be the file's element it names.
 */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io/blockread.h"
#include "io/mapfile.h"
#include "testutil.h"

#define M	700
#define N	600

static char path[4096];
static struct mapped_input m;

/* A file of a header of hdr bytes, then M x N float64s of known bytes. */
static void
make_file(size_t hdr)
{
	size_t len = hdr + (size_t)M * N * 8;
	unsigned char *bytes = malloc(len);
	uint64_t state = hdr;
	int fd;

	ck_assert_ptr_nonnull(bytes);
	for (size_t i = 0; i < len; i++)
		bytes[i] = (unsigned char)rnd(&state);
	snprintf(path, sizeof(path), "%s/pardot-blockread-%ld.bin",
	    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp",
	    (long)getpid());
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ne(fd, -1);
	ck_assert_int_eq(write(fd, bytes, len), (ssize_t)len);
	close(fd);
	free(bytes);
	ck_assert_int_eq(map_input(&m, path), 0);
}

static void
drop_file(void)
{
	unmap_input(&m);
	unlink(path);
}

/* Reads the block of v and compares each element with the mapping's. */
static void
check_block(const struct matrix *v, size_t r0, size_t r1, size_t c0,
    size_t c1, int direct_fd)
{
	struct file_block fb = { &m, v, r0, r1, c0, c1, direct_fd };
	size_t bytes = block_buffer_bytes(block_bytes(&fb));
	unsigned char *buf = aligned_alloc(BLOCK_ALIGN, bytes);
	struct matrix out;

	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(block_bytes(&fb), (r1 - r0) * (c1 - c0) * 8);
	ck_assert_int_eq(block_read(&fb, buf, &out), 0);
	ck_assert_uint_eq(out.rows, r1 - r0);
	ck_assert_uint_eq(out.cols, c1 - c0);
	ck_assert(out.dtype == v->dtype && out.swapped == v->swapped);
	ck_assert(out.rs == 1 || out.cs == 1);
	ck_assert((const unsigned char *)out.data >= buf);
	/* Plain tests inside the loops: each ck_assert writes to a pipe. */
	for (size_t i = 0; i < out.rows; i++)
		for (size_t j = 0; j < out.cols; j++) {
			const unsigned char *got = (const unsigned char *)
			    out.data + ((ptrdiff_t)i * out.rs + (ptrdiff_t)j *
			    out.cs) * 8;
			const unsigned char *want = (const unsigned char *)
			    v->data + ((ptrdiff_t)(r0 + i) * v->rs +
			    (ptrdiff_t)(c0 + j) * v->cs) * 8;

			if (got + 8 > buf + bytes || memcmp(got, want, 8) != 0)
				ck_abort_msg("element (%zu, %zu) of block "
				    "[%zu, %zu) x [%zu, %zu) differs or lies "
				    "outside the buffer", i, j, r0, r1, c0, c1);
		}
	free(buf);
}

/* Blocks of every kind of v: whole, whole rows, single rows and columns. */
static void
check_blocks(const struct matrix *v, int direct_fd)
{
	size_t r = v->rows, c = v->cols;

	check_block(v, 0, r, 0, c, direct_fd);
	check_block(v, 3, r - 1, 0, c, direct_fd);
	check_block(v, 1, 2, 0, c, direct_fd);
	check_block(v, 5, 72, 7, 263, direct_fd);
	check_block(v, 0, r, c - 1, c, direct_fd);
	check_block(v, r - 2, r, 1, c - 3, direct_fd);
}

static void
check_layouts(size_t hdr, bool direct)
{
	int dfd;

	make_file(hdr);
	dfd = direct ? block_direct_open(&m) : -1;
	if (direct && dfd == -1) {
		printf("SKIP check_blockread direct reads: not on this file "
		    "system\n");
		drop_file();
		return;
	}
	{
		const unsigned char *d = (const unsigned char *)m.addr + hdr;
		struct matrix rows = { d, M, N, N, 1, DTYPE_F64, false };
		struct matrix cols = { d, M, N, 1, M, DTYPE_F64, false };
		struct matrix neither = { d, M / 2, N / 2, 2 * N, 2, DTYPE_F64,
		    true };

		check_blocks(&rows, dfd);
		check_blocks(&cols, dfd);
		check_blocks(&neither, dfd);
	}
	if (dfd != -1)
		close(dfd);
	drop_file();
}

START_TEST(test_through_the_cache)
{
	check_layouts(128, false);
	check_layouts(100, false);
}
END_TEST

START_TEST(test_direct)
{
	check_layouts(128, true);
	check_layouts(100, true);
	check_layouts(4096, true);
}
END_TEST

static Suite *
blockread_suite(void)
{
	Suite *s = suite_create("blockread");
	TCase *tc = tcase_create("Core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_through_the_cache);
	tcase_add_test(tc, test_direct);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(blockread_suite());
}
