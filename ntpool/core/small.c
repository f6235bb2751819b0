// SPDX-License-Identifier: GPL-2.0
/*
 * Small blocks: carved from pool pages behind an x64 _POOL_HEADER.
 *
 * Every byte of a pool page belongs to exactly one block, free or
 * allocated, so a page is walked from unit 0 by BlockSize and each block's
 * PreviousSize equals the BlockSize before it.  That layout lives in the
 * page's bitmaps (struct ntpool_page), out of the client's reach; headers
 * are written from it for NT's tools and never read back to decide
 * anything.  A page with free space sits in a bucket for the size of its
 * largest free block; allocation takes a page from the smallest bucket
 * that fits (a bitmap finds it in one search) and the smallest free block
 * of that page that fits, and splits it; freeing coalesces with free
 * neighbours, and a page that becomes wholly free goes to the empty-page
 * cache or back to the system.  Two free blocks are never neighbours.
 *
 * The pool's buckets hold its pages of uncharged blocks.  Blocks charged
 * to a memory cgroup (quota) are carved the same way from pages of their
 * own, charged to that cgroup, in the buckets of the cgroup's quota set
 * (quota_pages.c): a charged block and an uncharged one, or blocks of two
 * cgroups, never share a page, and such a page goes back to the system,
 * and its charge with it, as soon as its last block is freed.
 * Locking is described in pool.h.
 */
#define pr_fmt(fmt) "ntpool: " fmt

#include <linux/string.h>
#include "base/gfp.h"
#include "core/pool.h"
#include "report/report.h"

/**
 * ntpool_hdr_unit() - offset of a header in its page, in units
 * @hdr: the header
 *
 * Return: the offset.
 */
unsigned int ntpool_hdr_unit(const struct ntpool_header *hdr)
{
	return offset_in_page(hdr) >> NTPOOL_BLOCK_SHIFT;
}

/* Units of the page's largest free block. */
static unsigned int largest_free(const struct ntpool_page *pg)
{
	unsigned int unit, best = 0;

	for_each_set_bit(unit, pg->free_starts, NTPOOL_PAGE_UNITS)
		best = max(best, ntpool_block_units(pg, unit));
	return best;
}

/**
 * ntpool_buckets_init() - empty buckets
 * @b: the buckets
 */
void ntpool_buckets_init(struct ntpool_buckets *b)
{
	unsigned int i;

	bitmap_zero(b->nonempty, NTPOOL_PAGE_UNITS);
	for (i = 0; i < NTPOOL_PAGE_UNITS; i++)
		INIT_LIST_HEAD(&b->lists[i]);
}

/* The buckets a page of @pool belongs in: its quota set's, or the pool's. */
static struct ntpool_buckets *buckets_of(struct ntpool_pool *pool,
					 struct ntpool_page *pg)
{
	return pg->quota ? &pg->quota->free : &pool->free;
}

static void bucket_del(struct ntpool_pool *pool, struct ntpool_page *pg)
{
	struct ntpool_buckets *b = buckets_of(pool, pg);

	if (pg->largest_free < 2)
		return;
	list_del_init(&pg->link);
	if (list_empty(&b->lists[pg->largest_free]))
		__clear_bit(pg->largest_free, b->nonempty);
	pg->largest_free = 0;
}

/* Put @pg in the bucket for @largest, its largest free block's units. */
static void bucket_add(struct ntpool_pool *pool, struct ntpool_page *pg,
		       unsigned int largest)
{
	struct ntpool_buckets *b = buckets_of(pool, pg);

	pg->largest_free = largest;
	if (pg->largest_free < 2)
		return;
	list_add(&pg->link, &b->lists[pg->largest_free]);
	__set_bit(pg->largest_free, b->nonempty);
}

/* Point the block after [unit, unit + units) back at its new neighbour. */
static void link_next(struct ntpool_page *pg, unsigned int unit,
		      unsigned int units)
{
	if (unit + units < NTPOOL_PAGE_UNITS)
		WRITE_ONCE(ntpool_hdr_at(pg, unit + units)->previous_size, units);
}

/*
 * Record a free block and write its header, sealed as an image and stored
 * as two words: sealing it where it lies would read back what was just
 * stored, and wait for the header's line to come in (a cache miss at most
 * carves and merges).  The pool lock makes the header, PreviousSize
 * included, the caller's to write.
 */
