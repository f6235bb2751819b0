/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ntpool's trace events, for clients that watch them from the kernel:
 * tests that count reports, which the NT API does not return.  The events
 * themselves, their fields and how to read them through tracefs, are in
 * Documentation/tracing.rst.
 */
#ifndef _NTPOOL_EVENTS_H
#define _NTPOOL_EVENTS_H

#include <linux/tracepoint.h>

/*
 * ntpool_violation fires for every report, printed or not.  A probe has
 * the prototype
 *   void probe(void *data, u32 code, const u64 *args,
 *              const struct ntpool_caller *caller);
 * with args[0..3] the report's Arg1..Arg4, and is registered with
 * tracepoint_probe_register(&__tracepoint_ntpool_violation, probe, data).
 */
extern struct tracepoint __tracepoint_ntpool_violation;

#endif /* _NTPOOL_EVENTS_H */
