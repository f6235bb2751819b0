// SPDX-License-Identifier: GPL-2.0
/*
 * Bugcheck-style reports: one formatter, one policy.
 *
 * A report reads like WinDbg's !analyze -v for the same bugcheck: the
 * "*** Fatal System Error" line with the four arguments, the symbolic name,
 * a sentence on what it means, each argument with its meaning, then the
 * caller and the stack with ntpool's own frames left out.  The module
 * parameter on_violation decides what follows: panic (a real bugcheck),
 * warn (WARN and taint, the default) or report (print only).
 *
 * Reports are rate-limited (ten per five seconds, the printk default), so
 * that a client that corrupts pool in a loop cannot flood the console or
 * stall the CPUs that print.  A report that is not printed is still
 * counted in the violation statistics (debugfs "verifier") and traced,
 * and the number not printed is shown there too.  The panic policy is
 * never rate-limited.
 *
 * Under KUnit, a test that registers the NTPOOL_KUNIT_REPORTS resource gets
 * the reports recorded there instead, so that it can assert code and
 * arguments without printing or tainting.
 */
#define pr_fmt(fmt) "ntpool: " fmt

#include <linux/hardirq.h>
#include <linux/kallsyms.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/preempt.h>
#include <linux/printk.h>
#include <linux/ratelimit.h>
#include <linux/spinlock.h>
#include <linux/stacktrace.h>
#include <linux/string.h>
#if IS_ENABLED(CONFIG_NTPOOL_KUNIT_TEST)
#include <kunit/test.h>
#include <kunit/test-bug.h>
#include <kunit/resource.h>
#endif
#include "report/alloc_log.h"
#include "base/pool_header.h"
#include "base/request.h"
#include "report/report.h"
#include "report/trace.h"

static int on_violation = NTPOOL_POLICY_WARN;
static const char * const policy_names[] = {
	[NTPOOL_POLICY_PANIC] = "panic",
	[NTPOOL_POLICY_WARN] = "warn",
	[NTPOOL_POLICY_REPORT] = "report",
};

/**
 * ntpool_policy_set() - choose what follows a report
 * @val: "panic", "warn" or "report" (a trailing newline is allowed)
 *
 * Return: 0 or -EINVAL (unchanged).
 */
int ntpool_policy_set(const char *val)
{
	int i = sysfs_match_string(policy_names, val);

	if (i < 0)
		return -EINVAL;
	WRITE_ONCE(on_violation, i);
	return 0;
}

/**
 * ntpool_policy_name() - what follows a report now
 *
 * Return: "panic", "warn" or "report".
 */
const char *ntpool_policy_name(void)
{
	return policy_names[READ_ONCE(on_violation)];
}

static int policy_set(const char *val, const struct kernel_param *kp)
{
	return ntpool_policy_set(val);
}

static int policy_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%s\n", ntpool_policy_name());
}

static const struct kernel_param_ops policy_ops = {
	.set = policy_set,
	.get = policy_get,
};
module_param_cb(on_violation, &policy_ops, NULL, 0644);
MODULE_PARM_DESC(on_violation,
		 "What follows a bugcheck report: panic, warn (default) or report");

struct code_text {
	u32 code;
	const char *name;
	const char *meaning;
};

static const struct code_text codes[] = {
	{ BAD_POOL_HEADER, "BAD_POOL_HEADER",
	  "The pool is already corrupt at the time of the current request." },
	{ KMODE_EXCEPTION_NOT_HANDLED, "KMODE_EXCEPTION_NOT_HANDLED",
	  "A kernel-mode exception was not handled (ntpool: the call returned NULL)." },
	{ BAD_POOL_CALLER, "BAD_POOL_CALLER",
	  "The current thread is making a bad pool request." },
	{ SPECIAL_POOL_DETECTED_MEMORY_CORRUPTION,
	  "SPECIAL_POOL_DETECTED_MEMORY_CORRUPTION",
	  "Special pool detected memory corruption." },
	{ DRIVER_VERIFIER_DETECTED_VIOLATION, "DRIVER_VERIFIER_DETECTED_VIOLATION",
	  "A device driver attempting to corrupt the system has been caught." },
};

