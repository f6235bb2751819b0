// SPDX-License-Identifier: GPL-2.0
/*
 * ntpoolmon: descriptions from a pooltag.txt file, as poolmon /g reads
 * them ("Tag - binary - description", "rem" comments, wildcards).
 */
#include <stdlib.h>
#include <string.h>
#include "ntpoolmon.h"

struct entry {
	char tag[TAG_TEXT];
	char text[DESC_TEXT];
	bool wildcard;
};

static struct entry *entries;
static size_t nr_entries;

static char *trim(char *s)
{
	char *end;

	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && strchr(" \t\r\n", end[-1]))
		*--end = '\0';
	return s;
}

static int add_line(char *line)
{
	char *sep1, *sep2, *tag;
	struct entry *e;

	line = trim(line);
	if (!*line || !strncmp(line, "rem", 3) || !strncmp(line, "//", 2))
		return 0;
	sep1 = strstr(line, " - ");
	sep2 = sep1 ? strstr(sep1 + 3, " - ") : NULL;
	if (!sep2)
		return -1;
	*sep1 = *sep2 = '\0';
	tag = trim(line);
	if (!*tag || strlen(tag) >= TAG_TEXT)
		return -1;
	e = realloc(entries, (nr_entries + 1) * sizeof(*e));
	if (!e)
		return -1;
	entries = e;
	e = &entries[nr_entries++];
	snprintf(e->tag, sizeof(e->tag), "%s", tag);
	snprintf(e->text, sizeof(e->text), "[%s - %s]", trim(sep1 + 3),
		 trim(sep2 + 3));
	e->wildcard = strpbrk(tag, "?*");
	return 0;
}

/**
 * pooltag_load() - read a pooltag.txt file
 * @path: the file
 *
 * Return: 0, or -1 if it cannot be read or a line is malformed.
 */
int pooltag_load(const char *path)
{
	FILE *in = fopen(path, "r");
	char line[512];
	int err = 0;

	if (!in)
		return -1;
	while (!err && fgets(line, sizeof(line), in))
		err = add_line(line);
	fclose(in);
	return err;
}

/**
 * pooltag_describe() - "[binary - description]" for a tag
 * @tag: the tag as printed
 *
 * Return: the text of an exact entry, else of the first wildcard entry
 * that matches, else NULL.
 */
const char *pooltag_describe(const char *tag)
{
	const struct entry *wild = NULL;
	size_t i;

	for (i = 0; i < nr_entries; i++) {
		if (!tag_match(entries[i].tag, tag))
			continue;
		if (!entries[i].wildcard)
			return entries[i].text;
		if (!wild)
			wild = &entries[i];
	}
	return wild ? wild->text : NULL;
}
