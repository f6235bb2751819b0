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
#include "bench.h"
#include "debugfs.h"
#include "faults.h"
#include "pooltag.h"

static struct dentry *ntpool_dir;

/**
 * ntpool_debugfs_input() - copy a write to a debugfs file, trimmed
 * @ubuf: the user buffer
 * @len: its length
 * @max: the most a well-formed input can take
 *
 * Return: a kmalloc()ed NUL-terminated string, or an ERR_PTR: -EINVAL when
 * the input is empty or longer than @max.
 */
char *ntpool_debugfs_input(const char __user *ubuf, size_t len, size_t max)
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

static int pooltag_show(struct seq_file *m, void *v)
{
	ntpool_pooltag_show(m);
	return 0;
}

static int pooltag_open(struct inode *inode, struct file *file)
{
	return single_open(file, pooltag_show, NULL);
}

/* A whole pooltag.txt must arrive in one write; 1 MiB is plenty. */
#define POOLTAG_WRITE_MAX	(1024 * 1024)

static ssize_t pooltag_write(struct file *file, const char __user *ubuf,
			     size_t len, loff_t *ppos)
{
	LIST_HEAD(parsed);
	char *buf;
	int err;

	if (!len || len > POOLTAG_WRITE_MAX)
		return -EINVAL;
	buf = memdup_user(ubuf, len);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	err = ntpool_pooltag_parse(buf, len, &parsed);
	kfree(buf);
	if (err)
		return err;
	ntpool_pooltag_add(&parsed);
	return len;
}

static const struct file_operations pooltag_fops = {
	.owner = THIS_MODULE,
	.open = pooltag_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
	.write = pooltag_write,
};

/**
 * ntpool_debugfs_init() - create /sys/kernel/debug/ntpool/
 *
 * debugfs is a debugging aid: if it is missing, ntpool works without it.
 */
void ntpool_debugfs_init(void)
{
	ntpool_dir = debugfs_create_dir("ntpool", NULL);
	debugfs_create_file("pooltag", 0600, ntpool_dir, NULL, &pooltag_fops);
	ntpool_debugfs_tags(ntpool_dir);
	ntpool_debugfs_pool(ntpool_dir);
	ntpool_debugfs_verifier(ntpool_dir);
	ntpool_faults_debugfs(ntpool_dir);
	ntpool_bench_debugfs(ntpool_dir);
}

/**
 * ntpool_debugfs_exit() - remove /sys/kernel/debug/ntpool/
 */
void ntpool_debugfs_exit(void)
{
	debugfs_remove_recursive(ntpool_dir);
	ntpool_pooltag_free(NULL);
}
