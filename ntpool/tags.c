// SPDX-License-Identifier: GPL-2.0
/*
 * The tag table: one row per tag, created the first time the tag is seen
 * and kept until ntpool unloads, as NT's pool tracker table does.
 *
 * The allocation path only writes per-CPU counters (usage.c).
 *
 * Finding a row: an rhashtable keyed by tag, read under RCU without locks,
 * and a per-CPU pointer to the row used last.  Rows also get a 16-bit id,
 * kept in the PoolTagHash field of each block's header (and in big-pool
 * entries), so that a free finds its row in a two-level table indexed by
 * id, without a search.  Creating a row takes rows_lock.  When a row cannot be created
 * (no memory in atomic context, or 65535 tags) the allocation is counted in
 * the overflow row, which `tags` shows; no tag is dropped silently.
 */
#define pr_fmt(fmt) "ntpool: " fmt

#include <linux/jhash.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/vmalloc.h>
#include "tags.h"

static const struct rhashtable_params tag_params = {
	.key_len = sizeof(u32),
	.key_offset = offsetof(struct ntpool_tag, tag),
	.head_offset = offsetof(struct ntpool_tag, node),
	.automatic_shrinking = false,
};

static struct rhashtable tag_table;
/* Rows by id: 256 chunks of 256 pointers, a chunk allocated when needed. */
#define ID_CHUNK_SHIFT	8
#define ID_CHUNK	BIT(ID_CHUNK_SHIFT)
static struct ntpool_tag **rows_by_id[(NTPOOL_MAX_TAGS >> ID_CHUNK_SHIFT) + 1];
static unsigned int next_id = 1;
static DEFINE_SPINLOCK(rows_lock);
static struct ntpool_tag overflow_row;
static atomic_t nr_rows = ATOMIC_INIT(0);
static DEFINE_PER_CPU(struct ntpool_tag *, last_row);

static void free_row(struct ntpool_tag *t)
{
	ntpool_usage_destroy(&t->usage);
	kfree(t);
}

static struct ntpool_tag *new_row(u32 tag, gfp_t gfp)
{
	struct ntpool_tag *t = kzalloc(sizeof(*t), gfp);

	if (!t)
		return NULL;
	t->tag = tag;
	if (ntpool_usage_init(&t->usage, gfp)) {
		kfree(t);
		return NULL;
	}
	return t;
}

/* Give a new row the next id; rows_lock held. */
static bool add_id(struct ntpool_tag *t)
{
	unsigned int id = next_id;
	struct ntpool_tag **chunk;

	if (id > NTPOOL_MAX_TAGS)
		return false;
	chunk = rows_by_id[id >> ID_CHUNK_SHIFT];
	if (!chunk) {
		chunk = kcalloc(ID_CHUNK, sizeof(*chunk), GFP_ATOMIC | __GFP_NOWARN);
		if (!chunk)
			return false;
		/* Readers find the chunk only once it is zeroed. */
		smp_store_release(&rows_by_id[id >> ID_CHUNK_SHIFT], chunk);
	}
	t->id = id;
	/* Readers find the row only once it is complete. */
	smp_store_release(&chunk[id & (ID_CHUNK - 1)], t);
	/* Pairs with ntpool_tags_snapshot(): ids below next_id are set. */
	smp_store_release(&next_id, id + 1);
	return true;
}

/* Publish a new row under rows_lock; returns the row that won. */
static struct ntpool_tag *insert_row(struct ntpool_tag *t)
{
	struct ntpool_tag *old;
	unsigned long flags;

	spin_lock_irqsave(&rows_lock, flags);
	old = rhashtable_lookup_fast(&tag_table, &t->tag, tag_params);
	if (old)
		goto out;
	old = &overflow_row;
	if (!add_id(t))
		goto out;
	if (rhashtable_insert_fast(&tag_table, &t->node, tag_params)) {
		/* The id stays used, and names the overflow row. */
		WRITE_ONCE(rows_by_id[t->id >> ID_CHUNK_SHIFT][t->id & (ID_CHUNK - 1)],
			   NULL);
		goto out;
	}
	atomic_inc(&nr_rows);
	old = t;
out:
	spin_unlock_irqrestore(&rows_lock, flags);
	if (old != t)
		free_row(t);
	return old;
}

/**
 * ntpool_tag_get() - the row of a tag, created if new
 * @tag: the tag
 * @gfp: how to allocate a new row
 *
 * Return: the row, or the overflow row when a new one cannot be made.
 */
struct ntpool_tag *ntpool_tag_get(u32 tag, gfp_t gfp)
{
	/* Rows stay while ntpool is loaded: the last one used is kept. */
	struct ntpool_tag *t = this_cpu_read(last_row);

	if (likely(t && t->tag == tag))
		return t;
	rcu_read_lock();
	t = rhashtable_lookup(&tag_table, &tag, tag_params);
	rcu_read_unlock();
	if (likely(t)) {
		this_cpu_write(last_row, t);
		return t;
	}
	t = new_row(tag, gfp & ~__GFP_ZERO);
	return t ? insert_row(t) : &overflow_row;
}

/**
 * ntpool_tag_by_id() - the row whose id a header or big-pool entry holds
 * @id: the id
 *
 * Return: the row; the overflow row for id 0 or an unknown id.
 */
struct ntpool_tag *ntpool_tag_by_id(u16 id)
{
	struct ntpool_tag **chunk, *t = NULL;

