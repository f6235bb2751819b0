// SPDX-License-Identifier: GPL-2.0
/*
 * ntfuzz - the corruption fuzz client: a client that writes where it must
 * not, one numbered case at a time, and then checks that the pool still
 * works.  tools/test/vm/fuzz.sh drives it; it is no example to follow.
 *
 * Each case corrupts one thing and then does what a driver would do next:
 *
 *   hdr     a field of an allocated block's _POOL_HEADER, written with one
 *           of several values directly or by the left neighbour running
 *           over its end, then the block and its neighbours freed;
 *   freehdr a field of a free block's header (on a free list, or on a
 *           per-CPU cache), then allocations of its size and frees of its
 *           neighbours;
 *   link    the list_head after a free block's header;
 *   slack   one byte between the requested size and the block's end;
 *   waf     a write after free over a freed block, header or body or both;
 *   big     a block of more than a page freed at a wrong offset, twice, or
 *           freed twice;
 *
 * in both pools, and for small blocks on the per-CPU path (64 bytes, the
 * cache having room), on the locked path (800 bytes, its per-CPU cache
 * filled first) and, for writes after free, on the locked path of 64
 * bytes, that cache full.
 *
 * debugfs ntfuzz/cases lists the cases, "N name" a line.  Writing N to
 * ntfuzz/run sets case N up (its blocks, the per-CPU cache); "corrupt"
 * then corrupts and frees the victim; "finish" does the rest: the
 * neighbours are freed and, before and after, many blocks of assorted
 * sizes (the victim's among them) are allocated, filled and checked: none
 * may overlap another or a live neighbour, and no contents may change.
 * Reading ntfuzz/run tells the outcome.  Which reports came is read by the script from ntpool's
 * debugfs "verifier" view.  Everything runs on the first online CPU, so
 * that the per-CPU cache the case fills is the one it then allocates from.
 */
#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>
#include <ntpool/ntpool.h>

#define TAG_VICTIM	('iVzF')	/* shows as "FzVi" */
#define TAG_NEIGHBOUR	('bNzF')	/* "FzNb" */
#define TAG_CHECK	('kCzF')	/* "FzCk" */

#define HDR		16	/* bytes of a _POOL_HEADER */
#define PCP_DEPTH	16	/* most blocks a per-CPU cache holds of a size */
#define NR_CHECK	128	/* blocks the consistency check allocates */
#define NR_HOT		48	/* of which of the victim's size */
#define NR_KEEP		(2 * PCP_DEPTH + 8)
#define TRIPLET_TRIES	256

enum fuzz_family { FAM_HDR, FAM_FREEHDR, FAM_LINK, FAM_SLACK, FAM_WAF, FAM_BIG,
	      FAM_NR };

static const char * const family_names[FAM_NR] = {
	"hdr", "freehdr", "link", "slack", "waf", "big",
};

struct fuzz_field {
	const char *name;
	u8 off, len;
};

static const struct fuzz_field fields[] = {
	{ "PreviousSize", 0, 1 }, { "PoolIndex", 1, 1 },
	{ "BlockSize", 2, 1 }, { "PoolType", 3, 1 }, { "PoolTag", 4, 4 },
	{ "RequestedSize", 8, 2 }, { "TagId", 10, 2 }, { "Spare", 12, 4 },
};

enum fuzz_value { VAL_ZERO, VAL_ONE, VAL_ONES, VAL_RANDOM, VAL_NEIGHBOUR, VAL_NR };

static const char * const value_names[VAL_NR] = {
	"0", "1", "0xff", "random", "neighbour",
};

enum link_value { LINK_NULL, LINK_41, LINK_OTHER, LINK_SELF, LINK_NR };

static const char * const link_names[LINK_NR] = {
	"0", "0x4141414141414141", "other-free-block", "itself",
};

/* Which free path the victim takes. */
enum fuzz_path { PATH_FAST, PATH_SLOW, PATH_FULL, PATH_NR };

static const char * const path_names[PATH_NR] = { "fast", "slow", "pcp-full" };

