// SPDX-License-Identifier: GPL-2.0
/*
 * Small blocks: carved from pool pages behind an x64 _POOL_HEADER.
 *
 * Every byte of a pool page belongs to exactly one block, free or
 * allocated, so a page is walked from unit 0 by BlockSize and each block's
 * PreviousSize equals the BlockSize before it.  Free blocks of two or more
 * units sit on per-size free lists; allocation takes the smallest block that
 * fits (a bitmap finds it in one search) and splits it; freeing coalesces
 * with free neighbours, and a page that becomes wholly free goes to the
 * empty-page cache or back to the system.  Two free blocks are never
 * neighbours.  Locking is described in pool.h.
 */
#define pr_fmt(fmt) "ntpool: " fmt

#include <linux/string.h>
#include "pool.h"

/**
 * ntpool_hdr_at() - header of the block starting at @unit of a page
 * @pg: the page
 * @unit: offset in 16-byte units
 *
 * Return: the header.
 */
struct ntpool_header *ntpool_hdr_at(struct ntpool_page *pg, unsigned int unit)
{
	return (struct ntpool_header *)pg->base + unit;
}

/**
 * ntpool_hdr_unit() - offset of a header in its page, in units
 * @hdr: the header
 *
 * Return: the offset.
 */
unsigned int ntpool_hdr_unit(const struct ntpool_header *hdr)
{
	return offset_in_page(hdr) >> NTPOOL_BLOCK_SHIFT;
}

static void free_list_add(struct ntpool_pool *pool, struct ntpool_header *hdr)
{
	if (hdr->block_size < 2)
		return;
	list_add(ntpool_hdr_link(hdr), &pool->free_lists[hdr->block_size]);
	__set_bit(hdr->block_size, pool->nonempty);
}

static void free_list_del(struct ntpool_pool *pool, struct ntpool_header *hdr)
{
	if (hdr->block_size < 2)
		return;
	list_del(ntpool_hdr_link(hdr));
	if (list_empty(&pool->free_lists[hdr->block_size]))
		__clear_bit(hdr->block_size, pool->nonempty);
}

/* Write a free block's header and put it on its list. */
static void make_free(struct ntpool_pool *pool, struct ntpool_page *pg,
		      unsigned int unit, unsigned int units,
		      unsigned int prev_units, u32 tag)
{
	struct ntpool_header *hdr = ntpool_hdr_at(pg, unit);

	*hdr = (struct ntpool_header) {
		.previous_size = prev_units,
		.block_size = units,
		.pool_tag = tag,
	};
	__set_bit(unit, pg->block_starts);
	free_list_add(pool, hdr);
}

/* Point the block after [unit, unit + units) back at its new neighbour. */
static void link_next(struct ntpool_page *pg, unsigned int unit,
		      unsigned int units)
{
	if (unit + units < NTPOOL_PAGE_UNITS)
		ntpool_hdr_at(pg, unit + units)->previous_size = units;
}

/* Units to leave in front of a block starting at @unit for cache alignment. */
static unsigned int align_prefix(unsigned int unit)
{
	unsigned int line = L1_CACHE_BYTES / NTPOOL_BLOCK_SIZE;

	/* The header ends, and the caller's bytes begin, on a cache line. */
	return (line - 1 - unit % line) % line;
}

/*
 * Allocate @units at the start of the free span [unit, unit + span), whose
 * predecessor is @prev_units long; the rest of the span becomes free again.
 */
static struct ntpool_header *carve(struct ntpool_pool *pool,
				   struct ntpool_page *pg, unsigned int unit,
				   unsigned int span, unsigned int prev_units,
				   unsigned int units,
				   const struct ntpool_request *req)
{
	unsigned int prefix = req->cache_aligned ? align_prefix(unit) : 0;
	unsigned int suffix = span - prefix - units;
	struct ntpool_header *hdr;

	/* A one-unit leftover could not be told apart from a lost unit. */
	if (suffix == 1 && prefix + units + 1 <= NTPOOL_MAX_BLOCK_UNITS) {
		units++;
		suffix = 0;
	}
	if (prefix) {
		make_free(pool, pg, unit, prefix, prev_units, req->tag);
		prev_units = prefix;
		unit += prefix;
	}
	hdr = ntpool_hdr_at(pg, unit);
	*hdr = (struct ntpool_header) {
		.previous_size = prev_units,
		.pool_index = req->client,
		.block_size = units,
		.pool_type = (req->kind |
			      (req->cache_aligned ? NTPOOL_HDR_TYPE_CACHE_ALIGNED : 0)) + 1,
		.pool_tag = req->tag,
		.allocator_backtrace_index = req->size,
		.pool_tag_hash = req->tag_id,
	};
	__set_bit(unit, pg->block_starts);
	if (suffix) {
		make_free(pool, pg, unit + units, suffix, units, req->tag);
		link_next(pg, unit + units, suffix);
	} else {
		link_next(pg, unit, units);
	}
	return hdr;
}

