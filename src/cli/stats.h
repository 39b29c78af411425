/*
 * What a run of mul did, as one line of JSON on standard error for
 * scripts and job logs (--stats=json).
 */
#ifndef PARDOT_STATS_H
#define PARDOT_STATS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "codec/npy.h"
#include "core/matrix.h"

struct stats_file {
	const char	*path;		/* "-": a standard stream */
	const char	*format;	/* "npy" or "raw" */
	int		 ndim;
	uint64_t	 shape[NPY_MAXDIMS];
	enum dtype	 dtype;
};

enum { STATS_MAP, STATS_CHECK, STATS_COMPUTE, STATS_COMMIT, STATS_PHASES };

struct mul_stats {
	struct stats_file	 in[2], out;
	int			 threads;
	int			 ranks;		/* of an MPI run; 1 without */
	const char		*kernel, *isa;
	bool			 exact_route;
	const char		*overflow;	/* "wrap" or "error" */
	const char		*proof;		/* how error was settled */
	double			 seconds[STATS_PHASES];
	double			 flops;		/* 2 M N K */
	uint64_t		 bytes_read, bytes_written;
	long long		 peak_anon_kb;	/* -1: unknown */
	uint64_t		 budget_bytes;	/* the memory budget */
	const char		*budget_source;
	/* Out of core: the tiling and its model; bands 0 when in memory. */
	size_t			 bands, tiles_per_band;
	uint64_t		 model_resident, model_reads;
	double			 next_sample;
};

/*
 * Private memory is RssAnon in /proc/self/status, read now and then while
 * the multiply runs (VmHWM, the peak resident set, counts the mapped
 * files' pages too, so it grows with the matrices: it is reported beside
 * it, not as it). Keeps the largest value seen.
 */
void	stats_sample_memory(struct mul_stats *st);

/* The same at most ten times a second, for a progress hook. */
void	stats_sample_memory_now_and_then(struct mul_stats *st, double now);

void	stats_print_json(FILE *f, const struct mul_stats *st);

#endif
