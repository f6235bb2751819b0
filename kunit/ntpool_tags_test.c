// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "ntpool_tags": per-tag accounting, tag patterns, pooltag
 * data and the debugfs views' print and parse functions.
 */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/hrtimer.h>
#include <linux/kthread.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "ntpool_kunit.h"
#include "nt/unload.h"
#include "views/debugfs.h"
#include "views/marks.h"
#include "accounting/pooltag.h"
#include "accounting/tags.h"
#include "accounting/usage.h"

static struct ntpool_tag_stats read_tag(u32 tag)
{
	struct ntpool_tag_stats st;

	ntpool_tag_read(ntpool_tag_get(tag, GFP_KERNEL), &st);
	return st;
}

static void counts_after_known_sequence(struct kunit *test)
{
	const u32 tag = ('1tnC');	/* "Cnt1" */
	struct ntpool_tag_stats st;
	void *p[10];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(p); i++) {
		p[i] = ExAllocatePool2(POOL_FLAG_NON_PAGED, 100, tag);
		KUNIT_ASSERT_NOT_NULL(test, p[i]);
	}
	for (i = 0; i < 4; i++)
		ExFreePoolWithTag(p[i], tag);
	st = read_tag(tag);
	KUNIT_EXPECT_EQ(test, st.u.allocs[NTPOOL_NONPAGED], 10ULL);
	KUNIT_EXPECT_EQ(test, st.u.frees[NTPOOL_NONPAGED], 4ULL);
	/* 100 bytes: 7 units of data and one of header, 128 block bytes. */
	KUNIT_EXPECT_EQ(test, st.u.bytes[NTPOOL_NONPAGED], 6LL * 128);
	KUNIT_EXPECT_EQ(test, st.u.allocs[NTPOOL_PAGED], 0ULL);
	KUNIT_EXPECT_EQ(test, st.u.bytes[NTPOOL_PAGED], 0LL);
	KUNIT_EXPECT_TRUE(test, test_bit(ntpool_block_to_hdr(p[9])->pool_index,
					 st.owners));
	/* PoolTagHash names the call site, which names the tag. */
	KUNIT_EXPECT_EQ(test, ntpool_site_by_id(ntpool_block_to_hdr(p[9])->pool_tag_hash)->tag,
			tag);
	for (i = 4; i < ARRAY_SIZE(p); i++)
		ExFreePoolWithTag(p[i], tag);
	st = read_tag(tag);
	KUNIT_EXPECT_EQ(test, st.u.frees[NTPOOL_NONPAGED], 10ULL);
	KUNIT_EXPECT_EQ(test, st.u.bytes[NTPOOL_NONPAGED], 0LL);
	/* Read while 6 blocks were live: the peak saw them. */
	KUNIT_EXPECT_EQ(test, st.u.peak_bytes[NTPOOL_NONPAGED], 6LL * 128);
}

/*
 * A block's bytes depend on its request alone, whatever pages the pool has
 * and whatever is left beside the block: seven 100-byte blocks are 896
 * bytes, on every run.  Sizes from 1 to 4064 bytes in turn, each counted
 * as ceil(size / 16) + 1 units.
 */
static void block_bytes_exact(struct kunit *test)
{
	const u32 tag = ('7tnC');	/* "Cnt7" */
	struct ntpool_tag_stats st;
	void *p[7];
	size_t size;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(p); i++) {
		p[i] = ExAllocatePool2(POOL_FLAG_NON_PAGED, 100, tag);
		KUNIT_ASSERT_NOT_NULL(test, p[i]);
	}
	st = read_tag(tag);
	KUNIT_EXPECT_EQ(test, st.u.bytes[NTPOOL_NONPAGED], 896LL);
	for (i = 0; i < ARRAY_SIZE(p); i++)
		ExFreePoolWithTag(p[i], tag);

	for (size = 1; size <= NTPOOL_MAX_SMALL; size += 13) {
		void *q = ExAllocatePool2(POOL_FLAG_PAGED, size, tag);

		KUNIT_ASSERT_NOT_NULL(test, q);
		st = read_tag(tag);
		KUNIT_EXPECT_EQ_MSG(test, st.u.bytes[NTPOOL_PAGED],
				    (s64)(DIV_ROUND_UP(size, 16) + 1) * 16,
				    "%zu", size);
		ExFreePoolWithTag(q, tag);
	}
}

static void big_blocks_and_peak(struct kunit *test)
{
	const u32 tag = ('2tnC');
	struct ntpool_tag_stats st;
	void *p[3];
	unsigned int i;

	/* Each block passes the fold batch, so the peak is exact. */
	for (i = 0; i < ARRAY_SIZE(p); i++) {
		p[i] = ExAllocatePool2(POOL_FLAG_PAGED, 64 * 1024 + 1, tag);
		KUNIT_ASSERT_NOT_NULL(test, p[i]);
	}
	for (i = 0; i < ARRAY_SIZE(p); i++)
		ExFreePoolWithTag(p[i], tag);
	st = read_tag(tag);
	KUNIT_EXPECT_EQ(test, st.u.allocs[NTPOOL_PAGED], 3ULL);
	KUNIT_EXPECT_EQ(test, st.u.frees[NTPOOL_PAGED], 3ULL);
	KUNIT_EXPECT_EQ(test, st.u.bytes[NTPOOL_PAGED], 0LL);
	KUNIT_EXPECT_EQ(test, st.u.peak_bytes[NTPOOL_PAGED],
			3LL * (64 * 1024 + PAGE_SIZE));
}

static void failures_counted(struct kunit *test)
{
	const u32 tag = ('3tnC');
	struct ntpool_tag_stats st;

	KUNIT_EXPECT_NULL(test, ExAllocatePool2(POOL_FLAG_NON_PAGED, SIZE_MAX / 2,
						tag));
	KUNIT_EXPECT_NULL(test, ExAllocatePool2(POOL_FLAG_PAGED, SIZE_MAX / 2,
						tag));
	KUNIT_EXPECT_NULL(test, ExAllocatePool2(POOL_FLAG_PAGED, SIZE_MAX / 2,
						tag));
	st = read_tag(tag);
	KUNIT_EXPECT_EQ(test, st.u.failed[NTPOOL_NONPAGED], 1ULL);
	KUNIT_EXPECT_EQ(test, st.u.failed[NTPOOL_PAGED], 2ULL);
	KUNIT_EXPECT_EQ(test, st.u.allocs[NTPOOL_PAGED], 0ULL);
}

