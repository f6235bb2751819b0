/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Pool usage counters: allocations, frees, failures, live blocks and live
 * bytes with their peaks, per pool, for a call site, and as totals for a
 * tag or a client module.
 */
#ifndef _NTPOOL_USAGE_H
#define _NTPOOL_USAGE_H

#include <linux/atomic.h>
#include <linux/gfp.h>
#include <linux/list.h>
#include <linux/lockdep.h>
#include <linux/math.h>
#include <linux/percpu.h>
#include <linux/seqlock.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include "base/cpu_section.h"
#include "base/request.h"

/* Per-CPU shares are folded into the shared totals past these. */
#define NTPOOL_USAGE_BYTES_BATCH	(32 * 1024)
#define NTPOOL_USAGE_COUNT_BATCH	32
/* ...and before its operations overflow their u16. */
#define NTPOOL_USAGE_SHARE_MAX		U16_MAX

/*
 * A share's operations on one pool, in one word: allocations plus frees in
 * the low half (below NTPOOL_USAGE_SHARE_MAX), allocations minus frees in
 * the high half (signed, below the count batch in size).  One word is
 * written and read in one go, so a reader always sees the two agree:
 * allocations are (ops + live) / 2, frees (ops - live) / 2.
 */
#define NTPOOL_USAGE_ALLOC_OP	0x00010001U	/* ops + 1, live + 1 */
#define NTPOOL_USAGE_FREE_OP	0xffff0001U	/* ops + 1, live - 1 */

static inline u16 ntpool_usage_ops(u32 n)
{
	return n;
}

static inline s16 ntpool_usage_live(u32 n)
{
	return n >> 16;
}

/**
 * struct ntpool_usage_cpu - one CPU's share not yet folded, per pool
 * @bytes: bytes allocated minus freed; below the bytes batch in size
 * @n: allocations and frees, as above
 *
 * Kept small: one of these per possible CPU is the per-CPU cost of a tag
 * row or a client (16 bytes with two pools).
 */
struct ntpool_usage_cpu {
	s32 bytes[NTPOOL_KINDS];
	u32 n[NTPOOL_KINDS];
};

/* How many totals one set of counters folds into besides its own. */
#define NTPOOL_USAGE_PARENTS	2

/**
 * struct ntpool_usage - counters for a call site, a tag or a module
 * @cpu: per-CPU shares; NULL for a total (a tag's or a module's), which
 *	is counted only through the counters that fold into it
 * @parent: totals this one's folds go into as well (by slot), or NULL
 * @children: a total's: the counters that fold into it, under RCU
 * @sibling: by slot, this one's entry in @parent[slot]'s @children
 * @slot: a total's: which @sibling its children are listed by
 * @lock: serialises folds
 * @seq: bumped around each fold into these totals, so that a reader sees
 *	a fold whole or not at all
 * @allocs: folded allocations, per pool
 * @frees: folded frees, per pool
 * @bytes: folded live bytes, per pool
 * @peak_bytes: highest live bytes seen, per pool
 * @peak_count: highest live blocks seen, per pool
 * @failed: allocations that failed, per pool
 */
struct ntpool_usage {
	struct ntpool_usage_cpu __percpu *cpu;
	struct ntpool_usage *parent[NTPOOL_USAGE_PARENTS];
	struct list_head children;
	struct list_head sibling[NTPOOL_USAGE_PARENTS];
	unsigned int slot;
	raw_spinlock_t lock;
	seqcount_raw_spinlock_t seq;
	u64 allocs[NTPOOL_KINDS];
	u64 frees[NTPOOL_KINDS];
	s64 bytes[NTPOOL_KINDS];
	atomic64_t peak_bytes[NTPOOL_KINDS];
	atomic64_t peak_count[NTPOOL_KINDS];
	atomic64_t failed[NTPOOL_KINDS];
};

/**
 * struct ntpool_usage_stats - counters summed over all CPUs
 * @allocs: allocations, per pool
 * @frees: frees, per pool
 * @failed: failed allocations, per pool
 * @bytes: live bytes, per pool
 * @peak_bytes: peak live bytes, per pool
 * @count: live blocks, per pool
 * @peak_count: peak live blocks, per pool
 */
