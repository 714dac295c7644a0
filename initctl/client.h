/* client — one exchange with the init daemon over the control socket.
 *
 * Connects to the socket the options name, sends the request, prints the
 * reply the way the protocol says (lines on stdout unless -q, "PROG:
 * error" on stderr) and returns the reply's exit status.  For monitor it
 * then prints each event init streams until init goes away or a signal
 * arrives.  Never hangs when no init is listening: a failed connect is
 * reported in one line naming the socket tried.
 */
#ifndef UPINIT_INITCTL_CLIENT_H
#define UPINIT_INITCTL_CLIENT_H

#include <json-c/json.h>

#include "initctl/commands.h"

/* Send `request` for `call` and handle the reply; returns the exit status. */
int client_run(const CommandCall *call, struct json_object *request);

/* Print the reply's "lines" on stdout, as every reply's are (unless
 * -q); `flags` are the command's (COMMAND_SORT_LINES).  For renderers
 * that print text unless asked for something else. */
void client_print_lines(struct json_object *reply, unsigned flags);

/* The signal that interrupted a monitor, or 0.  main() re-raises it after
 * cleaning up, so the shell sees the tool die of it as it expects. */
int client_caught_signal(void);

#endif