#define WORKERS		4
#define WORKER_OPS	3000

struct worker {
	struct completion done;
	u32 tag;
};

static int churn(void *data)
{
	struct worker *w = data;
	void *live[8] = {};
	unsigned int i;

	for (i = 0; i < WORKER_OPS; i++) {
		unsigned int slot = i % ARRAY_SIZE(live);

		if (live[slot])
			ExFreePoolWithTag(live[slot], w->tag);
		live[slot] = ExAllocatePool2(i & 1 ? POOL_FLAG_PAGED :
					     POOL_FLAG_NON_PAGED,
					     16 + i % 3000, w->tag);
		if (!(i % 64))
			cond_resched();
	}
	for (i = 0; i < ARRAY_SIZE(live); i++)
		if (live[i])
			ExFreePoolWithTag(live[i], w->tag);
	complete(&w->done);
	return 0;
}

static void concurrent_updates(struct kunit *test)
{
	struct worker *w = kunit_kcalloc(test, WORKERS, sizeof(*w), GFP_KERNEL);
	struct ntpool_tag_stats st;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, w);
	for (i = 0; i < WORKERS; i++) {
		struct task_struct *t;

		init_completion(&w[i].done);
		w[i].tag = ('4tnC');
		t = kthread_run(churn, &w[i], "ntpool_churn/%u", i);
		KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	}
	for (i = 0; i < WORKERS; i++)
		wait_for_completion(&w[i].done);
	st = read_tag(('4tnC'));
	KUNIT_EXPECT_EQ(test, st.u.allocs[NTPOOL_NONPAGED] + st.u.allocs[NTPOOL_PAGED],
			(u64)WORKERS * WORKER_OPS);
	KUNIT_EXPECT_EQ(test, st.u.frees[NTPOOL_NONPAGED], st.u.allocs[NTPOOL_NONPAGED]);
	KUNIT_EXPECT_EQ(test, st.u.frees[NTPOOL_PAGED], st.u.allocs[NTPOOL_PAGED]);
	KUNIT_EXPECT_EQ(test, st.u.bytes[NTPOOL_NONPAGED], 0LL);
	KUNIT_EXPECT_EQ(test, st.u.bytes[NTPOOL_PAGED], 0LL);
}

/* New tags where nothing may sleep: a hard interrupt, interrupts off. */
struct irq_tag_ctx {
	struct hrtimer timer;
	struct completion done;
	u32 tag;
	bool allocated;
};

static enum hrtimer_restart new_tag_in_irq(struct hrtimer *timer)
{
	struct irq_tag_ctx *ctx = container_of(timer, struct irq_tag_ctx, timer);
	void *p = ExAllocatePool2(POOL_FLAG_NON_PAGED, 64, ctx->tag);

	ctx->allocated = p;
	if (p)
		ExFreePoolWithTag(p, ctx->tag);
	complete(&ctx->done);
	return HRTIMER_NORESTART;
}

static void new_tags_without_sleeping(struct kunit *test)
{
	struct irq_tag_ctx *ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	const u32 off_tag = ('1qrI');	/* "Irq1" */
	struct ntpool_tag_stats st;
	unsigned long flags;
	void *p;

	KUNIT_ASSERT_NOT_NULL(test, ctx);
	ctx->tag = ('2qrI');
	init_completion(&ctx->done);
	hrtimer_init(&ctx->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_HARD);
	ctx->timer.function = new_tag_in_irq;
	hrtimer_start(&ctx->timer, ns_to_ktime(1000), HRTIMER_MODE_REL_HARD);
	wait_for_completion(&ctx->done);
	KUNIT_EXPECT_TRUE(test, ctx->allocated);

	local_irq_save(flags);
	p = ExAllocatePool2(POOL_FLAG_NON_PAGED, 64, off_tag);
	if (p)
		ExFreePoolWithTag(p, off_tag);
	local_irq_restore(flags);
	KUNIT_EXPECT_NOT_NULL(test, p);

	st = read_tag(ctx->tag);
	KUNIT_EXPECT_FALSE(test, st.overflow);
	KUNIT_EXPECT_EQ(test, st.u.allocs[NTPOOL_NONPAGED], 1ULL);
	KUNIT_EXPECT_EQ(test, st.u.frees[NTPOOL_NONPAGED], 1ULL);
	st = read_tag(off_tag);
	KUNIT_EXPECT_FALSE(test, st.overflow);
	KUNIT_EXPECT_EQ(test, st.u.allocs[NTPOOL_NONPAGED], 1ULL);
	KUNIT_EXPECT_EQ(test, st.u.frees[NTPOOL_NONPAGED], 1ULL);
}

/* The memory a tag row costs per CPU, and the cap that bounds it. */
/* Sites hold the per-CPU counters: at most 16 MiB of them in all. */
static void site_memory_bound(struct kunit *test)
{
	unsigned long sites = (16UL << 20) /
		(sizeof(struct ntpool_usage_cpu) * num_possible_cpus());
	unsigned long first = NTPOOL_SITES_FIRST_ID;

	KUNIT_EXPECT_EQ(test, sizeof(struct ntpool_usage_cpu), (size_t)16);
	KUNIT_EXPECT_EQ(test, ntpool_sites_max(),
			(unsigned int)(clamp(sites + first - 1, first + 256,
					     (unsigned long)NTPOOL_MAX_SITES) -
				       first + 1));
	KUNIT_EXPECT_EQ(test, ntpool_tags_max(), (unsigned int)NTPOOL_MAX_TAGS);
}

/*
 * A fold between a reader's read of the totals and of the per-CPU shares
 * must be seen whole or not at all: once it moved a share, the reader
 * would count that share twice or never.
 */
static struct ntpool_usage *fold_target;

