// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "ntpool_slist": NT's SLists: the header's x64 layout, what
 * each routine returns and does to Depth and Sequence, the wrap of Depth,
 * misuse reports, and push, pop and flush racing with a hard-IRQ timer
 * that pushes and pops the same list.
 */
#include <kunit/test.h>
#include <linux/atomic.h>
#include <linux/hrtimer.h>
#include <linux/jiffies.h>
#include "ntpool_kunit.h"
#include "nt/slist.h"

#define SEQ(h)		((h)->Alignment >> 16)

static SLIST_HEADER head;
static SLIST_ENTRY e[3];

static void layout_is_wdk_x64(struct kunit *test)
{
	SLIST_HEADER h = { };

	KUNIT_EXPECT_EQ(test, sizeof(SLIST_HEADER), 16);
	KUNIT_EXPECT_EQ(test, __alignof__(SLIST_HEADER), 16);
	KUNIT_EXPECT_EQ(test, __alignof__(SLIST_ENTRY), 16);
	KUNIT_EXPECT_EQ(test, offsetof(SLIST_HEADER, Region), 8);
	h.Alignment = 0x123456789abc0005ULL;
	h.Region = (unsigned long)&e[1];
	KUNIT_EXPECT_EQ(test, (u64)h.HeaderX64.Depth, 5);
	KUNIT_EXPECT_EQ(test, (u64)h.HeaderX64.Sequence, 0x123456789abcULL);
	KUNIT_EXPECT_EQ(test, (u64)h.HeaderX64.Reserved, 0);
	KUNIT_EXPECT_EQ(test, (unsigned long)((u64)h.HeaderX64.NextEntry << 4),
			(unsigned long)&e[1]);
	KUNIT_EXPECT_EQ(test, ExQueryDepthSList(&h), 5);
	/* The lookaside list's header is its first field. */
	KUNIT_EXPECT_EQ(test, offsetof(GENERAL_LOOKASIDE, ListHead), 0);
}

static void init_makes_empty(struct kunit *test)
{
	memset(&head, 0xa5, sizeof(head));
	InitializeSListHead(&head);
	KUNIT_EXPECT_EQ(test, head.Alignment, 0);
	KUNIT_EXPECT_EQ(test, head.Region, 0);
	KUNIT_EXPECT_EQ(test, ExQueryDepthSList(&head), 0);
	KUNIT_EXPECT_NULL(test, InterlockedPopEntrySList(&head));
	KUNIT_EXPECT_NULL(test, InterlockedFlushSList(&head));
	KUNIT_EXPECT_EQ(test, head.Alignment, 0);
	KUNIT_EXPECT_EQ(test, head.Region, 0);
}

/* Push: the old first entry back, Depth and Sequence up; pop: LIFO. */
static void push_pop(struct kunit *test)
{
	int i;

	InitializeSListHead(&head);
	for (i = 0; i < 3; i++) {
		KUNIT_EXPECT_PTR_EQ(test, InterlockedPushEntrySList(&head, &e[i]),
				    i ? &e[i - 1] : NULL);
		KUNIT_EXPECT_EQ(test, ExQueryDepthSList(&head), i + 1);
		KUNIT_EXPECT_EQ(test, SEQ(&head), i + 1);
		KUNIT_EXPECT_EQ(test, head.Region, (unsigned long)&e[i]);
		KUNIT_EXPECT_PTR_EQ(test, e[i].Next, i ? &e[i - 1] : NULL);
	}
	/* Pop: Depth down, Sequence as it was. */
	for (i = 2; i >= 0; i--) {
		KUNIT_EXPECT_PTR_EQ(test, InterlockedPopEntrySList(&head), &e[i]);
		KUNIT_EXPECT_EQ(test, ExQueryDepthSList(&head), i);
		KUNIT_EXPECT_EQ(test, SEQ(&head), 3);
	}
	KUNIT_EXPECT_EQ(test, head.Region, 0);
	KUNIT_EXPECT_NULL(test, InterlockedPopEntrySList(&head));
	KUNIT_EXPECT_EQ(test, SEQ(&head), 3);
}

