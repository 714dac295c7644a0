/* cgroup — the cgroup2 subtree that holds the processes of every job.
 *
 * Process groups and pids lose track of a daemon that double-forks out
 * of its group, of a SysV script's daemon and of anything a hook left
 * behind.  A control group does not: a process cannot leave it, and its
 * children are born in it.  So init keeps one cgroup per job instance,
 *
 *     BASE/upinit/JOB             (a job of one instance)
 *     BASE/upinit/JOB/INSTANCE    (one of several)
 *
 * where BASE is the cgroup init itself was started in (the root of the
 * hierarchy for PID 1; a delegated subtree for `init --user`), and a
 * name is escaped as cgroup_name() says.  Every process of the instance
 * starts in it; stopping the instance kills what is left in it, and the
 * kernel says when it is empty (cgroup.events).
 *
 * Only cgroup v2 is used for tracking: a hierarchy of type cgroup2,
 * wherever it is mounted (/sys/fs/cgroup, or /sys/fs/cgroup/unified on
 * a hybrid system).  PID 1 mounts one on /sys/fs/cgroup when there is
 * none.  Without one, or without the right to write in BASE, init
 * tracks by process group only, as Upstart did, and says so once.
 *
 * Everything below works relative to a descriptor of BASE/upinit kept
 * open for init's life (and across re-exec), so a file system mounted
 * over the path later (a hybrid layout's tmpfs) changes nothing.
 *
 * Ownership: the module owns that descriptor.  Functions returning
 * `char *` or `pid_t *` give the caller memory to free.
 */
#ifndef UPINIT_CGROUP_H
#define UPINIT_CGROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Find (or, when `may_mount`, mount) the cgroup2 hierarchy and make
 * BASE/upinit.  `delegated_only`: use BASE only if it is not the root
 * of the hierarchy and we may write to it (init --user).  Logs once
 * what it decided.  True when jobs will have cgroups. */
bool  cgroup_setup(bool may_mount, bool delegated_only);

/* Re-exec: the previous image's descriptor of BASE/upinit and the path
 * it names within the hierarchy.  True when `fd` is a directory of a
 * cgroup2 file system (it is then ours); false leaves tracking off. */
bool  cgroup_adopt(int fd, const char *path);
int   cgroup_fd(void);                 /* -1 when off */
/* The subtree's path within the hierarchy, as /proc/PID/cgroup shows
 * it ("/upinit"), or NULL when off. */
const char *cgroup_path(void);
/* Keep the descriptor open across exec, or not. */
void  cgroup_inherit(bool inherit);
bool  cgroup_enabled(void);
/* Drop the descriptor (tests, teardown). */
void  cgroup_close(void);
/* A user init leaving: remove BASE/upinit if it is empty, and close. */
void  cgroup_teardown(void);

/* The cgroup of an instance, relative to BASE/upinit: "JOB" or
 * "JOB/INSTANCE" for a non-empty instance name.  Each part is escaped:
 * `/`, `\` and control characters become \xNN; a name the kernel or a
 * controller could take for one of its own files ("cgroup.procs",
 * "memory.max", "tasks", anything starting with `.` or `_`) gets a `_`
 * in front, as systemd does; a part longer than a file name may be is
 * cut and ends in a hash of the whole.  NULL when out of memory. */
char *cgroup_name(const char *job, const char *instance);

/* Create the cgroup `name` (and its parent).  0, or -1 with errno. */
int   cgroup_make(const char *name);
/* Remove it when empty, and its parent when that is empty too (an
 * instance's JOB directory).  Failure is not an error: a cgroup still
 * holding processes stays for the next instance. */
void  cgroup_remove(const char *name);

/* Descriptors of the cgroup: its directory (O_PATH, for
 * clone3(CLONE_INTO_CGROUP)), its cgroup.procs for writing (a child
 * writes "0" to move itself) and its cgroup.events (poll it for
 * EPOLLPRI: it changes when the cgroup empties).  -1 with errno. */
int   cgroup_open_dir(const char *name);
int   cgroup_open_procs(const char *name);
int   cgroup_open_events(const char *name);

/* 1 when the cgroup holds a process, 0 when empty, -1 when it cannot
 * be read.  The _fd form rereads an events descriptor, which also
 * clears its pending EPOLLPRI. */
int   cgroup_populated(const char *name);
int   cgroup_populated_fd(int events_fd);

/* Send `sig` to every process in the cgroup and below.  SIGKILL goes
 * through cgroup.kill where the kernel has it (no process can fork
 * away meanwhile).  Returns how many processes were signalled (for
 * SIGKILL by cgroup.kill: 1 when any), or -1 when it cannot be read. */
int   cgroup_signal(const char *name, int sig);

/* The processes in the cgroup (not below it), in the kernel's order;
 * *n is their number.  NULL with *n = 0 when none or on error. */
pid_t *cgroup_pids(const char *name, size_t *n);

#endif
