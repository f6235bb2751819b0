// SPDX-License-Identifier: GPL-2.0
/*
 * How often low-resources simulation fails a selected allocation, on a
 * kernel without the fault-injection framework (Debian's stock kernels
 * have no CONFIG_FAULT_INJECTION): probability, interval and times, with
 * the meaning the kernel's fault_attr gives them.  The debugfs files are
 * named as fault_attr's, so that a script works on either kernel.
 */
#include <linux/atomic.h>
#include <linux/debugfs.h>
#include <linux/random.h>
#include "verifier/faults.h"

/**
 * ntpool_fault_rate_fail() - is this candidate one to fail?
 * @r: the rate
 *
 * As the kernel's should_fail(): no failure once @r->times is used up;
 * with an interval above 1 only every interval-th candidate may fail; a
 * candidate fails with @r->probability percent.  Any context.
 *
 * Return: true to fail it.
 */
bool ntpool_fault_rate_fail(struct ntpool_fault_rate *r)
{
	unsigned long interval = READ_ONCE(r->interval);

	if (!atomic_read(&r->times))
		return false;
	if (interval > 1 &&
	    atomic_long_inc_return(&r->count) % interval)
		return false;
	if (READ_ONCE(r->probability) <= get_random_u32_below(100))
		return false;
	if (atomic_read(&r->times) != -1)
		atomic_dec_if_positive(&r->times);
	return true;
}

/**
 * ntpool_fault_rate_debugfs() - the files fault_attr would have
 * @dir: the fault_injection directory
 * @r: the rate
 *
 * "interval" and "times"; "probability" is the caller's, as writing it
 * turns the allocation path's check on and off.
 */
void ntpool_fault_rate_debugfs(struct dentry *dir, struct ntpool_fault_rate *r)
{
	debugfs_create_ulong("interval", 0600, dir, &r->interval);
	debugfs_create_atomic_t("times", 0600, dir, &r->times);
}
