/*
 * Why the packing buffers ask for huge pages: a fresh 4 KiB page costs a
 * fault at its first touch, and on virtual machines (shadow or nested page
 * tables) that fault is slow. One seen here took 11 us, so that the 12 MiB
 * panel of B at n = 4096 cost 35 ms of faults before the first product,
 * and 1.5 MiB at n = 1000 some 4 ms of a 24 ms multiply. The same memory
 * in 2 MiB pages faulted in under 1 ms, and the kernels then miss the TLB
 * less. With transparent huge pages off or unsupported the advice is
 * ignored and the buffer is an ordinary one.
 *
 * A buffer from BIGBUF_HUGE to 2 MiB is rounded up to one huge page, at
 * most 1.5 MiB more; a larger one has its whole huge pages advised and
 * the rest of it in ordinary pages, no more memory than it asked for.
 * bigbuf_bytes counts what each takes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "core/bigbuf.h"

#define HUGE_PAGE	((size_t)2 << 20)

static size_t
round_to(size_t n, size_t unit)
{
	return n > SIZE_MAX - (unit - 1) ? 0 : (n + unit - 1) / unit * unit;
}

size_t
bigbuf_bytes(size_t size)
{
	return size >= BIGBUF_HUGE && size < HUGE_PAGE ? HUGE_PAGE : size;
}

void *
bigbuf_alloc(size_t size, size_t align)
{
	size_t len = round_to(bigbuf_bytes(size > 0 ? size : 1), align);
	void *p;

	if (len == 0)
		return NULL;
	if (size < BIGBUF_HUGE)
		return aligned_alloc(align, len);
	if (posix_memalign(&p, HUGE_PAGE, len) != 0)
		return NULL;
#ifdef MADV_HUGEPAGE
	(void)madvise(p, len / HUGE_PAGE * HUGE_PAGE, MADV_HUGEPAGE);
#endif
	return p;
}