/* Victim and neighbour sizes per path: multiples of 16, no slack. */
static const size_t victim_size[PATH_NR] = { 64, 800, 64 };
static const size_t neighbour_size[PATH_NR] = { 48, 704, 48 };

enum waf_what { WAF_WHOLE, WAF_HEADER, WAF_BODY, WAF_NR };

static const char * const waf_names[WAF_NR] = { "whole", "header", "body" };

static const size_t slack_size[2] = { 100, 900 };	/* fast, slow */
#define SLACK_FAST	12	/* 100 bytes in a block of 112 */
#define SLACK_SLOW	12	/* 900 bytes in a block of 912 */

#define BIG_SIZE	5000
static const long big_offsets[] = { 16, 8, 4080, 4096 };
#define BIG_CASES	(ARRAY_SIZE(big_offsets) + 1)	/* + double free */

struct fuzz_case {
	enum fuzz_family fam;
	unsigned int kind;	/* 0 non-paged, 1 paged */
	unsigned int field, value, mode, path, pos;
	char name[96];
};

/* A block the case keeps while it runs, with what it must still hold. */
struct live {
	u8 *p;
	size_t size;
	u8 pattern;
};

static struct {
	struct fuzz_case c;
	POOL_FLAGS pool;
	struct live a, b, c2, other_a, other_c;
	u8 *victim;
	u8 *other;
	u8 *keep[NR_KEEP];		/* per-CPU cache drains and fillers */
	unsigned int nr_keep;
	u8 *spare[TRIPLET_TRIES][3];
	u8 *check[NR_CHECK];
	size_t check_size[NR_CHECK];
	bool expect_report;
	u32 rng;
	char out[512];
	size_t out_len;
} st;

static DEFINE_MUTEX(fuzz_lock);

static __printf(1, 2) void out(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	st.out_len += vscnprintf(st.out + st.out_len,
				 sizeof(st.out) - st.out_len, fmt, ap);
	va_end(ap);
}

/* Deterministic "random" bytes: a case run again does the same. */
static u8 next_random(void)
{
	st.rng ^= st.rng << 13;
	st.rng ^= st.rng >> 17;
	st.rng ^= st.rng << 5;
	return st.rng >> 24;
}

/* ----- the list of cases ----- */

static unsigned int family_cases(enum fuzz_family fam)
{
	switch (fam) {
	case FAM_HDR:
		return 2 * 2 * 2 * ARRAY_SIZE(fields) * VAL_NR;
	case FAM_FREEHDR:
		return 2 * 2 * ARRAY_SIZE(fields) * VAL_NR;
	case FAM_LINK:
		return 2 * 2 * 2 * LINK_NR;
	case FAM_SLACK:
		return 2 * (SLACK_FAST + SLACK_SLOW);
	case FAM_WAF:
		return 2 * PATH_NR * WAF_NR * 2;
	case FAM_BIG:
		return 2 * BIG_CASES;
	default:
		return 0;
	}
}

/* Take the next digit of a mixed-radix case number. */
static unsigned int digit(unsigned int *n, unsigned int radix)
{
	unsigned int d = *n % radix;

	*n /= radix;
	return d;
}

