// SPDX-License-Identifier: GPL-2.0
/*
 * nttags - a sample ntpool client that allocates known counts and sizes
 * under three tags and keeps the live blocks until it unloads, so that the
 * poolmon and WinDbg views can be checked against what it did:
 *
 *   Tag1: 10 x 100 bytes non-paged, 4 freed   -> 6 live, 128 block bytes each
 *   Tag2:  3 x 5000 bytes paged (big blocks)  -> 3 live, 8192 bytes each
 *   Tag3:  5 x 1000 bytes paged, all freed    -> 0 live
 *
 * With irq_tags=N it also uses new tags where nothing may sleep, as a
 * driver's interrupt handler would: from a hard-interrupt hrtimer, N times,
 * a 64-byte non-paged block under a tag used for the first time ("Iq00",
 * "Iq01", ...), allocated and freed there; then, with interrupts off in
 * process context, N blocks under new tags ("Ix00", ...) and N under one
 * tag ("IxLv") that the timer frees from its hard interrupt.  Verify it
 * (verify_drivers) and every block is also tracked and untracked there.
 */
#include <linux/completion.h>
#include <linux/hrtimer.h>
#include <linux/module.h>
#include <linux/printk.h>
#include <linux/string.h>
#include <ntpool/ntpool.h>

#define TAG1	('1gaT')	/* shows as "Tag1" */
#define TAG2	('2gaT')
#define TAG3	('3gaT')

static PVOID Tag1Blocks[10];
static PVOID Tag2Blocks[3];

static unsigned int irq_tags;
module_param(irq_tags, uint, 0444);
MODULE_PARM_DESC(irq_tags, "Rounds of new tags used where nothing may sleep (at most 100)");

/* Tag "<a><b>" followed by two decimal digits of @n, as poolmon shows it. */
static ULONG NumberedTag(char a, char b, unsigned int n)
{
	return a | b << 8 | ('0' + n / 10 % 10) << 16 | ('0' + n % 10) << 24;
}

#define IRQ_ROUNDS_MAX	100
#define TAG_IRQ_LIVE	('vLxI')	/* "IxLv" */

static struct {
	struct hrtimer Timer;
	struct completion Done;
	unsigned int Round;
	unsigned int Failed;
	PVOID Live[IRQ_ROUNDS_MAX];
} Irq;

static enum hrtimer_restart IrqTimer(struct hrtimer *Timer)
{
	ULONG Tag = NumberedTag('I', 'q', Irq.Round);
	PVOID Block = ExAllocatePool2(POOL_FLAG_NON_PAGED, 64, Tag);

	if (Block) {
		memset(Block, 0x5a, 64);
		ExFreePoolWithTag(Block, Tag);
	} else {
		Irq.Failed++;
	}
	/* The blocks allocated with interrupts off are freed here. */
	if (Irq.Live[Irq.Round])
		ExFreePoolWithTag(Irq.Live[Irq.Round], TAG_IRQ_LIVE);
	Irq.Live[Irq.Round] = NULL;
	if (++Irq.Round == irq_tags) {
		complete(&Irq.Done);
		return HRTIMER_NORESTART;
	}
	hrtimer_forward_now(Timer, ns_to_ktime(200 * NSEC_PER_USEC));
	return HRTIMER_RESTART;
}

/* New tags with interrupts off, then the timer's rounds. */
static void UseTagsWithoutSleeping(void)
{
	unsigned long Flags;
	unsigned int i;

	local_irq_save(Flags);
	for (i = 0; i < irq_tags; i++) {
		ULONG Tag = NumberedTag('I', 'x', i);
		PVOID Block = ExAllocatePool2(POOL_FLAG_NON_PAGED, 64, Tag);

		if (Block)
			ExFreePoolWithTag(Block, Tag);
		else
			Irq.Failed++;
		Irq.Live[i] = ExAllocatePool2(POOL_FLAG_NON_PAGED, 32, TAG_IRQ_LIVE);
		if (!Irq.Live[i])
			Irq.Failed++;
	}
	local_irq_restore(Flags);

	init_completion(&Irq.Done);
	hrtimer_init(&Irq.Timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_HARD);
	Irq.Timer.function = IrqTimer;
	hrtimer_start(&Irq.Timer, ns_to_ktime(200 * NSEC_PER_USEC), HRTIMER_MODE_REL_HARD);
	wait_for_completion(&Irq.Done);
	pr_info("nttags: %u rounds of new tags without sleeping, %u failed\n",
		Irq.Round, Irq.Failed);
}

/* Not inlined into the __init code, so that bigpool can name the caller. */
static noinline NTSTATUS AllocateMany(PVOID *Blocks, ULONG Count,
				      POOL_FLAGS Flags, SIZE_T Size, ULONG Tag)
{
	ULONG i;

	for (i = 0; i < Count; i++) {
		Blocks[i] = ExAllocatePool2(Flags, Size, Tag);
		if (!Blocks[i])
			return STATUS_INSUFFICIENT_RESOURCES;
	}
	return STATUS_SUCCESS;
}

static NTSTATUS AllocateAll(void)
{
	PVOID Tag3Blocks[5] = {};
	NTSTATUS Status;
	ULONG i;

	Status = AllocateMany(Tag1Blocks, ARRAY_SIZE(Tag1Blocks),
			      POOL_FLAG_NON_PAGED, 100, TAG1);
	if (NT_SUCCESS(Status))
		Status = AllocateMany(Tag2Blocks, ARRAY_SIZE(Tag2Blocks),
				      POOL_FLAG_PAGED, 5000, TAG2);
	if (NT_SUCCESS(Status))
		Status = AllocateMany(Tag3Blocks, ARRAY_SIZE(Tag3Blocks),
				      POOL_FLAG_PAGED, 1000, TAG3);
	for (i = 0; i < ARRAY_SIZE(Tag3Blocks); i++)
		if (Tag3Blocks[i])
			ExFreePoolWithTag(Tag3Blocks[i], TAG3);
	for (i = 0; i < 4; i++) {
		if (Tag1Blocks[i])
			ExFreePoolWithTag(Tag1Blocks[i], TAG1);
		Tag1Blocks[i] = NULL;
	}
	return Status;
}

static void FreeAll(void)
{
	ULONG i;

	for (i = 0; i < ARRAY_SIZE(Tag1Blocks); i++)
		if (Tag1Blocks[i])
			ExFreePoolWithTag(Tag1Blocks[i], TAG1);
	for (i = 0; i < ARRAY_SIZE(Tag2Blocks); i++)
		if (Tag2Blocks[i])
			ExFreePoolWithTag(Tag2Blocks[i], TAG2);
}

static int __init nttags_init(void)
{
	irq_tags = min(irq_tags, IRQ_ROUNDS_MAX);
	if (irq_tags)
		UseTagsWithoutSleeping();
	if (!NT_SUCCESS(AllocateAll())) {
		FreeAll();
		return -ENOMEM;
	}
	/* The real addresses, for debugfs "pool" (as root reads dmesg). */
	pr_info("nttags: Tag1 block at %lx, Tag2 block at %lx\n",
		(unsigned long)Tag1Blocks[4], (unsigned long)Tag2Blocks[0]);
	return 0;
}

static void __exit nttags_exit(void)
{
	FreeAll();
}

module_init(nttags_init);
module_exit(nttags_exit);

MODULE_DESCRIPTION("ntpool sample: known allocations under three tags");
MODULE_LICENSE("GPL");
