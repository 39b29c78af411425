/*
 * How much memory a run may hold: the smaller of the memory the system
 * says is available and the room left under the process's own memory
 * cgroup (v1 or v2), or what --mem-limit says, less a safety margin. Page
 * cache counts, since a cgroup charges the mapped files' pages to us.
 */
#ifndef PARDOT_MEMBUDGET_H
#define PARDOT_MEMBUDGET_H

#include <stdint.h>

#define MEMBUDGET_PATHLEN	1056
#define MEMBUDGET_NONE		UINT64_MAX	/* no limit of that kind */

struct mem_budget {
	uint64_t	 bytes;		/* the budget: limit less the margin */
	uint64_t	 limit;		/* the smallest of the limits below */
	uint64_t	 available;	/* MemAvailable in /proc/meminfo */
	uint64_t	 cgroup_limit;	/* the tightest cgroup limit */
	uint64_t	 cgroup_room;	/* that limit less its anonymous use */
	uint64_t	 user_limit;	/* --mem-limit, or MEMBUDGET_NONE */
	char		 cgroup_file[MEMBUDGET_PATHLEN];
	const char	*source;	/* which limit set the budget */
};

/*
 * Reads the limits of this process. user_limit is --mem-limit in bytes, or
 * MEMBUDGET_NONE; when given it replaces the others. Never fails: what
 * cannot be read counts as no limit.
 */
void	mem_budget_detect(struct mem_budget *b, uint64_t user_limit);

/*
 * The same, with every file read under root instead of /: /proc/meminfo,
 * /proc/self/cgroup, /proc/self/mountinfo and the cgroup files under the
 * mount points it names. For tests, with a tree of files made to look like
 * a system's.
 */
void	mem_budget_detect_at(struct mem_budget *b, uint64_t user_limit,
	    const char *root);

/* The margin kept back from a limit: an eighth, and up to 8 MiB more. */
uint64_t mem_budget_margin(uint64_t limit);

/* "384 MiB", "1.5 GiB" or "7 bytes", into buf. */
const char *mem_size_str(char *buf, size_t len, uint64_t bytes);

#endif
