// SPDX-License-Identifier: GPL-2.0
/*
 * Special pool, as Driver Verifier's: each block alone on its own page,
 * with an unmapped page next to it.
 *
 * A block is placed at the end of its page (16-byte aligned, "Verify
 * End"), so that an overrun faults at once in the guard page vmalloc leaves
 * after every area, or at the start ("Verify Start"), so that an underrun
 * faults in the guard page of the area before.  The rest of the page is
 * filled with a pattern checked on free (0xC1).  A freed page is unmapped
 * (vfree(), and the TLBs flushed; by a work item if freed where vfree()
 * must not run), so a use after free faults too, until vmalloc hands the
 * address out again; on x86 a die notifier says which NT bugcheck such a
 * fault is, when the oops printer leaves CR2 intact.
 *
 * What gets special pool: POOL_FLAG_SPECIAL_POOL, the SpecialPool
 * priorities (Overrun: end, Underrun: start), and the special_pool setting
 * (module parameter, debugfs file), which selects as gflags does: a tag
 * pattern, "0x" and a size class below PAGE_SIZE (x64 classes of 16 bytes:
 * 0x20 for 1-16 bytes ... 0xff0 for 0xfd1-0xfe0), or "*"; optionally
 * followed by "start" or "end".  Only requests below a page get special
 * pool, and only where sleeping is allowed (vmalloc); the others fall back
 * to normal pool silently, as NT's do when special pool is exhausted.
 * Special pool blocks are vmalloc memory even for non-paged requests.
 */
#define pr_fmt(fmt) "ntpool: " fmt

#include <linux/kdebug.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include "base/leak.h"
#include "report/report.h"
#include "core/special.h"
#include "accounting/tags.h"

#define SPECIAL_PATTERN		0xcb
#define FREED_REMEMBERED	256

struct special_setting {
	struct rcu_head rcu;
	char text[NTPOOL_TAG_GLOB];
	bool all;
	size_t size_class;		/* 0: select by tag */
	struct ntpool_tag_pattern pattern;
	unsigned int where;
};

/* Read without a lock by ntpool_special_enabled() (special.h). */
struct special_setting __rcu *ntpool_special_setting;
static DEFINE_MUTEX(setting_lock);

/* Pages freed lately, to name a use-after-free fault. */
static unsigned long freed_pages[FREED_REMEMBERED];
static atomic_t freed_next = ATOMIC_INIT(0);

static bool selected(const struct special_setting *s,
		     const struct ntpool_request *req)
{
	if (s->all)
		return true;
	if (s->size_class)
		return req->size + 2 * NTPOOL_BLOCK_SIZE > s->size_class &&
		       req->size + NTPOOL_BLOCK_SIZE <= s->size_class;
	return ntpool_tag_pattern_match(&s->pattern, ntpool_plain_tag(req->tag));
}

/**
 * ntpool_special_wanted() - should this request get special pool?
 * @req: the request
 *
 * Return: NTPOOL_SPECIAL_END or _START, or NTPOOL_SPECIAL_NONE.
 */
unsigned int ntpool_special_wanted(const struct ntpool_request *req)
{
	unsigned int where = req->special;
	struct special_setting *s;

	/* Most allocations: no setting, no priority asking for it. */
	if (!where && !rcu_access_pointer(ntpool_special_setting))
		return NTPOOL_SPECIAL_NONE;
	if (req->size >= PAGE_SIZE || !ntpool_can_sleep())
		return NTPOOL_SPECIAL_NONE;
	if (where)
		return where;
	rcu_read_lock();
	s = rcu_dereference(ntpool_special_setting);
	if (s && selected(s, req))
		where = s->where;
	rcu_read_unlock();
	return where;
}

/**
 * ntpool_special_alloc() - a block on a page of its own
 * @req: the request, below a page, where sleeping is allowed
 * @where: NTPOOL_SPECIAL_END or NTPOOL_SPECIAL_START
 *
 * The entry goes into the paged pool's table (the page is vmalloc memory),
 * marked with the pool the caller asked for.
 *
 * Return: the block, or NULL.
 */
