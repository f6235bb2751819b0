// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "ntpool_api": the NT routines of <ntpool/ntpool.h> as a
 * client calls them, on ntpool's global pools.
 */
#include <kunit/test.h>
#include <linux/hrtimer.h>
#include <linux/completion.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include "ntpool_kunit.h"
#include "accounting/quota.h"
#include "base/gfp.h"
#include "accounting/tags.h"

#define TEST_TAG	('tseT')	/* shows as "Test" */

static struct ntpool_header *hdr_of(void *p)
{
	return ntpool_block_to_hdr(p);
}

static bool in_big_table(void *p)
{
	struct ntpool_pool *pool = ntpool_pool_of(p);
	void *entry = xa_load(&pool->pages, ntpool_page_key(p));

	return entry && xa_pointer_tag(entry) == NTPOOL_XA_BIG;
}

static void paged_pool_is_vmalloc(struct kunit *test)
{
	void *p = ExAllocatePool2(POOL_FLAG_PAGED, 100, TEST_TAG);
	void *big = ExAllocatePool2(POOL_FLAG_PAGED, 3 * PAGE_SIZE, TEST_TAG);

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_NOT_NULL(test, big);
	KUNIT_EXPECT_TRUE(test, is_vmalloc_addr(p));
	KUNIT_EXPECT_TRUE(test, is_vmalloc_addr(big));
	KUNIT_EXPECT_EQ(test, hdr_of(p)->pool_type, PagedPool + 1);
	ExFreePoolWithTag(p, TEST_TAG);
	ExFreePoolWithTag(big, TEST_TAG);
}

static void nonpaged_pool_is_direct_map(struct kunit *test)
{
	void *p = ExAllocatePool2(POOL_FLAG_NON_PAGED, 100, TEST_TAG);
	void *x = ExAllocatePool2(POOL_FLAG_NON_PAGED_EXECUTE, 100, TEST_TAG);
	void *big = ExAllocatePool2(POOL_FLAG_NON_PAGED, 3 * PAGE_SIZE, TEST_TAG);

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_NOT_NULL(test, x);
	KUNIT_ASSERT_NOT_NULL(test, big);
	KUNIT_EXPECT_FALSE(test, is_vmalloc_addr(p));
	KUNIT_EXPECT_TRUE(test, virt_addr_valid(p));
	/* Executable memory is a vmap() alias: the direct map is NX. */
	KUNIT_EXPECT_TRUE(test, is_vmalloc_addr(x));
	KUNIT_EXPECT_TRUE(test, virt_addr_valid(big));
	KUNIT_EXPECT_EQ(test, hdr_of(p)->pool_type, NonPagedPool + 1);
	ExFreePool(p);
	ExFreePool(x);
	ExFreePool(big);
}

static void small_big_boundary(struct kunit *test)
{
	u8 *small = ExAllocatePool2(POOL_FLAG_NON_PAGED, 4064, TEST_TAG);
	u8 *big = ExAllocatePool2(POOL_FLAG_NON_PAGED, 4065, TEST_TAG);

	KUNIT_ASSERT_NOT_NULL(test, small);
	KUNIT_ASSERT_NOT_NULL(test, big);
	KUNIT_EXPECT_FALSE(test, in_big_table(small));
	KUNIT_EXPECT_EQ(test, hdr_of(small)->block_size, 255);
	KUNIT_EXPECT_EQ(test, hdr_of(small)->pool_tag, (u32)TEST_TAG);
	KUNIT_EXPECT_TRUE(test, in_big_table(big));
	KUNIT_EXPECT_TRUE(test, PAGE_ALIGNED(big));
	memset(small, 0x5a, 4064);
	memset(big, 0xa5, 4065);
	ExFreePoolWithTag(small, TEST_TAG);
	ExFreePoolWithTag(big, TEST_TAG);
}

static const size_t sizes[] = { 1, 15, 16, 17, 31, 32, 48, 63, 64, 100, 255,
				256, 1000, 2047, 2048, 4000, 4032, 4033, 4064 };

static void alignment_and_page_bounds(struct kunit *test)
{
	void *p[ARRAY_SIZE(sizes)];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		unsigned long a;

		p[i] = ExAllocatePool2(i & 1 ? POOL_FLAG_PAGED : POOL_FLAG_NON_PAGED,
				       sizes[i], TEST_TAG);
		KUNIT_ASSERT_NOT_NULL(test, p[i]);
		a = (unsigned long)p[i];
		KUNIT_EXPECT_TRUE(test, IS_ALIGNED(a, 16));
		/* A small block never crosses a page boundary. */
		KUNIT_EXPECT_EQ(test, a & PAGE_MASK,
				(a + sizes[i] - 1) & PAGE_MASK);
	}
	for (i = 0; i < ARRAY_SIZE(sizes); i++)
		ExFreePoolWithTag(p[i], TEST_TAG);
}

static void cache_aligned(struct kunit *test)
{
	void *p[ARRAY_SIZE(sizes) * 3];
	unsigned int i, n = 0;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		p[n++] = ExAllocatePool2(POOL_FLAG_NON_PAGED | POOL_FLAG_CACHE_ALIGNED,
					 sizes[i], TEST_TAG);
		p[n++] = ExAllocatePoolWithTag(PagedPoolCacheAligned, sizes[i],
					       TEST_TAG);
		p[n++] = ExAllocatePoolWithTag(NonPagedPoolNxCacheAligned,
					       sizes[i], TEST_TAG);
	}
	for (i = 0; i < n; i++) {
		KUNIT_ASSERT_NOT_NULL(test, p[i]);
		KUNIT_EXPECT_TRUE(test, IS_ALIGNED((unsigned long)p[i],
						   L1_CACHE_BYTES));
		memset(p[i], 0x11, sizes[i / 3]);
	}
	for (i = 0; i < n; i++)
		ExFreePoolWithTag(p[i], TEST_TAG);
}

/* Allocate, dirty and free, so that the next block of that size is dirty. */
static void dirty_pool(POOL_FLAGS kind, size_t size)
{
	void *p = ExAllocatePool2(kind | POOL_FLAG_UNINITIALIZED, size, TEST_TAG);

	if (p) {
		memset(p, 0xee, size);
		ExFreePool(p);
	}
}

static bool all_bytes(const u8 *p, size_t size, u8 value)
{
	return !memchr_inv(p, value, size);
}

/* The block is there and holds @value throughout; then free it. */
static void expect_contents(struct kunit *test, u8 *p, size_t size, u8 value)
{
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_TRUE(test, all_bytes(p, size, value));
	ExFreePool(p);
}

