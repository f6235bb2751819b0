// SPDX-License-Identifier: GPL-2.0
/*
 * The injected-fault log (!verifier 4): the last NTPOOL_FAULT_LOG_ENTRIES
 * allocations that low-resources simulation failed on purpose, each with
 * its module, call site, tag, size, pool, time, CPU, task and stack.
 *
 * Entries are written from any context (hard interrupts included) under a
 * spinlock taken with interrupts saved, into a fixed ring: no allocation.
 * Only failures injected pay for it, never an allocation that goes on.
 * When the ring is full the oldest entry goes; the index of each entry
 * counts every failure injected since ntpool loaded, so a gap shows how
 * many went.  Call sites and stacks are named when the failure is logged,
 * so that a module whose init failed for it, and is gone, is still named.
 */
#include <linux/kallsyms.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>
#include <linux/seq_file.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include "verifier/faults.h"
#include "report/report.h"
#include "accounting/tags.h"

/* A frame's name as kept: "func+0x12/0x80 [module]", cut to fit. */
#define FRAME_TEXT	96

struct fault_entry {
	u64 index;
	u64 time_ns;
	unsigned long caller;
	size_t size;
	u32 tag;
	u8 kind;
	bool exec;
	u8 nr_frames;
	unsigned int cpu;
	pid_t pid;
	char comm[TASK_COMM_LEN];
	char module[MODULE_NAME_LEN];
	char frames[NTPOOL_FAULT_LOG_FRAMES][FRAME_TEXT];
	char caller_name[FRAME_TEXT];
};

static struct fault_entry fault_log[NTPOOL_FAULT_LOG_ENTRIES];
static u64 fault_count;		/* failures injected: the next entry's index */
static DEFINE_SPINLOCK(fault_log_lock);

static void name_frame(char *text, unsigned long addr)
{
	char sym[KSYM_SYMBOL_LEN];

	sprint_symbol(sym, addr);
	strscpy(text, sym, FRAME_TEXT);
}

/**
 * ntpool_fault_log_add() - log an allocation failed on purpose
 * @c: the calling module
 * @req: the request
 */
void ntpool_fault_log_add(const struct ntpool_client *c,
			  const struct ntpool_request *req)
{
	unsigned long frames[NTPOOL_FAULT_LOG_FRAMES];
	unsigned int i, nr = ntpool_stack_save(frames, ARRAY_SIZE(frames));
	struct fault_entry *e;
	unsigned long flags;

	spin_lock_irqsave(&fault_log_lock, flags);
	e = &fault_log[fault_count % NTPOOL_FAULT_LOG_ENTRIES];
	*e = (struct fault_entry) {
		.index = fault_count++, .time_ns = local_clock(),
		.caller = req->caller.ip, .size = req->size, .tag = req->tag,
		.kind = req->kind, .exec = req->exec, .nr_frames = nr,
		.cpu = raw_smp_processor_id(), .pid = task_pid_nr(current),
	};
	/* Not get_task_comm(): its task_lock() is no lock for hard IRQs. */
	strscpy(e->comm, current->comm, sizeof(e->comm));
	strscpy(e->module, c->name, sizeof(e->module));
	name_frame(e->caller_name, e->caller);
	for (i = 0; i < nr; i++)
		name_frame(e->frames[i], frames[i]);
	spin_unlock_irqrestore(&fault_log_lock, flags);
}

/**
 * ntpool_fault_log_count() - failures injected since ntpool loaded
 *
 * Return: how many (the next entry's index).
 */
u64 ntpool_fault_log_count(void)
{
	unsigned long flags;
	u64 n;

	spin_lock_irqsave(&fault_log_lock, flags);
	n = fault_count;
	spin_unlock_irqrestore(&fault_log_lock, flags);
	return n;
}

/**
 * ntpool_fault_log_clear() - forget the entries (the count stays)
 */
void ntpool_fault_log_clear(void)
{
	unsigned long flags;

	spin_lock_irqsave(&fault_log_lock, flags);
	memset(fault_log, 0, sizeof(fault_log));
	spin_unlock_irqrestore(&fault_log_lock, flags);
}

/* Copy entry @index if the ring still has it. */
static bool fault_log_get(u64 index, struct fault_entry *e)
{
	unsigned long flags;
	bool kept;

	spin_lock_irqsave(&fault_log_lock, flags);
	*e = fault_log[index % NTPOOL_FAULT_LOG_ENTRIES];
	kept = index < fault_count && e->index == index && e->time_ns;
	spin_unlock_irqrestore(&fault_log_lock, flags);
	return kept;
}

static const char *pool_name(const struct fault_entry *e)
{
	if (e->exec)
		return "NonpagedExec";
	return e->kind == NTPOOL_PAGED ? "Paged" : "Nonpaged";
}

static void print_entry(struct seq_file *m, const struct fault_entry *e)
{
	char tag[NTPOOL_TAG_TEXT];
	unsigned int i;

	ntpool_tag_text(e->tag, tag);
	seq_printf(m, "Entry (index 0x%llx)\n", e->index);
	seq_printf(m, "    Time: %llu.%06llu  CPU: %u  Thread: %s (pid %d)\n",
		   e->time_ns / NSEC_PER_SEC,
		   (e->time_ns % NSEC_PER_SEC) / NSEC_PER_USEC, e->cpu,
		   e->comm, e->pid);
	seq_printf(m, "    Module: %s  Pool: %s  Size: 0x%zx  Tag: %s\n",
		   e->module, pool_name(e), e->size, tag);
	seq_printf(m, "    Caller: 0x%016lx  %s\n", e->caller, e->caller_name);
	for (i = 0; i < e->nr_frames; i++)
		seq_printf(m, "      %s\n", e->frames[i]);
	seq_putc(m, '\n');
}

/**
 * ntpool_fault_log_show() - !verifier 4: the failures injected, newest
 *	first
 * @m: where to
 */
void ntpool_fault_log_show(struct seq_file *m)
{
	u64 count = ntpool_fault_log_count(), index;
	struct fault_entry e;

	seq_puts(m, "Resource fault injection history:\n\n");
	seq_printf(m, "Faults injected: 0x%llx; the last 0x%x are kept.\n\n",
		   count, NTPOOL_FAULT_LOG_ENTRIES);
	for (index = count; index-- > 0 && fault_log_get(index, &e); )
		print_entry(m, &e);
}
