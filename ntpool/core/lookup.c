// SPDX-License-Identifier: GPL-2.0
/*
 * From a pointer a caller passes back to the block it names.
 *
 * The page xarray says whether ntpool owns the page at all, so a foreign
 * pointer is refused without being dereferenced.  In a page of small blocks
 * the allocated map says whether an allocated block starts there; a free
 * takes that byte with one atomic exchange, so of two frees of one block
 * exactly one gets it.  The loser, and any other pointer that names no
 * allocated block, is explained under the pool lock from the page's
 * bitmaps: inside a block, freed already, or not a block at all.  The
 * winner then checks the header against the bitmap and its seal before
 * anything in it is believed.
 *
 * Nothing here prints: what is wrong is written to a struct
 * ntpool_bugcheck, which the caller reports once no lock is held.
 */
#define pr_fmt(fmt) "ntpool: " fmt

#include <linux/rcupdate.h>
#include "core/pool.h"
#include "report/report.h"
#include "core/special.h"

static bool fault(struct ntpool_bugcheck *bc, u32 code, u64 a1, u64 a2,
		  u64 a3, u64 a4)
{
	*bc = (struct ntpool_bugcheck) {
		.code = code, .args = { a1, a2, a3, a4 },
	};
	return false;
}

static bool bad_address(void *p, struct ntpool_bugcheck *bc)
{
	return fault(bc, BAD_POOL_CALLER, NTPOOL_C2_BAD_ADDRESS,
		     (unsigned long)p, 0, 0);
}

static bool already_free(struct ntpool_header *hdr, void *p,
			 struct ntpool_bugcheck *bc)
{
	return fault(bc, BAD_POOL_CALLER, NTPOOL_C2_ALREADY_FREE, 0,
		     READ_ONCE(*(const u32 *)hdr), (unsigned long)p);
}

/*
 * Why does @p name no allocated block of the page?  A block that is free,
 * on a per-CPU cache, being freed by another CPU or quarantined was freed
 * already; a pointer inside a block or into nothing is a bad address.  In
 * a page with no blocks left (kept in the empty-page cache) every block was
 * freed; its old header is still there, in memory the pool owns.
 */
static bool explain_locked(struct ntpool_pool *pool, void *p,
			   struct ntpool_bugcheck *bc)
{
	struct ntpool_page *pg = ntpool_page_lookup(pool, p);
	int unit = ntpool_unit_of(p);
	unsigned int start;

	lockdep_assert_held(&pool->lock);
	if (!pg || unit < 0)
		return bad_address(p, bc);
	if (bitmap_empty(pg->block_starts, NTPOOL_PAGE_UNITS) ||
	    test_bit(unit, pg->block_starts))
		return already_free(ntpool_hdr_at(pg, unit), p, bc);
	start = find_last_bit(pg->block_starts, unit);
	if (start >= unit || ntpool_is_allocated(pg, start))
		return bad_address(p, bc);
	return already_free(ntpool_hdr_at(pg, start), p, bc);
}

/**
 * ntpool_find_big_locked() - check a pointer to a big block
 * @pool: pool from ntpool_pool_of(), locked
 * @p: the pointer
 * @blk: filled in; on failure the reason is in @blk->bc
 *
 * Return: true if @p is a big block of @pool.
 */
bool ntpool_find_big_locked(struct ntpool_pool *pool, void *p,
			    struct ntpool_block *blk)
{
	void *entry = xa_load(&pool->pages, ntpool_page_key(p));
	struct ntpool_bugcheck *bc = &blk->bc;
	struct ntpool_big *big;

	lockdep_assert_held(&pool->lock);
	*blk = (struct ntpool_block) { .pool = pool };
	if (!entry || xa_pointer_tag(entry) != NTPOOL_XA_BIG)
		return bad_address(p, bc);
	big = xa_untag_pointer(entry);
	/* Freed, and kept for reuse: as if it had left the table. */
	if (big->freed)
		return bad_address(p, bc);
	if (big->block != p && big->special)
		return fault(bc, SPECIAL_POOL_DETECTED_MEMORY_CORRUPTION,
			     (unsigned long)p, big->size,
			     (unsigned long)(big->va + PAGE_SIZE) - (unsigned long)p,
			     NTPOOL_C1_BAD_ADDRESS);
	if (big->block != p)
		return bad_address(p, bc);
	blk->big = big;
	return true;
}

