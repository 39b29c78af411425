/*
 * The avx512 set once more, for CPUs that also have AVX512-VNNI (Ice Lake,
 * Zen 4 and later): ukernel_avx512.c compiled with PARDOT_VNNI, the same
 * kernels but for the pair kernel, whose int16 multiply-add (vpdpwssd)
 * adds into its accumulator as well, one instruction where the avx512 set
 * takes vpmaddwd and vpaddd. A set of its own, rather than a test inside
 * the kernel, keeps the choice made once (select.c) and forcible with
 * PARDOT_ARCH, so that either form can be tested on a CPU that runs both.
 */
#define PARDOT_VNNI
#include "core/kernels/ukernel_avx512.c"
