/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Low Resources Simulation: failing chosen allocations on purpose, on the
 * kernel's fault-injection framework (needs CONFIG_FAULT_INJECTION).
 */
#ifndef _NTPOOL_FAULTS_H
#define _NTPOOL_FAULTS_H

#include <linux/debugfs.h>
#include "client.h"
#include "pool.h"

#ifdef CONFIG_FAULT_INJECTION
bool ntpool_fault_injected(struct ntpool_client *c,
			   const struct ntpool_request *req);
bool ntpool_faults_enabled(void);
void ntpool_faults_debugfs(struct dentry *dir);
int ntpool_fault_tags_set(const char *text);
int ntpool_fault_modules_set(const char *text);
void ntpool_faults_exit(void);
struct fault_attr *ntpool_fault_attr(void);
#else
static inline bool ntpool_fault_injected(struct ntpool_client *c,
					 const struct ntpool_request *req)
{
	return false;
}

static inline bool ntpool_faults_enabled(void)
{
	return false;
}

static inline void ntpool_faults_debugfs(struct dentry *dir)
{
}

static inline void ntpool_faults_exit(void)
{
}
#endif

#endif /* _NTPOOL_FAULTS_H */
