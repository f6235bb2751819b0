// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "ntpool_alloc": the block layout and the allocator itself,
 * on private pools so that every page's contents are known.
 */
#include <kunit/test.h>
#include <linux/irqflags.h>
#include <linux/prandom.h>
#include <linux/slab.h>
#include "ntpool_kunit.h"
#include "core/pcp.h"
#include "accounting/tags.h"

#define TEST_TAG	('cllA')	/* shows as "Allc" */

static struct ntpool_header *hdr_of(void *p)
{
	return ntpool_block_to_hdr(p);
}

static void header_layout(struct kunit *test)
{
	struct ntpool_pool *pool = ntpool_test_pool(test, NTPOOL_PAGED);
	u8 *p = ntpool_test_alloc(pool, 100, TEST_TAG);
	u8 *raw = p - NTPOOL_BLOCK_SIZE;

	KUNIT_EXPECT_EQ(test, sizeof(struct ntpool_header), 16);
	KUNIT_ASSERT_NOT_NULL(test, p);
	/* The first block of a fresh page: header at offset 0. */
	KUNIT_EXPECT_EQ(test, offset_in_page(raw), 0UL);
	KUNIT_EXPECT_EQ(test, raw[0], 0);			/* PreviousSize */
	KUNIT_EXPECT_NE(test, raw[1], 0);			/* PoolIndex */
	KUNIT_EXPECT_EQ(test, raw[2], 8);			/* BlockSize */
	KUNIT_EXPECT_EQ(test, raw[3], PagedPool + 1);		/* PoolType */
	KUNIT_EXPECT_EQ(test, memcmp(raw + 4, "Allc", 4), 0);	/* PoolTag */
	KUNIT_EXPECT_EQ(test, raw[8] | raw[9] << 8, 100);	/* bytes asked */
	/* The rest of the page is one free block behind it. */
	KUNIT_EXPECT_EQ(test, raw[128 + 0], 8);
	KUNIT_EXPECT_EQ(test, raw[128 + 2], 248);
	KUNIT_EXPECT_EQ(test, raw[128 + 3], 0);
	KUNIT_EXPECT_TRUE(test, ntpool_test_free(pool, p));
}

static void carve_and_coalesce(struct kunit *test)
{
	struct ntpool_pool *pool = ntpool_test_pool(test, NTPOOL_NONPAGED);
	u8 *a = ntpool_test_alloc(pool, 100, TEST_TAG);
	u8 *b = ntpool_test_alloc(pool, 100, TEST_TAG);
	u8 *c = ntpool_test_alloc(pool, 100, TEST_TAG);
	struct ntpool_header *base;

	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_PTR_EQ(test, (void *)b, (void *)(a + 128));
	KUNIT_ASSERT_PTR_EQ(test, (void *)c, (void *)(b + 128));
	base = hdr_of(a);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&pool->nr_small_pages), 1L);

	/* Free a: a free block of 8 units at the start; b still points at it. */
	KUNIT_EXPECT_TRUE(test, ntpool_test_free(pool, a));
	KUNIT_EXPECT_TRUE(test, ntpool_hdr_is_free(base));
	KUNIT_EXPECT_EQ(test, base->block_size, 8);
	KUNIT_EXPECT_EQ(test, hdr_of(b)->previous_size, 8);

	/* Free c: it merges with the free tail into one block of 240 units. */
	KUNIT_EXPECT_TRUE(test, ntpool_test_free(pool, c));
	KUNIT_EXPECT_TRUE(test, ntpool_hdr_is_free(hdr_of(c)));
	KUNIT_EXPECT_EQ(test, hdr_of(c)->block_size, 240);
	KUNIT_EXPECT_EQ(test, ntpool_page_lookup(pool, base)->largest_free, 240u);
	KUNIT_EXPECT_TRUE(test, test_bit(240, pool->free.nonempty));

	/* A new 100-byte block reuses the 8-unit hole at the start. */
	a = ntpool_test_alloc(pool, 100, TEST_TAG);
	KUNIT_EXPECT_PTR_EQ(test, (void *)hdr_of(a), (void *)base);
	KUNIT_EXPECT_TRUE(test, ntpool_test_free(pool, a));

	/* Free b: everything merges, the page is wholly free and cached. */
	KUNIT_EXPECT_TRUE(test, ntpool_test_free(pool, b));
	KUNIT_EXPECT_EQ(test, pool->nr_empty, 1u);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&pool->nr_small_pages), 1L);
	KUNIT_EXPECT_TRUE(test, bitmap_empty(pool->free.nonempty, NTPOOL_PAGE_UNITS));

	/* The cached page is reused for the next request. */
	a = ntpool_test_alloc(pool, 4064, TEST_TAG);
	KUNIT_EXPECT_PTR_EQ(test, (void *)hdr_of(a), (void *)base);
	KUNIT_EXPECT_EQ(test, hdr_of(a)->block_size, 255);
	KUNIT_EXPECT_EQ(test, pool->nr_empty, 0u);
	KUNIT_EXPECT_TRUE(test, ntpool_test_free(pool, a));
}

/* The header after @end is a one-unit free block; @end is the unit's. */
static void expect_one_unit_free(struct kunit *test, struct ntpool_pool *pool,
				 u8 *end)
{
	struct ntpool_header *frag = (struct ntpool_header *)end;
	struct ntpool_page *pg = ntpool_page_lookup(pool, end);
	unsigned int unit = ntpool_hdr_unit(frag);

	KUNIT_ASSERT_NOT_NULL(test, pg);
	KUNIT_EXPECT_TRUE(test, ntpool_hdr_is_free(frag));
	KUNIT_EXPECT_EQ(test, frag->block_size, 1);
	KUNIT_EXPECT_TRUE(test, test_bit(unit, pg->free_starts));
	KUNIT_EXPECT_FALSE(test, ntpool_is_allocated(pg, unit));
	KUNIT_EXPECT_EQ(test, ntpool_block_units(pg, unit), 1u);
	/* It holds nothing: no bucket is kept for its size. */
	KUNIT_EXPECT_FALSE(test, test_bit(1, pool->free.nonempty));
}

