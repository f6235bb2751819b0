// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "ntpool_secure": secure pools: ExCreatePool's checks, secure
 * allocations (contents, read-only mapping), ExSecurePoolValidate and
 * ExSecurePoolUpdate with their cookie, tag, range and flag checks,
 * ExFreePool2 with the SecurePool parameter, ExDestroyPool.
 */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/debug_locks.h>
#include <linux/hrtimer.h>
#include <linux/mm.h>
#include <linux/pgtable.h>
#include <linux/vmalloc.h>
#include "ntpool_kunit.h"
#include "accounting/tags.h"

#define SECURE_TAG	('ceSN')	/* shows as "NSec" */
#define COOKIE		0x5ec0c0feUL

static HANDLE create_pool(struct kunit *test)
{
	HANDLE h = NULL;

	KUNIT_ASSERT_EQ(test, ExCreatePool(POOL_CREATE_FLG_SECURE_POOL,
					   SECURE_TAG, NULL, &h), STATUS_SUCCESS);
	KUNIT_ASSERT_NOT_NULL(test, h);
	return h;
}

static void *secure_alloc_init(HANDLE h, size_t size, const void *init,
			       ULONG flags, POOL_FLAGS pool_flags)
{
	POOL_EXTENDED_PARAMS_SECURE_POOL sp = {
		.SecurePoolHandle = h, .Buffer = (PVOID)init,
		.Cookie = COOKIE, .SecurePoolFlags = flags,
	};
	POOL_EXTENDED_PARAMETER p = {
		.Type = PoolExtendedParameterSecurePool,
		.SecurePoolParams = &sp,
	};

	return ExAllocatePool3(pool_flags, size, SECURE_TAG, &p, 1);
}

static void *secure_alloc(HANDLE h, size_t size, const void *init,
			  ULONG flags)
{
	return secure_alloc_init(h, size, init, flags, POOL_FLAG_NON_PAGED);
}

static void secure_free(HANDLE h, void *b, ULONG_PTR cookie)
{
	POOL_EXTENDED_PARAMS_SECURE_POOL sp = {
		.SecurePoolHandle = h, .Cookie = cookie,
	};
	POOL_EXTENDED_PARAMETER p = {
		.Type = PoolExtendedParameterSecurePool,
		.SecurePoolParams = &sp,
	};

	ExFreePool2(b, SECURE_TAG, &p, 1);
}

/*
 * Can this architecture map kernel memory read-only?  UML cannot (its
 * PAGE_KERNEL_RO is PAGE_KERNEL): there the VM test's fault is the proof.
 */
static void need_read_only_mappings(struct kunit *test)
{
	if (pgprot_val(PAGE_KERNEL_RO) == pgprot_val(PAGE_KERNEL))
		kunit_skip(test, "no read-only kernel mappings on this architecture");
}

/* Is the kernel page-table entry that maps @addr writable? */
static bool kernel_pte_writable(const void *addr)
{
	unsigned long a = (unsigned long)addr;
	pgd_t *pgd = pgd_offset_k(a);
	p4d_t *p4d = p4d_offset(pgd, a);
	pud_t *pud = pud_offset(p4d, a);
	pmd_t *pmd = pmd_offset(pud, a);

	return pte_write(ptep_get(pte_offset_kernel(pmd, a)));
}

static s64 tag_in_use(void)
{
	struct ntpool_tag_stats st;

	ntpool_tag_read(ntpool_tag_get(SECURE_TAG, GFP_KERNEL), &st);
	return st.u.count[NTPOOL_NONPAGED];
}

