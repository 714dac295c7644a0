/* tool_common — the pieces every SysV tool's command line shares.
 *
 * libnih gave each Upstart tool -q/--quiet, -v/--verbose, --debug (hidden),
 * --help and --version; the tables below are those, split in two because
 * shutdown's -q is sysvinit's "fewer warnings", not libnih's "quiet".
 * A tool includes them in its own popt table (POPT_ARG_INCLUDE_TABLE) and
 * passes every option id it does not know to tool_common_option().
 * Ids TOOL_OPT_FIRST and up are reserved for these.
 */
#ifndef UPINIT_TOOL_COMMON_H
#define UPINIT_TOOL_COMMON_H

#include <stdbool.h>

#include <popt.h>

#include "lib/cli.h"

enum tool_common_option {
	TOOL_OPT_FIRST = 1000,
	TOOL_OPT_QUIET = TOOL_OPT_FIRST,
	TOOL_OPT_VERBOSE,
	TOOL_OPT_DEBUG,
	TOOL_OPT_HELP,
	TOOL_OPT_VERSION,
};

/* -q/--quiet, -v/--verbose, --debug. */
extern const struct poptOption tool_options_verbosity[];
/* -v/--verbose and --debug only (shutdown). */
extern const struct poptOption tool_options_verbose[];
/* --help, --version. */
extern const struct poptOption tool_options_info[];

/* What --help prints for a tool (see cli_print_help()). */
typedef struct tool_help {
	const char              *usage;
	const char              *synopsis;
	const struct poptOption *table;
	const char              *footer;
} ToolHelp;

/* Apply shared option `id`; returns the parse result it means
 * (CLI_PARSE_ERROR for an id that is not a shared one). */
CliParseResult tool_common_option(int id);

/* After cli_parse(): print --help or --version when asked.  Returns true
 * when the tool is done, with its exit status in *status (0 after help or
 * version, 1 after a parse error); false to go on. */
bool tool_parse_finished(CliParseResult result, const ToolHelp *help,
			 int *status);

/* The root check every tool makes before it acts: false after printing
 * "PROG: Need to be root". */
bool tool_require_root(void);

/* -t SECONDS of telinit and shutdown: whole seconds as the FIFO's
 * sleeptime field takes them (0..INITREQ_SLEEPTIME_MAX); otherwise
 * `illegal argument: ARG` and CLI_PARSE_ERROR. */
CliParseResult tool_parse_sleeptime(const char *arg, int *sleeptime);

#endif
