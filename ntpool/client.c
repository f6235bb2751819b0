// SPDX-License-Identifier: GPL-2.0
/*
 * The client modules that call ntpool.
 *
 * Each module that allocates gets a small id on its first call; the id goes
 * into the PoolIndex byte of its blocks' headers and into big-pool entries,
 * so that a block names its owner however it is later found.  The kernel
 * itself (THIS_MODULE == NULL, callers built into vmlinux) is a client like
 * any other; id 0, "unknown", takes what cannot get an id of its own (a
 * full table, or no memory for the counters in atomic context).
 *
 * Entries are found without a lock: an entry is complete before its module
 * pointer is published, and entries never move.  clients_lock serialises
 * additions and changes.  When a module goes away (after its exit routine)
 * its entry is marked unloaded, keeps its name and counters for what it
 * left behind, and the verifier runs its leak check; an allocation that
 * still arrives from that module is then reported (0xC4/0x61).  Only when
 * another module is loaded at the same address does the entry stop
 * matching the pointer.  A module loaded again under the same name reuses
 * its old entry once that entry has nothing outstanding.
 */
#define pr_fmt(fmt) "ntpool: " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include "client.h"
#include "lookaside.h"
#include "verifier.h"

/* Module pointer keys: the kernel, and a module that is gone. */
#define KEY_KERNEL	((struct module *)1UL)
#define KEY_GONE	((struct module *)2UL)

static struct ntpool_client clients[NTPOOL_MAX_CLIENTS];
static unsigned int nr_clients = 1;	/* id 0 is "unknown" */
static DEFINE_SPINLOCK(clients_lock);

static struct module *key_of(struct module *mod)
{
	return mod ? mod : KEY_KERNEL;
}

static unsigned int find_client(struct module *key, unsigned int nr)
{
	unsigned int id;

	for (id = 1; id < nr; id++)
		if (READ_ONCE(clients[id].module) == key)
			return id;
	return 0;
}

/* A gone entry of the same name with nothing outstanding, or a new one. */
static unsigned int free_slot(const char *name)
{
	unsigned int id;

	for (id = 1; id < nr_clients; id++)
		if (clients[id].module == KEY_GONE &&
		    !strcmp(clients[id].name, name) &&
		    !ntpool_client_outstanding(&clients[id]))
			return id;
	return nr_clients < NTPOOL_MAX_CLIENTS ? nr_clients : 0;
}

static int setup_client(struct ntpool_client *c, const char *name, gfp_t gfp)
{
	struct ntpool_verifier_cpu __percpu *vcpu;
	struct ntpool_usage usage = {};

	vcpu = alloc_percpu_gfp(struct ntpool_verifier_cpu, gfp);
	if (!vcpu || ntpool_usage_init(&usage, gfp)) {
		free_percpu(vcpu);
		return -ENOMEM;
	}
	free_percpu(c->vcpu);
	ntpool_usage_destroy(&c->usage);
	c->vcpu = vcpu;
	ntpool_usage_move(&c->usage, &usage);
	strscpy(c->name, name, sizeof(c->name));
	c->loaded = true;
	c->verify = ntpool_verify_level_for(name);
	return 0;
}

static unsigned int add_client(struct module *mod)
{
	const char *name = mod ? module_name(mod) : "vmlinux";
	gfp_t gfp = GFP_ATOMIC | __GFP_NOWARN;
	unsigned long flags;
	unsigned int id;

	spin_lock_irqsave(&clients_lock, flags);
	id = find_client(key_of(mod), nr_clients);
	if (id)
		goto out;
	id = free_slot(name);
	if (!id || setup_client(&clients[id], name, gfp)) {
		id = NTPOOL_UNKNOWN_CLIENT;
		goto out;
	}
	WRITE_ONCE(clients[id].module, key_of(mod));
	if (id == nr_clients)
		/* Publish the entry only once it is complete. */
		smp_store_release(&nr_clients, id + 1);
out:
	spin_unlock_irqrestore(&clients_lock, flags);
	return id;
}

/**
 * ntpool_client_id() - the id of a client module, registering it if new
 * @mod: THIS_MODULE of the caller, NULL for the kernel itself
 *
 * Return: the id; NTPOOL_UNKNOWN_CLIENT when none could be given.
 */
u8 ntpool_client_id(struct module *mod)
{
	/* Pairs with add_client(): entries below nr_clients are complete. */
	unsigned int id = find_client(key_of(mod), smp_load_acquire(&nr_clients));

	return id ? id : add_client(mod);
}

/**
 * ntpool_client() - a client by id
 * @id: its id
 *
 * Return: the entry (the "unknown" entry for an id never given out).
 */
struct ntpool_client *ntpool_client(u8 id)
{
	/* Pairs with add_client(): entries below nr_clients are complete. */
	if (id >= smp_load_acquire(&nr_clients))
		id = NTPOOL_UNKNOWN_CLIENT;
	return &clients[id];
}

