// SPDX-License-Identifier: GPL-2.0
/*
 * nttags - a sample ntpool client that allocates known counts and sizes
 * under three tags and keeps the live blocks until it unloads, so that the
 * poolmon and WinDbg views can be checked against what it did:
 *
 *   Tag1: 10 x 100 bytes non-paged, 4 freed   -> 6 live, 128 block bytes each
 *   Tag2:  3 x 5000 bytes paged (big blocks)  -> 3 live, 8192 bytes each
 *   Tag3:  5 x 1000 bytes paged, all freed    -> 0 live
 */
#include <linux/module.h>
#include <linux/printk.h>
#include <ntpool/ntpool.h>

#define TAG1	('1gaT')	/* shows as "Tag1" */
#define TAG2	('2gaT')
#define TAG3	('3gaT')

static PVOID Tag1Blocks[10];
static PVOID Tag2Blocks[3];

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
	if (!NT_SUCCESS(AllocateAll())) {
		FreeAll();
		return -ENOMEM;
	}
	/* The raw addresses are for the test that reads debugfs "pool". */
	pr_info("nttags: Tag1 block at %lx, Tag2 block at %lx\n",
		(unsigned long)Tag1Blocks[4] + 20, (unsigned long)Tag2Blocks[0]);
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
