/*
 * Picks the kernel set once, from the CPU's features or from PARDOT_ARCH.
 * __builtin_cpu_supports checks both the CPUID bits and, through XGETBV,
 * that the operating system saves the wide registers.
 */
#include <stddef.h>
#include <string.h>

#include "core/kernels/kernel.h"

static const struct kernel_set *const sets_best_first[] = {
#if defined(__x86_64__)
	&kernels_avx512vnni,
	&kernels_avx512,
	&kernels_avx2,
#endif
	&kernels_generic,
};
#define NSETS (sizeof(sets_best_first) / sizeof(sets_best_first[0]))

int
kernels_supported(const struct kernel_set *ks)
{
#if defined(__x86_64__)
	__builtin_cpu_init();
	if (ks == &kernels_avx512vnni)
		return kernels_supported(&kernels_avx512) &&
		    __builtin_cpu_supports("avx512vnni");
	if (ks == &kernels_avx512)
		return __builtin_cpu_supports("avx512f") &&
		    __builtin_cpu_supports("avx512dq") &&
		    __builtin_cpu_supports("avx512bw") &&
		    __builtin_cpu_supports("avx512vl") &&
		    __builtin_cpu_supports("fma");
	if (ks == &kernels_avx2)
		return __builtin_cpu_supports("avx2") &&
		    __builtin_cpu_supports("fma");
#endif
	return ks == &kernels_generic;
}

const struct kernel_set *
kernels_select(const char *force, const char **why)
{
	for (size_t i = 0; i < NSETS; i++) {
		const struct kernel_set *ks = sets_best_first[i];

		if (force != NULL && strcmp(force, ks->isa) != 0)
			continue;
		if (kernels_supported(ks))
			return ks;
		if (force != NULL) {
			*why = "this CPU does not support that kernel set";
			return NULL;
		}
	}
	*why = force != NULL ?
	    "unknown kernel set (use generic, avx2, avx512 or "
	    "avx512vnni)" :
	    "no kernel set runs on this CPU";
	return NULL;
}
