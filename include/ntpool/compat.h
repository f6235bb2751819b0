/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ntpool - kernel version differences, kept in one place.
 *
 * Linux 6.13 turned the namespace argument of EXPORT_SYMBOL_NS*() and
 * MODULE_IMPORT_NS() from a bare identifier into a string literal.  Every
 * export and import in ntpool names its namespace as NTPOOL_NS, which is
 * spelled for the kernel it is built against.
 */
#ifndef _NTPOOL_COMPAT_H
#define _NTPOOL_COMPAT_H

#include <linux/version.h>
#include <linux/export.h>
#include <linux/memcontrol.h>
#include <linux/module.h>
#include <linux/mmzone.h>
#include <linux/shrinker.h>
#include <linux/slab.h>

#if KERNEL_VERSION(6, 13, 0) > LINUX_VERSION_CODE
#define NTPOOL_NS	NTPOOL
#else
#define NTPOOL_NS	"NTPOOL"
#endif

/*
 * Largest page order the buddy allocator hands out: MAX_ORDER was exclusive
 * before 6.4, inclusive from 6.4 and renamed MAX_PAGE_ORDER in 6.8.
 */
#if defined(MAX_PAGE_ORDER)
#define NTPOOL_MAX_PAGE_ORDER	MAX_PAGE_ORDER
#elif KERNEL_VERSION(6, 4, 0) > LINUX_VERSION_CODE
#define NTPOOL_MAX_PAGE_ORDER	(MAX_ORDER - 1)
#else
#define NTPOOL_MAX_PAGE_ORDER	MAX_ORDER
#endif

/* Is memcg kmem accounting on?  6.3 renamed memcg_kmem_enabled(). */
#if KERNEL_VERSION(6, 3, 0) > LINUX_VERSION_CODE
#define ntpool_memcg_kmem_on()	memcg_kmem_enabled()
#else
#define ntpool_memcg_kmem_on()	memcg_kmem_online()
#endif

/*
 * Trace events: 6.10 dropped the source argument of __assign_str(), which
 * now copies what the field's __string() declaration named; @src is then
 * only type-checked (sizeof does not evaluate it).
 */
#if KERNEL_VERSION(6, 10, 0) > LINUX_VERSION_CODE
#define NTPOOL_ASSIGN_STR(dst, src)	__assign_str(dst, src)
#else
#define NTPOOL_ASSIGN_STR(dst, src)			\
	do {						\
		BUILD_BUG_ON(sizeof(src) != sizeof(char *));	\
		__assign_str(dst);			\
	} while (0)
#endif

/*
 * Shrinkers: 6.7 made them dynamically allocated (shrinker_alloc() and
 * shrinker_register()); before, the caller's struct was registered.
 */
typedef unsigned long (*ntpool_shrink_fn)(struct shrinker *,
					  struct shrink_control *);

static inline struct shrinker *ntpool_shrinker_create(const char *name,
						      ntpool_shrink_fn count,
						      ntpool_shrink_fn scan)
{
	struct shrinker *s;

#if KERNEL_VERSION(6, 7, 0) > LINUX_VERSION_CODE
	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return NULL;
	s->count_objects = count;
	s->scan_objects = scan;
	s->seeks = DEFAULT_SEEKS;
	if (register_shrinker(s, "%s", name)) {
		kfree(s);
		return NULL;
	}
#else
	s = shrinker_alloc(0, "%s", name);
	if (!s)
		return NULL;
	s->count_objects = count;
	s->scan_objects = scan;
	shrinker_register(s);
#endif
	return s;
}

static inline void ntpool_shrinker_destroy(struct shrinker *s)
{
#if KERNEL_VERSION(6, 7, 0) > LINUX_VERSION_CODE
	unregister_shrinker(s);
	kfree(s);
#else
	shrinker_free(s);
#endif
}

#endif /* _NTPOOL_COMPAT_H */
