// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs "tags" (poolmon's table) and "poolused" (!poolused's summary).
 *
 * Both print a snapshot of the tag table taken when the file is opened:
 * summing the per-CPU counters takes no lock that allocations take.
 */
#define pr_fmt(fmt) "ntpool: " fmt

#include <linux/fs.h>
#include <linux/slab.h>
#include "report/report.h"
#include "views/debugfs.h"
#include "accounting/pooltag.h"

static const char * const kind_names[NTPOOL_KINDS] = {
	[NTPOOL_NONPAGED] = "Nonp",
	[NTPOOL_PAGED] = "Paged",
};

static void row_tag(const struct ntpool_tag_stats *st, char *buf)
{
	if (st->overflow)
		strscpy(buf, "Ovfl", NTPOOL_TAG_TEXT);
	else
		ntpool_tag_text(st->tag, buf);
}

/*
 * Each module once: a module reloaded while its earlier load's leftovers
 * are still listed has two ids under one name.
 */
static bool owner_named_before(const struct ntpool_tag_stats *st,
			       unsigned int id)
{
	unsigned int prev;

	for_each_set_bit(prev, st->owners, id)
		if (!strcmp(ntpool_client_name(prev), ntpool_client_name(id)))
			return true;
	return false;
}

static void print_owners(struct seq_file *m, const struct ntpool_tag_stats *st)
{
	unsigned int id, n = 0;

	for_each_set_bit(id, st->owners, NTPOOL_MAX_CLIENTS)
		if (!owner_named_before(st, id))
			seq_printf(m, "%s%s", n++ ? "," : "",
				   ntpool_client_name(id));
	if (!n)
		seq_puts(m, "-");
}

static void print_description(struct seq_file *m,
			      const struct ntpool_tag_stats *st)
{
	struct ntpool_pooltag_text text;

	if (st->overflow)
		seq_puts(m, " [ntpool - allocations whose tag could not be tracked]");
	else if (ntpool_pooltag_lookup(st->tag, &text))
		seq_printf(m, " [%s - %s]", text.binary, text.desc);
}

/**
 * ntpool_print_tags() - poolmon's table
 * @m: where to
 * @rows: a tag-table snapshot
 * @n: its rows
 *
 * One line per tag and pool the tag was used in, sorted by tag; Bytes are
 * block bytes in use, header included, Per Alloc is Bytes / Diff.
 */
void ntpool_print_tags(struct seq_file *m, const struct ntpool_tag_stats *rows,
		       size_t n)
{
	char tag[NTPOOL_TAG_TEXT];
	unsigned int kind;
	size_t i;

	seq_printf(m, "%-4s %-5s %12s %12s %12s %12s %10s %12s %8s %s %s\n",
		   "Tag", "Type", "Allocs", "Frees", "Diff", "Bytes",
		   "Per Alloc", "Peak Bytes", "Failed", "Modules",
		   "[Binary - Description]");
	for (i = 0; i < n; i++) {
		const struct ntpool_tag_stats *st = &rows[i];

		row_tag(st, tag);
		for (kind = 0; kind < NTPOOL_KINDS; kind++) {
			s64 diff = st->u.allocs[kind] - st->u.frees[kind];

			if (!st->u.allocs[kind] && !st->u.failed[kind])
				continue;
			seq_printf(m, "%-4s %-5s %12llu %12llu %12lld %12lld %10lld %12lld %8llu ",
				   tag, kind_names[kind], st->u.allocs[kind],
				   st->u.frees[kind], diff, st->u.bytes[kind],
				   diff > 0 ? div64_s64(st->u.bytes[kind], diff) : 0,
				   st->u.peak_bytes[kind], st->u.failed[kind]);
			print_owners(m, st);
			print_description(m, st);
			seq_putc(m, '\n');
		}
	}
}

static void print_poolused_description(struct seq_file *m,
				       const struct ntpool_tag_stats *st,
				       const char *tag)
{
	struct ntpool_pooltag_text text;

	if (!st->overflow && ntpool_pooltag_lookup(st->tag, &text))
		seq_printf(m, "\t%s, Binary : %s\n", text.desc, text.binary);
	else
		seq_printf(m, "\tUNKNOWN pooltag '%s', please update pooltag.txt\n",
			   tag);
}