static void fold_during_read(struct ntpool_usage *u)
{
	unsigned int i;

	if (u != fold_target)
		return;
	fold_target = NULL;
	/* 32 more live blocks: this CPU's share passes the batch. */
	for (i = 0; i < NTPOOL_USAGE_COUNT_BATCH; i++)
		ntpool_usage_alloc(u, NTPOOL_NONPAGED, 16);
}

static void fold_racing_read(struct kunit *test)
{
	struct ntpool_usage *u = kunit_kzalloc(test, sizeof(*u), GFP_KERNEL);
	struct ntpool_usage_stats st;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, u);
	KUNIT_ASSERT_EQ(test, ntpool_usage_init(u, GFP_KERNEL), 0);
	/* A share that is not empty, so that the fold moves something. */
	for (i = 0; i < 10; i++)
		ntpool_usage_alloc(u, NTPOOL_NONPAGED, 16);
	fold_target = u;
	ntpool_usage_read_hook = fold_during_read;
	ntpool_usage_read(u, &st);
	ntpool_usage_read_hook = NULL;
	KUNIT_EXPECT_NULL(test, fold_target);
	/* The read saw the state after the fold: 42 blocks of 16 bytes. */
	KUNIT_EXPECT_EQ(test, st.allocs[NTPOOL_NONPAGED], 42ULL);
	KUNIT_EXPECT_EQ(test, st.count[NTPOOL_NONPAGED], 42LL);
	KUNIT_EXPECT_EQ(test, st.bytes[NTPOOL_NONPAGED], 42LL * 16);
	ntpool_usage_read(u, &st);
	KUNIT_EXPECT_EQ(test, st.bytes[NTPOOL_NONPAGED], 42LL * 16);
	ntpool_usage_destroy(u);
}

/*
 * A CPU that allocates and frees in turn holds few live blocks back, and
 * folds only before its share's count of operations overflows: the sums
 * stay exact across those folds.
 */
static void share_of_pairs(struct kunit *test)
{
	struct ntpool_usage *u = kunit_kzalloc(test, sizeof(*u), GFP_KERNEL);
	struct ntpool_usage_stats st;
	unsigned int i, pairs = NTPOOL_USAGE_SHARE_MAX;

	KUNIT_ASSERT_NOT_NULL(test, u);
	KUNIT_ASSERT_EQ(test, ntpool_usage_init(u, GFP_KERNEL), 0);
	/* One CPU's share: the folds come where the test expects them. */
	migrate_disable();
	ntpool_usage_alloc(u, NTPOOL_PAGED, 64);
	/* Two operations short of the share's limit. */
	for (i = 0; i < (NTPOOL_USAGE_SHARE_MAX - 2) / 2; i++) {
		ntpool_usage_alloc(u, NTPOOL_PAGED, 64);
		ntpool_usage_free(u, NTPOOL_PAGED, 64);
	}
	/* Nothing folded yet: the totals are still empty. */
	KUNIT_EXPECT_EQ(test, u->allocs[NTPOOL_PAGED], 0ULL);
	for (; i < pairs; i++) {
		ntpool_usage_alloc(u, NTPOOL_PAGED, 64);
		ntpool_usage_free(u, NTPOOL_PAGED, 64);
	}
	migrate_enable();
	KUNIT_EXPECT_NE(test, u->allocs[NTPOOL_PAGED], 0ULL);
	ntpool_usage_read(u, &st);
	KUNIT_EXPECT_EQ(test, st.allocs[NTPOOL_PAGED], (u64)pairs + 1);
	KUNIT_EXPECT_EQ(test, st.frees[NTPOOL_PAGED], (u64)pairs);
	KUNIT_EXPECT_EQ(test, st.count[NTPOOL_PAGED], 1LL);
	KUNIT_EXPECT_EQ(test, st.bytes[NTPOOL_PAGED], 64LL);
	/*
	 * The first fold came on a free (one block live), the second on an
	 * allocation (two): operations alternate, and a fold comes every
	 * NTPOOL_USAGE_SHARE_MAX of them, an odd number.
	 */
	KUNIT_EXPECT_EQ(test, st.peak_count[NTPOOL_PAGED], 2LL);
	KUNIT_EXPECT_EQ(test, st.peak_bytes[NTPOOL_PAGED], 128LL);
	ntpool_usage_destroy(u);
}

struct match_case {
	const char *pattern;
	u32 tag;
	bool match;
};

static const struct match_case match_cases[] = {
	{ "WrB1", ('1BrW'), true },
	{ "WrB1", ('1brW'), false },	/* case-sensitive */
	{ "WrB?", ('1BrW'), true },
	{ "W*", ('1BrW'), true },
	{ "*1", ('1BrW'), true },
	{ "*", ('1BrW'), true },
	{ "W?B", ('1BrW'), false },
	{ "Vpb", (' bpV'), true },	/* short means padded with spaces */
	{ "Vpb", ('xbpV'), false },
	{ "Vpb*", ('xbpV'), true },
	{ "0x31427257", ('1BrW'), true },
	{ "0x31427258", ('1BrW'), false },
	{ "a*c*", ('dcba'), true },
	{ "a*x*", ('dcba'), false },
	{ "a*c?", ('dcba'), true },
};

static void match_desc(const struct match_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s vs 0x%08x", c->pattern, c->tag);
}

KUNIT_ARRAY_PARAM(match, match_cases, match_desc);

static void tag_pattern_matching(struct kunit *test)
{
	const struct match_case *c = test->param_value;
	struct ntpool_tag_pattern pat;

	KUNIT_ASSERT_EQ(test, ntpool_tag_pattern_parse(&pat, c->pattern), 0);
	KUNIT_EXPECT_EQ(test, ntpool_tag_pattern_match(&pat, c->tag), c->match);
}

static void tag_pattern_bad_input(struct kunit *test)
{
	static const char * const bad[] = { "", "abcde", "0x", "0xZZ",
					    "0x123456789", "ab\x01", "abcd*e",
					    "**********************" };
	struct ntpool_tag_pattern pat = { .value = 42 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		KUNIT_EXPECT_EQ_MSG(test, ntpool_tag_pattern_parse(&pat, bad[i]),
				    -EINVAL, "pattern \"%s\"", bad[i]);
		KUNIT_EXPECT_EQ(test, pat.value, 42u);
	}
}

