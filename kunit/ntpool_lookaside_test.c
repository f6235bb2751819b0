// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "ntpool_lookaside": NT lookaside lists: counters, callbacks,
 * delete and flush, ExInitializeLookasideListEx's checks, the depth rule
 * and Driver Verifier's lookaside codes.
 */
#include <kunit/test.h>
#include <linux/slab.h>
#include "ntpool_kunit.h"
#include "nt/unload.h"
#include "nt/lookaside.h"
#include "verifier/verifier.h"

#define LA_TAG	('tsLL')	/* "LLst" */

static NPAGED_LOOKASIDE_LIST np_list;
static PAGED_LOOKASIDE_LIST pg_list;
static LOOKASIDE_LIST_EX ex_list;

static void lookaside_exit(struct kunit *test)
{
	ntpool_verify_set("none");
}

static void counters_after_known_sequence(struct kunit *test)
{
	struct ntpool_report_log *log = ntpool_catch_reports(test);
	PGENERAL_LOOKASIDE L = &np_list.L;
	void *e[6];
	int i;

	/* One CPU's cache throughout. */
	migrate_disable();
	ExInitializeNPagedLookasideList(&np_list, NULL, NULL, 0, 100, LA_TAG, 0);
	KUNIT_EXPECT_EQ(test, L->Depth, 4);
	KUNIT_EXPECT_EQ(test, L->MaximumDepth, 256);
	KUNIT_EXPECT_EQ(test, L->Size, 100u);
	KUNIT_EXPECT_EQ(test, L->Type, NonPagedPool);
	for (i = 0; i < 6; i++) {
		e[i] = ExAllocateFromNPagedLookasideList(&np_list);
		KUNIT_ASSERT_NOT_NULL(test, e[i]);
	}
	KUNIT_EXPECT_EQ(test, L->TotalAllocates, 6u);
	KUNIT_EXPECT_EQ(test, L->AllocateMisses, 6u);
	/* Depth 4: four are cached, two go back to the pool. */
	for (i = 0; i < 6; i++)
		ExFreeToNPagedLookasideList(&np_list, e[i]);
	KUNIT_EXPECT_EQ(test, L->TotalFrees, 6u);
	KUNIT_EXPECT_EQ(test, L->FreeMisses, 2u);
	/* The cached ones come back, newest first (LIFO). */
	e[0] = ExAllocateFromNPagedLookasideList(&np_list);
	KUNIT_EXPECT_PTR_EQ(test, e[0], e[3]);
	KUNIT_EXPECT_EQ(test, L->TotalAllocates, 7u);
	KUNIT_EXPECT_EQ(test, L->AllocateMisses, 6u);
	ExFreeToNPagedLookasideList(&np_list, e[0]);
	ExDeleteNPagedLookasideList(&np_list);
	migrate_enable();
	KUNIT_EXPECT_EQ(test, log->count, 0u);
}

static unsigned int allocated, freed;
static PLOOKASIDE_LIST_EX seen;

static PVOID count_alloc(POOL_TYPE type, SIZE_T size, ULONG tag)
{
	allocated++;
	return kmalloc(size, GFP_KERNEL);
}

static VOID count_free(PVOID p)
{
	freed++;
	kfree(p);
}

static PVOID count_alloc_ex(POOL_TYPE type, SIZE_T size, ULONG tag,
			    PLOOKASIDE_LIST_EX list)
{
	seen = list;
	return count_alloc(type, size, tag);
}

static VOID count_free_ex(PVOID p, PLOOKASIDE_LIST_EX list)
{
	seen = list;
	count_free(p);
}

