/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Bugcheck-style problem reports.  Every misuse ntpool detects goes through
 * ntpool_bugcheck(), which prints it the way WinDbg's !analyze -v shows a
 * bugcheck and then applies the on_violation policy.
 */
#ifndef _NTPOOL_REPORT_H
#define _NTPOOL_REPORT_H

#include <linux/debugfs.h>
#include <linux/kallsyms.h>
#include <linux/module.h>
#include <linux/types.h>
#include <ntpool/ntpool.h>
#include "base/tag_text.h"

/* Bugcheck codes */
#define BAD_POOL_HEADER				0x19
#define KMODE_EXCEPTION_NOT_HANDLED		0x1E
#define BAD_POOL_CALLER				0xC2
#define SPECIAL_POOL_DETECTED_MEMORY_CORRUPTION	0xC1
#define DRIVER_VERIFIER_DETECTED_VIOLATION	0xC4
#define TIMER_OR_DPC_INVALID			0xC7

/* BAD_POOL_CALLER (0xC2) Arg1 values */
#define NTPOOL_C2_HEADER_CORRUPT		0x01
#define NTPOOL_C2_ALREADY_FREE			0x07
#define NTPOOL_C2_ALLOC_IRQL			0x08
#define NTPOOL_C2_FREE_IRQL			0x09
#define NTPOOL_C2_WRONG_TAG			0x0A
#define NTPOOL_C2_BAD_ADDRESS			0x99
#define NTPOOL_C2_MUST_SUCCEED			0x9A
#define NTPOOL_C2_TAG_ZERO			0x9B
#define NTPOOL_C2_TAG_BIG			0x9C
#define NTPOOL_C2_TAG_NO_ALNUM			0x9D

/* BAD_POOL_HEADER (0x19) Arg1 values */
#define NTPOOL_19_SIZE_MISMATCH			0x05
#define NTPOOL_19_PREVIOUS_TOO_LARGE		0x06
#define NTPOOL_19_FIRST_NOT_ALIGNED		0x07
#define NTPOOL_19_SIZE_ZERO			0x08
#define NTPOOL_19_SIZE_TOO_LARGE		0x09
#define NTPOOL_19_FREED_MODIFIED		0x0D
#define NTPOOL_19_OVERRUN			0x21

/* SPECIAL_POOL_DETECTED_MEMORY_CORRUPTION (0xC1) Arg4 values */
#define NTPOOL_C1_BAD_ADDRESS		0x21
#define NTPOOL_C1_NEARBY_CORRUPT	0x23
#define NTPOOL_C1_AFTER_END		0x24

/* DRIVER_VERIFIER_DETECTED_VIOLATION (0xC4) Arg1 values */
#define NTPOOL_C4_ZERO_SIZE		0x00
#define NTPOOL_C4_PAGED_ALLOC_IRQL	0x01
#define NTPOOL_C4_PAGED_FREE_IRQL	0x11
#define NTPOOL_C4_ALLOC_WHILE_UNLOADING	0x61
#define NTPOOL_C4_UNLOAD_LEAK		0x62
#define NTPOOL_C4_QUOTA_FROM_DPC	0x10B
/* ... for lookaside lists */
#define NTPOOL_C4_LOOKASIDE_REINIT	0xCA
/* deleting, allocating from or freeing to a list that is not live */
#define NTPOOL_C4_LOOKASIDE_NOT_INIT	0xCB
#define NTPOOL_C4_LOOKASIDE_IN_FREED	0xCC
#define NTPOOL_C4_LOOKASIDE_TOO_SMALL	0xCD

/* TIMER_OR_DPC_INVALID (0xC7) Arg1: ntpool's object type for a lookaside list */
#define NTPOOL_C7_LOOKASIDE		0x4

/* The calling module's name, as reports and trace events show it. */
static inline const char *
ntpool_caller_module_name(const struct ntpool_caller *caller)
{
	return caller && caller->module ? module_name(caller->module) :
					  "vmlinux";
}

/* IRQL values ntpool reports for Linux contexts (see Documentation/). */
#define PASSIVE_LEVEL	0
#define DISPATCH_LEVEL	2
#define CLOCK_LEVEL	13

/**
 * struct ntpool_bugcheck - one report
 * @code: bugcheck code
 * @args: Arg1..Arg4
 */
struct ntpool_bugcheck {
	u32 code;
	u64 args[4];
};

/*
 * The last report, kept whole for a debugger: tools/drgn's ntpool_analyze
 * prints it from a crash dump (or a live kernel) as the console showed
 * it.  What a report prints that may be gone by then (the caller's
 * symbol, in code that unloads; the notes, on the reporter's stack) is
 * kept as text.  Written under a lock, and before a panic; read by no
 * C code.
 */
