/* Helpers shared by the Check suites. */
#ifndef PARDOT_TESTUTIL_H
#define PARDOT_TESTUTIL_H

#include <check.h>
#include <stdint.h>
#include <stdlib.h>

/* Runs one suite and returns the process exit status. */
static inline int
run_suite(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

/* splitmix64: a small, fast generator, good enough to fill test matrices. */
static inline uint64_t
rnd(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

#endif
