// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU caches of freed small blocks, as NT keeps per-processor lookaside
 * lists for its small block sizes: the fast path of allocation and free.
 *
 * A block of up to NTPOOL_PCP_UNITS units whose free passed every check
 * (lookup.c, block.c) goes onto this CPU's cache for its pool and size, if
 * there is room; an allocation that needs exactly that many units takes it
 * back.  Neither takes the pool lock.  A cached block stays a block of its
 * page, in transit (pool.h): not free, not allocated, so a second free of
 * it is a double free and its neighbours do not merge with it.  Its header
 * says free (NTPOOL_HDR_TYPE_CACHED) and is sealed as such.
 *
 * Blocks go back to their pages when the caches are drained: under memory
 * pressure (a shrinker), when a CPU goes offline and when ntpool unloads.
 * A cached block's header is checked when it is taken again or drained:
 * one modified while the block was free is reported (BAD_POOL_HEADER
 * 0x0D), and the block used anyway, since nothing is read from it.
 *
 * Only the global pools have caches.  A cache is changed only by its own
 * CPU with interrupts off (non-paged pool is used from interrupt
 * handlers), or by anyone once its CPU is dead; a drain of every CPU runs
 * a work item on each, and gives the blocks back with interrupts on.
 */
#define pr_fmt(fmt) "ntpool: " fmt

#include <linux/cpuhotplug.h>
#include <linux/irqflags.h>
#include <linux/percpu.h>
#include <linux/shrinker.h>
#include <linux/mutex.h>
#include <linux/smp.h>
#include <linux/workqueue.h>
#include "pcp.h"

/* A cached block: its page and where it starts. */
struct pcp_slot {
	struct ntpool_page *pg;
	unsigned int unit;
};

struct ntpool_pcp {
	unsigned int n[NTPOOL_KINDS][NTPOOL_PCP_UNITS + 1];
	struct pcp_slot slots[NTPOOL_KINDS][NTPOOL_PCP_UNITS + 1][NTPOOL_PCP_DEPTH];
};

/* Allocated at load: a module's static per-CPU area is small. */
static struct ntpool_pcp __percpu *pcp_caches;
static int pcp_hp_state;

static bool cached_pool(const struct ntpool_pool *pool)
{
	return pcp_caches && pool == &ntpool_pools[pool->kind];
}

/* Is a cached block's header as ntpool_pcp_put() left it? */
static bool cached_header_intact(const struct ntpool_header *hdr,
				 unsigned int units)
{
	return READ_ONCE(hdr->block_size) == units &&
	       (READ_ONCE(hdr->pool_type) & NTPOOL_HDR_TYPE_CACHED) &&
	       ntpool_hdr_sealed(hdr);
}

/**
 * ntpool_pcp_alloc() - a block from this CPU's cache
 * @pool: the pool
 * @req: the request
 *
 * Return: the block, allocated to @req, or NULL.
 */
void *ntpool_pcp_alloc(struct ntpool_pool *pool, const struct ntpool_request *req)
{
	unsigned int units = ntpool_units_for(req->size);
	struct pcp_slot slot = {};
	struct ntpool_header *hdr;
	struct ntpool_pcp *pcp;
	unsigned int *n;
	unsigned long flags;
	bool intact;
	u32 ulong1;

	if (units > NTPOOL_PCP_UNITS || req->cache_aligned || !cached_pool(pool))
		return NULL;
	local_irq_save(flags);
	pcp = this_cpu_ptr(pcp_caches);
	n = &pcp->n[pool->kind][units];
	if (*n)
		slot = pcp->slots[pool->kind][units][--*n];
	local_irq_restore(flags);
	if (!slot.pg)
		return NULL;
	hdr = ntpool_hdr_at(slot.pg, slot.unit);
	intact = cached_header_intact(hdr, units);
	ulong1 = READ_ONCE(hdr->ulong1);
	ntpool_hdr_write(hdr, units, req);
	/* Whoever wins the bit in a free reads the header: write it first. */
	smp_mb__before_atomic();
	set_bit(slot.unit, slot.pg->allocated);
	/* Nothing of the old header was used: the block is sound. */
	if (!intact)
		ntpool_bugcheck(BAD_POOL_HEADER, NTPOOL_19_FREED_MODIFIED,
				(unsigned long)hdr, 0, ulong1, &req->caller);
	return ntpool_hdr_to_block(hdr);
}

