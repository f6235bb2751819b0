// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU caches of freed small blocks, as NT keeps per-processor lookaside
 * lists for its small block sizes: the fast path of allocation and free.
 *
 * A small block whose free passed every check (lookup.c, block.c) goes
 * onto this CPU's cache for its pool and size, if there is room; an
 * allocation that needs exactly that many units takes it back.  Neither
 * takes the pool lock.  A cached block stays a block of its page, in
 * transit (pool.h): not free, not allocated, so a second free of it is a
 * double free and its neighbours do not merge with it.  Its header stays
 * as ntpool wrote it at its allocation, check value included, as NT leaves
 * the header of a block on a lookaside list; the cache keeps a copy of it
 * to check it against (struct pcp_slot).  Neither caching a block nor
 * taking it back for the same request writes to its header.
 *
 * Blocks go back to their pages when the caches are drained: under memory
 * pressure (a shrinker), when a CPU goes offline and when ntpool unloads.
 * A cached block's header is checked when it is taken again or drained:
 * one modified while the block was free is reported (BAD_POOL_HEADER
 * 0x0D), and the block used anyway, since nothing is read from it.
 *
 * Only the global pools have caches.  A cache is changed only by its own
 * CPU, in its section (cpu_section.h: preemption off, not interrupts; an
 * interrupt that comes meanwhile passes the cache by), or with interrupts
 * off by a drain on that CPU (in process context, so in no section), or by
 * anyone once its CPU is dead; a drain of every CPU runs a work item on
 * each, and gives the blocks back with interrupts on.
 *
 * The common case is served here whole, from the NT entry points
 * (ntpool_allocate(), ntpool_allocate_legacy(), ntpool_free()) down to the
 * counters (fast_alloc(), fast_free()): a newcomer can read a cached
 * allocation and free top to bottom in this file, with the inline lookups
 * and counters of tags.h, client.h, usage.h and seal.h.  Anything out of
 * the common case goes the general way (api.c).
 */
#define pr_fmt(fmt) "ntpool: " fmt

#include <linux/cpuhotplug.h>
#include <linux/ctype.h>
#include <linux/irqflags.h>
#include <linux/percpu.h>
#include <linux/prefetch.h>
#include <linux/shrinker.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/workqueue.h>
#include "verifier/faults.h"
#include "verifier/hit_tag.h"
#include "base/leak.h"
#include "core/pcp.h"
#include "core/special.h"
#include "accounting/tags.h"
#include "report/trace.h"
#include "verifier/live_lists.h"
#include "verifier/verifier.h"

/*
 * A cached block: its page, its header's address (from which its unit
 * follows: pages of small blocks are page-aligned) and its header as it was
 * when the block was allocated (checked by the free that cached it).
 * Taking the block back compares the header with this image, a check as
 * strict as the seal's; an allocation that asks for what the image says
 * leaves the header as it is, its check value still right.
 */
struct pcp_slot {
	struct ntpool_page *pg;
	struct ntpool_header *hdr;
	struct ntpool_header img;
};

static unsigned int slot_unit(const struct pcp_slot *slot)
{
	return offset_in_page(slot->hdr) >> NTPOOL_BLOCK_SHIFT;
}

/*
 * A row per pool and size in units, from 2 (header and data) to the
 * largest small block.  Small sizes are the busiest and cheapest to keep:
 * their rows are deeper.  A CPU keeps at most NTPOOL_PCP_BYTES of blocks
 * per pool, whatever the rows could hold.
 */
#define PCP_MIN_UNITS	2
#define PCP_SLOTS	((32 - PCP_MIN_UNITS + 1) * 16 + (64 - 32) * 4 + \
			 (NTPOOL_MAX_BLOCK_UNITS - 64) * 2)

static unsigned int row_depth(unsigned int units)
{
	return units <= 32 ? 16 : units <= 64 ? 4 : 2;
}

/* Where each size's row starts in a CPU's slots; set at load. */
static u16 row_start[NTPOOL_MAX_BLOCK_UNITS + 1];

/*
 * A CPU's cache: how many blocks each row holds, per-CPU data, and the
 * rows themselves (NTPOOL_KINDS * PCP_SLOTS slots, on the CPU's node: too
 * big for per-CPU data).  A row's count and the address of the slots are
 * read side by side, and the slot follows: no load waits for more than one.
 */
struct ntpool_pcp {
	u8 n[NTPOOL_KINDS][NTPOOL_MAX_BLOCK_UNITS + 1];
	unsigned int bytes[NTPOOL_KINDS];
	struct pcp_slot *slots;
};

