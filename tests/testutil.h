/* Helpers shared by the Check suites. */
#ifndef PARDOT_TESTUTIL_H
#define PARDOT_TESTUTIL_H

#include <check.h>
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

#endif
