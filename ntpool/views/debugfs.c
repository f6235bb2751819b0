// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/ntpool/: the directory, the pooltag file, and the
 * helpers the views share.  Files are root only: 0400, or 0600 for those
 * that take input.  Input that does not parse is refused with -EINVAL and
 * changes nothing.
 */
#define pr_fmt(fmt) "ntpool: " fmt

#include <linux/fs.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include "report/alloc_log.h"
#include "views/bench.h"
#include "views/debugfs.h"
#include "verifier/faults.h"
#include "views/marks.h"
#include "accounting/pooltag.h"
#include "report/report.h"

static struct dentry *ntpool_dir;

/* Copy a write, NUL-terminated and trimmed; -EINVAL if empty or too long. */
static char *read_input(const char __user *ubuf, size_t len, size_t max)
{
	char *buf, *trimmed;

	if (!len || len > max)
		return ERR_PTR(-EINVAL);
	buf = memdup_user_nul(ubuf, len);
	if (IS_ERR(buf))
		return buf;
	trimmed = strim(buf);
	if (!*trimmed) {
		kfree(buf);
		return ERR_PTR(-EINVAL);
	}
	memmove(buf, trimmed, strlen(trimmed) + 1);
	return buf;
}

static int control_show(struct seq_file *m, void *v)
{
	const struct ntpool_control *ctl = m->private;

	ctl->show(m);
	return 0;
}

static int control_open(struct inode *inode, struct file *file)
{
	return single_open(file, control_show, inode->i_private);
}

static ssize_t control_write(struct file *file, const char __user *ubuf,
			     size_t len, loff_t *ppos)
{
	const struct ntpool_control *ctl =
		((struct seq_file *)file->private_data)->private;
	char *buf = read_input(ubuf, len, ctl->max);
	int err;

	if (IS_ERR(buf))
		return PTR_ERR(buf);
	err = ctl->set(buf);
	kfree(buf);
	return err ? err : len;
}

static const struct file_operations control_fops = {
	.owner = THIS_MODULE,
	.open = control_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
	.write = control_write,
};

/**
 * ntpool_debugfs_control() - create a file that shows and takes input
 * @name: the file's name
 * @mode: 0600 for root only
 * @dir: ntpool's debugfs directory
 * @ctl: what reading and writing do; must outlive the file
 */
void ntpool_debugfs_control(const char *name, umode_t mode,
			    struct dentry *dir, const struct ntpool_control *ctl)
{
	debugfs_create_file(name, mode, dir, (void *)ctl, &control_fops);
}

/**
 * ntpool_debugfs_init() - create /sys/kernel/debug/ntpool/
 *
 * debugfs is a debugging aid: if it is missing, ntpool works without it.
 */
void ntpool_debugfs_init(void)
{
	ntpool_dir = debugfs_create_dir("ntpool", NULL);
	ntpool_pooltag_debugfs(ntpool_dir);
	ntpool_debugfs_tags(ntpool_dir);
	ntpool_debugfs_sites(ntpool_dir);
	ntpool_debugfs_marks(ntpool_dir);
	ntpool_debugfs_pool(ntpool_dir);
	ntpool_debugfs_verifier(ntpool_dir);
	ntpool_faults_debugfs(ntpool_dir);
	ntpool_reports_json_debugfs(ntpool_dir);
	ntpool_alloc_log_debugfs(ntpool_dir);
	ntpool_bench_debugfs(ntpool_dir);
}

/**
 * ntpool_debugfs_exit() - remove /sys/kernel/debug/ntpool/
 */
void ntpool_debugfs_exit(void)
{
	debugfs_remove_recursive(ntpool_dir);
	ntpool_pooltag_free();
}
