// SPDX-License-Identifier: GPL-2.0
/*
 * The uevent that follows each line of reports.json, so that a CI job can
 * wait for ntpool's verdict with "udevadm monitor --kernel
 * --subsystem-match=misc" (or any netlink uevent listener).
 *
 * ntpool registers a misc device, /dev/ntpool, to be the device of these
 * events, as KVM's /dev/kvm is for its KOBJ_CHANGE events.  The device has
 * no operations of its own.  Each event is KOBJ_CHANGE with:
 *   NTPOOL_EVENT   "bugcheck" or "unload" (a clean unload check)
 *   NTPOOL_CODE    the bugcheck code, "0xc4" (bugcheck only)
 *   NTPOOL_NAME    its symbolic name (bugcheck only)
 *   NTPOOL_ARG1    Arg1, "0x62" (bugcheck only)
 *   NTPOOL_MODULE  the module, when known
 *   NTPOOL_SEQ     the line's "seq" in reports.json (0 if it was lost)
 *
 * kobject_uevent_env() allocates and may sleep, and a report can come in a
 * hard interrupt or under a spinlock: the report queues the event
 * (EVENTS_QUEUED at most, under a spinlock with interrupts saved; the
 * rest are counted as dropped) and a work item sends what is queued.
 */
#define pr_fmt(fmt) "ntpool: " fmt

#include <linux/fs.h>
#include <linux/kobject.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include "report/report.h"

#define EVENTS_QUEUED	32
#define EVENT_VARS	6
#define EVENT_VAR_LEN	(16 + MODULE_NAME_LEN)

struct report_event {
	u64 seq;
	bool bugcheck;
	u32 code;
	u64 arg1;
	char module[MODULE_NAME_LEN];
};

static DEFINE_SPINLOCK(events_lock);
static struct report_event queue[EVENTS_QUEUED];	/* under events_lock */
static unsigned int queue_head, queue_len;
static bool registered;
static atomic64_t events_sent, events_dropped;
static char last_sent[EVENT_VARS * EVENT_VAR_LEN];	/* for tests */

static const struct file_operations device_fops = {
	.owner = THIS_MODULE,
	.llseek = noop_llseek,
};

static struct miscdevice ntpool_device = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "ntpool",
	.fops = &device_fops,
	.mode = 0400,
};

static void send_events(struct work_struct *work);
static DECLARE_WORK(events_work, send_events);

/**
 * ntpool_report_event() - queue the uevent of a line of reports.json
 * @seq: the line's seq, or 0 if it was lost
 * @bc: the report; NULL for a clean unload check
 * @module: the module, or NULL
 *
 * Any context.
 */
void ntpool_report_event(u64 seq, const struct ntpool_bugcheck *bc,
			 const char *module)
{
	struct report_event *ev;
	unsigned long flags;

	spin_lock_irqsave(&events_lock, flags);
	if (!registered || queue_len == EVENTS_QUEUED) {
		if (registered)
			atomic64_inc(&events_dropped);
		spin_unlock_irqrestore(&events_lock, flags);
		return;
	}
	ev = &queue[(queue_head + queue_len++) % EVENTS_QUEUED];
	*ev = (struct report_event) {
		.seq = seq, .bugcheck = bc, .code = bc ? bc->code : 0,
		.arg1 = bc ? bc->args[0] : 0,
	};
	strscpy(ev->module, module ? module : "", sizeof(ev->module));
	spin_unlock_irqrestore(&events_lock, flags);
	schedule_work(&events_work);
}

/* The event's variables, in @vars; returns how many. */
static unsigned int event_vars(const struct report_event *ev,
			       char vars[EVENT_VARS][EVENT_VAR_LEN])
{
	unsigned int n = 0;

	snprintf(vars[n++], EVENT_VAR_LEN, "NTPOOL_EVENT=%s",
		 ev->bugcheck ? "bugcheck" : "unload");
	if (ev->bugcheck) {
		snprintf(vars[n++], EVENT_VAR_LEN, "NTPOOL_CODE=0x%x", ev->code);
		snprintf(vars[n++], EVENT_VAR_LEN, "NTPOOL_NAME=%s",
			 ntpool_bugcheck_name(ev->code));
		snprintf(vars[n++], EVENT_VAR_LEN, "NTPOOL_ARG1=0x%llx", ev->arg1);
	}
	if (ev->module[0])
		snprintf(vars[n++], EVENT_VAR_LEN, "NTPOOL_MODULE=%s", ev->module);
	snprintf(vars[n++], EVENT_VAR_LEN, "NTPOOL_SEQ=%llu", ev->seq);
	return n;
}

static bool next_event(struct report_event *ev)
{
	unsigned long flags;
	bool some;

	spin_lock_irqsave(&events_lock, flags);
	some = queue_len;
	if (some) {
		*ev = queue[queue_head];
		queue_head = (queue_head + 1) % EVENTS_QUEUED;
		queue_len--;
	}
	spin_unlock_irqrestore(&events_lock, flags);
	return some;
}

static void send_event(const struct report_event *ev)
{
	char vars[EVENT_VARS][EVENT_VAR_LEN];
	char *envp[EVENT_VARS + 1] = {};
	unsigned int i, n = event_vars(ev, vars);
	int len = 0;

	for (i = 0; i < n; i++) {
		envp[i] = vars[i];
		len += scnprintf(last_sent + len, sizeof(last_sent) - len,
				 "%s%s", i ? " " : "", vars[i]);
	}
	if (kobject_uevent_env(&ntpool_device.this_device->kobj, KOBJ_CHANGE,
			       envp))
		atomic64_inc(&events_dropped);
	else
		atomic64_inc(&events_sent);
}

/* The work item: one event after the other, in the order they came. */
static void send_events(struct work_struct *work)
{
	struct report_event ev;

	while (next_event(&ev))
		send_event(&ev);
}

/**
 * ntpool_report_events_flush() - wait until the queued events are sent
 */
void ntpool_report_events_flush(void)
{
	flush_work(&events_work);
}

/**
 * ntpool_report_events_sent() - events sent, for tests
 * @last: set to the last one's variables, blank-separated
 *
 * Only after ntpool_report_events_flush(), with no report on the way.
 *
 * Return: how many were sent since ntpool loaded.
 */
u64 ntpool_report_events_sent(const char **last)
{
	*last = last_sent;
	return atomic64_read(&events_sent);
}

/**
 * ntpool_report_events_init() - register /dev/ntpool
 *
 * Return: 0, or the error of misc_register(): ntpool then goes on
 * without uevents.
 */
int ntpool_report_events_init(void)
{
	int err = misc_register(&ntpool_device);

	if (err) {
		pr_warn("no /dev/ntpool (%d): reports send no uevent\n", err);
		return err;
	}
	spin_lock_irq(&events_lock);
	registered = true;
	spin_unlock_irq(&events_lock);
	return 0;
}

/**
 * ntpool_report_events_exit() - send what is queued, then remove /dev/ntpool
 */
void ntpool_report_events_exit(void)
{
	bool was;

	spin_lock_irq(&events_lock);
	was = registered;
	registered = false;
	spin_unlock_irq(&events_lock);
	if (!was)
		return;
	flush_work(&events_work);
	misc_deregister(&ntpool_device);
}
