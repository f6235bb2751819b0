// SPDX-License-Identifier: GPL-2.0
/*
 * Allocating and freeing on one pool, with everything that goes with a
 * block whichever API asked for it: tag and module accounting, the check
 * pattern in the slack after the requested bytes, Pool Tracking, and the
 * checks a free makes (the block is one of ours, allocated, with the right
 * tag, its neighbours' headers agree, and nothing was written past its
 * end).
 */
#define pr_fmt(fmt) "ntpool: " fmt

#include <linux/string.h>
#include "verifier/hit_tag.h"
#include "base/leak.h"
#include "core/pcp.h"
#include "core/pool.h"
#include "report/report.h"
#include "core/special.h"
#include "accounting/tags.h"
#include "report/trace.h"
#include "verifier/live_lists.h"
#include "verifier/verifier.h"

static size_t block_bytes(const struct ntpool_block *blk)
{
	if (blk->big)
		return ntpool_big_pages(blk->big) << PAGE_SHIFT;
	return blk->units * NTPOOL_BLOCK_SIZE;
}

/* Bytes the block holds beyond its header: where the slack ends. */
static size_t block_room(const struct ntpool_block *blk)
{
	if (blk->big)
		return block_bytes(blk);
	return block_bytes(blk) - NTPOOL_BLOCK_SIZE;
}

/* What kmemleak sees of a block: a special-pool page holds more. */
static size_t leak_tracked_bytes(const struct ntpool_block *blk,
				 const struct ntpool_request *req)
{
	return blk->big && blk->big->special ? req->size : block_room(blk);
}

static size_t block_requested(const struct ntpool_block *blk)
{
	return blk->big ? blk->big->size : ntpool_hdr_requested(&blk->seen);
}

static void account_alloc(struct ntpool_site *site,
			  const struct ntpool_request *req, size_t bytes)
{
	if (ntpool_accounting_on(req->client))
		ntpool_site_count_alloc(site, req->kind, bytes);
}

/* Special pool, if the request wants it and it can be had. */
static void *special_alloc(struct ntpool_request *req, struct ntpool_block *blk)
{
	/* Special pool pages are never executable: exec requests skip it. */
	unsigned int where = req->exec ? 0 : ntpool_special_wanted(req);
	void *p = where ? ntpool_special_alloc(req, where) : NULL;

	if (!p)
		return NULL;
	blk->big = ntpool_big_entry(&ntpool_pools[NTPOOL_PAGED], p);
	ntpool_client_count(ntpool_client(req->client), NTPOOL_VC_SPECIAL);
	return p;
}

/**
 * ntpool_pool_alloc() - allocate from one pool
 * @pool: the pool
 * @req: a checked request, with its client set
 *
 * Return: the block or NULL.
 */
