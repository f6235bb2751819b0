// SPDX-License-Identifier: GPL-2.0
/*
 * Big blocks: requests above NTPOOL_MAX_SMALL get whole pages with no
 * header, recorded in the big-pool table (the pool's page xarray, keyed by
 * the first page) with address, size, tag, pool and owner.
 */
#define pr_fmt(fmt) "ntpool: " fmt

#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include "pool.h"

/**
 * ntpool_big_pages() - pages a big block occupies
 * @big: its entry
 *
 * Return: the number of pages.
 */
size_t ntpool_big_pages(const struct ntpool_big *big)
{
	return DIV_ROUND_UP(big->size, PAGE_SIZE);
}

static void *big_memory_alloc(enum ntpool_kind kind, size_t pages, gfp_t gfp)
{
	/* Refuse what cannot be had before the allocator tries too hard. */
	if (pages > totalram_pages())
		return NULL;
	if (kind == NTPOOL_PAGED)
		return __vmalloc(pages << PAGE_SHIFT, gfp);
	if (get_order(pages << PAGE_SHIFT) > NTPOOL_MAX_PAGE_ORDER)
		return NULL;
	return alloc_pages_exact(pages << PAGE_SHIFT, gfp);
}

static void big_memory_free(enum ntpool_kind kind, void *va, size_t pages)
{
	if (kind == NTPOOL_PAGED)
		vfree(va);
	else
		free_pages_exact(va, pages << PAGE_SHIFT);
}

/**
 * ntpool_big_alloc() - allocate a block of whole pages
 * @pool: pool to allocate from
 * @req: the request
 *
 * Return: the page-aligned block, or NULL.
 */
void *ntpool_big_alloc(struct ntpool_pool *pool,
		       const struct ntpool_request *req)
{
	size_t pages = req->size / PAGE_SIZE + !!(req->size % PAGE_SIZE);
	gfp_t gfp = ntpool_gfp(req);
	struct ntpool_big *big;

	big = kmalloc(sizeof(*big), gfp & ~__GFP_ZERO);
	if (!big)
		return NULL;
	*big = (struct ntpool_big) {
		.size = req->size,
		.tag = req->tag,
		.kind = pool->kind,
		.client = req->client,
		.tag_id = req->tag_id,
		.caller = req->caller.ip,
	};
	big->va = big_memory_alloc(pool->kind, pages,
				   gfp | (req->zero ? __GFP_ZERO : 0));
	if (!big->va)
		goto free_entry;
	if (ntpool_xa_insert(&pool->pages, ntpool_page_key(pool->kind, big->va),
			     xa_tag_pointer(big, NTPOOL_XA_BIG), gfp))
		goto free_memory;
	atomic_long_add(pages, &pool->nr_big_pages);
	return big->va;

free_memory:
	big_memory_free(pool->kind, big->va, pages);
free_entry:
	kfree(big);
	return NULL;
}

/**
 * ntpool_big_entry() - the big-pool entry of a block just allocated
 * @pool: its pool
 * @va: the block
 *
 * Only for the allocating caller, which owns the block: nobody can free it
 * yet, so the entry cannot go away under it.
 *
 * Return: the entry.
 */
struct ntpool_big *ntpool_big_entry(struct ntpool_pool *pool, void *va)
{
	return xa_untag_pointer(xa_load(&pool->pages,
					ntpool_page_key(pool->kind, va)));
}

/**
 * ntpool_big_release() - give a big block's pages back and drop its entry
 * @pool: its pool, not locked
 * @big: the entry, already removed from the big-pool table
 */
void ntpool_big_release(struct ntpool_pool *pool, struct ntpool_big *big)
{
	size_t pages = ntpool_big_pages(big);

	atomic_long_sub(pages, &pool->nr_big_pages);
	big_memory_free(pool->kind, big->va, pages);
	kfree(big);
}
