// SPDX-License-Identifier: GPL-2.0
/*
 * The tag table: one row per tag, created the first time the tag is seen
 * and kept until ntpool unloads, as NT's pool tracker table does.
 *
 * A row holds its tag's totals; the allocation path counts in the call
 * sites that use the tag (sites.c), whose counters fold into the row's
 * (usage.c).
 *
 * Finding a row: an xarray indexed by tag value, read under RCU without
 * locks, and a per-CPU pointer to the row used last.  Rows also get an
 * id, by which they are listed in the order they were made.
 *
 * Locking: a new row is published under the xarray's lock, taken with
 * interrupts saved, so rows can be created from any context, hard
 * interrupts and interrupts-off sections included (no lock here disables
 * softirqs, as rhashtable's bucket locks do before Linux 6.2).  When a row
 * cannot be created (no memory in atomic context, or the row limit below
 * reached) the allocation is counted in the overflow row, which `tags`
 * shows; no tag is dropped silently.
 *
 * Memory: a row costs sizeof(struct ntpool_tag), and rows are never
 * freed (their sites point to them).
 */
#define pr_fmt(fmt) "ntpool: " fmt

#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/vmalloc.h>
#include <linux/xarray.h>
#include "accounting/tags.h"

/* Rows by tag value; its lock serialises row creation. */
static DEFINE_XARRAY_FLAGS(rows_by_tag, XA_FLAGS_LOCK_IRQ);
/* Rows by id: 256 chunks of 256 pointers, a chunk allocated when needed. */
#define ID_CHUNK_SHIFT	8
#define ID_CHUNK	BIT(ID_CHUNK_SHIFT)
static struct ntpool_tag **rows_by_id[(NTPOOL_MAX_TAGS >> ID_CHUNK_SHIFT) + 1];
static unsigned int next_id = 1;
static unsigned int max_id = NTPOOL_MAX_TAGS;
static struct ntpool_tag overflow_row;
static atomic_t nr_rows = ATOMIC_INIT(0);
/* The row this CPU used last: ntpool_tag_find() (tags.h) looks there first. */
DEFINE_PER_CPU(struct ntpool_tag *, ntpool_last_row);

static void free_row(struct ntpool_tag *t)
{
	kfree(t);
}

static struct ntpool_tag *new_row(u32 tag, gfp_t gfp)
{
	struct ntpool_tag *t = kzalloc(sizeof(*t), gfp);

	if (!t)
		return NULL;
	t->tag = tag;
	ntpool_usage_init_total(&t->usage, NTPOOL_SITE_SLOT_TAG);
	return t;
}

/* The chunk of rows_by_id that will hold @id, allocated if needed. */
static struct ntpool_tag **id_chunk(unsigned int id)
{
	struct ntpool_tag **chunk = rows_by_id[id >> ID_CHUNK_SHIFT];

	if (chunk)
		return chunk;
	chunk = kcalloc(ID_CHUNK, sizeof(*chunk), GFP_ATOMIC | __GFP_NOWARN);
	if (chunk)
		/* Readers find the chunk only once it is zeroed. */
		smp_store_release(&rows_by_id[id >> ID_CHUNK_SHIFT], chunk);
	return chunk;
}

/*
 * Publish a new row; returns the row that won.  Whatever can fail is done
 * before the row becomes visible, so a row that loses is never published.
 */
static struct ntpool_tag *insert_row(struct ntpool_tag *t)
{
	struct ntpool_tag *old, **chunk;
	unsigned long flags;
	unsigned int id;

	xa_lock_irqsave(&rows_by_tag, flags);
	old = xa_load(&rows_by_tag, t->tag);
	if (old)
		goto out;
	old = &overflow_row;
	id = next_id;
	if (id > max_id)
		goto out;
	chunk = id_chunk(id);
	if (!chunk)
		goto out;
	t->id = id;
	if (__xa_insert(&rows_by_tag, t->tag, t, GFP_ATOMIC | __GFP_NOWARN))
		goto out;
	/* Readers find the row only once it is complete. */
	smp_store_release(&chunk[id & (ID_CHUNK - 1)], t);
	/* Pairs with ntpool_tags_snapshot(): ids below next_id are set. */
	smp_store_release(&next_id, id + 1);
	atomic_inc(&nr_rows);
	old = t;
out:
	xa_unlock_irqrestore(&rows_by_tag, flags);
	if (old != t)
		free_row(t);
	return old;
}

/**
 * __ntpool_tag_find() - ntpool_tag_find() when the row is not this CPU's
 *	last one
 * @tag: the tag
 *
 * Return: the row, or NULL for a tag not seen yet.
 */
struct ntpool_tag *__ntpool_tag_find(u32 tag)
{
	struct ntpool_tag *t = xa_load(&rows_by_tag, tag);

	if (likely(t))
		this_cpu_write(ntpool_last_row, t);
	return t;
}

/**
 * ntpool_tag_get() - the row of a tag, created if new
 * @tag: the tag
 * @gfp: how to allocate a new row
 *
 * Any context: hard interrupts and interrupts off included.  Finding an
 * existing row takes no lock.
 *
 * Return: the row, or the overflow row when a new one cannot be made.
 */
struct ntpool_tag *ntpool_tag_get(u32 tag, gfp_t gfp)
{
	struct ntpool_tag *t = ntpool_tag_find(tag);

	if (likely(t))
		return t;
	if (READ_ONCE(next_id) > max_id)
		return &overflow_row;
	t = new_row(tag, gfp & ~__GFP_ZERO);
	return t ? insert_row(t) : &overflow_row;
}

/**
 * ntpool_tag_by_id() - the row with an id
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
 * ntpool_tag_overflow_row() - the row of tags that could not get one
 *
 * Return: the overflow row.
 */
struct ntpool_tag *ntpool_tag_overflow_row(void)
{
	return &overflow_row;
}

/**
 * ntpool_tag_is_overflow() - is @t the overflow row?
 * @t: a row
 *
 * Return: true if it is.
 */
bool ntpool_tag_is_overflow(const struct ntpool_tag *t)
{
	return t == &overflow_row;
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
	max_id = NTPOOL_MAX_TAGS;
	ntpool_usage_init_total(&overflow_row.usage, NTPOOL_SITE_SLOT_TAG);
	return 0;
}

/**
 * ntpool_tags_max() - how many rows the tag table can hold
 *
 * Return: the limit.
 */
unsigned int ntpool_tags_max(void)
{
	return max_id;
}

/**
 * ntpool_tags_exit() - drop every row
 */
void ntpool_tags_exit(void)
{
	unsigned int i, j;
	int cpu;

	for_each_possible_cpu(cpu)
		per_cpu(ntpool_last_row, cpu) = NULL;
	xa_destroy(&rows_by_tag);
	for (i = 0; i < ARRAY_SIZE(rows_by_id); i++) {
		if (!rows_by_id[i])
			continue;
		for (j = 0; j < ID_CHUNK; j++)
			if (rows_by_id[i][j])
				free_row(rows_by_id[i][j]);
		kfree(rows_by_id[i]);
		rows_by_id[i] = NULL;
	}
	next_id = 1;
	atomic_set(&nr_rows, 0);
	memset(&overflow_row, 0, sizeof(overflow_row));
}
