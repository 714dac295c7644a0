/* telinit — change the runlevel, or ask init for one of its other SysV
 * services, accepting both sysvinit's and Upstart's forms.
 *
 *   telinit 0-6 S s        change the runlevel; -e KEY=VALUE values go
 *                          into the runlevel event (Upstart)
 *   telinit q Q            reload the configuration and /etc/inittab
 *   telinit u U            stateful re-exec
 *   telinit a b c          start inittab `ondemand` entries
 *   telinit -e INIT_X[=V]  with no runlevel: set (or unset) INIT_X in the
 *                          environment of every job (sysvinit SETENV)
 *
 * -t SECONDS is accepted; only sysvinit uses it (the FIFO's sleeptime).
 * Errors in Upstart's words: `missing runlevel`, `illegal runlevel: X`
 * (both with the --help hint), `Need to be root`; exit 1.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/cli.h"
#include "lib/environ.h"
#include "sysv/initctl_fifo.h"
#include "telinit/sysv_request.h"
#include "telinit/telinit.h"
#include "telinit/tool_common.h"
#include "telinit/transport.h"

enum telinit_option {
	OPT_ENV = 1,
	OPT_SLEEPTIME,
};

static const struct poptOption telinit_options[] = {
	{ NULL, 'e', POPT_ARG_STRING, NULL, OPT_ENV,
	  "add KEY=VALUE to the runlevel event", "KEY=VALUE" },
	{ NULL, 't', POPT_ARG_STRING, NULL, OPT_SLEEPTIME,
	  "seconds between SIGTERM and SIGKILL", "SECONDS" },
	{ NULL, 0, POPT_ARG_INCLUDE_TABLE, (void *)tool_options_verbosity, 0, NULL, NULL },
	{ NULL, 0, POPT_ARG_INCLUDE_TABLE, (void *)tool_options_info, 0, NULL, NULL },
	POPT_TABLEEND
};

static const ToolHelp telinit_help = {
	.usage = "RUNLEVEL",
	.synopsis = "Change system runlevel.",
	.table = telinit_options,
	.footer =
	"RUNLEVEL should be one of 0123456S, or q to reload the configuration,\n"
	"u to re-execute init, a, b or c to start inittab's ondemand entries.\n"
	"\n"
	"With -e and no RUNLEVEL, each INIT_NAME=VALUE (or INIT_NAME, to unset it)\n"
	"is set in the environment of every job, as sysvinit's telinit -e does.\n",
};

/* What the command line says. */
typedef struct telinit_args {
	EnvList env;         /* -e values, in order */
	int     sleeptime;   /* -t */
	char   *level;       /* the first argument; further ones are ignored */
	size_t  nargs;
} TelinitArgs;

/* -t: whole seconds, as the FIFO's sleeptime field takes them. */
static CliParseResult
set_sleeptime(TelinitArgs *args, const char *arg)
{
	return tool_parse_sleeptime(arg, &args->sleeptime);
}

static CliParseResult
on_option(void *data, int id, const char *arg)
{
	TelinitArgs *args = data;

	switch (id) {
	case OPT_ENV:
		if (env_append(&args->env, arg) < 0) {
			cli_error("Cannot allocate memory");
			return CLI_PARSE_ERROR;
		}
		return CLI_PARSE_OK;
	case OPT_SLEEPTIME:
		return set_sleeptime(args, arg);
	default:
		return tool_common_option(id);
	}
}

static bool
on_arg(void *data, const char *arg)
{
	TelinitArgs *args = data;

	if (args->nargs++ > 0)
		return true;
	args->level = strdup(arg);
	if (args->level == NULL) {
		cli_error("Cannot allocate memory");
		return false;
	}
	return true;
}

/* An entry sysvinit's SETENV accepts: INIT_NAME or INIT_NAME=VALUE, the
 * name of letters, digits and underscores. */
static bool
is_init_assignment(const char *entry)
{
	size_t len = env_key_len(entry);

	if (strncmp(entry, "INIT_", 5) != 0 || len <= 5)
		return false;
	return strspn(entry, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		      "0123456789_") == len;
}

/* True when every -e value can go to init's environment. */
static bool
all_init_assignments(const EnvList *env)
{
	if (env->len == 0)
		return false;
	for (size_t i = 0; i < env->len; i++)
		if (!is_init_assignment(env->vars[i]))
			return false;
	return true;
}

/* Turn the arguments into a request; false after printing why not. */
static bool
build_request(const TelinitArgs *args, SysvRequest *req)
{
	const char *const *env = (const char *const *)env_vars(&args->env);

	*req = (SysvRequest){ .sleeptime = args->sleeptime };
	if (args->nargs == 0) {
		if (!all_init_assignments(&args->env)) {
			cli_usage_error("missing runlevel");
			return false;
		}
		req->kind = SYSV_REQUEST_INIT_ENV;
		req->env = env;
		return true;
	}
	if (!sysv_request_parse_level(args->level, &req->kind, &req->level)) {
		cli_usage_error("illegal runlevel: %s", args->level);
		return false;
	}
	if (req->kind == SYSV_REQUEST_RUNLEVEL) {
		/* Upstart: event variables.  sysvinit has no such thing, so
		 * on its FIFO they become a SETENV before the change, which
		 * is what its shutdown does with INIT_HALT. */
		req->env = env;
		req->fifo_setenv = env;
	}
	return true;
}

int
telinit_main(int argc, char **argv)
{
	TelinitArgs    args = { .sleeptime = SYSV_REQUEST_SLEEPTIME };
	SysvRequest    req;
	CliParseResult result;
	int            status = 1;

	cli_init(argc > 0 ? argv[0] : "telinit");
	cli_set_priority(CLI_MESSAGE);
	env_init(&args.env);
	result = cli_parse(telinit_options, argc, (const char **)argv, false,
			   on_option, on_arg, &args);
	if (!tool_parse_finished(result, &telinit_help, &status)
	    && build_request(&args, &req) && tool_require_root())
		status = transport_deliver(&req);
	env_clear(&args.env);
	free(args.level);
	return status;
}