void *ntpool_pool_alloc(struct ntpool_pool *pool, struct ntpool_request *req)
{
	u32 plain = ntpool_plain_tag(req->tag);
	struct ntpool_site *site = ntpool_site_find(req->caller.ip, plain,
						    req->counter->module);
	/* Filled as it is used: not zeroed (INIT_STACK_ALL_ZERO would). */
	struct ntpool_block blk __uninitialized;
	struct ntpool_client *client = ntpool_client(req->client);
	bool verify = READ_ONCE(client->verify);
	struct ntpool_charge ch;
	void *p;

	blk.big = NULL;
	/* The flags are worked out only when a new site needs memory. */
	if (unlikely(!site))
		site = ntpool_site_get(plain, req->caller.ip, req->counter,
				       ntpool_gfp(req));
	req->site_id = site->id;
	ch = (struct ntpool_charge) {
		.site = ntpool_accounting_on(req->client) ? site : NULL,
		.untracked = verify ? NULL : client,
		.succeeded = req->counter,
	};
	p = special_alloc(req, &blk);
	if (p) {
		/* The rest of a special-pool page holds its own pattern. */
	} else if (req->size <= NTPOOL_MAX_SMALL && !req->numa &&
		   !(req->cache_aligned && req->size > NTPOOL_MAX_SMALL_ALIGNED)) {
		p = ntpool_pcp_alloc(pool, req, &ch);
		if (!p)
			p = ntpool_small_alloc(pool, req);
		if (p) {
			/*
			 * Its size from the request, not from its header: the
			 * block in front may be overrunning into it already.
			 */
			blk.hdr = ntpool_block_to_hdr(p);
			blk.units = ntpool_units_for(req->size);
		}
	} else {
		blk.big = ntpool_big_alloc(pool, req);
		p = blk.big ? blk.big->va : NULL;
	}
	if (!p) {
		/* A catch-all site's row is the overflow row: the tag's first. */
		ntpool_tag_count_failure(ntpool_tag_find(plain) ?: site->row,
					 req->kind);
		ntpool_usage_failure(&ntpool_client(req->client)->usage, req->kind);
		return NULL;
	}
	if (req->zero)
		memset(p, 0, req->size);
	if ((!blk.big || !blk.big->special) && block_room(&blk) > req->size)
		memset(p + req->size, NTPOOL_SLACK_PATTERN,
		       block_room(&blk) - req->size);
	/* A per-CPU cache counted its block already (struct ntpool_charge). */
	req->succeeded_counted = ch.done && ch.succeeded;
	if (!ch.done)
		account_alloc(site, req, block_bytes(&blk));
	ntpool_leak_track(p, leak_tracked_bytes(&blk, req), req);
	if (verify)
		ntpool_verifier_track(client, req->client, p, req);
	else if (!ch.done)
		ntpool_client_count(client, NTPOOL_VC_UNTRACKED);
	trace_ntpool_alloc(req->tag, req->size, req->kind, p, &req->caller);
	ntpool_hit_tag_check(req->tag, req->size, p, NTPOOL_HIT_ALLOC,
			     &req->caller);
	return p;
}

/**
 * struct ntpool_freed - what a free needs to account for the block
 * @owner: the client that allocated it
 * @site_id: the call site that allocated it
 * @tag: its tag
 * @bytes: block bytes
 * @kind: the pool it was asked from
 */
struct ntpool_freed {
	u8 owner;
	u16 site_id;
	u32 tag;
	size_t bytes;
	enum ntpool_kind kind;
};

static bool tag_matches(struct ntpool_block *blk, void *p, u32 tag)
{
	u32 stored = blk->big ? blk->big->tag : blk->seen.pool_tag;

	if (!tag || ntpool_plain_tag(tag) == ntpool_plain_tag(stored))
		return true;
	blk->bc = (struct ntpool_bugcheck) {
		.code = BAD_POOL_CALLER,
		.args = { NTPOOL_C2_WRONG_TAG, (unsigned long)p, stored, tag },
	};
	return false;
}

/* No live lookaside list may go with the block (0xC4/0xCC otherwise). */
static bool no_lookaside_inside(struct ntpool_block *blk, void *p)
{
	const void *hit = ntpool_live_list_within(p, block_room(blk));

	if (!hit)
		return true;
	blk->bc = (struct ntpool_bugcheck) {
		.code = DRIVER_VERIFIER_DETECTED_VIOLATION,
		.args = { NTPOOL_C4_LOOKASIDE_IN_FREED, (unsigned long)hit,
			  (unsigned long)p, block_room(blk) },
	};
	return false;
}

/**
 * ntpool_check_slack() - was anything written past the requested bytes?
 * @blk: a block the caller owns, its header checked
 * @p: the block
 * @caller: who frees it
 *
 * Reported (0x19/0x21), not fatal.
 */
void ntpool_check_slack(const struct ntpool_block *blk, void *p,
			const struct ntpool_caller *caller)
{
	size_t requested = block_requested(blk);
	u8 *bad;

	if (block_room(blk) == requested)
		return;
	bad = memchr_inv(p + requested, NTPOOL_SLACK_PATTERN,
			 block_room(blk) - requested);
	if (bad)
		ntpool_bugcheck(BAD_POOL_HEADER, NTPOOL_19_OVERRUN,
				(unsigned long)p, requested, *bad, caller);
}

