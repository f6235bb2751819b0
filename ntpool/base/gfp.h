/* SPDX-License-Identifier: GPL-2.0 */
/*
 * GFP flags for memory that backs a pool request, as NT's pool types and
 * priorities imply them.
 */
#ifndef _NTPOOL_GFP_H
#define _NTPOOL_GFP_H

#include <linux/gfp.h>
#include "base/request.h"

/**
 * ntpool_gfp_choose() - GFP flags for memory that backs a request
 * @kind: the pool
 * @can_sleep: whether the caller's context may sleep
 * @prio: the bits ntpool_priority_gfp() gave for the request's priority
 *	(__GFP_NORETRY for LowPoolPriority, __GFP_HIGH for High)
 *
 * Paged pool is pageable on NT, so its allocations may wait for paging
 * I/O: GFP_KERNEL.  Non-paged pool never does: where the caller may sleep
 * it still does no I/O to reclaim (GFP_NOIO), so that a storage or network
 * driver allocating in its I/O path cannot wait on its own I/O; elsewhere
 * GFP_ATOMIC.  LowPoolPriority asks to fail first when memory is short, so
 * in atomic context it never dips into the atomic reserves (GFP_NOWAIT).
 * Failures are quiet: NT returns NULL.
 *
 * Return: the flags.
 */
static inline gfp_t ntpool_gfp_choose(enum ntpool_kind kind, bool can_sleep,
				      gfp_t prio)
{
	gfp_t gfp = __GFP_NOWARN | prio;

	if (kind == NTPOOL_PAGED)
		return gfp | GFP_KERNEL;
	if (can_sleep)
		return gfp | GFP_NOIO;
	if (prio & __GFP_NORETRY)
		return gfp | GFP_NOWAIT;
	return gfp | GFP_ATOMIC;
}

/*
 * ntpool_gfp_choose() for the caller's context as it is now.  Without
 * CONFIG_PREEMPT_COUNT a held spinlock cannot be seen, so non-paged pool
 * then never sleeps.
 */
static inline gfp_t ntpool_gfp_here(enum ntpool_kind kind, gfp_t prio)
{
	return ntpool_gfp_choose(kind, IS_ENABLED(CONFIG_PREEMPT_COUNT) &&
					 ntpool_can_sleep(), prio);
}

/**
 * ntpool_gfp() - the GFP flags for a request's memory, here and now
 * @req: the request
 *
 * Return: ntpool_gfp_here() for its pool and priority.
 */
static inline gfp_t ntpool_gfp(const struct ntpool_request *req)
{
	return ntpool_gfp_here(req->kind, req->gfp);
}

/**
 * ntpool_priority_gfp() - what a priority asks of the page allocator
 * @priority: EX_POOL_PRIORITY
 *
 * Return: __GFP_NORETRY (Low), __GFP_RETRY_MAYFAIL (Normal) or __GFP_HIGH
 * (High); the SpecialPool bits only place special-pool blocks.
 */
static inline gfp_t ntpool_priority_gfp(EX_POOL_PRIORITY priority)
{
	/* The low bits only select special-pool placement. */
	switch (priority & ~(LowPoolPrioritySpecialPoolUnderrun)) {
	case LowPoolPriority:
		return __GFP_NORETRY;
	case HighPoolPriority:
		return __GFP_HIGH;
	default:
		return __GFP_RETRY_MAYFAIL;
	}
}

#endif /* _NTPOOL_GFP_H */
