// SPDX-License-Identifier: GPL-2.0
/*
 * What a client module leaves behind: Driver Verifier's leak check when it
 * unloads, and the blocks it still holds.
 *
 * Every module, verified or not, gets the leak check when it unloads: if it
 * left blocks allocated, bugcheck 0xC4/0x62 is reported with the leaked
 * blocks, which stay allocated (something may still point at them) and
 * stay listed under the unloaded module until "release" frees them.  The
 * blocks are found by walking both pools (walk.c); a block of a module on
 * the shared id is told by its Pool Tracking record (verifier/verifier.c).
 * While a module's code is still there, the call sites of its blocks are
 * named, so that the report and !verifier can name them afterwards.
 */
#define pr_fmt(fmt) "ntpool: " fmt

#include <linux/module.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include "accounting/callsite.h"
#include "accounting/client.h"
#include "core/leaks.h"
#include "core/pool.h"
#include "core/walk.h"
#include "report/json.h"
#include "report/report.h"
#include "verifier/verifier.h"

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
	return b->client == w->id && (!w->owner || ntpool_verifier_owner(b->addr) == w->owner);
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
	    (w->owner && ntpool_verifier_owner(b->addr) != w->owner))
		return true;
	return name_walk_add(w, b->caller);
}

static bool collect_record_caller(void *arg, unsigned long ip)
{
	return name_walk_add(arg, ip);
}

/* Records of the client's blocks; false if the batch filled. */
static bool collect_record_callers(struct name_walk *w)
{
	return ntpool_verifier_callers(w->id, w->owner, collect_record_caller,
				       w);
}

/**
 * ntpool_leaks_name_callers() - name a client's call sites while their
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
void ntpool_leaks_name_callers(struct ntpool_client *c,
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
 * ntpool_leaks_check() - the leak check, when a module has gone away
 * @c: the client, no longer loaded
 *
 * Runs after the module's exit routine.  Reports 0xC4/0x62 if it left
 * blocks allocated; they stay allocated and listed under the module.
 * Either way the verdict is a line of reports.json.
 */
void ntpool_leaks_check(struct ntpool_client *c)
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
	if (w->owner.owner &&
	    !ntpool_verifier_claim(w->blocks[i].addr, w->owner.owner))
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
 * ntpool_leaks_release() - free what an unloaded module left behind
 * @name: the module's name
 *
 * Each unloaded module of that name whose blocks are all freed gives its
 * id back.
 *
 * Return: the number of blocks freed; 0 if no unloaded module of that
 * name left any.
 */
unsigned long ntpool_leaks_release(const char *name)
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