static void create_checks(struct kunit *test)
{
	POOL_CREATE_EXTENDED_PARAMS params = { .Version = 2 };
	HANDLE h = NULL;

	KUNIT_EXPECT_EQ(test, ExCreatePool(0x4, SECURE_TAG, NULL, &h),
			STATUS_INVALID_PARAMETER);
	KUNIT_EXPECT_EQ(test, ExCreatePool(POOL_CREATE_FLG_SECURE_POOL,
					   SECURE_TAG, &params, &h),
			STATUS_INVALID_PARAMETER);
	KUNIT_EXPECT_EQ(test, ExCreatePool(POOL_CREATE_FLG_USE_GLOBAL_POOL,
					   SECURE_TAG, NULL, &h),
			STATUS_NOT_SUPPORTED);
	KUNIT_EXPECT_NULL(test, h);
	params.Version = POOL_CREATE_PARAMS_VERSION;
	KUNIT_ASSERT_EQ(test, ExCreatePool(POOL_CREATE_FLG_SECURE_POOL,
					   SECURE_TAG, &params, &h),
			STATUS_SUCCESS);
	/* Handles are multiples of four, as NT's are. */
	KUNIT_EXPECT_EQ(test, (uintptr_t)h & 3, 0UL);
	ExDestroyPool(h);
}

static void allocate_validate_update_free(struct kunit *test)
{
	struct ntpool_report_log *log = ntpool_catch_reports(test);
	u8 *init = kunit_kzalloc(test, 5000, GFP_KERNEL);
	HANDLE h = create_pool(test);
	s64 in_use = tag_in_use();
	u8 *b;

	/* The initial contents: the allocation's size, from Buffer. */
	KUNIT_ASSERT_NOT_NULL(test, init);
	strscpy(init, "hello, secure pool", 5000);
	init[4999] = 0x77;
	b = secure_alloc(h, 5000, init, SECURE_POOL_FLAGS_FREEABLE |
				    SECURE_POOL_FLAGS_MODIFIABLE);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_EXPECT_EQ(test, tag_in_use() - in_use, 1LL);
	KUNIT_EXPECT_EQ(test, memcmp(b, init, 5000), 0);

	KUNIT_EXPECT_TRUE(test, ExSecurePoolValidate(h, SECURE_TAG, b, COOKIE));
	KUNIT_EXPECT_FALSE(test, ExSecurePoolValidate(h, SECURE_TAG, b, COOKIE + 1));
	KUNIT_EXPECT_FALSE(test, ExSecurePoolValidate(h, 'rehO', b, COOKIE));
	KUNIT_EXPECT_FALSE(test, ExSecurePoolValidate(h, SECURE_TAG, b + 16, COOKIE));

	/* An update across the page boundary. */
	KUNIT_EXPECT_EQ(test, ExSecurePoolUpdate(h, SECURE_TAG, b, COOKIE,
						 PAGE_SIZE - 2, 4, "WXYZ"),
			STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, memcmp(b + PAGE_SIZE - 2, "WXYZ", 4), 0);
	KUNIT_EXPECT_EQ(test, ExSecurePoolUpdate(h, SECURE_TAG, b, COOKIE, 0, 5,
						 "HELLO"), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, memcmp(b, "HELLO, secure", 13), 0);
	/* Outside the allocation, with the wrong cookie or tag: refused. */
	KUNIT_EXPECT_EQ(test, ExSecurePoolUpdate(h, SECURE_TAG, b, COOKIE,
						 4998, 3, "abc"),
			STATUS_INVALID_PARAMETER);
	KUNIT_EXPECT_EQ(test, ExSecurePoolUpdate(h, SECURE_TAG, b, COOKIE,
						 SIZE_MAX, 2, "ab"),
			STATUS_INVALID_PARAMETER);
	KUNIT_EXPECT_EQ(test, ExSecurePoolUpdate(h, SECURE_TAG, b, 1, 0, 1, "x"),
			STATUS_INVALID_PARAMETER);
	KUNIT_EXPECT_EQ(test, ExSecurePoolUpdate(h, 'rehO', b, COOKIE, 0, 1, "x"),
			STATUS_INVALID_PARAMETER);
	KUNIT_EXPECT_EQ(test, b[0], 'H');

	/* A free with the wrong cookie is reported; the allocation stays. */
	secure_free(h, b, COOKIE + 1);
	ntpool_expect_report(test, log, 1, BAD_POOL_CALLER, 0x99,
			     (unsigned long)b, 0, 0);
	KUNIT_EXPECT_TRUE(test, ExSecurePoolValidate(h, SECURE_TAG, b, COOKIE));
	/* ExFreePool cannot free it: it is no block of the global pools. */
	ExFreePool(b);
	KUNIT_EXPECT_EQ(test, log->count, 2u);
	secure_free(h, b, COOKIE);
	KUNIT_EXPECT_FALSE(test, ExSecurePoolValidate(h, SECURE_TAG, b, COOKIE));
	KUNIT_EXPECT_EQ(test, tag_in_use(), in_use);
	KUNIT_EXPECT_EQ(test, log->count, 2u);
	ExDestroyPool(h);
}

