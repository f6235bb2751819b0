/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ntpool - NT lookaside lists: the structures and routines of wdm.h,
 * included by <ntpool/ntpool.h>.
 *
 * The structures have NT's layout and hold NT's counters; clients treat
 * them as opaque.  The cached entries are on L.ListHead, an SList, as on
 * NT: ExQueryDepthSList(&Lookaside->L.ListHead) counts them.  ntpool keeps
 * its own state out of band, found by the list's address.
 */
#ifndef _NTPOOL_LOOKASIDE_H
#define _NTPOOL_LOOKASIDE_H

#include <ntpool/slist.h>

typedef struct _LIST_ENTRY {
	struct _LIST_ENTRY *Flink;
	struct _LIST_ENTRY *Blink;
} LIST_ENTRY, *PLIST_ENTRY;

typedef struct _SINGLE_LIST_ENTRY {
	struct _SINGLE_LIST_ENTRY *Next;
} SINGLE_LIST_ENTRY, *PSINGLE_LIST_ENTRY;

#define LOOKASIDE_MINIMUM_BLOCK_SIZE	(sizeof(PVOID))
#define EX_LOOKASIDE_LIST_EX_FLAGS_RAISE_ON_FAIL	0x00000001
#define EX_LOOKASIDE_LIST_EX_FLAGS_FAIL_NO_RAISE	0x00000002
#define EX_MAXIMUM_LOOKASIDE_DEPTH_BASE		256
#define EX_MAXIMUM_LOOKASIDE_DEPTH_LIMIT	1024

struct _LOOKASIDE_LIST_EX;

typedef PVOID ALLOCATE_FUNCTION(POOL_TYPE PoolType, SIZE_T NumberOfBytes,
				ULONG Tag);
typedef ALLOCATE_FUNCTION *PALLOCATE_FUNCTION;
typedef void FREE_FUNCTION(PVOID Buffer);
typedef FREE_FUNCTION *PFREE_FUNCTION;
typedef PVOID ALLOCATE_FUNCTION_EX(POOL_TYPE PoolType, SIZE_T NumberOfBytes,
				   ULONG Tag, struct _LOOKASIDE_LIST_EX *Lookaside);
typedef PVOID (*PALLOCATE_FUNCTION_EX)(POOL_TYPE PoolType, SIZE_T NumberOfBytes,
				       ULONG Tag,
				       struct _LOOKASIDE_LIST_EX *Lookaside);
typedef void FREE_FUNCTION_EX(PVOID Buffer, struct _LOOKASIDE_LIST_EX *Lookaside);
typedef void (*PFREE_FUNCTION_EX)(PVOID Buffer,
				  struct _LOOKASIDE_LIST_EX *Lookaside);

#define NTPOOL_GENERAL_LOOKASIDE_FIELDS				\
	union {							\
		SLIST_HEADER ListHead;				\
		SINGLE_LIST_ENTRY SingleListHead;		\
	};							\
	USHORT Depth;						\
	USHORT MaximumDepth;					\
	ULONG TotalAllocates;					\
	union {							\
		ULONG AllocateMisses;				\
		ULONG AllocateHits;				\
	};							\
	ULONG TotalFrees;					\
	union {							\
		ULONG FreeMisses;				\
		ULONG FreeHits;					\
	};							\
	POOL_TYPE Type;						\
	ULONG Tag;						\
	ULONG Size;						\
	union {							\
		PALLOCATE_FUNCTION_EX AllocateEx;		\
		PALLOCATE_FUNCTION Allocate;			\
	};							\
	union {							\
		PFREE_FUNCTION_EX FreeEx;			\
		PFREE_FUNCTION Free;				\
	};							\
	LIST_ENTRY ListEntry;					\
	ULONG LastTotalAllocates;				\
	union {							\
		ULONG LastAllocateMisses;			\
		ULONG LastAllocateHits;				\
	};							\
	ULONG Future[2]

typedef struct _GENERAL_LOOKASIDE_POOL {
	NTPOOL_GENERAL_LOOKASIDE_FIELDS;
} GENERAL_LOOKASIDE_POOL, *PGENERAL_LOOKASIDE_POOL;

typedef struct __aligned(64) _GENERAL_LOOKASIDE {
	NTPOOL_GENERAL_LOOKASIDE_FIELDS;
} GENERAL_LOOKASIDE, *PGENERAL_LOOKASIDE;

typedef struct __aligned(64) _NPAGED_LOOKASIDE_LIST {
	GENERAL_LOOKASIDE L;
} NPAGED_LOOKASIDE_LIST, *PNPAGED_LOOKASIDE_LIST;

typedef struct __aligned(64) _PAGED_LOOKASIDE_LIST {
	GENERAL_LOOKASIDE L;
} PAGED_LOOKASIDE_LIST, *PPAGED_LOOKASIDE_LIST;

typedef struct _LOOKASIDE_LIST_EX {
	GENERAL_LOOKASIDE_POOL L;
} LOOKASIDE_LIST_EX, *PLOOKASIDE_LIST_EX;

