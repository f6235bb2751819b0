/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Names of the call sites of a client's blocks, resolved while the code
 * they name still exists, for reports and views printed after it is gone.
 */
#ifndef _NTPOOL_CALLSITE_H
#define _NTPOOL_CALLSITE_H

#include <linux/module.h>
#include <linux/rcupdate.h>
#include <linux/types.h>

/**
 * struct ntpool_callsites - named call sites, sorted by address
 * @rcu: freed after readers are done
 * @n: entries in @site
 * @site: each call site's address and where its name starts in the text
 *	that follows the array ("" when it has none)
 */
struct ntpool_callsites {
	struct rcu_head rcu;
	unsigned int n;
	struct {
		unsigned long ip;
		unsigned int off;
	} site[];
};

/**
 * struct ntpool_callsite_scope - which call sites to name, and when
 * @mod: the module whose code is about to go (NULL: none)
 * @init_only: only those in @mod's init text (it goes first)
 */
struct ntpool_callsite_scope {
	struct module *mod;
	bool init_only;
};

struct ntpool_client;

bool ntpool_callsite_wanted(const struct ntpool_callsite_scope *scope,
			    unsigned long ip);
const char *ntpool_callsite_find(const struct ntpool_callsites *s,
				 unsigned long ip);
struct ntpool_callsites *
ntpool_callsites_add(const struct ntpool_callsites *base,
		     const struct ntpool_callsites *names,
		     const unsigned long *ips, unsigned int n,
		     const struct ntpool_callsite_scope *scope);
const char *ntpool_caller_name(const struct ntpool_client *c,
			       unsigned long caller);

#endif /* _NTPOOL_CALLSITE_H */
