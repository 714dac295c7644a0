/* sysv_plugin — the SysV layer as a plug-in of init (init/main.h).
 *
 * At setup it gives the core what a sysvinit system expects of PID 1:
 *
 *   - the runlevel (runlevel.h), written to utmp, wtmp and
 *     /var/run/runlevel, and the control commands that read and change it
 *     (sysv_commands.h);
 *   - /etc/inittab as a configuration source (inittab_source.h);
 *   - /run/initctl for sysvinit's own clients (initctl_fifo.h), served as
 *     PID 1 and reopened on SIGUSR1, closed on SIGUSR2;
 *   - utmp records of the jobs' processes (sysv.h's process hooks) and
 *     SIGPWR's power-status-changed;
 *   - re-exec state sections "runlevel" and "fifo".
 *
 * The runlevel is this layer's state, not the core's: the core only
 * carries `runlevel` events like any other.  It lives in PID 1 because
 * this plug-in runs there.
 *
 * In a user init only what the command line names is served: utmp and
 * wtmp with --utmp/--wtmp, the FIFO with --initctl-fifo, /etc/inittab
 * with --inittab.  These options are hidden; they exist for tests.
 */
#ifndef UPINIT_SYSV_PLUGIN_H
#define UPINIT_SYSV_PLUGIN_H

#include "init/main.h"

extern const InitPlugin sysv_plugin;

#endif
