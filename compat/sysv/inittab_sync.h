/* inittab_sync — what re-reading /etc/inittab does to the processes it
 * runs (`telinit q`, SIGHUP, `initctl reload-configuration`), as
 * sysvinit's read_inittab() and start_if_needed() do it.
 *
 * The jobs "inittab/ID" (inittab_jobs.h) start on runlevel events, which
 * are over by the time an administrator adds a line: without this, a new
 * getty line would only run after the next runlevel change.  So, in the
 * current runlevel (nothing at boot, runlevel N):
 *
 *   - a respawn entry of the level that is not running is started;
 *   - a once or wait entry of the level that is new or was changed is
 *     started (the others ran when the level was entered);
 *   - the process of an entry that is gone, or was changed, is stopped;
 *     a changed entry of the level starts again, with its new definition,
 *     once the old process has ended.
 *
 * "Changed" is conf's verdict (inittab_job_same: moving to another line
 * is no change).  Usage, for explicit reloads only (not at boot, nor when
 * a re-exec loads the configuration again):
 *
 *   conf_reload_notify(inittab_sync_entry);
 */
#ifndef UPINIT_INITTAB_SYNC_H
#define UPINIT_INITTAB_SYNC_H

#include <stdbool.h>

#include "sysv/inittab.h"
#include "init/job_class.h"

/* A ConfInittabFn (conf.h): `entry` and `class` NULL when it is gone. */
void inittab_sync_entry(const char *name, const InittabEntry *entry,
			JobClass *class, bool changed);

/* Forget pending starts (tests, valgrind). */
void inittab_sync_free(void);

#endif
