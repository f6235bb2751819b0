// SPDX-License-Identifier: GPL-2.0
/*
 * ntlookaside - a sample ntpool client in NT style with two lookaside
 * lists: a non-paged one used from a timer (softirq context) and a paged
 * one used from process context; both are deleted when it unloads.  In
 * steady state nearly every allocation is served from the lists.
 */
#include <linux/completion.h>
#include <linux/module.h>
#include <linux/printk.h>
#include <linux/string.h>
#include <linux/timer.h>
#include <ntpool/ntpool.h>

#define NONPAGED_TAG	('nLtN')	/* shows as "NtLn" */
#define PAGED_TAG	('pLtN')	/* shows as "NtLp" */
#define TIMER_ROUNDS	20
#define PER_ROUND	50

static NPAGED_LOOKASIDE_LIST NonPagedList;
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
	return 0;
}

static void __exit ntlookaside_exit(void)
{
	del_timer_sync(&Timer);
	ExDeleteNPagedLookasideList(&NonPagedList);
	ExDeletePagedLookasideList(&PagedList);
	pr_info("ntlookaside: lists deleted\n");
}

module_init(ntlookaside_init);
module_exit(ntlookaside_exit);

MODULE_DESCRIPTION("ntpool sample: lookaside lists from a timer and from process context");
MODULE_LICENSE("GPL");
