/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Lookaside lists: what the rest of ntpool asks of them.
 */
#ifndef _NTPOOL_LOOKASIDE_INTERNAL_H
#define _NTPOOL_LOOKASIDE_INTERNAL_H

#include <linux/list.h>
#include <linux/module.h>
#include <linux/seq_file.h>
#include <ntpool/ntpool.h>

extern struct list_head ntpool_lookaside_registry;
PGENERAL_LOOKASIDE_POOL __ntpool_lookaside_within(const void *p, size_t size);

/**
 * ntpool_lookaside_within() - a live list inside a block, if any
 * @p: the block
 * @size: its usable bytes
 *
 * Every free asks, so no lock is taken: the lists are looked up by the
 * pages the block covers, under RCU, once any list exists.
 *
 * Return: the list, or NULL.
 */
static inline PGENERAL_LOOKASIDE_POOL ntpool_lookaside_within(const void *p,
							      size_t size)
{
	if (!size || list_empty_careful(&ntpool_lookaside_registry))
		return NULL;
	return __ntpool_lookaside_within(p, size);
}

void ntpool_lookaside_unload(struct module *mod);
void ntpool_lookaside_adjust(PGENERAL_LOOKASIDE_POOL list);
void ntpool_print_lookaside(struct seq_file *m);
int ntpool_lookaside_start(void);
void ntpool_lookaside_stop(void);

#endif /* _NTPOOL_LOOKASIDE_INTERNAL_H */
