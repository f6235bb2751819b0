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
 *
 * A driver usually allocates for a process from its I/O path and frees
 * later, from wherever the request completes.  debugfs "ntquota" does
 * that: writing "alloc" allocates count= more blocks, charged to the
 * writing process; writing "free" frees them all from a work item (a
 * kernel thread: another context than the process that was charged).
 */
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>
#include <ntpool/ntpool.h>

#define QUOTA_TAG	('atoQ')	/* shows as "Qota" */

static unsigned int count = 16, size = 3000;
static bool nonpaged, pool2, fail;
module_param(count, uint, 0644);
MODULE_PARM_DESC(count, "Number of blocks");
module_param(size, uint, 0444);
MODULE_PARM_DESC(size, "Bytes per block");
module_param(nonpaged, bool, 0444);
MODULE_PARM_DESC(nonpaged, "Non-paged pool instead of paged");
module_param(pool2, bool, 0444);
MODULE_PARM_DESC(pool2, "ExAllocatePool2 with POOL_FLAG_USE_QUOTA");
module_param(fail, bool, 0444);
MODULE_PARM_DESC(fail, "POOL_QUOTA_FAIL_INSTEAD_OF_RAISE");

/* Up to this many blocks held at once, whatever count= says. */
#define MAX_BLOCKS	4096

static PVOID *Blocks;
static ULONG Allocated;
static DEFINE_MUTEX(BlocksLock);
static struct dentry *Control;

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

/*
 * The PoolType byte of a small block's header, as !pool reads it: 0 for a
 * big block, which has no header.
 */
static UCHAR HeaderPoolType(PVOID Block)
{
	if (PAGE_ALIGNED(Block))
		return 0;
	return ((PUCHAR)Block)[-16 + 3];
}

/* Allocate count= more blocks, charged to the calling process. */
static void AllocateMore(void)
{
	ULONG Charged = 0, Asked = min_t(ULONG, count, MAX_BLOCKS - Allocated);
	ULONG First = Allocated;
	BOOLEAN Quota;

	while (Allocated - First < Asked) {
		Blocks[Allocated] = AllocateCharged();
		if (!Blocks[Allocated]) {
			pr_info("ntquota: block %u of %u: no quota left\n",
				Allocated - First, Asked);
			break;
		}
		ExQueryPoolBlockSize(Blocks[Allocated], &Quota);
		Charged += Quota;
		Allocated++;
	}
	pr_info("ntquota: %u of %u blocks of %u bytes, %u with QuotaCharged\n",
		Allocated - First, Asked, size, Charged);
	if (Allocated > First)
		pr_info("ntquota: PoolType 0x%02x\n", HeaderPoolType(Blocks[First]));
}

static void FreeAll(void)
{
	ULONG i;

	for (i = 0; i < Allocated; i++)
		ExFreePoolWithTag(Blocks[i], QUOTA_TAG);
	Allocated = 0;
}

static void FreeWork(struct work_struct *Work)
{
	FreeAll();
	pr_info("ntquota: freed from a work item\n");
}

static DECLARE_WORK(FreeItem, FreeWork);

static ssize_t ControlWrite(struct file *File, const char __user *Buffer,
			    size_t Length, loff_t *Offset)
{
	char Command[8] = {};

	if (copy_from_user(Command, Buffer, min(Length, sizeof(Command) - 1)))
		return -EFAULT;
	mutex_lock(&BlocksLock);
	if (sysfs_streq(Command, "alloc")) {
		AllocateMore();
	} else if (sysfs_streq(Command, "free")) {
		schedule_work(&FreeItem);
		flush_work(&FreeItem);
	} else {
		Length = -EINVAL;
	}
	mutex_unlock(&BlocksLock);
	return Length;
}

static const struct file_operations ControlOps = {
	.owner = THIS_MODULE,
	.write = ControlWrite,
};

/* Out of line and outside .init.text, so reports can name it later. */
static noinline NTSTATUS DriverEntry(void)
{
	Blocks = kcalloc(MAX_BLOCKS, sizeof(*Blocks), GFP_KERNEL);
	if (!Blocks)
		return STATUS_INSUFFICIENT_RESOURCES;
	/*
	 * Before the blocks, which may fill the loading process's cgroup:
	 * the file's dentry and inode are charged to it too.
	 */
	Control = debugfs_create_file("ntquota", 0200, NULL, NULL, &ControlOps);
	if (count)
		AllocateMore();
	return STATUS_SUCCESS;
}

static int __init ntquota_init(void)
{
	return NT_SUCCESS(DriverEntry()) ? 0 : -ENOMEM;
}

static void __exit ntquota_exit(void)
{
	debugfs_remove(Control);
	FreeAll();
	kfree(Blocks);
}

module_init(ntquota_init);
module_exit(ntquota_exit);

MODULE_DESCRIPTION("ntpool sample: pool charged as quota to the loading process");
MODULE_LICENSE("GPL");