static_assert(sizeof(GENERAL_LOOKASIDE_POOL) == 0x60);
static_assert(sizeof(GENERAL_LOOKASIDE) == 0x80);
static_assert(offsetof(GENERAL_LOOKASIDE_POOL, Type) == 0x24);
static_assert(offsetof(GENERAL_LOOKASIDE_POOL, ListEntry) == 0x40);

/* Which kind of list an entry point is given. */
#define NTPOOL_LOOKASIDE_NPAGED	0
#define NTPOOL_LOOKASIDE_PAGED	1
#define NTPOOL_LOOKASIDE_EX	2

NTSTATUS ntpool_lookaside_init(PGENERAL_LOOKASIDE_POOL list, unsigned int kind,
			       PVOID allocate, PVOID free, POOL_TYPE pool_type,
			       ULONG flags, SIZE_T size, ULONG tag,
			       struct ntpool_caller caller);
PVOID ntpool_lookaside_alloc(PGENERAL_LOOKASIDE_POOL list);
void ntpool_lookaside_free(PGENERAL_LOOKASIDE_POOL list, PVOID entry);
void ntpool_lookaside_delete(PGENERAL_LOOKASIDE_POOL list, bool keep,
			     struct ntpool_caller caller);

/**
 * ExInitializeNPagedLookasideList() - set up a non-paged lookaside list
 * @Lookaside: the list, in non-paged memory, 16-byte aligned
 * @Allocate: allocates an entry, or NULL for ExAllocatePoolWithTag()
 * @Free: frees an entry, or NULL for ExFreePool()
 * @Flags: 0, POOL_RAISE_IF_ALLOCATION_FAILURE or POOL_NX_ALLOCATION
 * @Size: bytes per entry, at least LOOKASIDE_MINIMUM_BLOCK_SIZE
 * @Tag: pool tag of the entries
 * @Depth: reserved, 0; ntpool chooses the depth (4 to 256)
 *
 * The list may be used in any context.
 */
static __always_inline void
ExInitializeNPagedLookasideList(PNPAGED_LOOKASIDE_LIST Lookaside,
				PALLOCATE_FUNCTION Allocate, PFREE_FUNCTION Free,
				ULONG Flags, SIZE_T Size, ULONG Tag, USHORT Depth)
{
	NTPOOL_CALL_VOID(ntpool_lookaside_init((PGENERAL_LOOKASIDE_POOL)Lookaside,
					       NTPOOL_LOOKASIDE_NPAGED, Allocate,
					       Free, NonPagedPool, Flags, Size,
					       Tag, NTPOOL_THIS_CALLER()));
}

/**
 * ExInitializePagedLookasideList() - set up a paged lookaside list
 * @Lookaside: the list, in non-paged memory, 16-byte aligned
 * @Allocate: allocates an entry, or NULL for ExAllocatePoolWithTag()
 * @Free: frees an entry, or NULL for ExFreePool()
 * @Flags: 0, POOL_RAISE_IF_ALLOCATION_FAILURE or POOL_NX_ALLOCATION
 * @Size: bytes per entry, at least LOOKASIDE_MINIMUM_BLOCK_SIZE
 * @Tag: pool tag of the entries
 * @Depth: reserved, 0
 *
 * The list may be used only where sleeping is allowed.
 */
static __always_inline void
ExInitializePagedLookasideList(PPAGED_LOOKASIDE_LIST Lookaside,
			       PALLOCATE_FUNCTION Allocate, PFREE_FUNCTION Free,
			       ULONG Flags, SIZE_T Size, ULONG Tag, USHORT Depth)
{
	NTPOOL_CALL_VOID(ntpool_lookaside_init((PGENERAL_LOOKASIDE_POOL)Lookaside,
					       NTPOOL_LOOKASIDE_PAGED, Allocate,
					       Free, PagedPool, Flags, Size,
					       Tag, NTPOOL_THIS_CALLER()));
}

/**
 * ExInitializeLookasideListEx() - set up a lookaside list of any pool type
 * @Lookaside: the list, in non-paged memory
 * @Allocate: allocates an entry, or NULL for ntpool's pool
 * @Free: frees an entry, or NULL for ntpool's pool
 * @PoolType: NonPagedPool, PagedPool or NonPagedPoolNx
 * @Flags: 0, EX_LOOKASIDE_LIST_EX_FLAGS_RAISE_ON_FAIL or
 *	EX_LOOKASIDE_LIST_EX_FLAGS_FAIL_NO_RAISE (the latter needs @Allocate)
 * @Size: bytes per entry, at least LOOKASIDE_MINIMUM_BLOCK_SIZE, at most
 *	what the list's ULONG Size holds
 * @Tag: pool tag of the entries
 * @Depth: reserved, 0
 *
 * Return: STATUS_SUCCESS, STATUS_INVALID_PARAMETER_4 for a bad @PoolType,
 * STATUS_INVALID_PARAMETER_5 for bad @Flags, STATUS_INVALID_PARAMETER_6
 * for a @Size above 4 GiB - 1, or STATUS_DATATYPE_MISALIGNMENT (reported:
 * NT raises it) for a list not 16-byte aligned.
 */