/* The case of most codes is Arg1; of 0xC1 it is Arg4. */
struct arg_text {
	u32 code;
	u64 which;
	const char *text[4];
};

static const struct arg_text args_text[] = {
	{ BAD_POOL_CALLER, NTPOOL_C2_HEADER_CORRUPT,
	  { "The pool header of the block being freed is corrupt (its check value does not match)",
	    "Pointer to the pool header", "First part of the pool header contents",
	    "0" } },
	{ BAD_POOL_CALLER, NTPOOL_C2_ALREADY_FREE,
	  { "Attempt to free pool which was already freed", "(reserved)",
	    "Contents of the first 4 bytes of the pool header",
	    "Address of the block of pool being deallocated" } },
	{ BAD_POOL_CALLER, NTPOOL_C2_ALLOC_IRQL,
	  { "Attempt to allocate pool at invalid IRQL", "Current IRQL",
	    "Pool type", "Size of allocation, in bytes" } },
	{ BAD_POOL_CALLER, NTPOOL_C2_FREE_IRQL,
	  { "Attempt to free pool at invalid IRQL", "Current IRQL",
	    "Pool type", "Address of pool" } },
	{ BAD_POOL_CALLER, NTPOOL_C2_WRONG_TAG,
	  { "Attempt to free pool with the wrong tag", "Address of pool",
	    "Allocator's tag", "Tag being used in the attempted free" } },
	{ BAD_POOL_CALLER, NTPOOL_C2_BAD_ADDRESS,
	  { "Attempt to free pool with an invalid address",
	    "Address being freed", "0", "0" } },
	{ BAD_POOL_CALLER, NTPOOL_C2_MUST_SUCCEED,
	  { "Request for must-succeed pool, which is no longer supported",
	    "Pool type", "Number of bytes requested", "Pool tag" } },
	{ BAD_POOL_CALLER, NTPOOL_C2_TAG_ZERO,
	  { "Attempt to allocate pool with a tag of zero", "Pool type",
	    "Number of bytes requested", "Caller's address" } },
	{ BAD_POOL_CALLER, NTPOOL_C2_TAG_BIG,
	  { "Attempt to allocate pool with the tag \"BIG\"", "Pool type",
	    "Number of bytes requested", "Caller's address" } },
	{ BAD_POOL_CALLER, NTPOOL_C2_TAG_NO_ALNUM,
	  { "Attempt to allocate pool with a tag that has no letters or digits",
	    "Incorrect pool tag", "Pool type", "Caller's address" } },
	{ BAD_POOL_HEADER, NTPOOL_19_SIZE_MISMATCH,
	  { "The headers of two adjacent blocks contradict each other",
	    "One of the pool entries", "(reserved)",
	    "The other pool entry" } },
	{ BAD_POOL_HEADER, NTPOOL_19_PREVIOUS_TOO_LARGE,
	  { "The previous size of the block is too large",
	    "The pool entry", "(reserved)", "The bad entry" } },
	{ BAD_POOL_HEADER, NTPOOL_19_FIRST_NOT_ALIGNED,
	  { "A block with no previous block is not at the start of a page",
	    "0", "(reserved)", "The bad entry" } },
	{ BAD_POOL_HEADER, NTPOOL_19_SIZE_ZERO,
	  { "The block size is zero", "0", "(reserved)", "The bad entry" } },
	{ BAD_POOL_HEADER, NTPOOL_19_SIZE_TOO_LARGE,
	  { "The block size is too large", "The pool entry", "(reserved)",
	    "The bad entry" } },
	{ SPECIAL_POOL_DETECTED_MEMORY_CORRUPTION, NTPOOL_C1_BAD_ADDRESS,
	  { "Address being freed", "Bytes requested",
	    "Bytes calculated (handed to the caller)",
	    "Freeing a special pool address that was not handed out" } },
	{ SPECIAL_POOL_DETECTED_MEMORY_CORRUPTION, NTPOOL_C1_NEARBY_CORRUPT,
	  { "Address being freed", "Address where bits are corrupted",
	    "(reserved)", "Bytes near the allocation, in its page, were corrupted" } },
	{ SPECIAL_POOL_DETECTED_MEMORY_CORRUPTION, NTPOOL_C1_AFTER_END,
	  { "Address being freed", "Address where bits are corrupted",
	    "(reserved)", "Bytes after the end of the allocation were overwritten" } },
	{ BAD_POOL_HEADER, NTPOOL_19_FREED_MODIFIED,
	  { "The header of a freed block was modified after it was freed",
	    "The pool entry", "(reserved)", "The first part of its header contents" } },
	{ BAD_POOL_HEADER, NTPOOL_19_OVERRUN,
	  { "Data after the end of the block was overwritten",
	    "The pool block being freed", "Bytes allocated",
	    "The corrupted value found after the block" } },
	{ DRIVER_VERIFIER_DETECTED_VIOLATION, NTPOOL_C4_ZERO_SIZE,
	  { "Caller is trying to allocate zero bytes", "Current IRQL",
	    "Pool type", "Number of bytes" } },
	{ DRIVER_VERIFIER_DETECTED_VIOLATION, NTPOOL_C4_PAGED_ALLOC_IRQL,
	  { "Caller is trying to allocate paged pool at an IRQL above APC_LEVEL",
	    "Current IRQL", "Pool type", "Size of allocation" } },
	{ DRIVER_VERIFIER_DETECTED_VIOLATION, NTPOOL_C4_PAGED_FREE_IRQL,
	  { "Caller is trying to free paged pool at an IRQL above APC_LEVEL",
	    "Current IRQL", "Pool type", "Address of pool" } },
	{ DRIVER_VERIFIER_DETECTED_VIOLATION, NTPOOL_C4_ALLOC_WHILE_UNLOADING,
	  { "A driver thread is allocating pool while the driver is unloading",
	    "Paged bytes the driver has allocated",
	    "Nonpaged bytes the driver has allocated",
	    "Total allocations not freed" } },
	{ DRIVER_VERIFIER_DETECTED_VIOLATION, NTPOOL_C4_QUOTA_FROM_DPC,
	  { "A driver is charging pool quota from a DPC (interrupt or softirq context)",
	    "0", "0", "0" } },
	{ DRIVER_VERIFIER_DETECTED_VIOLATION, NTPOOL_C4_UNLOAD_LEAK,
	  { "A driver has forgotten to free its pool allocations prior to unloading.",
	    "Name of the driver having the issue",
	    "Verifier internal structure with driver information",
	    "Total # of (paged+nonpaged) allocations that weren't freed.\n"
	    "\tType !verifier 3 drivername.sys for info on the allocations\n"
	    "\tthat were leaked that caused the bugcheck.\n"
	    "\t(ntpool: cat /sys/kernel/debug/ntpool/verifier)" } },
	{ KMODE_EXCEPTION_NOT_HANDLED, (u32)STATUS_DATATYPE_MISALIGNMENT,
	  { "The exception code that was not handled (STATUS_DATATYPE_MISALIGNMENT)",
	    "The address where the exception was raised",
	    "The SList header or entry that is not 16-byte aligned", "0" } },
	{ KMODE_EXCEPTION_NOT_HANDLED, (u32)STATUS_ACCESS_VIOLATION,
	  { "The exception code that was not handled (STATUS_ACCESS_VIOLATION)",
	    "The address where the exception was raised",
	    "Parameter 0 of the exception: 0 read, 1 write",
	    "Parameter 1 of the exception: the address accessed" } },
	{ KMODE_EXCEPTION_NOT_HANDLED, (u32)STATUS_INSUFFICIENT_RESOURCES,
	  { "The exception code that was not handled (STATUS_INSUFFICIENT_RESOURCES)",
	    "The address where the exception was raised",
	    "Parameter 0 of the exception: bytes requested",
	    "Parameter 1 of the exception: pool tag" } },
	{ KMODE_EXCEPTION_NOT_HANDLED, (u32)STATUS_QUOTA_EXCEEDED,
	  { "The exception code that was not handled (STATUS_QUOTA_EXCEEDED)",
	    "The address where the exception was raised",
	    "Parameter 0 of the exception: bytes requested",
	    "Parameter 1 of the exception: pool tag" } },
	{ KMODE_EXCEPTION_NOT_HANDLED, (u32)STATUS_INVALID_PARAMETER,
	  { "The exception code that was not handled (STATUS_INVALID_PARAMETER)",
	    "The address where the exception was raised",
	    "Parameter 0 of the exception: bytes requested",
	    "Parameter 1 of the exception: pool tag" } },
};

