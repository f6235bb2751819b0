// SPDX-License-Identifier: GPL-2.0
/*
 * ntstress - an SMP stress client for ntpool (tools/test/vm/stress.sh).
 *
 * Loading it starts, all at once:
 *  - a worker kthread bound to each online CPU that allocates and frees at
 *    random in both pools (1..9000 bytes: per-CPU cached, other small and
 *    big blocks; four tags), fills each block with a pattern derived from
 *    its address and a sequence number and checks it before the free; a
 *    third of the frees are handed to the worker of another CPU, which
 *    checks and frees the block there;
 *  - a hard-IRQ hrtimer and a softirq timer doing the same in non-paged
 *    pool;
 *  - race rounds: a block of its own tag is freed by two kthreads on two
 *    CPUs at once, released together by a barrier; exactly one free must
 *    succeed and the other must be reported, once.  The per-CPU caches
 *    are first set so that the two frees take the same path or different
 *    ones.  Each racer allocates the same size right after its free (the
 *    block may come back while the other free still checks it), and a
 *    burst more after the batch, so that a block freed twice is handed
 *    out twice at once.
 *
 * Every live block's address is kept in a table outside the pool: an
 * allocation that returns an address already live is a block handed out
 * twice.  ntpool's API tells a caller nothing of a refused free, so
 * reports are counted through ntpool's ntpool_violation trace event, which
 * every report fires (printed or not), and charged to the racer whose free
 * made it; stress.sh checks the total against debugfs "verifier".
 *
 * The run is bounded by counts, not time.  When it is over, parameters/done
 * reads 1 and parameters/stats holds the counts; the steps script checks
 * them.  parameters/live_small and live_big hold addresses of
 * recently allocated blocks for the debugfs readers.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/cpumask.h>
#include <linux/hash.h>
#include <linux/hrtimer.h>
#include <linux/kthread.h>
#include <linux/list.h>
#include <linux/llist.h>
#include <linux/module.h>
#include <linux/tracepoint.h>
#include <ntpool/events.h>
#include <linux/moduleparam.h>
#include <linux/percpu.h>
#include <linux/prandom.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/timer.h>
#include <linux/wait.h>
#include <ntpool/ntpool.h>

static unsigned int ops = 12000;
module_param(ops, uint, 0444);
MODULE_PARM_DESC(ops, "Allocations and frees per worker (default 12000)");

static unsigned int rounds = 1500;
module_param(rounds, uint, 0444);
MODULE_PARM_DESC(rounds, "Rounds of two CPUs freeing one block (default 1500)");

static unsigned int timer_ops = 1500;
module_param(timer_ops, uint, 0444);
MODULE_PARM_DESC(timer_ops, "Least operations of each timer (default 1500)");

static unsigned int seed = 1;
module_param(seed, uint, 0444);
MODULE_PARM_DESC(seed, "Seed of the random choices (default 1)");

#define WORKER_TAGS	4
static const ULONG worker_tags[WORKER_TAGS] = {
	'0stS', '1stS', '2stS', '3stS'	/* shown as Sts0..Sts3 */
};

#define HARDIRQ_TAG	('HstS')	/* StsH */
#define SOFTIRQ_TAG	('SstS')	/* StsS */
#define RACE_TAG	('ecaR')	/* Race: the raced blocks only */
#define CHECK_TAG	('khcR')	/* Rchk: the racers' other blocks */

/* Largest request the per-CPU caches take: 32 units of 16 bytes, less one. */
#define PCP_MAX_BYTES	496
#define SMALL_MAX_BYTES	4064
#define MAX_BYTES	9000

enum rec_state { REC_EMPTY, REC_LIVE, REC_AWAY };

/* One block the test holds, in a worker's or a timer's own array. */
struct stress_rec {
	struct hlist_node live;		/* in live_table while allocated */
	struct llist_node away;		/* on another CPU's queue */
	void *p;
	size_t size;
	u64 seq;
	ULONG tag;
	bool paged;
	atomic_t state;			/* enum rec_state */
};

#define WORKER_RECS	48
/* Above any per-CPU cache depth ntpool uses (16 today). */
#define PRIME		40
/* Blocks each racer allocates after a batch, of the raced size. */
#define BURST		40
/*
 * A race round is one block freed by two racers at once.  Rounds come in
 * batches of RACE_BATCH blocks of one size and pool, published together;
 * before each block the racers meet, so that their frees overlap.
 */
