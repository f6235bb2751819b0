// SPDX-License-Identifier: GPL-2.0
/*
 * The check value in the last 32 bits of a block header.
 *
 * A client can write any byte of a header, by an overrun of the block in
 * front, a write after free or a stray pointer.  The fields a free reads
 * back are sealed with a keyed hash drawn at load (seal.h): a client that
 * changes one of them does not write the matching check value but by a
 * chance of about 2^-32, so the change is seen before it is acted on.
 * PreviousSize is left out: the allocator rewrites it when the block in
 * front changes, without owning this block, and it is checked against the
 * page's bitmap instead.  The address is in the hash, so a header copied
 * from another block does not pass either.
 */
#include <linux/random.h>
#include "core/pool.h"

struct ntpool_seal_key ntpool_seal_key __read_mostly;

/**
 * ntpool_seal_init() - draw the key (once, at load, before any header is
 *	written)
 */
void ntpool_seal_init(void)
{
	get_random_bytes(&ntpool_seal_key, sizeof(ntpool_seal_key));
}

/**
 * ntpool_hdr_seal() - write the check value of a header just written
 * @hdr: the header
 */
void ntpool_hdr_seal(struct ntpool_header *hdr)
{
	struct ntpool_header img;

	ntpool_hdr_snapshot(hdr, &img);
	WRITE_ONCE(hdr->check, ntpool_seal_of(hdr, &img));
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
