// SPDX-License-Identifier: GPL-2.0
/*
 * Call sites, the unit ntpool counts in.
 *
 * A site is a tag used at one call site (the return address into the
 * client) of one module.  The first allocation there makes it; every
 * allocation and free of its blocks is counted in its per-CPU share, once,
 * and the share folds into the site's totals, its tag's and its module's
 * together (usage.c).  So an operation costs one counter update where a
 * tag's and a module's counters used to cost two, and `sites` can show
 * each call site's use with no cost of its own.
 *
 * Finding a site: a hash of RCU lists keyed by call site, tag and module,
 * read without locks, and a per-CPU pointer to the site used last.  Sites
 * also get a 16-bit id, kept in the PoolTagHash field of their blocks'
 * headers and in big-pool entries, so that a free finds its site in a
 * two-level table indexed by id, without a search.  Ids below
 * NTPOOL_SITES_FIRST_ID are the modules' catch-all sites (client.c): a
 * block whose site could not be made (no memory in atomic context, or the
 * limit below reached) is counted there, under the overflow tag row, and
 * still against its module.
 *
 * Locking: sites_lock (interrupts saved: sites are made in any context)
 * serialises new sites and every change of the lists of sites a tag's or a
 * module's totals read.  Sites are never freed while ntpool is loaded: a
 * stale per-CPU pointer is harmless, and a site whose module went stops
 * matching (its key is changed) and stops folding into the module's
 * totals once the module's record is retired.
 *
 * Memory: a site costs sizeof(struct ntpool_site) plus
 * sizeof(struct ntpool_usage_cpu) per possible CPU.  The number of sites
 * is capped so that their per-CPU part stays within SITES_PCPU_BUDGET.
 */
#define pr_fmt(fmt) "ntpool: " fmt

#include <linux/hash.h>
#include <linux/kallsyms.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include "accounting/client.h"
#include "accounting/sites.h"
#include "accounting/tags.h"

/* Per-CPU counter memory all sites together may use. */
#define SITES_PCPU_BUDGET	(16UL << 20)

#define SITES_HASH_BITS		10
static struct hlist_head sites_hash[1 << SITES_HASH_BITS];
static LIST_HEAD(sites_list);
static DEFINE_SPINLOCK(sites_lock);

/* Sites by id: 256 chunks of 256 pointers, a chunk allocated when needed. */
#define ID_CHUNK_SHIFT	8
#define ID_CHUNK	BIT(ID_CHUNK_SHIFT)
static struct ntpool_site **sites_by_id[(NTPOOL_MAX_SITES >> ID_CHUNK_SHIFT) + 1];
static unsigned int next_id = NTPOOL_SITES_FIRST_ID;
static unsigned int max_id = NTPOOL_MAX_SITES;

/* The site this CPU used last: ntpool_site_find() (sites.h) looks there. */
DEFINE_PER_CPU(struct ntpool_site *, ntpool_last_site);

static struct hlist_head *bucket(unsigned long ip, u32 tag,
				 struct module *key)
{
	return &sites_hash[hash_long(ip ^ tag ^ (unsigned long)key,
				     SITES_HASH_BITS)];
}

/**
 * __ntpool_site_find() - ntpool_site_find() when the site is not this
 *	CPU's last one
 * @ip: the call site
 * @tag: the tag, PROTECTED_POOL bit stripped
 * @key: the calling module's key
 *
 * Return: the site, or NULL.
 */
struct ntpool_site *__ntpool_site_find(unsigned long ip, u32 tag,
				       struct module *key)
{
	struct ntpool_site *s;

	rcu_read_lock();
	hlist_for_each_entry_rcu(s, bucket(ip, tag, key), hash)
		if (s->ip == ip && s->tag == tag && READ_ONCE(s->key) == key) {
			this_cpu_write(ntpool_last_site, s);
			break;
		}
	rcu_read_unlock();
	return s;
}

/**
 * ntpool_site_by_id() - the site whose id a header or big-pool entry holds
 * @id: the id
 *
 * Return: the site; for an id not in use, the shared record's catch-all.
 */
struct ntpool_site *ntpool_site_by_id(u16 id)
{
	struct ntpool_site **chunk, *s = NULL;

	if (id < NTPOOL_SITES_FIRST_ID)
		return &ntpool_client(id)->catchall;
	/* Pairs with publish(): a chunk or site found is complete. */
	chunk = smp_load_acquire(&sites_by_id[id >> ID_CHUNK_SHIFT]);
	if (chunk)
		/* Pairs with publish(), as above. */
		s = smp_load_acquire(&chunk[id & (ID_CHUNK - 1)]);
	return s ? s : &ntpool_shared_record->catchall;
}

