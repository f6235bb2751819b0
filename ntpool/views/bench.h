/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The benchmark, built into ntpool only for "make bench" (NTPOOL_BENCH).
 */
#ifndef _NTPOOL_BENCH_H
#define _NTPOOL_BENCH_H

#include <linux/debugfs.h>

#ifdef NTPOOL_BENCH
int ntpool_bench_run(bool smoke);
void ntpool_bench_debugfs(struct dentry *dir);
#else
static inline void ntpool_bench_debugfs(struct dentry *dir)
{
}
#endif

#endif /* _NTPOOL_BENCH_H */
