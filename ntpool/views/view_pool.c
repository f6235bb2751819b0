// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs "pool" (!pool), "poolfind" (!poolfind) and "bigpool" (the big
 * pool table).
 *
 * These walk pool pages.  Each page is walked under its pool's lock, one
 * page at a time, and only after the page xarray says the page is still the
 * pool's (entries leave it only under that lock): ntpool never reads memory
 * it does not own, and never holds a lock across a whole print.
 */
#define pr_fmt(fmt) "ntpool: " fmt

#include <linux/fs.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include "accounting/callsite.h"
#include "accounting/client.h"
#include "views/debugfs.h"
#include "core/pcp.h"
#include "accounting/pooltag.h"
#include "core/walk.h"

/* What was last written to "pool" and "poolfind". */
static DEFINE_MUTEX(query_lock);
static unsigned long pool_query;
static bool pool_query_set;
static struct ntpool_tag_pattern find_pattern;
static enum ntpool_kind find_kind;
static bool find_set;

static const char * const region_names[NTPOOL_KINDS] = {
	[NTPOOL_NONPAGED] = "Nonpaged pool",
	[NTPOOL_PAGED] = "Paged pool",
};

static void print_block(struct seq_file *m, const struct ntpool_header *hdr,
			bool is_free, bool star)
{
	char tag[NTPOOL_TAG_TEXT];

	ntpool_tag_text(hdr->pool_tag, tag);
	seq_printf(m, "%c%016lx size: %4x previous size: %4x  %s %c%s\n",
		   star ? '*' : ' ', (unsigned long)hdr,
		   hdr->block_size * NTPOOL_BLOCK_SIZE,
		   hdr->previous_size * NTPOOL_BLOCK_SIZE,
		   is_free ? "(Free)     " : "(Allocated)", star ? '*' : ' ', tag);
}

static void print_pooltag_line(struct seq_file *m, u32 pool_tag, u8 client,
			       bool is_free)
{
	struct ntpool_pooltag_text text;
	char tag[NTPOOL_TAG_TEXT];

	ntpool_tag_text(pool_tag, tag);
	if (!ntpool_pooltag_lookup(pool_tag, &text))
		strscpy(text.desc, "(no pooltag description)", sizeof(text.desc));
	seq_printf(m, "\t\tPooltag %s : %s, Binary : %s\n", tag, text.desc,
		   is_free ? "-" : ntpool_client_name(client));
}

/*
 * Walk one page of small blocks by its bitmap; star the block holding
 * @addr, if any.  Headers are printed as they are, and one that disagrees
 * with the bitmap (the client's corruption) is pointed out.
 */
static void walk_page_locked(struct seq_file *m, struct ntpool_page *pg,
			     unsigned long addr, bool describe)
{
	unsigned int unit;

	for_each_set_bit(unit, pg->block_starts, NTPOOL_PAGE_UNITS) {
		struct ntpool_header *hdr = ntpool_hdr_at(pg, unit);
		unsigned int units = ntpool_block_units(pg, unit);
		unsigned long start = (unsigned long)hdr;
		bool is_free = !ntpool_is_allocated(pg, unit);
		bool star = addr >= start &&
			    addr < start + units * NTPOOL_BLOCK_SIZE;

		print_block(m, hdr, is_free, star);
		if (test_bit(unit, pg->quarantine))
			seq_puts(m, "*** the block above was found corrupt and is kept out of use\n");
		else if (hdr->block_size != units ||
			 hdr->previous_size != ntpool_prev_units(pg, unit))
			seq_printf(m, "*** the header above is corrupt: the block is %u bytes, after one of %u\n",
				   units * NTPOOL_BLOCK_SIZE,
				   ntpool_prev_units(pg, unit) * NTPOOL_BLOCK_SIZE);
		if (star && describe)
			print_pooltag_line(m, hdr->pool_tag, hdr->pool_index,
					   is_free);
	}
}

static void print_big(struct seq_file *m, const struct ntpool_big *big,
		      bool star)
{
	char tag[NTPOOL_TAG_TEXT];

	ntpool_tag_text(big->tag, tag);
	if (big->special)
		seq_printf(m, "%c%016lx : special pool allocation, tag is %s, size is 0x%zx bytes\n",
			   star ? '*' : ' ', (unsigned long)big->block, tag,
			   big->size);
	else
		seq_printf(m, "%c%016lx : large page allocation, tag is %s, size is 0x%zx bytes\n",
			   star ? '*' : ' ', (unsigned long)big->va, tag,
			   ntpool_big_pages(big) << PAGE_SHIFT);
}

/* Find the big block holding @addr, one entry at a time under the lock. */
static bool print_big_holding(struct seq_file *m, struct ntpool_pool *pool,
			      unsigned long addr)
{
	unsigned long key, flags;
	void *entry;
	bool found = false;

	xa_for_each(&pool->pages, key, entry) {
		struct ntpool_big *big = xa_untag_pointer(entry);

		if (xa_pointer_tag(entry) != NTPOOL_XA_BIG)
			continue;
		spin_lock_irqsave(&pool->lock, flags);
		if (xa_load(&pool->pages, key) == entry && !big->freed &&
		    addr >= (unsigned long)big->va &&
		    addr < (unsigned long)big->va + (ntpool_big_pages(big) << PAGE_SHIFT)) {
			seq_printf(m, "Pool page %016lx region is %s\n", addr,
				   region_names[pool->kind]);
			print_big(m, big, true);
			print_pooltag_line(m, big->tag, big->client, false);
			found = true;
		}
		spin_unlock_irqrestore(&pool->lock, flags);
		if (found)
			break;
	}
	return found;
}