static void tag_text(struct kunit *test)
{
	char buf[NTPOOL_TAG_TEXT];

	ntpool_tag_text(('dcba'), buf);
	KUNIT_EXPECT_STREQ(test, buf, "abcd");
	ntpool_tag_text(0x20627056, buf);
	KUNIT_EXPECT_STREQ(test, buf, "Vpb ");
	ntpool_tag_text(0x005c0141, buf);
	KUNIT_EXPECT_STREQ(test, buf, "A\\x01\\x5c\\x00");
}

/* A seq_file over a buffer, to capture what a print function writes. */
static struct seq_file *capture(struct kunit *test)
{
	struct seq_file *m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, m);
	m->size = 64 * 1024;
	m->buf = kunit_kzalloc(test, m->size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m->buf);
	return m;
}

static const char *output(struct kunit *test, struct seq_file *m)
{
	KUNIT_ASSERT_LT(test, m->count, m->size);
	m->buf[m->count] = '\0';
	return m->buf;
}

/* The line of @text that starts with @prefix, copied into @line. */
static bool find_line(const char *text, const char *prefix, char *line,
		      size_t size)
{
	const char *p = text;

	while (p && *p) {
		const char *end = strchrnul(p, '\n');

		if (!strncmp(p, prefix, strlen(prefix))) {
			strscpy(line, p, min_t(size_t, size, end - p + 1));
			return true;
		}
		p = *end ? end + 1 : NULL;
	}
	return false;
}

static void tags_view(struct kunit *test)
{
	const u32 tag = ('1weV');	/* "Vew1" */
	struct seq_file *m = capture(test);
	unsigned long long allocs, frees;
	long long diff, bytes, per, peak;
	struct ntpool_tag_stats *rows;
	char line[256], type[8];
	unsigned long long failed;
	long long expected = 0;
	int i, fields;
	void *p[5];
	size_t n;

	for (i = 0; i < 5; i++)
		p[i] = ExAllocatePool2(POOL_FLAG_PAGED, 200, tag);
	ExFreePoolWithTag(p[0], tag);
	/* 200 bytes: 13 units of data and one of header, 224 block bytes. */
	for (i = 1; i < 5; i++) {
		long long block = ExQueryPoolBlockSize(p[i], NULL) + 16;

		KUNIT_EXPECT_EQ(test, block, 224LL);
		expected += block;
	}
	KUNIT_EXPECT_EQ(test, expected, 4LL * 224);
	rows = ntpool_tags_snapshot(&n);
	KUNIT_ASSERT_NOT_NULL(test, rows);
	ntpool_print_tags(m, rows, n);
	kvfree(rows);
	output(test, m);
	KUNIT_EXPECT_TRUE(test, str_has_prefix(m->buf, "Tag  Type "));
	KUNIT_ASSERT_TRUE(test, find_line(m->buf, "Vew1 Paged", line, sizeof(line)));
	fields = sscanf(line + 5, "%7s %llu %llu %lld %lld %lld %lld %llu", type,
			&allocs, &frees, &diff, &bytes, &per, &peak, &failed);
	KUNIT_ASSERT_EQ(test, fields, 8);
	KUNIT_EXPECT_EQ(test, allocs, 5ULL);
	KUNIT_EXPECT_EQ(test, frees, 1ULL);
	KUNIT_EXPECT_EQ(test, diff, 4LL);
	KUNIT_EXPECT_EQ(test, bytes, expected);
	KUNIT_EXPECT_EQ(test, per, expected / 4);
	KUNIT_EXPECT_EQ(test, failed, 0ULL);
	KUNIT_EXPECT_NOT_NULL(test, strstr(line, " vmlinux"));
	KUNIT_EXPECT_FALSE(test, find_line(m->buf, "Vew1 Nonp", line, sizeof(line)));
	for (i = 1; i < 5; i++)
		ExFreePoolWithTag(p[i], tag);
}

/* Two call sites of one tag, one call site of two tags, another module. */
static u64 sites_module_storage[64];
#define sites_module ((struct module *)sites_module_storage)
/* Its name: without CONFIG_MODULES, every module is "kernel". */
#ifdef CONFIG_MODULES
#define SITES_MODULE	""
#else
#define SITES_MODULE	"kernel"
#endif

static noinline void *sites_first(u32 tag)
{
	return ExAllocatePool2(POOL_FLAG_NON_PAGED, 100, tag);
}

/* 110 bytes, also 128 block bytes: GCC would merge an identical copy. */
static noinline void *sites_second(u32 tag)
{
	return ExAllocatePool2(POOL_FLAG_NON_PAGED, 110, tag);
}

static noinline void *sites_other_module(u32 tag)
{
	struct ntpool_caller caller = { .module = sites_module };

	return ntpool_allocate(POOL_FLAG_NON_PAGED, 64, tag, caller);
}

/* The line for @tag whose call site starts with @caller, parsed. */
static void expect_site(struct kunit *test, const char *text, const char *tag,
			const char *caller, unsigned long long allocs,
			long long diff, long long bytes, const char *flags,
			const char *module)
{
	unsigned long long got_allocs, frees;
	long long got_diff, got_bytes, peak;
	char prefix[64], line[256], type[8], got_flags[8], mod[64], site[128];
	const char *p = text;
	bool found = false;

	snprintf(prefix, sizeof(prefix), "%s Nonp ", tag);
	while (!found && find_line(p, prefix, line, sizeof(line))) {
		int fields = sscanf(line + 5,
				    "%7s %llu %llu %lld %lld %lld %7s %63s %127s",
				    type, &got_allocs, &frees, &got_diff,
				    &got_bytes, &peak, got_flags, mod, site);

		KUNIT_ASSERT_EQ(test, fields, 9);
		/* A module loaded twice has two sites: told apart by allocs. */
		found = str_has_prefix(site, caller) && !strcmp(mod, module) &&
			got_allocs == allocs;
		p = strstr(p, line) + 1;
	}
	KUNIT_ASSERT_TRUE_MSG(test, found, "%s at %s (%s), %llu allocs", tag,
			      caller, module, allocs);
	KUNIT_EXPECT_EQ(test, got_diff, diff);
	KUNIT_EXPECT_EQ(test, got_bytes, bytes);
	KUNIT_EXPECT_GE(test, peak, bytes);
	KUNIT_EXPECT_STREQ(test, got_flags, flags);
}

