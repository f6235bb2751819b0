// SPDX-License-Identifier: GPL-2.0
/*
 * Pages of small blocks charged to a memory cgroup: a pool's quota sets.
 *
 * A module can charge a cgroup only through the pages it allocates
 * (__GFP_ACCOUNT): the page records the cgroup, which is uncharged when the
 * page is freed, whoever frees it.  So small quota blocks are carved, like
 * any other small block, from pages of their own: each page charged to
 * one cgroup and holding only blocks that cgroup pays for.  A pool keeps
 * one set of such pages per cgroup that has blocks in it, with the same
 * buckets as the pool's own pages (small.c), found by cgroup in a small
 * table.  A cgroup is thus charged for the pages its blocks occupy, never
 * for another's blocks, and a page goes back to the system, uncharging the
 * cgroup that paid for it, when its last block is freed: charged pages are
 * never kept for reuse, nor put on the per-CPU caches (pcp.c).
 *
 * A set holds a reference to its cgroup, so that the table never names a
 * cgroup that is gone: a cgroup removed while it still has blocks in the
 * pool lives on, offline, until the set's last page is freed.  (The pages
 * hold their own reference through their charge, which the kernel moves
 * to the cgroup's parent when it goes offline.)
 *
 * The table and the sets in it change under the pool lock only; a spare
 * set, made for a cgroup that had none in the pool, is made and freed
 * outside it.
 */
#define pr_fmt(fmt) "ntpool: " fmt

#include <linux/cgroup.h>
#include <linux/hash.h>
#include <linux/memcontrol.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "base/leak.h"
#include "core/pool.h"

/**
 * ntpool_quota_buckets_locked() - the buckets of a cgroup's pages in a pool
 * @pool: the pool, locked
 * @memcg: the cgroup
 *
 * Return: the buckets, or NULL when the cgroup has no page in @pool.
 */
struct ntpool_buckets *ntpool_quota_buckets_locked(struct ntpool_pool *pool,
						   struct mem_cgroup *memcg)
{
	struct ntpool_quota_set *set;

	lockdep_assert_held(&pool->lock);
	hash_for_each_possible(pool->quota_sets, set, node, (unsigned long)memcg)
		if (set->memcg == memcg)
			return &set->free;
	return NULL;
}

/**
 * ntpool_quota_set_new() - a quota set for a cgroup, in no pool yet
 * @memcg: the cgroup; the set takes a reference
 * @gfp: how to allocate it (never charged: it is ntpool's record)
 *
 * Return: the set, or NULL without memory.
 */
struct ntpool_quota_set *ntpool_quota_set_new(struct mem_cgroup *memcg,
					      gfp_t gfp)
{
	struct ntpool_quota_set *set;

	set = kmalloc(sizeof(*set), (gfp & ~(__GFP_ZERO | __GFP_ACCOUNT)));
	if (!set)
		return NULL;
	ntpool_leak_no_scan(set);
	set->memcg = memcg;
	INIT_HLIST_NODE(&set->node);
	set->nr_pages = 0;
	ntpool_buckets_init(&set->free);
#ifdef CONFIG_MEMCG
	css_get(&memcg->css);
#endif
	return set;
}

/**
 * ntpool_quota_set_free() - free a set that is in no pool
 * @set: the set, or NULL
 *
 * Drops its cgroup's reference; any context.
 */
void ntpool_quota_set_free(struct ntpool_quota_set *set)
{
	if (!set)
		return;
	mem_cgroup_put(set->memcg);
	kfree(set);
}

/**
 * ntpool_quota_attach_locked() - make a new page one of a cgroup's pages
 * @pool: its pool, locked
 * @pg: the page, charged to @memcg (ntpool_page_new()), in no bucket
 * @memcg: the cgroup
 * @spare: a set for @memcg, used (and set to NULL) if @pool has none; may
 *	point to NULL when @pool had one when the caller looked
 *
 * A set the caller saw may have gone meanwhile, with its last page: then,
 * without a spare, one is made here, without sleeping.
 *
 * Return: false, without memory for a set, if @pg is not attached.
 */
bool ntpool_quota_attach_locked(struct ntpool_pool *pool,
				struct ntpool_page *pg, struct mem_cgroup *memcg,
				struct ntpool_quota_set **spare)
{
	struct ntpool_buckets *b = ntpool_quota_buckets_locked(pool, memcg);
	struct ntpool_quota_set *set;

	if (b) {
		set = container_of(b, struct ntpool_quota_set, free);
	} else {
		set = *spare ?: ntpool_quota_set_new(memcg, GFP_ATOMIC |
						     __GFP_NOWARN);
		if (!set)
			return false;
		*spare = NULL;
		hash_add(pool->quota_sets, &set->node, (unsigned long)memcg);
	}
	set->nr_pages++;
	pg->quota = set;
	return true;
}

/**
 * ntpool_quota_detach_locked() - forget a page that leaves the pool
 * @pool: its pool, locked
 * @pg: the page, wholly free, in no bucket; nothing if it is not charged
 *
 * A set left with no page leaves the table, and its cgroup reference
 * goes with it.
 */
void ntpool_quota_detach_locked(struct ntpool_pool *pool,
				struct ntpool_page *pg)
{
	struct ntpool_quota_set *set = pg->quota;

	lockdep_assert_held(&pool->lock);
	if (!set)
		return;
	pg->quota = NULL;
	if (--set->nr_pages)
		return;
	hash_del(&set->node);
	ntpool_quota_set_free(set);
}

/**
 * ntpool_quota_set_path() - the path of the cgroup a set's pages charge
 * @set: the set; its pool locked
 * @buf: where to write it, truncated if need be
 * @len: its size
 */
void ntpool_quota_set_path(const struct ntpool_quota_set *set, char *buf,
			   size_t len)
{
#ifdef CONFIG_MEMCG
	if (cgroup_path(set->memcg->css.cgroup, buf, len) >= 0)
		return;
#endif
	strscpy(buf, "?", len);
}

/**
 * ntpool_quota_sets_destroy() - free every set of a pool that is going
 * @pool: the pool; its pages are freed already
 */
void ntpool_quota_sets_destroy(struct ntpool_pool *pool)
{
	struct ntpool_quota_set *set;
	struct hlist_node *next;
	unsigned int bkt;

	hash_for_each_safe(pool->quota_sets, bkt, next, set, node) {
		hash_del(&set->node);
		ntpool_quota_set_free(set);
	}
}
