/* telinit — the SysV tools of upinit: telinit, runlevel, shutdown, halt,
 * reboot and poweroff, in one multi-call binary (docs/compatibility.md).
 *
 * Each tool is a function taking the command line as main() would; it
 * prints its own messages ("PROG: ...", PROG the basename of argv[0]) and
 * returns the exit status.  telinit_multicall_main() picks one by the name
 * the binary was run under.  init's main() calls telinit_main() when it is
 * run from a shell rather than as PID 1, so that `init 3` behaves as
 * `telinit 3`, as under sysvinit and Upstart, with messages prefixed
 * `init:`.
 *
 * These functions keep no state between calls apart from lib/cli's
 * program name and message priority, which each one sets afresh; every
 * other symbol of compat/telinit is either static or prefixed by its
 * module's name (tool_, sysv_request_, transport_, level_, shutdown_plan_,
 * wall_, power_), so they link into init without clashing.
 *
 * Every path a tool touches can be overridden for tests (tool_paths.h),
 * and UPINIT_REBOOT_DRYRUN=1 makes halt/reboot print the reboot(2) call
 * instead of making it (power.h).
 */
#ifndef UPINIT_TELINIT_H
#define UPINIT_TELINIT_H

/* telinit [-e KEY=VALUE]... [-t SECONDS] RUNLEVEL, and init N. */
int telinit_main(int argc, char **argv);
/* runlevel [UTMP] */
int telinit_runlevel_main(int argc, char **argv);
/* shutdown [OPTION]... TIME [MESSAGE]... */
int telinit_shutdown_main(int argc, char **argv);
/* halt, reboot, poweroff (the mode comes from argv[0]). */
int telinit_reboot_main(int argc, char **argv);

/* Run the tool named by the basename of argv[0]: telinit or init,
 * runlevel, shutdown, halt, reboot, poweroff.  Any other name is an
 * error (exit 1). */
int telinit_multicall_main(int argc, char **argv);

#endif
