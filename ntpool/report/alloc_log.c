// SPDX-License-Identifier: GPL-2.0
/*
 * The allocate/free log of Pool Tracking (!verifier 0x80): the recent
 * allocations and frees of the modules under Pool Tracking, with address,
 * size, tag, pool, module, call site, CPU, task and time, and the stack
 * when the module is tracked ":full".
 *
 * Each CPU has a ring of NTPOOL_ALLOC_LOG_PER_CPU entries, written under
 * its own spinlock with interrupts off (an interrupt on the same CPU may
 * log too); the rings are made the first time a module is put under Pool
 * Tracking, and a CPU's oldest entry goes when its ring is full.  Entries
 * are ordered across CPUs by a sequence number.  Call sites and stacks are
 * named when the log is read: those of a module unloaded since show as
 * addresses.
 *
 * debugfs "log": "echo <address> > log", then "cat log" lists the entries
 * whose block contains the address, newest first; "echo all > log" (the
 * default) lists the newest entries.  A report about a block names its
 * last allocation and free from here when the log has them.
 */
#define pr_fmt(fmt) "ntpool: " fmt

#include <linux/atomic.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/sched/clock.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/spinlock.h>
#include "report/alloc_log.h"
#include "base/control.h"
#include "base/leak.h"
#include "base/tag_text.h"

/* Entries "cat log" shows when no address is set. */
#define NEWEST_SHOWN	64

struct alloc_log_ring {
	spinlock_t lock;	/* the entries, and @next */
	unsigned int next;
	struct ntpool_alloc_log_entry e[NTPOOL_ALLOC_LOG_PER_CPU];
};

static struct alloc_log_ring **rings;	/* by CPU; set once, then kept */
static atomic64_t log_seq;
static DEFINE_MUTEX(rings_lock);

static unsigned long wanted;	/* the address "log" looks for; 0: none */
static DEFINE_MUTEX(wanted_lock);

static struct alloc_log_ring **all_rings(void)
{
	/* Pairs with ntpool_alloc_log_start(): the rings are set up. */
	return smp_load_acquire(&rings);
}

/**
 * ntpool_alloc_log_start() - make the rings, once
 *
 * Called when a module is first put under Pool Tracking.  Sleeps.
 *
 * Return: 0 or -ENOMEM (the log then stays off).
 */
int ntpool_alloc_log_start(void)
{
	struct alloc_log_ring **r;
	unsigned int cpu;
	int err = 0;

	mutex_lock(&rings_lock);
	if (rings)
		goto out;
	err = -ENOMEM;
	r = kcalloc(nr_cpu_ids, sizeof(*r), GFP_KERNEL);
	if (!r)
		goto out;
	for_each_possible_cpu(cpu) {
		r[cpu] = kvzalloc_node(sizeof(*r[cpu]), GFP_KERNEL,
				       cpu_to_node(cpu));
		if (!r[cpu])
			goto fail;
		/* Addresses of freed blocks: no reference for kmemleak. */
		ntpool_leak_no_scan(r[cpu]);
		spin_lock_init(&r[cpu]->lock);
	}
	/* Pairs with all_rings(). */
	smp_store_release(&rings, r);
	err = 0;
	goto out;
fail:
	for_each_possible_cpu(cpu)
		kvfree(r[cpu]);
	kfree(r);
out:
	mutex_unlock(&rings_lock);
	return err;
}

/**
 * ntpool_alloc_log_add() - log an allocation or a free of a tracked block
 * @b: the block, as its Pool Tracking record has it
 * @free: a free, not an allocation
 * @module: the module whose block it is
 * @caller: the call site
 * @frames: the stack, or NULL
 * @nr_frames: entries of @frames (at most NTPOOL_LOG_FRAMES)
 *
 * Any context.
 */
