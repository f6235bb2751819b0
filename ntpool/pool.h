/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ntpool internals shared between the allocator files.
 *
 * Locking: each pool (non-paged, paged) has one spinlock, always taken with
 * interrupts saved because non-paged pool is used from hard interrupts.  It
 * protects the pool's free lists, the headers and block-start bitmaps of its
 * pages and the empty-page cache.  The page xarray has its own lock, nested
 * inside the pool lock; lookups in it are RCU-safe and take no lock.  Pages
 * and big blocks leave the xarray only under the pool lock, so an entry found
 * there with the pool lock held stays alive until it is dropped (debugfs
 * walks rely on that).  Pages are obtained and returned outside the lock.
 */
#ifndef _NTPOOL_POOL_H
#define _NTPOOL_POOL_H

#include <linux/bitmap.h>
#include <linux/gfp.h>
#include <linux/spinlock.h>
#include <linux/xarray.h>
#include <ntpool/ntpool.h>
#include "pool_header.h"

enum ntpool_kind {
	NTPOOL_NONPAGED = NonPagedPool,
	NTPOOL_PAGED = PagedPool,
	NTPOOL_KINDS,
};

/* Pages kept back, per pool, when they become wholly free. */
#define NTPOOL_EMPTY_PAGE_CACHE	4

/* Tags of the xarray entries: a page of small blocks, or a big block. */
#define NTPOOL_XA_SMALL		0
#define NTPOOL_XA_BIG		1

/**
 * struct ntpool_request - an allocation request, whichever API it came from
 * @size: bytes requested
 * @tag: pool tag
 * @kind: which pool
 * @zero: zero the block
 * @cache_aligned: align the block to a cache line
 * @raise: report a failure (NT would raise an exception)
 * @special: special pool asked for: NTPOOL_SPECIAL_END or _START, or 0
 * @numa: a NUMA node was asked for
 * @node: the node
 * @node_strict: the block must come from @node
 * @quota: charge the block as quota (the quota routines, POOL_FLAG_USE_QUOTA)
 * @charge: the caller's memory cgroup is charged: whole pages with
 *	__GFP_ACCOUNT (see quota.c)
 * @secure: ExAllocatePool3's SecurePool parameter, or NULL (see
 *	secure_pool.c)
 * @gfp: extra GFP bits the priority asks for
 * @client: id of the calling module (see client.c)
 * @tag_id: id of the tag's row in the tag table (see tags.c)
 * @caller: who asked
 */
struct ntpool_request {
	size_t size;
	u32 tag;
	enum ntpool_kind kind;
	bool zero;
	bool cache_aligned;
	bool raise;
	u8 special;
	bool numa;
	int node;
	bool node_strict;
	bool quota;
	bool charge;
	const POOL_EXTENDED_PARAMS_SECURE_POOL *secure;
	gfp_t gfp;
	u8 client;
	u16 tag_id;
	struct ntpool_caller caller;
};

/**
 * struct ntpool_page - a page of small blocks
 * @base: its address
 * @empty_link: on the pool's empty-page cache while wholly free
 * @block_starts: bit n set when a block (free or allocated) starts at unit n
 */
struct ntpool_page {
	void *base;
	struct list_head empty_link;
	DECLARE_BITMAP(block_starts, NTPOOL_PAGE_UNITS);
};

/**
 * struct ntpool_big - one entry of the big-pool table
 * @va: address of the block's first page
 * @block: what the caller got: @va, or for special pool where on the page
 *	the block was placed
 * @size: bytes requested
 * @tag: pool tag
 * @kind: pool it came from
 * @client: id of the owning client module
 * @tag_id: id of the tag's row in the tag table
 * @special: 0, or NTPOOL_SPECIAL_END or _START for a special-pool block
 * @caller: call site that allocated it
 */
struct ntpool_big {
	void *va;
	void *block;
	size_t size;
	u32 tag;
	u8 kind;
	u8 client;
	u16 tag_id;
	u8 special;
	unsigned long caller;
};

/**
 * struct ntpool_pool - one pool (non-paged or paged)
 * @lock: see the locking note at the top of this file
 * @kind: NTPOOL_NONPAGED or NTPOOL_PAGED
 * @name: "Nonpaged" or "Paged", as !pool prints it
 * @pages: page index -> tagged ntpool_page or ntpool_big
 * @nonempty: bit n set when @free_lists[n] is not empty
 * @free_lists: free blocks of two or more units, by BlockSize
 * @empty_pages: wholly free pages kept for reuse
 * @nr_empty: number of pages on @empty_pages
 * @nr_small_pages: pages of small blocks held, cached ones included
 * @nr_big_pages: pages held by big blocks
 */