static void one_unit_remainders(struct kunit *test)
{
	struct ntpool_pool *pool = ntpool_test_pool(test, NTPOOL_NONPAGED);
	struct ntpool_walk walk = {};
	u8 *a = ntpool_test_alloc(pool, 4064, TEST_TAG);
	u8 *b;

	/* 255 units of a page: the last unit is a header-only free block. */
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_EXPECT_EQ(test, ntpool_walk_pool(test, pool, &walk), 1u);
	KUNIT_EXPECT_EQ(test, walk.blocks, 2u);
	KUNIT_EXPECT_EQ(test, walk.free_blocks, 1u);
	KUNIT_EXPECT_TRUE(test, ntpool_test_free(pool, a));

	/*
	 * A split that leaves one unit leaves it free, as NT does: a block
	 * is always ceil(bytes / 16) + 1 units, whatever is beside it.
	 */
	a = ntpool_test_alloc(pool, 2000, TEST_TAG);	/* 126 units */
	b = ntpool_test_alloc(pool, 2048, TEST_TAG);	/* 129 of 130 units */
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_EXPECT_EQ(test, hdr_of(a)->block_size, 126);
	KUNIT_EXPECT_EQ(test, hdr_of(b)->block_size, 129);
	expect_one_unit_free(test, pool, b + 2048);
	memset(&walk, 0, sizeof(walk));
	KUNIT_EXPECT_EQ(test, ntpool_walk_pool(test, pool, &walk), 1u);
	KUNIT_EXPECT_EQ(test, walk.blocks, 3u);
	KUNIT_EXPECT_EQ(test, walk.free_blocks, 1u);
	KUNIT_EXPECT_EQ(test, walk.allocated_units, 126u + 129u);
	/* Freeing b merges the fragment back into one free tail. */
	KUNIT_EXPECT_TRUE(test, ntpool_test_free(pool, b));
	KUNIT_EXPECT_TRUE(test, ntpool_hdr_is_free(hdr_of(b)));
	KUNIT_EXPECT_EQ(test, hdr_of(b)->block_size, 130);
	KUNIT_EXPECT_TRUE(test, ntpool_test_free(pool, a));
}

/*
 * The sequence that let a block absorb a one-unit rest: 100, 116 and 100
 * bytes (8, 9 and 8 units), the 9-unit block freed, then 100 bytes in its
 * hole.  The new block is 8 units, the unit after it a free block that
 * nothing can be carved from, and the tag's bytes are exact.  Freeing
 * either neighbour merges the fragment back.
 */
static void one_unit_fragment_merges(struct kunit *test)
{
	const u32 tag = ('garF');	/* "Frag" */
	struct ntpool_pool *pool = ntpool_test_pool(test, NTPOOL_PAGED);
	struct ntpool_report_log *log = ntpool_catch_reports(test);
	struct ntpool_tag_stats st;
	struct ntpool_walk walk = {};
	u8 *a, *b, *c, *d, *e;

	a = ntpool_test_alloc(pool, 100, tag);
	b = ntpool_test_alloc(pool, 116, tag);
	c = ntpool_test_alloc(pool, 100, tag);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_PTR_EQ(test, (void *)b, (void *)(a + 8 * 16));
	KUNIT_ASSERT_PTR_EQ(test, (void *)c, (void *)(b + 9 * 16));
	KUNIT_EXPECT_TRUE(test, ntpool_test_free(pool, b));
	d = ntpool_test_alloc(pool, 100, tag);
	KUNIT_ASSERT_PTR_EQ(test, (void *)d, (void *)b);
	KUNIT_EXPECT_EQ(test, hdr_of(d)->block_size, 8);
	expect_one_unit_free(test, pool, d + 7 * 16);
	KUNIT_EXPECT_EQ(test, hdr_of(c)->previous_size, 1);
	ntpool_tag_read(ntpool_tag_find(tag), &st);
	KUNIT_EXPECT_EQ(test, st.u.bytes[NTPOOL_PAGED], 3LL * 8 * 16);
	/* Sixteen bytes need two units: the fragment is never taken. */
	e = ntpool_test_alloc(pool, 16, tag);
	KUNIT_ASSERT_NOT_NULL(test, e);
	KUNIT_EXPECT_PTR_NE(test, (void *)e, (void *)(d + 8 * 16));
	KUNIT_EXPECT_TRUE(test, ntpool_test_free(pool, e));
	KUNIT_EXPECT_EQ(test, ntpool_walk_pool(test, pool, &walk), 1u);
	/* a, d, the fragment, c and the free tail. */
	KUNIT_EXPECT_EQ(test, walk.blocks, 5u);

	/* Freeing c merges the fragment, c and the tail: units 16 to 256. */
	KUNIT_EXPECT_TRUE(test, ntpool_test_free(pool, c));
	KUNIT_EXPECT_EQ(test, hdr_of(d + 8 * 16)->block_size, 240);
	/* Freeing d: the page is wholly free again. */
	KUNIT_EXPECT_TRUE(test, ntpool_test_free(pool, d));
	KUNIT_EXPECT_TRUE(test, ntpool_test_free(pool, a));
	KUNIT_EXPECT_EQ(test, pool->nr_empty, 1u);

	/* The other way: the block in front is freed while c lives. */
	a = ntpool_test_alloc(pool, 100, tag);
	b = ntpool_test_alloc(pool, 116, tag);
	c = ntpool_test_alloc(pool, 100, tag);
	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_EXPECT_TRUE(test, ntpool_test_free(pool, b));
	d = ntpool_test_alloc(pool, 100, tag);
	KUNIT_ASSERT_PTR_EQ(test, (void *)d, (void *)b);
	KUNIT_EXPECT_TRUE(test, ntpool_test_free(pool, d));
	KUNIT_EXPECT_EQ(test, hdr_of(d)->block_size, 9);
	KUNIT_EXPECT_EQ(test, hdr_of(c)->previous_size, 9);
	KUNIT_EXPECT_TRUE(test, ntpool_test_free(pool, a));
	KUNIT_EXPECT_TRUE(test, ntpool_test_free(pool, c));
	ntpool_tag_read(ntpool_tag_find(tag), &st);
	KUNIT_EXPECT_EQ(test, st.u.bytes[NTPOOL_PAGED], 0LL);
	KUNIT_EXPECT_EQ(test, log->count, 0u);
}

