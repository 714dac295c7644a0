/* system — what init does as PID 1 that a user init does not: the boot
 * actions before anything else (Upstart's, plus mounting /run, which
 * nothing else does early enough on Debian), container detection, and
 * the kernel's keyboard signals.  Each action is skipped when its work is
 * already done (a mount in place, a device node present), and failures
 * are logged: PID 1 carries on with what it has.
 */
#ifndef UPINIT_SYSTEM_H
#define UPINIT_SYSTEM_H

#include <stdbool.h>

/* setsid, chdir /, umask 022, standard descriptors on /dev/console (or
 * /dev/null), PATH, and the kernel filesystems: /proc, /sys, /dev
 * (devtmpfs when /dev/null is missing), /dev/pts, and /run (tmpfs,
 * nosuid,nodev,mode=755) when it is not already a mount point. */
void system_boot_setup(void);

/* /run is a mount point (or was made one). */
bool system_run_mounted(void);
int  system_mount_run(void);

/* PID 1 of a PID namespace other than the initial one, or `container=`
 * in init's environment. */
bool system_in_container(void);

/* Outside a container: Ctrl-Alt-Del to SIGINT, and Alt-Up to SIGWINCH
 * (KDSIGACCEPT), as Upstart and sysvinit do. */
void system_keyboard_signals(void);

/* PID 1: raise init's own descriptor limit (see system.c), after telling
 * job_process the limit init was given, which its jobs keep. */
void system_raise_nofile(void);

#endif