struct ntpool_pool {
	spinlock_t lock;	/* see the locking note at the top */
	enum ntpool_kind kind;
	const char *name;
	struct xarray pages;
	DECLARE_BITMAP(nonempty, NTPOOL_PAGE_UNITS);
	struct list_head free_lists[NTPOOL_PAGE_UNITS];
	struct list_head empty_pages;
	unsigned int nr_empty;
	atomic_long_t nr_small_pages;
	atomic_long_t nr_big_pages;
};

extern struct ntpool_pool ntpool_pools[NTPOOL_KINDS];

/* pages.c: where pool memory comes from and goes back to */
unsigned long ntpool_page_key(enum ntpool_kind kind, const void *addr);
struct ntpool_pool *ntpool_pool_of(const void *addr);
struct ntpool_page *ntpool_page_get(struct ntpool_pool *pool, gfp_t gfp);
bool ntpool_page_cache_put(struct ntpool_pool *pool, struct ntpool_page *pg);
void ntpool_page_release(struct ntpool_pool *pool, struct ntpool_page *pg);
void ntpool_xa_forget_locked(struct ntpool_pool *pool, const void *addr);
int ntpool_xa_insert(struct xarray *xa, unsigned long key, void *entry,
		     gfp_t gfp);
void ntpool_pool_init(struct ntpool_pool *pool, enum ntpool_kind kind);
void ntpool_pool_destroy(struct ntpool_pool *pool);
bool ntpool_can_sleep(void);
gfp_t ntpool_gfp(const struct ntpool_request *req);

/* small.c: blocks of up to NTPOOL_MAX_SMALL bytes */
void *ntpool_small_alloc(struct ntpool_pool *pool,
			 const struct ntpool_request *req);
void ntpool_small_free_locked(struct ntpool_pool *pool, struct ntpool_page *pg,
			      struct ntpool_header *hdr,
			      struct ntpool_page **release);
struct ntpool_header *ntpool_hdr_at(struct ntpool_page *pg, unsigned int unit);
unsigned int ntpool_hdr_unit(const struct ntpool_header *hdr);

/* big.c: whole-page blocks */
void *ntpool_big_alloc(struct ntpool_pool *pool,
		       const struct ntpool_request *req);
void ntpool_big_release(struct ntpool_pool *pool, struct ntpool_big *big);
struct ntpool_big *ntpool_big_entry(struct ntpool_pool *pool, void *va);
void ntpool_big_flush(void);
size_t ntpool_big_pages(const struct ntpool_big *big);

/* lookup.c: from a pointer to the block it names, with checks */
/**
 * struct ntpool_block - what a pointer passed to ntpool refers to
 * @pool: the pool that owns it
 * @page: the small page holding it, or NULL for a big block
 * @hdr: its header (small blocks)
 * @big: its big-pool entry (big blocks)
 */
struct ntpool_block {
	struct ntpool_pool *pool;
	struct ntpool_page *page;
	struct ntpool_header *hdr;
	struct ntpool_big *big;
};

bool ntpool_find_block_locked(struct ntpool_pool *pool, void *p,
			      struct ntpool_block *blk,
			      const struct ntpool_caller *caller);

/* block.c: allocation and free on one pool, behind the NT entry points */
void *ntpool_pool_alloc(struct ntpool_pool *pool, struct ntpool_request *req);
bool ntpool_pool_free(struct ntpool_pool *pool, void *p, u32 tag,
		      const struct ntpool_caller *caller);
unsigned int ntpool_free_block(void *p, u32 tag, u8 owner);

/* api.c and extparams.c: ExAllocatePool3's extended parameters */
gfp_t ntpool_priority_gfp(EX_POOL_PRIORITY priority);
u8 ntpool_priority_special(EX_POOL_PRIORITY priority);
bool ntpool_parse_extended(PCPOOL_EXTENDED_PARAMETER params, ULONG count,
			   struct ntpool_request *req);
enum ntpool_kind ntpool_block_kind(struct ntpool_pool *pool, void *p);
u32 ntpool_plain_tag(u32 tag);

#endif /* _NTPOOL_POOL_H */
