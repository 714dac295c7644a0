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

/* The walk behind it (and behind show-config --json), one call per fact
 * in the order it prints them: the name, each `emits`, then for `start
 * on` and `stop on` when the class has them the whole condition (when
 * `condition` is not NULL) and with `enumerate` each event of it (when
 * `event` is not NULL).  An event gets the name of the job it is about
 * (the first positional argument or JOB= of starting, started, stopping
 * and stopped; else NULL) and the other arguments as written: `args`
 * (may be NULL) but for args[skip] (skip is -1 when there is no job). */
typedef enum config_stanza {
	CONFIG_START_ON,
	CONFIG_STOP_ON,
} ConfigStanza;

typedef struct show_config_visitor {
	void (*name)(void *data, const char *name);
	void (*emits)(void *data, const char *event);
	void (*condition)(void *data, ConfigStanza stanza, const char *text);
	void (*event)(void *data, ConfigStanza stanza, const char *event,
		      const char *job, char *const *args, int skip);
} ShowConfigVisitor;

void job_report_walk_config(const JobClass *class, bool enumerate,
			    const ShowConfigVisitor *visitor, void *data);
/* "start on" or "stop on". */
const char *job_report_stanza_name(ConfigStanza stanza);

/* Report events and jobs in start on / stop on that nothing emits.
 * `ignored` (may be NULL) lists event names to accept; with `warn`,
 * unknown events inside an `or` whose other side is fine are reported
 * too.  Returns true when something was reported. */
bool job_report_check_config(const JobClass *class, char *const *ignored,
			     size_t nignored, bool warn, JobLineFn fn, void *data);

#endif
