// SPDX-License-Identifier: GPL-2.0
/*
 * NT lookaside lists: ExInitialize[N]PagedLookasideList, ...ListEx, and
 * their allocate, free, delete and flush routines.
 *
 * The list structure has NT's layout and NT's counters (TotalAllocates,
 * AllocateMisses, TotalFrees, FreeMisses, Depth, MaximumDepth), updated as
 * NT's are, without interlocking.  The cached entries are on the list's
 * ListHead, an SList (slist.h), as on NT: an allocation pops it, a free
 * pushes unless ExQueryDepthSList(&ListHead) has reached Depth (checked in
 * the push's own exchange, so racing frees cannot pass it), and the
 * header's depth is always the number of entries cached.  Depth is bounded
 * by EX_MAXIMUM_LOOKASIDE_DEPTH_BASE whatever the client writes there.  An
 * entry that cannot be on an SList (NULL, or not 16-byte aligned, which a
 * client's Allocate routine may hand out) is not cached: it goes back to
 * the Free routine, counted as a miss.
 *
 * Every live list is in a registry, found by the list's address (an RCU
 * hash, so that allocate and free need no shared lock): for !lookaside
 * (debugfs "lookaside"), for the depth worker, and for Driver Verifier's
 * checks (0xC4/0xCA re-initialising a live list, 0xCB deleting, or
 * allocating from or freeing to, one never initialised or deleted
 * already, 0xCC freeing pool that holds a live list, 0xCD an entry size
 * below the minimum; a module that unloads with a list it never deleted).
 * A list's state is freed after a grace period.
 *
 * The depth adapts once a second: a list used fewer than 75 times since
 * the last look shrinks by 10; one that missed on more than 0.5% of its
 * allocations grows by 5 plus a share of the room left proportional to the
 * miss rate; one that missed less shrinks by 1; always between 4 and
 * MaximumDepth, which is at most 256.
 * Lists of verified modules keep depth 0, so every free goes back to the
 * pool and Driver Verifier sees it.  Entries above a lowered depth stay
 * cached until used: only frees are bounded by it.
 */
#define pr_fmt(fmt) "ntpool: " fmt

#include <linux/hashtable.h>
#include <linux/list.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include "accounting/client.h"
#include "nt/lookaside.h"
#include "verifier/live_lists.h"
#include "core/pool.h"
#include "report/report.h"
#include "nt/slist.h"

#define LOOKASIDE_MIN_DEPTH	4
#define LOOKASIDE_MAX_DEPTH	EX_MAXIMUM_LOOKASIDE_DEPTH_BASE

struct lookaside {
	struct list_head link;
	struct hlist_node node;
	struct ntpool_live_list live;
	PGENERAL_LOOKASIDE_POOL list;
	unsigned int kind;
	struct ntpool_client *owner;
	struct ntpool_caller caller;
	/* As initialised, for when the list may be gone with its module. */
	u32 tag;
	bool pool_entries;	/* allocated and freed by ntpool */
	struct rcu_head rcu;
};

static LIST_HEAD(registry);
static DEFINE_HASHTABLE(registry_by_list, 6);
static DEFINE_SPINLOCK(registry_lock);

/* The registered state of @list, or NULL; under RCU or registry_lock. */
static struct lookaside *find_locked(PGENERAL_LOOKASIDE_POOL list)
{
	struct lookaside *la;

	hash_for_each_possible_rcu(registry_by_list, la, node, (unsigned long)list)
		if (la->list == list)
			return la;
	return NULL;
}

/* Depth, as far as ntpool lets a list cache. */
static unsigned int depth_of(PGENERAL_LOOKASIDE_POOL list)
{
	return min_t(unsigned int, READ_ONCE(list->Depth), LOOKASIDE_MAX_DEPTH);
}

/* Allocate from or free to a list that is not live: 0xC4/0xCB. */
static void not_live(PGENERAL_LOOKASIDE_POOL list, PVOID entry)
{
	ntpool_bugcheck(DRIVER_VERIFIER_DETECTED_VIOLATION,
			NTPOOL_C4_LOOKASIDE_NOT_INIT, (unsigned long)list,
			(unsigned long)entry, 0, NULL);
}

