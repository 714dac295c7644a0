/* options — see options.h. */
#include "initctl/options.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* The global options, in the order --help lists them.  libnih's own
 * defaults (-q, -v, --debug, --help, --version) come last, as libnih
 * appends them; --debug has no help text, which hides it. */
const struct poptOption options_global[] = {
	{ "session", 0, POPT_ARG_NONE, NULL, OPT_SESSION,
	  "accepted for compatibility and ignored", NULL },
	{ "system", 0, POPT_ARG_NONE, NULL, OPT_SYSTEM,
	  "accepted for compatibility and ignored", NULL },
	{ "dest", 0, POPT_ARG_STRING, NULL, OPT_DEST,
	  "accepted with --system and ignored", "NAME" },
	{ "user", 0, POPT_ARG_NONE, NULL, OPT_USER,
	  "talk to the init daemon of this user's session", NULL },
	{ "socket", 0, POPT_ARG_STRING, NULL, OPT_SOCKET,
	  "control socket of the init daemon to talk to", "PATH" },
	{ "quiet", 'q', POPT_ARG_NONE, NULL, OPT_QUIET,
	  "reduce output to errors only", NULL },
	{ "verbose", 'v', POPT_ARG_NONE, NULL, OPT_VERBOSE,
	  "increase output to include informational messages", NULL },
	{ "debug", 0, POPT_ARG_NONE, NULL, OPT_DEBUG, NULL, NULL },
	{ "help", 0, POPT_ARG_NONE, NULL, OPT_HELP,
	  "display this help and exit", NULL },
	{ "version", 0, POPT_ARG_NONE, NULL, OPT_VERSION,
	  "output version information and exit", NULL },
	POPT_TABLEEND
};

typedef struct option_action OptionAction;
typedef ParseResult (*OptionHandler)(InitctlOptions *opts,
				     const OptionAction *action,
				     const char *arg);

/* What one OptionId does: a handler and the InitctlOptions field it
 * writes, given as an offset so one small handler serves every option of
 * a kind instead of a seventeen-way switch. */
struct option_action {
	OptionId      id;
	OptionHandler apply;
	size_t        field;
	int           value;
};

/* The field `action` names inside `opts`. */
static void *
field_of(InitctlOptions *opts, const OptionAction *action)
{
	return (char *)opts + action->field;
}

/* A flag option. */
static ParseResult
set_true(InitctlOptions *opts, const OptionAction *action, const char *arg)
{
	*(bool *)field_of(opts, action) = true;
	return PARSE_OK;
}

/* -q / -v / --debug: the last one given wins, as in libnih. */
static ParseResult
set_priority(InitctlOptions *opts, const OptionAction *action, const char *arg)
{
	opts->priority = (MsgPriority)action->value;
	return PARSE_OK;
}

/* An option with one value; a repeated option replaces the earlier one. */
static ParseResult
set_string(InitctlOptions *opts, const OptionAction *action, const char *arg)
{
	char **slot = field_of(opts, action);
	char  *copy = strdup(arg != NULL ? arg : "");

	if (copy == NULL) {
		msg_error("Cannot allocate memory");
		return PARSE_ERROR;
	}
	free(*slot);
	*slot = copy;
	return PARSE_OK;
}

/* An option that may be repeated, each value kept (emit -e). */
static ParseResult
push_value(InitctlOptions *opts, const OptionAction *action, const char *arg)
{
	if (!strlist_push(field_of(opts, action), arg != NULL ? arg : "")) {
		msg_error("Cannot allocate memory");
		return PARSE_ERROR;
	}
	return PARSE_OK;
}

/* A comma-separated list option that may be repeated (check-config -i). */
static ParseResult
push_split(InitctlOptions *opts, const OptionAction *action, const char *arg)
{
	if (!strlist_push_split(field_of(opts, action), arg != NULL ? arg : "",
				',')) {
		msg_error("Cannot allocate memory");
		return PARSE_ERROR;
	}
	return PARSE_OK;
}

/* --help / --version end parsing where they stand. */
static ParseResult
stop_with(InitctlOptions *opts, const OptionAction *action, const char *arg)
{
	return (ParseResult)action->value;
}

#define FIELD(name) offsetof(InitctlOptions, name)