static const char *sites_text(struct kunit *test)
{
	struct seq_file *m = capture(test);
	/* Every test's call sites are listed: room for all of them. */
	m->size = 1024 * 1024;
	m->buf = kunit_kzalloc(test, m->size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m->buf);
	struct ntpool_site_stats *rows;
	size_t n;

	rows = ntpool_sites_snapshot(&n);
	KUNIT_EXPECT_NOT_NULL(test, rows);
	if (!rows)
		return "";
	ntpool_print_sites(m, rows, n);
	kvfree(rows);
	return output(test, m);
}

static void sites_view(struct kunit *test)
{
	struct ntpool_usage_stats mod_usage;
	struct ntpool_tag_stats st;
	const char *text;
	void *p[7];

	p[0] = sites_first('1tiS');
	p[1] = sites_first('1tiS');
	p[2] = sites_second('1tiS');
	p[3] = sites_second('2tiS');
	p[4] = sites_second('3tiS');
	p[5] = sites_other_module('1tiS');
	p[6] = sites_other_module('1tiS');
	text = sites_text(test);
	KUNIT_EXPECT_TRUE(test, str_has_prefix(text, "Tag  Type "));
	/* 100 bytes: 8 units, 128 block bytes; 64 bytes: 5 units, 80. */
	expect_site(test, text, "Sit1", "sites_first", 2, 2, 256, "M", "vmlinux");
	expect_site(test, text, "Sit1", "sites_second", 1, 1, 128, "MT", "vmlinux");
	expect_site(test, text, "Sit2", "sites_second", 1, 1, 128, "T", "vmlinux");
	expect_site(test, text, "Sit3", "sites_second", 1, 1, 128, "T", "vmlinux");
	expect_site(test, text, "Sit1", "sites_other_module", 2, 2, 160, "M",
		    SITES_MODULE);
	/* The tag's and the module's totals are the sums of their sites'. */
	st = read_tag('1tiS');
	KUNIT_EXPECT_EQ(test, st.u.allocs[NTPOOL_NONPAGED], 5ULL);
	KUNIT_EXPECT_EQ(test, st.u.bytes[NTPOOL_NONPAGED], 3LL * 128 + 2 * 80);
	ntpool_usage_read(&ntpool_client_of(sites_module)->usage, &mod_usage);
	KUNIT_EXPECT_EQ(test, mod_usage.allocs[NTPOOL_NONPAGED], 2ULL);
	KUNIT_EXPECT_EQ(test, mod_usage.bytes[NTPOOL_NONPAGED], 160LL);

	ExFreePoolWithTag(p[0], '1tiS');
	ExFreePoolWithTag(p[5], '1tiS');
	ExFreePoolWithTag(p[6], '1tiS');
	text = sites_text(test);
	expect_site(test, text, "Sit1", "sites_first", 2, 1, 128, "M", "vmlinux");
	expect_site(test, text, "Sit1", "sites_other_module", 2, 0, 0, "M",
		    SITES_MODULE);

	/*
	 * The module goes: its site stays, named, with its counts.  Loaded
	 * again at the same address, it counts at a site of its own.
	 */
	ntpool_client_gone(sites_module);
	ntpool_client_coming(sites_module);
	p[5] = sites_other_module('1tiS');
	text = sites_text(test);
	expect_site(test, text, "Sit1", "sites_other_module", 2, 0, 0, "M",
		    SITES_MODULE);
	expect_site(test, text, "Sit1", "sites_other_module", 1, 1, 80, "M",
		    SITES_MODULE);
	ExFreePoolWithTag(p[5], '1tiS');
	ntpool_client_gone(sites_module);
	ExFreePoolWithTag(p[1], '1tiS');
	ExFreePoolWithTag(p[2], '1tiS');
	ExFreePoolWithTag(p[3], '2tiS');
	ExFreePoolWithTag(p[4], '3tiS');
	st = read_tag('1tiS');
	KUNIT_EXPECT_EQ(test, st.u.allocs[NTPOOL_NONPAGED], 6ULL);
	KUNIT_EXPECT_EQ(test, st.u.bytes[NTPOOL_NONPAGED], 0LL);
}

static noinline void *marks_small(void)
{
	return ExAllocatePool2(POOL_FLAG_NON_PAGED, 100, '1kaM');
}

static noinline void *marks_big(void)
{
	return ExAllocatePool2(POOL_FLAG_PAGED, 8000, '2kaM');
}

/* Parse the marks table's line for @tag at @caller; false if none. */
static bool marks_line(struct kunit *test, const char *text, const char *tag,
		       const char *caller, unsigned long long *blocks,
		       unsigned long long *bytes)
{
	char prefix[16], line[256], type[8], mod[64], site[128];
	int fields;

	snprintf(prefix, sizeof(prefix), "%s ", tag);
	if (!find_line(text, prefix, line, sizeof(line)))
		return false;
	fields = sscanf(line + 5, "%7s %llu %llu %63s %127s", type, blocks,
			bytes, mod, site);
	KUNIT_EXPECT_EQ(test, fields, 5);
	KUNIT_EXPECT_TRUE_MSG(test, str_has_prefix(site, caller), "%s", line);
	return true;
}

static const char *marks_text(struct kunit *test)
{
	struct seq_file *m = capture(test);

	ntpool_print_marks(m);
	return output(test, m);
}

