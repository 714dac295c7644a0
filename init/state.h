/* state — stateful re-exec (telinit u, SIGTERM to PID 1, a package
 * upgrade, a crash).
 *
 * Everything init holds — job instances with their goals, states, pids,
 * environments and respawn history, the definitions they run with,
 * pending and blocked events, partly matched `start on` expressions,
 * waiting control clients, the runlevel, the control socket, the
 * /run/initctl FIFO and the job log ptys — is written as one JSON
 * document (format "v":1) into a memory file that the new image inherits
 * (`--restart --state-fd N`).  Descriptors that must survive are made
 * inheritable just before exec and close-on-exec again if exec fails.
 *
 * Each module with state has its serialise/deserialise pair; this module
 * walks them in order and ties ids back to pointers.
 */
#ifndef UPINIT_STATE_H
#define UPINIT_STATE_H

#include <stdbool.h>
#include <stddef.h>

struct json_object;

/* Serialise and exec `argv` (the original command line: --restart and
 * --state-fd are replaced).  Returns only when it failed (logged);
 * init then carries on as it was. */
void state_reexec(char **argv);

/* In the new image: read the state from `fd` (then closed) and rebuild.
 * Returns 0, or -1 when the state could not be read (init then starts
 * as after a stateless re-exec: configuration loaded, no jobs). */
int  state_restore(int fd);

/* How many words at argv[i] belong to an earlier re-exec (--restart,
 * --state-fd N, --state-fd=N) and are left out of the next command line:
 * 0, 1 or 2.  Allocates nothing (the crash handler's setup uses it). */
int  state_restart_words(char *const *argv, size_t i);

/* Make the descriptors the new image needs survive exec, or not. */
void state_inherit(bool inherit);

/* The document itself (tests; state_reexec uses it). */
struct json_object *state_serialise(void);
int  state_deserialise(struct json_object *state);

#endif