static void callbacks_delete_and_flush(struct kunit *test)
{
	void *e[3];
	int i;

	allocated = 0;
	freed = 0;
	ExInitializePagedLookasideList(&pg_list, count_alloc, count_free, 0, 32,
				       LA_TAG, 0);
	KUNIT_EXPECT_EQ(test, pg_list.L.Type, PagedPool);
	for (i = 0; i < 3; i++)
		e[i] = ExAllocateFromPagedLookasideList(&pg_list);
	for (i = 0; i < 3; i++)
		ExFreeToPagedLookasideList(&pg_list, e[i]);
	KUNIT_EXPECT_EQ(test, allocated, 3u);
	KUNIT_EXPECT_EQ(test, freed, 0u);
	ExDeletePagedLookasideList(&pg_list);
	KUNIT_EXPECT_EQ(test, freed, 3u);

	KUNIT_ASSERT_EQ(test, ExInitializeLookasideListEx(&ex_list, count_alloc_ex,
							  count_free_ex, NonPagedPoolNx,
							  0, 48, LA_TAG, 0),
			STATUS_SUCCESS);
	e[0] = ExAllocateFromLookasideListEx(&ex_list);
	KUNIT_EXPECT_PTR_EQ(test, seen, &ex_list);
	ExFreeToLookasideListEx(&ex_list, e[0]);
	seen = NULL;
	ExFlushLookasideListEx(&ex_list);
	KUNIT_EXPECT_PTR_EQ(test, seen, &ex_list);
	KUNIT_EXPECT_EQ(test, freed, 4u);
	/* Flushed, the list still works. */
	e[0] = ExAllocateFromLookasideListEx(&ex_list);
	KUNIT_EXPECT_NOT_NULL(test, e[0]);
	ExFreeToLookasideListEx(&ex_list, e[0]);
	ExDeleteLookasideListEx(&ex_list);
	KUNIT_EXPECT_EQ(test, allocated, freed);
}

static void ex_parameter_checks(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, ExInitializeLookasideListEx(&ex_list, NULL, NULL,
							  (POOL_TYPE)7, 0, 48, LA_TAG, 0),
			STATUS_INVALID_PARAMETER_4);
	KUNIT_EXPECT_EQ(test, ExInitializeLookasideListEx(&ex_list, NULL, NULL,
							  PagedPool, 3, 48, LA_TAG, 0),
			STATUS_INVALID_PARAMETER_5);
	KUNIT_EXPECT_EQ(test, ExInitializeLookasideListEx(&ex_list, NULL, NULL,
							  PagedPool, 4, 48, LA_TAG, 0),
			STATUS_INVALID_PARAMETER_5);
	/* Fail-no-raise is for quota allocators: it needs Allocate. */
	KUNIT_EXPECT_EQ(test, ExInitializeLookasideListEx(&ex_list, NULL, NULL,
							  PagedPool,
							  EX_LOOKASIDE_LIST_EX_FLAGS_FAIL_NO_RAISE,
							  48, LA_TAG, 0),
			STATUS_INVALID_PARAMETER_5);
	KUNIT_ASSERT_EQ(test, ExInitializeLookasideListEx(&ex_list, NULL, NULL,
							  PagedPool,
							  EX_LOOKASIDE_LIST_EX_FLAGS_RAISE_ON_FAIL,
							  48, LA_TAG, 0),
			STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, ex_list.L.Type,
			PagedPool | POOL_RAISE_IF_ALLOCATION_FAILURE);
	ExDeleteLookasideListEx(&ex_list);
}

static void depth_rule(struct kunit *test)
{
	PGENERAL_LOOKASIDE_POOL L = &ex_list.L;

	KUNIT_ASSERT_EQ(test, ExInitializeLookasideListEx(&ex_list, NULL, NULL,
							  NonPagedPool, 0, 64, LA_TAG, 0),
			STATUS_SUCCESS);
	/* Busy, missing half the time: 4 + 5 + 500 * 252 / 2000 = 72. */
	L->TotalAllocates += 1000;
	L->AllocateMisses += 500;
	ntpool_lookaside_adjust(L);
	KUNIT_EXPECT_EQ(test, L->Depth, 72);
	/* Busy, never missing: one less. */
	L->TotalAllocates += 1000;
	ntpool_lookaside_adjust(L);
	KUNIT_EXPECT_EQ(test, L->Depth, 71);
	/* Idle: ten less, never below 4. */
	L->TotalAllocates += 10;
	ntpool_lookaside_adjust(L);
	KUNIT_EXPECT_EQ(test, L->Depth, 61);
	L->Depth = 8;
	ntpool_lookaside_adjust(L);
	KUNIT_EXPECT_EQ(test, L->Depth, 4);
	/* Missing always: up to the maximum, no further. */
	L->Depth = 250;
	L->TotalAllocates += 1000;
	L->AllocateMisses += 1000;
	ntpool_lookaside_adjust(L);
	KUNIT_EXPECT_EQ(test, L->Depth, 256);
	ExDeleteLookasideListEx(&ex_list);
}

