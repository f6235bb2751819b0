// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "ntpool_verifier": Driver Verifier for ntpool clients: the
 * counters, Pool Tracking, the leak check at unload and 0xC4/0x61, the
 * 0xC4 variants of misuse, overrun detection, PoolHitTag and low-resources
 * simulation.
 */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/hrtimer.h>
#include <linux/ratelimit.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include "ntpool_kunit.h"
#include "core/leaks.h"
#include "nt/unload.h"
#include "views/debugfs.h"
#include "verifier/faults.h"
#include "verifier/hit_tag.h"
#include "nt/lookaside.h"
#include "core/special.h"
#include "accounting/tags.h"
#include "verifier/verifier.h"

static struct ntpool_client *self(void)
{
	return ntpool_client(ntpool_client_id(NULL));
}

static struct ntpool_verifier_stats counters(void)
{
	struct ntpool_verifier_stats st;

	ntpool_client_verifier_read(self(), &st);
	return st;
}

static u64 delta(const struct ntpool_verifier_stats *after,
		 const struct ntpool_verifier_stats *before,
		 enum ntpool_vcounter which)
{
	return after->count[which] - before->count[which];
}

static void verifier_exit(struct kunit *test)
{
	ntpool_verify_set("none");
	ntpool_hit_tag_set("0");
	ntpool_special_set("none");
}

static void counters_after_known_sequence(struct kunit *test)
{
	struct ntpool_report_log *log = ntpool_catch_reports(test);
	struct ntpool_verifier_stats before = counters(), after;
	struct ntpool_usage_stats u0, u1;
	void *p[5];

	ntpool_usage_read(&self()->usage, &u0);
	p[0] = ExAllocatePool2(POOL_FLAG_PAGED, 100, 'CfrV');
	p[1] = ExAllocatePool2(POOL_FLAG_NON_PAGED, 200, 'CfrV');
	p[2] = ExAllocatePool2(POOL_FLAG_NON_PAGED, 3 * PAGE_SIZE, 'CfrV');
	p[3] = ExAllocatePool(PagedPool, 50);
	KUNIT_EXPECT_NULL(test, ExAllocatePool2(POOL_FLAG_PAGED, SIZE_MAX, 'CfrV'));
	/* Unverified, as on retail NT: the smallest block. */
	p[4] = ExAllocatePoolWithTag(PagedPool, 0, 'CfrV');
	KUNIT_EXPECT_NOT_NULL(test, p[4]);
	ntpool_usage_read(&self()->usage, &u1);
	after = counters();
	KUNIT_EXPECT_EQ(test, delta(&after, &before, NTPOOL_VC_ATTEMPTED), 6ULL);
	KUNIT_EXPECT_EQ(test, delta(&after, &before, NTPOOL_VC_SUCCEEDED), 5ULL);
	KUNIT_EXPECT_EQ(test, delta(&after, &before, NTPOOL_VC_FAILED), 1ULL);
	KUNIT_EXPECT_EQ(test, delta(&after, &before, NTPOOL_VC_NO_TAG), 1ULL);
	/* Unverified: none of the five has a tracking record. */
	KUNIT_EXPECT_EQ(test, delta(&after, &before, NTPOOL_VC_UNTRACKED), 5ULL);
	KUNIT_EXPECT_EQ(test, u1.count[NTPOOL_PAGED] - u0.count[NTPOOL_PAGED], 3LL);
	KUNIT_EXPECT_EQ(test, u1.count[NTPOOL_NONPAGED] - u0.count[NTPOOL_NONPAGED], 2LL);
	/*
	 * 100, 50 and 0 bytes: 8, 5 and 2 units; 200 bytes: 14 units;
	 * 3 pages.
	 */
	KUNIT_EXPECT_EQ(test, u1.bytes[NTPOOL_PAGED] - u0.bytes[NTPOOL_PAGED],
			(s64)(128 + 80 + 32));
	KUNIT_EXPECT_EQ(test, u1.bytes[NTPOOL_NONPAGED] - u0.bytes[NTPOOL_NONPAGED],
			(s64)(224 + 3 * PAGE_SIZE));
	KUNIT_EXPECT_EQ(test, log->count, 0u);
	ExFreePool(p[0]);
	ExFreePool(p[1]);
	ExFreePool(p[2]);
	ExFreePool(p[3]);
	ExFreePool(p[4]);
	ntpool_usage_read(&self()->usage, &u1);
	KUNIT_EXPECT_EQ(test, u1.count[NTPOOL_PAGED], u0.count[NTPOOL_PAGED]);
	KUNIT_EXPECT_EQ(test, u1.bytes[NTPOOL_NONPAGED], u0.bytes[NTPOOL_NONPAGED]);
	KUNIT_EXPECT_GE(test, u1.peak_bytes[NTPOOL_NONPAGED], (s64)(3 * PAGE_SIZE));
}

static void verify_drivers_setting(struct kunit *test)
{
	static const char * const bad[] = { "x:half", "bad/name", "a b:", ":full",
					    "" };
	unsigned int i;

	KUNIT_EXPECT_EQ(test, ntpool_verify_set("none"), 0);
	KUNIT_EXPECT_EQ(test, ntpool_verify_level_for("vmlinux"), NTPOOL_VERIFY_NONE);
	KUNIT_EXPECT_EQ(test, ntpool_verify_set("ntsample, other:full"), 0);
	KUNIT_EXPECT_EQ(test, ntpool_verify_level_for("ntsample"), NTPOOL_VERIFY_TRACK);
	KUNIT_EXPECT_EQ(test, ntpool_verify_level_for("other"), NTPOOL_VERIFY_FULL);
	KUNIT_EXPECT_EQ(test, ntpool_verify_level_for("vmlinux"), NTPOOL_VERIFY_NONE);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		KUNIT_EXPECT_EQ_MSG(test, ntpool_verify_set(bad[i]), -EINVAL,
				    "setting \"%s\"", bad[i]);
		/* A refused setting changes nothing. */
		KUNIT_EXPECT_EQ(test, ntpool_verify_level_for("ntsample"),
				NTPOOL_VERIFY_TRACK);
	}
	KUNIT_EXPECT_EQ(test, ntpool_verify_set("*"), 0);
	KUNIT_EXPECT_EQ(test, ntpool_verify_level_for("anything"), NTPOOL_VERIFY_TRACK);
	KUNIT_EXPECT_EQ(test, READ_ONCE(self()->verify), NTPOOL_VERIFY_TRACK);
}

