// SPDX-License-Identifier: GPL-2.0
/*
 * ntsecure - a sample ntpool client with a secure pool: a key table kept
 * where only ExSecurePoolUpdate() may change it.  It creates the pool,
 * allocates the table with its initial contents and a cookie, validates
 * it, updates one entry through ExSecurePoolUpdate(), and at unload frees
 * it with ExFreePool2() and destroys the pool.
 *
 *   write=1   a thread of its own writes the table through its pointer:
 *             the mapping is read-only, the write faults and kills only
 *             that thread; the table is unchanged afterwards
 *   huge=1    asks for sizes no machine holds (2^44 + 4096 bytes, ...):
 *             each fails, and updates past the end of an allocation
 *             (offset 8192) are refused
 *   irqfree=N N allocations freed by a hard-interrupt timer while this
 *             thread allocates, updates and frees others and creates and
 *             destroys pools
 */
#include <linux/completion.h>
#include <linux/hrtimer.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/printk.h>
#include <linux/string.h>
#include <ntpool/ntpool.h>

#define SECURE_TAG	('ceSN')	/* shows as "NSec" */
#define TABLE_COOKIE	0x7ab1e5ecUL
#define TABLE_SIZE	256

static bool write, huge;
static unsigned int irqfree;
module_param(write, bool, 0444);
MODULE_PARM_DESC(write, "Write the table directly, from a thread (faults)");
module_param(huge, bool, 0444);
MODULE_PARM_DESC(huge, "Ask for sizes no machine holds");
module_param(irqfree, uint, 0444);
MODULE_PARM_DESC(irqfree, "Allocations to free in hard interrupts");

static HANDLE Pool;
static PUCHAR Table;
static UCHAR Initial[TABLE_SIZE] = "key0=alpha;key1=bravo;";

static POOL_EXTENDED_PARAMS_SECURE_POOL TableParams(void)
{
	return (POOL_EXTENDED_PARAMS_SECURE_POOL) {
		.SecurePoolHandle = Pool, .Buffer = Initial,
		.Cookie = TABLE_COOKIE,
		.SecurePoolFlags = SECURE_POOL_FLAGS_FREEABLE |
				   SECURE_POOL_FLAGS_MODIFIABLE,
	};
}

static int WriteDirectly(void *unused)
{
	pr_info("ntsecure: writing the table through its pointer\n");
	WRITE_ONCE(Table[5], 'X');
	pr_info("ntsecure: the direct write went through\n");
	return 0;
}

static PVOID SecureAllocate(HANDLE Where, SIZE_T Size, PVOID Buffer)
{
	POOL_EXTENDED_PARAMS_SECURE_POOL Secure = TableParams();
	POOL_EXTENDED_PARAMETER Param = {
		.Type = PoolExtendedParameterSecurePool,
		.SecurePoolParams = &Secure,
	};

	Secure.SecurePoolHandle = Where;
	Secure.Buffer = Buffer;
	return ExAllocatePool3(POOL_FLAG_NON_PAGED, Size, SECURE_TAG, &Param, 1);
}

static VOID SecureFree(HANDLE Where, PVOID Block)
{
	POOL_EXTENDED_PARAMS_SECURE_POOL Secure = {
		.SecurePoolHandle = Where, .Cookie = TABLE_COOKIE,
	};
	POOL_EXTENDED_PARAMETER Param = {
		.Type = PoolExtendedParameterSecurePool,
		.SecurePoolParams = &Secure,
	};

	ExFreePool2(Block, SECURE_TAG, &Param, 1);
}

/* Sizes no machine holds, and updates past the end of an allocation. */
static noinline VOID TryHugeSizes(void)
{
	const SIZE_T Sizes[] = {
		(1ULL << 44) + PAGE_SIZE, SIZE_MAX, (1ULL << 32) + 16,
		(totalram_pages() + 1) << PAGE_SHIFT,
	};
	NTSTATUS Status;
	PVOID Block;
	ULONG i;

	for (i = 0; i < ARRAY_SIZE(Sizes); i++) {
		Block = SecureAllocate(Pool, Sizes[i], NULL);
		Status = ExSecurePoolUpdate(Pool, SECURE_TAG, Block, TABLE_COOKIE,
					    8192, 1, "x");
		pr_info("ntsecure: %zu bytes: %s, update at 8192: 0x%08x\n",
			Sizes[i], Block ? "allocated" : "NULL", (ULONG)Status);
		if (Block)
			SecureFree(Pool, Block);
	}
	pr_info("ntsecure: updates past the table: 0x%08x at %u, 0x%08x at 8192\n",
		(ULONG)ExSecurePoolUpdate(Pool, SECURE_TAG, Table, TABLE_COOKIE,
					  TABLE_SIZE, 1, "x"),
		TABLE_SIZE,
		(ULONG)ExSecurePoolUpdate(Pool, SECURE_TAG, Table, TABLE_COOKIE,
					  8192, 1, "x"));
}