static void marks_view(struct kunit *test)
{
	unsigned long long blocks, bytes;
	void *before, *small[3], *big;
	const char *text;
	char n[16];
	u32 first;

	before = marks_small();
	KUNIT_ASSERT_EQ(test, ntpool_marks_set("mark"), 0);
	first = ntpool_mark();
	small[0] = marks_small();
	small[1] = marks_small();
	small[2] = marks_small();
	big = marks_big();
	ExFreePoolWithTag(small[1], '1kaM');
	text = marks_text(test);
	KUNIT_EXPECT_TRUE(test, str_has_prefix(text, "Mark "));
	/* Two of the three blocks since the mark, not the one before it. */
	KUNIT_ASSERT_TRUE(test, marks_line(test, text, "Mak1", "marks_small",
					   &blocks, &bytes));
	KUNIT_EXPECT_EQ(test, blocks, 2ULL);
	KUNIT_EXPECT_EQ(test, bytes, 2ULL * 128);
	KUNIT_ASSERT_TRUE(test, marks_line(test, text, "Mak2", "marks_big",
					   &blocks, &bytes));
	KUNIT_EXPECT_EQ(test, blocks, 1ULL);
	KUNIT_EXPECT_EQ(test, bytes, 2ULL * PAGE_SIZE);

	/* A newer mark: nothing since; the first one still asks for all. */
	KUNIT_ASSERT_EQ(test, ntpool_marks_set("mark"), 0);
	text = marks_text(test);
	KUNIT_EXPECT_FALSE(test, marks_line(test, text, "Mak1", "", &blocks,
					    &bytes));
	KUNIT_EXPECT_FALSE(test, marks_line(test, text, "Mak2", "", &blocks,
					    &bytes));
	KUNIT_EXPECT_EQ(test, ntpool_marks_set("bogus"), -EINVAL);
	KUNIT_EXPECT_EQ(test, ntpool_marks_set("0"), -EINVAL);
	KUNIT_EXPECT_EQ(test, ntpool_marks_set("4294967295"), -EINVAL);
	snprintf(n, sizeof(n), "%u", first);
	KUNIT_ASSERT_EQ(test, ntpool_marks_set(n), 0);
	text = marks_text(test);
	KUNIT_ASSERT_TRUE(test, marks_line(test, text, "Mak1", "marks_small",
					   &blocks, &bytes));
	KUNIT_EXPECT_EQ(test, blocks, 2ULL);

	/* Only the newest 16 can be asked for. */
	while (ntpool_mark() < first + NTPOOL_HDR_MARKS)
		KUNIT_ASSERT_EQ(test, ntpool_marks_set("mark"), 0);
	snprintf(n, sizeof(n), "%u", first);
	KUNIT_EXPECT_EQ(test, ntpool_marks_set(n), -EINVAL);
	snprintf(n, sizeof(n), "%u", first + 1);
	KUNIT_EXPECT_EQ(test, ntpool_marks_set(n), 0);
	KUNIT_EXPECT_EQ(test, ntpool_marks_set("mark"), 0);
	ExFreePoolWithTag(before, '1kaM');
	ExFreePoolWithTag(small[0], '1kaM');
	ExFreePoolWithTag(small[2], '1kaM');
	ExFreePoolWithTag(big, '2kaM');
}

static void poolused_view(struct kunit *test)
{
	const u32 tag = ('2weV');
	struct seq_file *m = capture(test);
	struct ntpool_tag_stats *rows;
	long long np, npu, pg, pgu;
	char line[256];
	void *a, *b;
	int fields;
	size_t n;

	a = ExAllocatePool2(POOL_FLAG_NON_PAGED, 40, tag);
	b = ExAllocatePool2(POOL_FLAG_PAGED, 5000, tag);
	rows = ntpool_tags_snapshot(&n);
	KUNIT_ASSERT_NOT_NULL(test, rows);
	ntpool_print_poolused(m, rows, n);
	kvfree(rows);
	output(test, m);
	KUNIT_EXPECT_TRUE(test, str_has_prefix(m->buf, " Sorting by Tag"));
	KUNIT_ASSERT_TRUE(test, find_line(m->buf, " Vew2", line, sizeof(line)));
	fields = sscanf(line + 6, "%lld %lld %lld %lld", &np, &npu, &pg, &pgu);
	KUNIT_ASSERT_EQ(test, fields, 4);
	KUNIT_EXPECT_EQ(test, np, 1LL);
	KUNIT_EXPECT_EQ(test, npu, 64LL);
	KUNIT_EXPECT_EQ(test, pg, 1LL);
	KUNIT_EXPECT_EQ(test, pgu, 2LL * PAGE_SIZE);
	KUNIT_EXPECT_NOT_NULL(test, strstr(line, "UNKNOWN pooltag 'Vew2'"));
	KUNIT_EXPECT_TRUE(test, find_line(m->buf, " TOTAL", line, sizeof(line)));
	ExFreePool(a);
	ExFreePool(b);
}

static const char vew3_pooltag[] =
	"\t\tPooltag Vew3 : (no pooltag description), Binary : vmlinux\n";
static const char vew4_scan[] =
	"Scanning large pool allocation table for Tag: Vew4\n";

