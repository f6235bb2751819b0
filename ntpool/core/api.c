// SPDX-License-Identifier: GPL-2.0
/*
 * The exported entry points behind the NT routines of <ntpool/ntpool.h>,
 * and the general path of those the per-CPU caches serve first (pcp.c):
 * they turn POOL_FLAGS or a legacy POOL_TYPE into one ntpool_request,
 * check it as NT does, and hand it to the small- or big-block allocator.
 */
#define pr_fmt(fmt) "ntpool: " fmt

#include <linux/ctype.h>
#include <linux/string.h>
#include "accounting/client.h"
#include "verifier/faults.h"
#include "base/gfp.h"
#include "core/pool.h"
#include "core/extparams.h"
#include "accounting/quota.h"
#include "report/report.h"
#include "core/secure_pool.h"
#include "core/special.h"
#include "accounting/tags.h"
#include "verifier/verifier.h"

#define POOL_FLAG_KIND_MASK \
	(POOL_FLAG_NON_PAGED | POOL_FLAG_NON_PAGED_EXECUTE | POOL_FLAG_PAGED)
/* Required bits ntpool accepts; the rest fail the call as NT documents. */
#define POOL_FLAG_SUPPORTED_REQUIRED \
	(POOL_FLAG_USE_QUOTA | POOL_FLAG_UNINITIALIZED | \
	 POOL_FLAG_CACHE_ALIGNED | POOL_FLAG_RAISE_ON_FAILURE | \
	 POOL_FLAG_KIND_MASK)

/* Legacy POOL_TYPE modifier bits that do not choose the pool. */
#define POOL_TYPE_MODIFIERS \
	(POOL_QUOTA_FAIL_INSTEAD_OF_RAISE | POOL_RAISE_IF_ALLOCATION_FAILURE | \
	 POOL_COLD_ALLOCATION | POOL_NX_ALLOCATION | POOL_ZERO_ALLOCATION | \
	 NTPOOL_QUOTA_REQUEST | NTPOOL_EXECUTE_REQUEST)
/* ntpool's own bits in a legacy type: not NT's, never shown in a report. */
#define NTPOOL_TYPE_PRIVATE	(NTPOOL_QUOTA_REQUEST | NTPOOL_EXECUTE_REQUEST)
#define POOL_TYPE_SESSION		32
#define POOL_TYPE_MUST_SUCCEED		2
#define POOL_TYPE_CACHE_ALIGNED		4

/*
 * Linux has no SEH: a "raised" failure is reported as the exception no
 * handler caught, with @status as its code, then NULL returned.
 */
static void *fail(const struct ntpool_request *req, u32 status)
{
	if (req->raise)
		ntpool_bugcheck(KMODE_EXCEPTION_NOT_HANDLED, status,
				req->caller.ip, req->size, req->tag,
				&req->caller);
	return NULL;
}

/* A request that found no memory (or was made to find none). */
static void *fail_no_memory(const struct ntpool_request *req)
{
	return fail(req, ntpool_quota_failure_status(req));
}

static bool verified(const struct ntpool_client *c)
{
	return READ_ONCE(c->verify) != NTPOOL_VERIFY_NONE;
}

/* What NT refuses before looking for memory, reported as NT reports it. */
static bool request_allowed(struct ntpool_client *c,
			    const struct ntpool_request *req, u32 nt_type)
{
	const struct ntpool_caller *caller = &req->caller;

	if (!READ_ONCE(c->loaded)) {
		struct ntpool_usage_stats st;

		ntpool_usage_read(&c->usage, &st);
		ntpool_bugcheck(DRIVER_VERIFIER_DETECTED_VIOLATION,
				NTPOOL_C4_ALLOC_WHILE_UNLOADING,
				st.bytes[NTPOOL_PAGED], st.bytes[NTPOOL_NONPAGED],
				st.count[NTPOOL_PAGED] + st.count[NTPOOL_NONPAGED],
				caller);
		return false;
	}
	/*
	 * Retail NT serves 0 bytes as the smallest block; only Driver
	 * Verifier's Pool Tracking reports the request, and fails it.
	 */
	if (!req->size && verified(c)) {
		ntpool_bugcheck(DRIVER_VERIFIER_DETECTED_VIOLATION,
				NTPOOL_C4_ZERO_SIZE, ntpool_current_irql(),
				nt_type, 0, caller);
		return false;
	}
	/* Paged pool may only be used where sleeping is allowed. */
	if (req->kind != NTPOOL_PAGED || ntpool_can_sleep())
		return true;
	ntpool_bugcheck(verified(c) ? DRIVER_VERIFIER_DETECTED_VIOLATION :
				      BAD_POOL_CALLER,
			verified(c) ? NTPOOL_C4_PAGED_ALLOC_IRQL :
				      NTPOOL_C2_ALLOC_IRQL,
			ntpool_current_irql(), nt_type, req->size, caller);
	return false;
}

