/* transport — how the SysV tools reach init: upinit's control socket
 * first, sysvinit's /run/initctl FIFO when upinit does not answer.
 *
 * Why: between installing upinit and rebooting into it, PID 1 is
 * still sysvinit, and an administrator must be able to reboot with the
 * new tools.  So "upinit is not there" — connect(2) to the control socket
 * fails, for any reason — sends the request to the FIFO instead, if one
 * exists.  So does a connection init refused without reading the
 * request (its reply says "refused"; or the connect timed out in a full
 * listen queue): under a flood of connections from other users, root's
 * telinit still reaches init through /run/initctl, which only root may
 * write.  Once upinit has taken a request, its answer is final: an error
 * or a broken exchange is reported, never retried elsewhere, so nothing
 * is done twice.
 *
 * Nothing here blocks for long: replies are awaited at most
 * TRANSPORT_REPLY_TIMEOUT_MS; the FIFO is opened non-blocking (no reader
 * means sysvinit is not there either) and each record waits at most
 * TRANSPORT_FIFO_TIMEOUT_MS for room, as sysvinit's 3 s alarm did.
 * SIGPIPE is ignored while writing.  No signal is ever sent to PID 1.
 *
 * Paths: the socket is proto_socket_path() (UPINIT_SOCKET, else
 * /run/upinit/control); the FIFO is tool_path(TOOL_PATH_INITCTL).
 */
#ifndef UPINIT_TRANSPORT_H
#define UPINIT_TRANSPORT_H

#include <stddef.h>

#include "sysv/initreq.h"
#include "telinit/sysv_request.h"

struct json_object;

#define TRANSPORT_REPLY_TIMEOUT_MS 10000
#define TRANSPORT_FIFO_TIMEOUT_MS  3000

/* What became of one exchange with upinit. */
typedef enum upinit_outcome {
	UPINIT_REPLIED,       /* *reply holds the answer */
	UPINIT_ABSENT,        /* connect(2) failed: upinit is not listening */
	UPINIT_REFUSED,       /* init took no request (too many clients, out
	                       * of descriptors, a full listen queue); *reply
	                       * may hold its refusal */
	UPINIT_SEND_FAILED,   /* connected, the request could not be sent */
	UPINIT_RECV_FAILED,   /* sent, no valid reply (timeout included) */
	UPINIT_CLOSED,        /* sent, upinit closed before replying */
} UpinitOutcome;

/* Send `request` to upinit at `socket` and wait for the reply.  On
 * UPINIT_REPLIED *reply is the reply (caller puts it); otherwise *error
 * is the errno of the step that failed (0 for UPINIT_CLOSED).  Prints
 * nothing except --debug traces. */
UpinitOutcome transport_upinit_call(const char *socket,
				    struct json_object *request,
				    struct json_object **reply, int *error);

/* Report a failed exchange the way initctl does ("Unable to send
 * request: ...", "Unable to receive reply: ...").  For UPINIT_ABSENT it
 * prints initctl's "Unable to connect" line naming `socket`. */
void transport_report(UpinitOutcome outcome, int error, const char *socket);

/* Print a reply as the protocol says (each line on stdout unless -q,
 * "PROG: error" on stderr) and return its status; a reply without an
 * integer "status" in 0..255 is reported and gives 1. */
int  transport_print_reply(struct json_object *reply);

/* Write `n` records to the FIFO at `path`.  Returns 0, or -1 with errno:
 * what open(2) or stat(2) said (ENOENT: no FIFO), ENXIO when nobody has
 * it open for reading, EINVAL when `path` is not a FIFO, ETIMEDOUT when
 * the reader does not make room within `timeout_ms`, what write(2) said. */
int  transport_fifo_write(const char *path, const struct init_request *records,
			  size_t n, int timeout_ms);

/* Carry `req` to init: upinit if it answers (its reply printed, its
 * status returned), else the FIFO (0 once written).  Every failure is
 * printed as one line; when neither init is there the line names both
 * the socket and the FIFO.  Returns the exit status. */
int  transport_deliver(const SysvRequest *req);

#endif