/**
 * ntpool_bugcheck_name() - symbolic name of a bugcheck code
 * @code: bugcheck code
 *
 * Return: the name WinDbg prints, or "UNKNOWN_BUGCHECK".
 */
const char *ntpool_bugcheck_name(u32 code)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(codes); i++)
		if (codes[i].code == code)
			return codes[i].name;
	return "UNKNOWN_BUGCHECK";
}

static const struct code_text *code_text(u32 code)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(codes); i++)
		if (codes[i].code == code)
			return &codes[i];
	return NULL;
}

/**
 * ntpool_bugcheck_meaning() - what a bugcheck code means, in one sentence
 * @code: bugcheck code
 *
 * Return: the sentence, or NULL for a code ntpool does not report.
 */
const char *ntpool_bugcheck_meaning(u32 code)
{
	const struct code_text *ct = code_text(code);

	return ct ? ct->meaning : NULL;
}

/* Which argument holds the pool tag, for the cases that have one. */
static const struct {
	u32 code;
	u64 which;
	unsigned int arg;
} tag_args[] = {
	{ BAD_POOL_CALLER, NTPOOL_C2_WRONG_TAG, 2 },
	{ BAD_POOL_CALLER, NTPOOL_C2_MUST_SUCCEED, 3 },
	{ BAD_POOL_CALLER, NTPOOL_C2_TAG_NO_ALNUM, 1 },
	{ KMODE_EXCEPTION_NOT_HANDLED, (u32)STATUS_INSUFFICIENT_RESOURCES, 3 },
	{ KMODE_EXCEPTION_NOT_HANDLED, (u32)STATUS_QUOTA_EXCEEDED, 3 },
	{ KMODE_EXCEPTION_NOT_HANDLED, (u32)STATUS_INVALID_PARAMETER, 3 },
};

