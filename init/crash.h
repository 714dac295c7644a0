/* crash — PID 1 never exits, even when it crashes: its exit would panic
 * the kernel (docs/reexec.md).
 *
 * A fatal signal (SEGV, BUS, ILL, FPE, ABRT) in PID 1 forks a child that
 * dumps core, then a second child that writes init's state into a memory
 * file (a child, because the crashed heap may be unusable: if it hangs or
 * dies, init goes on without state), then execs init again with that
 * state, or without it, and if even that fails waits for ever rather
 * than return into the fault or exit (which would panic the kernel).
 */
#ifndef UPINIT_CRASH_H
#define UPINIT_CRASH_H

/* Install the handlers; `argv` (kept) is the command line to re-exec. */
void crash_setup(char **argv);

#endif