static void account_free(const struct ntpool_freed *f)
{
	if (ntpool_accounting_on(f->owner))
		ntpool_site_count_free(f->site_id, f->kind, f->bytes);
}

/*
 * The free's trace event and hit-tag check, made while the block is still
 * the freeing caller's: once it is on a cache or back on its page, another
 * CPU may allocate it and trace that first.
 */
static void trace_freed(const struct ntpool_freed *f, void *p,
			const struct ntpool_caller *caller)
{
	trace_ntpool_free(f->tag, f->bytes, f->kind, p, caller);
	ntpool_hit_tag_check(f->tag, f->bytes, p, NTPOOL_HIT_FREE, caller);
}

/**
 * ntpool_check_previous() - does PreviousSize still match the block in front?
 * @blk: a small block the caller owns
 * @caller: who frees it
 *
 * If not, that block wrote past its end: reported (0x19), and this block
 * is freed all the same, since nothing depends on the field.  The first
 * look is without the lock and may see the block in front being split or
 * merged: a mismatch is looked at again under the lock before it is
 * believed.
 */
void ntpool_check_previous(struct ntpool_block *blk,
			   const struct ntpool_caller *caller)
{
	unsigned long flags;
	bool sound;

	if (READ_ONCE(blk->hdr->previous_size) ==
	    ntpool_prev_units(blk->page, blk->unit))
		return;
	spin_lock_irqsave(&blk->pool->lock, flags);
	sound = ntpool_check_previous_locked(blk);
	spin_unlock_irqrestore(&blk->pool->lock, flags);
	if (!sound)
		ntpool_block_report(blk, caller);
}

static bool other_block(const struct ntpool_block *blk, u32 tag, int owner);

/* Nothing may track the block once someone else can be handed it. */
static void untrack(void *p, const struct ntpool_caller *caller)
{
	ntpool_leak_untrack(p);
	ntpool_verifier_untrack(p, caller);
}

/*
 * Free a small block whose allocated byte the caller won.  A header that is
 * not as ntpool wrote it is reported and the block quarantined; a wrong tag
 * or a live lookaside list inside gives the block back to its client.
 */
static bool free_small(struct ntpool_block *blk, void *p, u32 tag, int owner,
		       const struct ntpool_caller *caller)
{
	if (!ntpool_check_claimed(blk)) {
		/* kmemleak must not keep an object over a page that may go. */
		ntpool_leak_untrack(p);
		ntpool_small_quarantine(blk->pool, blk->page, blk->unit);
		ntpool_block_report(blk, caller);
		return false;
	}
	if (other_block(blk, tag, owner)) {
		ntpool_mark_allocated(blk->page, blk->unit, blk->units);
		return false;
	}
	if (!tag_matches(blk, p, tag) || !no_lookaside_inside(blk, p)) {
		ntpool_mark_allocated(blk->page, blk->unit, blk->units);
		ntpool_block_report(blk, caller);
		return false;
	}
	ntpool_pcp_free_checked(blk, p, caller);
	return true;
}

/*
 * Free a big block: the table entry is the state, changed under the lock.
 * A special-pool block leaves the table at once; any other is marked
 * freed, and kept for reuse or released once the free is done with it.
 */
static bool pool_free(struct ntpool_pool *pool, void *p, u32 tag, int owner,
		      const struct ntpool_caller *caller);

