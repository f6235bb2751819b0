// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "ntpool_reports": the machine-readable verdict and the
 * injected-fault log.  The JSON writer's escaping, the line reports.json
 * keeps for a report and for each unload check (the leak table of
 * 0xC4/0x62), the uevent that follows it, low-resources simulation's rate
 * and static key, !verifier 4's entries, and Pool Tracking's
 * allocate/free log (!verifier 0x80) with the history a report names.
 */
#include <kunit/test.h>
#include <linux/kallsyms.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "ntpool_kunit.h"
#include "core/leaks.h"
#include "nt/unload.h"
#include "report/alloc_log.h"
#include "verifier/faults.h"
#include "report/json.h"
#include "verifier/verifier.h"

#define LINE_BYTES	16384

static char *last_line(struct kunit *test, u64 *seq)
{
	char *buf = kunit_kzalloc(test, LINE_BYTES, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	*seq = ntpool_reports_json_last(buf, LINE_BYTES);
	return buf;
}

#define EXPECT_HAS(test, text, part)					\
	do {								\
		const char *in_ = (text), *part_ = (part);		\
									\
		KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(in_, part_),	\
					  "%s not in %s", part_, in_);	\
	} while (0)

static void json_escapes_strings(struct kunit *test)
{
	struct ntpool_json j;
	char buf[160];

	ntpool_json_init(&j, buf, sizeof(buf));
	ntpool_json_open(&j, '{');
	ntpool_json_key(&j, "s");
	ntpool_json_string(&j, "a\"b\\c\n\x01\x7f\xe9");
	ntpool_json_key(&j, "n");
	ntpool_json_null(&j);
	ntpool_json_key(&j, "a");
	ntpool_json_open(&j, '[');
	ntpool_json_hex(&j, 0xffffffffc0001234ULL);
	ntpool_json_u64(&j, 7);
	ntpool_json_bool(&j, true);
	ntpool_json_tag(&j, 'gaT\x01');
	ntpool_json_close(&j, ']');
	ntpool_json_close(&j, '}');
	KUNIT_EXPECT_FALSE(test, ntpool_json_overflowed(&j));
	KUNIT_EXPECT_STREQ(test, buf,
			   "{\"s\":\"a\\\"b\\\\c\\u000a\\u0001\\u007f\\u00e9\",\"n\":null,\"a\":[\"0xffffffffc0001234\",7,true,\"\\\\x01Tag\"]}");
}

static void json_overflow_is_told(struct kunit *test)
{
	struct ntpool_json j;
	char buf[8];

	ntpool_json_init(&j, buf, sizeof(buf));
	ntpool_json_string(&j, "abcde");
	KUNIT_EXPECT_FALSE(test, ntpool_json_overflowed(&j));
	KUNIT_EXPECT_STREQ(test, buf, "\"abcde\"");
	ntpool_json_string(&j, "x");
	KUNIT_EXPECT_TRUE(test, ntpool_json_overflowed(&j));
	KUNIT_EXPECT_EQ(test, strlen(buf), 7UL);
}

/* A wrong tag on free: code, arguments, tag, module and stack. */
static void report_line(struct kunit *test)
{
	struct ntpool_report_log *log = ntpool_catch_reports(test);
	void *p = ExAllocatePool2(POOL_FLAG_PAGED, 10, '1gaT');
	char args[128], frame[64], *line;
	u64 before, seq;

	KUNIT_ASSERT_NOT_NULL(test, p);
	last_line(test, &before);
	ExFreePoolWithTag(p, 'gnrW');
	KUNIT_EXPECT_EQ(test, log->count, 1u);
	line = last_line(test, &seq);
	KUNIT_EXPECT_EQ(test, seq, before + 1);
	KUNIT_EXPECT_EQ(test, line[0], '{');
	KUNIT_EXPECT_EQ(test, line[strlen(line) - 1], '\n');
	EXPECT_HAS(test, line, "\"event\":\"bugcheck\"");
	EXPECT_HAS(test, line, "\"code\":\"0xc2\",\"name\":\"BAD_POOL_CALLER\"");
	snprintf(args, sizeof(args), "\"args\":[\"0xa\",\"0x%lx\",\"0x%x\",\"0x%x\"]",
		 (unsigned long)p, '1gaT', 'gnrW');
	EXPECT_HAS(test, line, args);
	EXPECT_HAS(test, line, "\"module\":\"vmlinux\"");
	EXPECT_HAS(test, line, "\"tag\":\"Tag1\"");
	EXPECT_HAS(test, line, "\"printed\":false");
	EXPECT_HAS(test, line, "\"policy\":\"");
	EXPECT_HAS(test, line, "\"irql\":0,");
	EXPECT_HAS(test, line, "\"stack\":[\"");
	snprintf(frame, sizeof(frame), "\"%s+0x", __func__);
	EXPECT_HAS(test, line, frame);
	ExFreePool(p);
}