/* A request that passed the checks: low-resources simulation, the pool. */
static void *allocate_allowed(struct ntpool_client *c,
			      struct ntpool_request *req)
{
	void *p;

	if (ntpool_fault_injected(c, req)) {
		ntpool_client_count(c, NTPOOL_VC_FAILED_DELIBERATELY);
		return fail_no_memory(req);
	}
	p = req->secure ? ntpool_secure_alloc(req) :
	    req->exec ? ntpool_pool_alloc(ntpool_exec_pool(), req) :
			ntpool_pool_alloc(&ntpool_pools[req->kind], req);
	if (!p) {
		ntpool_client_count(c, NTPOOL_VC_FAILED);
		return fail_no_memory(req);
	}
	if (!req->succeeded_counted)
		ntpool_client_count(c, NTPOOL_VC_SUCCEEDED);
	return p;
}

/*
 * Every allocation goes through here once its arguments are parsed
 * (@valid): the calling module's counters, the checks, then what
 * allocate_allowed() does.  With a raise flag, invalid arguments raise
 * STATUS_INVALID_PARAMETER and a lack of memory what NT raises for it; a
 * request refused with a report of its own (NT bugchecks then) raises
 * nothing more.
 */
static void *allocate_checked(struct ntpool_request *req, u32 nt_type,
			      bool valid)
{
	struct ntpool_client *c;
	void *p;

	/* A module on the shared id keeps its own counters. */
	c = ntpool_client_of(req->caller.module);
	req->client = c->id;
	req->counter = c;
	/* Attempts are not counted: each ends in one of the outcomes below. */
	if (req->tag == NTPOOL_TAG_NONE)
		ntpool_client_count(c, NTPOOL_VC_NO_TAG);
	if (!valid || !request_allowed(c, req, nt_type) ||
	    (req->quota && !ntpool_quota_prepare(req, verified(c)))) {
		ntpool_client_count(c, NTPOOL_VC_FAILED);
		return valid ? NULL : fail(req, (u32)STATUS_INVALID_PARAMETER);
	}
	p = allocate_allowed(c, req);
	ntpool_quota_release(req);
	return p;
}

static bool parse_pool_flags(POOL_FLAGS flags, struct ntpool_request *req)
{
	POOL_FLAGS required = flags & POOL_FLAG_REQUIRED_MASK;
	POOL_FLAGS kind = flags & POOL_FLAG_KIND_MASK;

	req->raise = flags & POOL_FLAG_RAISE_ON_FAILURE;
	if (required & ~POOL_FLAG_SUPPORTED_REQUIRED)
		return false;
	/* Exactly one kind (hweight64() is a call on kernels without POPCNT). */
	if (!kind || (kind & (kind - 1)))
		return false;
	req->kind = kind == POOL_FLAG_PAGED ? NTPOOL_PAGED : NTPOOL_NONPAGED;
	req->exec = kind == POOL_FLAG_NON_PAGED_EXECUTE;
	req->zero = !(flags & POOL_FLAG_UNINITIALIZED);
	if (flags & POOL_FLAG_SPECIAL_POOL)
		req->special = NTPOOL_SPECIAL_END;
	req->cache_aligned = flags & POOL_FLAG_CACHE_ALIGNED;
	req->quota = flags & POOL_FLAG_USE_QUOTA;
	return true;
}

