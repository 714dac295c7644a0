/* job_report — what `initctl show-config` and `check-config` print about
 * a job definition, in Upstart's format (upstart-job and invoke-rc.d
 * parse `show-config -e`).  Pure functions of the class and the
 * registry; lines go to a callback. */
#ifndef UPINIT_JOB_REPORT_H
#define UPINIT_JOB_REPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "init/job.h"

/* NAME, "  emits EV" lines, then "  start on ..." / "  stop on ..." as a
 * fully parenthesised expression, or with `enumerate` one line per event:
 * "  start on EVENT (job:[ NAME], env:[ ARG...])". */
void job_report_show_config(const JobClass *class, bool enumerate,
			    JobLineFn fn, void *data);

/* Report events and jobs in start on / stop on that nothing emits.
 * `ignored` (may be NULL) lists event names to accept; with `warn`,
 * unknown events inside an `or` whose other side is fine are reported
 * too.  Returns true when something was reported. */
bool job_report_check_config(const JobClass *class, char *const *ignored,
			     size_t nignored, bool warn, JobLineFn fn, void *data);

#endif