/* The chunk of sites_by_id that will hold @id, allocated if needed. */
static struct ntpool_site **id_chunk(unsigned int id)
{
	struct ntpool_site **chunk = sites_by_id[id >> ID_CHUNK_SHIFT];

	if (chunk)
		return chunk;
	chunk = kcalloc(ID_CHUNK, sizeof(*chunk), GFP_ATOMIC | __GFP_NOWARN);
	if (chunk)
		/* Readers find the chunk only once it is zeroed. */
		smp_store_release(&sites_by_id[id >> ID_CHUNK_SHIFT], chunk);
	return chunk;
}

/*
 * The totals a module's blocks count in: its own, or the shared id's for a
 * module on id 0 (not found by id: a new record's is not published yet).
 */
static struct ntpool_usage *client_totals(struct ntpool_client *c)
{
	return c->id == NTPOOL_SHARED_CLIENT ? &ntpool_shared_record->usage :
					       &c->usage;
}

static void free_site(struct ntpool_site *s)
{
	ntpool_usage_destroy(&s->usage);
	kfree(s);
}

static struct ntpool_site *new_site(u32 tag, unsigned long ip,
				    struct ntpool_client *c,
				    struct ntpool_tag *row, gfp_t gfp)
{
	struct ntpool_site *s = kzalloc(sizeof(*s), gfp);

	if (!s)
		return NULL;
	if (ntpool_usage_init(&s->usage, gfp)) {
		kfree(s);
		return NULL;
	}
	s->ip = ip;
	s->key = c->module;
	s->tag = tag;
	s->client = c->id;
	s->row = row;
	s->owner = c;
	strscpy(s->module, c->name, sizeof(s->module));
	return s;
}

/* Make @s one of its tag's and its module's; sites_lock held. */
static void adopt(struct ntpool_site *s)
{
	ntpool_usage_adopt(&s->row->usage, &s->usage);
	ntpool_usage_adopt(client_totals(s->owner), &s->usage);
}

/*
 * Publish a new site; returns the site that won, or NULL if @s could not
 * take an id.  Whatever can fail is done before the site becomes visible.
 */
static struct ntpool_site *publish(struct ntpool_site *s)
{
	struct ntpool_site *old, **chunk;
	unsigned long flags;
	unsigned int id;

	spin_lock_irqsave(&sites_lock, flags);
	old = __ntpool_site_find(s->ip, s->tag, s->key);
	/*
	 * A stray call racing its module's unload makes no site: after
	 * ntpool_sites_module_gone(), it would never be marked gone.
	 */
	if (old || !READ_ONCE(s->owner->loaded))
		goto out;
	id = next_id;
	chunk = id <= max_id ? id_chunk(id) : NULL;
	if (!chunk)
		goto out;
	s->id = id;
	adopt(s);
	ntpool_tag_note_owner(s->row, s->client);
	list_add_tail_rcu(&s->link, &sites_list);
	hlist_add_head_rcu(&s->hash, bucket(s->ip, s->tag, s->key));
	/* Readers find the site by id only once it is complete. */
	smp_store_release(&chunk[id & (ID_CHUNK - 1)], s);
	/* Pairs with ntpool_sites_next(): ids below next_id are set. */
	smp_store_release(&next_id, id + 1);
	old = s;
out:
	spin_unlock_irqrestore(&sites_lock, flags);
	if (old != s)
		free_site(s);
	return old;
}

/**
 * ntpool_site_get() - the site of a tag at a call site, made if new
 * @tag: the tag, PROTECTED_POOL bit stripped
 * @ip: the call site
 * @c: the calling module's record (its own, on the shared id too)
 * @gfp: how to allocate a new site
 *
 * Any context: hard interrupts and interrupts off included.
 *
 * Return: the site; @c's catch-all when a new one cannot be made.
 */
struct ntpool_site *ntpool_site_get(u32 tag, unsigned long ip,
				    struct ntpool_client *c, gfp_t gfp)
{
	struct ntpool_site *s = ntpool_site_find(ip, tag, c->module);
	struct ntpool_tag *row;

