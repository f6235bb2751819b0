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

static void draw(const struct table *t, const struct options *o)
{
	int row = 3, maxy = getmaxy(stdscr);
	size_t i;

	erase();
	mvprintw(0, 0, "ntpoolmon  %s  sorted by %s%s  (%s)   h for help",
		 view_names[o->view], sort_names[o->sort],
		 o->by_change ? " change" : "", o->file);
	mvprintw(2, 0, " %-4s %-5s %10s %8s %10s %8s %10s %12s %8s %9s  %s",
		 "Tag", "Type", "Allocs", "( )", "Frees", "( )", "Diff", "Bytes",
		 "( )", "Per Alloc", "Modules [Binary - Description]");
	for (i = 0; i < t->n && row < maxy; i++, row++) {
		const struct row *r = &t->rows[i];
		const char *desc = pooltag_describe(r->tag);
		bool changed = r->d_allocs || r->d_frees || r->d_bytes ||
			       !r->seen_before;

		if (o->highlight && changed)
			attron(A_REVERSE);
		mvprintw(row, 0, " %-4s %-5s %10llu %8lld %10llu %8lld",
			 r->tag, r->kind == KIND_PAGED ? "Paged" : "Nonp",
			 r->allocs, r->d_allocs, r->frees, r->d_frees);
		printw(" %10lld %12lld %8lld %9lld  %s %s", r->diff, r->bytes,
		       r->d_bytes, r->per_alloc, r->modules,
		       desc ? desc : r->desc);
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
