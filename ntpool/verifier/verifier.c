// SPDX-License-Identifier: GPL-2.0
/*
 * Driver Verifier for ntpool clients.
 *
 * Which modules are verified: verify_drivers (module parameter and debugfs
 * file) holds module names, or "*", each optionally ":full"; "none" clears
 * it.  A verified module gets Pool Tracking: each of its allocations is
 * recorded (address, length, tag, caller; with ":full" also the allocation
 * stack) in a table keyed by address, so that leaks and !verifier can name
 * the call site.  Cost, per allocation of a verified module: one small
 * kmalloc and a hash-list insert (and removal at free); with ":full" also a
 * stack trace.  Unverified modules pay nothing beyond their counters.
 *
 * Every module, verified or not, gets the leak check when it unloads: if it
 * left blocks allocated, bugcheck 0xC4/0x62 is reported with the leaked
 * blocks, which stay allocated (something may still point at them) and
 * stay listed under the unloaded module until "release" frees them.
 */
#define pr_fmt(fmt) "ntpool: " fmt

#include <linux/ctype.h>
#include <linux/hashtable.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/stacktrace.h>
#include <linux/string.h>
#include "report/alloc_log.h"
#include "report/json.h"
#include "base/leak.h"
#include "report/report.h"
#include "accounting/tags.h"
#include "verifier/verifier.h"
#include "core/walk.h"

/* ---- which modules are verified ------------------------------------- */

#define VERIFY_MAX_ENTRIES	32

struct verify_entry {
	char name[MODULE_NAME_LEN];
	enum ntpool_verify level;
};

struct verify_list {
	struct rcu_head rcu;
	unsigned int n;
	struct verify_entry e[VERIFY_MAX_ENTRIES];
};

static struct verify_list __rcu *verify_list;
/* Set once a block was ever tracked: read by ntpool_verifier_untrack(). */
DEFINE_STATIC_KEY_FALSE(ntpool_tracking_used);
static DEFINE_MUTEX(verify_lock);

/**
 * ntpool_verify_level_for() - how closely to watch a module
 * @name: the module's name
 *
 * Return: the level verify_drivers gives it.  Any context.
 */
enum ntpool_verify ntpool_verify_level_for(const char *name)
{
	enum ntpool_verify level = NTPOOL_VERIFY_NONE;
	struct verify_list *l;
	unsigned int i;

	rcu_read_lock();
	l = rcu_dereference(verify_list);
	for (i = 0; l && i < l->n; i++)
		if (!strcmp(l->e[i].name, "*") || !strcmp(l->e[i].name, name))
			level = max(level, l->e[i].level);
	rcu_read_unlock();
	return level;
}

static int parse_entry(char *word, struct verify_entry *e)
{
	char *level = strchr(word, ':');

	e->level = NTPOOL_VERIFY_TRACK;
	if (level) {
		*level++ = '\0';
		if (strcmp(level, "full"))
			return -EINVAL;
		e->level = NTPOOL_VERIFY_FULL;
	}
	if (!*word || strlen(word) >= sizeof(e->name))
		return -EINVAL;
	for (level = word; *level; level++)
		if (!isalnum(*level) && *level != '_' && *level != '-' &&
		    strcmp(word, "*"))
			return -EINVAL;
	strscpy(e->name, word, sizeof(e->name));
	return 0;
}

static int parse_list(char *text, struct verify_list *l)
{
	char *word;

	text = strim(text);
	if (!strcmp(text, "none"))
		return 0;
	while ((word = strsep(&text, " \t\n,"))) {
		if (!*word)
			continue;
		if (l->n == VERIFY_MAX_ENTRIES || parse_entry(word, &l->e[l->n]))
			return -EINVAL;
		l->n++;
	}
	return l->n ? 0 : -EINVAL;
}

/**
 * ntpool_verify_set() - replace the verify_drivers setting
 * @text: names or "*", each optionally ":full", separated by blanks or
 *	commas; or "none"
 *
 * Return: 0, or -EINVAL (setting unchanged) if @text does not parse.
 */