static void flags_and_destroy(struct kunit *test)
{
	struct ntpool_report_log *log = ntpool_catch_reports(test);
	HANDLE h = create_pool(test);
	s64 in_use = tag_in_use();
	u8 init[64] = "kept";
	u8 *fixed, *kept;

	fixed = secure_alloc(h, 64, NULL, SECURE_POOL_FLAGS_NONE);
	kept = secure_alloc(h, 64, init, SECURE_POOL_FLAGS_FREEABLE);
	KUNIT_ASSERT_NOT_NULL(test, fixed);
	KUNIT_ASSERT_NOT_NULL(test, kept);
	KUNIT_EXPECT_EQ(test, fixed[0], 0);
	KUNIT_EXPECT_EQ(test, ExSecurePoolUpdate(h, SECURE_TAG, fixed, COOKIE,
						 0, 1, "x"),
			STATUS_ACCESS_DENIED);
	/* Not freeable: reported, stays. */
	secure_free(h, fixed, COOKIE);
	KUNIT_EXPECT_EQ(test, log->count, 1u);
	KUNIT_EXPECT_TRUE(test, ExSecurePoolValidate(h, SECURE_TAG, fixed, COOKIE));
	/* Unknown SecurePoolFlags fail the allocation... */
	KUNIT_EXPECT_NULL(test, secure_alloc(h, 64, NULL, 0x4));
	KUNIT_EXPECT_EQ(test, tag_in_use() - in_use, 2LL);
	KUNIT_EXPECT_EQ(test, log->count, 1u);
	/* ...as an invalid parameter, when the caller asked for a raise. */
	KUNIT_EXPECT_NULL(test, secure_alloc_init(h, 64, NULL, 0x4,
						  POOL_FLAG_NON_PAGED |
						  POOL_FLAG_RAISE_ON_FAILURE));
	ntpool_expect_report(test, log, 2, KMODE_EXCEPTION_NOT_HANDLED,
			     (u32)STATUS_INVALID_PARAMETER, log->last.args[1],
			     64, SECURE_TAG);

	/* Destroying the pool frees what is left in it. */
	ExDestroyPool(h);
	KUNIT_EXPECT_EQ(test, tag_in_use(), in_use);
	KUNIT_EXPECT_FALSE(test, ExSecurePoolValidate(h, SECURE_TAG, kept, COOKIE));
	KUNIT_EXPECT_EQ(test, ExSecurePoolUpdate(h, SECURE_TAG, kept, COOKIE, 0,
						 1, "x"),
			STATUS_INVALID_HANDLE);
	KUNIT_EXPECT_NULL(test, secure_alloc(h, 64, NULL,
					     SECURE_POOL_FLAGS_FREEABLE));
	/* A handle that is no pool: reported, nothing happens. */
	ExDestroyPool(h);
	ntpool_expect_report(test, log, 3, BAD_POOL_CALLER, 0x99,
			     (uintptr_t)h, 0, 0);
	ExDestroyPool((HANDLE)0x1235);
	KUNIT_EXPECT_EQ(test, log->count, 4u);
}

