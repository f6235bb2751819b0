// SPDX-License-Identifier: GPL-2.0
/*
 * Pool usage counters that scale: the allocation path only writes per-CPU
 * data, with interrupts off for the few instructions it takes.
 *
 * Each CPU counts allocations, frees and live bytes in a small share; once
 * the share's live blocks or bytes pass a batch (32 blocks or 32 KiB either
 * way) it is folded into the shared totals, under a lock that only folds take, and the peaks are
 * raised.  A fold is written inside a sequence count, and a reader that
 * overlapped a fold sums again: a read sees every fold whole or not at
 * all, so an allocation or free that finished before the read began is
 * counted exactly once, and one that races the read is counted once or
 * not yet.  Live blocks are allocations minus frees.  A peak is the
 * highest total seen when a share was folded or a reader summed, so it can
 * miss a short peak by up to one batch per CPU.
 */
#include <linux/irqflags.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include "usage.h"

/**
 * ntpool_usage_init() - set up counters
 * @u: the counters, zeroed
 * @gfp: how to allocate the per-CPU part
 *
 * Return: 0 or -ENOMEM.
 */
int ntpool_usage_init(struct ntpool_usage *u, gfp_t gfp)
{
	raw_spin_lock_init(&u->lock);
	seqcount_raw_spinlock_init(&u->seq, &u->lock);
	u->cpu = alloc_percpu_gfp(struct ntpool_usage_cpu, gfp);
	return u->cpu ? 0 : -ENOMEM;
}

/**
 * ntpool_usage_move() - give counters set up elsewhere their home
 * @to: where they go; anything it held is already freed
 * @from: counters from ntpool_usage_init(), not used afterwards
 */
void ntpool_usage_move(struct ntpool_usage *to, struct ntpool_usage *from)
{
	*to = *from;
	/* The sequence count names its lock, which moved too. */
	raw_spin_lock_init(&to->lock);
	seqcount_raw_spinlock_init(&to->seq, &to->lock);
}

/**
 * ntpool_usage_destroy() - free the per-CPU part
 * @u: the counters
 */
void ntpool_usage_destroy(struct ntpool_usage *u)
{
	free_percpu(u->cpu);
	u->cpu = NULL;
}

/* What a share's operations are made of: ops and live have one parity. */
static u64 share_allocs(u32 n)
{
	return (ntpool_usage_ops(n) + ntpool_usage_live(n)) / 2;
}

static u64 share_frees(u32 n)
{
	return (ntpool_usage_ops(n) - ntpool_usage_live(n)) / 2;
}

static void raise_peak(atomic64_t *peak, s64 total)
{
	s64 old = atomic64_read(peak);

	while (total > old && !atomic64_try_cmpxchg(peak, &old, total))
		;
}

/**
 * ntpool_usage_fold() - move this CPU's share of one pool into the totals
 * @u: the counters
 * @c: this CPU's share
 * @kind: the pool
 * @bytes: the share's bytes, the operation being counted included
 * @n: the share's operations, the one being counted included
 *
 * Interrupts off; called by ntpool_usage_count_irqsoff() once the share
 * passes a batch.
 */
void ntpool_usage_fold(struct ntpool_usage *u, struct ntpool_usage_cpu *c,
		       enum ntpool_kind kind, s64 bytes, u32 n)
{
	s64 total_bytes, total_count;

	raw_spin_lock(&u->lock);
	write_seqcount_begin(&u->seq);
	u->allocs[kind] += share_allocs(n);
	u->frees[kind] += share_frees(n);
	u->bytes[kind] += bytes;
	WRITE_ONCE(c->n[kind], 0);
	c->bytes[kind] = 0;
	write_seqcount_end(&u->seq);
	total_bytes = u->bytes[kind];
	total_count = u->allocs[kind] - u->frees[kind];
	raw_spin_unlock(&u->lock);
	raise_peak(&u->peak_bytes[kind], total_bytes);
	raise_peak(&u->peak_count[kind], total_count);
}

