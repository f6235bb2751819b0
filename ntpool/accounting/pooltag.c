// SPDX-License-Identifier: GPL-2.0
/*
 * Pool tag descriptions, as WinDbg reads them from triage\pooltag.txt:
 *
 *   rem comment
 *   Proc - nt!ps        - Process objects
 *   Afd? - afd.sys      - AFD objects
 *
 * A tag field may hold ? and * wildcards.  A lookup prefers an exact entry,
 * then the first wildcard entry that matches.  An entry whose tag field is
 * already loaded replaces the old one, so loading a file twice changes
 * nothing; at most NTPOOL_POOLTAG_MAX entries are kept.
 *
 * Loading: text arrives in pieces (cat writes a large file in several
 * writes), is parsed a line at a time as it arrives, and what was parsed
 * is made visible at once when the load ends (the debugfs file is
 * closed).  A line that does not parse fails its write with -EINVAL and
 * spoils the load: nothing of it is kept.
 *
 * Locking: lookups run from any context, page walks with a pool lock held
 * and interrupts off included, so they take only rcu_read_lock(): exact
 * entries are in an RCU hash table keyed by tag value, wildcard entries in
 * an RCU list.  Loads are applied under a mutex, and replaced entries are
 * freed after a grace period.
 */
#define pr_fmt(fmt) "ntpool: " fmt

#include <linux/ctype.h>
#include <linux/fs.h>
#include <linux/hashtable.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include "accounting/pooltag.h"
#include "accounting/tags.h"

/* The longest line taken, end of line excluded. */
#define LINE_MAX_LEN	255

struct pooltag_entry {
	struct list_head all;
	union {
		struct hlist_node exact;
		struct list_head wild;
	};
	struct rcu_head rcu;
	struct ntpool_tag_pattern pattern;
	u32 key;
	bool wildcard;
	char field[NTPOOL_TAG_GLOB];
	u8 desc;
	char text[];
};

/**
 * struct ntpool_pooltag_load - a load in progress
 * @pending: parsed entries, not yet visible
 * @nr_new: how many of them add an entry rather than replace one
 * @err: the first error; a load with an error keeps nothing
 * @len: bytes in @line
 * @line: the line being received
 */
struct ntpool_pooltag_load {
	struct list_head pending;
	unsigned int nr_new;
	int err;
	unsigned int len;
	char line[LINE_MAX_LEN + 1];
};

static LIST_HEAD(entries);		/* every entry, in load order */
static LIST_HEAD(wild_entries);		/* wildcard entries, in load order */
static DEFINE_HASHTABLE(exact_entries, 10);
static unsigned int nr_entries;
static DEFINE_MUTEX(entries_lock);	/* changes to the three above */

/* An exact entry's tag: the pattern's value, or its text padded. */
static u32 exact_key(const struct ntpool_tag_pattern *pat)
{
	u32 key = 0;
	unsigned int i;
	size_t len;

	if (pat->by_value)
		return pat->value;
	len = strlen(pat->glob);
	for (i = 0; i < 4; i++)
		key |= (u32)(i < len ? (u8)pat->glob[i] : ' ') << (8 * i);
	return key;
}

/* RCU read side or entries_lock, for these two. */
static struct pooltag_entry *find_exact(u32 tag)
{
	struct pooltag_entry *e;

	hash_for_each_possible_rcu(exact_entries, e, exact, tag,
				   lockdep_is_held(&entries_lock))
		if (e->key == tag)
			return e;
	return NULL;
}

static struct pooltag_entry *find_wild(u32 tag)
{
	struct pooltag_entry *e;

	list_for_each_entry_rcu(e, &wild_entries, wild,
				lockdep_is_held(&entries_lock))
		if (ntpool_tag_pattern_match(&e->pattern, tag))
			return e;
	return NULL;
}

/* The loaded entry @e would replace; RCU read side or entries_lock. */
static struct pooltag_entry *find_same(const struct pooltag_entry *e)
{
	struct pooltag_entry *old;

	if (!e->wildcard)
		return find_exact(e->key);
	list_for_each_entry_rcu(old, &wild_entries, wild,
				lockdep_is_held(&entries_lock))
		if (!strcmp(old->field, e->field))
			return old;
	return NULL;
}

static void copy_text(const struct pooltag_entry *e,
		      struct ntpool_pooltag_text *text)
{
	strscpy(text->binary, e->text, sizeof(text->binary));
	strscpy(text->desc, e->text + e->desc, sizeof(text->desc));
}

/**
 * ntpool_pooltag_lookup() - the description of a tag
 * @tag: the tag
 * @text: filled in when found
 *
 * Any context: takes only rcu_read_lock().
 *
 * Return: true if pooltag data describes @tag.
 */
bool ntpool_pooltag_lookup(u32 tag, struct ntpool_pooltag_text *text)
{
	struct pooltag_entry *e;

	rcu_read_lock();
	e = find_exact(tag);
	if (!e)
		e = find_wild(tag);
	if (e)
		copy_text(e, text);
	rcu_read_unlock();
	return e;
}