int ntpool_verify_set(const char *text)
{
	struct verify_list *l = kzalloc(sizeof(*l), GFP_KERNEL), *old;
	char *copy = kstrdup(text, GFP_KERNEL);
	int err = -ENOMEM;

	if (l && copy)
		err = parse_list(copy, l);
	kfree(copy);
	if (err) {
		kfree(l);
		return err;
	}
	mutex_lock(&verify_lock);
	old = rcu_replace_pointer(verify_list, l, lockdep_is_held(&verify_lock));
	/* Once on, for good: records may outlive the setting. */
	if (l->n)
		static_branch_enable(&ntpool_tracking_used);
	mutex_unlock(&verify_lock);
	if (old)
		kfree_rcu(old, rcu);
	/* Without memory for it, Pool Tracking goes on without its log. */
	if (l->n)
		ntpool_alloc_log_start();
	ntpool_verify_update();
	return 0;
}

/**
 * ntpool_verify_show() - print the verify_drivers setting
 * @m: where to
 */
void ntpool_verify_show(struct seq_file *m)
{
	struct verify_list *l;
	unsigned int i;

	rcu_read_lock();
	l = rcu_dereference(verify_list);
	for (i = 0; l && i < l->n; i++)
		seq_printf(m, "%s%s%s", i ? " " : "", l->e[i].name,
			   l->e[i].level == NTPOOL_VERIFY_FULL ? ":full" : "");
	if (!l || !l->n)
		seq_puts(m, "none");
	rcu_read_unlock();
	seq_putc(m, '\n');
}

static int verify_param_set(const char *val, const struct kernel_param *kp)
{
	return ntpool_verify_set(val);
}

static int verify_param_get(char *buf, const struct kernel_param *kp)
{
	struct verify_list *l;
	int len = 0;
	unsigned int i;

	rcu_read_lock();
	l = rcu_dereference(verify_list);
	for (i = 0; l && i < l->n; i++)
		len += sysfs_emit_at(buf, len, "%s%s%s", i ? " " : "",
				     l->e[i].name,
				     l->e[i].level == NTPOOL_VERIFY_FULL ? ":full" : "");
	rcu_read_unlock();
	return len + sysfs_emit_at(buf, len, "%s\n", len ? "" : "none");
}

static const struct kernel_param_ops verify_param_ops = {
	.set = verify_param_set,
	.get = verify_param_get,
};
module_param_cb(verify_drivers, &verify_param_ops, NULL, 0644);
MODULE_PARM_DESC(verify_drivers,
		 "Modules under Pool Tracking: names or *, each optionally :full (with stacks); none");

/* ---- Pool Tracking -------------------------------------------------- */

/*
 * Records by block address, in a hash table of RCU lists whose lock is
 * taken with interrupts saved: records are made and dropped from any
 * context, hard interrupts included, and looked up under RCU.  Adding or
 * dropping a record allocates nothing beyond the record.  The table does
 * not grow: past about 10^5 live tracked blocks its chains get long.
 */
#define TRACK_HASH_BITS	13
static DEFINE_HASHTABLE(track_table, TRACK_HASH_BITS);
static DEFINE_SPINLOCK(track_lock);

/* The record of the block at @addr, or NULL; under RCU or track_lock. */
static struct ntpool_track *track_find(unsigned long addr)
{
	struct ntpool_track *t;

	hash_for_each_possible_rcu(track_table, t, node, addr,
				   lockdep_is_held(&track_lock))
		if (t->addr == addr)
			return t;
	return NULL;
}

/* Add @t unless its block has a record already. */
static bool track_insert(struct ntpool_track *t)
{
	unsigned long flags;
	bool added = false;

	spin_lock_irqsave(&track_lock, flags);
	if (!track_find(t->addr)) {
		hash_add_rcu(track_table, &t->node, t->addr);
		added = true;
	}
	spin_unlock_irqrestore(&track_lock, flags);
	return added;
}

/* Some module shares id 0: its blocks are tracked, whatever the setting. */
bool ntpool_track_shared;

