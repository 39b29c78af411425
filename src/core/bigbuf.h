/*
 * Private working buffers (packed panels, bands of a narrow result) on
 * large pages where the system has them.
 */
#ifndef PARDOT_BIGBUF_H
#define PARDOT_BIGBUF_H

#include <stddef.h>

/*
 * At least size bytes aligned to align (a power of two, at most 4096),
 * freed with free(); NULL when out of memory. A buffer of BIGBUF_HUGE or
 * more is rounded up to whole 2 MiB pages and advised to be backed by
 * transparent huge pages.
 */
void	*bigbuf_alloc(size_t size, size_t align);

/* The bytes bigbuf_alloc(size, ...) takes, for memory plans. */
size_t	 bigbuf_bytes(size_t size);

#define BIGBUF_HUGE	((size_t)512 << 10)

#endif
