/* inittab_source — /etc/inittab as a configuration source of the core.
 *
 * The SysV layer adds a generator to conf (init/conf.h): on every load
 * it reads /etc/inittab, reports what inittab_parse() found wrong, and
 * defines one job "inittab/ID" per process entry from the text
 * inittab_job_text() makes, the way a job file defines a job.  Entries
 * that went away are dropped by conf.  When the load was asked for
 * (telinit q, SIGHUP, reload-configuration), what changed is handed to
 * inittab_sync, which starts and stops the processes as sysvinit would;
 * at start-up and after a re-exec nothing is synced.
 *
 * A missing or unreadable /etc/inittab defines nothing (sysvinit runs
 * without one too).
 *
 * Ownership: the module keeps a copy of the path; conf owns the
 * generator.
 */
#ifndef UPINIT_INITTAB_SOURCE_H
#define UPINIT_INITTAB_SOURCE_H

/* Add /etc/inittab (or `path`) as a source; call it before the first
 * conf_reload().  Returns 0 or -1. */
int  inittab_source_add(const char *path);
void inittab_source_free(void);

#endif
