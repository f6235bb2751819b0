/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ntpool and kmemleak.
 *
 * kmemleak knows slab objects and vmalloc areas, not pages.  ntpool carves
 * both kinds of memory into blocks, so it tells kmemleak about blocks, the
 * way the slab allocator does about its objects: from allocation to free a
 * block is an object of its own, recorded with the client's call stack, so
 * that a block the client lost every pointer to is reported as its leak.
 *
 * For that, nothing else may cover or point into a block:
 *  - the vmalloc areas ntpool carves (paged pages, big blocks, special
 *    pool) stop being kmemleak objects of their own (kmemleak does not
 *    allow one object inside another); vfree() then has nothing to forget;
 *  - the objects start at the block's data, not at its _POOL_HEADER, so the
 *    page-start pointers ntpool keeps do not point into them;
 *  - ntpool's records that do point at blocks (big-block entries, Driver
 *    Verifier's records) are not scanned.  Those found through an xarray
 *    are still objects, referenced from its nodes, so they raise no report
 *    of their own; those chained through each other (Pool Tracking's
 *    hash lists, whose links are not scanned either) are ignored.
 *
 * Without CONFIG_DEBUG_KMEMLEAK all of this compiles to nothing.
 */
#ifndef _NTPOOL_LEAK_H
#define _NTPOOL_LEAK_H

#include <linux/kmemleak.h>
#include <linux/vmalloc.h>
#include "base/gfp.h"
#include "base/request.h"

/*
 * A block handed to a client: reported if it is ever unreferenced.  The
 * request gives the GFP flags for kmemleak's record; they are only worked
 * out when kmemleak is there (ntpool_gfp() is a call on the fast path).
 */
static inline void ntpool_leak_track(const void *block, size_t bytes,
				     const struct ntpool_request *req)
{
	/*
	 * A block of 0 bytes (special or secure pool) is a byte to kmemleak:
	 * an object of size 0 is one that kmemleak_free() never finds.
	 */
	if (IS_ENABLED(CONFIG_DEBUG_KMEMLEAK))
		kmemleak_alloc(block, bytes ?: 1, 1, ntpool_gfp(req));
}

/* As ntpool_leak_track(), for a request of normal priority from @kind. */
static inline void ntpool_leak_track_plain(const void *block, size_t bytes,
					   enum ntpool_kind kind)
{
	if (IS_ENABLED(CONFIG_DEBUG_KMEMLEAK))
		kmemleak_alloc(block, bytes, 1,
			       ntpool_gfp_here(kind, __GFP_RETRY_MAYFAIL));
}

/* A block given back (before it can be handed out again). */
static inline void ntpool_leak_untrack(const void *block)
{
	kmemleak_free(block);
}

/*
 * vmalloc memory ntpool carves into blocks (or hands out as special pool):
 * no kmemleak object of its own, its blocks are tracked one by one.
 */
static inline void *ntpool_vmalloc_carved(unsigned long size, gfp_t gfp)
{
	void *area = __vmalloc(size, gfp);

	kmemleak_free(area);
	return area;
}

/* ntpool's record of a block: must not keep the block referenced. */
static inline void ntpool_leak_no_scan(const void *record)
{
	kmemleak_no_scan(record);
}

/*
 * A record of a block linked only from records like it: neither scanned
 * nor reported (the only pointer to it is in one that is not scanned).
 */
static inline void ntpool_leak_ignore(const void *record)
{
	kmemleak_ignore(record);
}

#endif /* _NTPOOL_LEAK_H */
