/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by ntpool's KUnit suites: catching reports, private pools
 * and an independent walk of a pool page.
 */
#ifndef _NTPOOL_KUNIT_H
#define _NTPOOL_KUNIT_H

#include <kunit/resource.h>
#include <kunit/test.h>
#include <ntpool/ntpool.h>
#include "accounting/client.h"
#include "core/pcp.h"
#include "core/pool.h"
#include "report/report.h"

/* Start catching reports for the current test; returns the log. */
static inline struct ntpool_report_log *ntpool_catch_reports(struct kunit *test)
{
	struct ntpool_report_log *log;
	struct kunit_resource *res;

	log = kunit_kzalloc(test, sizeof(*log), GFP_KERNEL);
	res = kunit_kzalloc(test, sizeof(*res), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, log);
	KUNIT_ASSERT_NOT_NULL(test, res);
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_named_resource(test, NULL, NULL, res,
						 NTPOOL_KUNIT_REPORTS, log));
	return log;
}

/* Expect @count reports so far, the last one with this code and arguments. */
static inline void ntpool_expect_report(struct kunit *test,
					const struct ntpool_report_log *log,
					unsigned int count, u32 code, u64 a1,
					u64 a2, u64 a3, u64 a4)
{
	KUNIT_EXPECT_EQ(test, log->count, count);
	KUNIT_EXPECT_EQ(test, log->last.code, code);
	KUNIT_EXPECT_EQ(test, log->last.args[0], a1);
	KUNIT_EXPECT_EQ(test, log->last.args[1], a2);
	KUNIT_EXPECT_EQ(test, log->last.args[2], a3);
	KUNIT_EXPECT_EQ(test, log->last.args[3], a4);
}

/*
 * Is the small block at @p allocated, as its page's allocated byte says?
 * (A block on a per-CPU cache has the header of an allocated one, and is
 * not.)
 */
static inline bool ntpool_kunit_allocated(void *p)
{
	struct ntpool_pool *pool = ntpool_pool_of(p);
	int unit = ntpool_unit_of(p);
	struct ntpool_page *pg;
	bool allocated;

	rcu_read_lock();
	pg = pool ? ntpool_page_lookup(pool, p) : NULL;
	allocated = pg && unit >= 0 && ntpool_is_allocated(pg, unit);
	rcu_read_unlock();
	return allocated;
}

/**
 * struct ntpool_walk - what an independent walk of a page found
 * @blocks: blocks seen
 * @free_blocks: free blocks seen
 * @cached_blocks: blocks on a per-CPU cache seen
 * @allocated_units: units in allocated blocks, cached ones included
 */
struct ntpool_walk {
	unsigned int blocks;
	unsigned int free_blocks;
	unsigned int cached_blocks;
	unsigned int allocated_units;
};

/*
 * Walk a page from unit 0 by BlockSize and check every invariant of the
 * layout: the walk ends exactly at the page end, each PreviousSize equals
 * the BlockSize before it (0 first), the block-start bitmap agrees, PoolType
 * is 0 or a valid pool type + 1, no two free blocks are neighbours, an
 * allocated block's byte holds its size, and the page records its largest
 * free block.
 */
static inline void ntpool_walk_page(struct kunit *test, struct ntpool_pool *pool,
				    struct ntpool_page *pg,
				    struct ntpool_walk *walk)
{
	unsigned int unit = 0, prev_units = 0, largest = 0;
	bool prev_free = false;

