// SPDX-License-Identifier: GPL-2.0
/*
 * ntpoolmon: the live view, refreshed every few seconds, with poolmon's
 * keys: t a f d b m sort, ( or ) sort by change, p cycles the pools,
 * l toggles highlighting, h or ? help, q or Esc quits.
 */
#include <curses.h>
#include <string.h>
#include "ntpoolmon.h"

static const char * const sort_names[] = {
	[SORT_TAG] = "tag", [SORT_ALLOCS] = "allocs", [SORT_FREES] = "frees",
	[SORT_DIFF] = "diff", [SORT_BYTES] = "bytes",
	[SORT_PER_ALLOC] = "bytes per alloc",
};

static const char * const view_names[] = {
	[VIEW_BOTH] = "all pools", [VIEW_NONPAGED] = "nonpaged pool",
	[VIEW_PAGED] = "paged pool",
};

static void draw_help(void)
{
	erase();
	mvprintw(0, 0, "ntpoolmon keys (as poolmon's):");
	mvprintw(2, 2, "t  sort by tag            a  sort by allocs");
	mvprintw(3, 2, "f  sort by frees          d  sort by diff");
	mvprintw(4, 2, "b  sort by bytes          m  sort by bytes per alloc");
	mvprintw(5, 2, "( or )  sort by change since the last refresh (toggle)");
	mvprintw(6, 2, "p  cycle: nonpaged, paged, both");
	mvprintw(7, 2, "l  highlighting on/off");
	mvprintw(8, 2, "q or Esc  quit            any other key  back");
	refresh();
}

/* The width the table is fitted to: the terminal's, or -w's if narrower. */
static int view_width(const struct options *o)
{
	return o->width > 0 && o->width < COLS ? o->width : COLS;
}

static void draw(const struct table *t, const struct options *o)
{
	int row = 3, maxy = getmaxy(stdscr), width = view_width(o);
	char line[LAYOUT_LINE];
	struct layout l;
	size_t i;

	erase();
	snprintf(line, sizeof(line), "ntpoolmon  %s  sorted by %s%s  h for help  (%s)",
		 view_names[o->view], sort_names[o->sort],
		 o->by_change ? " change" : "", o->file);
	mvaddnstr(0, 0, line, width);
	layout_fit(&l, t, width, true);
	layout_header(&l, line);
	mvaddnstr(2, 0, line, width);
	for (i = 0; i < t->n && row < maxy; i++, row++) {
		const struct row *r = &t->rows[i];
		bool changed = r->d_allocs || r->d_frees || r->d_bytes ||
			       !r->seen_before;

		layout_row(&l, r, row_description(r), line);
		if (o->highlight && changed)
			attron(A_REVERSE);
		mvaddnstr(row, 0, line, width);
		if (o->highlight && changed)
			attroff(A_REVERSE);
	}
	refresh();
}

/* Apply a key; returns false to quit. */
static bool handle_key(int key, struct options *o)
{
	static const char keys[] = "tafdbm";
	const char *k = key > 0 && key < 256 ? strchr(keys, key) : NULL;

	if (key == 'q' || key == 27)
		return false;
	if (k && *k) {
		o->sort = (enum sort_key)(k - keys);
	} else if (key == '(' || key == ')') {
		o->by_change = !o->by_change;
	} else if (key == 'p') {
		o->view = o->view == VIEW_BOTH ? VIEW_NONPAGED :
			  o->view == VIEW_NONPAGED ? VIEW_PAGED : VIEW_BOTH;
	} else if (key == 'l') {
		o->highlight = !o->highlight;
	} else if (key == 'h' || key == '?') {
		draw_help();
		timeout(-1);
		getch();
	}
	return true;
}

/**
 * live_view() - run the live table until q
 * @o: the options; keys change them
 *
 * Return: 0, or a negative errno if the table cannot be read.
 */
int live_view(struct options *o)
{
	struct table before = {}, now = {}, shown = {}, tmp;
	int err;

	initscr();
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	for (;;) {
		err = table_read(o->file, &now);
		if (err)
			break;
		table_diff(&now, &before);
		err = table_copy(&shown, &now);
		if (err)
			break;
		table_filter(&shown, o);
		table_sort(&shown, o->sort, o->by_change);
		draw(&shown, o);
		/* Keep these counts for the next refresh's change columns. */
		tmp = before;
		before = now;
		now = tmp;
		timeout(o->refresh * 1000);
		if (!handle_key(getch(), o))
			break;
	}
	endwin();
	table_free(&before);
	table_free(&now);
	table_free(&shown);
	return err;
}