/* Which argument holds the block a report is about; a header is before it. */
static const struct {
	u32 code;
	u64 which;
	unsigned int arg;
	bool header;
} block_args[] = {
	{ BAD_POOL_CALLER, NTPOOL_C2_ALREADY_FREE, 3, false },
	{ BAD_POOL_CALLER, NTPOOL_C2_WRONG_TAG, 1, false },
	{ BAD_POOL_CALLER, NTPOOL_C2_HEADER_CORRUPT, 1, true },
	{ BAD_POOL_HEADER, NTPOOL_19_FREED_MODIFIED, 1, true },
	{ BAD_POOL_HEADER, NTPOOL_19_OVERRUN, 1, false },
	{ SPECIAL_POOL_DETECTED_MEMORY_CORRUPTION, NTPOOL_C1_BAD_ADDRESS, 0, false },
	{ SPECIAL_POOL_DETECTED_MEMORY_CORRUPTION, NTPOOL_C1_NEARBY_CORRUPT, 0, false },
	{ SPECIAL_POOL_DETECTED_MEMORY_CORRUPTION, NTPOOL_C1_AFTER_END, 0, false },
};

/* The block a corruption or bad free is about, if the report names one. */
static bool report_block(const struct ntpool_bugcheck *bc, unsigned long *addr)
{
	u64 which = bc->code == SPECIAL_POOL_DETECTED_MEMORY_CORRUPTION ?
		    bc->args[3] : bc->args[0];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(block_args); i++) {
		if (block_args[i].code != bc->code || block_args[i].which != which)
			continue;
		*addr = bc->args[block_args[i].arg] +
			(block_args[i].header ? NTPOOL_BLOCK_SIZE : 0);
		return true;
	}
	return false;
}

