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
 * "Changed" is inittab_job_same()'s verdict (moving to another line is
 * no change).  inittab_source.c calls this for each entry of a load that
 * was asked for (conf_reload_asked), not at boot nor when a re-exec loads
 * the configuration again.
 */
#ifndef UPINIT_INITTAB_SYNC_H
#define UPINIT_INITTAB_SYNC_H

#include <stdbool.h>

#include "sysv/inittab.h"
#include "init/job_class.h"

/* Entry `name` was loaded (`class`, borrowed, is its job) or is gone
 * (`entry` and `class` NULL). */
void inittab_sync_entry(const char *name, const InittabEntry *entry,
			JobClass *class, bool changed);

/* Forget pending starts (tests, valgrind). */
void inittab_sync_free(void);

#endif
