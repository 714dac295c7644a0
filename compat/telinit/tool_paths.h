/* tool_paths — every file the SysV tools touch, each overridable.
 *
 * The tools run as root and act on the whole machine, so every path they
 * read or write can be pointed elsewhere by an environment variable; the
 * tests point all of them into a temporary directory and never touch the
 * real ones.  Overrides are read with secure_getenv(), so a tool installed
 * set-uid (sysvinit allowed that for shutdown) ignores them.  An override
 * that is set but empty counts as unset.  Use absolute paths: shutdown
 * changes directory to / before it writes anything.
 *
 *   variable               default                what
 *   UPINIT_SOCKET          /run/upinit/control    upinit's control socket (lib/proto.h)
 *   UPINIT_INITCTL         /run/initctl           sysvinit's FIFO, the fallback
 *   UPINIT_UTMP            /var/run/utmp          runlevel fallback, wall, shutdown -a
 *   UPINIT_WTMP            /var/log/wtmp          halt/reboot's shutdown record
 *   UPINIT_RUNLEVEL_FILE   /var/run/runlevel      runlevel's last fallback
 *   UPINIT_NOLOGIN         /etc/nologin           written by shutdown 5 minutes before
 *   UPINIT_SHUTDOWN_PID    /var/run/shutdown.pid  a waiting shutdown, for -c
 *   UPINIT_SHUTDOWN_ALLOW  /etc/shutdown.allow    shutdown -a
 *   UPINIT_FASTBOOT        /fastboot              shutdown -f
 *   UPINIT_FORCEFSCK       /forcefsck             shutdown -F
 *   UPINIT_DEV             /dev                   terminals for wall, shutdown -a, console
 *
 * Strings returned belong to the environment or are static; nothing is
 * allocated.
 */
#ifndef UPINIT_TOOL_PATHS_H
#define UPINIT_TOOL_PATHS_H

typedef enum tool_path {
	TOOL_PATH_INITCTL,
	TOOL_PATH_UTMP,
	TOOL_PATH_WTMP,
	TOOL_PATH_RUNLEVEL_FILE,
	TOOL_PATH_NOLOGIN,
	TOOL_PATH_SHUTDOWN_PID,
	TOOL_PATH_SHUTDOWN_ALLOW,
	TOOL_PATH_FASTBOOT,
	TOOL_PATH_FORCEFSCK,
	TOOL_PATH_DEV,
	TOOL_PATH_COUNT,
} ToolPath;

/* The path in use for `which`: its override, else the default. */
const char *tool_path(ToolPath which);
/* The environment variable that overrides `which` (for messages, man). */
const char *tool_path_variable(ToolPath which);

#endif
