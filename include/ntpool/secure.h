/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ntpool - secure pools (ExCreatePool and the ExSecurePool routines of
 * wdm.h), included by <ntpool/ntpool.h>.
 *
 * On NT a secure pool lives in memory only the secure kernel (VTL1) may
 * write.  ntpool hands out secure allocations through a read-only mapping:
 * a write through the pointer the client got faults, and only
 * ExSecurePoolUpdate() changes the contents.  What that does and does not
 * protect against, compared with VBS, is in Documentation/differences.rst.
 */
#ifndef _NTPOOL_SECURE_H
#define _NTPOOL_SECURE_H

/* POOL_CREATE_FLG_* and POOL_CREATE_EXTENDED_PARAMS are in ntpool.h. */
#define STATUS_NOT_SUPPORTED		((NTSTATUS)0xC00000BBL)
#define STATUS_ACCESS_DENIED		((NTSTATUS)0xC0000022L)
#define STATUS_INVALID_HANDLE		((NTSTATUS)0xC0000008L)

NTSTATUS ntpool_create_pool(ULONG flags, unsigned long tag,
			    POOL_CREATE_EXTENDED_PARAMS *params,
			    HANDLE *handle, struct ntpool_caller caller);
void ntpool_destroy_pool(HANDLE handle, struct ntpool_caller caller);
NTSTATUS ntpool_secure_update(HANDLE handle, ULONG tag, PVOID allocation,
			      unsigned long cookie, SIZE_T offset, SIZE_T size,
			      PVOID buffer, struct ntpool_caller caller);
LOGICAL ntpool_secure_validate(HANDLE handle, ULONG tag, PVOID allocation,
			       unsigned long cookie, struct ntpool_caller caller);

/**
 * ExCreatePool() - create a secure pool
 * @Flags: POOL_CREATE_FLG_SECURE_POOL (ntpool creates no other kind)
 * @Tag: the pool's tag
 * @Params: POOL_CREATE_EXTENDED_PARAMS of version 1, or NULL
 * @PoolHandle: receives the handle, for ExAllocatePool3()'s SecurePool
 *	parameter and the routines below
 *
 * Where sleeping is allowed.
 *
 * Return: STATUS_SUCCESS; STATUS_INVALID_PARAMETER for unknown flags or a
 * wrong version; STATUS_NOT_SUPPORTED for a pool that is not secure;
 * STATUS_INSUFFICIENT_RESOURCES.
 */
static __always_inline NTSTATUS
ExCreatePool(ULONG Flags, ULONG_PTR Tag, POOL_CREATE_EXTENDED_PARAMS *Params,
	     HANDLE *PoolHandle)
{
	return NTPOOL_CALL(ntpool_create_pool(Flags, Tag, Params, PoolHandle,
					      NTPOOL_THIS_CALLER()));
}

/**
 * ExDestroyPool() - destroy a secure pool and every allocation left in it
 * @PoolHandle: from ExCreatePool()
 *
 * Where sleeping is allowed.  A handle that is not a live pool is
 * reported (0xC2/0x99) and nothing happens.
 */
static __always_inline void ExDestroyPool(HANDLE PoolHandle)
{
	NTPOOL_CALL_VOID(ntpool_destroy_pool(PoolHandle, NTPOOL_THIS_CALLER()));
}

/**
 * ExSecurePoolUpdate() - change part of a secure allocation
 * @SecurePoolHandle: the pool
 * @Tag: the allocation's tag
 * @Allocation: the allocation
 * @Cookie: the cookie it was allocated with
 * @Offset: where to write, from the allocation's start
 * @Size: how many bytes
 * @Buffer: what to write
 *
 * The allocation must have SECURE_POOL_FLAGS_MODIFIABLE, and @Offset and
 * @Size must lie inside it.  Any context (the copy does not sleep).
 *
 * Return: STATUS_SUCCESS; STATUS_INVALID_HANDLE for a pool that does not
 * exist; STATUS_INVALID_PARAMETER for an allocation, tag, cookie or range
 * that does not match; STATUS_ACCESS_DENIED if it is not modifiable.
 */
static __always_inline NTSTATUS
ExSecurePoolUpdate(HANDLE SecurePoolHandle, ULONG Tag, PVOID Allocation,
		   ULONG_PTR Cookie, SIZE_T Offset, SIZE_T Size, PVOID Buffer)
{
	return NTPOOL_CALL(ntpool_secure_update(SecurePoolHandle, Tag,
						Allocation, Cookie, Offset,
						Size, Buffer,
						NTPOOL_THIS_CALLER()));
}

/**
 * ExSecurePoolValidate() - is this a secure allocation of the pool?
 * @SecurePoolHandle: the pool
 * @Tag: the tag it should have
 * @Allocation: the allocation
 * @Cookie: the cookie it should have
 *
 * Return: TRUE if the pool holds @Allocation with @Tag and @Cookie.
 */
static __always_inline LOGICAL
ExSecurePoolValidate(HANDLE SecurePoolHandle, ULONG Tag, PVOID Allocation,
		     ULONG_PTR Cookie)
{
	return NTPOOL_CALL(ntpool_secure_validate(SecurePoolHandle, Tag,
						  Allocation, Cookie,
						  NTPOOL_THIS_CALLER()));
}

#endif /* _NTPOOL_SECURE_H */
