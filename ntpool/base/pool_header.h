/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The x64 _POOL_HEADER, as ntpool writes it in front of every small block.
 *
 * Field use (what NT documents, and what ntpool adds):
 *  PreviousSize  BlockSize of the block before this one in the page, in
 *                16-byte units; 0 for the first block of a page.
 *  PoolIndex     ntpool: id of the client module that allocated the block
 *                (see client.c); 0 in free blocks, kept while a freed
 *                block waits on a per-CPU cache.
 *  BlockSize     size of this block in 16-byte units, header included.
 *  PoolType      0 for a free block; for an allocated one the pool type + 1,
 *                where the pool type is NonPagedPool (0) or PagedPool (1),
 *                plus 4 when the block was requested cache aligned, plus 8
 *                (POOL_QUOTA_MASK) when it is charged as quota.  A freed
 *                block waiting on a per-CPU cache keeps its header as it
 *                was allocated, as a block on one of NT's lookaside lists
 *                does; the cache keeps a copy to compare with (pcp.c).
 *  PoolTag       the tag, as the caller passed it.  Free blocks keep the tag
 *                of the block that was freed last, as NT's !pool shows.
 *  ProcessBilled 8 bytes.  NT keeps the billed process there, encoded
 *                since NT 8 so that a write over it cannot make the pool
 *                return another process's quota.  ntpool bills a memory
 *                cgroup, and keeps which one out of the client's reach, in
 *                the page's record (a page of charged blocks is the
 *                cgroup's alone, see quota_pages.c); the quota bit of
 *                PoolType says that it is charged.  The 8 bytes hold
 *                ntpool's own fields instead: the number of bytes
 *                requested in the first 16 bits (AllocatorBackTraceIndex),
 *                the id of the tag's row in the tag table in the next 16
 *                (PoolTagHash, which NT also uses to find the tracker
 *                entry) and a check value in the last 32 (see seal.c).
 *
 * Every byte of a header is memory the client can write.  The allocator
 * never acts on it unchecked: where blocks start, which are free and which
 * are allocated is kept out of band, in the page's bitmaps (pool.h), and
 * the fields a free reads back (BlockSize, PoolIndex, PoolType, PoolTag,
 * the bytes requested and the tag row) are covered by the check value, a
 * keyed hash that only ntpool can compute, as NT 8 and later encode their
 * headers with a per-boot secret.  Free blocks hold no list links: a write
 * after free can change what a later !pool shows, never where the
 * allocator goes.
 */
#ifndef _NTPOOL_POOL_HEADER_H
#define _NTPOOL_POOL_HEADER_H

#include <asm/byteorder.h>
#include <linux/build_bug.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/stddef.h>
#include <linux/string.h>
#include <linux/types.h>

#define NTPOOL_BLOCK_SHIFT	4
#define NTPOOL_BLOCK_SIZE	16U
#define NTPOOL_PAGE_UNITS	(PAGE_SIZE >> NTPOOL_BLOCK_SHIFT)
/* BlockSize is one byte: the largest block is one unit short of a page. */
#define NTPOOL_MAX_BLOCK_UNITS	(NTPOOL_PAGE_UNITS - 1)
/* Largest small request: 4064 bytes with 4 KiB pages, as POOL_MAX_ALLOC. */
#define NTPOOL_MAX_SMALL	(PAGE_SIZE - 2 * NTPOOL_BLOCK_SIZE)
/* A cache-aligned block may need up to this many units in front of it. */
#define NTPOOL_ALIGN_UNITS	(L1_CACHE_BYTES / NTPOOL_BLOCK_SIZE - 1)
#define NTPOOL_MAX_SMALL_ALIGNED \
	(PAGE_SIZE - L1_CACHE_BYTES)

#define NTPOOL_HDR_TYPE_CACHE_ALIGNED	4
/* PoolType bit of a block charged as quota: NT's POOL_QUOTA_MASK. */
#define NTPOOL_HDR_TYPE_QUOTA		8
/* What the slack between the requested size and the block's end holds. */
#define NTPOOL_SLACK_PATTERN		0xac

/*
 * Plain fields, no union or array: GCC gives a 16-byte union or array the
 * alignment of a 128-bit integer, and each function with one on its stack
 * would realign the stack (the kernel keeps it 8-byte aligned).  The two
 * words are read and written with ntpool_hdr_word() and
 * ntpool_hdr_set_words().  The last eight bytes are NT's ProcessBilled.
 */
struct ntpool_header {
	u8 previous_size;
	u8 pool_index;
	u8 block_size;
	u8 pool_type;
	u32 pool_tag;
	u16 allocator_backtrace_index;
	u16 pool_tag_hash;
	u32 check;
};

static_assert(sizeof(struct ntpool_header) == NTPOOL_BLOCK_SIZE);
static_assert(NTPOOL_BLOCK_SIZE == 1U << NTPOOL_BLOCK_SHIFT);
static_assert(offsetof(struct ntpool_header, block_size) == 2);
static_assert(offsetof(struct ntpool_header, pool_type) == 3);
static_assert(offsetof(struct ntpool_header, pool_tag) == 4);
static_assert(offsetof(struct ntpool_header, allocator_backtrace_index) == 8);
static_assert(offsetof(struct ntpool_header, check) == 12);
static_assert(NTPOOL_PAGE_UNITS == 256, "ntpool needs 4 KiB pages");
#ifndef __LITTLE_ENDIAN
#error "ntpool builds the header's words as a little-endian machine lays them out"
#endif

/* Word @word (0 or 1) of a header image, in one load. */
static __always_inline u64 ntpool_hdr_word(const struct ntpool_header *img,
					   unsigned int word)
{
	u64 w;

	memcpy(&w, (const u64 *)img + word, sizeof(w));
	return w;
}