/*
 * A request of 0 bytes: a block of two units (BlockSize 2), all of its
 * data unit slack, freed without a report, an overrun of one byte into
 * it reported at free.
 */
static void zero_byte_block(struct kunit *test)
{
	struct ntpool_pool *pool = ntpool_test_pool(test, NTPOOL_NONPAGED);
	struct ntpool_report_log *log = ntpool_catch_reports(test);
	u8 *a = ntpool_test_alloc(pool, 0, TEST_TAG);
	u8 *b = ntpool_test_alloc(pool, 0, TEST_TAG);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_EXPECT_PTR_EQ(test, (void *)b, (void *)(a + 2 * 16));
	KUNIT_EXPECT_EQ(test, hdr_of(a)->block_size, 2);
	KUNIT_EXPECT_EQ(test, hdr_of(b)->previous_size, 2);
	KUNIT_EXPECT_EQ(test, ntpool_hdr_requested(hdr_of(a)), 0u);
	for (i = 0; i < NTPOOL_BLOCK_SIZE; i++)
		KUNIT_EXPECT_EQ(test, a[i], NTPOOL_SLACK_PATTERN);
	KUNIT_EXPECT_TRUE(test, ntpool_test_free(pool, a));
	KUNIT_EXPECT_EQ(test, log->count, 0u);
	/* Its last byte is slack too. */
	b[NTPOOL_BLOCK_SIZE - 1] = 0x42;
	KUNIT_EXPECT_TRUE(test, ntpool_test_free(pool, b));
	ntpool_expect_report(test, log, 1, BAD_POOL_HEADER, NTPOOL_19_OVERRUN,
			     (unsigned long)b, 0, 0x42);
}

static void pages_go_back(struct kunit *test)
{
	struct ntpool_pool *pool = ntpool_test_pool(test, NTPOOL_NONPAGED);
	void *p[NTPOOL_EMPTY_PAGE_CACHE + 8];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(p); i++) {
		p[i] = ntpool_test_alloc(pool, 3000, TEST_TAG);
		KUNIT_ASSERT_NOT_NULL(test, p[i]);
	}
	KUNIT_EXPECT_EQ(test, atomic_long_read(&pool->nr_small_pages),
			(long)ARRAY_SIZE(p));
	for (i = 0; i < ARRAY_SIZE(p); i++)
		KUNIT_EXPECT_TRUE(test, ntpool_test_free(pool, p[i]));
	/* Only the bounded cache of empty pages is kept. */
	KUNIT_EXPECT_EQ(test, pool->nr_empty, NTPOOL_EMPTY_PAGE_CACHE);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&pool->nr_small_pages),
			(long)NTPOOL_EMPTY_PAGE_CACHE);
	KUNIT_EXPECT_EQ(test, xa_empty(&pool->pages), false);

	/* Big blocks hold their pages until freed, then give them back. */
	p[0] = ntpool_test_alloc(pool, 5 * PAGE_SIZE + 1, TEST_TAG);
	KUNIT_ASSERT_NOT_NULL(test, p[0]);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&pool->nr_big_pages), 6L);
	KUNIT_EXPECT_TRUE(test, ntpool_test_free(pool, p[0]));
	KUNIT_EXPECT_EQ(test, atomic_long_read(&pool->nr_big_pages), 0L);
}

/* Deterministic pseudo-random numbers for the randomised cases. */
static u32 next_rand(struct rnd_state *rnd, u32 below)
{
	return prandom_u32_state(rnd) % below;
}

static void fill(u8 *p, size_t size, u32 seed)
{
	size_t i;

	for (i = 0; i < size; i++)
		p[i] = (u8)(seed + i * 7);
}

static bool intact(const u8 *p, size_t size, u32 seed)
{
	size_t i;

	for (i = 0; i < size; i++)
		if (p[i] != (u8)(seed + i * 7))
			return false;
	return true;
}

struct live_block {
	u8 *p;
	size_t size;
	u32 seed;
};

#define STRESS_LIVE	300
#define STRESS_OPS	6000

/* Random sizes: mostly small, some big, biased towards small blocks. */
static size_t random_size(struct rnd_state *rnd)
{
	switch (next_rand(rnd, 8)) {
	case 0:
		return 1 + next_rand(rnd, 4 * PAGE_SIZE);
	case 1:
		return 4000 + next_rand(rnd, 100);
	default:
		return 1 + next_rand(rnd, 512);
	}
}