struct ntpool_usage_stats {
	u64 allocs[NTPOOL_KINDS];
	u64 frees[NTPOOL_KINDS];
	u64 failed[NTPOOL_KINDS];
	s64 bytes[NTPOOL_KINDS];
	s64 peak_bytes[NTPOOL_KINDS];
	s64 count[NTPOOL_KINDS];
	s64 peak_count[NTPOOL_KINDS];
};

int ntpool_usage_init(struct ntpool_usage *u, gfp_t gfp);
void ntpool_usage_init_total(struct ntpool_usage *u, unsigned int slot);
void ntpool_usage_adopt(struct ntpool_usage *total, struct ntpool_usage *u);
void ntpool_usage_disown(struct ntpool_usage *total, struct ntpool_usage *u);
void ntpool_usage_destroy(struct ntpool_usage *u);
void ntpool_usage_drain(struct ntpool_usage *u);
void ntpool_usage_alloc(struct ntpool_usage *u, enum ntpool_kind kind,
			size_t bytes);
void ntpool_usage_free(struct ntpool_usage *u, enum ntpool_kind kind,
		       size_t bytes);
void ntpool_usage_fold(struct ntpool_usage *u, struct ntpool_usage_cpu *c,
		       enum ntpool_kind kind, s64 bytes, u32 n);
void ntpool_usage_failure(struct ntpool_usage *u, enum ntpool_kind kind);
void ntpool_usage_read(struct ntpool_usage *u, struct ntpool_usage_stats *st);

/* Is @x within the batch @batch either way?  One compare. */
static __always_inline bool ntpool_usage_within(s64 x, u32 batch)
{
	return (u64)(x + batch - 1) < 2 * batch - 1;
}

/*
 * Count one allocation (@blocks 1) or free (-1) in this CPU's share, in
 * this CPU's section, and fold the share once it passes a batch.  What the
 * share holds back from the totals is its live blocks and bytes, which
 * bound how far a peak can lag: a CPU that allocates and frees in turn
 * folds only when its count of operations would overflow.
 */
static __always_inline void ntpool_usage_count_one(struct ntpool_usage *u,
						   enum ntpool_kind kind,
						   s64 bytes, int blocks)
{
	struct ntpool_usage_cpu *c = this_cpu_ptr(u->cpu);
	s64 share = c->bytes[kind] + bytes;
	u32 n = c->n[kind] + (blocks > 0 ? NTPOOL_USAGE_ALLOC_OP :
					    NTPOOL_USAGE_FREE_OP);

	if (likely(ntpool_usage_within(share, NTPOOL_USAGE_BYTES_BATCH) &&
		   ntpool_usage_within(ntpool_usage_live(n),
				       NTPOOL_USAGE_COUNT_BATCH) &&
		   ntpool_usage_ops(n) < NTPOOL_USAGE_SHARE_MAX)) {
		c->bytes[kind] = share;
		WRITE_ONCE(c->n[kind], n);
	} else {
		ntpool_usage_fold(u, c, kind, share, n);
	}
}

/**
 * ntpool_usage_count_held() - count an allocation or a free, in this CPU's
 *	section
 * @u: the counters (not a total)
 * @kind: its pool
 * @bytes: block bytes
 * @blocks: 1 for an allocation, -1 for a free
 *
 * For callers in this CPU's section already (cpu_section.h), so that one
 * section covers more than the counters.  The totals @u folds into see it
 * at its next fold, and their readers at once.
 */
static __always_inline void ntpool_usage_count_held(struct ntpool_usage *u,
						    enum ntpool_kind kind,
						    size_t bytes, int blocks)
{
	ntpool_cpu_assert_held();
	ntpool_usage_count_one(u, kind, blocks > 0 ? (s64)bytes : -(s64)bytes,
			       blocks);
}

void ntpool_usage_count_nested(struct ntpool_usage *u, enum ntpool_kind kind,
			       size_t bytes, int blocks);

#if IS_ENABLED(CONFIG_NTPOOL_KUNIT_TEST)
extern void (*ntpool_usage_read_hook)(struct ntpool_usage *u);
#endif

#endif /* _NTPOOL_USAGE_H */