/**
 * ntpool_pcp_put() - keep a freed block on this CPU's cache
 * @blk: a small block the caller claimed and checked (in transit)
 *
 * Return: true if cached; false when the block is not of a cached size or
 * pool, or the cache is full: the caller gives it back to its page.
 */
bool ntpool_pcp_put(const struct ntpool_block *blk)
{
	struct ntpool_header *hdr = blk->hdr;
	struct ntpool_pcp *pcp;
	unsigned long flags;
	unsigned int *n;

	if (blk->units > NTPOOL_PCP_UNITS || !cached_pool(blk->pool))
		return false;
	local_irq_save(flags);
	pcp = this_cpu_ptr(pcp_caches);
	n = &pcp->n[blk->pool->kind][blk->units];
	if (*n == NTPOOL_PCP_DEPTH) {
		local_irq_restore(flags);
		return false;
	}
	hdr->pool_index = 0;
	hdr->pool_type |= NTPOOL_HDR_TYPE_CACHED;
	ntpool_hdr_seal(hdr);
	pcp->slots[blk->pool->kind][blk->units][(*n)++] = (struct pcp_slot) {
		.pg = blk->page, .unit = blk->unit,
	};
	local_irq_restore(flags);
	return true;
}

/* One cached block back to its page, its header checked on the way. */
static void drain_one(enum ntpool_kind kind, struct pcp_slot slot,
		      unsigned int units)
{
	struct ntpool_block blk = {
		.pool = &ntpool_pools[kind], .page = slot.pg, .unit = slot.unit,
		.units = units, .hdr = ntpool_hdr_at(slot.pg, slot.unit),
	};
	bool intact = cached_header_intact(blk.hdr, units);
	u32 ulong1 = READ_ONCE(blk.hdr->ulong1);
	unsigned long flags;

	spin_lock_irqsave(&blk.pool->lock, flags);
	if (intact)
		ntpool_check_previous_locked(&blk);
	ntpool_small_free_locked(blk.pool, slot.pg, slot.unit,
				 READ_ONCE(blk.hdr->pool_tag));
	spin_unlock_irqrestore(&blk.pool->lock, flags);
	if (!intact)
		ntpool_bugcheck(BAD_POOL_HEADER, NTPOOL_19_FREED_MODIFIED,
				(unsigned long)blk.hdr, 0, ulong1, NULL);
	else
		ntpool_block_report(&blk, NULL);
}

/*
 * Empty a CPU's cache, one row at a time: the row is taken off with
 * interrupts off, and its blocks go back to their pages, and are reported,
 * with interrupts on.  @dead is a CPU that is gone, or -1 for whichever
 * CPU the caller runs on at each row (a drain work item runs on the CPU it
 * empties, but moves if that CPU goes offline; that cache was emptied
 * then, and the one it lands on is as good to empty).
 */
static unsigned long drain_cache(int dead)
{
	struct pcp_slot row[NTPOOL_PCP_DEPTH];
	unsigned long drained = 0, flags;
	unsigned int kind, units, i, n;
	struct ntpool_pcp *pcp;

	for (kind = 0; kind < NTPOOL_KINDS; kind++)
		for (units = 2; units <= NTPOOL_PCP_UNITS; units++) {
			local_irq_save(flags);
			pcp = dead < 0 ? this_cpu_ptr(pcp_caches) :
					 per_cpu_ptr(pcp_caches, dead);
			n = pcp->n[kind][units];
			memcpy(row, pcp->slots[kind][units], n * sizeof(row[0]));
			pcp->n[kind][units] = 0;
			local_irq_restore(flags);
			for (i = 0; i < n; i++)
				drain_one(kind, row[i], units);
			drained += n;
		}
	return drained;
}

/* Drains run on the CPU they empty, in process context. */
struct pcp_drain {
	struct work_struct work;
	unsigned long drained;
};

static DEFINE_PER_CPU(struct pcp_drain, pcp_drains);
static struct workqueue_struct *pcp_wq;
static DEFINE_MUTEX(drain_lock);

static void drain_work(struct work_struct *work)
{
	struct pcp_drain *d = container_of(work, struct pcp_drain, work);

	d->drained = drain_cache(-1);
}

