// SPDX-License-Identifier: GPL-2.0
/*
 * Which client modules Driver Verifier watches, as NT's VerifyDrivers
 * value names them: verify_drivers (module parameter and debugfs file)
 * holds module names, or "*", each optionally ":full"; "none" clears it.
 * A client record takes its level when it is made, and again when the
 * setting changes (client.c); the verifier (verifier/verifier.c) tracks
 * the allocations of the modules it names.
 */
#define pr_fmt(fmt) "ntpool: " fmt

#include <linux/ctype.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "accounting/client.h"
#include "accounting/verify_drivers.h"
#include "report/alloc_log.h"

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
