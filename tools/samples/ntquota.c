// SPDX-License-Identifier: GPL-2.0
/*
 * ntquota - a sample ntpool client that allocates pool charged as quota to
 * the process that loads it, the way a Windows driver charges buffers to
 * the process it works for.  On Linux the quota is the memory cgroup of
 * the task running insmod: load it from a cgroup and watch memory.current.
 *
 *   count=, size=   how many blocks of how many bytes (kept until unload)
 *   nonpaged=1      non-paged pool instead of paged
 *   pool2=1         ExAllocatePool2(... | POOL_FLAG_USE_QUOTA) instead of
 *                   ExAllocatePoolWithQuotaTag()
 *   fail=1          POOL_QUOTA_FAIL_INSTEAD_OF_RAISE: a block over the
 *                   limit is NULL instead of a raised STATUS_QUOTA_EXCEEDED
 */
#include <linux/module.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <ntpool/ntpool.h>

#define QUOTA_TAG	('atoQ')	/* shows as "Qota" */

static unsigned int count = 16, size = 3000;
static bool nonpaged, pool2, fail;
module_param(count, uint, 0444);
MODULE_PARM_DESC(count, "Number of blocks");
module_param(size, uint, 0444);
MODULE_PARM_DESC(size, "Bytes per block");
module_param(nonpaged, bool, 0444);
MODULE_PARM_DESC(nonpaged, "Non-paged pool instead of paged");
module_param(pool2, bool, 0444);
MODULE_PARM_DESC(pool2, "ExAllocatePool2 with POOL_FLAG_USE_QUOTA");
module_param(fail, bool, 0444);
MODULE_PARM_DESC(fail, "POOL_QUOTA_FAIL_INSTEAD_OF_RAISE");

static PVOID *Blocks;
static ULONG Allocated;

static PVOID AllocateCharged(void)
{
	POOL_TYPE Type = nonpaged ? NonPagedPoolNx : PagedPool;

	if (pool2)
		return ExAllocatePool2((nonpaged ? POOL_FLAG_NON_PAGED :
					POOL_FLAG_PAGED) | POOL_FLAG_USE_QUOTA,
				       size, QUOTA_TAG);
	if (fail)
		Type |= POOL_QUOTA_FAIL_INSTEAD_OF_RAISE;
	return ExAllocatePoolWithQuotaTag(Type, size, QUOTA_TAG);
}

/* Out of line and outside .init.text, so reports can name it later. */
static noinline NTSTATUS DriverEntry(void)
{
	ULONG Charged = 0;
	BOOLEAN Quota;

	Blocks = kcalloc(count, sizeof(*Blocks), GFP_KERNEL);
	if (!Blocks)
		return STATUS_INSUFFICIENT_RESOURCES;
	for (Allocated = 0; Allocated < count; Allocated++) {
		Blocks[Allocated] = AllocateCharged();
		if (!Blocks[Allocated]) {
			pr_info("ntquota: block %u of %u: no quota left\n",
				Allocated, count);
			break;
		}
		ExQueryPoolBlockSize(Blocks[Allocated], &Quota);
		Charged += Quota;
	}
	pr_info("ntquota: %u of %u blocks of %u bytes, %u with QuotaCharged\n",
		Allocated, count, size, Charged);
	return STATUS_SUCCESS;
}

static int __init ntquota_init(void)
{
	return NT_SUCCESS(DriverEntry()) ? 0 : -ENOMEM;
}

static void __exit ntquota_exit(void)
{
	ULONG i;

	for (i = 0; i < Allocated; i++)
		ExFreePoolWithTag(Blocks[i], QUOTA_TAG);
	kfree(Blocks);
}

module_init(ntquota_init);
module_exit(ntquota_exit);

MODULE_DESCRIPTION("ntpool sample: pool charged as quota to the loading process");
MODULE_LICENSE("GPL");
