// SPDX-License-Identifier: GPL-2.0
/*
 * ntsample - the "Sample" driver of Windows driver tutorials, on ntpool:
 * DriverEntry copies its registry path into a paged buffer tagged 'dcba'
 * (shown as "abcd") and DriverUnload frees it.  With leak=1 the unload
 * routine forgets to, which Driver Verifier reports as bugcheck 0xC4/0x62.
 * With init_leak=N the module's init function itself also allocates N
 * bytes tagged 'tinI' (shown as "Init") and nothing ever frees them: a
 * leak whose call site is in init code, which is gone by the unload.
 */
#include <linux/module.h>
#include <linux/printk.h>
#include <linux/string.h>
#include <ntpool/ntpool.h>

#define SAMPLE_TAG	('dcba')
#define INIT_TAG	('tinI')	/* shows as "Init" */

static bool leak;
module_param(leak, bool, 0444);
MODULE_PARM_DESC(leak, "Forget to free the registry path in DriverUnload");

static unsigned int init_leak;
module_param(init_leak, uint, 0444);
MODULE_PARM_DESC(init_leak, "Bytes the init function allocates and never frees (0: none)");

static char *registry_path =
	"\\Registry\\Machine\\System\\CurrentControlSet\\Services\\Sample";
module_param(registry_path, charp, 0444);
MODULE_PARM_DESC(registry_path, "The RegistryPath DriverEntry receives");

static PVOID SavedRegistryPath;

/* Out of line and outside .init.text, so reports can name it after init. */
static noinline NTSTATUS DriverEntry(const char *RegistryPath)
{
	SIZE_T Length = strlen(RegistryPath) + 1;

	SavedRegistryPath = ExAllocatePool2(POOL_FLAG_PAGED, Length, SAMPLE_TAG);
	if (!SavedRegistryPath)
		return STATUS_INSUFFICIENT_RESOURCES;
	memcpy(SavedRegistryPath, RegistryPath, Length);
	pr_info("ntsample: %s: saved %s (%zu bytes)\n", __func__,
		(char *)SavedRegistryPath, (size_t)Length);
	return STATUS_SUCCESS;
}

static noinline VOID DriverUnload(void)
{
	if (!leak)
		ExFreePoolWithTag(SavedRegistryPath, SAMPLE_TAG);
	pr_info("ntsample: %s%s\n", __func__,
		leak ? ": the registry path is not freed" : "");
}

static int __init ntsample_init(void)
{
	/* In init code, which the kernel frees once this function returns. */
	if (init_leak && !ExAllocatePool2(POOL_FLAG_NON_PAGED, init_leak, INIT_TAG))
		return -ENOMEM;
	return NT_SUCCESS(DriverEntry(registry_path)) ? 0 : -ENOMEM;
}

static void __exit ntsample_exit(void)
{
	DriverUnload();
}

module_init(ntsample_init);
module_exit(ntsample_exit);

MODULE_DESCRIPTION("ntpool sample: the Sample driver, leaking on request");
MODULE_LICENSE("GPL");