/**
 * ntpool_bugcheck_tag() - the pool tag a report names, if any
 * @bc: the report
 * @tag: set to the tag (for a wrong tag on free, the allocator's)
 *
 * Return: true if one of the arguments is a pool tag.
 */
bool ntpool_bugcheck_tag(const struct ntpool_bugcheck *bc, u32 *tag)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(tag_args); i++) {
		if (tag_args[i].code == bc->code &&
		    tag_args[i].which == bc->args[0]) {
			*tag = bc->args[tag_args[i].arg];
			return true;
		}
	}
	return false;
}

static const struct arg_text *arg_text(const struct ntpool_bugcheck *bc)
{
	u64 which = bc->code == SPECIAL_POOL_DETECTED_MEMORY_CORRUPTION ?
		    bc->args[3] : bc->args[0];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(args_text); i++)
		if (args_text[i].code == bc->code && args_text[i].which == which)
			return &args_text[i];
	return NULL;
}

/**
 * ntpool_current_irql() - the NT IRQL that matches the current context
 *
 * Return: PASSIVE_LEVEL where sleeping is allowed, DISPATCH_LEVEL in
 * atomic or softirq context, CLOCK_LEVEL in hard interrupts or with
 * interrupts off.
 */
unsigned int ntpool_current_irql(void)
{
	if (in_hardirq() || in_nmi() || irqs_disabled())
		return CLOCK_LEVEL;
	return ntpool_can_sleep() ? PASSIVE_LEVEL : DISPATCH_LEVEL;
}

#if IS_ENABLED(CONFIG_NTPOOL_KUNIT_TEST)
static bool kunit_caught(const struct ntpool_bugcheck *bc)
{
	struct kunit *test = kunit_get_current_test();
	struct kunit_resource *res;
	struct ntpool_report_log *log;

	if (!test)
		return false;
	res = kunit_find_named_resource(test, NTPOOL_KUNIT_REPORTS);
	if (!res)
		return false;
	log = res->data;
	log->count++;
	log->last = *bc;
	kunit_put_resource(res);
	return true;
}
#else
static bool kunit_caught(const struct ntpool_bugcheck *bc)
{
	return false;
}
#endif

/* Stack frames a report keeps. */
#define REPORT_FRAMES	32

#ifdef MODULE
static bool ntpool_frame(unsigned long addr)
{
	return within_module(addr, THIS_MODULE);
}

/*
 * Past ntpool's frames: the stack walker's own frames come first where
 * the architecture does not skip them (UML), then ntpool's.
 */
static unsigned int first_client_frame(const unsigned long *entries,
				       unsigned int nr)
{
	unsigned int first = 0;

	while (first < nr && !ntpool_frame(entries[first]))
		first++;
	if (first == nr)
		return 0;
	while (first < nr && ntpool_frame(entries[first]))
		first++;
	return first;
}
#else
static bool ntpool_frame(unsigned long addr)
{
	char sym[KSYM_SYMBOL_LEN];

	/* Built in: recognise ntpool's own functions by their prefix. */
	sprint_symbol_no_offset(sym, addr);
	return !strncmp(sym, "ntpool_", 7);
}

/*
 * Built in, ntpool's static functions have no prefix: past the last
 * frame that has it, which is the entry point the client called.
 */
