/* sysv_jobs — every SysV script linked from /etc/rc?.d as the job sysv/NAME.
 *
 * Unless RC=debian in /etc/default/upinit, the SysV layer adds a generator
 * to conf (init/conf.h) that defines, on every load, one job per script
 * that some /etc/rcS.d … /etc/rc6.d link runs.  The job's pre-start is
 * the script's start and its post-stop the script's stop, both through
 * upinit-rc's single-script mode (`upinit-rc --job ACTION NAME`), which
 * keeps the script's output whole on the console and logs it to
 * /var/log/upstart/sysv-NAME.log with its exit status and duration.  So
 * the job is start/running once the script's start exited 0, and
 * stop/waiting once it was stopped or failed; the classes are marked
 * script_actions (init/job_class.h), so a stop asked at rest still runs
 * the script's stop, as rc and /etc/init.d/NAME stop do.
 *
 * upinit-rc asks init for these jobs' starts and stops (`rc-scan` makes
 * init read the directories again first), so the events starting,
 * started, stopping and stopped sysv/NAME come from a boot too.  Under
 * RC=debian no such job is defined: sysv-rc's rc runs the scripts and
 * init would not know their state.
 *
 * The init program links upinit-rc too (rc/rc_main.h) and hands it over
 * with sysv_jobs_set_runner(): the jobs' `upinit-rc --job` processes then
 * run it in init's forked child without an exec (a JobBuiltin), which
 * saves each script an exec and a dynamic link.  Only a helper program
 * named upinit-rc is run so, and only when it is there to be exec'd: the
 * job behaves as if it had been.
 *
 * Ownership: the module keeps copies of its paths; conf owns the
 * generator.
 */
#ifndef UPINIT_SYSV_JOBS_H
#define UPINIT_SYSV_JOBS_H

#include <stdbool.h>

#include "sysv/lsb_header.h"

#define SYSV_JOB_PREFIX "sysv/"

/* Add the generator: the scripts below `etc` ("/etc"), run through
 * `helper` (the upinit-rc command line, words separated by spaces).
 * Call before the first conf_reload().  Returns 0 or -1. */
int   sysv_jobs_add(const char *etc, const char *helper);
void  sysv_jobs_free(void);

/* The runner linked into this program: `run` is upinit-rc's main and
 * `is_job` tells its --job command lines.  Registered as the builtin of
 * job_process by sysv_jobs_add(); NULLs (the default) exec the helper. */
void  sysv_jobs_set_runner(int (*run)(int argc, char **argv),
			   bool (*is_job)(char *const *argv));

/* Does the shell-style defaults file `text` leave the scripts to
 * upinit-rc?  Yes unless the last RC= assignment at the start of a line
 * (quoted or not; comments do not count) says RC=debian, as the rc jobs
 * read it. */
bool  sysv_jobs_native(const char *text);

/* A script name fit for a job name and an exec line: letters, digits,
 * and . _ - + @, not starting with a dot. */
bool  sysv_jobs_name_ok(const char *name);

/* The job-file text of script `name` (header may be NULL or not found):
 * description from Short-Description, `console owner` for X-Interactive
 * scripts and `console output` for the others, and the two actions.
 * Caller frees; NULL when out of memory. */
char *sysv_jobs_text(const char *name, const char *etc, const char *helper,
		     const LsbHeader *header);

#endif