static void verified_lists_keep_nothing(struct kunit *test)
{
	void *e;

	KUNIT_ASSERT_EQ(test, ntpool_verify_set("vmlinux"), 0);
	ExInitializeNPagedLookasideList(&np_list, NULL, NULL, 0, 64, LA_TAG, 0);
	KUNIT_EXPECT_EQ(test, np_list.L.Depth, 0);
	e = ExAllocateFromNPagedLookasideList(&np_list);
	ExFreeToNPagedLookasideList(&np_list, e);
	KUNIT_EXPECT_EQ(test, np_list.L.FreeMisses, 1u);
	ntpool_lookaside_adjust((PGENERAL_LOOKASIDE_POOL)&np_list);
	KUNIT_EXPECT_EQ(test, np_list.L.Depth, 0);
	ExDeleteNPagedLookasideList(&np_list);
}

static void verifier_codes(struct kunit *test)
{
	struct ntpool_report_log *log = ntpool_catch_reports(test);
	PNPAGED_LOOKASIDE_LIST in_pool;
	void *block;

	ExInitializeNPagedLookasideList(&np_list, NULL, NULL, 0, 64, LA_TAG, 0);
	ExInitializeNPagedLookasideList(&np_list, NULL, NULL, 0, 64, LA_TAG, 0);
	ntpool_expect_report(test, log, 1, DRIVER_VERIFIER_DETECTED_VIOLATION,
			     0xCA, (unsigned long)&np_list, 0, 0);
	ExDeleteNPagedLookasideList(&np_list);
	ExDeleteNPagedLookasideList(&np_list);
	ntpool_expect_report(test, log, 2, DRIVER_VERIFIER_DETECTED_VIOLATION,
			     0xCB, (unsigned long)&np_list, 0, 0);
	ExInitializePagedLookasideList(&pg_list, NULL, NULL, 0, 4, LA_TAG, 0);
	ntpool_expect_report(test, log, 3, DRIVER_VERIFIER_DETECTED_VIOLATION,
			     0xCD, (unsigned long)&pg_list, 4, sizeof(PVOID));

	/* Freeing the pool that holds a live list: refused. */
	block = ExAllocatePool2(POOL_FLAG_NON_PAGED, 256, LA_TAG);
	KUNIT_ASSERT_NOT_NULL(test, block);
	in_pool = PTR_ALIGN(block, 64);
	ExInitializeNPagedLookasideList(in_pool, NULL, NULL, 0, 64, LA_TAG, 0);
	ExFreePoolWithTag(block, LA_TAG);
	ntpool_expect_report(test, log, 4, DRIVER_VERIFIER_DETECTED_VIOLATION,
			     0xCC, (unsigned long)in_pool, (unsigned long)block,
			     ExQueryPoolBlockSize(block, NULL));
	ExDeleteNPagedLookasideList(in_pool);
	ExFreePoolWithTag(block, LA_TAG);
	KUNIT_EXPECT_EQ(test, log->count, 4u);
}

/* A module that unloads with a list it never deleted. */
static u64 fake_module_storage[64];
#define fake_module ((struct module *)fake_module_storage)

static void undeleted_list_at_unload(struct kunit *test)
{
	struct ntpool_report_log *log = ntpool_catch_reports(test);
	struct ntpool_caller caller = { .module = fake_module };
	const char *name;
	void *e;

	KUNIT_ASSERT_EQ(test, ntpool_lookaside_init(&ex_list.L, NTPOOL_LOOKASIDE_EX,
						    NULL, NULL, NonPagedPool, 0,
						    64, LA_TAG, caller),
			STATUS_SUCCESS);
	e = ExAllocateFromLookasideListEx(&ex_list);
	ExFreeToLookasideListEx(&ex_list, e);
	name = ntpool_client_of(fake_module)->name;
	ntpool_client_gone(fake_module);
	/*
	 * The list is reported; its cached entry is the list's, not a leak:
	 * no 0xC4/0x62 follows.
	 */
	ntpool_expect_report(test, log, 1, TIMER_OR_DPC_INVALID, 0x4,
			     (unsigned long)&ex_list, (unsigned long)name, LA_TAG);
	/* The list is no longer live. */
	KUNIT_EXPECT_NULL(test, ExAllocateFromLookasideListEx(&ex_list));
	ntpool_expect_report(test, log, 2, DRIVER_VERIFIER_DETECTED_VIOLATION,
			     0xCB, (unsigned long)&ex_list, 0, 0);
	ntpool_client_coming(fake_module);
}

