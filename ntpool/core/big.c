// SPDX-License-Identifier: GPL-2.0
/*
 * Big blocks: requests above NTPOOL_MAX_SMALL get whole pages with no
 * header, recorded in the big-pool table (the pool's page xarray, keyed by
 * the first page) with address, size, tag, pool and owner.
 *
 * A freed big block of the global pools and of the executable pool, up to
 * BIG_KEEP_BLOCK_PAGES, is kept for the next request of as many pages, as
 * NT's pool keeps its pages: neither the page allocator nor vmalloc() (nor
 * vmap()) is asked, and its entry stays in the table, marked freed (so that
 * a second free of it is refused, and walks skip it).  A pool keeps at most
 * BIG_KEEP_PAGES so, and gives them back under memory pressure (a
 * shrinker).  Paged blocks kept stay mapped: a write after free does not
 * fault, as in NT.
 */
#define pr_fmt(fmt) "ntpool: " fmt

#include <linux/gfp.h>
#include <linux/llist.h>
#include <linux/workqueue.h>
#include <linux/mm.h>
#include <linux/rcupdate.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include "base/leak.h"
#include "core/pool.h"
#include "core/special.h"

#define BIG_KEEP_BLOCK_PAGES	16
#define BIG_KEEP_PAGES		256

/*
 * Whole pages on the node a request names (ExAllocatePool3's NumaNode):
 * that node only if it must, else any node when that one has none.
 */
static void *pages_on_node(const struct ntpool_request *req, size_t pages,
			   gfp_t gfp)
{
	unsigned int order = get_order(pages << PAGE_SHIFT);
	struct page *page;
	size_t i;

	if (order > NTPOOL_MAX_PAGE_ORDER)
		return NULL;
	page = alloc_pages_node(req->node,
				gfp | (req->node_strict ? __GFP_THISNODE : 0), order);
	if (!page && !req->node_strict)
		page = alloc_pages(gfp, order);
	if (!page)
		return NULL;
	/* As alloc_pages_exact(): keep what is needed, free the rest. */
	split_page(page, order);
	for (i = pages; i < 1UL << order; i++)
		__free_page(page + i);
	return page_address(page);
}

static void *big_memory_alloc(const struct ntpool_pool *pool, size_t pages,
			      gfp_t gfp)
{
	/* Refuse what cannot be had before the allocator tries too hard. */
	if (pages > totalram_pages())
		return NULL;
	if (pool->exec)
		return ntpool_exec_map(pages, gfp);
	if (pool->kind == NTPOOL_PAGED)
		return ntpool_vmalloc_carved(pages << PAGE_SHIFT, gfp);
	if (get_order(pages << PAGE_SHIFT) > NTPOOL_MAX_PAGE_ORDER)
		return NULL;
	return alloc_pages_exact(pages << PAGE_SHIFT, gfp);
}

/*
 * Special-pool pages of non-paged requests are vmalloc memory that may be
 * freed where vfree() must not sleep: those wait for a work item, linked
 * through their entries.  The page stays mapped until then, and its client
 * may still write it (a use after free), so nothing of ntpool's is kept
 * there.
 */
static LLIST_HEAD(deferred_pages);

static void free_deferred_pages(struct work_struct *work)
{
	struct ntpool_big *big, *next;

	llist_for_each_entry_safe(big, next, llist_del_all(&deferred_pages),
				  deferred) {
		vfree(big->va);
		kfree_rcu(big, rcu);
	}
	vm_unmap_aliases();
}

static DECLARE_WORK(deferred_work, free_deferred_pages);

/**
 * ntpool_big_flush() - free the pages waiting for the work item
 */
void ntpool_big_flush(void)
{
	flush_work(&deferred_work);
}

