// SPDX-License-Identifier: GPL-2.0
/*
 * The benchmark behind "make bench": ntpool against the kernel's own
 * allocators, measured in the same run.  Built into ntpool only with
 * NTPOOL_BENCH; started by writing "run" or "smoke" to debugfs "bench"
 * (the VM) or by the ntpool_bench KUnit suite (UML).
 *
 * Each case is timed over a batch of operations, five times or more; the
 * median, in nanoseconds per operation, is reported with the baseline's
 * median from the same run and their ratio.  Lines start "ntpool-bench:"
 * for people, "ntpool-bench: csv:" for scripts.  "insns" runs only the
 * batches whose instructions the insn-count QEMU plugin counts.  With the
 * bench_profile parameter set, a run is the mixed random case alone, for
 * a profiler (make bench-profile).
 */
#define pr_fmt(fmt) "ntpool-bench: " fmt

#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/fs.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/prandom.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <linux/vmstat.h>
#include "core/leaks.h"
#include "nt/unload.h"
#include "views/bench.h"
#include "accounting/client.h"
#include "views/debugfs.h"
#include "verifier/hit_tag.h"
#include "core/pcp.h"
#include "report/report.h"
#include "accounting/tags.h"
#include "verifier/verifier.h"

#define BENCH_TAG	0x68636e42U	/* 'hcnB', shown as "Bnch" */
#define REPS		5

struct bench {
	bool smoke;
	unsigned int pairs;	/* alloc+free pairs per timed batch */
	unsigned int mixed_ops;
	unsigned int mixed_live;
	unsigned int leak_blocks;
	unsigned int tags;
	unsigned int run_ms;	/* how long each throughput point runs */
};

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/* The median of @n values, sorted in place. */
static u64 median_of(u64 *v, unsigned int n)
{
	sort(v, n, sizeof(*v), cmp_u64, NULL);
	return v[n / 2];
}

/* Picoseconds per operation: a batch's nanoseconds * 1000 / operations. */
typedef u64 (*batch_fn)(void *arg, unsigned int ops);

static u64 median_ps(batch_fn fn, void *arg, unsigned int ops)
{
	u64 runs[REPS];
	unsigned int i;

	fn(arg, ops / 4 + 1);	/* warm caches and pools */
	for (i = 0; i < REPS; i++) {
		u64 ns = fn(arg, ops);

		if (ns == U64_MAX)
			return 0;
		runs[i] = div_u64(ns * 1000, ops);
	}
	return median_of(runs, REPS);
}

static void report(const char *group, const char *what, u64 ps,
		   const char *base, u64 base_ps)
{
	u64 ratio = base_ps ? div64_u64(ps * 100, base_ps) : 0;

	pr_info("%-10s %-28s %8llu.%llu ns  vs %-14s %8llu.%llu ns  ratio %llu.%02llu\n",
		group, what, ps / 1000, ps % 1000 / 100, base, base_ps / 1000,
		base_ps % 1000 / 100, ratio / 100, ratio % 100);
	pr_info("csv: %s,%s,%llu.%03llu,%s,%llu.%03llu,%llu.%02llu\n",
		group, what, ps / 1000, ps % 1000, base, base_ps / 1000,
		base_ps % 1000, ratio / 100, ratio % 100);
}

/* ---- alloc+free pairs ----------------------------------------------- */

struct pair {
	POOL_FLAGS flags;
	size_t size;
};

static u64 ntpool_pairs(void *arg, unsigned int n)
{
	const struct pair *pr = arg;
	u64 t0 = ktime_get_ns();
	unsigned int i;

	for (i = 0; i < n; i++) {
		void *p = ExAllocatePool2(pr->flags | POOL_FLAG_UNINITIALIZED,
					  pr->size, BENCH_TAG);

		if (!p)
			return U64_MAX;
		OPTIMIZER_HIDE_VAR(p);
		ExFreePoolWithTag(p, BENCH_TAG);
	}
	return ktime_get_ns() - t0;
}

static u64 kmalloc_pairs(void *arg, unsigned int n)
{
	const struct pair *pr = arg;
	u64 t0 = ktime_get_ns();
	unsigned int i;

	for (i = 0; i < n; i++) {
		void *p = kmalloc(pr->size, GFP_KERNEL);

		if (!p)
			return U64_MAX;
		OPTIMIZER_HIDE_VAR(p);
		kfree(p);
	}
	return ktime_get_ns() - t0;
}

static u64 vmalloc_pairs(void *arg, unsigned int n)
{
	const struct pair *pr = arg;
	u64 t0 = ktime_get_ns();
	unsigned int i;

	for (i = 0; i < n; i++) {
		void *p = vmalloc(pr->size);

		if (!p)
			return U64_MAX;
		OPTIMIZER_HIDE_VAR(p);
		vfree(p);
	}
	return ktime_get_ns() - t0;
}

static u64 page_pairs(void *arg, unsigned int n)
{
	const struct pair *pr = arg;
	unsigned int i, order = get_order(pr->size);
	u64 t0 = ktime_get_ns();

	for (i = 0; i < n; i++) {
		struct page *p = alloc_pages(GFP_KERNEL, order);

		if (!p)
			return U64_MAX;
		OPTIMIZER_HIDE_VAR(p);
		__free_pages(p, order);
	}
	return ktime_get_ns() - t0;
}

