// SPDX-License-Identifier: GPL-2.0
/*
 * ntpoolmon: reading ntpool's "tags" table, filtering and sorting it.
 *
 * A row of the table is
 *   Tag  Type  Allocs Frees Diff Bytes PerAlloc PeakBytes Failed Modules [Binary - Description]
 * where Tag is four characters that may include spaces (or \xNN escapes),
 * so the row is split at the Type column, " Nonp " or " Paged ".
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "ntpoolmon.h"

/**
 * rows_add() - one more zeroed row at the end of a growing array
 * @rows: the array (realloc()ed; NULL when empty)
 * @n: rows in use
 * @room: rows allocated
 * @size: bytes per row
 *
 * Return: the new row, or NULL without memory (the array is unchanged).
 */
void *rows_add(void **rows, size_t *n, size_t *room, size_t size)
{
	char *row;

	if (*n == *room) {
		size_t more = *room ? *room * 2 : 64;
		void *grown = realloc(*rows, more * size);

		if (!grown)
			return NULL;
		*rows = grown;
		*room = more;
	}
	row = (char *)*rows + (*n)++ * size;
	memset(row, 0, size);
	return row;
}

static struct row *table_add(struct table *t)
{
	return rows_add((void **)&t->rows, &t->n, &t->room, sizeof(*t->rows));
}

/**
 * type_column() - where a row's counts start, after its Type column
 * @line: a row of the tags or the sites table
 * @kind: set to the row's pool
 *
 * The tag is at least four characters and may hold spaces, so the row is
 * split at the first " Nonp " or " Paged " after them.
 *
 * Return: the text after the Type column, or NULL if there is none.
 */
const char *type_column(const char *line, enum pool_kind *kind)
{
	const char *p;

	for (p = line + 4; *p; p++) {
		if (!strncmp(p, " Nonp ", 6)) {
			*kind = KIND_NONPAGED;
			return p + 6;
		}
		if (!strncmp(p, " Paged ", 7)) {
			*kind = KIND_PAGED;
			return p + 7;
		}
	}
	return NULL;
}

static int parse_row(const char *line, struct row *r)
{
	const char *rest = type_column(line, &r->kind);
	size_t taglen;
	int used = 0;

	if (!rest || strlen(line) < 4)
		return -EINVAL;
	taglen = rest - line - (r->kind == KIND_PAGED ? 7 : 6);
	if (taglen >= TAG_TEXT)
		return -EINVAL;
	memcpy(r->tag, line, taglen);
	r->tag[taglen] = '\0';
	if (sscanf(rest, "%llu %llu %lld %lld %lld %lld %llu %127s%n",
		   &r->allocs, &r->frees, &r->diff, &r->bytes, &r->per_alloc,
		   &r->peak, &r->failed, r->modules, &used) != 8)
		return -EINVAL;
	rest += used;
	while (*rest == ' ')
		rest++;
	snprintf(r->desc, sizeof(r->desc), "%s", rest);
	r->desc[strcspn(r->desc, "\n")] = '\0';
	return 0;
}

/**
 * table_parse() - read a "tags" table
 * @in: the stream
 * @t: receives the rows
 *
 * Return: 0, or -EINVAL if the header or a row does not parse.
 */
int table_parse(FILE *in, struct table *t)
{
	char line[512];
	bool header = false;

	while (fgets(line, sizeof(line), in)) {
		struct row *r;

		if (!header) {
			/* The sites table starts with "Tag  Type " too. */
			if (strncmp(line, "Tag  Type ", 10) ||
			    !strstr(line, " Per Alloc "))
				return -EINVAL;
			header = true;
			continue;
		}
		if (line[0] == '\n')
			continue;
		r = table_add(t);
		if (!r)
			return -ENOMEM;
		if (parse_row(line, r))
			return -EINVAL;
	}
	return header ? 0 : -EINVAL;
}

/**
 * table_read() - read the table from a file
 * @path: debugfs's tags file, or a saved copy
 * @t: receives the rows (emptied first)
 *
 * Return: 0 or a negative errno.
 */
int table_read(const char *path, struct table *t)
{
	FILE *in = fopen(path, "r");
	int err;

	t->n = 0;
	if (!in)
		return -errno;
	err = table_parse(in, t);
	fclose(in);
	return err;
}

/**
 * table_copy() - replace @dst's rows with a copy of @src's
 * @dst: the copy
 * @src: the table
 *
 * Return: 0 or -ENOMEM.
 */
