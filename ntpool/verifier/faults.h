/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Low Resources Simulation: failing chosen allocations on purpose.  On the
 * kernel's fault-injection framework where the kernel has it
 * (CONFIG_FAULT_INJECTION_DEBUG_FS), on ntpool's own rate otherwise.
 */
#ifndef _NTPOOL_FAULTS_H
#define _NTPOOL_FAULTS_H

#include <linux/debugfs.h>
#include <linux/jump_label.h>
#include <linux/seq_file.h>
#include "accounting/client.h"
#include "base/request.h"

/* On while the probability is not zero: the allocation path's only cost. */
DECLARE_STATIC_KEY_FALSE(ntpool_faults_on);

bool __ntpool_fault_injected(struct ntpool_client *c,
			     const struct ntpool_request *req);

/**
 * ntpool_fault_injected() - should this allocation fail on purpose?
 * @c: the calling module
 * @req: the request
 *
 * A static branch while low-resources simulation is off.
 *
 * Return: true to fail it (the caller counts it as deliberate).
 */
static inline bool ntpool_fault_injected(struct ntpool_client *c,
					 const struct ntpool_request *req)
{
	if (static_branch_unlikely(&ntpool_faults_on))
		return __ntpool_fault_injected(c, req);
	return false;
}

/**
 * ntpool_faults_enabled() - is Low Resources Simulation on?
 *
 * Return: true while the probability of a failure is not zero.
 */
static inline bool ntpool_faults_enabled(void)
{
	return static_branch_unlikely(&ntpool_faults_on);
}

int ntpool_fault_probability_set(unsigned long percent);
unsigned long ntpool_fault_probability(void);
void ntpool_fault_rate_setup(unsigned long interval, int times);
int ntpool_fault_tags_set(const char *text);
int ntpool_fault_modules_set(const char *text);
void ntpool_faults_debugfs(struct dentry *dir);
void ntpool_faults_exit(void);

/* fault_rate.c: how often, where the kernel has no fault_attr. */

/**
 * struct ntpool_fault_rate - which of the selected allocations fail
 * @probability: percent of the candidates that fail (0 to 100)
 * @interval: only every @interval-th candidate is one, if above 1
 * @times: failures left; -1 for no limit
 * @count: candidates seen, for @interval
 *
 * The kernel's fault_attr semantics for these four (see
 * Documentation/fault-injection/fault-injection.rst).
 */
struct ntpool_fault_rate {
	unsigned long probability;
	unsigned long interval;
	atomic_t times;
	atomic_long_t count;
};

bool ntpool_fault_rate_fail(struct ntpool_fault_rate *r);
void ntpool_fault_rate_debugfs(struct dentry *dir, struct ntpool_fault_rate *r);

/* fault_log.c: !verifier 4, the injected failures. */

#define NTPOOL_FAULT_LOG_ENTRIES	64
#define NTPOOL_FAULT_LOG_FRAMES		8

void ntpool_fault_log_add(const struct ntpool_client *c,
			  const struct ntpool_request *req);
void ntpool_fault_log_show(struct seq_file *m);
u64 ntpool_fault_log_count(void);
void ntpool_fault_log_clear(void);

#endif /* _NTPOOL_FAULTS_H */