/* The pages, then the entry; either may wait for the work item. */
static void big_memory_free(struct ntpool_big *big, size_t pages)
{
	if (big->exec) {
		ntpool_exec_big_release(big);
		return;
	}
	if (big->special && !ntpool_can_sleep()) {
		if (llist_add(&big->deferred, &deferred_pages))
			schedule_work(&deferred_work);
		return;
	}
	if (big->special) {
		vfree(big->va);
		/*
		 * vfree() unmaps at once but flushes TLBs lazily: flush now,
		 * so that a use after free faults even on this CPU.
		 */
		vm_unmap_aliases();
	} else if (big->kind == NTPOOL_PAGED) {
		vfree(big->va);
	} else {
		free_pages_exact(big->va, pages << PAGE_SHIFT);
	}
	kfree_rcu(big, rcu);
}

/* What an entry says of the request its block serves. */
static void give(struct ntpool_big *big, size_t size, u32 tag, u8 client,
		 u16 site_id, unsigned long ip)
{
	big->size = size;
	big->tag = tag;
	big->client = client;
	big->site_id = site_id;
	big->caller = ip;
	big->mark = ntpool_mark();
}

static void give_to(struct ntpool_big *big, const struct ntpool_request *req)
{
	give(big, req->size, req->tag, req->client, req->site_id, req->caller.ip);
}

/*
 * May a freed block of this pool be kept, or a kept one serve @req?  The
 * executable pool's are kept too: they serve callers that may not sleep.
 */
static bool keeps_big(const struct ntpool_pool *pool)
{
	return pool == &ntpool_pools[pool->kind] || pool == ntpool_exec_pool();
}

/**
 * ntpool_big_take_kept() - a kept block of a global pool, for a request
 * @pool: the pool
 * @size: bytes requested, above NTPOOL_MAX_SMALL
 * @tag: the tag
 * @client: the requesting module's id
 * @site_id: the call site's id
 * @ip: the call site
 *
 * The entry is rewritten under the pool lock, which every reader of a big
 * entry but the allocating caller holds.
 *
 * Return: the entry of a kept block of as many pages, now the request's,
 * or NULL if there is none.
 */
struct ntpool_big *ntpool_big_take_kept(struct ntpool_pool *pool, size_t size,
					u32 tag, u8 client, u16 site_id,
					unsigned long ip)
{
	size_t pages = ntpool_size_pages(size);
	struct ntpool_big *big, *found = NULL;
	unsigned long flags;

	if (!keeps_big(pool) || !READ_ONCE(pool->kept_big_pages))
		return NULL;
	spin_lock_irqsave(&pool->lock, flags);
	list_for_each_entry(big, &pool->kept_big, kept) {
		if (ntpool_big_pages(big) != pages)
			continue;
		list_del(&big->kept);
		WRITE_ONCE(pool->kept_big_pages, pool->kept_big_pages - pages);
		give(big, size, tag, client, site_id, ip);
		big->freed = false;
		found = big;
		break;
	}
	spin_unlock_irqrestore(&pool->lock, flags);
	return found;
}

/* The entry of a kept block for @req, or NULL. */
static struct ntpool_big *reuse_kept(struct ntpool_pool *pool,
				     const struct ntpool_request *req)
{
	if (req->numa || req->memcg)
		return NULL;
	return ntpool_big_take_kept(pool, req->size, req->tag, req->client,
				    req->site_id, req->caller.ip);
}

/**
 * ntpool_big_alloc() - allocate a block of whole pages
 * @pool: pool to allocate from
 * @req: the request
 *
 * Return: the entry of the page-aligned block (->va), or NULL.
 */
