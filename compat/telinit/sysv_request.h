/* sysv_request — what a SysV tool asks of init, in both of init's
 * languages.
 *
 * Every tool reduces its command line to one SysvRequest, then
 * transport.c carries it: to upinit as one control-protocol request
 * (lib/proto.h, "SysV requests"), or — when upinit does not answer and
 * sysvinit is PID 1 (the time between installing upinit and rebooting
 * into it) — as 384-byte init_request records written to /run/initctl
 * (compat/sysv/initreq.h).  This module only translates; it does no I/O
 * and keeps nothing.
 *
 *   kind        upinit request                           /run/initctl records
 *   RUNLEVEL    {"cmd":"telinit","runlevel":"2",         [SETENV fifo_setenv,] RUNLVL '2'
 *                "env":[...]}
 *   RELOAD      {"cmd":"reload-configuration"}           RUNLVL 'Q'
 *   REEXEC      {"cmd":"reexec"}                         RUNLVL 'U'
 *   ONDEMAND    {"cmd":"ondemand","level":"a"}           RUNLVL 'A'
 *   INIT_ENV    {"cmd":"init-env","vars":[...]}          SETENV vars
 *
 * The SETENV record before a RUNLVL is how sysvinit's shutdown hands
 * INIT_HALT to /etc/init.d/halt; under upinit the same variables travel
 * in the runlevel event instead ("env"), which is why the two lists are
 * separate (shutdown -r sends no env but unsets INIT_HALT on the FIFO).
 */
#ifndef UPINIT_SYSV_REQUEST_H
#define UPINIT_SYSV_REQUEST_H

#include <stdbool.h>
#include <stddef.h>

#include "sysv/initreq.h"

struct json_object;

typedef enum sysv_request_kind {
	SYSV_REQUEST_RUNLEVEL,   /* change to `level` ('0'-'6' or 'S') */
	SYSV_REQUEST_RELOAD,     /* telinit q */
	SYSV_REQUEST_REEXEC,     /* telinit u */
	SYSV_REQUEST_ONDEMAND,   /* telinit a|b|c: `level` is 'a', 'b' or 'c' */
	SYSV_REQUEST_INIT_ENV,   /* telinit -e INIT_X[=V]: `env` */
} SysvRequestKind;

/* TERM-to-KILL delay sysvinit's telinit sends when -t is not given. */
#define SYSV_REQUEST_SLEEPTIME 3

/* Nothing here is owned: the lists are the caller's, NULL-terminated,
 * and may be NULL when empty. */
typedef struct sysv_request {
	SysvRequestKind    kind;
	char               level;
	/* RUNLEVEL: extra variables of the runlevel event ("KEY=VALUE").
	 * INIT_ENV: the entries to set ("INIT_X=V") or unset ("INIT_X"). */
	const char *const *env;
	/* RUNLEVEL only, FIFO only: entries of a SETENV record written just
	 * before the RUNLVL one (none when NULL or empty). */
	const char *const *fifo_setenv;
	/* FIFO only: the sleeptime field of RUNLVL records. */
	int                sleeptime;
} SysvRequest;

/* What a telinit argument means: true with *kind and *level set for
 * one of `0123456SsQqUuAaBbCc` (S, s -> 'S'; A-C -> 'a'-'c'), false for
 * anything else, including a string of more than one character. */
bool sysv_request_parse_level(const char *arg, SysvRequestKind *kind,
			      char *level);

/* The control-protocol request for `req` (caller puts it), or NULL when
 * out of memory. */
struct json_object *sysv_request_json(const SysvRequest *req);

/* The /run/initctl records for `req`, in the order they are written, into
 * out[0..max).  Returns how many (1 or 2), or -1 with errno EMSGSIZE when
 * an environment list does not fit a record's 368 bytes (each entry and
 * a closing empty string, NUL-terminated) or `max` is too small, EINVAL
 * for a request with no FIFO form. */
int  sysv_request_initreq(const SysvRequest *req, struct init_request *out,
			  size_t max);

/* Fill one SETENV record from `entries` (NULL-terminated, may be NULL).
 * Returns 0, or -1 with errno EMSGSIZE when they do not fit. */
int  sysv_request_setenv(struct init_request *out, const char *const *entries);

#endif