static void zeroing(struct kunit *test)
{
	const size_t size = 200, big = 3 * PAGE_SIZE + 5;

	dirty_pool(POOL_FLAG_NON_PAGED, size);
	expect_contents(test, ExAllocatePool2(POOL_FLAG_NON_PAGED, size, TEST_TAG),
			size, 0);
	expect_contents(test, ExAllocatePool2(POOL_FLAG_PAGED, big, TEST_TAG),
			big, 0);

	/* The legacy routines and POOL_FLAG_UNINITIALIZED do not zero. */
	dirty_pool(POOL_FLAG_NON_PAGED, size);
	expect_contents(test, ExAllocatePool2(POOL_FLAG_NON_PAGED |
					      POOL_FLAG_UNINITIALIZED,
					      size, TEST_TAG), size, 0xee);
	dirty_pool(POOL_FLAG_PAGED, size);
	expect_contents(test, ExAllocatePoolWithTag(PagedPool, size, TEST_TAG),
			size, 0xee);

	/* The *Zero wrappers zero. */
	dirty_pool(POOL_FLAG_PAGED, size);
	expect_contents(test, ExAllocatePoolZero(PagedPool, size, TEST_TAG),
			size, 0);
	dirty_pool(POOL_FLAG_NON_PAGED, size);
	expect_contents(test, ExAllocatePoolPriorityZero(NonPagedPoolNx, size,
							 TEST_TAG,
							 HighPoolPriority),
			size, 0);
	dirty_pool(POOL_FLAG_PAGED, size);
	expect_contents(test, ExAllocatePoolQuotaZero(PagedPool, size, TEST_TAG),
			size, 0);
}

struct flags_case {
	POOL_FLAGS flags;
	bool succeeds;
	const char *what;
};

static const struct flags_case flags_cases[] = {
	{ POOL_FLAG_NON_PAGED, true, "non-paged" },
	{ POOL_FLAG_PAGED, true, "paged" },
	{ POOL_FLAG_NON_PAGED_EXECUTE, true, "non-paged execute" },
	{ POOL_FLAG_PAGED | POOL_FLAG_USE_QUOTA, true, "quota" },
	{ POOL_FLAG_PAGED | (1ULL << 40), true, "unknown optional bit" },
	{ POOL_FLAG_PAGED | POOL_FLAG_SPECIAL_POOL, true, "special pool (optional)" },
	{ 0, false, "no pool kind" },
	{ POOL_FLAG_UNINITIALIZED, false, "no pool kind, uninitialized" },
	{ POOL_FLAG_PAGED | POOL_FLAG_NON_PAGED, false, "two pool kinds" },
	{ POOL_FLAG_NON_PAGED | POOL_FLAG_NON_PAGED_EXECUTE, false, "two non-paged kinds" },
	{ POOL_FLAG_PAGED | POOL_FLAG_SESSION, false, "session pool" },
	{ POOL_FLAG_PAGED | POOL_FLAG_RESERVED1, false, "reserved 1" },
	{ POOL_FLAG_PAGED | POOL_FLAG_RESERVED2, false, "reserved 2" },
	{ POOL_FLAG_PAGED | POOL_FLAG_RESERVED3, false, "reserved 3" },
	{ POOL_FLAG_PAGED | 0x800, false, "first unused required bit" },
	{ POOL_FLAG_PAGED | POOL_FLAG_REQUIRED_END, false, "last required bit" },
};

