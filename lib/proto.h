/* proto — the control protocol between init and its tools.
 *
 * Transport: a Unix-domain SOCK_SEQPACKET socket, one JSON object per
 * packet, at most PROTO_MAX_MESSAGE bytes.  Every message carries "v":1.
 *
 * Request (tool -> init), fields by command:
 *   {"v":1, "cmd":"start"|"stop"|"restart"|"reload"|"status",
 *    "job":"NAME", "env":["K=V",...], "wait":true|false}
 *   stop may add "kill_only":true (upinit-rc at shutdown): no pre-stop nor
 *   post-stop runs, only what is left in the instance's cgroup is killed.
 *   status may add "processes":true (initctl status -v): the reply then
 *   lists the instance's cgroup and the processes in it.
 *   The same with "self":true and "instance":"INST" addresses an existing
 *   instance directly (start/stop/... run with no job name inside a job,
 *   taken from UPSTART_JOB/UPSTART_INSTANCE); such requests never wait.
 *   {"v":1, "cmd":"emit", "event":"NAME", "env":[...], "wait":bool}
 *   {"v":1, "cmd":"list"} | "reload-configuration" | "version" |
 *           "notify-disk-writeable" | "monitor" | "help"
 *   {"v":1, "cmd":"log-priority", "priority":"info"}   (absent: query)
 *   {"v":1, "cmd":"show-config", "job":"NAME"?, "enumerate":bool}
 *   list, status and show-config may add "json":true (initctl --json):
 *   the reply then carries "items" ("lines" stays empty), one object per
 *   instance (list: also per job without one; status: the one asked
 *   for) or per job class (show-config); the objects are init/job_json.h's,
 *   their schema is in initctl(8), JSON OUTPUT.
 *   {"v":1, "cmd":"check-config", "job":"NAME"?, "ignore_events":[...],
 *    "warn":bool}
 *   {"v":1, "cmd":"usage", "job":"NAME"}
 *   {"v":1, "cmd":"get-env"|"list-env"|"set-env"|"unset-env"|"reset-env",
 *    "vars":[...], "global":bool, "retain":bool,
 *    "job":"J"?, "instance":"I"?}   (job/instance: the caller's own job)
 *
 *
 * SysV requests (PID 1 only; compat/telinit tools; docs/compatibility.md):
 *   {"v":1, "cmd":"runlevel"}            reply lines ["P C"] (e.g. "N 2"),
 *                                        or status 1 when unknown
 *   {"v":1, "cmd":"telinit", "runlevel":"0".."6"|"S",
 *    "env":["INIT_HALT=POWEROFF",...]}   change runlevel (one path: record,
 *                                        utmp/wtmp, runlevel event)
 *   {"v":1, "cmd":"reexec"}              stateful re-exec (telinit u)
 *   {"v":1, "cmd":"init-env", "vars":["INIT_X=1","INIT_Y"]}
 *                                        sysvinit SETENV (telinit -e)
 *   {"v":1, "cmd":"ondemand", "level":"a"|"b"|"c"}
 *   {"v":1, "cmd":"rc-scan"}             define the sysv/NAME jobs again
 *                                        from the rc?.d links (upinit-rc)
 *
 * Reply (init -> tool), exactly one per request except for monitor:
 *   {"v":1, "status":0|1, "lines":["stdout line",...], "error":"text"?}
 *   The tool prints each line to stdout (unless -q), prints "PROG: text"
 *   to stderr when "error" is present, and exits with "status".
 *   Replies that carry records (history, why, timeline, --json) put them
 *   in "items":[{...},...], an array of objects split like "lines".
 *   A start/stop/restart that waited and failed because a process failed
 *   also carries "process":"pre-start"|"main"|... and "exit_status":N
 *   (exit code, or signal number << 8).
 * Monitor: after the first reply, one {"v":1, "event":"NAME",
 *   "env":[...]} per event until the client goes away.
 *
 * Ownership: functions returning json_object give the caller one
 * reference (json_object_put); functions returning char * give a string
 * the caller frees.
 */
#ifndef UPINIT_PROTO_H
#define UPINIT_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include <json-c/json.h>

#define PROTO_VERSION      1
#define PROTO_MAX_MESSAGE  65536
#define PROTO_MAX_CHUNKS   1024
#define PROTO_SYSTEM_SOCKET "/run/upinit/control"

/* The control socket path: `override` (--socket) if given, else
 * $UPINIT_SOCKET, else for user mode $XDG_RUNTIME_DIR/upinit/control
 * (or /run/user/UID/upinit/control), else PROTO_SYSTEM_SOCKET. */
