/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a client module leaves behind (leaks.c).
 */
#ifndef _NTPOOL_LEAKS_H
#define _NTPOOL_LEAKS_H

#include <linux/seq_file.h>
#include "accounting/callsite.h"
#include "accounting/client.h"

void ntpool_leaks_check(struct ntpool_client *c);
unsigned long ntpool_leaks_release(const char *name);
/* One line of a leaked-allocations table, for the console or debugfs. */
#define NTPOOL_ROW_TEXT		160
void ntpool_format_allocation(char *buf, const struct ntpool_client *c,
			      const void *addr, size_t size, u32 tag,
			      unsigned long caller);
void ntpool_leaks_name_callers(struct ntpool_client *c,
			       const struct ntpool_callsite_scope *scope);
void ntpool_print_allocations(struct seq_file *m, struct ntpool_client *c);

#endif /* _NTPOOL_LEAKS_H */
