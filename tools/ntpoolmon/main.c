// SPDX-License-Identifier: GPL-2.0
/*
 * ntpoolmon - poolmon for ntpool.
 *
 * Shows ntpool's per-tag pool usage (/sys/kernel/debug/ntpool/tags) the way
 * Windows' poolmon does: a live table with change columns, poolmon's sort
 * keys and filters, pooltag.txt descriptions; or a snapshot as text or
 * JSON for scripts.  With --sites, a snapshot of the table by call site
 * (/sys/kernel/debug/ntpool/sites) instead; with --marks, of the blocks
 * allocated since a mark (/sys/kernel/debug/ntpool/marks).
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "ntpoolmon.h"

#define DEFAULT_TAGS	"/sys/kernel/debug/ntpool/tags"
#define DEFAULT_SITES	"/sys/kernel/debug/ntpool/sites"
#define DEFAULT_MARKS	"/sys/kernel/debug/ntpool/marks"
#define WIDTH_MAX	10000

static const char * const help_text[] = {
	"Usage: ntpoolmon [options]",
	"Show ntpool's pool usage by tag, as Windows' poolmon does.",
	"",
	"  -f, --file PATH      read the table from PATH instead of",
	"                       " DEFAULT_TAGS ", or sites with -S,",
	"                       marks with -M",
	"                       (a saved copy works too)",
	"  -i, --include TAG    show only tags matching TAG (repeatable; poolmon /i)",
	"  -x, --exclude TAG    hide tags matching TAG (repeatable; poolmon /x)",
	"                       TAG patterns are case-sensitive: ? is any one",
	"                       character, * any rest; shorter than four characters",
	"                       means padded with spaces",
	"  -g, --pooltag FILE   descriptions from a pooltag.txt file (poolmon /g)",
	"  -p, --pool           nonpaged pool only; give it twice for paged pool",
	"                       only (poolmon /p and /p /p); default both",
	"  -s, --sort KEY       t tag (default), a allocs, f frees, d diff,",
	"                       b bytes, m bytes per allocation",
	"  -c, --by-change      sort by the change since the last refresh (poolmon /()",
	"  -r, --refresh SECS   live view refresh interval (default 5, as poolmon)",
	"  -l, --no-highlight   do not highlight changed rows (poolmon /l)",
	"  -o, --once           print one snapshot and exit (poolmon /n, to stdout)",
	"  -j, --json           print one snapshot as JSON and exit",
	"  -S, --sites          print one snapshot of the table by call site",
	"                       (" DEFAULT_SITES ") and exit;",
	"                       takes -f, -i, -x, -p, -s and -j",
	"  -M, --marks          print one snapshot of the blocks allocated since",
	"                       the mark asked for and still outstanding",
	"                       (" DEFAULT_MARKS ") and exit;",
	"                       takes -f, -i, -x, -p and -j",
	"  -w, --width COLS     fit the table in COLS columns, 0 for no limit;",
	"                       default: the terminal's width (COLUMNS if set),",
	"                       and no limit for --once into a file or pipe or",
	"                       on a terminal of unknown width",
	"  -h, --help           this text",
	"",
	"Live view keys: t a f d b m sort, ( or ) sort by change, p cycle",
	"nonpaged/paged/both, l highlighting, h or ? help, q or Esc quit.",
	"",
	"Columns: Tag, Type (Nonp or Paged), Allocs and Frees since ntpool loaded,",
	"Diff (allocations live), Bytes (block bytes in use, headers included),",
	"Per Alloc (Bytes / Diff), the modules that used the tag, and the",
	"description; in the live view each count is followed by its change.",
	"Narrower than the full table, the numbers narrow to fit their values,",
	"then the description and modules are cut or dropped, then the change",
	"columns, Per Alloc, Frees and Allocs.",
	"",
	"With -S, one row per tag, call site, module and pool: Tag, Type, Allocs,",
	"Frees, Diff, Bytes, Peak Bytes, Flags (M: the tag is used by more than",
	"one module; T: the call site uses more than one tag; - neither), Module",
	"and Call site.",
	"",
	"With -M, the mark counted from and the newest, then one row per tag, call",
	"site, module and pool: Tag, Type, Blocks, Bytes, Module and Call site, in",
	"ntpool's order.  A mark too old to be asked for is an error.",
};

static void print_help(FILE *out)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(help_text); i++)
		fprintf(out, "%s\n", help_text[i]);
}

static int add_pattern(struct pattern_list *l, char *pattern)
{
	char **items = realloc(l->items, (l->n + 1) * sizeof(*items));

	if (!items)
		return -1;
	l->items = items;
	l->items[l->n++] = pattern;
	return 0;
}

static int parse_sort(const char *arg, enum sort_key *key)
{
	static const char keys[] = "tafdbm";
	const char *k = strlen(arg) == 1 ? strchr(keys, arg[0]) : NULL;

	if (!k || !*k)
		return -1;
	*key = (enum sort_key)(k - keys);
	return 0;
}

static int parse_args(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "file", required_argument, NULL, 'f' },
		{ "include", required_argument, NULL, 'i' },
		{ "exclude", required_argument, NULL, 'x' },
		{ "pooltag", required_argument, NULL, 'g' },
		{ "pool", no_argument, NULL, 'p' },
		{ "sort", required_argument, NULL, 's' },
		{ "by-change", no_argument, NULL, 'c' },
		{ "refresh", required_argument, NULL, 'r' },
		{ "no-highlight", no_argument, NULL, 'l' },
		{ "once", no_argument, NULL, 'o' },
		{ "json", no_argument, NULL, 'j' },
		{ "sites", no_argument, NULL, 'S' },
		{ "marks", no_argument, NULL, 'M' },
		{ "width", required_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	/*
	 * An option of the tags table's views, which --sites does not take;
	 * and one of the tags and sites tables', which --marks does not.
	 */
	int tags_only = 0, tables_only = 0;
	unsigned long width;
	int c, pools = 0;
	char *end;

	while ((c = getopt_long(argc, argv, "f:i:x:g:ps:cr:lojSMw:h", longopts,
				NULL)) != -1) {
		if (c > 0 && strchr("gcrlw", c))
			tags_only = c;
		if (c > 0 && strchr("gcrlws", c))
			tables_only = c;
		switch (c) {
		case 'f':
			o->file = optarg;
			break;
		case 'i':
			if (add_pattern(&o->include, optarg))
				return -1;
			break;
		case 'x':
			if (add_pattern(&o->exclude, optarg))
				return -1;
			break;
		case 'g':
			o->pooltag_file = optarg;
			break;
		case 'p':
			pools++;
			break;
		case 's':
			if (parse_sort(optarg, &o->sort))
				return -1;
			break;
		case 'c':
			o->by_change = true;
			break;
		case 'r':
			o->refresh = strtoul(optarg, &end, 10);
			if (*end || !o->refresh)
				return -1;
			break;
		case 'l':
			o->highlight = false;
			break;
		case 'o':
			o->once = true;
			break;
		case 'j':
			o->json = true;
			break;
		case 'S':
			o->sites = true;
			break;
		case 'M':
			o->marks = true;
			break;
		case 'w':
			width = strtoul(optarg, &end, 10);
			if (!*optarg || *end || width > WIDTH_MAX)
				return -1;
			o->width = (int)width;
			break;
		case 'h':
			print_help(stdout);
			exit(0);
		default:
			return -1;
		}
	}
	if (optind != argc || pools > 2)
		return -1;
	if (o->sites && o->marks) {
		fprintf(stderr, "ntpoolmon: --sites and --marks are two views: give one\n");
		return -1;
	}
	if (o->sites && tags_only) {
		fprintf(stderr, "ntpoolmon: --sites does not take -%c\n",
			tags_only);
		return -1;
	}
	if (o->marks && tables_only) {
		fprintf(stderr, "ntpoolmon: --marks does not take -%c\n",
			tables_only);
		return -1;
	}
	if (!o->file)
		o->file = o->sites ? DEFAULT_SITES :
			  o->marks ? DEFAULT_MARKS : DEFAULT_TAGS;
	o->view = pools == 1 ? VIEW_NONPAGED : pools == 2 ? VIEW_PAGED : VIEW_BOTH;
	return 0;
}

