// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "ntpool_quota": small blocks charged as quota.
 *
 * KUnit runs in a kernel thread, which NT's rules charge nothing, and UML
 * has no memory cgroups: the payer hook of quota.c stands for the calling
 * task's cgroup, with two made-up cgroups that nothing dereferences (the
 * suite needs a kernel without CONFIG_MEMCG, where nothing is charged for
 * real).  What is checked is ntpool's side: the header, QuotaCharged, which
 * page a block is carved from, the frees, the reports and the counters.
 * The real charge is checked in the VM (tools/test/vm/quota.sh).
 */
#include <kunit/test.h>
#include <linux/spinlock.h>
#include "ntpool_kunit.h"
#include "core/pcp.h"
#include "accounting/quota.h"
#include "accounting/tags.h"

#define QUOTA_TAG	('atoQ')	/* shows as "Qota" */

/* Two cgroups, by address only; a third payer is "nobody" (NULL). */
static u8 cgroups[2];
static struct mem_cgroup *payer_now;

static struct mem_cgroup *test_payer(void)
{
	return payer_now;
}

static struct mem_cgroup *cgroup_a(void)
{
	return (struct mem_cgroup *)&cgroups[0];
}

static struct mem_cgroup *cgroup_b(void)
{
	return (struct mem_cgroup *)&cgroups[1];
}

static void stop_paying(void *unused)
{
	WRITE_ONCE(ntpool_quota_payer_hook, NULL);
}

/* From here on, quota requests are charged to @memcg (NULL: nobody). */
static void pay_as(struct kunit *test, struct mem_cgroup *memcg)
{
	if (IS_ENABLED(CONFIG_MEMCG))
		kunit_skip(test, "made-up cgroups need a kernel without CONFIG_MEMCG");
	payer_now = memcg;
	if (!READ_ONCE(ntpool_quota_payer_hook)) {
		WRITE_ONCE(ntpool_quota_payer_hook, test_payer);
		KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, stop_paying,
								NULL), 0);
	}
}

static struct ntpool_header *hdr_of(void *p)
{
	return ntpool_block_to_hdr(p);
}

/* The page record of a small block of the global pool @kind, or NULL. */
static struct ntpool_page *page_of(enum ntpool_kind kind, void *p)
{
	struct ntpool_pool *pool = &ntpool_pools[kind];
	struct ntpool_page *pg;
	unsigned long flags;

	spin_lock_irqsave(&pool->lock, flags);
	pg = __ntpool_page_lookup(pool, p);
	spin_unlock_irqrestore(&pool->lock, flags);
	return pg;
}

/* Does @memcg have pages in the global pool @kind? */
static bool has_set(enum ntpool_kind kind, struct mem_cgroup *memcg)
{
	struct ntpool_pool *pool = &ntpool_pools[kind];
	unsigned long flags;
	bool found;

	spin_lock_irqsave(&pool->lock, flags);
	found = ntpool_quota_buckets_locked(pool, memcg);
	spin_unlock_irqrestore(&pool->lock, flags);
	return found;
}

static void *quota_alloc(POOL_TYPE type, size_t size)
{
	return ExAllocatePoolWithQuotaTag(type | POOL_QUOTA_FAIL_INSTEAD_OF_RAISE,
					  size, QUOTA_TAG);
}

/*
 * A small quota block has its header, as NT marks one: PoolType with
 * POOL_QUOTA_MASK (8), BlockSize for the bytes asked, and ProcessBilled
 * holding ntpool's fields, sealed.  ExQueryPoolBlockSize says it is
 * charged.
 */