static unsigned int first_client_frame(const unsigned long *entries,
				       unsigned int nr)
{
	unsigned int i, first = 0;

	for (i = 0; i < nr; i++)
		if (ntpool_frame(entries[i]))
			first = i + 1;
	return first;
}
#endif

/**
 * ntpool_stack_save() - the current stack, without ntpool's own frames
 * @entries: receives the return addresses, innermost first
 * @max: room in @entries
 *
 * Any context.
 *
 * Return: the number of entries filled in.
 */
unsigned int ntpool_stack_save(unsigned long *entries, unsigned int max)
{
	unsigned int nr, first;

	nr = stack_trace_save(entries, max, 1);
	first = first_client_frame(entries, nr);
	memmove(entries, entries + first, (nr - first) * sizeof(*entries));
	return nr - first;
}

static void print_stack(const unsigned long *entries, unsigned int nr)
{
	pr_err("STACK_TEXT:\n");
	stack_trace_print(entries, nr, 1);
}

/**
 * ntpool_print_stack() - the current stack, without ntpool's own frames
 */
void ntpool_print_stack(void)
{
	unsigned long entries[REPORT_FRAMES];

	print_stack(entries, ntpool_stack_save(entries, ARRAY_SIZE(entries)));
}

/* As KFENCE does: how the block came to be, from Pool Tracking's log. */
static void print_history(const struct ntpool_alloc_history *h)
{
	if (!h)
		return;
	if (h->alloc.seq) {
		pr_err("LAST ALLOCATION OF THE BLOCK (Pool Tracking log):\n");
		ntpool_alloc_log_print_entry(NULL, &h->alloc);
	}
	if (h->free.seq) {
		pr_err("LAST FREE OF THE BLOCK (Pool Tracking log):\n");
		ntpool_alloc_log_print_entry(NULL, &h->free);
	}
}

static void print_report(const struct ntpool_report_info *r)
{
	const struct ntpool_bugcheck *bc = r->bc;
	const struct ntpool_report_extra *extra = r->extra;
	const struct code_text *ct = code_text(bc->code);
	const struct arg_text *at = arg_text(bc);
	unsigned int i;

	pr_err("*** Fatal System Error: 0x%08x\n", bc->code);
	pr_err("                       (0x%016llx,0x%016llx,0x%016llx,0x%016llx)\n",
	       bc->args[0], bc->args[1], bc->args[2], bc->args[3]);
	pr_err("%s (%x)\n", ct ? ct->name : "UNKNOWN_BUGCHECK", bc->code);
	if (ct)
		pr_err("%s\n", ct->meaning);
	pr_err("Arguments:\n");
	for (i = 0; i < 4; i++)
		pr_err("Arg%u: %016llx%s%s%s\n", i + 1, bc->args[i],
		       at ? ", " : "", at ? at->text[i] : "",
		       extra && extra->notes[i] ? extra->notes[i] : "");
	if (extra && extra->print)
		extra->print(extra->data);
	if (r->caller)
		pr_err("CALLER: %pS (module %s)\n", (void *)r->caller->ip,
		       ntpool_caller_module_name(r->caller));
	print_stack(r->frames, r->nr_frames);
	print_history(r->history);
}

/*
 * The last report, for debuggers (report.h).  A global, not a static:
 * nothing in ntpool reads it, and the compiler drops the stores to a
 * static variable that is never read.
 */
struct ntpool_last_report ntpool_last_report;
static DEFINE_RAW_SPINLOCK(last_report_lock);

