/*
 * Replays every file in tests/fuzz/corpus/ (or $PARDOT_FUZZ_CORPUS) through
 * npy_parse with the fuzz target's invariants, so that the seeds and every
 * past finding are checked by 'make check' without clang or libFuzzer.
 * The seeds' names say more: seed-v* files are good and must be accepted,
 * seed-bad-* files must be refused.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "testutil.h"
#include "fuzz/npy_invariants.h"

#define MAX_FILES	4096
#define MIN_FILES	20	/* the seeds alone are more: fewer means lost */

static char	*files[MAX_FILES];
static int	 nfiles;
static const char *corpus;

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Lists the regular files of the corpus, sorted, into files[]. */
static void
list_corpus(void)
{
	struct dirent *e;
	struct stat st;
	DIR *d;

	if ((corpus = getenv("PARDOT_FUZZ_CORPUS")) == NULL)
		corpus = "tests/fuzz/corpus";
	if ((d = opendir(corpus)) == NULL)
		return;
	while ((e = readdir(d)) != NULL && nfiles < MAX_FILES) {
		char *path;

		if (asprintf(&path, "%s/%s", corpus, e->d_name) == -1)
			break;
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
			files[nfiles++] = path;
		else
			free(path);
	}
	closedir(d);
	qsort(files, (size_t)nfiles, sizeof(files[0]), by_name);
}

/* The whole file in a block of exactly its size. */
static unsigned char *
slurp(const char *path, size_t *len)
{
	unsigned char *b;
	struct stat st;
	FILE *f;

	f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "%s: cannot open", path);
	ck_assert(fstat(fileno(f), &st) == 0);
	*len = (size_t)st.st_size;
	b = malloc(*len > 0 ? *len : 1);
	ck_assert_ptr_nonnull(b);
	ck_assert_msg(fread(b, 1, *len, f) == *len, "%s: short read", path);
	fclose(f);
	return b;
}

START_TEST(test_corpus_present)
{
	ck_assert_msg(nfiles >= MIN_FILES, "%s holds %d files, expected at "
	    "least %d (run from the top of the tree)", corpus, nfiles,
	    MIN_FILES);
}
END_TEST

START_TEST(test_replay)
{
	const char *name = strrchr(files[_i], '/') + 1, *why;
	struct npy_header h;
	unsigned char *b;
	size_t len;

	b = slurp(files[_i], &len);
	why = npy_check_invariants(b, len);
	ck_assert_msg(why == NULL, "%s: %s", files[_i], why);
	why = npy_parse(b, len, &h);
	if (strncmp(name, "seed-v", 6) == 0)
		ck_assert_msg(why == NULL, "%s: refused: %s", files[_i], why);
	if (strncmp(name, "seed-bad-", 9) == 0)
		ck_assert_msg(why != NULL, "%s: accepted", files[_i]);
	free(b);
}
END_TEST

static Suite *
replay_suite(void)
{
	Suite *s = suite_create("fuzz corpus");
	TCase *tc = tcase_create("Replay");

	tcase_add_test(tc, test_corpus_present);
	tcase_add_loop_test(tc, test_replay, 0, nfiles);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	list_corpus();
	return run_suite(replay_suite());
}
