// SPDX-License-Identifier: GPL-2.0
/*
 * Low Resources Simulation (Driver Verifier's /faults) on the kernel's
 * fault-injection framework.
 *
 * /sys/kernel/debug/ntpool/fault_injection/ holds the fault_attr controls
 * (probability, interval, times, space, verbose, ...; see
 * Documentation/fault-injection/) and NT's extra selectors:
 *   tags          tag patterns to fail, blank-separated; "*" all (default)
 *   modules       module names to fail, blank-separated; "*" all (default)
 *   delay_secs    seconds after ntpool loads with no injected failure
 * Injected failures count as the module's "Failed Deliberately".
 */
#define pr_fmt(fmt) "ntpool: " fmt

#include <linux/fault-inject.h>
#include <linux/jiffies.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include "debugfs.h"
#include "faults.h"
#include "tags.h"

#define SELECT_MAX	8

static DECLARE_FAULT_ATTR(fault_attr);
static u32 delay_secs;
static unsigned long loaded_at;

struct fault_select {
	struct rcu_head rcu;
	unsigned int nr_tags, nr_modules;
	struct ntpool_tag_pattern tags[SELECT_MAX];
	char modules[SELECT_MAX][MODULE_NAME_LEN];
};

static struct fault_select __rcu *select;
static DEFINE_MUTEX(select_lock);

static bool selected(const struct fault_select *s, const char *module, u32 tag)
{
	unsigned int i;
	bool ok = !s->nr_tags;

	for (i = 0; i < s->nr_tags && !ok; i++)
		ok = ntpool_tag_pattern_match(&s->tags[i], tag);
	if (!ok || !s->nr_modules)
		return ok;
	for (i = 0; i < s->nr_modules; i++)
		if (!strcmp(s->modules[i], module))
			return true;
	return false;
}

/**
 * ntpool_faults_enabled() - is Low Resources Simulation on?
 *
 * Return: true while the probability of a failure is not zero.
 */
bool ntpool_faults_enabled(void)
{
	return READ_ONCE(fault_attr.probability);
}

/**
 * ntpool_fault_injected() - should this allocation fail on purpose?
 * @c: the calling module
 * @req: the request
 *
 * Return: true to fail it (the caller counts it as deliberate).
 */
bool ntpool_fault_injected(struct ntpool_client *c,
			   const struct ntpool_request *req)
{
	struct fault_select *s;
	bool chosen;

	if (!READ_ONCE(fault_attr.probability))
		return false;
	if (time_before(jiffies, loaded_at + READ_ONCE(delay_secs) * HZ))
		return false;
	rcu_read_lock();
	s = rcu_dereference(select);
	chosen = !s || selected(s, c->name, ntpool_plain_tag(req->tag));
	rcu_read_unlock();
	return chosen && should_fail(&fault_attr, req->size);
}

/* Replace one half of the selection, keeping the other. */
static int set_selection(const char *text, bool tags)
{
	struct fault_select *s = kzalloc(sizeof(*s), GFP_KERNEL), *old;
	char *copy = kstrdup(text, GFP_KERNEL), *cur, *word;
	int err = -ENOMEM;

	if (!s || !copy)
		goto out;
	mutex_lock(&select_lock);
	old = rcu_dereference_protected(select, lockdep_is_held(&select_lock));
	if (old)
		memcpy(s, old, sizeof(*s));
	if (tags)
		s->nr_tags = 0;
	else
		s->nr_modules = 0;
	err = 0;
	cur = strim(copy);
	while (!err && (word = strsep(&cur, " \t\n,"))) {
		if (!*word || !strcmp(word, "*"))
			continue;
		if ((tags ? s->nr_tags : s->nr_modules) == SELECT_MAX)
			err = -EINVAL;
		else if (tags)
			err = ntpool_tag_pattern_parse(&s->tags[s->nr_tags++], word);
		else if (strlen(word) >= MODULE_NAME_LEN)
			err = -EINVAL;
		else
			strscpy(s->modules[s->nr_modules++], word, MODULE_NAME_LEN);
	}
	if (!err) {
		rcu_assign_pointer(select, s);
		s = old;
	}
	mutex_unlock(&select_lock);
	if (s && !err)
		kfree_rcu(s, rcu);
out:
	if (err)
		kfree(s);
	kfree(copy);
	return err;
}

/**
 * ntpool_fault_tags_set() - which tags low-resources simulation fails
 * @text: blank-separated tag patterns, or "*" for all
 *
 * Return: 0 or -EINVAL (unchanged).
 */
int ntpool_fault_tags_set(const char *text)
{
	return set_selection(text, true);
}

/**
 * ntpool_fault_modules_set() - which modules low-resources simulation fails
 * @text: blank-separated module names, or "*" for all
 *
 * Return: 0 or -EINVAL (unchanged).
 */
int ntpool_fault_modules_set(const char *text)
{
	return set_selection(text, false);
}

static void show_selection(struct seq_file *m, bool tags)
{
	struct fault_select *s;
	unsigned int i, n;

	rcu_read_lock();
	s = rcu_dereference(select);
	n = s ? (tags ? s->nr_tags : s->nr_modules) : 0;
	for (i = 0; i < n; i++) {
		if (tags && s->tags[i].by_value)
			seq_printf(m, "%s0x%08x", i ? " " : "", s->tags[i].value);
		else
			seq_printf(m, "%s%s", i ? " " : "",
				   tags ? s->tags[i].glob : s->modules[i]);
	}
	rcu_read_unlock();
	seq_puts(m, n ? "\n" : "*\n");
}

static void show_tags(struct seq_file *m)
{
	show_selection(m, true);
}

static void show_modules(struct seq_file *m)
{
	show_selection(m, false);
}

static const struct ntpool_control selection_controls[] = {
	{ show_tags, ntpool_fault_tags_set, 512 },
	{ show_modules, ntpool_fault_modules_set, 512 },
};

/**
 * ntpool_fault_attr() - the fault_attr behind fault_injection/
 *
 * Return: it; for tests that set it up without debugfs.
 */
struct fault_attr *ntpool_fault_attr(void)
{
	return &fault_attr;
}

/**
 * ntpool_faults_debugfs() - create fault_injection/ with its selectors
 * @dir: ntpool's debugfs directory
 */
void ntpool_faults_debugfs(struct dentry *dir)
{
	struct dentry *fi;

	loaded_at = jiffies;
	fi = fault_create_debugfs_attr("fault_injection", dir, &fault_attr);
	if (IS_ERR(fi))
		return;
	ntpool_debugfs_control("tags", 0600, fi, &selection_controls[0]);
	ntpool_debugfs_control("modules", 0600, fi, &selection_controls[1]);
	debugfs_create_u32("delay_secs", 0600, fi, &delay_secs);
}

/**
 * ntpool_faults_exit() - drop the selection
 */
void ntpool_faults_exit(void)
{
	kfree(rcu_dereference_protected(select, true));
	RCU_INIT_POINTER(select, NULL);
}
