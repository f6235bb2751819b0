/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The client modules that call ntpool, and what Driver Verifier keeps
 * about each.
 */
#ifndef _NTPOOL_CLIENT_H
#define _NTPOOL_CLIENT_H

#include <linux/atomic.h>
#include <linux/hashtable.h>
#include <linux/jump_label.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include "accounting/callsite.h"
#include "accounting/sites.h"
#include "accounting/usage.h"

/* Ids fit the PoolIndex byte of a block header. */
#define NTPOOL_MAX_CLIENTS	256
/* The id shared by modules that could not get one of their own. */
#define NTPOOL_SHARED_CLIENT	0

/* How closely a module's pool use is watched (verify_drivers). */
enum ntpool_verify {
	NTPOOL_VERIFY_NONE,	/* counters and the unload leak check only */
	NTPOOL_VERIFY_TRACK,	/* Pool Tracking: every allocation's caller */
	NTPOOL_VERIFY_FULL,	/* Pool Tracking with allocation stacks */
};

/* !verifier's counters for a module. */
enum ntpool_vcounter {
	/* Pool Allocations Attempted: made at read, from the three outcomes */
	NTPOOL_VC_ATTEMPTED,
	NTPOOL_VC_SUCCEEDED,		/* Pool Allocations Succeeded */
	NTPOOL_VC_SPECIAL,		/* ... Succeeded SpecialPool */
	NTPOOL_VC_NO_TAG,		/* ... With NO TAG */
	NTPOOL_VC_FAILED,		/* Pool Allocations Failed */
	NTPOOL_VC_FAILED_DELIBERATELY,	/* Resource Allocations Failed Deliberately */
	NTPOOL_VC_UNTRACKED,		/* allocations with no tracking record */
	NTPOOL_VC_NR,
};

/**
 * struct ntpool_verifier_cpu - one CPU's share of !verifier's counters
 * @count: by enum ntpool_vcounter
 */
struct ntpool_verifier_cpu {
	u64 count[NTPOOL_VC_NR];
};

/**
 * struct ntpool_client - one client module, or the shared id
 * @module: key: the module (1 for the kernel itself; 2 once it is gone
 *	and another module may be loaded at its address)
 * @name: its name, kept after it unloads
 * @loaded: it has not gone away yet
 * @verify: how closely it is watched
 * @id: its id, in its blocks' headers; NTPOOL_SHARED_CLIENT for a module
 *	that shares id 0 (a full table), whose blocks are told apart by
 *	their Pool Tracking records
 * @tracked: shared id only: its live blocks that have a tracking record
 * @usage: its pool usage, the totals of its sites (for a module on the
 *	shared id: the shared id's usage holds its blocks)
 * @catchall: where its blocks are counted when a site of their own could
 *	not be made; its id is the module's
 * @vcpu: !verifier's counters
 * @nested: !verifier's counters counted by interrupts that came in this
 *	CPU's section (cpu_section.h), which may not touch @vcpu
 * @sites: names of the call sites of its blocks, kept from before its
 *	code went (callsite.c); under RCU, set under ntpool_clients_lock()
 * @hash: in the lookup by module
 * @link: in the list of every client
 * @rcu: freed after lookups are done
 */
struct ntpool_client {
	struct module *module;
	char name[MODULE_NAME_LEN];
	bool loaded;
	enum ntpool_verify verify;
	u8 id;
	atomic_long_t tracked;
	struct ntpool_usage usage;
	struct ntpool_site catchall;
	struct ntpool_verifier_cpu __percpu *vcpu;
	atomic64_t nested[NTPOOL_VC_NR];
	struct ntpool_callsites __rcu *sites;
	struct hlist_node hash;
	struct list_head link;
	struct rcu_head rcu;
};

/**
 * struct ntpool_verifier_stats - !verifier's counters summed over CPUs
 * @count: by enum ntpool_vcounter
 */
struct ntpool_verifier_stats {
	u64 count[NTPOOL_VC_NR];
};

struct ntpool_client *ntpool_client_of(struct module *mod);
u8 ntpool_client_id(struct module *mod);
extern struct ntpool_client __rcu *ntpool_clients_by_id[NTPOOL_MAX_CLIENTS];
#define NTPOOL_CLIENTS_HASH_BITS	7
extern struct hlist_head ntpool_clients_by_module[1 << NTPOOL_CLIENTS_HASH_BITS];

/* The key a module's record is found by: the kernel itself has one too. */
static inline struct module *ntpool_client_key(struct module *mod)
{
	return mod ? mod : (struct module *)1UL;
}

/**
 * ntpool_client_lookup() - the record of a module key, if it has one
 * @key: from ntpool_client_key()
 *
 * Under RCU (a section with preemption off is one), or clients_lock.
 *
 * Return: the record, or NULL.
 */
static inline struct ntpool_client *ntpool_client_lookup(struct module *key)
{
	struct ntpool_client *c;

	hash_for_each_possible_rcu(ntpool_clients_by_module, c, hash,
				   (unsigned long)key)
		if (READ_ONCE(c->module) == key)
			return c;
	return NULL;
}

extern struct ntpool_client *const ntpool_shared_record;

/**
 * ntpool_client() - the record behind an id
 * @id: an id from a block
 *
 * The record stays valid while a block of that id is outstanding (see
 * client.c).
 *
 * Return: the record (the shared record for id 0 or an id not in use).
 */
static inline struct ntpool_client *ntpool_client(u8 id)
{
	struct ntpool_client *c = rcu_dereference_raw(ntpool_clients_by_id[id]);

	return c ? c : ntpool_shared_record;
}

const char *ntpool_client_name(u8 id);
unsigned int ntpool_clients_free_ids(void);
void ntpool_client_verifier_read(struct ntpool_client *c,
				 struct ntpool_verifier_stats *st);
s64 ntpool_client_outstanding(struct ntpool_client *c);
bool ntpool_client_on_shared_id(const struct ntpool_client *c);
void ntpool_clients_lock(void);
void ntpool_clients_unlock(void);
struct ntpool_client *ntpool_clients_next(struct ntpool_client *c);
void ntpool_client_retire(struct ntpool_client *c);
void ntpool_clients_reap(void);
struct ntpool_client *ntpool_client_unloaded(struct module *mod);
void ntpool_client_coming(struct module *mod);
int ntpool_clients_init(void);
void ntpool_clients_exit(void);

/* Count an event of a module's in !verifier's counters, in a section. */
static __always_inline void ntpool_client_count_held(struct ntpool_client *c,
						     enum ntpool_vcounter which)
{
	ntpool_cpu_assert_held();
	__this_cpu_inc(c->vcpu->count[which]);
}

/* Count an event of a module's in !verifier's counters, from any context. */
static inline void ntpool_client_count(struct ntpool_client *c,
				       enum ntpool_vcounter which)
{
	if (ntpool_cpu_enter()) {
		ntpool_client_count_held(c, which);
		ntpool_cpu_leave();
	} else {
		atomic64_inc(&c->nested[which]);
	}
}

#ifdef NTPOOL_BENCH
DECLARE_STATIC_KEY_FALSE(ntpool_bench_no_accounting);
extern u8 ntpool_bench_client;

/*
 * Only the benchmark (views/bench.c) turns accounting off, to measure what
 * it costs, and only for its own blocks: other clients' counts stay right.
 */
#define ntpool_accounting_on(client) \
	(!static_branch_unlikely(&ntpool_bench_no_accounting) || \
	 (client) != READ_ONCE(ntpool_bench_client))
#else
#define ntpool_accounting_on(client) ((void)(client), true)
#endif

#endif /* _NTPOOL_CLIENT_H */