static void bench_pairs(const struct bench *b)
{
	static const size_t sizes[] = { 16, 64, 256, 1024, 4000, 8192, 65536 };
	unsigned int i;
	char what[32];

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		struct pair np = { POOL_FLAG_NON_PAGED, sizes[i] };
		struct pair pg = { POOL_FLAG_PAGED, sizes[i] };
		unsigned int n = sizes[i] > 4096 ? b->pairs / 8 : b->pairs;
		u64 km = median_ps(kmalloc_pairs, &np, n);
		u64 ntp = median_ps(ntpool_pairs, &pg, n);

		snprintf(what, sizeof(what), "nonpaged %zu", sizes[i]);
		report("pair", what, median_ps(ntpool_pairs, &np, n), "kmalloc", km);
		snprintf(what, sizeof(what), "paged %zu", sizes[i]);
		report("pair", what, ntp, "kmalloc", km);
		report("pair", what, ntp, "vmalloc",
		       median_ps(vmalloc_pairs, &pg, n / 8 + 1));
		if (sizes[i] > NTPOOL_MAX_SMALL) {
			snprintf(what, sizeof(what), "nonpaged %zu", sizes[i]);
			report("pair", what, median_ps(ntpool_pairs, &np, n),
			       "alloc_pages", median_ps(page_pairs, &np, n));
		}
		cond_resched();
	}
}

/* ---- lookaside lists ------------------------------------------------- */

static NPAGED_LOOKASIDE_LIST bench_list;

static u64 lookaside_pairs(void *arg, unsigned int n)
{
	u64 t0 = ktime_get_ns();
	unsigned int i;

	for (i = 0; i < n; i++) {
		void *p = ExAllocateFromNPagedLookasideList(&bench_list);

		if (!p)
			return U64_MAX;
		OPTIMIZER_HIDE_VAR(p);
		ExFreeToNPagedLookasideList(&bench_list, p);
	}
	return ktime_get_ns() - t0;
}

static u64 cache_pairs(void *arg, unsigned int n)
{
	struct kmem_cache *cache = arg;
	u64 t0 = ktime_get_ns();
	unsigned int i;

	for (i = 0; i < n; i++) {
		void *p = kmem_cache_alloc(cache, GFP_KERNEL);

		if (!p)
			return U64_MAX;
		OPTIMIZER_HIDE_VAR(p);
		kmem_cache_free(cache, p);
	}
	return ktime_get_ns() - t0;
}

static void bench_lookaside(const struct bench *b)
{
	struct kmem_cache *cache = kmem_cache_create("ntpool_bench", 64, 0, 0,
						     NULL);

	if (!cache)
		return;
	ExInitializeNPagedLookasideList(&bench_list, NULL, NULL, 0, 64,
					BENCH_TAG, 0);
	report("lookaside", "nonpaged 64", median_ps(lookaside_pairs, NULL, b->pairs),
	       "kmem_cache", median_ps(cache_pairs, cache, b->pairs));
	ExDeleteNPagedLookasideList(&bench_list);
	kmem_cache_destroy(cache);
}

/* ---- a mixed workload ------------------------------------------------ */

enum free_order { FREE_LIFO, FREE_FIFO, FREE_RANDOM };

struct mixed {
	const struct bench *b;
	enum free_order order;
	bool use_kmalloc;
	size_t *sizes;		/* log-uniform 16..4064, one per operation */
	void **live;
};

static void *mixed_alloc(const struct mixed *mx, size_t size)
{
	if (mx->use_kmalloc)
		return kmalloc(size, GFP_KERNEL);
	return ExAllocatePool2(POOL_FLAG_NON_PAGED | POOL_FLAG_UNINITIALIZED,
			       size, BENCH_TAG);
}

static void mixed_free(const struct mixed *mx, void *p)
{
	if (mx->use_kmalloc)
		kfree(p);
	else
		ExFreePoolWithTag(p, BENCH_TAG);
}

/* Free one live block of the ring [head, head + n): newest, oldest or any. */
static void free_one(struct mixed *mx, unsigned int *head, unsigned int *n,
		     struct rnd_state *rnd)
{
	unsigned int live = mx->b->mixed_live, v;

	switch (mx->order) {
	case FREE_LIFO:
		v = (*head + *n - 1) % live;
		break;
	case FREE_FIFO:
		v = *head;
		break;
	default:
		v = (*head + prandom_u32_state(rnd) % *n) % live;
		break;
	}
	mixed_free(mx, mx->live[v]);
	if (mx->order != FREE_LIFO) {
		/* The oldest fills the hole; the ring stays dense. */
		mx->live[v] = mx->live[*head];
		*head = (*head + 1) % live;
	}
	(*n)--;
}

/*
 * Let RCU run what was left for it: ntpool gives its emptied pages back
 * after a grace period, which a run of batches that never sleeps would
 * not let come.  Returns the nanoseconds it took.
 */
