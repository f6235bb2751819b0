/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The allocate/free log of Pool Tracking (!verifier 0x80).
 */
#ifndef _NTPOOL_ALLOC_LOG_H
#define _NTPOOL_ALLOC_LOG_H

#include <linux/module.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/types.h>

/* Entries kept per CPU. */
#define NTPOOL_ALLOC_LOG_PER_CPU	128

/* Stack frames an entry keeps (Pool Tracking's, at its "full" level). */
#define NTPOOL_LOG_FRAMES	8

/**
 * struct ntpool_logged_block - the block an entry is about
 * @addr: its address
 * @size: bytes requested
 * @tag: its tag
 * @kind: its pool (enum ntpool_kind)
 */
struct ntpool_logged_block {
	unsigned long addr;
	size_t size;
	u32 tag;
	u8 kind;
};

/**
 * struct ntpool_alloc_log_entry - one allocation or free
 * @seq: order among all CPUs' entries, from 1; 0 for an empty slot
 * @time_ns: when, as dmesg stamps (local_clock())
 * @addr: the block
 * @size: bytes requested
 * @caller: the call site
 * @tag: the block's tag
 * @kind: its pool
 * @free: a free, not an allocation
 * @nr_frames: entries of @frames (Pool Tracking ":full" only)
 * @cpu: the CPU
 * @pid: the task
 * @comm: its name
 * @module: the module whose block it is
 * @frames: the stack, ntpool's frames left out
 */
struct ntpool_alloc_log_entry {
	u64 seq;
	u64 time_ns;
	unsigned long addr;
	size_t size;
	unsigned long caller;
	u32 tag;
	u8 kind;
	bool free;
	u8 nr_frames;
	unsigned int cpu;
	pid_t pid;
	char comm[TASK_COMM_LEN];
	char module[MODULE_NAME_LEN];
	unsigned long frames[NTPOOL_LOG_FRAMES];
};

/**
 * struct ntpool_alloc_history - what the log knows of one block
 * @alloc: its last allocation (@alloc.seq 0: none logged)
 * @free: its last free (@free.seq 0: none logged)
 */
struct ntpool_alloc_history {
	struct ntpool_alloc_log_entry alloc;
	struct ntpool_alloc_log_entry free;
};

int ntpool_alloc_log_start(void);
void ntpool_alloc_log_add(const struct ntpool_logged_block *b, bool free,
			  const char *module, unsigned long caller,
			  const unsigned long *frames, unsigned int nr_frames);
bool ntpool_alloc_log_history(unsigned long addr,
			      struct ntpool_alloc_history *h);
void ntpool_alloc_log_print_entry(struct seq_file *m,
				  const struct ntpool_alloc_log_entry *e);
void ntpool_alloc_log_show(struct seq_file *m);
int ntpool_alloc_log_set(const char *text);
void ntpool_alloc_log_debugfs(struct dentry *dir);
void ntpool_alloc_log_exit(void);

#endif /* _NTPOOL_ALLOC_LOG_H */
