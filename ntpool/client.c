// SPDX-License-Identifier: GPL-2.0
/*
 * The client modules that call ntpool.
 *
 * Each module that allocates gets a small id on its first call; the id goes
 * into the PoolIndex byte of its blocks' headers and into big-pool entries,
 * so that a block names its owner however it is later found.  Id 0 is
 * "unknown" (the table is full); the kernel itself (THIS_MODULE == NULL,
 * callers built into vmlinux) is a client like any other.
 *
 * The table only grows and its entries never move, so the allocation path
 * reads it without a lock; a lock serialises additions.  When a module goes
 * away its entry forgets the module pointer (another module may be loaded
 * at the same address) and keeps the name, for the blocks it left behind.
 */
#define pr_fmt(fmt) "ntpool: " fmt

#include <linux/module.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include "pool.h"

#define NTPOOL_MAX_CLIENTS	256
#define NTPOOL_KERNEL_CLIENT	((struct module *)1UL)
#define NTPOOL_GONE_CLIENT	((struct module *)2UL)

struct ntpool_client {
	struct module *module;
	char name[MODULE_NAME_LEN];
};

static struct ntpool_client clients[NTPOOL_MAX_CLIENTS];
static unsigned int nr_clients = 1;	/* id 0 is reserved for "unknown" */
static DEFINE_SPINLOCK(clients_lock);

static unsigned int find_client(struct module *key, unsigned int nr)
{
	unsigned int id;

	for (id = 1; id < nr; id++)
		if (READ_ONCE(clients[id].module) == key)
			return id;
	return 0;
}

static unsigned int add_client(struct module *key, struct module *mod)
{
	unsigned long flags;
	unsigned int id;

	spin_lock_irqsave(&clients_lock, flags);
	id = find_client(key, nr_clients);
	if (!id && nr_clients < NTPOOL_MAX_CLIENTS) {
		id = nr_clients;
		strscpy(clients[id].name, mod ? module_name(mod) : "vmlinux",
			sizeof(clients[id].name));
		WRITE_ONCE(clients[id].module, key);
		/* Publish the entry only once it is complete. */
		smp_store_release(&nr_clients, id + 1);
	}
	spin_unlock_irqrestore(&clients_lock, flags);
	return id;
}

/**
 * ntpool_client_id() - the id of a client module, registering it if new
 * @mod: THIS_MODULE of the caller, NULL for the kernel itself
 *
 * Return: the id, or 0 when the table is full.
 */
u8 ntpool_client_id(struct module *mod)
{
	struct module *key = mod ? mod : NTPOOL_KERNEL_CLIENT;
	/* Pairs with add_client(): entries below nr_clients are complete. */
	unsigned int id = find_client(key, smp_load_acquire(&nr_clients));

	return id ? id : add_client(key, mod);
}

/**
 * ntpool_client_name() - name of a client
 * @id: its id
 *
 * Return: the module name, "vmlinux" for the kernel, "unknown" for id 0.
 */
const char *ntpool_client_name(u8 id)
{
	/* Pairs with add_client(): entries below nr_clients are complete. */
	if (!id || id >= smp_load_acquire(&nr_clients))
		return "unknown";
	return clients[id].name;
}

#ifdef CONFIG_MODULES
static int client_module_event(struct notifier_block *nb, unsigned long event,
			       void *data)
{
	struct module *mod = data;
	unsigned long flags;
	unsigned int id;

	if (event != MODULE_STATE_GOING)
		return NOTIFY_DONE;
	spin_lock_irqsave(&clients_lock, flags);
	id = find_client(mod, nr_clients);
	if (id)
		WRITE_ONCE(clients[id].module, NTPOOL_GONE_CLIENT);
	spin_unlock_irqrestore(&clients_lock, flags);
	return NOTIFY_DONE;
}

static struct notifier_block client_module_nb = {
	.notifier_call = client_module_event,
};

/**
 * ntpool_clients_init() - start watching client modules come and go
 *
 * Return: 0 or a negative errno.
 */
int ntpool_clients_init(void)
{
	return register_module_notifier(&client_module_nb);
}

/**
 * ntpool_clients_exit() - stop watching client modules
 */
void ntpool_clients_exit(void)
{
	unregister_module_notifier(&client_module_nb);
}
#else
/* Without module support every caller is built in: nothing comes or goes. */
int ntpool_clients_init(void)
{
	return 0;
}

void ntpool_clients_exit(void)
{
}
#endif
