// SPDX-License-Identifier: GPL-2.0
/*
 * Walking every allocated block of a pool: big blocks first, then the
 * pages of small blocks.  Each page (or big-pool entry) is visited under
 * the pool lock after the page xarray confirms it is still the pool's, and
 * the lock is dropped between pages, so allocations on other CPUs wait at
 * most for one page.
 */
#include <linux/sched.h>
#include "core/walk.h"

static bool walk_big(struct ntpool_pool *pool, ntpool_block_fn fn, void *arg)
{
	unsigned long key, flags;
	bool more = true;
	void *entry;

	xa_for_each(&pool->pages, key, entry) {
		struct ntpool_big *big = xa_untag_pointer(entry);

		if (xa_pointer_tag(entry) != NTPOOL_XA_BIG)
			continue;
		spin_lock_irqsave(&pool->lock, flags);
		if (xa_load(&pool->pages, key) == entry && !big->freed) {
			struct ntpool_block_info b = {
				.addr = big->block, .size = big->size,
				.tag = big->tag, .kind = big->kind,
				.client = big->client, .caller = big->caller,
				.bytes = ntpool_big_pages(big) << PAGE_SHIFT,
				.site_id = big->site_id, .mark = big->mark,
				.big = big,
			};

			more = fn(&b, arg);
		}
		spin_unlock_irqrestore(&pool->lock, flags);
		if (!more)
			return false;
	}
	return true;
}

/*
 * Allocated blocks only, by the page's allocated map; a header that fails its
 * check is the client's corruption, reported when the block is freed, and
 * is not believed here either.
 */
static bool walk_page_locked(struct ntpool_pool *pool, struct ntpool_page *pg,
			     ntpool_block_fn fn, void *arg)
{
	unsigned int unit;

	for_each_set_bit(unit, pg->block_starts, NTPOOL_PAGE_UNITS) {
		struct ntpool_header *hdr = ntpool_hdr_at(pg, unit);
		size_t room = (ntpool_block_units(pg, unit) - 1) *
			      NTPOOL_BLOCK_SIZE;
		struct ntpool_block_info b;

		if (!ntpool_is_allocated(pg, unit))
			continue;
		/* The byte is set after the header is written (pool.h). */
		smp_rmb();
		b = (struct ntpool_block_info) {
			.addr = ntpool_hdr_to_block(hdr),
			.size = min(ntpool_hdr_requested(hdr), room),
			.tag = hdr->pool_tag, .kind = pool->kind,
			.client = hdr->pool_index, .hdr = hdr,
			.bytes = room + NTPOOL_BLOCK_SIZE,
			.site_id = hdr->pool_tag_hash, .mark = ntpool_hdr_mark(hdr),
		};

		if (ntpool_hdr_sealed(hdr) && !fn(&b, arg))
			return false;
	}
	return true;
}

static bool walk_small(struct ntpool_pool *pool, ntpool_block_fn fn, void *arg)
{
	unsigned long key, flags;
	bool more = true;
	void *entry;

	xa_for_each(&pool->pages, key, entry) {
		if (xa_pointer_tag(entry) != NTPOOL_XA_SMALL)
			continue;
		spin_lock_irqsave(&pool->lock, flags);
		if (xa_load(&pool->pages, key) == entry)
			more = walk_page_locked(pool, xa_untag_pointer(entry),
						fn, arg);
		spin_unlock_irqrestore(&pool->lock, flags);
		if (!more)
			return false;
		cond_resched();
	}
	return true;
}

/**
 * ntpool_walk_blocks() - call @fn for every allocated block of a pool
 * @kind: the pool
 * @what: NTPOOL_WALK_BIG, NTPOOL_WALK_SMALL or both: big blocks come first
 * @fn: called with the pool lock held; returns false to stop the walk
 * @arg: passed to @fn
 *
 * May sleep between pages.  Blocks allocated or freed during the walk may
 * or may not be seen.
 */
void ntpool_walk_blocks(enum ntpool_kind kind, unsigned int what,
			ntpool_block_fn fn, void *arg)
{
	struct ntpool_pool *pool = &ntpool_pools[kind];
	/* Executable pool blocks are non-paged blocks to every walk. */
	struct ntpool_pool *exec = kind == NTPOOL_NONPAGED ?
				   ntpool_exec_pool() : NULL;

	if ((what & NTPOOL_WALK_BIG) &&
	    (!walk_big(pool, fn, arg) || (exec && !walk_big(exec, fn, arg))))
		return;
	if ((what & NTPOOL_WALK_SMALL) && walk_small(pool, fn, arg) && exec)
		walk_small(exec, fn, arg);
}