static void name_case(struct fuzz_case *c)
{
	const char *pool = c->kind ? "paged" : "nonpaged";
	const char *fam = family_names[c->fam];
	const char *path = path_names[c->path];

	switch (c->fam) {
	case FAM_HDR:
		snprintf(c->name, sizeof(c->name), "%s/%s/%s/%s/%s=%s", fam,
			 pool, path, c->mode ? "overrun" : "direct",
			 fields[c->field].name, value_names[c->value]);
		break;
	case FAM_FREEHDR:
		snprintf(c->name, sizeof(c->name), "%s/%s/%s/%s=%s", fam, pool,
			 path, fields[c->field].name, value_names[c->value]);
		break;
	case FAM_LINK:
		snprintf(c->name, sizeof(c->name), "%s/%s/%s/%s=%s", fam, pool,
			 path, c->field ? "prev" : "next",
			 link_names[c->value]);
		break;
	case FAM_SLACK:
		snprintf(c->name, sizeof(c->name), "%s/%s/%s/size=%zu/byte=%u",
			 fam, pool, path, slack_size[c->path], c->pos);
		break;
	case FAM_WAF:
		snprintf(c->name, sizeof(c->name), "%s/%s/%s/size=%zu/%s=0x%02x",
			 fam, pool, path, victim_size[c->path],
			 waf_names[c->mode], c->value ? 0x41 : 0);
		break;
	default:
		if (c->pos < ARRAY_SIZE(big_offsets))
			snprintf(c->name, sizeof(c->name),
				 "%s/%s/size=%d/free-at+%ld-twice", fam, pool,
				 BIG_SIZE, big_offsets[c->pos]);
		else
			snprintf(c->name, sizeof(c->name),
				 "%s/%s/size=%d/double-free", fam, pool,
				 BIG_SIZE);
	}
}

/* Case number @n, counted from 1, to what it does. */
static bool decode(unsigned int n, struct fuzz_case *c)
{
	enum fuzz_family fam;

	if (!n--)
		return false;
	for (fam = 0; fam < FAM_NR && n >= family_cases(fam); fam++)
		n -= family_cases(fam);
	if (fam == FAM_NR)
		return false;
	*c = (struct fuzz_case) { .fam = fam };
	c->kind = digit(&n, 2);
	switch (fam) {
	case FAM_HDR:
		c->path = digit(&n, 2);
		c->mode = digit(&n, 2);
		c->field = digit(&n, ARRAY_SIZE(fields));
		c->value = digit(&n, VAL_NR);
		break;
	case FAM_FREEHDR:
		c->path = digit(&n, 2);
		c->field = digit(&n, ARRAY_SIZE(fields));
		c->value = digit(&n, VAL_NR);
		break;
	case FAM_LINK:
		c->path = digit(&n, 2);
		c->field = digit(&n, 2);
		c->value = digit(&n, LINK_NR);
		break;
	case FAM_SLACK:
		c->path = n >= SLACK_FAST;
		c->pos = slack_size[c->path] + (c->path ? n - SLACK_FAST : n);
		break;
	case FAM_WAF:
		c->path = digit(&n, PATH_NR);
		c->mode = digit(&n, WAF_NR);
		c->value = digit(&n, 2);
		break;
	default:
		c->pos = n;
	}
	name_case(c);
	return true;
}

static unsigned int nr_cases(void)
{
	unsigned int n = 0;
	enum fuzz_family fam;

	for (fam = 0; fam < FAM_NR; fam++)
		n += family_cases(fam);
	return n;
}

/* ----- blocks ----- */

static u8 *alloc(size_t size, u32 tag)
{
	return ExAllocatePool2(st.pool | POOL_FLAG_UNINITIALIZED, size, tag);
}

static void fill(struct live *l, u8 *p, size_t size, u8 pattern)
{
	*l = (struct live) { .p = p, .size = size, .pattern = pattern };
	memset(p, pattern, size);
}

static bool intact(const struct live *l)
{
	return !l->p || !memchr_inv(l->p, l->pattern, l->size);
}

static void keep(u8 *p)
{
	if (p && st.nr_keep < NR_KEEP)
		st.keep[st.nr_keep++] = p;
	else if (p)
		ExFreePoolWithTag(p, TAG_NEIGHBOUR);
}

static void free_kept(void)
{
	while (st.nr_keep)
		ExFreePoolWithTag(st.keep[--st.nr_keep], TAG_NEIGHBOUR);
}

/* Is @y's header right after the end of @x, a block of @size bytes? */
static bool next_to(const u8 *x, size_t size, const u8 *y)
{
	return y == x + round_up(size, HDR) + HDR &&
	       ((unsigned long)(x - HDR) >> PAGE_SHIFT) ==
	       ((unsigned long)(y - HDR) >> PAGE_SHIFT);
}

