// SPDX-License-Identifier: GPL-2.0
/*
 * Low Resources Simulation (Driver Verifier's /faults).
 *
 * /sys/kernel/debug/ntpool/fault_injection/ holds how often to fail:
 *   probability   percent of the selected allocations to fail (0 to 100);
 *                 0, the default, turns the simulation off
 *   interval      only every interval-th selected allocation may fail
 *   times         how many failures at most; -1 for no limit
 * On a kernel with CONFIG_FAULT_INJECTION_DEBUG_FS these are the kernel's
 * fault_attr controls, with the rest of them (space, verbose, task-filter,
 * ...; see Documentation/fault-injection/); on one without (Debian's
 * stock kernels), ntpool's own (fault_rate.c), with the same meaning.
 * Either way "probability" is ntpool's file: writing it flips the static
 * key that is all the allocation path pays while the simulation is off.
 *
 * NT's selectors, and the log, are ntpool's on every kernel:
 *   tags          tag patterns to fail, blank-separated; "*" all (default)
 *   modules       module names to fail, blank-separated; "*" all (default)
 *   delay_secs    seconds after ntpool loads with no injected failure
 *   log           the failures injected lately (!verifier 4, fault_log.c)
 * Injected failures count as the module's "Failed Deliberately".
 */
#define pr_fmt(fmt) "ntpool: " fmt

#include <linux/jiffies.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include "base/control.h"
#include "verifier/faults.h"
#include "accounting/tags.h"

#define SELECT_MAX	8

DEFINE_STATIC_KEY_FALSE(ntpool_faults_on);
static DEFINE_MUTEX(probability_lock);

#ifdef CONFIG_FAULT_INJECTION_DEBUG_FS
#include <linux/fault-inject.h>

static DECLARE_FAULT_ATTR(fault_attr);

static bool rate_fail(size_t size)
{
	return should_fail(&fault_attr, size);
}

static unsigned long *rate_probability(void)
{
	return &fault_attr.probability;
}

static struct dentry *rate_debugfs(struct dentry *dir)
{
	struct dentry *fi = fault_create_debugfs_attr("fault_injection", dir,
						      &fault_attr);

	/* Ours instead: writing it turns the static key on and off. */
	if (!IS_ERR(fi))
		debugfs_lookup_and_remove("probability", fi);
	return fi;
}

/**
 * ntpool_fault_rate_setup() - interval and times, for tests
 * @interval: every interval-th selected allocation may fail
 * @times: failures at most, -1 for no limit
 */
void ntpool_fault_rate_setup(unsigned long interval, int times)
{
	fault_attr.interval = interval;
	atomic_set(&fault_attr.times, times);
	fault_attr.verbose = 0;
}
#else
static struct ntpool_fault_rate fault_rate = {
	.interval = 1, .times = ATOMIC_INIT(1),
};

static bool rate_fail(size_t size)
{
	return ntpool_fault_rate_fail(&fault_rate);
}

static unsigned long *rate_probability(void)
{
	return &fault_rate.probability;
}

static struct dentry *rate_debugfs(struct dentry *dir)
{
	struct dentry *fi = debugfs_create_dir("fault_injection", dir);

	ntpool_fault_rate_debugfs(fi, &fault_rate);
	return fi;
}

/**
 * ntpool_fault_rate_setup() - interval and times, for tests
 * @interval: every interval-th selected allocation may fail
 * @times: failures at most, -1 for no limit
 */
void ntpool_fault_rate_setup(unsigned long interval, int times)
{
	WRITE_ONCE(fault_rate.interval, interval);
	atomic_set(&fault_rate.times, times);
}
#endif

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
 * ntpool_fault_probability_set() - how often a selected allocation fails
 * @percent: 0 (simulation off) to 100
 *
 * Sleeps (it patches the allocation path's static branch).
 *
 * Return: 0, or -EINVAL (unchanged) above 100.
 */
int ntpool_fault_probability_set(unsigned long percent)
{
	if (percent > 100)
		return -EINVAL;
	mutex_lock(&probability_lock);
	WRITE_ONCE(*rate_probability(), percent);
	if (percent)
		static_branch_enable(&ntpool_faults_on);
	else
		static_branch_disable(&ntpool_faults_on);
	mutex_unlock(&probability_lock);
	return 0;
}

/**
 * ntpool_fault_probability() - how often a selected allocation fails
 *
 * Return: the percentage; 0 while the simulation is off.
 */
unsigned long ntpool_fault_probability(void)
{
	return READ_ONCE(*rate_probability());
}

/**
 * __ntpool_fault_injected() - ntpool_fault_injected() while the simulation
 *	is on
 * @c: the calling module
 * @req: the request
 *
 * A failure injected is logged (fault_log.c).  Any context.
 *
 * Return: true to fail it.
 */
bool __ntpool_fault_injected(struct ntpool_client *c,
			     const struct ntpool_request *req)
{
	struct fault_select *s;
	bool chosen;

	if (!READ_ONCE(*rate_probability()))
		return false;
	if (time_before(jiffies, loaded_at + READ_ONCE(delay_secs) * HZ))
		return false;
	rcu_read_lock();
	s = rcu_dereference(select);
	chosen = !s || selected(s, c->name, ntpool_plain_tag(req->tag));
	rcu_read_unlock();
	if (!chosen || !rate_fail(req->size))
		return false;
	ntpool_fault_log_add(c, req);
	return true;
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

static int probability_get(void *data, u64 *val)
{
	*val = ntpool_fault_probability();
	return 0;
}

static int probability_put(void *data, u64 val)
{
	return ntpool_fault_probability_set(val);
}
DEFINE_DEBUGFS_ATTRIBUTE(probability_fops, probability_get, probability_put,
			 "%llu\n");

static int log_show(struct seq_file *m, void *v)
{
	ntpool_fault_log_show(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(log);

static const struct ntpool_control selection_controls[] = {
	{ show_tags, ntpool_fault_tags_set, 512 },
	{ show_modules, ntpool_fault_modules_set, 512 },
};

/**
 * ntpool_faults_debugfs() - create fault_injection/ with its selectors
 * @dir: ntpool's debugfs directory
 */
void ntpool_faults_debugfs(struct dentry *dir)
{
	struct dentry *fi;

	loaded_at = jiffies;
	fi = rate_debugfs(dir);
	if (IS_ERR(fi))
		return;
	debugfs_create_file_unsafe("probability", 0600, fi, NULL,
				   &probability_fops);
	ntpool_debugfs_control("tags", 0600, fi, &selection_controls[0]);
	ntpool_debugfs_control("modules", 0600, fi, &selection_controls[1]);
	debugfs_create_u32("delay_secs", 0600, fi, &delay_secs);
	debugfs_create_file("log", 0400, fi, NULL, &log_fops);
}

/**
 * ntpool_faults_exit() - turn the simulation off, drop the selection
 */
void ntpool_faults_exit(void)
{
	ntpool_fault_probability_set(0);
	kfree(rcu_dereference_protected(select, true));
	RCU_INIT_POINTER(select, NULL);
}
