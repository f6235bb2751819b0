// SPDX-License-Identifier: GPL-2.0
/*
 * Where pool memory comes from: vmalloc for paged pool, alloc_pages (the
 * direct map) for non-paged pool, pages mapped executable in the vmalloc
 * area for the executable pool (exec.c), and an xarray per pool that
 * records every page ntpool owns, so that a pointer can be checked without
 * touching memory ntpool does not own.  Pages of quota blocks are charged
 * to the cgroup that pays for them (__GFP_ACCOUNT); ntpool's records of
 * them are not.
 */
#define pr_fmt(fmt) "ntpool: " fmt

#include <linux/hardirq.h>
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/preempt.h>
#include <linux/rcupdate.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include "base/gfp.h"
#include "base/leak.h"
#include "core/pool.h"

struct ntpool_pool ntpool_pools[NTPOOL_NR_POOLS];
u32 ntpool_mark_now;

/**
 * ntpool_page_key() - xarray index of the page holding @addr
 * @addr: any address in the page, in the vmalloc area or the direct map
 *
 * Direct-map pages are keyed by page frame number and vmalloc pages by
 * their offset into the vmalloc area, which keeps the xarray shallow.  A
 * pool holds pages of one kind of address only, so keys never collide.
 *
 * Return: the index.
 */
unsigned long ntpool_page_key(const void *addr)
{
	unsigned long a = (unsigned long)addr;

	if (a >= VMALLOC_START && a < VMALLOC_END)
		return (a - VMALLOC_START) >> PAGE_SHIFT;
	return PHYS_PFN(__pa(addr));
}

/**
 * ntpool_xa_insert() - record a page of the pool
 * @xa: the pool's page xarray
 * @key: from ntpool_page_key()
 * @entry: tagged pointer to store
 * @gfp: how to allocate xarray nodes
 *
 * Interrupts may be off for non-paged callers, so the blocking variant is
 * only used when @gfp allows blocking (and interrupts are therefore on).
 *
 * Return: 0 or a negative errno.
 */
int ntpool_xa_insert(struct xarray *xa, unsigned long key, void *entry,
		     gfp_t gfp)
{
	unsigned long flags;
	int err;

	if (gfpflags_allow_blocking(gfp))
		return xa_insert_irq(xa, key, entry, gfp);
	xa_lock_irqsave(xa, flags);
	err = __xa_insert(xa, key, entry, gfp);
	xa_unlock_irqrestore(xa, flags);
	return err;
}

/*
 * A page's memory, charged to @memcg if not NULL: to that cgroup, not to
 * whichever the calling task is in by then.  The page records its charge,
 * which is dropped when it is freed, in any context.
 */
static void *page_memory_alloc(const struct ntpool_pool *pool, gfp_t gfp,
			       struct mem_cgroup *memcg)
{
	struct mem_cgroup *old = NULL;
	struct page *page;
	void *base;

	if (memcg) {
		old = set_active_memcg(memcg);
		gfp |= __GFP_ACCOUNT;
	}
	if (pool->exec) {
		base = ntpool_exec_map(1, gfp);
	} else if (pool->kind == NTPOOL_PAGED) {
		base = ntpool_vmalloc_carved(PAGE_SIZE, gfp);
	} else {
		page = alloc_page(gfp);
		base = page ? page_address(page) : NULL;
	}
	if (memcg)
		set_active_memcg(old);
	return base;
}

/* Where sleeping is allowed for an executable pool page (exec.c). */
static void page_memory_free(const struct ntpool_pool *pool, void *base)
{
	if (pool->exec)
		ntpool_exec_unmap(base, 1);
	else if (pool->kind == NTPOOL_PAGED)
		vfree(base);
	else
		free_page((unsigned long)base);
}

static struct ntpool_page *page_cache_take(struct ntpool_pool *pool)
{
	struct ntpool_page *pg = NULL;
	unsigned long flags;

	spin_lock_irqsave(&pool->lock, flags);
	if (pool->nr_empty) {
		pg = list_first_entry(&pool->empty_pages, struct ntpool_page,
				      link);
		list_del_init(&pg->link);
		WRITE_ONCE(pool->nr_empty, pool->nr_empty - 1);
	}
	spin_unlock_irqrestore(&pool->lock, flags);
	return pg;
}

/**
 * ntpool_page_new() - a new page for small blocks, from the system
 * @pool: the pool that needs it
 * @gfp: from ntpool_gfp()
 * @memcg: the memory cgroup its memory is charged to, or NULL
 *
 * The page is recorded in the pool's xarray with an empty block-start
 * bitmap, in no bucket.  The caller formats it under the pool lock.  The
 * executable pool maps new pages only where the caller may sleep (exec.c).
 *
 * Return: the page or NULL.
 */
