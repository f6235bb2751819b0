/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Pool tag descriptions, loaded in pooltag.txt format through debugfs.
 */
#ifndef _NTPOOL_POOLTAG_H
#define _NTPOOL_POOLTAG_H

#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/types.h>

#define NTPOOL_POOLTAG_BINARY	64
#define NTPOOL_POOLTAG_DESC	128
/* Most entries kept: more than a full Windows pooltag.txt holds. */
#define NTPOOL_POOLTAG_MAX	16384

/**
 * struct ntpool_pooltag_text - what pooltag.txt says about a tag
 * @binary: the binary name ("nt!ps", "ntwriter.ko", "<unknown>")
 * @desc: the description
 */
struct ntpool_pooltag_text {
	char binary[NTPOOL_POOLTAG_BINARY];
	char desc[NTPOOL_POOLTAG_DESC];
};

struct ntpool_pooltag_load;

bool ntpool_pooltag_lookup(u32 tag, struct ntpool_pooltag_text *text);
struct ntpool_pooltag_load *ntpool_pooltag_load_begin(void);
int ntpool_pooltag_load_text(struct ntpool_pooltag_load *ld, const char *buf,
			     size_t len);
int ntpool_pooltag_load_end(struct ntpool_pooltag_load *ld);
int ntpool_pooltag_load(const char *buf, size_t len);
unsigned int ntpool_pooltag_count(void);
void ntpool_pooltag_show(struct seq_file *m);
void ntpool_pooltag_free(void);
void ntpool_pooltag_debugfs(struct dentry *dir);

#endif /* _NTPOOL_POOLTAG_H */
