/* options — init's command line.  See options.h. */
#include "init/options.h"

#include <popt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { OPT_CONFDIR = 1 };

static int
add_confdir(Options *opts, char *dir)
{
	char **p = reallocarray(opts->confdirs, opts->nconfdirs + 1, sizeof *p);

	if (!p) {
		free(dir);
		return -1;
	}
	opts->confdirs = p;
	opts->confdirs[opts->nconfdirs++] = dir;
	return 0;
}

int
options_parse(Options *opts, int argc, char **argv,
	      const struct poptOption *const *extra)
{
	char *confdir = NULL;
	const struct poptOption core[] = {
		{ "user", 0, POPT_ARG_NONE, &opts->user, 0,
		  "run as an unprivileged init for one user", NULL },
		{ "confdir", 0, POPT_ARG_STRING, &confdir, OPT_CONFDIR,
		  "read job files from DIR (repeatable)", "DIR" },
		{ "logdir", 0, POPT_ARG_STRING, &opts->logdir, 0,
		  "write job logs to DIR", "DIR" },
		{ "no-log", 0, POPT_ARG_NONE, &opts->no_log, 0,
		  "disable job logging", NULL },
		{ "default-console", 0, POPT_ARG_STRING, &opts->default_console, 0,
		  "console of jobs that do not say", "none|log|output|owner" },
		{ "no-cgroups", 0, POPT_ARG_NONE, &opts->no_cgroups, 0,
		  "track jobs by process group only, without cgroups", NULL },
		{ "no-startup-event", 0, POPT_ARG_NONE, &opts->no_startup_event, 0,
		  "do not emit the startup event", NULL },
		{ "startup-event", 0, POPT_ARG_STRING, &opts->startup_event, 0,
		  "emit NAME instead of startup", "NAME" },
		{ "socket", 0, POPT_ARG_STRING, &opts->socket, 0,
		  "control socket path", "PATH" },
		{ "open-socket", 0, POPT_ARG_NONE, &opts->open_socket, 0,
		  "with --user: let every local user read, not only the owner and root",
		  NULL },
		{ "verbose", 'v', POPT_ARG_NONE, &opts->verbose, 0,
		  "more messages", NULL },
		{ "debug", 0, POPT_ARG_NONE | POPT_ARGFLAG_DOC_HIDDEN, &opts->debug, 0,
		  NULL, NULL },
		{ "quiet", 'q', POPT_ARG_NONE, &opts->quiet, 0,
		  "fewer messages", NULL },
		{ "version", 0, POPT_ARG_NONE, &opts->version, 0,
		  "print the version and exit", NULL },
		{ "restart", 0, POPT_ARG_NONE | POPT_ARGFLAG_DOC_HIDDEN, &opts->restart, 0,
		  NULL, NULL },
		{ "state-fd", 0, POPT_ARG_INT | POPT_ARGFLAG_DOC_HIDDEN, &opts->state_fd, 0,
		  NULL, NULL },
	};
	const struct poptOption help[] = { POPT_AUTOHELP POPT_TABLEEND };
	/* init's options, each plug-in's table, then --help and the end. */
	struct poptOption table[sizeof core / sizeof *core + OPTIONS_MAX_EXTRA + 2];
	size_t n = sizeof core / sizeof *core;
	poptContext ctx;
	int rc;

	memcpy(table, core, sizeof core);
	for (size_t i = 0; extra && extra[i] && i < OPTIONS_MAX_EXTRA; i++)
		table[n++] = (struct poptOption){ NULL, '\0', POPT_ARG_INCLUDE_TABLE,
						  (void *)extra[i], 0, NULL, NULL };
	table[n++] = help[0];
	table[n] = help[1];
	opts->state_fd = -1;
	opts->argc = argc;
	opts->argv = argv;
	ctx = poptGetContext("init", argc, (const char **)argv, table, 0);
	while ((rc = poptGetNextOpt(ctx)) != -1) {
		if (rc == OPT_CONFDIR && confdir) {
			add_confdir(opts, confdir);
			confdir = NULL;
		}
		/* rc < -1: an unknown option or a stray word; ignored, as a
		 * kernel command line passes us all sorts (`single`, `3`,
		 * `quiet`), and Upstart ignored them too. */
	}
	poptFreeContext(ctx);
	if (opts->version) {
		printf("init (upstart %s)\n", UPINIT_VERSION);
		return 1;
	}
	return 0;
}

void
options_free(Options *opts)
{
	for (size_t i = 0; i < opts->nconfdirs; i++)
		free(opts->confdirs[i]);
	free(opts->confdirs);
	free(opts->logdir);
	free(opts->default_console);
	free(opts->startup_event);
	free(opts->socket);
	memset(opts, 0, sizeof *opts);
}