static bool registered(PGENERAL_LOOKASIDE_POOL list)
{
	unsigned long flags;
	bool found;

	spin_lock_irqsave(&registry_lock, flags);
	found = find_locked(list);
	spin_unlock_irqrestore(&registry_lock, flags);
	return found;
}

/* Whether @entry can be on an SList: pushing it would not corrupt one. */
static bool slist_entry_ok(const void *entry)
{
	return entry && IS_ALIGNED((unsigned long)entry, SLIST_ALIGN);
}

/* What allocate and free need once the state may be gone. */
struct lookaside_use {
	unsigned int kind;
	struct ntpool_caller caller;
};

static PVOID allocate_entry(PGENERAL_LOOKASIDE_POOL l,
			    const struct lookaside_use *u)
{
	if (u->kind == NTPOOL_LOOKASIDE_EX && l->AllocateEx)
		return l->AllocateEx(l->Type, l->Size, l->Tag,
				     container_of(l, LOOKASIDE_LIST_EX, L));
	if (u->kind != NTPOOL_LOOKASIDE_EX && l->Allocate)
		return l->Allocate(l->Type, l->Size, l->Tag);
	return ntpool_allocate_legacy(l->Type, l->Size, l->Tag,
				      NormalPoolPriority, u->caller);
}

static void free_entry(PGENERAL_LOOKASIDE_POOL l, const struct lookaside_use *u,
		       PVOID entry)
{
	if (u->kind == NTPOOL_LOOKASIDE_EX && l->FreeEx)
		l->FreeEx(entry, container_of(l, LOOKASIDE_LIST_EX, L));
	else if (u->kind != NTPOOL_LOOKASIDE_EX && l->Free)
		l->Free(entry);
	else
		ntpool_free(entry, 0, u->caller);
}

static void free_cached(struct lookaside *la, PVOID entry)
{
	struct lookaside_use u = { .kind = la->kind, .caller = la->caller };

	free_entry(la->list, &u, entry);
}

/**
 * ntpool_lookaside_alloc() - ExAllocateFrom*LookasideList*()
 * @list: the list
 *
 * Return: a cached entry, or one from the list's allocator, or NULL.
 */
PVOID ntpool_lookaside_alloc(PGENERAL_LOOKASIDE_POOL list)
{
	struct lookaside_use u;
	struct lookaside *la;
	PVOID entry;

	rcu_read_lock();
	la = find_locked(list);
	if (!la) {
		rcu_read_unlock();
		not_live(list, NULL);
		return NULL;
	}
	u = (struct lookaside_use) { .kind = la->kind, .caller = la->caller };
	WRITE_ONCE(list->TotalAllocates, list->TotalAllocates + 1);
	entry = slist_pop(&list->ListHead, _RET_IP_);
	rcu_read_unlock();
	if (entry)
		return entry;
	WRITE_ONCE(list->AllocateMisses, list->AllocateMisses + 1);
	return allocate_entry(list, &u);
}
EXPORT_SYMBOL_NS_GPL(ntpool_lookaside_alloc, NTPOOL_NS);

/**
 * ntpool_lookaside_free() - ExFreeTo*LookasideList*()
 * @list: the list
 * @entry: an entry it handed out
 *
 * The entry is pushed on ListHead if it holds fewer than Depth entries,
 * else given to the list's free routine.
 */
void ntpool_lookaside_free(PGENERAL_LOOKASIDE_POOL list, PVOID entry)
{
	struct lookaside_use u;
	struct lookaside *la;
	bool cached;

	rcu_read_lock();
	la = find_locked(list);
	if (!la) {
		rcu_read_unlock();
		/* Whose entry it is, is not known: it stays where it is. */
		not_live(list, entry);
		return;
	}
	u = (struct lookaside_use) { .kind = la->kind, .caller = la->caller };
	WRITE_ONCE(list->TotalFrees, list->TotalFrees + 1);
	cached = slist_entry_ok(entry) &&
		 slist_push_below(&list->ListHead, entry, depth_of(list));
	rcu_read_unlock();
	if (cached)
		return;
	WRITE_ONCE(list->FreeMisses, list->FreeMisses + 1);
	free_entry(list, &u, entry);
}
EXPORT_SYMBOL_NS_GPL(ntpool_lookaside_free, NTPOOL_NS);

