/* The reason an I/O step failed, into a caller's buffer of ERRLEN bytes. */
#ifndef PARDOT_ERRMSG_H
#define PARDOT_ERRMSG_H

#include <stdio.h>
#include <string.h>

#define MAPFILE_ERRLEN	256

/* "WHAT: strerror" (or strerror alone when what is NULL); returns -1. */
static inline int
errmsg_set(char *err, const char *what, int errnum)
{
	if (what != NULL)
		snprintf(err, MAPFILE_ERRLEN, "%s: %s", what, strerror(errnum));
	else
		snprintf(err, MAPFILE_ERRLEN, "%s", strerror(errnum));
	return -1;
}

#endif
