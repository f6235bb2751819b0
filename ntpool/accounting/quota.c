// SPDX-License-Identifier: GPL-2.0
/*
 * Pool quota: ExAllocatePoolWithQuotaTag and POOL_FLAG_USE_QUOTA.
 *
 * NT charges a quota block to the calling process and records the process
 * in the block's header (ProcessBilled).  The Linux counterpart of process
 * quota is the memory cgroup, and the only way a module can charge it is
 * to allocate pages with __GFP_ACCOUNT, which charges a memcg and uncharges
 * it when the pages are freed, from any context.  So a small quota block
 * is carved, behind its header, from pages charged to the memcg that pays
 * for it and holding only its blocks (quota_pages.c), and a big one is
 * whole pages of its own, charged likewise (big.c).  The memcg is charged
 * for the pages its blocks occupy, not for the bytes requested.  The
 * header's PoolType carries NT's quota bit (POOL_QUOTA_MASK); which memcg
 * pays is kept by the page, out of the client's reach, and ProcessBilled
 * stays ntpool's own (see pool_header.h).
 *
 * Who is charged, as on NT:
 *  - a user process: its memcg (none, if it is in the root cgroup or the
 *    kernel runs without memcg kmem accounting);
 *  - a kernel thread: nothing, as NT charges nothing to the System process;
 *  - interrupt or softirq context, where the current task is whoever was
 *    interrupted: nothing; Driver Verifier reports it as 0xC4/0x10B
 *    ("charging pool quota from a DPC") and refuses the call.
 * A request that charges nobody gets an ordinary block, without the quota
 * bit, as NT gives the System process.
 *
 * A charge over the memcg's memory.max fails the call (__GFP_RETRY_MAYFAIL:
 * no cgroup OOM kill), which the quota routines raise as
 * STATUS_QUOTA_EXCEEDED unless POOL_QUOTA_FAIL_INSTEAD_OF_RAISE.
 */
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/vmalloc.h>
#include "accounting/quota.h"
#include "report/report.h"
#include "base/request.h"

#if IS_ENABLED(CONFIG_NTPOOL_KUNIT_TEST)
/* Who pays, instead of the calling task, while a test sets it. */
struct mem_cgroup *(*ntpool_quota_payer_hook)(void);
#endif

/* The calling user task's memcg, referenced, or NULL if it pays nothing. */
static struct mem_cgroup *task_payer(void)
{
	struct mem_cgroup *memcg;

	if (!ntpool_memcg_kmem_on())
		return NULL;
	memcg = get_mem_cgroup_from_mm(current->mm);
	/* The root cgroup is charged nothing (and not referenced). */
	if (memcg && !parent_mem_cgroup(memcg)) {
		mem_cgroup_put(memcg);
		return NULL;
	}
	return memcg;
}

static struct mem_cgroup *payer(void)
{
#if IS_ENABLED(CONFIG_NTPOOL_KUNIT_TEST)
	struct mem_cgroup *(*hook)(void) = READ_ONCE(ntpool_quota_payer_hook);

	if (hook)
		return hook();
#endif
	if (current->flags & PF_KTHREAD)
		return NULL;
	return task_payer();
}

/**
 * ntpool_quota_prepare() - decide what a quota request charges
 * @req: the request, with @req->quota set
 * @verified: whether Driver Verifier watches the calling module
 *
 * Sets @req->memcg, with a reference that ntpool_quota_release() drops,
 * when the caller is a user task whose memcg pays.
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
	req->memcg = payer();
	if (!req->memcg)
		return true;
	/* Over the cgroup's limit, fail the call rather than OOM-kill. */
	req->gfp = (req->gfp & ~__GFP_NORETRY) | __GFP_RETRY_MAYFAIL;
	return true;
}

/**
 * ntpool_quota_release() - the request is done with its memcg
 * @req: the request
 */
void ntpool_quota_release(struct ntpool_request *req)
{
	mem_cgroup_put(req->memcg);
	req->memcg = NULL;
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
 * Return: STATUS_QUOTA_EXCEEDED when the paying memcg has no room for
 * the block (a page, for a small one), else (a size no machine holds included)
 * STATUS_INSUFFICIENT_RESOURCES.
 */
u32 ntpool_quota_failure_status(const struct ntpool_request *req)
{
	size_t pages = ntpool_size_pages(req->size);

	/* As NT, which finds no pool before it charges any quota. */
	if (!req->memcg || pages > totalram_pages())
		return (u32)STATUS_INSUFFICIENT_RESOURCES;
	return memcg_at_limit(req->memcg, pages) ?
	       (u32)STATUS_QUOTA_EXCEEDED : (u32)STATUS_INSUFFICIENT_RESOURCES;
}

/**
 * ntpool_quota_charged() - was the big block at @va charged to a memcg?
 * @va: its first page (a small block's charge is its page's quota set)
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