/* Flush: the whole chain back, Depth 0, Sequence as it was. */
static void flush_hands_back_the_chain(struct kunit *test)
{
	PSLIST_ENTRY first;
	int i;

	InitializeSListHead(&head);
	for (i = 0; i < 3; i++)
		InterlockedPushEntrySList(&head, &e[i]);
	first = InterlockedFlushSList(&head);
	KUNIT_EXPECT_PTR_EQ(test, first, &e[2]);
	KUNIT_EXPECT_PTR_EQ(test, e[2].Next, &e[1]);
	KUNIT_EXPECT_PTR_EQ(test, e[1].Next, &e[0]);
	KUNIT_EXPECT_NULL(test, e[0].Next);
	KUNIT_EXPECT_EQ(test, ExQueryDepthSList(&head), 0);
	KUNIT_EXPECT_EQ(test, SEQ(&head), 3);
	KUNIT_EXPECT_EQ(test, head.Region, 0);
	KUNIT_EXPECT_NULL(test, InterlockedFlushSList(&head));
	/* The next push goes on from the kept sequence number. */
	KUNIT_EXPECT_NULL(test, InterlockedPushEntrySList(&head, &e[0]));
	KUNIT_EXPECT_EQ(test, SEQ(&head), 4);
	KUNIT_EXPECT_EQ(test, ExQueryDepthSList(&head), 1);
}

/* x64 NT ignores the spin lock of the Ex routines. */
static void ex_names_ignore_the_lock(struct kunit *test)
{
	KSPIN_LOCK lock = 0x5a;

	ExInitializeSListHead(&head);
	KUNIT_EXPECT_NULL(test, ExInterlockedPushEntrySList(&head, &e[0], &lock));
	KUNIT_EXPECT_PTR_EQ(test, ExInterlockedPushEntrySList(&head, &e[1], &lock),
			    &e[0]);
	KUNIT_EXPECT_PTR_EQ(test, ExInterlockedPopEntrySList(&head, &lock), &e[1]);
	KUNIT_EXPECT_EQ(test, ExQueryDepthSList(&head), 1);
	KUNIT_EXPECT_PTR_EQ(test, ExInterlockedFlushSList(&head), &e[0]);
	KUNIT_EXPECT_EQ(test, ExQueryDepthSList(&head), 0);
	KUNIT_EXPECT_EQ(test, SEQ(&head), 2);
	KUNIT_EXPECT_EQ(test, lock, 0x5a);
}

/*
 * Depth is 16 bits: NT's push adds 0x10001 to the first word, so a push
 * at 65535 wraps Depth to 0 and carries into Sequence; a pop at 0
 * borrows back.
 */
static void depth_wraps_into_sequence(struct kunit *test)
{
	InitializeSListHead(&head);
	InterlockedPushEntrySList(&head, &e[0]);
	head.Alignment = 7ULL << 16 | 0xffff;
	KUNIT_EXPECT_PTR_EQ(test, InterlockedPushEntrySList(&head, &e[1]), &e[0]);
	KUNIT_EXPECT_EQ(test, ExQueryDepthSList(&head), 0);
	KUNIT_EXPECT_EQ(test, SEQ(&head), 9);
	/* Depth 0 with entries: a pop still finds them. */
	KUNIT_EXPECT_PTR_EQ(test, InterlockedPopEntrySList(&head), &e[1]);
	KUNIT_EXPECT_EQ(test, ExQueryDepthSList(&head), 0xffff);
	KUNIT_EXPECT_EQ(test, SEQ(&head), 8);
	KUNIT_EXPECT_PTR_EQ(test, InterlockedPopEntrySList(&head), &e[0]);
	KUNIT_EXPECT_EQ(test, ExQueryDepthSList(&head), 0xfffe);
}

/* The exchange used without CMPXCHG16B: all or nothing, as the real one. */
static void fallback_exchange(struct kunit *test)
{
	struct slist_words old = { { 0x30002, (unsigned long)&e[0] } };

	head.Alignment = old.w[0];
	head.Region = old.w[1];
	KUNIT_EXPECT_TRUE(test, ntpool_slist_exchange_locked(&head, &old, 0x40003,
							     (unsigned long)&e[1]));
	KUNIT_EXPECT_EQ(test, head.Alignment, 0x40003);
	KUNIT_EXPECT_EQ(test, head.Region, (unsigned long)&e[1]);
	/* A stale expectation changes nothing and is refreshed. */
	KUNIT_EXPECT_FALSE(test, ntpool_slist_exchange_locked(&head, &old, 0, 0));
	KUNIT_EXPECT_EQ(test, head.Alignment, 0x40003);
	KUNIT_EXPECT_EQ(test, head.Region, (unsigned long)&e[1]);
	KUNIT_EXPECT_EQ(test, old.w[0], 0x40003);
	KUNIT_EXPECT_EQ(test, old.w[1], (unsigned long)&e[1]);
}

static void expect_exception(struct kunit *test,
			     const struct ntpool_report_log *log,
			     unsigned int count, NTSTATUS status, u64 a3, u64 a4)
{
	KUNIT_EXPECT_EQ(test, log->count, count);
	KUNIT_EXPECT_EQ(test, log->last.code, KMODE_EXCEPTION_NOT_HANDLED);
	KUNIT_EXPECT_EQ(test, log->last.args[0], (u32)status);
	/* Arg2, where it was raised, is inside this test. */
	KUNIT_EXPECT_NE(test, log->last.args[1], 0);
	KUNIT_EXPECT_EQ(test, log->last.args[2], a3);
	KUNIT_EXPECT_EQ(test, log->last.args[3], a4);
}

