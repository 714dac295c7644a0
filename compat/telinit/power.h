/* power — what halt, reboot and poweroff end in: the shutdown command
 * they hand over to, or the reboot(2) call itself.
 *
 * reboot(2) is made only when it cannot surprise anyone: by root, and
 * either with -f given explicitly or from inside a PID namespace of its
 * own, where it ends that namespace's init instead of the machine (a
 * container, the system tests).  Outside both, runlevel 0 or 6 alone does
 * not make halt/reboot call it (power_may_reboot()).
 *
 * UPINIT_REBOOT_DRYRUN=1 (any non-empty value) replaces the calls with a
 * line on stdout naming them — `sync()`, `reboot(RB_AUTOBOOT)`,
 * `reboot(RB_HALT_SYSTEM)`, `reboot(RB_POWER_OFF)`, `reboot(RB_KEXEC)`,
 * `reboot(LINUX_REBOOT_CMD_RESTART2, "ARG")` — so tests never bring the
 * machine down.  It is read with secure_getenv().
 */
#ifndef UPINIT_POWER_H
#define UPINIT_POWER_H

#include <stdbool.h>
#include <stddef.h>

typedef enum power_mode {
	POWER_REBOOT,
	POWER_HALT,
	POWER_POWEROFF,
	POWER_KEXEC,
} PowerMode;

/* The mode a program name means: "halt", "poweroff", else reboot. */
PowerMode   power_mode_for(const char *program);

/* The shutdown command line that does `mode` the long way (as both
 * sysvinit's and Upstart's halt and reboot hand over to shutdown):
 * reboot `-r now`, halt `-h -H now`, poweroff `-h -P now`, with `-t
 * SECONDS` first when `sleeptime` is not NULL.  Fills argv[0..] (argv[0]
 * is "shutdown"; strings are static or `sleeptime`) and a NULL after the
 * last; returns the count, or 0 when `max` is too small or `mode` is
 * POWER_KEXEC (shutdown has no kexec). */
size_t      power_shutdown_argv(PowerMode mode, const char *sleeptime,
				const char **argv, size_t max);

/* The call for `mode`, as the dry run prints it (static text, except
 * that RESTART2 with `restart_arg` needs the caller's buffer). */
void        power_call_text(PowerMode mode, const char *restart_arg,
			    char *buf, size_t size);

/* True when UPINIT_REBOOT_DRYRUN is set. */
bool        power_dry_run(void);
/* True when this process is outside the initial PID namespace. */
bool        power_in_own_pid_namespace(void);
/* The rule above: root, and `explicit_force` or our own PID namespace. */
bool        power_may_reboot(bool explicit_force);

/* sync(2), or its line in a dry run. */
void        power_sync(void);
/* Make the call.  Returns 0 after a dry run; otherwise returns only when
 * the kernel refused, -1 with errno. */
int         power_reboot(PowerMode mode, const char *restart_arg);

#endif
