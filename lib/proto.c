/* proto — the control protocol between init and its tools.
 *
 * See proto.h for the wire format.  This file owns the three things both
 * ends must agree on byte for byte: where the socket lives, how one JSON
 * object becomes one SOCK_SEQPACKET packet (and back), and what counts as a
 * well-formed message.  Nothing here knows any command; init's control
 * module and initctl give the fields their meaning.
 *
 * Every function is safe to call from PID 1: no function exits, aborts or
 * raises SIGPIPE, and every failure comes back as -1/NULL with errno or a
 * static reason string.
 */
#include "lib/proto.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

/* How a message is written: compact, and without json-c's habit of
 * escaping '/' (job log paths and socket paths stay readable in traces). */
#define PROTO_JSON_FLAGS (JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)

/* The user-mode socket below a runtime directory. */
#define PROTO_USER_SUFFIX "/upinit/control"

/* True for a non-NULL, non-empty string: an empty environment variable
 * means "unset" here, as it does for XDG_RUNTIME_DIR in the XDG spec. */
static bool
is_set(const char *s)
{
	return s != NULL && *s != '\0';
}

/* The user-mode path: $XDG_RUNTIME_DIR/upinit/control, or the systemd-style
 * /run/user/UID/upinit/control when no runtime directory is exported (a
 * login without pam_systemd, a test harness).  Caller frees. */
static char *
user_socket_path(void)
{
	const char *runtime = getenv("XDG_RUNTIME_DIR");
	char       *path = NULL;
	int         n;

	if (is_set(runtime))
		n = asprintf(&path, "%s" PROTO_USER_SUFFIX, runtime);
	else
		n = asprintf(&path, "/run/user/%lu" PROTO_USER_SUFFIX,
			     (unsigned long)getuid());
	return n < 0 ? NULL : path;
}

/* Resolve the control socket path; precedence is documented in proto.h.
 * An explicit --socket wins even when empty, so a caller's mistake shows
 * up as a connect error naming "" instead of silently going elsewhere. */
char *
proto_socket_path(const char *override, bool user_mode)
{
	const char *env = getenv("UPINIT_SOCKET");

	if (override != NULL)
		return strdup(override);
	if (is_set(env))
		return strdup(env);
	if (user_mode)
		return user_socket_path();
	return strdup(PROTO_SYSTEM_SOCKET);
}

/* Connect a close-on-exec SOCK_SEQPACKET socket to `path`.  A path that
 * does not fit sun_path fails with ENAMETOOLONG rather than connecting
 * to a truncated name. */
/* Bound every send and receive on `fd`, and a connect too (AF_UNIX
 * waits for room in the listen queue as long as the send timeout). */
