// SPDX-License-Identifier: GPL-2.0
/*
 * Pool usage counters that scale: the allocation path only writes per-CPU
 * data, in this CPU's section (cpu_section.h) for the few instructions it
 * takes.
 *
 * Each CPU counts allocations, frees and live bytes in a small share; once
 * the share's live blocks or bytes pass a batch (32 blocks or 32 KiB either
 * way) it is folded into the shared totals, under a lock that only folds
 * take, and the peaks are raised.
 *
 * Counters are counted in one place only: a call site's (sites.c).  The
 * totals of its tag and of its module have no shares of their own: the
 * site's folds go into them too, in the same step, and their readers add
 * the shares of every site that folds into them.  An operation is so
 * counted once, where it used to be counted for the tag and again for the
 * module.  A fold is written inside a sequence count, and a reader that
 * overlapped a fold sums again: a read sees every fold whole or not at
 * all, so an allocation or free that finished before the read began is
 * counted exactly once, and one that races the read is counted once or
 * not yet.  Live blocks are allocations minus frees.  A peak is the
 * highest total seen when a share was folded or a reader summed, so it can
 * miss a short peak by up to one batch per CPU (for a tag's or a module's
 * totals, per CPU and site).
 */
#include <linux/irqflags.h>
#include <linux/kernel.h>
#include <linux/rculist.h>
#include <linux/string.h>
#include "accounting/usage.h"

DEFINE_PER_CPU(u8, ntpool_cpu_busy);

static void init_common(struct ntpool_usage *u)
{
	unsigned int i;

	raw_spin_lock_init(&u->lock);
	seqcount_raw_spinlock_init(&u->seq, &u->lock);
	INIT_LIST_HEAD(&u->children);
	for (i = 0; i < NTPOOL_USAGE_PARENTS; i++)
		INIT_LIST_HEAD(&u->sibling[i]);
}

/**
 * ntpool_usage_init() - set up the counters of a call site
 * @u: the counters, zeroed
 * @gfp: how to allocate the per-CPU shares
 *
 * Return: 0 or -ENOMEM.
 */
int ntpool_usage_init(struct ntpool_usage *u, gfp_t gfp)
{
	init_common(u);
	u->cpu = alloc_percpu_gfp(struct ntpool_usage_cpu, gfp);
	return u->cpu ? 0 : -ENOMEM;
}

/**
 * ntpool_usage_init_total() - set up totals (a tag's, a module's)
 * @u: the totals, zeroed
 * @slot: which of its parents' slots counters folding into @u take
 */
void ntpool_usage_init_total(struct ntpool_usage *u, unsigned int slot)
{
	init_common(u);
	u->slot = slot;
}

/**
 * ntpool_usage_adopt() - make @u fold into @total as well
 * @total: totals from ntpool_usage_init_total()
 * @u: counters that count nothing yet
 *
 * Callers serialise changes of @total's children.
 */
void ntpool_usage_adopt(struct ntpool_usage *total, struct ntpool_usage *u)
{
	u->parent[total->slot] = total;
	list_add_tail_rcu(&u->sibling[total->slot], &total->children);
}

/**
 * ntpool_usage_disown() - stop @u folding into @total
 * @total: one of @u's parents, about to go: its readers no longer see
 *	@u's shares
 * @u: the counters
 *
 * Callers serialise changes of @total's children, and wait for a grace
 * period before freeing @total.
 */
void ntpool_usage_disown(struct ntpool_usage *total, struct ntpool_usage *u)
{
	unsigned long flags;

	/* A fold reads its parents under its own lock. */
	raw_spin_lock_irqsave(&u->lock, flags);
	u->parent[total->slot] = NULL;
	raw_spin_unlock_irqrestore(&u->lock, flags);
	list_del_rcu(&u->sibling[total->slot]);
}

/**
 * ntpool_usage_destroy() - free the per-CPU shares
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

/* Add a share to one set of totals, inside its sequence count. */
static void fold_into(struct ntpool_usage *u, enum ntpool_kind kind,
		      s64 bytes, u32 n)
{
	u->allocs[kind] += share_allocs(n);
	u->frees[kind] += share_frees(n);
	u->bytes[kind] += bytes;
}

