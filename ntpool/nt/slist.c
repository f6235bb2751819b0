// SPDX-License-Identifier: GPL-2.0
/*
 * NT's sequenced singly linked lists: InterlockedPushEntrySList,
 * InterlockedPopEntrySList, InterlockedFlushSList and their Ex names
 * (include/ntpool/slist.h), the x64 way.  The list operations themselves
 * are inline in slist.h, for lookaside lists' fast path.
 *
 * The header's first word is Depth (bits 0-15) and Sequence (16-63), its
 * second the first entry's address (entries are 16-byte aligned: bits 0-3,
 * Reserved, are 0).  Every change replaces both words at once with a
 * 16-byte compare-and-exchange, and does the arithmetic NT does on the
 * first word: a push adds 0x10001 (Depth and Sequence up by one, a Depth
 * of 65535 wrapping into Sequence), a pop subtracts 1, a flush keeps
 * Sequence and clears Depth.  A popper that read the header (first entry
 * X, X's Next Y) can only succeed if the header is unchanged; for X to be
 * first again after someone else popped it, X must have been pushed again,
 * which moved Sequence on: the stale Y is never installed (no ABA).
 *
 * Reading X's Next races with another CPU popping X and freeing it: the
 * read may see freed memory, or memory no longer mapped.  NT survives that
 * read with an exception handler; here it is a non-faulting read
 * (copy_from_kernel_nofault()), with KASAN's reports turned off around it
 * (kasan_disable_current(), as kmemleak does for its scan): the read is
 * expected to see freed memory at times, and whatever it sees is thrown
 * away unless the header is still the one it was read with.  If the read
 * fails while the header stays the same, the first entry itself is not
 * readable memory: the list is corrupt, which is reported (NT's exception
 * would go unhandled) and the pop returns NULL.
 *
 * On UML a "non-faulting" read is a plain one (its __get_kernel_nofault()
 * cannot catch a fault): an entry freed by another CPU is still mapped
 * there, but a Next the client pointed at nothing ends UML, where the VM's
 * kernels report it (tools/test/vm/lookaside.sh).
 *
 * Without a 16-byte compare-and-exchange (CPUs without CMPXCHG16B, or a
 * kernel that offers none), the exchange is done under one raw spinlock
 * with interrupts off: correct in any context but NMI, not lock-free.
 */
#include <linux/spinlock.h>
#include "report/report.h"
#include "nt/slist.h"

static DEFINE_RAW_SPINLOCK(fallback_lock);

/**
 * ntpool_slist_exchange_locked() - the exchange without CMPXCHG16B
 * @head: the header
 * @old: what it is expected to hold; what it holds, if not
 * @new0: its new first word
 * @new1: its new second word
 *
 * Return: whether @head held @old and now holds @new0 and @new1.
 */
bool ntpool_slist_exchange_locked(PSLIST_HEADER head, struct slist_words *old,
				  u64 new0, u64 new1)
{
	unsigned long flags;
	bool done;

	raw_spin_lock_irqsave(&fallback_lock, flags);
	done = head->Alignment == old->w[0] && head->Region == old->w[1];
	if (done) {
		/*
		 * Poppers read the header without the lock: a pushed entry's
		 * Next must be seen before the header that makes it first.
		 */
		smp_wmb();
		WRITE_ONCE(head->Alignment, new0);
		WRITE_ONCE(head->Region, new1);
	} else {
		old->w[0] = head->Alignment;
		old->w[1] = head->Region;
	}
	raw_spin_unlock_irqrestore(&fallback_lock, flags);
	return done;
}

/**
 * ntpool_slist_misaligned() - report a header or entry not 16-byte aligned
 * @p: the header or entry
 * @ip: where the routine was called
 *
 * NT raises STATUS_DATATYPE_MISALIGNMENT, which no driver handles.
 */
void ntpool_slist_misaligned(const void *p, unsigned long ip)
{
	struct ntpool_caller caller = { .ip = ip };

	ntpool_bugcheck(KMODE_EXCEPTION_NOT_HANDLED,
			(u32)STATUS_DATATYPE_MISALIGNMENT, ip, (unsigned long)p,
			0, &caller);
}

static void access_violation(const void *p, bool write, unsigned long ip)
{
	struct ntpool_caller caller = { .ip = ip };

	ntpool_bugcheck(KMODE_EXCEPTION_NOT_HANDLED,
			(u32)STATUS_ACCESS_VIOLATION, ip, write,
			(unsigned long)p, &caller);
}

/**
 * ntpool_slist_unreadable() - an entry of a list cannot be read
 * @first: the entry (first on the list, for a pop; where a walk of a
 *	lookaside list's chain gave up, for its delete)
 * @ip: where the routine was called
 */
void ntpool_slist_unreadable(PSLIST_ENTRY first, unsigned long ip)
{
	access_violation(&first->Next, false, ip);
}

static bool header_ok(PSLIST_HEADER head, unsigned long ip)
{
	if (likely(IS_ALIGNED((unsigned long)head, SLIST_ALIGN)))
		return true;
	ntpool_slist_misaligned(head, ip);
	return false;
}

/**
 * ntpool_slist_init() - InitializeSListHead()
 * @head: the header
 *
 * A misaligned header is reported and left alone.
 */
void ntpool_slist_init(PSLIST_HEADER head)
{
	if (!header_ok(head, _RET_IP_))
		return;
	WRITE_ONCE(head->Region, 0);
	WRITE_ONCE(head->Alignment, 0);
}
EXPORT_SYMBOL_NS_GPL(ntpool_slist_init, NTPOOL_NS);

/**
 * ntpool_slist_push() - InterlockedPushEntrySList() and its Ex name
 * @head: the header
 * @entry: the entry
 *
 * A misaligned header or entry is reported (0x1E, misalignment), a NULL
 * entry too (0x1E, access violation: NT writes its Next); the list is
 * left as it was.
 *
 * Return: the entry that was first, or NULL.
 */
PSLIST_ENTRY ntpool_slist_push(PSLIST_HEADER head, PSLIST_ENTRY entry)
{
	if (!header_ok(head, _RET_IP_))
		return NULL;
	if (unlikely(!entry)) {
		access_violation(entry, true, _RET_IP_);
		return NULL;
	}
	if (unlikely(!IS_ALIGNED((unsigned long)entry, SLIST_ALIGN))) {
		ntpool_slist_misaligned(entry, _RET_IP_);
		return NULL;
	}
	return slist_push(head, entry);
}
EXPORT_SYMBOL_NS_GPL(ntpool_slist_push, NTPOOL_NS);

/**
 * ntpool_slist_pop() - InterlockedPopEntrySList() and its Ex name
 * @head: the header
 *
 * Return: the entry, or NULL if the list was empty (or its header
 * misaligned, or its first entry unreadable: both reported).
 */
PSLIST_ENTRY ntpool_slist_pop(PSLIST_HEADER head)
{
	if (!header_ok(head, _RET_IP_))
		return NULL;
	return slist_pop(head, _RET_IP_);
}
EXPORT_SYMBOL_NS_GPL(ntpool_slist_pop, NTPOOL_NS);

/**
 * ntpool_slist_flush() - InterlockedFlushSList() and its Ex name
 * @head: the header
 *
 * Return: the entry that was first, or NULL if the list was empty (or
 * its header misaligned: reported).
 */
PSLIST_ENTRY ntpool_slist_flush(PSLIST_HEADER head)
{
	if (!header_ok(head, _RET_IP_))
		return NULL;
	return slist_flush(head);
}
EXPORT_SYMBOL_NS_GPL(ntpool_slist_flush, NTPOOL_NS);
