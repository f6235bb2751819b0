// SPDX-License-Identifier: GPL-2.0
/*
 * The client modules that call ntpool.
 *
 * Each module that allocates gets a record on its first call, and with it
 * a small id that goes into the PoolIndex byte of its blocks' headers and
 * into big-pool entries, so that a block names its owner however it is
 * later found.  The kernel itself (THIS_MODULE == NULL, callers built into
 * vmlinux) is a client like any other.
 *
 * Ids are 1 to 255 and are recycled: when a module goes away (after its
 * exit routine) its record is marked unloaded, keeps its name and counters
 * for what it left behind, and the verifier runs its leak check; an
 * allocation that still arrives from that module is reported (0xC4/0x61).
 * A record with nothing outstanding is retired and its id given to the
 * next module that asks; one that left blocks keeps its id until "release"
 * frees them (or until they are freed some other way, or ntpool unloads).
 *
 * Id 0 is shared.  When leaking modules hold every other id, a new module
 * still gets a record of its own, on id 0: every block it allocates gets a
 * Pool Tracking record naming it (out of band, where the module cannot
 * reach), which is what its leak check at unload, "verifier" and "release"
 * go by.  Such a module pays one small allocation per block; a block whose
 * record could not be made is counted as untracked and escapes its leak
 * check.  A module whose record cannot be allocated at all (no memory in
 * atomic context) is counted under the shared record itself, with a
 * warning: then, and only then, its blocks are not leak-checked.
 *
 * Locking: records are found by module pointer in an RCU hash, without a
 * lock; clients_lock (a spinlock, interrupts off) serialises additions and
 * changes of the hash, the id table and the list of records.  Records are
 * freed only by ntpool_client_retire(), under clients_mutex, once their
 * module is gone and nothing of theirs is outstanding, after a grace
 * period: frees count a block against its owner with preemption off or
 * under rcu_read_lock(), so the grace period waits for the last of them.
 * Readers that walk the list and sleep (debugfs, release) hold
 * clients_mutex.
 */
#define pr_fmt(fmt) "ntpool: " fmt

#include <linux/bitmap.h>
#include <linux/hashtable.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/workqueue.h>
#include "accounting/client.h"
#include "base/request.h"
#include "accounting/sites.h"
#include "accounting/tags.h"
#include "accounting/verify_drivers.h"

/* Module pointer key of a module that is gone (client.h has the kernel's). */
#define KEY_GONE	((struct module *)2UL)

#ifdef NTPOOL_BENCH
DEFINE_STATIC_KEY_FALSE(ntpool_bench_no_accounting);
u8 ntpool_bench_client;
#endif

static struct ntpool_client shared_client;
/* By id; read by ntpool_client(), inline in client.h. */
struct ntpool_client __rcu *ntpool_clients_by_id[NTPOOL_MAX_CLIENTS];
struct ntpool_client *const ntpool_shared_record = &shared_client;
static DECLARE_BITMAP(ids_used, NTPOOL_MAX_CLIENTS);
/* By module key; read by ntpool_client_lookup(), inline in client.h. */
DEFINE_HASHTABLE(ntpool_clients_by_module, NTPOOL_CLIENTS_HASH_BITS);
static LIST_HEAD(clients_list);
static DEFINE_SPINLOCK(clients_lock);
static DEFINE_MUTEX(clients_mutex);

static void reap_work_fn(struct work_struct *work);
static DECLARE_WORK(reap_work, reap_work_fn);

static void free_client(struct ntpool_client *c)
{
	/* Nobody looks it up any more: freed after a grace period, or unused. */
	kfree(rcu_dereference_protected(c->sites, true));
	free_percpu(c->vcpu);
	ntpool_usage_destroy(&c->catchall.usage);
	kfree(c);
}

static void free_client_rcu(struct rcu_head *rcu)
{
	free_client(container_of(rcu, struct ntpool_client, rcu));
}

static struct ntpool_client *new_client(const char *name, gfp_t gfp)
{
	struct ntpool_client *c = kzalloc(sizeof(*c), gfp);

	if (!c)
		return NULL;
	strscpy(c->name, name, sizeof(c->name));
	ntpool_usage_init_total(&c->usage, NTPOOL_SITE_SLOT_CLIENT);
	c->vcpu = alloc_percpu_gfp(struct ntpool_verifier_cpu, gfp);
	if (!c->vcpu || ntpool_site_init_catchall(&c->catchall, c, gfp)) {
		free_client(c);
		return NULL;
	}
	c->loaded = true;
	c->verify = ntpool_verify_level_for(name);
	INIT_HLIST_NODE(&c->hash);
	return c;
}

