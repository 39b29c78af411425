/* The plans of an MPI multiply; see grid.h. */
#include "core/arith.h"
#include "core/grid.h"

/*
 * The bytes of the panels of op(A) and op(B) that pass at once, roughly:
 * large enough that a broadcast's latency is small beside its transfer,
 * small beside a node's memory.
 */
#define PANEL_BYTES	((uint64_t)8 << 20)

/* As in mpi_mul.c: the most of C the row plan holds at once. */
#define CHUNK_BYTES	((uint64_t)64 << 20)

bool
grid_make(const struct grid_problem *q, int p, int pr, int pc,
    struct grid_plan *plan)
{
	size_t kc = q->kc > 0 ? q->kc : 1, per, rows0, cols0, slabs, all, most;

	*plan = (struct grid_plan){ p, 0, 0, 0, 1 };
	if (pr == 0)
		return true;
	if (pr < 1 || pc < 1 || (long long)pr * pc != p || q->m < 2 ||
	    q->n < 2)
		return false;
	plan->pr = pr;
	plan->pc = pc;
	rows0 = rowsplit_share(q->m, pr, 0).count;
	cols0 = rowsplit_share(q->n, pc, 0).count;
	per = rows0 * q->a_size + cols0 * q->b_size;
	slabs = per > 0 ? (size_t)(PANEL_BYTES / ((uint64_t)kc * per)) : 1;
	if (slabs < 1)
		slabs = 1;
	/* Enough panels for every owner to have its share of k. */
	all = ceil_div(q->k, kc);
	most = (size_t)(pr > pc ? pr : pc);
	if (slabs > all / most)
		slabs = all / most > 0 ? all / most : 1;
	plan->width = slabs * kc;
	plan->panels = q->k > 0 ? ceil_div(q->k, plan->width) : 1;
	return true;
}

struct grid_tile
grid_tile(const struct grid_problem *q, const struct grid_plan *plan, int r)
{
	struct grid_tile t;

	if (plan->pr == 0) {
		t.row = r;
		t.col = 0;
		t.rows = rowsplit_share(q->m, plan->p, r);
		t.cols = (struct row_range){ 0, q->n };
		return t;
	}
	t.row = r / plan->pc;
	t.col = r % plan->pc;
	t.rows = rowsplit_share(q->m, plan->pr, t.row);
	t.cols = rowsplit_share(q->n, plan->pc, t.col);
	return t;
}

struct row_range
grid_panel(const struct grid_problem *q, const struct grid_plan *plan,
    size_t s)
{
	struct row_range k = { s * plan->width, plan->width };

	if (k.first >= q->k)
		return (struct row_range){ q->k, 0 };
	if (q->k - k.first < k.count)
		k.count = q->k - k.first;
	return k;
}

/* Panels dealt out in order, a contiguous run to each owner. */
static int
owner(size_t s, size_t panels, int among)
{
	return (int)(s * (size_t)among / panels);
}

int
grid_a_owner(const struct grid_plan *plan, size_t s)
{
	return owner(s, plan->panels, plan->pc);
}

int
grid_b_owner(const struct grid_plan *plan, size_t s)
{
	return owner(s, plan->panels, plan->pr);
}

static void
row_traffic(const struct grid_problem *q, const struct grid_plan *plan,
    int r, struct grid_traffic *t)
{
	struct row_range rows = rowsplit_share(q->m, plan->p, r);
	uint64_t a = (uint64_t)rows.count * q->k * q->a_size;
	uint64_t b = (uint64_t)q->k * q->n * q->b_size;
	uint64_t row = (uint64_t)q->n * q->c_size;
	uint64_t chunk = row > 0 ? CHUNK_BYTES / row : 0;

	if (chunk < 3)
		chunk = 3;
	if (chunk > rows.count)
		chunk = rows.count;
	*t = (struct grid_traffic){ a + b, 0, 0, a + b + chunk * row, a + b };
}