/*
 * The POOL_TYPE NT's reports show for an ExAllocatePool2/3 request: the
 * migration table of the WDK maps NonPagedPoolNx to POOL_FLAG_NON_PAGED and
 * NonPagedPool (executable) to POOL_FLAG_NON_PAGED_EXECUTE.
 */
static u32 pool2_type(POOL_FLAGS flags)
{
	u32 type = flags & POOL_FLAG_PAGED ? PagedPool :
		   flags & POOL_FLAG_NON_PAGED ? NonPagedPoolNx : NonPagedPool;

	return type + (flags & POOL_FLAG_CACHE_ALIGNED ? POOL_TYPE_CACHE_ALIGNED : 0);
}

/* ExAllocatePool2 and 3: POOL_FLAGS, and extended parameters if any. */
static void *allocate_flags(POOL_FLAGS flags, SIZE_T size, ULONG tag,
			    PCPOOL_EXTENDED_PARAMETER params, ULONG count,
			    const struct ntpool_caller *caller)
{
	struct ntpool_request req = {
		.size = size, .tag = tag, .caller = *caller,
		.gfp = ntpool_priority_gfp(NormalPoolPriority),
	};
	bool valid = parse_pool_flags(flags, &req) && tag &&
		     ntpool_parse_extended(params, count, &req);

	return allocate_checked(&req, pool2_type(flags), valid);
}

/**
 * ntpool_allocate_general() - ExAllocatePool2() for what the per-CPU caches
 *	did not serve (pcp.c)
 * @flags: POOL_FLAGS
 * @size: bytes requested
 * @tag: pool tag, non-zero
 * @caller: the calling module and call site
 *
 * Unknown optional flags (the high 32 bits) are ignored; an unknown or
 * unsupported required flag, a flag set that does not name exactly one pool
 * kind, or tag 0 fails the call.  POOL_FLAG_USE_QUOTA charges the calling
 * task's memory cgroup (see quota.c).
 *
 * Return: the block or NULL.
 */
void *ntpool_allocate_general(POOL_FLAGS flags, SIZE_T size, ULONG tag,
			      const struct ntpool_caller *caller)
{
	return allocate_flags(flags, size, tag, NULL, 0, caller);
}

/**
 * ntpool_allocate3() - ExAllocatePool3() behind the inline wrapper
 * @flags: POOL_FLAGS, as for ExAllocatePool2()
 * @size: bytes requested
 * @tag: pool tag, non-zero
 * @params: extended parameters, or NULL
 * @count: how many
 * @caller: the calling module and call site
 *
 * Priority, NumaNode and SecurePool parameters are honoured; a parameter
 * ntpool cannot honour (an unknown type, reserved bits, NumaNode without
 * POOL_FLAG_NON_PAGED) fails the call unless it is marked Optional, in
 * which case it is ignored.  See Documentation/ntpool.rst.
 *
 * Return: the block or NULL.
 */
PVOID ntpool_allocate3(POOL_FLAGS flags, SIZE_T size, ULONG tag,
		       PCPOOL_EXTENDED_PARAMETER params, ULONG count,
		       struct ntpool_caller caller)
{
	caller.ip = _RET_IP_;
	return allocate_flags(flags, size, tag, params, count, &caller);
}
EXPORT_SYMBOL_NS_GPL(ntpool_allocate3, NTPOOL_NS);

static bool legacy_tag_ok(u32 type, size_t size, u32 tag,
			  const struct ntpool_caller *caller)
{
	u32 plain = ntpool_plain_tag(tag);
	unsigned int i;

	if (!plain) {
		ntpool_bugcheck(BAD_POOL_CALLER, NTPOOL_C2_TAG_ZERO, type, size,
				caller->ip, caller);
		return false;
	}
	if (plain == NTPOOL_TAG_BIG) {
		ntpool_bugcheck(BAD_POOL_CALLER, NTPOOL_C2_TAG_BIG, type, size,
				caller->ip, caller);
		return false;
	}
	for (i = 0; i < 4; i++)
		if (isalnum((plain >> (8 * i)) & 0xff))
			return true;
	ntpool_bugcheck(BAD_POOL_CALLER, NTPOOL_C2_TAG_NO_ALNUM, tag, type,
			caller->ip, caller);
	return false;
}

