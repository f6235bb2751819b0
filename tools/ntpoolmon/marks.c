// SPDX-License-Identifier: GPL-2.0
/*
 * ntpoolmon --marks: ntpool's "marks" view, the blocks allocated since a
 * mark and still outstanding, by tag and call site, as text or JSON.
 *
 * The file is a title line, "Mark N (newest M): blocks allocated since,
 * still outstanding", then either the table
 *   Tag  Type  Blocks Bytes Module Call site
 * (a row split at the Type column as the tags table's, table.c; the call
 * site is the rest of the line, "-" for the overflow row Ovfl), or, when
 * the mark asked for has become too old, the line "mark N is too old: ...",
 * which is an error here: no table is not an empty table.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "ntpoolmon.h"

struct mark_block {
	char tag[TAG_TEXT];
	enum pool_kind kind;
	unsigned long long blocks, bytes;
	char module[MODULE_TEXT];
	char call_site[CALL_SITE_TEXT];
};

struct marks {
	unsigned int mark, newest;
	struct mark_block *rows;
	size_t n, room;
	char too_old[160];	/* the kernel's line, when it has no table */
};

static struct mark_block *marks_add(struct marks *t)
{
	return rows_add((void **)&t->rows, &t->n, &t->room, sizeof(*t->rows));
}

static int parse_block(const char *line, struct mark_block *b)
{
	const char *rest = type_column(line, &b->kind);
	size_t taglen, len;
	int used = 0;

	if (!rest)
		return -EINVAL;
	taglen = rest - line - (b->kind == KIND_PAGED ? 7 : 6);
	if (taglen >= TAG_TEXT)
		return -EINVAL;
	memcpy(b->tag, line, taglen);
	b->tag[taglen] = '\0';
	if (sscanf(rest, "%llu %llu %63s%n", &b->blocks, &b->bytes, b->module,
		   &used) != 3 || rest[used] != ' ')
		return -EINVAL;
	rest += used + strspn(rest + used, " ");
	len = strcspn(rest, "\n");
	if (!len || len >= sizeof(b->call_site))
		return -EINVAL;
	memcpy(b->call_site, rest, len);
	b->call_site[len] = '\0';
	return 0;
}

/* The title line: which mark the table counts from, and the newest. */
static int parse_title(const char *line, struct marks *t)
{
	int used = 0;

	if (sscanf(line, "Mark %u (newest %u): %n", &t->mark, &t->newest,
		   &used) != 2 || !used ||
	    strcmp(line + used, "blocks allocated since, still outstanding\n"))
		return -EINVAL;
	return 0;
}

/*
 * The line after the title: the table's header, or the kernel's word that
 * there is no table (-ERANGE: the mark is too old; -ENOMEM: ntpool had no
 * memory to count in).
 */
static int parse_header(const char *line, struct marks *t)
{
	if (!strncmp(line, "Tag  Type ", 10) && strstr(line, " Blocks ") &&
	    strstr(line, " Module "))
		return 0;
	if (!strncmp(line, "mark ", 5) && strstr(line, " is too old: ")) {
		snprintf(t->too_old, sizeof(t->too_old), "%.*s",
			 (int)strcspn(line, "\n"), line);
		return -ERANGE;
	}
	if (!strcmp(line, "no memory for the table\n") ||
	    !strcmp(line, "(not walked: no memory to count in)\n"))
		return -ENOMEM;
	return -EINVAL;
}

static int marks_parse(FILE *in, struct marks *t)
{
	char line[512];
	size_t nr = 0;
	int err;

	while (fgets(line, sizeof(line), in)) {
		struct mark_block *b;

		if (!strchr(line, '\n') && !feof(in))
			return -EINVAL;		/* longer than any row */
		err = nr == 0 ? parse_title(line, t) :
		      nr == 1 ? parse_header(line, t) : 0;
		if (err)
			return err;
		if (nr++ < 2 || line[0] == '\n')
			continue;
		b = marks_add(t);
		if (!b)
			return -ENOMEM;
		if (parse_block(line, b))
			return -EINVAL;
	}
	return nr >= 2 ? 0 : -EINVAL;
}

static int marks_read(const char *path, struct marks *t)
{
	FILE *in = fopen(path, "r");
	int err;

	if (!in)
		return -errno;
	err = marks_parse(in, t);
	fclose(in);
	return err;
}

static void marks_filter(struct marks *t, const struct options *o)
{
	size_t i, kept = 0;

	for (i = 0; i < t->n; i++)
		if (row_selected(o, t->rows[i].tag, t->rows[i].kind))
			t->rows[kept++] = t->rows[i];
	t->n = kept;
}

/* The title, then ntpool's columns, a space first as in --once. */
static void print_marks(FILE *out, const struct marks *t)
{
	int tag_w = 4, module_w = 16;
	size_t i;

	for (i = 0; i < t->n; i++) {
		int n = strlen(t->rows[i].tag), m = strlen(t->rows[i].module);

		tag_w = n > tag_w ? n : tag_w;
		module_w = m > module_w ? m : module_w;
	}
	fprintf(out, "Mark %u (newest %u): blocks allocated since, still outstanding\n",
		t->mark, t->newest);
	fprintf(out, " %-*s %-5s %12s %12s %-*s %s\n", tag_w, "Tag", "Type",
		"Blocks", "Bytes", module_w, "Module", "Call site");
	for (i = 0; i < t->n; i++) {
		const struct mark_block *b = &t->rows[i];

		fprintf(out, " %-*s %-5s %12llu %12llu %-*s %s\n", tag_w,
			b->tag, kind_name(b->kind), b->blocks, b->bytes,
			module_w, b->module, b->call_site);
	}
}

static void print_marks_json(FILE *out, const struct marks *t)
{
	size_t i;

	fprintf(out, "{\"mark\": %u, \"newest\": %u, \"blocks\": [\n", t->mark,
		t->newest);
	for (i = 0; i < t->n; i++) {
		const struct mark_block *b = &t->rows[i];

		fputs("  {\"tag\": ", out);
		json_string(out, b->tag);
		fprintf(out, ", \"type\": \"%s\"", kind_name(b->kind));
		fprintf(out, ", \"blocks\": %llu, \"bytes\": %llu", b->blocks,
			b->bytes);
		fputs(", \"module\": ", out);
		json_string(out, b->module);
		fputs(", \"call_site\": ", out);
		json_string(out, b->call_site);
		fprintf(out, "}%s\n", i + 1 < t->n ? "," : "");
	}
	fputs("]}\n", out);
}

/**
 * marks_snapshot() - print the marks view once, as text or JSON
 * @o: the file, pool view, tag patterns and --json
 * @out: where to
 *
 * Return: 0, or a negative errno: -EINVAL if the file is not a marks table,
 * -ERANGE if it says that the mark asked for is too old (the kernel's
 * line is printed on standard error), -ENOMEM if ntpool had no memory to
 * count in.
 */
int marks_snapshot(const struct options *o, FILE *out)
{
	struct marks t = {};
	int err = marks_read(o->file, &t);

	if (!err) {
		marks_filter(&t, o);
		if (o->json)
			print_marks_json(out, &t);
		else
			print_marks(out, &t);
	} else if (err == -ERANGE) {
		fprintf(stderr, "ntpoolmon: %s: %s\n", o->file, t.too_old);
	}
	free(t.rows);
	return err;
}
