/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Client modules come and go (unload.c).
 */
#ifndef _NTPOOL_UNLOAD_H
#define _NTPOOL_UNLOAD_H

struct module;

void ntpool_client_gone(struct module *mod);
int ntpool_modules_watch(void);
void ntpool_modules_unwatch(void);

#endif /* _NTPOOL_UNLOAD_H */
