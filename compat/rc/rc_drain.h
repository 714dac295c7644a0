/* rc_drain — the SysV daemons' cgroups emptied before killall5.
 *
 * On the way down, Debian's sendsigs (a K script of rc0.d and rc6.d)
 * sends SIGTERM, then SIGKILL, to every process but its omit list:
 * that is how the daemons of scripts without a stop link in the level
 * (cron, ssh, dbus) end under sysvinit.  Under upinit each of them
 * lives in the cgroup of its job sysv/NAME, so the runner first asks
 * init to stop those jobs without their stop action ("kill_only":
 * nothing runs that sysvinit would not run), which kills what is in
 * each cgroup and leaves the job stop/waiting.  sendsigs then finds
 * nothing of init's jobs, and the jobs say what happened.
 *
 * Spared: the jobs of the level's own steps (each is stopped by its
 * own K script, some after sendsigs: rsyslog, networking), and a job
 * holding a process named in /run/sendsigs.omit.d (the files daemons
 * write there exactly so that sendsigs spares them).
 */
#ifndef UPINIT_RC_DRAIN_H
#define UPINIT_RC_DRAIN_H

#include "sysv/rc_plan.h"

/* Stop every running job sysv/NAME that no step of `plan` names and no
 * omitted process is in, and wait (at most `timeout_ms`) for init to
 * answer for all of them.  `omit_dir`: /run/sendsigs.omit.d.  Returns
 * how many jobs were stopped. */
int rc_drain_jobs(const char *socket, const RcPlan *plan, const char *omit_dir,
		  int timeout_ms);

#endif