static void
set_timeouts(int fd, int timeout_ms)
{
	struct timeval tv = {
		.tv_sec = timeout_ms / 1000,
		.tv_usec = (timeout_ms % 1000) * 1000,
	};

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

int
proto_connect_timed(const char *path, int timeout_ms)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int                fd, saved;

	if (path == NULL) {
		errno = EINVAL;
		return -1;
	}
	if (strlen(path) >= sizeof(addr.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(addr.sun_path, path, strlen(path) + 1);

	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (timeout_ms > 0)
		set_timeouts(fd, timeout_ms);
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

struct json_object *
proto_refusal(int fd, int err)
{
	struct json_object *msg = NULL;

	if (err != EPIPE && err != ECONNRESET)
		return NULL;
	if (proto_recv_reply(fd, &msg) > 0 && proto_get_bool(msg, "refused", false))
		return msg;
	json_object_put(msg);
	return NULL;
}

int
proto_connect(const char *path)
{
	return proto_connect_timed(path, 0);
}

/* Encode and send one message as one packet.  The size check happens
 * before send(2) so the peer never sees a packet it would have to reject;
 * EINTR is retried because a packet is sent whole or not at all. */
int
proto_send(int fd, struct json_object *msg, int flags)
{
	const char *text;
	size_t      len;
	ssize_t     n;

	if (msg == NULL) {
		errno = EINVAL;
		return -1;
	}
	text = json_object_to_json_string_length(msg, PROTO_JSON_FLAGS, &len);
	if (text == NULL) {
		errno = ENOMEM;
		return -1;
	}
	if (len > PROTO_MAX_MESSAGE) {
		errno = EMSGSIZE;
		return -1;
	}
	do
		n = send(fd, text, len, flags | MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -1;
	if ((size_t)n != len) {
		/* Cannot happen on SOCK_SEQPACKET; refuse to pretend. */
		errno = EIO;
		return -1;
	}
	return 0;
}

/* Receive one packet and decode it.  MSG_TRUNC makes recv(2) report the
 * packet's real length, so an oversized packet is detected (and, being
 * one packet, fully consumed: the stream stays in step).  EINTR is left
 * to the caller, who may be waiting for a signal to stop a monitor.
 *
 * A zero-length read is end of stream; an empty packet is no valid
 * message either, so a peer sending one is treated as having gone. */
int
proto_recv(int fd, struct json_object **msg)
{
	char       *buf;
	ssize_t     n;
	const char *why;
	int         saved;

	*msg = NULL;
	buf = malloc(PROTO_MAX_MESSAGE);
	if (buf == NULL)
		return -1;

	n = recv(fd, buf, PROTO_MAX_MESSAGE, MSG_TRUNC);
	if (n <= 0) {
		saved = errno;
		free(buf);
		errno = saved;
		return n == 0 ? 0 : -1;
	}
	if ((size_t)n > PROTO_MAX_MESSAGE) {
		free(buf);
		errno = EMSGSIZE;
		return -1;
	}

	*msg = proto_decode(buf, (size_t)n, &why);
	free(buf);
	if (*msg == NULL) {
		errno = EPROTO;
		return -1;
	}
	return 1;
}

/* True when buf[from..len) holds only JSON whitespace. */
static bool
only_whitespace(const char *buf, size_t from, size_t len)
{
	for (size_t i = from; i < len; i++)
		if (strchr(" \t\r\n", buf[i]) == NULL || buf[i] == '\0')
			return false;
	return true;
}

/* Parse exactly one JSON value from buf[0..len); anything after it but
 * whitespace is an error, so two objects glued together are refused.
 *
 * The tokener cannot tell whether a top-level scalar such as `12` is
 * complete, so when it asks for more input it is given the end marker
 * (a single NUL) once; whatever is still open after that was cut short. */
static struct json_object *
parse_one_value(const char *buf, size_t len, const char **error)
{
	struct json_tokener *tok;
	struct json_object  *obj;
	enum json_tokener_error jerr;
	size_t               end;
	bool                 incomplete;

	tok = json_tokener_new();
	if (tok == NULL) {
		*error = "out of memory";
		return NULL;
	}
	obj = json_tokener_parse_ex(tok, buf, (int)len);
	jerr = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	incomplete = obj == NULL && jerr == json_tokener_continue;
	if (incomplete) {
		obj = json_tokener_parse_ex(tok, "", 1);
		jerr = json_tokener_get_error(tok);
		end = len;
	}
	json_tokener_free(tok);

	if (jerr != json_tokener_success) {
		json_object_put(obj);
		*error = incomplete ? "truncated JSON" : "invalid JSON";
		return NULL;
	}
	if (obj == NULL) {
		/* json-c's JSON null: a complete value, but no object. */
		*error = "not a JSON object";
		return NULL;
	}
	if (!only_whitespace(buf, end, len)) {
		json_object_put(obj);
		*error = "trailing data after JSON";
		return NULL;
	}
	return obj;
}

/* Check the envelope: an object whose "v" is the integer PROTO_VERSION. */
static const char *
check_envelope(struct json_object *obj)
{
	struct json_object *v;

	if (!json_object_is_type(obj, json_type_object))
		return "not a JSON object";
	if (!json_object_object_get_ex(obj, "v", &v))
		return "missing protocol version";
	if (!json_object_is_type(v, json_type_int)
	    || json_object_get_int64(v) != PROTO_VERSION)
		return "unsupported protocol version";
	return NULL;
}

/* Decode one packet: see proto.h.  Sizes are checked before parsing so a
 * hostile peer cannot make PID 1 parse more than one packet's worth. */
struct json_object *
proto_decode(const char *buf, size_t len, const char **error)
{
	struct json_object *obj;
	const char         *why;

	if (buf == NULL || len == 0) {
		*error = "empty message";
		return NULL;
	}
	if (len > PROTO_MAX_MESSAGE) {
		*error = "message too large";
		return NULL;
	}
	obj = parse_one_value(buf, len, error);
	if (obj == NULL)
		return NULL;
	why = check_envelope(obj);
	if (why != NULL) {
		json_object_put(obj);
		*error = why;
		return NULL;
	}
	return obj;
}

/* The member `key` of `msg` if it has JSON type `type`, else NULL. */
static struct json_object *
get_typed(struct json_object *msg, const char *key, enum json_type type)
{
	struct json_object *val;

	if (msg == NULL || !json_object_object_get_ex(msg, key, &val))
		return NULL;
	return json_object_is_type(val, type) ? val : NULL;
}

/* A string field, owned by `msg`. */
const char *
proto_get_string(struct json_object *msg, const char *key)
{
	struct json_object *val = get_typed(msg, key, json_type_string);

	return val != NULL ? json_object_get_string(val) : NULL;
}

/* A boolean field; any other type counts as absent so that "1" or 1 do
 * not silently turn into true. */
bool
proto_get_bool(struct json_object *msg, const char *key, bool dflt)
{
	struct json_object *val = get_typed(msg, key, json_type_boolean);

	return val != NULL ? json_object_get_boolean(val) : dflt;
}

/* True when every element of `arr` is a string. */
static bool
all_strings(struct json_object *arr, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!json_object_is_type(json_object_array_get_idx(arr, i),
					 json_type_string))
			return false;
	return true;
}

/* An array-of-strings field as a NULL-terminated vector (see proto.h).
 * Running out of memory also sets *bad: the request then fails, which is
 * the safe outcome, instead of looking like an absent field. */
const char **
proto_get_strings(struct json_object *msg, const char *key,
		  size_t *count, bool *bad)
{
	struct json_object *val;
	const char        **out;
	size_t              n;

	if (count != NULL)
		*count = 0;
	if (bad != NULL)
		*bad = false;
	if (msg == NULL || !json_object_object_get_ex(msg, key, &val))
		return NULL;

	n = json_object_is_type(val, json_type_array)
		? json_object_array_length(val) : 0;
	if (!json_object_is_type(val, json_type_array) || !all_strings(val, n)
	    || (out = calloc(n + 1, sizeof(*out))) == NULL) {
		if (bad != NULL)
			*bad = true;
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		out[i] = json_object_get_string(json_object_array_get_idx(val, i));
	if (count != NULL)
		*count = n;
	return out;
}

/* See proto.h. */
bool
proto_add_member(struct json_object *obj, const char *key, struct json_object *value)
{
	if (value == NULL)
		return false;
	/* A request that could not be made (NULL) takes nothing. */
	if (obj == NULL || json_object_object_add(obj, key, value) != 0) {
		json_object_put(value);
		return false;
	}
	return true;
}

bool
proto_add_element(struct json_object *arr, struct json_object *value)
{
	if (value == NULL)
		return false;
	if (arr == NULL || json_object_array_add(arr, value) != 0) {
		json_object_put(value);
		return false;
	}
	return true;
}

struct json_object *
proto_request_new(const char *cmd)
{
	struct json_object *msg = json_object_new_object();

	if (msg == NULL)
		return NULL;
	if (!proto_add_member(msg, "v", json_object_new_int(PROTO_VERSION))
	    || !proto_add_member(msg, "cmd", json_object_new_string(cmd))) {
		json_object_put(msg);
		return NULL;
	}
	return msg;
}

/* A reply with "lines" already present (empty), so a client can always
 * iterate it. */
struct json_object *
proto_reply_new(int status, const char *error)
{
	struct json_object *reply = json_object_new_object();

	if (reply == NULL)
		return NULL;
	if (!proto_add_member(reply, "v", json_object_new_int(PROTO_VERSION))
	    || !proto_add_member(reply, "status", json_object_new_int(status))
	    || !proto_add_member(reply, "lines", json_object_new_array())
	    || (error != NULL
		&& !proto_add_member(reply, "error", json_object_new_string(error)))) {
		json_object_put(reply);
		return NULL;
	}
	return reply;
}

/* Append one stdout line.  Out of memory drops the line and turns the
 * reply's status to 1 (that needs no memory): a script must not take a
 * reply missing lines for the whole answer. */
void
proto_reply_line(struct json_object *reply, const char *line)
{
	struct json_object *lines = get_typed(reply, "lines", json_type_array);
	struct json_object *str;

	if (lines == NULL || line == NULL)
		return;
	str = json_object_new_string(line);
	if (str != NULL && json_object_array_add(lines, str) == 0)
		return;
	json_object_put(str);
	json_object_set_int(get_typed(reply, "status", json_type_int), 1);
}

void
proto_reply_line_fn(void *reply, const char *line)
{
	proto_reply_line(reply, line);
}

/* printf-style proto_reply_line. */
void
proto_reply_linef(struct json_object *reply, const char *fmt, ...)
{
	va_list ap;
	char   *line = NULL;
	int     n;

	va_start(ap, fmt);
	n = vasprintf(&line, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	proto_reply_line(reply, line);
	free(line);
}

/* The connected peer's uid and pid, as the kernel recorded them at
 * connect(2) time (so they cannot be forged by the peer later). */
int
proto_peer_uid(int fd, uid_t *uid, pid_t *pid)
{
	struct ucred cred;
	socklen_t    len = sizeof(cred);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0)
		return -1;
	if (uid != NULL)
		*uid = cred.uid;
	if (pid != NULL)
		*pid = cred.pid;
	return 0;
}

/* ---- replies longer than one packet ---- */

/* Room kept in each packet for the envelope around the lines. */
#define PROTO_ENVELOPE 1024

/* One continuation packet carrying arr[from, to) under `key`. */
static int
send_chunk(int fd, const char *key, struct json_object *arr, size_t from, size_t to,
	   int flags)
{
	struct json_object *chunk = json_object_new_object();
	struct json_object *part = json_object_new_array();
	int ret;

	json_object_object_add(chunk, "v", json_object_new_int(PROTO_VERSION));
	json_object_object_add(chunk, "more", json_object_new_boolean(1));
	for (size_t i = from; i < to; i++)
		json_object_array_add(part, json_object_get(json_object_array_get_idx(arr, i)));
	json_object_object_add(chunk, key, part);
	ret = proto_send(fd, chunk, flags);
	json_object_put(chunk);
	return ret;
}

/* What an element costs in a packet.  A line's JSON escaping can at most
 * double it (\u00XX is the worst case, and short): twice the length plus
 * quotes.  An item (an object) is measured as encoded. */
static size_t
element_cost(struct json_object *val)
{
	size_t len = 0;

	if (json_object_is_type(val, json_type_string))
		return 2 * (size_t)json_object_get_string_len(val) + 8;
	if (!json_object_to_json_string_length(val, PROTO_JSON_FLAGS, &len))
		return SIZE_MAX / 4;
	return len + 2;
}

/* Each array a long reply may carry, and the room its remainder may take
 * in the last packet (both may be there at once, beside the envelope). */
#define PROTO_CHUNK_BUDGET ((PROTO_MAX_MESSAGE - PROTO_ENVELOPE) / 2)

/* Cut over-long elements: no single one may need a packet of its own
 * beyond the budget (a 10 MB `start on` would otherwise be unsendable).
 * Lines are cut; an item too big is replaced by {"truncated":true}. */
static void
trim_elements(struct json_object *arr)
{
	size_t n = json_object_array_length(arr);
	size_t max = PROTO_CHUNK_BUDGET / 2 - 8;

	for (size_t i = 0; i < n; i++) {
		struct json_object *el = json_object_array_get_idx(arr, i);

		if (element_cost(el) <= PROTO_CHUNK_BUDGET)
			continue;
		if (json_object_is_type(el, json_type_string)) {
			json_object_array_put_idx(arr, i, json_object_new_string_len(
				json_object_get_string(el), (int)max));
		} else {
			struct json_object *cut = json_object_new_object();

			json_object_object_add(cut, "truncated", json_object_new_boolean(1));
			json_object_array_put_idx(arr, i, cut);
		}
	}
}

/* Send reply[key] in continuation packets but for a remainder small
 * enough for the last packet, which is left in reply[key]. */
static int
send_array_chunks(int fd, struct json_object *reply, const char *key, int flags)
{
	struct json_object *arr, *rest;
	size_t n, start = 0, size = 0;

	if (!json_object_object_get_ex(reply, key, &arr) ||
	    !json_object_is_type(arr, json_type_array))
		return 0;
	trim_elements(arr);
	n = json_object_array_length(arr);
	for (size_t i = 0; i < n; i++) {
		size_t cost = element_cost(json_object_array_get_idx(arr, i));

		if (size + cost > PROTO_CHUNK_BUDGET) {
			if (send_chunk(fd, key, arr, start, i, flags) < 0)
				return -1;
			start = i;
			size = 0;
		}
		size += cost;
	}
	rest = json_object_new_array();
	for (size_t i = start; i < n; i++)
		json_object_array_add(rest, json_object_get(json_object_array_get_idx(arr, i)));
	json_object_object_add(reply, key, rest);
	return 0;
}

int
proto_send_reply(int fd, struct json_object *reply, int flags)
{
	if (proto_send(fd, reply, flags) == 0)
		return 0;
	if (errno != EMSGSIZE)
		return -1;
	if (send_array_chunks(fd, reply, "lines", flags) < 0 ||
	    send_array_chunks(fd, reply, "items", flags) < 0)
		return -1;
	return proto_send(fd, reply, flags);
}

/* Append the elements of msg[key], when it is an array, to acc[key]. */
static void
join_array(struct json_object *acc, struct json_object *msg, const char *key)
{
	struct json_object *from, *to;

	if (!json_object_object_get_ex(msg, key, &from) ||
	    !json_object_is_type(from, json_type_array))
		return;
	if (!json_object_object_get_ex(acc, key, &to)) {
		to = json_object_new_array();
		json_object_object_add(acc, key, to);
	}
	for (size_t i = 0; i < json_object_array_length(from); i++)
		json_object_array_add(to, json_object_get(json_object_array_get_idx(from, i)));
}

int
proto_recv_reply(int fd, struct json_object **reply)
{
	static const char *const keys[] = { "lines", "items" };
	struct json_object *acc = NULL, *msg, *more;
	int rc, chunks = 0;

	for (;;) {
		rc = proto_recv(fd, &msg);
		if (rc <= 0)
			break;
		if (!json_object_object_get_ex(msg, "more", &more) ||
		    !json_object_get_boolean(more)) {
			if (acc) {
				/* Earlier elements go first. */
				for (size_t k = 0; k < 2; k++) {
					join_array(acc, msg, keys[k]);
					if (json_object_object_get_ex(acc, keys[k], NULL))
						json_object_object_add(msg, keys[k], json_object_get(
							json_object_object_get(acc, keys[k])));
				}
				json_object_put(acc);
			}
			*reply = msg;
			return 1;
		}
		/* A reply longer than this is no reply from init. */
		if (++chunks > PROTO_MAX_CHUNKS) {
			json_object_put(msg);
			errno = EMSGSIZE;
			rc = -1;
			break;
		}
		if (!acc)
			acc = json_object_new_object();
		for (size_t k = 0; k < 2; k++)
			join_array(acc, msg, keys[k]);
		json_object_put(msg);
	}
	json_object_put(acc);
	*reply = NULL;
	return rc;
}

/* True when `val` is a JSON array holding only strings. */
static bool
is_string_array(struct json_object *val)
{
	size_t n;

	if (!json_object_is_type(val, json_type_array))
		return false;
	n = json_object_array_length(val);
	for (size_t i = 0; i < n; i++)
		if (!json_object_is_type(json_object_array_get_idx(val, i),
					 json_type_string))
			return false;
	return true;
}

bool
proto_reply_valid(struct json_object *reply)
{
	struct json_object *val;

	if (!json_object_object_get_ex(reply, "status", &val)
	    || !json_object_is_type(val, json_type_int)
	    || json_object_get_int64(val) < 0 || json_object_get_int64(val) > 255)
		return false;
	if (json_object_object_get_ex(reply, "lines", &val)
	    && !is_string_array(val))
		return false;
	if (json_object_object_get_ex(reply, "error", &val)
	    && !json_object_is_type(val, json_type_string))
		return false;
	return true;
}