/*
 * NT raises STATUS_DATATYPE_MISALIGNMENT for a misaligned header, and
 * faults writing a NULL entry's Next: reported, the list untouched.
 */
static void misuse_is_reported(struct kunit *test)
{
	struct ntpool_report_log *log = ntpool_catch_reports(test);
	static u8 buf[64] __aligned(16);
	PSLIST_HEADER odd = (PSLIST_HEADER)(buf + 8);
	PSLIST_ENTRY odd_entry = (PSLIST_ENTRY)(buf + 40);

	memset(buf, 0x11, sizeof(buf));
	InitializeSListHead(odd);
	expect_exception(test, log, 1, STATUS_DATATYPE_MISALIGNMENT,
			 (unsigned long)odd, 0);
	KUNIT_EXPECT_EQ(test, buf[8], 0x11);
	KUNIT_EXPECT_NULL(test, InterlockedPushEntrySList(odd, &e[0]));
	expect_exception(test, log, 2, STATUS_DATATYPE_MISALIGNMENT,
			 (unsigned long)odd, 0);
	KUNIT_EXPECT_NULL(test, InterlockedPopEntrySList(odd));
	KUNIT_EXPECT_NULL(test, InterlockedFlushSList(odd));
	KUNIT_EXPECT_EQ(test, log->count, 4u);

	InitializeSListHead(&head);
	InterlockedPushEntrySList(&head, &e[0]);
	KUNIT_EXPECT_NULL(test, InterlockedPushEntrySList(&head, odd_entry));
	expect_exception(test, log, 5, STATUS_DATATYPE_MISALIGNMENT,
			 (unsigned long)odd_entry, 0);
	KUNIT_EXPECT_NULL(test, InterlockedPushEntrySList(&head, NULL));
	expect_exception(test, log, 6, STATUS_ACCESS_VIOLATION, 1, 0);
	/* The list is as it was. */
	KUNIT_EXPECT_EQ(test, ExQueryDepthSList(&head), 1);
	KUNIT_EXPECT_EQ(test, SEQ(&head), 1);
	KUNIT_EXPECT_EQ(test, head.Region, (unsigned long)&e[0]);
	KUNIT_EXPECT_EQ(test, buf[40], 0x11);
}

/*
 * Racing a hard interrupt.  UML has one CPU, so the interleaving comes
 * from an hrtimer that fires every 20 microseconds in hard-IRQ context
 * and pops and pushes the list the test thread is pushing, popping and
 * flushing, putting an entry back first with another Next (the ABA case).
 * Every entry carries a holder count: taken off the list it must be held
 * by nobody else.  In the end every entry is on the list exactly once,
 * Depth is their number, and Sequence is the number of pushes.  The run
 * ends on counts (timer shots, and shots that landed while the thread was
 * inside a list routine), not on time; the time bound only turns a timer
 * that never fires into a failure.
 */
#define RACE_ENTRIES	64
#define RACE_SHOTS	3000
#define RACE_INSIDE	300

static struct race {
	SLIST_HEADER head;
	SLIST_ENTRY entry[RACE_ENTRIES];
	atomic_t held[RACE_ENTRIES];
	struct hrtimer timer;
	PSLIST_ENTRY kept;	/* by the timer, from one shot to the next */
	atomic_t twice;		/* an entry handed out while held */
	atomic_t shots, inside;
	atomic64_t pushes;
	bool in_routine, stop;
} race;

static void take(PSLIST_ENTRY entry)
{
	if (atomic_inc_return(&race.held[entry - race.entry]) != 1)
		atomic_inc(&race.twice);
}

static void give_back(PSLIST_ENTRY entry)
{
	atomic_dec(&race.held[entry - race.entry]);
	InterlockedPushEntrySList(&race.head, entry);
	atomic64_inc(&race.pushes);
}

/*
 * Pop X and Y, push back the entry kept from the last shot, then X, and
 * keep Y: X is first again, with another Next.  A thread interrupted in
 * a pop of X, holding X's old Next (Y), must not install Y: that is what
 * the sequence number is for (without it, this test fails).
 */
static enum hrtimer_restart race_shot(struct hrtimer *t)
{
	PSLIST_ENTRY x, y;