/**
 * legacy_executable() - does a legacy POOL_TYPE get executable memory?
 * @type: POOL_TYPE with modifier bits
 *
 * NonPagedPoolExecute always does, an NX type or POOL_NX_ALLOCATION never,
 * and NonPagedPool (with its cache-aligned and session variants) as the
 * nx_optin module parameter says: no by default, as for a driver built
 * with POOL_NX_OPTIN.
 *
 * Return: true if it does.
 */
static bool legacy_executable(u32 type)
{
	if (type & (PagedPool | POOL_NX_ALLOCATION))
		return false;
	return (type & NTPOOL_EXECUTE_REQUEST) || !READ_ONCE(ntpool_nx_optin);
}

static bool parse_pool_type(u32 type, struct ntpool_request *req)
{
	u32 base = type & ~(POOL_TYPE_MODIFIERS | POOL_TYPE_SESSION);
	bool quota = type & NTPOOL_QUOTA_REQUEST;

	req->zero = type & POOL_ZERO_ALLOCATION;
	req->quota = quota;
	req->raise = (type & POOL_RAISE_IF_ALLOCATION_FAILURE) ||
		     (quota && !(type & POOL_QUOTA_FAIL_INSTEAD_OF_RAISE));
	if (base & ~(PagedPool | POOL_TYPE_CACHE_ALIGNED | POOL_TYPE_MUST_SUCCEED))
		return false;
	if (base == DontUseThisType || base == MaxPoolType)
		return false;
	if (base & POOL_TYPE_MUST_SUCCEED) {
		ntpool_bugcheck(BAD_POOL_CALLER, NTPOOL_C2_MUST_SUCCEED, type,
				req->size, req->tag, &req->caller);
		/* Reported as NT bugchecks: nothing is raised on top. */
		req->raise = false;
		return false;
	}
	req->kind = base & PagedPool ? NTPOOL_PAGED : NTPOOL_NONPAGED;
	req->exec = legacy_executable(type);
	req->cache_aligned = base & POOL_TYPE_CACHE_ALIGNED;
	return true;
}

/**
 * ntpool_allocate_legacy_general() - the POOL_TYPE routines, for what the
 *	per-CPU caches did not serve (pcp.c)
 * @type: POOL_TYPE with modifier bits (and NTPOOL_QUOTA_REQUEST from the
 *	quota routines)
 * @size: bytes requested
 * @tag: pool tag
 * @priority: EX_POOL_PRIORITY
 * @caller: the calling module and call site
 *
 * Session pool types are served from the matching global pool (Linux has
 * no sessions), must-succeed types are refused as modern NT does, and the
 * tags NT rejects are reported.  Memory is zeroed only with
 * POOL_ZERO_ALLOCATION.
 *
 * Return: the block or NULL.
 */
void *ntpool_allocate_legacy_general(u32 type, SIZE_T size, ULONG tag,
				     EX_POOL_PRIORITY priority,
				     const struct ntpool_caller *caller)
{
	struct ntpool_request req = {
		.size = size, .tag = tag, .caller = *caller,
		.gfp = ntpool_priority_gfp(priority),
		.special = ntpool_priority_special(priority),
	};
	bool valid = parse_pool_type(type, &req);

	if (valid && !legacy_tag_ok(type & ~NTPOOL_TYPE_PRIVATE, size, tag,
				    &req.caller)) {
		/* Reported as NT bugchecks: nothing is raised on top. */
		req.raise = false;
		valid = false;
	}

	return allocate_checked(&req, type & ~NTPOOL_TYPE_PRIVATE, valid);
}

static bool free_context_allows(struct ntpool_pool *pool, void *p,
				const struct ntpool_caller *caller)
{
	bool strict;

	if (pool->kind != NTPOOL_PAGED || ntpool_can_sleep() ||
	    ntpool_block_kind(pool, p) != NTPOOL_PAGED)
		return true;
	strict = verified(ntpool_client_of(caller->module));
	ntpool_bugcheck(strict ? DRIVER_VERIFIER_DETECTED_VIOLATION :
				 BAD_POOL_CALLER,
			strict ? NTPOOL_C4_PAGED_FREE_IRQL : NTPOOL_C2_FREE_IRQL,
			ntpool_current_irql(), pool->kind, (unsigned long)p,
			caller);
	return false;
}

