// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs "verifier" (!verifier 3), and the verifier's controls:
 * "verify_drivers", "on_violation" and "hit_tag".
 */
#define pr_fmt(fmt) "ntpool: " fmt

#include <linux/fs.h>
#include <linux/slab.h>
#include "core/leaks.h"
#include "views/debugfs.h"
#include "verifier/faults.h"
#include "verifier/hit_tag.h"
#include "nt/lookaside.h"
#include "report/report.h"
#include "core/special.h"
#include "verifier/verifier.h"

/*
 * Driver Verifier's flags, with NT's values and names: ticked when ntpool
 * does what the flag asks now; Level is the OR of those ticked.
 */
struct verify_flag {
	u32 value;
	bool standard;
	const char *name;
};

static const struct verify_flag verify_flags[] = {
	{ 0x01, true, "Special pool" },
	{ 0x02, true, "Force IRQL checking" },
	{ 0x08, true, "Pool tracking" },
	{ 0x10, true, "I/O verification" },
	{ 0x04, false, "Randomized low resources simulation" },
};

/* Under ntpool_clients_lock(), as everything below. */
static void print_flags(struct seq_file *m)
{
	struct ntpool_client *c;
	u32 level = 0x02;	/* contexts are checked for every client */
	unsigned int i;
	bool standard;

	for (c = ntpool_clients_next(NULL); c; c = ntpool_clients_next(c))
		if (READ_ONCE(c->verify) != NTPOOL_VERIFY_NONE)
			level |= 0x08;
	if (ntpool_special_enabled())
		level |= 0x01;
	if (ntpool_faults_enabled())
		level |= 0x04;
	/* 0x10: ntpool has no I/O manager to verify. */
	seq_printf(m, "Verify Flags Level 0x%08x\n\n", level);
	for (standard = true; ; standard = false) {
		seq_printf(m, "  %s FLAGS:\n", standard ? "STANDARD" : "ADDITIONAL");
		for (i = 0; i < ARRAY_SIZE(verify_flags); i++)
			if (verify_flags[i].standard == standard)
				seq_printf(m, "    [%c] (0x%08x) %s\n",
					   level & verify_flags[i].value ? 'X' : ' ',
					   verify_flags[i].value,
					   verify_flags[i].name);
		if (!standard)
			break;
	}
	seq_puts(m, "\n  Every module, verified or not, gets the leak check at its unload (0xC4/0x62).\n\n");
}

static void add_stats(struct ntpool_verifier_stats *sum,
		      const struct ntpool_verifier_stats *st)
{
	unsigned int i;

	for (i = 0; i < NTPOOL_VC_NR; i++)
		sum->count[i] += st->count[i];
}

static const char * const vc_names[NTPOOL_VC_NR] = {
	[NTPOOL_VC_ATTEMPTED] = "Pool Allocations Attempted",
	[NTPOOL_VC_SUCCEEDED] = "Pool Allocations Succeeded",
	[NTPOOL_VC_SPECIAL] = "Pool Allocations Succeeded SpecialPool",
	[NTPOOL_VC_NO_TAG] = "Pool Allocations With NO TAG",
	[NTPOOL_VC_FAILED] = "Pool Allocations Failed",
	[NTPOOL_VC_FAILED_DELIBERATELY] = "Resource Allocations Failed Deliberately",
	[NTPOOL_VC_UNTRACKED] = "Pool Allocations Not Tracked",
};