	/* Pairs with add_id(): a chunk or row found is complete. */
	chunk = smp_load_acquire(&rows_by_id[id >> ID_CHUNK_SHIFT]);
	if (chunk)
		/* Pairs with add_id(), as above. */
		t = smp_load_acquire(&chunk[id & (ID_CHUNK - 1)]);
	return t ? t : &overflow_row;
}

/**
 * ntpool_tag_count_alloc() - count a successful allocation, for the tag and
 *	for the module
 * @t: its tag's row
 * @kind: its pool
 * @bytes: block bytes, header included (whole pages for big blocks)
 * @client: id of the allocating module
 */
void ntpool_tag_count_alloc(struct ntpool_tag *t, enum ntpool_kind kind,
			    size_t bytes, u8 client)
{
	ntpool_usage_alloc(&t->usage, &ntpool_client(client)->usage, kind, bytes);
	/* Test first: the bitmap is written once per tag and module. */
	if (!test_bit(client, t->owners))
		set_bit(client, t->owners);
}

/**
 * ntpool_tag_count_free() - count a free, for the tag and for the module
 * @t: its tag's row
 * @kind: its pool
 * @bytes: block bytes, as counted at allocation
 * @owner: id of the module that allocated it
 */
void ntpool_tag_count_free(struct ntpool_tag *t, enum ntpool_kind kind,
			   size_t bytes, u8 owner)
{
	ntpool_usage_free(&t->usage, &ntpool_client(owner)->usage, kind, bytes);
}

/**
 * ntpool_tags_forget_owner() - a client id is given back: no row names it
 * @client: the id, no longer anyone's
 *
 * Process context; the next module with this id starts with no tags.
 */
void ntpool_tags_forget_owner(u8 client)
{
	/* Pairs with add_id(): rows below next_id are set. */
	unsigned int id, last = smp_load_acquire(&next_id);

	clear_bit(client, overflow_row.owners);
	for (id = 1; id < last; id++) {
		struct ntpool_tag *t = ntpool_tag_by_id(id);

		if (t != &overflow_row && test_bit(client, t->owners))
			clear_bit(client, t->owners);
		if (!(id % 1024))
			cond_resched();
	}
}

/**
 * ntpool_tag_count_failure() - count an allocation that found no memory
 * @t: its tag's row
 * @kind: its pool
 */
void ntpool_tag_count_failure(struct ntpool_tag *t, enum ntpool_kind kind)
{
	ntpool_usage_failure(&t->usage, kind);
}

/**
 * ntpool_tag_read() - sum a row's counters over all CPUs
 * @t: the row
 * @st: the sums
 */
void ntpool_tag_read(struct ntpool_tag *t, struct ntpool_tag_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->tag = t->tag;
	st->overflow = t == &overflow_row;
	bitmap_copy(st->owners, t->owners, NTPOOL_MAX_CLIENTS);
	ntpool_usage_read(&t->usage, &st->u);
}

static int cmp_stats(const void *a, const void *b)
{
	const struct ntpool_tag_stats *x = a, *y = b;

	/* Overflow last; otherwise the tags in display (memory) order. */
	if (x->overflow != y->overflow)
		return x->overflow - y->overflow;
	return memcmp(&x->tag, &y->tag, sizeof(x->tag));
}

/**
 * ntpool_tags_snapshot() - every row's sums, sorted by tag
 * @count: set to the number of rows
 *
 * Takes no lock that allocation paths take, and none for long.
 *
 * Return: a kvmalloc()ed array (the overflow row last), or NULL.
 */
struct ntpool_tag_stats *ntpool_tags_snapshot(size_t *count)
{
	/* Room for rows created while the snapshot is taken, and overflow. */
	size_t n = 0, room = atomic_read(&nr_rows) + 64;
	/* Pairs with add_id(): ids below next_id are set. */
	unsigned int id, ids = smp_load_acquire(&next_id);
	struct ntpool_tag_stats *rows;
	struct ntpool_tag *t;

	rows = kvmalloc_array(room, sizeof(*rows), GFP_KERNEL);
	if (!rows)
		return NULL;
	for (id = 1; id < ids && n + 1 < room; id++) {
		t = ntpool_tag_by_id(id);
		if (t != &overflow_row)
			ntpool_tag_read(t, &rows[n++]);
	}
	ntpool_tag_read(&overflow_row, &rows[n++]);
	sort(rows, n, sizeof(*rows), cmp_stats, NULL);
	*count = n;
	return rows;
}

/**
 * ntpool_tags_init() - set up the tag table
 *
 * Return: 0 or a negative errno.
 */
int ntpool_tags_init(void)
{
	int err;

	err = ntpool_usage_init(&overflow_row.usage, GFP_KERNEL);
	if (err)
		return err;
	err = rhashtable_init(&tag_table, &tag_params);
	if (err)
		ntpool_usage_destroy(&overflow_row.usage);
	return err;
}

static void free_table_row(void *ptr, void *arg)
{
	struct ntpool_tag *t = ptr;

	free_row(t);
}

/**
 * ntpool_tags_exit() - drop every row
 */
void ntpool_tags_exit(void)
{
	unsigned int i;
	int cpu;

	for_each_possible_cpu(cpu)
		per_cpu(last_row, cpu) = NULL;
	rhashtable_free_and_destroy(&tag_table, free_table_row, NULL);
	for (i = 0; i < ARRAY_SIZE(rows_by_id); i++) {
		kfree(rows_by_id[i]);
		rows_by_id[i] = NULL;
	}
	next_id = 1;
	ntpool_usage_destroy(&overflow_row.usage);
}
