/*
 * Counting the work of a parallel loop nest for a progress hook: every
 * thread adds what it has done to one relaxed atomic counter, in batches
 * so that short loops do not fight over its cache line, and only thread 0
 * calls the hook. Internal to the engine (gemm, gemv, overflow).
 */
#ifndef PARDOT_METER_H
#define PARDOT_METER_H

#include <omp.h>
#include <stdatomic.h>

#include "core/progress_hook.h"

/* Multiply-adds a thread keeps to itself before adding them up. */
#define METER_BATCH	(1ull << 22)

struct meter {
	atomic_ullong			 done;	/* multiply-adds */
	double				 total;
	const struct gemm_progress	*hook;	/* NULL: nothing to count */
};

static inline void
meter_init(struct meter *m, const struct gemm_progress *hook, double total)
{
	atomic_init(&m->done, 0);
	m->total = total;
	m->hook = hook;
}

/* Adds a thread's pending count to the total; thread 0 reports it. */
static inline void
meter_flush(struct meter *m, unsigned long long *pending)
{
	unsigned long long d;

	if (m->hook == NULL || *pending == 0)
		return;
	d = atomic_fetch_add_explicit(&m->done, *pending,
	    memory_order_relaxed) + *pending;
	*pending = 0;
	if (omp_get_thread_num() == 0)
		m->hook->fn(m->hook->arg, (double)d, m->total);
}

/* Counts n multiply-adds done by this thread. */
static inline void
meter_count(struct meter *m, unsigned long long *pending,
    unsigned long long n)
{
	*pending += n;
	if (*pending >= METER_BATCH)
		meter_flush(m, pending);
}

/* The work is over: one last report, all of it done. */
static inline void
meter_end(const struct meter *m)
{
	if (m->hook != NULL)
		m->hook->fn(m->hook->arg, m->total, m->total);
}

#endif