/* Raise the peaks of @u from totals read under its lock. */
static void raise_peaks(struct ntpool_usage *u, enum ntpool_kind kind,
			s64 total_bytes, s64 total_count)
{
	raise_peak(&u->peak_bytes[kind], total_bytes);
	raise_peak(&u->peak_count[kind], total_count);
}

/*
 * Lock @u's parent in @slot, if it has one (@u's lock held: disowning
 * takes it); its lockdep subclass is its place in the lock order.  The
 * fake acquire when there is none keeps sparse's count of held locks the
 * same either way.
 */
static struct ntpool_usage *lock_parent(struct ntpool_usage *u,
					unsigned int slot)
	__acquires(parent)
{
	struct ntpool_usage *parent = u->parent[slot];

	static_assert(NTPOOL_USAGE_PARENTS == 2);
	if (parent)
		raw_spin_lock_nested(&parent->lock, slot + 1);
	else
		__acquire(parent);
	return parent;
}

static void unlock_parent(struct ntpool_usage *parent)
	__releases(parent)
{
	if (parent)
		raw_spin_unlock(&parent->lock);
	else
		__release(parent);
}

/**
 * ntpool_usage_fold() - move operations into the totals
 * @u: the counters
 * @c: this CPU's share, cleared of @kind here; NULL to leave the shares
 *	alone (ntpool_usage_count_nested())
 * @kind: the pool
 * @bytes: the share's bytes, the operation being counted included
 * @n: the share's operations (as a share holds them), the one being
 *	counted included
 *
 * Into @u's totals and its parents' in one step: a reader of any of them
 * sees the operations in the share or in the totals.  Called by
 * ntpool_usage_count_held() once the share passes a batch (in this CPU's
 * section), and by the drain and the nested count: the lock is taken with
 * interrupts off, since interrupts fold too.
 */
void ntpool_usage_fold(struct ntpool_usage *u, struct ntpool_usage_cpu *c,
		       enum ntpool_kind kind, s64 bytes, u32 n)
{
	struct ntpool_usage *to[NTPOOL_USAGE_PARENTS + 1];
	s64 total_bytes[NTPOOL_USAGE_PARENTS + 1];
	s64 total_count[NTPOOL_USAGE_PARENTS + 1];
	unsigned long flags;
	unsigned int i;

	/* Lock order: the counters, then their parents by slot. */
	raw_spin_lock_irqsave(&u->lock, flags);
	to[0] = u;
	to[1] = lock_parent(u, 0);
	to[2] = lock_parent(u, 1);
	for (i = 0; i <= NTPOOL_USAGE_PARENTS; i++) {
		if (!to[i])
			continue;
		write_seqcount_begin_nested(&to[i]->seq, i);
		fold_into(to[i], kind, bytes, n);
	}
	if (c) {
		WRITE_ONCE(c->n[kind], 0);
		c->bytes[kind] = 0;
	}
	for (i = 0; i <= NTPOOL_USAGE_PARENTS; i++) {
		if (!to[i])
			continue;
		write_seqcount_end(&to[i]->seq);
		total_bytes[i] = to[i]->bytes[kind];
		total_count[i] = to[i]->allocs[kind] - to[i]->frees[kind];
	}
	unlock_parent(to[2]);
	unlock_parent(to[1]);
	raw_spin_unlock_irqrestore(&u->lock, flags);
	for (i = 0; i <= NTPOOL_USAGE_PARENTS; i++)
		if (to[i])
			raise_peaks(to[i], kind, total_bytes[i], total_count[i]);
}

/**
 * ntpool_usage_count_nested() - count an operation straight into the totals
 * @u: the counters (not a total)
 * @kind: its pool
 * @bytes: block bytes
 * @blocks: 1 for an allocation, -1 for a free
 *
 * For an interrupt that came in this CPU's section, whose share it may
 * not touch: a fold of the one operation.
 */
void ntpool_usage_count_nested(struct ntpool_usage *u, enum ntpool_kind kind,
			       size_t bytes, int blocks)
{
	if (blocks > 0)
		ntpool_usage_fold(u, NULL, kind, bytes, NTPOOL_USAGE_ALLOC_OP);
	else
		ntpool_usage_fold(u, NULL, kind, -(s64)bytes,
				  NTPOOL_USAGE_FREE_OP);
}