static void flags_case_desc(const struct flags_case *c, char *desc)
{
	strscpy(desc, c->what, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(pool2_flags, flags_cases, flags_case_desc);

static void pool2_flag_validation(struct kunit *test)
{
	const struct flags_case *c = test->param_value;
	struct ntpool_report_log *log = ntpool_catch_reports(test);
	void *p = ExAllocatePool2(c->flags, 64, TEST_TAG);

	KUNIT_EXPECT_EQ(test, !!p, c->succeeds);
	KUNIT_EXPECT_EQ(test, log->count, 0u);
	if (p)
		ExFreePoolWithTag(p, TEST_TAG);

	/* With the raise flag, a refused set raises STATUS_INVALID_PARAMETER. */
	p = ExAllocatePool2(c->flags | POOL_FLAG_RAISE_ON_FAILURE, 64, TEST_TAG);
	KUNIT_EXPECT_EQ(test, !!p, c->succeeds);
	if (p) {
		ExFreePoolWithTag(p, TEST_TAG);
		KUNIT_EXPECT_EQ(test, log->count, 0u);
		return;
	}
	ntpool_expect_report(test, log, 1, KMODE_EXCEPTION_NOT_HANDLED,
			     (u32)STATUS_INVALID_PARAMETER, log->last.args[1],
			     64, TEST_TAG);
}

static void pool2_tag_zero(struct kunit *test)
{
	struct ntpool_report_log *log = ntpool_catch_reports(test);

	KUNIT_EXPECT_NULL(test, ExAllocatePool2(POOL_FLAG_PAGED, 64, 0));
	KUNIT_EXPECT_EQ(test, log->count, 0u);
}

static void legacy_pool_types(struct kunit *test)
{
	static const struct { u32 type; bool paged; } ok[] = {
		{ NonPagedPool, false }, { PagedPool, true },
		{ NonPagedPoolNx, false }, { NonPagedPoolSession, false },
		{ PagedPoolSession, true }, { NonPagedPoolSessionNx, false },
		{ PagedPool | POOL_COLD_ALLOCATION, true },
		{ NonPagedPool | POOL_NX_ALLOCATION, false },
	};
	struct ntpool_report_log *log = ntpool_catch_reports(test);
	unsigned int i;
	void *p;

	for (i = 0; i < ARRAY_SIZE(ok); i++) {
		p = ExAllocatePoolWithTag(ok[i].type, 64, TEST_TAG);
		KUNIT_ASSERT_NOT_NULL(test, p);
		KUNIT_EXPECT_EQ(test, is_vmalloc_addr(p), ok[i].paged);
		ExFreePoolWithTag(p, TEST_TAG);
	}
	KUNIT_EXPECT_NULL(test, ExAllocatePoolWithTag(DontUseThisType, 64, TEST_TAG));
	KUNIT_EXPECT_NULL(test, ExAllocatePoolWithTag(MaxPoolType, 64, TEST_TAG));
	KUNIT_EXPECT_EQ(test, log->count, 0u);

	/* Must-succeed pool is no longer supported: 0xC2/0x9A. */
	KUNIT_EXPECT_NULL(test, ExAllocatePoolWithTag(NonPagedPoolMustSucceed,
						      64, TEST_TAG));
	ntpool_expect_report(test, log, 1, BAD_POOL_CALLER, 0x9A,
			     NonPagedPoolMustSucceed, 64, TEST_TAG);
	/* Reported once: NT stops there, nothing is raised on top. */
	KUNIT_EXPECT_NULL(test, ExAllocatePoolWithTag(NonPagedPoolMustSucceed |
						      POOL_RAISE_IF_ALLOCATION_FAILURE,
						      64, TEST_TAG));
	KUNIT_EXPECT_EQ(test, log->count, 2u);
	KUNIT_EXPECT_EQ(test, log->last.code, (u32)BAD_POOL_CALLER);
}

static void legacy_bad_tags(struct kunit *test)
{
	struct ntpool_report_log *log = ntpool_catch_reports(test);

	KUNIT_EXPECT_NULL(test, ExAllocatePoolWithTag(PagedPool, 10, 0));
	KUNIT_EXPECT_EQ(test, log->count, 1u);
	KUNIT_EXPECT_EQ(test, log->last.code, (u32)BAD_POOL_CALLER);
	KUNIT_EXPECT_EQ(test, log->last.args[0], 0x9BULL);
	KUNIT_EXPECT_EQ(test, log->last.args[1], (u64)PagedPool);
	KUNIT_EXPECT_EQ(test, log->last.args[2], 10ULL);
	KUNIT_EXPECT_NE(test, log->last.args[3], 0ULL);

	KUNIT_EXPECT_NULL(test, ExAllocatePoolWithTag(NonPagedPool, 20, ' GIB'));
	KUNIT_EXPECT_EQ(test, log->count, 2u);
	KUNIT_EXPECT_EQ(test, log->last.args[0], 0x9CULL);
	KUNIT_EXPECT_EQ(test, log->last.args[2], 20ULL);

	KUNIT_EXPECT_NULL(test, ExAllocatePoolWithTag(PagedPool, 30, '!-+ '));
	KUNIT_EXPECT_EQ(test, log->count, 3u);
	KUNIT_EXPECT_EQ(test, log->last.args[0], 0x9DULL);
	KUNIT_EXPECT_EQ(test, log->last.args[1], (u64)'!-+ ');
	KUNIT_EXPECT_EQ(test, log->last.args[2], (u64)PagedPool);

	/* Reported once, whether or not the caller asked for a raise. */
	KUNIT_EXPECT_NULL(test, ExAllocatePoolWithTag(PagedPool |
						      POOL_RAISE_IF_ALLOCATION_FAILURE,
						      10, 0));
	KUNIT_EXPECT_EQ(test, log->count, 4u);
	KUNIT_EXPECT_EQ(test, log->last.args[0], 0x9BULL);
	KUNIT_EXPECT_NULL(test, ExAllocatePoolWithQuotaTag(PagedPool, 10,
							   ' GIB'));
	KUNIT_EXPECT_EQ(test, log->count, 5u);
	KUNIT_EXPECT_EQ(test, log->last.code, (u32)BAD_POOL_CALLER);
	KUNIT_EXPECT_EQ(test, log->last.args[0], 0x9CULL);
}

static void legacy_default_tag_is_none(struct kunit *test)
{
	char *p = ExAllocatePool(PagedPool, 40);

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, hdr_of(p)->pool_tag, NTPOOL_TAG_NONE);
	KUNIT_EXPECT_EQ(test, memcmp(&hdr_of(p)->pool_tag, "None", 4), 0);
	ExFreePoolWithTag(p, NTPOOL_TAG_NONE);
}

static void every_routine(struct kunit *test)
{
	struct ntpool_report_log *log = ntpool_catch_reports(test);
	void *p[10];
	unsigned int i;

	p[0] = ExAllocatePool(NonPagedPool, 10);
	p[1] = ExAllocatePoolWithTag(PagedPool, 20, TEST_TAG);
	p[2] = ExAllocatePoolWithTagPriority(NonPagedPool, 30, TEST_TAG,
					     LowPoolPriority);
	p[3] = ExAllocatePoolWithQuotaTag(PagedPool, 40, TEST_TAG);
	p[4] = ExAllocatePoolZero(NonPagedPoolNx, 50, TEST_TAG);
	p[5] = ExAllocatePoolUninitialized(PagedPool, 60, TEST_TAG);
	p[6] = ExAllocatePoolQuotaZero(NonPagedPool, 70, TEST_TAG);
	p[7] = ExAllocatePoolQuotaUninitialized(PagedPool, 80, TEST_TAG);
	p[8] = ExAllocatePoolPriorityZero(PagedPool, 90, TEST_TAG,
					  NormalPoolPriority);
	p[9] = ExAllocatePoolPriorityUninitialized(NonPagedPool, 100, TEST_TAG,
						   HighPoolPriority);
	for (i = 0; i < ARRAY_SIZE(p); i++) {
		BOOLEAN quota = TRUE;

		KUNIT_ASSERT_NOT_NULL(test, p[i]);
		KUNIT_EXPECT_EQ(test, ExQueryPoolBlockSize(p[i], &quota),
				(SIZE_T)round_up((i + 1) * 10, NTPOOL_BLOCK_SIZE));
		KUNIT_EXPECT_EQ(test, quota, (BOOLEAN)FALSE);
		/* The owner recorded in PoolIndex is the calling module. */
		KUNIT_EXPECT_STREQ(test, ntpool_client_name(hdr_of(p[i])->pool_index),
				   "vmlinux");
		/* Every byte ExQueryPoolBlockSize reported is the caller's now. */
		KUNIT_EXPECT_EQ(test, ntpool_hdr_requested(hdr_of(p[i])),
				(hdr_of(p[i])->block_size - 1) * NTPOOL_BLOCK_SIZE);
		if (i)
			ExFreePoolWithTag(p[i], TEST_TAG);
		else
			ExFreePool(p[i]);
	}
	KUNIT_EXPECT_EQ(test, log->count, 0u);
}

static void query_block_size(struct kunit *test)
{
	static const size_t big[][2] = {
		{ 4065, PAGE_SIZE }, { PAGE_SIZE, PAGE_SIZE },
		{ PAGE_SIZE + 1, 2 * PAGE_SIZE }, { 5 * PAGE_SIZE, 5 * PAGE_SIZE },
	};
	struct ntpool_report_log *log = ntpool_catch_reports(test);
	unsigned int i;
	BOOLEAN quota;
	SIZE_T room;
	void *p;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		p = ExAllocatePool2(POOL_FLAG_PAGED, sizes[i], TEST_TAG);
		KUNIT_ASSERT_NOT_NULL(test, p);
		room = ExQueryPoolBlockSize(p, &quota);
		/* The block is ceil(size / 16) units of data, exactly. */
		KUNIT_EXPECT_EQ(test, room,
				(SIZE_T)round_up(sizes[i], NTPOOL_BLOCK_SIZE));
		/* Every byte reported is the caller's: no overrun. */
		memset(p, 0x5a, room);
		ExFreePool(p);
	}
	/* The case: 100 bytes asked, 112 reported, all written. */
	p = ExAllocatePool2(POOL_FLAG_NON_PAGED, 100, TEST_TAG);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, ExQueryPoolBlockSize(p, &quota), (SIZE_T)112);
	memset(p, 0x5a, 112);
	ExFreePoolWithTag(p, TEST_TAG);
	for (i = 0; i < ARRAY_SIZE(big); i++) {
		p = ExAllocatePool2(POOL_FLAG_NON_PAGED, big[i][0], TEST_TAG);
		KUNIT_ASSERT_NOT_NULL(test, p);
		KUNIT_EXPECT_EQ(test, ExQueryPoolBlockSize(p, &quota), big[i][1]);
		memset(p, 0x5a, big[i][1]);
		ExFreePool(p);
	}
	KUNIT_EXPECT_EQ(test, log->count, 0u);
	/* Past what was reported is still an overrun. */
	p = ExAllocatePool2(POOL_FLAG_NON_PAGED, 100, TEST_TAG);
	KUNIT_ASSERT_NOT_NULL(test, p);
	((u8 *)p)[100] = 0;
	ExFreePool(p);
	KUNIT_EXPECT_EQ(test, log->count, 1u);
	KUNIT_EXPECT_EQ(test, log->last.args[0], 0x21ULL);
}