static void pool_view(struct kunit *test)
{
	const u32 tag = ('3weV');
	struct seq_file *m = capture(test);
	u8 *a = ExAllocatePool2(POOL_FLAG_NON_PAGED, 48, tag);
	u8 *big = ExAllocatePool2(POOL_FLAG_PAGED, 3 * PAGE_SIZE, tag);
	int local;
	char want[80], line[256];

	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, big);
	/* A pointer inside the block: the page walk, that block starred. */
	ntpool_print_pool(m, (unsigned long)(a + 20));
	output(test, m);
	snprintf(want, sizeof(want), "Pool page %016lx region is Nonpaged pool",
		 (unsigned long)(a + 20));
	KUNIT_EXPECT_TRUE(test, str_has_prefix(m->buf, want));
	snprintf(want, sizeof(want), "*%016lx size:   40 previous size:",
		 (unsigned long)(a - 16));
	KUNIT_ASSERT_TRUE(test, find_line(m->buf, want, line, sizeof(line)));
	KUNIT_EXPECT_NOT_NULL(test, strstr(line, "(Allocated) *Vew3"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(m->buf, vew3_pooltag));

	/* Inside a big block: its entry. */
	m->count = 0;
	ntpool_print_pool(m, (unsigned long)(big + PAGE_SIZE + 8));
	output(test, m);
	snprintf(want, sizeof(want),
		 "*%016lx : large page allocation, tag is Vew3, size is 0x3000 bytes",
		 (unsigned long)big);
	KUNIT_EXPECT_NOT_NULL(test, strstr(m->buf, want));

	/* Memory ntpool does not own: one line, never read. */
	m->count = 0;
	ntpool_print_pool(m, (unsigned long)&local);
	output(test, m);
	KUNIT_EXPECT_NOT_NULL(test, strstr(m->buf, "is not in a pool page ntpool owns"));
	m->count = 0;
	ntpool_print_pool(m, 0x1234);
	output(test, m);
	KUNIT_EXPECT_NOT_NULL(test, strstr(m->buf, "is not in a pool page ntpool owns"));
	ExFreePool(a);
	ExFreePool(big);

	/*
	 * 4064 bytes take 255 units of a page: the last unit is a free
	 * block of its own, shown as such, after the block (its tag is the
	 * one of whichever request carved the page).
	 */
	a = ExAllocatePool2(POOL_FLAG_NON_PAGED, NTPOOL_MAX_SMALL, tag);
	KUNIT_ASSERT_NOT_NULL(test, a);
	m->count = 0;
	ntpool_print_pool(m, (unsigned long)(a - 16 + PAGE_SIZE - 1));
	output(test, m);
	snprintf(want, sizeof(want),
		 " %016lx size:  ff0 previous size:    0  (Allocated)  Vew3",
		 (unsigned long)(a - 16));
	KUNIT_EXPECT_TRUE(test, find_line(m->buf, want, line, sizeof(line)));
	snprintf(want, sizeof(want),
		 "*%016lx size:   10 previous size:  ff0  (Free)      *",
		 (unsigned long)(a - 16 + PAGE_SIZE - 16));
	KUNIT_EXPECT_TRUE(test, find_line(m->buf, want, line, sizeof(line)));
	ExFreePool(a);
}

static void poolfind_and_bigpool_views(struct kunit *test)
{
	const u32 tag = ('4weV');
	struct ntpool_tag_pattern pat;
	struct seq_file *m = capture(test);
	u8 *a = ExAllocatePool2(POOL_FLAG_PAGED, 48, tag);
	u8 *b = ExAllocatePool2(POOL_FLAG_PAGED, 300, tag);
	u8 *big = ExAllocatePool2(POOL_FLAG_PAGED, 2 * PAGE_SIZE, tag);
	u8 *other = ExAllocatePool2(POOL_FLAG_NON_PAGED, 48, tag);
	char want[96];

	KUNIT_ASSERT_EQ(test, ntpool_tag_pattern_parse(&pat, "Vew4"), 0);
	ntpool_print_poolfind(m, &pat, NTPOOL_PAGED);
	output(test, m);
	KUNIT_EXPECT_TRUE(test, str_has_prefix(m->buf, vew4_scan));
	snprintf(want, sizeof(want), " %016lx : large page allocation, tag is Vew4",
		 (unsigned long)big);
	KUNIT_EXPECT_NOT_NULL(test, strstr(m->buf, want));
	KUNIT_EXPECT_NOT_NULL(test, strstr(m->buf, "Searching Paged pool for Tag: Vew4\n"));
	snprintf(want, sizeof(want), " %016lx size:   40", (unsigned long)(a - 16));
	KUNIT_EXPECT_NOT_NULL(test, strstr(m->buf, want));
	snprintf(want, sizeof(want), " %016lx size:  140", (unsigned long)(b - 16));
	KUNIT_EXPECT_NOT_NULL(test, strstr(m->buf, want));
	snprintf(want, sizeof(want), "%016lx", (unsigned long)(other - 16));
	KUNIT_EXPECT_NULL(test, strstr(m->buf, want));

	m->count = 0;
	ntpool_print_bigpool(m);
	output(test, m);
	snprintf(want, sizeof(want), "%016lx         8192      2 Vew4 Paged vmlinux",
		 (unsigned long)big);
	KUNIT_EXPECT_NOT_NULL(test, strstr(m->buf, want));
	ExFreePool(a);
	ExFreePool(b);
	ExFreePool(big);
	ExFreePool(other);
}

static void poolfind_parse(struct kunit *test)
{
	static const char * const bad[] = { "WrB1 2", "WrB1 x", "toolongpattern",
					    "WrB1 1 1", "0xnothex" };
	struct ntpool_tag_pattern pat;
	enum ntpool_kind kind = NTPOOL_PAGED;
	char buf[32];
	unsigned int i;

	strscpy(buf, "WrB1", sizeof(buf));
	KUNIT_EXPECT_EQ(test, ntpool_poolfind_parse(buf, &pat, &kind), 0);
	KUNIT_EXPECT_EQ(test, kind, NTPOOL_NONPAGED);
	KUNIT_EXPECT_STREQ(test, pat.glob, "WrB1");
	strscpy(buf, "0x31427257 1", sizeof(buf));
	KUNIT_EXPECT_EQ(test, ntpool_poolfind_parse(buf, &pat, &kind), 0);
	KUNIT_EXPECT_EQ(test, kind, NTPOOL_PAGED);
	KUNIT_EXPECT_TRUE(test, pat.by_value);
	KUNIT_EXPECT_EQ(test, pat.value, 0x31427257u);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		strscpy(buf, bad[i], sizeof(buf));
		KUNIT_EXPECT_EQ_MSG(test, ntpool_poolfind_parse(buf, &pat, &kind),
				    -EINVAL, "input \"%s\"", bad[i]);
	}
}