static NTSTATUS check_type(unsigned int kind, POOL_TYPE type, ULONG flags,
			   PVOID allocate)
{
	u32 base = type & ~(POOL_NX_ALLOCATION | POOL_RAISE_IF_ALLOCATION_FAILURE |
			     NTPOOL_EXECUTE_REQUEST);

	if (kind != NTPOOL_LOOKASIDE_EX)
		return STATUS_SUCCESS;
	if (base != NonPagedPool && base != PagedPool)
		return STATUS_INVALID_PARAMETER_4;
	if (flags & ~(EX_LOOKASIDE_LIST_EX_FLAGS_RAISE_ON_FAIL |
		      EX_LOOKASIDE_LIST_EX_FLAGS_FAIL_NO_RAISE) ||
	    (flags & EX_LOOKASIDE_LIST_EX_FLAGS_RAISE_ON_FAIL &&
	     flags & EX_LOOKASIDE_LIST_EX_FLAGS_FAIL_NO_RAISE) ||
	    (flags & EX_LOOKASIDE_LIST_EX_FLAGS_FAIL_NO_RAISE && !allocate))
		return STATUS_INVALID_PARAMETER_5;
	return STATUS_SUCCESS;
}

static POOL_TYPE list_type(unsigned int kind, POOL_TYPE type, ULONG flags)
{
	if (kind != NTPOOL_LOOKASIDE_EX)
		return (POOL_TYPE)(type | (flags & (POOL_RAISE_IF_ALLOCATION_FAILURE |
						    POOL_NX_ALLOCATION)));
	if (flags & EX_LOOKASIDE_LIST_EX_FLAGS_RAISE_ON_FAIL)
		type |= POOL_RAISE_IF_ALLOCATION_FAILURE;
	if (flags & EX_LOOKASIDE_LIST_EX_FLAGS_FAIL_NO_RAISE)
		type |= POOL_QUOTA_FAIL_INSTEAD_OF_RAISE;
	return type;
}

static struct lookaside *new_state(PGENERAL_LOOKASIDE_POOL list,
				   unsigned int kind, struct ntpool_caller caller)
{
	gfp_t gfp = ntpool_can_sleep() ? GFP_KERNEL : GFP_ATOMIC | __GFP_NOWARN;
	struct lookaside *la = kzalloc(sizeof(*la), gfp);

	if (!la)
		return NULL;
	la->list = list;
	la->kind = kind;
	la->caller = caller;
	la->owner = ntpool_client_of(caller.module);
	return la;
}

static bool verified(const struct lookaside *la)
{
	return READ_ONCE(la->owner->verify) != NTPOOL_VERIFY_NONE;
}

/**
 * ntpool_lookaside_init() - the three Initialize routines
 * @list: the list (the GENERAL_LOOKASIDE_POOL part of any of them)
 * @kind: NTPOOL_LOOKASIDE_NPAGED, _PAGED or _EX
 * @allocate: the allocate routine, or NULL
 * @free: the free routine, or NULL
 * @pool_type: the pool type (fixed by the classic routines)
 * @flags: the routine's Flags
 * @size: bytes per entry
 * @tag: pool tag
 * @caller: the calling module and call site
 *
 * Return: STATUS_SUCCESS; STATUS_INVALID_PARAMETER_4, _5 or _6 (a @size
 * that does not fit the list's ULONG Size) (Ex); for a list not 16-byte
 * aligned, STATUS_DATATYPE_MISALIGNMENT, reported; on a Driver Verifier
 * violation or no memory, STATUS_INSUFFICIENT_RESOURCES, and the list is
 * unusable.
 */
NTSTATUS ntpool_lookaside_init(PGENERAL_LOOKASIDE_POOL list, unsigned int kind,
			       PVOID allocate, PVOID free, POOL_TYPE pool_type,
			       ULONG flags, SIZE_T size, ULONG tag,
			       struct ntpool_caller caller)
{
	NTSTATUS status = check_type(kind, pool_type, flags, allocate);
	struct lookaside *la;
	unsigned long irq;

