/* sysv_commands — what telinit, runlevel and shutdown ask of init over
 * the control socket (docs/control-protocol.md):
 *
 *   runlevel             "PREV CUR", or status 1 while the level is unknown
 *   telinit  runlevel=L  the one path of every runlevel change (runlevel.h),
 *                        with the request's env added to the event
 *   init-env vars=[…]    sysvinit's SETENV (telinit -e): INIT_* variables
 *   ondemand level=a|b|c inittab's ondemand entries (telinit a|b|c)
 *
 * Changes need root or the owner of the init, as the core's commands do.
 */
#ifndef UPINIT_SYSV_COMMANDS_H
#define UPINIT_SYSV_COMMANDS_H

/* Add the table to the control server (init/control.h). */
void sysv_commands_register(void);

#endif