/*
 * Three blocks back to back in one page: @a (@sa bytes), the victim @b
 * (@sb bytes, tagged as the victim) and @c (@sa bytes).  Blocks are taken
 * three at a time until three in a row are; the others are freed.
 */
static bool triplet(struct live *a, u8 **b, struct live *c, size_t sa,
		    size_t sb, u8 pattern)
{
	u8 *(*spare)[3] = st.spare;
	unsigned int n, i;
	bool found = false;

	for (n = 0; n < TRIPLET_TRIES && !found; n++) {
		spare[n][0] = alloc(sa, TAG_NEIGHBOUR);
		spare[n][1] = alloc(sb, TAG_VICTIM);
		spare[n][2] = alloc(sa, TAG_NEIGHBOUR);
		found = spare[n][0] && spare[n][1] && spare[n][2] &&
			next_to(spare[n][0], sa, spare[n][1]) &&
			next_to(spare[n][1], sb, spare[n][2]);
	}
	for (i = 0; i < n - found; i++) {
		if (spare[i][0])
			ExFreePoolWithTag(spare[i][0], TAG_NEIGHBOUR);
		if (spare[i][1])
			ExFreePoolWithTag(spare[i][1], TAG_VICTIM);
		if (spare[i][2])
			ExFreePoolWithTag(spare[i][2], TAG_NEIGHBOUR);
	}
	if (!found)
		return false;
	fill(a, spare[n - 1][0], sa, pattern);
	fill(c, spare[n - 1][2], sa, pattern + 1);
	*b = spare[n - 1][1];
	memset(*b, pattern + 2, sb);
	return true;
}

static void free_live(struct live *l)
{
	if (l->p)
		ExFreePoolWithTag(l->p, TAG_NEIGHBOUR);
	l->p = NULL;
}

/* ----- the consistency check ----- */

static const size_t check_sizes[] = {
	8, 16, 24, 40, 48, 64, 80, 100, 128, 200, 256, 496, 500, 704, 800,
	1000, 2000, 3000, 4064, 5000, 9000,
};

static bool overlaps(const u8 *p, size_t n, const u8 *q, size_t m)
{
	return p < q + m && q < p + n;
}

static const struct live *const sentinels[] = {
	&st.a, &st.c2, &st.other_a, &st.other_c,
};

/* Does check block @i overlap [@q, @q + @m), which is @what? */
static bool overlap_found(unsigned int i, const u8 *q, size_t m,
			  const char *what)
{
	if (!q || !overlaps(st.check[i], st.check_size[i], q, m))
		return false;
	out("check FAIL block %lx (%zu bytes) overlaps %s %lx (%zu bytes)\n",
	    (unsigned long)st.check[i], st.check_size[i], what,
	    (unsigned long)q, m);
	return true;
}

/* Blocks overlapping each other or a live neighbour: handed out twice. */
static bool check_overlaps(unsigned int nr)
{
	unsigned int i, j;

	for (i = 0; i < nr; i++) {
		for (j = 0; j < ARRAY_SIZE(sentinels); j++)
			if (overlap_found(i, sentinels[j]->p,
					  sentinels[j]->size, "live neighbour"))
				return false;
		for (j = 0; j < i; j++)
			if (overlap_found(i, st.check[j], st.check_size[j],
					  "block"))
				return false;
	}
	return true;
}

static u8 check_pattern(unsigned int i)
{
	return 0x10 + i % 0x80;
}

static bool check_contents(unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		if (memchr_inv(st.check[i], check_pattern(i), st.check_size[i])) {
			out("check FAIL contents of block %lx (%zu bytes) changed\n",
			    (unsigned long)st.check[i], st.check_size[i]);
			return false;
		}
	for (i = 0; i < ARRAY_SIZE(sentinels); i++)
		if (!intact(sentinels[i])) {
			out("check FAIL contents of live neighbour %lx changed\n",
			    (unsigned long)sentinels[i]->p);
			return false;
		}
	return true;
}

/*
 * Allocate many blocks, @hot bytes first (they take what the per-CPU cache
 * and the free lists hold of the victim's size), fill them, check them,
 * free them.
 */