void ntpool_alloc_log_add(const struct ntpool_logged_block *b, bool free,
			  const char *module, unsigned long caller,
			  const unsigned long *frames, unsigned int nr_frames)
{
	struct alloc_log_ring **all = all_rings(), *r;
	struct ntpool_alloc_log_entry *e;
	unsigned long flags;

	if (!all)
		return;
	nr_frames = min_t(unsigned int, nr_frames, NTPOOL_LOG_FRAMES);
	local_irq_save(flags);
	r = all[raw_smp_processor_id()];
	spin_lock(&r->lock);
	e = &r->e[r->next++ % NTPOOL_ALLOC_LOG_PER_CPU];
	*e = (struct ntpool_alloc_log_entry) {
		.seq = atomic64_inc_return(&log_seq), .time_ns = local_clock(),
		.addr = b->addr, .size = b->size, .caller = caller,
		.tag = b->tag, .kind = b->kind, .free = free,
		.nr_frames = frames ? nr_frames : 0,
		.cpu = raw_smp_processor_id(), .pid = task_pid_nr(current),
	};
	/* Not get_task_comm(): its task_lock() is no lock for hard IRQs. */
	strscpy(e->comm, current->comm, sizeof(e->comm));
	strscpy(e->module, module, sizeof(e->module));
	if (frames)
		memcpy(e->frames, frames, nr_frames * sizeof(*frames));
	spin_unlock(&r->lock);
	local_irq_restore(flags);
}

static bool block_contains(const struct ntpool_alloc_log_entry *e,
			   unsigned long addr)
{
	return e->seq && addr >= e->addr && addr - e->addr < max_t(size_t, e->size, 1);
}

/**
 * ntpool_alloc_log_history() - the last allocation and free of a block
 * @addr: an address in the block
 * @h: receives them (seq 0 for what the log does not have)
 *
 * Any context.
 *
 * Return: true if the log has either.
 */
bool ntpool_alloc_log_history(unsigned long addr, struct ntpool_alloc_history *h)
{
	struct alloc_log_ring **all = all_rings();
	struct ntpool_alloc_log_entry *dst;
	unsigned long flags;
	unsigned int cpu, i;

	h->alloc.seq = 0;
	h->free.seq = 0;
	if (!all)
		return false;
	for_each_possible_cpu(cpu) {
		spin_lock_irqsave(&all[cpu]->lock, flags);
		for (i = 0; i < NTPOOL_ALLOC_LOG_PER_CPU; i++) {
			const struct ntpool_alloc_log_entry *e = &all[cpu]->e[i];

			if (!block_contains(e, addr))
				continue;
			dst = e->free ? &h->free : &h->alloc;
			if (e->seq > dst->seq)
				*dst = *e;
		}
		spin_unlock_irqrestore(&all[cpu]->lock, flags);
	}
	return h->alloc.seq || h->free.seq;
}

static const char *kind_name(u8 kind)
{
	return kind == NTPOOL_PAGED ? "Paged" : "Nonpaged";
}

static __printf(2, 3) void out(struct seq_file *m, const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	va_start(args, fmt);
	if (m) {
		seq_vprintf(m, fmt, args);
	} else {
		vaf.fmt = fmt;
		vaf.va = &args;
		pr_err("%pV", &vaf);
	}
	va_end(args);
}

/**
 * ntpool_alloc_log_print_entry() - one entry, as !verifier 0x80 shows it
 * @m: where to; NULL for the console
 * @e: the entry
 */
void ntpool_alloc_log_print_entry(struct seq_file *m,
				  const struct ntpool_alloc_log_entry *e)
{
	char tag[NTPOOL_TAG_TEXT];
	unsigned int i;

	ntpool_tag_text(e->tag, tag);
	out(m, "Pool block %016lx, Size %08zx, Thread %s (pid %d)\n",
	    e->addr, e->size, e->comm, e->pid);
	out(m, "    %s  Tag: %s  Pool: %s  Module: %s  CPU: %u  Time: %llu.%06llu\n",
	    e->free ? "Free    " : "Allocate", tag, kind_name(e->kind),
	    e->module, e->cpu, e->time_ns / NSEC_PER_SEC,
	    (e->time_ns % NSEC_PER_SEC) / NSEC_PER_USEC);
	out(m, "    Caller: 0x%016lx  %pS\n", e->caller, (void *)e->caller);
	for (i = 0; i < e->nr_frames; i++)
		out(m, "      %pS\n", (void *)e->frames[i]);
}

static int newest_first(const void *a, const void *b)
{
	const struct ntpool_alloc_log_entry *x = a, *y = b;

	return x->seq < y->seq ? 1 : x->seq > y->seq ? -1 : 0;
}

