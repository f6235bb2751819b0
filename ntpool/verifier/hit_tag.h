/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PoolHitTag: stop on every allocation and free of a chosen tag.
 */
#ifndef _NTPOOL_HIT_TAG_H
#define _NTPOOL_HIT_TAG_H

#include <linux/jump_label.h>
#include <linux/seq_file.h>
#include <ntpool/ntpool.h>

#define NTPOOL_HIT_ALLOC	1
#define NTPOOL_HIT_FREE		2
#define NTPOOL_HIT_BOTH		(NTPOOL_HIT_ALLOC | NTPOOL_HIT_FREE)

DECLARE_STATIC_KEY_FALSE(ntpool_hit_tag_on);

void __ntpool_hit_tag_check(u32 tag, size_t size, void *p, unsigned int what,
			    const struct ntpool_caller *caller);
void ntpool_hit_tag_break(u32 tag, void *p, size_t size, unsigned int what);
int ntpool_hit_tag_set(const char *text);
void ntpool_hit_tag_show(struct seq_file *m);
unsigned long ntpool_hit_tag_hits(void);
void ntpool_hit_tag_exit(void);

/* Free when PoolHitTag is off: a static branch. */
static inline void ntpool_hit_tag_check(u32 tag, size_t size, void *p,
					unsigned int what,
					const struct ntpool_caller *caller)
{
	if (static_branch_unlikely(&ntpool_hit_tag_on))
		__ntpool_hit_tag_check(tag, size, p, what, caller);
}

#endif /* _NTPOOL_HIT_TAG_H */
