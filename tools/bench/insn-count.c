// SPDX-License-Identifier: GPL-2.0
/*
 * insn-count: a QEMU TCG plugin that counts the guest instructions a vCPU
 * runs between two markers the benchmark puts around a batch (make bench,
 * its "insns" lines).  Instruction counts do not move with the host's load
 * or with TCG's speed, as times do, and need no PMU, which neither this
 * machine nor TCG has.
 *
 * A marker is the 7-byte no-op "nopl disp32(%rax)" (0f 1f 80 + disp32)
 * whose displacement is 0x4e540000 (start) or 0x4e548000 (stop).  At a stop
 * the plugin prints "ntpool-insns: <batch> <instructions>": the batches are
 * numbered from 0 in the order they stop, and the count is what the vCPU
 * ran since its start (whole translated blocks: a few instructions either
 * way, per batch).
 *
 * With the argument "profile=on" it also prints, per batch, where those
 * instructions were: "ntpool-insns-tb: <batch> <address> <instructions>"
 * for the translated blocks that ran most (tools/bench/insns-profile.py
 * turns the addresses into functions).
 *
 * Built by tools/bench/bench.sh with gcc -shared; loaded with -plugin.  It
 * declares the few calls of QEMU's plugin API (version 1, QEMU 7.2) it
 * uses, as Debian ships no header for them.
 */
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct qemu_plugin_tb;
struct qemu_plugin_insn;
struct qemu_info_t;

typedef uint64_t plugin_id;
typedef void (*tb_trans_cb)(plugin_id id, struct qemu_plugin_tb *tb);
typedef void (*vcpu_udata_cb)(unsigned int vcpu, void *udata);

enum { CB_NO_REGS = 0 };

void qemu_plugin_register_vcpu_tb_trans_cb(plugin_id id, tb_trans_cb cb);
void qemu_plugin_register_vcpu_tb_exec_cb(struct qemu_plugin_tb *tb,
					  vcpu_udata_cb cb, int flags,
					  void *udata);
void qemu_plugin_register_vcpu_insn_exec_cb(struct qemu_plugin_insn *insn,
					    vcpu_udata_cb cb, int flags,
					    void *udata);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
uint64_t qemu_plugin_tb_vaddr(const struct qemu_plugin_tb *tb);
struct qemu_plugin_insn *qemu_plugin_tb_get_insn(const struct qemu_plugin_tb *tb,
						 size_t idx);
const void *qemu_plugin_insn_data(const struct qemu_plugin_insn *insn);
size_t qemu_plugin_insn_size(const struct qemu_plugin_insn *insn);
void qemu_plugin_outs(const char *string);

__attribute__((visibility("default"))) int qemu_plugin_version = 1;

#define MAX_VCPUS	64
#define MARK_START	0x4e540000U
#define MARK_STOP	0x4e548000U
#define PROFILE_TOP	300

/* A translation of a block: where it starts, its instructions. */
struct tb_info {
	uint64_t vaddr;
	uint64_t insns;
	uint64_t runs;		/* in a batch, by the vCPU that counts it */
};

/* Each vCPU's counters are written only by its thread. */
static uint64_t executed[MAX_VCPUS];
static uint64_t started[MAX_VCPUS];
static int counting[MAX_VCPUS];
static unsigned int batches;

static int profiling;
static pthread_mutex_t tbs_lock = PTHREAD_MUTEX_INITIALIZER;
static struct tb_info **tbs;
static size_t n_tbs, max_tbs;

static void tb_ran(unsigned int vcpu, void *udata)
{
	struct tb_info *tb = udata;

	if (vcpu >= MAX_VCPUS)
		return;
	executed[vcpu] += tb->insns;
	if (counting[vcpu])
		tb->runs++;
}

static int by_insns(const void *a, const void *b)
{
	const struct tb_info *x = *(struct tb_info *const *)a;
	const struct tb_info *y = *(struct tb_info *const *)b;
	uint64_t xi = x->runs * x->insns, yi = y->runs * y->insns;

	return xi < yi ? 1 : xi > yi ? -1 : 0;
}

