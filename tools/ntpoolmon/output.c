// SPDX-License-Identifier: GPL-2.0
/*
 * ntpoolmon: the --once snapshot (poolmon /n's layout) and --json.
 */
#include "ntpoolmon.h"

/**
 * kind_name() - a pool's name as ntpool's tables print it
 * @kind: the pool
 *
 * Return: "Nonp" or "Paged".
 */
const char *kind_name(enum pool_kind kind)
{
	return kind == KIND_PAGED ? "Paged" : "Nonp";
}

/**
 * row_description() - a row's description: pooltag.txt's (-g), else ntpool's
 * @r: the row
 *
 * Return: the text, possibly empty.
 */
const char *row_description(const struct row *r)
{
	const char *text = pooltag_describe(r->tag);

	return text ? text : r->desc;
}

/**
 * print_once() - the table as text, without change columns
 * @out: where to
 * @t: the (filtered, sorted) table
 * @width: the columns to fit in (layout.c); 0 for no limit
 */
void print_once(FILE *out, const struct table *t, int width)
{
	char line[LAYOUT_LINE];
	struct layout l;
	size_t i;

	layout_fit(&l, t, width, false);
	layout_header(&l, line);
	fprintf(out, "%s\n", line);
	for (i = 0; i < t->n; i++) {
		layout_row(&l, &t->rows[i], row_description(&t->rows[i]), line);
		fprintf(out, "%s\n", line);
	}
}

/**
 * json_string() - a string as a JSON string, quoted and escaped
 * @out: where to
 * @s: the string
 */
void json_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

/**
 * print_json() - the table as a JSON array, one object per row
 * @out: where to
 * @t: the (filtered, sorted) table
 */
void print_json(FILE *out, const struct table *t)
{
	size_t i;

	fputs("[\n", out);
	for (i = 0; i < t->n; i++) {
		const struct row *r = &t->rows[i];

		fputs("  {\"tag\": ", out);
		json_string(out, r->tag);
		fprintf(out, ", \"type\": \"%s\"", kind_name(r->kind));
		fprintf(out, ", \"allocs\": %llu, \"frees\": %llu, \"diff\": %lld",
			r->allocs, r->frees, r->diff);
		fprintf(out, ", \"bytes\": %lld, \"per_alloc\": %lld", r->bytes,
			r->per_alloc);
		fprintf(out, ", \"peak_bytes\": %lld, \"failed\": %llu, \"modules\": ",
			r->peak, r->failed);
		json_string(out, r->modules);
		fputs(", \"description\": ", out);
		json_string(out, row_description(r));
		fprintf(out, "}%s\n", i + 1 < t->n ? "," : "");
	}
	fputs("]\n", out);
}