	if (READ_ONCE(race.in_routine))
		atomic_inc(&race.inside);
	x = InterlockedPopEntrySList(&race.head);
	y = InterlockedPopEntrySList(&race.head);
	if (x)
		take(x);
	if (y)
		take(y);
	if (race.kept)
		give_back(race.kept);
	if (x)
		give_back(x);
	race.kept = y;
	atomic_inc(&race.shots);
	if (READ_ONCE(race.stop))
		return HRTIMER_NORESTART;
	hrtimer_forward_now(t, ns_to_ktime(20 * NSEC_PER_USEC));
	return HRTIMER_RESTART;
}

static PSLIST_ENTRY thread_pop(void)
{
	PSLIST_ENTRY entry;

	WRITE_ONCE(race.in_routine, true);
	entry = InterlockedPopEntrySList(&race.head);
	WRITE_ONCE(race.in_routine, false);
	return entry;
}

/* Flush, then push the chain back one entry at a time. */
static void thread_flush(void)
{
	PSLIST_ENTRY entry, next;

	WRITE_ONCE(race.in_routine, true);
	entry = InterlockedFlushSList(&race.head);
	WRITE_ONCE(race.in_routine, false);
	for (; entry; entry = next) {
		next = entry->Next;
		take(entry);
		WRITE_ONCE(race.in_routine, true);
		give_back(entry);
		WRITE_ONCE(race.in_routine, false);
	}
}

static void race_thread(void)
{
	unsigned long until = jiffies + 60 * HZ;
	unsigned int loops = 0;
	PSLIST_ENTRY entry;

	while ((atomic_read(&race.shots) < RACE_SHOTS ||
		atomic_read(&race.inside) < RACE_INSIDE) &&
	       time_before(jiffies, until)) {
		if (++loops % 64 == 0) {
			thread_flush();
			continue;
		}
		entry = thread_pop();
		if (!entry)
			continue;
		take(entry);
		WRITE_ONCE(race.in_routine, true);
		give_back(entry);
		WRITE_ONCE(race.in_routine, false);
		cond_resched();
	}
}

static void races_with_a_hard_irq(struct kunit *test)
{
	PSLIST_ENTRY entry;
	int i, seen = 0;

	memset(&race, 0, sizeof(race));
	InitializeSListHead(&race.head);
	for (i = 0; i < RACE_ENTRIES; i++) {
		take(&race.entry[i]);
		give_back(&race.entry[i]);
	}
	hrtimer_init(&race.timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_HARD);
	race.timer.function = race_shot;
	hrtimer_start(&race.timer, ns_to_ktime(20 * NSEC_PER_USEC),
		      HRTIMER_MODE_REL_HARD);
	race_thread();
	WRITE_ONCE(race.stop, true);
	hrtimer_cancel(&race.timer);
	if (race.kept)
		give_back(race.kept);

	KUNIT_EXPECT_GE(test, atomic_read(&race.shots), RACE_SHOTS);
	KUNIT_EXPECT_GE(test, atomic_read(&race.inside), RACE_INSIDE);
	KUNIT_EXPECT_EQ(test, atomic_read(&race.twice), 0);
	KUNIT_EXPECT_EQ(test, ExQueryDepthSList(&race.head), RACE_ENTRIES);
	KUNIT_EXPECT_EQ(test, SEQ(&race.head), atomic64_read(&race.pushes));
	for (entry = InterlockedFlushSList(&race.head); entry && seen <= RACE_ENTRIES;
	     entry = entry->Next) {
		KUNIT_EXPECT_EQ(test, atomic_inc_return(&race.held[entry - race.entry]), 1);
		seen++;
	}
	KUNIT_EXPECT_EQ(test, seen, RACE_ENTRIES);
	kunit_info(test, "%d timer shots, %d inside a list routine, %lld pushes\n",
		   atomic_read(&race.shots), atomic_read(&race.inside),
		   (long long)atomic64_read(&race.pushes));
}

static struct kunit_case ntpool_slist_cases[] = {
	KUNIT_CASE(layout_is_wdk_x64),
	KUNIT_CASE(init_makes_empty),
	KUNIT_CASE(push_pop),
	KUNIT_CASE(flush_hands_back_the_chain),
	KUNIT_CASE(ex_names_ignore_the_lock),
	KUNIT_CASE(depth_wraps_into_sequence),
	KUNIT_CASE(fallback_exchange),
	KUNIT_CASE(misuse_is_reported),
	KUNIT_CASE(races_with_a_hard_irq),
	{}
};

static struct kunit_suite ntpool_slist_suite = {
	.name = "ntpool_slist",
	.test_cases = ntpool_slist_cases,
};

kunit_test_suite(ntpool_slist_suite);

MODULE_DESCRIPTION("KUnit tests for ntpool's SLists");
MODULE_LICENSE("GPL");
