/* control — the control socket server: clients, requests and replies.
 *
 * Init listens on a SOCK_SEQPACKET socket (lib/proto.h).  Each client
 * sends requests and gets exactly one reply per request.  Clients that
 * asked to wait (start, stop, restart, emit) are parked as Waiters in the
 * blocking list of the job or event and answered when it is done.
 * Clients are bounded in number, requests in size; a client that never
 * reads its replies is dropped rather than blocking init.
 *
 * This module is the plumbing only: it knows no command.  Each layer adds
 * a table of commands with control_add_commands(): the core's are in
 * control_commands.c, the SysV layer's (runlevel, telinit, …) in
 * sysv/sysv_commands.c.  A command gets the request and answers it with
 * control_reply() or control_reply_error(), at once or, for a waiting
 * client, through control_park().
 *
 * Ownership: control owns its clients.  A Waiter (blocked.h) is owned by
 * the BlockedList it sits in; it names its client by id, so a client
 * that went away is simply not answered.  Control answers released
 * waiters through the handler it registers with blocked.h.  Command
 * tables are borrowed and must live as long as init.
 */
#ifndef UPINIT_CONTROL_H
#define UPINIT_CONTROL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "lib/environ.h"
#include "init/blocked.h"

struct json_object;
struct control_client;

/* One request being handled.  Valid only during the command's call. */
typedef struct control_request {
	struct control_client *client;   /* the server's; not for commands */
	struct json_object    *msg;      /* the decoded request, borrowed */
	const char            *cmd;
} ControlRequest;

typedef struct control_command {
	const char *name;                /* "cmd" of the request */
	void      (*fn)(ControlRequest *r);
} ControlCommand;

/* Add `n` commands (the table is borrowed).  The first table to name a
 * command wins.  Returns 0, or -1 when too many tables were added. */
int  control_add_commands(const ControlCommand *table, size_t n);

/* ---- answering a request: each request gets exactly one reply ---- */

/* Send `reply` (consumed).  A client that cannot take it is dropped. */
void control_reply(ControlRequest *r, struct json_object *reply);
/* Reply with status 1 and the message. */
void control_reply_error(ControlRequest *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* May the client change things (root or the owner)?  Replies "You do not
 * have permission to WHAT" and returns false when not. */
bool control_may_change(ControlRequest *r, const char *what);
/* Is the client root or the owner?  Others may read what init does, not
 * the values jobs and emitters gave it (event variables beyond the
 * public ones, command lines). */
bool control_privileged(ControlRequest *r);
/* May the client read job environments (root or the owner: they hold
 * what jobs were started with, passwords included)?  Replies "You do not
 * have permission to read job environment" and returns false when not. */
bool control_may_read_env(ControlRequest *r);
/* The request's "env" list appended to `env`; false (after replying, env
 * cleared) when it is not a list of KEY=VALUE strings. */
bool control_request_env(ControlRequest *r, EnvList *env);
/* The request's "vars" list (the array is the caller's to free, the
 * strings are borrowed from the request); NULL, after replying "missing
 * variable name", when it is absent, empty or not a list of strings. */
const char **control_request_vars(ControlRequest *r, size_t *n);
/* Park the client in `list` when it asked to wait ("wait", default true,
 * and not "self"): the reply comes when the list is released.  False
 * when the caller must reply now. */
bool control_park(ControlRequest *r, BlockedList *list, WaiterKind kind,
		  const char *class_name);
/* From now on the client gets every event as a message (initctl
 * monitor).  The caller still replies to the request. */
void control_request_monitor(ControlRequest *r);

/* ---- the socket ---- */

/* Listen on `path` (created, mode 0666; the parent directory is made).
 * Returns 0 or -1 with errno. */
int  control_listen(const char *path);
/* Listen again when the socket file is gone or another file stands at
 * its path (a new /run mounted over it, as Debian's mountall.sh does).
 * Returns 0 or -1. */
int  control_check(void);
/* Close the socket and every client. */
void control_close(void);
/* Requests that change something are allowed from this uid (and root). */
void control_set_owner(uid_t uid);
/* A private socket (a user init's, unless --open-socket) answers only
 * its owner and root: its file is 0600 and other users' connections are
 * closed as they come.  Otherwise the file is 0666 and other users may
 * read (status, list), not change anything.  Call before listening. */
void control_set_private(bool private_socket);

/* Re-exec: make the socket and client descriptors survive exec (or not
 * again), and write/read them with the clients' ids and state. */
void control_inherit(bool inherit);
struct json_object *control_serialise(void);
int  control_deserialise(struct json_object *obj);

#endif