static_assert(NTPOOL_PCP_DEPTH == 16 && NTPOOL_MAX_BLOCK_UNITS < 256);

static struct ntpool_pcp __percpu *pcp_caches;
static int pcp_hp_state;

/* This CPU's cache; in its section, or interrupts off in a drain. */
static struct ntpool_pcp *this_pcp(void)
{
	return this_cpu_ptr(pcp_caches);
}

static struct pcp_slot *row_of(struct ntpool_pcp *pcp, enum ntpool_kind kind,
			       unsigned int units)
{
	return &pcp->slots[kind * PCP_SLOTS + row_start[units]];
}

static bool cached_pool(const struct ntpool_pool *pool)
{
	return pcp_caches && pool == &ntpool_pools[pool->kind];
}

/*
 * Is a cached block's header as the free that cached it found it?  What it
 * holds is left in @now, for the report if not.
 */
static __always_inline bool
cached_header_intact(const struct ntpool_header *hdr,
		     const struct pcp_slot *slot, struct ntpool_header *now)
{
	ntpool_hdr_snapshot(hdr, now);
	return ntpool_hdr_same(now, &slot->img, true);
}

/*
 * What pcp_pop() found of a block's header: @same if the cached image is
 * what the request wants, @intact if the header is still that image.
 */
struct pcp_found {
	bool same;
	bool intact;
};

/*
 * Take the block cached last for @want's size off this CPU's cache, into
 * @slot, and count it as @ch says.  Its header is read into @now and
 * compared while the slot is at hand; @slot->img is filled in only when
 * the header is not ready as it is (@found says why).
 *
 * Return: false if there is none.
 */
static __always_inline bool pcp_pop(enum ntpool_kind kind,
				    const struct ntpool_header *want,
				    struct pcp_slot *slot,
				    struct ntpool_header *now,
				    struct pcp_found *found,
				    struct ntpool_charge *ch)
{
	unsigned int units = want->block_size;
	const struct pcp_slot *s;
	struct ntpool_pcp *pcp;
	u8 *n;

	if (!ntpool_cpu_enter())
		return false;
	pcp = this_pcp();
	n = &pcp->n[kind][units];
	if (!*n) {
		ntpool_cpu_leave();
		return false;
	}
	s = &row_of(pcp, kind, units)[--*n];
	slot->pg = s->pg;
	slot->hdr = s->hdr;
	found->same = ntpool_hdr_same(&s->img, want, false);
	found->intact = cached_header_intact(s->hdr, s, now);
	if (unlikely(!found->same || !found->intact))
		slot->img = s->img;
	pcp->bytes[kind] -= units * NTPOOL_BLOCK_SIZE;
	ntpool_charge_held(ch, kind, units * NTPOOL_BLOCK_SIZE, 1);
	ntpool_cpu_leave();
	return true;
}

/*
 * The header of a block taken off a cache is not what the request wants,
 * or was changed while the block was cached: write the wanted image,
 * sealed, or the cached one back.
 */
static void pcp_rewrite(const struct pcp_slot *slot,
			const struct ntpool_header *want, bool same)
{
	struct ntpool_header img;

	if (same) {
		ntpool_hdr_store(slot->hdr, &slot->img);
	} else {
		img = *want;
		ntpool_seal_image(slot->hdr, &img);
		ntpool_hdr_store(slot->hdr, &img);
	}
}

/*
 * Take the block cached last for @want's size, its header as @want says
 * (as it is, the check value still right, when the cached image agrees).
 * A header changed while the block was cached is reported (0x19/0x0D), and
 * the block used anyway, since nothing was read from it.
 */
static __always_inline void *pcp_take(enum ntpool_kind kind,
				      const struct ntpool_header *want,
				      struct ntpool_charge *ch,
				      const struct ntpool_caller *caller)
{
	struct ntpool_header now __uninitialized;
	struct pcp_slot slot __uninitialized;
	struct pcp_found found;

	if (!pcp_pop(kind, want, &slot, &now, &found, ch))
		return NULL;
	/* Same and intact: the header already says what the request asks. */
	if (unlikely(!found.same || !found.intact))
		pcp_rewrite(&slot, want, found.same);
	ntpool_mark_allocated(slot.pg, slot_unit(&slot), want->block_size);
	if (!found.intact)
		ntpool_bugcheck(BAD_POOL_HEADER, NTPOOL_19_FREED_MODIFIED,
				(unsigned long)slot.hdr, 0,
				ntpool_hdr_ulong1(&now), caller);
	return ntpool_hdr_to_block(slot.hdr);
}