/**
 * ntpool_verifier_track_shared() - a module now shares id 0
 *
 * From now on every free looks for a tracking record, as records of such
 * a module are what tells its blocks apart.
 */
void ntpool_verifier_track_shared(void)
{
	WRITE_ONCE(ntpool_track_shared, true);
}

/* The block a record is about, as the allocate/free log takes it. */
static struct ntpool_logged_block logged(const struct ntpool_track *t)
{
	return (struct ntpool_logged_block) {
		.addr = t->addr, .size = t->size, .tag = t->tag, .kind = t->kind,
	};
}

/* The module on the shared id a block of id 0 is allocated for, if any. */
static struct ntpool_client *shared_owner(u8 id,
					  const struct ntpool_request *req)
{
	struct ntpool_client *o;

	if (id != NTPOOL_SHARED_CLIENT)
		return NULL;
	o = ntpool_client_of(req->caller.module);
	return ntpool_client_on_shared_id(o) ? o : NULL;
}

/**
 * ntpool_verifier_track() - record an allocation of a verified module
 * @c: the client
 * @id: its id
 * @p: the block
 * @req: the request
 *
 * A record that cannot be made is counted as untracked.
 */
void ntpool_verifier_track(struct ntpool_client *c, u8 id, void *p,
			   const struct ntpool_request *req)
{
	struct ntpool_client *owner = shared_owner(id, req);
	bool full = READ_ONCE((owner ? owner : c)->verify) == NTPOOL_VERIFY_FULL;
	struct ntpool_logged_block block;
	struct ntpool_track *t;

	t = kmalloc(struct_size(t, frames, full ? NTPOOL_TRACK_FRAMES : 0),
		    ntpool_gfp(req) & ~__GFP_ZERO);
	if (!t)
		goto untracked;
	ntpool_leak_ignore(t);
	*t = (struct ntpool_track) {
		.addr = (unsigned long)p, .size = req->size, .tag = req->tag,
		.kind = req->kind, .client = id, .owner = owner,
		.caller = req->caller.ip,
	};
	if (full)
		t->nr_frames = stack_trace_save(t->frames, NTPOOL_TRACK_FRAMES, 2);
	/* Now: once inserted, the block and its record may go at once. */
	block = logged(t);
	ntpool_alloc_log_add(&block, false, (owner ? owner : c)->name, t->caller,
			     full ? t->frames : NULL, t->nr_frames);
	/* Counted first: the block may be freed as soon as it is inserted. */
	if (owner)
		atomic_long_inc(&owner->tracked);
	if (track_insert(t))
		return;
	if (owner)
		atomic_long_dec(&owner->tracked);
	kfree(t);
untracked:
	ntpool_client_count(owner ? owner : c, NTPOOL_VC_UNTRACKED);
}

/* A record is gone: its owner on the shared id has one block less. */
static void drop_record(struct ntpool_track *t)
{
	struct ntpool_client *o = t->owner;

	kfree_rcu(t, rcu);
	if (o && !atomic_long_dec_return(&o->tracked) && !READ_ONCE(o->loaded))
		ntpool_clients_reap();
}

/*
 * A client freed a tracked block at @ip: the allocate/free log has it,
 * with the stack when Pool Tracking keeps stacks (the walk is what a
 * tracked free would cost most).
 */
static void log_free(const struct ntpool_track *t, unsigned long ip)
{
	struct ntpool_logged_block block = logged(t);
	unsigned long frames[NTPOOL_TRACK_FRAMES];
	unsigned int nr = 0;
	const char *module = t->owner ? t->owner->name :
			     ntpool_client_name(t->client);

	if (t->nr_frames)
		nr = ntpool_stack_save(frames, ARRAY_SIZE(frames));
	ntpool_alloc_log_add(&block, true, module, ip, nr ? frames : NULL, nr);
}

/*
 * Drop the record of the block at @addr, if there is one (and, when
 * @check_owner, if it is @owner's).  Returns whether one was dropped.
 */
static bool take_record(unsigned long addr, bool check_owner,
			struct ntpool_client *owner, unsigned long ip)
{
	struct ntpool_track *t;
	unsigned long flags;
	bool maybe;