struct ntpool_big *ntpool_big_alloc(struct ntpool_pool *pool,
				    const struct ntpool_request *req)
{
	size_t pages = ntpool_size_pages(req->size);
	struct ntpool_big *big = reuse_kept(pool, req);
	struct mem_cgroup *old = NULL;
	gfp_t gfp, memory_gfp;

	if (big)
		return big;
	gfp = ntpool_gfp(req);
	big = kmalloc(sizeof(*big), gfp & ~__GFP_ZERO);
	if (!big)
		return NULL;
	ntpool_leak_no_scan(big);
	*big = (struct ntpool_big) {
		.kind = pool->kind,
		.exec = pool->exec,
		.reusable = !req->numa && !req->memcg,
	};
	give_to(big, req);
	memory_gfp = gfp | (req->zero ? __GFP_ZERO : 0);
	/* Charged to the request's cgroup, whichever the task is in by now. */
	if (req->memcg) {
		old = set_active_memcg(req->memcg);
		memory_gfp |= __GFP_ACCOUNT;
	}
	if (req->numa)
		big->va = pages > totalram_pages() ? NULL :
			  pages_on_node(req, pages, memory_gfp);
	else
		big->va = big_memory_alloc(pool, pages, memory_gfp);
	if (req->memcg)
		set_active_memcg(old);
	if (!big->va)
		goto free_entry;
	big->block = big->va;
	if (ntpool_xa_insert(&pool->pages, ntpool_page_key(big->va),
			     xa_tag_pointer(big, NTPOOL_XA_BIG), gfp))
		goto free_memory;
	atomic_long_add(pages, &pool->nr_big_pages);
	return big;

free_memory:
	big_memory_free(big, pages);
	return NULL;
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
					ntpool_page_key(va)));
}

/**
 * ntpool_big_release() - give a big block's pages back and drop its entry
 * @pool: its pool, not locked
 * @big: the entry, already removed from the big-pool table
 *
 * The entry is freed after an RCU grace period: whoever found it in the
 * table under rcu_read_lock() may still read it.
 */
void ntpool_big_release(struct ntpool_pool *pool, struct ntpool_big *big)
{
	size_t pages = ntpool_big_pages(big);

	atomic_long_sub(pages, &pool->nr_big_pages);
	big_memory_free(big, pages);
}

/**
 * ntpool_big_retire() - keep a freed big block for reuse, or release it
 * @pool: its pool, not locked
 * @big: the entry, marked freed, still in the table; the free that marked
 *	it has done with it
 */
void ntpool_big_retire(struct ntpool_pool *pool, struct ntpool_big *big)
{
	size_t pages = ntpool_big_pages(big);
	unsigned long flags;
	bool keep;

	spin_lock_irqsave(&pool->lock, flags);
	keep = keeps_big(pool) && big->reusable &&
	       pages <= BIG_KEEP_BLOCK_PAGES &&
	       pool->kept_big_pages + pages <= BIG_KEEP_PAGES;
	if (keep) {
		list_add(&big->kept, &pool->kept_big);
		WRITE_ONCE(pool->kept_big_pages, pool->kept_big_pages + pages);
	} else {
		ntpool_xa_forget_locked(pool, big->va);
	}
	spin_unlock_irqrestore(&pool->lock, flags);
	if (!keep)
		ntpool_big_release(pool, big);
}

/**
 * ntpool_big_kept_count() - big blocks kept for reuse, in all pools
 *
 * Return: the count of pages; it may be stale by the time it is read.
 */
unsigned long ntpool_big_kept_count(void)
{
	unsigned long n = 0;
	unsigned int i;

	for (i = 0; i < NTPOOL_NR_POOLS; i++)
		n += READ_ONCE(ntpool_pools[i].kept_big_pages);
	return n;
}

/**
 * ntpool_big_drain() - give every kept big block back to the system
 *
 * May sleep (vfree()).
 *
 * Return: the number of pages given back.
 */
unsigned long ntpool_big_drain(void)
{
	unsigned long flags, pages = 0;
	struct ntpool_big *big, *next;
	unsigned int i;

	for (i = 0; i < NTPOOL_NR_POOLS; i++) {
		struct ntpool_pool *pool = &ntpool_pools[i];
		LIST_HEAD(gone);

		spin_lock_irqsave(&pool->lock, flags);
		list_splice_init(&pool->kept_big, &gone);
		list_for_each_entry(big, &gone, kept)
			ntpool_xa_forget_locked(pool, big->va);
		pages += pool->kept_big_pages;
		WRITE_ONCE(pool->kept_big_pages, 0);
		spin_unlock_irqrestore(&pool->lock, flags);
		list_for_each_entry_safe(big, next, &gone, kept)
			ntpool_big_release(pool, big);
	}
	return pages;
}