static u64 settle(void)
{
	u64 t0 = ktime_get_ns();

	cond_resched();
	rcu_barrier();
	return ktime_get_ns() - t0;
}

/*
 * Allocate to half the live set, then alternate; free what is left, also
 * when an allocation fails (U64_MAX).
 */
static u64 mixed_batch(void *arg, unsigned int ops)
{
	struct mixed *mx = arg;
	unsigned int live = mx->b->mixed_live, head = 0, n = 0, i;
	struct rnd_state rnd;
	u64 t0;

	prandom_seed_state(&rnd, 42);
	t0 = ktime_get_ns();
	for (i = 0; i < ops; i++) {
		if (n < live && (n < live / 2 || i % 2)) {
			void *p = mixed_alloc(mx, mx->sizes[i]);

			if (!p) {
				while (n)
					free_one(mx, &head, &n, &rnd);
				return U64_MAX;
			}
			mx->live[(head + n++) % live] = p;
		} else {
			free_one(mx, &head, &n, &rnd);
		}
	}
	while (n)
		free_one(mx, &head, &n, &rnd);
	return ktime_get_ns() - t0;
}

static size_t *log_uniform_sizes(unsigned int n)
{
	size_t *sizes = vmalloc(array_size(n, sizeof(*sizes)));
	struct rnd_state rnd;
	unsigned int i;

	if (!sizes)
		return NULL;
	prandom_seed_state(&rnd, 7);
	for (i = 0; i < n; i++) {
		/* 2^(4 + 8u) for u uniform in [0, 1): 16 .. 4096. */
		u32 r = prandom_u32_state(&rnd) % (8 * 256);
		size_t s = (16UL << (r / 256)) + ((16UL << (r / 256)) * (r % 256) / 256);

		sizes[i] = clamp_t(size_t, s, 16, NTPOOL_MAX_SMALL);
	}
	return sizes;
}

/* A short batch of each side, kmalloc() first, and what it left run. */
static void mixed_warm_up(struct mixed *mx)
{
	unsigned int side;

	for (side = 0; side < 2; side++) {
		mx->use_kmalloc = !side;
		mixed_batch(mx, mx->b->mixed_ops / 4 + 1);
	}
	settle();
}

/*
 * One batch of the mixed case, of kmalloc() or ntpool, timed until RCU has
 * run what it left (settle()), so that each allocator pays for its own
 * deferred work and none of the other's.
 *
 * Return: picoseconds per operation, or 0 if an allocation failed.
 */
static u64 mixed_timed_batch(struct mixed *mx, bool use_kmalloc)
{
	unsigned int ops = mx->b->mixed_ops;
	u64 ns;

	mx->use_kmalloc = use_kmalloc;
	ns = mixed_batch(mx, ops);
	if (ns == U64_MAX)
		return 0;
	return div_u64((ns + settle()) * 1000, ops);
}

/*
 * Medians of the mixed case for kmalloc (@km) and ntpool (@nt), in
 * picoseconds per operation, their batches taken in turn after a warm-up
 * of each: both see the machine as the other left it.
 */
static void mixed_medians(struct mixed *mx, u64 *km, u64 *nt)
{
	unsigned int i, side;
	u64 runs[2][REPS];

	mixed_warm_up(mx);
	for (i = 0; i < REPS; i++) {
		for (side = 0; side < 2; side++) {
			runs[side][i] = mixed_timed_batch(mx, !side);
			if (!runs[side][i]) {
				*km = *nt = 0;
				return;
			}
		}
	}
	*km = median_of(runs[0], REPS);
	*nt = median_of(runs[1], REPS);
}

static void bench_mixed(const struct bench *b)
{
	static const char * const orders[] = { "LIFO", "FIFO", "random" };
	struct mixed mx = { .b = b };
	unsigned int o;
	char what[32];

	mx.sizes = log_uniform_sizes(b->mixed_ops);
	mx.live = vmalloc(array_size(b->mixed_live, sizeof(void *)));
	if (!mx.sizes || !mx.live)
		goto out;
	for (o = FREE_LIFO; o <= FREE_RANDOM; o++) {
		u64 nt, km;

		mx.order = o;
		mixed_medians(&mx, &km, &nt);
		snprintf(what, sizeof(what), "%u ops %s", b->mixed_ops, orders[o]);
		report("mixed", what, nt, "kmalloc", km);
	}
out:
	vfree(mx.sizes);
	vfree(mx.live);
}

/*
 * Rounds of the mixed random case alone (see bench_profile()) that a run
 * makes instead of every case: on the kernel command line of a kernel
 * ntpool is built into (tools/bench/profile.sh runs it so under the host's
 * profiler), or at insmod, for debugfs "run" and "smoke".  0: every case.
 */
#define BENCH_PROFILE_MAX_ROUNDS	1000
static unsigned int bench_profile_rounds;
module_param_named(bench_profile, bench_profile_rounds, uint, 0444);
MODULE_PARM_DESC(bench_profile,
		 "Run only the mixed random case, this many rounds (0: every case)");

/*
 * The mixed random case and nothing else, for a profiler that samples the
 * whole kernel: a batch of kmalloc() and one of ntpool in each round, after
 * the warm-up mixed_medians() gives them.  A line per round, then the
 * medians, so that the run's ratio can be read beside the profile.
 */
