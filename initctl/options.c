/* options — see options.h. */
#include "options.h"

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
	strlist_free(&opts->ignore_events);
	strlist_free(&opts->emit_env);
	options_init(opts);
}

/* Apply the option popt just returned, with its argument if any. */
static ParseResult
apply_option(poptContext ctx, int id, InitctlOptions *opts)
{
	char       *arg = poptGetOptArg(ctx);
	ParseResult result = PARSE_ERROR;

	for (size_t i = 0; i < sizeof(option_actions) / sizeof(*option_actions); i++)
		if ((int)option_actions[i].id == id) {
			result = option_actions[i].apply(opts, &option_actions[i], arg);
			break;
		}
	free(arg);
	return result;
}

/* True for the entry that ends a popt table. */
static bool
is_table_end(const struct poptOption *opt)
{
	return opt->longName == NULL && opt->shortName == '\0'
		&& opt->argInfo == 0;
}

/* The entry for short option `c` in `table` or the tables it includes. */
static const struct poptOption *
find_short(const struct poptOption *table, char c)
{
	for (const struct poptOption *opt = table; !is_table_end(opt); opt++) {
		const struct poptOption *found = NULL;

		if ((opt->argInfo & POPT_ARG_MASK) == POPT_ARG_INCLUDE_TABLE)
			found = find_short(opt->arg, c);
		else if (opt->shortName == c)
			found = opt;
		if (found != NULL)
			return found;
	}
	return NULL;
}

/* libnih names the one bad letter of a short-option cluster ("-nx" is
 * `invalid option: -x`); popt only knows the whole word, so walk it the
 * way libnih does: letters until one is unknown, stopping at a letter
 * that takes the rest of the word as its argument. */
static int
first_unknown_short(const struct poptOption *table, const char *word)
{
	for (const char *p = word + 1; *p != '\0'; p++) {
		const struct poptOption *opt = find_short(table, *p);

		if (opt == NULL)
			return (unsigned char)*p;
		if ((opt->argInfo & POPT_ARG_MASK) == POPT_ARG_STRING)
			break;
	}
	return -1;
}

/* Report an unknown option, or an argument given to a flag, as libnih
 * words it. */
static void
report_bad_option(const struct poptOption *table, const char *word, int rc)
{
	bool short_word = word[0] == '-' && word[1] != '-' && word[1] != '\0';
	int  c = short_word ? first_unknown_short(table, word) : -1;

	if (c >= 0)
		msg_usage_error("invalid option: -%c", c);
	else if (rc == POPT_ERROR_UNWANTEDARG)
		msg_usage_error("unexpected argument: %s", word);
	else
		msg_usage_error("invalid option: %s", word);
}

/* Translate a popt error code into libnih's message and hint. */
static void
report_popt_error(poptContext ctx, const struct poptOption *table, int rc)
{
	const char *word = poptBadOption(ctx, POPT_BADOPTION_NOALIAS);

	if (word == NULL)
		word = "";
	switch (rc) {
	case POPT_ERROR_BADOPT:
	case POPT_ERROR_UNWANTEDARG:
		report_bad_option(table, word, rc);
		break;
	case POPT_ERROR_NOARG:
		msg_usage_error("missing argument: %s", word);
		break;
	default:
		msg_usage_error("%s: %s", word, poptStrerror(rc));
		break;
	}
}

/* Environment variables that make popt stop at the first argument; libnih
 * ignores them, and honouring them would stop `start JOB -n` working. */
static const char *const posix_vars[] = { "POSIXLY_CORRECT", "POSIX_ME_HARDER" };
#define N_POSIX_VARS (sizeof(posix_vars) / sizeof(*posix_vars))

/* A popt context over argv that ignores posix_vars (they are hidden while
 * popt reads them and put back afterwards). */
static poptContext
new_context(const struct poptOption *table, int argc, const char **argv,
	    bool stop_at_command)
{
	char       *saved[N_POSIX_VARS];
	poptContext ctx;

	for (size_t i = 0; i < N_POSIX_VARS; i++) {
		const char *val = getenv(posix_vars[i]);

		saved[i] = val != NULL ? strdup(val) : NULL;
		unsetenv(posix_vars[i]);
	}
	ctx = poptGetContext(NULL, argc, argv, table,
			     stop_at_command ? POPT_CONTEXT_POSIXMEHARDER : 0);
	for (size_t i = 0; i < N_POSIX_VARS; i++) {
		if (saved[i] != NULL)
			setenv(posix_vars[i], saved[i], 1);
		free(saved[i]);
	}
	return ctx;
}

/* Copy popt's leftover arguments (which it owns) into `args`. */
static ParseResult
collect_args(poptContext ctx, StrList *args)
{
	const char **left = poptGetArgs(ctx);

	for (; left != NULL && *left != NULL; left++)
		if (!strlist_push(args, *left)) {
			msg_error("Cannot allocate memory");
			return PARSE_ERROR;
		}
	return PARSE_OK;
}

/* One parse pass; see options.h. */
ParseResult
options_parse(const struct poptOption *table, int argc, const char **argv,
	      bool stop_at_command, InitctlOptions *opts, StrList *args)
{
	poptContext ctx = new_context(table, argc, argv, stop_at_command);
	ParseResult result = PARSE_OK;
	int         rc = -1;

	if (ctx == NULL) {
		msg_error("Cannot allocate memory");
		return PARSE_ERROR;
	}
	while (result == PARSE_OK && (rc = poptGetNextOpt(ctx)) > 0)
		result = apply_option(ctx, rc, opts);
	if (result == PARSE_OK && rc < -1) {
		report_popt_error(ctx, table, rc);
		result = PARSE_ERROR;
	}
	if (result == PARSE_OK)
		result = collect_args(ctx, args);
	poptFreeContext(ctx);
	return result;
}
