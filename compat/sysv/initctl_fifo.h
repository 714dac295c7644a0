/* initctl_fifo — sysvinit's /run/initctl FIFO, served by PID 1 so that
 * sysvinit's tools and UPS daemons can still reach init.
 *
 * Two halves:
 *
 * 1. A pure decoder, initreq_decode(): 384 bytes in, an InitRequest out,
 *    or a static reason why the bytes are not a request.  It never reads
 *    outside the buffer it is given and keeps nothing.
 *
 * 2. The FIFO itself (one per process, module state): created with mode
 *    0600 when missing, opened O_RDWR|O_NONBLOCK so it never sees end of
 *    file, watched by the main loop (init/loop.h).  Each readable wakeup
 *    reads whole 384-byte requests until EAGAIN (at most
 *    INITCTL_FIFO_READS_PER_WAKEUP, so a flood cannot hold the loop) and
 *    hands every decoded request to the handler init set.  Bogus input —
 *    wrong size, wrong magic, unknown command, bad runlevel, an
 *    unterminated SETENV list — is dropped with at most one log line per
 *    interval (`got bogus initrequest: REASON`); the ones kept quiet are
 *    counted in the next line.  START, BSD and UNSETENV requests are
 *    logged the same way (`got unimplemented initrequest.`) and never
 *    reach the handler, as under sysvinit.
 *
 *    SIGUSR1 -> initctl_fifo_reopen(), SIGUSR2 -> initctl_fifo_close()
 *    (closed until the next reopen).  The FIFO is also reopened when the
 *    file at its path is no longer the one open (rm + mkfifo, or /run
 *    mounted over it, as Debian's mountall.sh does): checked on every
 *    wakeup, and by initctl_fifo_check(), which init calls on SIGUSR1, on
 *    every reload and periodically — a replaced FIFO never wakes us.
 *
 * Ownership: the module owns its copy of the path, the descriptor and its
 * loop watch; initctl_fifo_reset() releases all of them.  The handler's
 * InitRequest is valid only during the call.
 */
#ifndef UPINIT_INITCTL_FIFO_H
#define UPINIT_INITCTL_FIFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sysv/initreq.h"

#define INITCTL_FIFO_PATH             "/run/initctl"
#define INITCTL_FIFO_DEV_PATH         "/dev/initctl"
/* At most this many requests per SETENV (sysvinit's extra_env slots). */
#define INITREQ_ENV_MAX               16
/* Seconds between SIGTERM and SIGKILL that a request may ask for. */
#define INITREQ_SLEEPTIME_MAX         3600
#define INITCTL_FIFO_READS_PER_WAKEUP 64
/* Default: one `got bogus initrequest` line per this many milliseconds. */
#define INITCTL_FIFO_BOGUS_INTERVAL   10000

/* ---- the decoder ------------------------------------------------------ */

typedef enum init_request_type {
	INIT_REQUEST_RUNLEVEL,       /* runlevel: 0-9 S Q U A B C */
	INIT_REQUEST_POWERFAIL,      /* as SIGPWR with powerstatus F */
	INIT_REQUEST_POWERFAILNOW,   /* ... L */
	INIT_REQUEST_POWEROK,        /* ... O */
	INIT_REQUEST_SETENV,         /* env entries: set or unset INIT_* */
	INIT_REQUEST_UNIMPLEMENTED,  /* START, BSD, UNSETENV: valid, ignored */
} InitRequestType;

/* One decoded request.  Not to be confused with `struct init_request`,
 * the wire format in initreq.h. */
typedef struct initctl_request {
	InitRequestType type;
	int      cmd;          /* the wire command code */
	/* RUNLEVEL only: the level, upper-cased ('2', 'S', 'Q', 'U', 'A').
	 * 0 for every other type. */
	char     runlevel;
	/* RUNLEVEL and POWER*: seconds between SIGTERM and SIGKILL, as sent
	 * (0..INITREQ_SLEEPTIME_MAX).  0 for every other type. */
	int      sleeptime;
	/* SETENV only: the INIT_* entries kept, in order, each "NAME=VALUE"
	 * (set) or "NAME" (unset); read them with initreq_env(). */
	size_t   env_len;
	/* SETENV only: entries dropped silently — names not starting with
	 * INIT_, names with characters other than [A-Za-z0-9_], and entries
	 * past the INITREQ_ENV_MAX-th. */
	size_t   env_dropped;
	char     env_buf[INITREQ_DATA_SIZE];
	uint16_t env_at[INITREQ_ENV_MAX];   /* offsets into env_buf */
} InitRequest;