	/*
	 * Most frees have no record: they look without the table's lock
	 * (records are freed after a grace period), and only lock to take
	 * one.  A record is added before its block is handed out, so a free
	 * of that block cannot miss it.
	 */
	rcu_read_lock();
	maybe = !!track_find(addr);
	rcu_read_unlock();
	if (!maybe)
		return false;
	spin_lock_irqsave(&track_lock, flags);
	t = track_find(addr);
	if (t && (!check_owner || t->owner == owner))
		hash_del_rcu(&t->node);
	else
		t = NULL;
	spin_unlock_irqrestore(&track_lock, flags);
	if (!t)
		return false;
	if (!check_owner)
		log_free(t, ip);
	drop_record(t);
	return true;
}

/**
 * __ntpool_verifier_untrack() - ntpool_verifier_untrack() once blocks were
 *	tracked
 * @p: the block
 * @ip: the call site that frees it
 */
void __ntpool_verifier_untrack(void *p, unsigned long ip)
{
	take_record((unsigned long)p, false, NULL, ip);
}

/*
 * Take the record of a block of @owner away, so that nothing else frees
 * the block meanwhile without a report.  Returns false if it is not there.
 */
static bool claim_record(unsigned long addr, struct ntpool_client *owner)
{
	return take_record(addr, true, owner, 0);
}

/* The module on the shared id that owns a tracked block, or NULL. */
static struct ntpool_client *record_owner(const void *p)
{
	unsigned long addr = (unsigned long)p;
	struct ntpool_client *o = NULL;
	struct ntpool_track *t;

	rcu_read_lock();
	t = track_find(addr);
	if (t)
		o = t->owner;
	rcu_read_unlock();
	return o;
}

/**
 * ntpool_verifier_caller() - the call site Pool Tracking recorded
 * @p: the block
 * @caller: set to the call site when known
 * @nr_frames: if not NULL, set to the number of stack frames recorded
 *
 * Return: true if @p is tracked.
 */
bool ntpool_verifier_caller(const void *p, unsigned long *caller,
			    unsigned int *nr_frames)
{
	unsigned long addr = (unsigned long)p;
	struct ntpool_track *t;
	bool found;

	rcu_read_lock();
	t = track_find(addr);
	found = !!t;
	if (found) {
		*caller = t->caller;
		if (nr_frames)
			*nr_frames = t->nr_frames;
	}
	rcu_read_unlock();
	return found;
}

/* ---- the leak check at unload --------------------------------------- */

/* Rows of the leak table printed to the console; verifier has them all. */
#define LEAK_ROWS_SHOWN		32

/**
 * ntpool_format_allocation() - one row of !verifier's allocation table
 * @buf: NTPOOL_ROW_TEXT bytes
 * @c: the client whose block it is
 * @addr: the block
 * @size: bytes requested
 * @tag: its tag
 * @caller: the call site, or 0 if not known
 *
 * The call site is named by the name kept for it (callsite.c), or by
 * kallsyms while its code is there; an address that cannot be named is
 * printed once.
 */
void ntpool_format_allocation(char *buf, const struct ntpool_client *c,
			      const void *addr, size_t size, u32 tag,
			      unsigned long caller)
{
	char text[NTPOOL_TAG_TEXT];
	const char *name;
	int len;

	ntpool_tag_text(tag, text);
	len = snprintf(buf, NTPOOL_ROW_TEXT, "0x%016lx  0x%08zx  %-4s  ",
		       (unsigned long)addr, size, text);
	if (!caller) {
		snprintf(buf + len, NTPOOL_ROW_TEXT - len, "(not tracked)");
		return;
	}
	rcu_read_lock();
	name = ntpool_caller_name(c, caller);
	if (!name)
		snprintf(buf + len, NTPOOL_ROW_TEXT - len, "0x%016lx  %pS",
			 caller, (void *)caller);
	else if (*name)
		snprintf(buf + len, NTPOOL_ROW_TEXT - len, "0x%016lx  %s",
			 caller, name);
	else
		snprintf(buf + len, NTPOOL_ROW_TEXT - len, "0x%016lx", caller);
	rcu_read_unlock();
}

