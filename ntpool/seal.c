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
#include <linux/random.h>
#include <linux/siphash.h>
#include "pool.h"

static hsiphash_key_t seal_key __read_mostly;

static u32 seal_of(const struct ntpool_header *hdr)
{
	u32 sizes = READ_ONCE(hdr->block_size) |
		    (u32)READ_ONCE(hdr->pool_index) << 8 |
		    (u32)READ_ONCE(hdr->pool_type) << 16;
	u32 billed = READ_ONCE(hdr->allocator_backtrace_index) |
		     (u32)READ_ONCE(hdr->pool_tag_hash) << 16;

	return hsiphash_4u32(sizes, READ_ONCE(hdr->pool_tag), billed,
			     (u32)((unsigned long)hdr >> NTPOOL_BLOCK_SHIFT),
			     &seal_key);
}

/**
 * ntpool_seal_init() - draw the key (once, at load)
 */
void ntpool_seal_init(void)
{
	get_random_bytes(&seal_key, sizeof(seal_key));
}

/**
 * ntpool_hdr_seal() - write the check value of a header just written
 * @hdr: the header
 */
void ntpool_hdr_seal(struct ntpool_header *hdr)
{
	WRITE_ONCE(hdr->check, seal_of(hdr));
}

/**
 * ntpool_hdr_sealed() - is a header as ntpool last wrote it?
 * @hdr: the header
 *
 * Return: true if no sealed field changed since ntpool_hdr_seal().
 */
bool ntpool_hdr_sealed(const struct ntpool_header *hdr)
{
	return READ_ONCE(hdr->check) == seal_of(hdr);
}
