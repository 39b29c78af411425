/*
 * libFuzzer target for the shared option parsing (src/cli/cli.c): 'make fuzz'
 * builds it with clang and the sanitizers, and runs it from
 * tests/fuzz/corpus-options/, which 'make check' replays through the same
 * checks.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "options_invariants.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *why = options_check_invariants(data, size);

	if (why != NULL) {
		fprintf(stderr, "options: %s\n", why);
		abort();
	}
	return 0;
}
