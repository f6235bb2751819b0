// SPDX-License-Identifier: GPL-2.0
/*
 * PoolHitTag, as nt!PoolHitTag: with a tag set, every allocation and every
 * free of that tag stops.  "Stops" on Linux means: a
 * "Break instruction exception - code 80000003" line with the tag, size,
 * address, module and stack; a call to ntpool_hit_tag_break(), a function
 * kept out of line so that gdb, kprobes and ftrace can target it; and, when
 * a kgdb debugger is connected, a breakpoint.
 *
 * Set it with the hit_tag module parameter or the debugfs file: a tag as
 * its four characters in display order ("abcd" for the literal 'dcba'),
 * or "0x" and the tag's value; "0" turns it off.  Beyond NT: ? and *
 * wildcards, "alloc" or "free" after the tag to stop on one side only, and
 * a count of hits.
 */
#define pr_fmt(fmt) "ntpool: " fmt

#include <linux/kgdb.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "accounting/client.h"
#include "verifier/hit_tag.h"
#include "report/report.h"
#include "accounting/tags.h"
#include "report/trace.h"

DEFINE_STATIC_KEY_FALSE(ntpool_hit_tag_on);

struct hit_setting {
	struct rcu_head rcu;
	struct ntpool_tag_pattern pattern;
	char text[NTPOOL_TAG_GLOB];
	unsigned int what;
};

static struct hit_setting __rcu *hit_setting;
static DEFINE_MUTEX(hit_lock);
static atomic_long_t hits = ATOMIC_LONG_INIT(0);

/**
 * ntpool_hit_tag_break() - where PoolHitTag stops
 * @tag: the tag that hit
 * @p: the block
 * @size: its size (bytes requested on allocation, block bytes on free)
 * @what: NTPOOL_HIT_ALLOC or NTPOOL_HIT_FREE
 *
 * Does nothing itself: it exists, out of line and traceable, so that a
 * breakpoint (gdb "break ntpool_hit_tag_break"), a kprobe or ftrace can be
 * put on every hit.
 */
noinline void ntpool_hit_tag_break(u32 tag, void *p, size_t size,
				   unsigned int what)
{
	/* Keep the call, and the arguments, where a debugger can see them. */
	barrier();
}

/**
 * __ntpool_hit_tag_check() - stop if @tag is the hit tag
 * @tag: the block's tag
 * @size: bytes requested (allocation) or block bytes (free)
 * @p: the block
 * @what: NTPOOL_HIT_ALLOC or NTPOOL_HIT_FREE
 * @caller: the call, if known
 */
void __ntpool_hit_tag_check(u32 tag, size_t size, void *p, unsigned int what,
			    const struct ntpool_caller *caller)
{
	char text[NTPOOL_TAG_TEXT];
	struct hit_setting *s;
	bool hit;

	rcu_read_lock();
	s = rcu_dereference(hit_setting);
	hit = s && (s->what & what) &&
	      ntpool_tag_pattern_match(&s->pattern, ntpool_plain_tag(tag));
	rcu_read_unlock();
	if (!hit)
		return;
	atomic_long_inc(&hits);
	trace_ntpool_hit_tag(tag, size, p, what == NTPOOL_HIT_FREE, caller);
	ntpool_tag_text(tag, text);
	pr_err("Break instruction exception - code 80000003 (first chance)\n");
	pr_err("PoolHitTag %s: %s of %zu bytes at %lx by %pS (module %s)\n",
	       text, what == NTPOOL_HIT_ALLOC ? "allocation" : "free", size,
	       (unsigned long)p, caller ? (void *)caller->ip : NULL,
	       ntpool_caller_module_name(caller));
	ntpool_print_stack();
	ntpool_hit_tag_break(tag, p, size, what);
#ifdef CONFIG_KGDB
	if (READ_ONCE(kgdb_connected))
		kgdb_breakpoint();
#endif
}

