// SPDX-License-Identifier: GPL-2.0
/*
 * A pool tag as text: its four bytes in memory order, as poolmon shows
 * them (the C literal 'dcba' shows as "abcd", as on NT).  Reports, the
 * allocate/free log, JSON and the views all write tags this way.
 */
#include <linux/ctype.h>
#include <linux/kernel.h>
#include "base/tag_text.h"

/**
 * ntpool_tag_text() - a tag as poolmon prints it
 * @tag: the tag
 * @buf: NTPOOL_TAG_TEXT bytes; receives the four characters, with
 *	non-printable bytes escaped as \xNN
 */
void ntpool_tag_text(u32 tag, char *buf)
{
	unsigned int i;

	for (i = 0; i < 4; i++) {
		u8 c = tag >> (8 * i);

		if (isprint(c) && c != '\\')
			*buf++ = c;
		else
			buf += sprintf(buf, "\\x%02x", c);
	}
	*buf = '\0';
}