#define RACE_BATCH	8
#define TIMER_RECS	8

struct worker {
	struct task_struct *task;
	unsigned int cpu;
	struct rnd_state rnd;
	struct stress_rec recs[WORKER_RECS];
};

struct irq_user {
	struct rnd_state rnd;
	ULONG tag;
	unsigned int ops;
	bool done;
	struct stress_rec recs[TIMER_RECS];
};

struct racer {
	struct task_struct *task;
	unsigned int cpu;
	struct rnd_state rnd;
	struct stress_rec burst[BURST];
	struct stress_rec grab[RACE_BATCH];	/* allocated right after a free */
	unsigned long reports;	/* charged by report_seen(), in this task only */
	unsigned long delta[RACE_BATCH];	/* reports each free of the batch made */
};

/* What stats shows; all counters. */
static struct {
	atomic_long_t worker_ops, handoffs, away_waits, race_overlap;
	atomic_long_t allocs, alloc_fails, frees, remote_frees, checks;
	atomic_long_t corrupt, twice, irq_ops, softirq_ops;
	atomic_long_t reports, reports_other, race_bad_kind;
	atomic_long_t race_rounds, race_one, race_bad;
	atomic_long_t pcp_allocs, mid_allocs, big_allocs;
} st;

static atomic64_t next_seq;
static unsigned long live_small, live_big;
static int done;

/* ---- live blocks, by address ----------------------------------------- */

#define LIVE_BITS	10

static struct live_bucket {
	raw_spinlock_t lock;
	struct hlist_head head;
} live_table[1 << LIVE_BITS];

/* Returns false, and keeps nothing, if @rec's address is live already. */
static bool live_add(struct stress_rec *rec)
{
	struct live_bucket *b = &live_table[hash_ptr(rec->p, LIVE_BITS)];
	struct stress_rec *other;
	unsigned long flags;
	bool fresh = true;

	raw_spin_lock_irqsave(&b->lock, flags);
	hlist_for_each_entry(other, &b->head, live)
		if (other->p == rec->p)
			fresh = false;
	if (fresh)
		hlist_add_head(&rec->live, &b->head);
	raw_spin_unlock_irqrestore(&b->lock, flags);
	return fresh;
}

static void live_del(struct stress_rec *rec)
{
	struct live_bucket *b = &live_table[hash_ptr(rec->p, LIVE_BITS)];
	unsigned long flags;

	raw_spin_lock_irqsave(&b->lock, flags);
	hlist_del_init(&rec->live);
	raw_spin_unlock_irqrestore(&b->lock, flags);
}

/* ---- contents --------------------------------------------------------- */

static u64 pattern_seed(const void *p, u64 seq)
{
	return (unsigned long)p ^ (seq * 0x9e3779b97f4a7c15ULL);
}

static void fill(void *p, size_t size, u64 seq)
{
	u64 seed = pattern_seed(p, seq), *w = p;
	size_t i, n = size / 8;

	for (i = 0; i < n; i++)
		w[i] = seed + i;
	for (i = n * 8; i < size; i++)
		((u8 *)p)[i] = (u8)(seed >> (8 * (i & 7)));
}

static bool intact(const void *p, size_t size, u64 seq)
{
	u64 seed = pattern_seed(p, seq);
	const u64 *w = p;
	size_t i, n = size / 8;

	for (i = 0; i < n; i++)
		if (w[i] != seed + i)
			return false;
	for (i = n * 8; i < size; i++)
		if (((const u8 *)p)[i] != (u8)(seed >> (8 * (i & 7))))
			return false;
	return true;
}

/* ---- one block ---------------------------------------------------------- */

/* Sizes: 40% per-CPU cached, 35% other small blocks, 25% big blocks. */
static size_t pick_size(struct rnd_state *rnd)
{
	u32 r = prandom_u32_state(rnd), c = r % 100;

	r >>= 8;
	if (c < 40)
		return 1 + r % PCP_MAX_BYTES;
	if (c < 75)
		return PCP_MAX_BYTES + 1 + r % (SMALL_MAX_BYTES - PCP_MAX_BYTES);
	return SMALL_MAX_BYTES + 1 + r % (MAX_BYTES - SMALL_MAX_BYTES);
}