char *proto_socket_path(const char *override, bool user_mode);

/* After a send or receive on `fd` failed with `err`: init's refusal of
 * the connection, if it closed it after saying so (a reply whose
 * "refused" is true: the request was never read), else NULL.  A peer
 * that closes with our request unread resets the connection, and the
 * reset is reported before the refusal queued ahead of it; so EPIPE and
 * ECONNRESET are worth a second look, nothing else is (a live peer could
 * make it wait).  The caller puts the reply. */
struct json_object *proto_refusal(int fd, int err);

/* Connect to `path`; returns a close-on-exec blocking descriptor or -1
 * with errno set. */
int   proto_connect(const char *path);

/* proto_connect, but no step waits longer than `timeout_ms`: neither the
 * connect (a full listen queue: init is not accepting), nor any later
 * send or receive on the descriptor.  A connect that timed out fails
 * with EAGAIN. */
int   proto_connect_timed(const char *path, int timeout_ms);

/* Send one message.  `flags` are passed to send(2) (init passes
 * MSG_DONTWAIT).  MSG_NOSIGNAL is always added.  Returns 0, or -1 with
 * errno (EMSGSIZE when the encoding exceeds PROTO_MAX_MESSAGE). */
int   proto_send(int fd, struct json_object *msg, int flags);

/* Receive one message (blocking unless the socket is non-blocking).
 * Returns 1 with *msg set, 0 at end of stream, -1 with errno (EPROTO for
 * a message that is not a JSON object with "v":1, EMSGSIZE if too big). */
int   proto_recv(int fd, struct json_object **msg);

/* Send a reply, split over several packets when it is too long for one:
 * every packet but the last is {"v":1,"more":true,"lines":[...]} (or
 * "items"), the last is the reply itself with the remaining elements.
 * Lines longer than a quarter of a packet are cut; an item that long is
 * replaced by {"truncated":true}. */
int   proto_send_reply(int fd, struct json_object *reply, int flags);

/* Receive a reply sent by proto_send_reply(), joining its lines and items (at most
 * PROTO_MAX_CHUNKS packets).  Returns like proto_recv(). */
int   proto_recv_reply(int fd, struct json_object **reply);

/* A reply as the tools accept it: an integer "status" in 0..255, and
 * optionally "lines" (strings) and "error" (a string). */
bool  proto_reply_valid(struct json_object *reply);

/* Decode one packet: a JSON object with "v":1.  NULL with *error set to
 * a static reason otherwise. */
struct json_object *proto_decode(const char *buf, size_t len, const char **error);

/* Helpers to read request fields; they return NULL/false/default when
 * the field is missing or of the wrong type. */
const char *proto_get_string(struct json_object *msg, const char *key);
bool        proto_get_bool(struct json_object *msg, const char *key, bool dflt);
/* A JSON array of strings as a NULL-terminated array (caller frees the
 * array only; the strings belong to `msg`).  NULL when absent; sets
 * *bad when present but not an array of strings. */
const char **proto_get_strings(struct json_object *msg, const char *key,
			       size_t *count, bool *bad);

/* Add `key: value` to `obj`, consuming `value`; false on failure (value
 * is released then, so callers never leak on the error path), and when
 * `obj` is NULL, so a request that could not be made can be filled in
 * unchecked and tested once. */
bool  proto_add_member(struct json_object *obj, const char *key,
		       struct json_object *value);
/* The same for appending `value` to the array `arr`. */
bool  proto_add_element(struct json_object *arr, struct json_object *value);

/* A request {"v":1,"cmd":CMD}, for the caller to add its fields to
 * (proto_add_member) and to put.  NULL when out of memory. */
struct json_object *proto_request_new(const char *cmd);

/* Build a reply: status, optional error text, and lines added later with
 * proto_reply_line().  A line that cannot be added (out of memory) sets
 * the status to 1, so that no script takes a partial answer for a whole
 * one. */
struct json_object *proto_reply_new(int status, const char *error);
void  proto_reply_line(struct json_object *reply, const char *line);
void  proto_reply_linef(struct json_object *reply, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* proto_reply_line() for callbacks that print line by line into `reply`
 * (a struct json_object *), such as job_status_lines(). */
void  proto_reply_line_fn(void *reply, const char *line);

/* The peer's credentials (SO_PEERCRED). */
int   proto_peer_uid(int fd, uid_t *uid, pid_t *pid);

#endif
