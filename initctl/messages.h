/* messages — how initctl talks to its user, the way libnih programs do.
 *
 * Normal output goes to stdout with no prefix and is suppressed by -q;
 * errors go to stderr as "PROG: text", PROG being the basename of argv[0]
 * (so the job links say `start: Unknown job: foo`).  Usage errors add
 * libnih's hint line.  This module keeps the program name and the
 * message priority chosen by -q/-v/--debug; nothing else is global.
 */
#ifndef UPINIT_INITCTL_MESSAGES_H
#define UPINIT_INITCTL_MESSAGES_H

/* Message priorities, lowest first, as libnih orders them. */
typedef enum msg_priority {
	MSG_DEBUG,
	MSG_INFO,
	MSG_MESSAGE,    /* the default */
	MSG_WARN,
	MSG_ERROR,      /* -q */
} MsgPriority;

/* Record the program name (basename of argv0; argv0 must outlive us). */
void        msg_init(const char *argv0);
const char *msg_program(void);
/* Show only messages at `priority` or above. */
void        msg_set_priority(MsgPriority priority);

/* "PROG: text" on stderr. */
void msg_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "Try `PROG --help' for more information." on stderr. */
void msg_suggest_help(void);
/* msg_error() followed by the hint: every command-line mistake. */
void msg_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* One line of normal output on stdout, unless -q. */
void msg_out(const char *line);
/* "PROG: text" on stderr, only with --debug. */
void msg_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
