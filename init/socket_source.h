/* socket_source — socket activation: listening sockets as `socket` events.
 *
 * A job that says `start on socket PROTO=inet PORT=8080 ADDR=127.0.0.1`
 * (or PROTO=inet6, or PROTO=unix PATH=/run/x.sock, PATH=@abstract) gets a
 * listening socket made by init when its file is loaded.  Init never
 * accepts: when the socket becomes readable it emits `socket` with the
 * socket's variables and the socket attached to the event; the instance
 * that event starts takes the socket (a SocketSet) and its main process
 * gets it as descriptor 3 (job_process.c).  While any instance holds the
 * socket init does not watch it; when the last one lets go (the instance
 * ends), init watches it again, so a client that connected meanwhile
 * starts the job again.
 *
 * Bounds: one event per socket is in flight at a time; when nobody took
 * it (the job was running already, or its condition needs more), only a
 * connection that came since fires again, not the ones still waiting; a
 * job that keeps failing (a daemon that cannot start, and so never
 * accepts what waits) is held back five seconds after ten failures in
 * five seconds.
 *
 * Ownership: a SocketSource is reference counted.  The references are:
 * "wanted" (a registered job names it: one reference while true), each
 * event carrying it, and each SocketSet entry.  The last one closes the
 * descriptor (and removes a unix socket's file) and frees it.
 */
#ifndef UPINIT_SOCKET_SOURCE_H
#define UPINIT_SOCKET_SOURCE_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/environ.h"

struct json_object;

typedef struct socket_source SocketSource;

/* The sockets an instance holds, in the order of its condition: its main
 * process gets them as descriptors 3, 4, ... */
#define SOCKET_SET_MAX 6

typedef struct socket_set {
	SocketSource *s[SOCKET_SET_MAX];
	size_t        n;
} SocketSet;

/* ---- the job file's side ---- */

/* Check a `socket` condition's arguments ("PROTO=inet", "PORT=80", ...):
 * NULL when they name a socket, else a static message ("PORT missing",
 * "unknown variable FOO", "ADDR is not an IPv4 address", ...). */
const char *socket_spec_check(char *const *args, bool user_mode);

/* ---- keeping the sockets the loaded jobs name ---- */

/* A sync: mark every socket unwanted, say which are wanted (making new
 * ones; `origin` is the job file, for messages), then drop the rest. */
void socket_source_begin_sync(void);
void socket_source_want(char *const *args, const char *origin);
void socket_source_end_sync(void);

void socket_source_set_user_mode(bool user_mode);

/* ---- events and instances ---- */

SocketSource *socket_source_ref(SocketSource *s);
void          socket_source_unref(SocketSource *s);
/* The listening descriptor (for the main process to inherit). */
int           socket_source_fd(const SocketSource *s);
/* "inet 127.0.0.1:8080", "unix /run/x.sock": for messages and causes. */
const char   *socket_source_name(const SocketSource *s);

/* The event carrying `s` is finished (or dropped): drops its reference,
 * and watches the socket again when no instance took it. */
void          socket_source_event_done(SocketSource *s);

/* A SocketSet's entries each hold a reference and "lend" the socket:
 * while lent, init does not watch it; given back by the last holder, it
 * is watched again at once (connections waiting fire straight away). */
int           socket_set_add(SocketSet *set, SocketSource *s);
void          socket_set_clear(SocketSet *set);
/* The same, for an instance that ended: `failed` counts towards holding
 * the socket back. */
void          socket_set_release(SocketSet *set, bool failed);
/* Move `src` into `dst` (letting go of what `dst` held). */
void          socket_set_move(SocketSet *dst, SocketSet *src);

/* ---- re-exec ---- */

/* Descriptors stay open across the exec when `inherit`. */
void          socket_source_inherit(bool inherit);
/* The sockets as a JSON array: name, descriptor, variables. */
struct json_object *socket_source_serialise(void);
/* Take back the sockets of a previous image (before the first sync,
 * which keeps those still wanted and closes the rest). */
void          socket_source_deserialise(struct json_object *array);
/* A restored `socket` event carries `s` again (one more reference). */
void          socket_source_event_restored(SocketSource *s);
/* The socket named `name` (socket_source_name), or NULL. */
SocketSource *socket_source_find(const char *name);

/* Close everything (tests, valgrind). */
void          socket_source_free_all(void);

#endif