static void print_summary(struct seq_file *m)
{
	struct ntpool_verifier_stats sum = {}, st;
	struct ntpool_usage_stats u, total = {};
	struct ntpool_client *c;
	unsigned int i, kind;

	for (c = ntpool_clients_next(NULL); c; c = ntpool_clients_next(c)) {
		ntpool_client_verifier_read(c, &st);
		add_stats(&sum, &st);
		ntpool_usage_read(&c->usage, &u);
		for (kind = 0; kind < NTPOOL_KINDS; kind++) {
			total.count[kind] += u.count[kind];
			total.bytes[kind] += u.bytes[kind];
			total.peak_count[kind] += u.peak_count[kind];
			total.peak_bytes[kind] += u.peak_bytes[kind];
		}
	}
	seq_puts(m, "Summary of All Verifier Statistics\n\n");
	seq_puts(m, "  RaiseIrqls                             0x0\n");
	seq_puts(m, "  AcquireSpinLocks                       0x0\n");
	seq_puts(m, "  Synch Executions                       0x0\n");
	seq_puts(m, "  Trims                                  0x0\n\n");
	for (i = 0; i < NTPOOL_VC_NR; i++)
		seq_printf(m, "  %-40s 0x%llx\n", vc_names[i], sum.count[i]);
	seq_putc(m, '\n');
	seq_printf(m, "  Current paged pool allocations 0x%llx for %08llX bytes\n",
		   total.count[NTPOOL_PAGED], total.bytes[NTPOOL_PAGED]);
	seq_printf(m, "  Peak paged pool allocations 0x%llx for %08llX bytes\n",
		   total.peak_count[NTPOOL_PAGED], total.peak_bytes[NTPOOL_PAGED]);
	seq_printf(m, "  Current nonpaged pool allocations 0x%llx for %08llX bytes\n",
		   total.count[NTPOOL_NONPAGED], total.bytes[NTPOOL_NONPAGED]);
	seq_printf(m, "  Peak nonpaged pool allocations 0x%llx for %08llX bytes\n\n",
		   total.peak_count[NTPOOL_NONPAGED], total.peak_bytes[NTPOOL_NONPAGED]);
}

static const char * const verify_names[] = {
	[NTPOOL_VERIFY_NONE] = "none (leak check at unload only)",
	[NTPOOL_VERIFY_TRACK] = "Pool Tracking",
	[NTPOOL_VERIFY_FULL] = "Pool Tracking with allocation stacks",
};

/* A module on the shared id: its blocks are counted by their records. */
static void print_shared_id(struct seq_file *m, struct ntpool_client *c)
{
	seq_puts(m, "    Shares client id 0: blocks counted by Pool Tracking\n\n");
	seq_printf(m, "      Current Pool Allocations: 0x%08llx\n\n",
		   ntpool_client_outstanding(c));
	if (ntpool_client_outstanding(c) <= 0)
		return;
	seq_puts(m, "    Pool Allocations:\n\n");
	ntpool_print_allocations(m, c);
	seq_putc(m, '\n');
}

static void print_client(struct seq_file *m, struct ntpool_client *c)
{
	struct ntpool_verifier_stats st;
	struct ntpool_usage_stats u;
	unsigned int i;

	ntpool_usage_read(&c->usage, &u);
	ntpool_client_verifier_read(c, &st);
	seq_printf(m, "MODULE: 0x%016lx %s (%s)\n", (unsigned long)c, c->name,
		   READ_ONCE(c->loaded) ? "Loaded" : "Unloaded");
	seq_printf(m, "    Verification: %s\n",
		   verify_names[READ_ONCE(c->verify)]);
	for (i = 0; i < NTPOOL_VC_NR; i++)
		seq_printf(m, "    %-40s 0x%llx\n", vc_names[i], st.count[i]);
	if (ntpool_client_on_shared_id(c)) {
		print_shared_id(m, c);
		return;
	}
	seq_puts(m, "    Pool Allocation Statistics: ( NonPagedPool / PagedPool )\n\n");
	seq_printf(m, "      Current Pool Allocations: ( 0x%08llx / 0x%08llx )\n",
		   u.count[NTPOOL_NONPAGED], u.count[NTPOOL_PAGED]);
	seq_printf(m, "      Current Pool Bytes:       ( 0x%08llx / 0x%08llx )\n",
		   u.bytes[NTPOOL_NONPAGED], u.bytes[NTPOOL_PAGED]);
	seq_printf(m, "      Peak Pool Allocations:    ( 0x%08llx / 0x%08llx )\n",
		   u.peak_count[NTPOOL_NONPAGED], u.peak_count[NTPOOL_PAGED]);
	seq_printf(m, "      Peak Pool Bytes:          ( 0x%08llx / 0x%08llx )\n",
		   u.peak_bytes[NTPOOL_NONPAGED], u.peak_bytes[NTPOOL_PAGED]);
	seq_puts(m, "      Contiguous Memory Bytes:       0x00000000\n");
	seq_puts(m, "      Peak Contiguous Memory Bytes:  0x00000000\n\n");
	if (u.count[NTPOOL_NONPAGED] + u.count[NTPOOL_PAGED] <= 0)
		return;
	seq_puts(m, "    Pool Allocations:\n\n");
	ntpool_print_allocations(m, c);
	seq_putc(m, '\n');
}

