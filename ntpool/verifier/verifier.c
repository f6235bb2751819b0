// SPDX-License-Identifier: GPL-2.0
/*
 * Driver Verifier's Pool Tracking.
 *
 * Which modules are verified is the verify_drivers setting
 * (accounting/verify_drivers.c).  A verified module gets Pool Tracking:
 * each of its allocations is recorded (address, length, tag, caller; with
 * ":full" also the allocation stack) in a table keyed by address, so that
 * leaks and !verifier can name the call site.  Cost, per allocation of a
 * verified module: one small kmalloc and a hash-list insert (and removal
 * at free); with ":full" also a stack trace.  Unverified modules pay
 * nothing beyond their counters.
 *
 * The leak check when a module unloads (core/leaks.c) finds a block of a
 * module on the shared id by its record here.
 */
#define pr_fmt(fmt) "ntpool: " fmt

#include <linux/hashtable.h>
#include <linux/slab.h>
#include <linux/stacktrace.h>
#include <linux/string.h>
#include "report/alloc_log.h"
#include "base/leak.h"
#include "report/report.h"
#include "accounting/tags.h"
#include "verifier/verifier.h"

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

/**
 * ntpool_verifier_claim() - take the record of a block of @owner away
 * @p: the block
 * @owner: the module on the shared id it must belong to
 *
 * Nothing else frees the block meanwhile without a report.
 *
 * Return: false if the record is not there (or not @owner's).
 */
bool ntpool_verifier_claim(const void *p, struct ntpool_client *owner)
{
	return take_record((unsigned long)p, true, owner, 0);
}

/**
 * ntpool_verifier_owner() - the module on the shared id that owns a
 *	tracked block
 * @p: the block
 *
 * Return: the module's record, or NULL.
 */
struct ntpool_client *ntpool_verifier_owner(const void *p)
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

/**
 * ntpool_verifier_callers() - the call sites the records of a client hold
 * @id: the client's id
 * @owner: the module on the shared id, or NULL for a client of its own id
 * @add: called with each call site; returns false to stop
 * @arg: for @add
 *
 * Records made or dropped meanwhile may or may not be seen.  Sleeps.
 *
 * Return: false if @add stopped the walk.
 */
bool ntpool_verifier_callers(u8 id, struct ntpool_client *owner,
			     bool (*add)(void *arg, unsigned long ip),
			     void *arg)
{
	struct ntpool_track *t;
	unsigned int bkt;
	bool more = true;

	for (bkt = 0; more && bkt < HASH_SIZE(track_table); bkt++) {
		rcu_read_lock();
		hlist_for_each_entry_rcu(t, &track_table[bkt], node) {
			if (t->client != id || t->owner != owner)
				continue;
			more = add(arg, t->caller);
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
 * ntpool_verifier_init() - set up Pool Tracking
 *
 * Return: 0 or a negative errno.
 */
int ntpool_verifier_init(void)
{
	return 0;
}

/**
 * ntpool_verifier_exit() - drop every record (main.c then drops the
 *	verify_drivers setting)
 */
void ntpool_verifier_exit(void)
{
	struct ntpool_track *t;
	struct hlist_node *next;
	unsigned int bkt;

	hash_for_each_safe(track_table, bkt, next, t, node)
		kfree(t);
	hash_init(track_table);
}