struct IRQ_FREE {
	struct hrtimer Timer;
	struct completion Done;
	PVOID Block;
};

static enum hrtimer_restart FreeInHardIrq(struct hrtimer *Timer)
{
	struct IRQ_FREE *Free = container_of(Timer, struct IRQ_FREE, Timer);

	SecureFree(Pool, Free->Block);
	complete(&Free->Done);
	return HRTIMER_NORESTART;
}

/* One allocation freed in a hard interrupt while this thread works on. */
static bool FreeOneInHardIrq(struct IRQ_FREE *Free)
{
	HANDLE Other;
	PVOID Block;
	bool Freed;

	Free->Block = SecureAllocate(Pool, 100, NULL);
	if (!Free->Block)
		return false;
	reinit_completion(&Free->Done);
	hrtimer_start(&Free->Timer, ns_to_ktime(1000), HRTIMER_MODE_REL_HARD);
	Block = SecureAllocate(Pool, 300, Initial);
	if (Block) {
		ExSecurePoolUpdate(Pool, SECURE_TAG, Block, TABLE_COOKIE, 0, 4,
				   "irq!");
		SecureFree(Pool, Block);
	}
	if (NT_SUCCESS(ExCreatePool(POOL_CREATE_FLG_SECURE_POOL, SECURE_TAG,
				    NULL, &Other)))
		ExDestroyPool(Other);
	wait_for_completion(&Free->Done);
	Freed = !ExSecurePoolValidate(Pool, SECURE_TAG, Free->Block,
				      TABLE_COOKIE);
	return Freed && Block;
}

static noinline VOID FreeInHardIrqs(void)
{
	struct IRQ_FREE Free;
	ULONG i, Done = 0;

	init_completion(&Free.Done);
	hrtimer_init_on_stack(&Free.Timer, CLOCK_MONOTONIC,
			      HRTIMER_MODE_REL_HARD);
	Free.Timer.function = FreeInHardIrq;
	for (i = 0; i < irqfree; i++)
		Done += FreeOneInHardIrq(&Free);
	destroy_hrtimer_on_stack(&Free.Timer);
	pr_info("ntsecure: %u of %u allocations freed in hard interrupts\n",
		Done, irqfree);
}

/* Out of line and outside .init.text, so reports can name it later. */
static noinline NTSTATUS DriverEntry(void)
{
	POOL_EXTENDED_PARAMS_SECURE_POOL Secure;
	POOL_EXTENDED_PARAMETER Param = {
		.Type = PoolExtendedParameterSecurePool,
		.SecurePoolParams = &Secure,
	};
	NTSTATUS Status;

	Status = ExCreatePool(POOL_CREATE_FLG_SECURE_POOL, SECURE_TAG, NULL,
			      &Pool);
	if (!NT_SUCCESS(Status))
		return Status;
	Secure = TableParams();
	Table = ExAllocatePool3(POOL_FLAG_NON_PAGED, TABLE_SIZE, SECURE_TAG,
				&Param, 1);
	if (!Table) {
		ExDestroyPool(Pool);
		return STATUS_INSUFFICIENT_RESOURCES;
	}
	pr_info("ntsecure: table \"%.22s\", valid %u, wrong cookie valid %u\n",
		Table, ExSecurePoolValidate(Pool, SECURE_TAG, Table, TABLE_COOKIE),
		ExSecurePoolValidate(Pool, SECURE_TAG, Table, TABLE_COOKIE + 1));
	Status = ExSecurePoolUpdate(Pool, SECURE_TAG, Table, TABLE_COOKIE, 5,
				    5, "BRAVO");
	pr_info("ntsecure: update with the cookie: 0x%08x, table \"%.22s\"\n",
		(ULONG)Status, Table);
	Status = ExSecurePoolUpdate(Pool, SECURE_TAG, Table, 0, 5, 5, "bogus");
	pr_info("ntsecure: update without it: 0x%08x, table \"%.22s\"\n",
		(ULONG)Status, Table);
	if (huge)
		TryHugeSizes();
	if (irqfree)
		FreeInHardIrqs();
	if (write)
		kthread_run(WriteDirectly, NULL, "ntsecure");
	return STATUS_SUCCESS;
}

static int __init ntsecure_init(void)
{
	return NT_SUCCESS(DriverEntry()) ? 0 : -ENOMEM;
}

static void __exit ntsecure_exit(void)
{
	POOL_EXTENDED_PARAMS_SECURE_POOL Secure = TableParams();
	POOL_EXTENDED_PARAMETER Param = {
		.Type = PoolExtendedParameterSecurePool,
		.SecurePoolParams = &Secure,
	};

	pr_info("ntsecure: DriverUnload: table \"%.22s\"\n", Table);
	ExFreePool2(Table, SECURE_TAG, &Param, 1);
	ExDestroyPool(Pool);
}

module_init(ntsecure_init);
module_exit(ntsecure_exit);

MODULE_DESCRIPTION("ntpool sample: a secure pool only ExSecurePoolUpdate changes");
MODULE_LICENSE("GPL");