static void pool_tracking(struct kunit *test)
{
	unsigned long caller = 0;
	unsigned int frames = 99;
	void *p, *q;

	struct ntpool_verifier_stats before = counters(), after;

	KUNIT_ASSERT_EQ(test, ntpool_verify_set("vmlinux"), 0);
	before = counters();
	p = ExAllocatePool2(POOL_FLAG_PAGED, 100, 'krTV');
	KUNIT_ASSERT_NOT_NULL(test, p);
	after = counters();
	KUNIT_EXPECT_EQ(test, delta(&after, &before, NTPOOL_VC_UNTRACKED), 0ULL);
	KUNIT_ASSERT_TRUE(test, ntpool_verifier_caller(p, &caller, &frames));
	KUNIT_EXPECT_TRUE(test, caller >= (unsigned long)pool_tracking &&
			  caller < (unsigned long)pool_tracking + 0x1000);
	KUNIT_EXPECT_EQ(test, frames, 0u);
	ExFreePool(p);
	KUNIT_EXPECT_FALSE(test, ntpool_verifier_caller(p, &caller, NULL));

	/* :full records the allocation stack too. */
	KUNIT_ASSERT_EQ(test, ntpool_verify_set("vmlinux:full"), 0);
	q = ExAllocatePool2(POOL_FLAG_NON_PAGED, 2 * PAGE_SIZE, 'krTV');
	KUNIT_ASSERT_NOT_NULL(test, q);
	KUNIT_ASSERT_TRUE(test, ntpool_verifier_caller(q, &caller, &frames));
	KUNIT_EXPECT_GT(test, frames, 0u);
	ExFreePool(q);

	/* Unverified, nothing is recorded. */
	KUNIT_ASSERT_EQ(test, ntpool_verify_set("none"), 0);
	p = ExAllocatePool2(POOL_FLAG_PAGED, 100, 'krTV');
	KUNIT_EXPECT_FALSE(test, ntpool_verifier_caller(p, &caller, NULL));
	ExFreePool(p);
}

static void verified_misuse_uses_c4(struct kunit *test)
{
	struct ntpool_report_log *log = ntpool_catch_reports(test);
	void *p = ExAllocatePool2(POOL_FLAG_PAGED, 64, 'ciMV');
	spinlock_t lock;	/* held: the atomic context under test */

	/* On the stack: lockdep needs the key spin_lock_init() gives. */
	spin_lock_init(&lock);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_EQ(test, ntpool_verify_set("vmlinux"), 0);
	KUNIT_EXPECT_NULL(test, ExAllocatePoolWithTag(NonPagedPool, 0, 'ciMV'));
	ntpool_expect_report(test, log, 1, DRIVER_VERIFIER_DETECTED_VIOLATION,
			     0x00, PASSIVE_LEVEL, NonPagedPool, 0);
	spin_lock(&lock);
	KUNIT_EXPECT_NULL(test, ExAllocatePool2(POOL_FLAG_PAGED, 64, 'ciMV'));
	ntpool_expect_report(test, log, 2, DRIVER_VERIFIER_DETECTED_VIOLATION,
			     0x01, DISPATCH_LEVEL, PagedPool, 64);
	ExFreePool(p);
	ntpool_expect_report(test, log, 3, DRIVER_VERIFIER_DETECTED_VIOLATION,
			     0x11, DISPATCH_LEVEL, PagedPool, (unsigned long)p);
	spin_unlock(&lock);
	ExFreePool(p);
	KUNIT_EXPECT_EQ(test, log->count, 3u);
}

static void overrun_detected_on_free(struct kunit *test)
{
	struct ntpool_report_log *log = ntpool_catch_reports(test);
	u8 *p = ExAllocatePool2(POOL_FLAG_NON_PAGED, 20, 'nrvO');
	u8 *big = ExAllocatePool2(POOL_FLAG_PAGED, 5000, 'nrvO');
	u8 *exact = ExAllocatePool2(POOL_FLAG_PAGED, 48, 'nrvO');

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_NOT_NULL(test, big);
	KUNIT_ASSERT_NOT_NULL(test, exact);
	p[20] = 0x5a;
	ExFreePool(p);
	ntpool_expect_report(test, log, 1, BAD_POOL_HEADER, 0x21,
			     (unsigned long)p, 20, 0x5a);
	/* The block is freed all the same: a second free is a double free. */
	ExFreePool(p);
	KUNIT_EXPECT_EQ(test, log->last.args[0], 0x07ULL);
	big[5000 + 100] = 1;
	ExFreePool(big);
	ntpool_expect_report(test, log, 3, BAD_POOL_HEADER, 0x21,
			     (unsigned long)big, 5000, 1);
	/* No slack, nothing to check; writing within the block is fine. */
	exact[47] = 1;
	ExFreePool(exact);
	KUNIT_EXPECT_EQ(test, log->count, 3u);
}

/*
 * The inline slack check itself, on a block's last unit: for every slack
 * shorter than 16 bytes, a changed byte anywhere in it is seen, a changed
 * byte in front of it is not; a slack of a unit or more, or a request
 * larger than the block, is left to the full check, intact or not.
 */
static void slack_words_read_exactly(struct kunit *test)
{
	u64 unit[2] __aligned(16);
	u8 *b = (u8 *)unit;
	unsigned int slack, at;

	for (slack = 1; slack < NTPOOL_BLOCK_SIZE; slack++) {
		size_t requested = NTPOOL_BLOCK_SIZE - slack;

		memset(unit, NTPOOL_SLACK_PATTERN, sizeof(unit));
		KUNIT_EXPECT_TRUE(test, ntpool_slack_intact(unit, requested,
							    NTPOOL_BLOCK_SIZE));
		for (at = 0; at < NTPOOL_BLOCK_SIZE; at++) {
			memset(unit, NTPOOL_SLACK_PATTERN, sizeof(unit));
			b[at] = 0x5a;
			KUNIT_EXPECT_EQ_MSG(test,
					    ntpool_slack_intact(unit, requested,
								NTPOOL_BLOCK_SIZE),
					    at < requested,
					    "slack %u, byte %u", slack, at);
		}
	}
	KUNIT_EXPECT_TRUE(test, ntpool_slack_intact(unit, 16, 16));
	memset(unit, NTPOOL_SLACK_PATTERN, sizeof(unit));
	/* A whole unit of slack: 0 bytes in 16, or 16 in 32. */
	KUNIT_EXPECT_FALSE(test, ntpool_slack_intact(unit, 0, 16));
	KUNIT_EXPECT_FALSE(test, ntpool_slack_intact(unit, 16, 32));
	/* 17 bytes: more than one unit's worth. */
	KUNIT_EXPECT_FALSE(test, ntpool_slack_intact(unit, 15, 32));
	/* A header that asks for more than its block holds. */
	KUNIT_EXPECT_FALSE(test, ntpool_slack_intact(unit, 17, 16));
}

/*
 * The free reads a slack of up to one unit in two words (pool.h): a byte
 * changed anywhere in a slack of any length is found, and one just in
 * front of it is not.  Each size is freed twice, so that the second block
 * comes from this CPU's cache and goes back through the fast path.
 */
