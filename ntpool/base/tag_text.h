/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A pool tag as text (tag_text.c).
 */
#ifndef _NTPOOL_TAG_TEXT_H
#define _NTPOOL_TAG_TEXT_H

#include <linux/types.h>

/* A tag as poolmon prints it: four bytes, each possibly "\xNN", and NUL */
#define NTPOOL_TAG_TEXT	17

void ntpool_tag_text(u32 tag, char *buf);

#endif /* _NTPOOL_TAG_TEXT_H */
