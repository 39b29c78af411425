/*
 * A progress bar on standard error for long work, drawn as zstd draws its
 * own: a few times a second at most, and only for work that lasts, unless
 * forced. Belongs to the command line; the engine only calls a hook.
 */
#ifndef PARDOT_PROGRESS_H
#define PARDOT_PROGRESS_H

#include <stdbool.h>
#include <stdio.h>

struct progress_bar {
	FILE		*f;
	const char	*label;		/* "mul", "check" */
	const char	*unit;		/* "GFLOP/s", "GOP/s" */
	bool		 forced;	/* draw at once, and the end always */
	bool		 drawn;
	double		 start, next;	/* seconds, monotonic */
	int		 width;		/* of the last line, to blank it */
};

/*
 * Starts timing work on f. Unless forced, nothing is drawn before a second
 * has gone by, so short work stays silent.
 */
void	progress_start(struct progress_bar *bar, FILE *f, const char *label,
	    const char *unit, bool forced);

/* done of total multiply-adds; redraws when the last draw is old enough. */
void	progress_update(struct progress_bar *bar, double done, double total);

/*
 * Ends the line: with the final rate and time when complete (and when
 * anything was drawn, or forced), or just a newline after an error.
 */
void	progress_end(struct progress_bar *bar, double total, bool complete);

#endif
