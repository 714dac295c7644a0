/* messages — how initctl talks to its user, the way libnih programs do.
 *
 * The implementation is shared with the SysV tools and lives in lib/cli.h
 * (normal output on stdout unless -q, errors as "PROG: text" on stderr,
 * PROG being the basename of argv[0], libnih's --help hint after usage
 * errors).  initctl keeps its own names for it: each msg_ name below is
 * the cli_ function of the same suffix, and MsgPriority is CliPriority.
 */
#ifndef UPINIT_INITCTL_MESSAGES_H
#define UPINIT_INITCTL_MESSAGES_H

#include "lib/cli.h"

/* Message priorities, lowest first, as libnih orders them. */
typedef CliPriority MsgPriority;
#define MSG_DEBUG    CLI_DEBUG
#define MSG_INFO     CLI_INFO
#define MSG_MESSAGE  CLI_MESSAGE    /* the default */
#define MSG_WARN     CLI_WARN
#define MSG_ERROR    CLI_ERROR      /* -q */

/* Record the program name (basename of argv0; argv0 must outlive us). */
#define msg_init          cli_init
#define msg_program       cli_program
/* Show only messages at `priority` or above. */
#define msg_set_priority  cli_set_priority

/* "PROG: text" on stderr. */
#define msg_error         cli_error
/* "Try `PROG --help' for more information." on stderr. */
#define msg_suggest_help  cli_suggest_help
/* msg_error() followed by the hint: every command-line mistake. */
#define msg_usage_error   cli_usage_error
/* One line of normal output on stdout, unless -q. */
#define msg_out           cli_out
/* "PROG: text" on stderr, only with --debug. */
#define msg_debug         cli_debug

#endif
