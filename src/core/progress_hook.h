/*
 * How the engine (gemm, gemv, the overflow search) tells a caller how far a
 * long piece of work has gone, without knowing who listens.
 */
#ifndef PARDOT_PROGRESS_HOOK_H
#define PARDOT_PROGRESS_HOOK_H

/*
 * A progress hook, for a caller that shows or measures a long multiply.
 * The engine calls fn from one thread only (its thread 0, after a block of
 * work, and once more at the end from the calling thread) with the
 * multiply-adds done so far and the total, M x N x K. The other threads
 * only add to a shared counter, so the hook costs the multiply nothing
 * measurable; fn should be quick, and throttle itself if it draws.
 */
struct gemm_progress {
	void	(*fn)(void *arg, double done, double total);
	void	 *arg;
};

/*
 * The hook for one call among several that make up a larger multiply (by
 * tiles, by chunks): gemm_progress_part passes each report on to whole, if
 * not NULL, as base + done out of total. The caller adds each call's
 * multiply-adds to base once the call is done.
 */
struct gemm_progress_part {
	const struct gemm_progress	*whole;
	double				 base, total;
};
void	gemm_progress_part(void *arg, double done, double total);

#endif