/* The uevent of the line above: its variables, once the work ran. */
static void report_uevent(struct kunit *test)
{
	void *p = ExAllocatePool2(POOL_FLAG_PAGED, 10, '1gaT');
	const char *vars;
	char want[160];
	u64 sent, seq;

	ntpool_catch_reports(test);
	KUNIT_ASSERT_NOT_NULL(test, p);
	ntpool_report_events_flush();
	sent = ntpool_report_events_sent(&vars);
	ExFreePoolWithTag(p, 'gnrW');
	last_line(test, &seq);
	ntpool_report_events_flush();
	KUNIT_EXPECT_EQ(test, ntpool_report_events_sent(&vars), sent + 1);
	snprintf(want, sizeof(want),
		 "NTPOOL_EVENT=bugcheck NTPOOL_CODE=0xc2 NTPOOL_NAME=BAD_POOL_CALLER NTPOOL_ARG1=0xa NTPOOL_MODULE=vmlinux NTPOOL_SEQ=%llu",
		 seq);
	KUNIT_EXPECT_STREQ(test, vars, want);
	ExFreePool(p);
}

static u64 fake_module_storage[64];
#define fake_module ((struct module *)fake_module_storage)

/* The unload check: clean, then leaking two blocks (the leak table). */
static void unload_lines(struct kunit *test)
{
	struct ntpool_report_log *log = ntpool_catch_reports(test);
	struct ntpool_caller caller = { .module = fake_module, .ip = _THIS_IP_ };
	char name[MODULE_NAME_LEN], want[128], *line;
	const char *vars;
	void *p, *q;
	u64 seq;

	/*
	 * What earlier suites' fake modules (all named as this one) left
	 * goes first: with every client id held, this module would share
	 * id 0, whose usage is not counted per pool.
	 */
	ntpool_leaks_release(module_name(fake_module));
	p = ntpool_allocate(POOL_FLAG_PAGED, 40, 'kaeL', caller);
	KUNIT_ASSERT_NOT_NULL(test, p);
	ntpool_free(p, 'kaeL', caller);
	strscpy(name, ntpool_client_of(fake_module)->name, sizeof(name));
	ntpool_client_gone(fake_module);
	KUNIT_EXPECT_EQ(test, log->count, 0u);
	line = last_line(test, &seq);
	EXPECT_HAS(test, line, "\"event\":\"unload\"");
	snprintf(want, sizeof(want), "\"module\":\"%s\",\"verdict\":\"clean\",\"allocations\":0}",
		 name);
	EXPECT_HAS(test, line, want);
	ntpool_report_events_flush();
	ntpool_report_events_sent(&vars);
	snprintf(want, sizeof(want), "NTPOOL_EVENT=unload NTPOOL_MODULE=%s NTPOOL_SEQ=%llu",
		 name, seq);
	KUNIT_EXPECT_STREQ(test, vars, want);

	ntpool_client_coming(fake_module);
	p = ntpool_allocate(POOL_FLAG_PAGED, 40, 'kaeL', caller);
	q = ntpool_allocate(POOL_FLAG_NON_PAGED, 24, 'kaeL', caller);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_NOT_NULL(test, q);
	ntpool_client_gone(fake_module);
	KUNIT_EXPECT_EQ(test, log->count, 1u);
	line = last_line(test, &seq);
	EXPECT_HAS(test, line, "\"code\":\"0xc4\"");
	EXPECT_HAS(test, line, "\"args\":[\"0x62\",");
	snprintf(want, sizeof(want), "\"module\":\"%s\"", name);
	EXPECT_HAS(test, line, want);
	EXPECT_HAS(test, line, "\"verdict\":\"leak\",\"allocations\":2,");
	EXPECT_HAS(test, line, "\"nonpaged\":{\"allocations\":1,\"bytes\":48}");
	EXPECT_HAS(test, line, "\"paged\":{\"allocations\":1,\"bytes\":64}");
	snprintf(want, sizeof(want), "{\"address\":\"0x%lx\",\"size\":40,\"tag\":\"Leak\"",
		 (unsigned long)p);
	EXPECT_HAS(test, line, want);
	snprintf(want, sizeof(want), "{\"address\":\"0x%lx\",\"size\":24,\"tag\":\"Leak\"",
		 (unsigned long)q);
	EXPECT_HAS(test, line, want);
	EXPECT_HAS(test, line, "\"leak_table_complete\":true}");
	KUNIT_EXPECT_EQ(test, ntpool_leaks_release(name), 2UL);
	ntpool_client_coming(fake_module);
}

