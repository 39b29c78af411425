/*
 * pardot mul, shared by its files: the request the options make
 * (cmd_mul.c), the operands of one multiply, and what watches and reports
 * it (mul_report.c).
 */
#ifndef PARDOT_MUL_H
#define PARDOT_MUL_H

#include <stdbool.h>
#include <stdint.h>

#include "cli/progress.h"
#include "cli/stats.h"
#include "core/gemm.h"
#include "core/matmul.h"
#include "core/overflow.h"
#include "io/matfile.h"
#include "io/mul_memory.h"

enum progress_mode { PROGRESS_AUTO, PROGRESS_ON, PROGRESS_OFF };

struct mul_request {
	const char		*a_path, *b_path, *out_path;
	int			 jobs;
	bool			 trans_a, trans_b, verbose;
	bool			 raw_a, raw_b, dtype_given;
	bool			 dtype_a_given, dtype_b_given;
	bool			 to_stdout, stats_json, overflow_error;
	bool			 no_sync;	/* --no-sync: OUTPUT_VISIBLE */
	/* --each FILE... --by B: FILE . B (or B . FILE, by_left) each. */
	bool			 each, by_left;
	const char		*by_path;
	char			**files;
	int			 nfiles;
	enum progress_mode	 progress;
	struct raw_spec		 raw_spec_a, raw_spec_b;
	enum dtype		 raw_dtype;	/* --dtype: both, unless -a/-b */
	enum file_format	 format;
	uint64_t		 mem_limit;	/* MEMBUDGET_NONE: detect */
	int			 grid_rows, grid_cols;	/* --grid; 0: chosen */
};

/* One multiply in progress: its inputs, as NumPy's matmul sees them. */
struct operands {
	struct input_matrix	 a, b;
	struct matmul_shape	 mm;	/* after transposes and 1-D rules */
	size_t			 row0;	/* mm.a's first row in op(A): MPI */
};

/* What watches a run: the bar, if drawn, and the stats, if asked for. */
struct monitor {
	struct progress_bar	 bar;
	bool			 show;
	bool			 sample;	/* memory, for the stats */
	struct gemm_progress	 hook;	/* to on_progress, with this */
	struct mul_stats	 stats;
};

/* What the multiply reported, whichever way it ran. */
struct mul_done {
	struct gemm_result	 gemm;
	const char		*isa;
	int			 ranks;		/* of an MPI run; 1 without */
	size_t			 rank0_rows;	/* of C, rank 0's */
	uint64_t		 written;	/* bytes of the output file */
	const struct memory_plan *memory;	/* NULL: none planned */
	bool			 split;	/* a stack shared among threads */
};

void	monitor_init(struct monitor *mon, const struct mul_request *rq);
/* The hook for the engine: NULL when nothing watches. */
const struct gemm_progress *monitor_hook(struct monitor *mon,
	    const struct mul_request *rq);
void	monitor_start(struct monitor *mon, const struct mul_request *rq,
	    const char *label, enum dtype t);
void	monitor_end(struct monitor *mon, const struct operands *op,
	    bool complete);

/* -v: shapes and types, threads and kernel, time and speed. */
void	mul_report(const struct mul_request *rq, const struct operands *op,
	    const struct mul_done *done, double secs);

/*
 * "pardot: mul: C[i, j] overflows int64 (...)", indexed as NumPy would;
 * matrix is the index of at's matrix in a stack that is not folded.
 */
void	mul_report_overflow(const struct operands *op,
	    const struct overflow_at *at, uint64_t matrix);

/* Room for any shape of NPY_MAXDIMS dimensions, as shape_str writes it. */
#define MUL_SHAPE_LEN	(NPY_MAXDIMS * 22 + 8)

/* An array's leading dimensions as NumPy prints a tuple: "(2, 3)", "(3,)". */
const char *batch_tuple(char *buf, size_t len, const struct npy_header *h);

/* --stats=json, on standard error. */
void	mul_print_stats(const struct mul_request *rq, const struct operands *op,
	    const struct mul_done *done, struct mul_stats *st);

double	mul_multiply_adds(const struct operands *op);

#endif
