// SPDX-License-Identifier: GPL-2.0
/*
 * Secure pools: ExCreatePool, ExAllocatePool3's SecurePool parameter,
 * ExSecurePoolUpdate, ExSecurePoolValidate, ExFreePool2, ExDestroyPool.
 *
 * NT keeps a secure pool in memory that only the secure kernel (VTL1) can
 * write; the normal kernel reads it and asks the secure kernel for changes,
 * which checks the allocation's cookie first.  ntpool keeps the promise as
 * far as one kernel can: an allocation is whole pages that the client sees
 * only through a read-only mapping (vmap with PAGE_KERNEL_RO), so a write
 * through the client's pointer faults; ExSecurePoolUpdate writes through
 * the pages' direct-map addresses after checking the pool, tag, cookie,
 * range and SECURE_POOL_FLAGS_MODIFIABLE; the cookie is checked again on
 * free, with SECURE_POOL_FLAGS_FREEABLE.  What this does not stop (a write
 * through the direct map, a change of the page tables, anything with the
 * kernel's privileges) is in Documentation/differences.rst.
 *
 * Handles are small integers, multiples of 4 as NT's are, so that a
 * handle that is not a live pool is recognised without being followed.
 * One spin lock covers every pool: secure allocations are few and large.
 */
#include <linux/llist.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include "base/leak.h"
#include "core/pool.h"
#include "report/report.h"
#include "core/secure_pool.h"
#include "accounting/tags.h"
#include "report/trace.h"

struct secure_pool {
	struct list_head allocations;
};

/* One allocation: what the client sees (@ro) and what ntpool writes. */
struct secure_allocation {
	struct list_head link;
	struct llist_node deferred;
	void *ro;
	struct page **pages;
	size_t nr_pages;
	size_t size;
	u32 tag;
	u16 site_id;
	u8 client;
	enum ntpool_kind kind;
	ULONG_PTR cookie;
	ULONG flags;
};

/*
 * Locking: secure_lock (interrupts saved: a free may come from a hard
 * interrupt, as for any non-paged block) covers the pools' allocation
 * lists; the pool it finds through secure_pools stays alive while it is
 * held.  The xarray's own lock is never taken under secure_lock, and
 * always with interrupts off (XA_FLAGS_LOCK_IRQ), so no order between the
 * two can deadlock.  Lookups use RCU; secure_lock keeps them in an RCU
 * read-side section too.
 */
static DEFINE_XARRAY_FLAGS(secure_pools, XA_FLAGS_ALLOC1 | XA_FLAGS_LOCK_IRQ);
static DEFINE_SPINLOCK(secure_lock);

static HANDLE handle_of(u32 id)
{
	return (HANDLE)(uintptr_t)(id << 2);
}

/* The index @handle names in secure_pools, or 0 if it names none. */
static unsigned long id_of(HANDLE handle)
{
	uintptr_t h = (uintptr_t)handle;

	return h & 3 || h >> 2 > U32_MAX ? 0 : h >> 2;
}

/* The pool behind @handle, or NULL; with secure_lock held. */
static struct secure_pool *pool_locked(HANDLE handle)
{
	unsigned long id = id_of(handle);

	return id ? xa_load(&secure_pools, id) : NULL;
}

static struct secure_allocation *
allocation_locked(struct secure_pool *pool, const void *p)
{
	struct secure_allocation *a;

	list_for_each_entry(a, &pool->allocations, link)
		if (a->ro == p)
			return a;
	return NULL;
}

/**
 * ntpool_create_pool() - ExCreatePool() behind the inline wrapper
 * @flags: POOL_CREATE_FLG_*
 * @tag: the pool's tag (not kept: each allocation has its own)
 * @params: POOL_CREATE_EXTENDED_PARAMS or NULL
 * @handle: receives the handle
 * @caller: the calling module and call site
 *
 * Return: an NTSTATUS, see ExCreatePool().
 */
