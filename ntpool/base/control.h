/* SPDX-License-Identifier: GPL-2.0 */
/*
 * debugfs files that show something and take input (control.c).
 */
#ifndef _NTPOOL_CONTROL_H
#define _NTPOOL_CONTROL_H

#include <linux/debugfs.h>
#include <linux/seq_file.h>

/**
 * struct ntpool_control - a debugfs file that shows something and takes
 *	input
 * @show: prints the file's contents
 * @set: takes the trimmed text of a write; returns 0, or a negative errno
 *	(-EINVAL for what does not parse) having changed nothing
 * @max: the longest write accepted
 */
struct ntpool_control {
	void (*show)(struct seq_file *m);
	int (*set)(const char *text);
	size_t max;
};

void ntpool_debugfs_control(const char *name, umode_t mode,
			    struct dentry *dir, const struct ntpool_control *ctl);

#endif /* _NTPOOL_CONTROL_H */
