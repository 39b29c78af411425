/*
 * Replays the corpora of the text and option fuzz targets through their
 * invariants, so that the seeds and every past finding are checked by
 * 'make check' without clang: tests/fuzz/corpus-csv/, corpus-mtx/ and
 * corpus-options/ (under $PARDOT_FUZZ_DIR, else tests/fuzz).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "testutil.h"
#include "fuzz/text_invariants.h"
#include "fuzz/options_invariants.h"

#define MAX_FILES	4096

typedef const char *(*check_fn)(const unsigned char *, size_t);

static const struct {
	const char	*dir;
	check_fn	 check;
	int		 min_seeds;	/* fewer means the corpus was lost */
} corpora[] = {
	{ "corpus-csv", csv_check_invariants, 10 },
	{ "corpus-mtx", mtx_check_invariants, 5 },
	{ "corpus-options", options_check_invariants, 5 },
};
#define NCORPORA (sizeof(corpora) / sizeof(corpora[0]))

static struct {
	char	*path;
	size_t	 corpus;
} files[MAX_FILES];
static int	 nfiles;
static int	 per_corpus[NCORPORA];

static void
list_corpus(size_t k)
{
	const char *top = getenv("PARDOT_FUZZ_DIR");
	char dir[512];
	struct dirent *e;
	struct stat st;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/%s", top != NULL ? top : "tests/fuzz",
	    corpora[k].dir);
	if ((d = opendir(dir)) == NULL)
		return;
	while ((e = readdir(d)) != NULL && nfiles < MAX_FILES) {
		char *path;

		if (asprintf(&path, "%s/%s", dir, e->d_name) == -1)
			break;
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
			files[nfiles].path = path;
			files[nfiles++].corpus = k;
			per_corpus[k]++;
		} else
			free(path);
	}
	closedir(d);
}

static unsigned char *
slurp(const char *path, size_t *len)
{
	unsigned char *b;
	struct stat st;
	FILE *f = fopen(path, "rb");

	ck_assert_msg(f != NULL, "%s: cannot open", path);
	ck_assert(fstat(fileno(f), &st) == 0);
	*len = (size_t)st.st_size;
	b = malloc(*len > 0 ? *len : 1);
	ck_assert_ptr_nonnull(b);
	ck_assert_msg(fread(b, 1, *len, f) == *len, "%s: short read", path);
	fclose(f);
	return b;
}

START_TEST(test_corpora_present)
{
	for (size_t k = 0; k < NCORPORA; k++)
		ck_assert_msg(per_corpus[k] >= corpora[k].min_seeds,
		    "tests/fuzz/%s holds %d files, expected at least %d (run "
		    "from the top of the tree)", corpora[k].dir, per_corpus[k],
		    corpora[k].min_seeds);
}
END_TEST

START_TEST(test_replay)
{
	const char *why;
	unsigned char *b;
	size_t len;

	b = slurp(files[_i].path, &len);
	why = corpora[files[_i].corpus].check(b, len);
	ck_assert_msg(why == NULL, "%s: %s", files[_i].path, why);
	free(b);
}
END_TEST

/* The options target's own invariant catches the NUL byte of issue 15. */
START_TEST(test_option_value_message)
{
	static const char args[] = "--verbose=1\0--transpose=yes\0";

	ck_assert_ptr_null(options_check_invariants((const unsigned char *)args,
	    sizeof(args) - 1));
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("fuzz text and options corpora");
	TCase *tc = tcase_create("Replay");

	for (size_t k = 0; k < NCORPORA; k++)
		list_corpus(k);
	tcase_add_test(tc, test_corpora_present);
	tcase_add_test(tc, test_option_value_message);
	tcase_add_loop_test(tc, test_replay, 0, nfiles);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