NTSTATUS ntpool_create_pool(ULONG flags, unsigned long tag,
			    POOL_CREATE_EXTENDED_PARAMS *params,
			    HANDLE *handle, struct ntpool_caller caller)
{
	struct secure_pool *pool;
	u32 id;

	if (!handle || flags & ~POOL_CREATE_FLG_VALID_FLAGS ||
	    (params && params->Version != POOL_CREATE_PARAMS_VERSION))
		return STATUS_INVALID_PARAMETER;
	if (!(flags & POOL_CREATE_FLG_SECURE_POOL))
		return STATUS_NOT_SUPPORTED;
	pool = kzalloc(sizeof(*pool), GFP_KERNEL);
	if (!pool)
		return STATUS_INSUFFICIENT_RESOURCES;
	INIT_LIST_HEAD(&pool->allocations);
	if (xa_alloc_irq(&secure_pools, &id, pool, XA_LIMIT(1, U32_MAX >> 2),
			 GFP_KERNEL)) {
		kfree(pool);
		return STATUS_INSUFFICIENT_RESOURCES;
	}
	*handle = handle_of(id);
	return STATUS_SUCCESS;
}
EXPORT_SYMBOL_NS_GPL(ntpool_create_pool, NTPOOL_NS);

/*
 * Pages with the initial contents, then the read-only mapping.  Failures
 * are quiet, and end in the OOM killer only if @gfp asks for it.
 */
static bool allocation_map(struct secure_allocation *a, const void *init,
			   gfp_t gfp)
{
	size_t done, chunk, i;

	gfp |= GFP_KERNEL | __GFP_NOWARN;
	if (!(gfp & __GFP_NORETRY))
		gfp |= __GFP_RETRY_MAYFAIL;
	a->pages = kvcalloc(a->nr_pages, sizeof(*a->pages), gfp);
	if (!a->pages)
		return false;
	for (i = 0; i < a->nr_pages; i++) {
		a->pages[i] = alloc_page(gfp | __GFP_ZERO);
		if (!a->pages[i])
			return false;
		cond_resched();
	}
	for (done = 0; init && done < a->size; done += chunk) {
		chunk = min_t(size_t, a->size - done, PAGE_SIZE);
		memcpy(page_address(a->pages[done >> PAGE_SHIFT]), init + done,
		       chunk);
	}
	a->ro = vmap(a->pages, a->nr_pages, VM_MAP, PAGE_KERNEL_RO);
	return a->ro;
}

static void allocation_unmap(struct secure_allocation *a)
{
	size_t i;

	if (a->ro)
		vunmap(a->ro);
	for (i = 0; a->pages && i < a->nr_pages; i++)
		if (a->pages[i])
			__free_page(a->pages[i]);
	kvfree(a->pages);
	kfree(a);
}

/* vunmap() may sleep: frees where sleeping is not allowed wait for this. */
static LLIST_HEAD(deferred_frees);

static void free_deferred(struct work_struct *work)
{
	struct secure_allocation *a, *next;

	llist_for_each_entry_safe(a, next, llist_del_all(&deferred_frees),
				  deferred)
		allocation_unmap(a);
}

static DECLARE_WORK(deferred_work, free_deferred);

static void allocation_free(struct secure_allocation *a)
{
	ntpool_leak_untrack(a->ro);
	ntpool_site_count_free(a->site_id, a->kind,
			       (size_t)a->nr_pages << PAGE_SHIFT);
	if (ntpool_can_sleep())
		allocation_unmap(a);
	else if (llist_add(&a->deferred, &deferred_frees))
		schedule_work(&deferred_work);
}

/**
 * ntpool_secure_alloc() - a secure allocation for ExAllocatePool3()
 * @req: the request, with its SecurePool parameter
 *
 * Only where sleeping is allowed (the mapping is made then).
 *
 * Return: the read-only allocation, or NULL.
 */
