/* Writing JSON strings: escaped as RFC 8259 asks, and always valid UTF-8. */
#ifndef PARDOT_JSON_H
#define PARDOT_JSON_H

#include <stdio.h>

/*
 * Writes s as a JSON string, quotes included: '"', '\\' and control
 * characters escaped, and each byte that is not part of valid UTF-8 (a
 * file name may hold any bytes) replaced by U+FFFD.
 */
void	json_string(FILE *f, const char *s);

#endif
