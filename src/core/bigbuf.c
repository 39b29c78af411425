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
 * A buffer from 512 KiB up is rounded to whole huge pages: at most
 * 1.5 MiB more private memory for each of the three a multiply holds
 * (packed A, packed B, a band), which bigbuf_bytes counts.
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
	return size < BIGBUF_HUGE ? size : round_to(size, HUGE_PAGE);
}

void *
bigbuf_alloc(size_t size, size_t align)
{
	size_t len;
	void *p;

	if (size < BIGBUF_HUGE) {
		len = round_to(size > 0 ? size : 1, align);
		return len != 0 ? aligned_alloc(align, len) : NULL;
	}
	if ((len = round_to(size, HUGE_PAGE)) == 0 ||
	    (p = aligned_alloc(HUGE_PAGE, len)) == NULL)
		return NULL;
#ifdef MADV_HUGEPAGE
	(void)madvise(p, len, MADV_HUGEPAGE);
#endif
	return p;
}
