// SPDX-License-Identifier: GPL-2.0
/*
 * ntexec - a sample ntpool client that runs code from executable pool.
 *
 * It copies a tiny function (endbr64; mov $imm, %eax; ret) into blocks of
 * 64 bytes, 4 KiB and 64 KiB from POOL_FLAG_NON_PAGED_EXECUTE,
 * NonPagedPoolExecute and (legacy=exec) NonPagedPool, calls it and checks
 * what it returns, once from a context that may sleep and once with
 * interrupts off.  Memory that must not execute (POOL_FLAG_NON_PAGED,
 * NonPagedPoolNx, and NonPagedPool with legacy=nx) is never called: its
 * page table entry is looked at instead, as is the direct-map alias of the
 * executable blocks.  The last line says how many checks failed.  With
 * keep=1 a 64-byte and a 64 KiB executable block stay allocated while it
 * is loaded, for the views, and with leak=1 also after it is unloaded, for
 * Driver Verifier's leak check.
 *
 * x86-64 only: the function is x86 machine code.  The endbr64 makes it a
 * valid target of an indirect call where the kernel enforces IBT.
 */
#include <linux/irqflags.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/printk.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <ntpool/ntpool.h>

#define EXEC_TAG	('cexE')	/* shows as "Exec" */

static char *legacy = "nx";
module_param(legacy, charp, 0444);
MODULE_PARM_DESC(legacy, "what NonPagedPool must be: nx (ntpool nx_optin=Y) or exec (nx_optin=N)");

static bool keep;
module_param(keep, bool, 0444);
MODULE_PARM_DESC(keep, "keep a 64-byte and a 64 KiB executable block while loaded");

static bool leak;
module_param(leak, bool, 0444);
MODULE_PARM_DESC(leak, "with keep, leave both blocks allocated at unload");

static const SIZE_T Sizes[] = { 64, 4096, 65536 };
static PVOID Kept[2];
static unsigned int Passed, Failed;

static void Check(bool ok, const char *what, SIZE_T size, const char *how)
{
	if (ok)
		Passed++;
	else
		Failed++;
	pr_info("ntexec: %s %s, %zu bytes: %s\n", ok ? "ok" : "FAIL", what,
		size, how);
}

#ifdef CONFIG_X86_64
/* Is the page holding @addr mapped executable? */
static bool PageExecutable(const void *addr)
{
	unsigned int level;
	pte_t *pte = lookup_address((unsigned long)addr, &level);

	return pte && pte_present(*pte) && pte_exec(*pte);
}

typedef int (*ExecFn)(void);

/* Copy the function into @Block, returning @Value; call it. */
static int RunCopy(PUCHAR Block, u32 Value)
{
	static const UCHAR Endbr64[] = { 0xf3, 0x0f, 0x1e, 0xfa };
	ExecFn Fn = (ExecFn)Block;

	memcpy(Block, Endbr64, sizeof(Endbr64));
	Block[4] = 0xb8;			/* mov $Value, %eax */
	memcpy(Block + 5, &Value, sizeof(Value));
	Block[9] = 0xc3;			/* ret */
	return Fn();
}

static void ExpectRuns(PUCHAR Block, const char *What, SIZE_T Size, u32 Value)
{
	void *alias;

	if (!Block) {
		Check(false, What, Size, "no memory");
		return;
	}
	Check(PageExecutable(Block), What, Size, "mapped executable");
	Check(PageExecutable(Block + Size - 1), What, Size,
	      "mapped executable to its last byte");
	alias = is_vmalloc_addr(Block) ?
		page_address(vmalloc_to_page(Block)) : NULL;
	Check(alias && !PageExecutable(alias), What, Size,
	      "its direct-map alias is NX");
	/* Never called unless its page is executable: no fault on purpose. */
	if (PageExecutable(Block))
		Check(RunCopy(Block, Value) == Value, What, Size,
		      "the copied code ran and returned its value");
}

static void ExpectNx(PUCHAR Block, const char *What, SIZE_T Size)
{
	if (!Block) {
		Check(false, What, Size, "no memory");
		return;
	}
	Check(!PageExecutable(Block), What, Size, "NX, not executed");
}

