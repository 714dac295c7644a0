/* client — see client.h. */
#include "initctl/client.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "initctl/messages.h"
#include "lib/proto.h"

/* Set by the handler while monitoring; the loop checks it after recv(2)
 * returns EINTR. */
static volatile sig_atomic_t caught_signal;

/* The signals that end a monitor. */
static const int stop_signals[] = { SIGINT, SIGTERM, SIGHUP };
#define N_STOP_SIGNALS (sizeof(stop_signals) / sizeof(*stop_signals))

/* Remember the signal; the blocked recv(2) then fails with EINTR. */
static void
on_stop_signal(int sig)
{
	caught_signal = sig;
}

/* Route the stop signals to on_stop_signal, without SA_RESTART so that
 * recv(2) is interrupted.  A signal ignored when we started (nohup, a
 * background job of a script) stays ignored, as is the convention. */
static void
catch_stop_signals(void)
{
	struct sigaction sa = { .sa_handler = on_stop_signal }, old;

	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < N_STOP_SIGNALS; i++)
		if (sigaction(stop_signals[i], NULL, &old) == 0
		    && old.sa_handler != SIG_IGN)
			sigaction(stop_signals[i], &sa, NULL);
}

/* See client.h. */
int
client_caught_signal(void)
{
	return caught_signal;
}


/* strcoll() order for qsort over an array of C strings. */
static int
compare_collated(const void *a, const void *b)
{
	return strcoll(*(const char *const *)a, *(const char *const *)b);
}

/* See client.h.  list-env sorts them in the caller's locale, as
 * Upstart's initctl does on its side. */
void
client_print_lines(struct json_object *reply, unsigned flags)
{
	const char **lines;
	size_t       n;
	bool         bad;

	lines = proto_get_strings(reply, "lines", &n, &bad);
	if (lines == NULL)
		return;
	if (flags & COMMAND_SORT_LINES)
		qsort(lines, n, sizeof(*lines), compare_collated);
	for (size_t i = 0; i < n; i++)
		msg_out(lines[i]);
	free(lines);
}

/* Print a reply and return its status; a malformed one is an error.
 * A command with its own renderer prints a successful reply itself. */
static int
handle_reply(const CommandCall *call, struct json_object *reply, unsigned flags)
{
	const char *error;
	int         status;

	if (!proto_reply_valid(reply)) {
		msg_error("Unable to receive reply: %s", strerror(EPROTO));
		return 1;
	}
	status = json_object_get_int(json_object_object_get(reply, "status"));
	if (call && call->spec->render && status == 0)
		return call->spec->render(call, reply);
	client_print_lines(reply, flags);
	error = proto_get_string(reply, "error");
	if (error != NULL)
		msg_error("%s", error);
	return json_object_get_int(json_object_object_get(reply, "status"));
}

/* Receive one message, retrying EINTR unless a stop signal was caught.
 * Returns like proto_recv(); the caller reports failures. */
static int
receive(int fd, struct json_object **msg)
{
	int rc;

	do
		rc = proto_recv(fd, msg);
	while (rc < 0 && errno == EINTR && caught_signal == 0);
	return rc;
}

/* Print one streamed event as "NAME KEY=VALUE ..." and flush, so a pipe
 * reader sees it at once.  Messages that are not events are skipped. */
static void
print_event(struct json_object *msg)
{
	const char  *name = proto_get_string(msg, "event");
	const char **env;
	size_t       n, len;
	bool         bad;
	char        *line;

	if (name == NULL)
		return;
	env = proto_get_strings(msg, "env", &n, &bad);
	len = strlen(name) + 1;
	for (size_t i = 0; i < n; i++)
		len += strlen(env[i]) + 1;
	line = malloc(len);
	if (line != NULL) {
		strcpy(line, name);
		for (size_t i = 0; i < n; i++)
			strcat(strcat(line, " "), env[i]);
		msg_out(line);
		fflush(stdout);
	}
	free(line);
	free(env);
}

/* monitor: print events until init closes the connection (an error: the
 * events stopped) or a stop signal arrives (main re-raises it). */
static int
stream_events(int fd)
{
	struct json_object *msg;
	int                 rc = 1;

	catch_stop_signals();
	/* A stop signal may arrive while an event is being printed, not
	 * only while recv() waits: look before every wait. */
	while (caught_signal == 0 && (rc = receive(fd, &msg)) > 0) {
		print_event(msg);
		json_object_put(msg);
	}
	if (caught_signal != 0)
		return 1;
	if (rc == 0)
		msg_error("Connection to Upstart was closed");
	else
		msg_error("Unable to receive event: %s", strerror(errno));
	return 1;
}

/* Send the request, wait for the one reply, print it. */
static int
exchange(int fd, const CommandCall *call, struct json_object *request)
{
	struct json_object *reply;
	int                 rc, status;

	msg_debug("request: %s", json_object_to_json_string_ext(request, JSON_C_TO_STRING_PLAIN));
	if (proto_send(fd, request, 0) < 0) {
		int err = errno;

		if ((reply = proto_refusal(fd, err)) != NULL)
			goto refused;
		msg_error("Unable to send request: %s", strerror(err));
		return 1;
	}
	do
		rc = proto_recv_reply(fd, &reply);
	while (rc < 0 && errno == EINTR && caught_signal == 0);
	if (rc < 0 && (reply = proto_refusal(fd, errno)) != NULL)
		goto refused;
	if (rc == 0) {
		msg_error("Connection was disconnected before a reply was received");
		return 1;
	}
	if (rc < 0) {
		msg_error("Unable to receive reply: %s", strerror(errno));
		return 1;
	}
	msg_debug("reply: %s", json_object_to_json_string_ext(reply, JSON_C_TO_STRING_PLAIN));
	status = handle_reply(call, reply, call->spec->flags);
	json_object_put(reply);
	if (status == 0 && (call->spec->flags & COMMAND_STREAM))
		status = stream_events(fd);
	return status;

refused:
	/* Init said why it would not serve us, and hung up: print its
	 * reason as any error reply's. */
	status = handle_reply(call, reply, call->spec->flags);
	json_object_put(reply);
	return status;
}

/* --dest only means something on a D-Bus bus; Upstart refuses it on its
 * private socket, and so do we unless --system/--session was given. */
static bool
dest_misused(const InitctlOptions *opts)
{
	if (opts->dest == NULL || opts->system || opts->session)
		return false;
	fprintf(stderr, "%s: --dest given without --system\n", msg_program());
	msg_suggest_help();
	return true;
}

/* See client.h. */
int
client_run(const CommandCall *call, struct json_object *request)
{
	char *path;
	int   fd, status;

	if (dest_misused(call->opts))
		return 1;
	path = proto_socket_path(call->opts->socket, call->opts->user);
	if (path == NULL) {
		msg_error("Cannot allocate memory");
		return 1;
	}
	fd = proto_connect(path);
	if (fd < 0) {
		msg_error("Unable to connect to Upstart: "
			  "Failed to connect to socket %s: %s",
			  path, strerror(errno));
		free(path);
		return 1;
	}
	free(path);
	status = exchange(fd, call, request);
	close(fd);
	return status;
}