static void count_size(size_t size)
{
	if (size <= PCP_MAX_BYTES)
		atomic_long_inc(&st.pcp_allocs);
	else if (size <= SMALL_MAX_BYTES)
		atomic_long_inc(&st.mid_allocs);
	else
		atomic_long_inc(&st.big_allocs);
}

/* Allocates into an empty @rec; false if the pool had no memory. */
static bool rec_alloc(struct stress_rec *rec, bool paged, size_t size,
		      ULONG tag)
{
	void *p = ExAllocatePool2(paged ? POOL_FLAG_PAGED : POOL_FLAG_NON_PAGED,
				  size, tag);

	if (!p) {
		atomic_long_inc(&st.alloc_fails);
		return false;
	}
	atomic_long_inc(&st.allocs);
	count_size(size);
	rec->p = p;
	rec->size = size;
	rec->tag = tag;
	rec->paged = paged;
	rec->seq = atomic64_inc_return(&next_seq);
	if (!live_add(rec)) {
		/* Someone else holds it: leave it to them, never free it. */
		if (atomic_long_inc_return(&st.twice) == 1)
			pr_err("block %lx (%zu bytes) handed out while live\n",
			       (unsigned long)p, size);
		return false;
	}
	fill(p, size, rec->seq);
	return true;
}

/* Checks and frees a live @rec; it is empty afterwards. */
static void rec_free(struct stress_rec *rec)
{
	live_del(rec);
	atomic_long_inc(&st.checks);
	if (!intact(rec->p, rec->size, rec->seq) &&
	    atomic_long_inc_return(&st.corrupt) == 1)
		pr_err("block %lx (%zu bytes, tag %.4s) changed while allocated\n",
		       (unsigned long)rec->p, rec->size, (const char *)&rec->tag);
	ExFreePoolWithTag(rec->p, rec->tag);
	atomic_long_inc(&st.frees);
	rec->p = NULL;
	/* Pairs with the owner's acquire: the record may be reused now. */
	atomic_set_release(&rec->state, REC_EMPTY);
}

/* ---- workers ------------------------------------------------------------ */

static struct worker *workers;
static unsigned int nr_workers;
static struct llist_head __percpu *queues;
static atomic_t workers_busy;
static DECLARE_WAIT_QUEUE_HEAD(ctl_wait);
static bool aborting;

static void drain_queue(struct worker *w)
{
	struct llist_node *list = llist_del_all(per_cpu_ptr(queues, w->cpu));
	struct stress_rec *rec, *next;

	llist_for_each_entry_safe(rec, next, list, away) {
		rec_free(rec);
		atomic_long_inc(&st.remote_frees);
	}
}

/* The worker of the next online CPU after @w's. */
static unsigned int other_cpu(struct worker *w)
{
	return workers[(w - workers + 1) % nr_workers].cpu;
}

/* A record of @w's that is not away, from @i on; NULL if all are. */
static struct stress_rec *worker_rec(struct worker *w, unsigned int i)
{
	unsigned int n;

	for (n = 0; n < WORKER_RECS; n++, i = (i + 1) % WORKER_RECS)
		if (atomic_read_acquire(&w->recs[i].state) != REC_AWAY)
			return &w->recs[i];
	return NULL;
}

/* One allocation, free or hand-over; false if every record is away. */
static bool worker_step(struct worker *w)
{
	u32 r = prandom_u32_state(&w->rnd);
	struct stress_rec *rec = worker_rec(w, r % WORKER_RECS);
	size_t size;

	if (!rec)
		return false;
	r /= WORKER_RECS;
	if (atomic_read(&rec->state) == REC_EMPTY) {
		size = pick_size(&w->rnd);
		if (rec_alloc(rec, r & 1, size, worker_tags[(r >> 1) % WORKER_TAGS]))
			atomic_set(&rec->state, REC_LIVE);
		if (w == workers && rec->p)
			WRITE_ONCE(*(size > SMALL_MAX_BYTES ? &live_big : &live_small),
				   (unsigned long)rec->p);
	} else if (nr_workers > 1 && (r >> 3) % 3 == 0) {
		atomic_set(&rec->state, REC_AWAY);
		atomic_long_inc(&st.handoffs);
		llist_add(&rec->away, per_cpu_ptr(queues, other_cpu(w)));
	} else {
		rec_free(rec);
	}
	return true;
}