/**
 * ntpool_pcp_alloc() - a block from this CPU's cache
 * @pool: the pool
 * @req: the request
 * @ch: what to count if a block is found (in the same section as the
 *	cache)
 *
 * Return: the block, allocated to @req, or NULL.
 */
void *ntpool_pcp_alloc(struct ntpool_pool *pool, const struct ntpool_request *req,
		       struct ntpool_charge *ch)
{
	struct ntpool_header want __uninitialized;

	/* A charged block is carved from its cgroup's pages only. */
	if (req->cache_aligned || req->memcg || !cached_pool(pool))
		return NULL;
	/* At least PCP_MIN_UNITS, a request of 0 bytes included. */
	ntpool_hdr_format(&want, ntpool_units_for(req->size), req);
	return pcp_take(pool->kind, &want, ch, &req->caller);
}

/*
 * Keep a freed block, claimed and checked, on this CPU's cache, counted
 * (if @counted) at the site its header names in the same section; @cached
 * if its pool is known to have caches.  False when the block is not of a
 * cached pool, is charged as quota, the cache is full or the caller
 * interrupted this CPU's section: the caller gives it back to its page.
 */
static __always_inline bool pcp_put(const struct ntpool_block *blk,
				    bool counted, bool cached)
{
	unsigned int bytes = blk->units * NTPOOL_BLOCK_SIZE;
	enum ntpool_kind kind = blk->pool->kind;
	struct ntpool_pcp *pcp;
	u8 *n;

	if (!cached && !cached_pool(blk->pool))
		return false;
	/* A charged block goes back to its page, charged to its cgroup. */
	if (unlikely(blk->page->quota))
		return false;
	if (!ntpool_cpu_enter())
		return false;
	pcp = this_pcp();
	n = &pcp->n[kind][blk->units];
	if (*n == row_depth(blk->units) ||
	    pcp->bytes[kind] + bytes > NTPOOL_PCP_BYTES) {
		ntpool_cpu_leave();
		return false;
	}
	/* The header is left as it is: blk->seen, checked. */
	row_of(pcp, kind, blk->units)[(*n)++] = (struct pcp_slot) {
		.pg = blk->page, .hdr = blk->hdr, .img = blk->seen,
	};
	pcp->bytes[kind] += bytes;
	if (counted)
		ntpool_site_count_free_held(blk->seen.pool_tag_hash, kind,
					    bytes);
	ntpool_cpu_leave();
	return true;
}

/*
 * The fast path: a plain request served whole, from the NT entry point
 * (below) to the counters, by this CPU's cache or a block carved from a
 * page, and a plain free put on the cache.  Plain means that the general
 * path (api.c, block.c) would do no more: no special pool, fault
 * injection, Pool Tracking or quota, a module and a tag that have their
 * records already, and, for paged pool, a context that may sleep.
 * Everything the general path checks and counts for such a request is
 * checked and counted here; anything else goes the general way.
 */
static __always_inline bool fast_path_open(enum ntpool_kind kind)
{
	return pcp_caches && (kind != NTPOOL_PAGED || ntpool_can_sleep());
}

/*
 * What a plain allocation by @c at @site counts.  Built where it is used,
 * never passed out of line: the compiler keeps it in registers.
 */
static __always_inline struct ntpool_charge
fast_charge(struct ntpool_client *c, struct ntpool_site *site)
{
	return (struct ntpool_charge) {
		.site = ntpool_accounting_on(c->id) ? site : NULL,
		.untracked = c, .succeeded = c,
	};
}

/* Count a plain allocation of @bytes not taken from a cache. */
static __always_inline void fast_charge_alloc(struct ntpool_client *c,
					      struct ntpool_site *site,
					      enum ntpool_kind kind,
					      size_t bytes)
{
	struct ntpool_charge ch = fast_charge(c, site);

	if (ntpool_cpu_enter()) {
		ntpool_charge_held(&ch, kind, bytes, 1);
		ntpool_cpu_leave();
		return;
	}
	/* An interrupt in this CPU's section: what the section would count. */
	if (ch.site)
		ntpool_usage_count_nested(&site->usage, kind, bytes, 1);
	ntpool_client_count(c, NTPOOL_VC_UNTRACKED);
	ntpool_client_count(c, NTPOOL_VC_SUCCEEDED);
}

/*
 * A small block carved from a page (small.c), for a plain request the cache
 * had no block for, counted as the cache counts one.  Only the general
 * path's layers are skipped: they would check and count nothing more for
 * a plain request.  NULL without memory: the general path tries again and
 * counts the failure (a plain request never raises), so a request that
 * fails under memory pressure asks the page allocator twice.
 */