/* Give @c an id, or the shared one; clients_lock held. */
static void give_id(struct ntpool_client *c)
{
	unsigned int id = find_next_zero_bit(ids_used, NTPOOL_MAX_CLIENTS, 1);

	if (id < NTPOOL_MAX_CLIENTS) {
		__set_bit(id, ids_used);
		c->id = id;
		/* Its catch-all site counts before it can be found by id. */
		ntpool_site_adopt_catchall(&c->catchall);
		rcu_assign_pointer(ntpool_clients_by_id[id], c);
		return;
	}
	c->id = NTPOOL_SHARED_CLIENT;
	/* Its blocks are told apart by their tracking records: track them. */
	WRITE_ONCE(shared_client.verify,
		   max(READ_ONCE(shared_client.verify), NTPOOL_VERIFY_TRACK));
	ntpool_verifier_track_shared();
	/* Ids of modules gone meanwhile may be free to take back. */
	schedule_work(&reap_work);
}

static struct ntpool_client *add_client(struct module *mod)
{
	const char *name = mod ? module_name(mod) : "vmlinux";
	struct ntpool_client *c, *found;
	unsigned long flags;

	/* Atomic per-CPU memory is scarce: only take it when it must be. */
	c = new_client(name, ntpool_can_sleep() ? GFP_KERNEL :
						  GFP_ATOMIC | __GFP_NOWARN);
	if (!c) {
		pr_warn_ratelimited("no memory to register %s: its blocks are counted under \"%s\" and not leak-checked\n",
				    name, shared_client.name);
		return &shared_client;
	}
	c->module = ntpool_client_key(mod);
	spin_lock_irqsave(&clients_lock, flags);
	found = ntpool_client_lookup(c->module);
	if (!found) {
		give_id(c);
		/* Complete before it can be found. */
		list_add_tail_rcu(&c->link, &clients_list);
		hash_add_rcu(ntpool_clients_by_module, &c->hash, (unsigned long)c->module);
	}
	spin_unlock_irqrestore(&clients_lock, flags);
	if (found) {
		free_client(c);
		return found;
	}
	if (c->id == NTPOOL_SHARED_CLIENT)
		pr_warn("client ids all held: %s shares id 0, each of its blocks tracked\n",
			name);
	return c;
}

/**
 * ntpool_client_of() - the record of a client module, registering it if new
 * @mod: THIS_MODULE of the caller, NULL for the kernel itself
 *
 * The record lives as long as the module is loaded.
 *
 * Return: the record; the shared record only when no memory was left.
 */
struct ntpool_client *ntpool_client_of(struct module *mod)
{
	struct ntpool_client *c;

	rcu_read_lock();
	c = ntpool_client_lookup(ntpool_client_key(mod));
	rcu_read_unlock();
	return c ? c : add_client(mod);
}

/**
 * ntpool_client_id() - the id of a client module, registering it if new
 * @mod: THIS_MODULE of the caller, NULL for the kernel itself
 *
 * Return: the id its blocks carry; NTPOOL_SHARED_CLIENT for a module on
 * the shared id.
 */
u8 ntpool_client_id(struct module *mod)
{
	return ntpool_client_of(mod)->id;
}

/**
 * ntpool_client_name() - name of a client
 * @id: its id
 *
 * Return: the module name, "vmlinux" for the kernel, "shared" for id 0.
 */
const char *ntpool_client_name(u8 id)
{
	return ntpool_client(id)->name;
}

/**
 * ntpool_clients_free_ids() - how many ids are free to give out
 *
 * Return: the number.
 */
unsigned int ntpool_clients_free_ids(void)
{
	unsigned long flags;
	unsigned int n;

	spin_lock_irqsave(&clients_lock, flags);
	n = NTPOOL_MAX_CLIENTS - bitmap_weight(ids_used, NTPOOL_MAX_CLIENTS);
	spin_unlock_irqrestore(&clients_lock, flags);
	return n;
}

/**
 * ntpool_client_verifier_read() - a client's !verifier counters
 * @c: the client
 * @st: the sums over all CPUs
 */
void ntpool_client_verifier_read(struct ntpool_client *c,
				 struct ntpool_verifier_stats *st)
{
	unsigned int i;
	int cpu;