static void bench_profile(const struct bench *b, unsigned int rounds)
{
	struct mixed mx = { .b = b, .order = FREE_RANDOM };
	u64 *km = kcalloc(rounds, sizeof(*km), GFP_KERNEL);
	u64 *nt = kcalloc(rounds, sizeof(*nt), GFP_KERNEL);
	unsigned int i;

	mx.sizes = log_uniform_sizes(b->mixed_ops);
	mx.live = vmalloc(array_size(b->mixed_live, sizeof(void *)));
	if (!km || !nt || !mx.sizes || !mx.live) {
		pr_warn("profile: no memory for %u rounds\n", rounds);
		goto out;
	}
	mixed_warm_up(&mx);
	for (i = 0; i < rounds; i++) {
		km[i] = mixed_timed_batch(&mx, true);
		nt[i] = km[i] ? mixed_timed_batch(&mx, false) : 0;
		if (!nt[i]) {
			pr_warn("profile: round %u ran out of memory\n", i);
			goto out;
		}
		pr_info("profile    round %-3u kmalloc %llu.%llu ns  ntpool %llu.%llu ns\n",
			i, km[i] / 1000, km[i] % 1000 / 100, nt[i] / 1000,
			nt[i] % 1000 / 100);
	}
	report("mixed", "random, profile rounds", median_of(nt, rounds),
	       "kmalloc", median_of(km, rounds));
out:
	vfree(mx.sizes);
	vfree(mx.live);
	kfree(km);
	kfree(nt);
}

/* ---- memory for a live set ------------------------------------------- */

static long slab_pages(void)
{
	return global_node_page_state_pages(NR_SLAB_UNRECLAIMABLE_B);
}

/*
 * Pages of the non-paged pool, and what their out-of-band records take,
 * in pages (a page of small blocks has one, from kmalloc).
 */
static long ntpool_pages(void)
{
	struct ntpool_pool *np = &ntpool_pools[NTPOOL_NONPAGED];
	long small = atomic_long_read(&np->nr_small_pages);
	size_t record = kmalloc_size_roundup(sizeof(struct ntpool_page));

	return small + atomic_long_read(&np->nr_big_pages) +
	       DIV_ROUND_UP(small * record, PAGE_SIZE);
}

static void bench_memory(const struct bench *b)
{
	unsigned int i, n = b->mixed_live;
	size_t *sizes = log_uniform_sizes(n);
	void **live = vmalloc(array_size(n, sizeof(void *)));
	long before, km_pages, nt_pages;
	u64 ratio;

	if (!sizes || !live)
		goto out;
	/* What ntpool keeps for reuse would serve the live set unseen. */
	ntpool_pcp_drain();
	ntpool_big_drain();
	ntpool_empty_pages_drain();
	before = slab_pages();
	for (i = 0; i < n; i++)
		live[i] = kmalloc(sizes[i], GFP_KERNEL);
	km_pages = slab_pages() - before;
	for (i = 0; i < n; i++)
		kfree(live[i]);
	before = ntpool_pages();
	for (i = 0; i < n; i++)
		live[i] = ExAllocatePool2(POOL_FLAG_NON_PAGED |
					  POOL_FLAG_UNINITIALIZED, sizes[i],
					  BENCH_TAG);
	nt_pages = ntpool_pages() - before;
	for (i = 0; i < n; i++)
		if (live[i])
			ExFreePoolWithTag(live[i], BENCH_TAG);
	ratio = km_pages > 0 ? div64_u64(nt_pages * 100, km_pages) : 0;
	pr_info("%-10s %-28s %8ld pages  vs %-14s %8ld pages  ratio %llu.%02llu\n",
		"memory", "live set", nt_pages, "kmalloc slabs", km_pages,
		ratio / 100, ratio % 100);
	pr_info("csv: memory,live set %u blocks,%ld,kmalloc slabs,%ld,%llu.%02llu\n",
		n, nt_pages, km_pages, ratio / 100, ratio % 100);
out:
	vfree(sizes);
	vfree(live);
}

/* ---- scaling over CPUs ------------------------------------------------ */

#define WORKER_BATCH	1000

struct worker {
	struct completion *go;
	struct completion done;
	batch_fn fn;
	void *arg;
	const bool *stop;
	u64 pairs;
};

/* Batches of pairs until told to stop: the points run for a time, not a count. */
static int pair_worker(void *data)
{
	struct worker *w = data;

	wait_for_completion(w->go);
	do {
		w->fn(w->arg, WORKER_BATCH);
		w->pairs += WORKER_BATCH;
		/* The caller that will say stop may be waiting for this CPU. */
		cond_resched();
	} while (!READ_ONCE(*w->stop));
	complete(&w->done);
	return 0;
}

/*
 * Pairs per second of @fn with @cpus workers, each bound to its own online
 * CPU, for about @ms milliseconds.  0 if the workers could not be started.
 */
