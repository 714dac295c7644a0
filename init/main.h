/* main — init's start-up, and the plug-ins it takes.
 *
 * The core (init/) knows jobs, events, job directories and the control
 * socket.  What a kind of system needs of PID 1 beyond that comes as a
 * plug-in: today the SysV layer (compat/sysv: runlevels, /etc/inittab,
 * utmp and wtmp, /run/initctl, the power signals).  A plug-in is a name,
 * options and a few callbacks that init_main() calls at fixed points; at
 * setup it registers everything else itself with the core modules:
 * control commands (control.h), configuration generators (conf.h),
 * re-exec state sections (state.h), process hooks (job_process.h).
 *
 * The init program (compat/init.c) is the core with the SysV plug-in;
 * the core alone, with no plug-in, is a complete Upstart-style init.
 *
 * Ownership: plug-in tables are borrowed and must live as long as init.
 */
#ifndef UPINIT_MAIN_H
#define UPINIT_MAIN_H

#include <stdbool.h>

struct poptOption;

/* What a plug-in learns at setup. */
typedef struct init_context {
	bool   pid1;             /* the system's init */
	bool   user;             /* --user */
	void (*reload)(void);    /* reload the configuration, as asked by a user */
	void (*reexec)(void);    /* stateful re-exec; returns only if it failed */
} InitContext;

/* Every member but the name may be NULL; plug-ins are called in the
 * order given. */
typedef struct init_plugin {
	const char *name;
	/* popt options of its own (POPT_TABLEEND-terminated), included in
	 * init's table and set before setup. */
	const struct poptOption *options;
	/* Once the main loop and the control server exist, before the
	 * configuration is loaded or a re-exec's state restored. */
	void (*setup)(const InitContext *ctx);
	/* Once per boot, just before `startup` (not after a re-exec). */
	void (*boot)(void);
	/* SIGPWR, SIGUSR1 and SIGUSR2, after the core's own action. */
	void (*signal)(int sig);
	/* When a user init exits: let go of everything. */
	void (*free)(void);
} InitPlugin;

/* The daemon (or init-checkconf, by the name it was called by) with
 * `plugins`, a NULL-terminated list. */
int  init_main(int argc, char **argv, const InitPlugin *const *plugins);

/* Are these arguments for the daemon: running as PID 1, called as
 * init-checkconf, or given --user, --help or --version?  Otherwise a
 * program may hand them to a tool of its own (`init 3` is telinit). */
bool init_argv_is_daemon(int argc, char **argv);

#endif