static void faults_off(void *data)
{
	ntpool_fault_probability_set(0);
	ntpool_fault_rate_setup(1, 1);
	ntpool_fault_tags_set("*");
}

/* ntpool's own rate: fault_attr's meaning for interval and times. */
static void own_rate(struct kunit *test)
{
	struct ntpool_fault_rate r = {
		.probability = 100, .interval = 3, .times = ATOMIC_INIT(2),
	};
	unsigned int i, failed = 0, at[2] = {};

	for (i = 1; i <= 12; i++)
		if (ntpool_fault_rate_fail(&r) && failed < 2)
			at[failed++] = i;
	KUNIT_EXPECT_EQ(test, failed, 2u);
	KUNIT_EXPECT_EQ(test, at[0], 3u);
	KUNIT_EXPECT_EQ(test, at[1], 6u);
	KUNIT_EXPECT_EQ(test, atomic_read(&r.times), 0);

	r.probability = 0;
	atomic_set(&r.times, -1);
	r.interval = 1;
	for (i = 0; i < 100; i++)
		KUNIT_EXPECT_FALSE(test, ntpool_fault_rate_fail(&r));
	r.probability = 100;
	KUNIT_EXPECT_TRUE(test, ntpool_fault_rate_fail(&r));
	KUNIT_EXPECT_EQ(test, atomic_read(&r.times), -1);
}

/* The probability is the static key: off costs a branch. */
static void probability_is_the_key(struct kunit *test)
{
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, faults_off, NULL), 0);
	KUNIT_EXPECT_FALSE(test, static_key_enabled(&ntpool_faults_on));
	KUNIT_EXPECT_EQ(test, ntpool_fault_probability_set(101), -EINVAL);
	KUNIT_EXPECT_EQ(test, ntpool_fault_probability_set(50), 0);
	KUNIT_EXPECT_TRUE(test, static_key_enabled(&ntpool_faults_on));
	KUNIT_EXPECT_TRUE(test, ntpool_faults_enabled());
	KUNIT_EXPECT_EQ(test, ntpool_fault_probability(), 50UL);
	KUNIT_EXPECT_EQ(test, ntpool_fault_probability_set(0), 0);
	KUNIT_EXPECT_FALSE(test, static_key_enabled(&ntpool_faults_on));
	KUNIT_EXPECT_FALSE(test, ntpool_faults_enabled());
}

static noinline void *fail_one(void)
{
	return ExAllocatePool2(POOL_FLAG_PAGED, 0x2a, '1tlF');
}