static u64 throughput(unsigned int cpus, batch_fn fn, void *arg,
		      unsigned int ms)
{
	DECLARE_COMPLETION_ONSTACK(go);
	unsigned int i = 0, started = 0;
	u64 t0, ns, pairs = 0;
	bool stop = false;
	struct worker *w;
	int cpu;

	w = kcalloc(cpus, sizeof(*w), GFP_KERNEL);
	if (!w)
		return 0;
	for_each_online_cpu(cpu) {
		struct task_struct *t;

		if (i == cpus)
			break;
		w[i] = (struct worker) { .go = &go, .fn = fn, .arg = arg,
					 .stop = &stop };
		init_completion(&w[i].done);
		t = kthread_create(pair_worker, &w[i], "ntpool_bench/%u", i);
		if (IS_ERR(t))
			break;
		kthread_bind(t, cpu);
		wake_up_process(t);
		started = ++i;
	}
	t0 = ktime_get_ns();
	complete_all(&go);
	msleep(ms);
	WRITE_ONCE(stop, true);
	for (i = 0; i < started; i++) {
		wait_for_completion(&w[i].done);
		pairs += w[i].pairs;
	}
	ns = ktime_get_ns() - t0;
	kfree(w);
	if (started < cpus || !ns)
		return 0;
	return div64_u64(pairs * NSEC_PER_SEC, ns);
}

/* @n's throughput over @one's, in hundredths. */
static u64 speedup(u64 n, u64 one)
{
	return one ? div64_u64(n * 100, one) : 0;
}

/*
 * ntpool's speedup from 1 to @cpus CPUs against kmalloc's, measured side
 * by side: a ratio of 1.00 scales as well as the kernel's allocator.
 * REPS rounds of the four points, one after the other in each round; the
 * medians of the rounds' speedups and ratios (a point alone moves by a
 * third from run to run in an emulated VM).
 */
static void scaling_at(const struct bench *b, unsigned int cpus,
		       const char *what, struct pair *pr)
{
	u64 nx[REPS], kx[REPS], ratio[REPS], nn[REPS];
	u64 n1, k1, kn, r, nxm, kxm;
	unsigned int i;
	char label[40];

	for (i = 0; i < REPS; i++) {
		n1 = throughput(1, ntpool_pairs, pr, b->run_ms);
		nn[i] = throughput(cpus, ntpool_pairs, pr, b->run_ms);
		k1 = throughput(1, kmalloc_pairs, pr, b->run_ms);
		kn = throughput(cpus, kmalloc_pairs, pr, b->run_ms);
		nx[i] = speedup(nn[i], n1);
		kx[i] = speedup(kn, k1);
		ratio[i] = kx[i] ? div64_u64(nx[i] * 100, kx[i]) : 0;
	}
	r = median_of(ratio, REPS);
	nxm = median_of(nx, REPS);
	kxm = median_of(kx, REPS);
	snprintf(label, sizeof(label), "%s %u CPUs", what, cpus);
	pr_info("%-10s %-28s x%llu.%02llu (%llu pairs/s)  vs kmalloc x%llu.%02llu  ratio %llu.%02llu\n",
		"scaling", label, nxm / 100, nxm % 100, median_of(nn, REPS),
		kxm / 100, kxm % 100, r / 100, r % 100);
	pr_info("csv: scaling,%s,%llu.%02llu,kmalloc,%llu.%02llu,%llu.%02llu\n",
		label, nxm / 100, nxm % 100, kxm / 100, kxm % 100, r / 100,
		r % 100);
}

/* ---- one CPU allocates, another frees ---------------------------------- */

#define RING_SIZE 256

struct ring {
	void *slot[RING_SIZE];
	unsigned int head;	/* written by the producer */
	unsigned int tail;	/* written by the consumer */
	bool use_ntpool;
	size_t size;
	unsigned int pairs;
	struct completion *go;
	struct completion produced;
	struct completion done;
};

static int ring_producer(void *data)
{
	struct ring *r = data;
	unsigned int i;

	wait_for_completion(r->go);
	for (i = 0; i < r->pairs; i++) {
		void *p = r->use_ntpool ?
			ExAllocatePool2(POOL_FLAG_NON_PAGED | POOL_FLAG_UNINITIALIZED,
					r->size, BENCH_TAG) :
			kmalloc(r->size, GFP_KERNEL);

		/* The consumer is done with the slot once tail has passed it. */
		while (i - smp_load_acquire(&r->tail) >= RING_SIZE)
			cond_resched();
		/* A failed allocation goes through as NULL: nothing to free. */
		r->slot[i % RING_SIZE] = p;
		/* Publishes the slot to the consumer. */
		smp_store_release(&r->head, i + 1);
	}
	complete(&r->produced);
	return 0;
}

static int ring_consumer(void *data)
{
	struct ring *r = data;
	unsigned int i;

	wait_for_completion(r->go);
	for (i = 0; i < r->pairs; i++) {
		void *p;

		/* Pairs with the producer's release of head. */
		while (smp_load_acquire(&r->head) == i)
			cond_resched();
		p = r->slot[i % RING_SIZE];
		/* Hands the slot back: the producer may fill it again. */
		smp_store_release(&r->tail, i + 1);
		if (!p)
			continue;
		if (r->use_ntpool)
			ExFreePoolWithTag(p, BENCH_TAG);
		else
			kfree(p);
	}
	complete(&r->done);
	return 0;
}

