// SPDX-License-Identifier: GPL-2.0
/*
 * A JSON writer (RFC 8259) into a fixed buffer, for reports.json: no
 * allocation and no lock, so it runs in any context a report can.
 *
 * Strings are escaped: the quote and the backslash with a backslash, and
 * every byte below 0x20 or above 0x7e as \u00XX, so that the text is
 * ASCII and valid whatever bytes a module name, a symbol or a tag holds (a
 * byte above 0x7e reads as the Latin-1 character of that value).  Numbers
 * that may not fit a double's 53 bits (addresses, arguments) are written
 * as "0x..." strings by ntpool_json_hex().
 */
#include <linux/bitops.h>
#include <linux/kallsyms.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include "report/json.h"
#include "base/tag_text.h"

/* Longest symbol kept: a frame's name, offset and module. */
#define SYMBOL_MAX	160

/**
 * ntpool_json_init() - start a text
 * @j: the text
 * @buf: where to write it
 * @size: room in @buf, at least 1
 */
void ntpool_json_init(struct ntpool_json *j, char *buf, size_t size)
{
	*j = (struct ntpool_json) { .buf = buf, .size = size, .first = 1 };
	buf[0] = '\0';
}

static void put_char(struct ntpool_json *j, char c)
{
	if (j->len + 1 < j->size) {
		j->buf[j->len] = c;
		j->buf[j->len + 1] = '\0';
	}
	j->len++;
}

static __printf(2, 3) void put_fmt(struct ntpool_json *j, const char *fmt, ...)
{
	size_t room = ntpool_json_room(j);
	va_list args;

	va_start(args, fmt);
	j->len += vsnprintf(room ? j->buf + j->len : NULL, room, fmt, args);
	va_end(args);
}

/* A comma before every member but a container's first, and a key's value. */
static void separate(struct ntpool_json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (!(j->first & BIT(j->depth)))
		put_char(j, ',');
	j->first &= ~BIT(j->depth);
}

/**
 * ntpool_json_open() - begin an object or an array
 * @j: the text
 * @bracket: '{' or '['
 */
void ntpool_json_open(struct ntpool_json *j, char bracket)
{
	separate(j);
	put_char(j, bracket);
	if (j->depth + 1 < NTPOOL_JSON_DEPTH)
		j->depth++;
	j->first |= BIT(j->depth);
}

/**
 * ntpool_json_close() - end an object or an array
 * @j: the text
 * @bracket: '}' or ']'
 */
void ntpool_json_close(struct ntpool_json *j, char bracket)
{
	if (j->depth)
		j->depth--;
	put_char(j, bracket);
}

static void put_escaped(struct ntpool_json *j, const char *s, size_t n)
{
	size_t i;

	put_char(j, '"');
	for (i = 0; i < n && s[i]; i++) {
		unsigned char c = s[i];

		if (c == '"' || c == '\\')
			put_fmt(j, "\\%c", c);
		else if (c < 0x20 || c > 0x7e)
			put_fmt(j, "\\u%04x", c);
		else
			put_char(j, c);
	}
	put_char(j, '"');
}

/**
 * ntpool_json_key() - name the next member of an object
 * @j: the text
 * @key: its name
 */
void ntpool_json_key(struct ntpool_json *j, const char *key)
{
	separate(j);
	put_escaped(j, key, SIZE_MAX);
	put_char(j, ':');
	j->after_key = true;
}

/**
 * ntpool_json_string() - a string, escaped
 * @j: the text
 * @s: the string; NULL writes null
 */
void ntpool_json_string(struct ntpool_json *j, const char *s)
{
	if (!s) {
		ntpool_json_null(j);
		return;
	}
	separate(j);
	put_escaped(j, s, SIZE_MAX);
}

/**
 * ntpool_json_null() - null
 * @j: the text
 */
void ntpool_json_null(struct ntpool_json *j)
{
	separate(j);
	put_fmt(j, "null");
}

/**
 * ntpool_json_bool() - true or false
 * @j: the text
 * @v: which
 */
void ntpool_json_bool(struct ntpool_json *j, bool v)
{
	separate(j);
	put_fmt(j, "%s", v ? "true" : "false");
}

/**
 * ntpool_json_u64() - a count
 * @j: the text
 * @v: the number
 */
void ntpool_json_u64(struct ntpool_json *j, u64 v)
{
	separate(j);
	put_fmt(j, "%llu", v);
}

/**
 * ntpool_json_s64() - a signed count
 * @j: the text
 * @v: the number
 */
void ntpool_json_s64(struct ntpool_json *j, s64 v)
{
	separate(j);
	put_fmt(j, "%lld", v);
}

/**
 * ntpool_json_hex() - an address or an argument, as a "0x..." string
 * @j: the text
 * @v: the value
 */
void ntpool_json_hex(struct ntpool_json *j, u64 v)
{
	separate(j);
	put_fmt(j, "\"0x%llx\"", v);
}

/**
 * ntpool_json_symbol() - a code address by name, "func+0x12/0x40 [mod]"
 * @j: the text
 * @addr: the address; 0 writes null
 */
void ntpool_json_symbol(struct ntpool_json *j, unsigned long addr)
{
	char sym[KSYM_SYMBOL_LEN];

	if (!addr) {
		ntpool_json_null(j);
		return;
	}
	sprint_symbol(sym, addr);
	separate(j);
	put_escaped(j, sym, SYMBOL_MAX);
}

/**
 * ntpool_json_tag() - a pool tag as the views show it ("Tag1", "\x00...")
 * @j: the text
 * @tag: the tag
 */
void ntpool_json_tag(struct ntpool_json *j, u32 tag)
{
	char text[NTPOOL_TAG_TEXT];

	ntpool_tag_text(tag, text);
	ntpool_json_string(j, text);
}
