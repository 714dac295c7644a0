/* rc_main — the upinit-rc program as a function.
 *
 * upinit-rc's main() is rc_main(); init links it too, to run
 * `upinit-rc --job ACTION NAME` (the pre-start and post-stop of every
 * sysv/NAME job) in its forked child without an exec (see JobBuiltin in
 * init/job_process.h).  rc_main() keeps its options in static storage:
 * it runs once per process.
 */
#ifndef UPINIT_RC_MAIN_H
#define UPINIT_RC_MAIN_H

#include <stdbool.h>

/* upinit-rc's whole command line: exit status as upinit-rc's. */
int  rc_main(int argc, char **argv);

/* Is this command line the job mode (--job)?  Only that mode runs as
 * init's builtin: it runs one script and ends. */
bool rc_main_is_job(char *const *argv);

#endif
