/* conf — configuration sources: the job directories.
 *
 * Each directory given with --confdir is a source, searched in the order
 * given (the first one that defines a name wins).  Every regular file
 * NAME.conf below a directory defines job NAME (its path relative to the
 * directory, minus .conf); NAME.override beside it is applied on top.
 * Directories are watched with inotify, so edits take effect without a
 * reload.  A file that does not parse is reported as FILE:LINE: MESSAGE
 * and changes nothing: the previous definition, if any, stays.
 *
 * Ownership: each source owns its file entries, and each entry one
 * reference on the class parsed from it.  conf_best() hands out borrowed
 * pointers for the registry.
 */
#ifndef UPINIT_CONF_H
#define UPINIT_CONF_H

#include <stdbool.h>

#include "sysv/inittab.h"
#include "init/job_class.h"

/* Add a directory (copied) after those already given. */
int       conf_add_dir(const char *path);
/* /etc/inittab: its process entries become jobs "inittab/ID"
 * (docs/compatibility.md),
 * re-read with the rest of the configuration (telinit q).  NULL: none. */
void      conf_set_inittab(const char *path);
/* A file that must hold comments only (/etc/init.conf), or NULL. */
void      conf_set_init_conf(const char *path);
/* (Re)read every source and bring the registry up to date. */
void      conf_reload(void);
/* The same, telling `notify` of each /etc/inittab entry loaded as a job
 * (its class, borrowed, and whether its text differs from the one loaded
 * before: new entries count as changed) and of each one gone (entry and
 * class NULL), after the registry was brought up to date for it. */
typedef void (*ConfInittabFn)(const char *name, const InittabEntry *entry,
			      JobClass *class, bool changed);
void      conf_reload_notify(ConfInittabFn notify);
/* Start watching the sources with inotify (loop must be set up). */
int       conf_watch(void);
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