static const OptionAction option_actions[] = {
	{ OPT_SESSION,       set_true,     FIELD(session),       0 },
	{ OPT_SYSTEM,        set_true,     FIELD(system),        0 },
	{ OPT_DEST,          set_string,   FIELD(dest),          0 },
	{ OPT_USER,          set_true,     FIELD(user),          0 },
	{ OPT_SOCKET,        set_string,   FIELD(socket),        0 },
	{ OPT_QUIET,         set_priority, 0,                    MSG_ERROR },
	{ OPT_VERBOSE,       set_priority, 0,                    MSG_INFO },
	{ OPT_DEBUG,         set_priority, 0,                    MSG_DEBUG },
	{ OPT_HELP,          stop_with,    0,                    PARSE_HELP },
	{ OPT_VERSION,       stop_with,    0,                    PARSE_VERSION },
	{ OPT_NO_WAIT,       set_true,     FIELD(no_wait),       0 },
	{ OPT_ENUMERATE,     set_true,     FIELD(enumerate),     0 },
	{ OPT_IGNORE_EVENTS, push_split,   FIELD(ignore_events), 0 },
	{ OPT_WARN,          set_true,     FIELD(warn),          0 },
	{ OPT_GLOBAL,        set_true,     FIELD(global),        0 },
	{ OPT_RETAIN,        set_true,     FIELD(retain),        0 },
	{ OPT_EMIT_ENV,      push_value,   FIELD(emit_env),      0 },
	{ OPT_JSON,          set_true,     FIELD(json),          0 },
	{ OPT_SVG,           set_true,     FIELD(svg),           0 },
	{ OPT_INPUT,         set_string,   FIELD(input),         0 },
	{ OPT_COUNT,         set_string,   FIELD(count),         0 },
};

/* Defaults: normal messages, nothing set. */
void
options_init(InitctlOptions *opts)
{
	*opts = (InitctlOptions){ .priority = MSG_MESSAGE };
}

/* Release the strings and lists the options own. */
void
options_free(InitctlOptions *opts)
{
	free(opts->dest);
	free(opts->socket);
	free(opts->input);
	free(opts->count);
	strlist_free(&opts->ignore_events);
	strlist_free(&opts->emit_env);
	options_init(opts);
}

/* What one parse pass fills in: options go to `opts`, arguments to
 * `args`. */
typedef struct parse_target {
	InitctlOptions *opts;
	StrList        *args;
} ParseTarget;

/* cli_parse() callback: run the action of option `id`.  The handlers
 * speak ParseResult; cli_parse() speaks CliParseResult. */
static CliParseResult
apply_option(void *data, int id, const char *arg)
{
	ParseTarget *target = data;

	for (size_t i = 0; i < sizeof(option_actions) / sizeof(*option_actions); i++) {
		const OptionAction *action = &option_actions[i];

		if ((int)action->id != id)
			continue;
		switch (action->apply(target->opts, action, arg)) {
		case PARSE_OK:      return CLI_PARSE_OK;
		case PARSE_HELP:    return CLI_PARSE_HELP;
		case PARSE_VERSION: return CLI_PARSE_VERSION;
		default:            return CLI_PARSE_ERROR;
		}
	}
	return CLI_PARSE_ERROR;
}

/* cli_parse() callback: keep a copy of one non-option argument. */
static bool
push_arg(void *data, const char *arg)
{
	ParseTarget *target = data;

	if (!strlist_push(target->args, arg)) {
		msg_error("Cannot allocate memory");
		return false;
	}
	return true;
}

/* One parse pass; see options.h.  The popt work and libnih's wording of
 * errors are lib/cli.c's. */
ParseResult
options_parse(const struct poptOption *table, int argc, const char **argv,
	      bool stop_at_command, InitctlOptions *opts, StrList *args)
{
	ParseTarget target = { .opts = opts, .args = args };

	switch (cli_parse(table, argc, argv, stop_at_command, apply_option,
			  push_arg, &target)) {
	case CLI_PARSE_OK:      return PARSE_OK;
	case CLI_PARSE_HELP:    return PARSE_HELP;
	case CLI_PARSE_VERSION: return PARSE_VERSION;
	default:                return PARSE_ERROR;
	}
}
