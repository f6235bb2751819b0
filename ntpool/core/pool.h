/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ntpool internals shared between the allocator files.
 *
 * What the allocator trusts: the page xarray (which pages are the pool's)
 * and each page's maps (bitmaps of where blocks start and which are free,
 * a byte per block start for which are allocated), all in memory no
 * client can reach.  Block headers are written
 * for NT's tools and checked (seal.c), never followed.
 *
 * States of a block starting at unit n of a page (block_starts bit n set):
 *  free         free_starts bit n: on no list, found through the page's
 *               bucket (see struct ntpool_pool)
 *  allocated    allocated byte n set, to the block's units: the client's
 *  in transit   neither: on a per-CPU cache (pcp.c), being freed by the
 *               CPU that won the allocated byte, or quarantined
 * A free is one transition, an exchange of the allocated byte with 0
 * (ntpool_take_allocated()), on the per-CPU path and the locked path
 * alike: of two racing frees exactly one wins, and the other is reported.
 * Handing a block to its client is a plain store of its byte, which no
 * other block shares (ntpool_mark_allocated()).
 *
 * Locking: each pool (non-paged, paged, executable) has one spinlock,
 * always taken with interrupts saved because non-paged pool is used from
 * hard interrupts.  It protects the page buckets (the pool's and its quota
 * sets'), the table of quota sets, block_starts, free_starts and quarantine
 * of every page, and the empty-page cache.  The allocated bytes change
 * only as described above (the lockless free path takes its byte
 * without the lock).  The page xarray has its own lock, nested inside the
 * pool lock; lookups in it are RCU-safe and take no lock.  Pages leave the
 * xarray only under the pool lock, and are freed (with their struct
 * ntpool_page) only after an RCU grace period, so a lookup under
 * rcu_read_lock() or the pool lock may read what it found.  Pages are
 * obtained outside the lock.
 */
#ifndef _NTPOOL_POOL_H
#define _NTPOOL_POOL_H

#include <linux/bitmap.h>
#include <linux/gfp.h>
#include <linux/hashtable.h>
#include <linux/kasan.h>
#include <linux/llist.h>
#include <linux/rcupdate.h>
#include <linux/spinlock.h>
#include <linux/xarray.h>
#include <ntpool/ntpool.h>
#include "base/request.h"
#include "base/pool_header.h"
#include "report/report.h"

/*
 * The pools: one per kind, then the executable non-paged pool (exec.c),
 * whose blocks are accounted as non-paged.
 */
#define NTPOOL_EXEC_SLOT	NTPOOL_KINDS
#define NTPOOL_NR_POOLS		(NTPOOL_KINDS + 1)

/*
 * Pages kept back, per pool, when they become wholly free (256 KiB with
 * 4 KiB pages), so that a pool whose live set moves up and down does not
 * hand pages back and ask for them again; the shrinker empties it.
 */
#define NTPOOL_EMPTY_PAGE_CACHE	64
/*
 * The executable pool keeps fewer: each is a writable and executable
 * page.  They are its reserve for callers that may not sleep (exec.c).
 */
#define NTPOOL_EXEC_RESERVE	4

/* Tags of the xarray entries: a page of small blocks, or a big block. */
#define NTPOOL_XA_SMALL		0
#define NTPOOL_XA_BIG		1

struct mem_cgroup;
struct ntpool_tag;
struct ntpool_client;

struct ntpool_quota_set;

/**
 * struct ntpool_page - a page of small blocks, described out of band
 * @base: its address
 * @quota: the pages charged to one memory cgroup that it is one of, or
 *	NULL for a page of uncharged blocks (see quota_pages.c)
 * @link: on its bucket for @largest_free, or on the empty-page cache
 * @rcu: frees it after lockless readers are done
 * @deferred: an executable pool page, waiting to be unmapped where that
 *	may sleep (exec.c), once lockless readers are done
 * @largest_free: units of the largest free block (0 when none is free)
 * @nr_quarantined: blocks found corrupt and kept out of use
 * @carver: 1 + the CPU that carves blocks from it now, or 0 (pages.c)
 * @block_starts: bit n set when a block (in any state) starts at unit n
 * @free_starts: bit n set when a free block starts at unit n
 * @allocated: byte n holds the block's units while the block at unit n is
 *	the client's, 0 otherwise; a byte, not a bit, so that setting it is
 *	a plain store (see above)
 * @quarantine: bit n set when the block at unit n was found corrupt
 */
struct ntpool_page {
	void *base;
	struct ntpool_quota_set *quota;
	unsigned int largest_free;
	unsigned int nr_quarantined;
	unsigned int carver;
	/* With the fields above, the one line a free reads besides its byte. */
	DECLARE_BITMAP(block_starts, NTPOOL_PAGE_UNITS);
	struct list_head link;
	union {
		struct rcu_head rcu;
		struct llist_node deferred;
	};
	DECLARE_BITMAP(free_starts, NTPOOL_PAGE_UNITS);
	DECLARE_BITMAP(quarantine, NTPOOL_PAGE_UNITS);
	u8 allocated[NTPOOL_PAGE_UNITS];
};

static_assert(NTPOOL_MAX_BLOCK_UNITS <= U8_MAX);

/**
 * struct ntpool_big - one entry of the big-pool table
 * @va: address of the block's first page
 * @block: what the caller got: @va, or for special pool where on the page
 *	the block was placed
 * @size: bytes requested
 * @tag: pool tag
 * @kind: pool it came from
 * @client: id of the owning client module
 * @site_id: id of the call site that allocated it (see sites.c)
 * @mark: the mark it was allocated under (see marks.c)
 * @special: 0, or NTPOOL_SPECIAL_END or _START for a special-pool block
 * @exec: executable pool pages, mapped by exec.c
 * @caller: call site that allocated it
 * @deferred: on the list of special-pool pages waiting to be freed where
 *	vfree() may sleep (never linked through the page: its client writes
 *	there)
 * @rcu: the entry is freed after a grace period, for lock-free readers
 * @reusable: its pages may serve another request once it is freed (no
 *	NUMA node asked for, nothing charged to a memory cgroup)
 * @freed: freed by its client; the entry stays in the table, refused to
 *	any free and skipped by walks, until it is reused or released
 * @kept: on its pool's @kept_big list, waiting to be reused
 */
struct ntpool_big {
	void *va;
	void *block;
	size_t size;
	u32 tag;
	u8 kind;
	u8 client;
	u16 site_id;
	u8 special;
	bool exec;
	u32 mark;
	unsigned long caller;
	struct llist_node deferred;
	struct rcu_head rcu;
	bool reusable;
	bool freed;
	struct list_head kept;
};

/**
 * struct ntpool_buckets - pages with free space, by the units of their
 *	largest free block (two or more: a one-unit block holds nothing)
 * @nonempty: bit n set when @lists[n] is not empty
 * @lists: the pages, linked through their @link
 */
struct ntpool_buckets {
	DECLARE_BITMAP(nonempty, NTPOOL_PAGE_UNITS);
	struct list_head lists[NTPOOL_PAGE_UNITS];
};

/* Quota sets per pool: a table of 2^6 lists, by memory cgroup. */
#define NTPOOL_QUOTA_SET_BITS	6

/**
 * struct ntpool_quota_set - a pool's pages of small blocks charged to one
 *	memory cgroup (quota_pages.c)
 * @memcg: the cgroup, referenced while the set lives
 * @node: in its pool's @quota_sets
 * @nr_pages: its pages
 * @free: those with free space
 */
struct ntpool_quota_set {
	struct mem_cgroup *memcg;
	struct hlist_node node;
	unsigned long nr_pages;
	struct ntpool_buckets free;
};

/**
 * struct ntpool_pool - one pool (non-paged, paged, or executable non-paged)
 * @lock: see the locking note at the top of this file
 * @kind: NTPOOL_NONPAGED or NTPOOL_PAGED
 * @exec: the executable non-paged pool: its pages are mapped executable
 *	in the vmalloc area (exec.c), and no other pool's block is on them
 * @name: "Nonpaged", "Paged" or "NonpagedExec", as !pool prints it
 * @pages: page index -> tagged ntpool_page or ntpool_big
 * @free: its pages of uncharged blocks with free space
 * @quota_sets: its pages of charged blocks, one set per memory cgroup
 *	(quota_pages.c)
 * @empty_pages: wholly free pages kept for reuse
 * @nr_empty: number of pages on @empty_pages
 * @nr_small_pages: pages of small blocks held, cached ones included
 * @nr_big_pages: pages held by big blocks
 * @nr_quarantined: blocks found corrupt and kept out of use
 * @recent: per CPU, pages it carved blocks from lately (pages.c), or NULL
 * @kept_big: freed big blocks kept for reuse, newest first (global pools)
 * @kept_big_pages: their pages
 */
struct ntpool_pool {
	spinlock_t lock;	/* see the locking note at the top */
	enum ntpool_kind kind;
	bool exec;
	const char *name;
	struct xarray pages;
	struct ntpool_buckets free;
	DECLARE_HASHTABLE(quota_sets, NTPOOL_QUOTA_SET_BITS);
	struct list_head empty_pages;
	unsigned int nr_empty;
	atomic_long_t nr_small_pages;
	atomic_long_t nr_big_pages;
	atomic_long_t nr_quarantined;
	struct ntpool_recent __percpu *recent;
	struct list_head kept_big;
	unsigned long kept_big_pages;
};

/*
 * Pages each CPU carved blocks from lately, by address: where a free looks
 * before the xarray; and the one it carves from now (pages.c).
 */
#define NTPOOL_RECENT_PAGES	8

struct ntpool_recent {
	struct ntpool_page *page[NTPOOL_RECENT_PAGES];
	struct ntpool_page *carving;
};

extern struct ntpool_pool ntpool_pools[NTPOOL_NR_POOLS];

/* The executable non-paged pool (exec.c). */
static inline struct ntpool_pool *ntpool_exec_pool(void)
{
	return &ntpool_pools[NTPOOL_EXEC_SLOT];
}

/* pages.c: where pool memory comes from and goes back to */
unsigned long ntpool_page_key(const void *addr);
struct ntpool_page *ntpool_page_get(struct ntpool_pool *pool, gfp_t gfp);
struct ntpool_page *ntpool_page_new(struct ntpool_pool *pool, gfp_t gfp,
				    struct mem_cgroup *memcg);
bool ntpool_page_cache_put(struct ntpool_pool *pool, struct ntpool_page *pg);
void ntpool_page_release(struct ntpool_pool *pool, struct ntpool_page *pg);
unsigned long ntpool_empty_pages_count(void);
unsigned long ntpool_empty_pages_drain(void);
struct ntpool_page *__ntpool_page_lookup(struct ntpool_pool *pool,
					 const void *addr);
void ntpool_xa_forget_locked(struct ntpool_pool *pool, const void *addr);
void ntpool_page_recent_locked(struct ntpool_pool *pool, struct ntpool_page *pg);
void ntpool_page_carving_locked(struct ntpool_pool *pool, struct ntpool_page *pg);
bool ntpool_page_carved_elsewhere(const struct ntpool_page *pg);
int ntpool_xa_insert(struct xarray *xa, unsigned long key, void *entry,
		     gfp_t gfp);
void ntpool_pool_init(struct ntpool_pool *pool, enum ntpool_kind kind,
		      bool exec);
unsigned int ntpool_page_reserve(struct ntpool_pool *pool, unsigned int target,
				 gfp_t gfp);
void ntpool_page_free_now(struct ntpool_pool *pool, struct ntpool_page *pg);
void ntpool_pool_destroy(struct ntpool_pool *pool);

/**
 * ntpool_pool_of() - the pool whose kind of memory @addr is in
 * @addr: address passed by a caller
 *
 * Return: the paged pool for vmalloc addresses, the non-paged pool for
 * direct-map addresses, NULL for anything else.  Whether the pool owns the
 * page is for the caller to look up.
 */
static inline struct ntpool_pool *ntpool_pool_of(const void *addr)
{
	unsigned long a = (unsigned long)kasan_reset_tag(addr);

	/* is_vmalloc_addr(), without a call on every free. */
	if (a >= VMALLOC_START && a < VMALLOC_END)
		return &ntpool_pools[NTPOOL_PAGED];
	/*
	 * The direct map, by range where hot-added memory raises high_memory
	 * (x86; elsewhere virt_addr_valid(), a call that also looks the page
	 * up): whether the pool owns the page is settled by the page lookup,
	 * which reads nothing at the address.
	 */
	if (IS_ENABLED(CONFIG_X86) ?
	    a >= PAGE_OFFSET && a < (unsigned long)high_memory :
	    virt_addr_valid(addr))
		return &ntpool_pools[NTPOOL_NONPAGED];
	return NULL;
}

/* exec.c: the executable non-paged pool */
extern bool ntpool_nx_optin;
void *ntpool_exec_map(size_t pages, gfp_t gfp);
void ntpool_exec_unmap(void *va, size_t pages);
void ntpool_exec_page_release(struct ntpool_page *pg);
void ntpool_exec_big_release(struct ntpool_big *big);
void ntpool_exec_reserve_check(struct ntpool_pool *pool);
bool ntpool_exec_owns(const struct ntpool_pool *pool, const void *addr);
void ntpool_exec_init(void);
void ntpool_exec_exit(void);
void ntpool_exec_flush(void);

/**
 * ntpool_pool_owning() - the pool a pointer's memory belongs to
 * @addr: address passed by a caller
 *
 * As ntpool_pool_of(), but an address in the vmalloc area that the
 * executable pool holds is that pool's: for the general paths, never the
 * per-CPU fast path (which gets there through the big-block free).
 *
 * Return: the pool, or NULL.
 */
static inline struct ntpool_pool *ntpool_pool_owning(const void *addr)
{
	struct ntpool_pool *pool = ntpool_pool_of(addr);

	return ntpool_exec_owns(pool, addr) ? ntpool_exec_pool() : pool;
}

/* Inlines for the fast path: where a page's blocks are. */

static inline unsigned int ntpool_recent_slot(const void *base)
{
	return ((unsigned long)base >> PAGE_SHIFT) % NTPOOL_RECENT_PAGES;
}

/**
 * ntpool_page_recent_held() - note a page of a block this CPU holds
 * @pool: its pool
 * @pg: the page of a block the caller claimed: the page cannot leave the
 *	xarray (which clears it from every CPU's recent pages) before that
 *	block is back on it
 *
 * Preemption off.  So that frees of blocks carved on another CPU, or long
 * ago, find their page without the xarray next time.
 */
static inline void ntpool_page_recent_held(struct ntpool_pool *pool,
					   struct ntpool_page *pg)
{
	unsigned int slot = ntpool_recent_slot(pg->base);

	/* Written only when it changes: the slot's line stays clean. */
	if (pool->recent && this_cpu_read(pool->recent->page[slot]) != pg)
		this_cpu_write(pool->recent->page[slot], pg);
}

/* The page holding @addr if it is one of this CPU's recent pages, or NULL. */
static inline struct ntpool_page *ntpool_page_recent(struct ntpool_pool *pool,
						     const void *addr)
{
	void *base = (void *)((unsigned long)addr & PAGE_MASK);
	struct ntpool_page *pg;

	if (!pool->recent)
		return NULL;
	pg = this_cpu_read(pool->recent->page[ntpool_recent_slot(base)]);
	return pg && pg->base == base ? pg : NULL;
}

/**
 * ntpool_page_lookup() - the page of small blocks holding @addr, if any
 * @pool: the pool whose kind of memory @addr is
 * @addr: any address
 *
 * Call under rcu_read_lock() (or with preemption off) or the pool lock
 * (see pool.h).  The pages this CPU carved lately are looked at first.
 *
 * Return: the page, or NULL when @addr is not in one of the pool's pages
 * of small blocks.
 */
static inline struct ntpool_page *ntpool_page_lookup(struct ntpool_pool *pool,
						     const void *addr)
{
	return ntpool_page_recent(pool, addr) ?: __ntpool_page_lookup(pool, addr);
}

/**
 * ntpool_unit_of() - where in its page a pointer's header would be
 * @p: a pointer a caller passed
 *
 * Return: the header's unit, or -1 if no block can start at @p.
 */
static inline int ntpool_unit_of(const void *p)
{
	unsigned long off = offset_in_page(p);

	if (!off || !IS_ALIGNED(off, NTPOOL_BLOCK_SIZE))
		return -1;
	return (off >> NTPOOL_BLOCK_SHIFT) - 1;
}

/**
 * ntpool_hdr_at() - header of the block starting at @unit of a page
 * @pg: the page
 * @unit: offset in 16-byte units
 *
 * Return: the header.
 */
static inline struct ntpool_header *
ntpool_hdr_at(struct ntpool_page *pg, unsigned int unit)
{
	return (struct ntpool_header *)pg->base + unit;
}

/**
 * ntpool_mark_allocated() - hand the block at @unit to its client
 * @pg: its page
 * @unit: where the block starts; the caller owns the block
 * @units: its size in units, header included (at most
 *	NTPOOL_MAX_BLOCK_UNITS): what the free that takes it back gets
 *
 * Whoever takes the block back reads its header: what the caller wrote
 * there is visible first.
 */
static inline void ntpool_mark_allocated(struct ntpool_page *pg,
					 unsigned int unit, unsigned int units)
{
	/* Pairs with ntpool_take_allocated() and the walks' smp_rmb(). */
	smp_store_release(&pg->allocated[unit], units);
}

/**
 * ntpool_take_allocated() - take the block at @unit back from its client
 * @pg: its page
 * @unit: where a block may start
 *
 * Fully ordered: of two racing callers exactly one gets the block, and
 * reads the header after the store that handed it out.  Its size comes
 * with it, so that a free need not find the next block start: an
 * allocated block is never split or merged.
 *
 * Return: the block's units if an allocated block started at @unit and is
 * now the caller's (in transit), or 0.
 */
static inline unsigned int ntpool_take_allocated(struct ntpool_page *pg,
						 unsigned int unit)
{
	return xchg(&pg->allocated[unit], 0);
}

/**
 * ntpool_is_allocated() - is the block at @unit its client's?
 * @pg: its page
 * @unit: where a block may start
 *
 * Return: true if so, when it was read.
 */
static inline bool ntpool_is_allocated(const struct ntpool_page *pg,
				       unsigned int unit)
{
	return READ_ONCE(pg->allocated[unit]);
}

/**
 * ntpool_block_units() - size of the block starting at @unit, from the bitmap
 * @pg: its page
 * @unit: where it starts
 *
 * Stable without the pool lock while the caller owns the block: only free
 * blocks are split or merged.
 *
 * Return: its units, header included.
 */
static inline unsigned int
ntpool_block_units(const struct ntpool_page *pg, unsigned int unit)
{
	unsigned int next = unit + 1, i = BIT_WORD(next);
	unsigned long rest;

	if (next >= NTPOOL_PAGE_UNITS)
		return NTPOOL_PAGE_UNITS - unit;
	/* Other bits of the words change under the lock: not these. */
	rest = data_race(pg->block_starts[i]) >> (next % BITS_PER_LONG);
	if (rest)
		return __ffs(rest) + 1;
	/* A page's bitmap is four words: walked inline, without a call. */
	while (++i < BITS_TO_LONGS(NTPOOL_PAGE_UNITS)) {
		/* As above: other blocks' bits may change meanwhile. */
		rest = data_race(pg->block_starts[i]);
		if (rest)
			return i * BITS_PER_LONG + __ffs(rest) - unit;
	}
	return NTPOOL_PAGE_UNITS - unit;
}

/**
 * ntpool_prev_units() - size of the block in front of @unit, from the bitmap
 * @pg: its page, locked (without the lock, the answer may be stale: the
 *	block in front may be being split or merged)
 * @unit: where a block starts
 *
 * Return: the units of the block before it, 0 for the first block.
 */
static inline unsigned int
ntpool_prev_units(const struct ntpool_page *pg, unsigned int unit)
{
	unsigned int i = BIT_WORD(unit);
	unsigned long below;

	if (!unit)
		return 0;
	/*
	 * The starts below @unit in its word, then the words before, inline.
	 * Unlocked, the answer is a hint that a caller checks again locked.
	 */
	below = data_race(READ_ONCE(pg->block_starts[i])) &
		(BIT(unit % BITS_PER_LONG) - 1);
	while (!below && i)
		/* As above. */
		below = data_race(READ_ONCE(pg->block_starts[--i]));
	return below ? unit - (i * BITS_PER_LONG + __fls(below)) : 0;
}

/* quota_pages.c: pages of small blocks charged to a memory cgroup */
struct ntpool_buckets *ntpool_quota_buckets_locked(struct ntpool_pool *pool,
						   struct mem_cgroup *memcg);
struct ntpool_quota_set *ntpool_quota_set_new(struct mem_cgroup *memcg,
					      gfp_t gfp);
void ntpool_quota_set_free(struct ntpool_quota_set *set);
bool ntpool_quota_attach_locked(struct ntpool_pool *pool,
				struct ntpool_page *pg, struct mem_cgroup *memcg,
				struct ntpool_quota_set **spare);
void ntpool_quota_detach_locked(struct ntpool_pool *pool,
				struct ntpool_page *pg);
void ntpool_quota_set_path(const struct ntpool_quota_set *set, char *buf,
			   size_t len);
void ntpool_quota_sets_destroy(struct ntpool_pool *pool);

/* small.c: blocks of up to NTPOOL_MAX_SMALL bytes */
void ntpool_buckets_init(struct ntpool_buckets *b);
void *ntpool_small_alloc(struct ntpool_pool *pool,
			 const struct ntpool_request *req);
void ntpool_small_free_locked(struct ntpool_pool *pool, struct ntpool_page *pg,
			      unsigned int unit, u32 tag);
void ntpool_small_quarantine(struct ntpool_pool *pool, struct ntpool_page *pg,
			     unsigned int unit);
unsigned int ntpool_hdr_unit(const struct ntpool_header *hdr);
void ntpool_hdr_format(struct ntpool_header *img, unsigned int units,
		       const struct ntpool_request *req);
void ntpool_hdr_store(struct ntpool_header *hdr,
		      const struct ntpool_header *img);
void ntpool_hdr_write(struct ntpool_header *hdr, unsigned int units,
		      const struct ntpool_request *req);

#include "core/seal.h"

/* big.c: whole-page blocks */
struct ntpool_big *ntpool_big_alloc(struct ntpool_pool *pool,
				    const struct ntpool_request *req);
struct ntpool_big *ntpool_big_take_kept(struct ntpool_pool *pool, size_t size,
					u32 tag, u8 client, u16 site_id,
					unsigned long ip);
void ntpool_big_release(struct ntpool_pool *pool, struct ntpool_big *big);
void ntpool_big_retire(struct ntpool_pool *pool, struct ntpool_big *big);
unsigned long ntpool_big_kept_count(void);
unsigned long ntpool_big_drain(void);
struct ntpool_big *ntpool_big_entry(struct ntpool_pool *pool, void *va);
void ntpool_big_flush(void);

/**
 * ntpool_big_pages() - pages a big block occupies
 * @big: its entry
 *
 * Return: the number of pages.
 */
static inline size_t ntpool_big_pages(const struct ntpool_big *big)
{
	return big->special ? 1 : ntpool_size_pages(big->size);
}

/* lookup.c: from a pointer to the block it names, with checks */
/**
 * struct ntpool_block - what a pointer passed to ntpool refers to
 * @pool: the pool that owns it
 * @page: the small page holding it, or NULL for a big block
 * @hdr: its header (small blocks)
 * @unit: where it starts in @page (small blocks)
 * @units: its size by the page's bitmap (small blocks)
 * @big: its big-pool entry (big blocks)
 * @seen: its header as checked (small blocks, once checked): what the
 *	rest of a free believes, whatever the client writes meanwhile
 * @bc: what is wrong, when a lookup or check fails: reported by the caller
 *	once no lock is held
 */
struct ntpool_block {
	struct ntpool_pool *pool;
	struct ntpool_page *page;
	struct ntpool_header *hdr;
	unsigned int unit;
	unsigned int units;
	struct ntpool_big *big;
	struct ntpool_header seen;
	struct ntpool_bugcheck bc;
};

/* What ntpool_claim_block() found. */
enum ntpool_claim {
	NTPOOL_CLAIM_NONE,
	NTPOOL_CLAIM_SMALL,
	NTPOOL_CLAIM_BIG,
};

enum ntpool_claim ntpool_claim_failed(struct ntpool_pool *pool, void *p,
				      struct ntpool_block *blk);
bool ntpool_header_fault(struct ntpool_block *blk);

/*
 * Where the small block @p, of @pg, starting at @unit and @units long, is,
 * into @blk.  Its header is the one in front of @p: ntpool_hdr_at(pg,
 * unit), without loading pg->base.
 */
static inline void ntpool_block_set_small(struct ntpool_block *blk,
					  struct ntpool_page *pg,
					  unsigned int unit, unsigned int units,
					  const void *p)
{
	blk->page = pg;
	blk->unit = unit;
	blk->units = units;
	blk->hdr = ntpool_block_to_hdr(kasan_reset_tag(p));
}

/**
 * ntpool_claim_block() - take a block from its client, for a free
 * @pool: pool from ntpool_pool_of(), not locked
 * @p: the pointer
 * @blk: filled in
 *
 * For a small block this is the free's one state transition: the block is
 * the caller's (in transit, see above) when this returns
 * NTPOOL_CLAIM_SMALL, and its header is yet to be checked
 * (ntpool_check_claimed()).  Its page goes into this CPU's recent pages.
 * Big blocks are claimed under the pool lock by the caller.  The page is
 * looked up with preemption off, a read section for RCU (see above) that
 * costs less than rcu_read_lock().
 *
 * Return: NTPOOL_CLAIM_SMALL, NTPOOL_CLAIM_BIG when @p lies in no page of
 * small blocks, or NTPOOL_CLAIM_NONE with the reason in @blk->bc.
 */
static inline enum ntpool_claim ntpool_claim_block(struct ntpool_pool *pool,
						   void *p,
						   struct ntpool_block *blk)
{
	int unit = ntpool_unit_of(p);
	unsigned int units = 0;
	struct ntpool_page *pg;
	bool recent;

	preempt_disable();
	pg = ntpool_page_recent(pool, p);
	recent = pg;
	if (!recent)
		pg = __ntpool_page_lookup(pool, p);
	if (pg && unit >= 0)
		units = ntpool_take_allocated(pg, unit);
	if (units && !recent)
		ntpool_page_recent_held(pool, pg);
	preempt_enable();
	if (!pg)
		return NTPOOL_CLAIM_BIG;
	if (!units)
		return ntpool_claim_failed(pool, p, blk);
	/* The block is ours now: its page stays.  Only what the paths read. */
	blk->pool = pool;
	blk->big = NULL;
	blk->bc.code = 0;
	ntpool_block_set_small(blk, pg, unit, units, p);
	return NTPOOL_CLAIM_SMALL;
}

/**
 * ntpool_check_sealed() - BlockSize and the seal of a claimed block
 * @blk: from ntpool_claim_block(), or found under the pool lock
 *
 * The header is read once, into @blk->seen, and that copy is what is
 * checked and believed: BlockSize against the bitmap and the seal over
 * every other field a free reads back.  Only reads: the fast path's share
 * of ntpool_check_claimed(), which reports.
 *
 * Return: true if both hold.
 */
static __always_inline bool ntpool_check_sealed(struct ntpool_block *blk)
{
	struct ntpool_header *seen = &blk->seen;

	ntpool_hdr_snapshot(blk->hdr, seen);
	return seen->block_size == blk->units &&
	       ntpool_hdr_image_sealed(blk->hdr, seen);
}

/**
 * ntpool_check_claimed() - is a claimed block's header sound?
 * @blk: from ntpool_claim_block(), or found under the pool lock; on failure
 *	the reason is in @blk->bc
 *
 * ntpool_check_sealed(), and BlockSize against the bytes requested (a
 * block is never larger than its request needs).
 *
 * Return: true if its fields may be believed.
 */
static inline bool ntpool_check_claimed(struct ntpool_block *blk)
{
	if (likely(ntpool_check_sealed(blk) &&
		   ntpool_units_for(ntpool_hdr_requested(&blk->seen)) ==
		   blk->units))
		return true;
	return ntpool_header_fault(blk);
}

/**
 * ntpool_slack_intact() - does a short slack still hold its pattern?
 * @p: the block, claimed
 * @requested: bytes requested, as the header says
 * @room: bytes the block holds
 *
 * Most slacks are under 16 bytes, in the block's last unit: that unit is
 * read in two words, without a call.  The client may be writing there
 * still (a bug, which the answer reports).  A true answer also says that
 * the block is the one its request needs (see ntpool_check_claimed()): no
 * larger, since the slack is shorter than a unit, and no smaller.
 *
 * Return: true if there is no slack or it is intact and shorter than a
 * unit; false otherwise (ntpool_check_slack() looks again), a request of
 * 0 bytes included.
 */
static inline bool ntpool_slack_intact(const void *p, size_t requested,
				       size_t room)
{
	const u64 pattern = 0x0101010101010101ULL * NTPOOL_SLACK_PATTERN;
	const u64 *last = p + room - NTPOOL_BLOCK_SIZE;
	/* Wraps if @requested is past @room: a slack too long, below. */
	size_t slack = room - requested;
	u64 lo, hi;

	if (!slack)
		return true;
	if (slack >= NTPOOL_BLOCK_SIZE)
		return false;
	/* The client may be writing there still (a bug): it is reported. */
	lo = data_race(last[0]);
	/* Likewise. */
	hi = data_race(last[1]);
	/* Little-endian: a word's last bytes are its high bits. */
	if (slack <= 8)
		return !((hi ^ pattern) >> (8 * (8 - slack)));
	return hi == pattern && !((lo ^ pattern) >> (8 * (16 - slack)));
}

bool ntpool_free_claimed(struct ntpool_block *blk, void *p, u32 tag,
			 const struct ntpool_caller *caller);
bool ntpool_free_big(struct ntpool_pool *pool, void *p, u32 tag,
		     const struct ntpool_caller *caller);
void ntpool_check_slack(const struct ntpool_block *blk, void *p,
			const struct ntpool_caller *caller);
void ntpool_check_previous(struct ntpool_block *blk,
			   const struct ntpool_caller *caller);
bool ntpool_find_block_locked(struct ntpool_pool *pool, void *p,
			      struct ntpool_block *blk);
bool ntpool_find_big_locked(struct ntpool_pool *pool, void *p,
			    struct ntpool_block *blk);
bool ntpool_check_previous_locked(struct ntpool_block *blk);

/* Report what a lookup found wrong, if anything (no lock may be held). */
static inline void ntpool_block_report(const struct ntpool_block *blk,
				       const struct ntpool_caller *caller)
{
	const struct ntpool_bugcheck *bc = &blk->bc;

	if (bc->code)
		ntpool_bugcheck(bc->code, bc->args[0], bc->args[1],
				bc->args[2], bc->args[3], caller);
}

/* block.c: allocation and free on one pool, behind the NT entry points */
void *ntpool_pool_alloc(struct ntpool_pool *pool, struct ntpool_request *req);
bool ntpool_pool_free(struct ntpool_pool *pool, void *p, u32 tag,
		      const struct ntpool_caller *caller);
unsigned int ntpool_free_block(void *p, u32 tag, u8 owner);
size_t ntpool_hand_over_block(struct ntpool_block *blk, void *p);
enum ntpool_kind ntpool_block_kind(struct ntpool_pool *pool, void *p);

/* api.c: the NT routines' general path, behind pcp.c's entry points */
void *ntpool_allocate_general(POOL_FLAGS flags, SIZE_T size, ULONG tag,
			      const struct ntpool_caller *caller);
void *ntpool_allocate_legacy_general(u32 type, SIZE_T size, ULONG tag,
				     EX_POOL_PRIORITY priority,
				     const struct ntpool_caller *caller);
void ntpool_free_general(void *p, u32 tag, const struct ntpool_caller *caller);

/*
 * The mark new blocks are allocated under, 0 until the first is set
 * (views/marks.c sets it): an allocation reads this one global.
 */
extern u32 ntpool_mark_now;

static __always_inline u32 ntpool_mark(void)
{
	return READ_ONCE(ntpool_mark_now);
}

#endif /* _NTPOOL_POOL_H */
