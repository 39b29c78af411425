/*
 * The outer tiling of C for a multiply larger than memory: C is cut into
 * bands of rows, and a band into tiles of columns when it must be; each
 * tile's sum over k runs slab by slab, so that what one tile needs at once
 * fits in a memory budget. Pure arithmetic, no I/O: the caller measures
 * the budget and does the reading.
 *
 * The model. A tile of mt x nt of C is held, and what of it waits to be
 * written back: its last slab is summed in TILE_WB_PARTS parts of its
 * rows, each written once done, so that two parts wait at most (or, when
 * op(B) streams by strips, the tile before, whole). The band of op(A),
 * mt x K, is held whole when op(A) is stored by rows (each slab needs a
 * few elements of every row of it) or as two slabs of it when stored by
 * columns; op(B) as two pieces, the one in use and the one read ahead:
 * slabs of ks rows of the tile's columns when op(B) is stored by rows, or
 * else strips of whole columns (K x strip, one run of bytes each, where a
 * slab would be a run a column), the band of A then held whole. These are
 * private copies, read with pread (blockread.h): the page cache a read
 * passes through is clean and dropped behind it. Every run of contiguous
 * bytes reads up to a page more. Tiles run band by band, so a band of A
 * held whole is read once, and B once per band:
 *
 *	reads = |A| x (1, or tiles per band if A streams) + |B| x bands
 *
 * For square n x n matrices of s-byte elements under a budget of W bytes,
 * that is bands of about mt = W / (2.5 n s) rows (A's band, and C's and
 * half of it again), and n^2 s (1 + 2.5 n^2 s / W) bytes read: the budget
 * buys fewer passes over B. Tiles narrower than C's rows hold less of C,
 * so bands could be taller, but they cut B's rows into a run each.
 *
 * Each run costs about as much as reading TILE_RUN_COST bytes: a slab of
 * whole rows is one run, read straight from the disk, but a narrow tile's
 * rows are read through the page cache, which costs CPU time the engine's
 * threads need. Measured on n = 6144 float32 under a 96 MiB cgroup (AMD
 * EPYC, 2 cores): 5 bands of 2 tiles read 1.2 GiB and took 3.7 s, 10 bands
 * of whole rows read 1.6 GiB and took 2.4 s. The plan minimizes reads plus
 * runs at that price.
 */
#ifndef PARDOT_TILING_H
#define PARDOT_TILING_H

#define TILE_RUN_COST	(64u << 10)
#define TILE_WB_PARTS	4

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct tile_problem {
	size_t		 m, n, k;		/* C is m x n, the sum over k */
	size_t		 a_size, b_size, c_size; /* bytes per element */
	bool		 a_by_rows;	/* op(A)'s rows are contiguous */
	bool		 b_by_rows;	/* op(B)'s rows are contiguous */
	size_t		 slab;		/* rows of k in a slab */
	size_t		 page;		/* bytes */
	uint64_t	 budget;	/* bytes of file pages held at once */
	size_t		 strip;		/* B by columns: columns in a strip */
};

struct tile_plan {
	size_t		 nbands, ntiles;	/* row bands; column tiles in each */
	size_t		 rows, cols;		/* the largest band and tile */
	uint64_t	 resident;	/* the model's bytes held at once */
	uint64_t	 reads;		/* the model's bytes read of A and B */
	bool		 fits;		/* resident <= budget */
};

/*
 * The plan of least cost within the budget, every band and tile at
 * least 2 x 2 so that no tile of a matrix becomes a vector (the engine
 * takes another path for those). Needs m, n >= 2. With no plan within the
 * budget, gives small tiles with fits false.
 */
void	tile_plan(struct tile_plan *p, const struct tile_problem *q);

/*
 * Whether the band of op(A) is held whole: op(A) is stored by rows, or
 * op(B) streams by strips of whole columns. Else A streams in slabs too.
 */
bool	tile_a_whole(const struct tile_problem *q);

/* Part i of parts over n rows (or columns, or k): [*lo, *hi). */
void	tile_range(size_t n, size_t parts, size_t i, size_t *lo, size_t *hi);

/* The model's bytes held and read, and the cost minimized, for a split. */
uint64_t tile_resident(const struct tile_problem *q, size_t rows, size_t cols);
uint64_t tile_reads(const struct tile_problem *q, size_t nbands, size_t ntiles);
uint64_t tile_cost(const struct tile_problem *q, size_t nbands, size_t ntiles);

#endif