static bool blank_or_comment(const char *line)
{
	line = skip_spaces(line);
	return !*line || !strncmp(line, "rem", 3) || !strncmp(line, "//", 2);
}

/* Split "a - b - c" at the first two " - " separators, trimmed. */
static int split_fields(char *line, char **tag, char **binary, char **desc)
{
	char *sep1 = strstr(line, " - "), *sep2;

	if (!sep1)
		return -EINVAL;
	sep2 = strstr(sep1 + 3, " - ");
	if (!sep2)
		return -EINVAL;
	*sep1 = '\0';
	*sep2 = '\0';
	*tag = strim(line);
	*binary = strim(sep1 + 3);
	*desc = strim(sep2 + 3);
	return **tag && **binary ? 0 : -EINVAL;
}

/* One entry from one line; NULL with *err 0 for a blank or comment line. */
static struct pooltag_entry *parse_line(char *line, int *err)
{
	struct ntpool_tag_pattern pat;
	char *tag, *binary, *desc;
	struct pooltag_entry *e;
	size_t blen, dlen;

	*err = 0;
	if (blank_or_comment(line))
		return NULL;
	*err = -EINVAL;
	if (split_fields(line, &tag, &binary, &desc) ||
	    ntpool_tag_pattern_parse(&pat, tag))
		return NULL;
	blen = strlen(binary);
	if (blen >= NTPOOL_POOLTAG_BINARY)
		return NULL;
	/* Long descriptions are kept cut, as the views would cut them. */
	dlen = min(strlen(desc), NTPOOL_POOLTAG_DESC - 1);
	e = kzalloc(struct_size(e, text, blen + dlen + 2), GFP_KERNEL);
	*err = e ? 0 : -ENOMEM;
	if (!e)
		return NULL;
	e->pattern = pat;
	e->wildcard = strpbrk(tag, "?*");
	e->key = e->wildcard ? 0 : exact_key(&pat);
	strscpy(e->field, tag, sizeof(e->field));
	memcpy(e->text, binary, blen);
	e->desc = blen + 1;
	memcpy(e->text + e->desc, desc, dlen);
	return e;
}

/* Parse the line held in @ld, NUL-terminated, and keep its entry. */
static int take_line(struct ntpool_pooltag_load *ld)
{
	struct pooltag_entry *e;
	bool is_new;
	int err;

	ld->line[ld->len] = '\0';
	ld->len = 0;
	e = parse_line(ld->line, &err);
	if (!e)
		return err;
	rcu_read_lock();
	is_new = !find_same(e);
	rcu_read_unlock();
	if (is_new && READ_ONCE(nr_entries) + ld->nr_new >= NTPOOL_POOLTAG_MAX) {
		kfree(e);
		return -ENOSPC;
	}
	ld->nr_new += is_new;
	list_add_tail(&e->all, &ld->pending);
	return 0;
}

/**
 * ntpool_pooltag_load_begin() - start a load
 *
 * Return: the load, or NULL for want of memory.
 */
struct ntpool_pooltag_load *ntpool_pooltag_load_begin(void)
{
	struct ntpool_pooltag_load *ld = kzalloc(sizeof(*ld), GFP_KERNEL);

	if (ld)
		INIT_LIST_HEAD(&ld->pending);
	return ld;
}

/**
 * ntpool_pooltag_load_text() - take the next piece of a load
 * @ld: the load
 * @buf: text in pooltag.txt format; lines may be split across pieces
 * @len: its length
 *
 * Return: 0; -EINVAL if a line does not parse or is too long, -ENOSPC if
 * the entries would pass NTPOOL_POOLTAG_MAX, -ENOMEM.  After an error the
 * load keeps nothing, and every later piece gets the same error.
 */
int ntpool_pooltag_load_text(struct ntpool_pooltag_load *ld, const char *buf,
			     size_t len)
{
	size_t i;

	for (i = 0; i < len && !ld->err; i++) {
		if (buf[i] == '\n')
			ld->err = take_line(ld);
		else if (ld->len == LINE_MAX_LEN || !buf[i])
			ld->err = -EINVAL;
		else
			ld->line[ld->len++] = buf[i];
	}
	return ld->err;
}

static void free_list(struct list_head *list)
{
	struct pooltag_entry *e, *tmp;

	list_for_each_entry_safe(e, tmp, list, all) {
		list_del(&e->all);
		kfree(e);
	}
}

/* Make the pending entries visible; entries_lock held. */
static int apply_locked(struct ntpool_pooltag_load *ld)
{
	struct pooltag_entry *e, *tmp, *old;
	unsigned int added = 0;

	/* Counted again: another load may have ended meanwhile. */
	list_for_each_entry(e, &ld->pending, all)
		added += !find_same(e);
	if (nr_entries + added > NTPOOL_POOLTAG_MAX)
		return -ENOSPC;
	list_for_each_entry_safe(e, tmp, &ld->pending, all) {
		list_del(&e->all);
		old = find_same(e);
		if (old) {
			list_replace_rcu(&old->all, &e->all);
			if (e->wildcard)
				list_replace_rcu(&old->wild, &e->wild);
			else
				hlist_replace_rcu(&old->exact, &e->exact);
			kfree_rcu(old, rcu);
			continue;
		}
		list_add_tail_rcu(&e->all, &entries);
		if (e->wildcard)
			list_add_tail_rcu(&e->wild, &wild_entries);
		else
			hash_add_rcu(exact_entries, &e->exact, e->key);
		nr_entries++;
	}
	return 0;
}

