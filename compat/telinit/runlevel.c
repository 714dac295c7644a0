/* runlevel — print the previous and current runlevel.
 *
 * `N 2` (previous, current) on stdout and exit 0, or `unknown` and exit 1;
 * -q keeps the exit status and prints nothing.  The answer comes from
 * level_query.h: upinit first, then $RUNLEVEL/$PREVLEVEL, utmp and
 * /var/run/runlevel.  Given a UTMP file, only that file is read.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/cli.h"
#include "telinit/level_query.h"
#include "telinit/telinit.h"
#include "telinit/tool_common.h"
#include "telinit/tool_paths.h"

static const struct poptOption runlevel_options[] = {
	{ NULL, 0, POPT_ARG_INCLUDE_TABLE, (void *)tool_options_verbosity, 0, NULL, NULL },
	{ NULL, 0, POPT_ARG_INCLUDE_TABLE, (void *)tool_options_info, 0, NULL, NULL },
	POPT_TABLEEND
};

static const ToolHelp runlevel_help = {
	.usage = "[UTMP]",
	.synopsis = "Output previous and current runlevel.",
	.table = runlevel_options,
	.footer =
	"The running init is asked first; when upinit does not answer, $RUNLEVEL\n"
	"and $PREVLEVEL, then the first runlevel record of /var/run/utmp, then\n"
	"/var/run/runlevel.  With UTMP, only the runlevel record of that file is\n"
	"read.\n",
};

static CliParseResult
on_option(void *data, int id, const char *arg)
{
	return tool_common_option(id);
}

/* Keep the first argument (the UTMP file); ignore the rest. */
static bool
on_arg(void *data, const char *arg)
{
	char **utmp = data;

	if (*utmp == NULL)
		*utmp = strdup(arg);
	return *utmp != NULL;
}

/* Print the answer; returns the exit status. */
static int
report(const LevelAnswer *ans)
{
	char line[4];

	if (level_known(ans)) {
		line[0] = ans->prev;
		line[1] = ' ';
		line[2] = ans->cur;
		line[3] = '\0';
		cli_out(line);
		return 0;
	}
	if (ans->error != 0) {
		cli_error("%s: %s", ans->error_path, strerror(ans->error));
		return 1;
	}
	cli_out("unknown");
	return 1;
}

int
telinit_runlevel_main(int argc, char **argv)
{
	char          *utmp = NULL;
	LevelAnswer    ans;
	CliParseResult result;
	int            status = 1;

	cli_init(argc > 0 ? argv[0] : "runlevel");
	cli_set_priority(CLI_MESSAGE);
	result = cli_parse(runlevel_options, argc, (const char **)argv, false,
			   on_option, on_arg, &utmp);
	if (!tool_parse_finished(result, &runlevel_help, &status)) {
		if (utmp != NULL)
			level_query_utmp(utmp, &ans);
		else
			level_query(&ans);
		status = report(&ans);
	}
	free(utmp);
	return status;
}
