/* SPDX-License-Identifier: MIT */
/*
 * The UTS namespace (mirrors include/linux/utsname.h and include/uapi/linux/utsname.h of
 * Linux 6.1). Dump readers check the vmcore's kernel by it: crash compares
 * init_uts_ns.name.release with VMCOREINFO's OSRELEASE ("cannot access utsname information"
 * without it), makedumpfile finds it through SYMBOL(init_uts_ns) + OFFSET(uts_namespace.name).
 */
#ifndef KERNEL_UTSNAME_H
#define KERNEL_UTSNAME_H

#define __NEW_UTS_LEN 64

struct new_utsname {
	char sysname[__NEW_UTS_LEN + 1];
	char nodename[__NEW_UTS_LEN + 1];
	char release[__NEW_UTS_LEN + 1];
	char version[__NEW_UTS_LEN + 1];
	char machine[__NEW_UTS_LEN + 1];
	char domainname[__NEW_UTS_LEN + 1];
};

/* 6.1 has `name` first, then user_ns, ucounts and ns_common, which nothing here uses. */
struct uts_namespace {
	struct new_utsname name;
	void *user_ns;
	void *ucounts;
};

extern struct uts_namespace init_uts_ns;

#endif /* KERNEL_UTSNAME_H */
