/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The check value in the last 32 bits of a block header (seal.c), computed
 * inline: the fast path seals and checks a header in a dozen instructions,
 * two of them multiplications, side by side.
 */
#ifndef _NTPOOL_SEAL_H
#define _NTPOOL_SEAL_H

#include <linux/types.h>
#include "base/pool_header.h"

/**
 * struct ntpool_seal_key - the secret the check values are keyed with
 * @k: four random words, drawn at load
 */
struct ntpool_seal_key {
	u64 k[4];
};

extern struct ntpool_seal_key ntpool_seal_key;

void ntpool_seal_init(void);
void ntpool_hdr_seal(struct ntpool_header *hdr);
bool ntpool_hdr_sealed(const struct ntpool_header *hdr);

/*
 * Both halves of a 128-bit product, folded: one MUL on x86-64.  Written
 * out there, because GCC gives a function that holds an unsigned __int128,
 * even in registers, a 16-byte aligned stack, and realigns the kernel's
 * 8-byte aligned one to get it, in every function the fast path inlines
 * this into.
 */
static __always_inline u64 ntpool_seal_mix(u64 a, u64 b)
{
#ifdef CONFIG_X86_64
	u64 lo, hi;

	asm("mulq %3" : "=a" (lo), "=d" (hi) : "a" (a), "rm" (b) : "cc");
	return lo ^ hi;
#else
	__uint128_t p = (__uint128_t)a * b;

	return (u64)p ^ (u64)(p >> 64);
#endif
}

/**
 * ntpool_seal_with() - the check value of a header image under a key
 * @key: the key
 * @hdr: where the header is, or will be written
 * @img: the image
 *
 * The sealed fields (all but PreviousSize and the check value: PoolIndex,
 * BlockSize, PoolType and PoolTag in one word, the bytes requested and the
 * tag row in another) each go, with the header's whole address, through a
 * keyed 64x64-bit multiplication that folds its 128-bit product to 64 bits
 * (the mixing step of wyhash); the two products are independent, so that
 * they run side by side, and their exclusive or is folded to 32 bits.  A product of
 * keyed words is zero only for one input in 2^64, so no field is left
 * uncovered for a given boot but by that chance, and two different
 * headers or addresses agree with a probability of about 2^-32.  It is a
 * checksum against bugs, keyed so that a client cannot compute it by
 * accident, as NT's header encoding is; not a MAC against a module set on
 * forging one, which could read the key anyway.
 *
 * Return: the check value.
 */
static __always_inline u32 ntpool_seal_with(const struct ntpool_seal_key *key,
					    const struct ntpool_header *hdr,
					    const struct ntpool_header *img)
{
	/* Little-endian words: PreviousSize is the low byte of the first. */
	u64 fields = ntpool_hdr_word(img, 0) & ~0xffULL;
	u64 billed = (u32)ntpool_hdr_word(img, 1);
	u64 where = (unsigned long)hdr >> NTPOOL_BLOCK_SHIFT;
	u64 h = ntpool_seal_mix(fields ^ key->k[0], where ^ key->k[1]) ^
		ntpool_seal_mix(billed ^ key->k[2], where ^ key->k[3]);

	return h ^ h >> 32;
}

/* The check value of @img for a header at @hdr, under this boot's key. */
static __always_inline u32 ntpool_seal_of(const struct ntpool_header *hdr,
					  const struct ntpool_header *img)
{
	return ntpool_seal_with(&ntpool_seal_key, hdr, img);
}

/**
 * ntpool_seal_image() - set the check value of a header image
 * @hdr: where the header is, or will be written
 * @img: the image; its check value is written
 */
static inline void ntpool_seal_image(const struct ntpool_header *hdr,
				     struct ntpool_header *img)
{
	img->check = ntpool_seal_of(hdr, img);
}

/**
 * ntpool_hdr_image_sealed() - was a header, as read, sealed by ntpool?
 * @hdr: where it is
 * @img: a snapshot of it (ntpool_hdr_snapshot())
 *
 * Return: true if no sealed field of @img differs from what ntpool wrote
 * (but by the chance above).
 */
static inline bool ntpool_hdr_image_sealed(const struct ntpool_header *hdr,
					   const struct ntpool_header *img)
{
	return img->check == ntpool_seal_of(hdr, img);
}

#endif /* _NTPOOL_SEAL_H */
