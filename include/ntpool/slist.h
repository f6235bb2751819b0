/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ntpool - NT's sequenced singly linked lists (SLists) on x64: the types
 * and routines of wdm.h, included by <ntpool/ntpool.h>.
 *
 * An SLIST_HEADER is 16 bytes, 16-byte aligned: its first word holds the
 * number of entries (Depth, 16 bits) and a sequence number (48 bits), its
 * second word the address of the first entry (16-byte aligned, so its
 * four low bits are free).  Push, pop and flush change both words at once
 * with a 16-byte compare-and-exchange, without a lock: they may be called
 * in any context, hard interrupts included.  Entries are SLIST_ENTRYs at
 * the start of non-paged, 16-byte aligned memory.
 */
#ifndef _NTPOOL_SLIST_H
#define _NTPOOL_SLIST_H

#include <linux/compiler.h>

typedef ULONG_PTR KSPIN_LOCK;
typedef KSPIN_LOCK *PKSPIN_LOCK;

typedef struct _SLIST_ENTRY {
	struct _SLIST_ENTRY *Next;
} __aligned(16) SLIST_ENTRY, *PSLIST_ENTRY;

typedef union _SLIST_HEADER {
	struct {
		ULONG64 Alignment;
		ULONG64 Region;
	};
	struct {
		ULONG64 Depth : 16;
		ULONG64 Sequence : 48;
		ULONG64 Reserved : 4;
		ULONG64 NextEntry : 60;
	} HeaderX64;
} __aligned(16) SLIST_HEADER, *PSLIST_HEADER;

static_assert(sizeof(SLIST_HEADER) == 16);
static_assert(__alignof__(SLIST_HEADER) == 16);
static_assert(__alignof__(SLIST_ENTRY) == 16);

void ntpool_slist_init(PSLIST_HEADER head);
PSLIST_ENTRY ntpool_slist_push(PSLIST_HEADER head, PSLIST_ENTRY entry);
PSLIST_ENTRY ntpool_slist_pop(PSLIST_HEADER head);
PSLIST_ENTRY ntpool_slist_flush(PSLIST_HEADER head);

/**
 * InitializeSListHead() - make an SList empty, with sequence number 0
 * @SListHead: the header, 16-byte aligned, in non-paged memory
 *
 * A header that is not 16-byte aligned is reported (0x1E,
 * STATUS_DATATYPE_MISALIGNMENT: NT raises it) and left alone.
 */
static __always_inline void InitializeSListHead(PSLIST_HEADER SListHead)
{
	ntpool_slist_init(SListHead);
}

/**
 * ExInitializeSListHead() - another name of InitializeSListHead()
 * @SListHead: the header
 */
static __always_inline void ExInitializeSListHead(PSLIST_HEADER SListHead)
{
	ntpool_slist_init(SListHead);
}

/**
 * ExQueryDepthSList() - how many entries an SList holds
 * @SListHead: the header
 *
 * The value may be out of date as soon as it is read, as on NT.
 *
 * Return: the Depth field: the entries pushed and not popped or flushed,
 * modulo 65536.
 */
static __always_inline USHORT ExQueryDepthSList(PSLIST_HEADER SListHead)
{
	return (USHORT)(READ_ONCE(SListHead->Alignment) & 0xffff);
}

/**
 * InterlockedPushEntrySList() - put an entry first on an SList
 * @ListHead: the header
 * @ListEntry: the entry, 16-byte aligned, in non-paged memory
 *
 * Depth and the sequence number grow by one (a Depth of 65535 wraps to 0,
 * carrying into the sequence number, as on NT).
 *
 * Return: the entry that was first before, or NULL if the list was empty.
 */
static __always_inline PSLIST_ENTRY
InterlockedPushEntrySList(PSLIST_HEADER ListHead, PSLIST_ENTRY ListEntry)
{
	return ntpool_slist_push(ListHead, ListEntry);
}

/**
 * InterlockedPopEntrySList() - take the first entry off an SList
 * @ListHead: the header
 *
 * Depth drops by one; the sequence number stays.
 *
 * Return: the entry, or NULL if the list was empty.
 */
static __always_inline PSLIST_ENTRY InterlockedPopEntrySList(PSLIST_HEADER ListHead)
{
	return ntpool_slist_pop(ListHead);
}

/**
 * InterlockedFlushSList() - take every entry off an SList at once
 * @ListHead: the header
 *
 * Depth becomes 0; the sequence number stays.  The entries stay linked
 * through their Next fields, the last one's Next NULL.
 *
 * Return: the entry that was first, or NULL if the list was empty.
 */
static __always_inline PSLIST_ENTRY InterlockedFlushSList(PSLIST_HEADER ListHead)
{
	return ntpool_slist_flush(ListHead);
}

/**
 * ExInterlockedPushEntrySList() - InterlockedPushEntrySList(), lock ignored
 * @ListHead: the header
 * @ListEntry: the entry
 * @Lock: ignored, as on x64 NT
 *
 * Return: the entry that was first before, or NULL.
 */
static __always_inline PSLIST_ENTRY
ExInterlockedPushEntrySList(PSLIST_HEADER ListHead, PSLIST_ENTRY ListEntry,
			    PKSPIN_LOCK Lock)
{
	return ntpool_slist_push(ListHead, ListEntry);
}

/**
 * ExInterlockedPopEntrySList() - InterlockedPopEntrySList(), lock ignored
 * @ListHead: the header
 * @Lock: ignored, as on x64 NT
 *
 * Return: the entry, or NULL.
 */
static __always_inline PSLIST_ENTRY
ExInterlockedPopEntrySList(PSLIST_HEADER ListHead, PKSPIN_LOCK Lock)
{
	return ntpool_slist_pop(ListHead);
}

/**
 * ExInterlockedFlushSList() - InterlockedFlushSList() under its Ex name
 * @ListHead: the header
 *
 * Return: the entry that was first, or NULL.
 */
static __always_inline PSLIST_ENTRY ExInterlockedFlushSList(PSLIST_HEADER ListHead)
{
	return ntpool_slist_flush(ListHead);
}

#endif /* _NTPOOL_SLIST_H */
