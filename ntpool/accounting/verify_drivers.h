/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which client modules Driver Verifier watches (verify_drivers.c).
 */
#ifndef _NTPOOL_VERIFY_DRIVERS_H
#define _NTPOOL_VERIFY_DRIVERS_H

#include <linux/jump_label.h>
#include <linux/seq_file.h>
#include "accounting/client.h"

enum ntpool_verify ntpool_verify_level_for(const char *name);
void ntpool_verify_update(void);
int ntpool_verify_set(const char *text);
void ntpool_verify_clear(void);
void ntpool_verify_show(struct seq_file *m);

/* Set once a module was ever verified: records may outlive the setting. */
DECLARE_STATIC_KEY_FALSE(ntpool_tracking_used);
extern bool ntpool_track_shared;
void ntpool_verifier_track_shared(void);

#endif /* _NTPOOL_VERIFY_DRIVERS_H */