static void slack_checked_at_every_length(struct kunit *test)
{
	struct ntpool_report_log *log = ntpool_catch_reports(test);
	static const size_t rooms[] = { 64, 1024 };
	unsigned int r, slack, at, round, reports = 0;

	for (r = 0; r < ARRAY_SIZE(rooms); r++)
		for (slack = 1; slack < NTPOOL_BLOCK_SIZE; slack++)
			for (at = 0; at < slack; at++)
				for (round = 0; round < 2; round++) {
					size_t size = rooms[r] - slack;
					u8 *p = ExAllocatePool2(POOL_FLAG_NON_PAGED |
								POOL_FLAG_UNINITIALIZED,
								size, 'klsS');

					KUNIT_ASSERT_NOT_NULL(test, p);
					/* The client's own last byte: not an overrun. */
					p[size - 1] = 0x5a;
					p[size + at] = 0x5a;
					ExFreePoolWithTag(p, 'klsS');
					ntpool_expect_report(test, log, ++reports,
							     BAD_POOL_HEADER, 0x21,
							     (unsigned long)p, size,
							     0x5a);
				}
}

/*
 * A module that "unloads" without freeing.  Only its address is used (the
 * KUnit kernel has no module support, where module_name() reads nothing).
 */
static u64 fake_module_storage[64];
#define fake_module (*(struct module *)fake_module_storage)

static const char leftover_counts[] =
	"      Current Pool Allocations: ( 0x00000001 / 0x00000001 )\n";