static struct ntpool_page *page_of(struct ntpool_pool *pool, const void *addr)
{
	void *entry = xa_load(&pool->pages, ntpool_page_key(pool->kind, addr));

	return xa_untag_pointer(entry);
}

/* Take the smallest listed free block of at least @need units. */
static struct ntpool_header *take_free(struct ntpool_pool *pool,
				       unsigned int need)
{
	unsigned int size = find_next_bit(pool->nonempty, NTPOOL_PAGE_UNITS,
					  need);
	struct ntpool_header *hdr;

	if (size >= NTPOOL_PAGE_UNITS)
		return NULL;
	hdr = ntpool_link_to_hdr(pool->free_lists[size].next);
	free_list_del(pool, hdr);
	return hdr;
}

/**
 * ntpool_small_alloc() - allocate a block of up to NTPOOL_MAX_SMALL bytes
 * @pool: pool to allocate from
 * @req: the request
 *
 * Return: the caller's bytes (16-byte aligned, cache aligned on request),
 * or NULL when no page could be had.
 */
void *ntpool_small_alloc(struct ntpool_pool *pool,
			 const struct ntpool_request *req)
{
	unsigned int units = ntpool_units_for(req->size);
	unsigned int need = units + (req->cache_aligned ? NTPOOL_ALIGN_UNITS : 0);
	struct ntpool_header *hdr, *free_hdr;
	struct ntpool_page *pg;
	unsigned long flags;

	spin_lock_irqsave(&pool->lock, flags);
	free_hdr = take_free(pool, need);
	if (free_hdr) {
		pg = page_of(pool, free_hdr);
		__clear_bit(ntpool_hdr_unit(free_hdr), pg->block_starts);
		hdr = carve(pool, pg, ntpool_hdr_unit(free_hdr),
			    free_hdr->block_size, free_hdr->previous_size,
			    units, req);
		spin_unlock_irqrestore(&pool->lock, flags);
		return ntpool_hdr_to_block(hdr);
	}
	spin_unlock_irqrestore(&pool->lock, flags);

	pg = ntpool_page_get(pool, ntpool_gfp(req));
	if (!pg)
		return NULL;
	spin_lock_irqsave(&pool->lock, flags);
	hdr = carve(pool, pg, 0, NTPOOL_PAGE_UNITS, 0, units, req);
	spin_unlock_irqrestore(&pool->lock, flags);
	return ntpool_hdr_to_block(hdr);
}

/**
 * ntpool_small_free_locked() - free a checked, allocated small block
 * @pool: its pool, locked
 * @pg: its page
 * @hdr: its header
 * @release: set to the page when it became wholly free and must be given
 *	back to the system once the lock is dropped
 */
void ntpool_small_free_locked(struct ntpool_pool *pool, struct ntpool_page *pg,
			      struct ntpool_header *hdr,
			      struct ntpool_page **release)
{
	unsigned int unit = ntpool_hdr_unit(hdr);
	unsigned int span = hdr->block_size;
	unsigned int prev_units = hdr->previous_size;
	u32 tag = hdr->pool_tag;

	*release = NULL;
	/*
	 * Mark the header free even if it is merged away below: a second free
	 * of the block is then told from a bad pointer (see lookup.c).
	 */
	hdr->pool_type = 0;
	hdr->pool_index = 0;
	if (unit + span < NTPOOL_PAGE_UNITS) {
		struct ntpool_header *next = ntpool_hdr_at(pg, unit + span);

		if (ntpool_hdr_is_free(next)) {
			free_list_del(pool, next);
			__clear_bit(unit + span, pg->block_starts);
			span += next->block_size;
		}
	}
	if (unit) {
		struct ntpool_header *prev = ntpool_hdr_at(pg, unit - prev_units);

		if (ntpool_hdr_is_free(prev)) {
			free_list_del(pool, prev);
			__clear_bit(unit, pg->block_starts);
			unit -= prev_units;
			span += prev_units;
			prev_units = prev->previous_size;
		}
	}
	if (span == NTPOOL_PAGE_UNITS) {
		if (!ntpool_page_cache_put(pool, pg)) {
			ntpool_xa_forget_locked(pool, pg->base);
			*release = pg;
		}
		return;
	}
	make_free(pool, pg, unit, span, prev_units, tag);
	link_next(pg, unit, span);
}
