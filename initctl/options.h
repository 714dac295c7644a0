/* options — initctl's command line, parsed with popt, reported like libnih.
 *
 * The command line is read in two passes, as libnih's command parser
 * does: the global options up to the first non-option argument (the
 * command), then that command's own options together with the global
 * ones over the rest, where options and arguments may be interleaved and
 * `--` ends the options.  When initctl is run under a command's name
 * (the start/stop/... links) only the second pass runs, over all of argv.
 *
 * Every popt entry carries an OptionId in `val` and no `arg` pointer;
 * options.c maps the id to a field of InitctlOptions through one table.
 * Errors are printed in libnih's words (`invalid option: -x`, `missing
 * argument: --socket`, ...) followed by the --help hint; that part, shared
 * with the SysV tools, is cli_parse() in lib/cli.h.
 */
#ifndef UPINIT_INITCTL_OPTIONS_H
#define UPINIT_INITCTL_OPTIONS_H

#include <stdbool.h>

#include <popt.h>

#include "initctl/messages.h"
#include "lib/strlist.h"

/* The `val` of every popt entry initctl defines. */
typedef enum option_id {
	OPT_SESSION = 1,
	OPT_SYSTEM,
	OPT_DEST,
	OPT_USER,
	OPT_SOCKET,
	OPT_QUIET,
	OPT_VERBOSE,
	OPT_DEBUG,
	OPT_HELP,
	OPT_VERSION,
	OPT_NO_WAIT,
	OPT_ENUMERATE,
	OPT_IGNORE_EVENTS,
	OPT_WARN,
	OPT_GLOBAL,
	OPT_RETAIN,
	OPT_EMIT_ENV,
	OPT_JSON,
	OPT_SVG,
	OPT_INPUT,
	OPT_COUNT,
} OptionId;

/* Everything the command line can set.  Owns its strings and lists. */
typedef struct initctl_options {
	MsgPriority priority;       /* -q / -v / --debug */
	bool        session;        /* --session: accepted, ignored */
	bool        system;         /* --system: accepted, ignored */
	bool        user;           /* --user: user-mode socket path */
	char       *dest;           /* --dest NAME: only valid with --system */
	char       *socket;         /* --socket PATH */
	bool        no_wait;        /* -n */
	bool        enumerate;      /* show-config -e */
	bool        warn;           /* check-config -w */
	bool        global;         /* -g on the env commands */
	bool        retain;         /* set-env -r */
	StrList     ignore_events;  /* check-config -i LIST (split at commas) */
	StrList     emit_env;       /* emit -e KEY=VALUE (the 0.6 form) */
	bool        json;           /* --json: the reply as one JSON document */
	bool        svg;            /* timeline --svg */
	char       *input;          /* timeline --input FILE: a saved --json */
	char       *count;          /* history -n N */
} InitctlOptions;

/* What a parse pass found. */
typedef enum parse_result {
	PARSE_OK,
	PARSE_ERROR,    /* already reported; exit 1 */
	PARSE_HELP,     /* --help seen: print help, exit 0 */
	PARSE_VERSION,  /* --version seen: print version, exit 0 */
} ParseResult;

/* The global options (libnih's defaults included), for --help and for
 * inclusion in every command's table. */
extern const struct poptOption options_global[];

void options_init(InitctlOptions *opts);
void options_free(InitctlOptions *opts);

/* Parse argv[1..argc) against `table`, setting `opts` and appending the
 * non-option arguments to `args`.  With `stop_at_command` everything from
 * the first non-option argument on is left as arguments (the first pass).
 * --help and --version stop parsing where they stand, as in libnih. */
ParseResult options_parse(const struct poptOption *table, int argc,
			  const char **argv, bool stop_at_command,
			  InitctlOptions *opts, StrList *args);

#endif