struct ntpool_page *ntpool_page_new(struct ntpool_pool *pool, gfp_t gfp,
				    struct mem_cgroup *memcg)
{
	struct ntpool_page *pg;

	pg = kzalloc(sizeof(*pg), gfp);
	if (!pg)
		return NULL;
	pg->base = page_memory_alloc(pool, gfp & ~__GFP_ZERO, memcg);
	if (!pg->base)
		goto free_pg;
	INIT_LIST_HEAD(&pg->link);
	if (ntpool_xa_insert(&pool->pages, ntpool_page_key(pg->base),
			     xa_tag_pointer(pg, NTPOOL_XA_SMALL), gfp))
		goto free_memory;
	atomic_long_inc(&pool->nr_small_pages);
	return pg;

free_memory:
	page_memory_free(pool, pg->base);
free_pg:
	kfree(pg);
	return NULL;
}

/**
 * ntpool_page_reserve() - fill a pool's empty-page cache up to @target
 * @pool: the pool, not locked
 * @target: pages wanted in the cache
 * @gfp: how to get them
 *
 * Return: the number of pages added.
 */
unsigned int ntpool_page_reserve(struct ntpool_pool *pool, unsigned int target,
				 gfp_t gfp)
{
	unsigned int added = 0;
	struct ntpool_page *pg;
	unsigned long flags;
	bool kept;

	while (READ_ONCE(pool->nr_empty) < target) {
		pg = ntpool_page_new(pool, gfp, NULL);
		if (!pg)
			break;
		spin_lock_irqsave(&pool->lock, flags);
		kept = ntpool_page_cache_put(pool, pg);
		if (!kept)
			ntpool_xa_forget_locked(pool, pg->base);
		spin_unlock_irqrestore(&pool->lock, flags);
		if (!kept) {
			ntpool_page_release(pool, pg);
			break;
		}
		added++;
	}
	return added;
}

/**
 * ntpool_page_get() - a wholly free page for uncharged small blocks
 * @pool: the pool that needs it
 * @gfp: from ntpool_gfp()
 *
 * Takes a page from the empty-page cache, or a new one from the system
 * (ntpool_page_new()).  The executable pool's cache is its reserve for
 * callers that may not sleep, topped up by a work item (exec.c).
 *
 * Return: the page or NULL.
 */
struct ntpool_page *ntpool_page_get(struct ntpool_pool *pool, gfp_t gfp)
{
	struct ntpool_page *pg = page_cache_take(pool);

	if (pool->exec)
		ntpool_exec_reserve_check(pool);
	return pg ?: ntpool_page_new(pool, gfp, NULL);
}

/**
 * ntpool_page_cache_put() - keep a wholly free page for reuse, if there is
 *	room
 * @pool: its pool, locked
 * @pg: the page; its block-start bitmap is cleared here
 *
 * Return: true if cached; false if the caller must release it.
 */
bool ntpool_page_cache_put(struct ntpool_pool *pool, struct ntpool_page *pg)
{
	lockdep_assert_held(&pool->lock);
	bitmap_zero(pg->block_starts, NTPOOL_PAGE_UNITS);
	bitmap_zero(pg->free_starts, NTPOOL_PAGE_UNITS);
	if (pool->nr_empty >= (pool->exec ? NTPOOL_EXEC_RESERVE :
					    NTPOOL_EMPTY_PAGE_CACHE))
		return false;
	list_add(&pg->link, &pool->empty_pages);
	WRITE_ONCE(pool->nr_empty, pool->nr_empty + 1);
	return true;
}

/**
 * ntpool_empty_pages_count() - wholly free pages kept for reuse, all pools
 *
 * Return: the count; it may be stale by the time it is read.
 */
unsigned long ntpool_empty_pages_count(void)
{
	unsigned long n = 0;
	unsigned int i;

	for (i = 0; i < NTPOOL_NR_POOLS; i++)
		n += READ_ONCE(ntpool_pools[i].nr_empty);
	return n;
}

/**
 * ntpool_empty_pages_drain() - give the wholly free pages kept for reuse
 *	back to the system (the shrinker)
 *
 * Return: the number of pages given back.
 */
unsigned long ntpool_empty_pages_drain(void)
{
	unsigned long drained = 0, flags;
	struct ntpool_page *pg;
	unsigned int i;

	for (i = 0; i < NTPOOL_NR_POOLS; i++) {
		struct ntpool_pool *pool = &ntpool_pools[i];

		/*
		 * A page at a time: dropping one from the xarray clears it
		 * from every CPU's recent pages, with interrupts off.
		 */
		do {
			spin_lock_irqsave(&pool->lock, flags);
			pg = list_first_entry_or_null(&pool->empty_pages,
						      struct ntpool_page, link);
			if (pg) {
				list_del_init(&pg->link);
				WRITE_ONCE(pool->nr_empty, pool->nr_empty - 1);
				ntpool_xa_forget_locked(pool, pg->base);
			}
			spin_unlock_irqrestore(&pool->lock, flags);
			if (pg) {
				ntpool_page_release(pool, pg);
				drained++;
			}
		} while (pg);
	}
	return drained;
}