/**
 * ntpool_pooltag_load_end() - finish a load, and free it
 * @ld: the load
 *
 * A last line without an end of line is parsed here.  If the load had no
 * error, its entries become visible at once.
 *
 * Return: 0, or the load's error (nothing of it is kept).
 */
int ntpool_pooltag_load_end(struct ntpool_pooltag_load *ld)
{
	int err = ld->err;

	if (!err && ld->len)
		err = take_line(ld);
	if (!err) {
		mutex_lock(&entries_lock);
		err = apply_locked(ld);
		mutex_unlock(&entries_lock);
	}
	free_list(&ld->pending);
	kfree(ld);
	return err;
}

/**
 * ntpool_pooltag_load() - load a whole text at once
 * @buf: text in pooltag.txt format
 * @len: its length
 *
 * Return: as ntpool_pooltag_load_end(); nothing is kept on error.
 */
int ntpool_pooltag_load(const char *buf, size_t len)
{
	struct ntpool_pooltag_load *ld = ntpool_pooltag_load_begin();

	if (!ld)
		return -ENOMEM;
	ntpool_pooltag_load_text(ld, buf, len);
	return ntpool_pooltag_load_end(ld);
}

/**
 * ntpool_pooltag_count() - how many entries are loaded
 *
 * Return: the number.
 */
unsigned int ntpool_pooltag_count(void)
{
	return READ_ONCE(nr_entries);
}

/**
 * ntpool_pooltag_show() - print what is loaded, in pooltag.txt format
 * @m: where to
 */
void ntpool_pooltag_show(struct seq_file *m)
{
	struct pooltag_entry *e;

	mutex_lock(&entries_lock);
	list_for_each_entry(e, &entries, all)
		seq_printf(m, "%-4s - %-12s - %s\n", e->field, e->text,
			   e->text + e->desc);
	mutex_unlock(&entries_lock);
}

/**
 * ntpool_pooltag_free() - drop every loaded entry
 */
void ntpool_pooltag_free(void)
{
	struct pooltag_entry *e, *tmp;

	mutex_lock(&entries_lock);
	list_for_each_entry_safe(e, tmp, &entries, all) {
		list_del_rcu(&e->all);
		if (e->wildcard)
			list_del_rcu(&e->wild);
		else
			hash_del_rcu(&e->exact);
		kfree_rcu(e, rcu);
	}
	nr_entries = 0;
	mutex_unlock(&entries_lock);
}

/* ---- the debugfs file ------------------------------------------------ */

static int pooltag_show(struct seq_file *m, void *v)
{
	ntpool_pooltag_show(m);
	return 0;
}

static int pooltag_open(struct inode *inode, struct file *file)
{
	struct ntpool_pooltag_load *ld = NULL;
	int err;

	if (file->f_mode & FMODE_WRITE) {
		ld = ntpool_pooltag_load_begin();
		if (!ld)
			return -ENOMEM;
	}
	err = single_open(file, pooltag_show, ld);
	if (err)
		kfree(ld);
	return err;
}

static ssize_t pooltag_write(struct file *file, const char __user *ubuf,
			     size_t len, loff_t *ppos)
{
	struct ntpool_pooltag_load *ld =
		((struct seq_file *)file->private_data)->private;
	char buf[128];
	size_t done = 0, n;
	int err = 0;

	while (!err && done < len) {
		n = min(len - done, sizeof(buf));
		if (copy_from_user(buf, ubuf + done, n))
			return -EFAULT;
		err = ntpool_pooltag_load_text(ld, buf, n);
		done += n;
	}
	return err ? err : len;
}

static int pooltag_release(struct inode *inode, struct file *file)
{
	struct ntpool_pooltag_load *ld =
		((struct seq_file *)file->private_data)->private;
	int seen, err;

	if (ld) {
		/* A write already returned this one. */
		seen = ld->err;
		err = ntpool_pooltag_load_end(ld);
		if (err && !seen)
			pr_warn("pooltag: load refused at close (%d)\n", err);
	}
	return single_release(inode, file);
}

static const struct file_operations pooltag_fops = {
	.owner = THIS_MODULE,
	.open = pooltag_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = pooltag_release,
	.write = pooltag_write,
};

/**
 * ntpool_pooltag_debugfs() - create the "pooltag" file
 * @dir: ntpool's debugfs directory
 */
void ntpool_pooltag_debugfs(struct dentry *dir)
{
	debugfs_create_file("pooltag", 0600, dir, NULL, &pooltag_fops);
}
