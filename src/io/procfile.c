#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/procfile.h"

bool
procfile_u64(const char *path, const char *key, uint64_t *out)
{
	FILE *f = fopen(path, "re");
	char line[512];
	size_t klen = key != NULL ? strlen(key) : 0;
	bool found = false;

	if (f == NULL)
		return false;
	/* The blank after the key: total_rss is not total_rss_huge. */
	while (!found && fgets(line, sizeof(line), f) != NULL) {
		char *end;

		if (key != NULL && (strncmp(line, key, klen) != 0 ||
		    (line[klen] != ' ' && line[klen] != '\t')))
			continue;
		*out = strtoull(line + klen, &end, 10);
		found = end != line + klen;
	}
	fclose(f);
	return found;
}