static void random_walks(struct kunit *test, enum ntpool_kind kind)
{
	struct ntpool_pool *pool = ntpool_test_pool(test, kind);
	struct live_block *live;
	struct rnd_state rnd;
	unsigned int i, n = 0, corrupt = 0;
	struct ntpool_walk walk = {};

	live = kunit_kcalloc(test, STRESS_LIVE, sizeof(*live), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, live);
	prandom_seed_state(&rnd, 0x4e54504f4f4cULL + kind);
	for (i = 0; i < STRESS_OPS; i++) {
		bool do_alloc = n < STRESS_LIVE && (n == 0 || next_rand(&rnd, 100) < 55);

		if (do_alloc) {
			struct live_block *b = &live[n];

			b->size = random_size(&rnd);
			b->seed = prandom_u32_state(&rnd);
			b->p = ntpool_test_alloc(pool, b->size, TEST_TAG);
			KUNIT_ASSERT_NOT_NULL(test, b->p);
			fill(b->p, b->size, b->seed);
			n++;
		} else {
			unsigned int k = next_rand(&rnd, n);

			corrupt += !intact(live[k].p, live[k].size, live[k].seed);
			KUNIT_ASSERT_TRUE(test, ntpool_test_free(pool, live[k].p));
			live[k] = live[--n];
		}
		if (i % 1000 == 999) {
			ntpool_walk_pool(test, pool, &walk);
			KUNIT_ASSERT_EQ(test, corrupt, 0u);
		}
	}
	/* Every live small block is accounted for by the page walks. */
	memset(&walk, 0, sizeof(walk));
	ntpool_walk_pool(test, pool, &walk);
	{
		unsigned int small_units = 0;

		for (i = 0; i < n; i++)
			if (live[i].size <= NTPOOL_MAX_SMALL)
				small_units += hdr_of(live[i].p)->block_size;
		KUNIT_EXPECT_EQ(test, walk.allocated_units, small_units);
	}
	for (i = 0; i < n; i++) {
		corrupt += !intact(live[i].p, live[i].size, live[i].seed);
		KUNIT_EXPECT_TRUE(test, ntpool_test_free(pool, live[i].p));
	}
	KUNIT_EXPECT_EQ(test, corrupt, 0u);
	KUNIT_EXPECT_LE(test, atomic_long_read(&pool->nr_small_pages),
			(long)NTPOOL_EMPTY_PAGE_CACHE);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&pool->nr_big_pages), 0L);
}

static void stress_nonpaged(struct kunit *test)
{
	random_walks(test, NTPOOL_NONPAGED);
}

static void stress_paged(struct kunit *test)
{
	random_walks(test, NTPOOL_PAGED);
}

/* The global pools, through the NT API, after the other cases ran. */
static void global_pools_walk(struct kunit *test)
{
	struct ntpool_walk walk = {};
	void *p[64];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(p); i++) {
		p[i] = ExAllocatePool2(i & 1 ? POOL_FLAG_PAGED : POOL_FLAG_NON_PAGED,
				       16 * i + 1, TEST_TAG);
		KUNIT_ASSERT_NOT_NULL(test, p[i]);
	}
	for (i = 0; i < ARRAY_SIZE(p); i += 2)
		ExFreePoolWithTag(p[i], TEST_TAG);
	ntpool_walk_pool(test, &ntpool_pools[NTPOOL_NONPAGED], &walk);
	ntpool_walk_pool(test, &ntpool_pools[NTPOOL_PAGED], &walk);
	KUNIT_EXPECT_GE(test, walk.blocks, ARRAY_SIZE(p) / 2);
	for (i = 1; i < ARRAY_SIZE(p); i += 2)
		ExFreePoolWithTag(p[i], TEST_TAG);
}

/* Freed small blocks wait on a per-CPU cache for the next request. */
static void per_cpu_cache(struct kunit *test)
{
	struct ntpool_report_log *log = ntpool_catch_reports(test);
	struct ntpool_pool *np = &ntpool_pools[NTPOOL_NONPAGED];
	struct ntpool_header *hdr, snap;
	long pages;
	u32 ulong1;
	void *p, *q;

	/* The same CPU's cache for the whole case. */
	migrate_disable();
	p = ExAllocatePool2(POOL_FLAG_NON_PAGED, 64, TEST_TAG);
	KUNIT_ASSERT_NOT_NULL(test, p);
	hdr = ntpool_block_to_hdr(p);
	pages = atomic_long_read(&np->nr_small_pages);
	snap = *hdr;
	ExFreePoolWithTag(p, TEST_TAG);
	/* Cached, its header left as it was allocated (NT's lookasides). */
	KUNIT_EXPECT_EQ(test, memcmp(hdr, &snap, sizeof(snap)), 0);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&np->nr_small_pages), pages);
	ulong1 = ntpool_hdr_ulong1(hdr);
	/* A second free of a cached block is a double free. */
	ExFreePoolWithTag(p, TEST_TAG);
	ntpool_expect_report(test, log, 1, BAD_POOL_CALLER, 0x07, 0, ulong1,
			     (unsigned long)p);
	/* The next request of that size gets it back, allocated again. */
	q = ExAllocatePool2(POOL_FLAG_NON_PAGED, 60, 'xxxX');
	KUNIT_EXPECT_PTR_EQ(test, q, p);
	KUNIT_EXPECT_EQ(test, hdr->pool_type, NonPagedPool + 1);
	KUNIT_EXPECT_EQ(test, hdr->pool_tag, (u32)'xxxX');
	KUNIT_EXPECT_EQ(test, ntpool_hdr_requested(hdr), (size_t)60);
	/* Another size or pool does not. */
	p = ExAllocatePool2(POOL_FLAG_PAGED, 60, TEST_TAG);
	KUNIT_EXPECT_PTR_NE(test, q, p);
	ExFreePool(p);
	ExFreePool(q);
	migrate_enable();
	KUNIT_EXPECT_EQ(test, log->count, 1u);
}

/*
 * Writes after free, over a free block's header and what used to be its
 * list links, and over a whole freed block: never followed.  The first
 * allocation that takes the block reports 0x19/0x0D; the pool stays sound.
 */