/**
 * ntpool_header_fault() - why a claimed block's header is not sound
 * @blk: the block, its header read into @blk->seen by
 *	ntpool_check_claimed(), which found it wanting
 *
 * BlockSize is looked at first, for NT's codes; the reason is left in
 * @blk->bc, from the copy that was read.
 *
 * Return: false.
 */
bool ntpool_header_fault(struct ntpool_block *blk)
{
	unsigned long addr = (unsigned long)blk->hdr;
	unsigned int size = blk->seen.block_size;

	if (!size)
		return fault(&blk->bc, BAD_POOL_HEADER, NTPOOL_19_SIZE_ZERO, 0, 0,
			     addr);
	if (size > blk->units)
		return fault(&blk->bc, BAD_POOL_HEADER, NTPOOL_19_SIZE_TOO_LARGE,
			     addr, 0, addr);
	if (size < blk->units)
		return fault(&blk->bc, BAD_POOL_HEADER, NTPOOL_19_SIZE_MISMATCH,
			     addr, 0, addr + size * NTPOOL_BLOCK_SIZE);
	return fault(&blk->bc, BAD_POOL_CALLER, NTPOOL_C2_HEADER_CORRUPT,
		     addr, ntpool_hdr_ulong1(&blk->seen), 0);
}

/**
 * ntpool_claim_failed() - explain why a free could not claim @p
 * @pool: pool from ntpool_pool_of(), not locked
 * @p: the pointer, in one of @pool's pages of small blocks
 * @blk: filled in, with the reason in @blk->bc
 *
 * For ntpool_claim_block() (pool.h): the page's bitmaps, under the pool
 * lock, say whether @p was freed already or is no block at all.
 *
 * Return: NTPOOL_CLAIM_NONE.
 */
enum ntpool_claim ntpool_claim_failed(struct ntpool_pool *pool, void *p,
				      struct ntpool_block *blk)
{
	unsigned long flags;

	*blk = (struct ntpool_block) { .pool = pool };
	spin_lock_irqsave(&pool->lock, flags);
	explain_locked(pool, p, &blk->bc);
	spin_unlock_irqrestore(&pool->lock, flags);
	return NTPOOL_CLAIM_NONE;
}

/**
 * ntpool_find_block_locked() - check a pointer and find its block
 * @pool: pool from ntpool_pool_of(), locked
 * @p: the pointer
 * @blk: filled in; on failure the reason is in @blk->bc, for the caller to
 *	report once the lock is dropped
 *
 * Finds without claiming: for callers that look at an allocated block
 * (ExQueryPoolBlockSize), and for big blocks, whose free is done under the
 * lock.
 *
 * Return: true if @p is an allocated block of @pool with a sound header.
 */
bool ntpool_find_block_locked(struct ntpool_pool *pool, void *p,
			      struct ntpool_block *blk)
{
	struct ntpool_page *pg = ntpool_page_lookup(pool, p);
	int unit = ntpool_unit_of(p);

	if (!pg)
		return ntpool_find_big_locked(pool, p, blk);
	lockdep_assert_held(&pool->lock);
	*blk = (struct ntpool_block) { .pool = pool };
	if (unit < 0 || !ntpool_is_allocated(pg, unit))
		return explain_locked(pool, p, &blk->bc);
	ntpool_block_set_small(blk, pg, unit, ntpool_block_units(pg, unit), p);
	return ntpool_check_claimed(blk);
}

/**
 * ntpool_check_previous_locked() - does PreviousSize still say what the
 *	bitmap says?
 * @blk: a small block the caller owns; its pool locked
 *
 * A mismatch means the block in front wrote past its end.  The reason is
 * left in @blk->bc; the block itself may still be freed, since nothing
 * depends on the field.
 *
 * Return: true if it does.
 */
bool ntpool_check_previous_locked(struct ntpool_block *blk)
{
	unsigned int prev = ntpool_prev_units(blk->page, blk->unit);
	unsigned long addr = (unsigned long)blk->hdr;

	if (READ_ONCE(blk->hdr->previous_size) == prev)
		return true;
	if (!prev)
		return fault(&blk->bc, BAD_POOL_HEADER,
			     NTPOOL_19_PREVIOUS_TOO_LARGE, addr, 0, addr);
	return fault(&blk->bc, BAD_POOL_HEADER, NTPOOL_19_SIZE_MISMATCH,
		     addr - prev * NTPOOL_BLOCK_SIZE, 0, addr);
}
