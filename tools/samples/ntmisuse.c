// SPDX-License-Identifier: GPL-2.0
/*
 * ntmisuse - the "bad driver": a sample ntpool client with the pool bugs
 * Windows drivers are known for, one module parameter per bug:
 *
 *   double_free=1          frees a block twice                  0xC2/0x07
 *   wrong_tag=1            frees a block with another tag       0xC2/0x0A
 *   overrun=1              writes one byte past its block       0x19/0x21
 *   paged_in_spinlock=1    asks for paged pool holding a lock   0xC2/0x08
 *   zero_size=1            asks for zero bytes: a block, as on
 *                          retail NT; refused under Verifier      0xC4/0x00
 *   bad_pointer=1          frees a pointer into a block         0xC2/0x99
 *   tag_zero=1             allocates with tag 0                 0xC2/0x9B
 *   lose_pointer=1         forgets its only pointer to a block  (kmemleak)
 *   leak=1                 keeps a block it never frees, its only
 *                          pointer gone with the module at unload 0xC4/0x62
 *
 * (With Driver Verifier on the module, verify_drivers=ntmisuse, the
 * allocation bugs are 0xC4 instead.)  Load ntpool with on_violation=report
 * to see each reported as NT would bugcheck, while the pool stays
 * consistent and the system keeps running.
 */
#include <linux/irqflags.h>
#include <linux/module.h>
#include <linux/printk.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <ntpool/ntpool.h>

#define MISUSE_TAG	('dcba')	/* shows as "abcd" */
#define MISUSE_SIZE	100

static bool double_free, wrong_tag, overrun, paged_in_spinlock, zero_size,
	    bad_pointer, tag_zero, lose_pointer, leak;
module_param(double_free, bool, 0444);
MODULE_PARM_DESC(double_free, "Free a block twice");
module_param(wrong_tag, bool, 0444);
MODULE_PARM_DESC(wrong_tag, "Free a block with a tag it was not allocated with");
module_param(overrun, bool, 0444);
MODULE_PARM_DESC(overrun, "Write one byte past the end of a block");
module_param(paged_in_spinlock, bool, 0444);
MODULE_PARM_DESC(paged_in_spinlock, "Allocate paged pool while holding a spin lock");
module_param(zero_size, bool, 0444);
MODULE_PARM_DESC(zero_size, "Allocate zero bytes");
module_param(bad_pointer, bool, 0444);
MODULE_PARM_DESC(bad_pointer, "Free a pointer into the middle of a block");
module_param(tag_zero, bool, 0444);
MODULE_PARM_DESC(tag_zero, "Allocate with the tag 0");
module_param(lose_pointer, bool, 0444);
MODULE_PARM_DESC(lose_pointer, "Forget the only pointer to a block (a leak)");
module_param(leak, bool, 0444);
MODULE_PARM_DESC(leak, "Keep a block and never free it (a leak at unload)");

static DEFINE_SPINLOCK(DeviceLock);

/*
 * Each bug lives in a function of its own, kept out of line, so that the
 * report's CALLER line names the bug.
 */

static noinline void DoubleFree(PUCHAR Buffer)
{
	pr_info("ntmisuse: freeing a block twice\n");
	ExFreePoolWithTag(Buffer, MISUSE_TAG);
	ExFreePoolWithTag(Buffer, MISUSE_TAG);
}

static noinline void WrongTag(PUCHAR Buffer)
{
	pr_info("ntmisuse: freeing with the wrong tag\n");
	ExFreePoolWithTag(Buffer, 'gnrW');
	ExFreePoolWithTag(Buffer, MISUSE_TAG);
}

static noinline void Overrun(PUCHAR Buffer)
{
	pr_info("ntmisuse: writing one byte past the end of the block\n");
	Buffer[MISUSE_SIZE] = 0x42;
	ExFreePoolWithTag(Buffer, MISUSE_TAG);
}

static noinline void BadPointer(PUCHAR Buffer)
{
	pr_info("ntmisuse: freeing a pointer into the block\n");
	ExFreePool(Buffer + 16);
	ExFreePoolWithTag(Buffer, MISUSE_TAG);
}

static noinline void PagedInSpinLock(void)
{
	PVOID Buffer;

	pr_info("ntmisuse: allocating paged pool under a spin lock\n");
	spin_lock(&DeviceLock);
	Buffer = ExAllocatePool2(POOL_FLAG_PAGED, MISUSE_SIZE, MISUSE_TAG);
	spin_unlock(&DeviceLock);
	if (Buffer)
		ExFreePoolWithTag(Buffer, MISUSE_TAG);
	else
		pr_info("ntmisuse: paged allocation under a spin lock refused\n");
}