/*
 * The recent pages: a few pages per CPU, looked at before the xarray.
 * They are written under the pool lock, or by a CPU that holds a block of
 * the page (ntpool_page_recent_held()), which keeps the page in the
 * xarray; a page leaves them, on every CPU, under the pool lock, as it
 * leaves the xarray, before it is freed after a grace period.  A lockless
 * reader that found a page here therefore found it before it was dropped,
 * and its RCU read section is one the grace period waits for.
 */

/**
 * ntpool_page_recent_locked() - note a page this CPU carves blocks from
 * @pool: its pool, locked
 * @pg: a page in its xarray
 */
void ntpool_page_recent_locked(struct ntpool_pool *pool, struct ntpool_page *pg)
{
	lockdep_assert_held(&pool->lock);
	if (pool->recent)
		this_cpu_write(pool->recent->page[ntpool_recent_slot(pg->base)], pg);
}

/**
 * ntpool_page_carving_locked() - note the page this CPU carves blocks from
 * @pool: its pool, locked
 * @pg: a page of the pool's buckets (not a quota set's) in its xarray
 *
 * Other CPUs leave that page alone while another page fits their requests
 * (ntpool_page_carved_elsewhere()), as SLUB gives each CPU a slab of its
 * own: two CPUs that carve from one page put their blocks side by side,
 * and each pair then writes a line the other CPU writes too (the blocks'
 * allocated bytes in the page's record, their headers and data).
 */
void ntpool_page_carving_locked(struct ntpool_pool *pool, struct ntpool_page *pg)
{
	unsigned int me = smp_processor_id() + 1;
	struct ntpool_page *old;

	lockdep_assert_held(&pool->lock);
	if (!pool->recent)
		return;
	old = this_cpu_read(pool->recent->carving);
	/* Another CPU may carve from it since: it is that CPU's now. */
	if (old && old != pg && old->carver == me)
		old->carver = 0;
	pg->carver = me;
	this_cpu_write(pool->recent->carving, pg);
}

/**
 * ntpool_page_carved_elsewhere() - does another CPU carve from @pg now?
 * @pg: a page of a pool, whose lock is held
 *
 * Return: true if an online CPU other than this one does.
 */
bool ntpool_page_carved_elsewhere(const struct ntpool_page *pg)
{
	unsigned int carver = pg->carver;

	return carver && carver - 1 != smp_processor_id() &&
	       cpu_online(carver - 1);
}

static void forget_recent_locked(struct ntpool_pool *pool,
				 struct ntpool_page *pg)
{
	unsigned int slot = ntpool_recent_slot(pg->base);
	int cpu;

	if (!pool->recent)
		return;
	for_each_possible_cpu(cpu) {
		struct ntpool_recent *r = per_cpu_ptr(pool->recent, cpu);
		struct ntpool_page **at = &r->page[slot];

		if (READ_ONCE(*at) == pg)
			WRITE_ONCE(*at, NULL);
		/* Only ever read under the pool lock, held here. */
		if (r->carving == pg)
			r->carving = NULL;
	}
}

/**
 * ntpool_xa_forget_locked() - drop a page from the pool's xarray
 * @pool: its pool, locked
 * @addr: the page (or big block)
 *
 * Done under the pool lock, so that whoever holds the lock and finds a
 * page in the xarray knows it stays alive until the lock is dropped.
 */
void ntpool_xa_forget_locked(struct ntpool_pool *pool, const void *addr)
{
	void *entry;

	lockdep_assert_held(&pool->lock);
	xa_lock(&pool->pages);
	entry = __xa_erase(&pool->pages, ntpool_page_key(addr));
	xa_unlock(&pool->pages);
	if (entry && xa_pointer_tag(entry) == NTPOOL_XA_SMALL)
		forget_recent_locked(pool, xa_untag_pointer(entry));
}

static void page_free_rcu(struct rcu_head *head)
{
	struct ntpool_page *pg = container_of(head, struct ntpool_page, rcu);

	/* vfree() from here (softirq) hands the work to a worker. */
	if (is_vmalloc_addr(pg->base))
		vfree(pg->base);
	else
		free_page((unsigned long)pg->base);
	kfree(pg);
}

