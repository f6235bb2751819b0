/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Special pool: each block alone on a page, next to an unmapped page.
 */
#ifndef _NTPOOL_SPECIAL_H
#define _NTPOOL_SPECIAL_H

#include <linux/rcupdate.h>
#include <linux/seq_file.h>
#include "core/pool.h"

/* Where a special-pool block sits on its page (struct ntpool_big.special). */
#define NTPOOL_SPECIAL_NONE	0
#define NTPOOL_SPECIAL_END	1	/* overruns fault: "Verify End" */
#define NTPOOL_SPECIAL_START	2	/* underruns fault: "Verify Start" */

unsigned int ntpool_special_wanted(const struct ntpool_request *req);
void *ntpool_special_alloc(struct ntpool_request *req, unsigned int where);
bool ntpool_special_check(const struct ntpool_big *big, void *p,
			  const struct ntpool_caller *caller);
void ntpool_special_freed(const struct ntpool_big *big);
int ntpool_special_set(const char *text);
void ntpool_special_show(struct seq_file *m);
struct special_setting;
extern struct special_setting __rcu *ntpool_special_setting;

/**
 * ntpool_special_enabled() - does the special_pool setting select anything?
 *
 * Return: true if it does (requests may also ask for special pool).
 */
static inline bool ntpool_special_enabled(void)
{
	return rcu_access_pointer(ntpool_special_setting);
}

int ntpool_special_init(void);
void ntpool_special_exit(void);

#endif /* _NTPOOL_SPECIAL_H */