static void write_after_free(struct kunit *test)
{
	struct ntpool_report_log *log = ntpool_catch_reports(test);
	struct ntpool_pool *pool = ntpool_test_pool(test, NTPOOL_NONPAGED);
	u8 *a = ntpool_test_alloc(pool, 800, TEST_TAG);
	u8 *b = ntpool_test_alloc(pool, 800, TEST_TAG);
	u8 *c = ntpool_test_alloc(pool, 800, TEST_TAG);
	struct ntpool_walk walk = {};
	void *q[8];
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_EXPECT_TRUE(test, ntpool_test_free(pool, b));
	/* Header and the 16 bytes after it, then the whole block. */
	memset(b - NTPOOL_BLOCK_SIZE, 0x41, 2 * NTPOOL_BLOCK_SIZE);
	memset(b, 0xac, 800);
	for (i = 0; i < ARRAY_SIZE(q); i++) {
		q[i] = ntpool_test_alloc(pool, 800, TEST_TAG);
		KUNIT_ASSERT_NOT_NULL(test, q[i]);
	}
	KUNIT_EXPECT_PTR_EQ(test, q[0], (void *)b);
	KUNIT_EXPECT_EQ(test, log->count, 1u);
	KUNIT_EXPECT_EQ(test, log->last.code, (u32)BAD_POOL_HEADER);
	KUNIT_EXPECT_EQ(test, log->last.args[0], 0x0DULL);
	KUNIT_EXPECT_EQ(test, log->last.args[3], 0x41414141ULL);
	ntpool_walk_pool(test, pool, &walk);
	for (i = 0; i < ARRAY_SIZE(q); i++)
		KUNIT_EXPECT_TRUE(test, ntpool_test_free(pool, q[i]));
	KUNIT_EXPECT_TRUE(test, ntpool_test_free(pool, a));
	KUNIT_EXPECT_TRUE(test, ntpool_test_free(pool, c));
	KUNIT_EXPECT_EQ(test, log->count, 1u);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&pool->nr_small_pages),
			(long)pool->nr_empty);
}

/* A free block's BlockSize overwritten by its neighbour: never believed. */
static void free_block_size_overrun(struct kunit *test)
{
	struct ntpool_report_log *log = ntpool_catch_reports(test);
	struct ntpool_pool *pool = ntpool_test_pool(test, NTPOOL_PAGED);
	u8 *a = ntpool_test_alloc(pool, 100, TEST_TAG);
	u8 *b = ntpool_test_alloc(pool, 100, TEST_TAG);
	u8 *c = ntpool_test_alloc(pool, 100, TEST_TAG);
	struct ntpool_walk walk = {};
	u8 *q;

	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_EXPECT_TRUE(test, ntpool_test_free(pool, b));
	hdr_of(b)->block_size = 0xff;
	hdr_of(b)->previous_size = 0;
	q = ntpool_test_alloc(pool, 100, TEST_TAG);
	KUNIT_EXPECT_PTR_EQ(test, (void *)q, (void *)b);
	KUNIT_EXPECT_EQ(test, log->count, 1u);
	KUNIT_EXPECT_EQ(test, log->last.args[0], 0x0DULL);
	KUNIT_EXPECT_EQ(test, hdr_of(q)->block_size, 8);
	KUNIT_EXPECT_EQ(test, hdr_of(q)->previous_size, 8);
	ntpool_walk_pool(test, pool, &walk);
	KUNIT_EXPECT_EQ(test, walk.blocks, 4u);
	KUNIT_EXPECT_TRUE(test, ntpool_test_free(pool, a));
	KUNIT_EXPECT_TRUE(test, ntpool_test_free(pool, q));
	KUNIT_EXPECT_TRUE(test, ntpool_test_free(pool, c));
}

/* Allocate @n non-paged blocks of @size into @p, then free them all. */
static void alloc_then_free(struct kunit *test, void **p, unsigned int n,
			    size_t size)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		p[i] = ExAllocatePool2(POOL_FLAG_NON_PAGED, size, TEST_TAG);
		KUNIT_ASSERT_NOT_NULL(test, p[i]);
	}
	for (i = 0; i < n; i++)
		ExFreePoolWithTag(p[i], TEST_TAG);
}

/*
 * The per-CPU caches give their blocks back when drained (the shrinker's
 * and CPU hotplug's path), checking each: one written after free is
 * reported 0x19/0x0D and freed all the same.
 */
static void per_cpu_drain(struct kunit *test)
{
	struct ntpool_report_log *log = ntpool_catch_reports(test);
	void *p[4];
	unsigned int i;

	ntpool_pcp_drain();
	KUNIT_EXPECT_EQ(test, ntpool_pcp_count(), 0UL);
	migrate_disable();
	alloc_then_free(test, p, ARRAY_SIZE(p), 48);
	migrate_enable();
	KUNIT_EXPECT_EQ(test, ntpool_pcp_count(), (unsigned long)ARRAY_SIZE(p));
	/* Written after free, while cached. */
	hdr_of(p[1])->pool_tag = 'daeD';
	KUNIT_EXPECT_EQ(test, ntpool_pcp_drain(), (unsigned long)ARRAY_SIZE(p));
	KUNIT_EXPECT_EQ(test, ntpool_pcp_count(), 0UL);
	KUNIT_EXPECT_EQ(test, log->count, 1u);
	KUNIT_EXPECT_EQ(test, log->last.args[0], 0x0DULL);
	KUNIT_EXPECT_EQ(test, log->last.args[1], (u64)(unsigned long)hdr_of(p[1]));
	/*
	 * Back on their pages, free (or their page wholly free and gone), and
	 * a second free is a double free.
	 */
	rcu_read_lock();
	for (i = 0; i < ARRAY_SIZE(p); i++) {
		struct ntpool_page *pg =
			ntpool_page_lookup(&ntpool_pools[NTPOOL_NONPAGED], p[i]);
		unsigned int unit = ntpool_hdr_unit(hdr_of(p[i]));

		if (!pg)
			continue;
		KUNIT_EXPECT_FALSE(test, ntpool_is_allocated(pg, unit));
		KUNIT_EXPECT_TRUE(test, test_bit(unit, pg->free_starts) ||
				  !test_bit(unit, pg->block_starts));
	}
	rcu_read_unlock();
	p[0] = ExAllocatePool2(POOL_FLAG_NON_PAGED, 48, TEST_TAG);
	KUNIT_ASSERT_NOT_NULL(test, p[0]);
	ExFreePoolWithTag(p[0], TEST_TAG);
	KUNIT_EXPECT_EQ(test, log->count, 1u);
	ExFreePoolWithTag(p[0], TEST_TAG);
	KUNIT_EXPECT_EQ(test, log->count, 2u);
	KUNIT_EXPECT_EQ(test, log->last.args[0], 0x07ULL);
}

