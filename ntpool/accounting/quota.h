/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Pool quota, charged to the memory cgroup.
 */
#ifndef _NTPOOL_QUOTA_H
#define _NTPOOL_QUOTA_H

#include <linux/types.h>
#include "base/request.h"

bool ntpool_quota_prepare(struct ntpool_request *req, bool verified);
void ntpool_quota_release(struct ntpool_request *req);
u32 ntpool_quota_failure_status(const struct ntpool_request *req);
bool ntpool_quota_charged(const void *va);

#if IS_ENABLED(CONFIG_NTPOOL_KUNIT_TEST)
extern struct mem_cgroup *(*ntpool_quota_payer_hook)(void);
#endif

#endif /* _NTPOOL_QUOTA_H */
