// SPDX-License-Identifier: GPL-2.0
/*
 * The check value in the last 32 bits of a block header.
 *
 * A client can write any byte of a header, by an overrun of the block in
 * front, a write after free or a stray pointer.  The fields a free reads
 * back are sealed with a keyed hash drawn at load: a client that changes
 * one of them cannot write the matching check value, so the change is seen
 * before it is acted on.  PreviousSize is left out: the allocator rewrites
 * it when the block in front changes, without owning this block, and it is
 * checked against the page's bitmap instead.  The address is in the hash,
 * so a header copied from another block does not pass either.
 */
#include <linux/hash.h>
#include <linux/percpu.h>
#include <linux/random.h>
#include <linux/siphash.h>
#include "pool.h"

static hsiphash_key_t seal_key __read_mostly;

/* The check value of header image @img, for a header at @hdr. */
static u32 seal_of(const struct ntpool_header *hdr,
		   const struct ntpool_header *img)
{
	u32 sizes = img->block_size | (u32)img->pool_index << 8 |
		    (u32)img->pool_type << 16;
	u32 billed = img->allocator_backtrace_index |
		     (u32)img->pool_tag_hash << 16;

	return hsiphash_4u32(sizes, img->pool_tag, billed,
			     (u32)((unsigned long)hdr >> NTPOOL_BLOCK_SHIFT),
			     &seal_key);
}

struct ntpool_seal_memo __percpu *ntpool_seal_memos;

/**
 * ntpool_seal_init() - draw the key and set up the memo (once, at load)
 *
 * Without memory for the memo every check hashes.
 */
void ntpool_seal_init(void)
{
	get_random_bytes(&seal_key, sizeof(seal_key));
	ntpool_seal_memos = alloc_percpu(struct ntpool_seal_memo);
}

/**
 * ntpool_seal_exit() - free the memo (at unload)
 */
void ntpool_seal_exit(void)
{
	free_percpu(ntpool_seal_memos);
	ntpool_seal_memos = NULL;
}

/**
 * ntpool_seal_image() - set the check value of a header image
 * @hdr: where the header is, or will be written
 * @img: the image; its check value is written
 */
void ntpool_seal_image(const struct ntpool_header *hdr,
		       struct ntpool_header *img)
{
	img->check = seal_of(hdr, img);
}

/**
 * ntpool_hdr_seal() - write the check value of a header just written
 * @hdr: the header
 */
void ntpool_hdr_seal(struct ntpool_header *hdr)
{
	struct ntpool_header img;

	ntpool_hdr_snapshot(hdr, &img);
	WRITE_ONCE(hdr->check, seal_of(hdr, &img));
}

/**
 * ntpool_hdr_hash_sealed() - does a header image's check value match its
 *	fields and address?
 * @hdr: where the header is
 * @img: a snapshot of it (ntpool_hdr_snapshot())
 *
 * The keyed hash itself: ntpool_hdr_image_sealed() asks the memo first.
 *
 * Return: true if no sealed field of @img differs from what ntpool wrote.
 */
bool ntpool_hdr_hash_sealed(const struct ntpool_header *hdr,
			    const struct ntpool_header *img)
{
	return img->check == seal_of(hdr, img);
}

/**
 * ntpool_hdr_sealed() - is a header as ntpool last wrote it?
 * @hdr: the header
 *
 * Return: true if no sealed field changed since ntpool_hdr_seal().
 */
bool ntpool_hdr_sealed(const struct ntpool_header *hdr)
{
	struct ntpool_header img;

	ntpool_hdr_snapshot(hdr, &img);
	return ntpool_hdr_image_sealed(hdr, &img);
}

/**
 * ntpool_hdr_cached_sealed() - is the header of a block on a per-CPU cache
 *	as ntpool left it?
 * @hdr: the header, marked NTPOOL_HDR_TYPE_CACHED
 *
 * A block's header is not sealed again when it is cached: its check value
 * is the one of the header without the mark.  For walks and tests; the
 * cache itself compares the whole header with its copy.
 *
 * Return: true if no sealed field changed but the mark.
 */
bool ntpool_hdr_cached_sealed(const struct ntpool_header *hdr)
{
	struct ntpool_header img;

	ntpool_hdr_snapshot(hdr, &img);
	if (!(img.pool_type & NTPOOL_HDR_TYPE_CACHED))
		return false;
	img.pool_type &= ~NTPOOL_HDR_TYPE_CACHED;
	return img.check == seal_of(hdr, &img);
}