/* The blocks that ran most in this batch; each count is then cleared. */
static void print_profile(unsigned int batch)
{
	char line[96];
	size_t i;

	pthread_mutex_lock(&tbs_lock);
	qsort(tbs, n_tbs, sizeof(*tbs), by_insns);
	for (i = 0; i < n_tbs && i < PROFILE_TOP && tbs[i]->runs; i++) {
		snprintf(line, sizeof(line), "ntpool-insns-tb: %u %llx %llu\n",
			 batch, (unsigned long long)tbs[i]->vaddr,
			 (unsigned long long)(tbs[i]->runs * tbs[i]->insns));
		qemu_plugin_outs(line);
	}
	for (i = 0; i < n_tbs; i++)
		tbs[i]->runs = 0;
	pthread_mutex_unlock(&tbs_lock);
}

static void marker_ran(unsigned int vcpu, void *udata)
{
	unsigned int batch;
	char line[64];

	if (vcpu >= MAX_VCPUS)
		return;
	if ((uintptr_t)udata == MARK_START) {
		started[vcpu] = executed[vcpu];
		counting[vcpu] = 1;
		return;
	}
	counting[vcpu] = 0;
	batch = __atomic_fetch_add(&batches, 1, __ATOMIC_RELAXED);
	snprintf(line, sizeof(line), "ntpool-insns: %u %llu\n", batch,
		 (unsigned long long)(executed[vcpu] - started[vcpu]));
	qemu_plugin_outs(line);
	if (profiling)
		print_profile(batch);
}

/* Kept for the profile: blocks are never freed (one per translation). */
static struct tb_info *new_tb(uint64_t vaddr, uint64_t insns)
{
	struct tb_info *tb = calloc(1, sizeof(*tb));

	if (!tb)
		abort();
	tb->vaddr = vaddr;
	tb->insns = insns;
	if (!profiling)
		return tb;
	pthread_mutex_lock(&tbs_lock);
	if (n_tbs == max_tbs) {
		max_tbs = max_tbs ? 2 * max_tbs : 65536;
		tbs = realloc(tbs, max_tbs * sizeof(*tbs));
		if (!tbs)
			abort();
	}
	tbs[n_tbs++] = tb;
	pthread_mutex_unlock(&tbs_lock);
	return tb;
}

/* The marker's displacement, or 0 if @insn is not a marker. */
static uint32_t marker_of(const struct qemu_plugin_insn *insn)
{
	const unsigned char *b = qemu_plugin_insn_data(insn);
	uint32_t disp;

	if (qemu_plugin_insn_size(insn) != 7 || b[0] != 0x0f || b[1] != 0x1f ||
	    b[2] != 0x80)
		return 0;
	memcpy(&disp, b + 3, sizeof(disp));
	return disp == MARK_START || disp == MARK_STOP ? disp : 0;
}

static void tb_translated(plugin_id id, struct qemu_plugin_tb *tb)
{
	size_t i, n = qemu_plugin_tb_n_insns(tb);

	qemu_plugin_register_vcpu_tb_exec_cb(tb, tb_ran, CB_NO_REGS,
					     new_tb(qemu_plugin_tb_vaddr(tb), n));
	for (i = 0; i < n; i++) {
		struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
		uintptr_t mark = marker_of(insn);

		if (mark)
			qemu_plugin_register_vcpu_insn_exec_cb(insn, marker_ran,
							       CB_NO_REGS,
							       (void *)mark);
	}
}

__attribute__((visibility("default")))
int qemu_plugin_install(plugin_id id, const struct qemu_info_t *info,
			int argc, char **argv)
{
	int i;

	for (i = 0; i < argc; i++)
		if (!strcmp(argv[i], "profile=on"))
			profiling = 1;
	qemu_plugin_register_vcpu_tb_trans_cb(id, tb_translated);
	return 0;
}
