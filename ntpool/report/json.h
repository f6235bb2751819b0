/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A JSON writer into a fixed buffer: no allocation, any context.
 */
#ifndef _NTPOOL_JSON_H
#define _NTPOOL_JSON_H

#include <linux/compiler.h>
#include <linux/types.h>

#define NTPOOL_JSON_DEPTH	8

/**
 * struct ntpool_json - a JSON text being written
 * @buf: where to
 * @size: room in @buf
 * @len: bytes written (the text is NUL-terminated while it fits)
 * @depth: objects and arrays open
 * @first: bit N set while the container at depth N has no member yet
 * @after_key: a key was written: its value comes without a comma
 *
 * A text that did not fit has @len >= @size: ntpool_json_overflowed().
 */
struct ntpool_json {
	char *buf;
	size_t size, len;
	unsigned int depth;
	unsigned long first;
	bool after_key;
};

void ntpool_json_init(struct ntpool_json *j, char *buf, size_t size);
void ntpool_json_open(struct ntpool_json *j, char bracket);
void ntpool_json_close(struct ntpool_json *j, char bracket);
void ntpool_json_key(struct ntpool_json *j, const char *key);
void ntpool_json_string(struct ntpool_json *j, const char *s);
void ntpool_json_null(struct ntpool_json *j);
void ntpool_json_bool(struct ntpool_json *j, bool v);
void ntpool_json_u64(struct ntpool_json *j, u64 v);
void ntpool_json_s64(struct ntpool_json *j, s64 v);
void ntpool_json_hex(struct ntpool_json *j, u64 v);
void ntpool_json_symbol(struct ntpool_json *j, unsigned long addr);
void ntpool_json_tag(struct ntpool_json *j, u32 tag);

/**
 * ntpool_json_overflowed() - did the text not fit?
 * @j: the text
 *
 * Return: true if something was cut off.
 */
static inline bool ntpool_json_overflowed(const struct ntpool_json *j)
{
	return j->len >= j->size;
}

/**
 * ntpool_json_room() - bytes left
 * @j: the text
 *
 * Return: how many more bytes fit, the NUL included.
 */
static inline size_t ntpool_json_room(const struct ntpool_json *j)
{
	return j->len < j->size ? j->size - j->len : 0;
}

#endif /* _NTPOOL_JSON_H */
