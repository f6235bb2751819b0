// SPDX-License-Identifier: GPL-2.0
/*
 * ntlookaside - a sample ntpool client in NT style with two lookaside
 * lists: a non-paged one used from a timer (softirq context) and a paged
 * one used from process context; both are deleted when it unloads.  In
 * steady state nearly every allocation is served from the lists.
 *
 * Two misuses, for Driver Verifier to catch, one module parameter each:
 *
 *   depth=N          overwrites a third list's Depth and MaximumDepth with
 *                    N, then frees 300 entries to it on one CPU
 *   use_deleted=1    allocates from and frees to a list it deleted
 *                                                           0xC4/0xCB
 */
#include <linux/completion.h>
#include <linux/module.h>
#include <linux/printk.h>
#include <linux/string.h>
#include <linux/timer.h>
#include <ntpool/ntpool.h>

#define NONPAGED_TAG	('nLtN')	/* shows as "NtLn" */
#define PAGED_TAG	('pLtN')	/* shows as "NtLp" */
#define BROKEN_TAG	('bLtN')	/* shows as "NtLb" */
#define TIMER_ROUNDS	20
#define PER_ROUND	50
#define BROKEN_ENTRIES	300

static ushort depth;
module_param(depth, ushort, 0444);
MODULE_PARM_DESC(depth, "Overwrite a list's Depth and MaximumDepth with this (0: no)");
static bool use_deleted;
module_param(use_deleted, bool, 0444);
MODULE_PARM_DESC(use_deleted, "Allocate from and free to a deleted list");

static NPAGED_LOOKASIDE_LIST NonPagedList, BrokenList, DeletedList;
static PAGED_LOOKASIDE_LIST PagedList;
static struct timer_list Timer;
static unsigned int Rounds;
static DECLARE_COMPLETION(TimerDone);

static void UseNonPaged(void)
{
	PVOID Entry[2];
	ULONG i;

	for (i = 0; i < PER_ROUND; i++) {
		Entry[0] = ExAllocateFromNPagedLookasideList(&NonPagedList);
		Entry[1] = ExAllocateFromNPagedLookasideList(&NonPagedList);
		if (Entry[0])
			memset(Entry[0], 0x4e, 128);
		if (Entry[1])
			ExFreeToNPagedLookasideList(&NonPagedList, Entry[1]);
		if (Entry[0])
			ExFreeToNPagedLookasideList(&NonPagedList, Entry[0]);
	}
}

static void TimerRoutine(struct timer_list *t)
{
	UseNonPaged();
	if (++Rounds < TIMER_ROUNDS)
		mod_timer(&Timer, jiffies + 1);
	else
		complete(&TimerDone);
}

/* Depth and MaximumDepth are the system's: a driver that writes them. */
static void BreakDepth(void)
{
	static PVOID Entry[BROKEN_ENTRIES];
	ULONG i;

	ExInitializeNPagedLookasideList(&BrokenList, NULL, NULL, 0, 64,
					BROKEN_TAG, 0);
	for (i = 0; i < BROKEN_ENTRIES; i++)
		Entry[i] = ExAllocateFromNPagedLookasideList(&BrokenList);
	BrokenList.L.Depth = depth;
	BrokenList.L.MaximumDepth = depth;
	/* One CPU's cache. */
	preempt_disable();
	for (i = 0; i < BROKEN_ENTRIES; i++)
		if (Entry[i])
			ExFreeToNPagedLookasideList(&BrokenList, Entry[i]);
	preempt_enable();
	pr_info("ntlookaside: %u entries freed to a list of Depth %u: %u went back to the pool\n",
		BROKEN_ENTRIES, depth, BrokenList.L.FreeMisses);
}

static void UseDeleted(void)
{
	PVOID Entry;

	ExInitializeNPagedLookasideList(&DeletedList, NULL, NULL, 0, 64,
					BROKEN_TAG, 0);
	ExDeleteNPagedLookasideList(&DeletedList);
	if (!ExAllocateFromNPagedLookasideList(&DeletedList))
		pr_info("ntlookaside: allocation from the deleted list refused\n");
	Entry = ExAllocatePool2(POOL_FLAG_NON_PAGED, 64, BROKEN_TAG);
	if (!Entry)
		return;
	ExFreeToNPagedLookasideList(&DeletedList, Entry);
	ExFreePoolWithTag(Entry, BROKEN_TAG);
}

static int __init ntlookaside_init(void)
{
	PVOID Entry;
	ULONG i;

	ExInitializeNPagedLookasideList(&NonPagedList, NULL, NULL, 0, 128,
					NONPAGED_TAG, 0);
	ExInitializePagedLookasideList(&PagedList, NULL, NULL, 0, 512,
				       PAGED_TAG, 0);
	for (i = 0; i < 2000; i++) {
		Entry = ExAllocateFromPagedLookasideList(&PagedList);
		if (!Entry)
			continue;
		memset(Entry, 0x50, 512);
		ExFreeToPagedLookasideList(&PagedList, Entry);
	}
	timer_setup(&Timer, TimerRoutine, 0);
	mod_timer(&Timer, jiffies + 1);
	wait_for_completion(&TimerDone);
	pr_info("ntlookaside: %u timer rounds and 2000 process-context rounds done\n",
		Rounds);
	if (depth)
		BreakDepth();
	if (use_deleted)
		UseDeleted();
	return 0;
}

static void __exit ntlookaside_exit(void)
{
	del_timer_sync(&Timer);
	ExDeleteNPagedLookasideList(&NonPagedList);
	ExDeletePagedLookasideList(&PagedList);
	if (depth)
		ExDeleteNPagedLookasideList(&BrokenList);
	pr_info("ntlookaside: lists deleted\n");
}

module_init(ntlookaside_init);
module_exit(ntlookaside_exit);

MODULE_DESCRIPTION("ntpool sample: lookaside lists from a timer and from process context");
MODULE_LICENSE("GPL");
