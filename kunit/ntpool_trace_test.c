// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "ntpool_trace": the trace events fire where they should,
 * with the arguments a user filters on, seen through probes attached to
 * the tracepoints.
 */
#include <kunit/test.h>
#include <linux/kallsyms.h>
#include <linux/mm.h>
#include <linux/tracepoint.h>
#include "ntpool_kunit.h"
#include "verifier/hit_tag.h"
#include "report/trace.h"

#define TRACE_TAG	('1crT')	/* shows as "Trc1" */
#define OTHER_TAG	('2crT')

/* The last event of each kind for TRACE_TAG, and how many there were. */
struct trace_seen {
	unsigned int allocs, frees, hits, violations;
	u32 tag;
	size_t size;
	int pool_type;
	const void *ptr;
	struct ntpool_caller caller;
	bool hit_free;
	u32 code;
	u64 args[4];
};

static struct trace_seen seen;

static void record_block(u32 tag, size_t size, int pool_type, const void *ptr,
			 const struct ntpool_caller *caller)
{
	seen.tag = tag;
	seen.size = size;
	seen.pool_type = pool_type;
	seen.ptr = ptr;
	seen.caller = *caller;
}

static void on_alloc(void *data, u32 tag, size_t size, int pool_type,
		     const void *ptr, const struct ntpool_caller *caller)
{
	if (tag != TRACE_TAG)
		return;
	seen.allocs++;
	record_block(tag, size, pool_type, ptr, caller);
}

static void on_free(void *data, u32 tag, size_t size, int pool_type,
		    const void *ptr, const struct ntpool_caller *caller)
{
	if (tag != TRACE_TAG)
		return;
	seen.frees++;
	record_block(tag, size, pool_type, ptr, caller);
}

static void on_hit(void *data, u32 tag, size_t size, const void *ptr,
		   bool is_free, const struct ntpool_caller *caller)
{
	seen.hits++;
	seen.hit_free = is_free;
	record_block(tag, size, -1, ptr, caller);
}

static void on_violation(void *data, u32 code, const u64 *args,
			 const struct ntpool_caller *caller)
{
	seen.violations++;
	seen.code = code;
	memcpy(seen.args, args, sizeof(seen.args));
	if (caller)
		seen.caller = *caller;
}

static int trace_init(struct kunit *test)
{
	memset(&seen, 0, sizeof(seen));
	KUNIT_ASSERT_EQ(test, register_trace_ntpool_alloc(on_alloc, NULL), 0);
	KUNIT_ASSERT_EQ(test, register_trace_ntpool_free(on_free, NULL), 0);
	KUNIT_ASSERT_EQ(test, register_trace_ntpool_hit_tag(on_hit, NULL), 0);
	KUNIT_ASSERT_EQ(test,
			register_trace_ntpool_violation(on_violation, NULL), 0);
	return 0;
}

static void trace_exit(struct kunit *test)
{
	unregister_trace_ntpool_violation(on_violation, NULL);
	unregister_trace_ntpool_hit_tag(on_hit, NULL);
	unregister_trace_ntpool_free(on_free, NULL);
	unregister_trace_ntpool_alloc(on_alloc, NULL);
	tracepoint_synchronize_unregister();
	ntpool_hit_tag_set("0");
}

/* The call site an event names is in the function that called ntpool. */
static void expect_call_site(struct kunit *test, const char *function)
{
	char name[KSYM_SYMBOL_LEN];

	snprintf(name, sizeof(name), "%ps", (void *)seen.caller.ip);
	KUNIT_EXPECT_STREQ(test, name, function);
	KUNIT_EXPECT_PTR_EQ(test, seen.caller.module, THIS_MODULE);
}

static void alloc_and_free_events(struct kunit *test)
{
	void *p = ExAllocatePool2(POOL_FLAG_PAGED, 100, TRACE_TAG);

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, seen.allocs, 1u);
	KUNIT_EXPECT_EQ(test, seen.tag, (u32)TRACE_TAG);
	KUNIT_EXPECT_EQ(test, seen.size, (size_t)100);
	KUNIT_EXPECT_EQ(test, seen.pool_type, (int)PagedPool);
	KUNIT_EXPECT_PTR_EQ(test, seen.ptr, (const void *)p);
	expect_call_site(test, "alloc_and_free_events");

	ExFreePoolWithTag(p, TRACE_TAG);
	KUNIT_EXPECT_EQ(test, seen.frees, 1u);
	KUNIT_EXPECT_PTR_EQ(test, seen.ptr, (const void *)p);
	KUNIT_EXPECT_EQ(test, seen.pool_type, (int)PagedPool);
	/* The block's bytes: its header and 100, in 16-byte units. */
	KUNIT_EXPECT_EQ(test, seen.size, (size_t)128);
	expect_call_site(test, "alloc_and_free_events");

	/* Other tags do not reach this suite's probes. */
	ExFreePool(ExAllocatePool2(POOL_FLAG_PAGED, 100, OTHER_TAG));
	KUNIT_EXPECT_EQ(test, seen.allocs + seen.frees, 2u);
}

