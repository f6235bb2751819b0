/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-CPU caches of freed small blocks: the fast path.
 */
#ifndef _NTPOOL_PCP_H
#define _NTPOOL_PCP_H

#include "pool.h"

/* Blocks of up to 32 units (496 bytes) are cached, 16 per size and pool. */
#define NTPOOL_PCP_UNITS	32
#define NTPOOL_PCP_DEPTH	16

/**
 * struct ntpool_freed - what a free needs to account for the block
 * @owner: the client that allocated it
 * @tag_id: its tag's row
 * @tag: its tag
 * @bytes: block bytes
 * @kind: the pool it was asked from
 */
struct ntpool_freed {
	u8 owner;
	u16 tag_id;
	u32 tag;
	size_t bytes;
	enum ntpool_kind kind;
};

void *ntpool_pcp_alloc(struct ntpool_pool *pool, const struct ntpool_request *req);
bool ntpool_pcp_free(struct ntpool_pool *pool, void *p, u32 tag,
		     struct ntpool_freed *freed);
void ntpool_pcp_init(void);
void ntpool_pcp_exit(void);

#endif /* _NTPOOL_PCP_H */
