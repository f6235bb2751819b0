/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Call sites: where ntpool counts.  A site is one tag used at one call site
 * of one module; its id is in the PoolTagHash field of each of its blocks'
 * headers (and in big-pool entries), and its counters fold into its tag's
 * totals and its module's.
 */
#ifndef _NTPOOL_SITES_H
#define _NTPOOL_SITES_H

#include <linux/list.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/types.h>
#include "accounting/usage.h"

/* Which parent slot of a site's counters a tag's and a module's take. */
#define NTPOOL_SITE_SLOT_TAG	0
#define NTPOOL_SITE_SLOT_CLIENT	1
static_assert(NTPOOL_USAGE_PARENTS == 2);

/*
 * Ids below NTPOOL_SITES_FIRST_ID name the catch-all site of the module
 * with that id (client.h): where a module's blocks are counted when a site
 * of their own could not be made.
 */
#define NTPOOL_SITES_FIRST_ID	256
#define NTPOOL_MAX_SITES	U16_MAX

/* Longest call site name kept: "function+0x1234/0x5678 [module]". */
#define NTPOOL_SITE_NAME_LEN	128

struct ntpool_tag;
struct ntpool_client;
struct ntpool_callsite_scope;

/**
 * struct ntpool_site - one tag at one call site of one module
 * @ip: the call site (0 for a module's catch-all site)
 * @key: the module's key (client.h); NTPOOL_SITE_KEY_GONE once the module
 *	has gone, so that a module loaded later at its address has sites of
 *	its own
 * @tag: the tag, PROTECTED_POOL bit stripped
 * @id: in its blocks' headers
 * @client: the module's client id
 * @row: its tag's row
 * @owner: the module's record; NULL once the record is retired
 * @usage: its counters, folding into its tag's and its module's totals
 * @module: the module's name, kept after it goes
 * @name: the call site's name ("func+0x1a/0x40 [mod]"), kept from before
 *	its code went, or NULL
 * @hash: in the lookup by call site
 * @link: in the list of every site
 *
 * Sites are kept until ntpool unloads, as tag rows are (a module's
 * catch-all site lives in its record).
 */
struct ntpool_site {
	unsigned long ip;
	struct module *key;
	u32 tag;
	u16 id;
	u8 client;
	struct ntpool_tag *row;
	struct ntpool_client *owner;
	struct ntpool_usage usage;
	char module[MODULE_NAME_LEN];
	const char *name;
	struct hlist_node hash;
	struct list_head link;
};

/* A key no module has: the key of a site whose module is gone. */
#define NTPOOL_SITE_KEY_GONE	((struct module *)2UL)

DECLARE_PER_CPU(struct ntpool_site *, ntpool_last_site);
struct ntpool_site *__ntpool_site_find(unsigned long ip, u32 tag,
				       struct module *key);

/**
 * ntpool_site_find() - the site of a tag at a call site, if it has one
 * @ip: the call site
 * @tag: the tag, PROTECTED_POOL bit stripped
 * @key: the calling module's key
 *
 * Any context; takes no lock.  The site this CPU used last is looked at
 * first.
 *
 * Return: the site, or NULL.
 */
static __always_inline struct ntpool_site *
ntpool_site_find(unsigned long ip, u32 tag, struct module *key)
{
	struct ntpool_site *s = this_cpu_read(ntpool_last_site);

	if (likely(s && s->ip == ip && s->tag == tag &&
		   READ_ONCE(s->key) == key))
		return s;
	return __ntpool_site_find(ip, tag, key);
}

struct ntpool_site *ntpool_site_by_id(u16 id);

/* ntpool_site_by_id(), looking at the site this CPU used last first. */
static __always_inline struct ntpool_site *ntpool_site_of_id(u16 id)
{
	struct ntpool_site *s = this_cpu_read(ntpool_last_site);

	return likely(s && s->id == id) ? s : ntpool_site_by_id(id);
}

struct ntpool_site *ntpool_site_get(u32 tag, unsigned long ip,
				    struct ntpool_client *c, gfp_t gfp);
int ntpool_site_init_catchall(struct ntpool_site *s, struct ntpool_client *c,
			      gfp_t gfp);
void ntpool_site_adopt_catchall(struct ntpool_site *s);
void ntpool_site_destroy_catchall(struct ntpool_site *s);
void ntpool_sites_module_gone(struct ntpool_client *c);
void ntpool_sites_name(struct ntpool_client *c,
		       const struct ntpool_callsite_scope *scope);
void ntpool_sites_client_retired(struct ntpool_client *c);
void ntpool_site_read(struct ntpool_site *s, struct ntpool_usage_stats *st);
void ntpool_site_caller_text(struct ntpool_site *s, char *buf);
struct ntpool_site *ntpool_sites_next(struct ntpool_site *s);

/**
 * struct ntpool_site_stats - a site's counters summed over all CPUs
 * @tag: its tag
 * @module: its module's name
 * @caller: its call site's name
 * @ip: its call site
 * @many_modules: its tag is used by more than one module
 * @many_tags: its call site uses more than one tag
 * @u: the sums
 */
struct ntpool_site_stats {
	u32 tag;
	char module[MODULE_NAME_LEN];
	char caller[NTPOOL_SITE_NAME_LEN];
	unsigned long ip;
	bool many_modules;
	bool many_tags;
	struct ntpool_usage_stats u;
};

struct ntpool_site_stats *ntpool_sites_snapshot(size_t *count);
unsigned int ntpool_sites_max(void);
void ntpool_sites_init(void);
void ntpool_sites_exit(void);

/* Count a successful allocation of @bytes block bytes at @s. */
static inline void ntpool_site_count_alloc(struct ntpool_site *s,
					   enum ntpool_kind kind, size_t bytes)
{
	ntpool_usage_alloc(&s->usage, kind, bytes);
}

/**
 * ntpool_site_count_free_held() - count a free at the site a header names,
 *	in this CPU's section
 * @id: the site's id, from the block's header or big-pool entry
 * @kind: the pool
 * @bytes: block bytes, as counted at allocation
 *
 * The site is looked up in the same section as it is counted in: an id
 * below NTPOOL_SITES_FIRST_ID names a catch-all site in a module's record,
 * which is freed only a grace period after its id is given back, and a
 * replayed header may still name it.
 */
static __always_inline void ntpool_site_count_free_held(u16 id,
							enum ntpool_kind kind,
							size_t bytes)
{
	ntpool_usage_count_held(&ntpool_site_of_id(id)->usage, kind, bytes, -1);
}

/* ntpool_site_count_free_held(), from any context. */
static inline void ntpool_site_count_free(u16 id, enum ntpool_kind kind,
					  size_t bytes)
{
	if (ntpool_cpu_enter()) {
		ntpool_site_count_free_held(id, kind, bytes);
		ntpool_cpu_leave();
		return;
	}
	/* As in a section, the site is looked up and counted in one reader. */
	rcu_read_lock();
	ntpool_usage_count_nested(&ntpool_site_of_id(id)->usage, kind, bytes,
				  -1);
	rcu_read_unlock();
}

#endif /* _NTPOOL_SITES_H */
