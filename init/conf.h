/* conf — configuration sources: the job directories, and generators.
 *
 * Each directory given with --confdir is a source, searched in the order
 * given (the first one that defines a name wins).  Every regular file
 * NAME.conf below a directory defines job NAME (its path relative to the
 * directory, minus .conf); NAME.override beside it is applied on top.
 * Directories are watched with inotify, so edits take effect without a
 * reload.  A file that does not parse is reported as FILE:LINE: MESSAGE
 * and changes nothing: the previous definition, if any, stays.
 *
 * A generator is a source whose jobs a layer makes from job-file text
 * (the SysV layer turns each /etc/inittab entry into a job "inittab/ID").
 * On every load conf asks it to define its jobs again; they go through
 * the parser and the registry exactly as a file's would, and those it
 * does not define again are dropped.  A job file of the same name wins
 * over a generated job.
 *
 * Ownership: each source owns its file entries, and each entry one
 * reference on the class parsed from it.  conf_best() hands out borrowed
 * pointers for the registry.
 */
#ifndef UPINIT_CONF_H
#define UPINIT_CONF_H

#include <stdbool.h>

#include "init/job_class.h"

/* Add a directory (copied) after those already given. */
int       conf_add_dir(const char *path);
/* A file that must hold comments only (/etc/init.conf), or NULL. */
void      conf_set_init_conf(const char *path);
/* (Re)read every source and bring the registry up to date: at start-up
 * and after a re-exec. */
void      conf_reload(void);
/* The same when an administrator asked for it (SIGHUP, telinit q,
 * initctl reload-configuration): generators are told, and may act on
 * the processes of what changed, as sysvinit does for /etc/inittab. */
void      conf_reload_asked(void);
/* Start watching the sources with inotify (loop must be set up). */
int       conf_watch(void);
/* Re-exec: the inotify descriptor (-1 if none), kept open across exec
 * while `inherit` (close-on-exec again otherwise). */
int       conf_watch_fd(void);
void      conf_watch_inherit(bool inherit);
/* conf_watch() through `fd`, the previous image's inotify descriptor,
 * when it is one and no one else claimed it (state_claim_fd); else
 * through a new one.  Closing an inotify descriptor waits for the
 * kernel to retire its watches (a grace period: 10 ms on a busy
 * machine), which the exec would otherwise spend; and what happened in
 * the directories during the exec stays queued for the new image. */
int       conf_watch_adopt(int fd);
/* ---- generators ---- */

typedef struct conf_generator ConfGenerator;
/* Define every job of the generator with conf_generator_define().
 * `asked`: the load was asked for (conf_reload_asked). */
typedef void (*ConfGenerateFn)(ConfGenerator *gen, bool asked, void *data);
/* Job `name` was not defined again and has been dropped (may be NULL). */
typedef void (*ConfDroppedFn)(const char *name, bool asked, void *data);
/* Add a generator after those already added; conf owns it and frees it in
 * conf_free().  NULL when out of memory. */
ConfGenerator *conf_add_generator(ConfGenerateFn generate, ConfDroppedFn dropped,
				  void *data);
/* (Re)define job `name` from `text`, as a .conf file at `path` would
 * (errors are reported against `path`), and let the registry consider
 * it.  Returns the class (borrowed), or NULL when the text does not
 * parse: the previous definition, if any, then stays. */
JobClass *conf_generator_define(ConfGenerator *gen, const char *name,
				const char *path, const char *text);
/* The definition the generator holds for `name` (borrowed), or NULL. */
JobClass *conf_generator_find(ConfGenerator *gen, const char *name);

/* The best definition of `name` across the sources (borrowed), or NULL. */
JobClass *conf_best(const char *name);
/* Build a class from the texts of its .conf and .override (may be NULL),
 * as loading from files does; the class keeps both texts.  Errors are
 * reported against the paths.  NULL when the .conf text does not parse. */
JobClass *conf_class_from_text(const char *name, const char *path,
			       const char *conf_text, const char *override_path,
			       const char *override_text);
/* Read and parse one file as init-checkconf does; prints errors.
 * Returns 0 when it parses. */
int       conf_check_file(const char *path);
void      conf_free(void);

#endif
