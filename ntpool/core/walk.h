/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Walking every allocated block of the pools, one page at a time.
 */
#ifndef _NTPOOL_WALK_H
#define _NTPOOL_WALK_H

#include "core/pool.h"

/**
 * struct ntpool_block_info - an allocated block, as a walk sees it
 * @addr: the caller's pointer
 * @size: bytes requested
 * @tag: its tag
 * @kind: its pool
 * @client: id of its owner
 * @caller: call site that allocated it, if known (big blocks), else 0
 * @bytes: block bytes (a small block's header included, a big block's
 *	whole pages)
 * @site_id: id of the call site that allocated it (sites.c)
 * @mark: the mark it was allocated under (marks.c); for a small block,
 *	modulo NTPOOL_HDR_MARKS
 * @hdr: its header (small blocks), else NULL
 * @big: its big-pool entry (big blocks), else NULL
 */
struct ntpool_block_info {
	void *addr;
	size_t size;
	u32 tag;
	enum ntpool_kind kind;
	u8 client;
	unsigned long caller;
	size_t bytes;
	u16 site_id;
	u32 mark;
	struct ntpool_header *hdr;
	struct ntpool_big *big;
};

/* What a walk visits. */
#define NTPOOL_WALK_BIG		1
#define NTPOOL_WALK_SMALL	2
#define NTPOOL_WALK_ALL		(NTPOOL_WALK_BIG | NTPOOL_WALK_SMALL)

/* Called with the pool lock held: must not sleep or call into the pool. */
typedef bool (*ntpool_block_fn)(const struct ntpool_block_info *b, void *arg);

void ntpool_walk_blocks(enum ntpool_kind kind, unsigned int what,
			ntpool_block_fn fn, void *arg);

#endif /* _NTPOOL_WALK_H */
