// SPDX-License-Identifier: GPL-2.0
/*
 * Marks: the blocks allocated since a point in time and still outstanding,
 * by tag and call site (WPA's "allocated inside the window, still
 * outstanding").
 *
 * "echo mark > marks" sets a new mark, numbered from 1.  Every block
 * allocated from then on records it where ntpool keeps the block's other
 * fields anyway: a small block in the top four bits of its header's
 * bytes-requested field (pool_header.h), sealed with the rest, a big block
 * in its big-pool entry.  "cat marks" walks every allocated block of both
 * pools and counts, per call site (sites.c), those allocated under the
 * mark asked for or a later one.  Nothing else is kept: an allocation
 * reads one global.
 *
 * A small block keeps its mark modulo 16, so "echo N > marks" may ask for
 * the newest mark or any of the 15 before it; a small block allocated 16
 * or more marks before the one asked for is counted as if it were new.
 * Marks are meant for windows of a few operations: mark, run, read.
 */
#define pr_fmt(fmt) "ntpool: " fmt

#include <linux/kernel.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include "views/debugfs.h"
#include "core/pool.h"
#include "views/marks.h"
#include "accounting/sites.h"
#include "core/walk.h"

/* The mark "marks" shows blocks since; 0 for the newest. */
static u32 mark_asked;
static DEFINE_MUTEX(marks_lock);

/* What one call site allocated in the window, per pool. */
struct mark_count {
	u64 blocks[NTPOOL_KINDS];
	u64 bytes[NTPOOL_KINDS];
};

struct mark_walk {
	u32 from, now;
	struct mark_count *by_site;
};

/* Was a block allocated under mark @w->from or a later one? */
static bool in_window(const struct mark_walk *w,
		      const struct ntpool_block_info *b)
{
	if (b->big)
		return b->mark >= w->from;
	return (b->mark - w->from) % NTPOOL_HDR_MARKS <= w->now - w->from;
}

/* Under the pool lock: only counts. */
static bool count_block(const struct ntpool_block_info *b, void *arg)
{
	struct mark_walk *w = arg;
	struct mark_count *c = &w->by_site[b->site_id];

	if (in_window(w, b)) {
		c->blocks[b->kind]++;
		c->bytes[b->kind] += b->bytes;
	}
	return true;
}

/* One line of the table: a call site's blocks in one pool. */
struct mark_row {
	u32 tag;
	bool catchall;
	enum ntpool_kind kind;
	u64 blocks, bytes;
	char module[MODULE_NAME_LEN];
	char caller[NTPOOL_SITE_NAME_LEN];
};

static int cmp_rows(const void *a, const void *b)
{
	const struct mark_row *x = a, *y = b;
	int c = memcmp(&x->tag, &y->tag, sizeof(x->tag));

	if (x->catchall != y->catchall)
		return x->catchall - y->catchall;
	if (!c)
		c = strcmp(x->module, y->module);
	if (!c)
		c = strcmp(x->caller, y->caller);
	return c ?: (int)x->kind - (int)y->kind;
}

static void describe(struct mark_row *r, unsigned int id)
{
	struct ntpool_site *s = ntpool_site_by_id(id);

	r->catchall = id < NTPOOL_SITES_FIRST_ID;
	r->tag = s->tag;
	strscpy(r->module, s->module, sizeof(r->module));
	if (r->catchall)
		strscpy(r->caller, "-", sizeof(r->caller));
	else
		ntpool_site_caller_text(s, r->caller);
}

static const char * const kind_names[NTPOOL_KINDS] = {
	[NTPOOL_NONPAGED] = "Nonp",
	[NTPOOL_PAGED] = "Paged",
};

static void print_rows(struct seq_file *m, struct mark_row *rows, size_t n)
{
	char tag[NTPOOL_TAG_TEXT];
	size_t i;

	sort(rows, n, sizeof(*rows), cmp_rows, NULL);
	seq_printf(m, "%-4s %-5s %12s %12s %-16s %s\n", "Tag", "Type",
		   "Blocks", "Bytes", "Module", "Call site");
	for (i = 0; i < n; i++) {
		if (rows[i].catchall)
			strscpy(tag, "Ovfl", sizeof(tag));
		else
			ntpool_tag_text(rows[i].tag, tag);
		seq_printf(m, "%-4s %-5s %12llu %12llu %-16s %s\n", tag,
			   kind_names[rows[i].kind], rows[i].blocks,
			   rows[i].bytes, rows[i].module, rows[i].caller);
	}
}

