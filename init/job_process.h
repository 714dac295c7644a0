/* job_process — spawning, signalling and reaping the processes of jobs.
 *
 * Spawning is asynchronous: job_process_start() forks a child that sets
 * itself up (session, console, environment, limits, chroot, chdir,
 * credentials) and execs; it reports a failed step over a close-on-exec
 * pipe.  When the pipe closes without a report the process is launched
 * (job_process_launched); a report makes it a spawn failure.  Nothing in
 * init waits for a child.
 *
 * `expect stop` waits for the main process to stop itself; `expect fork`
 * and `expect daemon` follow one or two forks with ptrace.
 */
#ifndef UPINIT_JOB_PROCESS_H
#define UPINIT_JOB_PROCESS_H

#include <stdbool.h>
#include <sys/resource.h>
#include <sys/types.h>

#include "init/job.h"

/* Fork the process `type` of `job`.  Returns 0 (job->pid[type] set and the
 * launch pending) or -1 when no child could be made (message logged). */
int   job_process_start(Job *job, ProcessType type);

/* Send the kill signal to the main process group and arm the kill timer;
 * when the timer fires SIGKILL follows.  A stop always ends: if the
 * process cannot be found, it is treated as killed. */
void  job_process_kill(Job *job, ProcessType type);

/* A spawn of `type` failed with `err` (errno).  A respawn job's main
 * process that failed for want of a resource that comes back (EMFILE,
 * ENFILE, EAGAIN, ENOMEM: a user filling init's descriptor table, a
 * fork bomb) is tried again after 1 s, then 2, 4 ... 30 s, the job
 * waiting in spawning meanwhile; returns true then.  Otherwise false: the
 * caller fails the job, as before. */
bool  job_process_retry_later(Job *job, ProcessType type, int err);
/* A goal other than start cancels the retry: true when there was one. */
bool  job_process_cancel_retry(Job *job);

/* The job is about to leave killed or post-stop.  When a stop was
 * asked for (job->kill_all) and its cgroup still holds processes, they
 * get the kill signal, SIGKILL after the kill timeout, and this returns
 * true: the job waits, and moves on by itself once the cgroup is
 * empty.  False when there is nothing to wait for. */
bool  job_process_drain(Job *job);
bool  job_process_draining(const Job *job);
/* Re-exec: a job that was waiting so waits again (false when it was
 * not, or its cgroup is gone). */
bool  job_process_adopt_drain(Job *job);

/* status -v: "\tcgroup PATH", then "\tprocess PID COMMAND" for each
 * process in the instance's cgroup (its command line, or [comm] when
 * it has none), each on one line. */
void  job_process_list(const Job *job, JobLineFn fn, void *data);
/* What it lists (and status -v --json): the path of the instance's
 * cgroup in `buf` (false when init runs without cgroups or the instance
 * has none yet), and `fn` once for each process in it that is still
 * there, with its command as above. */
bool  job_process_cgroup(const Job *job, char *buf, size_t size);
typedef void (*JobMemberFn)(void *data, pid_t pid, const char *command);
void  job_process_members(const Job *job, JobMemberFn fn, void *data);

/* Reap every child that has changed state (SIGCHLD). */
void  job_process_reap(void);

/* Drop what a job's process slots hold (spawn pipes, timers). */
void  job_process_cleanup(Job *job);

/* Hooks for the SysV layer (utmp records): a main process of a job
 * with `utmp ID` was launched; any child at all was reaped. */
void  job_process_set_hooks(void (*launched)(const Job *job, pid_t pid),
			    void (*reaped)(pid_t pid));

/* A builtin: a program init runs in the forked child itself instead of
 * exec'ing it, as a shell runs its builtins.  The SysV plug-in's script
 * runner is one: it runs once per SysV script, and an exec with its
 * dynamic linking would cost every script about a millisecond of CPU.
 *
 * In the child, after the whole set-up and just before the exec,
 * `accepts` is asked with the argv the exec would get.  When it says
 * yes, the process counts as launched, every descriptor but 0-2 is
 * closed (what close-on-exec would have done), the process is renamed
 * `name` (comm, and its command line when init may) and it exits with
 * what `run` returns.  Both must behave exactly as the program would; a
 * job cannot tell the difference but by /proc/PID/exe.  The structure is
 * the caller's and must outlive its use (static storage); NULL removes
 * it. */
typedef struct job_builtin {
	const char *name;
	bool (*accepts)(char *const *argv);
	int  (*run)(int argc, char **argv);
} JobBuiltin;

void  job_process_set_builtin(const JobBuiltin *builtin);

/* The descriptor limit jobs start with (unless `limit nofile`): the one
 * init was given, before PID 1 raised its own (system.h). */
void  job_process_set_nofile(const struct rlimit *limit);
bool  job_process_get_nofile(struct rlimit *limit);

/* Options of spawned processes. */
void  job_process_set_user_mode(bool user_mode);
void  job_process_set_socket(const char *path);  /* exported as UPINIT_SOCKET */

/* Re-exec: watch an inherited report pipe again; re-arm the kill timer
 * for the monotonic time `due_ms` (0 when none: see kill_due); let the
 * report pipes survive exec or not. */
void  job_process_adopt_spawn(Job *job, ProcessType type, int fd);
void  job_process_arm_kill(Job *job, uint64_t due_ms);
uint64_t job_process_kill_due(const Job *job);
void  job_process_inherit(Job *job, bool inherit);

/* Called by job_process when a process ended: the state machine part. */
void  job_process_terminated(Job *job, ProcessType type, int status);

#endif