static void wait_for_stop(void)
{
	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (kthread_should_stop())
			break;
		schedule();
	}
	__set_current_state(TASK_RUNNING);
}

static int worker_fn(void *arg)
{
	struct worker *w = arg;
	unsigned int i, n;

	for (n = 0; n < ops && !READ_ONCE(aborting);) {
		if (worker_step(w)) {
			atomic_long_inc(&st.worker_ops);
			n++;
		} else {
			/* All away: the other CPU's worker is behind. */
			atomic_long_inc(&st.away_waits);
			schedule_timeout_interruptible(1);
		}
		drain_queue(w);
		cond_resched();
	}
	for (i = 0; i < WORKER_RECS; i++)
		if (atomic_read_acquire(&w->recs[i].state) == REC_LIVE)
			rec_free(&w->recs[i]);
	/*
	 * Blocks this worker handed away are freed by their receivers, which
	 * keep draining until no worker can hand them more.
	 */
	if (atomic_dec_and_test(&workers_busy))
		wake_up_all(&ctl_wait);
	while (atomic_read(&workers_busy)) {
		drain_queue(w);
		schedule_timeout_interruptible(1);
	}
	drain_queue(w);
	wake_up_all(&ctl_wait);
	wait_for_stop();
	return 0;
}

/* ---- hard IRQ and softirq users ------------------------------------------ */

static struct irq_user hard_user = { .tag = HARDIRQ_TAG };
static struct irq_user soft_user = { .tag = SOFTIRQ_TAG };
static struct hrtimer hard_timer;
static struct timer_list soft_timer;
static bool irq_stop;

static void irq_free_all(struct irq_user *u)
{
	unsigned int i;

	for (i = 0; i < TIMER_RECS; i++)
		if (atomic_read(&u->recs[i].state) == REC_LIVE)
			rec_free(&u->recs[i]);
}

/* One operation in non-paged pool; false once the user is done. */
static bool irq_step(struct irq_user *u, atomic_long_t *count)
{
	u32 r = prandom_u32_state(&u->rnd);
	struct stress_rec *rec = &u->recs[r % TIMER_RECS];

	if ((u->ops >= timer_ops || READ_ONCE(aborting)) && READ_ONCE(irq_stop)) {
		irq_free_all(u);
		/* Pairs with the controller's acquire. */
		smp_store_release(&u->done, true);
		wake_up_all(&ctl_wait);
		return false;
	}
	u->ops++;
	atomic_long_inc(count);
	if (atomic_read(&rec->state) == REC_LIVE)
		rec_free(rec);
	else if (rec_alloc(rec, false, pick_size(&u->rnd), u->tag))
		atomic_set(&rec->state, REC_LIVE);
	return true;
}

static enum hrtimer_restart hard_timer_fn(struct hrtimer *t)
{
	if (!irq_step(&hard_user, &st.irq_ops))
		return HRTIMER_NORESTART;
	hrtimer_forward_now(t, ns_to_ktime(200 * NSEC_PER_USEC));
	return HRTIMER_RESTART;
}

static void soft_timer_fn(struct timer_list *t)
{
	unsigned int i;

	for (i = 0; i < 8; i++)
		if (!irq_step(&soft_user, &st.softirq_ops))
			return;
	mod_timer(t, jiffies + 1);
}

/* ---- race rounds ------------------------------------------------------- */

static struct racer racers[2];
static struct {
	void *p[RACE_BATCH];
	size_t size;
	bool paged;
	int batch;		/* published last; -1 before the first */
	atomic_t arrived;	/* 2 per round: the barrier before the frees */
	atomic_t checked;	/* 2 per batch: the burst's blocks are live */
	atomic_t finished;	/* 2 per batch */
	atomic_t inside;	/* racers inside their free now */
	unsigned long beat[2];	/* each racer's heartbeat in both_running() */
	int left[2];		/* the round each racer last left it for */
} race = { .batch = -1 };
static DECLARE_WAIT_QUEUE_HEAD(race_wait);

static const size_t race_sizes[] = { 16, 64, 256, PCP_MAX_BYTES, 497, 1500,
				     SMALL_MAX_BYTES, MAX_BYTES };