static int parse_setting(char *text, struct hit_setting *s)
{
	char *tag = strsep(&text, " \t");
	char *side = text ? skip_spaces(text) : NULL;

	s->what = NTPOOL_HIT_BOTH;
	if (side && *side) {
		if (!strcmp(side, "alloc"))
			s->what = NTPOOL_HIT_ALLOC;
		else if (!strcmp(side, "free"))
			s->what = NTPOOL_HIT_FREE;
		else if (strcmp(side, "both"))
			return -EINVAL;
	}
	strscpy(s->text, tag, sizeof(s->text));
	return ntpool_tag_pattern_parse(&s->pattern, tag);
}

/**
 * ntpool_hit_tag_set() - set or clear the hit tag
 * @text: "0" (off), or a tag pattern and optionally "alloc", "free" or
 *	"both"
 *
 * Return: 0, or -EINVAL (setting unchanged) if @text does not parse.
 */
int ntpool_hit_tag_set(const char *text)
{
	struct hit_setting *s = kzalloc(sizeof(*s), GFP_KERNEL), *old;
	char *copy = kstrdup(text, GFP_KERNEL), *trimmed;
	int err = -ENOMEM;

	if (s && copy) {
		trimmed = strim(copy);
		err = parse_setting(trimmed, s);
		/* 0 is no tag: NT's "ed nt!poolhittag 0". */
		if (!err && (!strcmp(s->text, "0") ||
			     (s->pattern.by_value && !s->pattern.value))) {
			kfree(s);
			s = NULL;
		}
	}
	kfree(copy);
	if (err) {
		kfree(s);
		return err;
	}
	mutex_lock(&hit_lock);
	old = rcu_replace_pointer(hit_setting, s, lockdep_is_held(&hit_lock));
	if (s && !old)
		static_branch_enable(&ntpool_hit_tag_on);
	else if (!s && old)
		static_branch_disable(&ntpool_hit_tag_on);
	mutex_unlock(&hit_lock);
	if (old)
		kfree_rcu(old, rcu);
	return 0;
}

/**
 * ntpool_hit_tag_show() - print the setting and the hits so far
 * @m: where to
 */
void ntpool_hit_tag_show(struct seq_file *m)
{
	static const char * const sides[] = {
		[NTPOOL_HIT_ALLOC] = "alloc", [NTPOOL_HIT_FREE] = "free",
		[NTPOOL_HIT_BOTH] = "both",
	};
	struct hit_setting *s;

	rcu_read_lock();
	s = rcu_dereference(hit_setting);
	if (s)
		seq_printf(m, "%s %s", s->text, sides[s->what]);
	else
		seq_puts(m, "0");
	rcu_read_unlock();
	seq_printf(m, " hits=%lu\n", atomic_long_read(&hits));
}

/**
 * ntpool_hit_tag_hits() - how many times PoolHitTag stopped
 *
 * Return: the count since ntpool loaded.
 */
unsigned long ntpool_hit_tag_hits(void)
{
	return atomic_long_read(&hits);
}

static int hit_param_set(const char *val, const struct kernel_param *kp)
{
	return ntpool_hit_tag_set(val);
}

static const struct kernel_param_ops hit_param_ops = {
	.set = hit_param_set,
};
module_param_cb(hit_tag, &hit_param_ops, NULL, 0200);
MODULE_PARM_DESC(hit_tag,
		 "PoolHitTag: a tag (display order, or 0x value; ? and * allowed), optionally alloc/free; 0 is off");

/**
 * ntpool_hit_tag_exit() - drop the setting
 */
void ntpool_hit_tag_exit(void)
{
	struct hit_setting *old;

	/* No allocation on the way out: "0" through the setter could fail. */
	mutex_lock(&hit_lock);
	old = rcu_replace_pointer(hit_setting, NULL, lockdep_is_held(&hit_lock));
	if (old)
		static_branch_disable(&ntpool_hit_tag_on);
	mutex_unlock(&hit_lock);
	if (old)
		kfree_rcu(old, rcu);
}