	caller.ip = _RET_IP_;
	if (!NT_SUCCESS(status))
		return status;
	if (size > U32_MAX)
		return STATUS_INVALID_PARAMETER_6;
	if (size < LOOKASIDE_MINIMUM_BLOCK_SIZE) {
		ntpool_bugcheck(DRIVER_VERIFIER_DETECTED_VIOLATION,
				NTPOOL_C4_LOOKASIDE_TOO_SMALL, (unsigned long)list,
				size, LOOKASIDE_MINIMUM_BLOCK_SIZE, &caller);
		return STATUS_INSUFFICIENT_RESOURCES;
	}
	/* NT's InitializeSListHead() raises on a misaligned ListHead. */
	if (!IS_ALIGNED((unsigned long)list, SLIST_ALIGN)) {
		ntpool_slist_misaligned(list, caller.ip);
		return STATUS_DATATYPE_MISALIGNMENT;
	}
	if (registered(list)) {
		ntpool_bugcheck(DRIVER_VERIFIER_DETECTED_VIOLATION,
				NTPOOL_C4_LOOKASIDE_REINIT, (unsigned long)list,
				0, 0, &caller);
		return STATUS_INSUFFICIENT_RESOURCES;
	}
	la = new_state(list, kind, caller);
	if (!la)
		return STATUS_INSUFFICIENT_RESOURCES;
	la->tag = tag;
	la->pool_entries = !allocate && !free;
	memset(list, 0, sizeof(*list));
	list->Type = list_type(kind, pool_type, flags);
	list->Tag = tag;
	list->Size = size;
	list->Allocate = allocate;
	list->Free = free;
	list->MaximumDepth = LOOKASIDE_MAX_DEPTH;
	list->Depth = verified(la) ? 0 : LOOKASIDE_MIN_DEPTH;
	spin_lock_irqsave(&registry_lock, irq);
	list_add_tail(&la->link, &registry);
	hash_add_rcu(registry_by_list, &la->node, (unsigned long)list);
	/* A free asks whether its block holds a live list. */
	ntpool_live_list_add(&la->live, list);
	spin_unlock_irqrestore(&registry_lock, irq);
	return STATUS_SUCCESS;
}
EXPORT_SYMBOL_NS_GPL(ntpool_lookaside_init, NTPOOL_NS);

/*
 * How many entries the chain from @entry holds, if it is one a list could
 * hold: readable to its end and no longer than ntpool lets a list cache
 * (at most the largest Depth, and a push per CPU to spare).  The list is
 * the client's memory: a Next it overwrote may point anywhere, or back
 * into the chain.  If not, -1, and *@bad is where it fails.
 */
static int chain_length(PSLIST_ENTRY entry, PSLIST_ENTRY *bad)
{
	int n = 0, max = LOOKASIDE_MAX_DEPTH + num_possible_cpus();
	PSLIST_ENTRY next;

	for (; entry; entry = next, n++) {
		if (n == max || !slist_read_next(entry, &next)) {
			*bad = entry;
			return -1;
		}
	}
	return n;
}

/*
 * Free the entries of a chain taken off a list, each Next read before its
 * entry goes, no more than were counted.  A chain that is not sound is
 * reported (as a pop that cannot read its entry is) and left alone: its
 * entries stay allocated, and a module's are reported as leaks when it
 * unloads.  @dead: the list's module is gone, and its routines with it:
 * only what is still a block of ntpool's, the module's with the list's
 * tag, is freed (the list's memory may have been reused by anyone).
 */
static void free_chain(struct lookaside *la, PSLIST_ENTRY entry, bool dead)
{
	PSLIST_ENTRY next, bad;
	int n = chain_length(entry, &bad);

	if (n < 0) {
		ntpool_slist_unreadable(bad, la->caller.ip);
		return;
	}
	for (; n-- && entry; entry = next) {
		if (!slist_read_next(entry, &next))
			return;
		if (dead)
			ntpool_free_block(entry, la->tag, la->owner->id);
		else
			free_cached(la, entry);
	}
}

/* Free every cached entry of a live list; the caller owns the list. */
static void drain(struct lookaside *la)
{
	free_chain(la, slist_flush(&la->list->ListHead), false);
}

/*
 * The same for a list whose module is gone: the list may have gone with it,
 * so its header is read without a fault or a KASAN report, and not written.
 */
static void drain_dead(struct lookaside *la)
{
	PSLIST_ENTRY first;

	if (slist_read_first(&la->list->ListHead, &first))
		free_chain(la, first, true);
}

/* Out of the registry; registry_lock held. */
static void unregister_locked(struct lookaside *la)
{
	list_del(&la->link);
	hash_del_rcu(&la->node);
	ntpool_live_list_del(&la->live);
}

