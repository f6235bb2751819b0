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

/*
 * Only the benchmark turns accounting off, to measure what it costs, and
 * only for its own blocks: other clients' counts stay right.
 */
#define ntpool_accounting_on(client) \
	(!static_branch_unlikely(&ntpool_bench_no_accounting) || \
	 (client) != READ_ONCE(ntpool_bench_client))
#else
#define ntpool_accounting_on(client) ((void)(client), true)

static inline void ntpool_bench_debugfs(struct dentry *dir)
{
}
#endif

#endif /* _NTPOOL_BENCH_H */
