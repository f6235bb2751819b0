/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Priorities and ExAllocatePool3's extended parameters (extparams.c).
 */
#ifndef _NTPOOL_EXTPARAMS_H
#define _NTPOOL_EXTPARAMS_H

#include "base/request.h"

u8 ntpool_priority_special(EX_POOL_PRIORITY priority);
bool ntpool_parse_extended(PCPOOL_EXTENDED_PARAMETER params, ULONG count,
			   struct ntpool_request *req);

#endif /* _NTPOOL_EXTPARAMS_H */