static POOL_EXTENDED_PARAMETER param(ULONG64 type, bool optional, ULONG64 value)
{
	POOL_EXTENDED_PARAMETER p = { .Type = type, .Optional = optional };

	p.Reserved2 = value;
	return p;
}

/*
 * Sizes no machine can hold fail quietly, whichever way they are asked
 * for: NULL, no report, nothing from the page or slab allocator (a WARN
 * in the run's log fails the run), and no size truncated to 32 bits on
 * the way.
 */
static void impossible_sizes_fail_quietly(struct kunit *test)
{
	const size_t huge[] = {
		SIZE_MAX, SIZE_MAX - PAGE_SIZE, SIZE_MAX - PAGE_SIZE + 2,
		SIZE_MAX / 2, 1ULL << 48, (1ULL << 44) + PAGE_SIZE,
		(1ULL << 32) + 16, (totalram_pages() + 1) << PAGE_SHIFT,
	};
	POOL_EXTENDED_PARAMETER node = param(PoolExtendedParameterNumaNode,
					     false, 0 | MM_ANY_NODE_OK);
	POOL_EXTENDED_PARAMETER low = param(PoolExtendedParameterPriority,
					    false, LowPoolPriority);
	const POOL_TYPE quota_type = NonPagedPool | POOL_QUOTA_FAIL_INSTEAD_OF_RAISE;
	const EX_POOL_PRIORITY special = HighPoolPrioritySpecialPoolOverrun;
	struct ntpool_report_log *log = ntpool_catch_reports(test);
	unsigned int i;
	void *p;

	for (i = 0; i < ARRAY_SIZE(huge); i++) {
		size_t size = huge[i];

		KUNIT_EXPECT_NULL_MSG(test, ExAllocatePool2(POOL_FLAG_PAGED, size,
							    TEST_TAG), "%zu", size);
		KUNIT_EXPECT_NULL_MSG(test, ExAllocatePool2(POOL_FLAG_NON_PAGED,
							    size, TEST_TAG),
				      "%zu", size);
		KUNIT_EXPECT_NULL_MSG(test, ExAllocatePool2(POOL_FLAG_NON_PAGED |
							    POOL_FLAG_CACHE_ALIGNED |
							    POOL_FLAG_USE_QUOTA,
							    size, TEST_TAG),
				      "%zu", size);
		KUNIT_EXPECT_NULL_MSG(test, ExAllocatePool3(POOL_FLAG_NON_PAGED,
							    size, TEST_TAG, &node, 1),
				      "%zu", size);
		KUNIT_EXPECT_NULL_MSG(test, ExAllocatePool3(POOL_FLAG_PAGED, size,
							    TEST_TAG, &low, 1),
				      "%zu", size);
		KUNIT_EXPECT_NULL_MSG(test, ExAllocatePoolWithTag(NonPagedPool,
								  size, TEST_TAG),
				      "%zu", size);
		p = ExAllocatePoolWithTagPriority(PagedPool, size, TEST_TAG,
						  special);
		KUNIT_EXPECT_NULL_MSG(test, p, "%zu", size);
		KUNIT_EXPECT_NULL_MSG(test, ExAllocatePoolWithQuotaTag(quota_type,
								       size, TEST_TAG),
				      "%zu", size);
	}
	KUNIT_EXPECT_EQ(test, log->count, 0u);
}

/* What a failed quota request raises: no page count that wraps to 0. */
static void quota_failure_status(struct kunit *test)
{
	const size_t huge[] = { SIZE_MAX, SIZE_MAX / 2, 1ULL << 48,
				(totalram_pages() + 1) << PAGE_SHIFT };
	/* A cgroup that pays, never looked at: the sizes settle it first. */
	static u8 payer;
	struct ntpool_request req = { .memcg = (struct mem_cgroup *)&payer };
	unsigned int i;

	/* More than the machine has is no quota question. */
	for (i = 0; i < ARRAY_SIZE(huge); i++) {
		req.size = huge[i];
		KUNIT_EXPECT_EQ_MSG(test, ntpool_quota_failure_status(&req),
				    (u32)STATUS_INSUFFICIENT_RESOURCES, "%zu",
				    huge[i]);
	}
	req.memcg = NULL;
	KUNIT_EXPECT_EQ(test, ntpool_quota_failure_status(&req),
			(u32)STATUS_INSUFFICIENT_RESOURCES);
}

/* What a raised failure reports: KMODE_EXCEPTION_NOT_HANDLED and @status. */
static void expect_raised(struct kunit *test,
			  const struct ntpool_report_log *log,
			  unsigned int count, NTSTATUS status, size_t size,
			  u32 tag)
{
	KUNIT_EXPECT_EQ(test, log->count, count);
	KUNIT_EXPECT_EQ(test, log->last.code, (u32)KMODE_EXCEPTION_NOT_HANDLED);
	KUNIT_EXPECT_EQ(test, log->last.args[0], (u64)(u32)status);
	KUNIT_EXPECT_EQ(test, log->last.args[2], (u64)size);
	KUNIT_EXPECT_EQ(test, log->last.args[3], (u64)tag);
}

/*
 * A request that found no memory raises STATUS_INSUFFICIENT_RESOURCES; one
 * refused for its flags, type or tag raises STATUS_INVALID_PARAMETER.
 */
