// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "ntpool_exec": which requests get the executable non-paged
 * pool and which never do, with the nx_optin parameter both ways; that its
 * pages hold no other pool's block; and that its blocks are headed,
 * tagged, freed, checked, counted and walked as any non-paged block, from
 * atomic context too.  That the memory really executes (and the rest does
 * not) is for the VM suite exec.sh: UML cannot show it.
 */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/hrtimer.h>
#include <linux/mm.h>
#include <linux/spinlock.h>
#include "ntpool_kunit.h"
#include "nt/lookaside.h"
#include "accounting/tags.h"
#include "verifier/verifier.h"
#include "core/walk.h"

#define EXEC_TAG	('cexE')	/* shows as "Exec" */

/* The sizes the fidelity item names: a small block, one page, 64 KiB. */
static const size_t exec_sizes[] = { 64, 4096, 65536 };

static bool in_exec_pool(const void *p)
{
	return ntpool_pool_owning(p) == ntpool_exec_pool();
}

/* Non-executable memory of the non-paged pool: the direct map. */
static bool in_nx_nonpaged_pool(const void *p)
{
	return ntpool_pool_owning(p) == &ntpool_pools[NTPOOL_NONPAGED] &&
	       !is_vmalloc_addr(p);
}

static void restore_nx_optin(void *old)
{
	WRITE_ONCE(ntpool_nx_optin, (bool)(uintptr_t)old);
}

/* Set nx_optin for this test; the old value comes back when it ends. */
static void set_nx_optin(struct kunit *test, bool on)
{
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, restore_nx_optin,
						  (void *)(uintptr_t)ntpool_nx_optin));
	WRITE_ONCE(ntpool_nx_optin, on);
}

struct exec_case {
	bool pool2;
	POOL_FLAGS flags;
	POOL_TYPE type;
	bool nx_optin;
	bool exec;
	const char *what;
};

static const struct exec_case exec_cases[] = {
	{ true, POOL_FLAG_NON_PAGED_EXECUTE, 0, true, true,
	  "POOL_FLAG_NON_PAGED_EXECUTE, nx_optin=Y" },
	{ true, POOL_FLAG_NON_PAGED_EXECUTE, 0, false, true,
	  "POOL_FLAG_NON_PAGED_EXECUTE, nx_optin=N" },
	{ true, POOL_FLAG_NON_PAGED_EXECUTE | POOL_FLAG_UNINITIALIZED, 0, true,
	  true, "POOL_FLAG_NON_PAGED_EXECUTE uninitialized" },
	{ true, POOL_FLAG_NON_PAGED, 0, false, false,
	  "POOL_FLAG_NON_PAGED, nx_optin=N" },
	{ true, POOL_FLAG_PAGED, 0, false, false, "POOL_FLAG_PAGED" },
	{ false, 0, NonPagedPoolExecute, true, true,
	  "NonPagedPoolExecute, nx_optin=Y" },
	{ false, 0, NonPagedPoolExecute, false, true,
	  "NonPagedPoolExecute, nx_optin=N" },
	{ false, 0, NonPagedPool, true, false, "NonPagedPool, nx_optin=Y" },
	{ false, 0, NonPagedPool, false, true, "NonPagedPool, nx_optin=N" },
	{ false, 0, NonPagedPoolCacheAligned, false, true,
	  "NonPagedPoolCacheAligned, nx_optin=N" },
	{ false, 0, NonPagedPoolSession, false, true,
	  "NonPagedPoolSession, nx_optin=N" },
	{ false, 0, NonPagedPool | POOL_NX_ALLOCATION, false, false,
	  "NonPagedPool | POOL_NX_ALLOCATION, nx_optin=N" },
	{ false, 0, NonPagedPoolNx, false, false, "NonPagedPoolNx, nx_optin=N" },
	{ false, 0, NonPagedPoolNxCacheAligned, false, false,
	  "NonPagedPoolNxCacheAligned, nx_optin=N" },
	{ false, 0, NonPagedPoolSessionNx, false, false,
	  "NonPagedPoolSessionNx, nx_optin=N" },
	{ false, 0, PagedPool, false, false, "PagedPool, nx_optin=N" },
};