/* Which cgroup pays for a page of quota blocks; its pool locked. */
static void print_quota_page(struct seq_file *m,
			     const struct ntpool_quota_set *set)
{
	char path[128];

	ntpool_quota_set_path(set, path, sizeof(path));
	seq_printf(m, "Quota: the page's blocks are charged to memory cgroup %s\n",
		   path);
}

/**
 * ntpool_print_pool() - !pool for one address
 * @m: where to
 * @addr: any address
 *
 * For an address in a page of small blocks: the page walk, the block
 * holding @addr starred and described.  For one in a big block: its entry.
 * Anything else gets one line, and is never read.
 */
void ntpool_print_pool(struct seq_file *m, unsigned long addr)
{
	struct ntpool_pool *pool = ntpool_pool_owning((void *)addr);
	unsigned long flags;
	void *entry;

	if (!pool)
		goto not_owned;
	spin_lock_irqsave(&pool->lock, flags);
	entry = xa_load(&pool->pages, ntpool_page_key((void *)addr));
	if (entry && xa_pointer_tag(entry) == NTPOOL_XA_SMALL) {
		struct ntpool_page *pg = xa_untag_pointer(entry);

		seq_printf(m, "Pool page %016lx region is %s%s\n", addr,
			   region_names[pool->kind],
			   pool->exec ? " (executable)" : "");
		if (pg->quota)
			print_quota_page(m, pg->quota);
		if (bitmap_empty(pg->block_starts, NTPOOL_PAGE_UNITS))
			seq_puts(m, "The page is wholly free (kept for reuse)\n");
		else
			walk_page_locked(m, pg, addr, true);
		spin_unlock_irqrestore(&pool->lock, flags);
		return;
	}
	spin_unlock_irqrestore(&pool->lock, flags);
	if (print_big_holding(m, pool, addr))
		return;
not_owned:
	seq_printf(m, "%016lx is not in a pool page ntpool owns\n", addr);
}

struct find_walk {
	struct seq_file *m;
	const struct ntpool_tag_pattern *pat;
};

static bool print_found(const struct ntpool_block_info *b, void *arg)
{
	struct find_walk *w = arg;

	if (!ntpool_tag_pattern_match(w->pat, b->tag))
		return true;
	if (b->big)
		print_big(w->m, b->big, false);
	else
		print_block(w->m, b->hdr, false, false);
	return true;
}

/**
 * ntpool_print_poolfind() - !poolfind: every allocated block with a tag
 * @m: where to
 * @pat: the tag pattern
 * @kind: the pool to search
 *
 * The big-pool table first, then the pool's pages.
 */
void ntpool_print_poolfind(struct seq_file *m,
			   const struct ntpool_tag_pattern *pat,
			   enum ntpool_kind kind)
{
	struct find_walk w = { .m = m, .pat = pat };
	char what[NTPOOL_TAG_GLOB + 12];

	if (pat->by_value)
		snprintf(what, sizeof(what), "0x%08x", pat->value);
	else
		strscpy(what, pat->glob, sizeof(what));
	seq_printf(m, "Scanning large pool allocation table for Tag: %s\n", what);
	ntpool_walk_blocks(kind, NTPOOL_WALK_BIG, print_found, &w);
	seq_printf(m, "Searching %s for Tag: %s\n", region_names[kind], what);
	ntpool_walk_blocks(kind, NTPOOL_WALK_SMALL, print_found, &w);
}

static bool print_big_row(const struct ntpool_block_info *b, void *arg)
{
	char tag[NTPOOL_TAG_TEXT];
	const char *name;

	ntpool_tag_text(b->tag, tag);
	seq_printf(arg, "%016lx %12zu %6zu %-4s %-5s %-16s ",
		   (unsigned long)b->addr, b->size, ntpool_big_pages(b->big), tag,
		   b->kind == NTPOOL_PAGED ? "Paged" :
		   b->big->exec ? "NpEx" : "Nonp",
		   ntpool_client_name(b->client));
	/* Named while its code existed, if it is gone (callsite.c). */
	rcu_read_lock();
	name = ntpool_caller_name(ntpool_client(b->client), b->caller);
	if (!name)
		seq_printf(arg, "%pS\n", (void *)b->caller);
	else if (*name)
		seq_printf(arg, "%s\n", name);
	else
		seq_printf(arg, "0x%016lx\n", b->caller);
	rcu_read_unlock();
	return true;
}

/**
 * ntpool_print_bigpool() - the big-pool table of both pools
 * @m: where to
 */
