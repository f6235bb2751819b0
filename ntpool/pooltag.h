/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Pool tag descriptions, loaded in pooltag.txt format through debugfs.
 */
#ifndef _NTPOOL_POOLTAG_H
#define _NTPOOL_POOLTAG_H

#include <linux/seq_file.h>
#include <linux/types.h>

#define NTPOOL_POOLTAG_BINARY	64
#define NTPOOL_POOLTAG_DESC	128

/**
 * struct ntpool_pooltag_text - what pooltag.txt says about a tag
 * @binary: the binary name ("nt!ps", "ntwriter.ko", "<unknown>")
 * @desc: the description
 */
struct ntpool_pooltag_text {
	char binary[NTPOOL_POOLTAG_BINARY];
	char desc[NTPOOL_POOLTAG_DESC];
};

bool ntpool_pooltag_lookup(u32 tag, struct ntpool_pooltag_text *text);
int ntpool_pooltag_parse(const char *buf, size_t len, struct list_head *out);
void ntpool_pooltag_add(struct list_head *entries);
void ntpool_pooltag_show(struct seq_file *m);
void ntpool_pooltag_free(struct list_head *entries);

#endif /* _NTPOOL_POOLTAG_H */
