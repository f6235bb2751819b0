// SPDX-License-Identifier: GPL-2.0
/*
 * From a pointer a caller passes back to the block it names.
 *
 * The page xarray says whether ntpool owns the page at all, so a foreign
 * pointer is refused without being dereferenced.  In a page of small blocks
 * the block-start bitmap says where blocks begin, so a pointer into the
 * middle of a block, a block freed twice and a header that was overwritten
 * are told apart and reported with their NT bugcheck codes.
 */
#define pr_fmt(fmt) "ntpool: " fmt

#include "pool.h"
#include "report.h"
#include "special.h"

static bool bad_address(void *p, const struct ntpool_caller *caller)
{
	ntpool_bugcheck(BAD_POOL_CALLER, NTPOOL_C2_BAD_ADDRESS,
			(unsigned long)p, 0, 0, caller);
	return false;
}

static bool already_free(struct ntpool_header *hdr, void *p,
			 const struct ntpool_caller *caller)
{
	ntpool_bugcheck(BAD_POOL_CALLER, NTPOOL_C2_ALREADY_FREE, 0,
			hdr->ulong1, (unsigned long)p, caller);
	return false;
}

/*
 * A pointer that is not a block start: inside a block, or freed already.
 * In a page with no blocks left (kept in the empty-page cache) every block
 * was freed; its old header is still there, in memory the pool owns.
 */
static bool not_a_block(struct ntpool_page *pg, unsigned int unit, void *p,
			const struct ntpool_caller *caller)
{
	unsigned int start = find_last_bit(pg->block_starts, unit);
	struct ntpool_header *hdr;

	if (bitmap_empty(pg->block_starts, NTPOOL_PAGE_UNITS))
		return already_free(ntpool_hdr_at(pg, unit), p, caller);
	if (start >= unit)
		return bad_address(p, caller);
	hdr = ntpool_hdr_at(pg, start);
	if (ntpool_hdr_is_freed(hdr))
		return already_free(hdr, p, caller);
	return bad_address(p, caller);
}

static bool bad_header(u64 subcode, u64 arg2, u64 arg4,
		       const struct ntpool_caller *caller)
{
	ntpool_bugcheck(BAD_POOL_HEADER, subcode, arg2, 0, arg4, caller);
	return false;
}

/* Do the header's sizes agree with the bitmap and with the neighbours? */
static bool header_consistent(struct ntpool_page *pg, struct ntpool_header *hdr,
			      const struct ntpool_caller *caller)
{
	unsigned int unit = ntpool_hdr_unit(hdr);
	unsigned int end = find_next_bit(pg->block_starts, NTPOOL_PAGE_UNITS,
					 unit + 1);
	unsigned long addr = (unsigned long)hdr;
	struct ntpool_header *prev;

	if (!hdr->block_size)
		return bad_header(NTPOOL_19_SIZE_ZERO, 0, addr, caller);
	if (unit + hdr->block_size > end)
		return bad_header(NTPOOL_19_SIZE_TOO_LARGE, addr, addr, caller);
	if (unit + hdr->block_size < end)
		return bad_header(NTPOOL_19_SIZE_MISMATCH, addr,
				  (unsigned long)ntpool_hdr_at(pg, end), caller);
	if (end < NTPOOL_PAGE_UNITS &&
	    ntpool_hdr_at(pg, end)->previous_size != hdr->block_size)
		return bad_header(NTPOOL_19_SIZE_MISMATCH, addr,
				  (unsigned long)ntpool_hdr_at(pg, end), caller);
	if (!unit)
		return hdr->previous_size ?
		       bad_header(NTPOOL_19_PREVIOUS_TOO_LARGE, addr, addr, caller) :
		       true;
	if (!hdr->previous_size)
		return bad_header(NTPOOL_19_FIRST_NOT_ALIGNED, 0, addr, caller);
	if (hdr->previous_size > unit)
		return bad_header(NTPOOL_19_PREVIOUS_TOO_LARGE, addr, addr, caller);
	prev = ntpool_hdr_at(pg, unit - hdr->previous_size);
	if (!test_bit(unit - hdr->previous_size, pg->block_starts) ||
	    prev->block_size != hdr->previous_size)
		return bad_header(NTPOOL_19_SIZE_MISMATCH, (unsigned long)prev,
				  addr, caller);
	return true;
}

static bool find_small(struct ntpool_page *pg, void *p,
		       struct ntpool_block *blk,
		       const struct ntpool_caller *caller)
{
	unsigned long off = offset_in_page(p);
	struct ntpool_header *hdr;
	unsigned int unit;

	if (!off || !IS_ALIGNED(off, NTPOOL_BLOCK_SIZE))
		return bad_address(p, caller);
	unit = (off >> NTPOOL_BLOCK_SHIFT) - 1;
	if (!test_bit(unit, pg->block_starts))
		return not_a_block(pg, unit, p, caller);
	hdr = ntpool_hdr_at(pg, unit);
	if (ntpool_hdr_is_freed(hdr))
		return already_free(hdr, p, caller);
	if (!header_consistent(pg, hdr, caller))
		return false;
	blk->page = pg;
	blk->hdr = hdr;
	return true;
}

/**
 * ntpool_find_block_locked() - check a pointer and find its block
 * @pool: pool from ntpool_pool_of(), locked
 * @p: the pointer
 * @blk: filled in on success
 * @caller: who passed the pointer, for reports
 *
 * Reports what is wrong with @p (0xC2/0x99 not a block of the pool,
 * 0xC2/0x07 already freed, 0x19 corrupt header) and leaves the pool as it
 * was.
 *
 * Return: true if @p is an allocated block of @pool.
 */
bool ntpool_find_block_locked(struct ntpool_pool *pool, void *p,
			      struct ntpool_block *blk,
			      const struct ntpool_caller *caller)
{
	void *entry = xa_load(&pool->pages, ntpool_page_key(pool->kind, p));
	struct ntpool_big *big;

	*blk = (struct ntpool_block) { .pool = pool };
	if (!entry)
		return bad_address(p, caller);
	if (xa_pointer_tag(entry) == NTPOOL_XA_SMALL)
		return find_small(xa_untag_pointer(entry), p, blk, caller);
	big = xa_untag_pointer(entry);
	if (big->block != p && big->special) {
		ntpool_bugcheck(SPECIAL_POOL_DETECTED_MEMORY_CORRUPTION,
				(unsigned long)p, big->size,
				(unsigned long)(big->va + PAGE_SIZE) - (unsigned long)p,
				NTPOOL_C1_BAD_ADDRESS, caller);
		return false;
	}
	if (big->block != p)
		return bad_address(p, caller);
	blk->big = big;
	return true;
}
