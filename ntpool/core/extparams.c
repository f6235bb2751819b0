// SPDX-License-Identifier: GPL-2.0
/*
 * ExAllocatePool3's extended parameters.
 *
 * Each parameter has a type and an Optional bit.  A parameter ntpool can
 * honour is honoured: Priority (as ExAllocatePoolWithTagPriority's),
 * NumaNode (non-paged pool only: the block comes from that node, or, with
 * MM_ANY_NODE_OK, from any node if that one has no memory) and SecurePool
 * (the allocation comes from that secure pool, see secure_pool.c).  One it
 * cannot honour (an unknown type; reserved bits set; NumaNode for paged
 * pool or for a node that is not online; SecurePool without its
 * parameters) fails the call, unless it is Optional, in which case it is
 * ignored.
 *
 * A priority, as a parameter or as ExAllocatePoolWithTagPriority's
 * argument, is read here too.
 */
#include <linux/nodemask.h>
#include "core/pool.h"
#include "core/secure_pool.h"
#include "core/special.h"
#include "base/gfp.h"
#include "core/extparams.h"

/**
 * ntpool_priority_special() - special pool a priority asks for
 * @priority: EX_POOL_PRIORITY
 *
 * Return: NTPOOL_SPECIAL_END (...Overrun), _START (...Underrun) or _NONE.
 */
u8 ntpool_priority_special(EX_POOL_PRIORITY priority)
{
	if (!(priority & LowPoolPrioritySpecialPoolOverrun))
		return NTPOOL_SPECIAL_NONE;
	return priority & 1 ? NTPOOL_SPECIAL_START : NTPOOL_SPECIAL_END;
}

static bool parse_node(const POOL_EXTENDED_PARAMETER *p,
		       struct ntpool_request *req)
{
	POOL_NODE_REQUIREMENT want = p->PreferredNode;
	unsigned int node = want & ~MM_ANY_NODE_OK;

	/* POOL_FLAG_NON_PAGED only: executable pages are not placed by node. */
	if (req->kind != NTPOOL_NONPAGED || req->exec)
		return false;
	if (node >= nr_node_ids || !node_online(node))
		return want & MM_ANY_NODE_OK;	/* any node will do */
	req->numa = true;
	req->node = node;
	req->node_strict = !(want & MM_ANY_NODE_OK);
	return true;
}

static bool parse_one(const POOL_EXTENDED_PARAMETER *p,
		      struct ntpool_request *req)
{
	if (p->Reserved)
		return false;
	switch (p->Type) {
	case PoolExtendedParameterPriority:
		req->gfp = ntpool_priority_gfp(p->Priority);
		req->special = ntpool_priority_special(p->Priority);
		return true;
	case PoolExtendedParameterNumaNode:
		return parse_node(p, req);
	case PoolExtendedParameterSecurePool:
		/*
		 * Unknown flags are the request's fault, as invalid flags are;
		 * a secure allocation is read-only, never executable.
		 */
		req->secure = p->SecurePoolParams;
		return req->secure && !req->exec &&
		       !(req->secure->SecurePoolFlags & ~NTPOOL_SECURE_FLAGS_VALID);
	default:
		return false;
	}
}

/**
 * ntpool_parse_extended() - apply ExAllocatePool3's extended parameters
 * @params: the parameters, or NULL
 * @count: how many
 * @req: the request they apply to
 *
 * Return: false if a parameter that is not Optional cannot be honoured.
 */
bool ntpool_parse_extended(PCPOOL_EXTENDED_PARAMETER params, ULONG count,
			   struct ntpool_request *req)
{
	ULONG i;

	if (count && !params)
		return false;
	for (i = 0; i < count; i++) {
		struct ntpool_request tried = *req;

		if (parse_one(&params[i], &tried))
			*req = tried;
		else if (!params[i].Optional)
			return false;
	}
	return true;
}
