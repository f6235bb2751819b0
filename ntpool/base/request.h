/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What an allocation asks for, and from where: the words every part of
 * ntpool shares, from the NT entry points down to the reports.  Nothing
 * here knows how the pools are laid out (core/pool.h).
 */
#ifndef _NTPOOL_REQUEST_H
#define _NTPOOL_REQUEST_H

#include <linux/gfp.h>
#include <linux/hardirq.h>
#include <linux/mm.h>
#include <linux/preempt.h>
#include <linux/rcupdate.h>
#include <ntpool/ntpool.h>

enum ntpool_kind {
	NTPOOL_NONPAGED = NonPagedPool,
	NTPOOL_PAGED = PagedPool,
	NTPOOL_KINDS,
};

struct mem_cgroup;
struct ntpool_client;

/**
 * struct ntpool_request - an allocation request, whichever API it came from
 * @size: bytes requested
 * @tag: pool tag
 * @kind: which pool
 * @exec: executable memory asked for (non-paged kind, the executable pool)
 * @zero: zero the block
 * @cache_aligned: align the block to a cache line
 * @raise: report a failure (NT would raise an exception)
 * @special: special pool asked for: NTPOOL_SPECIAL_END or _START, or 0
 * @numa: a NUMA node was asked for
 * @node: the node
 * @node_strict: the block must come from @node
 * @quota: charge the block as quota (the quota routines, POOL_FLAG_USE_QUOTA)
 * @memcg: the memory cgroup that pays for the block, with a reference held
 *	for the request, or NULL when nobody is charged (see quota.c)
 * @secure: ExAllocatePool3's SecurePool parameter, or NULL (see
 *	secure_pool.c)
 * @gfp: extra GFP bits the priority asks for
 * @client: id of the calling module (see client.c)
 * @site_id: id of its call site (see sites.c)
 * @caller: who asked
 * @counter: the record whose !verifier counters count this request (the
 *	calling module's own, even on the shared id)
 * @succeeded_counted: set when its success was counted on the way (a
 *	per-CPU cache's hit, struct ntpool_charge)
 */
struct ntpool_request {
	size_t size;
	u32 tag;
	enum ntpool_kind kind;
	bool exec;
	bool zero;
	bool cache_aligned;
	bool raise;
	u8 special;
	bool numa;
	int node;
	bool node_strict;
	bool quota;
	struct mem_cgroup *memcg;
	const POOL_EXTENDED_PARAMS_SECURE_POOL *secure;
	gfp_t gfp;
	u8 client;
	u16 site_id;
	struct ntpool_caller caller;
	struct ntpool_client *counter;
	bool succeeded_counted;
};

/**
 * ntpool_can_sleep() - may the current context sleep?
 *
 * Return: true in process context with preemption and interrupts enabled.
 * Without CONFIG_PREEMPT_COUNT a held spinlock cannot be seen; only
 * interrupt context and disabled interrupts are then detected.
 */
static inline bool ntpool_can_sleep(void)
{
	if (IS_ENABLED(CONFIG_PREEMPT_COUNT))
		return preemptible() && !rcu_preempt_depth();
	return !in_interrupt() && !irqs_disabled();
}

/**
 * ntpool_size_pages() - whole pages that hold @size bytes
 * @size: any size, SIZE_MAX included (DIV_ROUND_UP() would wrap)
 *
 * Return: the number of pages; one for a block of 0 bytes, which is a
 * block all the same.
 */
static inline size_t ntpool_size_pages(size_t size)
{
	return size / PAGE_SIZE + !!(size % PAGE_SIZE) + !size;
}

/* The tag NT keeps for big blocks; refused to callers. */
#define NTPOOL_TAG_BIG			0x20474942U	/* ' GIB' */
/* Kernels strip the old PROTECTED_POOL bit before comparing tags. */
#define NTPOOL_TAG_PROTECTED_BIT	0x80000000U

/**
 * ntpool_plain_tag() - a tag without the old PROTECTED_POOL bit
 * @tag: the tag
 *
 * Return: the tag to compare and account.
 */
static inline u32 ntpool_plain_tag(u32 tag)
{
	return tag & ~NTPOOL_TAG_PROTECTED_BIT;
}

#endif /* _NTPOOL_REQUEST_H */
