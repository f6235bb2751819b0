// SPDX-License-Identifier: GPL-2.0
/*
 * Pool quota: ExAllocatePoolWithQuotaTag and POOL_FLAG_USE_QUOTA.
 *
 * NT charges a quota block to the calling process and records the process
 * in the block's header (ProcessBilled).  The Linux counterpart of process
 * quota is the memory cgroup, and the only way a module can charge it is
 * to allocate pages with __GFP_ACCOUNT, which charges the calling task's
 * memcg and uncharges it when the pages are freed.  So a charged block is
 * whole pages of its own (paged: vmalloc, non-paged: the page allocator),
 * like a big block, with no header: the memcg is recorded by the pages
 * themselves, and ProcessBilled stays ntpool's own (see pool_header.h).
 * The memcg is charged for what the block really takes: whole pages.
 *
 * Who is charged, as on NT:
 *  - a user process: its memcg (none, if it is in the root cgroup or the
 *    kernel runs without memcg kmem accounting);
 *  - a kernel thread: nothing, as NT charges nothing to the System process;
 *  - interrupt or softirq context, where the current task is whoever was
 *    interrupted: nothing; Driver Verifier reports it as 0xC4/0x10B
 *    ("charging pool quota from a DPC") and refuses the call.
 *
 * A charge over the memcg's memory.max fails the call (__GFP_RETRY_MAYFAIL:
 * no cgroup OOM kill), which the quota routines raise as
 * STATUS_QUOTA_EXCEEDED unless POOL_QUOTA_FAIL_INSTEAD_OF_RAISE.
 */
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/vmalloc.h>
#include "quota.h"
#include "report.h"
#include "verifier.h"

/**
 * ntpool_quota_prepare() - decide what a quota request charges
 * @req: the request, with @req->quota set
 * @verified: whether Driver Verifier watches the calling module
 *
 * Sets @req->charge when the caller is a user task.
 *
 * Return: false if the request is refused (reported).
 */
bool ntpool_quota_prepare(struct ntpool_request *req, bool verified)
{
	if (!in_task()) {
		if (!verified)
			return true;
		ntpool_bugcheck(DRIVER_VERIFIER_DETECTED_VIOLATION,
				NTPOOL_C4_QUOTA_FROM_DPC, 0, 0, 0,
				&req->caller);
		return false;
	}
	if (current->flags & PF_KTHREAD)
		return true;
	/* The block's pages get __GFP_ACCOUNT; ntpool's records do not. */
	req->charge = true;
	/* Over the cgroup's limit, fail the call rather than OOM-kill. */
	req->gfp = (req->gfp & ~__GFP_NORETRY) | __GFP_RETRY_MAYFAIL;
	return true;
}

/* Would @pages more take @memcg, or one of its ancestors, over its limit? */
static bool memcg_at_limit(struct mem_cgroup *memcg, unsigned long pages)
{
#ifdef CONFIG_MEMCG
	for (; memcg; memcg = parent_mem_cgroup(memcg))
		if (page_counter_read(&memcg->memory) + pages >
		    READ_ONCE(memcg->memory.max))
			return true;
#endif
	return false;
}

/**
 * ntpool_quota_failure_status() - what a failed quota request raises
 * @req: the request that found no memory
 *
 * Return: STATUS_QUOTA_EXCEEDED when the caller's memcg has no room for
 * the block, else (a size no machine holds included)
 * STATUS_INSUFFICIENT_RESOURCES.
 */
u32 ntpool_quota_failure_status(const struct ntpool_request *req)
{
	size_t pages = ntpool_size_pages(req->size);
	struct mem_cgroup *memcg;
	bool exceeded;

	/* As NT, which finds no pool before it charges any quota. */
	if (!req->charge || pages > totalram_pages())
		return (u32)STATUS_INSUFFICIENT_RESOURCES;
	memcg = get_mem_cgroup_from_mm(current->mm);
	exceeded = memcg_at_limit(memcg, pages);
	mem_cgroup_put(memcg);
	return exceeded ? (u32)STATUS_QUOTA_EXCEEDED :
			  (u32)STATUS_INSUFFICIENT_RESOURCES;
}

/**
 * ntpool_quota_charged() - was the block at @va charged to a memcg?
 * @va: the first page of a big block
 *
 * Return: true if its pages are charged (ExQueryPoolBlockSize's
 * QuotaCharged).
 */
bool ntpool_quota_charged(const void *va)
{
	struct page *page = is_vmalloc_addr(va) ? vmalloc_to_page(va) :
						  virt_to_page(va);

	return page && folio_memcg_kmem(page_folio(page));
}