static void raise_on_failure_reports(struct kunit *test)
{
	struct ntpool_report_log *log = ntpool_catch_reports(test);

	KUNIT_EXPECT_NULL(test, ExAllocatePool2(POOL_FLAG_PAGED |
						POOL_FLAG_RAISE_ON_FAILURE,
						SIZE_MAX, TEST_TAG));
	expect_raised(test, log, 1, STATUS_INSUFFICIENT_RESOURCES, SIZE_MAX,
		      TEST_TAG);

	/* No pool kind, an unknown required flag, tag 0. */
	KUNIT_EXPECT_NULL(test, ExAllocatePool2(POOL_FLAG_RAISE_ON_FAILURE, 64,
						TEST_TAG));
	expect_raised(test, log, 2, STATUS_INVALID_PARAMETER, 64, TEST_TAG);
	KUNIT_EXPECT_NULL(test, ExAllocatePool2(POOL_FLAG_NON_PAGED |
						POOL_FLAG_RAISE_ON_FAILURE |
						POOL_FLAG_RESERVED1, 64,
						TEST_TAG));
	expect_raised(test, log, 3, STATUS_INVALID_PARAMETER, 64, TEST_TAG);
	KUNIT_EXPECT_NULL(test, ExAllocatePool2(POOL_FLAG_NON_PAGED |
						POOL_FLAG_RAISE_ON_FAILURE,
						64, 0));
	expect_raised(test, log, 4, STATUS_INVALID_PARAMETER, 64, 0);

	KUNIT_EXPECT_NULL(test, ExAllocatePoolWithTag(PagedPool |
						      POOL_RAISE_IF_ALLOCATION_FAILURE,
						      SIZE_MAX, TEST_TAG));
	expect_raised(test, log, 5, STATUS_INSUFFICIENT_RESOURCES, SIZE_MAX,
		      TEST_TAG);
	KUNIT_EXPECT_NULL(test, ExAllocatePoolWithTag(DontUseThisType |
						      POOL_RAISE_IF_ALLOCATION_FAILURE,
						      64, TEST_TAG));
	expect_raised(test, log, 6, STATUS_INVALID_PARAMETER, 64, TEST_TAG);

	/* The quota routine raises unless told to fail instead. */
	KUNIT_EXPECT_NULL(test, ExAllocatePoolWithQuotaTag(PagedPool, SIZE_MAX,
							   TEST_TAG));
	expect_raised(test, log, 7, STATUS_INSUFFICIENT_RESOURCES, SIZE_MAX,
		      TEST_TAG);
	KUNIT_EXPECT_NULL(test, ExAllocatePoolWithQuotaTag(MaxPoolType, 64,
							   TEST_TAG));
	expect_raised(test, log, 8, STATUS_INVALID_PARAMETER, 64, TEST_TAG);
	KUNIT_EXPECT_NULL(test, ExAllocatePoolWithQuotaTag(PagedPool |
							   POOL_QUOTA_FAIL_INSTEAD_OF_RAISE,
							   SIZE_MAX, TEST_TAG));
	KUNIT_EXPECT_NULL(test, ExAllocatePoolWithQuotaTag(MaxPoolType |
							   POOL_QUOTA_FAIL_INSTEAD_OF_RAISE,
							   64, TEST_TAG));
	KUNIT_EXPECT_EQ(test, log->count, 8u);

	/* Without a raise flag, nothing is raised. */
	KUNIT_EXPECT_NULL(test, ExAllocatePool2(0, 64, TEST_TAG));
	KUNIT_EXPECT_NULL(test, ExAllocatePool2(POOL_FLAG_PAGED, SIZE_MAX,
						TEST_TAG));
	KUNIT_EXPECT_EQ(test, log->count, 8u);
}

/*
 * Retail NT serves a request of 0 bytes (only Driver Verifier reports it):
 * the smallest block, a header and one unit of data (BlockSize 2, 16
 * bytes for ExQueryPoolBlockSize), whichever routine asks, accounted
 * under its tag like any other, and freed without a report.
 */
static void zero_size_served(struct kunit *test)
{
	const u32 tag = ('0ezS');	/* "Sze0" */
	struct ntpool_report_log *log = ntpool_catch_reports(test);
	struct ntpool_tag_stats before, after;
	struct ntpool_tag *row = ntpool_tag_get(tag, GFP_KERNEL);
	void *p[6];
	unsigned int i, j;

	KUNIT_ASSERT_NOT_NULL(test, row);
	ntpool_tag_read(row, &before);
	p[0] = ExAllocatePool2(POOL_FLAG_NON_PAGED, 0, tag);
	p[1] = ExAllocatePool2(POOL_FLAG_PAGED | POOL_FLAG_RAISE_ON_FAILURE, 0,
			       tag);
	p[2] = ExAllocatePoolWithTag(NonPagedPool, 0, tag);
	p[3] = ExAllocatePoolWithTag(PagedPool | POOL_RAISE_IF_ALLOCATION_FAILURE,
				     0, tag);
	p[4] = ExAllocatePoolWithQuotaTag(NonPagedPool, 0, tag);
	p[5] = ExAllocatePool2(POOL_FLAG_PAGED | POOL_FLAG_CACHE_ALIGNED, 0, tag);
	for (i = 0; i < ARRAY_SIZE(p); i++) {
		KUNIT_ASSERT_NOT_NULL_MSG(test, p[i], "%u", i);
		KUNIT_EXPECT_EQ_MSG(test, hdr_of(p[i])->block_size, 2, "%u", i);
		KUNIT_EXPECT_EQ_MSG(test, ntpool_hdr_requested(hdr_of(p[i])), 0u,
				    "%u", i);
		/* Distinct blocks: no two overlap. */
		for (j = 0; j < i; j++)
			KUNIT_EXPECT_GE_MSG(test,
					    abs((long)(p[i] - p[j])),
					    2L * NTPOOL_BLOCK_SIZE, "%u %u", i, j);
	}
	KUNIT_EXPECT_TRUE(test, IS_ALIGNED((unsigned long)p[5], L1_CACHE_BYTES));
	ntpool_tag_read(row, &after);
	KUNIT_EXPECT_EQ(test, after.u.allocs[NTPOOL_NONPAGED] -
			before.u.allocs[NTPOOL_NONPAGED], 3ULL);
	KUNIT_EXPECT_EQ(test, after.u.allocs[NTPOOL_PAGED] -
			before.u.allocs[NTPOOL_PAGED], 3ULL);
	KUNIT_EXPECT_EQ(test, after.u.bytes[NTPOOL_NONPAGED], 3LL * 32);
	KUNIT_EXPECT_EQ(test, after.u.bytes[NTPOOL_PAGED], 3LL * 32);
	KUNIT_EXPECT_EQ(test, ExQueryPoolBlockSize(p[0], NULL), (SIZE_T)16);
	for (i = 0; i < ARRAY_SIZE(p); i++)
		ExFreePoolWithTag(p[i], tag);
	ntpool_tag_read(row, &after);
	KUNIT_EXPECT_EQ(test, after.u.bytes[NTPOOL_NONPAGED], 0LL);
	KUNIT_EXPECT_EQ(test, after.u.bytes[NTPOOL_PAGED], 0LL);
	KUNIT_EXPECT_EQ(test, log->count, 0u);
}

/* A zero-byte block's data unit is all slack: a write there is an overrun. */
static void zero_size_overrun(struct kunit *test)
{
	static const unsigned int offsets[] = { 0, 7, 8, NTPOOL_BLOCK_SIZE - 1 };
	struct ntpool_report_log *log = ntpool_catch_reports(test);
	unsigned int i;
	u8 *p;

	for (i = 0; i < ARRAY_SIZE(offsets); i++) {
		p = ExAllocatePool2(i & 1 ? POOL_FLAG_PAGED : POOL_FLAG_NON_PAGED,
				    0, TEST_TAG);
		KUNIT_ASSERT_NOT_NULL(test, p);
		p[offsets[i]] = 0x42;
		ExFreePoolWithTag(p, TEST_TAG);
		ntpool_expect_report(test, log, i + 1, BAD_POOL_HEADER,
				     NTPOOL_19_OVERRUN, (unsigned long)p, 0, 0x42);
	}
}

/*
 * A zero-byte request that goes to whole pages (a NUMA node, special
 * pool) gets a block there too: a page, or the last unit before special
 * pool's guard page, checked at free.
 */