void *ntpool_special_alloc(struct ntpool_request *req, unsigned int where)
{
	struct ntpool_pool *vpool = &ntpool_pools[NTPOOL_PAGED];
	struct ntpool_big *big = kmalloc(sizeof(*big), GFP_KERNEL);
	void *page = ntpool_vmalloc_carved(PAGE_SIZE, GFP_KERNEL | __GFP_NOWARN);

	if (!big || !page)
		goto fail;
	ntpool_leak_no_scan(big);
	memset(page, SPECIAL_PATTERN, PAGE_SIZE);
	*big = (struct ntpool_big) {
		.va = page, .size = req->size, .tag = req->tag,
		.kind = req->kind, .client = req->client,
		.site_id = req->site_id, .caller = req->caller.ip,
		.special = where,
		/* A block of 0 bytes ends a checked unit before the guard. */
		.block = where == NTPOOL_SPECIAL_START ? page :
			 page + PAGE_SIZE -
			 ALIGN(req->size ?: 1, NTPOOL_BLOCK_SIZE),
	};
	if (ntpool_xa_insert(&vpool->pages, ntpool_page_key(page),
			     xa_tag_pointer(big, NTPOOL_XA_BIG), GFP_KERNEL))
		goto fail;
	atomic_long_inc(&vpool->nr_big_pages);
	return big->block;

fail:
	vfree(page);
	kfree(big);
	return NULL;
}

/**
 * ntpool_special_check() - is the rest of a special-pool page intact?
 * @big: the block's entry
 * @p: the block
 * @caller: who frees it
 *
 * Reports 0xC1 with Arg4 0x24 (bytes after the end overwritten) or 0x23
 * (other bytes of the page); the block is freed all the same.
 *
 * Return: true if the page was intact.
 */
bool ntpool_special_check(const struct ntpool_big *big, void *p,
			  const struct ntpool_caller *caller)
{
	u8 *end = p + big->size, *bad;

	bad = memchr_inv(end, SPECIAL_PATTERN, big->va + PAGE_SIZE - (void *)end);
	if (bad) {
		ntpool_bugcheck(SPECIAL_POOL_DETECTED_MEMORY_CORRUPTION,
				(unsigned long)p, (unsigned long)bad, 0,
				NTPOOL_C1_AFTER_END, caller);
		return false;
	}
	bad = memchr_inv(big->va, SPECIAL_PATTERN, p - big->va);
	if (bad) {
		ntpool_bugcheck(SPECIAL_POOL_DETECTED_MEMORY_CORRUPTION,
				(unsigned long)p, (unsigned long)bad, 0,
				NTPOOL_C1_NEARBY_CORRUPT, caller);
		return false;
	}
	return true;
}

/**
 * ntpool_special_freed() - remember a freed special-pool page
 * @big: its entry, about to be released
 */
void ntpool_special_freed(const struct ntpool_big *big)
{
	unsigned int i = atomic_inc_return(&freed_next) % FREED_REMEMBERED;

	WRITE_ONCE(freed_pages[i], (unsigned long)big->va);
}

static int parse_setting(char *text, struct special_setting *s)
{
	char *what = strsep(&text, " \t");
	char *side = text ? skip_spaces(text) : NULL;
	unsigned long size;

	s->where = NTPOOL_SPECIAL_END;
	if (side && *side) {
		if (!strcmp(side, "start"))
			s->where = NTPOOL_SPECIAL_START;
		else if (strcmp(side, "end"))
			return -EINVAL;
	}
	strscpy(s->text, what, sizeof(s->text));
	if (!strcmp(what, "*")) {
		s->all = true;
		return 0;
	}
	/* As gflags: a "tag" below PAGE_SIZE is a size class. */
	if (!strncmp(what, "0x", 2) && !kstrtoul(what, 16, &size) &&
	    size < PAGE_SIZE) {
		if (size < 2 * NTPOOL_BLOCK_SIZE || size % NTPOOL_BLOCK_SIZE)
			return -EINVAL;
		s->size_class = size;
		return 0;
	}
	return ntpool_tag_pattern_parse(&s->pattern, what);
}

/**
 * ntpool_special_set() - choose what gets special pool
 * @text: "none", "*", a tag pattern or "0x" size class, optionally
 *	followed by "start" or "end"
 *
 * Return: 0, or -EINVAL (unchanged).
 */
int ntpool_special_set(const char *text)
{
	struct special_setting *s = kzalloc(sizeof(*s), GFP_KERNEL), *old;
	char *copy = kstrdup(text, GFP_KERNEL), *trimmed;
	int err = -ENOMEM;

	if (s && copy) {
		trimmed = strim(copy);
		if (!strcmp(trimmed, "none")) {
			kfree(s);
			s = NULL;
			err = 0;
		} else {
			err = parse_setting(trimmed, s);
		}
	}
	kfree(copy);
	if (err) {
		kfree(s);
		return err;
	}
	mutex_lock(&setting_lock);
	old = rcu_replace_pointer(ntpool_special_setting, s, lockdep_is_held(&setting_lock));
	mutex_unlock(&setting_lock);
	if (old)
		kfree_rcu(old, rcu);
	return 0;
}

/* Clear the setting without allocating: the way out must not fail. */
static void drop_setting(void)
{
	struct special_setting *old;

	mutex_lock(&setting_lock);
	old = rcu_replace_pointer(ntpool_special_setting, NULL, lockdep_is_held(&setting_lock));
	mutex_unlock(&setting_lock);
	if (old)
		kfree_rcu(old, rcu);
}

