// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs "sites": the tag table by call site.
 *
 * One line per tag, call site, module and pool, with the counters of
 * poolmon's table: what each call site allocated and still holds, from a
 * snapshot of the sites taken when the file is opened.  It needs no Pool
 * Tracking: the sites are what ntpool counts in anyway (sites.c).  Flags
 * say where a tag does not tell a leak's origin alone: M, the tag is used
 * by more than one module; T, the call site uses more than one tag.
 */
#define pr_fmt(fmt) "ntpool: " fmt

#include <linux/fs.h>
#include <linux/slab.h>
#include "report/report.h"
#include "views/debugfs.h"

static const char * const kind_names[NTPOOL_KINDS] = {
	[NTPOOL_NONPAGED] = "Nonp",
	[NTPOOL_PAGED] = "Paged",
};

static void site_flags(const struct ntpool_site_stats *st, char *buf)
{
	char *f = buf;

	if (st->many_modules)
		*f++ = 'M';
	if (st->many_tags)
		*f++ = 'T';
	if (f == buf)
		*f++ = '-';
	*f = '\0';
}

/**
 * ntpool_print_sites() - the tag table by call site
 * @m: where to
 * @rows: a snapshot of the sites (ntpool_sites_snapshot())
 * @n: its rows
 *
 * Sorted by tag, then module and call site.  Bytes are block bytes in use,
 * header included; Peak Bytes the highest total seen at a fold or a read
 * (usage.c).
 */
void ntpool_print_sites(struct seq_file *m,
			const struct ntpool_site_stats *rows, size_t n)
{
	char tag[NTPOOL_TAG_TEXT], flags[3];
	unsigned int kind;
	size_t i;

	seq_printf(m, "%-4s %-5s %12s %12s %12s %12s %12s %-5s %-16s %s\n",
		   "Tag", "Type", "Allocs", "Frees", "Diff", "Bytes",
		   "Peak Bytes", "Flags", "Module", "Call site");
	for (i = 0; i < n; i++) {
		const struct ntpool_site_stats *st = &rows[i];

		ntpool_tag_text(st->tag, tag);
		site_flags(st, flags);
		for (kind = 0; kind < NTPOOL_KINDS; kind++) {
			if (!st->u.allocs[kind])
				continue;
			seq_printf(m, "%-4s %-5s %12llu %12llu %12lld %12lld %12lld %-5s %-16s %s\n",
				   tag, kind_names[kind], st->u.allocs[kind],
				   st->u.frees[kind],
				   st->u.allocs[kind] - st->u.frees[kind],
				   st->u.bytes[kind], st->u.peak_bytes[kind],
				   flags, st->module, st->caller);
		}
	}
}

struct sites_snapshot {
	struct ntpool_site_stats *rows;
	size_t n;
};

static int sites_show(struct seq_file *m, void *v)
{
	struct sites_snapshot *snap = m->private;

	ntpool_print_sites(m, snap->rows, snap->n);
	return 0;
}

/* The snapshot is taken once, at open. */
static int sites_open(struct inode *inode, struct file *file)
{
	struct sites_snapshot *snap = kzalloc(sizeof(*snap), GFP_KERNEL);
	int err;

	if (!snap)
		return -ENOMEM;
	snap->rows = ntpool_sites_snapshot(&snap->n);
	if (!snap->rows) {
		kfree(snap);
		return -ENOMEM;
	}
	err = single_open_size(file, sites_show, snap,
			       (snap->n + 1) * 2 * 160);
	if (err) {
		kvfree(snap->rows);
		kfree(snap);
	}
	return err;
}

static int sites_release(struct inode *inode, struct file *file)
{
	struct sites_snapshot *snap =
		((struct seq_file *)file->private_data)->private;

	kvfree(snap->rows);
	kfree(snap);
	return single_release(inode, file);
}

static const struct file_operations sites_fops = {
	.owner = THIS_MODULE,
	.open = sites_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = sites_release,
};

/**
 * ntpool_debugfs_sites() - create "sites"
 * @dir: ntpool's debugfs directory
 */
void ntpool_debugfs_sites(struct dentry *dir)
{
	debugfs_create_file("sites", 0400, dir, NULL, &sites_fops);
}
