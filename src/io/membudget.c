#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/membudget.h"
#include "io/procfile.h"

/* v1 reports "no limit" as a huge page-rounded number: treat as none. */
#define NO_LIMIT_ABOVE	(UINT64_C(1) << 60)

enum cgroup_version { CG_V1 = 1, CG_V2 = 2 };

/* Where one cgroup hierarchy is mounted, and which of its paths it shows. */
#define PART_LEN	256	/* a mount point, or a cgroup's path */
#define DIR_LEN		(MEMBUDGET_PATHLEN - 32)	/* a cgroup's directory */

struct cgroup_mount {
	char	dir[PART_LEN];		/* mount point */
	char	root[PART_LEN];		/* cgroup path at that point */
};

/* Opens path under root ("" for the real system), for reading. */
static FILE *
open_at(const char *root, const char *path)
{
	char full[2 * MEMBUDGET_PATHLEN];

	if (snprintf(full, sizeof(full), "%s%s", root, path) >=
	    (int)sizeof(full))
		return NULL;
	return fopen(full, "re");
}

/* MemAvailable, in bytes; MEMBUDGET_NONE when it cannot be read. */
static uint64_t
available_memory(const char *root)
{
	char path[MEMBUDGET_PATHLEN];
	uint64_t kb;

	snprintf(path, sizeof(path), "%s/proc/meminfo", root);
	return procfile_u64(path, "MemAvailable:", &kb) ? kb * 1024 :
	    MEMBUDGET_NONE;
}

static bool
has_option(const char *list, const char *opt)
{
	size_t n = strlen(opt);

	for (const char *p = list; p != NULL; p = strchr(p, ',')) {
		if (*p == ',')
			p++;
		if (strncmp(p, opt, n) == 0 && (p[n] == ',' || p[n] == '\0' ||
		    p[n] == '\n'))
			return true;
	}
	return false;
}

/*
 * Finds the memory hierarchy's mount in /proc/self/mountinfo: a "cgroup"
 * file system with the memory controller (v1), or "cgroup2" (v2).
 */
static bool
find_mount(const char *root, enum cgroup_version v, struct cgroup_mount *m)
{
	FILE *f = open_at(root, "/proc/self/mountinfo");
	char line[1024], mroot[PART_LEN], dir[PART_LEN];
	char fstype[64], opts[512];
	bool found = false;

	if (f == NULL)
		return false;
	while (!found && fgets(line, sizeof(line), f) != NULL) {
		const char *tail = strstr(line, " - ");

		if (tail == NULL || sscanf(line, "%*s %*s %*s %255s %255s",
		    mroot, dir) != 2 || sscanf(tail, " - %63s %*s %511s",
		    fstype, opts) != 2)
			continue;
		if (v == CG_V2 ? strcmp(fstype, "cgroup2") == 0 :
		    strcmp(fstype, "cgroup") == 0 && has_option(opts, "memory")) {
			snprintf(m->dir, sizeof(m->dir), "%s", dir);
			snprintf(m->root, sizeof(m->root), "%s", mroot);
			found = true;
		}
	}
	fclose(f);
	return found;
}

/* This process's cgroup path in hierarchy v, from /proc/self/cgroup. */
static bool
own_cgroup(const char *root, enum cgroup_version v, char *path, size_t len)
{
	FILE *f = open_at(root, "/proc/self/cgroup");
	char line[1024];
	bool found = false;

	if (f == NULL)
		return false;
	while (!found && fgets(line, sizeof(line), f) != NULL) {
		char *ctl = strchr(line, ':'), *p;

		if (ctl == NULL || (p = strchr(++ctl, ':')) == NULL)
			continue;
		*p++ = '\0';
		p[strcspn(p, "\n")] = '\0';
		/* "ID:CONTROLLERS:PATH"; v2's is "0::PATH". */
		if (v == CG_V2 ? strncmp(line, "0:", 2) == 0 && *ctl == '\0' :
		    has_option(ctl, "memory")) {
			snprintf(path, len, "%s", p);
			found = true;
		}
	}
	fclose(f);
	return found;
}