	memset(st, 0, sizeof(*st));
	for_each_possible_cpu(cpu) {
		const struct ntpool_verifier_cpu *v = per_cpu_ptr(c->vcpu, cpu);

		for (i = 0; i < NTPOOL_VC_NR; i++)
			st->count[i] += READ_ONCE(v->count[i]);
	}
	for (i = 0; i < NTPOOL_VC_NR; i++)
		st->count[i] += atomic64_read(&c->nested[i]);
	/* An attempt succeeds, fails or is failed on purpose: not counted. */
	st->count[NTPOOL_VC_ATTEMPTED] = st->count[NTPOOL_VC_SUCCEEDED] +
		st->count[NTPOOL_VC_FAILED] +
		st->count[NTPOOL_VC_FAILED_DELIBERATELY];
}

/**
 * ntpool_client_on_shared_id() - is this a module that shares id 0?
 * @c: the client
 *
 * Return: true for such a module, false for the shared record itself.
 */
bool ntpool_client_on_shared_id(const struct ntpool_client *c)
{
	return c->id == NTPOOL_SHARED_CLIENT && c != &shared_client;
}

/**
 * ntpool_client_outstanding() - blocks a client allocated and did not free
 * @c: the client
 *
 * Return: the number, in both pools; for a module on the shared id, its
 * tracked blocks.
 */
s64 ntpool_client_outstanding(struct ntpool_client *c)
{
	struct ntpool_usage_stats st;

	if (ntpool_client_on_shared_id(c))
		return atomic_long_read(&c->tracked);
	ntpool_usage_read(&c->usage, &st);
	return st.count[NTPOOL_NONPAGED] + st.count[NTPOOL_PAGED];
}

/**
 * ntpool_verify_update() - apply a new verify_drivers setting
 *
 * Modules loaded now get their new level; allocations they made before
 * are not tracked (as with NT's Driver Verifier).
 */
void ntpool_verify_update(void)
{
	struct ntpool_client *c;
	unsigned long flags;

	spin_lock_irqsave(&clients_lock, flags);
	list_for_each_entry(c, &clients_list, link)
		if (c != &shared_client && c->loaded)
			WRITE_ONCE(c->verify, ntpool_verify_level_for(c->name));
	spin_unlock_irqrestore(&clients_lock, flags);
}

/**
 * ntpool_clients_lock() - keep every record in place (may sleep)
 */
void ntpool_clients_lock(void)
{
	mutex_lock(&clients_mutex);
}

/**
 * ntpool_clients_unlock() - undo ntpool_clients_lock()
 */
void ntpool_clients_unlock(void)
{
	mutex_unlock(&clients_mutex);
}

/**
 * ntpool_clients_next() - the record after @c, under ntpool_clients_lock()
 * @c: a record, or NULL for the first
 *
 * Return: the next record, or NULL at the end.
 */
struct ntpool_client *ntpool_clients_next(struct ntpool_client *c)
{
	struct list_head *pos = c ? &c->link : &clients_list;
	struct ntpool_client *next;

	lockdep_assert_held(&clients_mutex);
	/* Records are added meanwhile, under clients_lock only. */
	rcu_read_lock();
	next = list_next_or_null_rcu(&clients_list, pos, struct ntpool_client,
				     link);
	rcu_read_unlock();
	return next;
}

/**
 * ntpool_client_retire() - free a gone module's record if nothing of it is
 *	outstanding, and its id with it
 * @c: the record, under ntpool_clients_lock()
 *
 * Sleeps for a grace period.  A record that still has blocks is kept.
 */
void ntpool_client_retire(struct ntpool_client *c)
{
	unsigned long flags;

	lockdep_assert_held(&clients_mutex);
	if (c == &shared_client || READ_ONCE(c->loaded) ||
	    ntpool_client_outstanding(c))
		return;
	/* No new lookup finds it: a stray caller would get a new record. */
	spin_lock_irqsave(&clients_lock, flags);
	hlist_del_init_rcu(&c->hash);
	spin_unlock_irqrestore(&clients_lock, flags);
	/* The last free that counted against it is done with it. */
	synchronize_rcu();
	if (ntpool_client_outstanding(c))
		return;
	/* The id's next module must not inherit this one's tags or sites. */
	if (c->id != NTPOOL_SHARED_CLIENT)
		ntpool_tags_forget_owner(c->id);
	ntpool_sites_client_retired(c);
	ntpool_site_destroy_catchall(&c->catchall);
	spin_lock_irqsave(&clients_lock, flags);
	if (c->id != NTPOOL_SHARED_CLIENT) {
		RCU_INIT_POINTER(ntpool_clients_by_id[c->id], NULL);
		__clear_bit(c->id, ids_used);
	}
	list_del_rcu(&c->link);
	spin_unlock_irqrestore(&clients_lock, flags);
	call_rcu(&c->rcu, free_client_rcu);
}

