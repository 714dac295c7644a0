/* initctl — the control tool of upinit, command-line compatible with
 * Upstart's initctl and its start/stop/restart/reload/status links.
 *
 * main() only sequences the steps: read the command line (options.c),
 * pick the command (commands.c), build its request and let client.c
 * carry it to init and print the answer.  Every exit status comes from
 * one of those steps; nothing below exits the process directly, so all
 * memory is released on every path.
 */
#include <locale.h>
#include <signal.h>
#include <stdlib.h>

#include "initctl/client.h"
#include "initctl/commands.h"
#include "initctl/help.h"
#include "initctl/messages.h"
#include "initctl/options.h"
#include "lib/strlist.h"

/* Print what --help or --version asked for; true when the parse result
 * was one of them (the command is then done, exit 0). */
static bool
handle_info_request(ParseResult result, const CommandSpec *spec, bool by_name)
{
	if (result == PARSE_VERSION)
		cli_print_version();
	else if (result == PARSE_HELP && spec != NULL)
		help_print_command(spec, by_name);
	else if (result == PARSE_HELP)
		help_print_main();
	return result == PARSE_HELP || result == PARSE_VERSION;
}

/* Build the request for `call` and send it, or run a local command. */
static int
dispatch(const CommandCall *call)
{
	struct json_object *request = NULL;
	int                 status;

	if (call->spec->local != NULL)
		return call->spec->local(call);
	if (call->spec->build(call, &request) < 0)
		return 1;
	status = client_run(call, request);
	json_object_put(request);
	return status;
}

/* Parse a command's options over argv[1..argc) and run it.  `by_name`
 * is true when initctl was invoked under the command's name. */
static int
run_command(const CommandSpec *spec, bool by_name, int argc, char **argv,
	    InitctlOptions *opts)
{
	StrList     args = STRLIST_INIT;
	ParseResult result;
	CommandCall call;
	int         status = 1;

	result = options_parse(spec->options, argc, (const char **)argv,
			       false, opts, &args);
	if (handle_info_request(result, spec, by_name))
		status = 0;
	else if (result == PARSE_OK) {
		msg_set_priority(opts->priority);
		call = (CommandCall){
			.spec = spec,
			.opts = opts,
			.args = args.items != NULL ? args.items : (char *[]){ NULL },
			.nargs = args.len,
		};
		status = dispatch(&call);
	}
	strlist_free(&args);
	return status;
}

/* `initctl [OPTION]... COMMAND ...`: the global options, then the
 * command with the rest of the line (its own name as argv[0]). */
static int
run_initctl(int argc, char **argv, InitctlOptions *opts)
{
	StrList            rest = STRLIST_INIT;
	const CommandSpec *spec = NULL;
	ParseResult        result;
	int                status = 1;

	result = options_parse(options_global, argc, (const char **)argv,
			       true, opts, &rest);
	if (handle_info_request(result, NULL, false))
		status = 0;
	else if (result != PARSE_OK)
		status = 1;
	else if (rest.len == 0)
		msg_usage_error("missing command");
	else if ((spec = command_find(rest.items[0])) == NULL)
		msg_usage_error("invalid command: %s", rest.items[0]);
	else
		status = run_command(spec, false, (int)rest.len, rest.items, opts);
	strlist_free(&rest);
	return status;
}

/* If a monitor was stopped by a signal, die of that signal now that
 * everything is released, so the caller sees the usual status. */
static void
reraise_caught_signal(void)
{
	int sig = client_caught_signal();

	if (sig == 0)
		return;
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Run under a command's name (a job link) or as initctl.  The locale is
 * the user's, for strerror() texts and list-env's strcoll() order. */
int
main(int argc, char **argv)
{
	InitctlOptions     opts;
	const CommandSpec *spec;
	int                status;

	if (argc < 1)
		return 1;
	setlocale(LC_ALL, "");
	msg_init(argv[0]);
	options_init(&opts);

	spec = command_find(msg_program());
	if (spec != NULL)
		status = run_command(spec, true, argc, argv, &opts);
	else
		status = run_initctl(argc, argv, &opts);

	options_free(&opts);
	reraise_caught_signal();
	return status;
}
