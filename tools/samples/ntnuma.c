// SPDX-License-Identifier: GPL-2.0
/*
 * ntnuma - a sample ntpool client that asks ExAllocatePool3 for non-paged
 * blocks on a NUMA node (a POOL_EXTENDED_PARAMETER of type NumaNode) and
 * says which node each block's memory is on (page_to_nid()).
 *
 *   node=N      the PreferredNode
 *   any=1       add MM_ANY_NODE_OK: another node if N has no memory
 *   paged=1     ask for paged pool, which has no node placement (fails)
 *   count=, size=
 */
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/printk.h>
#include <ntpool/ntpool.h>

#define NUMA_TAG	('amuN')	/* shows as "Numa" */
#define NUMA_NODES_SHOWN	4

static unsigned int node, count = 8, size = 100;
static bool any, paged;
module_param(node, uint, 0444);
MODULE_PARM_DESC(node, "The preferred node");
module_param(any, bool, 0444);
MODULE_PARM_DESC(any, "MM_ANY_NODE_OK: any node will do");
module_param(paged, bool, 0444);
MODULE_PARM_DESC(paged, "Ask for paged pool (refused)");
module_param(count, uint, 0444);
MODULE_PARM_DESC(count, "Number of blocks");
module_param(size, uint, 0444);
MODULE_PARM_DESC(size, "Bytes per block");

static PVOID AllocateOnNode(void)
{
	POOL_EXTENDED_PARAMETER Param = {
		.Type = PoolExtendedParameterNumaNode,
		.PreferredNode = node | (any ? MM_ANY_NODE_OK : 0),
	};

	return ExAllocatePool3(paged ? POOL_FLAG_PAGED : POOL_FLAG_NON_PAGED,
			       size, NUMA_TAG, &Param, 1);
}

static NTSTATUS DriverEntry(void)
{
	ULONG OnNode[NUMA_NODES_SHOWN] = {}, Got = 0, i;
	PVOID Block;

	for (i = 0; i < count; i++) {
		Block = AllocateOnNode();
		if (!Block)
			continue;
		Got++;
		if (page_to_nid(virt_to_page(Block)) < NUMA_NODES_SHOWN)
			OnNode[page_to_nid(virt_to_page(Block))]++;
		ExFreePoolWithTag(Block, NUMA_TAG);
	}
	pr_info("ntnuma: node %u%s%s: %u of %u blocks; on node 0: %u, 1: %u, 2: %u, 3: %u\n",
		node, any ? " or any" : "", paged ? " (paged)" : "", Got,
		count, OnNode[0], OnNode[1], OnNode[2], OnNode[3]);
	return STATUS_SUCCESS;
}

static int __init ntnuma_init(void)
{
	return NT_SUCCESS(DriverEntry()) ? 0 : -ENOMEM;
}

static void __exit ntnuma_exit(void)
{
}

module_init(ntnuma_init);
module_exit(ntnuma_exit);

MODULE_DESCRIPTION("ntpool sample: non-paged pool on a chosen NUMA node");
MODULE_LICENSE("GPL");
