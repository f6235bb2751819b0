/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Secure pools, behind <ntpool/secure.h>.
 */
#ifndef _NTPOOL_SECURE_POOL_H
#define _NTPOOL_SECURE_POOL_H

#include <ntpool/ntpool.h>
#include "core/pool.h"

/* The SecurePoolFlags an allocation may carry; any other fails the call. */
#define NTPOOL_SECURE_FLAGS_VALID \
	(SECURE_POOL_FLAGS_FREEABLE | SECURE_POOL_FLAGS_MODIFIABLE)

void *ntpool_secure_alloc(struct ntpool_request *req);
void ntpool_secure_free(void *p, u32 tag,
			const POOL_EXTENDED_PARAMS_SECURE_POOL *sp,
			const struct ntpool_caller *caller);
void ntpool_secure_exit(void);

#endif /* _NTPOOL_SECURE_POOL_H */
