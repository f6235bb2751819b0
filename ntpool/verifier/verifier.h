/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Driver Verifier's Pool Tracking: a record of each allocation of a
 * verified module (verifier.c).
 */
#ifndef _NTPOOL_VERIFIER_H
#define _NTPOOL_VERIFIER_H

#include <linux/jump_label.h>
#include <linux/types.h>
#include <linux/seq_file.h>
#include "accounting/client.h"
#include "accounting/verify_drivers.h"
#include "report/alloc_log.h"
#include "base/request.h"

/* Stack frames kept per allocation with full Pool Tracking. */
#define NTPOOL_TRACK_FRAMES	NTPOOL_LOG_FRAMES

/**
 * struct ntpool_track - Pool Tracking's record of one allocation
 * @addr: the caller's pointer
 * @size: bytes requested
 * @tag: the tag
 * @kind: the pool
 * @client: owner's id
 * @owner: the owner, for a module on the shared id (else NULL)
 * @caller: call site
 * @rcu: for freeing after lookups are done
 * @node: in the table of records, by @addr
 * @nr_frames: frames in @frames (full tracking only)
 * @frames: the allocation stack
 */
struct ntpool_track {
	struct rcu_head rcu;
	struct hlist_node node;
	unsigned long addr;
	size_t size;
	u32 tag;
	u8 kind;
	u8 client;
	struct ntpool_client *owner;
	unsigned long caller;
	unsigned int nr_frames;
	unsigned long frames[];
};

void ntpool_verifier_track(struct ntpool_client *c, u8 id, void *p,
			   const struct ntpool_request *req);
void __ntpool_verifier_untrack(void *p, unsigned long ip);

/**
 * ntpool_verifier_untrack() - forget a freed block, if it was tracked
 * @p: the block
 * @caller: who frees it (the allocate/free log names it)
 *
 * Nothing was ever tracked: no lookup on the free path.
 */
static inline void ntpool_verifier_untrack(void *p,
					   const struct ntpool_caller *caller)
{
	if (static_branch_unlikely(&ntpool_tracking_used) ||
	    READ_ONCE(ntpool_track_shared))
		__ntpool_verifier_untrack(p, caller ? caller->ip : 0);
}

bool ntpool_verifier_caller(const void *p, unsigned long *caller,
			    unsigned int *nr_frames);
struct ntpool_client *ntpool_verifier_owner(const void *p);
bool ntpool_verifier_claim(const void *p, struct ntpool_client *owner);
bool ntpool_verifier_callers(u8 id, struct ntpool_client *owner,
			     bool (*add)(void *arg, unsigned long ip),
			     void *arg);
int ntpool_verifier_init(void);
void ntpool_verifier_exit(void);

#endif /* _NTPOOL_VERIFIER_H */
