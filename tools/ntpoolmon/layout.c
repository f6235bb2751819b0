// SPDX-License-Identifier: GPL-2.0
/*
 * ntpoolmon: fitting the table's columns into a width, as poolmon does.
 *
 * Unlimited, every column has its full width.  In a given width the number
 * columns first narrow to what their header and their values need; then,
 * if the row is still too wide, columns go, least useful first: the
 * modules and description (cut to the room left, and dropped when that is
 * under TEXT_MIN characters), the change columns, Per Alloc, Frees and
 * Allocs.  Tag, Type, Diff and Bytes stay; a width too small even for
 * those cuts the lines.
 */
#include <string.h>
#include "ntpoolmon.h"

#define TEXT_GAP	2	/* spaces before the modules and description */
#define TEXT_MIN	10	/* fewer columns than this for them: drop them */

static const struct {
	const char *header;
	int full;		/* width when there is room */
	bool change;		/* a change column (live view only) */
} cols[NR_COLS] = {
	[COL_TAG] = { "Tag", 4 },
	[COL_TYPE] = { "Type", 5 },
	[COL_ALLOCS] = { "Allocs", 12 },
	[COL_D_ALLOCS] = { "( )", 8, true },
	[COL_FREES] = { "Frees", 12 },
	[COL_D_FREES] = { "( )", 8, true },
	[COL_DIFF] = { "Diff", 12 },
	[COL_BYTES] = { "Bytes", 12 },
	[COL_D_BYTES] = { "( )", 8, true },
	[COL_PER_ALLOC] = { "Per Alloc", 10 },
};

static const char text_header[] = "Modules [Binary - Description]";

/* Least useful first: what goes when the width is short. */
static const enum column drop_order[] = {
	COL_D_BYTES, COL_D_FREES, COL_D_ALLOCS, COL_PER_ALLOC, COL_FREES,
	COL_ALLOCS,
};

static long long value(const struct row *r, enum column c)
{
	switch (c) {
	case COL_ALLOCS: return (long long)r->allocs;
	case COL_D_ALLOCS: return r->d_allocs;
	case COL_FREES: return (long long)r->frees;
	case COL_D_FREES: return r->d_frees;
	case COL_DIFF: return r->diff;
	case COL_BYTES: return r->bytes;
	case COL_D_BYTES: return r->d_bytes;
	case COL_PER_ALLOC: return r->per_alloc;
	default: return 0;
	}
}

static int digits(long long v)
{
	char buf[32];

	return snprintf(buf, sizeof(buf), "%lld", v);
}

static int used_width(const struct layout *l)
{
	int c, w = 0;

	for (c = 0; c < NR_COLS; c++)
		if (l->shown[c])
			w += 1 + l->w[c];
	return w;
}

/**
 * layout_fit() - choose the columns and their widths
 * @l: the layout to fill in
 * @t: the rows to show (their values set the narrowest widths)
 * @width: the columns to fit in; 0 for no limit
 * @changes: with the change columns (the live view)
 */
void layout_fit(struct layout *l, const struct table *t, int width,
		bool changes)
{
	int need[NR_COLS], text_need = strlen(text_header), c, room, more;
	size_t i, k;

	for (i = 0; i < t->n; i++) {
		int n = strlen(t->rows[i].modules) + 1 +
			strlen(row_description(&t->rows[i]));

		if (n > text_need)
			text_need = n;
	}
	for (c = 0; c < NR_COLS; c++) {
		need[c] = strlen(cols[c].header);
		for (i = 0; i < t->n; i++) {
			const struct row *r = &t->rows[i];
			int n = c == COL_TAG ? (int)strlen(r->tag) :
				c == COL_TYPE ? (int)strlen(kind_name(r->kind)) :
				digits(value(r, c));

			if (n > need[c])
				need[c] = n;
		}
		l->shown[c] = changes || !cols[c].change;
		l->w[c] = need[c] > cols[c].full ? need[c] : cols[c].full;
	}
	l->width = width;
	l->text = -1;
	if (!width)
		return;
	room = width - used_width(l) - TEXT_GAP;
	if (room >= text_need) {
		l->text = room;
		return;
	}
	/* Narrow the numbers; what the text does not need widens them back. */
	for (c = 0; c < NR_COLS; c++)
		l->w[c] = need[c];
	room = width - used_width(l) - TEXT_GAP;
	do {
		more = 0;
		for (c = 0; c < NR_COLS && room > text_need; c++) {
			if (l->shown[c] && l->w[c] < cols[c].full) {
				l->w[c]++;
				room--;
				more = 1;
			}
		}
	} while (more && room > text_need);
	l->text = room >= TEXT_MIN ? room : 0;
	for (k = 0; k < ARRAY_SIZE(drop_order) && used_width(l) > width; k++)
		l->shown[drop_order[k]] = false;
}

/* Append to @buf (of LAYOUT_LINE) at *@len, never past the layout's width. */
static void put(const struct layout *l, char *buf, int *len, const char *fmt,
		int w, const char *s)
{
	int n = snprintf(buf + *len, LAYOUT_LINE - *len, fmt, w, s);

	if (n > 0)
		*len += n;
	if (*len >= LAYOUT_LINE)
		*len = LAYOUT_LINE - 1;
	if (l->width && *len > l->width)
		*len = l->width;
	buf[*len] = '\0';
}

static void put_line(const struct layout *l, char *buf, const char *cell[],
		     const char *text)
{
	int c, len = 0;

	buf[0] = '\0';
	for (c = 0; c < NR_COLS; c++) {
		if (!l->shown[c])
			continue;
		put(l, buf, &len, c <= COL_TYPE ? " %-*s" : " %*s", l->w[c],
		    cell[c]);
	}
	if (l->text) {
		put(l, buf, &len, "%*s", TEXT_GAP, "");
		put(l, buf, &len, "%.*s", l->text < 0 ? LAYOUT_LINE : l->text,
		    text);
	}
	while (len && buf[len - 1] == ' ')
		buf[--len] = '\0';
}

/**
 * layout_header() - the header line
 * @l: the layout
 * @out: where to
 */
void layout_header(const struct layout *l, char out[LAYOUT_LINE])
{
	const char *cell[NR_COLS];
	int c;

	for (c = 0; c < NR_COLS; c++)
		cell[c] = cols[c].header;
	put_line(l, out, cell, text_header);
}

/**
 * layout_row() - one row
 * @l: the layout
 * @r: the row
 * @desc: its description
 * @out: where to
 */
void layout_row(const struct layout *l, const struct row *r, const char *desc,
		char out[LAYOUT_LINE])
{
	char num[NR_COLS][32], text[MODULES_TEXT + DESC_TEXT + 2];
	const char *cell[NR_COLS];
	int c;

	for (c = 0; c < NR_COLS; c++) {
		snprintf(num[c], sizeof(num[c]), "%lld", value(r, c));
		cell[c] = num[c];
	}
	cell[COL_TAG] = r->tag;
	cell[COL_TYPE] = kind_name(r->kind);
	snprintf(text, sizeof(text), "%s %s", r->modules, desc);
	put_line(l, out, cell, text);
}