void *ntpool_secure_alloc(struct ntpool_request *req)
{
	const POOL_EXTENDED_PARAMS_SECURE_POOL *sp = req->secure;
	size_t nr_pages = ntpool_size_pages(req->size);
	struct secure_allocation *a;
	struct secure_pool *pool;
	unsigned long flags;

	if (!ntpool_can_sleep() || sp->SecurePoolFlags & ~NTPOOL_SECURE_FLAGS_VALID)
		return NULL;
	/* More than the machine has: refused before anything is tried. */
	if (nr_pages > totalram_pages())
		return NULL;
	a = kmalloc(sizeof(*a), GFP_KERNEL | __GFP_NOWARN);
	if (!a)
		return NULL;
	ntpool_leak_no_scan(a);
	*a = (struct secure_allocation) {
		.nr_pages = nr_pages,
		.size = req->size, .tag = req->tag, .kind = req->kind,
		.client = req->client, .cookie = sp->Cookie,
		.flags = sp->SecurePoolFlags,
	};
	if (!allocation_map(a, sp->Buffer, req->gfp))
		goto fail;
	a->site_id = ntpool_site_get(ntpool_plain_tag(req->tag), req->caller.ip,
				     req->counter, GFP_KERNEL)->id;
	spin_lock_irqsave(&secure_lock, flags);
	pool = pool_locked(sp->SecurePoolHandle);
	if (pool)
		list_add(&a->link, &pool->allocations);
	spin_unlock_irqrestore(&secure_lock, flags);
	if (!pool)
		goto fail;
	ntpool_site_count_alloc(ntpool_site_by_id(a->site_id), a->kind,
				(size_t)a->nr_pages << PAGE_SHIFT);
	ntpool_leak_track(a->ro, a->size, req);
	/* Pool Tracking has no record of secure pool allocations. */
	ntpool_client_count(ntpool_client_of(req->caller.module),
			    NTPOOL_VC_UNTRACKED);
	trace_ntpool_alloc(req->tag, req->size, req->kind, a->ro, &req->caller);
	return a->ro;

fail:
	allocation_unmap(a);
	return NULL;
}

/* Is @a the allocation @tag and @cookie name?  A tag of 0 is not checked. */
static bool allocation_matches(const struct secure_allocation *a, u32 tag,
			       ULONG_PTR cookie)
{
	return a && a->cookie == cookie &&
	       (!tag || ntpool_plain_tag(tag) == ntpool_plain_tag(a->tag));
}

/**
 * ntpool_secure_free() - ExFreePool2() of a secure allocation
 * @p: the allocation
 * @tag: its tag, or 0
 * @sp: the SecurePool parameter: the pool's handle and the cookie
 * @caller: the calling module and call site
 *
 * An allocation that is not the pool's, or whose tag or cookie differ, or
 * that is not SECURE_POOL_FLAGS_FREEABLE, is reported (0xC2/0x99) and
 * stays allocated.
 */
void ntpool_secure_free(void *p, u32 tag,
			const POOL_EXTENDED_PARAMS_SECURE_POOL *sp,
			const struct ntpool_caller *caller)
{
	struct secure_allocation *a = NULL;
	struct secure_pool *pool;
	unsigned long flags;
	const char *why;

	spin_lock_irqsave(&secure_lock, flags);
	pool = sp ? pool_locked(sp->SecurePoolHandle) : NULL;
	if (pool)
		a = allocation_locked(pool, p);
	if (!a)
		why = ", not an allocation of that secure pool";
	else if (!allocation_matches(a, tag, sp->Cookie))
		why = ", secure allocation with another tag or cookie";
	else if (!(a->flags & SECURE_POOL_FLAGS_FREEABLE))
		why = ", secure allocation not SECURE_POOL_FLAGS_FREEABLE";
	else
		why = NULL;
	if (!why)
		list_del(&a->link);
	spin_unlock_irqrestore(&secure_lock, flags);
	if (why) {
		struct ntpool_report_extra extra = { .notes = { why } };

		ntpool_bugcheck_extra(BAD_POOL_CALLER, NTPOOL_C2_BAD_ADDRESS,
				      (unsigned long)p, 0, 0, caller, &extra);
		return;
	}
	trace_ntpool_free(a->tag, (size_t)a->nr_pages << PAGE_SHIFT, a->kind,
			  p, caller);
	allocation_free(a);
}

/**
 * ntpool_secure_update() - ExSecurePoolUpdate() behind the inline wrapper
 * @handle: the pool
 * @tag: the allocation's tag
 * @allocation: the allocation
 * @cookie: its cookie
 * @offset: where to write
 * @size: how many bytes
 * @buffer: what to write
 * @caller: the calling module and call site
 *
 * Return: an NTSTATUS, see ExSecurePoolUpdate().
 */