static void RunAll(bool LegacyExec, u32 Seed)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(Sizes); i++) {
		SIZE_T Size = Sizes[i];
		PUCHAR p;

		p = ExAllocatePool2(POOL_FLAG_NON_PAGED_EXECUTE, Size, EXEC_TAG);
		ExpectRuns(p, "POOL_FLAG_NON_PAGED_EXECUTE", Size, Seed + i);
		if (p)
			ExFreePoolWithTag(p, EXEC_TAG);
		p = ExAllocatePoolWithTag(NonPagedPoolExecute, Size, EXEC_TAG);
		ExpectRuns(p, "NonPagedPoolExecute", Size, Seed + 0x10 + i);
		if (p)
			ExFreePoolWithTag(p, EXEC_TAG);
		p = ExAllocatePoolWithTag(NonPagedPool, Size, EXEC_TAG);
		if (LegacyExec)
			ExpectRuns(p, "NonPagedPool", Size, Seed + 0x20 + i);
		else
			ExpectNx(p, "NonPagedPool", Size);
		if (p)
			ExFreePoolWithTag(p, EXEC_TAG);
		p = ExAllocatePool2(POOL_FLAG_NON_PAGED, Size, EXEC_TAG);
		ExpectNx(p, "POOL_FLAG_NON_PAGED", Size);
		if (p)
			ExFreePoolWithTag(p, EXEC_TAG);
		p = ExAllocatePoolWithTag(NonPagedPoolNx, Size, EXEC_TAG);
		ExpectNx(p, "NonPagedPoolNx", Size);
		if (p)
			ExFreePoolWithTag(p, EXEC_TAG);
	}
}

/* A small block, with interrupts off: from the pool's mapped reserve. */
static void RunAtomic(void)
{
	unsigned long Flags;
	PUCHAR p;
	int Got = 0;

	local_irq_save(Flags);
	p = ExAllocatePool2(POOL_FLAG_NON_PAGED_EXECUTE, 64, EXEC_TAG);
	if (p && PageExecutable(p))
		Got = RunCopy(p, 0x5a5a);
	if (p)
		ExFreePoolWithTag(p, EXEC_TAG);
	local_irq_restore(Flags);
	Check(Got == 0x5a5a, "POOL_FLAG_NON_PAGED_EXECUTE, interrupts off", 64,
	      "the copied code ran and returned its value");
}

static int __init ntexec_init(void)
{
	bool LegacyExec = !strcmp(legacy, "exec");

	if (!LegacyExec && strcmp(legacy, "nx"))
		return -EINVAL;
	RunAll(LegacyExec, 0x1000);
	RunAtomic();
	/* Again: blocks and pages come back from the pool this time. */
	RunAll(LegacyExec, 0x2000);
	pr_info("ntexec: %u checks passed, %u failed\n", Passed, Failed);
	if (keep) {
		Kept[0] = ExAllocatePool2(POOL_FLAG_NON_PAGED_EXECUTE, 64, EXEC_TAG);
		Kept[1] = ExAllocatePool2(POOL_FLAG_NON_PAGED_EXECUTE, 65536,
					  EXEC_TAG);
		pr_info("ntexec: keeping 64 bytes at %lx and 65536 bytes at %lx\n",
			(unsigned long)Kept[0], (unsigned long)Kept[1]);
	}
	return 0;
}
#else
static int __init ntexec_init(void)
{
	pr_info("ntexec: x86-64 only\n");
	return -ENODEV;
}
#endif

static void __exit ntexec_exit(void)
{
	if (leak)
		return;
	if (Kept[0])
		ExFreePoolWithTag(Kept[0], EXEC_TAG);
	if (Kept[1])
		ExFreePoolWithTag(Kept[1], EXEC_TAG);
}

module_init(ntexec_init);
module_exit(ntexec_exit);

MODULE_DESCRIPTION("ntpool sample: code run from executable pool");
MODULE_LICENSE("GPL");
