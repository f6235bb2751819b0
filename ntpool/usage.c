// SPDX-License-Identifier: GPL-2.0
/*
 * Pool usage counters that scale: the allocation path only writes per-CPU
 * data, with interrupts off for the few instructions it takes.
 * Allocations, frees and failures are per-CPU counts summed on read.
 * Live bytes and live blocks are per-CPU deltas folded into a shared
 * total once they pass a batch, as percpu_counter does; reading sums the
 * deltas, so the live figures are exact.  A peak is the highest total seen
 * when a delta was folded or a reader summed, so it can miss a short peak
 * by up to one batch per CPU.
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
	u->cpu = alloc_percpu_gfp(struct ntpool_usage_cpu, gfp);
	return u->cpu ? 0 : -ENOMEM;
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

static void raise_peak(atomic64_t *peak, s64 total)
{
	s64 old = atomic64_read(peak);

	while (total > old && !atomic64_try_cmpxchg(peak, &old, total))
		;
}

/*
 * Add to this CPU's share of a total, and move the share to the total once
 * it passes @batch.  Called with interrupts off, so that one allocation's
 * counters are updated in one go (cheap where per-CPU operations are not
 * single instructions).
 */
static void fold_delta(s64 *share, atomic64_t *total, atomic64_t *peak,
		       s64 delta, s64 batch)
{
	*share += delta;
	if (abs(*share) < batch)
		return;
	raise_peak(peak, atomic64_add_return(*share, total));
	*share = 0;
}

static void count_locked(struct ntpool_usage *u, enum ntpool_kind kind,
			 s64 bytes, s64 blocks)
{
	struct ntpool_usage_cpu *c = this_cpu_ptr(u->cpu);

	if (blocks > 0)
		c->allocs[kind]++;
	else
		c->frees[kind]++;
	fold_delta(&c->bytes[kind], &u->bytes[kind], &u->peak_bytes[kind],
		   bytes, NTPOOL_USAGE_BYTES_BATCH);
	fold_delta(&c->count[kind], &u->count[kind], &u->peak_count[kind],
		   blocks, NTPOOL_USAGE_COUNT_BATCH);
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
	count_locked(u, kind, bytes, 1);
	if (u2)
		count_locked(u2, kind, bytes, 1);
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
	count_locked(u, kind, -(s64)bytes, -1);
	if (u2)
		count_locked(u2, kind, -(s64)bytes, -1);
	local_irq_restore(flags);
}

/**
 * ntpool_usage_failure() - count an allocation that failed
 * @u: the counters
 * @kind: its pool
 */
void ntpool_usage_failure(struct ntpool_usage *u, enum ntpool_kind kind)
{
	this_cpu_inc(u->cpu->failed[kind]);
}

/**
 * ntpool_usage_read() - sum the counters over all CPUs
 * @u: the counters
 * @st: the sums
 */
void ntpool_usage_read(struct ntpool_usage *u, struct ntpool_usage_stats *st)
{
	unsigned int kind;
	int cpu;

	memset(st, 0, sizeof(*st));
	for (kind = 0; kind < NTPOOL_KINDS; kind++) {
		st->bytes[kind] = atomic64_read(&u->bytes[kind]);
		st->count[kind] = atomic64_read(&u->count[kind]);
	}
	for_each_possible_cpu(cpu) {
		const struct ntpool_usage_cpu *c = per_cpu_ptr(u->cpu, cpu);

		for (kind = 0; kind < NTPOOL_KINDS; kind++) {
			st->allocs[kind] += READ_ONCE(c->allocs[kind]);
			st->frees[kind] += READ_ONCE(c->frees[kind]);
			st->failed[kind] += READ_ONCE(c->failed[kind]);
			st->bytes[kind] += READ_ONCE(c->bytes[kind]);
			st->count[kind] += READ_ONCE(c->count[kind]);
		}
	}
	for (kind = 0; kind < NTPOOL_KINDS; kind++) {
		raise_peak(&u->peak_bytes[kind], st->bytes[kind]);
		raise_peak(&u->peak_count[kind], st->count[kind]);
		st->peak_bytes[kind] = atomic64_read(&u->peak_bytes[kind]);
		st->peak_count[kind] = atomic64_read(&u->peak_count[kind]);
	}
}
