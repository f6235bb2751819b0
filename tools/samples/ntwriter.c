// SPDX-License-Identifier: GPL-2.0
/*
 * ntwriter - a sample ntpool client, written the way a Windows file-writing
 * driver is: each write is staged in a paged-pool buffer of 1..10000 bytes
 * from ExAllocatePool2() with the tag 'WrB1', filled, checked, and freed
 * with ExFreePoolWithTag().  Only <ntpool/ntpool.h> is used for the pool.
 */
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/printk.h>
#include <ntpool/ntpool.h>

#define WRITER_TAG		('1BrW')	/* shows as "WrB1" */
#define WRITER_MAX_LENGTH	10000

static unsigned int writes = 200;
module_param(writes, uint, 0444);
MODULE_PARM_DESC(writes, "Number of buffered writes DriverEntry performs");

static unsigned int seed = 1;
module_param(seed, uint, 0444);
MODULE_PARM_DESC(seed, "Seed for the buffer lengths (deterministic)");

static ULONG NextLength(ULONG *State)
{
	ULONG x = *State;

	/* xorshift32: the same lengths on every run with the same seed. */
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*State = x;
	return x % WRITER_MAX_LENGTH + 1;
}

static NTSTATUS WriteBuffered(ULONG Index, ULONG Length, SIZE_T *Total)
{
	PUCHAR Buffer;
	BOOLEAN Quota;
	ULONG i;

	Buffer = ExAllocatePool2(POOL_FLAG_PAGED, Length, WRITER_TAG);
	if (!Buffer)
		return STATUS_INSUFFICIENT_RESOURCES;

	for (i = 0; i < Length; i++)
		if (Buffer[i] != 0)	/* ExAllocatePool2 zeroes */
			goto corrupt;
	for (i = 0; i < Length; i++)
		Buffer[i] = (UCHAR)(Index + i);
	for (i = 0; i < Length; i++)
		if (Buffer[i] != (UCHAR)(Index + i))
			goto corrupt;
	if (ExQueryPoolBlockSize(Buffer, &Quota) < Length)
		goto corrupt;

	if (Index == 0)
		/* The real address, for debugfs "pool" (as root reads dmesg). */
		pr_info("ntwriter: write 0: %u bytes in paged pool at %lx (vmalloc: %s), block size %zu\n",
			Length, (unsigned long)Buffer,
			is_vmalloc_addr(Buffer) ? "yes" : "no",
			(size_t)ExQueryPoolBlockSize(Buffer, &Quota));
	*Total += Length;
	ExFreePoolWithTag(Buffer, WRITER_TAG);
	return STATUS_SUCCESS;

corrupt:
	pr_err("ntwriter: write %u: buffer of %u bytes is corrupt\n", Index,
	       Length);
	ExFreePoolWithTag(Buffer, WRITER_TAG);
	return STATUS_INVALID_PARAMETER;
}

/* Out of line and outside .init.text, so trace events can name it later. */
static noinline NTSTATUS DriverEntry(void)
{
	ULONG State = seed ? seed : 1;
	SIZE_T Total = 0;
	NTSTATUS Status;
	ULONG i;

	for (i = 0; i < writes; i++) {
		Status = WriteBuffered(i, NextLength(&State), &Total);
		if (!NT_SUCCESS(Status)) {
			pr_err("ntwriter: write %u failed, status 0x%08x\n", i,
			       (ULONG)Status);
			return Status;
		}
	}
	pr_info("ntwriter: %s: %u writes, %zu bytes staged in 'WrB1' buffers of 1..%u bytes, all verified and freed\n",
		__func__, writes, (size_t)Total, WRITER_MAX_LENGTH);
	return STATUS_SUCCESS;
}

static int __init ntwriter_init(void)
{
	return NT_SUCCESS(DriverEntry()) ? 0 : -ENOMEM;
}

static void __exit ntwriter_exit(void)
{
	pr_info("ntwriter: DriverUnload\n");
}

module_init(ntwriter_init);
module_exit(ntwriter_exit);

MODULE_DESCRIPTION("ntpool sample: a Windows-style file-writing driver");
MODULE_LICENSE("GPL");