static void mapping_is_read_only(struct kunit *test)
{
	void *normal;
	HANDLE h;
	u8 *b;

	need_read_only_mappings(test);
	h = create_pool(test);
	normal = vmalloc(PAGE_SIZE);
	b = secure_alloc(h, 5000, NULL, SECURE_POOL_FLAGS_FREEABLE);
	KUNIT_ASSERT_NOT_NULL(test, normal);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_EXPECT_TRUE(test, is_vmalloc_addr(b));
	/* The check itself: an ordinary vmalloc page is writable. */
	KUNIT_EXPECT_TRUE(test, kernel_pte_writable(normal));
	KUNIT_EXPECT_FALSE(test, kernel_pte_writable(b));
	KUNIT_EXPECT_FALSE(test, kernel_pte_writable(b + PAGE_SIZE));
	vfree(normal);
	ExDestroyPool(h);
}

/*
 * Sizes no machine can hold fail quietly: no allocation, no report, no
 * size truncated to fewer pages, and nothing from the page or slab
 * allocator (a WARN in the run's log fails the run; this kernel is
 * tainted by one at boot, so the taint cannot tell).  2^44 + 4096 bytes
 * once gave one page (the page count was truncated to 32 bits), and an
 * update at offset 8192 wrote past it.
 */
static void impossible_sizes_fail_quietly(struct kunit *test)
{
	const size_t huge[] = {
		SIZE_MAX, SIZE_MAX - PAGE_SIZE + 2, 1ULL << 44,
		(1ULL << 44) + PAGE_SIZE, (1ULL << 32) + 16,
		(totalram_pages() + 1) << PAGE_SHIFT,
	};
	struct ntpool_report_log *log = ntpool_catch_reports(test);
	HANDLE h = create_pool(test);
	s64 in_use = tag_in_use();
	unsigned int i;
	u8 *b;

	for (i = 0; i < ARRAY_SIZE(huge); i++) {
		b = secure_alloc(h, huge[i], NULL, SECURE_POOL_FLAGS_FREEABLE |
						   SECURE_POOL_FLAGS_MODIFIABLE);
		KUNIT_EXPECT_NULL_MSG(test, b, "size %zu", huge[i]);
		if (b)
			continue;	/* not written to: ExDestroyPool frees it */
		KUNIT_EXPECT_EQ(test, ExSecurePoolUpdate(h, SECURE_TAG, b, COOKIE,
							 2 * PAGE_SIZE, 1, "x"),
				STATUS_INVALID_PARAMETER);
	}
	KUNIT_EXPECT_EQ(test, tag_in_use(), in_use);
	KUNIT_EXPECT_EQ(test, log->count, 0u);
	ExDestroyPool(h);
}

/* An update or validation outside the allocation is refused, page by page. */
static void update_range(struct kunit *test)
{
	struct ntpool_report_log *log = ntpool_catch_reports(test);
	HANDLE h = create_pool(test);
	size_t size = PAGE_SIZE + 1;
	u8 *b;

	b = secure_alloc(h, size, NULL, SECURE_POOL_FLAGS_FREEABLE |
					SECURE_POOL_FLAGS_MODIFIABLE);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_EXPECT_EQ(test, ExSecurePoolUpdate(h, SECURE_TAG, b, COOKIE,
						 size - 1, 1, "z"),
			STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, b[size - 1], 'z');
	/* The rest of the last page is not the allocation's. */
	KUNIT_EXPECT_EQ(test, ExSecurePoolUpdate(h, SECURE_TAG, b, COOKIE,
						 size, 1, "y"),
			STATUS_INVALID_PARAMETER);
	KUNIT_EXPECT_EQ(test, ExSecurePoolUpdate(h, SECURE_TAG, b, COOKIE,
						 2 * PAGE_SIZE, 1, "y"),
			STATUS_INVALID_PARAMETER);
	KUNIT_EXPECT_EQ(test, ExSecurePoolUpdate(h, SECURE_TAG, b, COOKIE,
						 1, SIZE_MAX, "y"),
			STATUS_INVALID_PARAMETER);
	KUNIT_EXPECT_EQ(test, ExSecurePoolUpdate(h, SECURE_TAG, b, COOKIE,
						 SIZE_MAX - 1, 2, "yy"),
			STATUS_INVALID_PARAMETER);
	KUNIT_EXPECT_EQ(test, ExSecurePoolUpdate(h, SECURE_TAG, b, COOKIE,
						 size - 1, 2, "yy"),
			STATUS_INVALID_PARAMETER);
	KUNIT_EXPECT_EQ(test, b[size - 1], 'z');
	KUNIT_EXPECT_FALSE(test, ExSecurePoolValidate(h, SECURE_TAG,
						      b + PAGE_SIZE, COOKIE));
	KUNIT_EXPECT_EQ(test, log->count, 0u);
	ExDestroyPool(h);
}

