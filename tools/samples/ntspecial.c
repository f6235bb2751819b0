// SPDX-License-Identifier: GPL-2.0
/*
 * ntspecial - a sample ntpool client that gets special pool and then
 * misbehaves with it, from a kernel thread of its own, so that only that
 * thread dies: fault=overrun writes one byte past the end of a block
 * (112 bytes: a multiple of the 16-byte alignment, so that the block ends
 * exactly where its page does),
 * fault=underrun one byte before a block placed at the start of its page,
 * fault=use_after_free reads a block after freeing it.  Each access faults
 * at once; ntpool names the NT bugcheck the fault corresponds to.
 */
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/printk.h>
#include <linux/string.h>
#include <ntpool/ntpool.h>

#define SPECIAL_TAG	('cepS')	/* shows as "Spec" */
#define SPECIAL_SIZE	112

static char *fault = "none";
module_param(fault, charp, 0444);
MODULE_PARM_DESC(fault, "none, overrun, underrun or use_after_free");

static PUCHAR Block;

/*
 * Out of line, before Misbehave(): the oops printer reads the code bytes
 * in front of a faulting instruction, and those must be mapped for CR2 to
 * still hold the faulting address when ntpool looks at it.
 */
static noinline const char *FaultName(void)
{
	return fault;
}

static int Misbehave(void *unused)
{
	UCHAR Value = 0;

	if (!strcmp(fault, "overrun"))
		WRITE_ONCE(Block[SPECIAL_SIZE], 1);
	else if (!strcmp(fault, "underrun"))
		WRITE_ONCE(Block[-1], 1);
	else if (!strcmp(fault, "use_after_free"))
		Value = READ_ONCE(Block[0]);
	pr_info("ntspecial: %s done without a fault (%u)\n", FaultName(), Value);
	return 0;
}

static int __init ntspecial_init(void)
{
	EX_POOL_PRIORITY Priority = NormalPoolPrioritySpecialPoolOverrun;

	if (!strcmp(fault, "underrun"))
		Priority = NormalPoolPrioritySpecialPoolUnderrun;
	Block = ExAllocatePoolWithTagPriority(NonPagedPool, SPECIAL_SIZE,
					      SPECIAL_TAG, Priority);
	if (!Block)
		return -ENOMEM;
	pr_info("ntspecial: %u bytes of special pool at %lx (%s of its page)\n",
		SPECIAL_SIZE, (unsigned long)Block,
		offset_in_page(Block) ? "end" : "start");
	if (!strcmp(fault, "use_after_free"))
		ExFreePoolWithTag(Block, SPECIAL_TAG);
	if (strcmp(fault, "none"))
		kthread_run(Misbehave, NULL, "ntspecial");
	return 0;
}

static void __exit ntspecial_exit(void)
{
	if (strcmp(fault, "use_after_free"))
		ExFreePoolWithTag(Block, SPECIAL_TAG);
}

module_init(ntspecial_init);
module_exit(ntspecial_exit);

MODULE_DESCRIPTION("ntpool sample: special pool catching overruns, underruns and use after free");
MODULE_LICENSE("GPL");
