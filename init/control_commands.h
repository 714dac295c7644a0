/* control_commands — the core's control commands: start, stop, restart,
 * reload, status, list, emit, monitor, reload-configuration, version,
 * log-priority, show-config, check-config, usage,
 * notify-disk-writeable, the job environment (get-env, list-env,
 * set-env, unset-env, reset-env) and reexec.  Their requests and replies
 * are described in docs/control-protocol.md.
 *
 * Ownership: nothing here is allocated; the hooks are borrowed.
 */
#ifndef UPINIT_CONTROL_COMMANDS_H
#define UPINIT_CONTROL_COMMANDS_H

#include <stdbool.h>

/* Add the core's table to the control server (control.h). */
void control_commands_register(void);

/* A user init lets its owner change the job environment table; PID 1
 * refuses (its jobs' environment comes from their files). */
bool control_user_mode(void);
void control_set_user_mode(bool user_mode);
/* Program name for `initctl version`. */
void control_set_program(const char *argv0);
/* What reload-configuration does (set by main). */
void control_set_reload_hook(void (*fn)(void));
/* What reexec (telinit u) does; it does not return when the re-exec
 * works.  NULL: the request is refused. */
void control_set_reexec_hook(void (*fn)(void));

#endif
