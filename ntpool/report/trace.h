/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ntpool's trace events, for ftrace, perf and bpftrace:
 *
 *   ntpool:ntpool_alloc      a block handed out
 *   ntpool:ntpool_free       a block taken back
 *   ntpool:ntpool_hit_tag    PoolHitTag stopped on a block
 *   ntpool:ntpool_violation  a misuse reported with its bugcheck code
 *
 * The tag is text as poolmon shows it ("abcd" for 'dcba'), so that a filter
 * reads tag == "abcd"; module is the calling module's name ("vmlinux" for
 * built-in callers).
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM ntpool

#if !defined(_NTPOOL_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _NTPOOL_TRACE_H

#include <linux/tracepoint.h>
#include <ntpool/compat.h>
#include <ntpool/ntpool.h>
#include "report/report.h"

/*
 * The pool types' values in the events' format files, for the tools that
 * print the events themselves (perf, trace-cmd): they cannot read an
 * enumerator's name.
 */
TRACE_DEFINE_ENUM(NonPagedPool);
TRACE_DEFINE_ENUM(PagedPool);

DECLARE_EVENT_CLASS(ntpool_block,

	TP_PROTO(u32 tag, size_t size, int pool_type, const void *ptr,
		 const struct ntpool_caller *caller),

	TP_ARGS(tag, size, pool_type, ptr, caller),

	TP_STRUCT__entry(
		__array(char, tag, NTPOOL_TAG_TEXT)
		__field(u32, tag_value)
		__field(size_t, size)
		__field(int, pool_type)
		__field(const void *, ptr)
		__field(unsigned long, caller)
		__string(module, ntpool_caller_module_name(caller))
	),

	TP_fast_assign(
		ntpool_tag_text(tag, __entry->tag);
		__entry->tag_value = tag;
		__entry->size = size;
		__entry->pool_type = pool_type;
		__entry->ptr = ptr;
		__entry->caller = caller ? caller->ip : 0;
		NTPOOL_ASSIGN_STR(module, ntpool_caller_module_name(caller));
	),

	TP_printk("tag=%s size=%zu pool=%s ptr=%p caller=%pS module=%s",
		  __entry->tag, __entry->size,
		  __print_symbolic(__entry->pool_type,
				   { NonPagedPool, "NonPagedPool" },
				   { PagedPool, "PagedPool" }),
		  __entry->ptr, (void *)__entry->caller, __get_str(module))
);

/* size: the bytes requested. */
DEFINE_EVENT(ntpool_block, ntpool_alloc,

	TP_PROTO(u32 tag, size_t size, int pool_type, const void *ptr,
		 const struct ntpool_caller *caller),

	TP_ARGS(tag, size, pool_type, ptr, caller)
);

/* size: the bytes the block held (its requested size is not kept). */
DEFINE_EVENT(ntpool_block, ntpool_free,

	TP_PROTO(u32 tag, size_t size, int pool_type, const void *ptr,
		 const struct ntpool_caller *caller),

	TP_ARGS(tag, size, pool_type, ptr, caller)
);

TRACE_EVENT(ntpool_hit_tag,

	TP_PROTO(u32 tag, size_t size, const void *ptr, bool is_free,
		 const struct ntpool_caller *caller),

	TP_ARGS(tag, size, ptr, is_free, caller),

	TP_STRUCT__entry(
		__array(char, tag, NTPOOL_TAG_TEXT)
		__field(u32, tag_value)
		__field(size_t, size)
		__field(const void *, ptr)
		__field(bool, is_free)
		__field(unsigned long, caller)
		__string(module, ntpool_caller_module_name(caller))
	),

	TP_fast_assign(
		ntpool_tag_text(tag, __entry->tag);
		__entry->tag_value = tag;
		__entry->size = size;
		__entry->ptr = ptr;
		__entry->is_free = is_free;
		__entry->caller = caller ? caller->ip : 0;
		NTPOOL_ASSIGN_STR(module, ntpool_caller_module_name(caller));
	),

	TP_printk("tag=%s %s size=%zu ptr=%p caller=%pS module=%s",
		  __entry->tag, __entry->is_free ? "free" : "alloc",
		  __entry->size, __entry->ptr, (void *)__entry->caller,
		  __get_str(module))
);

TRACE_EVENT(ntpool_violation,

	TP_PROTO(u32 code, const u64 *args, const struct ntpool_caller *caller),

	TP_ARGS(code, args, caller),

	TP_STRUCT__entry(
		__field(u32, code)
		__field(u64, arg1)
		__field(u64, arg2)
		__field(u64, arg3)
		__field(u64, arg4)
		__field(unsigned long, caller)
		__string(module, ntpool_caller_module_name(caller))
	),

	TP_fast_assign(
		__entry->code = code;
		__entry->arg1 = args[0];
		__entry->arg2 = args[1];
		__entry->arg3 = args[2];
		__entry->arg4 = args[3];
		__entry->caller = caller ? caller->ip : 0;
		NTPOOL_ASSIGN_STR(module, ntpool_caller_module_name(caller));
	),

	TP_printk("code=0x%x args=(0x%llx, 0x%llx, 0x%llx, 0x%llx) caller=%pS module=%s",
		  __entry->code, __entry->arg1, __entry->arg2, __entry->arg3,
		  __entry->arg4, (void *)__entry->caller, __get_str(module))
);

#endif /* _NTPOOL_TRACE_H */

/*
 * The kernel's define_trace.h includes this file again, as <report/trace.h>
 * through the module's folder on the include path (Kbuild), in tree and
 * out of tree alike.
 */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH report
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