/*
 * The shrinker's part for wholly free pages: what the global pools kept for
 * reuse goes back to the system, and the count says so.
 */
static void empty_pages_drained(struct kunit *test)
{
	struct ntpool_report_log *log = ntpool_catch_reports(test);
	struct ntpool_pool *pool = &ntpool_pools[NTPOOL_NONPAGED];
	long pages;
	void *p[8];

	/* 3000 bytes: a page each, no room for a second. */
	alloc_then_free(test, p, ARRAY_SIZE(p), 3000);
	/* The blocks the caches took go back to their pages, now empty. */
	ntpool_pcp_drain();
	KUNIT_EXPECT_GE(test, pool->nr_empty, (unsigned int)ARRAY_SIZE(p));
	pages = atomic_long_read(&pool->nr_small_pages);
	ntpool_empty_pages_drain();
	KUNIT_EXPECT_EQ(test, ntpool_empty_pages_count(), 0UL);
	KUNIT_EXPECT_LE(test, atomic_long_read(&pool->nr_small_pages),
			pages - (long)ARRAY_SIZE(p));
	/* A stale pointer into a page given back: reported, nothing read. */
	KUNIT_EXPECT_EQ(test, log->count, 0u);
	ExFreePoolWithTag(p[0], TEST_TAG);
	KUNIT_EXPECT_EQ(test, log->count, 1u);
	KUNIT_EXPECT_EQ(test, log->last.code, (u32)BAD_POOL_CALLER);
}

/*
 * The inline bitmap walks (pool.h) against the library's: for pages whose
 * block starts fall on, beside and across word boundaries, every block's
 * size and the size of the block in front of it.
 */
static void bitmap_walks_match_the_library(struct kunit *test)
{
	static const unsigned int layouts[][6] = {
		{ 0, 2, 63, 64, 65, 255 },
		{ 0, 127, 128, 191, 192, 254 },
		{ 0, 5, 6, 7, 200, 201 },
		{ 3, 64, 100, 129, 200, 250 },
		{ 0, 0, 0, 0, 0, 0 },
	};
	struct ntpool_page *pg = kunit_kzalloc(test, sizeof(*pg), GFP_KERNEL);
	unsigned int l, i, unit, next, prev;

	KUNIT_ASSERT_NOT_NULL(test, pg);
	for (l = 0; l < ARRAY_SIZE(layouts); l++) {
		bitmap_zero(pg->block_starts, NTPOOL_PAGE_UNITS);
		for (i = 0; i < ARRAY_SIZE(layouts[l]); i++)
			__set_bit(layouts[l][i], pg->block_starts);
		for (unit = 0; unit < NTPOOL_PAGE_UNITS; unit++) {
			next = find_next_bit(pg->block_starts,
					     NTPOOL_PAGE_UNITS, unit + 1);
			prev = unit ? find_last_bit(pg->block_starts, unit) : 0;
			KUNIT_EXPECT_EQ_MSG(test, ntpool_block_units(pg, unit),
					    next - unit, "layout %u unit %u",
					    l, unit);
			KUNIT_EXPECT_EQ_MSG(test, ntpool_prev_units(pg, unit),
					    prev < unit ? unit - prev : 0,
					    "layout %u unit %u", l, unit);
		}
	}
}

/*
 * The check value under fixed keys (the boot's key is random): a flip of
 * any one bit of a sealed field, or the same header at another address
 * (near, a page away, or a power of two far: every address bit counts),
 * changes it; PreviousSize does not.
 */
static void seal_covers_every_sealed_bit(struct kunit *test)
{
	static const struct ntpool_seal_key keys[] = {
		{ { 0x9e3779b97f4a7c15ULL, 0xf39cc0605cedc834ULL,
		    0x1082276bf3a27251ULL, 0xf86c6a11d0c18e95ULL } },
		{ { 1, 0xfffffffffffffffeULL, 0x8000000000000000ULL,
		    0x0123456789abcdefULL } },
		{ { 0xdeadbeef0badf00dULL, 0, 0xc0ffee008badf00dULL, 1 } },
	};
	static const unsigned long places[] = {
		0xffff888012345670UL, 0xffffc90000001ff0UL, 0xffff88817ffff000UL,
	};
	struct ntpool_header img, flipped;
	const void *elsewhere;
	unsigned int k, a, bit;

	ntpool_hdr_image(&img, 7, 5, 1, 0x68636e42, 61, 300);
	img.previous_size = 3;
	for (k = 0; k < ARRAY_SIZE(keys); k++)
		for (a = 0; a < ARRAY_SIZE(places); a++) {
			const void *at = (const void *)places[a];
			u32 check = ntpool_seal_with(&keys[k], at, &img);

			KUNIT_EXPECT_NE(test, check,
					ntpool_seal_with(&keys[k], at + 16, &img));
			KUNIT_EXPECT_NE(test, check,
					ntpool_seal_with(&keys[k], at + PAGE_SIZE,
							 &img));
			/* Every address bit from the unit up, the high ones too. */
			for (bit = NTPOOL_BLOCK_SHIFT; bit < 64; bit++) {
				elsewhere = (const void *)(places[a] ^ BIT(bit));
				KUNIT_EXPECT_NE_MSG(test, check,
						    ntpool_seal_with(&keys[k], elsewhere,
								     &img),
						    "key %u, address %u, address bit %u",
						    k, a, bit);
			}
			/* Word 0 but PreviousSize, word 1 but the check value. */
			for (bit = 8; bit < 96; bit++) {
				u64 w[2] = { ntpool_hdr_word(&img, 0),
					     ntpool_hdr_word(&img, 1) };

				w[bit / 64] ^= 1ULL << (bit % 64);
				ntpool_hdr_set_words(&flipped, w[0], w[1]);
				KUNIT_EXPECT_NE_MSG(test, check,
						    ntpool_seal_with(&keys[k], at,
								     &flipped),
						    "key %u, address %u, bit %u",
						    k, a, bit);
			}
			flipped = img;
			flipped.previous_size ^= 0xff;
			KUNIT_EXPECT_EQ(test, check,
					ntpool_seal_with(&keys[k], at, &flipped));
		}
}

