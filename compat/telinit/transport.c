/* transport — see transport.h. */
#include "telinit/transport.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "lib/cli.h"
#include "lib/proto.h"
#include "telinit/tool_paths.h"

/* ---- upinit ------------------------------------------------------------- */

UpinitOutcome
transport_upinit_call(const char *socket, struct json_object *request,
		      struct json_object **reply, int *error)
{
	UpinitOutcome outcome;
	int           fd, rc;

	*reply = NULL;
	*error = 0;
	fd = proto_connect_timed(socket, TRANSPORT_REPLY_TIMEOUT_MS);
	if (fd < 0) {
		*error = errno;
		cli_debug("no upinit at %s: %s", socket, strerror(errno));
		/* A full listen queue: init is there and takes nobody. */
		return errno == EAGAIN ? UPINIT_REFUSED : UPINIT_ABSENT;
	}
	cli_debug("request: %s", json_object_to_json_string_ext(
			  request, JSON_C_TO_STRING_PLAIN));
	if (proto_send(fd, request, 0) < 0) {
		*error = errno;
		*reply = proto_refusal(fd, errno);
		outcome = *reply ? UPINIT_REFUSED : UPINIT_SEND_FAILED;
		close(fd);
		return outcome;
	}
	do
		rc = proto_recv_reply(fd, reply);
	while (rc < 0 && errno == EINTR);
	if (rc < 0 && (*reply = proto_refusal(fd, errno)) != NULL)
		rc = 1;   /* the refusal was behind the reset */
	if (rc > 0) {
		cli_debug("reply: %s", json_object_to_json_string_ext(
				  *reply, JSON_C_TO_STRING_PLAIN));
		outcome = proto_get_bool(*reply, "refused", false) ?
			  UPINIT_REFUSED : UPINIT_REPLIED;
	} else if (rc == 0) {
		outcome = UPINIT_CLOSED;
	} else {
		/* SO_RCVTIMEO expiring reads as EAGAIN; say what it means. */
		*error = errno == EAGAIN || errno == EWOULDBLOCK ? ETIMEDOUT : errno;
		outcome = UPINIT_RECV_FAILED;
	}
	close(fd);
	return outcome;
}

void
transport_report(UpinitOutcome outcome, int error, const char *socket)
{
	switch (outcome) {
	case UPINIT_ABSENT:
		cli_error("Unable to connect to Upstart: "
			  "Failed to connect to socket %s: %s",
			  socket, strerror(error));
		break;
	case UPINIT_SEND_FAILED:
		cli_error("Unable to send request: %s", strerror(error));
		break;
	case UPINIT_RECV_FAILED:
		cli_error("Unable to receive reply: %s", strerror(error));
		break;
	case UPINIT_CLOSED:
		cli_error("Connection was disconnected before a reply was received");
		break;
	case UPINIT_REFUSED:
		cli_error("Unable to connect to Upstart: %s", strerror(error ? error : ECONNREFUSED));
		break;
	case UPINIT_REPLIED:
		break;
	}
}


int
transport_print_reply(struct json_object *reply)
{
	const char **lines;
	const char  *error;
	size_t       n = 0;
	bool         bad;

	if (!proto_reply_valid(reply)) {
		cli_error("Unable to receive reply: %s", strerror(EPROTO));
		return 1;
	}
	lines = proto_get_strings(reply, "lines", &n, &bad);
	for (size_t i = 0; i < n; i++)
		cli_out(lines[i]);
	free(lines);
	error = proto_get_string(reply, "error");
	if (error != NULL)
		cli_error("%s", error);
	return json_object_get_int(json_object_object_get(reply, "status"));
}

/* ---- /run/initctl ------------------------------------------------------- */

/* Milliseconds left until `deadline` (CLOCK_MONOTONIC), at least 0. */
static int
ms_left(const struct timespec *deadline)
{
	struct timespec now;
	long long       ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (long long)(deadline->tv_sec - now.tv_sec) * 1000
		+ (deadline->tv_nsec - now.tv_nsec) / 1000000;
	return ms < 0 ? 0 : (int)ms;
}

/* Write one record whole (a pipe write of at most PIPE_BUF bytes is
 * atomic: all of it or EAGAIN), waiting for room until `deadline`. */
