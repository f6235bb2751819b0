/* SPDX-License-Identifier: GPL-2.0 */
/*
 * /sys/kernel/debug/ntpool/: the poolmon and WinDbg views.
 */
#ifndef _NTPOOL_DEBUGFS_H
#define _NTPOOL_DEBUGFS_H

#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include "accounting/tags.h"
#include "base/control.h"

void ntpool_debugfs_init(void);
void ntpool_debugfs_exit(void);

/* view_tags.c */
void ntpool_debugfs_tags(struct dentry *dir);
void ntpool_print_tags(struct seq_file *m, const struct ntpool_tag_stats *rows,
		       size_t n);
void ntpool_print_poolused(struct seq_file *m,
			   const struct ntpool_tag_stats *rows, size_t n);

/* view_sites.c */
void ntpool_debugfs_sites(struct dentry *dir);
void ntpool_print_sites(struct seq_file *m,
			const struct ntpool_site_stats *rows, size_t n);

/* view_pool.c */
void ntpool_debugfs_pool(struct dentry *dir);
void ntpool_print_pool(struct seq_file *m, unsigned long addr);
void ntpool_print_poolfind(struct seq_file *m,
			   const struct ntpool_tag_pattern *pat,
			   enum ntpool_kind kind);
void ntpool_print_bigpool(struct seq_file *m);
int ntpool_poolfind_parse(const char *text, struct ntpool_tag_pattern *pat,
			  enum ntpool_kind *kind);

/* view_verifier.c */
void ntpool_debugfs_verifier(struct dentry *dir);
void ntpool_print_verifier(struct seq_file *m);

#endif /* _NTPOOL_DEBUGFS_H */