static void make_free(struct ntpool_page *pg, unsigned int unit,
		      unsigned int units, u32 tag)
{
	struct ntpool_header *hdr = ntpool_hdr_at(pg, unit);
	struct ntpool_header img;

	__set_bit(unit, pg->block_starts);
	__set_bit(unit, pg->free_starts);
	img = (struct ntpool_header) {
		.previous_size = ntpool_prev_units(pg, unit),
		.block_size = units,
		.pool_tag = tag,
	};
	ntpool_seal_image(hdr, &img);
	WRITE_ONCE(*(u64 *)hdr, ntpool_hdr_word(&img, 0));
	WRITE_ONCE(*((u64 *)hdr + 1), ntpool_hdr_word(&img, 1));
	link_next(pg, unit, units);
}

/* Units to leave in front of a block starting at @unit for cache alignment. */
static unsigned int align_prefix(unsigned int unit)
{
	unsigned int line = L1_CACHE_BYTES / NTPOOL_BLOCK_SIZE;

	/* The header ends, and the caller's bytes begin, on a cache line. */
	return (line - 1 - unit % line) % line;
}

/**
 * ntpool_hdr_format() - the image of an allocated block's header
 * @img: written: every field but PreviousSize (0) and the check value (0)
 * @units: BlockSize
 * @req: the request
 */
void ntpool_hdr_format(struct ntpool_header *img, unsigned int units,
		       const struct ntpool_request *req)
{
	u8 type = req->kind;

	if (req->cache_aligned)
		type |= NTPOOL_HDR_TYPE_CACHE_ALIGNED;
	if (req->memcg)
		type |= NTPOOL_HDR_TYPE_QUOTA;
	ntpool_hdr_image(img, req->client, units, type + 1, req->tag,
			 ntpool_hdr_requested_field(req->size, ntpool_mark()),
			 req->site_id);
}

/**
 * ntpool_hdr_store() - write a header image, PreviousSize aside
 * @hdr: the header of a block the caller owns
 * @img: the image
 *
 * PreviousSize belongs to whoever changes the block in front, under the
 * pool lock: it is left as it is.
 */
void ntpool_hdr_store(struct ntpool_header *hdr, const struct ntpool_header *img)
{
	WRITE_ONCE(hdr->pool_index, img->pool_index);
	WRITE_ONCE(hdr->block_size, img->block_size);
	WRITE_ONCE(hdr->pool_type, img->pool_type);
	WRITE_ONCE(hdr->pool_tag, img->pool_tag);
	WRITE_ONCE(*((u64 *)hdr + 1), ntpool_hdr_word(img, 1));
}

/**
 * ntpool_hdr_write() - write an allocated block's header, sealed
 * @hdr: the header; PreviousSize is left as it is
 * @units: BlockSize
 * @req: the request
 */
void ntpool_hdr_write(struct ntpool_header *hdr, unsigned int units,
		      const struct ntpool_request *req)
{
	struct ntpool_header img;

	ntpool_hdr_format(&img, units, req);
	ntpool_seal_image(hdr, &img);
	ntpool_hdr_store(hdr, &img);
}

/*
 * Allocate @units units at the start of the free span [unit, unit + span),
 * after a cache-alignment prefix if the request wants one; the rest of the
 * span becomes free again, however small.  A one-unit rest is a free block
 * like any other, as NT leaves it: it holds no data, is never allocated by
 * itself, and merges with its neighbours when one of them is freed.  The
 * page is in no bucket.
 */
static struct ntpool_header *carve(struct ntpool_page *pg, unsigned int unit,
				   unsigned int span, unsigned int units,
				   const struct ntpool_request *req)
{
	unsigned int prefix = req->cache_aligned ? align_prefix(unit) : 0;
	unsigned int suffix = span - prefix - units;
	struct ntpool_header *hdr;

	__clear_bit(unit, pg->free_starts);
	if (prefix) {
		make_free(pg, unit, prefix, req->tag);
		unit += prefix;
	}
	__set_bit(unit, pg->block_starts);
	if (suffix)
		make_free(pg, unit + units, suffix, req->tag);
	hdr = ntpool_hdr_at(pg, unit);
	hdr->previous_size = ntpool_prev_units(pg, unit);
	ntpool_hdr_write(hdr, units, req);
	link_next(pg, unit, units);
	ntpool_mark_allocated(pg, unit, units);
	return hdr;
}

/* The smallest free block of the page with at least @need units. */
static unsigned int best_fit(const struct ntpool_page *pg, unsigned int need,
			     unsigned int *span)
{
	unsigned int unit, units, best = NTPOOL_PAGE_UNITS;

	*span = NTPOOL_PAGE_UNITS + 1;
	for_each_set_bit(unit, pg->free_starts, NTPOOL_PAGE_UNITS) {
		units = ntpool_block_units(pg, unit);
		if (units >= need && units < *span) {
			*span = units;
			best = unit;
			if (units == need)
				break;
		}
	}
	return best;
}

/*
 * Is a free block's header as ntpool wrote it?  If not, something wrote to
 * the block after it was freed (NT's 0x19/0x0D): reported by the caller,
 * and harmless here, since nothing of the header is used.
 */