	if (likely(s))
		return s;
	if (READ_ONCE(next_id) > max_id)
		goto catchall;
	row = ntpool_tag_get(tag, gfp);
	if (ntpool_tag_is_overflow(row))
		goto catchall;
	s = new_site(tag, ip, c, row, gfp & ~__GFP_ZERO);
	s = s ? publish(s) : NULL;
	if (s)
		return s;
catchall:
	return &ntpool_client(c->id)->catchall;
}

/**
 * ntpool_site_init_catchall() - set up a module's catch-all site
 * @s: the site, in @c's record, zeroed
 * @c: the record, its name set
 * @gfp: how to allocate its per-CPU shares
 *
 * Return: 0 or -ENOMEM.
 */
int ntpool_site_init_catchall(struct ntpool_site *s, struct ntpool_client *c,
			      gfp_t gfp)
{
	s->owner = c;
	s->row = ntpool_tag_overflow_row();
	s->key = NTPOOL_SITE_KEY_GONE;
	strscpy(s->module, c->name, sizeof(s->module));
	INIT_LIST_HEAD(&s->link);
	return ntpool_usage_init(&s->usage, gfp);
}

/**
 * ntpool_site_adopt_catchall() - count a catch-all site in its totals
 * @s: the site, its module's id now given (it is the site's id)
 *
 * Any context.
 */
void ntpool_site_adopt_catchall(struct ntpool_site *s)
{
	unsigned long flags;

	s->id = s->owner->id;
	s->client = s->owner->id;
	spin_lock_irqsave(&sites_lock, flags);
	adopt(s);
	spin_unlock_irqrestore(&sites_lock, flags);
}

/*
 * Stop @s folding into the totals @total, which are about to go, if they
 * are its parent; sites_lock held.
 */
static void disown_from(struct ntpool_site *s, struct ntpool_usage *total)
{
	if (s->usage.parent[total->slot] == total)
		ntpool_usage_disown(total, &s->usage);
}

/**
 * ntpool_site_destroy_catchall() - a retired module's catch-all site goes
 * @s: the site, nothing counting in it any more
 *
 * What it holds goes into the overflow row's totals, and it stops folding
 * into them and into its module's.
 */
void ntpool_site_destroy_catchall(struct ntpool_site *s)
{
	unsigned long flags;

	ntpool_usage_drain(&s->usage);
	spin_lock_irqsave(&sites_lock, flags);
	disown_from(s, &s->row->usage);
	disown_from(s, client_totals(s->owner));
	spin_unlock_irqrestore(&sites_lock, flags);
	/*
	 * Its shares are freed with the record, a grace period on: a free
	 * that names its id (a replayed header) counts there harmlessly.
	 */
}

/*
 * Call @fn(@s, @c) for every site @c owns, under sites_lock one site at a
 * time: interrupts stay off for one site, not for the whole list.  Sites
 * are never removed from the list, so it is walked without holding the
 * lock or RCU between sites.  The empty critical section first orders the
 * walk after every site made before it, and every site made after it
 * after what the caller changed before (a module's loaded flag: publish()
 * then refuses).  Process context.
 */
typedef void (*site_fn)(struct ntpool_site *s, struct ntpool_client *c);

static void walk_sites_of(struct ntpool_client *c, site_fn fn)
{
	struct ntpool_site *s;
	unsigned long flags;

	spin_lock_irqsave(&sites_lock, flags);
	spin_unlock_irqrestore(&sites_lock, flags);
	for (s = ntpool_sites_next(NULL); s; s = ntpool_sites_next(s)) {
		if (READ_ONCE(s->owner) != c)
			continue;
		spin_lock_irqsave(&sites_lock, flags);
		if (s->owner == c)
			fn(s, c);
		spin_unlock_irqrestore(&sites_lock, flags);
		cond_resched();
	}
}

/* A gone module's site stops matching its key; sites_lock held. */
static void site_gone(struct ntpool_site *s, struct ntpool_client *c)
{
	if (s->key == NTPOOL_SITE_KEY_GONE)
		return;
	hlist_del_init_rcu(&s->hash);
	WRITE_ONCE(s->key, NTPOOL_SITE_KEY_GONE);
}

/**
 * ntpool_sites_module_gone() - a module's sites stop matching its key
 * @c: the module's record, marked unloaded
 *
 * Process context.  A module loaded later at the same address gets sites
 * of its own.
 */
void ntpool_sites_module_gone(struct ntpool_client *c)
{
	walk_sites_of(c, site_gone);
}

/*
 * The name of a site's call site, while its code exists, kept: kallsyms'
 * "func+off/size [mod]", cut to NTPOOL_SITE_NAME_LEN.
 */
