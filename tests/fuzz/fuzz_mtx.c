/*
 * libFuzzer target for the Matrix Market reader: 'make fuzz'
 * builds it with clang and the sanitizers, and runs it from
 * tests/fuzz/corpus-mtx/, which 'make check' replays through the same
 * checks.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "text_invariants.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *why = mtx_check_invariants(data, size);

	if (why != NULL) {
		fprintf(stderr, "mtx: %s\n", why);
		abort();
	}
	return 0;
}