/**
 * ntpool_client_name() - name of a client
 * @id: its id
 *
 * Return: the module name, "vmlinux" for the kernel, "unknown" for id 0.
 */
const char *ntpool_client_name(u8 id)
{
	return ntpool_client(id)->name;
}

/**
 * ntpool_clients_count() - how many ids were given out, "unknown" included
 *
 * Return: the number; ids are 0 to the number - 1.
 */
unsigned int ntpool_clients_count(void)
{
	/* Pairs with add_client(): entries below nr_clients are complete. */
	return smp_load_acquire(&nr_clients);
}

/**
 * ntpool_client_verifier_read() - a client's !verifier counters
 * @c: the client
 * @st: the sums over all CPUs
 */
void ntpool_client_verifier_read(struct ntpool_client *c,
				 struct ntpool_verifier_stats *st)
{
	int cpu;

	memset(st, 0, sizeof(*st));
	unsigned int i;

	for_each_possible_cpu(cpu) {
		const struct ntpool_verifier_cpu *v = per_cpu_ptr(c->vcpu, cpu);

		for (i = 0; i < NTPOOL_VC_NR; i++)
			st->count[i] += READ_ONCE(v->count[i]);
	}
}

/**
 * ntpool_client_outstanding() - blocks a client allocated and did not free
 * @c: the client
 *
 * Return: the number, in both pools.
 */
s64 ntpool_client_outstanding(struct ntpool_client *c)
{
	struct ntpool_usage_stats st;

	if (!c->usage.cpu)
		return 0;
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
	unsigned long flags;
	unsigned int id;

	spin_lock_irqsave(&clients_lock, flags);
	for (id = 1; id < nr_clients; id++)
		if (clients[id].loaded)
			WRITE_ONCE(clients[id].verify,
				   ntpool_verify_level_for(clients[id].name));
	spin_unlock_irqrestore(&clients_lock, flags);
}

/**
 * ntpool_client_gone() - a module has gone away (its exit routine ran)
 * @mod: the module
 *
 * Marks its entry unloaded and runs the verifier's leak check.
 */
void ntpool_client_gone(struct module *mod)
{
	unsigned long flags;
	unsigned int id;

	spin_lock_irqsave(&clients_lock, flags);
	id = find_client(mod, nr_clients);
	if (id)
		WRITE_ONCE(clients[id].loaded, false);
	spin_unlock_irqrestore(&clients_lock, flags);
	if (!id)
		return;
	/* Undeleted lists first: their entries are theirs, not leaks. */
	ntpool_lookaside_unload(id);
	ntpool_verifier_unload(&clients[id], id);
}

/**
 * ntpool_client_coming() - a module is being loaded
 * @mod: the module
 *
 * An unloaded module's entry that still matches this address stops
 * matching it: the new module is a new client.
 */
void ntpool_client_coming(struct module *mod)
{
	unsigned long flags;
	unsigned int id;

	spin_lock_irqsave(&clients_lock, flags);
	id = find_client(mod, nr_clients);
	if (id && !clients[id].loaded)
		WRITE_ONCE(clients[id].module, KEY_GONE);
	spin_unlock_irqrestore(&clients_lock, flags);
}

#ifdef CONFIG_MODULES
static int client_module_event(struct notifier_block *nb, unsigned long event,
			       void *data)
{
	/* GOING is announced after the module's exit routine has run. */
	if (event == MODULE_STATE_GOING)
		ntpool_client_gone(data);
	else if (event == MODULE_STATE_COMING)
		ntpool_client_coming(data);
	return NOTIFY_DONE;
}

static struct notifier_block client_module_nb = {
	.notifier_call = client_module_event,
};

static int watch_modules(void)
{
	return register_module_notifier(&client_module_nb);
}

static void unwatch_modules(void)
{
	unregister_module_notifier(&client_module_nb);
}
#else
/* Without module support every caller is built in: nothing comes or goes. */
static int watch_modules(void)
{
	return 0;
}

static void unwatch_modules(void)
{
}
#endif

/**
 * ntpool_clients_init() - set up the "unknown" client and watch modules
 *
 * Return: 0 or a negative errno.
 */
int ntpool_clients_init(void)
{
	int err = setup_client(&clients[NTPOOL_UNKNOWN_CLIENT], "unknown",
			       GFP_KERNEL);

	if (err)
		return err;
	err = watch_modules();
	if (err)
		ntpool_clients_exit();
	return err;
}

/**
 * ntpool_clients_exit() - stop watching modules and free every entry
 */
void ntpool_clients_exit(void)
{
	unsigned int id;

	unwatch_modules();
	for (id = 0; id < nr_clients; id++) {
		free_percpu(clients[id].vcpu);
		ntpool_usage_destroy(&clients[id].usage);
	}
	memset(clients, 0, sizeof(clients));
	nr_clients = 1;
}