static noinline void ZeroSize(void)
{
	PVOID Buffer;

	pr_info("ntmisuse: allocating zero bytes\n");
	Buffer = ExAllocatePool2(POOL_FLAG_NON_PAGED, 0, MISUSE_TAG);
	if (!Buffer) {
		pr_info("ntmisuse: zero-byte allocation refused\n");
		return;
	}
	pr_info("ntmisuse: zero-byte allocation served, %zu usable bytes\n",
		ExQueryPoolBlockSize(Buffer, NULL));
	ExFreePoolWithTag(Buffer, MISUSE_TAG);
}

static noinline void TagZero(void)
{
	PVOID Buffer;

	pr_info("ntmisuse: allocating with tag 0\n");
	Buffer = ExAllocatePoolWithTag(PagedPool, 32, 0);
	if (Buffer)
		ExFreePool(Buffer);
	else
		pr_info("ntmisuse: tag 0 refused\n");
}

/*
 * Nothing is wrong until the block is unreferenced: only kmemleak, in a
 * kernel built with it, can tell, and only if no copy of the pointer is
 * left where it looks.  A copy could be left in a register, or on the
 * interrupt stack by an interrupt taken while the pointer was in one: these
 * blocks are allocated with interrupts off, by functions that clear the
 * registers they used when they return.  What they spilled to the stack
 * goes with insmod's stack.
 */
#if __has_attribute(__zero_call_used_regs__)
#define CLEARS_REGISTERS __attribute__((__zero_call_used_regs__("all-gpr")))
#else
#define CLEARS_REGISTERS
#endif

/* leak=1: the only pointer to the kept block, gone with the module. */
static PUCHAR KeptBlock;

static noinline CLEARS_REGISTERS bool AllocateAndLose(void)
{
	PUCHAR Buffer = ExAllocatePool2(POOL_FLAG_NON_PAGED, MISUSE_SIZE, MISUSE_TAG);

	if (!Buffer)
		return false;
	strscpy(Buffer, "lost by ntmisuse", MISUSE_SIZE);
	return true;
}

static noinline CLEARS_REGISTERS bool AllocateAndKeep(void)
{
	PUCHAR Buffer = ExAllocatePool2(POOL_FLAG_NON_PAGED, MISUSE_SIZE, MISUSE_TAG);

	if (!Buffer)
		return false;
	strscpy(Buffer, "kept by ntmisuse", MISUSE_SIZE);
	WRITE_ONCE(KeptBlock, Buffer);
	return true;
}

/* Only whether it worked comes back: never the pointer. */
static noinline bool LeakBlock(bool (*Allocate)(void))
{
	unsigned long flags;
	bool done;

	local_irq_save(flags);
	done = Allocate();
	local_irq_restore(flags);
	return done;
}

/* Each misuse on a block of its own: one report per bug. */
static NTSTATUS MisuseBlock(bool Enabled, void (*Misuse)(PUCHAR Buffer))
{
	PUCHAR Buffer;

	if (!Enabled)
		return STATUS_SUCCESS;
	Buffer = ExAllocatePool2(POOL_FLAG_NON_PAGED, MISUSE_SIZE, MISUSE_TAG);
	if (!Buffer)
		return STATUS_INSUFFICIENT_RESOURCES;
	Misuse(Buffer);
	return STATUS_SUCCESS;
}

static NTSTATUS DriverEntry(void)
{
	PVOID Buffer;

	if (!NT_SUCCESS(MisuseBlock(double_free, DoubleFree)) ||
	    !NT_SUCCESS(MisuseBlock(wrong_tag, WrongTag)) ||
	    !NT_SUCCESS(MisuseBlock(overrun, Overrun)) ||
	    !NT_SUCCESS(MisuseBlock(bad_pointer, BadPointer)))
		return STATUS_INSUFFICIENT_RESOURCES;
	if (lose_pointer) {
		pr_info("ntmisuse: forgetting the only pointer to a block\n");
		if (!LeakBlock(AllocateAndLose))
			return STATUS_INSUFFICIENT_RESOURCES;
	}
	if (leak) {
		pr_info("ntmisuse: keeping a block it will not free\n");
		if (!LeakBlock(AllocateAndKeep))
			return STATUS_INSUFFICIENT_RESOURCES;
	}
	if (paged_in_spinlock)
		PagedInSpinLock();
	if (zero_size)
		ZeroSize();
	if (tag_zero)
		TagZero();

	/* The pool still works after all of that. */
	Buffer = ExAllocatePool2(POOL_FLAG_PAGED, MISUSE_SIZE, MISUSE_TAG);
	if (!Buffer)
		return STATUS_INSUFFICIENT_RESOURCES;
	ExFreePoolWithTag(Buffer, MISUSE_TAG);
	pr_info("ntmisuse: pool still consistent after the misuse\n");
	return STATUS_SUCCESS;
}

static int __init ntmisuse_init(void)
{
	return NT_SUCCESS(DriverEntry()) ? 0 : -ENOMEM;
}

static void __exit ntmisuse_exit(void)
{
}

module_init(ntmisuse_init);
module_exit(ntmisuse_exit);

MODULE_DESCRIPTION("ntpool sample: the bad driver, one parameter per pool bug");
MODULE_LICENSE("GPL");
