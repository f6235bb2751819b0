// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/ntpool/: the directory, and the pooltag file.  Files
 * are root only: 0400, or 0600 for those that take input (base/control.c).
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
