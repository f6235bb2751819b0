// SPDX-License-Identifier: GPL-2.0
/*
 * Pool tag descriptions, as WinDbg reads them from triage\pooltag.txt:
 *
 *   rem comment
 *   Proc - nt!ps        - Process objects
 *   Afd? - afd.sys      - AFD objects
 *
 * A tag field may hold ? and * wildcards.  A lookup prefers an exact entry,
 * then the first wildcard entry that matches.  Entries are added through
 * debugfs and only read by debugfs, so a mutex guards the list.
 */
#define pr_fmt(fmt) "ntpool: " fmt

#include <linux/ctype.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "pooltag.h"
#include "tags.h"

struct pooltag_entry {
	struct list_head link;
	char field[NTPOOL_TAG_GLOB];
	struct ntpool_tag_pattern pattern;
	bool wildcard;
	struct ntpool_pooltag_text text;
};

static LIST_HEAD(entries);
static DEFINE_MUTEX(entries_lock);

/**
 * ntpool_pooltag_lookup() - the description of a tag
 * @tag: the tag
 * @text: filled in when found
 *
 * Return: true if pooltag data describes @tag.
 */
bool ntpool_pooltag_lookup(u32 tag, struct ntpool_pooltag_text *text)
{
	struct pooltag_entry *e, *found = NULL;

	mutex_lock(&entries_lock);
	list_for_each_entry(e, &entries, link) {
		if (!ntpool_tag_pattern_match(&e->pattern, tag))
			continue;
		if (!found || (found->wildcard && !e->wildcard))
			found = e;
		if (!e->wildcard)
			break;
	}
	if (found)
		*text = found->text;
	mutex_unlock(&entries_lock);
	return found;
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

static int parse_line(char *line, struct list_head *out)
{
	struct pooltag_entry *e;
	char *tag, *binary, *desc;
	int err;

	if (blank_or_comment(line))
		return 0;
	err = split_fields(line, &tag, &binary, &desc);
	if (err)
		return err;
	if (strlen(binary) >= NTPOOL_POOLTAG_BINARY ||
	    strlen(desc) >= NTPOOL_POOLTAG_DESC)
		return -EINVAL;
	e = kzalloc(sizeof(*e), GFP_KERNEL);
	if (!e)
		return -ENOMEM;
	err = ntpool_tag_pattern_parse(&e->pattern, tag);
	if (err) {
		kfree(e);
		return err;
	}
	strscpy(e->field, tag, sizeof(e->field));
	e->wildcard = strpbrk(tag, "?*");
	strscpy(e->text.binary, binary, sizeof(e->text.binary));
	strscpy(e->text.desc, desc, sizeof(e->text.desc));
	list_add_tail(&e->link, out);
	return 0;
}

/**
 * ntpool_pooltag_parse() - parse pooltag.txt lines
 * @buf: the text, not NUL-terminated
 * @len: its length
 * @out: an empty list that receives the entries
 *
 * Return: 0, or -EINVAL if any line is malformed (@out is then empty).
 */
int ntpool_pooltag_parse(const char *buf, size_t len, struct list_head *out)
{
	char *text = kmemdup_nul(buf, len, GFP_KERNEL), *cur, *line;
	int err = 0;

	if (!text)
		return -ENOMEM;
	cur = text;
	while (!err && (line = strsep(&cur, "\n")))
		err = parse_line(line, out);
	kfree(text);
	if (err)
		ntpool_pooltag_free(out);
	return err;
}

/**
 * ntpool_pooltag_add() - make parsed entries visible
 * @new: entries from ntpool_pooltag_parse(); the list is emptied
 */
void ntpool_pooltag_add(struct list_head *new)
{
	mutex_lock(&entries_lock);
	list_splice_tail_init(new, &entries);
	mutex_unlock(&entries_lock);
}

/**
 * ntpool_pooltag_show() - print what is loaded, in pooltag.txt format
 * @m: where to
 */
void ntpool_pooltag_show(struct seq_file *m)
{
	struct pooltag_entry *e;

	mutex_lock(&entries_lock);
	list_for_each_entry(e, &entries, link)
		seq_printf(m, "%-4s - %-12s - %s\n", e->field, e->text.binary,
			   e->text.desc);
	mutex_unlock(&entries_lock);
}

/**
 * ntpool_pooltag_free() - free a list of entries
 * @list: the list (ntpool_pooltag_free(NULL) frees the loaded entries)
 */
void ntpool_pooltag_free(struct list_head *list)
{
	struct pooltag_entry *e, *tmp;

	if (!list) {
		mutex_lock(&entries_lock);
		ntpool_pooltag_free(&entries);
		mutex_unlock(&entries_lock);
		return;
	}
	list_for_each_entry_safe(e, tmp, list, link) {
		list_del(&e->link);
		kfree(e);
	}
}