/**
 * ntpool_pcp_drain() - give every CPU's cached blocks back to their pages
 *
 * This CPU's cache is drained by the caller, with migration disabled, so
 * that its reports are the caller's; every other online CPU's by a work
 * item on that CPU (a WQ_MEM_RECLAIM queue, so memory pressure cannot hold
 * it up), waited for.  No CPU hotplug lock is taken: reclaim may run
 * inside a hotplug operation, and a CPU that goes meanwhile is drained by
 * pcp_cpu_dead().  May sleep.
 *
 * Return: the number of blocks drained.
 */
unsigned long ntpool_pcp_drain(void)
{
	unsigned long drained;
	unsigned int cpu, me;

	if (!pcp_caches)
		return 0;
	mutex_lock(&drain_lock);
	migrate_disable();
	me = smp_processor_id();
	for_each_online_cpu(cpu)
		if (cpu != me)
			queue_work_on(cpu, pcp_wq, &per_cpu(pcp_drains, cpu).work);
	drained = drain_cache(-1);
	migrate_enable();
	for_each_possible_cpu(cpu) {
		struct pcp_drain *d = per_cpu_ptr(&pcp_drains, cpu);

		flush_work(&d->work);
		drained += d->drained;
		d->drained = 0;
	}
	mutex_unlock(&drain_lock);
	return drained;
}

/**
 * ntpool_pcp_count() - blocks on the per-CPU caches now
 *
 * Return: the count; it may be stale by the time it is read.
 */
unsigned long ntpool_pcp_count(void)
{
	unsigned long count = 0;
	unsigned int cpu, kind, units;

	if (!pcp_caches)
		return 0;
	for_each_possible_cpu(cpu) {
		struct ntpool_pcp *pcp = per_cpu_ptr(pcp_caches, cpu);

		for (kind = 0; kind < NTPOOL_KINDS; kind++)
			for (units = 2; units <= NTPOOL_PCP_UNITS; units++)
				count += READ_ONCE(pcp->n[kind][units]);
	}
	return count;
}

static int pcp_cpu_dead(unsigned int cpu)
{
	drain_cache(cpu);
	return 0;
}

static unsigned long pcp_shrink_count(struct shrinker *s,
				      struct shrink_control *sc)
{
	return ntpool_pcp_count() ?: SHRINK_EMPTY;
}

static unsigned long pcp_shrink_scan(struct shrinker *s,
				     struct shrink_control *sc)
{
	return ntpool_pcp_drain();
}

static struct shrinker *pcp_shrinker;

/**
 * ntpool_pcp_init() - allocate the caches, and hook them to memory pressure
 *	and CPU hotplug
 *
 * Without the caches ntpool works, on the slow path.
 *
 * Return: 0 or a negative errno.
 */
int ntpool_pcp_init(void)
{
	unsigned int cpu;
	int err;

	pcp_caches = alloc_percpu(struct ntpool_pcp);
	if (!pcp_caches)
		return 0;
	pcp_wq = alloc_workqueue("ntpool_pcp", WQ_MEM_RECLAIM, 0);
	if (!pcp_wq) {
		err = -ENOMEM;
		goto free;
	}
	for_each_possible_cpu(cpu)
		INIT_WORK(&per_cpu(pcp_drains, cpu).work, drain_work);
	err = cpuhp_setup_state_nocalls(CPUHP_BP_PREPARE_DYN, "ntpool/pcp:dead",
					NULL, pcp_cpu_dead);
	if (err < 0)
		goto wq;
	pcp_hp_state = err;
	pcp_shrinker = ntpool_shrinker_create("ntpool-pcp", pcp_shrink_count,
					      pcp_shrink_scan);
	if (!pcp_shrinker) {
		err = -ENOMEM;
		goto hotplug;
	}
	return 0;

hotplug:
	cpuhp_remove_state_nocalls(pcp_hp_state);
wq:
	destroy_workqueue(pcp_wq);
free:
	free_percpu(pcp_caches);
	pcp_caches = NULL;
	return err;
}

/**
 * ntpool_pcp_exit() - forget every cached block (ntpool is unloading)
 *
 * Their pages go back with the rest of the pool (ntpool_pool_destroy()).
 */
void ntpool_pcp_exit(void)
{
	if (!pcp_caches)
		return;
	ntpool_shrinker_destroy(pcp_shrinker);
	cpuhp_remove_state_nocalls(pcp_hp_state);
	destroy_workqueue(pcp_wq);
	free_percpu(pcp_caches);
	pcp_caches = NULL;
}
