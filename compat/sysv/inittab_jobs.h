/* inittab_jobs — /etc/inittab process entries as job definitions, so
 * that the lines Debian and administrators keep there still run.
 *
 * Each entry becomes the text of an ordinary job file, named
 * "inittab/ID", and is parsed like any other: it shows in `initctl list`
 * and `show-config`, and survives a re-exec like any job.  sysvinit's
 * actions map to events:
 *
 *   respawn        start/stop on runlevel, respawn (start on stopped rc
 *                  RUNLEVEL=… when the line comes after the rc lines:
 *                  sysvinit waits at each `wait` line, in file order)
 *   once           start/stop on runlevel
 *   wait           the same, as a task (holds the runlevel event)
 *   boot/bootwait  start on startup (bootwait: a task)
 *   sysinit        start on startup, task (the rcS line is rc-sysinit's)
 *   ondemand       start on ondemand LEVEL=[levels], respawn
 *   powerwait, powerfail, powerfailnow, powerokwait
 *                  start on power-status-changed PWRSTAT=F|L|O
 *   ctrlaltdel     start on control-alt-delete, task
 *   kbrequest      start on keyboard-request
 *
 * The rc lines (/etc/init.d/rcS, /etc/init.d/rc N) are served by the
 * rc-sysinit and rc jobs and never run twice, nor does a sulogin for
 * runlevel S (the rcS job runs it); initdefault and off lines run
 * nothing.
 */
#ifndef UPINIT_INITTAB_JOBS_H
#define UPINIT_INITTAB_JOBS_H

#include "sysv/inittab.h"

#define INITTAB_JOB_PREFIX "inittab/"

/* The job file text for `entry` (caller frees), or NULL when the entry
 * is not a job of its own (errno 0) or memory ran out (ENOMEM).
 * `after_rc`: an rc line (/etc/init.d/rc N) comes before it in the file. */
#include <stdbool.h>
char *inittab_job_text(const InittabEntry *entry, bool after_rc);

/* Two texts of inittab_job_text() are the same entry wherever it stands
 * in the file: the first line, "# /etc/inittab line N: ...", is left out. */
bool  inittab_job_same(const char *a, const char *b);

#endif