/* Corrupt sealed fields on the per-CPU path: reported, never charged. */
static void per_cpu_corrupt_header(struct kunit *test)
{
	struct ntpool_report_log *log = ntpool_catch_reports(test);
	void *p = ExAllocatePool2(POOL_FLAG_NON_PAGED, 64, TEST_TAG);
	void *q = ExAllocatePool2(POOL_FLAG_PAGED, 64, TEST_TAG);

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_NOT_NULL(test, q);
	/* The tag row id (bytes 10-11) would pick the row that is charged. */
	hdr_of(p)->pool_tag_hash ^= 1;
	ExFreePoolWithTag(p, TEST_TAG);
	KUNIT_EXPECT_EQ(test, log->count, 1u);
	KUNIT_EXPECT_EQ(test, log->last.code, (u32)BAD_POOL_CALLER);
	KUNIT_EXPECT_EQ(test, log->last.args[0], 0x01ULL);
	/* The owner (PoolIndex). */
	hdr_of(q)->pool_index ^= 0x40;
	ExFreePoolWithTag(q, TEST_TAG);
	KUNIT_EXPECT_EQ(test, log->count, 2u);
	KUNIT_EXPECT_EQ(test, log->last.args[0], 0x01ULL);
}

/*
 * A header rewritten whole, check value included, whose bytes requested do
 * not fit its block (a block is never larger than its request needs, and
 * never smaller): reported on the per-CPU path as a corrupt header, and the
 * block kept out of use.  Only a seal that agrees by chance gets this far
 * on its own; the rewrite stands in for it.
 */
static void per_cpu_requested_mismatch(struct kunit *test)
{
	static const size_t forged[] = { 0, 16, 48, 65, 100, 4000 };
	struct ntpool_report_log *log = ntpool_catch_reports(test);
	struct ntpool_pool *pool = &ntpool_pools[NTPOOL_NONPAGED];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(forged); i++) {
		void *p = ExAllocatePool2(POOL_FLAG_NON_PAGED, 64, TEST_TAG);
		struct ntpool_header *hdr;
		struct ntpool_page *pg;

		KUNIT_ASSERT_NOT_NULL(test, p);
		hdr = hdr_of(p);
		hdr->allocator_backtrace_index =
			ntpool_hdr_requested_field(forged[i],
						   ntpool_hdr_mark(hdr));
		ntpool_hdr_seal(hdr);
		KUNIT_ASSERT_TRUE(test, ntpool_hdr_sealed(hdr));
		ExFreePoolWithTag(p, TEST_TAG);
		ntpool_expect_report(test, log, i + 1, BAD_POOL_CALLER,
				     NTPOOL_C2_HEADER_CORRUPT,
				     (unsigned long)hdr, ntpool_hdr_ulong1(hdr),
				     0);
		rcu_read_lock();
		pg = ntpool_page_lookup(pool, p);
		KUNIT_EXPECT_NOT_NULL(test, pg);
		if (pg)
			KUNIT_EXPECT_TRUE(test,
					  test_bit(ntpool_hdr_unit(hdr),
						   pg->quarantine));
		rcu_read_unlock();
	}
}

/*
 * What an interrupt that comes in this CPU's section does (cpu_section.h):
 * its allocations and frees pass the per-CPU cache by, on the fast path
 * and the general one, and are counted all the same, straight into the
 * totals; the cache is as it was, and serves the next request.
 */
