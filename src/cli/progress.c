#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli/progress.h"
#include "io/clock.h"

#define DELAY		1.0	/* seconds of silence before the first draw */
#define INTERVAL	0.2	/* between draws: five a second */
#define BAR		24	/* characters of bar */

void
progress_start(struct progress_bar *bar, FILE *f, const char *label,
    const char *unit, bool forced)
{
	memset(bar, 0, sizeof(*bar));
	bar->f = f;
	bar->label = label;
	bar->unit = unit;
	bar->forced = forced;
	bar->start = clock_now();
	bar->next = bar->start + (forced ? 0 : DELAY);
}

/* "42 s", "3:07", "1:02:03". */
static void
duration(char *buf, size_t len, double secs)
{
	long s = secs < 0 ? 0 : secs > 1e8 ? 100000000 : (long)(secs + 0.5);

	if (s < 60)
		snprintf(buf, len, "%ld s", s);
	else if (s < 3600)
		snprintf(buf, len, "%ld:%02ld", s / 60, s % 60);
	else
		snprintf(buf, len, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60,
		    s % 60);
}

/*
 * One line, from the start of the line: carriage return, the text, and
 * blanks over whatever the last line had beyond it. No terminal escapes,
 * so that a forced bar in a log file stays readable.
 */
static void
draw(struct progress_bar *bar, double done, double total, bool final)
{
	double secs = clock_now() - bar->start;
	double frac = total > 0 ? done / total : 1;
	double rate = secs > 0 ? 2 * done / secs * 1e-9 : 0;
	char hashes[BAR + 1], when[32], line[128];
	int fill = (int)(frac * BAR), n;

	memset(hashes, '#', (size_t)fill);
	memset(hashes + fill, '.', (size_t)(BAR - fill));
	hashes[BAR] = '\0';
	if (final)
		snprintf(when, sizeof(when), "%.1f s", secs);
	else if (done > 0)
		duration(when, sizeof(when), secs * (total - done) / done);
	else
		snprintf(when, sizeof(when), "?");
	n = snprintf(line, sizeof(line), "%s %3d%% [%s] %.2f %s, %s%s",
	    bar->label, (int)(frac * 100), hashes, rate, bar->unit,
	    final ? "in " : "", when);
	if (!final)
		n += snprintf(line + n, sizeof(line) - (size_t)n, " left");
	fprintf(bar->f, "\r%s%*s%s", line, bar->width > n ? bar->width - n : 0,
	    "", final ? "\n" : "");
	fflush(bar->f);
	bar->width = n;
	bar->drawn = true;
}

void
progress_update(struct progress_bar *bar, double done, double total)
{
	double t = clock_now();

	if (t < bar->next || done >= total)
		return;
	bar->next = t + INTERVAL;
	draw(bar, done, total, false);
}

void
progress_end(struct progress_bar *bar, double total, bool complete)
{
	if (complete && (bar->drawn || bar->forced))
		draw(bar, total, total, true);
	else if (bar->drawn)
		fputc('\n', bar->f);
	bar->drawn = false;
}
