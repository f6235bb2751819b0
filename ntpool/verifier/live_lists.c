// SPDX-License-Identifier: GPL-2.0
/*
 * Where the live lookaside lists are, by the page each starts in.  A
 * client that frees the memory of a list it has not deleted leaves the
 * list's entries and state behind; Driver Verifier reports it when the
 * block is freed (0xC4/0xCC), so every free of a block asks here, without
 * a lock.  The lists' own registry (nt/lookaside.c) adds and removes them.
 *
 * Locking: additions and removals take live_lock with interrupts saved
 * (lists come and go in any context); lookups run under RCU.  An entry's
 * memory is its owner's, which frees it after a grace period.
 */
#include <linux/hashtable.h>
#include <linux/mm.h>
#include <linux/rculist.h>
#include <linux/spinlock.h>
#include "verifier/live_lists.h"

/* Read without a lock by ntpool_live_list_within() (live_lists.h). */
atomic_t ntpool_live_lists = ATOMIC_INIT(0);
static DEFINE_HASHTABLE(by_page, 6);
static DEFINE_SPINLOCK(live_lock);

/**
 * ntpool_live_list_add() - a list is live
 * @l: its place, which the owner keeps until ntpool_live_list_del()
 * @start: the list's address
 */
void ntpool_live_list_add(struct ntpool_live_list *l, const void *start)
{
	unsigned long flags;

	l->start = start;
	spin_lock_irqsave(&live_lock, flags);
	hash_add_rcu(by_page, &l->node, (unsigned long)start >> PAGE_SHIFT);
	atomic_inc(&ntpool_live_lists);
	spin_unlock_irqrestore(&live_lock, flags);
}

/**
 * ntpool_live_list_del() - a list is no longer live
 * @l: its place; lookups may still see it until a grace period has passed
 */
void ntpool_live_list_del(struct ntpool_live_list *l)
{
	unsigned long flags;

	spin_lock_irqsave(&live_lock, flags);
	hash_del_rcu(&l->node);
	atomic_dec(&ntpool_live_lists);
	spin_unlock_irqrestore(&live_lock, flags);
}

/**
 * __ntpool_live_list_within() - ntpool_live_list_within() once a list is
 *	live
 * @p: the block
 * @size: its usable bytes
 *
 * Return: the list's address, or NULL.
 */
const void *__ntpool_live_list_within(const void *p, size_t size)
{
	unsigned long page = (unsigned long)p >> PAGE_SHIFT;
	unsigned long last = ((unsigned long)p + size - 1) >> PAGE_SHIFT;
	const struct ntpool_live_list *l;
	const void *hit = NULL;

	rcu_read_lock();
	for (; page <= last && !hit; page++)
		hash_for_each_possible_rcu(by_page, l, node, page)
			if (l->start >= p && l->start < p + size) {
				hit = l->start;
				break;
			}
	rcu_read_unlock();
	return hit;
}
