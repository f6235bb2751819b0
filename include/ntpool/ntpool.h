/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ntpool - the Windows NT executive pool API for Linux kernel modules.
 *
 * This is the only header a client module needs.  It declares the NT types
 * and values the pool routines use (numbers as in the WDK's wdm.h) and the
 * routines themselves with their NT signatures.  The routines are inline
 * wrappers: each one captures the calling module (THIS_MODULE) and the call
 * site, then enters ntpool through one of the few exported ntpool_*()
 * functions, so that accounting and reports name the client, not ntpool.
 *
 * Multi-character tag literals are used exactly as in NT driver code,
 * written reversed ('1BrW' is shown as WrB1); GCC warns about them by
 * default, so client Kbuild files add -Wno-multichar
 * (tools/ntpool-client.mk does that in one line).
 *
 * See Documentation/ntpool.rst for what differs from NT and why.
 */
#ifndef _NTPOOL_NTPOOL_H
#define _NTPOOL_NTPOOL_H

#include <linux/types.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <ntpool/compat.h>

#ifndef NTPOOL_BUILD
/* Clients import the namespace that ntpool exports its symbols in. */
MODULE_IMPORT_NS(NTPOOL_NS);
#endif

/* ------------------------------------------------------------------ */
/* NT base types (LLP64 sizes: ULONG is 32 bits, as on Windows x64).   */
/* ------------------------------------------------------------------ */

#define VOID void
typedef char CHAR;
typedef unsigned char UCHAR;
typedef UCHAR *PUCHAR;
typedef unsigned short USHORT;
typedef USHORT *PUSHORT;
typedef int LONG;
typedef LONG *PLONG;
typedef unsigned int ULONG;
typedef ULONG *PULONG;
typedef long long LONG64;
typedef unsigned long long ULONG64;
typedef ULONG64 *PULONG64;
typedef unsigned long ULONG_PTR;
typedef unsigned long *PULONG_PTR;
typedef ULONG_PTR SIZE_T;
typedef SIZE_T *PSIZE_T;
typedef void *PVOID;
typedef void *HANDLE;
typedef HANDLE *PHANDLE;
typedef UCHAR BOOLEAN;
typedef BOOLEAN *PBOOLEAN;
typedef ULONG LOGICAL;
typedef LONG NTSTATUS;

#ifndef TRUE
#define TRUE	1
#endif
#ifndef FALSE
#define FALSE	0
#endif

#define NT_SUCCESS(status)	((NTSTATUS)(status) >= 0)

#define STATUS_SUCCESS			((NTSTATUS)0x00000000L)
#define STATUS_DATATYPE_MISALIGNMENT	((NTSTATUS)0x80000002L)
#define STATUS_ACCESS_VIOLATION		((NTSTATUS)0xC0000005L)
#define STATUS_QUOTA_EXCEEDED		((NTSTATUS)0xC0000044L)
#define STATUS_INSUFFICIENT_RESOURCES	((NTSTATUS)0xC000009AL)
#define STATUS_INVALID_PARAMETER	((NTSTATUS)0xC000000DL)
#define STATUS_INVALID_PARAMETER_4	((NTSTATUS)0xC00000F2L)
#define STATUS_INVALID_PARAMETER_5	((NTSTATUS)0xC00000F3L)
#define STATUS_INVALID_PARAMETER_6	((NTSTATUS)0xC00000F4L)

/* ------------------------------------------------------------------ */
/* POOL_TYPE and the legacy modifier bits                               */
/* ------------------------------------------------------------------ */

typedef enum _POOL_TYPE {
	NonPagedPool = 0,
	NonPagedPoolExecute = NonPagedPool,
	PagedPool = 1,
	NonPagedPoolMustSucceed = NonPagedPool + 2,
	DontUseThisType = 3,
	NonPagedPoolCacheAligned = NonPagedPool + 4,
	PagedPoolCacheAligned = 5,
	NonPagedPoolCacheAlignedMustS = NonPagedPool + 6,
	MaxPoolType = 7,

	NonPagedPoolBase = 0,
	NonPagedPoolBaseMustSucceed = NonPagedPoolBase + 2,
	NonPagedPoolBaseCacheAligned = NonPagedPoolBase + 4,
	NonPagedPoolBaseCacheAlignedMustS = NonPagedPoolBase + 6,

	NonPagedPoolSession = 32,
	PagedPoolSession = NonPagedPoolSession + 1,
	NonPagedPoolMustSucceedSession = PagedPoolSession + 1,
	DontUseThisTypeSession = NonPagedPoolMustSucceedSession + 1,
	NonPagedPoolCacheAlignedSession = DontUseThisTypeSession + 1,
	PagedPoolCacheAlignedSession = NonPagedPoolCacheAlignedSession + 1,
	NonPagedPoolCacheAlignedMustSSession = PagedPoolCacheAlignedSession + 1,

	NonPagedPoolNx = 512,
	NonPagedPoolNxCacheAligned = NonPagedPoolNx + 4,
	NonPagedPoolSessionNx = NonPagedPoolNx + 32,
} POOL_TYPE;

#define POOL_QUOTA_FAIL_INSTEAD_OF_RAISE	8
#define POOL_RAISE_IF_ALLOCATION_FAILURE	16
#define POOL_COLD_ALLOCATION			256
#define POOL_NX_ALLOCATION			512
#define POOL_ZERO_ALLOCATION			1024

/*
 * NonPagedPoolExecute names the same value as NonPagedPool in NT's enum.
 * NT tells them apart when a driver is built with POOL_NX_OPTIN, which
 * turns NonPagedPool into NonPagedPoolNx; ntpool does it the other way
 * round, so that an explicit execute request keeps executable memory
 * whatever the nx_optin module parameter says of NonPagedPool: this name
 * carries an ntpool-private bit, which reports never show (see
 * Documentation/ntpool.rst, "Executable pool").
 */
#define NTPOOL_EXECUTE_REQUEST	0x20000000U
#define NonPagedPoolExecute	((POOL_TYPE)(NonPagedPool | NTPOOL_EXECUTE_REQUEST))

/* PROTECTED_POOL is deprecated and defined as 0 by current WDKs. */
#define PROTECTED_POOL				0x0

/* ------------------------------------------------------------------ */
/* POOL_FLAGS (ExAllocatePool2/3): low 32 bits required, high optional  */
/* ------------------------------------------------------------------ */

typedef ULONG64 POOL_FLAGS;

#define POOL_FLAG_REQUIRED_START		0x0000000000000001ULL
#define POOL_FLAG_USE_QUOTA			0x0000000000000001ULL
#define POOL_FLAG_UNINITIALIZED			0x0000000000000002ULL
#define POOL_FLAG_SESSION			0x0000000000000004ULL
#define POOL_FLAG_CACHE_ALIGNED			0x0000000000000008ULL
#define POOL_FLAG_RESERVED1			0x0000000000000010ULL
#define POOL_FLAG_RAISE_ON_FAILURE		0x0000000000000020ULL
#define POOL_FLAG_NON_PAGED			0x0000000000000040ULL
#define POOL_FLAG_NON_PAGED_EXECUTE		0x0000000000000080ULL
#define POOL_FLAG_PAGED				0x0000000000000100ULL
#define POOL_FLAG_RESERVED2			0x0000000000000200ULL
#define POOL_FLAG_RESERVED3			0x0000000000000400ULL
#define POOL_FLAG_LAST_KNOWN_REQUIRED		POOL_FLAG_RESERVED3
#define POOL_FLAG_REQUIRED_END			0x0000000080000000ULL
#define POOL_FLAG_OPTIONAL_START		0x0000000100000000ULL
#define POOL_FLAG_SPECIAL_POOL			0x0000000100000000ULL
#define POOL_FLAG_OPTIONAL_END			0x8000000000000000ULL
#define POOL_FLAG_REQUIRED_MASK			0x00000000FFFFFFFFULL
#define POOL_FLAG_UNUSED_REQUIRED_BITS \
	(POOL_FLAG_REQUIRED_MASK & \
	 ~(POOL_FLAG_LAST_KNOWN_REQUIRED | (POOL_FLAG_LAST_KNOWN_REQUIRED - 1)))

/* ------------------------------------------------------------------ */
/* Priorities and ExAllocatePool3 extended parameters                   */
/* ------------------------------------------------------------------ */

typedef enum _EX_POOL_PRIORITY {
	LowPoolPriority,
	LowPoolPrioritySpecialPoolOverrun = 8,
	LowPoolPrioritySpecialPoolUnderrun = 9,
	NormalPoolPriority = 16,
	NormalPoolPrioritySpecialPoolOverrun = 24,
	NormalPoolPrioritySpecialPoolUnderrun = 25,
	HighPoolPriority = 32,
	HighPoolPrioritySpecialPoolOverrun = 40,
	HighPoolPrioritySpecialPoolUnderrun = 41,
} EX_POOL_PRIORITY;

typedef enum _POOL_EXTENDED_PARAMETER_TYPE {
	PoolExtendedParameterInvalidType = 0,
	PoolExtendedParameterPriority,
	PoolExtendedParameterSecurePool,
	PoolExtendedParameterNumaNode,
	PoolExtendedParameterMax,
} POOL_EXTENDED_PARAMETER_TYPE, *PPOOL_EXTENDED_PARAMETER_TYPE;

#define POOL_EXTENDED_PARAMETER_TYPE_BITS	8
#define POOL_EXTENDED_PARAMETER_REQUIRED_FIELD_BITS	1
#define POOL_EXTENDED_PARAMETER_RESERVED_BITS \
	(64 - POOL_EXTENDED_PARAMETER_TYPE_BITS - \
	 POOL_EXTENDED_PARAMETER_REQUIRED_FIELD_BITS)

#define SECURE_POOL_FLAGS_NONE		0x0
#define SECURE_POOL_FLAGS_FREEABLE	0x1
#define SECURE_POOL_FLAGS_MODIFIABLE	0x2

typedef struct _POOL_EXTENDED_PARAMS_SECURE_POOL {
	HANDLE SecurePoolHandle;
	PVOID Buffer;
	ULONG_PTR Cookie;
	ULONG SecurePoolFlags;
} POOL_EXTENDED_PARAMS_SECURE_POOL;

typedef ULONG POOL_NODE_REQUIREMENT;
#define MM_ANY_NODE_OK			0x80000000

typedef struct _POOL_EXTENDED_PARAMETER {
	struct {
		ULONG64 Type : POOL_EXTENDED_PARAMETER_TYPE_BITS;
		ULONG64 Optional : POOL_EXTENDED_PARAMETER_REQUIRED_FIELD_BITS;
		ULONG64 Reserved : POOL_EXTENDED_PARAMETER_RESERVED_BITS;
	};
	union {
		ULONG64 Reserved2;
		PVOID Reserved3;
		EX_POOL_PRIORITY Priority;
		POOL_EXTENDED_PARAMS_SECURE_POOL *SecurePoolParams;
		POOL_NODE_REQUIREMENT PreferredNode;
	};
} POOL_EXTENDED_PARAMETER, *PPOOL_EXTENDED_PARAMETER;
typedef const POOL_EXTENDED_PARAMETER *PCPOOL_EXTENDED_PARAMETER;

#define POOL_CREATE_FLG_SECURE_POOL	0x1
#define POOL_CREATE_FLG_USE_GLOBAL_POOL	0x2
#define POOL_CREATE_FLG_VALID_FLAGS \
	(POOL_CREATE_FLG_SECURE_POOL | POOL_CREATE_FLG_USE_GLOBAL_POOL)
#define POOL_CREATE_PARAMS_VERSION	0x1

typedef struct _POOL_CREATE_EXTENDED_PARAMS {
	ULONG Version;
} POOL_CREATE_EXTENDED_PARAMS, *PPOOL_CREATE_EXTENDED_PARAMS;

/* ------------------------------------------------------------------ */
/* Entry points exported by ntpool.ko (namespace NTPOOL)                */
/* ------------------------------------------------------------------ */

/**
 * struct ntpool_caller - who is calling into ntpool
 * @module: the client module (THIS_MODULE at the call site; NULL when the
 *	caller is built into the kernel)
 * @ip: the call site inside the client: ntpool's return address into it,
 *	filled in by the exported entry points
 *
 * The inline NT routines below pass the module; clients never build one.
 */
struct ntpool_caller {
	struct module *module;
	unsigned long ip;
};

#define NTPOOL_THIS_CALLER() \
	((struct ntpool_caller){ .module = THIS_MODULE })

/*
 * ntpool takes the call site from its return address; a tail call into it
 * would make that the client's caller.  The wrappers call, then return.
 */
#define NTPOOL_CALL(call)		\
	({				\
		typeof(call) __ret = (call);	\
		barrier();		\
		__ret;			\
	})
#define NTPOOL_CALL_VOID(call)		\
	do {				\
		call;			\
		barrier();		\
	} while (0)

PVOID ntpool_allocate(POOL_FLAGS flags, SIZE_T size, ULONG tag,
		      struct ntpool_caller caller);
PVOID ntpool_allocate_legacy(POOL_TYPE pool_type, SIZE_T size, ULONG tag,
			     EX_POOL_PRIORITY priority,
			     struct ntpool_caller caller);
void ntpool_free(PVOID p, ULONG tag, struct ntpool_caller caller);
PVOID ntpool_allocate3(POOL_FLAGS flags, SIZE_T size, ULONG tag,
		       PCPOOL_EXTENDED_PARAMETER params, ULONG count,
		       struct ntpool_caller caller);
void ntpool_free2(PVOID p, ULONG tag, PCPOOL_EXTENDED_PARAMETER params,
		  ULONG count, struct ntpool_caller caller);
SIZE_T ntpool_query_block_size(PVOID p, PBOOLEAN quota_charged,
			       struct ntpool_caller caller);

/*
 * Tag a legacy routine records when the caller gives none: "None" as
 * poolmon shows it.  The multi-character literal is spelled out so that
 * this header builds without -Wno-multichar.
 */
#define NTPOOL_TAG_NONE		0x656e6f4eU	/* 'enoN' */

/*
 * ntpool-private POOL_TYPE bit that the quota routines add: NT folds quota
 * into bit 3, which clients also pass as POOL_QUOTA_FAIL_INSTEAD_OF_RAISE,
 * so ntpool marks quota requests with a bit NT leaves unused.
 */
#define NTPOOL_QUOTA_REQUEST	0x40000000U

/* ------------------------------------------------------------------ */
/* The NT routines                                                      */
/* ------------------------------------------------------------------ */

/**
 * ExAllocatePool2() - allocate pool memory
 * @Flags: POOL_FLAG_* bits; exactly one of POOL_FLAG_NON_PAGED,
 *	POOL_FLAG_NON_PAGED_EXECUTE and POOL_FLAG_PAGED
 * @NumberOfBytes: size of the block
 * @Tag: pool tag, non-zero (a character literal such as '1BrW',
 *	shown as WrB1)
 *
 * The block is zeroed unless POOL_FLAG_UNINITIALIZED is given.  Blocks of
 * up to 4064 bytes are 16-byte aligned and lie in one page behind a
 * _POOL_HEADER; larger blocks are whole pages.  Paged pool may only be used
 * where sleeping is allowed; non-paged pool works in any context.
 *
 * Return: the block, or NULL for tag 0, an unknown required flag, a flag
 * set that does not name exactly one pool kind, or a request that cannot be
 * satisfied.  With POOL_FLAG_RAISE_ON_FAILURE a failure is also reported.
 */
static __always_inline PVOID
ExAllocatePool2(POOL_FLAGS Flags, SIZE_T NumberOfBytes, ULONG Tag)
{
	return NTPOOL_CALL(ntpool_allocate(Flags, NumberOfBytes, Tag,
					   NTPOOL_THIS_CALLER()));
}

/**
 * ExAllocatePool3() - ExAllocatePool2() with extended parameters
 * @Flags: POOL_FLAGS, as for ExAllocatePool2()
 * @NumberOfBytes: size of the block
 * @Tag: pool tag, non-zero
 * @ExtendedParameters: POOL_EXTENDED_PARAMETERs, or NULL
 * @ExtendedParametersCount: how many
 *
 * Priority and NumaNode (non-paged pool; MM_ANY_NODE_OK allows another
 * node) are honoured; SecurePool is not supported.  A parameter that
 * cannot be honoured fails the call unless it is marked Optional.
 *
 * Return: the block or NULL.
 */
static __always_inline PVOID
ExAllocatePool3(POOL_FLAGS Flags, SIZE_T NumberOfBytes, ULONG Tag,
		PCPOOL_EXTENDED_PARAMETER ExtendedParameters,
		ULONG ExtendedParametersCount)
{
	return NTPOOL_CALL(ntpool_allocate3(Flags, NumberOfBytes, Tag,
					    ExtendedParameters,
					    ExtendedParametersCount,
					    NTPOOL_THIS_CALLER()));
}

/**
 * ExAllocatePoolWithTagPriority() - allocate with a tag and a priority
 * @PoolType: POOL_TYPE value, optionally with modifier bits
 * @NumberOfBytes: size of the block
 * @Tag: pool tag
 * @Priority: how hard to try when memory is short: Low fails early, Normal
 *	as usual, High may dip into reserves
 *
 * The memory is not zeroed unless POOL_ZERO_ALLOCATION is in @PoolType.
 *
 * Return: the block or NULL.
 */
static __always_inline PVOID
ExAllocatePoolWithTagPriority(POOL_TYPE PoolType, SIZE_T NumberOfBytes,
			      ULONG Tag, EX_POOL_PRIORITY Priority)
{
	return NTPOOL_CALL(ntpool_allocate_legacy(PoolType, NumberOfBytes, Tag,
						  Priority, NTPOOL_THIS_CALLER()));
}

/**
 * ExAllocatePoolWithTag() - allocate uninitialised pool memory with a tag
 * @PoolType: POOL_TYPE value, optionally with modifier bits
 * @NumberOfBytes: size of the block
 * @Tag: pool tag
 *
 * Return: the block or NULL.
 */
static __always_inline PVOID
ExAllocatePoolWithTag(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag)
{
	return NTPOOL_CALL(ntpool_allocate_legacy(PoolType, NumberOfBytes, Tag,
						  NormalPoolPriority,
						  NTPOOL_THIS_CALLER()));
}

/**
 * ExAllocatePool() - allocate uninitialised pool memory, tag "None"
 * @PoolType: POOL_TYPE value, optionally with modifier bits
 * @NumberOfBytes: size of the block
 *
 * Return: the block or NULL.
 */
static __always_inline PVOID
ExAllocatePool(POOL_TYPE PoolType, SIZE_T NumberOfBytes)
{
	return NTPOOL_CALL(ntpool_allocate_legacy(PoolType, NumberOfBytes,
						  NTPOOL_TAG_NONE,
						  NormalPoolPriority,
						  NTPOOL_THIS_CALLER()));
}

/**
 * ExAllocatePoolWithQuotaTag() - allocate pool memory charged as quota
 * @PoolType: POOL_TYPE value, optionally with modifier bits
 * @NumberOfBytes: size of the block
 * @Tag: pool tag
 *
 * As on NT, a failure is raised (reported, see Documentation/ntpool.rst)
 * unless @PoolType has POOL_QUOTA_FAIL_INSTEAD_OF_RAISE.
 *
 * Return: the block or NULL.
 */
static __always_inline PVOID
ExAllocatePoolWithQuotaTag(POOL_TYPE PoolType, SIZE_T NumberOfBytes,
			   ULONG Tag)
{
	return NTPOOL_CALL(ntpool_allocate_legacy((POOL_TYPE)(PoolType | NTPOOL_QUOTA_REQUEST),
						  NumberOfBytes, Tag,
						  NormalPoolPriority,
						  NTPOOL_THIS_CALLER()));
}

/**
 * ExAllocatePoolZero() - ExAllocatePoolWithTag() that zeroes the block
 * @PoolType: POOL_TYPE value
 * @NumberOfBytes: size of the block
 * @Tag: pool tag
 *
 * Return: the zeroed block or NULL.
 */
static __always_inline PVOID
ExAllocatePoolZero(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag)
{
	return NTPOOL_CALL(ntpool_allocate_legacy((POOL_TYPE)(PoolType | POOL_ZERO_ALLOCATION),
						  NumberOfBytes, Tag,
						  NormalPoolPriority,
						  NTPOOL_THIS_CALLER()));
}

/**
 * ExAllocatePoolUninitialized() - ExAllocatePoolWithTag() by its new name
 * @PoolType: POOL_TYPE value
 * @NumberOfBytes: size of the block
 * @Tag: pool tag
 *
 * Return: the block (contents undefined) or NULL.
 */
static __always_inline PVOID
ExAllocatePoolUninitialized(POOL_TYPE PoolType, SIZE_T NumberOfBytes,
			    ULONG Tag)
{
	return NTPOOL_CALL(ntpool_allocate_legacy(PoolType, NumberOfBytes, Tag,
						  NormalPoolPriority,
						  NTPOOL_THIS_CALLER()));
}

/**
 * ExAllocatePoolQuotaZero() - ExAllocatePoolWithQuotaTag() that zeroes
 * @PoolType: POOL_TYPE value
 * @NumberOfBytes: size of the block
 * @Tag: pool tag
 *
 * Return: the zeroed block or NULL.
 */
static __always_inline PVOID
ExAllocatePoolQuotaZero(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag)
{
	POOL_TYPE Type = (POOL_TYPE)(PoolType | POOL_ZERO_ALLOCATION |
				     NTPOOL_QUOTA_REQUEST);

	return NTPOOL_CALL(ntpool_allocate_legacy(Type, NumberOfBytes, Tag,
						  NormalPoolPriority,
						  NTPOOL_THIS_CALLER()));
}

/**
 * ExAllocatePoolQuotaUninitialized() - ExAllocatePoolWithQuotaTag()
 * @PoolType: POOL_TYPE value
 * @NumberOfBytes: size of the block
 * @Tag: pool tag
 *
 * Return: the block (contents undefined) or NULL.
 */
static __always_inline PVOID
ExAllocatePoolQuotaUninitialized(POOL_TYPE PoolType, SIZE_T NumberOfBytes,
				 ULONG Tag)
{
	return NTPOOL_CALL(ntpool_allocate_legacy((POOL_TYPE)(PoolType | NTPOOL_QUOTA_REQUEST),
						  NumberOfBytes, Tag,
						  NormalPoolPriority,
						  NTPOOL_THIS_CALLER()));
}

/**
 * ExAllocatePoolPriorityZero() - ExAllocatePoolWithTagPriority(), zeroed
 * @PoolType: POOL_TYPE value
 * @NumberOfBytes: size of the block
 * @Tag: pool tag
 * @Priority: EX_POOL_PRIORITY value
 *
 * Return: the zeroed block or NULL.
 */
static __always_inline PVOID
ExAllocatePoolPriorityZero(POOL_TYPE PoolType, SIZE_T NumberOfBytes,
			   ULONG Tag, EX_POOL_PRIORITY Priority)
{
	return NTPOOL_CALL(ntpool_allocate_legacy((POOL_TYPE)(PoolType | POOL_ZERO_ALLOCATION),
						  NumberOfBytes, Tag, Priority,
						  NTPOOL_THIS_CALLER()));
}

/**
 * ExAllocatePoolPriorityUninitialized() - ExAllocatePoolWithTagPriority()
 * @PoolType: POOL_TYPE value
 * @NumberOfBytes: size of the block
 * @Tag: pool tag
 * @Priority: EX_POOL_PRIORITY value
 *
 * Return: the block (contents undefined) or NULL.
 */
static __always_inline PVOID
ExAllocatePoolPriorityUninitialized(POOL_TYPE PoolType, SIZE_T NumberOfBytes,
				    ULONG Tag, EX_POOL_PRIORITY Priority)
{
	return NTPOOL_CALL(ntpool_allocate_legacy(PoolType, NumberOfBytes, Tag,
						  Priority, NTPOOL_THIS_CALLER()));
}

/**
 * ExFreePoolWithTag() - free a pool block
 * @P: block returned by one of the allocation routines
 * @Tag: the tag it was allocated with, or 0 to skip the tag check
 *
 * A tag that does not match the block's is reported as bugcheck 0xC2/0x0A
 * and the block is left allocated.
 */
static __always_inline void ExFreePoolWithTag(PVOID P, ULONG Tag)
{
	NTPOOL_CALL_VOID(ntpool_free(P, Tag, NTPOOL_THIS_CALLER()));
}

/**
 * ExFreePool() - free a pool block without checking its tag
 * @P: block returned by one of the allocation routines
 */
static __always_inline void ExFreePool(PVOID P)
{
	NTPOOL_CALL_VOID(ntpool_free(P, 0, NTPOOL_THIS_CALLER()));
}

/**
 * ExFreePool2() - free a pool block, with extended parameters
 * @P: the block
 * @Tag: the tag it was allocated with, or 0
 * @ExtendedParameters: POOL_EXTENDED_PARAMETERs, or NULL
 * @ExtendedParametersCount: how many
 *
 * A secure allocation is freed with its pool's SecurePool parameter (the
 * handle and the cookie it was allocated with) and must have
 * SECURE_POOL_FLAGS_FREEABLE; anything else about it is reported
 * (0xC2/0x99) and it stays allocated.  Other parameters are ignored.
 */
static __always_inline void
ExFreePool2(PVOID P, ULONG Tag, PCPOOL_EXTENDED_PARAMETER ExtendedParameters,
	    ULONG ExtendedParametersCount)
{
	NTPOOL_CALL_VOID(ntpool_free2(P, Tag, ExtendedParameters,
				      ExtendedParametersCount,
				      NTPOOL_THIS_CALLER()));
}

/**
 * ExQueryPoolBlockSize() - usable size of a pool block
 * @PoolBlock: block returned by one of the allocation routines
 * @QuotaCharged: set to TRUE when the block was charged as quota
 *
 * Return: bytes usable in the block (at least the size requested); for a
 * block of more than 4064 bytes, its size rounded up to whole pages.
 */
static __always_inline SIZE_T ExQueryPoolBlockSize(PVOID PoolBlock,
						   PBOOLEAN QuotaCharged)
{
	return NTPOOL_CALL(ntpool_query_block_size(PoolBlock, QuotaCharged,
						   NTPOOL_THIS_CALLER()));
}

#include <ntpool/slist.h>
#include <ntpool/lookaside.h>
#include <ntpool/secure.h>

#endif /* _NTPOOL_NTPOOL_H */