static __always_inline NTSTATUS
ExInitializeLookasideListEx(PLOOKASIDE_LIST_EX Lookaside,
			    PALLOCATE_FUNCTION_EX Allocate, PFREE_FUNCTION_EX Free,
			    POOL_TYPE PoolType, ULONG Flags, SIZE_T Size,
			    ULONG Tag, USHORT Depth)
{
	return NTPOOL_CALL(ntpool_lookaside_init(&Lookaside->L, NTPOOL_LOOKASIDE_EX,
						 Allocate, Free, PoolType, Flags,
						 Size, Tag, NTPOOL_THIS_CALLER()));
}

/**
 * ExAllocateFromNPagedLookasideList() - an entry from a non-paged list
 * @Lookaside: the list
 *
 * Return: the entry, or NULL if none is cached and none can be allocated.
 */
static __always_inline PVOID
ExAllocateFromNPagedLookasideList(PNPAGED_LOOKASIDE_LIST Lookaside)
{
	return ntpool_lookaside_alloc((PGENERAL_LOOKASIDE_POOL)Lookaside);
}

/**
 * ExAllocateFromPagedLookasideList() - an entry from a paged list
 * @Lookaside: the list
 *
 * Return: the entry, or NULL.
 */
static __always_inline PVOID
ExAllocateFromPagedLookasideList(PPAGED_LOOKASIDE_LIST Lookaside)
{
	return ntpool_lookaside_alloc((PGENERAL_LOOKASIDE_POOL)Lookaside);
}

/**
 * ExAllocateFromLookasideListEx() - an entry from an Ex list
 * @Lookaside: the list
 *
 * Return: the entry, or NULL.
 */
static __always_inline PVOID
ExAllocateFromLookasideListEx(PLOOKASIDE_LIST_EX Lookaside)
{
	return ntpool_lookaside_alloc(&Lookaside->L);
}

/**
 * ExFreeToNPagedLookasideList() - give an entry back to a non-paged list
 * @Lookaside: the list
 * @Entry: an entry it handed out
 */
static __always_inline void
ExFreeToNPagedLookasideList(PNPAGED_LOOKASIDE_LIST Lookaside, PVOID Entry)
{
	ntpool_lookaside_free((PGENERAL_LOOKASIDE_POOL)Lookaside, Entry);
}

/**
 * ExFreeToPagedLookasideList() - give an entry back to a paged list
 * @Lookaside: the list
 * @Entry: an entry it handed out
 */
static __always_inline void
ExFreeToPagedLookasideList(PPAGED_LOOKASIDE_LIST Lookaside, PVOID Entry)
{
	ntpool_lookaside_free((PGENERAL_LOOKASIDE_POOL)Lookaside, Entry);
}

/**
 * ExFreeToLookasideListEx() - give an entry back to an Ex list
 * @Lookaside: the list
 * @Entry: an entry it handed out
 */
static __always_inline void
ExFreeToLookasideListEx(PLOOKASIDE_LIST_EX Lookaside, PVOID Entry)
{
	ntpool_lookaside_free(&Lookaside->L, Entry);
}

/**
 * ExDeleteNPagedLookasideList() - free every cached entry, end the list
 * @Lookaside: the list
 */
static __always_inline void
ExDeleteNPagedLookasideList(PNPAGED_LOOKASIDE_LIST Lookaside)
{
	NTPOOL_CALL_VOID(ntpool_lookaside_delete((PGENERAL_LOOKASIDE_POOL)Lookaside,
						 false, NTPOOL_THIS_CALLER()));
}

/**
 * ExDeletePagedLookasideList() - free every cached entry, end the list
 * @Lookaside: the list
 */
static __always_inline void
ExDeletePagedLookasideList(PPAGED_LOOKASIDE_LIST Lookaside)
{
	NTPOOL_CALL_VOID(ntpool_lookaside_delete((PGENERAL_LOOKASIDE_POOL)Lookaside,
						 false, NTPOOL_THIS_CALLER()));
}

/**
 * ExDeleteLookasideListEx() - free every cached entry, end the list
 * @Lookaside: the list
 */
static __always_inline void ExDeleteLookasideListEx(PLOOKASIDE_LIST_EX Lookaside)
{
	NTPOOL_CALL_VOID(ntpool_lookaside_delete(&Lookaside->L, false,
						 NTPOOL_THIS_CALLER()));
}

/**
 * ExFlushLookasideListEx() - free every cached entry, keep the list
 * @Lookaside: the list
 */
static __always_inline void ExFlushLookasideListEx(PLOOKASIDE_LIST_EX Lookaside)
{
	NTPOOL_CALL_VOID(ntpool_lookaside_delete(&Lookaside->L, true,
						 NTPOOL_THIS_CALLER()));
}

#endif /* _NTPOOL_LOOKASIDE_H */