struct leak_walk {
	const struct ntpool_client *c;
	u8 id;
	struct ntpool_client *owner;	/* a module on the shared id, or NULL */
	unsigned long seen;
	struct seq_file *m;	/* NULL: print to the console */
};

/* Is this block the client's?  Blocks of id 0 are told by their records. */
static bool walk_owns(const struct leak_walk *w, const struct ntpool_block_info *b)
{
	return b->client == w->id && (!w->owner || record_owner(b->addr) == w->owner);
}

static bool print_leak_row(const struct ntpool_block_info *b, void *arg)
{
	struct leak_walk *w = arg;
	unsigned long caller = b->caller;
	char row[NTPOOL_ROW_TEXT];

	if (!walk_owns(w, b))
		return true;
	if (!caller)
		ntpool_verifier_caller(b->addr, &caller, NULL);
	if (w->m || w->seen < LEAK_ROWS_SHOWN) {
		ntpool_format_allocation(row, w->c, b->addr, b->size, b->tag,
					 caller);
		if (w->m)
			seq_printf(w->m, "      %s\n", row);
		else
			pr_err("  %s\n", row);
	}
	w->seen++;
	return true;
}

static void print_table_head(struct seq_file *m)
{
	static const char * const head[] = {
		"Address             Length      Tag   Caller",
		"------------------  ----------  ----  ----------",
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(head); i++) {
		if (m)
			seq_printf(m, "      %s\n", head[i]);
		else
			pr_err("  %s\n", head[i]);
	}
}

static struct ntpool_client *walk_owner(struct ntpool_client *c)
{
	return ntpool_client_on_shared_id(c) ? c : NULL;
}

/* ---- naming call sites while their code exists --------------------- */

/* Call sites collected per walk of the records and big-pool tables. */
#define NAME_BATCH	64

struct name_walk {
	const struct ntpool_callsite_scope *scope;
	u8 id;
	struct ntpool_client *owner;	/* a module on the shared id, or NULL */
	const struct ntpool_callsites *known;	/* named in earlier rounds */
	unsigned int n;
	unsigned long ips[NAME_BATCH];
};

/* Collect @ip if it is to be named and is new; false once the batch is full. */
static bool name_walk_add(struct name_walk *w, unsigned long ip)
{
	unsigned int i;

	if (!ntpool_callsite_wanted(w->scope, ip) ||
	    ntpool_callsite_find(w->known, ip))
		return true;
	for (i = 0; i < w->n; i++)
		if (w->ips[i] == ip)
			return true;
	w->ips[w->n++] = ip;
	return w->n < NAME_BATCH;
}

static bool collect_big_caller(const struct ntpool_block_info *b, void *arg)
{
	struct name_walk *w = arg;

	if (b->client != w->id ||
	    (w->owner && record_owner(b->addr) != w->owner))
		return true;
	return name_walk_add(w, b->caller);
}

/* Records of the client's blocks; false if the batch filled. */
static bool collect_record_callers(struct name_walk *w)
{
	struct ntpool_track *t;
	unsigned int bkt;
	bool more = true;

	/* Records made or dropped meanwhile may or may not be seen. */
	for (bkt = 0; more && bkt < HASH_SIZE(track_table); bkt++) {
		rcu_read_lock();
		hlist_for_each_entry_rcu(t, &track_table[bkt], node) {
			if (t->client != w->id || t->owner != w->owner)
				continue;
			more = name_walk_add(w, t->caller);
			if (!more)
				break;
		}
		rcu_read_unlock();
		if (bkt % 256 == 255)
			cond_resched();
	}
	return more;
}