static void check_free_header(struct ntpool_page *pg, unsigned int unit,
			      unsigned int span, struct ntpool_bugcheck *bc)
{
	struct ntpool_header *hdr = ntpool_hdr_at(pg, unit);

	if (hdr->block_size == span && !hdr->pool_type &&
	    ntpool_hdr_sealed(hdr))
		return;
	*bc = (struct ntpool_bugcheck) {
		.code = BAD_POOL_HEADER,
		.args = { NTPOOL_19_FREED_MODIFIED, (unsigned long)hdr, 0,
			  ntpool_hdr_ulong1(hdr) },
	};
}

/*
 * The page of @b to carve @need units from: one of the smallest bucket
 * that fits, but not a page another CPU carves from now while another
 * fits (at most one such page per CPU is passed over).  NULL if none.
 */
static struct ntpool_page *pick_page(struct ntpool_buckets *b,
				     unsigned int need)
{
	unsigned int size = need - 1;
	struct ntpool_page *pg;

	while ((size = find_next_bit(b->nonempty, NTPOOL_PAGE_UNITS,
				     size + 1)) < NTPOOL_PAGE_UNITS)
		list_for_each_entry(pg, &b->lists[size], link)
			if (!ntpool_page_carved_elsewhere(pg))
				return pg;
	return NULL;
}

/*
 * Allocate from a page of @b that has room, if any; the pool is locked.
 * @b is NULL for a cgroup that has no quota set in the pool.
 */
static struct ntpool_header *take_free(struct ntpool_pool *pool,
				       struct ntpool_buckets *b,
				       unsigned int need, unsigned int units,
				       const struct ntpool_request *req,
				       struct ntpool_bugcheck *bc)
{
	struct ntpool_header *hdr;
	struct ntpool_page *pg;
	unsigned int unit, span, size;

	if (!b)
		return NULL;
	pg = pick_page(b, need);
	if (!pg)
		return NULL;
	size = pg->largest_free;
	unit = best_fit(pg, need, &span);
	check_free_header(pg, unit, span, bc);
	bucket_del(pool, pg);
	hdr = carve(pg, unit, span, units, req);
	/* A smaller block than the largest was split: the largest stays. */
	bucket_add(pool, pg, span < size ? size : largest_free(pg));
	ntpool_page_recent_locked(pool, pg);
	if (b == &pool->free)
		ntpool_page_carving_locked(pool, pg);
	return hdr;
}

/*
 * Carve the first block of a new page, for @req, and put the page in its
 * buckets: @req's cgroup's quota set (made of *@spare if it has none) or
 * the pool's.  NULL, the page given back, if no quota set could be had.
 */
static void *carve_new_page(struct ntpool_pool *pool, struct ntpool_page *pg,
			    const struct ntpool_request *req, unsigned int units,
			    struct ntpool_quota_set **spare)
{
	struct ntpool_header *hdr;
	unsigned long flags;

	spin_lock_irqsave(&pool->lock, flags);
	if (req->memcg &&
	    !ntpool_quota_attach_locked(pool, pg, req->memcg, spare)) {
		ntpool_xa_forget_locked(pool, pg->base);
		ntpool_page_release(pool, pg);
		spin_unlock_irqrestore(&pool->lock, flags);
		return NULL;
	}
	hdr = carve(pg, 0, NTPOOL_PAGE_UNITS, units, req);
	bucket_add(pool, pg, largest_free(pg));
	ntpool_page_recent_locked(pool, pg);
	if (!pg->quota)
		ntpool_page_carving_locked(pool, pg);
	spin_unlock_irqrestore(&pool->lock, flags);
	return ntpool_hdr_to_block(hdr);
}

/*
 * A block charged to @req's cgroup, from a new page charged to it: the
 * cgroup's quota set in @pool is made if it had none (@have_set false),
 * out of the lock.
 */
static void *quota_page_alloc(struct ntpool_pool *pool,
			      const struct ntpool_request *req,
			      unsigned int units, bool have_set)
{
	struct ntpool_quota_set *spare = NULL;
	gfp_t gfp = ntpool_gfp(req);
	struct ntpool_page *pg;
	void *p = NULL;

	if (!have_set) {
		spare = ntpool_quota_set_new(req->memcg, gfp);
		if (!spare)
			return NULL;
	}
	pg = ntpool_page_new(pool, gfp, req->memcg);
	if (pg)
		p = carve_new_page(pool, pg, req, units, &spare);
	/* Another request of the cgroup may have made the set meanwhile. */
	ntpool_quota_set_free(spare);
	return p;
}