/**
 * ntpool_usage_alloc() - count a successful allocation
 * @u: the counters
 * @u2: a second set of counters (the owning module's), or NULL
 * @kind: its pool
 * @bytes: block bytes, header included (whole pages for big blocks)
 */
void ntpool_usage_alloc(struct ntpool_usage *u, struct ntpool_usage *u2,
			enum ntpool_kind kind, size_t bytes)
{
	unsigned long flags;

	local_irq_save(flags);
	ntpool_usage_count_irqsoff(u, u2, kind, bytes, 1);
	local_irq_restore(flags);
}

/**
 * ntpool_usage_free() - count a free
 * @u: the counters
 * @u2: a second set of counters (the owning module's), or NULL
 * @kind: its pool
 * @bytes: block bytes, as counted at allocation
 */
void ntpool_usage_free(struct ntpool_usage *u, struct ntpool_usage *u2,
		       enum ntpool_kind kind, size_t bytes)
{
	unsigned long flags;

	local_irq_save(flags);
	ntpool_usage_count_irqsoff(u, u2, kind, bytes, -1);
	local_irq_restore(flags);
}

/**
 * ntpool_usage_failure() - count an allocation that failed
 * @u: the counters
 * @kind: its pool
 */
void ntpool_usage_failure(struct ntpool_usage *u, enum ntpool_kind kind)
{
	atomic64_inc(&u->failed[kind]);
}

#if IS_ENABLED(CONFIG_NTPOOL_KUNIT_TEST)
/* Called between reading the totals and the shares: lets a test fold there. */
void (*ntpool_usage_read_hook)(struct ntpool_usage *u);
static void read_hook(struct ntpool_usage *u)
{
	void (*hook)(struct ntpool_usage *u) = READ_ONCE(ntpool_usage_read_hook);

	if (hook)
		hook(u);
}
#else
static inline void read_hook(struct ntpool_usage *u)
{
}
#endif

static void sum(struct ntpool_usage *u, struct ntpool_usage_stats *st)
{
	unsigned int kind;
	int cpu;

	memset(st, 0, sizeof(*st));
	for (kind = 0; kind < NTPOOL_KINDS; kind++) {
		st->allocs[kind] = READ_ONCE(u->allocs[kind]);
		st->frees[kind] = READ_ONCE(u->frees[kind]);
		st->bytes[kind] = READ_ONCE(u->bytes[kind]);
	}
	read_hook(u);
	for_each_possible_cpu(cpu) {
		const struct ntpool_usage_cpu *c = per_cpu_ptr(u->cpu, cpu);

		for (kind = 0; kind < NTPOOL_KINDS; kind++) {
			u32 n = READ_ONCE(c->n[kind]);

			st->allocs[kind] += share_allocs(n);
			st->frees[kind] += share_frees(n);
			st->bytes[kind] += READ_ONCE(c->bytes[kind]);
		}
	}
}

/**
 * ntpool_usage_read() - sum the counters over all CPUs
 * @u: the counters
 * @st: the sums
 *
 * Any context.  Every operation that finished before the call is counted
 * exactly once.
 */
void ntpool_usage_read(struct ntpool_usage *u, struct ntpool_usage_stats *st)
{
	unsigned int kind, seq;

	do {
		seq = read_seqcount_begin(&u->seq);
		sum(u, st);
	} while (read_seqcount_retry(&u->seq, seq));
	for (kind = 0; kind < NTPOOL_KINDS; kind++) {
		st->count[kind] = st->allocs[kind] - st->frees[kind];
		st->failed[kind] = atomic64_read(&u->failed[kind]);
		raise_peak(&u->peak_bytes[kind], st->bytes[kind]);
		raise_peak(&u->peak_count[kind], st->count[kind]);
		st->peak_bytes[kind] = atomic64_read(&u->peak_bytes[kind]);
		st->peak_count[kind] = atomic64_read(&u->peak_count[kind]);
	}
}