static void keep_last_report(const struct ntpool_bugcheck *bc,
			     const struct ntpool_caller *caller,
			     const struct ntpool_report_extra *extra)
{
	struct ntpool_last_report *r = &ntpool_last_report;
	unsigned long flags;
	unsigned int i;

	raw_spin_lock_irqsave(&last_report_lock, flags);
	r->count++;
	r->bc = *bc;
	r->caller_ip = caller ? caller->ip : 0;
	r->caller[0] = '\0';
	if (caller)
		snprintf(r->caller, sizeof(r->caller), "%pS", (void *)caller->ip);
	strscpy(r->module, ntpool_caller_module_name(caller), sizeof(r->module));
	for (i = 0; i < 4; i++)
		strscpy(r->notes[i], extra && extra->notes[i] ? extra->notes[i] : "",
			sizeof(r->notes[i]));
	raw_spin_unlock_irqrestore(&last_report_lock, flags);
}

/* How often each (code, Arg1) was reported, for the verifier view. */
#define VIOLATION_KINDS	64

static struct {
	u32 code;
	u64 arg1;
	atomic_long_t count;
} violations[VIOLATION_KINDS];
static unsigned int nr_violations;
static DEFINE_SPINLOCK(violations_lock);

static unsigned long count_violation(u32 code, u64 arg1)
{
	unsigned long flags;
	unsigned int i, n;

	/* Pairs with the store below: entries below the count are set. */
	n = smp_load_acquire(&nr_violations);
	for (i = 0; i < n; i++)
		if (violations[i].code == code && violations[i].arg1 == arg1)
			goto found;
	spin_lock_irqsave(&violations_lock, flags);
	for (i = 0; i < nr_violations; i++)
		if (violations[i].code == code && violations[i].arg1 == arg1)
			break;
	if (i == nr_violations && i < VIOLATION_KINDS) {
		violations[i].code = code;
		violations[i].arg1 = arg1;
		/* Publish the entry only once it is set. */
		smp_store_release(&nr_violations, i + 1);
	}
	spin_unlock_irqrestore(&violations_lock, flags);
	if (i == VIOLATION_KINDS)
		return 0;
found:
	return atomic_long_inc_return(&violations[i].count);
}

/**
 * ntpool_violations() - what was reported, and how often
 * @codes: receives each code with its Arg1 (other arguments zero)
 * @counts: receives how often each was reported
 * @max: room in both arrays
 *
 * Return: the number of entries filled in.
 */
unsigned int ntpool_violations(struct ntpool_bugcheck *codes,
			       unsigned long *counts, unsigned int max)
{
	/* Pairs with count_violation(): entries below the count are set. */
	unsigned int i, n = min(smp_load_acquire(&nr_violations), max);

	for (i = 0; i < n; i++) {
		codes[i] = (struct ntpool_bugcheck) {
			.code = violations[i].code,
			.args = { violations[i].arg1 },
		};
		counts[i] = atomic_long_read(&violations[i].count);
	}
	return n;
}

/* ntpool says itself how many were not printed, in the next report. */
static struct ratelimit_state report_rs =
	RATELIMIT_STATE_INIT_FLAGS(report_rs, DEFAULT_RATELIMIT_INTERVAL,
				   DEFAULT_RATELIMIT_BURST,
				   RATELIMIT_MSG_ON_RELEASE);
static atomic_long_t reports_suppressed = ATOMIC_LONG_INIT(0);
static atomic_long_t suppressed_told = ATOMIC_LONG_INIT(0);

/**
 * ntpool_reports_suppressed() - reports the rate limit kept off the console
 *
 * Return: how many since ntpool was loaded.
 */
unsigned long ntpool_reports_suppressed(void)
{
	return atomic_long_read(&reports_suppressed);
}

#if IS_ENABLED(CONFIG_NTPOOL_KUNIT_TEST)
/**
 * ntpool_report_ratelimit_set() - restart the rate limit (for tests)
 * @interval: the interval, in jiffies
 * @burst: reports printed per interval
 */
void ntpool_report_ratelimit_set(int interval, int burst)
{
	ratelimit_state_init(&report_rs, interval, burst);
	ratelimit_set_flags(&report_rs, RATELIMIT_MSG_ON_RELEASE);
}
#endif