static void zero_size_other_paths(struct kunit *test)
{
	POOL_EXTENDED_PARAMETER node = param(PoolExtendedParameterNumaNode,
					     false, 0 | MM_ANY_NODE_OK);
	struct ntpool_report_log *log = ntpool_catch_reports(test);
	u8 *p;

	p = ExAllocatePool3(POOL_FLAG_NON_PAGED, 0, TEST_TAG, &node, 1);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_TRUE(test, in_big_table(p));
	KUNIT_EXPECT_EQ(test, ExQueryPoolBlockSize(p, NULL), (SIZE_T)PAGE_SIZE);
	ExFreePoolWithTag(p, TEST_TAG);
	KUNIT_EXPECT_EQ(test, log->count, 0u);

	p = ExAllocatePoolWithTagPriority(PagedPool, 0, TEST_TAG,
					  HighPoolPrioritySpecialPoolOverrun);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, offset_in_page(p), PAGE_SIZE - NTPOOL_BLOCK_SIZE);
	ExFreePoolWithTag(p, TEST_TAG);
	KUNIT_EXPECT_EQ(test, log->count, 0u);
	p = ExAllocatePoolWithTagPriority(PagedPool, 0, TEST_TAG,
					  HighPoolPrioritySpecialPoolOverrun);
	KUNIT_ASSERT_NOT_NULL(test, p);
	p[0] = 0x42;
	ExFreePoolWithTag(p, TEST_TAG);
	KUNIT_EXPECT_EQ(test, log->count, 1u);
	KUNIT_EXPECT_EQ(test, log->last.code,
			(u32)SPECIAL_POOL_DETECTED_MEMORY_CORRUPTION);
}

static void bad_frees_are_refused(struct kunit *test)
{
	struct ntpool_report_log *log = ntpool_catch_reports(test);
	u8 *p = ExAllocatePool2(POOL_FLAG_NON_PAGED, 100, TEST_TAG);
	u8 *q = ExAllocatePool2(POOL_FLAG_NON_PAGED, 100, TEST_TAG);
	void *foreign = kunit_kmalloc(test, 64, GFP_KERNEL);
	u32 ulong1;

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_NOT_NULL(test, q);

	/* Wrong tag: 0xC2/0x0A, and the block stays allocated. */
	ExFreePoolWithTag(p, 'gnrW');
	ntpool_expect_report(test, log, 1, BAD_POOL_CALLER, 0x0A,
			     (unsigned long)p, TEST_TAG, 'gnrW');
	KUNIT_EXPECT_FALSE(test, ntpool_hdr_is_free(hdr_of(p)));

	/* Inside a block: 0xC2/0x99. */
	ExFreePool(p + 16);
	ntpool_expect_report(test, log, 2, BAD_POOL_CALLER, 0x99,
			     (unsigned long)(p + 16), 0, 0);
	ExFreePool(p + 3);
	ntpool_expect_report(test, log, 3, BAD_POOL_CALLER, 0x99,
			     (unsigned long)(p + 3), 0, 0);

	/* Memory the pool never handed out: 0xC2/0x99, never touched. */
	ExFreePool(foreign);
	ntpool_expect_report(test, log, 4, BAD_POOL_CALLER, 0x99,
			     (unsigned long)foreign, 0, 0);
	ExFreePool(NULL);
	ntpool_expect_report(test, log, 5, BAD_POOL_CALLER, 0x99, 0, 0, 0);

	/* Double free: 0xC2/0x07 with the header contents and the address. */
	ExFreePoolWithTag(q, TEST_TAG);
	KUNIT_EXPECT_EQ(test, log->count, 5u);
	ulong1 = ntpool_hdr_ulong1(hdr_of(q));
	ExFreePoolWithTag(q, TEST_TAG);
	ntpool_expect_report(test, log, 6, BAD_POOL_CALLER, 0x07, 0, ulong1,
			     (unsigned long)q);

	ExFreePoolWithTag(p, TEST_TAG);
	KUNIT_EXPECT_EQ(test, log->count, 6u);
}

static void corrupt_header_is_reported(struct kunit *test)
{
	struct ntpool_report_log *log = ntpool_catch_reports(test);
	struct ntpool_pool *pool = ntpool_test_pool(test, NTPOOL_NONPAGED);
	struct ntpool_header saved;
	u8 *p[7];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(p); i++) {
		p[i] = ntpool_test_alloc(pool, 100, TEST_TAG);
		KUNIT_ASSERT_NOT_NULL(test, p[i]);
	}
	/* 100 bytes take 8 units: the blocks follow each other in the page. */
	KUNIT_ASSERT_PTR_EQ(test, (void *)(p[0] + 8 * NTPOOL_BLOCK_SIZE),
			    (void *)p[1]);

	/* An overrun of p[0] rewrites p[1]'s header: its BlockSize grows. */
	saved = *hdr_of(p[1]);
	hdr_of(p[1])->block_size += 2;
	KUNIT_EXPECT_FALSE(test, ntpool_test_free(pool, p[1]));
	KUNIT_EXPECT_EQ(test, log->count, 1u);
	KUNIT_EXPECT_EQ(test, log->last.code, (u32)BAD_POOL_HEADER);
	KUNIT_EXPECT_EQ(test, log->last.args[0], 0x09ULL);
	KUNIT_EXPECT_EQ(test, log->last.args[3], (u64)(unsigned long)hdr_of(p[1]));
	/* The block is quarantined: even with its header back, never freed. */
	*hdr_of(p[1]) = saved;
	KUNIT_EXPECT_FALSE(test, ntpool_test_free(pool, p[1]));
	KUNIT_EXPECT_EQ(test, log->count, 2u);
	KUNIT_EXPECT_EQ(test, log->last.args[0], 0x07ULL);

	/* PreviousSize no longer matches p[1]'s: 0x19/0x05, p[2] is freed. */
	hdr_of(p[2])->previous_size = 3;
	KUNIT_EXPECT_TRUE(test, ntpool_test_free(pool, p[2]));
	KUNIT_EXPECT_EQ(test, log->count, 3u);
	KUNIT_EXPECT_EQ(test, log->last.args[0], 0x05ULL);
	KUNIT_EXPECT_EQ(test, log->last.args[3], (u64)(unsigned long)hdr_of(p[2]));

	hdr_of(p[3])->block_size = 0;
	KUNIT_EXPECT_FALSE(test, ntpool_test_free(pool, p[3]));
	KUNIT_EXPECT_EQ(test, log->count, 4u);
	KUNIT_EXPECT_EQ(test, log->last.args[0], 0x08ULL);

	/* Sealed fields: the tag, and the bytes asked (bytes 8-9). */
	hdr_of(p[4])->pool_tag ^= 0x20;
	KUNIT_EXPECT_FALSE(test, ntpool_test_free(pool, p[4]));
	ntpool_expect_report(test, log, 5, BAD_POOL_CALLER, 0x01,
			     (unsigned long)hdr_of(p[4]), ntpool_hdr_ulong1(hdr_of(p[4])), 0);
	hdr_of(p[5])->allocator_backtrace_index = 0xffff;
	KUNIT_EXPECT_FALSE(test, ntpool_test_free(pool, p[5]));
	KUNIT_EXPECT_EQ(test, log->count, 6u);
	KUNIT_EXPECT_EQ(test, log->last.args[0], 0x01ULL);

	/* The pool goes on: its neighbours come and go as before. */
	KUNIT_EXPECT_TRUE(test, ntpool_test_free(pool, p[0]));
	KUNIT_EXPECT_TRUE(test, ntpool_test_free(pool, p[6]));
	p[0] = ntpool_test_alloc(pool, 100, TEST_TAG);
	KUNIT_EXPECT_NOT_NULL(test, p[0]);
	KUNIT_EXPECT_TRUE(test, ntpool_test_free(pool, p[0]));
	KUNIT_EXPECT_EQ(test, log->count, 6u);
}

