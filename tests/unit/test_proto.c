/* test_proto — the control protocol (lib/proto.c).
 *
 * Pure decoding is checked from tables of input -> expected reason; the
 * transport through a real SOCK_SEQPACKET socketpair, including packets
 * over the size limit, which must be refused without losing step.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "lib/proto.h"

/* A connected SOCK_SEQPACKET pair, closed by the teardown. */
static int
setup_pair(void **state)
{
	int *fds = malloc(2 * sizeof(int));

	assert_non_null(fds);
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds), 0);
	*state = fds;
	return 0;
}

static int
teardown_pair(void **state)
{
	int *fds = *state;

	for (int i = 0; i < 2; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	free(fds);
	return 0;
}

/* Decode a NUL-terminated literal. */
static struct json_object *
decode_str(const char *s, const char **error)
{
	return proto_decode(s, strlen(s), error);
}

/* A request like the ones initctl sends. */
static struct json_object *
sample_request(void)
{
	struct json_object *req = json_object_new_object();
	struct json_object *env = json_object_new_array();

	json_object_object_add(req, "v", json_object_new_int(PROTO_VERSION));
	json_object_object_add(req, "cmd", json_object_new_string("start"));
	json_object_object_add(req, "job", json_object_new_string("tty1/x \"q\" \xc3\xa9"));
	json_object_array_add(env, json_object_new_string("A=1"));
	json_object_array_add(env, json_object_new_string("B=two words"));
	json_object_object_add(req, "env", env);
	json_object_object_add(req, "wait", json_object_new_boolean(false));
	return req;
}

/* Check that `msg` is sample_request() come back. */
static void
assert_sample(struct json_object *msg)
{
	size_t       n;
	bool         bad;
	const char **env = proto_get_strings(msg, "env", &n, &bad);

	assert_string_equal(proto_get_string(msg, "cmd"), "start");
	assert_string_equal(proto_get_string(msg, "job"), "tty1/x \"q\" \xc3\xa9");
	assert_false(proto_get_bool(msg, "wait", true));
	assert_non_null(env);
	assert_false(bad);
	assert_int_equal(n, 2);
	assert_string_equal(env[0], "A=1");
	assert_string_equal(env[1], "B=two words");
	assert_null(env[2]);
	free(env);
}

/* Encoding then decoding gives the same fields back. */
static void
test_decode_round_trip(void **state)
{
	struct json_object *req = sample_request();
	const char         *error = NULL;
	size_t              len;
	const char         *text = json_object_to_json_string_length(
		req, JSON_C_TO_STRING_PLAIN, &len);
	struct json_object *back = proto_decode(text, len, &error);

	assert_non_null(back);
	assert_null(error);
	assert_sample(back);
	json_object_put(back);
	json_object_put(req);
}

/* One rejected input and the reason proto_decode must give. */
typedef struct reject_case {
	const char *input;
	size_t      len;     /* 0: strlen(input) */
	const char *reason;
} RejectCase;

static const RejectCase reject_cases[] = {
	/* not objects */
	{ "[1,2]", 0, "not a JSON object" },
	{ "\"text\"", 0, "not a JSON object" },
	{ "12", 0, "not a JSON object" },
	{ "true", 0, "not a JSON object" },
	{ "null", 0, "not a JSON object" },
	/* version */
	{ "{}", 0, "missing protocol version" },
	{ "{\"cmd\":\"list\"}", 0, "missing protocol version" },
	{ "{\"v\":2}", 0, "unsupported protocol version" },
	{ "{\"v\":0}", 0, "unsupported protocol version" },
	{ "{\"v\":\"1\"}", 0, "unsupported protocol version" },
	{ "{\"v\":1.0}", 0, "unsupported protocol version" },
	{ "{\"v\":true}", 0, "unsupported protocol version" },
	{ "{\"v\":null}", 0, "unsupported protocol version" },
	/* garbage */
	{ "\x01\x02\xff\xfe", 0, "invalid JSON" },
	{ "{garbage}", 0, "invalid JSON" },
	{ "}{", 0, "invalid JSON" },
	{ "{\"v\":1}{\"v\":1}", 0, "trailing data after JSON" },
	{ "{\"v\":1} x", 0, "trailing data after JSON" },
	{ "{\"v\":1}\0junk", 12, "trailing data after JSON" },
	/* cut short */
	{ "{\"v\":1,", 0, "truncated JSON" },
	{ "{\"v\":1,\"cmd\":\"li", 0, "truncated JSON" },
	{ "{", 0, "truncated JSON" },
	/* empty */
	{ "", 0, "empty message" },
};

/* Every malformed input is refused with its reason. */
static void
test_decode_rejects(void **state)
{
	for (size_t i = 0; i < sizeof(reject_cases) / sizeof(*reject_cases); i++) {
		const RejectCase   *c = &reject_cases[i];
		const char         *error = NULL;
		size_t              len = c->len ? c->len : strlen(c->input);
		struct json_object *obj = proto_decode(c->input, len, &error);

		if (obj != NULL || error == NULL || strcmp(error, c->reason) != 0)
			fail_msg("case %zu (%s): got %s, want %s", i, c->input,
				 obj != NULL ? "an object" : error, c->reason);
	}
}

/* Whitespace around the object is fine; unknown fields are kept. */
static void
test_decode_accepts(void **state)
{
	const char         *error = NULL;
	struct json_object *obj = decode_str(" \n{\"v\":1,\"x\":[1]}\r\n\t", &error);

	assert_non_null(obj);
	json_object_put(obj);
}

/* A packet one byte over the limit is refused before parsing. */
static void
test_decode_oversized(void **state)
{
	size_t              len = PROTO_MAX_MESSAGE + 1;
	char               *buf = malloc(len);
	const char         *error = NULL;
	struct json_object *obj;

	assert_non_null(buf);
	memset(buf, ' ', len);
	memcpy(buf, "{\"v\":1}", 7);
	assert_null(proto_decode(buf, len, &error));
	assert_string_equal(error, "message too large");
	/* exactly at the limit is accepted */
	obj = proto_decode(buf, PROTO_MAX_MESSAGE, &error);
	assert_non_null(obj);
	json_object_put(obj);
	free(buf);
}

/* proto_get_string / proto_get_bool ignore fields of the wrong type. */
static void
test_get_scalars(void **state)
{
	const char         *error;
	struct json_object *msg = decode_str(
		"{\"v\":1,\"s\":\"x\",\"n\":3,\"b\":true,\"bs\":\"true\",\"bn\":1}",
		&error);

	assert_non_null(msg);
	assert_string_equal(proto_get_string(msg, "s"), "x");
	assert_null(proto_get_string(msg, "n"));
	assert_null(proto_get_string(msg, "b"));
	assert_null(proto_get_string(msg, "missing"));
	assert_true(proto_get_bool(msg, "b", false));
	assert_false(proto_get_bool(msg, "bs", false));
	assert_false(proto_get_bool(msg, "bn", false));
	assert_true(proto_get_bool(msg, "missing", true));
	assert_null(proto_get_string(NULL, "s"));
	json_object_put(msg);
}

/* A request made by proto_request_new() decodes as one; a member added
 * to no request is released, not added anywhere. */
static void
test_request_new(void **state)
{
	struct json_object *req = proto_request_new("rc-scan"), *back;
	const char         *text, *error;

	assert_non_null(req);
	assert_true(proto_add_member(req, "wait", json_object_new_boolean(true)));
	text = json_object_to_json_string_ext(req, JSON_C_TO_STRING_PLAIN);
	back = proto_decode(text, strlen(text), &error);
	assert_non_null(back);
	assert_string_equal(proto_get_string(back, "cmd"), "rc-scan");
	assert_true(proto_get_bool(back, "wait", false));
	json_object_put(back);
	json_object_put(req);
	/* Under ASan a leak here fails the test. */
	assert_false(proto_add_member(NULL, "job", json_object_new_string("x")));
}

/* One proto_get_strings case: the field's JSON and what must come out. */
typedef struct strings_case {
	const char *json;
	bool        present;   /* non-NULL result */
	bool        bad;
	size_t      count;
} StringsCase;

static const StringsCase strings_cases[] = {
	{ "{\"v\":1}",                       false, false, 0 },
	{ "{\"v\":1,\"a\":[]}",              true,  false, 0 },
	{ "{\"v\":1,\"a\":[\"x\",\"y=z\"]}", true,  false, 2 },
	{ "{\"v\":1,\"a\":\"x\"}",           false, true,  0 },
	{ "{\"v\":1,\"a\":{}}",              false, true,  0 },
	{ "{\"v\":1,\"a\":null}",            false, true,  0 },
	{ "{\"v\":1,\"a\":[\"x\",1]}",       false, true,  0 },
	{ "{\"v\":1,\"a\":[[\"x\"]]}",       false, true,  0 },
	{ "{\"v\":1,\"a\":[\"x\",null]}",    false, true,  0 },
};

/* Arrays of strings come back NULL-terminated; anything else is bad. */
static void
test_get_strings(void **state)
{
	for (size_t i = 0; i < sizeof(strings_cases) / sizeof(*strings_cases); i++) {
		const StringsCase  *c = &strings_cases[i];
		const char         *error;
		struct json_object *msg = decode_str(c->json, &error);
		size_t              count = 99;
		bool                bad = !c->bad;
		const char        **out;

		assert_non_null(msg);
		out = proto_get_strings(msg, "a", &count, &bad);
		if ((out != NULL) != c->present || bad != c->bad || count != c->count)
			fail_msg("case %zu (%s)", i, c->json);
		if (out != NULL)
			assert_null(out[count]);
		free(out);
		json_object_put(msg);
	}
}

/* Replies carry v, status, lines (always) and error (when given). */
static void
test_reply_builders(void **state)
{
	struct json_object *ok = proto_reply_new(0, NULL);
	struct json_object *bad = proto_reply_new(1, "Unknown job: foo");
	const char        **lines;
	size_t              n;
	bool                broken;

	assert_non_null(ok);
	assert_non_null(bad);
	proto_reply_line(ok, "tty1 start/running, process 859");
	proto_reply_linef(ok, "\t%s process %d", "post-start", 1357);
	lines = proto_get_strings(ok, "lines", &n, &broken);
	assert_int_equal(n, 2);
	assert_string_equal(lines[0], "tty1 start/running, process 859");
	assert_string_equal(lines[1], "\tpost-start process 1357");
	free(lines);
	assert_null(proto_get_string(ok, "error"));
	assert_int_equal(json_object_get_int(json_object_object_get(ok, "status")), 0);
	assert_int_equal(json_object_get_int(json_object_object_get(ok, "v")), PROTO_VERSION);

	assert_string_equal(proto_get_string(bad, "error"), "Unknown job: foo");
	assert_int_equal(json_object_get_int(json_object_object_get(bad, "status")), 1);
	lines = proto_get_strings(bad, "lines", &n, &broken);
	assert_non_null(lines);
	assert_int_equal(n, 0);
	free(lines);
	json_object_put(ok);
	json_object_put(bad);
}

/* Set or unset the three variables proto_socket_path reads. */
static void
set_path_env(const char *upinit, const char *xdg)
{
	if (upinit != NULL)
		setenv("UPINIT_SOCKET", upinit, 1);
	else
		unsetenv("UPINIT_SOCKET");
	if (xdg != NULL)
		setenv("XDG_RUNTIME_DIR", xdg, 1);
	else
		unsetenv("XDG_RUNTIME_DIR");
}

/* One precedence case; "@uid" in `want` stands for the user-dir path. */
typedef struct path_case {
	const char *override;
	const char *upinit_socket;
	const char *xdg;
	bool        user;
	const char *want;
} PathCase;

static const PathCase path_cases[] = {
	{ "/o", "/env", "/xdg", true,  "/o" },
	{ "/o", "/env", "/xdg", false, "/o" },
	{ NULL, "/env", "/xdg", true,  "/env" },
	{ NULL, "/env", NULL,   false, "/env" },
	{ NULL, NULL,   "/xdg", true,  "/xdg/upinit/control" },
	{ NULL, NULL,   "/xdg", false, PROTO_SYSTEM_SOCKET },
	{ NULL, "",     "/xdg", true,  "/xdg/upinit/control" },
	{ NULL, NULL,   NULL,   false, PROTO_SYSTEM_SOCKET },
	{ NULL, NULL,   NULL,   true,  "@uid" },
	{ NULL, NULL,   "",     true,  "@uid" },
};

/* --socket beats $UPINIT_SOCKET beats $XDG_RUNTIME_DIR (user mode). */
static void
test_socket_path(void **state)
{
	char uid_path[64];

	snprintf(uid_path, sizeof(uid_path), "/run/user/%lu/upinit/control",
		 (unsigned long)getuid());
	for (size_t i = 0; i < sizeof(path_cases) / sizeof(*path_cases); i++) {
		const PathCase *c = &path_cases[i];
		const char     *want = strcmp(c->want, "@uid") == 0 ? uid_path : c->want;
		char           *got;

		set_path_env(c->upinit_socket, c->xdg);
		got = proto_socket_path(c->override, c->user);
		assert_non_null(got);
		if (strcmp(got, want) != 0)
			fail_msg("case %zu: got %s, want %s", i, got, want);
		free(got);
	}
	set_path_env(NULL, NULL);
}

/* A message survives the trip through a SOCK_SEQPACKET pair. */
static void
test_socket_round_trip(void **state)
{
	int                *fds = *state;
	struct json_object *req = sample_request();
	struct json_object *got = NULL;

	assert_int_equal(proto_send(fds[0], req, 0), 0);
	assert_int_equal(proto_recv(fds[1], &got), 1);
	assert_non_null(got);
	assert_sample(got);
	json_object_put(got);
	json_object_put(req);
}

/* A message that would encode past the limit is not sent at all. */
static void
test_send_oversized(void **state)
{
	int                *fds = *state;
	struct json_object *req = sample_request();
	char               *big = malloc(PROTO_MAX_MESSAGE);

	assert_non_null(big);
	memset(big, 'x', PROTO_MAX_MESSAGE - 1);
	big[PROTO_MAX_MESSAGE - 1] = '\0';
	json_object_object_add(req, "pad", json_object_new_string(big));
	errno = 0;
	assert_int_equal(proto_send(fds[0], req, MSG_DONTWAIT), -1);
	assert_int_equal(errno, EMSGSIZE);
	free(big);
	json_object_put(req);
}

/* An oversized or garbage packet is refused and consumed whole: the next
 * message is still read correctly. */
static void
test_recv_rejects_and_keeps_step(void **state)
{
	int                *fds = *state;
	size_t              len = PROTO_MAX_MESSAGE + 100;
	char               *big = malloc(len);
	struct json_object *req = sample_request();
	struct json_object *got = NULL;

	assert_non_null(big);
	memset(big, ' ', len);
	memcpy(big, "{\"v\":1}", 7);
	assert_int_equal(send(fds[0], big, len, MSG_NOSIGNAL), (ssize_t)len);
	assert_int_equal(send(fds[0], "\xff{]", 3, MSG_NOSIGNAL), 3);
	assert_int_equal(send(fds[0], "{\"v\":1,", 7, MSG_NOSIGNAL), 7);
	assert_int_equal(proto_send(fds[0], req, 0), 0);

	assert_int_equal(proto_recv(fds[1], &got), -1);
	assert_int_equal(errno, EMSGSIZE);
	assert_null(got);
	assert_int_equal(proto_recv(fds[1], &got), -1);
	assert_int_equal(errno, EPROTO);
	assert_int_equal(proto_recv(fds[1], &got), -1);
	assert_int_equal(errno, EPROTO);
	assert_int_equal(proto_recv(fds[1], &got), 1);
	assert_sample(got);
	json_object_put(got);
	json_object_put(req);
	free(big);
}

/* A message exactly at the limit goes through both ends. */
static void
test_message_at_limit(void **state)
{
	int                *fds = *state;
	struct json_object *req = json_object_new_object();
	struct json_object *got = NULL;
	/* {"v":1,"pad":"..."} is 16 bytes around the padding */
	size_t              pad = PROTO_MAX_MESSAGE - 16;
	char               *text = malloc(pad + 1);

	assert_non_null(text);
	memset(text, 'y', pad);
	text[pad] = '\0';
	json_object_object_add(req, "v", json_object_new_int(1));
	json_object_object_add(req, "pad", json_object_new_string(text));
	assert_int_equal(proto_send(fds[0], req, 0), 0);
	assert_int_equal(proto_recv(fds[1], &got), 1);
	assert_int_equal(strlen(proto_get_string(got, "pad")), pad);
	json_object_put(got);
	json_object_put(req);
	free(text);
}

/* The peer going away is end of stream. */
static void
test_end_of_stream(void **state)
{
	int                *fds = *state;
	struct json_object *got = NULL;

	close(fds[0]);
	fds[0] = -1;
	assert_int_equal(proto_recv(fds[1], &got), 0);
	assert_null(got);
}

/* Sending to a closed peer is EPIPE, not SIGPIPE (which would kill the
 * test, as it would kill PID 1). */
static void
test_send_to_closed_peer(void **state)
{
	int                *fds = *state;
	struct json_object *req = sample_request();

	close(fds[1]);
	fds[1] = -1;
	assert_int_equal(proto_send(fds[0], req, 0), -1);
	assert_int_equal(errno, EPIPE);
	json_object_put(req);
}

/* Init's side of a refused connection: say why, hang up. */
static void
refuse(int fd)
{
	struct json_object *reply = proto_reply_new(1, "Connection refused by init: busy");

	json_object_object_add(reply, "refused", json_object_new_boolean(1));
	assert_int_equal(proto_send_reply(fd, reply, 0), 0);
	json_object_put(reply);
	close(fd);
}

/* The refusal is found behind a send that hit the closed door (EPIPE)
 * and behind the reset a request left unread causes (ECONNRESET, which
 * the kernel reports before the packet queued ahead of it). */
static void
test_refusal(void **state)
{
	int                *fds = *state;
	struct json_object *req = sample_request(), *got;

	/* Nothing to find on a live connection, and no wait either. */
	assert_null(proto_refusal(fds[0], EAGAIN));
	/* Request sent, then refused unread: recv sees the reset first. */
	assert_int_equal(proto_send(fds[0], req, 0), 0);
	refuse(fds[1]);
	fds[1] = -1;
	assert_int_equal(proto_recv_reply(fds[0], &got), -1);
	assert_int_equal(errno, ECONNRESET);
	got = proto_refusal(fds[0], errno);
	assert_non_null(got);
	assert_string_equal(proto_get_string(got, "error"), "Connection refused by init: busy");
	json_object_put(got);
	json_object_put(req);
}

static void
test_refusal_before_send(void **state)
{
	int                *fds = *state;
	struct json_object *req = sample_request(), *got;

	refuse(fds[1]);
	fds[1] = -1;
	assert_int_equal(proto_send(fds[0], req, 0), -1);
	assert_int_equal(errno, EPIPE);
	got = proto_refusal(fds[0], errno);
	assert_non_null(got);
	assert_true(proto_get_bool(got, "refused", false));
	json_object_put(got);
	json_object_put(req);
}

/* SO_PEERCRED names this very process on both ends of the pair. */
static void
test_peer_uid(void **state)
{
	int  *fds = *state;
	uid_t uid = (uid_t)-1;
	pid_t pid = 0;

	assert_int_equal(proto_peer_uid(fds[1], &uid, &pid), 0);
	assert_int_equal(uid, getuid());
	assert_int_equal(pid, getpid());
	assert_int_equal(proto_peer_uid(-1, &uid, &pid), -1);
}

/* connect: a missing socket is ENOENT, an over-long path ENAMETOOLONG,
 * and a listening socket answers. */
static void
test_connect(void **state)
{
	char               dir[] = "/tmp/test_proto.XXXXXX";
	char               path[128], longpath[200];
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int                srv, cli, acc;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/control", dir);
	errno = 0;
	assert_int_equal(proto_connect(path), -1);
	assert_int_equal(errno, ENOENT);

	memset(longpath, 'a', sizeof(longpath) - 1);
	longpath[0] = '/';
	longpath[sizeof(longpath) - 1] = '\0';
	assert_int_equal(proto_connect(longpath), -1);
	assert_int_equal(errno, ENAMETOOLONG);

	srv = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	strcpy(addr.sun_path, path);
	assert_int_equal(bind(srv, (struct sockaddr *)&addr, sizeof(addr)), 0);
	assert_int_equal(listen(srv, 1), 0);
	cli = proto_connect(path);
	assert_true(cli >= 0);
	acc = accept(srv, NULL, NULL);
	assert_true(acc >= 0);
	close(acc);
	close(cli);
	close(srv);
	unlink(path);
	rmdir(dir);
}

/* A reply too long for one packet arrives whole, in order, from a
 * sender in another process (the socket buffer fills while it sends). */
static void
test_long_reply(void **state)
{
	int                *fds = *state;
	struct json_object *got = NULL, *lines;
	const size_t        n = 20000;
	char                line[64];
	pid_t               pid;

	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct json_object *reply = proto_reply_new(0, NULL);
		char                huge[200000];

		for (size_t i = 0; i < n; i++) {
			snprintf(line, sizeof line, "job-%zu start/running, process %zu", i, i);
			proto_reply_line(reply, line);
		}
		memset(huge, 'x', sizeof huge - 1);
		huge[sizeof huge - 1] = '\0';
		proto_reply_line(reply, huge);   /* cut, not refused */
		_exit(proto_send_reply(fds[0], reply, 0) == 0 ? 0 : 1);
	}
	assert_int_equal(proto_recv_reply(fds[1], &got), 1);
	assert_true(json_object_object_get_ex(got, "lines", &lines));
	assert_int_equal(json_object_array_length(lines), n + 1);
	for (size_t i = 0; i < n; i += 997) {
		snprintf(line, sizeof line, "job-%zu start/running, process %zu", i, i);
		assert_string_equal(json_object_get_string(json_object_array_get_idx(lines, i)), line);
	}
	assert_true(json_object_get_string_len(json_object_array_get_idx(lines, n)) <
		    PROTO_MAX_MESSAGE);
	json_object_put(got);
	{
		int status;

		assert_int_equal(waitpid(pid, &status, 0), pid);
		assert_int_equal(WEXITSTATUS(status), 0);
	}
}