static const char *call_site_name(unsigned long ip)
{
	char sym[KSYM_SYMBOL_LEN];

	sprint_symbol(sym, ip);
	return kstrndup(sym, NTPOOL_SITE_NAME_LEN - 1, GFP_KERNEL);
}

/**
 * ntpool_sites_name() - name a module's call sites while their code exists
 * @c: the module's record
 * @scope: which code is about to go
 *
 * Process context.  Each site in that code gets its name once.
 */
void ntpool_sites_name(struct ntpool_client *c,
		       const struct ntpool_callsite_scope *scope)
{
	struct ntpool_site *s;

	/* Sites are never removed: the list can be walked under RCU. */
	for (s = ntpool_sites_next(NULL); s; s = ntpool_sites_next(s)) {
		const char *name;

		if (READ_ONCE(s->owner) != c || READ_ONCE(s->name) ||
		    !ntpool_callsite_wanted(scope, s->ip))
			continue;
		name = call_site_name(s->ip);
		/* Only this, under the clients mutex, sets a name. */
		if (name)
			/* Pairs with ntpool_site_caller_text(). */
			smp_store_release(&s->name, name);
	}
}

/* A retired record's site stops folding into its totals; sites_lock held. */
static void site_retired(struct ntpool_site *s, struct ntpool_client *c)
{
	disown_from(s, &c->usage);
	WRITE_ONCE(s->owner, NULL);
}

/**
 * ntpool_sites_client_retired() - a module's record is about to be freed
 * @c: the record, nothing of its module outstanding
 *
 * Process context.  Its sites stay, with their counts, for their tags and
 * for `sites`; they no longer fold into its totals.  The caller waits for
 * a grace period before freeing @c.
 */
void ntpool_sites_client_retired(struct ntpool_client *c)
{
	ntpool_sites_module_gone(c);
	walk_sites_of(c, site_retired);
}

/**
 * ntpool_site_read() - sum a site's counters over all CPUs
 * @s: the site
 * @st: the sums
 */
void ntpool_site_read(struct ntpool_site *s, struct ntpool_usage_stats *st)
{
	ntpool_usage_read(&s->usage, st);
}

/**
 * ntpool_sites_next() - the site made after @s
 * @s: a site, or NULL for the first
 *
 * Any context; sites are never removed from the list.
 *
 * Return: the next site, or NULL at the end.
 */
struct ntpool_site *ntpool_sites_next(struct ntpool_site *s)
{
	struct list_head *pos = s ? &s->link : &sites_list;
	struct ntpool_site *next;

	rcu_read_lock();
	next = list_next_or_null_rcu(&sites_list, pos, struct ntpool_site,
				     link);
	rcu_read_unlock();
	return next;
}

/**
 * ntpool_site_caller_text() - a site's call site as the views show it
 * @s: the site
 * @buf: NTPOOL_SITE_NAME_LEN bytes
 */
void ntpool_site_caller_text(struct ntpool_site *s, char *buf)
{
	/* Pairs with ntpool_sites_name(). */
	const char *name = smp_load_acquire(&s->name);

	if (name)
		strscpy(buf, name, NTPOOL_SITE_NAME_LEN);
	else if (READ_ONCE(s->key) != NTPOOL_SITE_KEY_GONE)
		snprintf(buf, NTPOOL_SITE_NAME_LEN, "%pS", (void *)s->ip);
	else
		/* Its code is gone: the address may be another module's now. */
		snprintf(buf, NTPOOL_SITE_NAME_LEN, "0x%lx", s->ip);
}

static int cmp_by_call_site(const void *a, const void *b)
{
	const struct ntpool_site_stats *x = a, *y = b;
	int c = strcmp(x->module, y->module);

	if (c)
		return c;
	if (x->ip != y->ip)
		return x->ip < y->ip ? -1 : 1;
	return memcmp(&x->tag, &y->tag, sizeof(x->tag));
}

/* Tags in display (memory) order, then modules, then call sites. */
static int cmp_by_tag(const void *a, const void *b)
{
	const struct ntpool_site_stats *x = a, *y = b;
	int c = memcmp(&x->tag, &y->tag, sizeof(x->tag));

	if (c)
		return c;
	return cmp_by_call_site(a, b);
}

static bool same_call_site(const struct ntpool_site_stats *a,
			   const struct ntpool_site_stats *b)
{
	return a->ip == b->ip && !strcmp(a->module, b->module);
}

