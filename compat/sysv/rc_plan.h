/* rc_plan — what a runlevel change runs: which scripts, with which
 * argument, each after which others.  Debian's /etc/init.d/rc (sysv-rc
 * 3.06, the same in Debian 12 and 13) and startpar's makefile mode, as
 * data, so that init can run the plan itself.
 *
 * Two orders, chosen by the caller as rc chooses them:
 *
 *   RC_ORDER_DEPEND  insserv's .depend.boot/.start/.stop exist (Debian's
 *                    default, rc's "makefile" concurrency).  A script
 *                    runs once those it comes after in the file have
 *                    ended; only scripts the file names are run (startpar
 *                    runs nothing else).
 *   RC_ORDER_LEGACY  one at a time, in the order of the links' names
 *                    (.legacy-bootordering, concurrency=none on the
 *                    kernel command line, or no .depend files).
 *
 * A change to level RUN from PREV ('N' at boot) has at most two phases:
 *
 *   1. K scripts, "stop" — only when PREV is not N and RUN is not 0 or 6.
 *      DEPEND: the K links of rcRUN.d whose script has no K link in
 *      rcPREV.d, ordered by .depend.stop.  LEGACY: every K link of
 *      rcRUN.d.
 *   2. DEPEND: for RUN = S, the S links of rcS.d by .depend.boot; for 0
 *      and 6, the K links of rcRUN.d without a K link in rcPREV.d, "stop",
 *      by .depend.stop; otherwise the S links of rcRUN.d whose script has
 *      no S link in rcPREV.d (already started there), "start", by
 *      .depend.start.  LEGACY: every S link of rcRUN.d, "start", or "stop"
 *      for 0 and 6.
 *
 * Nothing at all runs when rcRUN.d does not exist.  Ordering edges to
 * scripts that are not in the phase do not hold anything up.
 *
 * Ownership: an RcPlan owns its steps and their strings; rc_plan_free()
 * releases them.  Sources are only read.
 */
#ifndef UPINIT_RC_PLAN_H
#define UPINIT_RC_PLAN_H

#include <stdbool.h>
#include <stddef.h>

#include "sysv/rc_depend.h"
#include "sysv/rc_dirs.h"

typedef enum rc_order {
	RC_ORDER_DEPEND,
	RC_ORDER_LEGACY,
} RcOrder;

typedef struct rc_step {
	char       *name;        /* the script: "ssh" */
	char       *path;        /* the link run: "/etc/rc2.d/S01ssh" */
	const char *action;      /* "start" or "stop" (static) */
	bool        interactive; /* alone, with the console */
	bool        local;       /* run by the runner itself, never as a job
				  * (set by upinit-rc, not by the plan) */
	bool        kills_all;   /* its script calls killall5 (upinit-rc too) */
	size_t     *after;       /* steps of the phase that must end first */
	size_t      nafter;
} RcStep;

typedef struct rc_phase {
	RcStep *steps;
	size_t  len;
} RcPhase;

typedef struct rc_plan {
	char    prev, run;
	RcPhase phases[2];
	size_t  nphases;
} RcPlan;

typedef struct rc_sources {
	RcOrder         order;
	const RcDir    *run_dir;    /* rcRUN.d */
	const RcDir    *prev_dir;   /* rcPREV.d; NULL for N */
	/* RC_ORDER_DEPEND: the three files (any may be NULL: nothing of that
	 * mode runs, as startpar without its file). */
	const RcDepend *boot, *start, *stop;
} RcSources;

/* The plan for the change from `prev` to `run` into `plan`.  Returns 0,
 * or -1 when out of memory (plan emptied). */
int  rc_plan_build(const RcSources *src, char prev, char run, RcPlan *plan);
void rc_plan_free(RcPlan *plan);

/* Is `run` a level whose S phase stops (0 and 6)? */
bool rc_level_halts(char run);

#endif