/* Items (objects) and lines in one long reply both arrive whole and in
 * order; an item too big for a packet becomes {"truncated":true}. */
static void
test_long_items(void **state)
{
	int                *fds = *state;
	struct json_object *got = NULL, *items, *lines, *it;
	const size_t        n = 5000;
	pid_t               pid;
	int                 status;

	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct json_object *reply = proto_reply_new(0, NULL);
		struct json_object *arr = json_object_new_array();
		static char huge[100000];

		for (size_t i = 0; i < n; i++) {
			struct json_object *o = json_object_new_object();

			json_object_object_add(o, "seq", json_object_new_int64((int64_t)i));
			json_object_object_add(o, "job", json_object_new_string("some-job-name"));
			json_object_array_add(arr, o);
			proto_reply_linef(reply, "line %zu", i);
		}
		memset(huge, 'y', sizeof huge - 1);
		it = json_object_new_object();
		json_object_object_add(it, "huge", json_object_new_string(huge));
		json_object_array_add(arr, it);
		json_object_object_add(reply, "items", arr);
		_exit(proto_send_reply(fds[0], reply, 0) == 0 ? 0 : 1);
	}
	assert_int_equal(proto_recv_reply(fds[1], &got), 1);
	assert_true(json_object_object_get_ex(got, "items", &items));
	assert_true(json_object_object_get_ex(got, "lines", &lines));
	assert_int_equal(json_object_array_length(items), n + 1);
	assert_int_equal(json_object_array_length(lines), n);
	for (size_t i = 0; i < n; i += 331) {
		it = json_object_array_get_idx(items, i);
		assert_int_equal(json_object_get_int64(json_object_object_get(it, "seq")), (int64_t)i);
	}
	assert_string_equal(json_object_get_string(json_object_array_get_idx(lines, n - 1)),
			    "line 4999");
	it = json_object_array_get_idx(items, n);
	assert_true(json_object_get_boolean(json_object_object_get(it, "truncated")));
	json_object_put(got);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_int_equal(WEXITSTATUS(status), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_round_trip),
		cmocka_unit_test(test_decode_rejects),
		cmocka_unit_test(test_decode_accepts),
		cmocka_unit_test(test_decode_oversized),
		cmocka_unit_test(test_get_scalars),
		cmocka_unit_test(test_request_new),
		cmocka_unit_test(test_get_strings),
		cmocka_unit_test(test_reply_builders),
		cmocka_unit_test(test_socket_path),
		cmocka_unit_test(test_connect),
		cmocka_unit_test_setup_teardown(test_socket_round_trip, setup_pair, teardown_pair),
		cmocka_unit_test_setup_teardown(test_send_oversized, setup_pair, teardown_pair),
		cmocka_unit_test_setup_teardown(test_recv_rejects_and_keeps_step, setup_pair, teardown_pair),
		cmocka_unit_test_setup_teardown(test_message_at_limit, setup_pair, teardown_pair),
		cmocka_unit_test_setup_teardown(test_end_of_stream, setup_pair, teardown_pair),
		cmocka_unit_test_setup_teardown(test_long_items, setup_pair, teardown_pair),
		cmocka_unit_test_setup_teardown(test_send_to_closed_peer, setup_pair, teardown_pair),
		cmocka_unit_test_setup_teardown(test_refusal, setup_pair, teardown_pair),
		cmocka_unit_test_setup_teardown(test_refusal_before_send, setup_pair, teardown_pair),
		cmocka_unit_test_setup_teardown(test_peer_uid, setup_pair, teardown_pair),
		cmocka_unit_test_setup_teardown(test_long_reply, setup_pair, teardown_pair),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
