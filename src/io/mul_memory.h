/*
 * How mul keeps within memory: the budget (membudget.h), and whether the
 * multiply runs at once, its files read ahead and faulted in, or tile by
 * tile out of core (outofcore.h); and the -v report of that choice.
 */
#ifndef PARDOT_MUL_MEMORY_H
#define PARDOT_MUL_MEMORY_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "core/gemm.h"
#include "io/mapfile.h"
#include "io/membudget.h"
#include "io/outofcore.h"
#include "core/tiling.h"

struct memory_plan {
	struct mem_budget	 budget;
	uint64_t		 file_bytes;	/* A, B and C */
	bool			 tiled;
	struct tile_problem	 problem;
	struct tile_plan	 tiles;
	enum gemm_route		 route;	/* for int64: settled when tiled */
};

/*
 * Plans op(A) . op(B) into c, reserved in out, under user_limit bytes
 * (--mem-limit, or MEMBUDGET_NONE); when everything fits, starts reading
 * A and B ahead and faults the output in.
 */
void	memory_plan(struct memory_plan *mp, uint64_t user_limit,
	    const struct mapped_input *a, const struct mapped_input *b,
	    const struct matrix *va, const struct matrix *vb,
	    struct output_file *out, const struct matrix_out *c,
	    const struct gemm_setup *setup);

/* Two lines: the budget and where it came from, then what it made of mul. */
void	memory_report(FILE *f, const struct memory_plan *mp);

#endif
