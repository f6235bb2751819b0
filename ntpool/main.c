// SPDX-License-Identifier: GPL-2.0
/*
 * ntpool - the Windows NT executive pool for Linux kernel modules.
 *
 * Module setup and teardown.  The allocator is in small.c and big.c, the
 * entry points in api.c, reports in report.c.
 */
#define pr_fmt(fmt) "ntpool: " fmt

#include <linux/init.h>
#include <linux/module.h>
#include "accounting/client.h"
#include "views/debugfs.h"
#include "verifier/faults.h"
#include "verifier/hit_tag.h"
#include "nt/lookaside.h"
#include "views/marks.h"
#include "core/pcp.h"
#include "core/pool.h"
#include "report/report.h"
#include "core/secure_pool.h"
#include "core/special.h"
#include "accounting/tags.h"
#include "verifier/verifier.h"
#include "nt/unload.h"

/* What module parameters set before init ran: dropped if init fails. */
static void drop_settings(void)
{
	ntpool_special_exit();
	ntpool_hit_tag_exit();
	ntpool_verify_clear();
}

static int __init ntpool_init(void)
{
	int err;

	ntpool_pool_init(&ntpool_pools[NTPOOL_NONPAGED], NTPOOL_NONPAGED, false);
	ntpool_pool_init(&ntpool_pools[NTPOOL_PAGED], NTPOOL_PAGED, false);
	ntpool_exec_init();
	ntpool_seal_init();
	err = ntpool_pcp_init();
	if (err)
		goto pools;
	err = ntpool_tags_init();
	if (err)
		goto pcp;
	ntpool_sites_init();
	err = ntpool_verifier_init();
	if (err)
		goto tags;
	err = ntpool_clients_init();
	if (err)
		goto verifier;
	err = ntpool_modules_watch();
	if (err)
		goto clients;
	err = ntpool_special_init();
	if (err)
		goto modules;
	ntpool_lookaside_start();
	/* Without /dev/ntpool reports still work, with no uevent. */
	ntpool_report_events_init();
	ntpool_debugfs_init();
	pr_info("NT pool ready: small blocks up to %lu bytes, %u-byte headers\n",
		(unsigned long)NTPOOL_MAX_SMALL, NTPOOL_BLOCK_SIZE);
	return 0;

modules:
	ntpool_modules_unwatch();
clients:
	ntpool_clients_exit();
verifier:
	ntpool_verifier_exit();
tags:
	ntpool_sites_exit();
	ntpool_tags_exit();
pcp:
	ntpool_pcp_exit();
	drop_settings();
pools:
	ntpool_exec_exit();
	ntpool_pool_destroy(&ntpool_pools[NTPOOL_PAGED]);
	ntpool_pool_destroy(&ntpool_pools[NTPOOL_NONPAGED]);
	return err;
}

static void __exit ntpool_exit(void)
{
	ntpool_debugfs_exit();
	ntpool_marks_exit();
	ntpool_lookaside_stop();
	ntpool_hit_tag_exit();
	ntpool_faults_exit();
	ntpool_special_exit();
	/* Secure allocations count in the tags: before the tag table goes. */
	ntpool_secure_exit();
	ntpool_modules_unwatch();
	ntpool_clients_exit();
	ntpool_big_flush();
	ntpool_pcp_exit();
	ntpool_exec_exit();
	ntpool_pool_destroy(&ntpool_pools[NTPOOL_PAGED]);
	ntpool_pool_destroy(&ntpool_pools[NTPOOL_NONPAGED]);
	ntpool_report_events_exit();
	ntpool_reports_json_exit();
	ntpool_verifier_exit();
	ntpool_verify_clear();
	ntpool_sites_exit();
	ntpool_tags_exit();
	pr_info("NT pool gone, every page returned\n");
}

module_init(ntpool_init);
module_exit(ntpool_exit);

MODULE_DESCRIPTION("Windows NT executive pool API (ExAllocatePool*) for kernel modules");
MODULE_LICENSE("GPL");
MODULE_VERSION(NTPOOL_VERSION);