/* Pairs per second, allocated on the first online CPU, freed on another. */
static u64 cross_cpu(bool use_ntpool, size_t size, unsigned int pairs)
{
	DECLARE_COMPLETION_ONSTACK(go);
	struct task_struct *prod, *cons;
	int first = cpumask_first(cpu_online_mask);
	int second = cpumask_next(first, cpu_online_mask);
	struct ring *r;
	u64 t0, ns;

	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		return 0;
	*r = (struct ring) { .use_ntpool = use_ntpool, .size = size,
			     .pairs = pairs, .go = &go };
	init_completion(&r->produced);
	init_completion(&r->done);
	prod = kthread_create(ring_producer, r, "ntpool_bench/p");
	cons = kthread_create(ring_consumer, r, "ntpool_bench/c");
	if (IS_ERR(prod) || IS_ERR(cons)) {
		/* A kthread never woken is stopped without running. */
		if (!IS_ERR(prod))
			kthread_stop(prod);
		if (!IS_ERR(cons))
			kthread_stop(cons);
		kfree(r);
		return 0;
	}
	kthread_bind(prod, first);
	kthread_bind(cons, second);
	wake_up_process(prod);
	wake_up_process(cons);
	t0 = ktime_get_ns();
	complete_all(&go);
	wait_for_completion(&r->done);
	ns = ktime_get_ns() - t0;
	wait_for_completion(&r->produced);
	kfree(r);
	return ns ? div64_u64((u64)pairs * NSEC_PER_SEC, ns) : 0;
}

/* As many pairs as @rate pairs/s make in @ms, within sane bounds. */
static unsigned int pairs_for(u64 rate, unsigned int ms)
{
	return clamp_t(u64, div_u64(rate * ms, MSEC_PER_SEC), 1000, 1U << 28);
}

static void bench_cross_cpu(const struct bench *b)
{
	struct pair np = { POOL_FLAG_NON_PAGED, 64 };
	u64 n1 = throughput(1, ntpool_pairs, &np, b->run_ms);
	u64 k1 = throughput(1, kmalloc_pairs, &np, b->run_ms);
	u64 nc = cross_cpu(true, 64, pairs_for(n1, b->run_ms));
	u64 kc = cross_cpu(false, 64, pairs_for(k1, b->run_ms));
	u64 nx = speedup(nc, n1), kx = speedup(kc, k1);
	u64 ratio = kx ? div64_u64(nx * 100, kx) : 0;

	pr_info("%-10s %-28s x%llu.%02llu (%llu pairs/s)  vs kmalloc x%llu.%02llu  ratio %llu.%02llu\n",
		"scaling", "cross-CPU nonpaged 64", nx / 100, nx % 100, nc,
		kx / 100, kx % 100, ratio / 100, ratio % 100);
	pr_info("csv: scaling,cross-CPU nonpaged 64,%llu.%02llu,kmalloc,%llu.%02llu,%llu.%02llu\n",
		nx / 100, nx % 100, kx / 100, kx % 100, ratio / 100,
		ratio % 100);
}

/*
 * ntpool against kmalloc at 2 and 4 CPUs and every online CPU (where there
 * are that many), and the cross-CPU case.
 */
static void bench_scaling(const struct bench *b)
{
	static const unsigned int counts[] = { 2, 4 };
	struct pair np = { POOL_FLAG_NON_PAGED, 64 };
	struct pair pp = { POOL_FLAG_PAGED, 64 };
	unsigned int online = num_online_cpus(), i;

	if (online < 2) {
		pr_info("%-10s %-28s n/a (one CPU)\n", "scaling", "nonpaged 64 2 CPUs");
		return;
	}
	for (i = 0; i < ARRAY_SIZE(counts); i++)
		if (counts[i] <= online)
			scaling_at(b, counts[i], "nonpaged 64", &np);
	if (online > counts[ARRAY_SIZE(counts) - 1])
		scaling_at(b, online, "nonpaged 64", &np);
	scaling_at(b, min(online, 2U), "paged 64", &pp);
	bench_cross_cpu(b);
}

/* ---- what the bookkeeping costs --------------------------------------- */

static void bench_bookkeeping(const struct bench *b)
{
	struct pair np = { POOL_FLAG_NON_PAGED, 64 };
	const char *self = ntpool_client_name(ntpool_client_id(THIS_MODULE));
	char setting[MODULE_NAME_LEN + 8];
	u64 plain;

	plain = median_ps(ntpool_pairs, &np, b->pairs);
	report("verifier", "nonpaged 64, defaults", plain, "defaults", plain);
	/* Nothing of the benchmark's is live while accounting is off. */
	WRITE_ONCE(ntpool_bench_client, ntpool_client_id(THIS_MODULE));
	static_branch_enable(&ntpool_bench_no_accounting);
	report("verifier", "nonpaged 64, no accounting",
	       median_ps(ntpool_pairs, &np, b->pairs), "defaults", plain);
	static_branch_disable(&ntpool_bench_no_accounting);
	snprintf(setting, sizeof(setting), "%s", self);
	ntpool_verify_set(setting);
	report("verifier", "nonpaged 64, Pool Tracking",
	       median_ps(ntpool_pairs, &np, b->pairs), "defaults", plain);
	snprintf(setting, sizeof(setting), "%s:full", self);
	ntpool_verify_set(setting);
	report("verifier", "nonpaged 64, tracking+stacks",
	       median_ps(ntpool_pairs, &np, b->pairs), "defaults", plain);
	ntpool_verify_set("none");
	ntpool_hit_tag_set("Zzzz");
	report("verifier", "nonpaged 64, hit_tag set",
	       median_ps(ntpool_pairs, &np, b->pairs), "defaults", plain);
	ntpool_hit_tag_set("0");
}