struct irq_free {
	struct hrtimer timer;
	struct completion done;
	HANDLE pool;
	void *b;
};

static enum hrtimer_restart free_in_hardirq(struct hrtimer *timer)
{
	struct irq_free *f = container_of(timer, struct irq_free, timer);

	secure_free(f->pool, f->b, COOKIE);
	complete(&f->done);
	return HRTIMER_NORESTART;
}

/*
 * ntpool allows non-paged pool in hard interrupts, secure allocations
 * included.  The xarray of pools must then never be locked with
 * interrupts on while the secure-pool lock, which hard interrupts take,
 * can wait for it: lockdep (PROVE_LOCKING) turns debug_locks off when it
 * sees such an order.  A free in a hard interrupt, a pool destroyed and
 * one created show every lock order there is.
 */
static void free_in_hard_interrupt(struct kunit *test)
{
	struct ntpool_report_log *log = ntpool_catch_reports(test);
	struct irq_free *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	bool locks_checked = debug_locks;
	s64 in_use = tag_in_use();
	HANDLE other;

	KUNIT_ASSERT_NOT_NULL(test, f);
	f->pool = create_pool(test);
	f->b = secure_alloc(f->pool, 100, NULL, SECURE_POOL_FLAGS_FREEABLE);
	KUNIT_ASSERT_NOT_NULL(test, f->b);
	init_completion(&f->done);
	hrtimer_init(&f->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_HARD);
	f->timer.function = free_in_hardirq;
	hrtimer_start(&f->timer, ns_to_ktime(1000), HRTIMER_MODE_REL_HARD);
	wait_for_completion(&f->done);
	KUNIT_EXPECT_FALSE(test, ExSecurePoolValidate(f->pool, SECURE_TAG, f->b,
						      COOKIE));
	KUNIT_EXPECT_EQ(test, tag_in_use(), in_use);
	ExDestroyPool(f->pool);
	other = create_pool(test);
	ExDestroyPool(other);
	KUNIT_EXPECT_EQ(test, log->count, 0u);
	if (locks_checked)
		KUNIT_EXPECT_TRUE_MSG(test, debug_locks,
				      "lockdep found a bad lock order");
}

static struct kunit_case ntpool_secure_cases[] = {
	KUNIT_CASE(create_checks),
	KUNIT_CASE(allocate_validate_update_free),
	KUNIT_CASE(flags_and_destroy),
	KUNIT_CASE(mapping_is_read_only),
	KUNIT_CASE(impossible_sizes_fail_quietly),
	KUNIT_CASE(update_range),
	KUNIT_CASE(free_in_hard_interrupt),
	{}
};

static struct kunit_suite ntpool_secure_suite = {
	.name = "ntpool_secure",
	.test_cases = ntpool_secure_cases,
};

kunit_test_suite(ntpool_secure_suite);

MODULE_DESCRIPTION("KUnit tests for ntpool's secure pools");
MODULE_LICENSE("GPL");