static noinline void *fast_carve(enum ntpool_kind kind, size_t size, u32 tag,
				 EX_POOL_PRIORITY priority,
				 struct ntpool_client *c, struct ntpool_site *site,
				 const struct ntpool_caller *caller)
{
	struct ntpool_request req = {
		.size = size, .tag = tag, .kind = kind,
		.gfp = ntpool_priority_gfp(priority),
		.client = c->id, .site_id = site->id, .caller = *caller,
	};
	void *p = ntpool_small_alloc(&ntpool_pools[kind], &req);

	if (p)
		fast_charge_alloc(c, site, kind,
				  ntpool_units_for(size) * NTPOOL_BLOCK_SIZE);
	return p;
}

/*
 * A small block from the cache, its header as @c and @site say, or carved
 * from a page if the cache has none.
 */
static __always_inline void *fast_small(enum ntpool_kind kind, size_t size,
					u32 tag, EX_POOL_PRIORITY priority,
					struct ntpool_client *c,
					struct ntpool_site *site,
					const struct ntpool_caller *caller,
					size_t *room)
{
	unsigned int units = ntpool_units_for(size);
	struct ntpool_charge ch = fast_charge(c, site);
	struct ntpool_header want __uninitialized;
	void *p;

	ntpool_hdr_image(&want, c->id, units, kind + 1, tag,
			 ntpool_hdr_requested_field(size, ntpool_mark()),
			 site->id);
	*room = (units - 1) * NTPOOL_BLOCK_SIZE;
	p = pcp_take(kind, &want, &ch, caller);
	return p ?: fast_carve(kind, size, tag, priority, c, site, caller);
}

/* A big block the pool kept (big.c), counted. */
static void *fast_big(enum ntpool_kind kind, size_t size, u32 tag,
		      struct ntpool_client *c, struct ntpool_site *site,
		      const struct ntpool_caller *caller, size_t *room)
{
	struct ntpool_big *big;

	big = ntpool_big_take_kept(&ntpool_pools[kind], size, tag, c->id,
				   site->id, caller->ip);
	if (!big)
		return NULL;
	*room = ntpool_big_pages(big) << PAGE_SHIFT;
	fast_charge_alloc(c, site, kind, *room);
	return big->va;
}

/*
 * fast_alloc() - serve a plain request from this CPU's cache
 * @kind: the pool
 * @size: bytes requested (0 included: the smallest block)
 * @tag: the tag, as the caller passed it and checked by it
 * @zero: whether to zero the block
 * @priority: the request's EX_POOL_PRIORITY (what it asks of the page
 *	allocator, if a page is needed)
 * @caller: the calling module and call site
 *
 * A small request is served by the cache, or carved from a page, a big one
 * by a block its pool kept (big.c).
 *
 * Return: the block, or NULL when the request is not plain, there is no
 * memory for a small block or no kept block for a big one: nothing was
 * done, the general path serves it.
 */
static __always_inline void *fast_alloc(enum ntpool_kind kind, size_t size,
					u32 tag, bool zero,
					EX_POOL_PRIORITY priority,
					const struct ntpool_caller *caller)
{
	struct ntpool_site *site;
	struct ntpool_client *c;
	size_t room;
	void *p;

	if (!fast_path_open(kind) || tag == NTPOOL_TAG_NONE ||
	    ntpool_special_enabled() || ntpool_faults_enabled())
		return NULL;
	site = ntpool_site_find(caller->ip, ntpool_plain_tag(tag),
				ntpool_client_key(caller->module));
	if (!site)
		return NULL;
	/* The module is calling: its record stays (client.c). */
	c = READ_ONCE(site->owner);
	/* A module on the shared id has its blocks tracked (client.c). */
	if (!c || c->id == NTPOOL_SHARED_CLIENT ||
	    READ_ONCE(c->verify) != NTPOOL_VERIFY_NONE || !READ_ONCE(c->loaded))
		return NULL;
	if (likely(size <= NTPOOL_MAX_SMALL))
		p = fast_small(kind, size, tag, priority, c, site, caller, &room);
	else
		p = fast_big(kind, size, tag, c, site, caller, &room);
	if (!p)
		return NULL;
	if (zero)
		memset(p, 0, size);
	if (room > size)
		memset(p + size, NTPOOL_SLACK_PATTERN, room - size);
	ntpool_leak_track_plain(p, room, kind);
	trace_ntpool_alloc(tag, size, kind, p, caller);
	ntpool_hit_tag_check(tag, size, p, NTPOOL_HIT_ALLOC, caller);
	return p;
}

