// SPDX-License-Identifier: GPL-2.0
/*
 * reports.json: every bugcheck-style report, and every unload check, as
 * one JSON object per line, for a CI job to read instead of the console.
 *
 * The file keeps the last NTPOOL_REPORTS_KEPT lines.  Each line carries
 * "seq", counting from 1 every line made since ntpool loaded: when more
 * lines come, the oldest go, and a reader that fell behind resumes at the
 * oldest line kept (its next "seq" is more than one above the last it
 * read).  A line that cannot be made (no memory for it) is counted, and
 * the next line that is made says how many were lost ("lost").
 *
 * A line is made where the report is, in any context (hard interrupts,
 * under spinlocks): it is written under reports_lock, with interrupts
 * saved, into one static buffer, then copied into an atomic allocation of
 * its own size.  Reading takes the lock between lines, so a reader never
 * sees half a line.  The uevent that follows a line is sent from a work
 * item (report_event.c): kobject_uevent() sleeps.
 */
#include <linux/debugfs.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include "base/request.h"
#include "report/alloc_log.h"
#include "report/json.h"
#include "report/report.h"

/* The longest line: a leak table stops where less than this is left. */
#define LINE_MAX_BYTES	16384

struct json_line {
	u64 seq;
	size_t len;
	char text[];
};

static DEFINE_SPINLOCK(reports_lock);
static char scratch[LINE_MAX_BYTES];	/* under reports_lock */
static struct json_line *lines[NTPOOL_REPORTS_KEPT];
static u64 next_seq = 1;
static unsigned long lost;

static u64 oldest_kept(void)
{
	return next_seq > NTPOOL_REPORTS_KEPT ? next_seq - NTPOOL_REPORTS_KEPT : 1;
}

/* Start a line in the scratch buffer: what every line has. */
static void line_begin(struct ntpool_json *j, const char *event)
{
	ntpool_json_init(j, scratch, sizeof(scratch));
	ntpool_json_open(j, '{');
	ntpool_json_key(j, "seq");
	ntpool_json_u64(j, next_seq);
	ntpool_json_key(j, "event");
	ntpool_json_string(j, event);
	ntpool_json_key(j, "time_ns");
	ntpool_json_u64(j, local_clock());
	ntpool_json_key(j, "lost");
	ntpool_json_u64(j, lost);
}

/* Keep the finished line; returns its seq, or 0 if it was lost. */
static u64 line_end(struct ntpool_json *j)
{
	struct json_line *line, *old;
	u64 seq;

	ntpool_json_close(j, '}');
	line = ntpool_json_overflowed(j) || ntpool_json_room(j) < 2 ? NULL :
	       kmalloc(struct_size(line, text, j->len + 1),
		       GFP_ATOMIC | __GFP_NOWARN);
	if (!line) {
		lost++;
		return 0;
	}
	seq = next_seq++;
	line->seq = seq;
	line->len = j->len + 1;
	memcpy(line->text, scratch, j->len);
	line->text[j->len] = '\n';
	old = lines[seq % NTPOOL_REPORTS_KEPT];
	lines[seq % NTPOOL_REPORTS_KEPT] = line;
	kfree(old);
	return seq;
}

static const char *report_module(const struct ntpool_report_info *r)
{
	if (r->extra && r->extra->module)
		return r->extra->module;
	return r->caller ? ntpool_caller_module_name(r->caller) : NULL;
}

static void put_args(struct ntpool_json *j, const struct ntpool_bugcheck *bc)
{
	unsigned int i;

	ntpool_json_key(j, "args");
	ntpool_json_open(j, '[');
	for (i = 0; i < ARRAY_SIZE(bc->args); i++)
		ntpool_json_hex(j, bc->args[i]);
	ntpool_json_close(j, ']');
}

static void put_tag(struct ntpool_json *j, const struct ntpool_bugcheck *bc)
{
	u32 tag;
	bool known = ntpool_bugcheck_tag(bc, &tag);

	ntpool_json_key(j, "tag");
	if (known)
		ntpool_json_tag(j, tag);
	else
		ntpool_json_null(j);
	ntpool_json_key(j, "tag_value");
	if (known)
		ntpool_json_hex(j, tag);
	else
		ntpool_json_null(j);
}

/* Where the report was made: taken before reports_lock turns IRQs off. */
struct report_context {
	unsigned int irql;
	unsigned int cpu;
	pid_t pid;
	char comm[TASK_COMM_LEN];
};

