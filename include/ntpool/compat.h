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
#include <linux/atomic.h>
#include <asm/cpufeature.h>
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

/*
 * A 16-byte compare-and-exchange of two adjacent, 16-byte aligned u64s
 * (SList headers): 6.5 brought try_cmpxchg128(); before it,
 * cmpxchg_double() compared and exchanged two adjacent words.  Where
 * neither exists, ntpool_has_cmpxchg16() is false and the caller does
 * without.  On failure @old is refreshed from memory.
 */
#if defined(system_has_cmpxchg128)
#define ntpool_has_cmpxchg16()	system_has_cmpxchg128()

static __always_inline bool ntpool_try_cmpxchg16(u64 *p, u64 old[2],
						 u64 new0, u64 new1)
{
	u128 o = (u128)old[1] << 64 | old[0];

	/* p[0] is the low half of the u128 on little-endian CPUs only. */
	BUILD_BUG_ON(IS_ENABLED(CONFIG_CPU_BIG_ENDIAN));
	if (likely(try_cmpxchg128((u128 *)p, &o, (u128)new1 << 64 | new0)))
		return true;
	old[0] = (u64)o;
	old[1] = (u64)(o >> 64);
	return false;
}
#elif defined(system_has_cmpxchg_double)
#define ntpool_has_cmpxchg16()	system_has_cmpxchg_double()

static __always_inline bool ntpool_try_cmpxchg16(u64 *p, u64 old[2],
						 u64 new0, u64 new1)
{
	if (likely(cmpxchg_double(&p[0], &p[1], old[0], old[1], new0, new1)))
		return true;
	old[0] = READ_ONCE(p[0]);
	old[1] = READ_ONCE(p[1]);
	return false;
}
#else
#define ntpool_has_cmpxchg16()	false

static inline bool ntpool_try_cmpxchg16(u64 *p, u64 old[2], u64 new0, u64 new1)
{
	BUILD_BUG();
	return false;
}
#endif

#endif /* _NTPOOL_COMPAT_H */
