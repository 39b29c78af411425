/* Numbers from the kernel's text files: /proc, and cgroup controls. */
#ifndef PARDOT_PROCFILE_H
#define PARDOT_PROCFILE_H

#include <stdbool.h>
#include <stdint.h>

/*
 * The number on the first line of path that starts with key followed by
 * blanks ("MemAvailable:", "total_rss"), or with key NULL on the first
 * line that starts with a number ("max" is not one). Returns whether one
 * was found.
 */
bool	procfile_u64(const char *path, const char *key, uint64_t *out);

#endif
