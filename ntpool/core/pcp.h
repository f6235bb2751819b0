/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-CPU caches of freed small blocks: the fast path.
 */
#ifndef _NTPOOL_PCP_H
#define _NTPOOL_PCP_H

#include <ntpool/compat.h>
#include "accounting/tags.h"
#include "core/pool.h"

/*
 * Blocks of every small size are cached: up to 16 per size and pool for
 * blocks of up to 32 units (496 bytes), fewer for bigger ones, and no more
 * than NTPOOL_PCP_BYTES per CPU and pool.
 */
#define NTPOOL_PCP_DEPTH	16
#define NTPOOL_PCP_BYTES	(256 * 1024)

void *ntpool_pcp_alloc(struct ntpool_pool *pool, const struct ntpool_request *req,
		       struct ntpool_charge *ch);
void ntpool_pcp_free_checked(struct ntpool_block *blk, void *p,
			     const struct ntpool_caller *caller);
unsigned long ntpool_pcp_drain(void);
unsigned long ntpool_pcp_count(void);
int ntpool_pcp_init(void);
void ntpool_pcp_exit(void);

#endif /* _NTPOOL_PCP_H */
