/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-tag accounting, as NT's pool tracker table keeps it: for each tag and
 * each pool, allocations, frees, bytes in use (block bytes, header
 * included), peak bytes and failed allocations.
 */
#ifndef _NTPOOL_TAGS_H
#define _NTPOOL_TAGS_H

#include <linux/atomic.h>
#include <linux/bitmap.h>
#include <linux/percpu.h>
#include <linux/types.h>
#include "base/request.h"
#include "accounting/client.h"
#include "accounting/sites.h"
#include "accounting/usage.h"

/* Rows are numbered from 1; id 0 is the overflow row. */
#define NTPOOL_TAG_OVERFLOW_ID	0
#define NTPOOL_MAX_TAGS		U16_MAX

/**
 * struct ntpool_tag - one row of the tag table
 * @tag: the tag (PROTECTED_POOL bit stripped)
 * @id: index in the id table
 * @usage: the totals of the sites that use the tag
 * @owners: ids of the client modules that allocated with this tag
 *
 * Rows are never removed while ntpool is loaded, as on NT.
 */
struct ntpool_tag {
	u32 tag;
	u16 id;
	struct ntpool_usage usage;
	DECLARE_BITMAP(owners, NTPOOL_MAX_CLIENTS);
};

/**
 * struct ntpool_tag_stats - a tag's counters summed over all CPUs
 * @tag: the tag
 * @overflow: this is the overflow row
 * @u: the sums
 * @owners: client ids that used the tag
 */
struct ntpool_tag_stats {
	u32 tag;
	bool overflow;
	struct ntpool_usage_stats u;
	DECLARE_BITMAP(owners, NTPOOL_MAX_CLIENTS);
};

int ntpool_tags_init(void);
void ntpool_tags_exit(void);
unsigned int ntpool_tags_max(void);
struct ntpool_tag *__ntpool_tag_find(u32 tag);
DECLARE_PER_CPU(struct ntpool_tag *, ntpool_last_row);

/**
 * ntpool_tag_find() - the row of a tag, if it has one
 * @tag: the tag
 *
 * Any context; takes no lock.  Rows stay while ntpool is loaded: the one
 * this CPU used last is looked at first.
 *
 * Return: the row, or NULL for a tag not seen yet.
 */
static inline struct ntpool_tag *ntpool_tag_find(u32 tag)
{
	struct ntpool_tag *t = this_cpu_read(ntpool_last_row);

	if (likely(t && t->tag == tag))
		return t;
	return __ntpool_tag_find(tag);
}

struct ntpool_tag *ntpool_tag_get(u32 tag, gfp_t gfp);
struct ntpool_tag *ntpool_tag_by_id(u16 id);
struct ntpool_tag *ntpool_tag_overflow_row(void);
bool ntpool_tag_is_overflow(const struct ntpool_tag *t);
void ntpool_tag_count_failure(struct ntpool_tag *t, enum ntpool_kind kind);

/* Test first: the bitmap is written once per tag and module. */
static inline void ntpool_tag_note_owner(struct ntpool_tag *t, u8 client)
{
	if (!test_bit(client, t->owners))
		set_bit(client, t->owners);
}

/**
 * struct ntpool_charge - what the accounting counts of an operation served
 *	by a per-CPU cache (in this CPU's section with the cache, one section
 *	for both, see cpu_section.h) or carved by the fast path
 * @site: the call site to count at (the allocating one, for a free), or
 *	NULL to count nothing for site, tag and module
 * @untracked: a module whose Pool Allocations Not Tracked counts this
 *	allocation, or NULL
 * @succeeded: a module whose Pool Allocations Succeeded counts this
 *	allocation, or NULL
 * @done: set once counted; otherwise the caller counts
 */
struct ntpool_charge {
	struct ntpool_site *site;
	struct ntpool_client *untracked;
	struct ntpool_client *succeeded;
	bool done;
};

/**
 * ntpool_charge_held() - count a per-CPU cache's allocation or free in the
 *	cache's section
 * @ch: what to count; @ch->done is set
 * @kind: the pool
 * @bytes: block bytes
 * @blocks: 1 for an allocation, -1 for a free
 */
static __always_inline void ntpool_charge_held(struct ntpool_charge *ch,
					       enum ntpool_kind kind,
					       size_t bytes, int blocks)
{
	if (ch->site)
		ntpool_usage_count_held(&ch->site->usage, kind, bytes, blocks);
	if (ch->untracked)
		ntpool_client_count_held(ch->untracked, NTPOOL_VC_UNTRACKED);
	if (ch->succeeded)
		ntpool_client_count_held(ch->succeeded, NTPOOL_VC_SUCCEEDED);
	ch->done = true;
}

void ntpool_tags_forget_owner(u8 client);
void ntpool_tag_read(struct ntpool_tag *t, struct ntpool_tag_stats *st);
struct ntpool_tag_stats *ntpool_tags_snapshot(size_t *count);

/* tag_pattern.c: tags as text and tag patterns */
#define NTPOOL_TAG_GLOB	16	/* longest glob pattern, NUL included */

/**
 * struct ntpool_tag_pattern - a tag, or a set of tags
 * @by_value: match @value exactly (a "0x..." pattern)
 * @value: the tag value
 * @glob: characters in display order, with ? (any one) and * (any rest);
 *	shorter than four characters and no * means padded with spaces
 */
struct ntpool_tag_pattern {
	bool by_value;
	u32 value;
	char glob[NTPOOL_TAG_GLOB];
};

int ntpool_tag_pattern_parse(struct ntpool_tag_pattern *pat, const char *text);
bool ntpool_tag_pattern_match(const struct ntpool_tag_pattern *pat, u32 tag);

#endif /* _NTPOOL_TAGS_H */