static bool free_big(struct ntpool_pool *pool, void *p, u32 tag, int owner,
		     const struct ntpool_caller *caller)
{
	struct ntpool_freed freed;
	struct ntpool_block blk;
	unsigned long flags;
	bool ok, other = false;

	/* Not a page of the paged pool's small blocks: the exec pool's? */
	if (ntpool_exec_owns(pool, p))
		return pool_free(ntpool_exec_pool(), p, tag, owner, caller);
	spin_lock_irqsave(&pool->lock, flags);
	ok = ntpool_find_big_locked(pool, p, &blk) &&
	     !(other = other_block(&blk, tag, owner)) &&
	     tag_matches(&blk, p, tag) && no_lookaside_inside(&blk, p);
	if (ok && blk.big->special) {
		ntpool_xa_forget_locked(pool, blk.big->va);
		ntpool_special_freed(blk.big);
	} else if (ok) {
		blk.big->freed = true;
	}
	spin_unlock_irqrestore(&pool->lock, flags);
	if (!ok) {
		if (owner < 0)
			ntpool_block_report(&blk, caller);
		return false;
	}
	/* Out of the table or marked freed: the block is this caller's alone. */
	if (blk.big->special)
		ntpool_special_check(blk.big, p, caller);
	else
		ntpool_check_slack(&blk, p, caller);
	freed = (struct ntpool_freed) {
		.bytes = block_bytes(&blk), .tag = blk.big->tag,
		.kind = blk.big->kind, .site_id = blk.big->site_id,
		.owner = blk.big->client,
	};
	untrack(p, caller);
	trace_freed(&freed, p, caller);
	if (blk.big->special)
		ntpool_big_release(pool, blk.big);
	else
		ntpool_big_retire(pool, blk.big);
	account_free(&freed);
	return true;
}

/* Is the block not @owner's (-1: anyone's) or not of @tag?  No report. */
static bool other_block(const struct ntpool_block *blk, u32 tag, int owner)
{
	if (owner < 0)
		return false;
	return owner != (blk->big ? blk->big->client : blk->seen.pool_index) ||
	       ntpool_plain_tag(tag) !=
	       ntpool_plain_tag(blk->big ? blk->big->tag : blk->seen.pool_tag);
}

/*
 * A free, for a client (@owner -1: every problem reported) or for a walk
 * that saw the block (@owner its id: a block freed or handed to someone
 * else since is left alone, without a report).
 */
static bool pool_free(struct ntpool_pool *pool, void *p, u32 tag, int owner,
		      const struct ntpool_caller *caller)
{
	/* ntpool_claim_block() fills what each path reads. */
	struct ntpool_block blk __uninitialized;

	switch (ntpool_claim_block(pool, p, &blk)) {
	case NTPOOL_CLAIM_SMALL:
		return free_small(&blk, p, tag, owner, caller);
	case NTPOOL_CLAIM_BIG:
		return free_big(pool, p, tag, owner, caller);
	default:
		if (owner < 0)
			ntpool_block_report(&blk, caller);
		return false;
	}
}

/**
 * ntpool_free_claimed() - go on with the free of a small block a caller
 *	claimed
 * @blk: the block, claimed by ntpool_claim_block() or by the per-CPU fast
 *	path, its header not believed yet
 * @p: the block
 * @tag: the tag it was allocated with, or 0 to skip the check
 * @caller: who frees it
 *
 * As ntpool_pool_free() from its claim on.
 *
 * Return: true if the block was freed.
 */
bool ntpool_free_claimed(struct ntpool_block *blk, void *p, u32 tag,
			 const struct ntpool_caller *caller)
{
	return free_small(blk, p, tag, -1, caller);
}

/**
 * ntpool_free_big() - free a pointer that is in no page of small blocks
 * @pool: pool from ntpool_pool_of()
 * @p: the pointer: a big block of @pool, or reported as no block
 * @tag: the tag it was allocated with, or 0 to skip the check
 * @caller: who frees it
 *
 * As ntpool_pool_free(), for a caller that looked for @p's small page
 * already.
 *
 * Return: true if the block was freed.
 */
bool ntpool_free_big(struct ntpool_pool *pool, void *p, u32 tag,
		     const struct ntpool_caller *caller)
{
	return free_big(pool, p, tag, -1, caller);
}

