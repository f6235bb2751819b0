// SPDX-License-Identifier: GPL-2.0
/*
 * The one place ntpool's trace events are instantiated.
 */
#define CREATE_TRACE_POINTS
#include "report/trace.h"

/* Test clients count reports through this event (tools/samples/ntstress.c). */
EXPORT_TRACEPOINT_SYMBOL_GPL(ntpool_violation);