/*
 * Whether this report may be printed; counts it if not.  A driver's leaks
 * at its unload (0xC4/0x62) are always printed: there is one per unload,
 * and it is the report a developer reloading a driver waits for.
 */
static bool report_allowed(int policy, u32 code, u64 arg1)
{
	long total, told;

	if (policy == NTPOOL_POLICY_PANIC ||
	    (code == DRIVER_VERIFIER_DETECTED_VIOLATION &&
	     arg1 == NTPOOL_C4_UNLOAD_LEAK))
		return true;
	if (!__ratelimit(&report_rs)) {
		atomic_long_inc(&reports_suppressed);
		return false;
	}
	total = atomic_long_read(&reports_suppressed);
	told = atomic_long_xchg(&suppressed_told, total);
	if (total > told)
		pr_err("%ld reports not printed (rate limit) before this one\n",
		       total - told);
	return true;
}

/**
 * ntpool_bugcheck_extra() - report a misuse, with more than the standard
 *	text
 * @code: bugcheck code (0x19, 0xC2, 0xC4, ...)
 * @arg1: Arg1, which for pool bugchecks selects the case
 * @arg2: Arg2
 * @arg3: Arg3
 * @arg4: Arg4
 * @caller: the client call that caused it, or NULL
 * @extra: notes on the arguments and more lines, or NULL
 *
 * Counts the report, records it in reports.json (with a uevent), prints
 * it (rate-limited, unless the policy is panic) and applies the
 * on_violation policy; returns unless the policy is panic.
 * The caller refuses the bad operation afterwards.
 */
void ntpool_bugcheck_extra(u32 code, u64 arg1, u64 arg2, u64 arg3, u64 arg4,
			   const struct ntpool_caller *caller,
			   const struct ntpool_report_extra *extra)
{
	struct ntpool_bugcheck bc = {
		.code = code, .args = { arg1, arg2, arg3, arg4 },
	};
	unsigned long frames[REPORT_FRAMES], block;
	struct ntpool_report_info r = {
		.bc = &bc, .caller = caller, .extra = extra, .frames = frames,
	};
	struct ntpool_alloc_history history;
	bool caught;
	int policy;

	r.count = count_violation(code, arg1);
	keep_last_report(&bc, caller, extra);
	if (report_block(&bc, &block) &&
	    ntpool_alloc_log_history(block, &history))
		r.history = &history;
	trace_ntpool_violation(code, bc.args, caller);
	r.nr_frames = ntpool_stack_save(frames, ARRAY_SIZE(frames));
	caught = kunit_caught(&bc);
	policy = READ_ONCE(on_violation);
	r.printed = !caught && report_allowed(policy, code, arg1);
	/* Before a panic: the verdict is in memory for a crash dump too. */
	ntpool_report_json(&r);
	if (!r.printed)
		return;
	print_report(&r);
	if (policy == NTPOOL_POLICY_PANIC)
		panic("ntpool: bugcheck 0x%x (0x%llx, 0x%llx, 0x%llx, 0x%llx)\n",
		      code, arg1, arg2, arg3, arg4);
	WARN(policy == NTPOOL_POLICY_WARN, "ntpool: %s (%x)\n",
	     ntpool_bugcheck_name(code), code);
}

/**
 * ntpool_bugcheck() - report a misuse the way NT would bugcheck
 * @code: bugcheck code (0x19, 0xC2, 0xC4, ...)
 * @arg1: Arg1, which for pool bugchecks selects the case
 * @arg2: Arg2
 * @arg3: Arg3
 * @arg4: Arg4
 * @caller: the client call that caused it, or NULL
 *
 * As ntpool_bugcheck_extra() with nothing extra.
 */
void ntpool_bugcheck(u32 code, u64 arg1, u64 arg2, u64 arg3, u64 arg4,
		     const struct ntpool_caller *caller)
{
	ntpool_bugcheck_extra(code, arg1, arg2, arg3, arg4, caller, NULL);
}
