// SPDX-License-Identifier: GPL-2.0
/*
 * ntslist - an SMP stress of NT's SLists and of a lookaside list's
 * ListHead (tools/test/vm/lookaside.sh).
 *
 * Loading it runs, before insmod returns:
 *  - a worker kthread bound to each online CPU that pops two entries off
 *    one shared SList, X and Y, checks them, pushes back the entry it kept
 *    from its last step, then X, and keeps Y: X is first again with
 *    another Next while other CPUs may hold its old one (the ABA case the
 *    sequence number defeats).  One X in four is freed and a new entry
 *    from ExAllocatePool2() pushed instead, which ntpool most often hands
 *    out at the address just freed;
 *  - a hard-IRQ hrtimer doing the same from interrupt context;
 *  - on each worker, allocations and frees on one shared non-paged
 *    lookaside list.
 *
 * Every entry holds a holder count and a pattern: popped, it must be held
 * by nobody else, and its pattern intact.  When all are done the list is
 * flushed: it must hold each entry once, as many as were put in, its depth
 * their number and its sequence number the count of pushes.  The lookaside
 * list's ListHead must be a chain of exactly ExQueryDepthSList() entries.
 * The run is bounded by counts; parameters/stats holds the results.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/hrtimer.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/prandom.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/sysfs.h>
#include <ntpool/ntpool.h>

#define ENTRY_TAG	('lStN')	/* "NtSl" */
#define LA_TAG		('aStN')	/* "NtSa" */
#define ENTRY_MAGIC	0x534c6973u

static unsigned int ops = 20000;
module_param(ops, uint, 0444);
MODULE_PARM_DESC(ops, "Steps (two pops, two pushes) per worker (default 20000)");
static unsigned int entries = 16;
module_param(entries, uint, 0444);
MODULE_PARM_DESC(entries, "Entries on the shared list (default 16)");
static unsigned int timer_ops = 2000;
module_param(timer_ops, uint, 0444);
MODULE_PARM_DESC(timer_ops, "Hard-IRQ timer shots (default 2000)");
static bool corrupt_lists;
module_param_named(corrupt, corrupt_lists, bool, 0444);
MODULE_PARM_DESC(corrupt,
		 "Instead of the stress, lists whose chain points nowhere (default N)");

/* Non-canonical and 16-byte aligned: no CPU can read an entry there. */
#define NOWHERE	((PSLIST_ENTRY)0xdead000000000000UL)

struct entry {
	SLIST_ENTRY link;
	atomic_t held;
	u32 magic;
	unsigned long check;	/* the entry's address, inverted */
};

static SLIST_HEADER Shared;
static NPAGED_LOOKASIDE_LIST Lookaside;

static atomic64_t pushes, pops, empty, reallocs, twice, corrupt, no_memory;
static atomic64_t la_ops;
static atomic_t workers_left, timer_shots;
static DECLARE_COMPLETION(all_done);
static struct hrtimer timer;

/* The final counts, for parameters/stats. */
static struct {
	unsigned int workers, count, depth, unique;
	u64 sequence, la_depth, la_chain;
	bool seq_ok;
} result;

static struct entry *new_entry(void)
{
	struct entry *e = ExAllocatePool2(POOL_FLAG_NON_PAGED, sizeof(*e),
					  ENTRY_TAG);

	if (!e)
		return NULL;
	atomic_set(&e->held, 0);
	e->magic = ENTRY_MAGIC;
	e->check = ~(unsigned long)e;
	return e;
}

static void push(struct entry *e)
{
	atomic_dec(&e->held);
	InterlockedPushEntrySList(&Shared, &e->link);
	atomic64_inc(&pushes);
}

/* Pop an entry and check it; NULL if the list was empty. */
static struct entry *pop_checked(void)
{
	struct entry *e = (struct entry *)InterlockedPopEntrySList(&Shared);

	if (!e) {
		atomic64_inc(&empty);
		return NULL;
	}
	atomic64_inc(&pops);
	if (atomic_inc_return(&e->held) != 1)
		atomic64_inc(&twice);
	if (e->magic != ENTRY_MAGIC || e->check != ~(unsigned long)e)
		atomic64_inc(&corrupt);
	return e;
}

/* One time in four, @e is freed and a new entry takes its place. */
static struct entry *maybe_realloc(struct entry *e)
{
	struct entry *fresh;

	if (get_random_u32_below(4))
		return e;
	fresh = new_entry();
	if (!fresh) {
		atomic64_inc(&no_memory);
		return e;
	}
	atomic_inc(&fresh->held);
	e->magic = 0;
	ExFreePoolWithTag(e, ENTRY_TAG);
	atomic64_inc(&reallocs);
	return fresh;
}

/*
 * Pop X and Y, push back the entry kept from the last step, then X (or
 * the entry that replaced it, most often at X's address), and keep Y: X
 * is first again with another Next while other CPUs may be in a pop of
 * X that read its old Next, Y (the ABA case).
 */