/*
 * Depth and MaximumDepth are the client's to read, not to write: written
 * anyway, they bound nothing of ntpool's.
 */
static void client_written_depth(struct kunit *test)
{
	struct ntpool_report_log *log = ntpool_catch_reports(test);
	PGENERAL_LOOKASIDE_POOL L = &ex_list.L;
	void *e[300];
	int i;

	KUNIT_ASSERT_EQ(test, ExInitializeLookasideListEx(&ex_list, NULL, NULL,
							  NonPagedPool, 0, 64, LA_TAG, 0),
			STATUS_SUCCESS);
	for (i = 0; i < ARRAY_SIZE(e); i++) {
		e[i] = ExAllocateFromLookasideListEx(&ex_list);
		KUNIT_ASSERT_NOT_NULL(test, e[i]);
	}
	L->Depth = 0xffff;
	L->MaximumDepth = 0xffff;
	/* One CPU's stack holds 256 at most: the rest go back to the pool. */
	migrate_disable();
	for (i = 0; i < ARRAY_SIZE(e); i++)
		ExFreeToLookasideListEx(&ex_list, e[i]);
	migrate_enable();
	KUNIT_EXPECT_EQ(test, L->FreeMisses, 300u - 256u);
	/* Busy and missing: the depth grows to 256 at most. */
	L->TotalAllocates += 1000;
	L->AllocateMisses += 1000;
	ntpool_lookaside_adjust(L);
	KUNIT_EXPECT_EQ(test, L->Depth, 256);
	ExDeleteLookasideListEx(&ex_list);
	KUNIT_EXPECT_EQ(test, log->count, 0u);
}

/* A list never initialised, or deleted: reported, never followed. */
static void list_not_live(struct kunit *test)
{
	struct ntpool_report_log *log = ntpool_catch_reports(test);
	static NPAGED_LOOKASIDE_LIST never;
	void *e;

	KUNIT_EXPECT_NULL(test, ExAllocateFromNPagedLookasideList(&never));
	ntpool_expect_report(test, log, 1, DRIVER_VERIFIER_DETECTED_VIOLATION,
			     0xCB, (unsigned long)&never, 0, 0);

	ExInitializeNPagedLookasideList(&np_list, NULL, NULL, 0, 64, LA_TAG, 0);
	e = ExAllocateFromNPagedLookasideList(&np_list);
	KUNIT_ASSERT_NOT_NULL(test, e);
	ExDeleteNPagedLookasideList(&np_list);
	KUNIT_EXPECT_NULL(test, ExAllocateFromNPagedLookasideList(&np_list));
	ntpool_expect_report(test, log, 2, DRIVER_VERIFIER_DETECTED_VIOLATION,
			     0xCB, (unsigned long)&np_list, 0, 0);
	/* Freed to a deleted list: reported, and left alone. */
	ExFreeToNPagedLookasideList(&np_list, e);
	ntpool_expect_report(test, log, 3, DRIVER_VERIFIER_DETECTED_VIOLATION,
			     0xCB, (unsigned long)&np_list, (unsigned long)e, 0);
	ExFreePool(e);
	KUNIT_EXPECT_EQ(test, log->count, 3u);
}

/* Size is a ULONG in the list: a larger entry size is refused. */
static void size_beyond_ulong(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, ExInitializeLookasideListEx(&ex_list, NULL, NULL,
							  PagedPool, 0,
							  (SIZE_T)U32_MAX + 1 + 64,
							  LA_TAG, 0),
			STATUS_INVALID_PARAMETER_6);
	KUNIT_ASSERT_EQ(test, ExInitializeLookasideListEx(&ex_list, NULL, NULL,
							  PagedPool, 0, U32_MAX,
							  LA_TAG, 0),
			STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, ex_list.L.Size, U32_MAX);
	ExDeleteLookasideListEx(&ex_list);
}

