// SPDX-License-Identifier: GPL-2.0
/*
 * The executable non-paged pool: what POOL_FLAG_NON_PAGED_EXECUTE,
 * NonPagedPoolExecute, and NonPagedPool with nx_optin=N ask for.
 *
 * The direct map is never executable, and set_memory_x() is not exported
 * to modules, so an executable pool page is a page from alloc_page() seen
 * through a vmap() alias whose PTEs are made executable (readable, writable
 * and executable, as NT's executable pool is: see make_executable()); its
 * direct-map address stays non-executable and is never handed out.  The
 * pool is a pool of its own (pool.h): small blocks are carved from its
 * pages as from any other's, big blocks are whole pages mapped at once,
 * and no block of another pool is ever on one of its pages.  Blocks are
 * accounted as non-paged.
 *
 * vmap() and vunmap() may sleep: pages are mapped only where the caller may
 * sleep, and the pool's empty-page cache is its reserve for callers that
 * may not, topped up by a work item (NTPOOL_EXEC_RESERVE pages, from the
 * pool's first small request on: until a module asks for executable memory,
 * no executable page exists).  A request from atomic context that finds no
 * page there fails as out of memory, counted as any failure is.  Pages are
 * unmapped where sleeping is allowed, after an RCU grace period for
 * lockless frees still looking at a small page (pool.h), with the TLB
 * flushed before the page goes back.
 *
 * Its addresses are in the vmalloc area, where ntpool_pool_of() names the
 * paged pool: a pointer that the paged pool does not hold is looked up in
 * this pool's xarray (ntpool_exec_owns()), on the general path and in the
 * big-block free, so the per-CPU fast path costs nothing more.
 */
#define pr_fmt(fmt) "ntpool: " fmt

#include <linux/llist.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>
#include <asm/pgtable.h>
#include "core/pool.h"

/*
 * Legacy NonPagedPool (and its cache-aligned and session variants) is
 * non-executable, as for a driver built with POOL_NX_OPTIN; N makes it
 * executable, as for one built without.
 */
bool ntpool_nx_optin = true;
module_param_named(nx_optin, ntpool_nx_optin, bool, 0644);
MODULE_PARM_DESC(nx_optin,
		 "Legacy NonPagedPool is no-execute (Y, default) or executable (N)");

#if defined(CONFIG_X86) && !defined(CONFIG_UML)
/*
 * vmap() maps NX whatever it is asked (it applies pgprot_nx()), and no
 * exported routine makes kernel memory executable (set_memory_x() is not
 * exported, nor init_mm for apply_to_existing_page_range()): the NX bit of
 * each PTE of the new mapping is cleared here, found by lookup_address(),
 * before anyone can use it.  No TLB flush: x86 takes a fault on a kernel
 * page whose permissions were raised since it was cached as spurious, and
 * retries (spurious_kernel_fault()).
 */
static bool make_executable(void *va, size_t pages)
{
	unsigned int level;
	size_t i;
	pte_t *pte;

	for (i = 0; i < pages; i++) {
		pte = lookup_address((unsigned long)va + i * PAGE_SIZE, &level);
		if (!pte || level != PG_LEVEL_4K || !pte_present(*pte))
			return false;
		set_pte(pte, pte_mkexec(*pte));
	}
	return true;
}
#else
/* Elsewhere the pages stay NX (Documentation/differences.rst). */
static bool make_executable(void *va, size_t pages)
{
	return true;
}
#endif

/**
 * ntpool_exec_map() - pages mapped executable
 * @pages: how many
 * @gfp: flags for the pages; must allow sleeping (vmap() may)
 *
 * Return: the executable address of the first page, or NULL.
 */
void *ntpool_exec_map(size_t pages, gfp_t gfp)
{
	struct page **array;
	void *va = NULL;
	size_t i = 0;

	if (!gfpflags_allow_blocking(gfp) || pages > totalram_pages())
		return NULL;
	array = kmalloc_array(pages, sizeof(*array),
			      gfp & ~(__GFP_ZERO | __GFP_ACCOUNT));
	if (!array)
		return NULL;
	for (i = 0; i < pages; i++) {
		array[i] = alloc_page(gfp);
		if (!array[i])
			goto free_pages;
	}
	va = vmap(array, pages, VM_MAP, PAGE_KERNEL_EXEC);
	if (va && make_executable(va, pages))
		goto out;
	if (va) {
		/* Some PTEs may be executable already: flush before reuse. */
		vunmap(va);
		vm_unmap_aliases();
	}
	va = NULL;
free_pages:
	while (i--)
		__free_page(array[i]);
out:
	kfree(array);
	return va;
}

/**
 * ntpool_exec_unmap() - unmap pages from ntpool_exec_map() and free them
 * @va: their executable address
 * @pages: how many
 *
 * May sleep.  The TLB is flushed before the pages go back, so that no CPU
 * can still execute them through this mapping once they are reused.
 */