/* Decode `len` bytes at `buf`.  Returns 0 with *req filled in, or -1 with
 * errno EINVAL and *why (when `why` is not NULL) set to a static reason:
 * "wrong size" (len is not exactly INITREQ_SIZE), "wrong magic",
 * "unknown command", "bad runlevel", "bad sleeptime", "unterminated
 * environment list".  `buf` needs no alignment. */
int         initreq_decode(const void *buf, size_t len, InitRequest *req,
			   const char **why);
/* Entry `i` (< req->env_len) of a SETENV request. */
const char *initreq_env(const InitRequest *req, size_t i);
/* True when entry `i` unsets its name ("NAME" without '='). */
bool        initreq_env_is_unset(const InitRequest *req, size_t i);
/* "runlevel", "powerfail", "powerfailnow", "powerok", "setenv",
 * "unimplemented". */
const char *initreq_type_name(InitRequestType type);

/* ---- the FIFO --------------------------------------------------------- */

typedef void (*InitctlFifoHandler)(const InitRequest *req, void *data);

/* What the FIFO has seen since the last initctl_fifo_reset(). */
typedef struct initctl_fifo_stats {
	unsigned long requests;       /* handed to the handler */
	unsigned long dropped;        /* bogus or unimplemented, not handed */
	unsigned long log_lines;      /* lines written about dropped ones */
	unsigned long reopens;        /* successful opens after the first */
} InitctlFifoStats;

/* The function every decoded request goes to (NULL: none; requests are
 * then read and discarded).  The handler may call initctl_fifo_close()
 * or initctl_fifo_reopen(); reading stops for that wakeup if it does. */
void initctl_fifo_set_handler(InitctlFifoHandler fn, void *data);

/* Serve the FIFO at `path` (NULL: INITCTL_FIFO_PATH), closing any FIFO
 * served before.  Creates it with mkfifo(path, 0600) when missing; refuses
 * anything at `path` that is not a FIFO (`PATH is not a fifo`) or that
 * belongs to another user; takes group and other permissions away from an
 * existing FIFO.  Returns 0, or -1 with errno after logging why; the path
 * is remembered either way, so initctl_fifo_check() retries later (for
 * example once /run is mounted). */
int  initctl_fifo_open(const char *path);

/* Serve an already open FIFO descriptor inherited across re-exec, for
 * `path`.  Takes ownership of `fd` (closed on failure).  Returns 0 or -1. */
int  initctl_fifo_adopt(const char *path, int fd);

/* SIGUSR1: close and open again at the remembered path, re-creating the
 * FIFO if it is gone.  Also ends a close.  Returns as initctl_fifo_open. */
int  initctl_fifo_reopen(void);

/* SIGUSR2: close the FIFO and keep it closed until the next reopen. */
void initctl_fifo_close(void);

/* Reopen when the file at the path is not the one open (removed,
 * replaced, or a new /run mounted over it), or open it if an earlier open
 * failed.  Does nothing while closed by initctl_fifo_close().  Returns 0
 * when the FIFO is open afterwards (or deliberately closed), -1 if not.
 * A failure that repeats is logged once. */
int  initctl_fifo_check(void);

/* Point `devpath` (NULL: INITCTL_FIFO_DEV_PATH) at the FIFO's path with a
 * symlink, for tools that still write to /dev/initctl.  An existing
 * symlink or FIFO there is replaced atomically; anything else is left
 * alone (EEXIST).  A read-only or missing /dev is not an error worth more
 * than an info line: returns -1 with errno and init carries on. */
int  initctl_fifo_link_dev(const char *devpath);

/* The open descriptor (for re-exec), or -1. */
int  initctl_fifo_fd(void);
/* The remembered path, or NULL. */
const char *initctl_fifo_path(void);
void initctl_fifo_get_stats(InitctlFifoStats *stats);
/* At most one line about dropped requests per `ms` (tests shorten it). */
void initctl_fifo_set_bogus_interval(uint64_t ms);

/* Close the FIFO, forget path, handler, counters and settings. */
void initctl_fifo_reset(void);

#endif
