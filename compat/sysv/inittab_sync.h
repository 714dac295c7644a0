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
 * An entry counts as changed when its job text differs other than in the
 * line number it records.  Usage, around conf_reload():
 *
 *   InittabSnapshot *before = inittab_sync_snapshot();
 *   conf_reload();
 *   inittab_sync_apply(before, "/etc/inittab");   (frees `before`)
 */
#ifndef UPINIT_INITTAB_SYNC_H
#define UPINIT_INITTAB_SYNC_H

#include <stdbool.h>

typedef struct inittab_snapshot InittabSnapshot;

/* The inittab jobs registered now, with their texts (caller owns; NULL
 * when out of memory, and apply then does nothing). */
InittabSnapshot *inittab_sync_snapshot(void);

/* Compare with `path` as read now and start/stop as above.  Frees
 * `before` (NULL is fine). */
void inittab_sync_apply(InittabSnapshot *before, const char *path);

/* Two generated job texts are the same entry wherever it stands in the
 * file (the first line, "# /etc/inittab line N: ...", is left out). */
bool inittab_sync_same_text(const char *a, const char *b);

/* Forget pending starts (tests, valgrind). */
void inittab_sync_free(void);

#endif