/**
 * ntpool_verifier_name_callers() - name a client's call sites while their
 *	code exists
 * @c: the client, under ntpool_clients_lock()
 * @scope: which code is about to go
 *
 * Every call site known for a block of @c still allocated (its Pool
 * Tracking record, or its big-pool entry) that lies in the code @scope
 * names is named once, however many blocks it allocated, and the names
 * are kept with @c for its leak report and "verifier".  The new table
 * holds only the call sites of blocks allocated now, with the names kept
 * before: names of sites whose blocks were all freed go.  Sleeps.  With
 * no memory, the names kept so far stay.
 */
void ntpool_verifier_name_callers(struct ntpool_client *c,
				  const struct ntpool_callsite_scope *scope)
{
	/* Set only under the clients mutex, which the caller holds. */
	struct ntpool_callsites *old = rcu_dereference_protected(c->sites, true);
	struct ntpool_callsites *built = NULL, *next;
	struct name_walk *w = kzalloc(sizeof(*w), GFP_KERNEL);
	bool full, failed = false;
	unsigned int kind;

	if (!w)
		return;
	w->scope = scope;
	w->id = c->id;
	w->owner = walk_owner(c);
	do {
		w->n = 0;
		w->known = built;
		full = !collect_record_callers(w);
		for (kind = 0; !full && kind < NTPOOL_KINDS; kind++) {
			ntpool_walk_blocks(kind, NTPOOL_WALK_BIG,
					   collect_big_caller, w);
			full = w->n == NAME_BATCH;
		}
		if (!w->n)
			break;
		next = ntpool_callsites_add(built, old, w->ips, w->n, scope);
		kfree(built);
		built = next;
		failed = !next;
	} while (full && !failed);
	kfree(w);
	if (failed)
		return;
	rcu_assign_pointer(c->sites, built);
	kfree_rcu(old, rcu);
}

/**
 * ntpool_print_allocations() - a client's live blocks, as !verifier 3
 * @m: where to
 * @c: the client
 */
void ntpool_print_allocations(struct seq_file *m, struct ntpool_client *c)
{
	struct leak_walk w = {
		.c = c, .id = c->id, .owner = walk_owner(c), .m = m,
	};
	unsigned int kind;

	print_table_head(m);
	for (kind = 0; kind < NTPOOL_KINDS; kind++)
		ntpool_walk_blocks(kind, NTPOOL_WALK_ALL, print_leak_row, &w);
}

static void print_leak_table(const void *data)
{
	struct ntpool_client *c = (struct ntpool_client *)data;
	struct leak_walk w = { .c = c, .id = c->id, .owner = walk_owner(c) };
	unsigned int kind;

	pr_err("Pool Allocations:\n");
	print_table_head(NULL);
	for (kind = 0; kind < NTPOOL_KINDS; kind++)
		ntpool_walk_blocks(kind, NTPOOL_WALK_ALL, print_leak_row, &w);
	if (w.seen > LEAK_ROWS_SHOWN)
		pr_err("  ... and %lu more: see /sys/kernel/debug/ntpool/verifier\n",
		       w.seen - LEAK_ROWS_SHOWN);
}

/* The leak table of reports.json, collected before the report is made. */
struct leak_json {
	struct leak_walk walk;
	s64 left;
	struct ntpool_usage_stats usage;
	bool shared;
	unsigned int n;
	struct {
		const void *addr;
		size_t size;
		u32 tag;
		unsigned long caller;
	} rows[LEAK_ROWS_SHOWN];
};

static bool collect_leak_row(const struct ntpool_block_info *b, void *arg)
{
	struct leak_json *l = arg;
	unsigned long caller = b->caller;

	if (!walk_owns(&l->walk, b))
		return true;
	if (!caller)
		ntpool_verifier_caller(b->addr, &caller, NULL);
	if (l->n < LEAK_ROWS_SHOWN)
		l->rows[l->n++] = (typeof(l->rows[0])) {
			.addr = b->addr, .size = b->size, .tag = b->tag,
			.caller = caller,
		};
	l->walk.seen++;
	return true;
}

static struct leak_json *collect_leaks(struct ntpool_client *c, s64 left)
{
	struct leak_json *l = kzalloc(sizeof(*l), GFP_KERNEL);
	unsigned int kind;

