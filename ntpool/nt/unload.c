// SPDX-License-Identifier: GPL-2.0
/*
 * Client modules come and go, as drivers load and unload on NT.
 *
 * When a module goes away (after its exit routine), its undeleted
 * lookaside lists are dropped, its record is marked unloaded, the call
 * sites of what it still holds are named while its code is there, and
 * Driver Verifier's leak check runs (core/leaks.c): the order in which NT
 * unloads a driver under Driver Verifier.  The record is retired if the
 * module left nothing.  When a module's init function returns, the call
 * sites in its init code are named before that code is freed.
 */
#define pr_fmt(fmt) "ntpool: " fmt

#include <linux/module.h>
#include <linux/notifier.h>
#include "accounting/callsite.h"
#include "accounting/client.h"
#include "accounting/sites.h"
#include "core/leaks.h"
#include "nt/lookaside.h"
#include "nt/unload.h"

/**
 * ntpool_client_gone() - a module has gone away (its exit routine ran)
 * @mod: the module
 *
 * Drops its undeleted lookaside lists, marks its record unloaded, runs the
 * verifier's leak check, and retires the record if it left nothing.
 */
void ntpool_client_gone(struct module *mod)
{
	struct ntpool_client *c;

	/* Undeleted lists first: their entries are theirs, not leaks. */
	ntpool_lookaside_unload(mod);
	ntpool_clients_lock();
	c = ntpool_client_unloaded(mod);
	if (c) {
		struct ntpool_callsite_scope scope = { .mod = mod };

		/* Its code is still there: name its sites, and its leaks. */
		ntpool_sites_name(c, &scope);
		ntpool_sites_module_gone(c);
		if (ntpool_client_outstanding(c) > 0)
			ntpool_leaks_name_callers(c, &scope);
		ntpool_leaks_check(c);
		ntpool_client_retire(c);
	}
	ntpool_clients_unlock();
}

#ifdef CONFIG_MODULES
/*
 * A module's init function has returned: its init code is freed next, so
 * the call sites there of its blocks still allocated are named now, for
 * its leak report and "verifier".
 */
static void client_live(struct module *mod)
{
	struct ntpool_callsite_scope scope = { .mod = mod, .init_only = true };
	struct ntpool_client *c;

	rcu_read_lock();
	c = ntpool_client_lookup(mod);
	rcu_read_unlock();
	if (!c)
		return;
	/* Loaded, the record stays: only a gone module's is retired. */
	ntpool_clients_lock();
	ntpool_sites_name(c, &scope);
	if (ntpool_client_outstanding(c) > 0)
		ntpool_leaks_name_callers(c, &scope);
	ntpool_clients_unlock();
}

static int client_module_event(struct notifier_block *nb, unsigned long event,
			       void *data)
{
	/*
	 * GOING is announced after the module's exit routine has run, LIVE
	 * after its init function has returned, before its init code is freed.
	 */
	if (event == MODULE_STATE_GOING)
		ntpool_client_gone(data);
	else if (event == MODULE_STATE_COMING)
		ntpool_client_coming(data);
	else if (event == MODULE_STATE_LIVE)
		client_live(data);
	return NOTIFY_DONE;
}

static struct notifier_block client_module_nb = {
	.notifier_call = client_module_event,
};

/**
 * ntpool_modules_watch() - follow client modules as they come and go
 *
 * Return: 0 or a negative errno.
 */
int ntpool_modules_watch(void)
{
	return register_module_notifier(&client_module_nb);
}

/**
 * ntpool_modules_unwatch() - stop following client modules
 */
void ntpool_modules_unwatch(void)
{
	unregister_module_notifier(&client_module_nb);
}
#else
/* Without module support every caller is built in: nothing comes or goes. */
int ntpool_modules_watch(void)
{
	return 0;
}

void ntpool_modules_unwatch(void)
{
}
#endif