static void header_of_a_charged_block(struct kunit *test)
{
	struct ntpool_report_log *log = ntpool_catch_reports(test);
	struct ntpool_header *hdr;
	BOOLEAN charged = FALSE;
	u8 *p;

	pay_as(test, cgroup_a());
	p = quota_alloc(PagedPool, 64);
	KUNIT_ASSERT_NOT_NULL(test, p);
	hdr = hdr_of(p);
	KUNIT_EXPECT_EQ(test, hdr->pool_type, (PagedPool | 8) + 1);
	KUNIT_EXPECT_EQ(test, hdr->block_size, 64 / 16 + 1);
	KUNIT_EXPECT_EQ(test, hdr->pool_tag, QUOTA_TAG);
	KUNIT_EXPECT_STREQ(test, ntpool_client_name(hdr->pool_index), "vmlinux");
	/* ProcessBilled: bytes asked, the call site, the check value. */
	KUNIT_EXPECT_EQ(test, ntpool_hdr_requested(hdr), (size_t)64);
	KUNIT_EXPECT_GE(test, hdr->pool_tag_hash, NTPOOL_SITES_FIRST_ID);
	KUNIT_EXPECT_EQ(test, ntpool_site_by_id(hdr->pool_tag_hash)->tag,
			QUOTA_TAG);
	KUNIT_EXPECT_TRUE(test, ntpool_hdr_sealed(hdr));
	/* A page of its own cgroup's, in the pool's xarray. */
	KUNIT_ASSERT_NOT_NULL(test, page_of(NTPOOL_PAGED, p));
	KUNIT_EXPECT_PTR_EQ(test, page_of(NTPOOL_PAGED, p)->quota->memcg,
			    cgroup_a());
	KUNIT_EXPECT_EQ(test, ExQueryPoolBlockSize(p, &charged), (SIZE_T)64);
	KUNIT_EXPECT_EQ(test, charged, (BOOLEAN)TRUE);
	ExFreePoolWithTag(p, QUOTA_TAG);

	/* ExAllocatePool2's quota flag: zeroed, non-paged, the same mark. */
	p = ExAllocatePool2(POOL_FLAG_NON_PAGED | POOL_FLAG_USE_QUOTA, 100,
			    QUOTA_TAG);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, hdr_of(p)->pool_type, (NonPagedPool | 8) + 1);
	KUNIT_EXPECT_EQ(test, hdr_of(p)->block_size, 8);
	KUNIT_EXPECT_NULL(test, memchr_inv(p, 0, 100));
	charged = FALSE;
	KUNIT_EXPECT_EQ(test, ExQueryPoolBlockSize(p, &charged), (SIZE_T)112);
	KUNIT_EXPECT_EQ(test, charged, (BOOLEAN)TRUE);
	/* Without the tag, as ExFreePool does. */
	ExFreePool(p);
	KUNIT_EXPECT_EQ(test, log->count, 0u);
}

/*
 * Nobody pays (a kernel thread, the root cgroup): an ordinary block,
 * without the quota bit, as NT gives the System process.
 */
static void nobody_pays_an_ordinary_block(struct kunit *test)
{
	BOOLEAN charged = TRUE;
	void *p;

	pay_as(test, NULL);
	p = quota_alloc(NonPagedPool, 64);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, hdr_of(p)->pool_type, NonPagedPool + 1);
	KUNIT_EXPECT_NULL(test, page_of(NTPOOL_NONPAGED, p)->quota);
	ExQueryPoolBlockSize(p, &charged);
	KUNIT_EXPECT_EQ(test, charged, (BOOLEAN)FALSE);
	ExFreePoolWithTag(p, QUOTA_TAG);
}

/*
 * Blocks of one cgroup share its pages; blocks of another cgroup, and
 * uncharged blocks, never share them.  A page goes, and the cgroup's set
 * with it, when its last block is freed.
 */
static void pages_are_per_cgroup(struct kunit *test)
{
	struct ntpool_report_log *log = ntpool_catch_reports(test);
	struct ntpool_page *pa, *pb, *pu;
	void *a1, *a2, *b1, *u1;

	pay_as(test, cgroup_a());
	a1 = quota_alloc(PagedPool, 64);
	pay_as(test, cgroup_b());
	b1 = quota_alloc(PagedPool, 64);
	u1 = ExAllocatePoolWithTag(PagedPool, 64, QUOTA_TAG);
	pay_as(test, cgroup_a());
	a2 = quota_alloc(PagedPool, 64);
	KUNIT_ASSERT_NOT_NULL(test, a1);
	KUNIT_ASSERT_NOT_NULL(test, a2);
	KUNIT_ASSERT_NOT_NULL(test, b1);
	KUNIT_ASSERT_NOT_NULL(test, u1);
	pa = page_of(NTPOOL_PAGED, a1);
	pb = page_of(NTPOOL_PAGED, b1);
	pu = page_of(NTPOOL_PAGED, u1);
	/* a2 is carved right after a1, on the page A pays for. */
	KUNIT_EXPECT_PTR_EQ(test, a2, a1 + 5 * NTPOOL_BLOCK_SIZE);
	KUNIT_EXPECT_PTR_EQ(test, page_of(NTPOOL_PAGED, a2), pa);
	KUNIT_EXPECT_PTR_NE(test, pb, pa);
	KUNIT_EXPECT_PTR_NE(test, pu, pa);
	KUNIT_EXPECT_PTR_NE(test, pu, pb);
	KUNIT_EXPECT_PTR_EQ(test, pb->quota->memcg, cgroup_b());
	KUNIT_EXPECT_NULL(test, pu->quota);
	KUNIT_EXPECT_EQ(test, pa->quota->nr_pages, 1UL);

	ExFreePoolWithTag(a1, QUOTA_TAG);
	KUNIT_EXPECT_PTR_EQ(test, page_of(NTPOOL_PAGED, a2), pa);
	ExFreePoolWithTag(a2, QUOTA_TAG);
	/* A's last block: its page left the pool, and its set. */
	KUNIT_EXPECT_NULL(test, page_of(NTPOOL_PAGED, a1));
	KUNIT_EXPECT_FALSE(test, has_set(NTPOOL_PAGED, cgroup_a()));
	KUNIT_EXPECT_TRUE(test, has_set(NTPOOL_PAGED, cgroup_b()));
	ExFreePool(b1);
	KUNIT_EXPECT_FALSE(test, has_set(NTPOOL_PAGED, cgroup_b()));
	ExFreePool(u1);
	KUNIT_EXPECT_EQ(test, log->count, 0u);
}