/* Non-paged pool from every atomic context; paged pool refused there. */
struct atomic_ctx {
	struct hrtimer timer;
	struct completion done;
	void *p[4];
};

static enum hrtimer_restart hardirq_alloc(struct hrtimer *timer)
{
	struct atomic_ctx *ctx = container_of(timer, struct atomic_ctx, timer);

	ctx->p[0] = ExAllocatePool2(POOL_FLAG_NON_PAGED, 64, TEST_TAG);
	ctx->p[1] = ExAllocatePool2(POOL_FLAG_NON_PAGED, 2 * PAGE_SIZE, TEST_TAG);
	ctx->p[2] = ExAllocatePool2(POOL_FLAG_NON_PAGED, 64, TEST_TAG);
	if (ctx->p[2])
		ExFreePoolWithTag(ctx->p[2], TEST_TAG);
	complete(&ctx->done);
	return HRTIMER_NORESTART;
}

static void nonpaged_in_atomic_context(struct kunit *test)
{
	struct ntpool_report_log *log = ntpool_catch_reports(test);
	struct atomic_ctx *ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	spinlock_t lock;	/* held: the atomic context under test */
	void *p, *big;

	/* On the stack: lockdep needs the key spin_lock_init() gives. */
	spin_lock_init(&lock);
	KUNIT_ASSERT_NOT_NULL(test, ctx);
	spin_lock(&lock);
	p = ExAllocatePool2(POOL_FLAG_NON_PAGED, 64, TEST_TAG);
	big = ExAllocatePool2(POOL_FLAG_NON_PAGED, 3 * PAGE_SIZE, TEST_TAG);
	KUNIT_EXPECT_NOT_NULL(test, p);
	KUNIT_EXPECT_NOT_NULL(test, big);
	ExFreePool(p);
	ExFreePool(big);
	spin_unlock(&lock);

	local_bh_disable();
	p = ExAllocatePoolWithTag(NonPagedPoolNx, 500, TEST_TAG);
	KUNIT_EXPECT_NOT_NULL(test, p);
	ExFreePool(p);
	local_bh_enable();

	init_completion(&ctx->done);
	hrtimer_init(&ctx->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_HARD);
	ctx->timer.function = hardirq_alloc;
	hrtimer_start(&ctx->timer, ns_to_ktime(1000), HRTIMER_MODE_REL_HARD);
	wait_for_completion(&ctx->done);
	KUNIT_EXPECT_NOT_NULL(test, ctx->p[0]);
	KUNIT_EXPECT_NOT_NULL(test, ctx->p[1]);
	KUNIT_EXPECT_NOT_NULL(test, ctx->p[2]);
	ExFreePool(ctx->p[0]);
	ExFreePool(ctx->p[1]);
	KUNIT_EXPECT_EQ(test, log->count, 0u);
}

static void paged_refused_in_atomic_context(struct kunit *test)
{
	struct ntpool_report_log *log = ntpool_catch_reports(test);
	void *p = ExAllocatePool2(POOL_FLAG_PAGED, 64, TEST_TAG);
	spinlock_t lock;	/* held: the atomic context under test */

	/* On the stack: lockdep needs the key spin_lock_init() gives. */
	spin_lock_init(&lock);
	KUNIT_ASSERT_NOT_NULL(test, p);
	spin_lock(&lock);
	KUNIT_EXPECT_NULL(test, ExAllocatePool2(POOL_FLAG_PAGED, 64, TEST_TAG));
	ntpool_expect_report(test, log, 1, BAD_POOL_CALLER, 0x08,
			     DISPATCH_LEVEL, PagedPool, 64);
	ExFreePoolWithTag(p, TEST_TAG);
	ntpool_expect_report(test, log, 2, BAD_POOL_CALLER, 0x09,
			     DISPATCH_LEVEL, PagedPool, (unsigned long)p);
	spin_unlock(&lock);
	/* The refused free left the block allocated: free it now. */
	KUNIT_EXPECT_FALSE(test, ntpool_hdr_is_free(hdr_of(p)));
	ExFreePoolWithTag(p, TEST_TAG);
	KUNIT_EXPECT_EQ(test, log->count, 2u);
}

static void pool3_parameters(struct kunit *test)
{
	struct ntpool_report_log *log = ntpool_catch_reports(test);
	POOL_EXTENDED_PARAMETER p[2];
	u8 *b;

	/* No parameters: ExAllocatePool2. */
	b = ExAllocatePool3(POOL_FLAG_PAGED, 100, TEST_TAG, NULL, 0);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_EXPECT_TRUE(test, all_bytes(b, 100, 0));
	ExFreePool2(b, TEST_TAG, NULL, 0);

	/* Priority, including the special-pool priorities. */
	p[0] = param(PoolExtendedParameterPriority, false, LowPoolPriority);
	b = ExAllocatePool3(POOL_FLAG_NON_PAGED, 100, TEST_TAG, p, 1);
	KUNIT_EXPECT_NOT_NULL(test, b);
	ExFreePool(b);
	p[0] = param(PoolExtendedParameterPriority, false,
		     NormalPoolPrioritySpecialPoolUnderrun);
	b = ExAllocatePool3(POOL_FLAG_PAGED, 100, TEST_TAG, p, 1);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_EXPECT_EQ(test, offset_in_page(b), 0UL);
	ExFreePool(b);

	/* What cannot be honoured fails the call unless Optional. */
	p[0] = param(PoolExtendedParameterSecurePool, false, 0);	/* no pool */
	KUNIT_EXPECT_NULL(test, ExAllocatePool3(POOL_FLAG_PAGED, 64, TEST_TAG, p, 1));
	p[0] = param(PoolExtendedParameterSecurePool, true, 0);
	b = ExAllocatePool3(POOL_FLAG_PAGED, 64, TEST_TAG, p, 1);
	KUNIT_EXPECT_NOT_NULL(test, b);
	ExFreePool(b);
	p[0] = param(PoolExtendedParameterMax + 3, false, 0);
	KUNIT_EXPECT_NULL(test, ExAllocatePool3(POOL_FLAG_PAGED, 64, TEST_TAG, p, 1));
	p[0] = param(PoolExtendedParameterInvalidType, false, 0);
	KUNIT_EXPECT_NULL(test, ExAllocatePool3(POOL_FLAG_PAGED, 64, TEST_TAG, p, 1));
	p[0] = param(PoolExtendedParameterPriority, false, HighPoolPriority);
	p[0].Reserved = 1;
	KUNIT_EXPECT_NULL(test, ExAllocatePool3(POOL_FLAG_PAGED, 64, TEST_TAG, p, 1));
	KUNIT_EXPECT_NULL(test, ExAllocatePool3(POOL_FLAG_PAGED, 64, TEST_TAG, NULL, 1));
	KUNIT_EXPECT_EQ(test, log->count, 0u);
}