static void step(struct entry **kept)
{
	struct entry *x = pop_checked(), *y = pop_checked();

	if (*kept)
		push(*kept);
	if (x)
		push(maybe_realloc(x));
	*kept = y;
}

static void lookaside_step(void)
{
	PVOID a = ExAllocateFromNPagedLookasideList(&Lookaside);
	PVOID b = ExAllocateFromNPagedLookasideList(&Lookaside);

	if (a)
		ExFreeToNPagedLookasideList(&Lookaside, a);
	if (b)
		ExFreeToNPagedLookasideList(&Lookaside, b);
	atomic64_inc(&la_ops);
}

static int worker(void *unused)
{
	struct entry *kept = NULL;
	unsigned int i;

	for (i = 0; i < ops; i++) {
		step(&kept);
		if (i % 4 == 0)
			lookaside_step();
		if (i % 256 == 0)
			cond_resched();
	}
	if (kept)
		push(kept);
	if (atomic_dec_and_test(&workers_left))
		complete(&all_done);
	return 0;
}

/* ntpool's non-paged pool works in hard IRQs: reallocation too. */
static enum hrtimer_restart shot(struct hrtimer *t)
{
	static struct entry *kept;

	step(&kept);
	if (atomic_inc_return(&timer_shots) >= timer_ops) {
		if (kept)
			push(kept);
		kept = NULL;
		if (atomic_dec_and_test(&workers_left))
			complete(&all_done);
		return HRTIMER_NORESTART;
	}
	hrtimer_forward_now(t, ns_to_ktime(50 * NSEC_PER_USEC));
	return HRTIMER_RESTART;
}

static int cmp_ptr(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a, y = *(const unsigned long *)b;

	return x < y ? -1 : x > y;
}

/* Flush the shared list: each entry once, as many as put in; free them. */
static void count_and_free(void)
{
	unsigned long *seen = kcalloc(entries + 1, sizeof(*seen), GFP_KERNEL);
	PSLIST_ENTRY link, next;
	unsigned int n = 0, i;

	result.depth = ExQueryDepthSList(&Shared);
	result.sequence = Shared.Alignment >> 16;
	result.seq_ok = result.sequence == atomic64_read(&pushes);
	link = InterlockedFlushSList(&Shared);
	for (; link; link = next, n++) {
		next = link->Next;
		if (seen && n <= entries)
			seen[n] = (unsigned long)link;
		if (n > entries)	/* a cycle, or more than put in */
			break;
	}
	result.count = n;
	if (seen && n <= entries) {
		sort(seen, n, sizeof(*seen), cmp_ptr, NULL);
		result.unique = n;
		for (i = 1; i < n; i++)
			if (seen[i] == seen[i - 1])
				result.unique--;
		for (i = 0; i < n; i++)
			ExFreePoolWithTag((void *)seen[i], ENTRY_TAG);
	}
	kfree(seen);
}

/* The lookaside list's ListHead, quiescent: a chain of Depth entries. */
static void check_lookaside(void)
{
	PSLIST_ENTRY link = (PSLIST_ENTRY)(unsigned long)Lookaside.L.ListHead.Region;
	u64 n = 0;

	result.la_depth = ExQueryDepthSList(&Lookaside.L.ListHead);
	for (; link && n <= 0x10000; link = link->Next)
		n++;
	result.la_chain = n;
}

/* Start a worker on each online CPU, or none. */
static int start_workers(void)
{
	struct task_struct **t = kcalloc(nr_cpu_ids, sizeof(*t), GFP_KERNEL);
	int cpu, err = 0;

	if (!t)
		return -ENOMEM;
	cpus_read_lock();
	result.workers = num_online_cpus();
	atomic_set(&workers_left, result.workers + 1);
	for_each_online_cpu(cpu) {
		t[cpu] = kthread_create_on_cpu(worker, NULL, cpu, "ntslist/%u");
		if (IS_ERR(t[cpu])) {
			err = PTR_ERR(t[cpu]);
			t[cpu] = NULL;
			break;
		}
	}
	/* Not one has run yet: stopped before they start, they never will. */
	for_each_online_cpu(cpu)
		if (t[cpu])
			err ? kthread_stop(t[cpu]) : wake_up_process(t[cpu]);
	cpus_read_unlock();
	kfree(t);
	return err;
}

/*
 * A client that overwrites a chain it handed to ntpool: a header whose
 * first entry is nowhere, and a lookaside list one of whose cached
 * entries' Next is.  Each must be reported (0x1E, STATUS_ACCESS_VIOLATION,
 * by tools/test/vm/lookaside.sh) and survived: the pop returns NULL, the
 * delete leaves the entries allocated rather than follow the chain.
 */
static struct {
	bool pop_null, entries_left;
} bad;