static void exec_case_desc(const struct exec_case *c, char *desc)
{
	strscpy(desc, c->what, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(exec_cases, exec_cases, exec_case_desc);

static void *exec_case_alloc(const struct exec_case *c, size_t size)
{
	return c->pool2 ? ExAllocatePool2(c->flags, size, EXEC_TAG) :
			  ExAllocatePoolWithTag(c->type, size, EXEC_TAG);
}

/* Which requests get executable memory, at each size, freed as usual. */
static void which_requests_execute(struct kunit *test)
{
	const struct exec_case *c = test->param_value;
	struct ntpool_report_log *log = ntpool_catch_reports(test);
	bool paged = c->pool2 ? c->flags & POOL_FLAG_PAGED : c->type & PagedPool;
	unsigned int i;

	set_nx_optin(test, c->nx_optin);
	for (i = 0; i < ARRAY_SIZE(exec_sizes); i++) {
		u8 *p = exec_case_alloc(c, exec_sizes[i]);

		KUNIT_ASSERT_NOT_NULL(test, p);
		KUNIT_EXPECT_EQ_MSG(test, in_exec_pool(p), c->exec, "%zu bytes",
				    exec_sizes[i]);
		if (!c->exec && !paged)
			KUNIT_EXPECT_TRUE(test, in_nx_nonpaged_pool(p));
		memset(p, 0xc3, exec_sizes[i]);
		ExFreePoolWithTag(p, EXEC_TAG);
	}
	KUNIT_EXPECT_EQ(test, log->count, 0u);
}

/* A small executable block: NT's header, non-paged type, its tag. */
static void header_as_nonpaged(struct kunit *test)
{
	u8 *p = ExAllocatePool2(POOL_FLAG_NON_PAGED_EXECUTE, 64, EXEC_TAG);
	struct ntpool_header *hdr;

	KUNIT_ASSERT_NOT_NULL(test, p);
	hdr = ntpool_block_to_hdr(p);
	/* NT's 8-bit field holds the base type + 1, NX or not (pool.h). */
	KUNIT_EXPECT_EQ(test, hdr->pool_type, NonPagedPool + 1);
	KUNIT_EXPECT_EQ(test, hdr->pool_tag, (u32)EXEC_TAG);
	KUNIT_EXPECT_EQ(test, hdr->block_size, ntpool_units_for(64));
	KUNIT_EXPECT_TRUE(test, IS_ALIGNED((unsigned long)p, NTPOOL_BLOCK_SIZE));
	KUNIT_EXPECT_EQ(test, ExQueryPoolBlockSize(p, NULL),
			(SIZE_T)(hdr->block_size - 1) * NTPOOL_BLOCK_SIZE);
	ExFreePoolWithTag(p, EXEC_TAG);
}

/* No executable page holds a non-executable block, nor the reverse. */
static void pages_not_shared(struct kunit *test)
{
	void *nx[16], *x[16];
	unsigned int i, j;
	struct ntpool_walk walk = {};

	for (i = 0; i < ARRAY_SIZE(x); i++) {
		nx[i] = ExAllocatePool2(POOL_FLAG_NON_PAGED, 48 + 16 * i, EXEC_TAG);
		x[i] = ExAllocatePool2(POOL_FLAG_NON_PAGED_EXECUTE, 48 + 16 * i,
				       EXEC_TAG);
		KUNIT_ASSERT_NOT_NULL(test, nx[i]);
		KUNIT_ASSERT_NOT_NULL(test, x[i]);
	}
	for (i = 0; i < ARRAY_SIZE(x); i++) {
		KUNIT_EXPECT_TRUE(test, in_exec_pool(x[i]));
		KUNIT_EXPECT_TRUE(test, in_nx_nonpaged_pool(nx[i]));
		/* The same memory, by its struct page, whatever the alias. */
		for (j = 0; j < ARRAY_SIZE(nx); j++)
			KUNIT_EXPECT_PTR_NE(test, vmalloc_to_page(x[i]),
					    virt_to_page(nx[j]));
	}
	/* Every page of the executable pool walks as a sound pool page. */
	KUNIT_EXPECT_GT(test, ntpool_walk_pool(test, ntpool_exec_pool(), &walk),
			0u);
	for (i = 0; i < ARRAY_SIZE(x); i++) {
		ExFreePoolWithTag(nx[i], EXEC_TAG);
		ExFreePoolWithTag(x[i], EXEC_TAG);
	}
}

/* Misuse of an executable block is reported as for any other. */
static void frees_checked(struct kunit *test)
{
	struct ntpool_report_log *log = ntpool_catch_reports(test);
	u8 *p = ExAllocatePool2(POOL_FLAG_NON_PAGED_EXECUTE, 40, EXEC_TAG);
	u8 *big = ExAllocatePool2(POOL_FLAG_NON_PAGED_EXECUTE, 3 * PAGE_SIZE,
				  EXEC_TAG);

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_NOT_NULL(test, big);

	ExFreePoolWithTag(p, 'gnrW');
	ntpool_expect_report(test, log, 1, BAD_POOL_CALLER, NTPOOL_C2_WRONG_TAG,
			     (unsigned long)p, EXEC_TAG, 'gnrW');
	ExFreePoolWithTag(big, 'gnrW');
	ntpool_expect_report(test, log, 2, BAD_POOL_CALLER, NTPOOL_C2_WRONG_TAG,
			     (unsigned long)big, EXEC_TAG, 'gnrW');

	/* Past the 40 bytes asked for, into the slack: reported at free. */
	p[40] = 0;
	ExFreePoolWithTag(p, EXEC_TAG);
	ntpool_expect_report(test, log, 3, BAD_POOL_HEADER, NTPOOL_19_OVERRUN,
			     (unsigned long)p, 40, 0);

	ExFreePoolWithTag(p, EXEC_TAG);
	KUNIT_EXPECT_EQ(test, log->count, 4u);
	KUNIT_EXPECT_EQ(test, log->last.code, BAD_POOL_CALLER);
	KUNIT_EXPECT_EQ(test, log->last.args[0], (u64)NTPOOL_C2_ALREADY_FREE);
	KUNIT_EXPECT_EQ(test, log->last.args[3], (u64)(unsigned long)p);

	ExFreePoolWithTag(big, EXEC_TAG);
	KUNIT_EXPECT_EQ(test, log->count, 4u);
	ExFreePoolWithTag(big, EXEC_TAG);
	ntpool_expect_report(test, log, 5, BAD_POOL_CALLER,
			     NTPOOL_C2_BAD_ADDRESS, (unsigned long)big, 0, 0);
	/* Inside a block, not at its start. */
	p = ExAllocatePool2(POOL_FLAG_NON_PAGED_EXECUTE, 100, EXEC_TAG);
	KUNIT_ASSERT_NOT_NULL(test, p);
	ExFreePoolWithTag(p + 16, EXEC_TAG);
	KUNIT_EXPECT_EQ(test, log->count, 6u);
	KUNIT_EXPECT_EQ(test, log->last.code, BAD_POOL_CALLER);
	ExFreePoolWithTag(p, EXEC_TAG);
	KUNIT_EXPECT_EQ(test, log->count, 6u);
}

/* Lookaside lists of each non-paged type allocate as the type says. */
static void lookaside_lists(struct kunit *test)
{
	static const struct {
		POOL_TYPE type;
		bool exec;
	} lists[] = {
		{ NonPagedPoolExecute, true }, { NonPagedPool, true },
		{ NonPagedPoolNx, false },
	};
	LOOKASIDE_LIST_EX *list = kunit_kzalloc(test, sizeof(*list), GFP_KERNEL);
	unsigned int i;
	void *e;

	KUNIT_ASSERT_NOT_NULL(test, list);
	set_nx_optin(test, false);
	for (i = 0; i < ARRAY_SIZE(lists); i++) {
		KUNIT_ASSERT_EQ(test, ExInitializeLookasideListEx(list, NULL, NULL,
								  lists[i].type, 0,
								  48, EXEC_TAG, 0),
				STATUS_SUCCESS);
		e = ExAllocateFromLookasideListEx(list);
		KUNIT_ASSERT_NOT_NULL(test, e);
		KUNIT_EXPECT_EQ_MSG(test, in_exec_pool(e), lists[i].exec,
				    "type %#x", lists[i].type);
		ExFreeToLookasideListEx(list, e);
		ExDeleteLookasideListEx(list);
	}
}

/*
 * NonPagedPoolExecute's private bit never shows: NT's type is 0, in a
 * report of its tag (0xC2/0x9B) or, under Pool Tracking, of its size
 * (0xC4/0x00), whichever routine asked.
 */
static void reports_show_nt_type(struct kunit *test)
{
	struct ntpool_report_log *log = ntpool_catch_reports(test);

	KUNIT_EXPECT_NULL(test, ExAllocatePoolWithTag(NonPagedPoolExecute, 64,
						      0));
	KUNIT_EXPECT_EQ(test, log->count, 1u);
	KUNIT_EXPECT_EQ(test, log->last.code, (u32)BAD_POOL_CALLER);
	KUNIT_EXPECT_EQ(test, log->last.args[0], (u64)NTPOOL_C2_TAG_ZERO);
	KUNIT_EXPECT_EQ(test, log->last.args[1], (u64)NonPagedPool);

	KUNIT_ASSERT_EQ(test, ntpool_verify_set("vmlinux"), 0);
	KUNIT_EXPECT_NULL(test, ExAllocatePoolWithTag(NonPagedPoolExecute, 0,
						      EXEC_TAG));
	ntpool_expect_report(test, log, 2, DRIVER_VERIFIER_DETECTED_VIOLATION,
			     NTPOOL_C4_ZERO_SIZE, PASSIVE_LEVEL, NonPagedPool,
			     0);
	KUNIT_EXPECT_NULL(test, ExAllocatePool2(POOL_FLAG_NON_PAGED_EXECUTE, 0,
						EXEC_TAG));
	ntpool_expect_report(test, log, 3, DRIVER_VERIFIER_DETECTED_VIOLATION,
			     NTPOOL_C4_ZERO_SIZE, PASSIVE_LEVEL, NonPagedPool,
			     0);
	KUNIT_ASSERT_EQ(test, ntpool_verify_set("none"), 0);
}

struct walk_find {
	const void *want[2];
	bool found[2];
	u8 client;
};

static bool find_block(const struct ntpool_block_info *b, void *arg)
{
	struct walk_find *w = arg;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(w->want); i++) {
		if (b->addr != w->want[i])
			continue;
		w->found[i] = b->tag == EXEC_TAG && b->kind == NTPOOL_NONPAGED;
		w->client = b->client;
	}
	return true;
}

/* Counted and walked as non-paged blocks: tags, views, leak lists. */
static void counted_and_walked(struct kunit *test)
{
	struct ntpool_tag *row = ntpool_tag_get(EXEC_TAG, GFP_KERNEL);
	struct ntpool_tag_stats before, after;
	struct walk_find w = {};
	void *p, *big;

	KUNIT_ASSERT_NOT_NULL(test, row);
	ntpool_tag_read(row, &before);
	p = ExAllocatePool2(POOL_FLAG_NON_PAGED_EXECUTE, 64, EXEC_TAG);
	big = ExAllocatePool2(POOL_FLAG_NON_PAGED_EXECUTE, 5 * PAGE_SIZE,
			      EXEC_TAG);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_NOT_NULL(test, big);
	ntpool_tag_read(row, &after);
	KUNIT_EXPECT_EQ(test, after.u.count[NTPOOL_NONPAGED],
			before.u.count[NTPOOL_NONPAGED] + 2);
	KUNIT_EXPECT_EQ(test, after.u.bytes[NTPOOL_NONPAGED],
			before.u.bytes[NTPOOL_NONPAGED] +
			ntpool_units_for(64) * NTPOOL_BLOCK_SIZE + 5 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, after.u.count[NTPOOL_PAGED],
			before.u.count[NTPOOL_PAGED]);

	w.want[0] = p;
	w.want[1] = big;
	ntpool_walk_blocks(NTPOOL_NONPAGED, NTPOOL_WALK_ALL, find_block, &w);
	KUNIT_EXPECT_TRUE(test, w.found[0]);
	KUNIT_EXPECT_TRUE(test, w.found[1]);
	KUNIT_EXPECT_EQ(test, w.client,
			ntpool_client_of(THIS_MODULE)->id);
	/* The paged pool's walk does not see them. */
	w = (struct walk_find) { .want = { p, big } };
	ntpool_walk_blocks(NTPOOL_PAGED, NTPOOL_WALK_ALL, find_block, &w);
	KUNIT_EXPECT_FALSE(test, w.found[0] || w.found[1]);

	ExFreePoolWithTag(p, EXEC_TAG);
	ExFreePoolWithTag(big, EXEC_TAG);
	ntpool_tag_read(row, &after);
	KUNIT_EXPECT_EQ(test, after.u.count[NTPOOL_NONPAGED],
			before.u.count[NTPOOL_NONPAGED]);
	KUNIT_EXPECT_EQ(test, after.u.bytes[NTPOOL_NONPAGED],
			before.u.bytes[NTPOOL_NONPAGED]);
}

struct atomic_ctx {
	struct hrtimer timer;
	struct completion done;
	void *p[3];
};

static enum hrtimer_restart hardirq_exec(struct hrtimer *timer)
{
	struct atomic_ctx *ctx = container_of(timer, struct atomic_ctx, timer);

	ctx->p[0] = ExAllocatePool2(POOL_FLAG_NON_PAGED_EXECUTE, 64, EXEC_TAG);
	ctx->p[1] = ExAllocatePool2(POOL_FLAG_NON_PAGED_EXECUTE, 2 * PAGE_SIZE,
				    EXEC_TAG);
	if (ctx->p[0])
		ExFreePoolWithTag(ctx->p[0], EXEC_TAG);
	complete(&ctx->done);
	return HRTIMER_NORESTART;
}

/*
 * From atomic context: small blocks from the reserve of mapped pages, big
 * blocks only where one of their size was kept; anything else fails as out
 * of memory, counted.  Frees work everywhere.
 */
static void atomic_context(struct kunit *test)
{
	struct ntpool_report_log *log = ntpool_catch_reports(test);
	struct atomic_ctx *ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	struct ntpool_tag *row = ntpool_tag_get(EXEC_TAG, GFP_KERNEL);
	struct ntpool_tag_stats before, after;
	spinlock_t lock;	/* held: the atomic context under test */
	void *p, *big, *huge;

	spin_lock_init(&lock);
	KUNIT_ASSERT_NOT_NULL(test, ctx);
	KUNIT_ASSERT_NOT_NULL(test, row);
	/* A page in the reserve, and a two-page block kept for reuse. */
	ntpool_page_reserve(ntpool_exec_pool(), 2, GFP_KERNEL);
	big = ExAllocatePool2(POOL_FLAG_NON_PAGED_EXECUTE, 2 * PAGE_SIZE,
			      EXEC_TAG);
	KUNIT_ASSERT_NOT_NULL(test, big);
	ExFreePoolWithTag(big, EXEC_TAG);
	huge = ExAllocatePool2(POOL_FLAG_NON_PAGED_EXECUTE, 32 * PAGE_SIZE,
			       EXEC_TAG);
	KUNIT_ASSERT_NOT_NULL(test, huge);

	ntpool_tag_read(row, &before);
	spin_lock(&lock);
	p = ExAllocatePool2(POOL_FLAG_NON_PAGED_EXECUTE, 64, EXEC_TAG);
	big = ExAllocatePool2(POOL_FLAG_NON_PAGED_EXECUTE, 2 * PAGE_SIZE,
			      EXEC_TAG);
	/* No 7-page block kept, and no mapping made here: out of memory. */
	KUNIT_EXPECT_NULL(test, ExAllocatePool2(POOL_FLAG_NON_PAGED_EXECUTE,
						7 * PAGE_SIZE, EXEC_TAG));
	/* Released (above the size kept): unmapped later, by a work item. */
	ExFreePoolWithTag(huge, EXEC_TAG);
	spin_unlock(&lock);
	ntpool_tag_read(row, &after);
	KUNIT_EXPECT_EQ(test, after.u.failed[NTPOOL_NONPAGED],
			before.u.failed[NTPOOL_NONPAGED] + 1);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_NOT_NULL(test, big);
	KUNIT_EXPECT_TRUE(test, in_exec_pool(p));
	KUNIT_EXPECT_TRUE(test, in_exec_pool(big));

	local_bh_disable();
	ExFreePoolWithTag(p, EXEC_TAG);
	ExFreePoolWithTag(big, EXEC_TAG);
	local_bh_enable();
	ntpool_exec_flush();

	/* In a hard interrupt, with a page and a block ready again. */
	ntpool_page_reserve(ntpool_exec_pool(), 2, GFP_KERNEL);
	init_completion(&ctx->done);
	hrtimer_init(&ctx->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_HARD);
	ctx->timer.function = hardirq_exec;
	hrtimer_start(&ctx->timer, ns_to_ktime(1000), HRTIMER_MODE_REL_HARD);
	wait_for_completion(&ctx->done);
	KUNIT_EXPECT_NOT_NULL(test, ctx->p[0]);
	KUNIT_EXPECT_NOT_NULL(test, ctx->p[1]);
	if (ctx->p[1])
		ExFreePoolWithTag(ctx->p[1], EXEC_TAG);
	KUNIT_EXPECT_EQ(test, log->count, 0u);
}

/* The shrinker gives the executable pool's kept pages back too. */
static void shrinker_drains(struct kunit *test)
{
	struct ntpool_pool *pool = ntpool_exec_pool();
	void *big = ExAllocatePool2(POOL_FLAG_NON_PAGED_EXECUTE, 2 * PAGE_SIZE,
				    EXEC_TAG);

	KUNIT_ASSERT_NOT_NULL(test, big);
	ExFreePoolWithTag(big, EXEC_TAG);
	ntpool_page_reserve(pool, 1, GFP_KERNEL);
	KUNIT_EXPECT_GT(test, READ_ONCE(pool->nr_empty), 0u);
	KUNIT_EXPECT_GT(test, READ_ONCE(pool->kept_big_pages), 0ul);
	/* No refill of the reserve may run between the drain and the checks. */
	ntpool_exec_flush();
	ntpool_empty_pages_drain();
	ntpool_big_drain();
	ntpool_exec_flush();
	KUNIT_EXPECT_EQ(test, READ_ONCE(pool->nr_empty), 0u);
	KUNIT_EXPECT_EQ(test, READ_ONCE(pool->kept_big_pages), 0ul);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&pool->nr_big_pages), 0l);
	/* Mapped again, for the callers that may not sleep. */
	ntpool_page_reserve(pool, 1, GFP_KERNEL);
}