static void pool3_numa_node(struct kunit *test)
{
	POOL_EXTENDED_PARAMETER p[1];
	u8 *b;

	/* Node 0: the block is whole pages from node 0. */
	p[0] = param(PoolExtendedParameterNumaNode, false, 0);
	b = ExAllocatePool3(POOL_FLAG_NON_PAGED, 100, TEST_TAG, p, 1);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_EXPECT_EQ(test, page_to_nid(virt_to_page(b)), 0);
	KUNIT_EXPECT_TRUE(test, all_bytes(b, 100, 0));
	ExFreePoolWithTag(b, TEST_TAG);
	/* A node that does not exist: fails, unless any node will do. */
	p[0] = param(PoolExtendedParameterNumaNode, false, MAX_NUMNODES + 1);
	KUNIT_EXPECT_NULL(test, ExAllocatePool3(POOL_FLAG_NON_PAGED, 100,
						TEST_TAG, p, 1));
	p[0] = param(PoolExtendedParameterNumaNode, false,
		     (MAX_NUMNODES + 1) | MM_ANY_NODE_OK);
	b = ExAllocatePool3(POOL_FLAG_NON_PAGED, 100, TEST_TAG, p, 1);
	KUNIT_EXPECT_NOT_NULL(test, b);
	ExFreePool(b);
	/* Only for non-paged pool. */
	p[0] = param(PoolExtendedParameterNumaNode, false, 0);
	KUNIT_EXPECT_NULL(test, ExAllocatePool3(POOL_FLAG_PAGED, 100, TEST_TAG, p, 1));
	p[0].Optional = 1;
	b = ExAllocatePool3(POOL_FLAG_PAGED, 100, TEST_TAG, p, 1);
	KUNIT_EXPECT_TRUE(test, b && is_vmalloc_addr(b));
	ExFreePool(b);
}

static void free2_parameters(struct kunit *test)
{
	struct ntpool_report_log *log = ntpool_catch_reports(test);
	POOL_EXTENDED_PARAMETER p = param(PoolExtendedParameterSecurePool, false, 0);
	void *b = ExAllocatePool2(POOL_FLAG_PAGED, 64, TEST_TAG);

	KUNIT_ASSERT_NOT_NULL(test, b);
	/* A SecurePool parameter without a pool names nothing of ntpool's. */
	ExFreePool2(b, TEST_TAG, &p, 1);
	ntpool_expect_report(test, log, 1, BAD_POOL_CALLER, 0x99,
			     (unsigned long)b, 0, 0);
	KUNIT_EXPECT_TRUE(test, ntpool_kunit_allocated(b));
	p.Optional = 1;
	ExFreePool2(b, TEST_TAG, &p, 1);
	KUNIT_EXPECT_FALSE(test, ntpool_kunit_allocated(b));
	KUNIT_EXPECT_EQ(test, log->count, 1u);
}

/*
 * What each pool, context and priority asks of the page allocator:
 * non-paged pool never reclaims through I/O, LowPoolPriority never uses
 * the atomic reserves.
 */
static void gfp_for_pool_and_priority(struct kunit *test)
{
	gfp_t low = ntpool_priority_gfp(LowPoolPriority);
	gfp_t normal = ntpool_priority_gfp(NormalPoolPriority);
	gfp_t high = ntpool_priority_gfp(HighPoolPriority);
	gfp_t gfp;

	gfp = ntpool_gfp_choose(NTPOOL_PAGED, true, normal);
	KUNIT_EXPECT_EQ(test, gfp & GFP_KERNEL, GFP_KERNEL);
	gfp = ntpool_gfp_choose(NTPOOL_NONPAGED, true, normal);
	KUNIT_EXPECT_EQ(test, gfp & (__GFP_IO | __GFP_FS), 0u);
	KUNIT_EXPECT_TRUE(test, gfpflags_allow_blocking(gfp));
	KUNIT_EXPECT_TRUE(test, gfp & __GFP_NOWARN);
	gfp = ntpool_gfp_choose(NTPOOL_NONPAGED, false, normal);
	KUNIT_EXPECT_FALSE(test, gfpflags_allow_blocking(gfp));
	KUNIT_EXPECT_TRUE(test, gfp & __GFP_HIGH);
	gfp = ntpool_gfp_choose(NTPOOL_NONPAGED, false, low);
	KUNIT_EXPECT_FALSE(test, gfpflags_allow_blocking(gfp));
	KUNIT_EXPECT_EQ(test, gfp & __GFP_HIGH, 0u);
	KUNIT_EXPECT_TRUE(test, gfp & __GFP_NOWARN);
	gfp = ntpool_gfp_choose(NTPOOL_NONPAGED, false, high);
	KUNIT_EXPECT_TRUE(test, gfp & __GFP_HIGH);
}

static struct kunit_case ntpool_api_cases[] = {
	KUNIT_CASE(paged_pool_is_vmalloc),
	KUNIT_CASE(nonpaged_pool_is_direct_map),
	KUNIT_CASE(small_big_boundary),
	KUNIT_CASE(alignment_and_page_bounds),
	KUNIT_CASE(cache_aligned),
	KUNIT_CASE(zeroing),
	KUNIT_CASE_PARAM(pool2_flag_validation, pool2_flags_gen_params),
	KUNIT_CASE(pool2_tag_zero),
	KUNIT_CASE(legacy_pool_types),
	KUNIT_CASE(legacy_bad_tags),
	KUNIT_CASE(legacy_default_tag_is_none),
	KUNIT_CASE(every_routine),
	KUNIT_CASE(query_block_size),
	KUNIT_CASE(impossible_sizes_fail_quietly),
	KUNIT_CASE(quota_failure_status),
	KUNIT_CASE(raise_on_failure_reports),
	KUNIT_CASE(zero_size_served),
	KUNIT_CASE(zero_size_overrun),
	KUNIT_CASE(zero_size_other_paths),
	KUNIT_CASE(bad_frees_are_refused),
	KUNIT_CASE(corrupt_header_is_reported),
	KUNIT_CASE(nonpaged_in_atomic_context),
	KUNIT_CASE(paged_refused_in_atomic_context),
	KUNIT_CASE(pool3_parameters),
	KUNIT_CASE(pool3_numa_node),
	KUNIT_CASE(free2_parameters),
	KUNIT_CASE(gfp_for_pool_and_priority),
	{}
};

static struct kunit_suite ntpool_api_suite = {
	.name = "ntpool_api",
	.test_cases = ntpool_api_cases,
};

kunit_test_suite(ntpool_api_suite);

MODULE_DESCRIPTION("KUnit tests for the ntpool NT routines");
MODULE_LICENSE("GPL");
