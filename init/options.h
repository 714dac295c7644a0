/* options — init's command line (popt).
 *
 * The daemon ignores options and words it does not know, as Upstart did: the
 * kernel passes its whole command line to PID 1.  Paths that tests need
 * to move (utmp, wtmp, /var/run/runlevel, /run/initctl, the power status
 * file) have hidden options of their own.
 *
 * Ownership: the Options struct owns its strings; options_free() frees
 * them.  `argv` is kept (not copied) for re-exec.
 */
#ifndef UPINIT_OPTIONS_H
#define UPINIT_OPTIONS_H

#include <stddef.h>

typedef struct options {
	int          user;
	char       **confdirs;
	size_t       nconfdirs;
	char        *logdir;
	int          no_log;
	char        *default_console;
	int          no_startup_event;
	char        *startup_event;
	char        *socket;
	int          verbose;
	int          debug;
	int          quiet;
	int          version;

	/* re-exec */
	int          restart;
	int          state_fd;

	/* SysV paths (hidden; tests) */
	char        *utmp;
	char        *wtmp;
	char        *runlevel_file;
	char        *initctl_fifo;
	char        *powerstatus;
	char        *inittab;

	int          argc;
	char       **argv;
} Options;

/* Returns 0 to go on, 1 when init should exit 0 (--version, --help),
 * -1 on a bad option value (message printed). */
int  options_parse(Options *opts, int argc, char **argv);
void options_free(Options *opts);

#endif
