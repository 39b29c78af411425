/*
 * Reading a block of a matrix that lives in a mapped file into private
 * memory, with pread rather than through the mapping: for out of core,
 * where the same pages are read again and again. Mapping a page of a file
 * in costs a fault, and on the virtual machines here some 1.5 to 11 us a
 * 4 KiB page; pread copies it for a fraction of that, into a buffer whose
 * pages stay mapped from one block to the next. The page cache the read
 * went through is dropped as the block is read, so that what the process
 * holds is its buffers, exactly.
 */
#ifndef PARDOT_BLOCKREAD_H
#define PARDOT_BLOCKREAD_H

#include <stddef.h>

#include "core/matrix.h"
#include "io/mapfile.h"

/*
 * Rows [r0, r1) and columns [c0, c1) of view v, mapped from file m;
 * direct_fd is the file opened for direct reads (block_direct_open), or
 * -1 to read through the page cache.
 */
struct file_block {
	const struct mapped_input	*m;
	const struct matrix		*v;
	size_t				 r0, r1, c0, c1;
	int				 direct_fd;
};

/*
 * The file of m opened again for direct reads (O_DIRECT): from the disk
 * into the buffer with no copy, where a read through the page cache
 * spends about a millisecond of CPU a MiB on this machine's virtual disk,
 * on the cores the engine needs. Returns the descriptor, or -1 where the
 * file system has none.
 */
int	block_direct_open(const struct mapped_input *m);

/* The bytes of buffer a block of len bytes needs, a multiple of a page. */
size_t	block_buffer_bytes(size_t len);

/* The bytes of the block's elements. */
size_t	block_bytes(const struct file_block *fb);

/*
 * Reads the block into buf (aligned to BLOCK_ALIGN, of at least
 * block_buffer_bytes(block_bytes(fb)) bytes), by rows when the view's
 * rows are contiguous (a row of the block after another), else by
 * columns, and sets *out to the view of it there. Runs of the file that
 * follow each other are read as one. A block that is one run is read
 * directly when direct_fd allows, in aligned pieces that take in the
 * pages at its ends; else up to BLOCK_READ_AHEAD bytes of runs are asked
 * for ahead of the one being read, so that the disk has many requests at
 * once, and the page cache they passed through is dropped behind them.
 * Returns 0, or EIO when a read failed or came back short (the file
 * changed); when the mapping cannot be read there either, the fault guard
 * reports it first, as for any other read of the file (fault.h).
 */
int	block_read(const struct file_block *fb, void *buf, struct matrix *out);

#define BLOCK_READ_AHEAD	((size_t)4 << 20)
#define BLOCK_ALIGN		((size_t)4096)

#endif