NTSTATUS ntpool_secure_update(HANDLE handle, ULONG tag, PVOID allocation,
			      unsigned long cookie, SIZE_T offset, SIZE_T size,
			      PVOID buffer, struct ntpool_caller caller)
{
	struct secure_allocation *a;
	struct secure_pool *pool;
	NTSTATUS status = STATUS_SUCCESS;
	unsigned long flags;
	size_t chunk;

	spin_lock_irqsave(&secure_lock, flags);
	pool = pool_locked(handle);
	a = pool ? allocation_locked(pool, allocation) : NULL;
	if (!pool)
		status = STATUS_INVALID_HANDLE;
	else if (!allocation_matches(a, tag, cookie) || !tag || !buffer ||
		 offset > a->size || size > a->size - offset)
		status = STATUS_INVALID_PARAMETER;
	else if (!(a->flags & SECURE_POOL_FLAGS_MODIFIABLE))
		status = STATUS_ACCESS_DENIED;
	for (; status == STATUS_SUCCESS && size; size -= chunk) {
		chunk = min_t(size_t, size, PAGE_SIZE - offset_in_page(offset));
		memcpy(page_address(a->pages[offset >> PAGE_SHIFT]) +
		       offset_in_page(offset), buffer, chunk);
		buffer += chunk;
		offset += chunk;
	}
	spin_unlock_irqrestore(&secure_lock, flags);
	return status;
}
EXPORT_SYMBOL_NS_GPL(ntpool_secure_update, NTPOOL_NS);

/**
 * ntpool_secure_validate() - ExSecurePoolValidate() behind the wrapper
 * @handle: the pool
 * @tag: the tag the allocation should have
 * @allocation: the allocation
 * @cookie: the cookie it should have
 * @caller: the calling module and call site
 *
 * Return: TRUE if the pool holds @allocation with @tag and @cookie.
 */
LOGICAL ntpool_secure_validate(HANDLE handle, ULONG tag, PVOID allocation,
			       unsigned long cookie, struct ntpool_caller caller)
{
	struct secure_pool *pool;
	unsigned long flags;
	LOGICAL valid;

	spin_lock_irqsave(&secure_lock, flags);
	pool = pool_locked(handle);
	valid = pool && tag &&
		allocation_matches(allocation_locked(pool, allocation), tag,
				   cookie);
	spin_unlock_irqrestore(&secure_lock, flags);
	return valid;
}
EXPORT_SYMBOL_NS_GPL(ntpool_secure_validate, NTPOOL_NS);

static void pool_free(struct secure_pool *pool)
{
	struct secure_allocation *a, *next;

	list_for_each_entry_safe(a, next, &pool->allocations, link)
		allocation_free(a);
	kfree(pool);
}

/**
 * ntpool_destroy_pool() - ExDestroyPool() behind the inline wrapper
 * @handle: the pool
 * @caller: the calling module and call site
 *
 * Frees what is left in the pool.  A handle that is not a live pool is
 * reported (0xC2/0x99 with the handle).
 */
void ntpool_destroy_pool(HANDLE handle, struct ntpool_caller caller)
{
	unsigned long id = id_of(handle), flags;
	struct secure_pool *pool = NULL;

	caller.ip = _RET_IP_;
	/* Of two racing destroys, one erases the pool and the other reports. */
	if (id) {
		xa_lock_irqsave(&secure_pools, flags);
		pool = __xa_erase(&secure_pools, id);
		xa_unlock_irqrestore(&secure_pools, flags);
	}
	if (!pool) {
		struct ntpool_report_extra extra = {
			.notes = { ", not a secure pool handle" },
		};

		ntpool_bugcheck_extra(BAD_POOL_CALLER, NTPOOL_C2_BAD_ADDRESS,
				      (uintptr_t)handle, 0, 0, &caller, &extra);
		return;
	}
	/* Whoever found the pool before it was erased is done with it now. */
	spin_lock_irqsave(&secure_lock, flags);
	spin_unlock_irqrestore(&secure_lock, flags);
	pool_free(pool);
}
EXPORT_SYMBOL_NS_GPL(ntpool_destroy_pool, NTPOOL_NS);

/**
 * ntpool_secure_exit() - free the pools left when ntpool unloads
 */
void ntpool_secure_exit(void)
{
	struct secure_pool *pool;
	unsigned long id;

	xa_for_each(&secure_pools, id, pool) {
		xa_erase_irq(&secure_pools, id);
		pool_free(pool);
	}
	flush_work(&deferred_work);
}