/*
 * The cached entries are on L.ListHead, as on NT: ExQueryDepthSList()
 * counts them after every allocation and free, and each free that caches
 * is a push (Sequence one up).
 */
static void list_head_holds_the_cached_entries(struct kunit *test)
{
	struct ntpool_report_log *log = ntpool_catch_reports(test);
	PSLIST_HEADER head = &np_list.L.ListHead;
	void *e[6];
	int i;

	ExInitializeNPagedLookasideList(&np_list, NULL, NULL, 0, 100, LA_TAG, 0);
	KUNIT_EXPECT_EQ(test, head->Alignment, 0);
	KUNIT_EXPECT_EQ(test, head->Region, 0);
	for (i = 0; i < 6; i++) {
		e[i] = ExAllocateFromNPagedLookasideList(&np_list);
		KUNIT_ASSERT_NOT_NULL(test, e[i]);
		KUNIT_EXPECT_EQ(test, ExQueryDepthSList(head), 0);
	}
	/* Depth 4: the first four frees are pushed, the others missed. */
	for (i = 0; i < 6; i++) {
		ExFreeToNPagedLookasideList(&np_list, e[i]);
		KUNIT_EXPECT_EQ(test, ExQueryDepthSList(head), min(i + 1, 4));
		KUNIT_EXPECT_EQ(test, np_list.L.FreeMisses, max(i - 3, 0));
	}
	KUNIT_EXPECT_EQ(test, (u64)head->HeaderX64.Sequence, 4);
	KUNIT_EXPECT_EQ(test, head->Region, (unsigned long)e[3]);
	/* Allocations pop: newest first, the depth going down. */
	for (i = 3; i >= 0; i--) {
		KUNIT_EXPECT_PTR_EQ(test, ExAllocateFromNPagedLookasideList(&np_list),
				    e[i]);
		KUNIT_EXPECT_EQ(test, ExQueryDepthSList(head), i);
	}
	KUNIT_EXPECT_EQ(test, np_list.L.AllocateMisses, 6u);
	KUNIT_EXPECT_EQ(test, np_list.L.TotalAllocates, 10u);
	for (i = 0; i < 4; i++)
		ExFreeToNPagedLookasideList(&np_list, e[i]);
	KUNIT_EXPECT_EQ(test, ExQueryDepthSList(head), 4);
	/* Delete frees the cached entries: nothing leaks (0xC4/0x62). */
	ExDeleteNPagedLookasideList(&np_list);
	KUNIT_EXPECT_EQ(test, ExQueryDepthSList(head), 0);
	KUNIT_EXPECT_EQ(test, log->count, 0u);
}

/*
 * An entry that cannot be on an SList (a client allocator's 8-byte
 * aligned block) is not cached: it goes back to the Free routine.
 */
static u8 odd_block[64] __aligned(16);

static PVOID odd_alloc(POOL_TYPE type, SIZE_T size, ULONG tag)
{
	allocated++;
	return odd_block + 8;
}

static VOID odd_free(PVOID p)
{
	freed++;
}

static void unalignable_entry_not_cached(struct kunit *test)
{
	struct ntpool_report_log *log = ntpool_catch_reports(test);
	void *entry;

	allocated = 0;
	freed = 0;
	ExInitializeNPagedLookasideList(&np_list, odd_alloc, odd_free, 0, 32,
					LA_TAG, 0);
	entry = ExAllocateFromNPagedLookasideList(&np_list);
	KUNIT_EXPECT_PTR_EQ(test, entry, (void *)(odd_block + 8));
	ExFreeToNPagedLookasideList(&np_list, entry);
	KUNIT_EXPECT_EQ(test, freed, 1u);
	KUNIT_EXPECT_EQ(test, np_list.L.FreeMisses, 1u);
	KUNIT_EXPECT_EQ(test, ExQueryDepthSList(&np_list.L.ListHead), 0);
	ExDeleteNPagedLookasideList(&np_list);
	KUNIT_EXPECT_EQ(test, log->count, 0u);
}

/*
 * The chain on L.ListHead is the client's memory: one overwritten to loop
 * back is reported when the list is deleted (as an entry that cannot be
 * read, where the walk gives up), and its entries are left allocated,
 * never freed twice.  (A Next that points nowhere readable is the VM's to
 * test, lookaside.sh: UML cannot survive such a read.)
 */