static void get_context(struct report_context *ctx)
{
	ctx->irql = ntpool_current_irql();
	ctx->cpu = raw_smp_processor_id();
	ctx->pid = task_pid_nr(current);
	/* Not get_task_comm(): its task_lock() is no lock for hard IRQs. */
	strscpy(ctx->comm, current->comm, sizeof(ctx->comm));
}

static void put_context(struct ntpool_json *j, const struct report_context *ctx)
{
	ntpool_json_key(j, "irql");
	ntpool_json_u64(j, ctx->irql);
	ntpool_json_key(j, "cpu");
	ntpool_json_u64(j, ctx->cpu);
	ntpool_json_key(j, "pid");
	ntpool_json_u64(j, ctx->pid);
	ntpool_json_key(j, "task");
	ntpool_json_string(j, ctx->comm);
}

static void put_stack(struct ntpool_json *j, const struct ntpool_report_info *r)
{
	unsigned int i;

	ntpool_json_key(j, "stack");
	ntpool_json_open(j, '[');
	for (i = 0; i < r->nr_frames; i++)
		ntpool_json_symbol(j, r->frames[i]);
	ntpool_json_close(j, ']');
}

static void put_log_entry(struct ntpool_json *j,
			  const struct ntpool_alloc_log_entry *e)
{
	unsigned int i;

	if (!e->seq) {
		ntpool_json_null(j);
		return;
	}
	ntpool_json_open(j, '{');
	ntpool_json_key(j, "address");
	ntpool_json_hex(j, e->addr);
	ntpool_json_key(j, "size");
	ntpool_json_u64(j, e->size);
	ntpool_json_key(j, "tag");
	ntpool_json_tag(j, e->tag);
	ntpool_json_key(j, "pool");
	ntpool_json_string(j, e->kind == NTPOOL_PAGED ? "Paged" : "Nonpaged");
	ntpool_json_key(j, "module");
	ntpool_json_string(j, e->module);
	ntpool_json_key(j, "caller");
	ntpool_json_symbol(j, e->caller);
	ntpool_json_key(j, "cpu");
	ntpool_json_u64(j, e->cpu);
	ntpool_json_key(j, "pid");
	ntpool_json_u64(j, e->pid);
	ntpool_json_key(j, "task");
	ntpool_json_string(j, e->comm);
	ntpool_json_key(j, "time_ns");
	ntpool_json_u64(j, e->time_ns);
	ntpool_json_key(j, "stack");
	ntpool_json_open(j, '[');
	for (i = 0; i < e->nr_frames; i++)
		ntpool_json_symbol(j, e->frames[i]);
	ntpool_json_close(j, ']');
	ntpool_json_close(j, '}');
}

/* The block's last allocation and free from Pool Tracking's log. */
static void put_history(struct ntpool_json *j,
			const struct ntpool_alloc_history *h)
{
	ntpool_json_key(j, "last_alloc");
	if (h)
		put_log_entry(j, &h->alloc);
	else
		ntpool_json_null(j);
	ntpool_json_key(j, "last_free");
	if (h)
		put_log_entry(j, &h->free);
	else
		ntpool_json_null(j);
}

static void put_report(struct ntpool_json *j, const struct ntpool_report_info *r,
		       const struct report_context *ctx)
{
	const struct ntpool_bugcheck *bc = r->bc;

	ntpool_json_key(j, "code");
	ntpool_json_hex(j, bc->code);
	ntpool_json_key(j, "name");
	ntpool_json_string(j, ntpool_bugcheck_name(bc->code));
	ntpool_json_key(j, "meaning");
	ntpool_json_string(j, ntpool_bugcheck_meaning(bc->code));
	put_args(j, bc);
	ntpool_json_key(j, "module");
	ntpool_json_string(j, report_module(r));
	put_tag(j, bc);
	ntpool_json_key(j, "caller");
	ntpool_json_symbol(j, r->caller ? r->caller->ip : 0);
	ntpool_json_key(j, "caller_address");
	if (r->caller)
		ntpool_json_hex(j, r->caller->ip);
	else
		ntpool_json_null(j);
	put_context(j, ctx);
	ntpool_json_key(j, "policy");
	ntpool_json_string(j, ntpool_policy_name());
	ntpool_json_key(j, "printed");
	ntpool_json_bool(j, r->printed);
	ntpool_json_key(j, "count");
	ntpool_json_u64(j, r->count);
	ntpool_json_key(j, "suppressed");
	ntpool_json_u64(j, ntpool_reports_suppressed());
	put_stack(j, r);
	put_history(j, r->history);
	if (r->extra && r->extra->json)
		r->extra->json(j, r->extra->json_data);
}

