/* Monotonic seconds, for timing the phases of a run and throttling. */
#ifndef PARDOT_CLOCK_H
#define PARDOT_CLOCK_H

#include <time.h>

static inline double
clock_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

#endif