#define NTPOOL_NOTE_KEPT	64

/**
 * struct ntpool_last_report - the last bugcheck ntpool reported
 * @count: reports so far; 0 means none (the record is empty)
 * @bc: the code and its arguments
 * @caller_ip: the client call's address, or 0 (the report had no caller)
 * @caller: @caller_ip as "%pS" prints it
 * @module: the calling module's name
 * @notes: what the report added to each argument's meaning, cut to fit
 */
struct ntpool_last_report {
	unsigned long count;
	struct ntpool_bugcheck bc;
	unsigned long caller_ip;
	char caller[KSYM_SYMBOL_LEN];
	char module[MODULE_NAME_LEN];
	char notes[4][NTPOOL_NOTE_KEPT];
};

extern struct ntpool_last_report ntpool_last_report;

enum ntpool_policy {
	NTPOOL_POLICY_PANIC,
	NTPOOL_POLICY_WARN,
	NTPOOL_POLICY_REPORT,
};

struct ntpool_alloc_history;
struct ntpool_json;

/**
 * struct ntpool_report_extra - what a report adds to the standard text
 * @notes: appended to each argument's meaning, or NULL
 * @print: prints more lines after the arguments, or NULL
 * @json: adds members to the report's line in reports.json, or NULL;
 *	called under that file's lock, so it takes no other lock
 * @data: passed to @print
 * @json_data: passed to @json
 * @module: the module the report is about, when there is no caller
 */
struct ntpool_report_extra {
	const char *notes[4];
	void (*print)(const void *data);
	void (*json)(struct ntpool_json *j, const void *data);
	const void *data;
	const void *json_data;
	const char *module;
};

/**
 * struct ntpool_report_info - one report, as reports.json records it
 * @bc: code and arguments
 * @caller: the client call that caused it, or NULL
 * @extra: what the report adds, or NULL
 * @frames: the stack, ntpool's own frames left out
 * @nr_frames: entries in @frames
 * @count: how often this code and Arg1 were reported, this one included
 * @printed: whether the report went to the console (not rate-limited,
 *	nor caught by a KUnit test)
 * @history: the last allocation and free of the block the report is
 *	about, from Pool Tracking's log; NULL if it has neither
 */
struct ntpool_report_info {
	const struct ntpool_bugcheck *bc;
	const struct ntpool_caller *caller;
	const struct ntpool_report_extra *extra;
	const unsigned long *frames;
	unsigned int nr_frames;
	unsigned long count;
	bool printed;
	const struct ntpool_alloc_history *history;
};

void ntpool_bugcheck(u32 code, u64 arg1, u64 arg2, u64 arg3, u64 arg4,
		     const struct ntpool_caller *caller);
void ntpool_bugcheck_extra(u32 code, u64 arg1, u64 arg2, u64 arg3, u64 arg4,
			   const struct ntpool_caller *caller,
			   const struct ntpool_report_extra *extra);
unsigned int ntpool_violations(struct ntpool_bugcheck *codes,
			       unsigned long *counts, unsigned int max);
unsigned long ntpool_reports_suppressed(void);
void ntpool_report_ratelimit_set(int interval, int burst);
unsigned int ntpool_current_irql(void);
void ntpool_print_stack(void);
unsigned int ntpool_stack_save(unsigned long *entries, unsigned int max);
int ntpool_policy_set(const char *val);
const char *ntpool_policy_name(void);
const char *ntpool_bugcheck_name(u32 code);
const char *ntpool_bugcheck_meaning(u32 code);
bool ntpool_bugcheck_tag(const struct ntpool_bugcheck *bc, u32 *tag);

/* report_json.c: reports.json */
#define NTPOOL_REPORTS_KEPT	64

void ntpool_report_json(const struct ntpool_report_info *info);
void ntpool_report_json_unload(const char *module);
void ntpool_reports_json_debugfs(struct dentry *dir);
u64 ntpool_reports_json_last(char *buf, size_t size);
void ntpool_reports_json_exit(void);

/* report_event.c: the KOBJ_CHANGE uevent of /dev/ntpool */
int ntpool_report_events_init(void);
void ntpool_report_events_exit(void);
void ntpool_report_event(u64 seq, const struct ntpool_bugcheck *bc,
			 const char *module);
void ntpool_report_events_flush(void);
u64 ntpool_report_events_sent(const char **last);

/* Name of the KUnit resource that collects reports instead of printing. */
#define NTPOOL_KUNIT_REPORTS	"ntpool_reports"

/**
 * struct ntpool_report_log - reports caught while a KUnit test runs
 * @count: how many reports arrived
 * @last: the most recent one
 */
struct ntpool_report_log {
	unsigned int count;
	struct ntpool_bugcheck last;
};

#endif /* _NTPOOL_REPORT_H */