static bool check_pool(const char *when, size_t hot)
{
	unsigned int i, nr = 0;
	bool ok = true;

	for (i = 0; i < NR_CHECK; i++) {
		size_t size = i < NR_HOT && hot ? hot :
			      check_sizes[i % ARRAY_SIZE(check_sizes)];
		u8 *p = alloc(size, TAG_CHECK);

		if (!p) {
			out("check FAIL %s: allocation of %zu bytes failed\n",
			    when, size);
			ok = false;
			break;
		}
		st.check[nr] = p;
		st.check_size[nr++] = size;
		memset(p, check_pattern(i), size);
	}
	ok = ok && check_overlaps(nr) && check_contents(nr);
	while (nr--)
		ExFreePoolWithTag(st.check[nr], TAG_CHECK);
	return ok;
}

/* ----- the cases ----- */

/* The value to write over bytes [from, to) of the header at @hdr. */
static void value_bytes(u8 *buf, const u8 *neighbour_hdr, unsigned int from,
			unsigned int to)
{
	unsigned int i;

	for (i = from; i < to; i++) {
		switch (st.c.value) {
		case VAL_ZERO:
			buf[i] = 0;
			break;
		case VAL_ONE:
			/* The field's value is 1: its low byte. */
			buf[i] = i == fields[st.c.field].off;
			break;
		case VAL_ONES:
			buf[i] = 0xff;
			break;
		case VAL_RANDOM:
			buf[i] = next_random();
			break;
		default:
			buf[i] = neighbour_hdr[i];
		}
	}
}

/*
 * Overwrite a field of the header at @hdr (of the block after @left):
 * directly, or by writing on from the end of @left through the field.
 * Return: whether any byte changed.
 */
static bool corrupt_header(u8 *hdr, const u8 *left, bool overrun)
{
	const struct fuzz_field *f = &fields[st.c.field];
	unsigned int from = overrun ? 0 : f->off, end = f->off + f->len;
	u8 buf[HDR];

	memcpy(buf, hdr, HDR);
	value_bytes(buf, left - HDR, f->off, end);
	if (overrun && st.c.value == VAL_ONE)
		memset(buf, 1, f->off);
	else if (overrun)
		value_bytes(buf, left - HDR, 0, f->off);
	if (!memcmp(buf + from, hdr + from, end - from))
		return false;
	memcpy(hdr + from, buf + from, end - from);
	return true;
}

/* Take what this CPU's cache holds of @size, so that a free goes there. */
static void drain_pcp(size_t size)
{
	unsigned int i;

	for (i = 0; i < PCP_DEPTH; i++)
		keep(alloc(size, TAG_NEIGHBOUR));
}

/* Fill this CPU's cache for @size, so that a free takes the locked path. */
static void fill_pcp(size_t size)
{
	u8 *p[PCP_DEPTH];
	unsigned int i;

	for (i = 0; i < PCP_DEPTH; i++)
		p[i] = alloc(size, TAG_NEIGHBOUR);
	for (i = 0; i < PCP_DEPTH; i++)
		if (p[i])
			ExFreePoolWithTag(p[i], TAG_NEIGHBOUR);
}

/* A, victim, C back to back; the victim's page is told to the script. */
static bool arrange(size_t sa, size_t sv)
{
	if (!triplet(&st.a, &st.victim, &st.c2, sa, sv, 0x20)) {
		out("setup FAIL: no three blocks back to back\n");
		return false;
	}
	out("page %lx\n", (unsigned long)(st.victim - HDR));
	if (st.c.path == PATH_FAST)
		drain_pcp(sv);
	else
		fill_pcp(sv);
	return true;
}

/* Most cases: A, the victim and C, of the sizes of the case's path. */
static int arrange_triplet(void)
{
	size_t sv = victim_size[st.c.path];

	if (st.c.fam == FAM_SLACK)
		sv = slack_size[st.c.path];
	return arrange(neighbour_size[st.c.path], sv) ? 0 : -EAGAIN;
}