/*
 * An extended parameter an execute request cannot honour: the request is
 * refused, or, the parameter marked Optional, served from the executable
 * pool without it.
 */
static void expect_refused_unless_optional(struct kunit *test,
					   POOL_EXTENDED_PARAMETER *p)
{
	void *b;

	KUNIT_EXPECT_NULL(test, ExAllocatePool3(POOL_FLAG_NON_PAGED_EXECUTE,
						100, EXEC_TAG, p, 1));
	p->Optional = 1;
	b = ExAllocatePool3(POOL_FLAG_NON_PAGED_EXECUTE, 100, EXEC_TAG, p, 1);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_EXPECT_TRUE(test, in_exec_pool(b));
	ExFreePoolWithTag(b, EXEC_TAG);
}

/* NumaNode is for POOL_FLAG_NON_PAGED: refused, or ignored if Optional. */
static void numa_node_refused(struct kunit *test)
{
	POOL_EXTENDED_PARAMETER p = {
		.Type = PoolExtendedParameterNumaNode, .PreferredNode = 0,
	};

	expect_refused_unless_optional(test, &p);
}

/*
 * A secure allocation is read-only: asked for executable, it is refused
 * (the parameter ignored when Optional, the block then executable).
 */
static void secure_pool_refused(struct kunit *test)
{
	POOL_EXTENDED_PARAMS_SECURE_POOL sp = { .Cookie = 1 };
	POOL_EXTENDED_PARAMETER p = {
		.Type = PoolExtendedParameterSecurePool,
		.SecurePoolParams = &sp,
	};
	HANDLE h = NULL;

	KUNIT_ASSERT_EQ(test, ExCreatePool(POOL_CREATE_FLG_SECURE_POOL,
					   EXEC_TAG, NULL, &h), STATUS_SUCCESS);
	sp.SecurePoolHandle = h;
	expect_refused_unless_optional(test, &p);
	ExDestroyPool(h);
}

