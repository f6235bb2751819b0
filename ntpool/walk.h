/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Walking every allocated block of the pools, one page at a time.
 */
#ifndef _NTPOOL_WALK_H
#define _NTPOOL_WALK_H

#include "pool.h"

/**
 * struct ntpool_block_info - an allocated block, as a walk sees it
 * @addr: the caller's pointer
 * @size: bytes requested
 * @tag: its tag
 * @kind: its pool
 * @client: id of its owner
 * @caller: call site that allocated it, if known (big blocks), else 0
 */
struct ntpool_block_info {
	void *addr;
	size_t size;
	u32 tag;
	enum ntpool_kind kind;
	u8 client;
	unsigned long caller;
};

/* Called with the pool lock held: must not sleep or call into the pool. */
typedef bool (*ntpool_block_fn)(const struct ntpool_block_info *b, void *arg);

void ntpool_walk_blocks(enum ntpool_kind kind, ntpool_block_fn fn, void *arg);

#endif /* _NTPOOL_WALK_H */
