/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where the live lookaside lists are, by page (live_lists.c): a free asks
 * whether its block holds one, which Driver Verifier reports (0xC4/0xCC).
 */
#ifndef _NTPOOL_LIVE_LISTS_H
#define _NTPOOL_LIVE_LISTS_H

#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/types.h>

/**
 * struct ntpool_live_list - a live list's place, kept by its owner
 *	(nt/lookaside.c) for as long as the list is live
 * @node: on the hash list of the page the list starts in
 * @start: the list's address
 */
struct ntpool_live_list {
	struct hlist_node node;
	const void *start;
};

extern atomic_t ntpool_live_lists;

void ntpool_live_list_add(struct ntpool_live_list *l, const void *start);
void ntpool_live_list_del(struct ntpool_live_list *l);
const void *__ntpool_live_list_within(const void *p, size_t size);

/**
 * ntpool_live_list_within() - a live list inside a block, if any
 * @p: the block
 * @size: its usable bytes
 *
 * Every free asks, so no lock is taken: the lists are looked up by the
 * pages the block covers, under RCU, once any list is live.
 *
 * Return: the list's address, or NULL.
 */
static inline const void *ntpool_live_list_within(const void *p, size_t size)
{
	if (!size || !atomic_read(&ntpool_live_lists))
		return NULL;
	return __ntpool_live_list_within(p, size);
}

#endif /* _NTPOOL_LIVE_LISTS_H */