static void reap_work_fn(struct work_struct *work)
{
	struct ntpool_client *c, *next;

	ntpool_clients_lock();
	for (c = ntpool_clients_next(NULL); c; c = next) {
		next = ntpool_clients_next(c);
		ntpool_client_retire(c);
	}
	ntpool_clients_unlock();
}

/**
 * ntpool_clients_reap() - retire, soon, every gone record with nothing
 *	outstanding (any context)
 */
void ntpool_clients_reap(void)
{
	schedule_work(&reap_work);
}

/**
 * ntpool_client_unloaded() - a module has gone away (its exit routine ran):
 *	its record, if it has one, is marked unloaded
 * @mod: the module
 *
 * Under ntpool_clients_lock().  An allocation that still arrives from the
 * module is reported (0xC4/0x61) from now on.
 *
 * Return: the record, or NULL.
 */
struct ntpool_client *ntpool_client_unloaded(struct module *mod)
{
	struct ntpool_client *c;
	unsigned long flags;

	spin_lock_irqsave(&clients_lock, flags);
	c = ntpool_client_lookup(mod);
	if (c)
		WRITE_ONCE(c->loaded, false);
	spin_unlock_irqrestore(&clients_lock, flags);
	return c;
}

/**
 * ntpool_client_coming() - a module is being loaded
 * @mod: the module
 *
 * An unloaded module's record that still matches this address stops
 * matching it: the new module is a new client.
 */
void ntpool_client_coming(struct module *mod)
{
	struct ntpool_client *c;
	unsigned long flags;

	spin_lock_irqsave(&clients_lock, flags);
	c = ntpool_client_lookup(mod);
	if (c && !c->loaded) {
		hlist_del_init_rcu(&c->hash);
		WRITE_ONCE(c->module, KEY_GONE);
	}
	spin_unlock_irqrestore(&clients_lock, flags);
}

/**
 * ntpool_clients_init() - set up the shared record
 *
 * Return: 0 or a negative errno.
 */
int ntpool_clients_init(void)
{
	struct ntpool_client *c = &shared_client;
	int err = -ENOMEM;

	strscpy(c->name, "shared", sizeof(c->name));
	ntpool_usage_init_total(&c->usage, NTPOOL_SITE_SLOT_CLIENT);
	c->vcpu = alloc_percpu(struct ntpool_verifier_cpu);
	if (!c->vcpu || ntpool_site_init_catchall(&c->catchall, c, GFP_KERNEL))
		goto fail;
	c->loaded = true;
	c->id = NTPOOL_SHARED_CLIENT;
	ntpool_site_adopt_catchall(&c->catchall);
	INIT_HLIST_NODE(&c->hash);
	__set_bit(NTPOOL_SHARED_CLIENT, ids_used);
	RCU_INIT_POINTER(ntpool_clients_by_id[NTPOOL_SHARED_CLIENT], c);
	list_add_tail_rcu(&c->link, &clients_list);
	return 0;
fail:
	ntpool_clients_exit();
	return err;
}

/**
 * ntpool_clients_exit() - free every record (no module is watched)
 */
void ntpool_clients_exit(void)
{
	struct ntpool_client *c, *tmp;

	cancel_work_sync(&reap_work);
	/* Nothing can look records up any more: no module is left to call. */
	rcu_barrier();
	list_for_each_entry_safe(c, tmp, &clients_list, link)
		if (c != &shared_client)
			free_client(c);
	free_percpu(shared_client.vcpu);
	ntpool_usage_destroy(&shared_client.catchall.usage);
	memset(&shared_client, 0, sizeof(shared_client));
	memset(ntpool_clients_by_id, 0, sizeof(ntpool_clients_by_id));
	bitmap_zero(ids_used, NTPOOL_MAX_CLIENTS);
	hash_init(ntpool_clients_by_module);
	INIT_LIST_HEAD(&clients_list);
}
