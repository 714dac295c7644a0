/* rc_sched — when each step of an rc plan's phase may run.
 *
 * The scheduler knows nothing of processes: the runner asks it for the
 * next step to launch, launches it, and tells it when the step ended
 * (whatever its exit status: a script that fails is reported and the
 * boot goes on, as under startpar).  A step may start once
 *
 *   - every step it comes after has ended,
 *   - fewer than `limit` steps run, and
 *   - no interactive step runs: an interactive step (X-Interactive, or
 *     insserv's INTERACTIVE) starts only when nothing else runs, and
 *     nothing starts beside it, so it has the console to itself.
 *
 * Among the steps that may start, the one with the longest chain of
 * steps waiting for it goes first (then the plan's order): with a limit,
 * that keeps the critical path moving.  With no limit in the way, every
 * step starts the moment its last predecessor ends, so a phase takes as
 * long as its longest chain.
 *
 * Ownership: the scheduler borrows the phase, which must outlive it, and
 * owns its own arrays; rc_sched_free() releases them.
 */
#ifndef UPINIT_RC_SCHED_H
#define UPINIT_RC_SCHED_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "sysv/rc_plan.h"

typedef struct rc_sched {
	const RcPhase *phase;
	size_t         limit;
	unsigned char *state;       /* per step: waiting, running, ended */
	size_t        *left;        /* per step: predecessors not ended */
	size_t        *height;      /* per step: longest chain after it */
	size_t       **next;        /* per step: the steps that come after it */
	size_t        *nnext;
	size_t         running;
	size_t         ended;
	bool           alone;       /* an interactive step runs */
} RcSched;

/* Set up for `phase` with at most `limit` steps at once (0: no limit).
 * Returns 0, or -1 when out of memory. */
int     rc_sched_init(RcSched *s, const RcPhase *phase, size_t limit);
void    rc_sched_free(RcSched *s);

/* The next step to launch now (marked running), or -1 when none may. */
ssize_t rc_sched_next(RcSched *s);
/* Step `i`, launched before, has ended. */
void    rc_sched_ended(RcSched *s, size_t i);
/* Has every step ended? */
bool    rc_sched_finished(const RcSched *s);

/* Where rc_sched_default_limit() looks (tests point it elsewhere). */
typedef struct rc_mem_files {
	const char *meminfo;      /* "/proc/meminfo" */
	const char *self_cgroup;  /* "/proc/self/cgroup" */
	const char *cgroup_root;  /* "/sys/fs/cgroup" */
} RcMemFiles;

/* How many scripts may run at once on this machine: one per 4 MiB of
 * memory available (a shell running an init script and its first
 * children need less than 1 MiB), at least 16, at most 512.  Memory
 * available is MemAvailable, or less when our memory cgroup (cgroup v2's
 * memory.max, or v1's memory.limit_in_bytes, minus what the cgroup uses)
 * leaves less, as in a container with a memory cap.  16 when nothing can
 * be read.  `files` NULL: the real ones. */
size_t  rc_sched_default_limit(const RcMemFiles *files);

#endif
