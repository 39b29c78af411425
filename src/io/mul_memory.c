#include <string.h>

#include "io/mul_memory.h"

void
memory_plan(struct memory_plan *mp, uint64_t user_limit,
    const struct mapped_input *a, const struct mapped_input *b,
    const struct matrix *va, const struct matrix *vb,
    struct output_file *out, const struct matrix_out *c,
    const struct gemm_setup *setup)
{
	mem_budget_detect(&mp->budget, user_limit);
	mp->file_bytes = (uint64_t)a->len + b->len + out->len;
	mp->tiled = ooc_plan(&mp->tiles, &mp->problem, va, vb, c,
	    mp->file_bytes, mp->budget.bytes, setup, &mp->route);
	if (!mp->tiled && mp->file_bytes <= mp->budget.bytes) {
		output_prefault(out, setup->nthreads);
		map_input_populate(a);
		map_input_populate(b);
	}
}

static void
report_budget(FILE *f, const struct mem_budget *b)
{
	char s1[32], s2[32], s3[32];

	fprintf(f, "pardot: mul: memory budget %s: ", mem_size_str(s1,
	    sizeof(s1), b->bytes));
	if (b->user_limit != MEMBUDGET_NONE)
		fprintf(f, "--mem-limit %s", mem_size_str(s2, sizeof(s2),
		    b->limit));
	else if (strcmp(b->source, "cgroup") == 0)
		fprintf(f, "cgroup limit %s less %s in use (%s)",
		    mem_size_str(s2, sizeof(s2), b->cgroup_limit),
		    mem_size_str(s3, sizeof(s3), b->cgroup_limit - b->limit),
		    b->cgroup_file);
	else
		fprintf(f, "available memory %s", mem_size_str(s2, sizeof(s2),
		    b->limit));
	fprintf(f, ", less a margin of %s\n", mem_size_str(s1, sizeof(s1),
	    b->limit - b->bytes));
}

void
memory_report(FILE *f, const struct memory_plan *mp)
{
	const struct tile_plan *t = &mp->tiles;
	char s1[32], s2[32], s3[32];

	report_budget(f, &mp->budget);
	if (!mp->tiled) {
		fprintf(f, "pardot: mul: in memory: A, B and C take %s\n",
		    mem_size_str(s1, sizeof(s1), mp->file_bytes));
		return;
	}
	fprintf(f, "pardot: mul: out of core: A, B and C take %s; %zu band%s "
	    "of up to %zu rows, each in %zu tile%s of up to %zu columns; "
	    "model: %s held, %s read%s\n", mem_size_str(s1, sizeof(s1),
	    mp->file_bytes), t->nbands, t->nbands == 1 ? "" : "s", t->rows,
	    t->ntiles, t->ntiles == 1 ? "" : "s", t->cols, mem_size_str(s2,
	    sizeof(s2), t->resident), mem_size_str(s3, sizeof(s3), t->reads),
	    t->fits ? "" : " (the budget is too small for the model: expect "
	    "more reads)");
}