/*
 * The width of a --once snapshot: -w's; else, on a terminal, COLUMNS or the
 * terminal's own width; into a file or a pipe, or on a terminal that does
 * not know its width (a serial console), no limit.
 */
static int once_width(const struct options *o)
{
	const char *env = getenv("COLUMNS");
	struct winsize ws;
	unsigned long n;
	char *end;

	if (o->width >= 0)
		return o->width;
	if (!isatty(STDOUT_FILENO))
		return 0;
	if (env && *env) {
		n = strtoul(env, &end, 10);
		if (!*end && n > 0 && n <= WIDTH_MAX)
			return (int)n;
	}
	if (!ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws))
		return ws.ws_col;
	return 0;
}

static int tags_snapshot(const struct options *o)
{
	struct table t = {};
	int err = table_read(o->file, &t);

	if (!err) {
		table_filter(&t, o);
		table_sort(&t, o->sort, false);
		if (o->json)
			print_json(stdout, &t);
		else
			print_once(stdout, &t, once_width(o));
	}
	table_free(&t);
	return err;
}

static const char *view_name(const struct options *o)
{
	return o->sites ? "sites" : o->marks ? "marks" : "tags";
}

static int snapshot(const struct options *o)
{
	int err = o->sites ? sites_snapshot(o, stdout) :
		  o->marks ? marks_snapshot(o, stdout) : tags_snapshot(o);

	/* A mark too old: marks_snapshot() printed the kernel's line. */
	if (err == -ERANGE && o->marks)
		return 1;
	if (err) {
		if (err == -EINVAL)
			fprintf(stderr, "ntpoolmon: cannot read %s: not an ntpool %s table\n",
				o->file, view_name(o));
		else
			fprintf(stderr, "ntpoolmon: cannot read %s: %s\n",
				o->file, strerror(-err));
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct options o = {
		.refresh = 5, .highlight = true,
		.width = -1,
	};

	if (parse_args(argc, argv, &o)) {
		print_help(stderr);
		return 2;
	}
	if (o.pooltag_file && pooltag_load(o.pooltag_file)) {
		fprintf(stderr, "ntpoolmon: cannot read pooltag file %s\n",
			o.pooltag_file);
		return 1;
	}
	if (o.once || o.json || o.sites || o.marks)
		return snapshot(&o);
	if (live_view(&o)) {
		fprintf(stderr, "ntpoolmon: cannot read %s\n", o.file);
		return 1;
	}
	return 0;
}