static void pooltag_data(struct kunit *test)
{
	static const char good[] =
		"rem ntpool test descriptions\n"
		"\n"
		"Ptg1 - ptg1.sys     - Exact entry\r\n"
		"Ptg? - <unknown>    - Wildcard entry\n"
		"// another comment\n"
		"Sp   - nt!sp        - Short tag, padded\n";
	static const char * const bad[] = {
		"Ptg9 - only two fields\n",
		"Ptg9 - a - ok\nbroken line\n",
		"TooLongTag - x - y\n",
		" - x - no tag\n",
		"Ptg9 - no end of line and broken",
	};
	struct ntpool_pooltag_text text;
	unsigned int i, before;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		before = ntpool_pooltag_count();
		KUNIT_EXPECT_EQ_MSG(test, ntpool_pooltag_load(bad[i], strlen(bad[i])),
				    -EINVAL, "input \"%s\"", bad[i]);
		KUNIT_EXPECT_EQ(test, ntpool_pooltag_count(), before);
	}
	KUNIT_EXPECT_FALSE(test, ntpool_pooltag_lookup(('9gtP'), &text));

	KUNIT_ASSERT_EQ(test, ntpool_pooltag_load(good, strlen(good)), 0);
	KUNIT_ASSERT_TRUE(test, ntpool_pooltag_lookup(('1gtP'), &text));
	KUNIT_EXPECT_STREQ(test, text.binary, "ptg1.sys");
	KUNIT_EXPECT_STREQ(test, text.desc, "Exact entry");
	KUNIT_ASSERT_TRUE(test, ntpool_pooltag_lookup(('2gtP'), &text));
	KUNIT_EXPECT_STREQ(test, text.desc, "Wildcard entry");
	KUNIT_ASSERT_TRUE(test, ntpool_pooltag_lookup(('  pS'), &text));
	KUNIT_EXPECT_STREQ(test, text.binary, "nt!sp");
	KUNIT_EXPECT_FALSE(test, ntpool_pooltag_lookup(('xxpS'), &text));

	/* The same entries again replace the old ones: nothing added. */
	before = ntpool_pooltag_count();
	KUNIT_ASSERT_EQ(test, ntpool_pooltag_load(good, strlen(good)), 0);
	KUNIT_EXPECT_EQ(test, ntpool_pooltag_count(), before);
}

/* A load arrives in pieces that end mid-line, as cat writes a big file. */
static void pooltag_load_in_pieces(struct kunit *test)
{
	static const char text[] =
		"rem written in pieces\n"
		"Pcs1 - pieces.sys   - First entry\n"
		"Pcs2 - pieces.sys   - Second entry, split across pieces\n"
		"Pcs3 - pieces.sys   - Last entry, no end of line";
	struct ntpool_pooltag_text found;
	struct ntpool_pooltag_load *ld;
	unsigned int before = ntpool_pooltag_count(), i;

	ld = ntpool_pooltag_load_begin();
	KUNIT_ASSERT_NOT_NULL(test, ld);
	for (i = 0; i < sizeof(text) - 1; i += 5) {
		size_t n = min_t(size_t, 5, sizeof(text) - 1 - i);

		KUNIT_ASSERT_EQ(test, ntpool_pooltag_load_text(ld, text + i, n), 0);
	}
	/* Nothing is visible before the load ends. */
	KUNIT_EXPECT_FALSE(test, ntpool_pooltag_lookup(('1scP'), &found));
	KUNIT_ASSERT_EQ(test, ntpool_pooltag_load_end(ld), 0);
	KUNIT_EXPECT_EQ(test, ntpool_pooltag_count(), before + 3);
	KUNIT_ASSERT_TRUE(test, ntpool_pooltag_lookup(('2scP'), &found));
	KUNIT_EXPECT_STREQ(test, found.desc, "Second entry, split across pieces");
	KUNIT_ASSERT_TRUE(test, ntpool_pooltag_lookup(('3scP'), &found));
	KUNIT_EXPECT_STREQ(test, found.desc, "Last entry, no end of line");

	/* A bad line in a later piece spoils the whole load. */
	ld = ntpool_pooltag_load_begin();
	KUNIT_ASSERT_NOT_NULL(test, ld);
	KUNIT_EXPECT_EQ(test, ntpool_pooltag_load_text(ld, "Pcs4 - p - ok\nPc", 16), 0);
	KUNIT_EXPECT_EQ(test, ntpool_pooltag_load_text(ld, "s5 - broken\n", 12), -EINVAL);
	KUNIT_EXPECT_EQ(test, ntpool_pooltag_load_text(ld, "Pcs6 - p - ok\n", 14), -EINVAL);
	KUNIT_EXPECT_EQ(test, ntpool_pooltag_load_end(ld), -EINVAL);
	KUNIT_EXPECT_FALSE(test, ntpool_pooltag_lookup(('4scP'), &found));
	KUNIT_EXPECT_EQ(test, ntpool_pooltag_count(), before + 3);
}

static struct kunit_case ntpool_tags_cases[] = {
	KUNIT_CASE(counts_after_known_sequence),
	KUNIT_CASE(block_bytes_exact),
	KUNIT_CASE(big_blocks_and_peak),
	KUNIT_CASE(failures_counted),
	KUNIT_CASE(concurrent_updates),
	KUNIT_CASE(new_tags_without_sleeping),
	KUNIT_CASE(site_memory_bound),
	KUNIT_CASE(fold_racing_read),
	KUNIT_CASE(share_of_pairs),
	KUNIT_CASE_PARAM(tag_pattern_matching, match_gen_params),
	KUNIT_CASE(tag_pattern_bad_input),
	KUNIT_CASE(tag_text),
	KUNIT_CASE(tags_view),
	KUNIT_CASE(sites_view),
	KUNIT_CASE(marks_view),
	KUNIT_CASE(poolused_view),
	KUNIT_CASE(pool_view),
	KUNIT_CASE(poolfind_and_bigpool_views),
	KUNIT_CASE(poolfind_parse),
	KUNIT_CASE(pooltag_data),
	KUNIT_CASE(pooltag_load_in_pieces),
	{}
};

static struct kunit_suite ntpool_tags_suite = {
	.name = "ntpool_tags",
	.test_cases = ntpool_tags_cases,
};

kunit_test_suite(ntpool_tags_suite);

MODULE_DESCRIPTION("KUnit tests for ntpool's tag accounting and views");
MODULE_LICENSE("GPL");