static void forget_rcu(struct rcu_head *rcu)
{
	struct lookaside *la = container_of(rcu, struct lookaside, rcu);

	kfree(la);
}

/* Free the state once allocate and free calls that found it are done. */
static void forget(struct lookaside *la)
{
	call_rcu(&la->rcu, forget_rcu);
}

/**
 * ntpool_lookaside_delete() - the Delete routines, and ExFlushLookasideListEx
 * @list: the list
 * @keep: flush: free the cached entries, keep the list
 * @caller: the calling module and call site
 *
 * A list that was never initialised (or deleted already) is reported as
 * 0xC4/0xCB and left alone.
 */
void ntpool_lookaside_delete(PGENERAL_LOOKASIDE_POOL list, bool keep,
			     struct ntpool_caller caller)
{
	struct lookaside *la;
	unsigned long flags;

	caller.ip = _RET_IP_;
	spin_lock_irqsave(&registry_lock, flags);
	la = find_locked(list);
	if (la && !keep)
		unregister_locked(la);
	spin_unlock_irqrestore(&registry_lock, flags);
	if (!la) {
		ntpool_bugcheck(DRIVER_VERIFIER_DETECTED_VIOLATION,
				NTPOOL_C4_LOOKASIDE_NOT_INIT, (unsigned long)list,
				0, 0, &caller);
		return;
	}
	drain(la);
	if (!keep)
		forget(la);
}
EXPORT_SYMBOL_NS_GPL(ntpool_lookaside_delete, NTPOOL_NS);

/* Take every list of @mod (or every list, @all) out of the registry. */
static void unregister_all(struct module *mod, bool all, struct list_head *gone)
{
	struct lookaside *la, *tmp;
	unsigned long flags;

	spin_lock_irqsave(&registry_lock, flags);
	list_for_each_entry_safe(la, tmp, &registry, link) {
		if (!all && la->caller.module != mod)
			continue;
		hash_del_rcu(&la->node);
		ntpool_live_list_del(&la->live);
		list_move_tail(&la->link, gone);
	}
	spin_unlock_irqrestore(&registry_lock, flags);
}

/**
 * ntpool_lookaside_unload() - a module went away: its undeleted lists
 * @mod: the module
 *
 * Each is reported (0xC7, Arg1 NTPOOL_C7_LOOKASIDE) and dropped; the
 * entries it cached go back to the pool when ntpool allocated them (each
 * only if it still is a block of the module's with the list's tag: the
 * list's memory may be gone with the module), and stay where they are when
 * the module's own routines did (they are gone).
 * Lists are matched by module, not by client id, so that a module without
 * an id of its own loses its lists too.
 */
void ntpool_lookaside_unload(struct module *mod)
{
	struct lookaside *la, *tmp;
	LIST_HEAD(gone);

	unregister_all(mod, false, &gone);
	list_for_each_entry_safe(la, tmp, &gone, link) {
		ntpool_bugcheck(TIMER_OR_DPC_INVALID, NTPOOL_C7_LOOKASIDE,
				(unsigned long)la->list,
				(unsigned long)la->owner->name, la->tag, NULL);
		if (la->pool_entries)
			drain_dead(la);
		forget(la);
	}
}

/* The depth rule; ntpool's bounds, whatever the client wrote. */
static void adjust(struct lookaside *la)
{
	PGENERAL_LOOKASIDE_POOL list = la->list;
	ULONG allocs = list->TotalAllocates - list->LastTotalAllocates;
	ULONG misses = list->AllocateMisses - list->LastAllocateMisses;
	int depth = depth_of(list);
	int max = clamp_t(int, READ_ONCE(list->MaximumDepth), LOOKASIDE_MIN_DEPTH,
			  LOOKASIDE_MAX_DEPTH);

	list->LastTotalAllocates = list->TotalAllocates;
	list->LastAllocateMisses = list->AllocateMisses;
	if (!depth && verified(la))
		return;
	if (allocs < 75) {
		depth -= 10;
	} else {
		unsigned int per_mille = div_u64((u64)misses * 1000, allocs);

		if (per_mille < 5)
			depth -= 1;
		else
			depth += 5 + per_mille * (max - depth) / 2000;
	}
	WRITE_ONCE(list->Depth, clamp(depth, LOOKASIDE_MIN_DEPTH, max));
}