/**
 * ntpool_free_general() - ExFreePoolWithTag() for what the per-CPU caches
 *	did not take (pcp.c)
 * @p: the block
 * @tag: the tag it was allocated with, or 0 (ExFreePool) to skip the check
 * @caller: the calling module and call site
 *
 * Anything wrong with the request is reported with its bugcheck code and
 * the block, if there is one, stays allocated.
 */
void ntpool_free_general(void *p, u32 tag, const struct ntpool_caller *caller)
{
	struct ntpool_pool *pool = ntpool_pool_owning(p);

	if (!pool) {
		ntpool_bugcheck(BAD_POOL_CALLER, NTPOOL_C2_BAD_ADDRESS,
				(unsigned long)p, 0, 0, caller);
		return;
	}
	if (free_context_allows(pool, p, caller))
		ntpool_pool_free(pool, p, tag, caller);
}

/**
 * ntpool_free2() - ExFreePool2() behind the inline wrapper
 * @p: the block
 * @tag: the tag it was allocated with, or 0
 * @params: extended parameters, or NULL
 * @count: how many
 * @caller: the calling module and call site
 *
 * With a SecurePool parameter the block is a secure allocation of that
 * pool (see secure_pool.c); other parameters do not change a free.
 */
void ntpool_free2(PVOID p, ULONG tag, PCPOOL_EXTENDED_PARAMETER params,
		  ULONG count, struct ntpool_caller caller)
{
	ULONG i;

	caller.ip = _RET_IP_;
	for (i = 0; params && i < count; i++) {
		/* An Optional one without its parameters is ignored. */
		if (params[i].Type == PoolExtendedParameterSecurePool &&
		    (params[i].SecurePoolParams || !params[i].Optional)) {
			ntpool_secure_free(p, tag, params[i].SecurePoolParams,
					   &caller);
			return;
		}
	}
	ntpool_free_general(p, tag, &caller);
}
EXPORT_SYMBOL_NS_GPL(ntpool_free2, NTPOOL_NS);

/**
 * ntpool_query_block_size() - ExQueryPoolBlockSize() behind the wrapper
 * @p: the block
 * @quota_charged: set to whether quota was charged for it: a small block
 *	carved from a page charged to a memory cgroup, a big one whose pages
 *	are charged
 * @caller: the calling module and call site
 *
 * As with ksize(), every byte reported is the caller's from then on: the
 * check for writes past the end covers only what lies beyond them.
 *
 * Return: usable bytes of a small block (BlockSize minus the header), a
 * big block's size rounded up to whole pages, a special-pool block's bytes
 * up to its guard page; 0 (after a report) for a pointer that is not an
 * allocated block.
 */
SIZE_T ntpool_query_block_size(PVOID p, PBOOLEAN quota_charged,
			       struct ntpool_caller caller)
{
	struct ntpool_pool *pool = ntpool_pool_owning(p);
	struct ntpool_block blk = {};
	unsigned long flags;
	SIZE_T size = 0;

	caller.ip = _RET_IP_;

	if (quota_charged)
		*quota_charged = FALSE;
	if (!pool) {
		ntpool_bugcheck(BAD_POOL_CALLER, NTPOOL_C2_BAD_ADDRESS,
				(unsigned long)p, 0, 0, &caller);
		return 0;
	}
	spin_lock_irqsave(&pool->lock, flags);
	if (ntpool_find_block_locked(pool, p, &blk))
		size = ntpool_hand_over_block(&blk, p);
	if (size && quota_charged)
		*quota_charged = blk.big ? ntpool_quota_charged(blk.big->va) :
					   !!blk.page->quota;
	spin_unlock_irqrestore(&pool->lock, flags);
	ntpool_block_report(&blk, &caller);
	return size;
}
EXPORT_SYMBOL_NS_GPL(ntpool_query_block_size, NTPOOL_NS);
