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
#include <linux/stacktrace.h>
#include <linux/string.h>
#if IS_ENABLED(CONFIG_NTPOOL_KUNIT_TEST)
#include <kunit/test.h>
#include <kunit/test-bug.h>
#include <kunit/resource.h>
#endif
#include "pool.h"
#include "report.h"

static int on_violation = NTPOOL_POLICY_WARN;
static const char * const policy_names[] = {
	[NTPOOL_POLICY_PANIC] = "panic",
	[NTPOOL_POLICY_WARN] = "warn",
	[NTPOOL_POLICY_REPORT] = "report",
};

static int policy_set(const char *val, const struct kernel_param *kp)
{
	int i = sysfs_match_string(policy_names, val);

	if (i < 0)
		return -EINVAL;
	WRITE_ONCE(on_violation, i);
	return 0;
}

static int policy_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%s\n", policy_names[READ_ONCE(on_violation)]);
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
};

struct arg_text {
	u32 code;
	u64 arg1;
	const char *text[4];
};

static const struct arg_text args_text[] = {
	{ BAD_POOL_CALLER, NTPOOL_C2_ZERO_SIZE,
	  { "Attempt to allocate zero bytes", "0", "Pool type",
	    "Pool tag" } },
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
	{ KMODE_EXCEPTION_NOT_HANDLED, (u32)STATUS_INSUFFICIENT_RESOURCES,
	  { "The exception code that was not handled (STATUS_INSUFFICIENT_RESOURCES)",
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

static const struct arg_text *arg_text(u32 code, u64 arg1)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(args_text); i++)
		if (args_text[i].code == code && args_text[i].arg1 == arg1)
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

#ifdef MODULE
static bool ntpool_frame(unsigned long addr)
{
	return within_module(addr, THIS_MODULE);
}
#else
static bool ntpool_frame(unsigned long addr)
{
	char sym[KSYM_SYMBOL_LEN];

	/* Built in: recognise ntpool's own functions by their prefix. */
	sprint_symbol_no_offset(sym, addr);
	return !strncmp(sym, "ntpool_", 7);
}
#endif

static void print_stack(void)
{
	unsigned long entries[32];
	unsigned int nr, first = 0;

	nr = stack_trace_save(entries, ARRAY_SIZE(entries), 1);
	while (first < nr && ntpool_frame(entries[first]))
		first++;
	pr_err("STACK_TEXT:\n");
	stack_trace_print(entries + first, nr - first, 1);
}

static void print_report(const struct ntpool_bugcheck *bc,
			 const struct ntpool_caller *caller)
{
	const struct code_text *ct = code_text(bc->code);
	const struct arg_text *at = arg_text(bc->code, bc->args[0]);
	unsigned int i;

	pr_err("*** Fatal System Error: 0x%08x\n", bc->code);
	pr_err("                       (0x%016llx,0x%016llx,0x%016llx,0x%016llx)\n",
	       bc->args[0], bc->args[1], bc->args[2], bc->args[3]);
	pr_err("%s (%x)\n", ct ? ct->name : "UNKNOWN_BUGCHECK", bc->code);
	if (ct)
		pr_err("%s\n", ct->meaning);
	pr_err("Arguments:\n");
	for (i = 0; i < 4; i++)
		pr_err("Arg%u: %016llx%s%s\n", i + 1, bc->args[i],
		       at ? ", " : "", at ? at->text[i] : "");
	if (caller)
		pr_err("CALLER: %pS (module %s)\n", (void *)caller->ip,
		       caller->module ? module_name(caller->module) : "vmlinux");
	print_stack();
}

/**
 * ntpool_bugcheck() - report a misuse the way NT would bugcheck
 * @code: bugcheck code (0x19, 0xC2, ...)
 * @arg1: Arg1, which for pool bugchecks selects the case
 * @arg2: Arg2
 * @arg3: Arg3
 * @arg4: Arg4
 * @caller: the client call that caused it, or NULL
 *
 * Prints the report and applies the on_violation policy; returns unless
 * the policy is panic.  The caller refuses the bad operation afterwards.
 */
void ntpool_bugcheck(u32 code, u64 arg1, u64 arg2, u64 arg3, u64 arg4,
		     const struct ntpool_caller *caller)
{
	struct ntpool_bugcheck bc = {
		.code = code, .args = { arg1, arg2, arg3, arg4 },
	};
	int policy;

	if (kunit_caught(&bc))
		return;
	print_report(&bc, caller);
	policy = READ_ONCE(on_violation);
	if (policy == NTPOOL_POLICY_PANIC)
		panic("ntpool: bugcheck 0x%x (0x%llx, 0x%llx, 0x%llx, 0x%llx)\n",
		      code, arg1, arg2, arg3, arg4);
	WARN(policy == NTPOOL_POLICY_WARN, "ntpool: %s (%x)\n",
	     ntpool_bugcheck_name(code), code);
}
