/* sysv — the SysV face of PID 1: what /run/initctl requests and the
 * power signals turn into (docs/compatibility.md).
 *
 * Runlevel requests take runlevel_change()'s one path; `Q` reloads the
 * configuration and `U` re-executes through hooks main sets; power
 * requests and SIGPWR become `power-status-changed PWRSTAT=F|L|O`;
 * SETENV sets INIT_* variables of every job.
 */
#ifndef UPINIT_SYSV_H
#define UPINIT_SYSV_H

#include <sys/types.h>

#include "sysv/initctl_fifo.h"

/* What `telinit q` and `telinit u` do (either may be NULL). */
void sysv_set_hooks(void (*reload)(void), void (*reexec)(void));

/* power-status-changed with PWRSTAT=`status` ('F', 'L' or 'O'). */
void sysv_power_status(char status);

/* SIGPWR: read and remove the power status file (`path` NULL:
 * /var/run/powerstatus; the old /etc/powerstatus is tried too), as
 * sysvinit: 'L' and 'O' as written, anything else (or no file) 'F'. */
void sysv_sigpwr(const char *path);

/* telinit a|b|c: `ondemand LEVEL=A|B|C` starts the inittab ondemand
 * entries (inittab_jobs.h).  -1 for another letter. */
int  sysv_ondemand(char letter);

/* The /run/initctl request handler (initctl_fifo_set_handler). */
void sysv_fifo_request(const InitRequest *req, void *data);

/* utmp records of processes, as sysvinit writes them for `who` and
 * `last`: INIT_PROCESS for a job with `utmp ID [LINE]` when its main
 * process starts; DEAD_PROCESS for any reaped process with a live
 * INIT/LOGIN/USER record. */
struct job;
void sysv_process_launched(const struct job *job, pid_t pid);
void sysv_process_reaped(pid_t pid);

#endif
