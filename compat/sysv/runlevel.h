/* runlevel — PID 1 owns the runlevel, as under sysvinit and unlike
 * Upstart (docs/compatibility.md).
 *
 * Every change, whatever asked for it (telinit, `init N`, shutdown, a
 * /run/initctl request), takes the one path of runlevel_change():
 * record current and previous level; write RUN_LVL to utmp and wtmp in
 * sysvinit's encoding; rewrite /var/run/runlevel; emit
 * `runlevel RUNLEVEL=N PREVLEVEL=P` plus any extra variables.  Asking for
 * the current level again emits the event again, as Upstart does.
 *
 * Ownership: the module keeps the UtmpRecords writer it is given and
 * frees it in runlevel_free().
 */
#ifndef UPINIT_RUNLEVEL_H
#define UPINIT_RUNLEVEL_H

#include <stdbool.h>

#include "lib/environ.h"
#include "sysv/utmp_records.h"

struct json_object;

/* `records` may be NULL (no utmp: user mode); `runlevel_file` NULL means
 * UTMP_RECORDS_RUNLEVEL_FILE, "" means none. */
void runlevel_setup(UtmpRecords *records, const char *runlevel_file);
void runlevel_free(void);

/* The utmp writer, or NULL (user init without --utmp). */
UtmpRecords *runlevel_records(void);

/* 'N' while unknown. */
char runlevel_current(void);
char runlevel_previous(void);

/* Is `c` a level runlevel_change() accepts ('0'-'6', 'S', 's')? */
bool runlevel_valid(char c);

/* The one path of every change.  `extra` (may be NULL) is appended to the
 * event's environment.  Returns -1 (EINVAL) for a bad level; utmp
 * failures are logged and the record is written later (utmp_records.h,
 * "Delayed writes"). */
int  runlevel_change(char level, const EnvList *extra);

/* BOOT_TIME record, once per boot (not after a re-exec). */
void runlevel_boot_record(void);

/* Re-exec state. */
struct json_object *runlevel_serialise(void);
int  runlevel_deserialise(struct json_object *json);

#endif