/* Counts every report; charges it to the racer whose own free made it. */
static void report_seen(void *data, u32 code, const u64 *args,
			const struct ntpool_caller *caller)
{
	unsigned int i;

	atomic_long_inc(&st.reports);
	for (i = 0; i < ARRAY_SIZE(racers); i++)
		if (in_task() && current == racers[i].task)
			break;
	if (i == ARRAY_SIZE(racers)) {
		atomic_long_inc(&st.reports_other);
		return;
	}
	racers[i].reports++;
	/* BAD_POOL_CALLER: already free, wrong tag (reused), bad address. */
	if (code != 0xC2 || (args[0] != 0x07 && args[0] != 0x0A && args[0] != 0x99))
		atomic_long_inc(&st.race_bad_kind);
}

static int watch_reports(void)
{
	return tracepoint_probe_register(&__tracepoint_ntpool_violation,
					 (void *)report_seen, NULL);
}

static void unwatch_reports(void)
{
	tracepoint_probe_unregister(&__tracepoint_ntpool_violation,
				    (void *)report_seen, NULL);
	tracepoint_synchronize_unregister();
}

static void *racer_blocks[2][PRIME];

static void free_held(void **held, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (held[i])
			ExFreePoolWithTag(held[i], CHECK_TAG);
		held[i] = NULL;
	}
}

static bool cache_full(struct racer *me, int batch)
{
	return race.size <= PCP_MAX_BYTES && batch % 3 == 1 + (me - racers);
}

/*
 * Before a batch of a size the per-CPU caches take, each racer sets its
 * CPU's cache for that size: full (blocks allocated and freed), so that its
 * frees take the locked path, or empty (blocks allocated and held), so that
 * they take the per-CPU path.  Batches cycle through both empty and one of
 * the two full: the racing frees meet on the same path and on different
 * paths.
 */
static void prime_cache(struct racer *me, int batch)
{
	void **held = racer_blocks[me - racers];
	unsigned int i;

	if (race.size > PCP_MAX_BYTES)
		return;
	for (i = 0; i < PRIME; i++)
		held[i] = ExAllocatePool2(race.paged ? POOL_FLAG_PAGED :
					  POOL_FLAG_NON_PAGED, race.size, CHECK_TAG);
	if (cache_full(me, batch))
		free_held(held, PRIME);
}

/* Spins both_running() waits at most for the other racer's heartbeat. */
#define BOTH_RUNNING_SPINS	BIT(20)

/*
 * Both racers wait here until @target arrivals, released together.  The
 * wait may be long (the other racer preempted, or its CPU stopped by
 * stop_machine() for a module load): it lets the scheduler in.
 */
static void meet(atomic_t *arrived, int target)
{
	unsigned int n = 0;

	atomic_inc(arrived);
	while (atomic_read(arrived) < target && !READ_ONCE(aborting)) {
		cpu_relax();
		if (!(++n % 1024))
			cond_resched();
	}
}

/*
 * A random delay after the racers meet sweeps the window between the two
 * frees; a loop without cpu_relax(), which an emulator may make slow.
 * When one racer's cache is full, its free takes the locked path, the
 * longer one: only the other racer waits then.
 */
static unsigned int head_start(struct racer *me, int batch)
{
	u32 r = prandom_u32_state(&me->rnd) % 512;

	return cache_full(me, batch) ? 0 : r;
}

/*
 * Released from meet(), a racer whose CPU is not running at that moment
 * (a virtual CPU the host has put aside) frees much later than the other.
 * So both also wait until each has seen the other's heartbeat change
 * twice, proof that the other is running now, or the other leave: then
 * they leave together.
 */
static void both_running(struct racer *me, int id)
{
	unsigned int i = me - racers, other = !i, seen = 0;
	unsigned long beat, last = READ_ONCE(race.beat[other]);
	unsigned int bound = BOTH_RUNNING_SPINS;

	/*
	 * Bounded: preemption may be off here, and a CPU stopper waiting for
	 * this CPU must get it back; the round then races less, that is all.
	 */
	while (seen < 2 && READ_ONCE(race.left[other]) != id &&
	       !READ_ONCE(aborting) && bound--) {
		WRITE_ONCE(race.beat[i], race.beat[i] + 1);
		beat = READ_ONCE(race.beat[other]);
		if (beat != last) {
			seen++;
			last = beat;
		}
	}
	WRITE_ONCE(race.left[i], id);
}