/* One level's limit, and its anonymous memory in use, in dir. */
static bool
level_limit(enum cgroup_version v, const char *dir, uint64_t *limit,
    uint64_t *anon, char *file, size_t len)
{
	char path[MEMBUDGET_PATHLEN];

	snprintf(path, sizeof(path), "%s/%s", dir, v == CG_V1 ?
	    "memory.limit_in_bytes" : "memory.max");
	if (!procfile_u64(path, NULL, limit) || *limit >= NO_LIMIT_ABOVE)
		return false;	/* v2's "max" does not parse: no limit */
	snprintf(file, len, "%s", path);
	snprintf(path, sizeof(path), "%s/memory.stat", dir);
	if (!procfile_u64(path, v == CG_V1 ? "total_rss" : "anon", anon))
		*anon = 0;
	return true;
}

/*
 * Walks from this process's cgroup up to the mount's root: every level's
 * limit applies, and the tightest room wins.
 */
static void
cgroup_limits(const char *root, enum cgroup_version v, struct mem_budget *b)
{
	struct cgroup_mount m;
	char cg[PART_LEN], dir[DIR_LEN];
	const char *rel;
	size_t rootlen, top;

	if (!find_mount(root, v, &m) || !own_cgroup(root, v, cg, sizeof(cg)))
		return;
	rootlen = strcmp(m.root, "/") == 0 ? 0 : strlen(m.root);
	if (strncmp(cg, m.root, rootlen) != 0)
		return;		/* our cgroup is not under this mount */
	rel = cg + rootlen;
	if (snprintf(dir, sizeof(dir), "%s%s%s", root, m.dir, strcmp(rel,
	    "/") == 0 ? "" : rel) >= (int)sizeof(dir))
		return;
	top = strlen(root) + strlen(m.dir);
	for (;;) {
		uint64_t limit, anon;
		char file[MEMBUDGET_PATHLEN];
		char *slash;

		if (level_limit(v, dir, &limit, &anon, file, sizeof(file))) {
			uint64_t room = limit > anon ? limit - anon : 0;

			if (room < b->cgroup_room) {
				b->cgroup_room = room;
				b->cgroup_limit = limit;
				snprintf(b->cgroup_file, sizeof(b->cgroup_file),
				    "%s", file);
			}
		}
		slash = strrchr(dir, '/');
		if (slash == NULL || (size_t)(slash - dir) < top)
			break;
		*slash = '\0';
	}
}

uint64_t
mem_budget_margin(uint64_t limit)
{
	uint64_t eighth = limit / 8;

	return eighth + (eighth < (8u << 20) ? eighth : (8u << 20));
}

void
mem_budget_detect(struct mem_budget *b, uint64_t user_limit)
{
	mem_budget_detect_at(b, user_limit, "");
}

void
mem_budget_detect_at(struct mem_budget *b, uint64_t user_limit,
    const char *root)
{
	memset(b, 0, sizeof(*b));
	b->user_limit = user_limit;
	b->available = available_memory(root);
	b->cgroup_limit = b->cgroup_room = MEMBUDGET_NONE;
	cgroup_limits(root, CG_V1, b);
	cgroup_limits(root, CG_V2, b);
	if (user_limit != MEMBUDGET_NONE) {
		b->limit = user_limit;
		b->source = "--mem-limit";
	} else if (b->cgroup_room < b->available) {
		b->limit = b->cgroup_room;
		b->source = "cgroup";
	} else {
		b->limit = b->available;
		b->source = "available memory";
	}
	b->bytes = b->limit == MEMBUDGET_NONE ? MEMBUDGET_NONE :
	    b->limit - mem_budget_margin(b->limit);
}

const char *
mem_size_str(char *buf, size_t len, uint64_t bytes)
{
	static const char *const unit[] = { "KiB", "MiB", "GiB", "TiB" };
	double v = (double)bytes;
	int u = -1;

	if (bytes == MEMBUDGET_NONE) {
		snprintf(buf, len, "unlimited");
		return buf;
	}
	while (v >= 1024 && u < 3) {
		v /= 1024;
		u++;
	}
	if (u < 0)
		snprintf(buf, len, "%" PRIu64 " bytes", bytes);
	else
		snprintf(buf, len, v < 10 ? "%.1f %s" : "%.0f %s", v, unit[u]);
	return buf;
}