	if (!l)
		return NULL;
	l->walk = (struct leak_walk) {
		.c = c, .id = c->id, .owner = walk_owner(c),
	};
	l->left = left;
	l->shared = ntpool_client_on_shared_id(c);
	ntpool_usage_read(&c->usage, &l->usage);
	for (kind = 0; kind < NTPOOL_KINDS; kind++)
		ntpool_walk_blocks(kind, NTPOOL_WALK_ALL, collect_leak_row, l);
	return l;
}

static void leak_row_json(struct ntpool_json *j, const struct leak_json *l,
			  unsigned int i)
{
	unsigned long caller = l->rows[i].caller;
	const char *name;

	ntpool_json_open(j, '{');
	ntpool_json_key(j, "address");
	ntpool_json_hex(j, (unsigned long)l->rows[i].addr);
	ntpool_json_key(j, "size");
	ntpool_json_u64(j, l->rows[i].size);
	ntpool_json_key(j, "tag");
	ntpool_json_tag(j, l->rows[i].tag);
	ntpool_json_key(j, "caller");
	rcu_read_lock();
	name = caller ? ntpool_caller_name(l->walk.c, caller) : "";
	if (!name)
		ntpool_json_symbol(j, caller);
	else
		ntpool_json_string(j, *name ? name : NULL);
	rcu_read_unlock();
	ntpool_json_key(j, "caller_address");
	if (caller)
		ntpool_json_hex(j, caller);
	else
		ntpool_json_null(j);
	ntpool_json_close(j, '}');
}

static void pool_usage_json(struct ntpool_json *j, const char *key,
			    const struct leak_json *l, enum ntpool_kind kind)
{
	ntpool_json_key(j, key);
	if (l->shared) {
		/* Counted by Pool Tracking records, not per pool. */
		ntpool_json_null(j);
		return;
	}
	ntpool_json_open(j, '{');
	ntpool_json_key(j, "allocations");
	ntpool_json_s64(j, l->usage.count[kind]);
	ntpool_json_key(j, "bytes");
	ntpool_json_s64(j, l->usage.bytes[kind]);
	ntpool_json_close(j, '}');
}

/* Room kept for what follows the table: a row stops where less is left. */
#define LEAK_JSON_RESERVE	512

/* reports.json: the leak table; under its lock, so only what was collected. */
static void leak_table_json(struct ntpool_json *j, const void *data)
{
	const struct leak_json *l = data;
	unsigned int i;

	ntpool_json_key(j, "verdict");
	ntpool_json_string(j, "leak");
	ntpool_json_key(j, "allocations");
	ntpool_json_s64(j, l->left);
	pool_usage_json(j, "nonpaged", l, NTPOOL_NONPAGED);
	pool_usage_json(j, "paged", l, NTPOOL_PAGED);
	ntpool_json_key(j, "leak_table");
	ntpool_json_open(j, '[');
	for (i = 0; i < l->n && ntpool_json_room(j) > LEAK_JSON_RESERVE; i++)
		leak_row_json(j, l, i);
	ntpool_json_close(j, ']');
	ntpool_json_key(j, "leak_table_complete");
	ntpool_json_bool(j, i == l->walk.seen);
}

/**
 * ntpool_verifier_unload() - the leak check, when a module has gone away
 * @c: the client, no longer loaded
 *
 * Runs after the module's exit routine.  Reports 0xC4/0x62 if it left
 * blocks allocated; they stay allocated and listed under the module.
 * Either way the verdict is a line of reports.json.
 */
void ntpool_verifier_unload(struct ntpool_client *c)
{
	s64 left = ntpool_client_outstanding(c);
	char note[MODULE_NAME_LEN + 4];
	struct ntpool_report_extra extra = {
		.print = print_leak_table, .data = c, .module = c->name,
	};
	struct leak_json *l;

	if (left <= 0) {
		ntpool_report_json_unload(c->name);
		return;
	}
	l = collect_leaks(c, left);
	if (l) {
		extra.json = leak_table_json;
		extra.json_data = l;
	}
	snprintf(note, sizeof(note), " (%s)", c->name);
	extra.notes[1] = note;
	ntpool_bugcheck_extra(DRIVER_VERIFIER_DETECTED_VIOLATION,
			      NTPOOL_C4_UNLOAD_LEAK, (unsigned long)c->name,
			      (unsigned long)c, left, NULL, &extra);
	kfree(l);
}