/**
 * ntpool_page_release() - give a wholly free page back to the system
 * @pool: its pool, locked or not
 * @pg: the page, already dropped from the xarray and from every list
 *
 * Lockless frees may still be looking at the page (pool.h): it goes once
 * they are done.
 */
void ntpool_page_release(struct ntpool_pool *pool, struct ntpool_page *pg)
{
	atomic_long_dec(&pool->nr_small_pages);
	if (pool->exec)
		ntpool_exec_page_release(pg);
	else
		call_rcu(&pg->rcu, page_free_rcu);
}

/**
 * ntpool_page_free_now() - give a page back at once, where sleeping is
 *	allowed and no lockless reader can see it any more
 * @pool: its pool
 * @pg: the page, out of the xarray
 */
void ntpool_page_free_now(struct ntpool_pool *pool, struct ntpool_page *pg)
{
	page_memory_free(pool, pg->base);
	kfree(pg);
}

/**
 * __ntpool_page_lookup() - ntpool_page_lookup() past the recent pages
 * @pool: the pool whose kind of memory @addr is
 * @addr: any address
 *
 * Return: the page, or NULL when @addr is not in one of the pool's pages
 * of small blocks.
 */
struct ntpool_page *__ntpool_page_lookup(struct ntpool_pool *pool,
					 const void *addr)
{
	void *entry = xa_load(&pool->pages, ntpool_page_key(addr));

	if (!entry || xa_pointer_tag(entry) != NTPOOL_XA_SMALL)
		return NULL;
	return xa_untag_pointer(entry);
}

/**
 * ntpool_pool_init() - set up an empty pool
 * @pool: the pool
 * @kind: NTPOOL_NONPAGED or NTPOOL_PAGED
 * @exec: the executable non-paged pool (exec.c)
 */
void ntpool_pool_init(struct ntpool_pool *pool, enum ntpool_kind kind,
		      bool exec)
{
	spin_lock_init(&pool->lock);
	pool->kind = kind;
	pool->exec = exec;
	pool->name = exec ? "NonpagedExec" :
		     kind == NTPOOL_PAGED ? "Paged" : "Nonpaged";
	xa_init_flags(&pool->pages, XA_FLAGS_LOCK_IRQ);
	ntpool_buckets_init(&pool->free);
	hash_init(pool->quota_sets);
	INIT_LIST_HEAD(&pool->empty_pages);
	pool->nr_empty = 0;
	atomic_long_set(&pool->nr_small_pages, 0);
	atomic_long_set(&pool->nr_big_pages, 0);
	atomic_long_set(&pool->nr_quarantined, 0);
	/* Without it every lookup goes to the xarray. */
	pool->recent = alloc_percpu(struct ntpool_recent);
	INIT_LIST_HEAD(&pool->kept_big);
	pool->kept_big_pages = 0;
}

/* Blocks still allocated when ntpool goes: kmemleak must forget them. */
static void page_leak_untrack(struct ntpool_page *pg)
{
	unsigned int unit;

	if (!IS_ENABLED(CONFIG_DEBUG_KMEMLEAK))
		return;
	for_each_set_bit(unit, pg->block_starts, NTPOOL_PAGE_UNITS)
		if (ntpool_is_allocated(pg, unit))
			ntpool_leak_untrack(ntpool_hdr_at(pg, unit) + 1);
}

/**
 * ntpool_pool_destroy() - give every page of a pool back to the system
 * @pool: the pool; nobody may use it any more
 *
 * Called when ntpool unloads, which the module loader allows only once no
 * client imports its symbols.
 */
void ntpool_pool_destroy(struct ntpool_pool *pool)
{
	unsigned long key;
	void *entry;

	/* Pages released while ntpool ran must be gone before its code. */
	rcu_barrier();
	xa_for_each(&pool->pages, key, entry) {
		if (xa_pointer_tag(entry) == NTPOOL_XA_BIG) {
			struct ntpool_big *big = xa_untag_pointer(entry);

			/* A freed one kept for reuse is tracked no more. */
			if (!big->freed)
				ntpool_leak_untrack(big->block);
			ntpool_big_release(pool, big);
		} else {
			struct ntpool_page *pg = xa_untag_pointer(entry);

			page_leak_untrack(pg);
			ntpool_page_free_now(pool, pg);
		}
	}
	xa_destroy(&pool->pages);
	ntpool_quota_sets_destroy(pool);
	free_percpu(pool->recent);
	pool->recent = NULL;
	INIT_LIST_HEAD(&pool->kept_big);
	pool->kept_big_pages = 0;
	atomic_long_set(&pool->nr_small_pages, 0);
	pool->nr_empty = 0;
	INIT_LIST_HEAD(&pool->empty_pages);
}
