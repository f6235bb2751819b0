// SPDX-License-Identifier: GPL-2.0
/*
 * The one place ntpool's trace events are instantiated.
 */
#define CREATE_TRACE_POINTS
#include "trace.h"