/**
 * ntpool_pool_free() - free a block of one pool, after checking it
 * @pool: the pool
 * @p: the block
 * @tag: the tag it was allocated with, or 0 to skip the check
 * @caller: who frees it, for reports (may be NULL)
 *
 * Anything wrong with the request is reported with its bugcheck code, once
 * no lock is held.  A block with a wrong tag stays allocated; a block whose
 * header is corrupt is quarantined (never reused).  A write past the end of
 * the block is reported, and the block freed: nothing depends on the bytes
 * it overwrote.
 *
 * Return: true if the block was freed.
 */
bool ntpool_pool_free(struct ntpool_pool *pool, void *p, u32 tag,
		      const struct ntpool_caller *caller)
{
	return pool_free(pool, p, tag, -1, caller);
}

/**
 * ntpool_hand_over_block() - give a block's every usable byte to its client
 * @blk: an allocated block, found under its pool's lock
 * @p: its address
 *
 * Called by ExQueryPoolBlockSize(): the bytes it reports are the caller's
 * to write, so the slack check must not count them as an overrun.
 *
 * Return: the bytes, from @p to the block's end (for a special-pool block,
 * to its guard page); 0 when a racing free took the block first (the
 * reason is left in @blk->bc).
 */
size_t ntpool_hand_over_block(struct ntpool_block *blk, void *p)
{
	struct ntpool_big *big = blk->big;
	struct ntpool_header img;

	if (!big) {
		/* Rewritten only while owned: a racing free must not see it. */
		if (!ntpool_take_allocated(blk->page, blk->unit)) {
			blk->bc = (struct ntpool_bugcheck) {
				.code = BAD_POOL_CALLER,
				.args = { NTPOOL_C2_ALREADY_FREE, 0,
					  ntpool_hdr_ulong1(blk->hdr), (unsigned long)p },
			};
			return 0;
		}
		/* The copy that was checked, not what the header holds now. */
		img = blk->seen;
		img.allocator_backtrace_index =
			ntpool_hdr_requested_field(block_room(blk),
						   ntpool_hdr_mark(&img));
		ntpool_seal_image(blk->hdr, &img);
		ntpool_hdr_store(blk->hdr, &img);
		/* A free that wins the block next reads the header. */
		ntpool_mark_allocated(blk->page, blk->unit, blk->units);
		return block_room(blk);
	}
	if (big->special)
		big->size = big->va + PAGE_SIZE - p;
	else
		big->size = ntpool_big_pages(big) << PAGE_SHIFT;
	return big->size;
}

/**
 * ntpool_block_kind() - the pool kind a block was asked for
 * @pool: the pool whose memory holds it
 * @p: the block
 *
 * Differs from @pool's kind only for special-pool blocks of non-paged
 * requests, which are vmalloc memory.
 *
 * Return: the kind.
 */
enum ntpool_kind ntpool_block_kind(struct ntpool_pool *pool, void *p)
{
	enum ntpool_kind kind = pool->kind;
	unsigned long flags;
	void *entry;

	spin_lock_irqsave(&pool->lock, flags);
	entry = xa_load(&pool->pages, ntpool_page_key(p));
	if (entry && xa_pointer_tag(entry) == NTPOOL_XA_BIG)
		kind = ((struct ntpool_big *)xa_untag_pointer(entry))->kind;
	spin_unlock_irqrestore(&pool->lock, flags);
	return kind;
}

/**
 * ntpool_free_block() - free a block found by a walk, if it still is
 * @p: the block
 * @tag: its tag, as the walk saw it
 * @owner: its owner's id, as the walk saw it
 *
 * The pool lock was dropped since the walk: the block is freed only if it
 * is still allocated to @owner with @tag when its free claims it.
 *
 * Return: 1 if it was freed, 0 if not.
 */
unsigned int ntpool_free_block(void *p, u32 tag, u8 owner)
{
	struct ntpool_pool *pool = ntpool_pool_owning(p);

	return pool && pool_free(pool, p, tag, owner, NULL);
}
