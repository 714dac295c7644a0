/* commands — the table of initctl commands and the requests they send.
 *
 * One row per command: its name, the words --help and `help` show, its
 * group, its popt options, and either a builder that turns the parsed
 * command line into one protocol request (see lib/proto.h) or a local
 * handler for the commands that need no daemon.  Builders do every check
 * Upstart's initctl does before it connects (`missing job name`, ...),
 * so those errors appear even when no init is running.
 */
#ifndef UPINIT_INITCTL_COMMANDS_H
#define UPINIT_INITCTL_COMMANDS_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>
#include <popt.h>

#include "initctl/options.h"

/* The sections of `initctl help`, in the order they are printed. */
typedef enum command_group {
	GROUP_JOB,
	GROUP_EVENT,
	GROUP_ENV,
	GROUP_OTHER,
} CommandGroup;

/* How the reply to a command is handled. */
enum command_flags {
	COMMAND_SORT_LINES = 1 << 0,  /* sort "lines" with strcoll (list-env) */
	COMMAND_STREAM     = 1 << 1,  /* events follow the reply (monitor) */
};

typedef struct command_spec CommandSpec;

/* One invocation: the command, the parsed options and its arguments. */
typedef struct command_call {
	const CommandSpec    *spec;
	const InitctlOptions *opts;
	char *const          *args;   /* NULL-terminated */
	size_t                nargs;
} CommandCall;

/* Build the request for `call` into *request (caller puts it).  Returns 0,
 * or -1 after printing the error (exit status 1). */
typedef int (*CommandBuilder)(const CommandCall *call,
			      struct json_object **request);
/* Run a command that needs no daemon; returns the exit status. */
typedef int (*CommandLocal)(const CommandCall *call);
/* Print a valid reply in the command's own way (records, JSON) instead
 * of its lines; returns the exit status.  The error, if any, is printed
 * by the client. */
typedef int (*CommandRender)(const CommandCall *call, struct json_object *reply);

struct command_spec {
	const char              *name;
	const char              *usage;     /* arguments, for --help; or NULL */
	const char              *synopsis;  /* one line, for `help` */
	const char              *help;      /* paragraph, for --help; or NULL */
	CommandGroup             group;
	const struct poptOption *options;   /* includes options_global */
	CommandBuilder           build;     /* exactly one of build/local */
	CommandLocal             local;
	unsigned                 flags;     /* enum command_flags */
	CommandRender            render;    /* or NULL: print the lines */
};

/* The command called `name`, or NULL. */
const CommandSpec *command_find(const char *name);
/* All commands, in table order; the last row has name NULL. */
const CommandSpec *command_table(void);
/* "Job", "Event", "Environment"; NULL for GROUP_OTHER. */
const char        *command_group_title(CommandGroup group);

#endif
