/* signame — signal names as job files, logs and job events write them.
 *
 * "TERM" or "SIGTERM" in, "TERM" out, with the names of the C library
 * (sigabbrev_np) and the old aliases IOT, CLD and POLL that Upstart
 * accepts.  Nothing is allocated: the names returned are static.
 */
#ifndef UPINIT_SIGNAME_H
#define UPINIT_SIGNAME_H

/* A signal by name only ("TERM" or "SIGTERM"), as `normal exit` takes
 * them (a number there is an exit status).  -1 when unknown. */
int         signal_from_name(const char *name);

/* A name as above or a number from 1 to NSIG-1, as `kill signal` and
 * `reload signal` take them.  -1 when neither. */
int         parse_signal(const char *name);

/* "TERM" for SIGTERM; NULL when the number has no name. */
const char *signal_name(int signum);

#endif
