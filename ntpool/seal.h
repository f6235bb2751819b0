/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The check value in the last 32 bits of a block header (seal.c), and the
 * seal memo that spares the fast path most of its hashing.
 */
#ifndef _NTPOOL_SEAL_H
#define _NTPOOL_SEAL_H

#include <linux/hash.h>
#include <linux/lockdep.h>
#include <linux/percpu.h>
#include "pool_header.h"

void ntpool_seal_init(void);
void ntpool_seal_exit(void);
void ntpool_seal_image(const struct ntpool_header *hdr,
		       struct ntpool_header *img);
void ntpool_hdr_seal(struct ntpool_header *hdr);
bool ntpool_hdr_hash_sealed(const struct ntpool_header *hdr,
			    const struct ntpool_header *img);
bool ntpool_hdr_sealed(const struct ntpool_header *hdr);
bool ntpool_hdr_cached_sealed(const struct ntpool_header *hdr);

/*
 * The seal memo: the headers this CPU sealed (or found sealed) lately, so
 * that the free of a block allocated a moment ago compares 16 bytes
 * instead of hashing them again.  The seal is a function of the fields and
 * the address under a key that never changes, so a header equal to an
 * image the memo holds for its address is exactly one whose check value
 * hsiphash would accept: the memo is as strict as the hash, and only
 * faster.  It lives in ntpool's memory; a miss just hashes.
 *
 * An entry is written by its own CPU with interrupts off, and read by its
 * own CPU with preemption off; @seq changes after each write, so a reader
 * interrupted by a write sees the change and counts a miss.
 */
#define NTPOOL_SEAL_MEMO_BITS	6

struct ntpool_seal_memo {
	unsigned long seq;
	struct {
		const struct ntpool_header *at;
		struct ntpool_header img;
	} entry[1 << NTPOOL_SEAL_MEMO_BITS];
};

extern struct ntpool_seal_memo __percpu *ntpool_seal_memos;

static inline unsigned int ntpool_seal_memo_slot(const struct ntpool_header *hdr)
{
	return hash_long((unsigned long)hdr >> NTPOOL_BLOCK_SHIFT,
			 NTPOOL_SEAL_MEMO_BITS);
}

/**
 * ntpool_seal_remember() - note that a header image is sealed
 * @hdr: where the header is
 * @img: an image of it whose check value is right (sealed by ntpool, or
 *	found sealed)
 *
 * Interrupts off.
 */
static inline void ntpool_seal_remember(const struct ntpool_header *hdr,
					const struct ntpool_header *img)
{
	unsigned int i = ntpool_seal_memo_slot(hdr);
	struct ntpool_seal_memo *m;

	lockdep_assert_irqs_disabled();
	if (!ntpool_seal_memos)
		return;
	m = this_cpu_ptr(ntpool_seal_memos);
	WRITE_ONCE(m->entry[i].at, hdr);
	m->entry[i].img = *img;
	barrier();
	WRITE_ONCE(m->seq, m->seq + 1);
}

/* Does this CPU's memo hold @img for @hdr, check value included? */
static inline bool ntpool_seal_remembered(const struct ntpool_header *hdr,
					  const struct ntpool_header *img)
{
	unsigned int i = ntpool_seal_memo_slot(hdr);
	struct ntpool_seal_memo *m;
	unsigned long seq;
	bool hit;

	if (!ntpool_seal_memos)
		return false;
	m = get_cpu_ptr(ntpool_seal_memos);
	seq = READ_ONCE(m->seq);
	barrier();
	hit = READ_ONCE(m->entry[i].at) == hdr;
	/*
	 * data_race(): an interrupt on this CPU may rewrite the entry while
	 * it is compared; @seq then differs, and the result is not used.
	 */
	hit = hit && data_race(ntpool_hdr_same(&m->entry[i].img, img, true));
	barrier();
	hit = hit && READ_ONCE(m->seq) == seq;
	put_cpu_ptr(ntpool_seal_memos);
	return hit;
}

/**
 * ntpool_hdr_image_sealed() - was a header, as read, sealed by ntpool?
 * @hdr: where it is
 * @img: a snapshot of it (ntpool_hdr_snapshot())
 *
 * Return: true if no sealed field of @img differs from what ntpool wrote.
 */
static inline bool ntpool_hdr_image_sealed(const struct ntpool_header *hdr,
					   const struct ntpool_header *img)
{
	return ntpool_seal_remembered(hdr, img) ||
	       ntpool_hdr_hash_sealed(hdr, img);
}

#endif /* _NTPOOL_SEAL_H */