static void leak_check_at_unload(struct kunit *test)
{
	struct ntpool_report_log *log = ntpool_catch_reports(test);
	struct ntpool_caller caller = { .module = &fake_module, .ip = _THIS_IP_ };
	char name[MODULE_NAME_LEN];
	struct ntpool_client *c;
	unsigned int free_ids;
	struct seq_file *m;
	void *p[3];
	u8 id;

	p[0] = ntpool_allocate(POOL_FLAG_PAGED, 40, 'dcba', caller);
	p[1] = ntpool_allocate(POOL_FLAG_NON_PAGED, 6000, 'dcba', caller);
	p[2] = ntpool_allocate(POOL_FLAG_PAGED, 40, 'dcba', caller);
	KUNIT_ASSERT_NOT_NULL(test, p[2]);
	ntpool_free(p[2], 'dcba', caller);
	id = ntpool_client_id(&fake_module);
	c = ntpool_client(id);
	strscpy(name, c->name, sizeof(name));

	ntpool_client_gone(&fake_module);
	ntpool_expect_report(test, log, 1, DRIVER_VERIFIER_DETECTED_VIOLATION,
			     0x62, (unsigned long)c->name, (unsigned long)c, 2);
	KUNIT_EXPECT_FALSE(test, c->loaded);

	/* The leaked blocks stay allocated and listed under the module. */
	KUNIT_EXPECT_FALSE(test, ntpool_hdr_is_free(ntpool_block_to_hdr(p[0])));
	m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m);
	m->size = 64 * 1024;
	m->buf = kunit_kzalloc(test, m->size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m->buf);
	ntpool_print_verifier(m);
	KUNIT_ASSERT_LT(test, m->count, m->size);
	KUNIT_EXPECT_NOT_NULL(test, strstr(m->buf, " (Unloaded)\n"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(m->buf, leftover_counts));
	KUNIT_EXPECT_NOT_NULL(test, strstr(m->buf, "0x00000028  abcd  (not tracked)"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(m->buf, "0x00001770  abcd  0x"));

	/* A stray allocation from the module after it went away: 0x61. */
	KUNIT_EXPECT_NULL(test, ntpool_allocate(POOL_FLAG_PAGED, 40, 'dcba', caller));
	ntpool_expect_report(test, log, 2, DRIVER_VERIFIER_DETECTED_VIOLATION,
			     0x61, 48 + 16, 8192, 2);

	/* Released on request; then the record goes and its id is free. */
	free_ids = ntpool_clients_free_ids();
	KUNIT_EXPECT_EQ(test, ntpool_leaks_release(name), 2UL);
	KUNIT_EXPECT_EQ(test, ntpool_clients_free_ids(), free_ids + 1);
	KUNIT_EXPECT_PTR_EQ(test, ntpool_client(id), ntpool_client(0));
	/* Loaded again: a new client, with nothing outstanding. */
	ntpool_client_coming(&fake_module);
	c = ntpool_client_of(&fake_module);
	KUNIT_EXPECT_TRUE(test, c->loaded);
	KUNIT_EXPECT_NE(test, c->id, 0);
	KUNIT_EXPECT_EQ(test, ntpool_client_outstanding(c), 0LL);
	ntpool_client_gone(&fake_module);
	KUNIT_EXPECT_EQ(test, ntpool_clients_free_ids(), free_ids + 1);
	KUNIT_EXPECT_EQ(test, log->count, 2u);
}

/*
 * The same driver loaded and unloaded 300 times, leaking a block and an
 * undeleted lookaside list each time (each load is a module at an address
 * of its own).  Every unload is reported, 0xC7 for the list and then
 * 0xC4/0x62 naming the module and its one block, also once the leakers
 * hold every id; "release" frees them all and gives every id back.
 */
#define RELOADS		300
static u64 reloaded_storage[RELOADS][8];
static LOOKASIDE_LIST_EX reloaded_lists[RELOADS];

static struct module *reloaded(unsigned int i)
{
	return (struct module *)reloaded_storage[i];
}

static void leaking_reloads_each_reported(struct kunit *test)
{
	struct ntpool_report_log *log = ntpool_catch_reports(test);
	unsigned int i, shared = 0, free_ids = ntpool_clients_free_ids();
	char name[MODULE_NAME_LEN] = "";

	for (i = 0; i < RELOADS; i++) {
		struct ntpool_caller caller = { .module = reloaded(i), .ip = _THIS_IP_ };
		struct ntpool_client *c;

		KUNIT_ASSERT_NOT_NULL(test, ntpool_allocate(POOL_FLAG_NON_PAGED, 40,
							    'kaeL', caller));
		KUNIT_ASSERT_EQ(test, ntpool_lookaside_init(&reloaded_lists[i].L,
							    NTPOOL_LOOKASIDE_EX, NULL,
							    NULL, NonPagedPool, 0, 64,
							    'kaeL', caller),
				STATUS_SUCCESS);
		c = ntpool_client_of(reloaded(i));
		strscpy(name, c->name, sizeof(name));
		shared += ntpool_client_on_shared_id(c);
		ntpool_client_gone(reloaded(i));
		KUNIT_ASSERT_EQ(test, log->count, 2 * (i + 1));
		ntpool_expect_report(test, log, 2 * (i + 1),
				     DRIVER_VERIFIER_DETECTED_VIOLATION, 0x62,
				     (unsigned long)c->name, (unsigned long)c, 1);
	}
	/* The table did fill: the last ones shared id 0. */
	KUNIT_EXPECT_EQ(test, ntpool_clients_free_ids(), 0u);
	KUNIT_EXPECT_EQ(test, shared, RELOADS - free_ids);
	/* Their lists went with them. */
	KUNIT_EXPECT_NULL(test, ntpool_lookaside_alloc(&reloaded_lists[RELOADS - 1].L));
	ntpool_expect_report(test, log, 2 * RELOADS + 1,
			     DRIVER_VERIFIER_DETECTED_VIOLATION, 0xCB,
			     (unsigned long)&reloaded_lists[RELOADS - 1].L, 0, 0);

	KUNIT_EXPECT_EQ(test, ntpool_leaks_release(name), (unsigned long)RELOADS);
	KUNIT_EXPECT_EQ(test, ntpool_clients_free_ids(), free_ids);
	KUNIT_EXPECT_EQ(test, log->count, 2 * RELOADS + 1);
}

/* An id given back is forgotten by the tags its module used. */
static u64 tagger_storage[8];

static void recycled_id_forgets_tags(struct kunit *test)
{
	struct ntpool_caller caller = {
		.module = (struct module *)tagger_storage, .ip = _THIS_IP_,
	};
	struct ntpool_tag *row;
	void *p;
	u8 id;

	p = ntpool_allocate(POOL_FLAG_PAGED, 40, 'gaTR', caller);
	KUNIT_ASSERT_NOT_NULL(test, p);
	ntpool_free(p, 'gaTR', caller);
	id = ntpool_client_id(caller.module);
	KUNIT_ASSERT_NE(test, id, 0);
	row = ntpool_tag_get('gaTR', GFP_KERNEL);
	KUNIT_EXPECT_TRUE(test, test_bit(id, row->owners));
	ntpool_client_gone(caller.module);
	KUNIT_EXPECT_PTR_EQ(test, ntpool_client(id), ntpool_client(0));
	KUNIT_EXPECT_FALSE(test, test_bit(id, row->owners));
}

/*
 * Call sites are named once each, however many blocks they allocated, and
 * the names are kept with the module's record for when its code is gone;
 * a site whose blocks were all freed loses its name at the next naming,
 * and the names go with the record.  The KUnit kernel has no modules:
 * "kernel" is the name of every fake one.
 */
#define NAMED_BLOCKS	10000
static u64 named_storage[8];

static noinline void *named_site_many(struct module *mod)
{
	struct ntpool_caller caller = { .module = mod };

	return ntpool_allocate(POOL_FLAG_NON_PAGED, 16, 'emaN', caller);
}

static noinline void *named_site_freed(struct module *mod)
{
	struct ntpool_caller caller = { .module = mod };

	return ntpool_allocate(POOL_FLAG_PAGED, 100, 'emaN', caller);
}

static noinline void *named_site_big(struct module *mod)
{
	struct ntpool_caller caller = { .module = mod };

	return ntpool_allocate(POOL_FLAG_PAGED, 2 * PAGE_SIZE, 'emaN', caller);
}

static const char *site_name_of(struct ntpool_client *c, void *p)
{
	unsigned long caller = 0;

	if (!ntpool_verifier_caller(p, &caller, NULL))
		return NULL;
	return ntpool_callsite_find(rcu_dereference_protected(c->sites, true),
				    caller);
}

static void call_sites_named_once(struct kunit *test)
{
	struct ntpool_report_log *log = ntpool_catch_reports(test);
	struct module *mod = (struct module *)named_storage;
	struct ntpool_callsite_scope scope = { .mod = mod };
	struct ntpool_client *c;
	void *many, *freed, *big;
	struct seq_file *m;
	unsigned int i;

	KUNIT_ASSERT_EQ(test, ntpool_verify_set("kernel"), 0);
	for (i = 0; i < NAMED_BLOCKS; i++) {
		many = named_site_many(mod);
		KUNIT_ASSERT_NOT_NULL(test, many);
	}
	freed = named_site_freed(mod);
	big = named_site_big(mod);
	KUNIT_ASSERT_NOT_NULL(test, freed);
	KUNIT_ASSERT_NOT_NULL(test, big);
	c = ntpool_client_of(mod);

	/* Three sites, three names, whatever the number of blocks. */
	ntpool_clients_lock();
	ntpool_leaks_name_callers(c, &scope);
	ntpool_clients_unlock();
	KUNIT_ASSERT_NOT_NULL(test, rcu_dereference_protected(c->sites, true));
	KUNIT_EXPECT_EQ(test, rcu_dereference_protected(c->sites, true)->n, 3u);
	KUNIT_EXPECT_NOT_NULL(test, strstr(site_name_of(c, many) ?: "",
					   "named_site_many"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(site_name_of(c, freed) ?: "",
					   "named_site_freed"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(site_name_of(c, big) ?: "",
					   "named_site_big"));

	/* At unload the site whose block was freed loses its name. */
	ntpool_free(freed, 'emaN', (struct ntpool_caller) { .module = mod });
	ntpool_client_gone(mod);
	ntpool_expect_report(test, log, 1, DRIVER_VERIFIER_DETECTED_VIOLATION,
			     0x62, (unsigned long)c->name, (unsigned long)c,
			     NAMED_BLOCKS + 1);
	KUNIT_EXPECT_EQ(test, rcu_dereference_protected(c->sites, true)->n, 2u);

	/* verifier names both sites of the leftovers after the unload. */
	m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m);
	m->size = 2 * 1024 * 1024;
	m->buf = kunit_kzalloc(test, m->size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m->buf);
	ntpool_print_verifier(m);
	KUNIT_ASSERT_LT(test, m->count, m->size);
	KUNIT_EXPECT_NOT_NULL(test, strstr(m->buf, "  0x00000010  Name  0x"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(m->buf, "  named_site_many"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(m->buf, "  named_site_big"));
	KUNIT_EXPECT_NULL(test, strstr(m->buf, "named_site_freed"));

	/* Released, the record goes, and its names with it. */
	KUNIT_EXPECT_EQ(test, ntpool_leaks_release("kernel"),
			(unsigned long)NAMED_BLOCKS + 1);
	KUNIT_EXPECT_EQ(test, log->count, 1u);
}

/* A block is freed by release only while it is the block the walk saw. */
static void free_block_checks_owner_and_tag(struct kunit *test)
{
	struct ntpool_report_log *log = ntpool_catch_reports(test);
	u8 self_id = ntpool_client_id(NULL);
	void *p = ExAllocatePool2(POOL_FLAG_NON_PAGED, 64, 'nwOF');
	void *big = ExAllocatePool2(POOL_FLAG_PAGED, 3 * PAGE_SIZE, 'nwOF');

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_NOT_NULL(test, big);
	KUNIT_EXPECT_EQ(test, ntpool_free_block(p, 'nwOF', self_id + 1), 0u);
	KUNIT_EXPECT_EQ(test, ntpool_free_block(p, 'rhtO', self_id), 0u);
	KUNIT_EXPECT_EQ(test, ntpool_free_block(big, 'nwOF', self_id + 1), 0u);
	KUNIT_EXPECT_EQ(test, ntpool_free_block(big, 'rhtO', self_id), 0u);
	KUNIT_EXPECT_EQ(test, log->count, 0u);
	KUNIT_EXPECT_EQ(test, ntpool_free_block(p, 'nwOF', self_id), 1u);
	KUNIT_EXPECT_EQ(test, ntpool_free_block(big, 'nwOF', self_id), 1u);
	KUNIT_EXPECT_EQ(test, log->count, 0u);
}

static void hit_tag(struct kunit *test)
{
	unsigned long hits = ntpool_hit_tag_hits();
	void *p;

	KUNIT_ASSERT_EQ(test, ntpool_hit_tag_set("Hit1"), 0);
	p = ExAllocatePool2(POOL_FLAG_PAGED, 10, '1tiH');
	ExFreePool(p);
	KUNIT_EXPECT_EQ(test, ntpool_hit_tag_hits() - hits, 2UL);
	p = ExAllocatePool2(POOL_FLAG_PAGED, 10, '2tiH');
	ExFreePool(p);
	KUNIT_EXPECT_EQ(test, ntpool_hit_tag_hits() - hits, 2UL);

	KUNIT_ASSERT_EQ(test, ntpool_hit_tag_set("Hi* free"), 0);
	p = ExAllocatePool2(POOL_FLAG_NON_PAGED, 10, '2tiH');
	ExFreePool(p);
	KUNIT_EXPECT_EQ(test, ntpool_hit_tag_hits() - hits, 3UL);

	KUNIT_ASSERT_EQ(test, ntpool_hit_tag_set("0x31746948 alloc"), 0);
	p = ExAllocatePool2(POOL_FLAG_NON_PAGED, 10, '1tiH');
	ExFreePool(p);
	KUNIT_EXPECT_EQ(test, ntpool_hit_tag_hits() - hits, 4UL);

	KUNIT_EXPECT_EQ(test, ntpool_hit_tag_set("Hit1 sideways"), -EINVAL);
	KUNIT_EXPECT_EQ(test, ntpool_hit_tag_set("toolong"), -EINVAL);
	KUNIT_ASSERT_EQ(test, ntpool_hit_tag_set("0"), 0);
	KUNIT_EXPECT_FALSE(test, static_key_enabled(&ntpool_hit_tag_on));
	p = ExAllocatePool2(POOL_FLAG_NON_PAGED, 10, '1tiH');
	ExFreePool(p);
	KUNIT_EXPECT_EQ(test, ntpool_hit_tag_hits() - hits, 4UL);
}

static void faults_exit(void *data)
{
	ntpool_fault_probability_set(0);
	ntpool_fault_rate_setup(1, 1);
	ntpool_fault_tags_set("*");
	ntpool_fault_modules_set("*");
}

static void low_resources_simulation(struct kunit *test)
{
	struct ntpool_verifier_stats before = counters(), after;
	void *p;

	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, faults_exit, NULL), 0);
	ntpool_fault_rate_setup(1, -1);
	KUNIT_ASSERT_EQ(test, ntpool_fault_probability_set(100), 0);
	KUNIT_ASSERT_EQ(test, ntpool_fault_tags_set("Flt1 Fx*"), 0);
	KUNIT_EXPECT_NULL(test, ExAllocatePool2(POOL_FLAG_PAGED, 10, '1tlF'));
	KUNIT_EXPECT_NULL(test, ExAllocatePool2(POOL_FLAG_PAGED, 10, 'yyxF'));
	p = ExAllocatePool2(POOL_FLAG_PAGED, 10, '2tlF');
	KUNIT_EXPECT_NOT_NULL(test, p);
	ExFreePool(p);
	after = counters();
	KUNIT_EXPECT_EQ(test, delta(&after, &before, NTPOOL_VC_FAILED_DELIBERATELY), 2ULL);
	KUNIT_EXPECT_EQ(test, delta(&after, &before, NTPOOL_VC_FAILED), 0ULL);

	/* Only the selected modules fail. */
	KUNIT_ASSERT_EQ(test, ntpool_fault_modules_set("othermodule"), 0);
	p = ExAllocatePool2(POOL_FLAG_PAGED, 10, '1tlF');
	KUNIT_EXPECT_NOT_NULL(test, p);
	ExFreePool(p);
	KUNIT_ASSERT_EQ(test, ntpool_fault_modules_set("vmlinux"), 0);
	KUNIT_EXPECT_NULL(test, ExAllocatePool2(POOL_FLAG_PAGED, 10, '1tlF'));
	KUNIT_EXPECT_EQ(test, ntpool_fault_tags_set("bad\x01"), -EINVAL);
}

#define MAX_KINDS	64

static void special_pool_placement(struct kunit *test)
{
	struct ntpool_report_log *log = ntpool_catch_reports(test);
	struct ntpool_verifier_stats before = counters(), after;
	u8 *end = ExAllocatePool2(POOL_FLAG_PAGED | POOL_FLAG_SPECIAL_POOL, 100,
				  'cpSV');
	u8 *start = ExAllocatePoolWithTagPriority(PagedPool, 100, 'cpSV',
						  NormalPoolPrioritySpecialPoolUnderrun);
	u8 *np = ExAllocatePoolWithTagPriority(NonPagedPool, 64, 'cpSV',
					       HighPoolPrioritySpecialPoolOverrun);
	u8 *normal = ExAllocatePoolWithTagPriority(NonPagedPool, 64, 'cpSV',
						   HighPoolPriority);

	KUNIT_ASSERT_NOT_NULL(test, end);
	KUNIT_ASSERT_NOT_NULL(test, start);
	KUNIT_ASSERT_NOT_NULL(test, np);
	KUNIT_ASSERT_NOT_NULL(test, normal);
	/* Verify End: the block ends where its page ends (16-byte aligned). */
	KUNIT_EXPECT_EQ(test, offset_in_page(end) + 112, PAGE_SIZE);
	KUNIT_EXPECT_TRUE(test, is_vmalloc_addr(end));
	/* Verify Start: the block starts its page. */
	KUNIT_EXPECT_EQ(test, offset_in_page(start), 0UL);
	/* Non-paged special pool is vmalloc memory too; plain is not. */
	KUNIT_EXPECT_TRUE(test, is_vmalloc_addr(np));
	KUNIT_EXPECT_EQ(test, offset_in_page(np) + 64, PAGE_SIZE);
	KUNIT_EXPECT_FALSE(test, is_vmalloc_addr(normal));
	/* Up to the guard page: 112 bytes here; a start block has its page. */
	KUNIT_EXPECT_EQ(test, ExQueryPoolBlockSize(end, NULL), (SIZE_T)112);
	KUNIT_EXPECT_EQ(test, ExQueryPoolBlockSize(start, NULL), PAGE_SIZE);
	after = counters();
	KUNIT_EXPECT_EQ(test, delta(&after, &before, NTPOOL_VC_SPECIAL), 3ULL);
	memset(end, 1, 100);
	memset(start, 1, 100);
	ExFreePool(end);
	ExFreePool(start);
	ExFreePool(np);
	ExFreePool(normal);
	KUNIT_EXPECT_EQ(test, log->count, 0u);
}

static void special_pool_checks(struct kunit *test)
{
	struct ntpool_report_log *log = ntpool_catch_reports(test);
	u8 *a = ExAllocatePool2(POOL_FLAG_PAGED | POOL_FLAG_SPECIAL_POOL, 20, 'cpSV');
	u8 *b = ExAllocatePool2(POOL_FLAG_PAGED | POOL_FLAG_SPECIAL_POOL, 20, 'cpSV');
	u8 *c = ExAllocatePool2(POOL_FLAG_PAGED | POOL_FLAG_SPECIAL_POOL, 20, 'cpSV');

	KUNIT_ASSERT_NOT_NULL(test, c);
	/* 20 bytes at the end of the page leave 12 bytes of pattern. */
	a[20] = 0;
	ExFreePool(a);
	ntpool_expect_report(test, log, 1, SPECIAL_POOL_DETECTED_MEMORY_CORRUPTION,
			     (unsigned long)a, (unsigned long)(a + 20), 0, 0x24);
	b[-1] = 0;
	ExFreePool(b);
	ntpool_expect_report(test, log, 2, SPECIAL_POOL_DETECTED_MEMORY_CORRUPTION,
			     (unsigned long)b, (unsigned long)(b - 1), 0, 0x23);
	ExFreePool(c + 8);
	ntpool_expect_report(test, log, 3, SPECIAL_POOL_DETECTED_MEMORY_CORRUPTION,
			     (unsigned long)(c + 8), 20, 24, 0x21);
	ExFreePool(c);
	KUNIT_EXPECT_EQ(test, log->count, 3u);
}

static void special_pool_selection(struct kunit *test)
{
	static const char * const bad[] = { "0x18", "0x10", "Spc1 sideways",
					    "toolongtag" };
	spinlock_t lock;	/* held: the atomic context under test */
	unsigned int i;
	void *p;

	/* On the stack: lockdep needs the key spin_lock_init() gives. */
	spin_lock_init(&lock);
	KUNIT_ASSERT_EQ(test, ntpool_special_set("Spc1"), 0);
	p = ExAllocatePool2(POOL_FLAG_NON_PAGED, 50, '1cpS');
	KUNIT_EXPECT_TRUE(test, is_vmalloc_addr(p));
	ExFreePool(p);
	p = ExAllocatePool2(POOL_FLAG_NON_PAGED, 50, '2cpS');
	KUNIT_EXPECT_FALSE(test, is_vmalloc_addr(p));
	ExFreePool(p);
	/* Where sleeping is not allowed, special pool falls back. */
	spin_lock(&lock);
	p = ExAllocatePool2(POOL_FLAG_NON_PAGED, 50, '1cpS');
	spin_unlock(&lock);
	KUNIT_EXPECT_FALSE(test, is_vmalloc_addr(p));
	ExFreePool(p);

	/* A size class, as gflags: 0x80 is 97..112 bytes. */
	KUNIT_ASSERT_EQ(test, ntpool_special_set("0x80 start"), 0);
	p = ExAllocatePool2(POOL_FLAG_NON_PAGED, 100, '2cpS');
	KUNIT_EXPECT_TRUE(test, is_vmalloc_addr(p));
	KUNIT_EXPECT_EQ(test, offset_in_page(p), 0UL);
	ExFreePool(p);
	p = ExAllocatePool2(POOL_FLAG_NON_PAGED, 96, '2cpS');
	KUNIT_EXPECT_FALSE(test, is_vmalloc_addr(p));
	ExFreePool(p);
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		KUNIT_EXPECT_EQ_MSG(test, ntpool_special_set(bad[i]), -EINVAL,
				    "setting \"%s\"", bad[i]);
	/* Only requests below a page. */
	KUNIT_ASSERT_EQ(test, ntpool_special_set("*"), 0);
	p = ExAllocatePool2(POOL_FLAG_NON_PAGED, PAGE_SIZE, '2cpS');
	KUNIT_EXPECT_FALSE(test, is_vmalloc_addr(p));
	ExFreePool(p);
	KUNIT_ASSERT_EQ(test, ntpool_special_set("none"), 0);
	KUNIT_EXPECT_FALSE(test, ntpool_special_enabled());
}

static void violations_counted(struct kunit *test)
{
	struct ntpool_bugcheck *codes;
	unsigned long *counts, before = 0, after = 0;
	unsigned int i, n;
	void *p = ExAllocatePool2(POOL_FLAG_PAGED, 10, 'tnoC');

	codes = kunit_kcalloc(test, MAX_KINDS, sizeof(*codes), GFP_KERNEL);
	counts = kunit_kcalloc(test, MAX_KINDS, sizeof(*counts), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, codes);
	KUNIT_ASSERT_NOT_NULL(test, counts);
	ntpool_catch_reports(test);
	n = ntpool_violations(codes, counts, MAX_KINDS);
	for (i = 0; i < n; i++)
		if (codes[i].code == BAD_POOL_CALLER && codes[i].args[0] == 0x0A)
			before = counts[i];
	ExFreePoolWithTag(p, 'gnrW');
	ExFreePoolWithTag(p, 'gnrW');
	n = ntpool_violations(codes, counts, MAX_KINDS);
	for (i = 0; i < n; i++)
		if (codes[i].code == BAD_POOL_CALLER && codes[i].args[0] == 0x0A)
			after = counts[i];
	KUNIT_EXPECT_EQ(test, after - before, 2UL);
	ExFreePool(p);
}

/* The last report is kept whole, for debuggers (tools/drgn/ntpool.py). */
static void last_report_kept(struct kunit *test)
{
	struct ntpool_report_log *log = ntpool_catch_reports(test);
	struct ntpool_caller caller = { .ip = _THIS_IP_ };
	unsigned long before = ntpool_last_report.count;
	void *p = ntpool_allocate(POOL_FLAG_PAGED, 10, 'tsaL', caller);
	char want[KSYM_SYMBOL_LEN];

	KUNIT_ASSERT_NOT_NULL(test, p);
	ntpool_free(p, 'gnrW', caller);
	KUNIT_EXPECT_EQ(test, log->count, 1U);
	KUNIT_EXPECT_EQ(test, ntpool_last_report.count, before + 1);
	KUNIT_EXPECT_EQ(test, ntpool_last_report.bc.code, (u32)BAD_POOL_CALLER);
	KUNIT_EXPECT_EQ(test, ntpool_last_report.bc.args[0], (u64)NTPOOL_C2_WRONG_TAG);
	KUNIT_EXPECT_EQ(test, ntpool_last_report.bc.args[1], (u64)(unsigned long)p);
	KUNIT_EXPECT_EQ(test, ntpool_last_report.bc.args[3], (u64)'gnrW');
	/* The call site is this function's, named as the console names it. */
	snprintf(want, sizeof(want), "%pS", (void *)ntpool_last_report.caller_ip);
	KUNIT_EXPECT_STREQ(test, ntpool_last_report.caller, want);
	KUNIT_EXPECT_TRUE(test, str_has_prefix(want, __func__));
	KUNIT_EXPECT_EQ(test, want[strlen(__func__)], '+');
	KUNIT_EXPECT_STREQ(test, ntpool_last_report.module, "vmlinux");
	KUNIT_EXPECT_STREQ(test, ntpool_last_report.notes[1], "");
	ntpool_free(p, 'tsaL', caller);
}

/*
 * Reports past the rate limit are counted, not printed; a test that
 * catches reports still sees every one.
 */
static unsigned long violation_count(struct kunit *test, u32 code, u64 arg1)
{
	struct ntpool_bugcheck *codes;
	unsigned long *counts, count = 0;
	unsigned int i, n;

	codes = kunit_kcalloc(test, MAX_KINDS, sizeof(*codes), GFP_KERNEL);
	counts = kunit_kcalloc(test, MAX_KINDS, sizeof(*counts), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, codes);
	KUNIT_ASSERT_NOT_NULL(test, counts);
	n = ntpool_violations(codes, counts, MAX_KINDS);
	for (i = 0; i < n; i++)
		if (codes[i].code == code && codes[i].args[0] == arg1)
			count = counts[i];
	kunit_kfree(test, codes);
	kunit_kfree(test, counts);
	return count;
}

static void reports_rate_limited(struct kunit *test)
{
	const char *policy = ntpool_policy_name();
	unsigned long before, suppressed;
	struct ntpool_report_log *log;
	unsigned int i;

	/* An hour, two reports: the test cannot outlast the interval. */
	ntpool_report_ratelimit_set(3600 * HZ, 2);
	KUNIT_ASSERT_EQ(test, ntpool_policy_set("report"), 0);
	before = violation_count(test, BAD_POOL_CALLER, NTPOOL_C2_BAD_ADDRESS);
	suppressed = ntpool_reports_suppressed();
	for (i = 0; i < 30; i++)
		ntpool_bugcheck(BAD_POOL_CALLER, NTPOOL_C2_BAD_ADDRESS, i, 0, 0,
				NULL);
	KUNIT_EXPECT_EQ(test, ntpool_reports_suppressed() - suppressed, 28UL);
	KUNIT_EXPECT_EQ(test, violation_count(test, BAD_POOL_CALLER,
					      NTPOOL_C2_BAD_ADDRESS) - before,
			30UL);

	/* Caught reports are not limited: all 30 arrive. */
	log = ntpool_catch_reports(test);
	suppressed = ntpool_reports_suppressed();
	for (i = 0; i < 30; i++)
		ntpool_bugcheck(BAD_POOL_CALLER, NTPOOL_C2_BAD_ADDRESS, i, 0, 0,
				NULL);
	ntpool_expect_report(test, log, 30, BAD_POOL_CALLER,
			     NTPOOL_C2_BAD_ADDRESS, 29, 0, 0);
	KUNIT_EXPECT_EQ(test, ntpool_reports_suppressed(), suppressed);
	KUNIT_EXPECT_EQ(test, ntpool_policy_set(policy), 0);
	ntpool_report_ratelimit_set(DEFAULT_RATELIMIT_INTERVAL,
				    DEFAULT_RATELIMIT_BURST);
}

/* Quota requests from a hard interrupt, where no task can be charged. */
struct quota_irq_ctx {
	struct hrtimer timer;
	struct completion done;
	void *p;
};

static enum hrtimer_restart quota_in_irq(struct hrtimer *timer)
{
	struct quota_irq_ctx *ctx = container_of(timer, struct quota_irq_ctx,
						 timer);

	ctx->p = ExAllocatePool2(POOL_FLAG_NON_PAGED | POOL_FLAG_USE_QUOTA, 64,
				 'atoQ');
	complete(&ctx->done);
	return HRTIMER_NORESTART;
}

static void *quota_from_irq(struct kunit *test)
{
	struct quota_irq_ctx *ctx = kunit_kzalloc(test, sizeof(*ctx),
						  GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, ctx);
	init_completion(&ctx->done);
	hrtimer_init(&ctx->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_HARD);
	ctx->timer.function = quota_in_irq;
	hrtimer_start(&ctx->timer, ns_to_ktime(1000), HRTIMER_MODE_REL_HARD);
	wait_for_completion(&ctx->done);
	return ctx->p;
}

/*
 * KUnit runs in a kernel thread, NT's System process: quota requests are
 * served, charged to nobody, as ordinary blocks.  In interrupt context
 * nothing is charged either, and Driver Verifier reports 0xC4/0x10B.
 */
static void quota_contexts(struct kunit *test)
{
	struct ntpool_report_log *log = ntpool_catch_reports(test);
	BOOLEAN charged = TRUE;
	void *p;

	p = ExAllocatePoolWithQuotaTag(PagedPool, 100, 'atoQ');
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, ExQueryPoolBlockSize(p, &charged), (SIZE_T)112);
	KUNIT_EXPECT_EQ(test, charged, (BOOLEAN)FALSE);
	KUNIT_EXPECT_EQ(test, ntpool_block_to_hdr(p)->pool_type, PagedPool + 1);
	ExFreePool(p);

	p = quota_from_irq(test);
	KUNIT_EXPECT_NOT_NULL(test, p);
	charged = TRUE;
	ExQueryPoolBlockSize(p, &charged);
	KUNIT_EXPECT_EQ(test, charged, (BOOLEAN)FALSE);
	ExFreePool(p);
	KUNIT_EXPECT_EQ(test, log->count, 0u);

	KUNIT_ASSERT_EQ(test, ntpool_verify_set("vmlinux"), 0);
	KUNIT_EXPECT_NULL(test, quota_from_irq(test));
	ntpool_expect_report(test, log, 1, DRIVER_VERIFIER_DETECTED_VIOLATION,
			     NTPOOL_C4_QUOTA_FROM_DPC, 0, 0, 0);
	/* A failed quota request raises as NT's quota routines do. */
	KUNIT_EXPECT_NULL(test, ExAllocatePoolWithQuotaTag(PagedPool, SIZE_MAX,
							   'atoQ'));
	ntpool_expect_report(test, log, 2, KMODE_EXCEPTION_NOT_HANDLED,
			     (u32)STATUS_INSUFFICIENT_RESOURCES, log->last.args[1],
			     SIZE_MAX, 'atoQ');
}

/*
 * Under Pool Tracking a request of 0 bytes is reported as Driver Verifier
 * reports it (0xC4/0x00: IRQL, pool type) and fails, raise flag or not:
 * the report is the bugcheck, nothing more is raised.  Retail, the same
 * request gets a block.
 */
static void zero_size_verified(struct kunit *test)
{
	struct ntpool_report_log *log = ntpool_catch_reports(test);
	void *p;

	KUNIT_ASSERT_EQ(test, ntpool_verify_set("vmlinux"), 0);
	KUNIT_EXPECT_NULL(test, ExAllocatePool2(POOL_FLAG_NON_PAGED |
						POOL_FLAG_RAISE_ON_FAILURE, 0,
						'0fzV'));
	ntpool_expect_report(test, log, 1, DRIVER_VERIFIER_DETECTED_VIOLATION,
			     NTPOOL_C4_ZERO_SIZE, PASSIVE_LEVEL, NonPagedPoolNx,
			     0);
	KUNIT_EXPECT_NULL(test, ExAllocatePoolWithTag(PagedPool, 0, '0fzV'));
	ntpool_expect_report(test, log, 2, DRIVER_VERIFIER_DETECTED_VIOLATION,
			     NTPOOL_C4_ZERO_SIZE, PASSIVE_LEVEL, PagedPool, 0);

	KUNIT_ASSERT_EQ(test, ntpool_verify_set("none"), 0);
	p = ExAllocatePoolWithTag(PagedPool, 0, '0fzV');
	KUNIT_EXPECT_NOT_NULL(test, p);
	ExFreePoolWithTag(p, '0fzV');
	KUNIT_EXPECT_EQ(test, log->count, 2u);
}

/*
 * A module on the shared id has every block tracked, however its own
 * record is set: a block its CPU's cache serves is tracked too.
 */
static u64 id_holders[NTPOOL_MAX_CLIENTS][8];
static u64 sharer_storage[8];

static void shared_id_tracked_from_cache(struct kunit *test)
{
	struct ntpool_report_log *log = ntpool_catch_reports(test);
	struct ntpool_caller me = { .module = NULL, .ip = _THIS_IP_ };
	struct ntpool_caller sharer = {
		.module = (struct module *)sharer_storage, .ip = _THIS_IP_,
	};
	unsigned int i, n = ntpool_clients_free_ids();
	struct ntpool_verifier_stats before, after;
	struct ntpool_client *c;
	void *first, *cached, *again;

	/* Every id held by a module that left a block behind. */
	for (i = 0; i < n; i++) {
		struct ntpool_caller holder = {
			.module = (struct module *)id_holders[i], .ip = _THIS_IP_,
		};

		KUNIT_ASSERT_NOT_NULL(test, ntpool_allocate(POOL_FLAG_NON_PAGED,
							    40, 'dloH', holder));
		ntpool_client_gone(holder.module);
	}
	KUNIT_ASSERT_EQ(test, ntpool_clients_free_ids(), 0u);
	first = ntpool_allocate(POOL_FLAG_NON_PAGED, 40, 'rahS', sharer);
	KUNIT_ASSERT_NOT_NULL(test, first);
	c = ntpool_client_of(sharer.module);
	KUNIT_ASSERT_TRUE(test, ntpool_client_on_shared_id(c));
	KUNIT_EXPECT_EQ(test, ntpool_client_outstanding(c), 1LL);
	ntpool_client_verifier_read(c, &before);
	/* A 40-byte block on this CPU's cache; then the sharer asks again. */
	cached = ntpool_allocate(POOL_FLAG_NON_PAGED, 40, 'rahS', me);
	ntpool_free(cached, 'rahS', me);
	again = ntpool_allocate(POOL_FLAG_NON_PAGED, 40, 'rahS', sharer);
	ntpool_client_verifier_read(c, &after);
	KUNIT_EXPECT_PTR_EQ(test, again, cached);
	KUNIT_EXPECT_EQ(test, ntpool_client_outstanding(c), 2LL);
	KUNIT_EXPECT_EQ(test, after.count[NTPOOL_VC_UNTRACKED],
			before.count[NTPOOL_VC_UNTRACKED]);
	ntpool_free(first, 'rahS', sharer);
	ntpool_free(again, 'rahS', sharer);
	ntpool_client_gone(sharer.module);
	ntpool_leaks_release("");
	(void)log;
}

static struct kunit_case ntpool_verifier_cases[] = {
	KUNIT_CASE(counters_after_known_sequence),
	KUNIT_CASE(verify_drivers_setting),
	KUNIT_CASE(pool_tracking),
	KUNIT_CASE(verified_misuse_uses_c4),
	KUNIT_CASE(overrun_detected_on_free),
	KUNIT_CASE(slack_words_read_exactly),
	KUNIT_CASE(slack_checked_at_every_length),
	KUNIT_CASE(leak_check_at_unload),
	KUNIT_CASE(leaking_reloads_each_reported),
	KUNIT_CASE(call_sites_named_once),
	KUNIT_CASE(free_block_checks_owner_and_tag),
	KUNIT_CASE(recycled_id_forgets_tags),
	KUNIT_CASE(hit_tag),
	KUNIT_CASE(low_resources_simulation),
	KUNIT_CASE(special_pool_placement),
	KUNIT_CASE(special_pool_checks),
	KUNIT_CASE(special_pool_selection),
	KUNIT_CASE(violations_counted),
	KUNIT_CASE(last_report_kept),
	KUNIT_CASE(reports_rate_limited),
	KUNIT_CASE(quota_contexts),
	KUNIT_CASE(zero_size_verified),
	KUNIT_CASE(shared_id_tracked_from_cache),
	{}
};

static struct kunit_suite ntpool_verifier_suite = {
	.name = "ntpool_verifier",
	.exit = verifier_exit,
	.test_cases = ntpool_verifier_cases,
};

kunit_test_suite(ntpool_verifier_suite);

MODULE_DESCRIPTION("KUnit tests for ntpool's Driver Verifier");
MODULE_LICENSE("GPL");