/*
 * Is a claimed block's header sound, its slack intact, its tag @tag
 * (unless 0) and no live lookaside list inside?  The slack's check is also
 * the last of ntpool_check_claimed()'s (see ntpool_slack_intact()).  Only
 * reads: a block that is not goes on to the general path's checks, which
 * report.
 */
static __always_inline bool plain_free(struct ntpool_block *blk, void *p,
				       u32 tag)
{
	size_t room = (blk->units - 1) * NTPOOL_BLOCK_SIZE;

	return ntpool_check_sealed(blk) &&
	       ntpool_slack_intact(p, ntpool_hdr_requested(&blk->seen), room) &&
	       (!tag || ntpool_plain_tag(tag) ==
			ntpool_plain_tag(blk->seen.pool_tag)) &&
	       !ntpool_live_list_within(p, room);
}

/*
 * The rest of a free, once its small block is claimed and checked; @plain
 * when plain_free() said so (the slack is intact, and the pool has caches).
 */
static __always_inline void free_checked(struct ntpool_block *blk, void *p,
					 const struct ntpool_caller *caller,
					 bool plain)
{
	const struct ntpool_header *seen = &blk->seen;
	size_t bytes = blk->units * NTPOOL_BLOCK_SIZE;
	enum ntpool_kind kind = blk->pool->kind;
	bool counted = ntpool_accounting_on(seen->pool_index);
	unsigned long flags;

	if (!plain && !ntpool_slack_intact(p, ntpool_hdr_requested(seen),
					   bytes - NTPOOL_BLOCK_SIZE))
		ntpool_check_slack(blk, p, caller);
	if (READ_ONCE(blk->hdr->previous_size) !=
	    ntpool_prev_units(blk->page, blk->unit))
		ntpool_check_previous(blk, caller);
	ntpool_leak_untrack(p);
	ntpool_verifier_untrack(p, caller);
	/* While the block is still this caller's (see block.c). */
	trace_ntpool_free(seen->pool_tag, bytes, kind, p, caller);
	ntpool_hit_tag_check(seen->pool_tag, bytes, p, NTPOOL_HIT_FREE, caller);
	if (pcp_put(blk, counted, plain))
		return;
	spin_lock_irqsave(&blk->pool->lock, flags);
	ntpool_small_free_locked(blk->pool, blk->page, blk->unit, seen->pool_tag);
	/* Before another CPU can allocate the block and count that. */
	if (counted)
		ntpool_site_count_free(seen->pool_tag_hash, kind, bytes);
	spin_unlock_irqrestore(&blk->pool->lock, flags);
}

/**
 * ntpool_pcp_free_checked() - finish the free of a small block
 * @blk: the block, claimed, its header, tag and lookaside lists checked
 *	(@blk->seen is what was checked)
 * @p: the block
 * @caller: who frees it
 *
 * The slack and PreviousSize checks (reported, not fatal), the end of its
 * tracking, trace and PoolHitTag, then this CPU's cache or its page, and
 * the counters.  For block.c's frees; the fast path does the same inline.
 */
void ntpool_pcp_free_checked(struct ntpool_block *blk, void *p,
			     const struct ntpool_caller *caller)
{
	free_checked(blk, p, caller, false);
}

/*
 * fast_free() - free a small block onto this CPU's cache
 * @p: the block
 * @tag: the tag it was allocated with, or 0 to skip the check
 * @caller: who frees it
 *
 * A pointer in no page of small blocks is handed to the big-block free
 * (block.c), without looking it up again.
 *
 * Return: true if the free was dealt with here, a misuse found on the way
 * reported as the general path reports it; false if nothing was done (the
 * free is not plain): the general path frees it.
 */
static __always_inline bool fast_free(void *p, u32 tag,
				      const struct ntpool_caller *caller)
{
	struct ntpool_pool *pool = ntpool_pool_of(p);
	struct ntpool_block blk __uninitialized;

	if (!pool || !fast_path_open(pool->kind))
		return false;
	prefetch(ntpool_block_to_hdr(p));
	switch (ntpool_claim_block(pool, p, &blk)) {
	case NTPOOL_CLAIM_BIG:
		/* A big block, or nothing of ntpool's: reported as such. */
		ntpool_free_big(pool, p, tag, caller);
		return true;
	case NTPOOL_CLAIM_NONE:
		ntpool_block_report(&blk, caller);
		return true;
	default:
		break;
	}
	/* Its last 16 bytes, where the slack is, while the header comes in. */
	prefetch(p + (blk.units - 2) * NTPOOL_BLOCK_SIZE);
	/* A pool ntpool_pool_of() names is a global pool: it has caches. */
	if (plain_free(&blk, p, tag))
		free_checked(&blk, p, caller, true);
	else
		ntpool_free_claimed(&blk, p, tag, caller);
	return true;
}

