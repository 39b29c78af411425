/*
 * The plans of an MPI multiply, as pure arithmetic that every rank derives
 * alike from the shapes, the number of ranks and the engine's kc.
 *
 * The row-block plan: rank r computes rows of C (core/rowsplit.h) and
 * reads all of op(B). The grid plan (SUMMA): ranks on pr x pc, rank
 * i * pc + j owning the tile of C at grid row i and grid column j; k goes
 * by panels of a whole number of kc slabs, in increasing order, and for
 * each panel one rank of every grid row reads that row's block of op(A)
 * and sends it along the row, one rank of every grid column its block of
 * op(B) down the column. Every rank then adds the panel's product into its
 * tile: each element of C is summed over k in the order of one call.
 *
 * Tiles follow rowsplit_share in both directions, so no tile has one row
 * or one column (the engine's vector path sums in another order).
 */
#ifndef PARDOT_GRID_H
#define PARDOT_GRID_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

#include "core/rowsplit.h"

/* The problem: C (m x n) = op(A) (m x k) . op(B) (k x n), element sizes. */
struct grid_problem {
	size_t	 m, k, n;
	size_t	 a_size, b_size, c_size;
	size_t	 kc;		/* the engine's block of k */
};

/* A plan: pr == 0 is the row-block plan, else a pr x pc grid. */
struct grid_plan {
	int	 p, pr, pc;
	size_t	 width;		/* k of a panel, a multiple of kc */
	size_t	 panels;	/* at least one, even for k == 0 */
};

/* Per rank, in bytes: what the plan moves and holds. */
struct grid_traffic {
	uint64_t read;		/* from the input files */
	uint64_t sent;		/* broadcast as the panel's owner */
	uint64_t received;	/* panels owned by other ranks */
	uint64_t held;		/* tile of C, panels; the row plan: its chunk
				   of C, its rows of op(A) and all of op(B) */
	uint64_t moved;		/* read and received */
};

/* Rank r's tile of C: rows and columns, and its place on the grid. */
struct grid_tile {
	struct row_range rows, cols;
	int		 row, col;
};

/*
 * The plan pr x pc (pr == 0: rows) for p ranks; false when that grid
 * cannot be had (pr * pc != p, or C of one row or column, where only the
 * row plan keeps the sum order).
 */
bool	grid_make(const struct grid_problem *q, int p, int pr, int pc,
	    struct grid_plan *plan);

struct grid_tile grid_tile(const struct grid_problem *q,
	    const struct grid_plan *plan, int r);

/* Panel s's range of k. */
struct row_range grid_panel(const struct grid_problem *q,
	    const struct grid_plan *plan, size_t s);

/* The grid column whose rank reads panel s of op(A), and the grid row
   whose rank reads panel s of op(B). */
int	grid_a_owner(const struct grid_plan *plan, size_t s);
int	grid_b_owner(const struct grid_plan *plan, size_t s);

/* Rank r's traffic under plan, counted panel by panel as the run moves. */
void	grid_traffic(const struct grid_problem *q, const struct grid_plan *plan,
	    int r, struct grid_traffic *t);

/*
 * The largest counts, each over the ranks of grid row 0 and grid column 0:
 * those have the largest tiles, and between them every owner's share of k.
 */
void	grid_worst(const struct grid_problem *q, const struct grid_plan *plan,
	    struct grid_traffic *t);

/*
 * The plan for p ranks that moves least per rank (bytes read plus bytes
 * received; on a tie the row plan, then the squarer grid) among those whose
 * worst rank holds at most budget bytes. Returns false when none fits.
 */
bool	grid_choose(const struct grid_problem *q, int p, uint64_t budget,
	    struct grid_plan *plan);

/*
 * The fewest ranks, from p up to limit, with which some plan fits budget;
 * 0 when none does.
 */
int	grid_ranks_needed(const struct grid_problem *q, int p, int limit,
	    uint64_t budget);

#endif