static void corrupt_checks(void)
{
	static SLIST_HEADER head;
	PSLIST_ENTRY e[2];

	InitializeSListHead(&head);
	WRITE_ONCE(head.Region, (unsigned long)NOWHERE);
	WRITE_ONCE(head.Alignment, 1);	/* depth 1 */
	bad.pop_null = !InterlockedPopEntrySList(&head);

	ExInitializeNPagedLookasideList(&Lookaside, NULL, NULL, 0, 64, LA_TAG, 0);
	e[0] = ExAllocateFromNPagedLookasideList(&Lookaside);
	e[1] = ExAllocateFromNPagedLookasideList(&Lookaside);
	if (!e[0] || !e[1])
		goto out;
	ExFreeToNPagedLookasideList(&Lookaside, e[0]);
	ExFreeToNPagedLookasideList(&Lookaside, e[1]);
	/* The chain is e[1], e[0], nowhere. */
	WRITE_ONCE(e[0]->Next, NOWHERE);
	ExDeleteNPagedLookasideList(&Lookaside);
	/* Left allocated: freeing them now is no double free. */
	bad.entries_left = true;
out:
	if (e[0])
		ExFreePoolWithTag(e[0], LA_TAG);
	if (e[1])
		ExFreePoolWithTag(e[1], LA_TAG);
	if (!bad.entries_left)
		ExDeleteNPagedLookasideList(&Lookaside);
}

static int __init ntslist_init(void)
{
	struct entry *e;
	unsigned int i;
	int err = -ENOMEM;

	if (corrupt_lists) {
		corrupt_checks();
		return 0;
	}
	if (!entries)
		return -EINVAL;
	InitializeSListHead(&Shared);
	ExInitializeNPagedLookasideList(&Lookaside, NULL, NULL, 0, 64, LA_TAG, 0);
	for (i = 0; i < entries; i++) {
		e = new_entry();
		if (!e)
			goto fail;
		atomic_inc(&e->held);
		push(e);
	}
	err = start_workers();
	if (err)
		goto fail;
	hrtimer_init(&timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_HARD);
	timer.function = shot;
	hrtimer_start(&timer, ns_to_ktime(50 * NSEC_PER_USEC), HRTIMER_MODE_REL_HARD);
	wait_for_completion(&all_done);
	hrtimer_cancel(&timer);
	count_and_free();
	check_lookaside();
	pr_info("%u workers: %lld pops, %lld pushes, %lld reallocations, %lld handed out twice, %lld corrupt; %u of %u entries back, %u distinct, depth %u, sequence %llu\n",
		result.workers, (long long)atomic64_read(&pops),
		(long long)atomic64_read(&pushes),
		(long long)atomic64_read(&reallocs),
		(long long)atomic64_read(&twice),
		(long long)atomic64_read(&corrupt), result.count, entries,
		result.unique, result.depth, result.sequence);
	return 0;

fail:
	while ((e = (struct entry *)InterlockedPopEntrySList(&Shared)))
		ExFreePoolWithTag(e, ENTRY_TAG);
	ExDeleteNPagedLookasideList(&Lookaside);
	return err;
}

static void __exit ntslist_exit(void)
{
	if (!corrupt_lists)
		ExDeleteNPagedLookasideList(&Lookaside);
}

static int stats_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf,
			  "workers %u\ntimer_shots %d\npops %lld\npushes %lld\nempty %lld\nreallocs %lld\nno_memory %lld\ntwice %lld\ncorrupt %lld\ncount %u\nunique %u\ndepth %u\nsequence_is_pushes %d\nlookaside_ops %lld\nlookaside_depth %llu\nlookaside_chain %llu\nlookaside_list_depth %u\nlookaside_allocs %u\nlookaside_frees %u\nbad_pop_null %d\nbad_entries_left %d\n",
			  result.workers, atomic_read(&timer_shots),
			  (long long)atomic64_read(&pops),
			  (long long)atomic64_read(&pushes),
			  (long long)atomic64_read(&empty),
			  (long long)atomic64_read(&reallocs),
			  (long long)atomic64_read(&no_memory),
			  (long long)atomic64_read(&twice),
			  (long long)atomic64_read(&corrupt), result.count,
			  result.unique, result.depth, result.seq_ok,
			  (long long)atomic64_read(&la_ops), result.la_depth,
			  result.la_chain, Lookaside.L.Depth,
			  Lookaside.L.TotalAllocates, Lookaside.L.TotalFrees,
			  bad.pop_null, bad.entries_left);
}

static const struct kernel_param_ops stats_ops = { .get = stats_get };
module_param_cb(stats, &stats_ops, NULL, 0444);
MODULE_PARM_DESC(stats, "Counts of the run (read only)");

module_init(ntslist_init);
module_exit(ntslist_exit);

MODULE_DESCRIPTION("ntpool sample: SMP stress of SLists and a lookaside list's ListHead");
MODULE_LICENSE("GPL");
