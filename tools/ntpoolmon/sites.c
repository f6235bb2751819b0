// SPDX-License-Identifier: GPL-2.0
/*
 * ntpoolmon --sites: ntpool's "sites" table, the tag table by call site,
 * as text or JSON.
 *
 * A row of the table is
 *   Tag  Type  Allocs Frees Diff Bytes PeakBytes Flags Module Call site
 * split at the Type column as a row of the tags table is (table.c).  Flags
 * are M (the tag is used by more than one module), T (the call site uses
 * more than one tag), MT, or "-" for neither.  The call site is the rest of
 * the line: kallsyms' "func+0x4a/0x90 [module]", which holds a space, or
 * "0x..." for a site whose module went before it was named.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "ntpoolmon.h"

struct site {
	char tag[TAG_TEXT];
	enum pool_kind kind;
	unsigned long long allocs, frees;
	long long diff, bytes, peak;
	bool many_modules, many_tags;
	char module[MODULE_TEXT];
	char call_site[CALL_SITE_TEXT];
	size_t order;		/* its line in the file: ntpool's order */
};

struct sites {
	struct site *rows;
	size_t n, room;
};

static struct site *sites_add(struct sites *t)
{
	struct site *s = rows_add((void **)&t->rows, &t->n, &t->room,
				  sizeof(*t->rows));

	/* Its place in ntpool's order, which sorts keep for ties. */
	if (s)
		s->order = t->n - 1;
	return s;
}

/* "M", "T", "MT" or "-". */
static int parse_flags(const char *text, struct site *s)
{
	if (!strcmp(text, "-"))
		return 0;
	s->many_modules = *text == 'M';
	text += s->many_modules;
	s->many_tags = *text == 'T';
	text += s->many_tags;
	return *text || !(s->many_modules || s->many_tags) ? -EINVAL : 0;
}

static int parse_site(const char *line, struct site *s)
{
	const char *rest = type_column(line, &s->kind);
	size_t taglen, len;
	char flags[4];
	int used = 0;

	if (!rest)
		return -EINVAL;
	taglen = rest - line - (s->kind == KIND_PAGED ? 7 : 6);
	if (taglen >= TAG_TEXT)
		return -EINVAL;
	memcpy(s->tag, line, taglen);
	s->tag[taglen] = '\0';
	if (sscanf(rest, "%llu %llu %lld %lld %lld %3s %63s%n", &s->allocs,
		   &s->frees, &s->diff, &s->bytes, &s->peak, flags, s->module,
		   &used) != 7 || rest[used] != ' ' || parse_flags(flags, s))
		return -EINVAL;
	rest += used + strspn(rest + used, " ");
	len = strcspn(rest, "\n");
	if (!len || len >= sizeof(s->call_site))
		return -EINVAL;
	memcpy(s->call_site, rest, len);
	s->call_site[len] = '\0';
	return 0;
}

static int sites_parse(FILE *in, struct sites *t)
{
	char line[512];
	bool header = false;

	while (fgets(line, sizeof(line), in)) {
		struct site *s;

		if (!strchr(line, '\n') && !feof(in))
			return -EINVAL;		/* longer than any row */
		if (!header) {
			/* The tags table starts with "Tag  Type " too. */
			if (strncmp(line, "Tag  Type ", 10) ||
			    !strstr(line, " Flags Module "))
				return -EINVAL;
			header = true;
			continue;
		}
		if (line[0] == '\n')
			continue;
		s = sites_add(t);
		if (!s)
			return -ENOMEM;
		if (parse_site(line, s))
			return -EINVAL;
	}
	return header ? 0 : -EINVAL;
}

static int sites_read(const char *path, struct sites *t)
{
	FILE *in = fopen(path, "r");
	int err;

	if (!in)
		return -errno;
	err = sites_parse(in, t);
	fclose(in);
	return err;
}

static void sites_filter(struct sites *t, const struct options *o)
{
	size_t i, kept = 0;

	for (i = 0; i < t->n; i++)
		if (row_selected(o, t->rows[i].tag, t->rows[i].kind))
			t->rows[kept++] = t->rows[i];
	t->n = kept;
}