/* ---- the leak check at unload ---------------------------------------- */

/* A client that unloads with its blocks: only its address is used. */
static u64 fake_module_storage[64];
#define fake_module ((struct module *)fake_module_storage)

static void bench_leak_check(const struct bench *b)
{
	struct ntpool_caller caller = { .module = fake_module };
	const char *policy = ntpool_policy_name();
	unsigned int i, n = 0;
	u64 t0, ns;

	for (i = 0; i < b->leak_blocks; i++)
		n += !!ntpool_allocate(POOL_FLAG_NON_PAGED, 64, BENCH_TAG, caller);
	/* The report is printed, but nothing taints or stops the run. */
	ntpool_policy_set("report");
	t0 = ktime_get_ns();
	ntpool_client_gone(fake_module);
	ns = ktime_get_ns() - t0;
	ntpool_policy_set(policy);
	ntpool_leaks_release(ntpool_client(ntpool_client_id(fake_module))->name);
	ntpool_client_coming(fake_module);
	pr_info("%-10s %-28s %8llu.%llu ms\n", "leakcheck", "live blocks at unload",
		ns / NSEC_PER_MSEC, ns % NSEC_PER_MSEC / 100000);
	pr_info("csv: leakcheck,%u live blocks,%llu.%03llu ms,,,\n",
		n, ns / NSEC_PER_MSEC, ns % NSEC_PER_MSEC / 1000);
}

/* ---- reading tags while allocating ------------------------------------ */

static bool reader_stop;

static int tags_reader(void *data)
{
	struct seq_file m = { .size = 2 * 1024 * 1024 };
	struct ntpool_tag_stats *rows;
	size_t n;

	m.buf = kvmalloc(m.size, GFP_KERNEL);
	while (m.buf && !READ_ONCE(reader_stop)) {
		rows = ntpool_tags_snapshot(&n);
		if (rows) {
			m.count = 0;
			ntpool_print_tags(&m, rows, n);
			kvfree(rows);
		}
		cond_resched();
	}
	kvfree(m.buf);
	while (!kthread_should_stop())
		schedule_timeout_interruptible(1);
	return 0;
}

static void bench_tags_read(const struct bench *b)
{
	struct pair np = { POOL_FLAG_NON_PAGED, 64 };
	void **live = vmalloc(array_size(b->tags, sizeof(void *)));
	struct task_struct *t;
	unsigned int i;
	u64 alone, read;

	if (!live)
		return;
	for (i = 0; i < b->tags; i++)
		live[i] = ExAllocatePool2(POOL_FLAG_NON_PAGED, 16,
					  'T' | (('a' + i % 26) << 8) |
					  (('a' + i / 26 % 26) << 16) |
					  (('a' + i / 676 % 26) << 24));
	if (num_online_cpus() < 2 || !cpu_online(1)) {
		pr_info("%-10s %-28s n/a (one CPU)\n", "tags", "read while allocating");
		goto out;
	}
	alone = throughput(1, ntpool_pairs, &np, b->run_ms);
	WRITE_ONCE(reader_stop, false);
	t = kthread_create(tags_reader, NULL, "ntpool_bench_tags");
	if (IS_ERR(t))
		goto out;
	kthread_bind(t, 1);
	wake_up_process(t);
	msleep(20);
	read = throughput(1, ntpool_pairs, &np, b->run_ms);
	WRITE_ONCE(reader_stop, true);
	kthread_stop(t);
	report("tags", "pairs/s, tags read on CPU 1",
	       div64_u64(NSEC_PER_SEC * 1000, read ? read : 1), "not read",
	       div64_u64(NSEC_PER_SEC * 1000, alone ? alone : 1));
out:
	for (i = 0; i < b->tags; i++)
		if (live[i])
			ExFreePool(live[i]);
	vfree(live);
}

/**
 * ntpool_bench_run() - run every case and print the table
 * @smoke: a short run, for make check
 *
 * With the bench_profile parameter set, only the mixed random case runs,
 * that many rounds (at most BENCH_PROFILE_MAX_ROUNDS).
 *
 * Return: 0.
 */