	while (unit < NTPOOL_PAGE_UNITS) {
		struct ntpool_header *hdr = ntpool_hdr_at(pg, unit);
		bool is_free = ntpool_hdr_is_free(hdr);
		u8 type = hdr->pool_type & ~NTPOOL_HDR_TYPE_CACHE_ALIGNED;

		KUNIT_ASSERT_NE(test, hdr->block_size, 0);
		KUNIT_EXPECT_EQ(test, hdr->previous_size, prev_units);
		KUNIT_EXPECT_TRUE(test, test_bit(unit, pg->block_starts));
		KUNIT_EXPECT_EQ(test, find_next_bit(pg->block_starts,
						    NTPOOL_PAGE_UNITS, unit + 1),
				(unsigned long)(unit + hdr->block_size));
		if (!is_free)
			KUNIT_EXPECT_EQ(test, type, pool->kind + 1);
		/* The bitmaps the allocator trusts say what the header says. */
		KUNIT_EXPECT_EQ(test, test_bit(unit, pg->free_starts), is_free);
		/* A cached block is neither free nor allocated. */
		if (is_free)
			KUNIT_EXPECT_FALSE(test, ntpool_is_allocated(pg, unit));
		walk->cached_blocks += !is_free && !ntpool_is_allocated(pg, unit);
		/* What a free takes back with the block, unchecked. */
		if (ntpool_is_allocated(pg, unit))
			KUNIT_EXPECT_EQ(test, pg->allocated[unit], hdr->block_size);
		/* A cached block's header is its allocation's, check value too. */
		KUNIT_EXPECT_TRUE(test, ntpool_hdr_sealed(hdr));
		KUNIT_EXPECT_FALSE(test, is_free && prev_free);
		walk->blocks++;
		walk->free_blocks += is_free;
		walk->allocated_units += is_free ? 0 : hdr->block_size;
		if (is_free)
			largest = max_t(unsigned int, largest, hdr->block_size);
		prev_free = is_free;
		prev_units = hdr->block_size;
		unit += hdr->block_size;
	}
	KUNIT_EXPECT_EQ(test, unit, NTPOOL_PAGE_UNITS);
	/* The page's bucket is its largest free block's, kept up to date. */
	KUNIT_EXPECT_EQ(test, pg->largest_free, largest);
}

/* Walk every page of a pool that holds blocks; returns pages walked. */
static inline unsigned int ntpool_walk_pool(struct kunit *test,
					    struct ntpool_pool *pool,
					    struct ntpool_walk *walk)
{
	unsigned int pages = 0, cached = walk->cached_blocks;
	unsigned long key, flags;
	void *entry;

	spin_lock_irqsave(&pool->lock, flags);
	xa_for_each(&pool->pages, key, entry) {
		struct ntpool_page *pg = xa_untag_pointer(entry);

		if (xa_pointer_tag(entry) != NTPOOL_XA_SMALL ||
		    bitmap_empty(pg->block_starts, NTPOOL_PAGE_UNITS))
			continue;
		ntpool_walk_page(test, pool, pg, walk);
		pages++;
	}
	spin_unlock_irqrestore(&pool->lock, flags);
	/*
	 * A block neither free nor allocated is on a per-CPU cache: only the
	 * global pools have caches, and they hold no more than that.
	 */
	cached = walk->cached_blocks - cached;
	if (pool == &ntpool_pools[pool->kind])
		KUNIT_EXPECT_LE(test, cached, ntpool_pcp_count());
	else
		KUNIT_EXPECT_EQ(test, cached, 0u);
	return pages;
}

/* A private pool for a test, destroyed when the test ends. */
static inline void ntpool_test_pool_exit(void *data)
{
	ntpool_pool_destroy(data);
}

static inline struct ntpool_pool *ntpool_test_pool(struct kunit *test,
						   enum ntpool_kind kind)
{
	struct ntpool_pool *pool = kunit_kzalloc(test, sizeof(*pool),
						 GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, pool);
	ntpool_pool_init(pool, kind, false);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test,
							   ntpool_test_pool_exit,
							   pool));
	return pool;
}

static inline void *ntpool_test_alloc(struct ntpool_pool *pool, size_t size,
				      u32 tag)
{
	struct ntpool_client *c = ntpool_client_of(NULL);
	struct ntpool_request req = {
		.size = size, .tag = tag, .kind = pool->kind,
		.caller = NTPOOL_THIS_CALLER(),
		.client = c->id, .counter = c,
	};

	return ntpool_pool_alloc(pool, &req);
}

static inline bool ntpool_test_free(struct ntpool_pool *pool, void *p)
{
	struct ntpool_caller caller = NTPOOL_THIS_CALLER();

	return ntpool_pool_free(pool, p, 0, &caller);
}

#endif /* _NTPOOL_KUNIT_H */