/*
 * A freed charged block is not kept on a per-CPU cache: neither an
 * uncharged request nor another cgroup's gets it; its own cgroup's next
 * request of that size does, from its page.
 */
static void freed_charged_block_is_not_cached(struct kunit *test)
{
	unsigned long cached;
	void *x, *y, *u, *b, *again;

	pay_as(test, cgroup_a());
	x = quota_alloc(NonPagedPool, 64);
	y = quota_alloc(NonPagedPool, 64);
	KUNIT_ASSERT_NOT_NULL(test, x);
	KUNIT_ASSERT_NOT_NULL(test, y);
	cached = ntpool_pcp_count();
	ExFreePoolWithTag(x, QUOTA_TAG);
	KUNIT_EXPECT_EQ(test, ntpool_pcp_count(), cached);
	KUNIT_EXPECT_EQ(test, hdr_of(x)->pool_type, 0);
	u = ExAllocatePool2(POOL_FLAG_NON_PAGED, 64, QUOTA_TAG);
	pay_as(test, cgroup_b());
	b = quota_alloc(NonPagedPool, 64);
	KUNIT_EXPECT_PTR_NE(test, u, x);
	KUNIT_EXPECT_PTR_NE(test, b, x);
	pay_as(test, cgroup_a());
	again = quota_alloc(NonPagedPool, 64);
	KUNIT_EXPECT_PTR_EQ(test, again, x);
	ExFreePool(u);
	ExFreePool(b);
	ExFreePool(again);
	ExFreePool(y);
}

/* Misuse of a charged block is reported as for any other block. */
static void misuse_is_reported(struct kunit *test)
{
	struct ntpool_report_log *log = ntpool_catch_reports(test);
	void *keep, *p;
	u32 ulong1;

	pay_as(test, cgroup_a());
	/* Another block keeps the page, so that the freed one is still there. */
	keep = quota_alloc(PagedPool, 64);
	p = quota_alloc(PagedPool, 100);
	KUNIT_ASSERT_NOT_NULL(test, keep);
	KUNIT_ASSERT_NOT_NULL(test, p);

	ExFreePoolWithTag(p, 'gnrW');
	ntpool_expect_report(test, log, 1, BAD_POOL_CALLER, NTPOOL_C2_WRONG_TAG,
			     (unsigned long)p, QUOTA_TAG, 'gnrW');
	((u8 *)p)[100] = 0;
	ExFreePoolWithTag(p, QUOTA_TAG);
	ntpool_expect_report(test, log, 2, BAD_POOL_HEADER, NTPOOL_19_OVERRUN,
			     (unsigned long)p, 100, 0);
	ulong1 = ntpool_hdr_ulong1(hdr_of(p));
	ExFreePoolWithTag(p, QUOTA_TAG);
	ntpool_expect_report(test, log, 3, BAD_POOL_CALLER,
			     NTPOOL_C2_ALREADY_FREE, 0, ulong1,
			     (unsigned long)p);
	ExFreePool(keep);
	KUNIT_EXPECT_EQ(test, log->count, 3u);
}

/* Tag and module counters count a charged block's bytes, as any block's. */
static void counted_as_any_block(struct kunit *test)
{
	const u32 tag = ('1atQ');	/* "Qta1" */
	struct ntpool_tag_stats st;
	void *p;

	pay_as(test, cgroup_b());
	p = ExAllocatePoolWithQuotaTag(NonPagedPool, 200, tag);
	KUNIT_ASSERT_NOT_NULL(test, p);
	ntpool_tag_read(ntpool_tag_find(tag), &st);
	KUNIT_EXPECT_EQ(test, st.u.count[NTPOOL_NONPAGED], 1LL);
	KUNIT_EXPECT_EQ(test, st.u.bytes[NTPOOL_NONPAGED], 224LL);
	ExFreePoolWithTag(p, tag);
	ntpool_tag_read(ntpool_tag_find(tag), &st);
	KUNIT_EXPECT_EQ(test, st.u.count[NTPOOL_NONPAGED], 0LL);
	KUNIT_EXPECT_EQ(test, st.u.bytes[NTPOOL_NONPAGED], 0LL);
}

static struct kunit_case ntpool_quota_cases[] = {
	KUNIT_CASE(header_of_a_charged_block),
	KUNIT_CASE(nobody_pays_an_ordinary_block),
	KUNIT_CASE(pages_are_per_cgroup),
	KUNIT_CASE(freed_charged_block_is_not_cached),
	KUNIT_CASE(misuse_is_reported),
	KUNIT_CASE(counted_as_any_block),
	{}
};

static struct kunit_suite ntpool_quota_suite = {
	.name = "ntpool_quota",
	.test_cases = ntpool_quota_cases,
};

kunit_test_suite(ntpool_quota_suite);

MODULE_LICENSE("GPL");