static void big_nonpaged_events(struct kunit *test)
{
	void *p = ExAllocatePoolWithTag(NonPagedPoolNx, 3 * PAGE_SIZE,
					TRACE_TAG);

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, seen.size, (size_t)(3 * PAGE_SIZE));
	KUNIT_EXPECT_EQ(test, seen.pool_type, (int)NonPagedPool);
	ExFreePool(p);
	KUNIT_EXPECT_EQ(test, seen.allocs, 1u);
	KUNIT_EXPECT_EQ(test, seen.frees, 1u);
	KUNIT_EXPECT_EQ(test, seen.size, (size_t)(3 * PAGE_SIZE));
	KUNIT_EXPECT_EQ(test, seen.pool_type, (int)NonPagedPool);
}

static void hit_tag_events(struct kunit *test)
{
	void *p;

	KUNIT_ASSERT_EQ(test, ntpool_hit_tag_set("Trc1"), 0);
	p = ExAllocatePool2(POOL_FLAG_NON_PAGED, 10, TRACE_TAG);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, seen.hits, 1u);
	KUNIT_EXPECT_FALSE(test, seen.hit_free);
	KUNIT_EXPECT_EQ(test, seen.size, (size_t)10);
	ExFreePool(ExAllocatePool2(POOL_FLAG_NON_PAGED, 10, OTHER_TAG));
	KUNIT_EXPECT_EQ(test, seen.hits, 1u);
	ExFreePool(p);
	KUNIT_EXPECT_EQ(test, seen.hits, 2u);
	KUNIT_EXPECT_TRUE(test, seen.hit_free);
	KUNIT_EXPECT_PTR_EQ(test, seen.ptr, (const void *)p);
	expect_call_site(test, "hit_tag_events");
}

static void violation_events(struct kunit *test)
{
	struct ntpool_report_log *log = ntpool_catch_reports(test);
	void *p = ExAllocatePool2(POOL_FLAG_NON_PAGED, 64, TRACE_TAG);

	KUNIT_ASSERT_NOT_NULL(test, p);
	ExFreePoolWithTag(p, OTHER_TAG);
	KUNIT_EXPECT_EQ(test, log->count, 1u);
	KUNIT_EXPECT_EQ(test, seen.violations, 1u);
	KUNIT_EXPECT_EQ(test, seen.code, (u32)BAD_POOL_CALLER);
	KUNIT_EXPECT_EQ(test, seen.args[0], (u64)NTPOOL_C2_WRONG_TAG);
	KUNIT_EXPECT_EQ(test, seen.args[1], (u64)(unsigned long)p);
	KUNIT_EXPECT_EQ(test, seen.args[2], (u64)TRACE_TAG);
	KUNIT_EXPECT_EQ(test, seen.args[3], (u64)OTHER_TAG);
	expect_call_site(test, "violation_events");
	KUNIT_EXPECT_EQ(test, seen.frees, 0u);
	ExFreePoolWithTag(p, TRACE_TAG);
	KUNIT_EXPECT_EQ(test, seen.frees, 1u);
	KUNIT_EXPECT_EQ(test, seen.violations, 1u);
}

static struct kunit_case ntpool_trace_cases[] = {
	KUNIT_CASE(alloc_and_free_events),
	KUNIT_CASE(big_nonpaged_events),
	KUNIT_CASE(hit_tag_events),
	KUNIT_CASE(violation_events),
	{}
};

static struct kunit_suite ntpool_trace_suite = {
	.name = "ntpool_trace",
	.init = trace_init,
	.exit = trace_exit,
	.test_cases = ntpool_trace_cases,
};

kunit_test_suite(ntpool_trace_suite);

MODULE_DESCRIPTION("KUnit tests for ntpool's trace events");
MODULE_LICENSE("GPL");