/* Copy the entries (those of @addr's block, if not 0); returns how many. */
static unsigned int collect(struct ntpool_alloc_log_entry *out,
			    unsigned long addr, unsigned int *logged)
{
	struct alloc_log_ring **all = all_rings();
	unsigned int cpu, i, n = 0;

	*logged = 0;
	for_each_possible_cpu(cpu) {
		spin_lock_irq(&all[cpu]->lock);
		for (i = 0; i < NTPOOL_ALLOC_LOG_PER_CPU; i++) {
			const struct ntpool_alloc_log_entry *e = &all[cpu]->e[i];

			if (!e->seq)
				continue;
			(*logged)++;
			if (!addr || block_contains(e, addr))
				out[n++] = *e;
		}
		spin_unlock_irq(&all[cpu]->lock);
	}
	return n;
}

/* The entries (of @addr's block, if not 0), newest first; NULL if no memory. */
static struct ntpool_alloc_log_entry *collect_sorted(unsigned long addr,
						     unsigned int *n,
						     unsigned int *logged)
{
	struct ntpool_alloc_log_entry *entries;

	entries = kvmalloc_array(nr_cpu_ids * NTPOOL_ALLOC_LOG_PER_CPU,
				 sizeof(*entries), GFP_KERNEL);
	if (!entries)
		return NULL;
	*n = collect(entries, addr, logged);
	sort(entries, *n, sizeof(*entries), newest_first, NULL);
	return entries;
}

/**
 * ntpool_alloc_log_show() - "cat log": !verifier 0x80
 * @m: where to
 *
 * The entries whose block contains the address set, or the newest.
 */
void ntpool_alloc_log_show(struct seq_file *m)
{
	struct ntpool_alloc_log_entry *entries;
	unsigned int i, n, shown, logged;
	unsigned long addr;

	seq_puts(m, "Log of recent kernel pool Allocate and Free operations:\n\n");
	seq_printf(m, "There are up to 0x%x entries per CPU in the log (0x%x in all).\n\n",
		   NTPOOL_ALLOC_LOG_PER_CPU,
		   NTPOOL_ALLOC_LOG_PER_CPU * num_possible_cpus());
	if (!all_rings()) {
		seq_puts(m, "No module has been under Pool Tracking: the log is empty.\n");
		return;
	}
	mutex_lock(&wanted_lock);
	addr = wanted;
	mutex_unlock(&wanted_lock);
	entries = collect_sorted(addr, &n, &logged);
	if (!entries) {
		seq_puts(m, "The log cannot be read now (no memory).\n");
		return;
	}
	shown = addr ? n : min_t(unsigned int, n, NEWEST_SHOWN);
	if (addr)
		seq_printf(m, "Parsing 0x%08x log entries, searching for address 0x%lx.\n\n",
			   logged, addr);
	else
		seq_printf(m, "Parsing 0x%08x log entries, showing the newest 0x%x.\n\n",
			   logged, shown);
	for (i = 0; i < shown; i++) {
		seq_puts(m, "======================================================================\n");
		ntpool_alloc_log_print_entry(m, &entries[i]);
	}
	if (addr && !n)
		seq_puts(m, "No entry for that address.\n");
	kvfree(entries);
}

/**
 * ntpool_alloc_log_set() - "echo ... > log": what "cat log" shows
 * @text: an address (hexadecimal, "0x" or not), or "all" or "*" for the
 *	newest entries
 *
 * Return: 0, or -EINVAL (unchanged).
 */
int ntpool_alloc_log_set(const char *text)
{
	unsigned long addr = 0;

	if (strcmp(text, "all") && strcmp(text, "*") &&
	    (kstrtoul(text, 16, &addr) || !addr))
		return -EINVAL;
	mutex_lock(&wanted_lock);
	wanted = addr;
	mutex_unlock(&wanted_lock);
	return 0;
}

static const struct ntpool_control log_control = {
	ntpool_alloc_log_show, ntpool_alloc_log_set, 32
};

/**
 * ntpool_alloc_log_debugfs() - create "log"
 * @dir: ntpool's debugfs directory
 */
void ntpool_alloc_log_debugfs(struct dentry *dir)
{
	ntpool_debugfs_control("log", 0600, dir, &log_control);
}

/**
 * ntpool_alloc_log_exit() - free the rings
 */
void ntpool_alloc_log_exit(void)
{
	unsigned int cpu;

	if (!rings)
		return;
	for_each_possible_cpu(cpu)
		kvfree(rings[cpu]);
	kfree(rings);
	rings = NULL;
	wanted = 0;
}