/* !verifier 4: each failure injected, newest first, with its call site. */
static void fault_log(struct kunit *test)
{
	u64 count = ntpool_fault_log_count();
	struct seq_file *m;
	char want[160], *first, *second;

	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, faults_off, NULL), 0);
	KUNIT_ASSERT_EQ(test, ntpool_fault_tags_set("Flt?"), 0);
	ntpool_fault_rate_setup(1, -1);
	KUNIT_ASSERT_EQ(test, ntpool_fault_probability_set(100), 0);
	KUNIT_EXPECT_NULL(test, fail_one());
	KUNIT_EXPECT_NULL(test, ExAllocatePool2(POOL_FLAG_NON_PAGED, 0x10, '2tlF'));
	KUNIT_EXPECT_EQ(test, ntpool_fault_log_count(), count + 2);

	m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m);
	m->size = 64 * 1024;
	m->buf = kunit_kzalloc(test, m->size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m->buf);
	ntpool_fault_log_show(m);
	KUNIT_ASSERT_LT(test, m->count, m->size);
	EXPECT_HAS(test, m->buf, "Resource fault injection history:\n");
	snprintf(want, sizeof(want), "Faults injected: 0x%llx;", count + 2);
	EXPECT_HAS(test, m->buf, want);
	snprintf(want, sizeof(want), "Entry (index 0x%llx)\n", count + 1);
	first = strstr(m->buf, want);
	snprintf(want, sizeof(want), "Entry (index 0x%llx)\n", count);
	second = strstr(m->buf, want);
	KUNIT_ASSERT_NOT_NULL(test, first);
	KUNIT_ASSERT_NOT_NULL(test, second);
	KUNIT_EXPECT_LT(test, (unsigned long)first, (unsigned long)second);
	EXPECT_HAS(test, first, "    Module: vmlinux  Pool: Nonpaged  Size: 0x10  Tag: Flt2\n");
	EXPECT_HAS(test, second, "    Module: vmlinux  Pool: Paged  Size: 0x2a  Tag: Flt1\n");
	EXPECT_HAS(test, second, "  fail_one+0x");
}

static void tracking_off(void *data)
{
	ntpool_verify_set("none");
	ntpool_alloc_log_set("all");
}

static struct seq_file *seq_buffer(struct kunit *test)
{
	struct seq_file *m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, m);
	m->size = 64 * 1024;
	m->buf = kunit_kzalloc(test, m->size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m->buf);
	return m;
}

static noinline void *log_alloc(void)
{
	return ExAllocatePool2(POOL_FLAG_PAGED, 10, 'goLA');
}

static noinline void log_free(void *p)
{
	ExFreePoolWithTag(p, 'goLA');
}

/*
 * !verifier 0x80: a tracked block's allocation and free, newest first, by
 * an address inside it; a double free names both, as KFENCE does.
 */