/* Frees the batch's blocks, each at once with the other racer. */
static void race_frees(struct racer *me, int batch)
{
	bool paged = race.paged;
	unsigned int k, spin;
	unsigned long before;

	for (k = 0; k < RACE_BATCH; k++) {
		spin = head_start(me, batch);
		before = me->reports;
		meet(&race.arrived, 2 * (batch * RACE_BATCH + k + 1));
		/* Paged pool may only be freed where sleeping is allowed. */
		if (!paged)
			preempt_disable();
		both_running(me, batch * RACE_BATCH + k + 1);
		while (spin--)
			barrier();
		/* Seen by the later of the two while the other is inside. */
		if (atomic_inc_return(&race.inside) == 2)
			atomic_long_inc(&st.race_overlap);
		if (race.p[k])
			ExFreePoolWithTag(race.p[k], RACE_TAG);
		atomic_dec(&race.inside);
		/*
		 * The same size at once: the winner's CPU hands the block
		 * out again while the loser's free may still be checking it.
		 */
		if (!rec_alloc(&me->grab[k], paged, race.size, CHECK_TAG))
			me->grab[k].p = NULL;
		if (!paged)
			preempt_enable();
		me->delta[k] = me->reports - before;
	}
}

/*
 * A block freed twice would now be on a free list or a cache twice: both
 * racers allocate a burst of the raced size, live at once, and every
 * address goes through the table of live blocks.
 */
static void burst_check(struct racer *me, int batch)
{
	struct stress_rec *recs = me->burst;
	unsigned int i, n = race.size > SMALL_MAX_BYTES ? 4 : BURST;

	for (i = 0; i < n; i++)
		if (!rec_alloc(&recs[i], race.paged, race.size, CHECK_TAG))
			recs[i].p = NULL;
	meet(&race.checked, 2 * (batch + 1));
	for (i = 0; i < n; i++)
		if (recs[i].p)
			rec_free(&recs[i]);
	for (i = 0; i < RACE_BATCH; i++)
		if (me->grab[i].p)
			rec_free(&me->grab[i]);
}

static int racer_fn(void *arg)
{
	struct racer *me = arg;
	int batch, batches = DIV_ROUND_UP(rounds, RACE_BATCH);

	for (batch = 0; batch < batches; batch++) {
		/* Pairs with the controller's release of the batch. */
		wait_event_idle(race_wait, smp_load_acquire(&race.batch) == batch ||
				READ_ONCE(aborting));
		if (READ_ONCE(aborting))
			break;
		prime_cache(me, batch);
		race_frees(me, batch);
		free_held(racer_blocks[me - racers], PRIME);
		burst_check(me, batch);
		if (atomic_inc_return(&race.finished) == 2 * (batch + 1))
			wake_up_all(&ctl_wait);
	}
	wait_for_stop();
	return 0;
}

/* Allocates a batch of the size and pool its number selects. */
static void race_alloc(int batch)
{
	unsigned int k, n = min_t(unsigned int, RACE_BATCH,
				  rounds - batch * RACE_BATCH);
	struct stress_rec rec = {};

	race.size = race_sizes[batch % ARRAY_SIZE(race_sizes)];
	race.paged = (batch / ARRAY_SIZE(race_sizes)) & 1;
	for (k = 0; k < RACE_BATCH; k++) {
		race.p[k] = NULL;
		if (k < n && rec_alloc(&rec, race.paged, race.size, RACE_TAG)) {
			live_del(&rec);
			race.p[k] = rec.p;
		}
	}
}

static void race_batch(int batch)
{
	unsigned long reported;
	unsigned int k;

	race_alloc(batch);
	/* Pairs with the racers' acquire: the blocks, size and pool are set. */
	smp_store_release(&race.batch, batch);
	wake_up_all(&race_wait);
	wait_event_idle(ctl_wait, atomic_read(&race.finished) == 2 * (batch + 1) ||
			READ_ONCE(aborting));
	for (k = 0; k < RACE_BATCH && !READ_ONCE(aborting); k++) {
		if (!race.p[k])
			continue;
		atomic_long_inc(&st.race_rounds);
		reported = racers[0].delta[k] + racers[1].delta[k];
		if (reported == 1)
			atomic_long_inc(&st.race_one);
		else if (atomic_long_inc_return(&st.race_bad) == 1)
			pr_err("race at %lx (%zu bytes, %s): %lu reports for two frees\n",
			       (unsigned long)race.p[k], race.size,
			       race.paged ? "paged" : "non-paged", reported);
	}
}