int table_copy(struct table *dst, const struct table *src)
{
	size_t i;

	dst->n = 0;
	for (i = 0; i < src->n; i++) {
		struct row *r = table_add(dst);

		if (!r)
			return -ENOMEM;
		*r = src->rows[i];
	}
	return 0;
}

void table_free(struct table *t)
{
	free(t->rows);
	memset(t, 0, sizeof(*t));
}

static const struct row *find_row(const struct table *t, const struct row *r)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (t->rows[i].kind == r->kind && !strcmp(t->rows[i].tag, r->tag))
			return &t->rows[i];
	return NULL;
}

/**
 * table_diff() - fill in the changes since the previous refresh
 * @now: the new table
 * @before: the previous one
 */
void table_diff(struct table *now, const struct table *before)
{
	size_t i;

	for (i = 0; i < now->n; i++) {
		struct row *r = &now->rows[i];
		const struct row *old = find_row(before, r);

		r->seen_before = old;
		r->d_allocs = old ? (long long)(r->allocs - old->allocs) : 0;
		r->d_frees = old ? (long long)(r->frees - old->frees) : 0;
		r->d_bytes = old ? r->bytes - old->bytes : 0;
	}
}

/**
 * tag_match() - poolmon's tag patterns: ? any one character, * the rest
 * @pattern: the pattern (case-sensitive)
 * @tag: the tag as printed
 *
 * Return: true on a match.
 */
bool tag_match(const char *pattern, const char *tag)
{
	for (; *pattern; pattern++, tag++) {
		if (*pattern == '*') {
			do {
				if (tag_match(pattern + 1, tag))
					return true;
			} while (*tag++);
			return false;
		}
		if (!*tag || (*pattern != '?' && *pattern != *tag))
			return false;
	}
	/* A short pattern stands for the tag padded with spaces. */
	while (*tag == ' ')
		tag++;
	return !*tag;
}

static bool any_match(const struct pattern_list *l, const char *tag)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (tag_match(l->items[i], tag))
			return true;
	return false;
}

/**
 * row_selected() - whether the options show a row of this tag and pool
 * @o: pool view and include/exclude tag patterns
 * @tag: the row's tag as printed
 * @kind: the row's pool
 *
 * Return: true to show it.
 */
bool row_selected(const struct options *o, const char *tag,
		  enum pool_kind kind)
{
	if (o->view == VIEW_NONPAGED && kind != KIND_NONPAGED)
		return false;
	if (o->view == VIEW_PAGED && kind != KIND_PAGED)
		return false;
	if (o->include.n && !any_match(&o->include, tag))
		return false;
	return !any_match(&o->exclude, tag);
}

/**
 * table_filter() - keep the rows the options select
 * @t: the table
 * @o: pool view and include/exclude tag patterns
 */
void table_filter(struct table *t, const struct options *o)
{
	size_t i, kept = 0;

	for (i = 0; i < t->n; i++)
		if (row_selected(o, t->rows[i].tag, t->rows[i].kind))
			t->rows[kept++] = t->rows[i];
	t->n = kept;
}

static enum sort_key sort_key;
static bool sort_by_change;

static long long key_value(const struct row *r)
{
	switch (sort_key) {
	case SORT_ALLOCS:
		return sort_by_change ? r->d_allocs : (long long)r->allocs;
	case SORT_FREES:
		return sort_by_change ? r->d_frees : (long long)r->frees;
	case SORT_DIFF:
		return r->diff;
	case SORT_BYTES:
		return sort_by_change ? r->d_bytes : r->bytes;
	case SORT_PER_ALLOC:
		return r->per_alloc;
	default:
		return 0;
	}
}

static int cmp_rows(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	long long vx, vy;
	int c;

	if (sort_key != SORT_TAG) {
		vx = key_value(x);
		vy = key_value(y);
		/* Largest first, as poolmon sorts. */
		if (vx != vy)
			return vx < vy ? 1 : -1;
	}
	c = strcmp(x->tag, y->tag);
	return c ? c : (int)x->kind - (int)y->kind;
}

/**
 * table_sort() - sort as poolmon does
 * @t: the table
 * @key: tag (ascending) or a count (descending, ties by tag)
 * @by_change: sort counts by their change since the last refresh
 */
void table_sort(struct table *t, enum sort_key key, bool by_change)
{
	sort_key = key;
	sort_by_change = by_change;
	qsort(t->rows, t->n, sizeof(t->rows[0]), cmp_rows);
}
