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
#include "bench.h"
#include "hit_tag.h"
#include "leak.h"
#include "lookaside.h"
#include "pcp.h"
#include "pool.h"
#include "report.h"
#include "special.h"
#include "tags.h"
#include "trace.h"
#include "verifier.h"

/* Kernels strip the old PROTECTED_POOL bit before comparing tags. */
#define NTPOOL_TAG_PROTECTED_BIT	0x80000000U

/**
 * ntpool_plain_tag() - a tag without the old PROTECTED_POOL bit
 * @tag: the tag
 *
 * Return: the tag to compare and account.
 */
u32 ntpool_plain_tag(u32 tag)
{
	return tag & ~NTPOOL_TAG_PROTECTED_BIT;
}

static size_t block_bytes(const struct ntpool_block *blk)
{
	if (blk->big)
		return ntpool_big_pages(blk->big) << PAGE_SHIFT;
	return blk->hdr->block_size * NTPOOL_BLOCK_SIZE;
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
	return blk->big ? blk->big->size : ntpool_hdr_requested(blk->hdr);
}

#ifdef NTPOOL_BENCH
/* Only the benchmark turns accounting off, to measure what it costs. */
DEFINE_STATIC_KEY_FALSE(ntpool_bench_no_accounting);
#define accounting_on() (!static_branch_unlikely(&ntpool_bench_no_accounting))
#else
#define accounting_on() true
#endif

static void account_alloc(struct ntpool_tag *row,
			  const struct ntpool_request *req, size_t bytes)
{
	if (accounting_on())
		ntpool_tag_count_alloc(row, req->kind, bytes, req->client);
}

/* Special pool, if the request wants it and it can be had. */
static void *special_alloc(struct ntpool_request *req, struct ntpool_block *blk)
{
	unsigned int where = ntpool_special_wanted(req);
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
	struct ntpool_tag *row = ntpool_tag_get(ntpool_plain_tag(req->tag),
						ntpool_gfp(req));
	struct ntpool_block blk = {};
	void *p;

	req->tag_id = row->id;
	p = special_alloc(req, &blk);
	if (p) {
		/* The rest of a special-pool page holds its own pattern. */
	} else if (req->size <= NTPOOL_MAX_SMALL && !req->numa && !req->charge &&
		   !(req->cache_aligned && req->size > NTPOOL_MAX_SMALL_ALIGNED)) {
		p = ntpool_pcp_alloc(pool, req);
		if (!p)
			p = ntpool_small_alloc(pool, req);
		blk.hdr = p ? ntpool_block_to_hdr(p) : NULL;
	} else {
		p = ntpool_big_alloc(pool, req);
		blk.big = p ? ntpool_big_entry(pool, p) : NULL;
	}
	if (!p) {
		ntpool_tag_count_failure(row, req->kind);
		ntpool_usage_failure(&ntpool_client(req->client)->usage, req->kind);
		return NULL;
	}
	if (req->zero)
		memset(p, 0, req->size);
	if (!blk.big || !blk.big->special)
		memset(p + req->size, NTPOOL_SLACK_PATTERN,
		       block_room(&blk) - req->size);
	account_alloc(row, req, block_bytes(&blk));
	ntpool_leak_track(p, leak_tracked_bytes(&blk, req), req);
	if (READ_ONCE(ntpool_client(req->client)->verify))
		ntpool_verifier_track(ntpool_client(req->client), req->client,
				      p, req);
	trace_ntpool_alloc(req->tag, req->size, req->kind, p, &req->caller);
	ntpool_hit_tag_check(req->tag, req->size, p, NTPOOL_HIT_ALLOC,
			     &req->caller);
	return p;
}

static bool tag_matches(const struct ntpool_block *blk, void *p, u32 tag,
			const struct ntpool_caller *caller)
{
	u32 stored = blk->big ? blk->big->tag : blk->hdr->pool_tag;

	if (!tag || ntpool_plain_tag(tag) == ntpool_plain_tag(stored))
		return true;
	ntpool_bugcheck(BAD_POOL_CALLER, NTPOOL_C2_WRONG_TAG, (unsigned long)p,
			stored, tag, caller);
	return false;
}

/* Was anything written past the requested bytes?  Reported, not fatal. */
static void check_slack(const struct ntpool_block *blk, void *p,
			const struct ntpool_caller *caller)
{
	size_t requested = block_requested(blk);
	u8 *bad = memchr_inv(p + requested, NTPOOL_SLACK_PATTERN,
			     block_room(blk) - requested);

	if (bad)
		ntpool_bugcheck(BAD_POOL_HEADER, NTPOOL_19_OVERRUN,
				(unsigned long)p, requested, *bad, caller);
}

