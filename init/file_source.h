/* file_source — `file` events from inotify (Upstart's file bridge).
 *
 * A condition `file FILE=PATH [EVENT=create|modify|delete]` asks for
 * events when PATH is created (or moved in), written and closed, or
 * deleted (or moved away).  `FILE=/dir/` (a trailing slash) means the
 * files in that directory, and a glob in the last component
 * (`FILE=/var/crash/core.?*`) the files matching it; those events add
 * MATCH, the full path of the file.  A directory watch also reports the
 * directory itself appearing or going (MATCH is then the directory, so
 * that `instance $MATCH` jobs work for it too).
 *
 * inotify cannot watch a path that does not exist: each FILE is watched
 * through its nearest existing directory, which moves down as the
 * directories on the way appear and back up when they go.  Only changes
 * are events; what exists when the job is loaded emits nothing.
 *
 * Ownership: the module owns its watches and its inotify descriptor;
 * watches are made and dropped by the sync (event_sources.c).  They are
 * not kept across a re-exec: the sync after it makes them again, and
 * what changed during the exec is not reported.
 */
#ifndef UPINIT_FILE_SOURCE_H
#define UPINIT_FILE_SOURCE_H

#include <stdbool.h>

/* Under init --user a FILE may be relative (`~/x`, `./x`, `x`: all under
 * `home`); the system init takes absolute paths only. */
void        file_source_set_user_mode(bool user_mode, const char *home);

/* NULL when a `file` condition's arguments can be watched, else a static
 * message ("FILE missing", "FILE must be an absolute path", ...). */
const char *file_spec_check(char *const *args, bool user_mode);

/* A sync: what is wanted now (`origin`: the job file, for messages). */
void        file_source_begin_sync(void);
void        file_source_want(char *const *args, const char *origin);
void        file_source_end_sync(void);

/* Drop every watch and the descriptor (tests, valgrind). */
void        file_source_free_all(void);

#endif
