/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Lookaside lists: what the rest of ntpool asks of them.
 */
#ifndef _NTPOOL_LOOKASIDE_INTERNAL_H
#define _NTPOOL_LOOKASIDE_INTERNAL_H

#include <linux/list.h>
#include <linux/module.h>
#include <linux/seq_file.h>
#include <ntpool/ntpool.h>

void ntpool_lookaside_unload(struct module *mod);
void ntpool_lookaside_adjust(PGENERAL_LOOKASIDE_POOL list);
void ntpool_print_lookaside(struct seq_file *m);
int ntpool_lookaside_start(void);
void ntpool_lookaside_stop(void);

#endif /* _NTPOOL_LOOKASIDE_INTERNAL_H */
