/* timeline — where the boot went.
 *
 * From init's start until the boot has settled, every start of a job
 * instance (native, SysV script, inittab entry) is an Entry: when its
 * goal became start, when it began starting, reached running, began
 * stopping and was at rest again, its result, and what started it (the
 * latest of the events that satisfied its `start on`, or the job whose
 * process asked for it: the entry of that job, for the critical chain).
 * Non-job events (startup, runlevel, filesystem, ...) are kept as marks.
 *
 * The boot has settled (the default runlevel is reached) the first time
 * that, after the target event was handled (`runlevel` to a level other
 * than S, 0 or 6 for a system init; `startup` for a user init), no
 * event is queued and no instance is between states: every wanted
 * service is running, every task has finished.  Entries begun before
 * that keep being updated (a daemon stopping later); none is added
 * after.  At most TIMELINE_MAX_ENTRIES entries and TIMELINE_MAX_EVENTS
 * marks are kept; the reply says how many were left out.
 *
 * Times are CLOCK_MONOTONIC microseconds; the reply gives init's start on
 * that clock and on the wall clock, and every time relative to it.
 *
 * Ownership: the module owns its entries; callers hold entry ids.
 */
#ifndef UPINIT_TIMELINE_H
#define UPINIT_TIMELINE_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/environ.h"

struct json_object;
struct record;

#define TIMELINE_MAX_ENTRIES 1024
#define TIMELINE_MAX_EVENTS  256

/* Init started (not called after a restore). */
void     timeline_init(bool user_mode);

/* A job instance begins starting; `cause` is its goal record (may be
 * NULL).  Returns the entry's id, 0 when none is kept (boot over, full). */
uint64_t timeline_begin(const char *job, const char *instance, bool sysv, bool task,
			const struct record *cause);
/* Entry `id` reached `state` ("running", "stopping", "waiting"); for
 * "waiting", `failed` is its result. */
void     timeline_state(uint64_t id, const char *state, bool failed);
/* An event is being handled. */
void     timeline_event(const char *name, const EnvList *env);
/* Is the target event handled and the boot not settled yet?  While so,
 * init calls timeline_check() whenever no event is pending; `busy` says
 * whether some instance is between states. */
bool     timeline_waiting(void);
void     timeline_check(bool busy);

/* The reply of `initctl timeline`: "boot" and "items" added to `reply`;
 * with `shown` (init/history.h), event variables it refuses and
 * clients' command lines are left out. */
void     timeline_reply(struct json_object *reply, bool (*shown)(const char *var));

/* Re-exec. */
struct json_object *timeline_serialise(void);
void     timeline_deserialise(struct json_object *doc);
void     timeline_reset(void);

#endif