void
grid_traffic(const struct grid_problem *q, const struct grid_plan *plan,
    int r, struct grid_traffic *t)
{
	struct grid_tile tile;
	uint64_t most_a = 0, most_b = 0;

	if (plan->pr == 0) {
		row_traffic(q, plan, r, t);
		return;
	}
	tile = grid_tile(q, plan, r);
	*t = (struct grid_traffic){ 0 };
	for (size_t s = 0; s < plan->panels; s++) {
		uint64_t w = grid_panel(q, plan, s).count;
		uint64_t a = tile.rows.count * w * q->a_size;
		uint64_t b = w * tile.cols.count * q->b_size;

		if (grid_a_owner(plan, s) == tile.col) {
			t->read += a;
			t->sent += plan->pc > 1 ? a : 0;
		} else
			t->received += a;
		if (grid_b_owner(plan, s) == tile.row) {
			t->read += b;
			t->sent += plan->pr > 1 ? b : 0;
		} else
			t->received += b;
		most_a = a > most_a ? a : most_a;
		most_b = b > most_b ? b : most_b;
	}
	t->moved = add_sat(t->read, t->received);
	t->held = (uint64_t)tile.rows.count * tile.cols.count * q->c_size +
	    most_a + most_b;
}

/* The larger of each count. */
static void
widen(struct grid_traffic *t, const struct grid_traffic *r)
{
	t->read = r->read > t->read ? r->read : t->read;
	t->sent = r->sent > t->sent ? r->sent : t->sent;
	t->received = r->received > t->received ? r->received : t->received;
	t->held = r->held > t->held ? r->held : t->held;
	t->moved = r->moved > t->moved ? r->moved : t->moved;
}

void
grid_worst(const struct grid_problem *q, const struct grid_plan *plan,
    struct grid_traffic *t)
{
	struct grid_traffic r;

	grid_traffic(q, plan, 0, t);
	if (plan->pr == 0)
		return;		/* rank 0's rows are the most */
	/*
	 * Grid row 0 has the most rows and grid column 0 the most columns;
	 * what a rank reads depends on its column for A and its row for B.
	 */
	for (int j = 1; j < plan->pc; j++) {
		grid_traffic(q, plan, j, &r);
		widen(t, &r);
	}
	for (int i = 1; i < plan->pr; i++) {
		grid_traffic(q, plan, i * plan->pc, &r);
		widen(t, &r);
	}
}

/* |pr - pc|, for the tie between grids. */
static int
skew(const struct grid_plan *p)
{
	return p->pr > p->pc ? p->pr - p->pc : p->pc - p->pr;
}

bool
grid_choose(const struct grid_problem *q, int p, uint64_t budget,
    struct grid_plan *plan)
{
	struct grid_plan cand, best = { 0 };
	struct grid_traffic t, bt = { 0 };
	bool found = false;

	/* pr == 0 first: the row plan wins a tie. */
	for (int pr = 0; pr <= p; pr++) {
		if (pr > 0 && p % pr != 0)
			continue;
		if (!grid_make(q, p, pr, pr > 0 ? p / pr : 0, &cand))
			continue;
		grid_worst(q, &cand, &t);
		if (t.held > budget)
			continue;
		if (!found || t.moved < bt.moved || (t.moved ==
		    bt.moved && best.pr > 0 && skew(&cand) < skew(&best))) {
			best = cand;
			bt = t;
			found = true;
		}
	}
	*plan = best;
	return found;
}

/* What rank 0 holds, the most of any rank, without walking the panels. */
static uint64_t
held(const struct grid_problem *q, const struct grid_plan *plan)
{
	struct grid_traffic t;
	struct grid_tile tile;
	uint64_t w;

	if (plan->pr == 0) {
		row_traffic(q, plan, 0, &t);
		return t.held;
	}
	tile = grid_tile(q, plan, 0);
	w = grid_panel(q, plan, 0).count;
	return (uint64_t)tile.rows.count * tile.cols.count * q->c_size +
	    w * (tile.rows.count * q->a_size + tile.cols.count * q->b_size);
}

int
grid_ranks_needed(const struct grid_problem *q, int p, int limit,
    uint64_t budget)
{
	struct grid_plan plan;

	for (int n = p; n <= limit; n++)
		for (int pr = 0; pr <= n; pr++)
			if ((pr == 0 || n % pr == 0) && grid_make(q, n, pr,
			    pr > 0 ? n / pr : 0, &plan) &&
			    held(q, &plan) <= budget)
				return n;
	return 0;
}