/*
 * The NT entry points behind the inline routines of <ntpool/ntpool.h> that
 * the per-CPU caches serve: the common case runs from here to the counters
 * in this file, and anything else goes on to the general path (api.c).
 */

/**
 * ntpool_allocate() - ExAllocatePool2() behind the inline wrapper
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
PVOID ntpool_allocate(POOL_FLAGS flags, SIZE_T size, ULONG tag,
		      struct ntpool_caller caller)
{
	/* What the per-CPU caches may serve without the general path. */
	POOL_FLAGS plain = flags & (POOL_FLAG_REQUIRED_MASK | POOL_FLAG_SPECIAL_POOL) &
			   ~POOL_FLAG_UNINITIALIZED;
	void *p;

	caller.ip = _RET_IP_;
	if ((plain == POOL_FLAG_NON_PAGED || plain == POOL_FLAG_PAGED) && tag) {
		enum ntpool_kind kind = plain == POOL_FLAG_PAGED ?
					NTPOOL_PAGED : NTPOOL_NONPAGED;

		p = fast_alloc(kind, size, tag,
			       !(flags & POOL_FLAG_UNINITIALIZED),
			       NormalPoolPriority, &caller);
		if (p)
			return p;
	}
	return ntpool_allocate_general(flags, size, tag, &caller);
}
EXPORT_SYMBOL_NS_GPL(ntpool_allocate, NTPOOL_NS);

/*
 * What the per-CPU caches may serve of a legacy request: non-paged or
 * paged pool, perhaps NX or zeroed, with no special pool priority, and a
 * tag NT takes (checked here only as far as its first byte, a letter or
 * digit: any other goes the general way).  NonPagedPool is served here
 * only while nx_optin keeps it non-executable; NonPagedPoolExecute never
 * is (its private bit puts it above PagedPool).
 */
static __always_inline bool plain_legacy(u32 type, EX_POOL_PRIORITY priority,
					 size_t size, u32 tag)
{
	u32 plain = ntpool_plain_tag(tag);

	return (type & ~(POOL_NX_ALLOCATION | POOL_ZERO_ALLOCATION)) <= PagedPool &&
	       (type & (PagedPool | POOL_NX_ALLOCATION) ||
		READ_ONCE(ntpool_nx_optin)) &&
	       !(priority & LowPoolPrioritySpecialPoolOverrun) &&
	       isalnum(plain & 0xff) &&
	       plain != NTPOOL_TAG_BIG;
}

/**
 * ntpool_allocate_legacy() - the POOL_TYPE routines behind the wrappers
 * @pool_type: POOL_TYPE with modifier bits (and NTPOOL_QUOTA_REQUEST from
 *	the quota routines)
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
PVOID ntpool_allocate_legacy(POOL_TYPE pool_type, SIZE_T size, ULONG tag,
			     EX_POOL_PRIORITY priority,
			     struct ntpool_caller caller)
{
	u32 type = pool_type;
	void *p;

	caller.ip = _RET_IP_;
	if (plain_legacy(type, priority, size, tag)) {
		p = fast_alloc(type & PagedPool, size, tag,
			       type & POOL_ZERO_ALLOCATION, priority, &caller);
		if (p)
			return p;
	}
	return ntpool_allocate_legacy_general(type, size, tag, priority, &caller);
}
EXPORT_SYMBOL_NS_GPL(ntpool_allocate_legacy, NTPOOL_NS);

/**
 * ntpool_free() - ExFreePoolWithTag() behind the inline wrapper
 * @p: the block
 * @tag: the tag it was allocated with, or 0 (ExFreePool) to skip the check
 * @caller: the calling module and call site
 *
 * Anything wrong with the request is reported with its bugcheck code and
 * the block, if there is one, stays allocated.
 */
void ntpool_free(PVOID p, ULONG tag, struct ntpool_caller caller)
{
	caller.ip = _RET_IP_;
	if (!fast_free(p, tag, &caller))
		ntpool_free_general(p, tag, &caller);
}
EXPORT_SYMBOL_NS_GPL(ntpool_free, NTPOOL_NS);

