// SPDX-License-Identifier: GPL-2.0
/*
 * Names of the call sites of a client's blocks, kept for when their code
 * is gone.
 *
 * A leak report names each leaked block's call site ("DriverEntry+0x34/0x80
 * [mydriver]"), but it is printed when the module has gone away, and
 * "verifier" prints the same table any time later: by then the module's
 * code, and with it its symbols, no longer exist.  Init code goes even
 * sooner, as soon as the module's init function has returned.  So each
 * call site is named while its code exists, from the module notifier: the
 * init code's call sites when the module turns LIVE (the kernel announces
 * that before it frees init memory), the others when it is GOING (after
 * its exit routine, before its memory is freed).  A table per client keeps
 * one name per call site, however many blocks it allocated, and goes with
 * the client's record, that is, with the last of its leftover blocks.
 *
 * Names are looked up under RCU, from any context; tables are built and
 * replaced only in process context, under the clients mutex.
 */
#include <linux/kallsyms.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include "accounting/callsite.h"
#include "accounting/client.h"

/**
 * ntpool_callsite_wanted() - is a call site to be named now?
 * @scope: when it is asked
 * @ip: the call site
 *
 * Return: true if @ip is in the code that @scope says is going.
 */
bool ntpool_callsite_wanted(const struct ntpool_callsite_scope *scope,
			    unsigned long ip)
{
	if (!ip)
		return false;
#ifdef CONFIG_MODULES
	if (scope->init_only)
		return scope->mod && within_module_init(ip, scope->mod);
#endif
	return !scope->init_only;
}

/*
 * Is @sym, as kallsyms named it, code of a module other than the one
 * going and ntpool?  A call site in the going module's init text, once
 * that is freed, can be another module's code by now, and would get a
 * name that is not its own.
 */
static bool foreign_module_text(const struct ntpool_callsite_scope *scope,
				const char *sym)
{
#ifdef CONFIG_MODULES
	const char *owner = strrchr(sym, '[');
	size_t len;

	if (!scope->mod || !owner)
		return false;
	owner++;
	len = strcspn(owner, "]");
	if (len == strlen(module_name(scope->mod)) &&
	    !strncmp(owner, module_name(scope->mod), len))
		return false;
#ifdef MODULE
	if (len == strlen(module_name(THIS_MODULE)) &&
	    !strncmp(owner, module_name(THIS_MODULE), len))
		return false;
#endif
	return true;
#else
	return false;
#endif
}

static const char *site_text(const struct ntpool_callsites *s, unsigned int i)
{
	return (const char *)&s->site[s->n] + s->site[i].off;
}

/**
 * ntpool_callsite_find() - the name kept for a call site
 * @s: a table, or NULL
 * @ip: the call site
 *
 * Return: its name, "" if it has none, NULL if @s does not hold it.
 */
const char *ntpool_callsite_find(const struct ntpool_callsites *s,
				 unsigned long ip)
{
	unsigned int lo = 0, hi = s ? s->n : 0;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (s->site[mid].ip == ip)
			return site_text(s, mid);
		if (s->site[mid].ip < ip)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

struct draft {
	unsigned long ip;
	const char *text;
	char *owned;
};

static int cmp_draft(const void *a, const void *b)
{
	const struct draft *x = a, *y = b;

	return x->ip < y->ip ? -1 : x->ip > y->ip;
}

/* Name @ip now, into @sym (KSYM_SYMBOL_LEN bytes); "" if it has none. */
static const char *resolve(char *sym, unsigned long ip,
			   const struct ntpool_callsite_scope *scope)
{
	sprint_symbol(sym, ip);
	/* kallsyms gives the bare address of code it does not know. */
	if (!strncmp(sym, "0x", 2) || foreign_module_text(scope, sym))
		return "";
	return sym;
}

static struct ntpool_callsites *pack(struct draft *d, unsigned int n)
{
	struct ntpool_callsites *s;
	size_t text = 0, len;
	unsigned int i;
	char *p;

	sort(d, n, sizeof(*d), cmp_draft, NULL);
	for (i = 0; i < n; i++)
		text += strlen(d[i].text) + 1;
	s = kmalloc(struct_size(s, site, n) + text, GFP_KERNEL);
	if (!s)
		return NULL;
	s->n = n;
	p = (char *)&s->site[n];
	for (i = 0; i < n; i++) {
		len = strlen(d[i].text) + 1;
		s->site[i].ip = d[i].ip;
		s->site[i].off = p - (char *)&s->site[n];
		memcpy(p, d[i].text, len);
		p += len;
	}
	return s;
}

/**
 * ntpool_callsites_add() - a table with more call sites
 * @base: the sites so far, or NULL
 * @names: a table to take names from rather than resolve them, or NULL
 * @ips: call sites that @base does not hold, each once
 * @n: how many
 * @scope: when it is asked (the code of @ips must still exist)
 *
 * Sleeps.  @base is left as it was.
 *
 * Return: a new table holding @base's sites and @ips, or NULL if there
 * was no memory.
 */
struct ntpool_callsites *
ntpool_callsites_add(const struct ntpool_callsites *base,
		     const struct ntpool_callsites *names,
		     const unsigned long *ips, unsigned int n,
		     const struct ntpool_callsite_scope *scope)
{
	unsigned int total = (base ? base->n : 0) + n, i, k = 0;
	struct ntpool_callsites *s = NULL;
	struct draft *d;
	char *sym;

	d = kcalloc(total, sizeof(*d), GFP_KERNEL);
	sym = kmalloc(KSYM_SYMBOL_LEN, GFP_KERNEL);
	if (!d || !sym)
		goto out;
	for (i = 0; base && i < base->n; i++, k++)
		d[k] = (struct draft) { .ip = base->site[i].ip,
					.text = site_text(base, i) };
	for (i = 0; i < n; i++, k++) {
		const char *name = ntpool_callsite_find(names, ips[i]);

		if (!name) {
			d[k].owned = kstrdup(resolve(sym, ips[i], scope),
					     GFP_KERNEL);
			if (!d[k].owned)
				goto out;
			name = d[k].owned;
		}
		d[k].ip = ips[i];
		d[k].text = name;
	}
	s = pack(d, total);
out:
	for (i = 0; d && i < total; i++)
		kfree(d[i].owned);
	kfree(d);
	kfree(sym);
	return s;
}

/**
 * ntpool_caller_name() - how to name a call site of a client's blocks
 * @c: the client
 * @caller: the call site
 *
 * Under rcu_read_lock(), which keeps the name.
 *
 * Return: the name kept for it; "" if it cannot be named (its code is
 * gone, unnamed); NULL if its code is there to be named now (%pS).
 */
const char *ntpool_caller_name(const struct ntpool_client *c,
			       unsigned long caller)
{
	const char *name = ntpool_callsite_find(rcu_dereference(c->sites),
						caller);

	if (name)
		return name;
	/* Its code is gone: the address may be another module's by now. */
	return READ_ONCE(c->loaded) ? NULL : "";
}
