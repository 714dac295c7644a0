/* tool_common — see tool_common.h. */
#include "telinit/tool_common.h"

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "sysv/initctl_fifo.h"

const struct poptOption tool_options_verbosity[] = {
	{ "quiet", 'q', POPT_ARG_NONE, NULL, TOOL_OPT_QUIET,
	  "reduce output to errors only", NULL },
	{ "verbose", 'v', POPT_ARG_NONE, NULL, TOOL_OPT_VERBOSE,
	  "increase output to include informational messages", NULL },
	{ "debug", 0, POPT_ARG_NONE, NULL, TOOL_OPT_DEBUG, NULL, NULL },
	POPT_TABLEEND
};

const struct poptOption tool_options_verbose[] = {
	{ "verbose", 'v', POPT_ARG_NONE, NULL, TOOL_OPT_VERBOSE,
	  "increase output to include informational messages", NULL },
	{ "debug", 0, POPT_ARG_NONE, NULL, TOOL_OPT_DEBUG, NULL, NULL },
	POPT_TABLEEND
};

const struct poptOption tool_options_info[] = {
	{ "help", 0, POPT_ARG_NONE, NULL, TOOL_OPT_HELP,
	  "display this help and exit", NULL },
	{ "version", 0, POPT_ARG_NONE, NULL, TOOL_OPT_VERSION,
	  "output version information and exit", NULL },
	POPT_TABLEEND
};

CliParseResult
tool_common_option(int id)
{
	switch (id) {
	case TOOL_OPT_QUIET:
		cli_set_priority(CLI_ERROR);
		return CLI_PARSE_OK;
	case TOOL_OPT_VERBOSE:
		cli_set_priority(CLI_INFO);
		return CLI_PARSE_OK;
	case TOOL_OPT_DEBUG:
		cli_set_priority(CLI_DEBUG);
		return CLI_PARSE_OK;
	case TOOL_OPT_HELP:
		return CLI_PARSE_HELP;
	case TOOL_OPT_VERSION:
		return CLI_PARSE_VERSION;
	default:
		return CLI_PARSE_ERROR;
	}
}

bool
tool_parse_finished(CliParseResult result, const ToolHelp *help, int *status)
{
	switch (result) {
	case CLI_PARSE_OK:
		return false;
	case CLI_PARSE_HELP:
		cli_print_help(help->usage, help->synopsis, help->table,
			       help->footer);
		*status = 0;
		return true;
	case CLI_PARSE_VERSION:
		cli_print_version();
		*status = 0;
		return true;
	default:
		*status = 1;
		return true;
	}
}

bool
tool_require_root(void)
{
	if (geteuid() == 0)
		return true;
	cli_error("Need to be root");
	return false;
}

CliParseResult
tool_parse_sleeptime(const char *arg, int *sleeptime)
{
	char *end;
	long  n;

	errno = 0;
	n = strtol(arg, &end, 10);
	if (*arg == '\0' || *end != '\0' || errno != 0 || n < 0
	    || n > INITREQ_SLEEPTIME_MAX) {
		cli_usage_error("illegal argument: %s", arg);
		return CLI_PARSE_ERROR;
	}
	*sleeptime = (int)n;
	return CLI_PARSE_OK;
}