/* One cached block back to its page, its header checked on the way. */
static void drain_one(enum ntpool_kind kind, struct pcp_slot slot,
		      unsigned int units)
{
	struct ntpool_block blk = {
		.pool = &ntpool_pools[kind], .page = slot.pg,
		.unit = slot_unit(&slot), .units = units, .hdr = slot.hdr,
	};
	struct ntpool_header now;
	bool intact = cached_header_intact(blk.hdr, &slot, &now);
	unsigned long flags;

	spin_lock_irqsave(&blk.pool->lock, flags);
	if (intact)
		ntpool_check_previous_locked(&blk);
	ntpool_small_free_locked(blk.pool, slot.pg, blk.unit, slot.img.pool_tag);
	spin_unlock_irqrestore(&blk.pool->lock, flags);
	if (!intact)
		ntpool_bugcheck(BAD_POOL_HEADER, NTPOOL_19_FREED_MODIFIED,
				(unsigned long)blk.hdr, 0, ntpool_hdr_ulong1(&now), NULL);
	else
		ntpool_block_report(&blk, NULL);
}

/*
 * Empty a CPU's cache, one row at a time: the row is taken off with
 * interrupts off, and its blocks go back to their pages, and are reported,
 * with interrupts on.  @dead is a CPU that is gone, or -1 for whichever
 * CPU the caller runs on at each row (a drain work item runs on the CPU it
 * empties, but moves if that CPU goes offline; that cache was emptied
 * then, and the one it lands on is as good to empty).
 */
static unsigned long drain_cache(int dead)
{
	struct pcp_slot row[NTPOOL_PCP_DEPTH];
	unsigned long drained = 0, flags;
	unsigned int kind, units, i, n;
	struct ntpool_pcp *pcp;

	for (kind = 0; kind < NTPOOL_KINDS; kind++)
		for (units = PCP_MIN_UNITS; units <= NTPOOL_MAX_BLOCK_UNITS; units++) {
			local_irq_save(flags);
			pcp = dead < 0 ? this_pcp() : per_cpu_ptr(pcp_caches, dead);
			n = pcp->n[kind][units];
			memcpy(row, row_of(pcp, kind, units), n * sizeof(row[0]));
			pcp->n[kind][units] = 0;
			pcp->bytes[kind] -= n * units * NTPOOL_BLOCK_SIZE;
			local_irq_restore(flags);
			for (i = 0; i < n; i++)
				drain_one(kind, row[i], units);
			drained += n;
		}
	return drained;
}

/* Drains run on the CPU they empty, in process context. */
struct pcp_drain {
	struct work_struct work;
	unsigned long drained;
};

static DEFINE_PER_CPU(struct pcp_drain, pcp_drains);
static struct workqueue_struct *pcp_wq;
static DEFINE_MUTEX(drain_lock);

static void drain_work(struct work_struct *work)
{
	struct pcp_drain *d = container_of(work, struct pcp_drain, work);

	d->drained = drain_cache(-1);
}

/**
 * ntpool_pcp_drain() - give every CPU's cached blocks back to their pages
 *
 * This CPU's cache is drained by the caller, with migration disabled, so
 * that its reports are the caller's; every other online CPU's by a work
 * item on that CPU (a WQ_MEM_RECLAIM queue, so memory pressure cannot hold
 * it up), waited for.  No CPU hotplug lock is taken: reclaim may run
 * inside a hotplug operation, and a CPU that goes meanwhile is drained by
 * pcp_cpu_dead().  May sleep.
 *
 * Return: the number of blocks drained.
 */
unsigned long ntpool_pcp_drain(void)
{
	unsigned long drained;
	unsigned int cpu, me;

	if (!pcp_caches)
		return 0;
	mutex_lock(&drain_lock);
	migrate_disable();
	me = smp_processor_id();
	for_each_online_cpu(cpu)
		if (cpu != me)
			queue_work_on(cpu, pcp_wq, &per_cpu(pcp_drains, cpu).work);
	drained = drain_cache(-1);
	migrate_enable();
	for_each_possible_cpu(cpu) {
		struct pcp_drain *d = per_cpu_ptr(&pcp_drains, cpu);

		flush_work(&d->work);
		drained += d->drained;
		d->drained = 0;
	}
	mutex_unlock(&drain_lock);
	return drained;
}

/**
 * ntpool_pcp_count() - blocks on the per-CPU caches now
 *
 * Return: the count; it may be stale by the time it is read.
 */
unsigned long ntpool_pcp_count(void)
{
	unsigned long count = 0;
	unsigned int cpu, kind, units;

	if (!pcp_caches)
		return 0;
	for_each_possible_cpu(cpu) {
		struct ntpool_pcp *pcp = per_cpu_ptr(pcp_caches, cpu);

		for (kind = 0; kind < NTPOOL_KINDS; kind++)
			for (units = 0; units <= NTPOOL_MAX_BLOCK_UNITS; units++)
				count += READ_ONCE(pcp->n[kind][units]);
	}
	return count;
}

