// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU caches of freed small blocks, as NT keeps per-processor lookaside
 * lists for its small block sizes: the fast path of allocation and free.
 *
 * A block of up to NTPOOL_PCP_UNITS units that is freed goes onto this
 * CPU's cache for its pool and BlockSize, if there is room; an allocation
 * that needs exactly that many units takes it back.  Neither touches the
 * pool lock or the page: the block stays a block of its page, its header
 * marked NTPOOL_HDR_TYPE_CACHED (it counts as free everywhere a block's
 * state is shown, and a second free of it is a double free), and its
 * neighbours do not merge with it.  The free path checks what it can
 * without the lock: the page is the pool's, the pointer starts a block, the
 * block is allocated, the tag matches and the slack is intact; anything
 * else, and a full cache, takes the slow path, which reports.  The
 * neighbours' headers are checked when the block goes back to its page.
 *
 * Only the global pools have caches.  Interrupts are off while a cache is
 * changed, because non-paged pool is used from interrupt handlers.
 */
#include <linux/irqflags.h>
#include <linux/percpu.h>
#include <linux/string.h>
#include "leak.h"
#include "lookaside.h"
#include "pcp.h"

struct ntpool_pcp {
	unsigned int n[NTPOOL_KINDS][NTPOOL_PCP_UNITS + 1];
	struct ntpool_header *blocks[NTPOOL_KINDS][NTPOOL_PCP_UNITS + 1][NTPOOL_PCP_DEPTH];
};

/* Allocated at load: a module's static per-CPU area is small. */
static struct ntpool_pcp __percpu *pcp_caches;

static bool cached_pool(const struct ntpool_pool *pool)
{
	return pcp_caches && pool == &ntpool_pools[pool->kind];
}

/**
 * ntpool_pcp_alloc() - a block from this CPU's cache
 * @pool: the pool
 * @req: the request (not cache aligned)
 *
 * Return: the block with its header set for @req, or NULL.
 */
void *ntpool_pcp_alloc(struct ntpool_pool *pool, const struct ntpool_request *req)
{
	unsigned int units = ntpool_units_for(req->size);
	struct ntpool_header *hdr = NULL;
	struct ntpool_pcp *pcp;
	unsigned long flags;

	if (units > NTPOOL_PCP_UNITS || req->cache_aligned || !cached_pool(pool))
		return NULL;
	local_irq_save(flags);
	pcp = this_cpu_ptr(pcp_caches);
	if (pcp->n[pool->kind][units])
		hdr = pcp->blocks[pool->kind][units][--pcp->n[pool->kind][units]];
	local_irq_restore(flags);
	if (!hdr)
		return NULL;
	hdr->pool_index = req->client;
	hdr->pool_tag = req->tag;
	hdr->allocator_backtrace_index = req->size;
	hdr->pool_tag_hash = req->tag_id;
	WRITE_ONCE(hdr->pool_type, req->kind + 1);
	return ntpool_hdr_to_block(hdr);
}

/**
 * ntpool_pcp_free() - put a freed block on this CPU's cache
 * @pool: the pool @p's memory belongs to
 * @p: the block
 * @tag: the tag given to the free, or 0
 * @freed: filled in with the block's owner, tag id and bytes
 *
 * Return: true if the block was cached; false for the slow path, which
 * also reports anything wrong.
 */
bool ntpool_pcp_free(struct ntpool_pool *pool, void *p, u32 tag,
		     struct ntpool_freed *freed)
{
	void *entry = xa_load(&pool->pages, ntpool_page_key(pool->kind, p));
	unsigned long off = offset_in_page(p), flags;
	struct ntpool_header *hdr;
	struct ntpool_page *pg;
	struct ntpool_pcp *pcp;
	unsigned int units, unit;
	u8 type;

	if (!cached_pool(pool) || !entry ||
	    xa_pointer_tag(entry) != NTPOOL_XA_SMALL ||
	    !off || !IS_ALIGNED(off, NTPOOL_BLOCK_SIZE))
		return false;
	pg = xa_untag_pointer(entry);
	unit = (off >> NTPOOL_BLOCK_SHIFT) - 1;
	hdr = ntpool_hdr_at(pg, unit);
	units = hdr->block_size;
	type = READ_ONCE(hdr->pool_type);
	if (!test_bit(unit, pg->block_starts) || units < 2 ||
	    units > NTPOOL_PCP_UNITS || type != pool->kind + 1 ||
	    (tag && ntpool_plain_tag(tag) != ntpool_plain_tag(hdr->pool_tag)) ||
	    memchr_inv(p + ntpool_hdr_requested(hdr), NTPOOL_SLACK_PATTERN,
		       (units - 1) * NTPOOL_BLOCK_SIZE - ntpool_hdr_requested(hdr)) ||
	    ntpool_lookaside_within(p, (units - 1) * NTPOOL_BLOCK_SIZE))
		return false;
	*freed = (struct ntpool_freed) {
		.owner = hdr->pool_index, .tag_id = hdr->pool_tag_hash,
		.tag = hdr->pool_tag, .bytes = units * NTPOOL_BLOCK_SIZE,
		.kind = pool->kind,
	};
	local_irq_save(flags);
	pcp = this_cpu_ptr(pcp_caches);
	/* Mark it first: of two frees racing, one wins, one is reported. */
	if (pcp->n[pool->kind][units] == NTPOOL_PCP_DEPTH ||
	    cmpxchg(&hdr->pool_type, type, type | NTPOOL_HDR_TYPE_CACHED) != type) {
		local_irq_restore(flags);
		return false;
	}
	ntpool_leak_untrack(p);
	hdr->pool_index = 0;
	pcp->blocks[pool->kind][units][pcp->n[pool->kind][units]++] = hdr;
	local_irq_restore(flags);
	return true;
}

/**
 * ntpool_pcp_init() - allocate the caches
 *
 * Without them ntpool works, on the slow path.
 */
void ntpool_pcp_init(void)
{
	pcp_caches = alloc_percpu(struct ntpool_pcp);
}

/**
 * ntpool_pcp_exit() - forget every cached block (ntpool is unloading)
 */
void ntpool_pcp_exit(void)
{
	free_percpu(pcp_caches);
	pcp_caches = NULL;
}