static void account_free(const struct ntpool_freed *f, void *p,
			 const struct ntpool_caller *caller)
{
	if (accounting_on())
		ntpool_tag_count_free(ntpool_tag_by_id(f->tag_id), f->kind,
				      f->bytes, f->owner);
	ntpool_verifier_untrack(p);
	trace_ntpool_free(f->tag, f->bytes, f->kind, p, caller);
	ntpool_hit_tag_check(f->tag, f->bytes, p, NTPOOL_HIT_FREE, caller);
}

static bool pool_free_locked(struct ntpool_pool *pool, void *p, u32 tag,
			     int owner, const struct ntpool_caller *caller);

/**
 * ntpool_pool_free() - free a block of one pool, after checking it
 * @pool: the pool
 * @p: the block
 * @tag: the tag it was allocated with, or 0 to skip the check
 * @caller: who frees it, for reports (may be NULL)
 *
 * Anything wrong with the request is reported with its bugcheck code and
 * the block, if there is one, stays allocated.  A write past the end of the
 * block is reported, and the block freed: its neighbours are intact.
 *
 * Return: true if the block was freed.
 */
bool ntpool_pool_free(struct ntpool_pool *pool, void *p, u32 tag,
		      const struct ntpool_caller *caller)
{
	struct ntpool_freed freed;

	if (ntpool_pcp_free(pool, p, tag, &freed)) {
		account_free(&freed, p, caller);
		return true;
	}
	return pool_free_locked(pool, p, tag, -1, caller);
}

/* Is the block not @owner's (-1: anyone's) or not of @tag?  No report. */
static bool other_block(const struct ntpool_block *blk, u32 tag, int owner)
{
	if (owner < 0)
		return false;
	return owner != (blk->big ? blk->big->client : blk->hdr->pool_index) ||
	       ntpool_plain_tag(tag) !=
	       ntpool_plain_tag(blk->big ? blk->big->tag : blk->hdr->pool_tag);
}

static bool pool_free_locked(struct ntpool_pool *pool, void *p, u32 tag,
			     int owner, const struct ntpool_caller *caller)
{
	struct ntpool_page *release = NULL;
	struct ntpool_freed freed;
	struct ntpool_block blk;
	unsigned long flags;

	spin_lock_irqsave(&pool->lock, flags);
	if (!ntpool_find_block_locked(pool, p, &blk, caller) ||
	    other_block(&blk, tag, owner) ||
	    !tag_matches(&blk, p, tag, caller) ||
	    !ntpool_lookaside_guard(p, block_room(&blk), caller)) {
		spin_unlock_irqrestore(&pool->lock, flags);
		return false;
	}
	if (blk.big && blk.big->special)
		ntpool_special_check(blk.big, p, caller);
	else
		check_slack(&blk, p, caller);
	ntpool_leak_untrack(p);
	freed = (struct ntpool_freed) {
		.bytes = block_bytes(&blk),
		.tag = blk.big ? blk.big->tag : blk.hdr->pool_tag,
		.kind = blk.big ? blk.big->kind : pool->kind,
		.tag_id = blk.big ? blk.big->tag_id : blk.hdr->pool_tag_hash,
		.owner = blk.big ? blk.big->client : blk.hdr->pool_index,
	};
	if (blk.big) {
		ntpool_xa_forget_locked(pool, blk.big->va);
		if (blk.big->special)
			ntpool_special_freed(blk.big);
	} else {
		ntpool_small_free_locked(pool, blk.page, blk.hdr, &release);
	}
	spin_unlock_irqrestore(&pool->lock, flags);
	account_free(&freed, p, caller);
	if (blk.big)
		ntpool_big_release(pool, blk.big);
	if (release)
		ntpool_page_release(pool, release);
	return true;
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
	entry = xa_load(&pool->pages, ntpool_page_key(pool->kind, p));
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
 * The pool lock was dropped since the walk: the block is freed only if,
 * under the lock, it is still allocated to @owner with @tag.
 *
 * Return: 1 if it was freed, 0 if not.
 */
unsigned int ntpool_free_block(void *p, u32 tag, u8 owner)
{
	struct ntpool_pool *pool = ntpool_pool_of(p);

	return pool && pool_free_locked(pool, p, tag, owner, NULL);
}