/**
 * ntpool_report_json() - add a report's line to reports.json
 * @info: the report
 *
 * And queue its uevent.  Any context.
 */
void ntpool_report_json(const struct ntpool_report_info *info)
{
	struct report_context ctx;
	struct ntpool_json j;
	unsigned long flags;
	u64 seq;

	get_context(&ctx);
	spin_lock_irqsave(&reports_lock, flags);
	line_begin(&j, "bugcheck");
	put_report(&j, info, &ctx);
	seq = line_end(&j);
	spin_unlock_irqrestore(&reports_lock, flags);
	ntpool_report_event(seq, info->bc, report_module(info));
}

/**
 * ntpool_report_json_unload() - a module unloaded with nothing left
 * @module: its name
 *
 * The unload check's verdict when there is no 0xC4/0x62 report: a line
 * with "event": "unload", and its uevent.
 */
void ntpool_report_json_unload(const char *module)
{
	struct ntpool_json j;
	unsigned long flags;
	u64 seq;

	spin_lock_irqsave(&reports_lock, flags);
	line_begin(&j, "unload");
	ntpool_json_key(&j, "module");
	ntpool_json_string(&j, module);
	ntpool_json_key(&j, "verdict");
	ntpool_json_string(&j, "clean");
	ntpool_json_key(&j, "allocations");
	ntpool_json_u64(&j, 0);
	seq = line_end(&j);
	spin_unlock_irqrestore(&reports_lock, flags);
	ntpool_report_event(seq, NULL, module);
}

/**
 * ntpool_reports_json_last() - the newest line (for tests)
 * @buf: receives it, NUL-terminated, cut to fit
 * @size: room in @buf
 *
 * Return: its seq, or 0 if there is none.
 */
u64 ntpool_reports_json_last(char *buf, size_t size)
{
	struct json_line *line;
	unsigned long flags;
	u64 seq = 0;

	buf[0] = '\0';
	spin_lock_irqsave(&reports_lock, flags);
	line = next_seq > 1 ? lines[(next_seq - 1) % NTPOOL_REPORTS_KEPT] : NULL;
	if (line) {
		size_t n = min(size - 1, line->len);

		seq = line->seq;
		memcpy(buf, line->text, n);
		buf[n] = '\0';
	}
	spin_unlock_irqrestore(&reports_lock, flags);
	return seq;
}

/* Positions are seqs: one behind the oldest kept resumes there. */
static struct json_line *line_at(loff_t *pos)
{
	if (*pos < oldest_kept())
		*pos = oldest_kept();
	return *pos < next_seq ? lines[*pos % NTPOOL_REPORTS_KEPT] : NULL;
}

static void *reports_start(struct seq_file *m, loff_t *pos)
	__acquires(&reports_lock)
{
	spin_lock_irq(&reports_lock);
	return line_at(pos);
}

static void *reports_next(struct seq_file *m, void *v, loff_t *pos)
{
	++*pos;
	return line_at(pos);
}

static void reports_stop(struct seq_file *m, void *v)
	__releases(&reports_lock)
{
	spin_unlock_irq(&reports_lock);
}

static int reports_show(struct seq_file *m, void *v)
{
	const struct json_line *line = v;

	seq_write(m, line->text, line->len);
	return 0;
}

static const struct seq_operations reports_sops = {
	.start = reports_start,
	.next = reports_next,
	.stop = reports_stop,
	.show = reports_show,
};
DEFINE_SEQ_ATTRIBUTE(reports);

/**
 * ntpool_reports_json_debugfs() - create reports.json
 * @dir: ntpool's debugfs directory
 */
void ntpool_reports_json_debugfs(struct dentry *dir)
{
	debugfs_create_file("reports.json", 0400, dir, NULL, &reports_fops);
}

/**
 * ntpool_reports_json_exit() - free the lines kept
 */
void ntpool_reports_json_exit(void)
{
	unsigned int i;

	for (i = 0; i < NTPOOL_REPORTS_KEPT; i++) {
		kfree(lines[i]);
		lines[i] = NULL;
	}
}
