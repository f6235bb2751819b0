// SPDX-License-Identifier: GPL-2.0
/*
 * ntpoolmon: the --once snapshot (poolmon /n's layout) and --json.
 */
#include "ntpoolmon.h"

static const char *kind_name(enum pool_kind kind)
{
	return kind == KIND_PAGED ? "Paged" : "Nonp";
}

static const char *description(const struct row *r)
{
	const char *text = pooltag_describe(r->tag);

	return text ? text : r->desc;
}

/**
 * print_once() - the table as text, without change columns
 * @out: where to
 * @t: the (filtered, sorted) table
 */
void print_once(FILE *out, const struct table *t)
{
	size_t i;

	fprintf(out, " %-4s %-5s %12s %12s %12s %12s %10s  %s\n", "Tag", "Type",
		"Allocs", "Frees", "Diff", "Bytes", "Per Alloc",
		"Modules [Binary - Description]");
	for (i = 0; i < t->n; i++) {
		const struct row *r = &t->rows[i];

		fprintf(out, " %-4s %-5s %12llu %12llu %12lld %12lld %10lld  %s %s\n",
			r->tag, kind_name(r->kind), r->allocs, r->frees, r->diff,
			r->bytes, r->per_alloc, r->modules, description(r));
	}
}

static void json_string(FILE *out, const char *s)
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
		json_string(out, description(r));
		fprintf(out, "}%s\n", i + 1 < t->n ? "," : "");
	}
	fputs("]\n", out);
}
