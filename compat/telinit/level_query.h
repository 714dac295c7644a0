/* level_query — what the current and previous runlevel are, asked the
 * way `runlevel` asks.
 *
 * PID 1 owns the runlevel (docs/compatibility.md), so upinit is asked first
 * ({"cmd":"runlevel"}).  Its answer is final, "unknown" included.  When
 * no upinit answers — it is not running, or it refuses the request (an
 * init of another version, a user-mode init) — the sources sysvinit and
 * Upstart used are read in turn:
 *
 *   1. $RUNLEVEL, when set even empty (Upstart): current = its first
 *      character, 'N' when empty; previous = first character of
 *      $PREVLEVEL, else 'N'.  It ends the search either way, so
 *      `RUNLEVEL= runlevel` is unknown as under Upstart's rc-sysinit.
 *   2. The first RUN_LVL record of utmp (tool_path TOOL_PATH_UTMP).  A
 *      `shutdown` record or none at all goes on to 3.
 *   3. /var/run/runlevel (TOOL_PATH_RUNLEVEL_FILE): previous 'N'.
 *
 * A current level of 'N' is unknown (`runlevel` prints `unknown`).
 * Nothing is allocated or kept.
 */
#ifndef UPINIT_LEVEL_QUERY_H
#define UPINIT_LEVEL_QUERY_H

#include <stdbool.h>

typedef enum level_source {
	LEVEL_FROM_UPINIT,
	LEVEL_FROM_ENV,
	LEVEL_FROM_UTMP,
	LEVEL_FROM_FILE,
	LEVEL_FROM_NOWHERE,   /* every source tried, none knew */
} LevelSource;

typedef struct level_answer {
	LevelSource source;
	char        prev;     /* 'N' when none */
	char        cur;      /* 'N' when unknown */
	/* LEVEL_FROM_NOWHERE: errno of a utmp that could not be read for
	 * another reason than missing or holding no record (EACCES, EAGAIN,
	 * ...), with the path in error_path; 0 otherwise. */
	int         error;
	const char *error_path;
} LevelAnswer;

/* Ask every source in the order above. */
void level_query(LevelAnswer *ans);
/* Read only the utmp file `utmp` (`runlevel UTMP`). */
void level_query_utmp(const char *utmp, LevelAnswer *ans);
/* True when ans->cur is a level. */
bool level_known(const LevelAnswer *ans);

/* Decode upinit's reply line "P C" (e.g. "N 2"): true with *prev, *cur
 * set when both are level characters ('0'-'9', 'S', or 'N' for prev). */
bool level_parse_line(const char *line, char *prev, char *cur);

#endif