static void alloc_free_log(struct kunit *test)
{
	struct ntpool_report_log *log = ntpool_catch_reports(test);
	struct ntpool_alloc_history h;
	char want[128], sym[KSYM_SYMBOL_LEN], *line, *freed, *allocated;
	struct seq_file *m;
	u64 seq;
	u8 *p;

	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, tracking_off, NULL), 0);
	KUNIT_ASSERT_EQ(test, ntpool_verify_set("vmlinux:full"), 0);
	p = log_alloc();
	KUNIT_ASSERT_NOT_NULL(test, p);
	log_free(p);
	KUNIT_ASSERT_TRUE(test, ntpool_alloc_log_history((unsigned long)p + 9, &h));
	KUNIT_EXPECT_GT(test, h.free.seq, h.alloc.seq);
	KUNIT_EXPECT_EQ(test, h.alloc.addr, (unsigned long)p);
	KUNIT_EXPECT_EQ(test, h.alloc.size, 10UL);
	KUNIT_EXPECT_EQ(test, h.alloc.tag, (u32)'goLA');
	KUNIT_EXPECT_FALSE(test, h.alloc.free);
	KUNIT_EXPECT_TRUE(test, h.free.free);
	KUNIT_EXPECT_STREQ(test, h.alloc.module, "vmlinux");
	sprint_symbol_no_offset(sym, h.alloc.caller);
	KUNIT_EXPECT_STREQ(test, sym, "log_alloc");
	sprint_symbol_no_offset(sym, h.free.caller);
	KUNIT_EXPECT_STREQ(test, sym, "log_free");
	KUNIT_EXPECT_GT(test, h.alloc.nr_frames, 0);
	KUNIT_EXPECT_GT(test, h.free.nr_frames, 0);
	KUNIT_EXPECT_FALSE(test, ntpool_alloc_log_history((unsigned long)p + 10, &h));

	m = seq_buffer(test);
	snprintf(want, sizeof(want), "%lx", (unsigned long)p + 3);
	KUNIT_ASSERT_EQ(test, ntpool_alloc_log_set(want), 0);
	ntpool_alloc_log_show(m);
	KUNIT_ASSERT_LT(test, m->count, m->size);
	EXPECT_HAS(test, m->buf, "Log of recent kernel pool Allocate and Free operations:\n");
	snprintf(want, sizeof(want), "log entries, searching for address 0x%lx.\n",
		 (unsigned long)p + 3);
	EXPECT_HAS(test, m->buf, want);
	snprintf(want, sizeof(want), "Pool block %016lx, Size 0000000a, Thread ",
		 (unsigned long)p);
	freed = strstr(m->buf, "    Free      Tag: ALog  Pool: Paged  Module: vmlinux  CPU: ");
	allocated = strstr(m->buf, "    Allocate  Tag: ALog  Pool: Paged  Module: vmlinux  CPU: ");
	KUNIT_ASSERT_NOT_NULL(test, freed);
	KUNIT_ASSERT_NOT_NULL(test, allocated);
	KUNIT_EXPECT_LT(test, (unsigned long)freed, (unsigned long)allocated);
	EXPECT_HAS(test, m->buf, want);
	EXPECT_HAS(test, freed, "  log_free+0x");
	EXPECT_HAS(test, allocated, "  log_alloc+0x");
	KUNIT_EXPECT_EQ(test, ntpool_alloc_log_set("nothex"), -EINVAL);
	KUNIT_EXPECT_EQ(test, ntpool_alloc_log_set("all"), 0);

	/* Freed again: the report says where it was allocated and freed. */
	log_free(p);
	KUNIT_EXPECT_EQ(test, log->count, 1u);
	KUNIT_EXPECT_EQ(test, log->last.code, (u32)BAD_POOL_CALLER);
	KUNIT_EXPECT_EQ(test, log->last.args[0], (u64)NTPOOL_C2_ALREADY_FREE);
	line = last_line(test, &seq);
	snprintf(want, sizeof(want),
		 "\"last_alloc\":{\"address\":\"0x%lx\",\"size\":10,\"tag\":\"ALog\"",
		 (unsigned long)p);
	EXPECT_HAS(test, line, want);
	snprintf(want, sizeof(want), "\"last_free\":{\"address\":\"0x%lx\"",
		 (unsigned long)p);
	EXPECT_HAS(test, line, want);
	EXPECT_HAS(test, line, "\"caller\":\"log_alloc+0x");
	EXPECT_HAS(test, line, "\"caller\":\"log_free+0x");
}

static struct kunit_case ntpool_reports_cases[] = {
	KUNIT_CASE(json_escapes_strings),
	KUNIT_CASE(json_overflow_is_told),
	KUNIT_CASE(report_line),
	KUNIT_CASE(report_uevent),
	KUNIT_CASE(unload_lines),
	KUNIT_CASE(own_rate),
	KUNIT_CASE(probability_is_the_key),
	KUNIT_CASE(fault_log),
	KUNIT_CASE(alloc_free_log),
	{}
};

static struct kunit_suite ntpool_reports_suite = {
	.name = "ntpool_reports",
	.test_cases = ntpool_reports_cases,
};

kunit_test_suite(ntpool_reports_suite);

MODULE_DESCRIPTION("KUnit tests for ntpool's reports.json and fault log");
MODULE_LICENSE("GPL");