/**
 * ntpool_usage_drain() - fold every CPU's shares into the totals
 * @u: counters nothing counts in any more (their module is gone)
 */
void ntpool_usage_drain(struct ntpool_usage *u)
{
	unsigned long flags;
	unsigned int kind;
	int cpu;

	for_each_possible_cpu(cpu) {
		struct ntpool_usage_cpu *c = per_cpu_ptr(u->cpu, cpu);

		/*
		 * This CPU's share is read and cleared with no interrupt
		 * between (process context: no section is open under it).
		 */
		for (kind = 0; kind < NTPOOL_KINDS; kind++) {
			local_irq_save(flags);
			ntpool_usage_fold(u, c, kind, c->bytes[kind],
					  READ_ONCE(c->n[kind]));
			local_irq_restore(flags);
		}
	}
}

/* Count an operation, in this CPU's section or straight into the totals. */
static void count(struct ntpool_usage *u, enum ntpool_kind kind, size_t bytes,
		  int blocks)
{
	if (ntpool_cpu_enter()) {
		ntpool_usage_count_held(u, kind, bytes, blocks);
		ntpool_cpu_leave();
	} else {
		ntpool_usage_count_nested(u, kind, bytes, blocks);
	}
}

/**
 * ntpool_usage_alloc() - count a successful allocation
 * @u: the counters
 * @kind: its pool
 * @bytes: block bytes, header included (whole pages for big blocks)
 */
void ntpool_usage_alloc(struct ntpool_usage *u, enum ntpool_kind kind,
			size_t bytes)
{
	count(u, kind, bytes, 1);
}

/**
 * ntpool_usage_free() - count a free
 * @u: the counters
 * @kind: its pool
 * @bytes: block bytes, as counted at allocation
 */
void ntpool_usage_free(struct ntpool_usage *u, enum ntpool_kind kind,
		       size_t bytes)
{
	count(u, kind, bytes, -1);
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

/* Add what @u's per-CPU shares hold to @st. */
static void add_shares(const struct ntpool_usage *u,
		       struct ntpool_usage_stats *st)
{
	unsigned int kind;
	int cpu;

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

static void sum(struct ntpool_usage *u, struct ntpool_usage_stats *st)
{
	const struct ntpool_usage *child;
	unsigned int kind;

	memset(st, 0, sizeof(*st));
	for (kind = 0; kind < NTPOOL_KINDS; kind++) {
		st->allocs[kind] = READ_ONCE(u->allocs[kind]);
		st->frees[kind] = READ_ONCE(u->frees[kind]);
		st->bytes[kind] = READ_ONCE(u->bytes[kind]);
	}
	read_hook(u);
	if (u->cpu)
		add_shares(u, st);
	rcu_read_lock();
	if (u->slot)
		list_for_each_entry_rcu(child, &u->children, sibling[1])
			add_shares(child, st);
	else
		list_for_each_entry_rcu(child, &u->children, sibling[0])
			add_shares(child, st);
	rcu_read_unlock();
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
	unsigned int kind, seq, tries;
	unsigned long flags;

	for (tries = 0; tries < 2; tries++) {
		seq = read_seqcount_begin(&u->seq);
		sum(u, st);
		if (!read_seqcount_retry(&u->seq, seq))
			break;
	}
	/*
	 * A total with many sites on many CPUs may see a fold during every
	 * sum: then sum under the lock that every fold into it takes.
	 */
	if (tries == 2) {
		raw_spin_lock_irqsave(&u->lock, flags);
		sum(u, st);
		raw_spin_unlock_irqrestore(&u->lock, flags);
	}
	for (kind = 0; kind < NTPOOL_KINDS; kind++) {
		st->count[kind] = st->allocs[kind] - st->frees[kind];
		st->failed[kind] = atomic64_read(&u->failed[kind]);
		raise_peak(&u->peak_bytes[kind], st->bytes[kind]);
		raise_peak(&u->peak_count[kind], st->count[kind]);
		st->peak_bytes[kind] = atomic64_read(&u->peak_bytes[kind]);
		st->peak_count[kind] = atomic64_read(&u->peak_count[kind]);
	}
}
