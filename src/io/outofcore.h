/*
 * Multiplying matrices larger than memory: the engine runs tile by tile
 * over C (see tiling.h for the plan), and around each tile the pages it
 * needs are read ahead and the pages it is done with written back and
 * dropped, so that what the process holds stays within its budget.
 */
#ifndef PARDOT_OUTOFCORE_H
#define PARDOT_OUTOFCORE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/gemm.h"
#include "io/mapfile.h"
#include "io/output.h"
#include "core/matrix.h"
#include "core/tiling.h"

/* Where the views' elements live, for advice on their pages. */
struct ooc_files {
	const struct mapped_input	*a, *b;
	const struct output_file	*c;
};

/*
 * Whether op(A) . op(B) into C, files of file_bytes in all, needs tiling
 * within budget bytes; if so, fills plan (and q, its problem). A result
 * with one row or one column is never tiled: each element of A or B is
 * then read once anyway. For an int64 result out of core, settles the
 * route first (one scan of A and B), into *route: it picks the kernels,
 * and so the blocks. *route is GEMM_ROUTE_SCAN when nothing was settled.
 */
bool	ooc_plan(struct tile_plan *plan, struct tile_problem *q,
	    const struct matrix *a, const struct matrix *b,
	    const struct matrix_out *c, uint64_t file_bytes, uint64_t budget,
	    const struct gemm_setup *setup, enum gemm_route *route);

/*
 * Computes C = op(A) . op(B) tile by tile as ooc_plan planned (plan, q,
 * and the int64 route), each tile written back to disk once done: the sum
 * over k slab by slab (multiples of the engine's kc) when B is stored by
 * rows, else over all of k at once, strip of columns by strip. The result
 * is bitwise that of one gemm call; res is what the calls reported.
 * Returns 0, an error of gemm's (EINVAL, ENOMEM), or EIO when a tile
 * could not be written back.
 */
int	ooc_gemm(const struct matrix *a, const struct matrix *b,
	    const struct matrix_out *c, const struct tile_plan *plan,
	    const struct tile_problem *q, const struct ooc_files *files,
	    const struct gemm_setup *setup, enum gemm_route route,
	    struct gemm_result *res);

#endif