int ntpool_bench_run(bool smoke)
{
	struct bench b = {
		.smoke = smoke,
		.pairs = smoke ? 2000 : 100000,
		.mixed_ops = smoke ? 20000 : 1000000,
		.mixed_live = smoke ? 2000 : 100000,
		.leak_blocks = smoke ? 2000 : 100000,
		.tags = smoke ? 500 : 10000,
		.run_ms = smoke ? 200 : 1000,
	};

	if (bench_profile_rounds) {
		unsigned int rounds = min(bench_profile_rounds,
					  BENCH_PROFILE_MAX_ROUNDS);

		pr_info("profile run on %u CPU(s): mixed random only, rounds: %u\n",
			num_online_cpus(), rounds);
		bench_profile(&b, rounds);
		pr_info("done\n");
		return 0;
	}
	pr_info("%s run on %u CPU(s); ns per operation, medians of %d\n",
		smoke ? "smoke" : "full", num_online_cpus(), REPS);
	bench_pairs(&b);
	bench_lookaside(&b);
	bench_mixed(&b);
	bench_memory(&b);
	bench_scaling(&b);
	bench_bookkeeping(&b);
	bench_leak_check(&b);
	bench_tags_read(&b);
	pr_info("done\n");
	return 0;
}

/* ---- instructions per pair, under tools/bench/insn-count.c -------------- */

/*
 * A marker for the insn-count QEMU plugin (a no-op anywhere else): it counts
 * this CPU's instructions from a start to the next stop and prints the
 * count, numbered in the order of the stops.
 */
#define INSN_START	0x4e540000U
#define INSN_STOP	0x4e548000U
static __always_inline void insn_mark(const u32 mark)
{
	asm volatile(".byte 0x0f, 0x1f, 0x80; .long %c0" : : "i" (mark) : "memory");
}

static unsigned int insn_batches;

/* One counted batch; prints what the plugin's count with this number is. */
static void insn_batch(const char *what, batch_fn fn, void *arg, unsigned int n)
{
	fn(arg, n);	/* warm caches, pools and translations */
	migrate_disable();
	insn_mark(INSN_START);
	fn(arg, n);
	insn_mark(INSN_STOP);
	migrate_enable();
	pr_info("insns: %u %s %u\n", insn_batches++, what, n);
}

/* The mixed random workload, 20000 operations (an alloc or a free each). */
static void insns_mixed(void)
{
	static const struct bench b = { .mixed_ops = 20000, .mixed_live = 2000 };
	struct mixed mx = { .b = &b, .order = FREE_RANDOM };

	mx.sizes = log_uniform_sizes(b.mixed_ops);
	mx.live = vmalloc(array_size(b.mixed_live, sizeof(void *)));
	if (mx.sizes && mx.live) {
		insn_batch("mixed random", mixed_batch, &mx, b.mixed_ops);
		mx.use_kmalloc = true;
		insn_batch("kmalloc", mixed_batch, &mx, b.mixed_ops);
	}
	vfree(mx.sizes);
	vfree(mx.live);
}

/*
 * Counted by the plugin, paired by tools/bench/insns-table.awk: each
 * ntpool batch is followed by its baseline's.
 */
static void bench_insns(void)
{
	struct pair np64 = { POOL_FLAG_NON_PAGED, 64 };
	struct pair pg64 = { POOL_FLAG_PAGED, 64 };
	struct pair np1k = { POOL_FLAG_NON_PAGED, 1024 };
	struct pair np4k = { POOL_FLAG_NON_PAGED, 4000 };
	struct pair np8k = { POOL_FLAG_NON_PAGED, 8192 };
	struct pair pg8k = { POOL_FLAG_PAGED, 8192 };
	const unsigned int n = 2000;

	insn_batch("nonpaged 64", ntpool_pairs, &np64, n);
	insn_batch("kmalloc", kmalloc_pairs, &np64, n);
	insn_batch("paged 64", ntpool_pairs, &pg64, n);
	insn_batch("kmalloc", kmalloc_pairs, &pg64, n);
	insn_batch("nonpaged 1024", ntpool_pairs, &np1k, n);
	insn_batch("kmalloc", kmalloc_pairs, &np1k, n);
	insn_batch("nonpaged 4000", ntpool_pairs, &np4k, n);
	insn_batch("kmalloc", kmalloc_pairs, &np4k, n);
	insn_batch("nonpaged 8192", ntpool_pairs, &np8k, n);
	insn_batch("alloc_pages", page_pairs, &np8k, n);
	insn_batch("paged 8192", ntpool_pairs, &pg8k, n / 10);
	insn_batch("vmalloc", vmalloc_pairs, &pg8k, n / 10);
	insns_mixed();
	pr_info("insns: done\n");
}

static void bench_show(struct seq_file *m)
{
	seq_puts(m, "Write run, smoke or insns; the table goes to the kernel log\n");
}

static int bench_set(const char *text)
{
	if (!strcmp(text, "insns")) {
		bench_insns();
		return 0;
	}
	if (strcmp(text, "run") && strcmp(text, "smoke"))
		return -EINVAL;
	return ntpool_bench_run(!strcmp(text, "smoke"));
}

static const struct ntpool_control bench_control = {
	.show = bench_show, .set = bench_set, .max = 16,
};

/**
 * ntpool_bench_debugfs() - create "bench": write "run", "smoke" or "insns"
 * @dir: ntpool's debugfs directory
 */
void ntpool_bench_debugfs(struct dentry *dir)
{
	ntpool_debugfs_control("bench", 0600, dir, &bench_control);
}