/* No more than the reserve's wholly free pages stay mapped. */
static void keeps_few_empty_pages(struct kunit *test)
{
	struct ntpool_pool *pool = ntpool_exec_pool();
	void *p[3 * NTPOOL_EXEC_RESERVE];
	unsigned int i;

	/* A block that fills a page: one page each. */
	for (i = 0; i < ARRAY_SIZE(p); i++) {
		p[i] = ExAllocatePool2(POOL_FLAG_NON_PAGED_EXECUTE,
				       NTPOOL_MAX_SMALL, EXEC_TAG);
		KUNIT_ASSERT_NOT_NULL(test, p[i]);
	}
	KUNIT_EXPECT_GE(test, atomic_long_read(&pool->nr_small_pages),
			(long)ARRAY_SIZE(p));
	for (i = 0; i < ARRAY_SIZE(p); i++)
		ExFreePoolWithTag(p[i], EXEC_TAG);
	ntpool_exec_flush();
	KUNIT_EXPECT_LE(test, READ_ONCE(pool->nr_empty), NTPOOL_EXEC_RESERVE);
	KUNIT_EXPECT_LT(test, atomic_long_read(&pool->nr_small_pages),
			(long)ARRAY_SIZE(p));
}

static struct kunit_case ntpool_exec_cases[] = {
	KUNIT_CASE_PARAM(which_requests_execute, exec_cases_gen_params),
	KUNIT_CASE(header_as_nonpaged),
	KUNIT_CASE(pages_not_shared),
	KUNIT_CASE(frees_checked),
	KUNIT_CASE(reports_show_nt_type),
	KUNIT_CASE(lookaside_lists),
	KUNIT_CASE(counted_and_walked),
	KUNIT_CASE(atomic_context),
	KUNIT_CASE(numa_node_refused),
	KUNIT_CASE(secure_pool_refused),
	KUNIT_CASE(shrinker_drains),
	KUNIT_CASE(keeps_few_empty_pages),
	{}
};

static struct kunit_suite ntpool_exec_suite = {
	.name = "ntpool_exec",
	.test_cases = ntpool_exec_cases,
};

kunit_test_suite(ntpool_exec_suite);

MODULE_DESCRIPTION("KUnit tests for ntpool's executable pool");
MODULE_LICENSE("GPL");