/**
 * ntpool_lookaside_adjust() - the once-a-second depth rule for one list
 * @list: the list; nothing happens unless it is live
 */
void ntpool_lookaside_adjust(PGENERAL_LOOKASIDE_POOL list)
{
	struct lookaside *la;
	unsigned long flags;

	spin_lock_irqsave(&registry_lock, flags);
	la = find_locked(list);
	if (la)
		adjust(la);
	spin_unlock_irqrestore(&registry_lock, flags);
}

static void adjust_all(struct work_struct *work);
static DECLARE_DELAYED_WORK(adjust_work, adjust_all);

static void adjust_all(struct work_struct *work)
{
	struct lookaside *la;
	unsigned long flags;

	spin_lock_irqsave(&registry_lock, flags);
	list_for_each_entry(la, &registry, link)
		adjust(la);
	spin_unlock_irqrestore(&registry_lock, flags);
	schedule_delayed_work(&adjust_work, HZ);
}

static const char *type_name(POOL_TYPE type)
{
	return type & PagedPool ? "PagedPool" : "NonPagedPool";
}

static unsigned int hit_rate(ULONG total, ULONG misses)
{
	return total ? div_u64((u64)(total - misses) * 100, total) : 0;
}

/**
 * ntpool_print_lookaside() - !lookaside -all
 * @m: where to
 */
void ntpool_print_lookaside(struct seq_file *m)
{
	struct lookaside *la;
	unsigned long flags;
	char tag[5];

	spin_lock_irqsave(&registry_lock, flags);
	list_for_each_entry(la, &registry, link) {
		PGENERAL_LOOKASIDE_POOL l = la->list;

		memcpy(tag, &l->Tag, 4);
		tag[4] = '\0';
		seq_printf(m, "Lookaside \"%s\" @ 0x%016lx Tag(hex): 0x%08x \"%s\"\n",
			   la->owner->name, (unsigned long)l,
			   l->Tag, tag);
		/* NT's value: NonPagedPoolExecute's private bit is ntpool's. */
		seq_printf(m, "    Type           =       %04x %s%s\n",
			   l->Type & ~NTPOOL_EXECUTE_REQUEST, type_name(l->Type),
			   l->Type & POOL_RAISE_IF_ALLOCATION_FAILURE ?
			   " RaiseIfAllocationFailure" : "");
		seq_printf(m, "    Current Depth  = %10u   Max Depth  = %10u\n",
			   l->Depth, l->MaximumDepth);
		seq_printf(m, "    Size           = %10u   Max Alloc  = %10u\n",
			   l->Size, l->Size * l->MaximumDepth);
		seq_printf(m, "    AllocateMisses = %10u   FreeMisses = %10u\n",
			   l->AllocateMisses, l->FreeMisses);
		seq_printf(m, "    TotalAllocates = %10u   TotalFrees = %10u\n",
			   l->TotalAllocates, l->TotalFrees);
		seq_printf(m, "    Hit Rate       = %9u%%   Hit Rate   = %9u%%\n\n",
			   hit_rate(l->TotalAllocates, l->AllocateMisses),
			   hit_rate(l->TotalFrees, l->FreeMisses));
	}
	spin_unlock_irqrestore(&registry_lock, flags);
}

/**
 * ntpool_lookaside_start() - start the depth worker
 *
 * Return: 0.
 */
int ntpool_lookaside_start(void)
{
	schedule_delayed_work(&adjust_work, HZ);
	return 0;
}

/**
 * ntpool_lookaside_stop() - stop the depth worker, drop every list left
 *
 * Lists left when ntpool unloads belong to callers built into the kernel
 * (modules' lists went when they did): their cached entries are freed.
 */
void ntpool_lookaside_stop(void)
{
	struct lookaside *la, *tmp;
	LIST_HEAD(gone);

	cancel_delayed_work_sync(&adjust_work);
	unregister_all(NULL, true, &gone);
	list_for_each_entry_safe(la, tmp, &gone, link) {
		pr_warn("lookaside list with tag 0x%08x of %s never deleted\n",
			la->list->Tag, la->owner->name);
		drain(la);
		forget(la);
	}
	/* Their state is freed before ntpool's code goes. */
	rcu_barrier();
}