/* Set both words of a header image, in two stores. */
static __always_inline void ntpool_hdr_set_words(struct ntpool_header *img,
						 u64 w0, u64 w1)
{
	memcpy(img, &w0, sizeof(w0));
	memcpy((u64 *)img + 1, &w1, sizeof(w1));
}

/* NT's ULONG1: PreviousSize, PoolIndex, BlockSize and PoolType, as reports show it. */
static __always_inline u32 ntpool_hdr_ulong1(const struct ntpool_header *img)
{
	u32 v;

	memcpy(&v, img, sizeof(v));
	return v;
}

/*
 * Which bits of a header's words the seal covers: all but PreviousSize
 * (rewritten by whoever changes the block in front) and, unless @check,
 * the check value itself.
 */
static __always_inline u64 ntpool_hdr_sealed_bits(unsigned int word, bool check)
{
	struct ntpool_header m;

	ntpool_hdr_set_words(&m, ~0ULL, ~0ULL);
	m.previous_size = 0;
	if (!check)
		m.check = 0;
	return ntpool_hdr_word(&m, word);
}

/*
 * Do two header images agree on every sealed field (and on the check value
 * too, if @check)?
 */
static __always_inline bool ntpool_hdr_same(const struct ntpool_header *a,
					    const struct ntpool_header *b,
					    bool check)
{
	return !(((ntpool_hdr_word(a, 0) ^ ntpool_hdr_word(b, 0)) &
		  ntpool_hdr_sealed_bits(0, check)) |
		 ((ntpool_hdr_word(a, 1) ^ ntpool_hdr_word(b, 1)) &
		  ntpool_hdr_sealed_bits(1, check)));
}

/*
 * A copy of a header a client may be writing, each word read once.  Two
 * word loads: the cached allocation and free (pcp.c) write nothing to the
 * header, so what they read was stored long before, and the loads need no
 * store forwarded from bytes stored one by one.
 */
static __always_inline void
ntpool_hdr_snapshot(const struct ntpool_header *hdr, struct ntpool_header *img)
{
	ntpool_hdr_set_words(img, READ_ONCE(*(const u64 *)hdr),
			     READ_ONCE(*((const u64 *)hdr + 1)));
}

static inline bool ntpool_hdr_is_free(const struct ntpool_header *hdr)
{
	return hdr->pool_type == 0;
}

static inline void *ntpool_hdr_to_block(struct ntpool_header *hdr)
{
	return hdr + 1;
}

static inline struct ntpool_header *ntpool_block_to_hdr(const void *block)
{
	return (struct ntpool_header *)block - 1;
}

/*
 * The bytes requested need 12 bits of the header's 16-bit
 * AllocatorBackTraceIndex (at most NTPOOL_MAX_SMALL); the top four hold
 * the mark the block was allocated under, modulo 16 (marks.c).
 */
#define NTPOOL_HDR_REQUESTED_BITS	12
#define NTPOOL_HDR_REQUESTED_MASK	((1U << NTPOOL_HDR_REQUESTED_BITS) - 1)
#define NTPOOL_HDR_MARKS		(1U << (16 - NTPOOL_HDR_REQUESTED_BITS))
static_assert(NTPOOL_MAX_SMALL <= NTPOOL_HDR_REQUESTED_MASK);

static inline size_t ntpool_hdr_requested(const struct ntpool_header *hdr)
{
	return hdr->allocator_backtrace_index & NTPOOL_HDR_REQUESTED_MASK;
}

/* The mark a block was allocated under, modulo NTPOOL_HDR_MARKS. */
static inline unsigned int ntpool_hdr_mark(const struct ntpool_header *hdr)
{
	return hdr->allocator_backtrace_index >> NTPOOL_HDR_REQUESTED_BITS;
}

/* What the header's requested field holds for @requested bytes now. */
static __always_inline u16 ntpool_hdr_requested_field(size_t requested,
						      u32 mark)
{
	return requested | (mark % NTPOOL_HDR_MARKS) << NTPOOL_HDR_REQUESTED_BITS;
}

/**
 * ntpool_hdr_image() - the image of an allocated block's header
 * @img: written: PreviousSize and the check value 0, the rest as given
 * @index: PoolIndex, the client's id
 * @units: BlockSize
 * @type: PoolType
 * @tag: PoolTag
 * @requested: the requested field: bytes requested and the mark
 *	(ntpool_hdr_requested_field())
 * @tag_hash: the call site's id
 */
static __always_inline void
ntpool_hdr_image(struct ntpool_header *img, u8 index, u8 units, u8 type,
		 u32 tag, u16 requested, u16 tag_hash)
{
	/* Word by word, x86 being little-endian: no byte stores to forward. */
	ntpool_hdr_set_words(img, (u64)index << 8 | (u64)units << 16 |
				  (u64)type << 24 | (u64)tag << 32,
			     requested | (u64)tag_hash << 16);
}

/**
 * ntpool_units_for() - the size of a small block, in units
 * @size: bytes requested, at most NTPOOL_MAX_SMALL
 *
 * A block is its header and ceil(@size / 16) units of data, always (NT
 * leaves a one-unit rest beside a block free, never in the block).  A
 * request of 0 bytes gets the smallest block, one unit of data, as retail
 * NT serves it as a request of 1 byte.
 *
 * Return: the units, header included.
 */
static inline unsigned int ntpool_units_for(size_t size)
{
	return DIV_ROUND_UP(size ?: 1, NTPOOL_BLOCK_SIZE) + 1;
}

#endif /* _NTPOOL_POOL_HEADER_H */