/* ---- the run ----------------------------------------------------------- */

static struct task_struct *controller;

static int start_workers(void)
{
	unsigned int cpu, i = 0;

	nr_workers = num_online_cpus();
	workers = kcalloc(nr_workers, sizeof(*workers), GFP_KERNEL);
	if (!workers)
		return -ENOMEM;
	for_each_online_cpu(cpu) {
		if (i == nr_workers)
			break;
		workers[i].cpu = cpu;
		prandom_seed_state(&workers[i].rnd, seed * 1000003ULL + cpu);
		i++;
	}
	nr_workers = i;
	atomic_set(&workers_busy, nr_workers);
	for (i = 0; i < nr_workers; i++) {
		struct task_struct *t;

		t = kthread_create(worker_fn, &workers[i], "ntstress/%u",
				   workers[i].cpu);
		if (IS_ERR(t))
			return PTR_ERR(t);
		kthread_bind(t, workers[i].cpu);
		workers[i].task = t;
	}
	for (i = 0; i < nr_workers; i++)
		wake_up_process(workers[i].task);
	return 0;
}

static int start_racers(void)
{
	unsigned int i;

	racers[0].cpu = cpumask_first(cpu_online_mask);
	racers[1].cpu = cpumask_next(racers[0].cpu, cpu_online_mask);
	for (i = 0; i < ARRAY_SIZE(racers); i++) {
		struct task_struct *t;

		t = kthread_create(racer_fn, &racers[i], "ntstress-race/%u", i);
		if (IS_ERR(t))
			return PTR_ERR(t);
		kthread_bind(t, racers[i].cpu);
		prandom_seed_state(&racers[i].rnd, seed * 15485863ULL + i);
		racers[i].task = t;
	}
	for (i = 0; i < ARRAY_SIZE(racers); i++)
		wake_up_process(racers[i].task);
	return 0;
}

static void start_timers(void)
{
	prandom_seed_state(&hard_user.rnd, seed * 7919ULL);
	prandom_seed_state(&soft_user.rnd, seed * 104729ULL);
	hrtimer_init(&hard_timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_HARD);
	hard_timer.function = hard_timer_fn;
	hrtimer_start(&hard_timer, ns_to_ktime(200 * NSEC_PER_USEC),
		      HRTIMER_MODE_REL_HARD);
	timer_setup(&soft_timer, soft_timer_fn, 0);
	mod_timer(&soft_timer, jiffies + 1);
}

static void stop_threads(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(racers); i++)
		if (racers[i].task)
			kthread_stop(racers[i].task);
	for (i = 0; i < nr_workers; i++)
		if (workers[i].task)
			kthread_stop(workers[i].task);
}

static bool irq_users_done(void)
{
	/* Pairs with irq_step()'s release: its last frees are done. */
	if (!smp_load_acquire(&hard_user.done))
		return false;
	/* Likewise for the softirq user. */
	return smp_load_acquire(&soft_user.done);
}

/* The timers stop themselves once done; then nothing re-arms them. */
static void stop_timers(void)
{
	WRITE_ONCE(irq_stop, true);
	wait_event_idle(ctl_wait, irq_users_done());
	hrtimer_cancel(&hard_timer);
	timer_shutdown_sync(&soft_timer);
}

static int controller_fn(void *unused)
{
	int batch;

	for (batch = 0; batch * RACE_BATCH < rounds && !READ_ONCE(aborting);
	     batch++)
		race_batch(batch);
	pr_info("race rounds over\n");
	wait_event_idle(ctl_wait, !atomic_read(&workers_busy));
	stop_timers();
	stop_threads();
	pr_info("done: %ld allocations, %ld corrupt, %ld handed out twice, %ld of %ld race rounds with one report\n",
		atomic_long_read(&st.allocs), atomic_long_read(&st.corrupt),
		atomic_long_read(&st.twice), atomic_long_read(&st.race_one),
		atomic_long_read(&st.race_rounds));
	/* Pairs with the reader of parameters/done: stats are final. */
	smp_store_release(&done, 1);
	wait_for_stop();
	return 0;
}