/*
 * Mark each call site that uses more than one tag (sorted by call site),
 * and each tag that more than one module uses (sorted by tag).  A module
 * loaded twice is one module: its name is compared.
 */
static void mark_many_tags(struct ntpool_site_stats *rows, size_t n)
{
	size_t i, j, k;
	bool many;

	for (i = 0; i < n; i = j) {
		many = false;
		for (j = i + 1; j < n && same_call_site(&rows[j], &rows[i]); j++)
			many |= rows[j].tag != rows[i].tag;
		for (k = i; many && k < j; k++)
			rows[k].many_tags = true;
	}
}

static void mark_many_modules(struct ntpool_site_stats *rows, size_t n)
{
	size_t i, j, k;
	bool many;

	for (i = 0; i < n; i = j) {
		many = false;
		for (j = i + 1; j < n && rows[j].tag == rows[i].tag; j++)
			many |= strcmp(rows[j].module, rows[i].module) != 0;
		for (k = i; many && k < j; k++)
			rows[k].many_modules = true;
	}
}

static bool site_used(const struct ntpool_usage_stats *u)
{
	unsigned int kind;

	for (kind = 0; kind < NTPOOL_KINDS; kind++)
		if (u->allocs[kind])
			return true;
	return false;
}

/**
 * ntpool_sites_snapshot() - every used site's sums, sorted by tag
 * @count: set to the number of rows
 *
 * Process context (names are printed with kallsyms); takes no lock that
 * allocation paths take.
 *
 * Return: a kvmalloc()ed array, or NULL.
 */
struct ntpool_site_stats *ntpool_sites_snapshot(size_t *count)
{
	/* Pairs with publish(): room for every site made so far. */
	size_t n = 0, room = smp_load_acquire(&next_id) - NTPOOL_SITES_FIRST_ID;
	struct ntpool_site_stats *rows;
	struct ntpool_site *s;

	rows = kvmalloc_array(max_t(size_t, room, 1), sizeof(*rows),
			      GFP_KERNEL | __GFP_ZERO);
	if (!rows)
		return NULL;
	for (s = ntpool_sites_next(NULL); s && n < room;
	     s = ntpool_sites_next(s)) {
		struct ntpool_site_stats *st = &rows[n];

		ntpool_site_read(s, &st->u);
		if (!site_used(&st->u))
			continue;
		st->tag = s->tag;
		st->ip = s->ip;
		strscpy(st->module, s->module, sizeof(st->module));
		ntpool_site_caller_text(s, st->caller);
		n++;
		cond_resched();
	}
	sort(rows, n, sizeof(*rows), cmp_by_call_site, NULL);
	mark_many_tags(rows, n);
	sort(rows, n, sizeof(*rows), cmp_by_tag, NULL);
	mark_many_modules(rows, n);
	*count = n;
	return rows;
}

/**
 * ntpool_sites_max() - how many sites there can be
 *
 * Return: the limit set at load from the number of possible CPUs.
 */
unsigned int ntpool_sites_max(void)
{
	return max_id - NTPOOL_SITES_FIRST_ID + 1;
}

/**
 * ntpool_sites_init() - set up the site table
 */
void ntpool_sites_init(void)
{
	unsigned long sites = SITES_PCPU_BUDGET /
		(sizeof(struct ntpool_usage_cpu) * num_possible_cpus());

	max_id = clamp_t(unsigned long, sites + NTPOOL_SITES_FIRST_ID - 1,
			 NTPOOL_SITES_FIRST_ID + ID_CHUNK, NTPOOL_MAX_SITES);
}

/**
 * ntpool_sites_exit() - drop every site (client records are gone)
 */
void ntpool_sites_exit(void)
{
	struct ntpool_site *s, *next;
	unsigned int i;
	int cpu;

	for_each_possible_cpu(cpu)
		per_cpu(ntpool_last_site, cpu) = NULL;
	list_for_each_entry_safe(s, next, &sites_list, link) {
		kfree(s->name);
		free_site(s);
	}
	INIT_LIST_HEAD(&sites_list);
	for (i = 0; i < ARRAY_SIZE(sites_hash); i++)
		INIT_HLIST_HEAD(&sites_hash[i]);
	for (i = 0; i < ARRAY_SIZE(sites_by_id); i++) {
		kfree(sites_by_id[i]);
		sites_by_id[i] = NULL;
	}
	next_id = NTPOOL_SITES_FIRST_ID;
}