static void interrupted_section(struct kunit *test)
{
	const u32 tag = '1tnI';
	struct ntpool_report_log *log = ntpool_catch_reports(test);
	struct ntpool_client *c = ntpool_client_of(THIS_MODULE);
	struct ntpool_verifier_stats vbefore, vafter;
	struct ntpool_tag_stats before, after;
	struct ntpool_tag *row = ntpool_tag_get(tag, GFP_KERNEL);
	unsigned long cached, during[2];
	bool entered, nested;
	void *p, *q, *r;

	KUNIT_ASSERT_NOT_NULL(test, row);
	KUNIT_ASSERT_NOT_NULL(test, c);
	migrate_disable();
	/* A block on this CPU's cache. */
	p = ExAllocatePool2(POOL_FLAG_NON_PAGED, 64, tag);
	KUNIT_ASSERT_NOT_NULL(test, p);
	ExFreePoolWithTag(p, tag);
	cached = ntpool_pcp_count();
	ntpool_tag_read(row, &before);
	ntpool_client_verifier_read(c, &vbefore);

	/*
	 * As an interrupt would find it: the section taken.  Nothing in it
	 * may fail the test (the section would stay taken): results are
	 * checked once it is left.
	 */
	preempt_disable();
	entered = ntpool_cpu_enter();
	nested = !ntpool_cpu_enter();
	if (!nested)
		ntpool_cpu_leave();
	q = ExAllocatePool2(POOL_FLAG_NON_PAGED | POOL_FLAG_UNINITIALIZED, 64,
			    tag);
	r = ExAllocatePool2(POOL_FLAG_NON_PAGED | POOL_FLAG_CACHE_ALIGNED, 64,
			    tag);
	during[0] = ntpool_pcp_count();
	if (q)
		ExFreePoolWithTag(q, tag);
	if (r)
		ExFreePoolWithTag(r, tag);
	during[1] = ntpool_pcp_count();
	if (entered)
		ntpool_cpu_leave();
	preempt_enable();

	KUNIT_ASSERT_TRUE(test, entered);
	KUNIT_EXPECT_TRUE(test, nested);
	KUNIT_EXPECT_EQ(test, during[0], cached);
	KUNIT_EXPECT_EQ(test, during[1], cached);
	KUNIT_ASSERT_NOT_NULL(test, q);
	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_EXPECT_PTR_NE(test, q, p);
	KUNIT_EXPECT_PTR_NE(test, r, p);
	ntpool_tag_read(row, &after);
	ntpool_client_verifier_read(c, &vafter);
	KUNIT_EXPECT_EQ(test, after.u.allocs[NTPOOL_NONPAGED] -
			before.u.allocs[NTPOOL_NONPAGED], 2ULL);
	KUNIT_EXPECT_EQ(test, after.u.frees[NTPOOL_NONPAGED] -
			before.u.frees[NTPOOL_NONPAGED], 2ULL);
	KUNIT_EXPECT_EQ(test, after.u.bytes[NTPOOL_NONPAGED],
			before.u.bytes[NTPOOL_NONPAGED]);
	KUNIT_EXPECT_EQ(test, vafter.count[NTPOOL_VC_SUCCEEDED] -
			vbefore.count[NTPOOL_VC_SUCCEEDED], 2ULL);
	KUNIT_EXPECT_EQ(test, vafter.count[NTPOOL_VC_UNTRACKED] -
			vbefore.count[NTPOOL_VC_UNTRACKED], 2ULL);

	/* The cached block is still there for the next request. */
	q = ExAllocatePool2(POOL_FLAG_NON_PAGED, 64, tag);
	KUNIT_EXPECT_PTR_EQ(test, q, p);
	KUNIT_EXPECT_EQ(test, ntpool_pcp_count(), cached - 1);
	ExFreePoolWithTag(q, tag);
	migrate_enable();
	KUNIT_EXPECT_EQ(test, log->count, 0u);
}

/*
 * A special-pool page freed where vfree() must not run (interrupts off)
 * waits for a work item, still mapped.  Its client may have written every
 * byte of its "start" block, the page's first bytes, and a use after free
 * in that window writes them again: none of that may be what the deferred
 * free follows.
 */
static void special_deferred_free(struct kunit *test)
{
	struct ntpool_report_log *log = ntpool_catch_reports(test);
	struct ntpool_pool *vpool = &ntpool_pools[NTPOOL_PAGED];
	long pages = atomic_long_read(&vpool->nr_big_pages);
	unsigned long flags;
	u8 *b[3];
	int i;

	for (i = 0; i < ARRAY_SIZE(b); i++) {
		b[i] = ExAllocatePoolWithTagPriority(NonPagedPool, 100, TEST_TAG,
						     NormalPoolPrioritySpecialPoolUnderrun);
		KUNIT_ASSERT_NOT_NULL(test, b[i]);
		KUNIT_ASSERT_TRUE(test, is_vmalloc_addr(b[i]));
		KUNIT_ASSERT_EQ(test, offset_in_page(b[i]), 0UL);
		memset(b[i], 0x41, 100);
	}
	KUNIT_EXPECT_EQ(test, atomic_long_read(&vpool->nr_big_pages), pages + 3);
	local_irq_save(flags);
	for (i = 0; i < ARRAY_SIZE(b); i++)
		ExFreePoolWithTag(b[i], TEST_TAG);
	/* The work item cannot run here yet: the pages are still mapped. */
	for (i = 0; i < ARRAY_SIZE(b); i++)
		memset(b[i], 0x41, 100);
	local_irq_restore(flags);
	ntpool_big_flush();
	KUNIT_EXPECT_EQ(test, atomic_long_read(&vpool->nr_big_pages), pages);
	KUNIT_EXPECT_EQ(test, log->count, 0u);
}

static struct kunit_case ntpool_alloc_cases[] = {
	KUNIT_CASE(header_layout),
	KUNIT_CASE(carve_and_coalesce),
	KUNIT_CASE(one_unit_remainders),
	KUNIT_CASE(one_unit_fragment_merges),
	KUNIT_CASE(zero_byte_block),
	KUNIT_CASE(pages_go_back),
	KUNIT_CASE(stress_nonpaged),
	KUNIT_CASE(stress_paged),
	KUNIT_CASE(global_pools_walk),
	KUNIT_CASE(per_cpu_cache),
	KUNIT_CASE(write_after_free),
	KUNIT_CASE(free_block_size_overrun),
	KUNIT_CASE(per_cpu_drain),
	KUNIT_CASE(empty_pages_drained),
	KUNIT_CASE(bitmap_walks_match_the_library),
	KUNIT_CASE(seal_covers_every_sealed_bit),
	KUNIT_CASE(per_cpu_corrupt_header),
	KUNIT_CASE(per_cpu_requested_mismatch),
	KUNIT_CASE(interrupted_section),
	KUNIT_CASE(special_deferred_free),
	{}
};

static struct kunit_suite ntpool_alloc_suite = {
	.name = "ntpool_alloc",
	.test_cases = ntpool_alloc_cases,
};

kunit_test_suite(ntpool_alloc_suite);

MODULE_DESCRIPTION("KUnit tests for the ntpool allocator");
MODULE_LICENSE("GPL");
