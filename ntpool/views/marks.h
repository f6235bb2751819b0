/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Marks: which blocks were allocated since a point in time (marks.c).
 */
#ifndef _NTPOOL_MARKS_H
#define _NTPOOL_MARKS_H

#include <linux/compiler.h>
#include <linux/types.h>

struct dentry;

struct seq_file;

void ntpool_debugfs_marks(struct dentry *dir);
void ntpool_print_marks(struct seq_file *m);
int ntpool_marks_set(const char *text);
void ntpool_marks_exit(void);

#endif /* _NTPOOL_MARKS_H */