static void corrupt_hdr(void)
{
	st.expect_report = corrupt_header(st.victim - HDR, st.a.p, st.c.mode);
	ExFreePoolWithTag(st.victim, TAG_VICTIM);
}

static void corrupt_freehdr(void)
{
	ExFreePoolWithTag(st.victim, TAG_VICTIM);
	corrupt_header(st.victim - HDR, st.a.p, false);
}

/* Another free block of the victim's size first, for links to point at. */
static int arrange_link(void)
{
	size_t sa = neighbour_size[st.c.path], sv = victim_size[st.c.path];

	if (st.c.value == LINK_OTHER &&
	    !triplet(&st.other_a, &st.other, &st.other_c, sa, sv, 0x30)) {
		out("setup FAIL: no three blocks back to back\n");
		return -EAGAIN;
	}
	return arrange_triplet();
}

static void corrupt_link(void)
{
	u64 value = 0;

	if (st.other)
		ExFreePoolWithTag(st.other, TAG_VICTIM);
	ExFreePoolWithTag(st.victim, TAG_VICTIM);
	if (st.c.value == LINK_41)
		value = 0x4141414141414141ULL;
	else if (st.c.value == LINK_OTHER)
		value = (unsigned long)st.other;
	else if (st.c.value == LINK_SELF)
		value = (unsigned long)st.victim;
	memcpy(st.victim + st.c.field * sizeof(value), &value, sizeof(value));
}

static void corrupt_slack(void)
{
	size_t room = ExQueryPoolBlockSize(st.victim, NULL);

	out("blocksize %zu\n", room);
	/* What ExQueryPoolBlockSize reports is the caller's to write. */
	st.expect_report = st.c.pos >= room;
	st.victim[st.c.pos] = 0;
	ExFreePoolWithTag(st.victim, TAG_VICTIM);
}

static void corrupt_waf(void)
{
	size_t sv = victim_size[st.c.path], len = sv + HDR;
	u8 value = st.c.value ? 0x41 : 0, *from = st.victim - HDR;

	ExFreePoolWithTag(st.victim, TAG_VICTIM);
	if (st.c.mode == WAF_HEADER) {
		len = HDR;
	} else if (st.c.mode == WAF_BODY) {
		from += HDR;
		len = sv;
	}
	memset(from, value, len);
}

static int arrange_big(void)
{
	st.victim = alloc(BIG_SIZE, TAG_VICTIM);
	if (!st.victim) {
		out("setup FAIL: allocation of %d bytes\n", BIG_SIZE);
		return -EAGAIN;
	}
	out("page %lx\n", (unsigned long)st.victim);
	return 0;
}

static void corrupt_big(void)
{
	u8 *p = st.victim;

	st.expect_report = true;
	if (st.c.pos < ARRAY_SIZE(big_offsets))
		p += big_offsets[st.c.pos];
	else
		st.victim = NULL;	/* freed, twice */
	ExFreePoolWithTag(p, TAG_VICTIM);
	ExFreePoolWithTag(p, TAG_VICTIM);
}

static const struct {
	int (*arrange)(void);
	void (*corrupt)(void);
} families[FAM_NR] = {
	[FAM_HDR] = { arrange_triplet, corrupt_hdr },
	[FAM_FREEHDR] = { arrange_triplet, corrupt_freehdr },
	[FAM_LINK] = { arrange_link, corrupt_link },
	[FAM_SLACK] = { arrange_triplet, corrupt_slack },
	[FAM_WAF] = { arrange_triplet, corrupt_waf },
	[FAM_BIG] = { arrange_big, corrupt_big },
};

static long arrange_on_cpu(void *unused)
{
	return families[st.c.fam].arrange();
}

static long corrupt_on_cpu(void *unused)
{
	families[st.c.fam].corrupt();
	return 0;
}