struct release_walk {
	struct leak_walk owner;
	unsigned int n;
	struct {
		void *addr;
		u32 tag;
	} blocks[64];
};

static bool collect_block(const struct ntpool_block_info *b, void *arg)
{
	struct release_walk *w = arg;

	if (walk_owns(&w->owner, b)) {
		w->blocks[w->n].addr = b->addr;
		w->blocks[w->n++].tag = b->tag;
	}
	return w->n < ARRAY_SIZE(w->blocks);
}

/*
 * Free one block found by the walk, if it is still the block found: the
 * lock was dropped since, and another caller may have freed it and got
 * the address back.  A block of a module on the shared id is first taken
 * out of Pool Tracking, which only its own record can be.
 */
static unsigned int release_block(struct release_walk *w, unsigned int i)
{
	unsigned long addr = (unsigned long)w->blocks[i].addr;

	if (w->owner.owner && !claim_record(addr, w->owner.owner))
		return 0;
	return ntpool_free_block(w->blocks[i].addr, w->blocks[i].tag,
				 w->owner.id);
}

static unsigned long release_client(struct release_walk *w,
				    struct ntpool_client *c)
{
	unsigned long freed = 0, before;
	unsigned int kind, i;

	w->owner = (struct leak_walk) {
		.c = c, .id = c->id, .owner = walk_owner(c),
	};
	for (kind = 0; kind < NTPOOL_KINDS; kind++) {
		/* Stop when a round frees nothing (corrupt blocks stay). */
		do {
			before = freed;
			w->n = 0;
			ntpool_walk_blocks(kind, NTPOOL_WALK_ALL, collect_block, w);
			for (i = 0; i < w->n; i++)
				freed += release_block(w, i);
		} while (w->n && freed > before);
	}
	return freed;
}

/**
 * ntpool_verifier_release() - free what an unloaded module left behind
 * @name: the module's name
 *
 * Each unloaded module of that name whose blocks are all freed gives its
 * id back.
 *
 * Return: the number of blocks freed; 0 if no unloaded module of that
 * name left any.
 */
unsigned long ntpool_verifier_release(const char *name)
{
	struct release_walk *w = kzalloc(sizeof(*w), GFP_KERNEL);
	struct ntpool_client *c, *next;
	char want[MODULE_NAME_LEN];
	unsigned long freed = 0;

	if (!w)
		return 0;
	/* @name may be a record's, and records go as they are retired. */
	strscpy(want, name, sizeof(want));
	ntpool_clients_lock();
	for (c = ntpool_clients_next(NULL); c; c = next) {
		next = ntpool_clients_next(c);
		if (READ_ONCE(c->loaded) || strcmp(c->name, want))
			continue;
		freed += release_client(w, c);
		ntpool_client_retire(c);
	}
	ntpool_clients_unlock();
	kfree(w);
	return freed;
}

/**
 * ntpool_verifier_init() - set up Pool Tracking
 *
 * Return: 0 or a negative errno.
 */
int ntpool_verifier_init(void)
{
	return 0;
}

/**
 * ntpool_verifier_exit() - drop every record and the setting
 */
void ntpool_verifier_exit(void)
{
	struct ntpool_track *t;
	struct hlist_node *next;
	unsigned int bkt;

	hash_for_each_safe(track_table, bkt, next, t, node)
		kfree(t);
	hash_init(track_table);
	ntpool_verify_clear();
}

/**
 * ntpool_verify_clear() - drop the verify_drivers setting and the
 *	allocate/free log (ntpool going)
 */
void ntpool_verify_clear(void)
{
	kfree(rcu_dereference_protected(verify_list, true));
	RCU_INIT_POINTER(verify_list, NULL);
	ntpool_alloc_log_exit();
}
