/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SLists inside ntpool: push, pop and flush without the checks of the
 * exported entry points, inline for lookaside lists' fast path.  How they
 * work, and why the pop's read is safe: slist.c.
 */
#ifndef _NTPOOL_SLIST_INTERNAL_H
#define _NTPOOL_SLIST_INTERNAL_H

#include <linux/kasan.h>
#include <linux/uaccess.h>
#include <ntpool/ntpool.h>

#define SLIST_ALIGN		16
#define SLIST_DEPTH_MASK	0xffffULL
#define SLIST_PUSH_ADD		0x10001ULL	/* Depth + 1, Sequence + 1 */

/* The header's two words, as read or as to be written. */
struct slist_words {
	u64 w[2];	/* [0] Depth and Sequence, [1] the first entry */
};

bool ntpool_slist_exchange_locked(PSLIST_HEADER head, struct slist_words *old,
				  u64 new0, u64 new1);
void ntpool_slist_unreadable(PSLIST_ENTRY first, unsigned long ip);
void ntpool_slist_misaligned(const void *p, unsigned long ip);

/* Replace the header with @new0/@new1 if it still is @old, else reread. */
static __always_inline bool slist_exchange(PSLIST_HEADER head,
					   struct slist_words *old,
					   u64 new0, u64 new1)
{
	if (likely(ntpool_has_cmpxchg16()))
		return ntpool_try_cmpxchg16(&head->Alignment, old->w, new0, new1);
	return ntpool_slist_exchange_locked(head, old, new0, new1);
}

/* Both words, not at once: a torn pair only makes the exchange fail. */
static __always_inline struct slist_words slist_read(PSLIST_HEADER head)
{
	struct slist_words h;

	h.w[1] = READ_ONCE(head->Region);
	h.w[0] = READ_ONCE(head->Alignment);
	return h;
}

static __always_inline PSLIST_ENTRY slist_first(const struct slist_words *h)
{
	return (PSLIST_ENTRY)(unsigned long)(h->w[1] & ~(u64)(SLIST_ALIGN - 1));
}

/*
 * A word of a list that may be gone, read without faulting and without a
 * KASAN report.
 */
static __always_inline bool slist_read_word(const u64 *p, u64 *word)
{
	long err;

	kasan_disable_current();
	err = get_kernel_nofault(*word, p);
	kasan_enable_current();
	return !err;
}

/*
 * @entry's Next, read as slist_read_word() reads: the entry may have been
 * popped and freed by another CPU since the header was read (slist.c says
 * why that is harmless).
 */
static __always_inline bool slist_read_next(PSLIST_ENTRY entry,
					    PSLIST_ENTRY *next)
{
	u64 word;

	if (!slist_read_word((const u64 *)&entry->Next, &word))
		return false;
	*next = (PSLIST_ENTRY)(unsigned long)word;
	return true;
}

/* @head's first entry, read as slist_read_word() reads: @head may be gone. */
static __always_inline bool slist_read_first(PSLIST_HEADER head,
					     PSLIST_ENTRY *first)
{
	struct slist_words h = {};

	if (!slist_read_word(&head->Region, &h.w[1]))
		return false;
	*first = slist_first(&h);
	return true;
}

/* Push @entry (non-NULL, 16-byte aligned) on @head (16-byte aligned). */
static __always_inline PSLIST_ENTRY slist_push(PSLIST_HEADER head,
					       PSLIST_ENTRY entry)
{
	struct slist_words old = slist_read(head);

	do {
		WRITE_ONCE(entry->Next, slist_first(&old));
	} while (!slist_exchange(head, &old, old.w[0] + SLIST_PUSH_ADD,
				 (unsigned long)entry));
	return slist_first(&old);
}

/*
 * Push @entry (non-NULL, 16-byte aligned) on @head (16-byte aligned) unless
 * it holds @limit entries already, decided in the same exchange: a
 * lookaside list's free, which caches up to its Depth.
 *
 * Return: whether @entry was pushed.
 */
static __always_inline bool slist_push_below(PSLIST_HEADER head,
					     PSLIST_ENTRY entry,
					     unsigned int limit)
{
	struct slist_words old = slist_read(head);

	do {
		if ((old.w[0] & SLIST_DEPTH_MASK) >= limit)
			return false;
		WRITE_ONCE(entry->Next, slist_first(&old));
	} while (!slist_exchange(head, &old, old.w[0] + SLIST_PUSH_ADD,
				 (unsigned long)entry));
	return true;
}

/* Pop from @head (16-byte aligned); @ip is the caller, for a report. */
static __always_inline PSLIST_ENTRY slist_pop(PSLIST_HEADER head,
					      unsigned long ip)
{
	struct slist_words old = slist_read(head), now;
	PSLIST_ENTRY first, next;

	for (;;) {
		first = slist_first(&old);
		if (!first)
			return NULL;
		if (unlikely(!slist_read_next(first, &next))) {
			/* Unreadable, and still first: the list is corrupt. */
			now = slist_read(head);
			if (now.w[0] == old.w[0] && now.w[1] == old.w[1]) {
				ntpool_slist_unreadable(first, ip);
				return NULL;
			}
			old = now;
			continue;
		}
		if (slist_exchange(head, &old, old.w[0] - 1, (unsigned long)next))
			return first;
	}
}

/* Take every entry off @head (16-byte aligned); Sequence stays. */
static __always_inline PSLIST_ENTRY slist_flush(PSLIST_HEADER head)
{
	struct slist_words old = slist_read(head);

	do {
		if (!slist_first(&old))
			return NULL;
	} while (!slist_exchange(head, &old, old.w[0] & ~SLIST_DEPTH_MASK, 0));
	return slist_first(&old);
}

#endif /* _NTPOOL_SLIST_INTERNAL_H */