/* What a driver does next: free the neighbours; the pool must hold. */
static long finish_on_cpu(void *unused)
{
	size_t hot = st.c.fam == FAM_BIG ? 0 : victim_size[st.c.path];
	bool ok;

	if (st.c.fam == FAM_SLACK)
		hot = slack_size[st.c.path];
	/* A big block freed at a wrong offset is still its caller's. */
	if (st.c.fam == FAM_BIG && st.victim)
		ExFreePoolWithTag(st.victim, TAG_VICTIM);
	free_kept();
	ok = check_pool("before the neighbours are freed", hot);
	free_live(&st.a);
	free_live(&st.c2);
	free_live(&st.other_a);
	free_live(&st.other_c);
	ok = check_pool("after the neighbours are freed", hot) && ok;
	if (ok)
		out("check ok\n");
	return 0;
}

enum fuzz_step { STEP_NONE, STEP_ARRANGED, STEP_CORRUPTED };

static enum fuzz_step step;

/* Run one step of the case on the first online CPU, naming it first. */
static int run_step(const char *what, long (*fn)(void *))
{
	/* The console names the case: should it crash, the log says which. */
	pr_info("ntfuzz: case %s: %s\n", st.c.name, what);
	return work_on_cpu(cpumask_first(cpu_online_mask), fn, NULL);
}

static int arrange_case(unsigned int n)
{
	int ret;

	memset(&st, 0, sizeof(st));
	step = STEP_NONE;
	if (!decode(n, &st.c))
		return -EINVAL;
	st.pool = st.c.kind ? POOL_FLAG_PAGED : POOL_FLAG_NON_PAGED;
	st.rng = 0x9e3779b9 ^ n;
	out("case %u %s\n", n, st.c.name);
	ret = run_step("arrange", arrange_on_cpu);
	if (!ret)
		step = STEP_ARRANGED;
	return ret;
}

static int next_step(const char *cmd)
{
	if (sysfs_streq(cmd, "corrupt") && step == STEP_ARRANGED) {
		step = STEP_CORRUPTED;
		run_step("corrupt", corrupt_on_cpu);
		out("expect %s\n", st.expect_report ? "report" : "any");
		return 0;
	}
	if (sysfs_streq(cmd, "finish") && step == STEP_CORRUPTED) {
		step = STEP_NONE;
		return run_step("finish", finish_on_cpu);
	}
	return -EINVAL;
}

/* ----- debugfs ----- */

static ssize_t run_write(struct file *file, const char __user *ubuf,
			 size_t len, loff_t *ppos)
{
	char buf[16];
	unsigned int n;
	int ret;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	mutex_lock(&fuzz_lock);
	if (kstrtouint(buf, 0, &n))
		ret = next_step(buf);
	else
		ret = arrange_case(n);
	mutex_unlock(&fuzz_lock);
	return ret ?: len;
}

static int run_show(struct seq_file *m, void *v)
{
	mutex_lock(&fuzz_lock);
	seq_puts(m, st.out);
	mutex_unlock(&fuzz_lock);
	return 0;
}

static int run_open(struct inode *inode, struct file *file)
{
	return single_open(file, run_show, NULL);
}

static const struct file_operations run_fops = {
	.owner = THIS_MODULE,
	.open = run_open,
	.read = seq_read,
	.write = run_write,
	.llseek = seq_lseek,
	.release = single_release,
};

static int cases_show(struct seq_file *m, void *v)
{
	unsigned int n, total = nr_cases();
	struct fuzz_case c;

	for (n = 1; n <= total && decode(n, &c); n++)
		seq_printf(m, "%u %s\n", n, c.name);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(cases);

static struct dentry *dir;

static int __init ntfuzz_init(void)
{
	dir = debugfs_create_dir("ntfuzz", NULL);
	debugfs_create_file("cases", 0400, dir, NULL, &cases_fops);
	debugfs_create_file("run", 0600, dir, NULL, &run_fops);
	return 0;
}

static void __exit ntfuzz_exit(void)
{
	debugfs_remove_recursive(dir);
}

module_init(ntfuzz_init);
module_exit(ntfuzz_exit);

MODULE_DESCRIPTION("ntpool corruption fuzz: corrupts pool blocks one case at a time");
MODULE_LICENSE("GPL");