static void looped_chain_reported_on_delete(struct kunit *test)
{
	struct ntpool_report_log *log = ntpool_catch_reports(test);
	PSLIST_ENTRY e[2];
	u64 where;
	int i;

	ExInitializeNPagedLookasideList(&np_list, NULL, NULL, 0, 64, LA_TAG, 0);
	for (i = 0; i < 2; i++) {
		e[i] = ExAllocateFromNPagedLookasideList(&np_list);
		KUNIT_ASSERT_NOT_NULL(test, e[i]);
	}
	for (i = 0; i < 2; i++)
		ExFreeToNPagedLookasideList(&np_list, e[i]);
	/* The chain was e[1], e[0]; now it never ends. */
	e[0]->Next = e[1];
	ExDeleteNPagedLookasideList(&np_list);
	KUNIT_EXPECT_EQ(test, log->count, 1u);
	KUNIT_EXPECT_EQ(test, log->last.code, KMODE_EXCEPTION_NOT_HANDLED);
	KUNIT_EXPECT_EQ(test, log->last.args[0], (u32)STATUS_ACCESS_VIOLATION);
	where = log->last.args[3];
	KUNIT_EXPECT_TRUE(test, where == (unsigned long)e[0] ||
			  where == (unsigned long)e[1]);
	/* Still allocated: these frees are the first. */
	for (i = 0; i < 2; i++)
		ExFreePoolWithTag(e[i], LA_TAG);
	KUNIT_EXPECT_EQ(test, log->count, 1u);
}

/* NT's InitializeSListHead() raises on a ListHead not 16-byte aligned. */
static void misaligned_list_refused(struct kunit *test)
{
	struct ntpool_report_log *log = ntpool_catch_reports(test);
	static u8 buf[sizeof(LOOKASIDE_LIST_EX) + 16] __aligned(16);
	PLOOKASIDE_LIST_EX odd = (PLOOKASIDE_LIST_EX)(buf + 8);

	KUNIT_EXPECT_EQ(test, ExInitializeLookasideListEx(odd, NULL, NULL,
							  NonPagedPool, 0, 64,
							  LA_TAG, 0),
			STATUS_DATATYPE_MISALIGNMENT);
	KUNIT_EXPECT_EQ(test, log->count, 1u);
	KUNIT_EXPECT_EQ(test, log->last.code, KMODE_EXCEPTION_NOT_HANDLED);
	KUNIT_EXPECT_EQ(test, log->last.args[0], (u32)STATUS_DATATYPE_MISALIGNMENT);
	KUNIT_EXPECT_EQ(test, log->last.args[2], (unsigned long)odd);
	/* Not live: using it is reported as such. */
	KUNIT_EXPECT_NULL(test, ExAllocateFromLookasideListEx(odd));
	ntpool_expect_report(test, log, 2, DRIVER_VERIFIER_DETECTED_VIOLATION,
			     0xCB, (unsigned long)odd, 0, 0);
}

static struct kunit_case ntpool_lookaside_cases[] = {
	KUNIT_CASE(counters_after_known_sequence),
	KUNIT_CASE(callbacks_delete_and_flush),
	KUNIT_CASE(ex_parameter_checks),
	KUNIT_CASE(depth_rule),
	KUNIT_CASE(verified_lists_keep_nothing),
	KUNIT_CASE(verifier_codes),
	KUNIT_CASE(undeleted_list_at_unload),
	KUNIT_CASE(client_written_depth),
	KUNIT_CASE(list_not_live),
	KUNIT_CASE(size_beyond_ulong),
	KUNIT_CASE(list_head_holds_the_cached_entries),
	KUNIT_CASE(unalignable_entry_not_cached),
	KUNIT_CASE(misaligned_list_refused),
	KUNIT_CASE(looped_chain_reported_on_delete),
	{}
};

static struct kunit_suite ntpool_lookaside_suite = {
	.name = "ntpool_lookaside",
	.exit = lookaside_exit,
	.test_cases = ntpool_lookaside_cases,
};

kunit_test_suite(ntpool_lookaside_suite);

MODULE_DESCRIPTION("KUnit tests for ntpool's lookaside lists");
MODULE_LICENSE("GPL");