static int pcp_cpu_dead(unsigned int cpu)
{
	drain_cache(cpu);
	return 0;
}

/*
 * The shrinker empties the caches, then the big blocks kept (big.c) and the
 * wholly free pages kept (pages.c), which the caches' blocks may add to.
 */
static unsigned long pcp_shrink_count(struct shrinker *s,
				      struct shrink_control *sc)
{
	return ntpool_pcp_count() + ntpool_big_kept_count() +
	       ntpool_empty_pages_count() ?: SHRINK_EMPTY;
}

static unsigned long pcp_shrink_scan(struct shrinker *s,
				     struct shrink_control *sc)
{
	unsigned long freed = ntpool_pcp_drain() + ntpool_big_drain();

	return freed + ntpool_empty_pages_drain();
}

static struct shrinker *pcp_shrinker;

static void caches_free(struct ntpool_pcp __percpu *caches)
{
	unsigned int cpu;

	if (!caches)
		return;
	for_each_possible_cpu(cpu)
		kvfree(per_cpu_ptr(caches, cpu)->slots);
	free_percpu(caches);
}

/* A cache for every possible CPU, its rows on its node; NULL without memory. */
static struct ntpool_pcp __percpu *caches_alloc(void)
{
	struct ntpool_pcp __percpu *caches = alloc_percpu(struct ntpool_pcp);
	unsigned int cpu;

	if (!caches)
		return NULL;
	for_each_possible_cpu(cpu) {
		struct ntpool_pcp *pcp = per_cpu_ptr(caches, cpu);
		int node = cpu_to_node(cpu);

		/* A CPU not present yet may name a node that is not online. */
		if (node != NUMA_NO_NODE && !node_online(node))
			node = NUMA_NO_NODE;
		pcp->slots = kvzalloc_node(array_size(NTPOOL_KINDS * PCP_SLOTS,
						      sizeof(*pcp->slots)),
					   GFP_KERNEL, node);
		if (!pcp->slots) {
			caches_free(caches);
			return NULL;
		}
	}
	return caches;
}

/**
 * ntpool_pcp_init() - allocate the caches, and hook them to memory pressure
 *	and CPU hotplug
 *
 * The shrinker also gives back the big blocks kept for reuse (big.c), so
 * ntpool does not load without it or without memory for the caches.
 *
 * Return: 0 or a negative errno.
 */
int ntpool_pcp_init(void)
{
	unsigned int cpu, units, start = 0;
	int err;

	for (units = PCP_MIN_UNITS; units <= NTPOOL_MAX_BLOCK_UNITS; units++) {
		row_start[units] = start;
		start += row_depth(units);
	}
	WARN_ON(start != PCP_SLOTS);
	pcp_caches = caches_alloc();
	if (!pcp_caches)
		return -ENOMEM;
	pcp_wq = alloc_workqueue("ntpool_pcp", WQ_MEM_RECLAIM, 0);
	if (!pcp_wq) {
		err = -ENOMEM;
		goto free;
	}
	for_each_possible_cpu(cpu)
		INIT_WORK(&per_cpu(pcp_drains, cpu).work, drain_work);
	err = cpuhp_setup_state_nocalls(CPUHP_BP_PREPARE_DYN, "ntpool/pcp:dead",
					NULL, pcp_cpu_dead);
	if (err < 0)
		goto wq;
	pcp_hp_state = err;
	pcp_shrinker = ntpool_shrinker_create("ntpool-pcp", pcp_shrink_count,
					      pcp_shrink_scan);
	if (!pcp_shrinker) {
		err = -ENOMEM;
		goto hotplug;
	}
	return 0;

hotplug:
	cpuhp_remove_state_nocalls(pcp_hp_state);
wq:
	destroy_workqueue(pcp_wq);
free:
	caches_free(pcp_caches);
	pcp_caches = NULL;
	return err;
}

/**
 * ntpool_pcp_exit() - forget every cached block (ntpool is unloading)
 *
 * Their pages go back with the rest of the pool (ntpool_pool_destroy()).
 */
void ntpool_pcp_exit(void)
{
	if (!pcp_caches)
		return;
	ntpool_shrinker_destroy(pcp_shrinker);
	cpuhp_remove_state_nocalls(pcp_hp_state);
	destroy_workqueue(pcp_wq);
	caches_free(pcp_caches);
	pcp_caches = NULL;
}