static void print_violations(struct seq_file *m)
{
	struct ntpool_bugcheck codes[16];
	unsigned long counts[16];
	unsigned int i, n = ntpool_violations(codes, counts, ARRAY_SIZE(codes));

	seq_puts(m, "Violations reported\n-------------------\n\n");
	for (i = 0; i < n; i++)
		seq_printf(m, "  %s (%x) Arg1 0x%llx: %lu\n",
			   ntpool_bugcheck_name(codes[i].code), codes[i].code,
			   codes[i].args[0], counts[i]);
	if (!n)
		seq_puts(m, "  none\n");
	seq_printf(m, "\n  Reports not printed (rate limit): %lu\n",
		   ntpool_reports_suppressed());
}

/**
 * ntpool_print_verifier() - !verifier 3 for every client module
 * @m: where to
 *
 * Modules that are loaded, and unloaded ones that left blocks behind.
 */
void ntpool_print_verifier(struct seq_file *m)
{
	struct ntpool_client *c;

	ntpool_clients_lock();
	print_flags(m);
	print_summary(m);
	seq_puts(m, "Driver Verification List\n------------------------\n\n");
	for (c = ntpool_clients_next(NULL); c; c = ntpool_clients_next(c))
		if (c != ntpool_client(NTPOOL_SHARED_CLIENT) &&
		    (READ_ONCE(c->loaded) || ntpool_client_outstanding(c) > 0))
			print_client(m, c);
	ntpool_clients_unlock();
	print_violations(m);
}

/* "release <module>": free what an unloaded module left behind. */
static int verifier_set(const char *text)
{
	unsigned long freed;

	if (strncmp(text, "release ", 8))
		return -EINVAL;
	text = skip_spaces(text + 8);
	freed = ntpool_leaks_release(text);
	if (!freed)
		return -EINVAL;
	pr_info("released %lu blocks left by %s\n", freed, text);
	return 0;
}

static void policy_show(struct seq_file *m)
{
	seq_printf(m, "%s\n", ntpool_policy_name());
}

static int lookaside_show(struct seq_file *m, void *v)
{
	ntpool_print_lookaside(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(lookaside);

static const struct ntpool_control controls[] = {
	{ ntpool_print_verifier, verifier_set, 16 + MODULE_NAME_LEN },
	{ ntpool_verify_show, ntpool_verify_set, 1024 },
	{ policy_show, ntpool_policy_set, 16 },
	{ ntpool_hit_tag_show, ntpool_hit_tag_set, 64 },
	{ ntpool_special_show, ntpool_special_set, 64 },
};

static const char * const control_names[] = {
	"verifier", "verify_drivers", "on_violation", "hit_tag", "special_pool",
};

/**
 * ntpool_debugfs_verifier() - create the verifier's files
 * @dir: ntpool's debugfs directory
 */
void ntpool_debugfs_verifier(struct dentry *dir)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(controls); i++)
		ntpool_debugfs_control(control_names[i], 0600, dir, &controls[i]);
	debugfs_create_file("lookaside", 0400, dir, NULL, &lookaside_fops);
}
