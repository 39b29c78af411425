/*
 * The memory budget against trees of files made to look like systems:
 * cgroup v1 and v2, nested limits, a cgroup namespace's mount root, the
 * anonymous memory already charged, and no cgroup at all; then the margin
 * and the sizes as -v prints them.
 */
#include <check.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/membudget.h"
#include "testutil.h"

#define MiB	(UINT64_C(1) << 20)

static char root[PATH_MAX];

/* Writes text to root/path, making the directories on the way. */
static void
put(const char *path, const char *text)
{
	char full[PATH_MAX * 2];
	FILE *f;

	snprintf(full, sizeof(full), "%s%s", root, path);
	for (char *p = full + strlen(root) + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		mkdir(full, 0755);
		*p = '/';
	}
	ck_assert_msg((f = fopen(full, "w")) != NULL, "cannot write %s", full);
	fputs(text, f);
	fclose(f);
}

static void
setup(void)
{
	snprintf(root, sizeof(root), "%s/pardot-membudget-XXXXXX",
	    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	ck_assert(mkdtemp(root) != NULL);
	put("/proc/meminfo", "MemTotal:       25165824 kB\n"
	    "MemFree:        20000000 kB\n"
	    "MemAvailable:   16777216 kB\n");
}

static void
teardown(void)
{
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	ck_assert_int_eq(system(cmd), 0);
}

static const char v1_mounts[] =
    "25 1 0:23 / /sys/fs/cgroup rw - tmpfs tmpfs rw\n"
    "30 25 0:26 / /sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpu\n"
    "31 25 0:27 / /sys/fs/cgroup/memory rw,relatime shared:9 - cgroup "
    "cgroup rw,memory\n"
    "32 25 0:28 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw\n";

/* Version 1, three levels: the job's own limit is the tightest. */
START_TEST(test_v1_nested)
{
	struct mem_budget b;
	char want[PATH_MAX * 2];

	put("/proc/self/mountinfo", v1_mounts);
	put("/proc/self/cgroup", "5:cpu:/\n4:memory:/jobs/job1\n0::/\n");
	put("/sys/fs/cgroup/memory/memory.limit_in_bytes",
	    "9223372036854771712\n");
	put("/sys/fs/cgroup/memory/jobs/memory.limit_in_bytes", "1073741824\n");
	put("/sys/fs/cgroup/memory/jobs/memory.stat", "total_rss 0\n");
	put("/sys/fs/cgroup/memory/jobs/job1/memory.limit_in_bytes",
	    "402653184\n");
	/* total_rss_huge first: the key must match whole. */
	put("/sys/fs/cgroup/memory/jobs/job1/memory.stat", "cache 100\n"
	    "rss 5\ntotal_rss_huge 999\ntotal_cache 100\n"
	    "total_rss 16777216\n");
	mem_budget_detect_at(&b, MEMBUDGET_NONE, root);
	ck_assert_uint_eq(b.available, 16 * 1024 * MiB);
	ck_assert_uint_eq(b.cgroup_limit, 384 * MiB);
	ck_assert_uint_eq(b.cgroup_room, 368 * MiB);
	ck_assert_str_eq(b.source, "cgroup");
	ck_assert_uint_eq(b.limit, 368 * MiB);
	ck_assert_uint_eq(b.bytes, 368 * MiB - mem_budget_margin(368 * MiB));
	snprintf(want, sizeof(want), "%s/sys/fs/cgroup/memory/jobs/job1/"
	    "memory.limit_in_bytes", root);
	ck_assert_str_eq(b.cgroup_file, want);
}
END_TEST

/* A parent's limit binds its children too. */
START_TEST(test_v1_parent_tighter)
{
	struct mem_budget b;

	put("/proc/self/mountinfo", v1_mounts);
	put("/proc/self/cgroup", "4:memory:/jobs/job1\n");
	put("/sys/fs/cgroup/memory/jobs/memory.limit_in_bytes", "268435456\n");
	put("/sys/fs/cgroup/memory/jobs/job1/memory.limit_in_bytes",
	    "402653184\n");
	mem_budget_detect_at(&b, MEMBUDGET_NONE, root);
	ck_assert_uint_eq(b.cgroup_limit, 256 * MiB);
	ck_assert_uint_eq(b.cgroup_room, 256 * MiB);	/* no memory.stat */
	ck_assert(strstr(b.cgroup_file, "/jobs/memory.limit_in_bytes") != NULL);
}
END_TEST

/* Version 2: "max" is no limit, and anon is what is charged already. */
START_TEST(test_v2)
{
	struct mem_budget b;

	put("/proc/self/mountinfo", "25 1 0:23 / /sys/fs/cgroup rw - cgroup2 "
	    "cgroup2 rw,nsdelegate\n");
	put("/proc/self/cgroup", "0::/user.slice/job\n");
	put("/sys/fs/cgroup/user.slice/memory.max", "max\n");
	put("/sys/fs/cgroup/user.slice/job/memory.max", "67108864\n");
	put("/sys/fs/cgroup/user.slice/job/memory.stat", "anon_thp 0\n"
	    "anon 1048576\nfile 4096\n");
	mem_budget_detect_at(&b, MEMBUDGET_NONE, root);
	ck_assert_uint_eq(b.cgroup_limit, 64 * MiB);
	ck_assert_uint_eq(b.cgroup_room, 63 * MiB);
	ck_assert_str_eq(b.source, "cgroup");
	ck_assert(strstr(b.cgroup_file, "/user.slice/job/memory.max") != NULL);
}
END_TEST

/*
 * In a cgroup namespace the mount shows a subtree: its root field names
 * where it starts, and /proc/self/cgroup a path from the top.
 */
START_TEST(test_mount_root)
{
	struct mem_budget b;

	put("/proc/self/mountinfo", "31 25 0:27 /jobs /sys/fs/cgroup/memory "
	    "rw - cgroup cgroup rw,memory\n");
	put("/proc/self/cgroup", "4:memory:/jobs/job7\n");
	put("/sys/fs/cgroup/memory/job7/memory.limit_in_bytes", "134217728\n");
	mem_budget_detect_at(&b, MEMBUDGET_NONE, root);
	ck_assert_uint_eq(b.cgroup_limit, 128 * MiB);
}
END_TEST

/* No cgroup with a limit, or one looser than memory: available memory. */
START_TEST(test_no_cgroup)
{
	struct mem_budget b;

	put("/proc/self/mountinfo", v1_mounts);
	put("/proc/self/cgroup", "4:memory:/\n");
	put("/sys/fs/cgroup/memory/memory.limit_in_bytes",
	    "9223372036854771712\n");
	mem_budget_detect_at(&b, MEMBUDGET_NONE, root);
	ck_assert_uint_eq(b.cgroup_limit, MEMBUDGET_NONE);
	ck_assert_str_eq(b.source, "available memory");
	ck_assert_uint_eq(b.limit, 16 * 1024 * MiB);

	put("/proc/self/cgroup", "4:memory:/big\n");
	put("/sys/fs/cgroup/memory/big/memory.limit_in_bytes",
	    "68719476736\n");
	mem_budget_detect_at(&b, MEMBUDGET_NONE, root);
	ck_assert_uint_eq(b.cgroup_limit, 64 * 1024 * MiB);
	ck_assert_str_eq(b.source, "available memory");
}
END_TEST

/* --mem-limit wins over both; nothing readable means no limit at all. */
START_TEST(test_user_limit_and_nothing)
{
	struct mem_budget b;
	char cmd[2 * PATH_MAX + 32];

	put("/proc/self/mountinfo", v1_mounts);
	put("/proc/self/cgroup", "4:memory:/job\n");
	put("/sys/fs/cgroup/memory/job/memory.limit_in_bytes", "1048576\n");
	mem_budget_detect_at(&b, 512 * MiB, root);
	ck_assert_str_eq(b.source, "--mem-limit");
	ck_assert_uint_eq(b.limit, 512 * MiB);
	ck_assert_uint_eq(b.user_limit, 512 * MiB);

	snprintf(cmd, sizeof(cmd), "rm -rf '%s/proc' '%s/sys'", root, root);
	ck_assert_int_eq(system(cmd), 0);
	mem_budget_detect_at(&b, MEMBUDGET_NONE, root);
	ck_assert_uint_eq(b.available, MEMBUDGET_NONE);
	ck_assert_uint_eq(b.limit, MEMBUDGET_NONE);
	ck_assert_uint_eq(b.bytes, MEMBUDGET_NONE);
}
END_TEST

START_TEST(test_margin_and_sizes)
{
	char s[32];

	ck_assert_uint_eq(mem_budget_margin(64 * MiB), 16 * MiB);
	ck_assert_uint_eq(mem_budget_margin(MiB), MiB / 4);
	ck_assert_uint_eq(mem_budget_margin(1024 * MiB), 136 * MiB);
	ck_assert_str_eq(mem_size_str(s, sizeof(s), 0), "0 bytes");
	ck_assert_str_eq(mem_size_str(s, sizeof(s), 1023), "1023 bytes");
	ck_assert_str_eq(mem_size_str(s, sizeof(s), 1024), "1.0 KiB");
	ck_assert_str_eq(mem_size_str(s, sizeof(s), 64 * MiB), "64 MiB");
	ck_assert_str_eq(mem_size_str(s, sizeof(s), 1536 * MiB), "1.5 GiB");
	ck_assert_str_eq(mem_size_str(s, sizeof(s), MEMBUDGET_NONE),
	    "unlimited");
}
END_TEST

static Suite *
membudget_suite(void)
{
	Suite *s = suite_create("membudget");
	TCase *tc = tcase_create("Core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_v1_nested);
	tcase_add_test(tc, test_v1_parent_tighter);
	tcase_add_test(tc, test_v2);
	tcase_add_test(tc, test_mount_root);
	tcase_add_test(tc, test_no_cgroup);
	tcase_add_test(tc, test_user_limit_and_nothing);
	tcase_add_test(tc, test_margin_and_sizes);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(membudget_suite());
}
