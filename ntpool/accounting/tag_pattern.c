// SPDX-License-Identifier: GPL-2.0
/*
 * Tags as text, and tag patterns as poolmon, !poolfind and pooltag.txt take
 * them.  A tag is shown as its four bytes in memory order: the C literal
 * 'dcba' shows as "abcd", as on NT.
 */
#include <linux/ctype.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include "accounting/tags.h"

/**
 * ntpool_tag_pattern_parse() - read a tag pattern
 * @pat: the result
 * @text: "0x" and up to eight hex digits for a tag value, or up to four
 *	printable characters with ? and * wildcards; no surrounding blanks
 *
 * Return: 0, or -EINVAL when @text is not a pattern (@pat unchanged).
 */
int ntpool_tag_pattern_parse(struct ntpool_tag_pattern *pat, const char *text)
{
	size_t len = strlen(text), chars = 0, i;
	struct ntpool_tag_pattern p = {};

	if (!strncmp(text, "0x", 2) || !strncmp(text, "0X", 2)) {
		if (len < 3 || len > 10 || kstrtou32(text + 2, 16, &p.value))
			return -EINVAL;
		p.by_value = true;
		*pat = p;
		return 0;
	}
	if (!len || len >= NTPOOL_TAG_GLOB)
		return -EINVAL;
	for (i = 0; i < len; i++) {
		if (!isprint(text[i]))
			return -EINVAL;
		chars += text[i] != '*';
	}
	if (chars > 4)
		return -EINVAL;
	strscpy(p.glob, text, sizeof(p.glob));
	*pat = p;
	return 0;
}

static bool glob_tag(const char *glob, const u8 *tag, unsigned int left)
{
	for (; *glob; glob++, tag++, left--) {
		if (*glob == '*') {
			unsigned int skip;

			for (skip = 0; skip <= left; skip++)
				if (glob_tag(glob + 1, tag + skip, left - skip))
					return true;
			return false;
		}
		if (!left || (*glob != '?' && (u8)*glob != *tag))
			return false;
	}
	/* A short pattern without * stands for the tag padded with spaces. */
	while (left--)
		if (*tag++ != ' ')
			return false;
	return true;
}

/**
 * ntpool_tag_pattern_match() - does a tag match a pattern?
 * @pat: from ntpool_tag_pattern_parse()
 * @tag: the tag, as stored
 *
 * Return: true on a match.  Matching is case-sensitive, as poolmon's.
 */
bool ntpool_tag_pattern_match(const struct ntpool_tag_pattern *pat, u32 tag)
{
	u8 bytes[4] = { tag, tag >> 8, tag >> 16, tag >> 24 };

	if (pat->by_value)
		return pat->value == tag;
	return glob_tag(pat->glob, bytes, 4);
}