/* The table of what @w counted, one row per call site and pool. */
static void print_window(struct seq_file *m, const struct mark_walk *w)
{
	struct mark_row *rows;
	unsigned int id, kind;
	size_t n = 0, room = 0;

	for (id = 0; id <= NTPOOL_MAX_SITES; id++)
		for (kind = 0; kind < NTPOOL_KINDS; kind++)
			room += !!w->by_site[id].blocks[kind];
	rows = kvcalloc(max_t(size_t, room, 1), sizeof(*rows), GFP_KERNEL);
	if (!rows) {
		seq_puts(m, "no memory for the table\n");
		return;
	}
	for (id = 0; id <= NTPOOL_MAX_SITES; id++) {
		for (kind = 0; kind < NTPOOL_KINDS; kind++) {
			const struct mark_count *c = &w->by_site[id];

			if (!c->blocks[kind] || n == room)
				continue;
			describe(&rows[n], id);
			rows[n].kind = kind;
			rows[n].blocks = c->blocks[kind];
			rows[n].bytes = c->bytes[kind];
			n++;
		}
	}
	print_rows(m, rows, n);
	kvfree(rows);
}

/**
 * ntpool_print_marks() - what "marks" shows
 * @m: where to
 *
 * The blocks allocated under the mark asked for or a later one and still
 * outstanding, by tag, call site and pool.  Sleeps.
 */
void ntpool_print_marks(struct seq_file *m)
{
	struct mark_walk w;
	unsigned int kind;

	mutex_lock(&marks_lock);
	w.now = READ_ONCE(ntpool_mark_now);
	w.from = mark_asked ?: w.now;
	mutex_unlock(&marks_lock);
	seq_printf(m, "Mark %u (newest %u): blocks allocated since, still outstanding\n",
		   w.from, w.now);
	if (w.now - w.from >= NTPOOL_HDR_MARKS) {
		seq_printf(m, "mark %u is too old: only the newest %u can be asked for\n",
			   w.from, NTPOOL_HDR_MARKS);
		return;
	}
	/* A count per site id: the walk holds pool locks and cannot allocate. */
	w.by_site = kvcalloc(NTPOOL_MAX_SITES + 1, sizeof(*w.by_site),
			     GFP_KERNEL);
	if (w.by_site) {
		for (kind = 0; kind < NTPOOL_KINDS; kind++)
			ntpool_walk_blocks(kind, NTPOOL_WALK_ALL, count_block,
					   &w);
		print_window(m, &w);
		kvfree(w.by_site);
	} else {
		seq_puts(m, "(not walked: no memory to count in)\n");
	}
}

/**
 * ntpool_marks_set() - what a write to "marks" does
 * @text: "mark" (set a new mark and show blocks since it) or a mark's
 *	number (show blocks since it: the newest or one of the 15 before)
 *
 * Return: 0, or -EINVAL for anything else, having changed nothing.
 */
int ntpool_marks_set(const char *text)
{
	u32 asked, now;
	int err = 0;

	mutex_lock(&marks_lock);
	now = ntpool_mark_now;
	if (!strcmp(text, "mark")) {
		WRITE_ONCE(ntpool_mark_now, now + 1);
		mark_asked = 0;
	} else if (!kstrtou32(text, 10, &asked) && asked && asked <= now &&
		   now - asked < NTPOOL_HDR_MARKS) {
		mark_asked = asked;
	} else {
		err = -EINVAL;
	}
	mutex_unlock(&marks_lock);
	return err;
}

static const struct ntpool_control marks_control = {
	.show = ntpool_print_marks,
	.set = ntpool_marks_set,
	.max = 16,
};

/**
 * ntpool_debugfs_marks() - create "marks"
 * @dir: ntpool's debugfs directory
 */
void ntpool_debugfs_marks(struct dentry *dir)
{
	ntpool_debugfs_control("marks", 0600, dir, &marks_control);
}

/**
 * ntpool_marks_exit() - forget the marks (ntpool unloads)
 */
void ntpool_marks_exit(void)
{
	ntpool_mark_now = 0;
	mark_asked = 0;
}
