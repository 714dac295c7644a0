/* control — the control socket: requests from initctl and friends.
 *
 * Init listens on a SOCK_SEQPACKET socket (lib/proto.h).  Each client
 * sends requests and gets exactly one reply per request.  Clients that
 * asked to wait (start, stop, restart, emit) are parked as Waiters in the
 * blocking list of the job or event and answered when it is done.
 * Clients are bounded in number, requests in size; a client that never
 * reads its replies is dropped rather than blocking init.
 *
 * Ownership: control owns its clients.  A Waiter is owned by the
 * BlockedList it sits in; it names its client by id, so a client that
 * went away is simply not answered.
 */
#ifndef UPINIT_CONTROL_H
#define UPINIT_CONTROL_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct job;

typedef enum waiter_kind {
	WAITER_START,
	WAITER_STOP,
	WAITER_RESTART,
	WAITER_EMIT,
} WaiterKind;

typedef struct waiter {
	uint64_t   client_id;
	WaiterKind kind;
	char      *class_name;   /* for the reply when the job is gone */
} Waiter;

/* Answer and free a waiter: `job` (may be NULL) is the instance whose
 * status is printed on success. */
void waiter_finish(Waiter *waiter, struct job *job, bool failed);

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
bool control_user_mode(void);
void control_set_user_mode(bool user_mode);
/* Program name for `initctl version`. */
void control_set_program(const char *argv0);

/* Hook for a stateful re-exec (telinit u); it does not return when the
 * re-exec works. */
void control_set_reexec_hook(void (*fn)(void));

/* Re-exec: make the socket and client descriptors survive exec (or not
 * again), and write/read them with the clients' ids and state. */
struct json_object;
void control_inherit(bool inherit);
struct json_object *control_serialise(void);
int  control_deserialise(struct json_object *obj);

/* Hook for reload-configuration (set by main). */
void control_set_reload_hook(void (*fn)(void));

#endif