/**
 * ntpool_special_show() - print the special_pool setting
 * @m: where to
 */
void ntpool_special_show(struct seq_file *m)
{
	struct special_setting *s;

	rcu_read_lock();
	s = rcu_dereference(ntpool_special_setting);
	if (s)
		seq_printf(m, "%s %s\n", s->text,
			   s->where == NTPOOL_SPECIAL_START ? "start" : "end");
	else
		seq_puts(m, "none\n");
	rcu_read_unlock();
}

static int special_param_set(const char *val, const struct kernel_param *kp)
{
	return ntpool_special_set(val);
}

static const struct kernel_param_ops special_param_ops = {
	.set = special_param_set,
};
module_param_cb(special_pool, &special_param_ops, NULL, 0200);
MODULE_PARM_DESC(special_pool,
		 "Special pool for: *, a tag pattern, or 0x size class; then start or end");

#ifdef CONFIG_X86
#include <asm/special_insns.h>

static bool was_freed(unsigned long page)
{
	unsigned int i;

	for (i = 0; i < FREED_REMEMBERED; i++)
		if (READ_ONCE(freed_pages[i]) == page)
			return true;
	return false;
}

/*
 * The special-pool entry whose page is @offset pages from @addr's, if any;
 * under rcu_read_lock(), which keeps it from being freed (see
 * ntpool_big_release()).
 */
static struct ntpool_big *entry_near(unsigned long addr, long offset,
				     unsigned int where)
{
	struct ntpool_pool *vpool = &ntpool_pools[NTPOOL_PAGED];
	void *page = (void *)(addr + offset * PAGE_SIZE), *entry;

	if (!is_vmalloc_addr(page))
		return NULL;
	entry = xa_load(&vpool->pages, ntpool_page_key(page));
	if (!entry || xa_pointer_tag(entry) != NTPOOL_XA_BIG)
		return NULL;
	entry = xa_untag_pointer(entry);
	return ((struct ntpool_big *)entry)->special == where ? entry : NULL;
}

/*
 * On an oops, say which NT bugcheck a fault in or next to special pool
 * is.  Best effort: the oops goes on as the kernel decides.
 */
static int special_die(struct notifier_block *nb, unsigned long val, void *data)
{
	/*
	 * The faulting address is still in CR2 unless the oops printer
	 * faulted too (reading the code bytes around the instruction):
	 * then nothing is said.
	 */
	unsigned long addr = read_cr2(), page = addr & PAGE_MASK;
	struct ntpool_big *big;

	if (val != DIE_OOPS || !is_vmalloc_addr((void *)addr))
		return NOTIFY_DONE;
	/* No lock: the oops may have happened with the pool lock held. */
	rcu_read_lock();
	big = entry_near(page, -1, NTPOOL_SPECIAL_END);
	if (big)
		pr_emerg("The fault at %lx, past the end of special pool block %lx (tag %.4s, %zu bytes), is bugcheck 0xD6 DRIVER_PAGE_FAULT_BEYOND_END_OF_ALLOCATION (0xCD PAGE_FAULT_BEYOND_END_OF_ALLOCATION)\n",
			 addr, (unsigned long)big->block, (char *)&big->tag,
			 big->size);
	big = entry_near(page, 1, NTPOOL_SPECIAL_START);
	if (big)
		pr_emerg("The fault at %lx, before the start of special pool block %lx (tag %.4s, %zu bytes), is bugcheck 0xD6 DRIVER_PAGE_FAULT_BEYOND_END_OF_ALLOCATION\n",
			 addr, (unsigned long)big->block, (char *)&big->tag,
			 big->size);
	rcu_read_unlock();
	if (was_freed(page))
		pr_emerg("The fault at %lx, in a freed special pool page, is bugcheck 0xD5 DRIVER_PAGE_FAULT_IN_FREED_SPECIAL_POOL (0xCC PAGE_FAULT_IN_FREED_SPECIAL_POOL)\n",
			 addr);
	return NOTIFY_DONE;
}

static struct notifier_block special_die_nb = {
	.notifier_call = special_die,
};

/**
 * ntpool_special_init() - watch oopses for special-pool faults
 *
 * Return: 0 or a negative errno.
 */
int ntpool_special_init(void)
{
	return register_die_notifier(&special_die_nb);
}

/**
 * ntpool_special_exit() - stop watching, drop the setting
 */
void ntpool_special_exit(void)
{
	/* Harmless when it was never registered (init failed before). */
	unregister_die_notifier(&special_die_nb);
	drop_setting();
}
#else
int ntpool_special_init(void)
{
	return 0;
}

void ntpool_special_exit(void)
{
	drop_setting();
}
#endif