void ntpool_print_bigpool(struct seq_file *m)
{
	unsigned int kind;

	seq_printf(m, "%-16s %12s %6s %-4s %-5s %-16s %s\n", "Address", "Size",
		   "Pages", "Tag", "Type", "Owner", "Caller");
	for (kind = 0; kind < NTPOOL_KINDS; kind++)
		ntpool_walk_blocks(kind, NTPOOL_WALK_BIG, print_big_row, m);
}

static void pool_show(struct seq_file *m)
{
	unsigned long addr;
	bool set;

	mutex_lock(&query_lock);
	addr = pool_query;
	set = pool_query_set;
	mutex_unlock(&query_lock);
	if (!set)
		seq_puts(m, "Write an address (hex) to this file, then read it\n");
	else
		ntpool_print_pool(m, addr);
}

static int pool_set(const char *text)
{
	unsigned long addr;

	if (kstrtoul(text, 16, &addr))
		return -EINVAL;
	mutex_lock(&query_lock);
	pool_query = addr;
	pool_query_set = true;
	mutex_unlock(&query_lock);
	return 0;
}

static const struct ntpool_control pool_control = {
	.show = pool_show, .set = pool_set, .max = 32,
};

static void poolfind_show(struct seq_file *m)
{
	struct ntpool_tag_pattern pat;
	enum ntpool_kind kind;
	bool set;

	mutex_lock(&query_lock);
	pat = find_pattern;
	kind = find_kind;
	set = find_set;
	mutex_unlock(&query_lock);
	if (!set)
		seq_puts(m, "Write a tag pattern and optionally a pool type (0 nonpaged, 1 paged), then read\n");
	else
		ntpool_print_poolfind(m, &pat, kind);
}

/**
 * ntpool_poolfind_parse() - read "TagPattern [PoolType]"
 * @text: the input, trimmed
 * @pat: the pattern
 * @kind: the pool; 0 (nonpaged, the default) or 1 (paged)
 *
 * Return: 0 or -EINVAL.
 */
int ntpool_poolfind_parse(const char *text, struct ntpool_tag_pattern *pat,
			  enum ntpool_kind *kind)
{
	unsigned int type = NTPOOL_NONPAGED;
	char tag[NTPOOL_TAG_GLOB];
	size_t len = strcspn(text, " \t");
	const char *rest = skip_spaces(text + len);

	if (len >= sizeof(tag))
		return -EINVAL;
	strscpy(tag, text, len + 1);
	if ((*rest && kstrtouint(rest, 0, &type)) || type >= NTPOOL_KINDS ||
	    ntpool_tag_pattern_parse(pat, tag))
		return -EINVAL;
	*kind = type;
	return 0;
}

static int poolfind_set(const char *text)
{
	struct ntpool_tag_pattern pat;
	enum ntpool_kind kind;

	if (ntpool_poolfind_parse(text, &pat, &kind))
		return -EINVAL;
	mutex_lock(&query_lock);
	find_pattern = pat;
	find_kind = kind;
	find_set = true;
	mutex_unlock(&query_lock);
	return 0;
}

static const struct ntpool_control poolfind_control = {
	.show = poolfind_show, .set = poolfind_set, .max = 64,
};

static int bigpool_show(struct seq_file *m, void *v)
{
	ntpool_print_bigpool(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(bigpool);

/* The allocator's own figures, one "name: value" per line, as KFENCE's. */
static int stats_show(struct seq_file *m, void *v)
{
	static const char * const names[NTPOOL_NR_POOLS] = {
		[NTPOOL_NONPAGED] = "nonpaged", [NTPOOL_PAGED] = "paged",
		[NTPOOL_EXEC_SLOT] = "nonpaged exec",
	};
	unsigned int i;

	for (i = 0; i < NTPOOL_NR_POOLS; i++) {
		struct ntpool_pool *pool = &ntpool_pools[i];
		const char *name = names[i];

		seq_printf(m, "%s small pages: %ld\n", name,
			   atomic_long_read(&pool->nr_small_pages));
		seq_printf(m, "%s empty pages kept: %u\n", name,
			   READ_ONCE(pool->nr_empty));
		seq_printf(m, "%s big pages: %ld\n", name,
			   atomic_long_read(&pool->nr_big_pages));
		seq_printf(m, "%s big pages kept for reuse: %lu\n", name,
			   READ_ONCE(pool->kept_big_pages));
		seq_printf(m, "%s quarantined blocks: %ld\n", name,
			   atomic_long_read(&pool->nr_quarantined));
	}
	seq_printf(m, "per-CPU cached blocks: %lu\n", ntpool_pcp_count());
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(stats);

/**
 * ntpool_debugfs_pool() - create "pool", "poolfind", "bigpool" and "stats"
 * @dir: ntpool's debugfs directory
 */
void ntpool_debugfs_pool(struct dentry *dir)
{
	ntpool_debugfs_control("pool", 0600, dir, &pool_control);
	ntpool_debugfs_control("poolfind", 0600, dir, &poolfind_control);
	debugfs_create_file("bigpool", 0400, dir, NULL, &bigpool_fops);
	debugfs_create_file("stats", 0444, dir, NULL, &stats_fops);
}