static int __init ntstress_init(void)
{
	unsigned int i;
	int err;

	/* The racers spin for each other: on one CPU they would never meet. */
	if (num_online_cpus() < 2) {
		pr_err("needs two CPUs or more\n");
		return -EINVAL;
	}
	for (i = 0; i < ARRAY_SIZE(live_table); i++)
		raw_spin_lock_init(&live_table[i].lock);
	queues = alloc_percpu(struct llist_head);
	if (!queues)
		return -ENOMEM;
	err = watch_reports();
	if (err) {
		pr_err("cannot watch ntpool's reports: %d\n", err);
		goto out_queues;
	}
	err = start_workers();
	if (!err)
		err = start_racers();
	start_timers();
	if (!err) {
		controller = kthread_run(controller_fn, NULL, "ntstress");
		if (!IS_ERR(controller))
			return 0;
		err = PTR_ERR(controller);
	}
	/* Nothing ran yet but the timers and some threads: wind down. */
	WRITE_ONCE(aborting, true);
	wake_up_all(&race_wait);
	stop_timers();
	stop_threads();
	kfree(workers);
	unwatch_reports();
out_queues:
	free_percpu(queues);
	return err;
}

static void __exit ntstress_exit(void)
{
	WRITE_ONCE(aborting, true);
	wake_up_all(&race_wait);
	wake_up_all(&ctl_wait);
	kthread_stop(controller);
	kfree(workers);
	unwatch_reports();
	free_percpu(queues);
}

module_init(ntstress_init);
module_exit(ntstress_exit);

/* ---- what the steps script reads --------------------------------------- */

static int stats_get(char *buf, const struct kernel_param *kp)
{
	static const struct { const char *name; atomic_long_t *v; } rows[] = {
		{ "worker_ops", &st.worker_ops }, { "handoffs", &st.handoffs },
		{ "away_waits", &st.away_waits },
		{ "race_overlap", &st.race_overlap },
		{ "allocs", &st.allocs }, { "alloc_fails", &st.alloc_fails },
		{ "pcp_allocs", &st.pcp_allocs }, { "mid_allocs", &st.mid_allocs },
		{ "big_allocs", &st.big_allocs }, { "frees", &st.frees },
		{ "remote_frees", &st.remote_frees }, { "checks", &st.checks },
		{ "corrupt", &st.corrupt }, { "twice", &st.twice },
		{ "irq_ops", &st.irq_ops }, { "softirq_ops", &st.softirq_ops },
		{ "reports", &st.reports }, { "reports_other", &st.reports_other },
		{ "race_rounds", &st.race_rounds }, { "race_one", &st.race_one },
		{ "race_bad", &st.race_bad }, { "race_bad_kind", &st.race_bad_kind },
	};
	unsigned int i;
	int n = 0;

	for (i = 0; i < ARRAY_SIZE(rows); i++)
		n += sysfs_emit_at(buf, n, "%s %ld\n", rows[i].name,
				   atomic_long_read(rows[i].v));
	n += sysfs_emit_at(buf, n, "workers %u\n", nr_workers);
	return n;
}

static const struct kernel_param_ops stats_ops = { .get = stats_get };
module_param_cb(stats, &stats_ops, NULL, 0444);
MODULE_PARM_DESC(stats, "Counts of the run (read only)");

static int done_get(char *buf, const struct kernel_param *kp)
{
	/* Pairs with controller_fn()'s release: stats are final. */
	return sysfs_emit(buf, "%d\n", smp_load_acquire(&done));
}

static const struct kernel_param_ops done_ops = { .get = done_get };
module_param_cb(done, &done_ops, NULL, 0444);
MODULE_PARM_DESC(done, "1 once the run is over and stats are final");

static int addr_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%lx\n", READ_ONCE(*(unsigned long *)kp->arg));
}

static const struct kernel_param_ops addr_ops = { .get = addr_get };
module_param_cb(live_small, &addr_ops, &live_small, 0444);
MODULE_PARM_DESC(live_small, "A recently allocated small block (hex)");
module_param_cb(live_big, &addr_ops, &live_big, 0444);
MODULE_PARM_DESC(live_big, "A recently allocated big block (hex)");

MODULE_DESCRIPTION("ntpool SMP stress: random use, remote frees, IRQ users, racing frees");
MODULE_LICENSE("GPL");