static enum sort_key sort_key;

static long long key_value(const struct site *s)
{
	switch (sort_key) {
	case SORT_ALLOCS:
		return (long long)s->allocs;
	case SORT_FREES:
		return (long long)s->frees;
	case SORT_DIFF:
		return s->diff;
	case SORT_BYTES:
		return s->bytes;
	case SORT_PER_ALLOC:
		return s->diff > 0 ? s->bytes / s->diff : 0;
	default:
		return 0;
	}
}

/*
 * As poolmon: counts largest first; ties, and -s t, in ntpool's order (by
 * tag, its bytes in memory order, then module and call site).
 */
static int cmp_sites(const void *a, const void *b)
{
	const struct site *x = a, *y = b;
	long long vx = key_value(x), vy = key_value(y);

	if (vx != vy)
		return vx < vy ? 1 : -1;
	return x->order < y->order ? -1 : x->order > y->order;
}

static void sites_sort(struct sites *t, enum sort_key key)
{
	sort_key = key;
	qsort(t->rows, t->n, sizeof(t->rows[0]), cmp_sites);
}

static const char *flags_text(const struct site *s)
{
	if (s->many_modules)
		return s->many_tags ? "MT" : "M";
	return s->many_tags ? "T" : "-";
}

/* The text table: ntpool's columns, a space first as in --once. */
static void print_sites(FILE *out, const struct sites *t)
{
	int tag_w = 4, module_w = 16;
	size_t i;

	for (i = 0; i < t->n; i++) {
		int n = strlen(t->rows[i].tag), m = strlen(t->rows[i].module);

		tag_w = n > tag_w ? n : tag_w;
		module_w = m > module_w ? m : module_w;
	}
	fprintf(out, " %-*s %-5s %12s %12s %12s %12s %12s %-5s %-*s %s\n",
		tag_w, "Tag", "Type", "Allocs", "Frees", "Diff", "Bytes",
		"Peak Bytes", "Flags", module_w, "Module", "Call site");
	for (i = 0; i < t->n; i++) {
		const struct site *s = &t->rows[i];

		fprintf(out, " %-*s %-5s %12llu %12llu %12lld %12lld %12lld %-5s %-*s %s\n",
			tag_w, s->tag, kind_name(s->kind), s->allocs, s->frees,
			s->diff, s->bytes, s->peak, flags_text(s), module_w,
			s->module, s->call_site);
	}
}

static void print_sites_json(FILE *out, const struct sites *t)
{
	size_t i;

	fputs("[\n", out);
	for (i = 0; i < t->n; i++) {
		const struct site *s = &t->rows[i];

		fputs("  {\"tag\": ", out);
		json_string(out, s->tag);
		fprintf(out, ", \"type\": \"%s\"", kind_name(s->kind));
		fprintf(out, ", \"allocs\": %llu, \"frees\": %llu, \"diff\": %lld",
			s->allocs, s->frees, s->diff);
		fprintf(out, ", \"bytes\": %lld, \"peak_bytes\": %lld", s->bytes,
			s->peak);
		fprintf(out, ", \"many_modules\": %s, \"many_tags\": %s",
			s->many_modules ? "true" : "false",
			s->many_tags ? "true" : "false");
		fputs(", \"module\": ", out);
		json_string(out, s->module);
		fputs(", \"call_site\": ", out);
		json_string(out, s->call_site);
		fprintf(out, "}%s\n", i + 1 < t->n ? "," : "");
	}
	fputs("]\n", out);
}

/**
 * sites_snapshot() - print the sites table once, as text or JSON
 * @o: the file, pool view, tag patterns, sort key and --json
 * @out: where to
 *
 * Return: 0, or a negative errno: -EINVAL if the file is not a sites table.
 */
int sites_snapshot(const struct options *o, FILE *out)
{
	struct sites t = {};
	int err = sites_read(o->file, &t);

	if (!err) {
		sites_filter(&t, o);
		sites_sort(&t, o->sort);
		if (o->json)
			print_sites_json(out, &t);
		else
			print_sites(out, &t);
	}
	free(t.rows);
	return err;
}
