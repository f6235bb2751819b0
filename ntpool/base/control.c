// SPDX-License-Identifier: GPL-2.0
/*
 * A debugfs file that shows something and takes input: the one way
 * ntpool's files read a write.  Input that does not parse is refused with
 * -EINVAL and changes nothing.
 */
#include <linux/fs.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include "base/control.h"

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
