/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ntpoolmon - poolmon for ntpool: shared declarations.
 */
#ifndef NTPOOLMON_H
#define NTPOOLMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define TAG_TEXT	17	/* as ntpool prints it: up to 4 x "\xNN" */
#define MODULES_TEXT	128
#define DESC_TEXT	192
/* The sites and marks views' columns. */
#define MODULE_TEXT	64	/* the kernel's MODULE_NAME_LEN is 56 */
#define CALL_SITE_TEXT	160	/* ntpool cuts names to 127 characters */

enum pool_kind { KIND_NONPAGED, KIND_PAGED };
enum pool_view { VIEW_BOTH, VIEW_NONPAGED, VIEW_PAGED };
enum sort_key { SORT_TAG, SORT_ALLOCS, SORT_FREES, SORT_DIFF, SORT_BYTES,
		SORT_PER_ALLOC };

struct row {
	char tag[TAG_TEXT];
	enum pool_kind kind;
	unsigned long long allocs, frees, failed;
	long long diff, bytes, per_alloc, peak;
	char modules[MODULES_TEXT];
	char desc[DESC_TEXT];
	/* Changes since the previous refresh. */
	long long d_allocs, d_frees, d_bytes;
	bool seen_before;
};

struct table {
	struct row *rows;
	size_t n, room;
};

void *rows_add(void **rows, size_t *n, size_t *room, size_t size);

/* The columns of the table, in their order on screen. */
enum column { COL_TAG, COL_TYPE, COL_ALLOCS, COL_D_ALLOCS, COL_FREES,
	      COL_D_FREES, COL_DIFF, COL_BYTES, COL_D_BYTES, COL_PER_ALLOC,
	      NR_COLS };

/* Which columns show, how wide, and the room for modules and description. */
struct layout {
	bool shown[NR_COLS];
	int w[NR_COLS];
	int text;		/* -1 no limit, 0 not shown */
	int width;		/* the line's limit, 0 for none */
};

#define LAYOUT_LINE	(NR_COLS * 32 + MODULES_TEXT + DESC_TEXT + 8)

struct pattern_list {
	char **items;
	size_t n;
};

struct options {
	const char *file;
	const char *pooltag_file;
	struct pattern_list include, exclude;
	enum pool_view view;
	enum sort_key sort;
	bool by_change;
	bool once;
	bool json;
	bool sites;		/* --sites: the table by call site */
	bool marks;		/* --marks: the blocks since a mark */
	bool highlight;
	unsigned int refresh;
	int width;		/* -w: columns to fit in, 0 none, -1 not given */
};

/* table.c */
int table_parse(FILE *in, struct table *t);
int table_read(const char *path, struct table *t);
int table_copy(struct table *dst, const struct table *src);
void table_free(struct table *t);
void table_diff(struct table *now, const struct table *before);
const char *type_column(const char *line, enum pool_kind *kind);
bool row_selected(const struct options *o, const char *tag,
		  enum pool_kind kind);
void table_filter(struct table *t, const struct options *o);
void table_sort(struct table *t, enum sort_key key, bool by_change);
bool tag_match(const char *pattern, const char *tag);

/* pooltag.c */
int pooltag_load(const char *path);
const char *pooltag_describe(const char *tag);

/* layout.c */
void layout_fit(struct layout *l, const struct table *t, int width,
		bool changes);
void layout_header(const struct layout *l, char out[LAYOUT_LINE]);
void layout_row(const struct layout *l, const struct row *r, const char *desc,
		char out[LAYOUT_LINE]);

/* output.c */
const char *kind_name(enum pool_kind kind);
void json_string(FILE *out, const char *s);
const char *row_description(const struct row *r);
void print_once(FILE *out, const struct table *t, int width);
void print_json(FILE *out, const struct table *t);

/* sites.c */
int sites_snapshot(const struct options *o, FILE *out);

/* marks.c */
int marks_snapshot(const struct options *o, FILE *out);

/* view.c */
int live_view(struct options *o);

#endif
