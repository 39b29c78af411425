/*
 * libFuzzer target for the .npy header parser: 'make fuzz' builds it with
 * clang, AddressSanitizer and UndefinedBehaviorSanitizer, and runs it for
 * FUZZ_SECONDS from the files in tests/fuzz/corpus/: hand-made seeds
 * (seed-*) and any input that once broke an invariant (crash-* and the
 * like), which 'make check' replays through the same checks.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "npy_invariants.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *why = npy_check_invariants(data, size);

	if (why != NULL) {
		fprintf(stderr, "npy_parse: %s\n", why);
		abort();
	}
	return 0;
}
