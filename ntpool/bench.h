/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The benchmark, built into ntpool only for "make bench" (NTPOOL_BENCH).
 */
#ifndef _NTPOOL_BENCH_H
#define _NTPOOL_BENCH_H

#include <linux/debugfs.h>

#ifdef NTPOOL_BENCH
#include <linux/jump_label.h>

DECLARE_STATIC_KEY_FALSE(ntpool_bench_no_accounting);
extern u8 ntpool_bench_client;
int ntpool_bench_run(bool smoke);
void ntpool_bench_debugfs(struct dentry *dir);
#else
static inline void ntpool_bench_debugfs(struct dentry *dir)
{
}
#endif

#endif /* _NTPOOL_BENCH_H */