void ntpool_exec_unmap(void *va, size_t pages)
{
	struct page *page, *next;
	LIST_HEAD(gone);
	size_t i;

	might_sleep();
	/* The pages are ntpool's alone: their LRU link is free to use. */
	for (i = 0; i < pages; i++)
		list_add(&vmalloc_to_page(va + i * PAGE_SIZE)->lru, &gone);
	vunmap(va);
	vm_unmap_aliases();
	list_for_each_entry_safe(page, next, &gone, lru) {
		list_del(&page->lru);
		__free_page(page);
	}
}

static LLIST_HEAD(deferred_pages);
static LLIST_HEAD(deferred_big);

static void unmap_deferred(struct work_struct *work)
{
	struct llist_node *pages = llist_del_all(&deferred_pages);
	struct llist_node *bigs = llist_del_all(&deferred_big);
	struct ntpool_page *pg, *next_pg;
	struct ntpool_big *big, *next_big;
	struct ntpool_pool *pool = ntpool_exec_pool();

	/* Lockless frees may still be looking at the pages (pool.h). */
	synchronize_rcu();
	llist_for_each_entry_safe(pg, next_pg, pages, deferred)
		ntpool_page_free_now(pool, pg);
	llist_for_each_entry_safe(big, next_big, bigs, deferred) {
		ntpool_exec_unmap(big->va, ntpool_big_pages(big));
		kfree(big);
	}
}

static DECLARE_WORK(unmap_work, unmap_deferred);

/**
 * ntpool_exec_page_release() - give an executable pool page back
 * @pg: the page, out of the xarray and every list
 *
 * From any context: the page is unmapped by a work item.
 */
void ntpool_exec_page_release(struct ntpool_page *pg)
{
	if (llist_add(&pg->deferred, &deferred_pages))
		schedule_work(&unmap_work);
}

/**
 * ntpool_exec_big_release() - give an executable big block's pages back
 * @big: its entry, out of the big-pool table; freed here too
 *
 * From any context: where sleeping is not allowed, a work item does it.
 */
void ntpool_exec_big_release(struct ntpool_big *big)
{
	/* Without PREEMPT_COUNT a held spinlock cannot be seen: defer. */
	if (!IS_ENABLED(CONFIG_PREEMPT_COUNT) || !ntpool_can_sleep()) {
		if (llist_add(&big->deferred, &deferred_big))
			schedule_work(&unmap_work);
		return;
	}
	ntpool_exec_unmap(big->va, ntpool_big_pages(big));
	kfree_rcu(big, rcu);
}

static void refill(struct work_struct *work)
{
	ntpool_page_reserve(ntpool_exec_pool(), NTPOOL_EXEC_RESERVE,
			    GFP_KERNEL | __GFP_NOWARN);
}

static DECLARE_WORK(refill_work, refill);
static bool exec_running;

/**
 * ntpool_exec_reserve_check() - top the reserve up if it runs low
 * @pool: the executable pool
 *
 * From any context.
 */
void ntpool_exec_reserve_check(struct ntpool_pool *pool)
{
	if (READ_ONCE(pool->nr_empty) < NTPOOL_EXEC_RESERVE &&
	    READ_ONCE(exec_running))
		schedule_work(&refill_work);
}

/**
 * ntpool_exec_owns() - is a pointer ntpool_pool_of() gave to @pool the
 *	executable pool's?
 * @pool: from ntpool_pool_of()
 * @addr: the pointer; never read
 *
 * Return: true if @pool is the paged pool and the executable pool holds
 * the page @addr is in.
 */
bool ntpool_exec_owns(const struct ntpool_pool *pool, const void *addr)
{
	struct ntpool_pool *exec = ntpool_exec_pool();

	if (pool != &ntpool_pools[NTPOOL_PAGED] ||
	    (!atomic_long_read(&exec->nr_small_pages) &&
	     !atomic_long_read(&exec->nr_big_pages)))
		return false;
	return xa_load(&exec->pages, ntpool_page_key(addr));
}

/**
 * ntpool_exec_flush() - wait for the pool's work items: the reserve's
 *	refill, and the unmapping of every page waiting for it
 */
void ntpool_exec_flush(void)
{
	flush_work(&refill_work);
	flush_work(&unmap_work);
}

/**
 * ntpool_exec_init() - set the executable pool up, empty
 *
 * Its reserve is mapped on its first small request: loading ntpool maps no
 * writable and executable page.
 */
void ntpool_exec_init(void)
{
	ntpool_pool_init(ntpool_exec_pool(), NTPOOL_NONPAGED, true);
	WRITE_ONCE(exec_running, true);
}

/**
 * ntpool_exec_exit() - stop mapping pages ahead, destroy the pool, and
 *	unmap every page before ntpool's code goes
 *
 * Destroying the pool may hand big blocks to the work item (always, on a
 * kernel without PREEMPT_COUNT): it is flushed again after.
 */
void ntpool_exec_exit(void)
{
	WRITE_ONCE(exec_running, false);
	cancel_work_sync(&refill_work);
	ntpool_exec_flush();
	ntpool_pool_destroy(ntpool_exec_pool());
	ntpool_exec_flush();
}
