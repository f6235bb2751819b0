// SPDX-License-Identifier: GPL-2.0
/*
 * ntmisuse - a sample ntpool client with the pool bugs Windows drivers are
 * known for: a free with the wrong tag, a double free, a free of a pointer
 * into the middle of a block, and an allocation with tag 0.  Load ntpool
 * with on_violation=report to see each reported as NT would bugcheck, while
 * the pool stays consistent and the system keeps running.
 */
#include <linux/module.h>
#include <linux/printk.h>
#include <ntpool/ntpool.h>

#define MISUSE_TAG	('dcba')	/* shows as "abcd" */

static int __init ntmisuse_init(void)
{
	PUCHAR Buffer = ExAllocatePool2(POOL_FLAG_NON_PAGED, 64, MISUSE_TAG);

	if (!Buffer)
		return -ENOMEM;
	pr_info("ntmisuse: freeing with the wrong tag\n");
	ExFreePoolWithTag(Buffer, 'gnrW');
	pr_info("ntmisuse: freeing a pointer into the block\n");
	ExFreePool(Buffer + 16);
	pr_info("ntmisuse: freeing it properly\n");
	ExFreePoolWithTag(Buffer, MISUSE_TAG);
	pr_info("ntmisuse: freeing it again\n");
	ExFreePoolWithTag(Buffer, MISUSE_TAG);
	pr_info("ntmisuse: allocating with tag 0\n");
	if (!ExAllocatePoolWithTag(PagedPool, 32, 0))
		pr_info("ntmisuse: tag 0 refused\n");

	/* The pool still works after all of that. */
	Buffer = ExAllocatePool2(POOL_FLAG_PAGED, 100, MISUSE_TAG);
	if (!Buffer)
		return -ENOMEM;
	ExFreePoolWithTag(Buffer, MISUSE_TAG);
	pr_info("ntmisuse: pool still consistent after the misuse\n");
	return 0;
}

static void __exit ntmisuse_exit(void)
{
}

module_init(ntmisuse_init);
module_exit(ntmisuse_exit);

MODULE_DESCRIPTION("ntpool sample: the classic pool bugs, reported NT-style");
MODULE_LICENSE("GPL");
