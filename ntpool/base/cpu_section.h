/* SPDX-License-Identifier: GPL-2.0 */
/*
 * This CPU's section: what the per-CPU caches (pcp.c) and the per-CPU
 * shares of the usage counters (usage.h, client.h) are changed in.
 *
 * A section is a per-CPU flag set with preemption off, not interrupts off:
 * no other task runs on the CPU until it ends, and an interrupt that comes
 * meanwhile (hard or soft: non-paged pool is used from both) finds the flag
 * set and takes its fallback, which changes none of that per-CPU data: the
 * caches are passed by (the pool's pages, under its lock, serve the
 * request), the counters counted straight into their totals, under their
 * lock.  An interrupt that comes outside a section enters its own and ends
 * it before the interrupted code goes on.  Interrupts are never turned off
 * for the fast path, a cost that is most of the fast path's on some
 * machines (UML makes it two calls) and a few cycles on others; this is
 * the bargain SLUB strikes with local_trylock() for its per-CPU sheaves.
 */
#ifndef _NTPOOL_CPU_SECTION_H
#define _NTPOOL_CPU_SECTION_H

#include <linux/compiler.h>
#include <linux/lockdep.h>
#include <linux/mmdebug.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/types.h>

/* Set while this CPU is in its section (usage.c defines it). */
DECLARE_PER_CPU(u8, ntpool_cpu_busy);

/**
 * ntpool_cpu_enter() - enter this CPU's section
 *
 * Any context but NMI.  Pair a true return with ntpool_cpu_leave().
 *
 * Return: true if entered; false if the caller interrupted a section of
 * this CPU's, and must take its fallback.
 */
static __always_inline bool ntpool_cpu_enter(void)
{
	preempt_disable();
	if (unlikely(__this_cpu_read(ntpool_cpu_busy))) {
		preempt_enable();
		return false;
	}
	__this_cpu_write(ntpool_cpu_busy, 1);
	/* An interrupt on this CPU sees the flag before any change. */
	barrier();
	return true;
}

/* End the section ntpool_cpu_enter() began. */
static __always_inline void ntpool_cpu_leave(void)
{
	/* ...and every change before the flag is clear. */
	barrier();
	__this_cpu_write(ntpool_cpu_busy, 0);
	preempt_enable();
}

/* Is the caller in this CPU's section? */
static __always_inline void ntpool_cpu_assert_held(void)
{
	lockdep_assert_preemption_disabled();
	VM_WARN_ON_ONCE(!__this_cpu_read(ntpool_cpu_busy));
}

#endif /* _NTPOOL_CPU_SECTION_H */
