/*
 * Private working buffers (packed panels, bands of a narrow result) on
 * large pages where the system has them.
 */
#ifndef PARDOT_BIGBUF_H
#define PARDOT_BIGBUF_H

#include <stddef.h>

/*
 * At least size bytes aligned to align (a power of two, at most 4096),
 * freed with free(); NULL when out of memory. From BIGBUF_HUGE up, the
 * buffer starts on a 2 MiB boundary and its whole 2 MiB pages are advised
 * to be transparent huge pages, one below 2 MiB being rounded up to one.
 */
void	*bigbuf_alloc(size_t size, size_t align);

/* The bytes bigbuf_alloc(size, ...) takes, for memory plans. */
size_t	 bigbuf_bytes(size_t size);

#define BIGBUF_HUGE	((size_t)512 << 10)

#endif
