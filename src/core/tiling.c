#include "core/arith.h"
#include "core/tiling.h"

/* Bands tried: every count up to this, then a coarser sweep. */
#define FINE_BANDS	4096

/*
 * The smallest tile worth a call: below this the calls and page rounding
 * cost more than going over the budget, so a budget that leaves less is
 * exceeded instead (fits false). Each part also has at least 2 rows and
 * columns, which a matrix of fewer than twice these may come down to.
 */
#define MIN_ROWS	32
#define MIN_COLS	64

/* The most parts of n with at least min (and at least 2) in each. */
static size_t
max_parts(size_t n, size_t min)
{
	size_t parts = n / (min < n / 2 ? min : 2);

	return parts > 0 ? parts : 1;
}

void
tile_range(size_t n, size_t parts, size_t i, size_t *lo, size_t *hi)
{
	/* n x i / parts without overflow: parts is at most n here. */
	*lo = (size_t)((unsigned __int128)n * i / parts);
	*hi = (size_t)((unsigned __int128)n * (i + 1) / parts);
}

static size_t
slab_rows(const struct tile_problem *q)
{
	return q->slab < q->k ? q->slab : q->k;
}

/* B by columns: the columns of a strip. */
static size_t
strip_cols(const struct tile_problem *q)
{
	return q->strip == 0 ? 1 : q->strip < q->n ? q->strip : q->n;
}

/* Bytes held for A: the band, or two slabs of it (the second read ahead). */
static uint64_t
a_held(const struct tile_problem *q, size_t rows)
{
	if (tile_a_whole(q))
		return mul_sat(mul_sat(rows, q->k), q->a_size);
	return mul_sat(mul_sat(2 * slab_rows(q), rows), q->a_size);
}

/* Bytes held for B that do not grow with the columns of a tile. */
static uint64_t
fixed_held(const struct tile_problem *q)
{
	if (q->b_by_rows)
		return 0;
	return mul_sat(2, mul_sat(mul_sat(strip_cols(q), q->k), q->b_size));
}

/*
 * Bytes held for each column of a tile: C, and what of it waits to be
 * written back (two parts of it; the tile before, whole, when B streams
 * by strips); and two slabs of B.
 */
static uint64_t
per_col_held(const struct tile_problem *q, size_t rows)
{
	size_t waiting = q->b_by_rows ? 2 * ceil_div(rows, TILE_WB_PARTS) :
	    rows;
	uint64_t c = mul_sat(rows + waiting, q->c_size);

	return q->b_by_rows ? add_sat(c, mul_sat(2 * slab_rows(q),
	    q->b_size)) : c;
}

uint64_t
tile_resident(const struct tile_problem *q, size_t rows, size_t cols)
{
	return add_sat(add_sat(a_held(q, rows), fixed_held(q)),
	    mul_sat(cols, per_col_held(q, rows)));
}

/*
 * The runs of B a band reads, stored by rows: its slabs, each one run when
 * a tile is whole rows, or a run a row of k a tile.
 */
static uint64_t
b_runs(const struct tile_problem *q, size_t ntiles)
{
	return ntiles == 1 ? ceil_div(q->k, slab_rows(q)) : mul_sat(q->k,
	    ntiles);
}

uint64_t
tile_reads(const struct tile_problem *q, size_t nbands, size_t ntiles)
{
	uint64_t a = mul_sat(mul_sat(q->m, q->k), q->a_size);
	uint64_t b = mul_sat(mul_sat(q->k, q->n), q->b_size);
	uint64_t strips = ceil_div(q->n, strip_cols(q)) + ntiles;

	/* Each contiguous run read costs up to a page more. */
	if (q->a_by_rows)
		a = add_sat(a, mul_sat(q->m, q->page));
	else if (tile_a_whole(q))
		a = add_sat(a, mul_sat(mul_sat(q->k, nbands), q->page));
	else
		a = mul_sat(add_sat(a, mul_sat(mul_sat(q->k, nbands),
		    q->page)), ntiles);
	if (q->b_by_rows)
		b = add_sat(b, mul_sat(b_runs(q, ntiles), q->page));
	else
		b = add_sat(b, mul_sat(strips, q->page));
	return add_sat(a, mul_sat(b, nbands));
}

/*
 * For a band count, the fewest column tiles whose resident set fits, or 0
 * when even two columns do not.
 */
static size_t
tiles_for(const struct tile_problem *q, size_t nbands)
{
	size_t rows = ceil_div(q->m, nbands), cols;
	uint64_t held = add_sat(a_held(q, rows), fixed_held(q)), room;

	if (held >= q->budget)
		return 0;
	room = (q->budget - held) / per_col_held(q, rows);
	cols = room >= q->n ? q->n : (size_t)room;
	if (cols < 2 || ceil_div(q->n, cols) > max_parts(q->n, MIN_COLS))
		return 0;
	return ceil_div(q->n, cols);
}

static void
set_plan(struct tile_plan *p, const struct tile_problem *q, size_t nbands,
    size_t ntiles)
{
	p->nbands = nbands;
	p->ntiles = ntiles;
	p->rows = ceil_div(q->m, nbands);
	p->cols = ceil_div(q->n, ntiles);
	p->resident = tile_resident(q, p->rows, p->cols);
	p->reads = tile_reads(q, nbands, ntiles);
	p->fits = p->resident <= q->budget;
}

uint64_t
tile_cost(const struct tile_problem *q, size_t nbands, size_t ntiles)
{
	uint64_t runs;

	/* Runs of A: a band of whole rows is one; else one per row of k. */
	if (q->a_by_rows)
		runs = nbands;
	else
		runs = mul_sat(mul_sat(nbands, tile_a_whole(q) ? 1 : ntiles),
		    q->k);
	/*
	 * Runs of B: a slab of whole rows is one, and so is a strip of whole
	 * columns; a slab of a narrow tile is one a row.
	 */
	if (!q->b_by_rows)
		runs = add_sat(runs, mul_sat(nbands, ceil_div(q->n,
		    strip_cols(q)) + ntiles));
	else
		runs = add_sat(runs, mul_sat(nbands, b_runs(q, ntiles)));
	return add_sat(tile_reads(q, nbands, ntiles), mul_sat(runs,
	    TILE_RUN_COST));
}

void
tile_plan(struct tile_plan *p, const struct tile_problem *q)
{
	size_t max_bands = max_parts(q->m, MIN_ROWS), bands = 0, tiles = 0;
	uint64_t best = UINT64_MAX;

	for (size_t nb = 1; nb <= max_bands; nb += nb < FINE_BANDS ? 1 :
	    nb / 64) {
		size_t nt = tiles_for(q, nb);
		uint64_t cost;

		if (nt == 0)
			continue;
		cost = tile_cost(q, nb, nt);
		if (cost < best || (cost == best && nb * nt < bands * tiles)) {
			best = cost;
			bands = nb;
			tiles = nt;
		}
	}
	if (bands == 0) {
		/* Nothing fits: small tiles, and the caller says so. */
		bands = max_bands;
		tiles = max_parts(q->n, MIN_COLS);
	}
	set_plan(p, q, bands, tiles);
}

bool
tile_a_whole(const struct tile_problem *q)
{
	return q->a_by_rows || !q->b_by_rows;
}
