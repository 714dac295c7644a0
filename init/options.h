/* options — init's command line (popt).
 *
 * The daemon ignores options and words it does not know, as Upstart did: the
 * kernel passes its whole command line to PID 1.  Plug-ins add tables of
 * their own (the SysV layer's hidden options move utmp, wtmp,
 * /var/run/runlevel, /run/initctl and the power status file for tests).
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
	int          no_cgroups;
	int          no_startup_event;
	char        *startup_event;
	char        *socket;
	int          open_socket;   /* --user: every local user may read */
	int          verbose;
	int          debug;
	int          quiet;
	int          version;

	/* re-exec */
	int          restart;
	int          state_fd;

	int          argc;
	char       **argv;
} Options;

struct poptOption;

/* How many tables of plug-ins' options can be added. */
#define OPTIONS_MAX_EXTRA 4

/* `extra`: NULL-terminated list of the plug-ins' popt tables (borrowed),
 * included after init's own.  Returns 0 to go on, 1 when init should exit
 * 0 (--version, --help), -1 on a bad option value (message printed). */
int  options_parse(Options *opts, int argc, char **argv,
		   const struct poptOption *const *extra);
void options_free(Options *opts);

#endif