/**
 * ntpool_small_alloc() - allocate a block of up to NTPOOL_MAX_SMALL bytes
 * @pool: pool to allocate from
 * @req: the request; with @req->memcg, the block is carved from a page
 *	charged to that cgroup (a new one if none of its pages has room)
 *
 * The block is always ntpool_units_for(@req->size) units, header included,
 * as NT sizes its blocks: never a unit more, whatever is left beside it.
 *
 * Return: the caller's bytes (16-byte aligned, cache aligned on request),
 * or NULL when no page could be had.
 */
void *ntpool_small_alloc(struct ntpool_pool *pool,
			 const struct ntpool_request *req)
{
	unsigned int units = ntpool_units_for(req->size);
	unsigned int need = units + (req->cache_aligned ? NTPOOL_ALIGN_UNITS : 0);
	struct ntpool_bugcheck bc = {};
	struct ntpool_buckets *b;
	struct ntpool_header *hdr;
	struct ntpool_page *pg;
	unsigned long flags;

	spin_lock_irqsave(&pool->lock, flags);
	b = req->memcg ? ntpool_quota_buckets_locked(pool, req->memcg) :
			 &pool->free;
	hdr = take_free(pool, b, need, units, req, &bc);
	spin_unlock_irqrestore(&pool->lock, flags);
	if (bc.code)
		ntpool_bugcheck(bc.code, bc.args[0], bc.args[1], bc.args[2],
				bc.args[3], &req->caller);
	if (hdr)
		return ntpool_hdr_to_block(hdr);

	if (req->memcg)
		return quota_page_alloc(pool, req, units, b);
	pg = ntpool_page_get(pool, ntpool_gfp(req));
	if (!pg)
		return NULL;
	return carve_new_page(pool, pg, req, units, NULL);
}

/**
 * ntpool_small_free_locked() - give a block in transit back to its page
 * @pool: its pool, locked
 * @pg: its page
 * @unit: where the block starts
 * @tag: the tag its free header keeps, as NT's !pool shows
 *
 * The caller won the block's allocated byte (or took it off a per-CPU
 * cache).  It is merged with free neighbours; a page that becomes wholly
 * free is kept for reuse or, once no lockless reader can see it, given
 * back to the system; a charged page always is, and its cgroup uncharged.
 */
void ntpool_small_free_locked(struct ntpool_pool *pool, struct ntpool_page *pg,
			      unsigned int unit, u32 tag)
{
	unsigned int span = ntpool_block_units(pg, unit);
	unsigned int prev_units = ntpool_prev_units(pg, unit);
	unsigned int largest = pg->largest_free;
	unsigned int end = unit + span;

	lockdep_assert_held(&pool->lock);
	bucket_del(pool, pg);
	if (end < NTPOOL_PAGE_UNITS && test_bit(end, pg->free_starts)) {
		span += ntpool_block_units(pg, end);
		__clear_bit(end, pg->free_starts);
		__clear_bit(end, pg->block_starts);
	}
	if (prev_units && test_bit(unit - prev_units, pg->free_starts)) {
		__clear_bit(unit, pg->block_starts);
		unit -= prev_units;
		span += prev_units;
	}
	if (span == NTPOOL_PAGE_UNITS) {
		/* A charged page is not kept: its cgroup would pay for it. */
		if (pg->quota || !ntpool_page_cache_put(pool, pg)) {
			ntpool_xa_forget_locked(pool, pg->base);
			ntpool_quota_detach_locked(pool, pg);
			ntpool_page_release(pool, pg);
		}
		return;
	}
	make_free(pg, unit, span, tag);
	/* Merging only grows free blocks: no other one changed. */
	bucket_add(pool, pg, max(largest, span));
}

/**
 * ntpool_small_quarantine() - keep a corrupt block out of use for good
 * @pool: its pool, not locked
 * @pg: its page
 * @unit: where the block starts; the caller owns it (in transit)
 *
 * Nothing of the block is trusted any more: it is never freed, merged or
 * handed out again, and its page stays the pool's.  Its header keeps what
 * was found there, but for the sizes, which are set back from the bitmap
 * so that the page can still be walked by BlockSize, as NT's tools do.
 */
void ntpool_small_quarantine(struct ntpool_pool *pool, struct ntpool_page *pg,
			     unsigned int unit)
{
	struct ntpool_header *hdr = ntpool_hdr_at(pg, unit);
	unsigned long flags;

	spin_lock_irqsave(&pool->lock, flags);
	hdr->block_size = ntpool_block_units(pg, unit);
	hdr->previous_size = ntpool_prev_units(pg, unit);
	__set_bit(unit, pg->quarantine);
	pg->nr_quarantined++;
	spin_unlock_irqrestore(&pool->lock, flags);
	atomic_long_inc(&pool->nr_quarantined);
}
