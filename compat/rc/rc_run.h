/* rc_run — runs one phase of an rc plan: the scripts as processes.
 *
 * Each script runs as startpar runs it: /etc/init.d/NAME executed with
 * argv[0] the rc link's path ("/etc/rc2.d/S02ssh") and the action as its
 * one argument, in a process group of its own, stdin inherited.  Its
 * output goes to a pseudo-terminal of its own (scripts see a terminal,
 * as under startpar) and is written to our standard output whole when
 * the script ends, so two scripts' lines never interleave; a script
 * still running after RC_RUN_FLUSH_MS with output pending has it shown
 * anyway, so a question it asks is seen.  An interactive step runs alone
 * on our own standard input and output.
 *
 * When the script has ended but a process it left behind still holds
 * its terminal (a daemon that kept stdout), a small forwarder process
 * takes the terminal over and copies what comes to our output, as
 * startpar does, so the phase need not wait for the daemon.
 *
 * Each script's output, then a line with its action, exit status and
 * duration, is also appended to LOGDIR/sysv-NAME.log when a log
 * directory is given and writable.
 *
 * Through init: with a control socket given, each step is instead the
 * start or stop of the job sysv/NAME (sysv/sysv_jobs.h), asked of init
 * over the socket, and the step ends with init's answer.  init then runs
 * the script, through `upinit-rc --job`, which shows and logs its output;
 * a step whose job init does not know runs here as above.
 *
 * Exit statuses are startpar's: 0 ok; 5 "not installed" and 6 "not
 * configured" are skipped services; anything else (a signal too) is a
 * failure, except 7 ("not running") when stopping.  The phase goes on
 * after a failure.
 *
 * Ownership: the result owns its lists; rc_run_result_free() frees them.
 */
#ifndef UPINIT_RC_RUN_H
#define UPINIT_RC_RUN_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/strlist.h"
#include "sysv/rc_plan.h"

#define RC_RUN_FLUSH_MS 20000

typedef struct rc_run_options {
	size_t       limit;      /* scripts at once (0: no limit) */
	const char  *initd;      /* "/etc/init.d" */
	const char  *logdir;     /* or NULL */
	char *const *envp;       /* the scripts' environment */
	const char  *socket;     /* init's control socket: steps are jobs */
	char *const *job_env;    /* sent with each job request (K=V) */
	/* Called when step `i` of the phase has ended (may be NULL). */
	void       (*ended)(size_t i, void *data);
	void        *ended_data;
	/* Called just before a step whose script kills every process
	 * (kills_all) starts; may be NULL. */
	void       (*before_kill_all)(void *data);
	void        *kill_all_data;
	bool         hold;       /* never show output as it comes only because
				  * the script runs alone (upinit-rc --job:
				  * other jobs may be writing) */
} RcRunOptions;

typedef struct rc_run_result {
	StrList failed;          /* names, in the order they ended */
	StrList not_installed;   /* exit 5 */
	StrList not_configured;  /* exit 6 */
	int     last_code;       /* the exit code of the step that ended last,
				  * 128 + N for signal N */
} RcRunResult;

/* Run every step of `phase`; returns 0, or -1 when the phase could not
 * be run at all (out of memory, no signalfd).  Results are added to
 * `result`. */
int  rc_run_phase(const RcPhase *phase, const RcRunOptions *opt, RcRunResult *result);
void rc_run_result_free(RcRunResult *result);

#endif