static int
write_record(int fd, const struct init_request *record,
	     const struct timespec *deadline)
{
	for (;;) {
		ssize_t        n = write(fd, record, sizeof(*record));
		struct pollfd  pfd = { .fd = fd, .events = POLLOUT };
		int            left;

		if (n == (ssize_t)sizeof(*record))
			return 0;
		if (n >= 0) {
			errno = EIO;
			return -1;
		}
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN)
			return -1;
		left = ms_left(deadline);
		if (left == 0 || poll(&pfd, 1, left) == 0) {
			errno = ETIMEDOUT;
			return -1;
		}
	}
}

/* Open the FIFO at `path` for writing without ever blocking; refuse
 * anything that is not a FIFO before opening it (a device's open may
 * have side effects) and after (it may have been swapped). */
static int
open_fifo(const char *path)
{
	struct stat st;
	int         fd, saved;

	if (stat(path, &st) < 0)
		return -1;
	if (!S_ISFIFO(st.st_mode)) {
		errno = EINVAL;
		return -1;
	}
	fd = open(path, O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0)
		saved = errno;
	else if (!S_ISFIFO(st.st_mode))
		saved = EINVAL;
	else
		return fd;
	close(fd);
	errno = saved;
	return -1;
}

int
transport_fifo_write(const char *path, const struct init_request *records,
		     size_t n, int timeout_ms)
{
	struct sigaction ignore = { .sa_handler = SIG_IGN }, old;
	struct timespec  deadline;
	int              fd, rc = 0, saved = 0;

	fd = open_fifo(path);
	if (fd < 0)
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += timeout_ms / 1000;
	deadline.tv_nsec += (long)(timeout_ms % 1000) * 1000000;
	if (deadline.tv_nsec >= 1000000000) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000;
	}
	/* A reader that goes away between records must not kill us. */
	sigemptyset(&ignore.sa_mask);
	sigaction(SIGPIPE, &ignore, &old);
	for (size_t i = 0; i < n && rc == 0; i++)
		if ((rc = write_record(fd, &records[i], &deadline)) < 0)
			saved = errno;
	sigaction(SIGPIPE, &old, NULL);
	close(fd);
	errno = saved;
	return rc;
}

/* ---- delivery ----------------------------------------------------------- */

/* Send `req` to sysvinit's FIFO after upinit at `socket` failed to
 * connect with `socket_error`. */
static int
deliver_to_fifo(const SysvRequest *req, const char *socket, int socket_error)
{
	const char         *fifo = tool_path(TOOL_PATH_INITCTL);
	struct init_request records[2];
	int                 n;

	n = sysv_request_initreq(req, records, sizeof(records) / sizeof(*records));
	if (n < 0) {
		cli_error("-e option data too large");
		return 1;
	}
	if (transport_fifo_write(fifo, records, (size_t)n,
				 TRANSPORT_FIFO_TIMEOUT_MS) == 0) {
		cli_debug("sent %d request(s) to sysvinit at %s", n, fifo);
		return 0;
	}
	switch (errno) {
	case ENOENT:
	case ENXIO:   /* a FIFO nobody reads: sysvinit is not running */
		cli_error("neither upinit nor sysvinit is listening "
			  "(%s: %s; %s: %s)", socket, strerror(socket_error),
			  fifo, strerror(errno));
		break;
	case ETIMEDOUT:
		cli_error("timeout opening/writing control channel %s", fifo);
		break;
	case EINVAL:
		cli_error("%s is not a fifo", fifo);
		break;
	default:
		cli_error("%s: %s", fifo, strerror(errno));
		break;
	}
	return 1;
}

int
transport_deliver(const SysvRequest *req)
{
	struct json_object *request, *reply;
	UpinitOutcome       outcome;
	char               *socket;
	int                 error, status;

	socket = proto_socket_path(NULL, false);
	request = sysv_request_json(req);
	if (socket == NULL || request == NULL) {
		cli_error("Cannot allocate memory");
		free(socket);
		json_object_put(request);
		return 1;
	}
	outcome = transport_upinit_call(socket, request, &reply, &error);
	if (outcome == UPINIT_REPLIED)
		status = transport_print_reply(reply);
	else if (outcome == UPINIT_ABSENT)
		status = deliver_to_fifo(req, socket, error);
	else if (outcome == UPINIT_REFUSED) {
		/* Init never read the request: its FIFO, which it serves
		 * whatever holds the socket, carries it instead. */
		cli_debug("upinit refused the connection: %s",
			  reply ? proto_get_string(reply, "error") : strerror(error));
		status = deliver_to_fifo(req, socket, error ? error : ECONNREFUSED);
	}
	else {
		transport_report(outcome, error, socket);
		status = 1;
	}
	json_object_put(reply);
	json_object_put(request);
	free(socket);
	return status;
}