/**
 * ntpool_print_poolused() - !poolused's summary, sorted by tag
 * @m: where to
 * @rows: a tag-table snapshot
 * @n: its rows
 *
 * Allocs and Used are the allocations and block bytes in use now.
 */
void ntpool_print_poolused(struct seq_file *m,
			   const struct ntpool_tag_stats *rows, size_t n)
{
	s64 total_allocs[NTPOOL_KINDS] = {}, total_used[NTPOOL_KINDS] = {};
	char tag[NTPOOL_TAG_TEXT];
	size_t i;

	seq_puts(m, " Sorting by Tag\n\n Pool Used:\n");
	seq_printf(m, "%-6s %25s %25s\n", "", "NonPaged", "Paged");
	seq_printf(m, "%-6s %12s %12s %12s %12s\n", " Tag", "Allocs", "Used",
		   "Allocs", "Used");
	for (i = 0; i < n; i++) {
		const struct ntpool_tag_stats *st = &rows[i];
		s64 np = st->u.allocs[NTPOOL_NONPAGED] - st->u.frees[NTPOOL_NONPAGED];
		s64 pg = st->u.allocs[NTPOOL_PAGED] - st->u.frees[NTPOOL_PAGED];

		if (!np && !pg)
			continue;
		row_tag(st, tag);
		seq_printf(m, " %-5s %12lld %12lld %12lld %12lld", tag, np,
			   st->u.bytes[NTPOOL_NONPAGED], pg, st->u.bytes[NTPOOL_PAGED]);
		print_poolused_description(m, st, tag);
		total_allocs[NTPOOL_NONPAGED] += np;
		total_allocs[NTPOOL_PAGED] += pg;
		total_used[NTPOOL_NONPAGED] += st->u.bytes[NTPOOL_NONPAGED];
		total_used[NTPOOL_PAGED] += st->u.bytes[NTPOOL_PAGED];
	}
	seq_printf(m, " %-5s %12lld %12lld %12lld %12lld\n", "TOTAL",
		   total_allocs[NTPOOL_NONPAGED], total_used[NTPOOL_NONPAGED],
		   total_allocs[NTPOOL_PAGED], total_used[NTPOOL_PAGED]);
}

/* What "tags" and "poolused" print from a snapshot of the tag table. */
typedef void (*snapshot_printer)(struct seq_file *m,
				 const struct ntpool_tag_stats *rows, size_t n);

struct snapshot {
	snapshot_printer print;
	struct ntpool_tag_stats *rows;
	size_t n;
};

static int snapshot_show(struct seq_file *m, void *v)
{
	struct snapshot *snap = m->private;

	snap->print(m, snap->rows, snap->n);
	return 0;
}

/* The snapshot is taken once, at open; the file's i_private is the printer. */
static int snapshot_open(struct inode *inode, struct file *file)
{
	struct snapshot *snap = kzalloc(sizeof(*snap), GFP_KERNEL);
	int err;

	if (!snap)
		return -ENOMEM;
	snap->print = inode->i_private;
	snap->rows = ntpool_tags_snapshot(&snap->n);
	if (!snap->rows) {
		kfree(snap);
		return -ENOMEM;
	}
	err = single_open(file, snapshot_show, snap);
	if (err) {
		kvfree(snap->rows);
		kfree(snap);
	}
	return err;
}

static int snapshot_release(struct inode *inode, struct file *file)
{
	struct snapshot *snap = ((struct seq_file *)file->private_data)->private;

	kvfree(snap->rows);
	kfree(snap);
	return single_release(inode, file);
}

static const struct file_operations snapshot_fops = {
	.owner = THIS_MODULE,
	.open = snapshot_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = snapshot_release,
};

/**
 * ntpool_debugfs_tags() - create "tags" and "poolused"
 * @dir: ntpool's debugfs directory
 */
void ntpool_debugfs_tags(struct dentry *dir)
{
	debugfs_create_file("tags", 0400, dir, ntpool_print_tags, &snapshot_fops);
	debugfs_create_file("poolused", 0400, dir, ntpool_print_poolused,
			    &snapshot_fops);
}
