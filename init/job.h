/* job — job instances and the state machine.
 *
 * A Job is one instance of a JobClass.  Its goal (start/stop) is what was
 * asked for; its state is where it is on the way.  job_next_state() is the
 * one table of transitions (docs/state-machine.md); job_change_state()
 * performs the action of each state it enters until a state has to wait
 * (for an event to finish, a process to be spawned or to end).
 *
 * Ownership: the class's `instances` list owns its Jobs; a Job holds one
 * reference on its class, owns its environments, its copy of `stop on`,
 * its blocking list and its logs.  A job that reaches `waiting` is freed
 * (job_change_state returns false then, and the caller must not touch it).
 */
#ifndef UPINIT_JOB_H
#define UPINIT_JOB_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/queue.h>
#include <sys/types.h>

#include "init/blocked.h"
#include "lib/environ.h"
#include "init/event_operator.h"
#include "init/job_class.h"
#include "init/socket_source.h"

struct event;
struct timer;
struct watch;
struct job_log;

typedef enum job_goal {
	JOB_STOP,
	JOB_START,
	JOB_RESPAWN,
} JobGoal;

typedef enum job_state {
	JOB_WAITING,
	JOB_STARTING,
	JOB_SECURITY_SPAWNING,
	JOB_SECURITY,
	JOB_PRE_STARTING,
	JOB_PRE_START,
	JOB_SPAWNING,
	JOB_SPAWNED,
	JOB_POST_STARTING,
	JOB_POST_START,
	JOB_RUNNING,
	JOB_PRE_STOPPING,
	JOB_PRE_STOP,
	JOB_STOPPING,
	JOB_KILLED,
	JOB_POST_STOPPING,
	JOB_POST_STOP,
} JobState;

/* How far `expect fork`/`expect daemon` tracing has got. */
typedef enum trace_state {
	TRACE_NONE,
	TRACE_NEW,        /* waiting for the exec trap of the traced child */
	TRACE_NEW_CHILD,  /* waiting for the SIGSTOP of a forked child */
	TRACE_NORMAL,     /* traced, waiting for the next fork */
} TraceState;

/* A process being spawned: the child reports setup failures on a pipe. */
typedef struct job_spawn {
	int           fd;         /* read end of the setup-report pipe */
	struct watch *watch;      /* removed before the job is freed */
	struct job   *job;
	int           type;       /* ProcessType */
} JobSpawn;

typedef struct job {
	TAILQ_ENTRY(job) link;          /* in class->instances */
	JobClass      *class;           /* one reference */
	char          *name;            /* instance name, "" for single */
	uint64_t       id;

	JobGoal        goal;
	JobState       state;

	EnvList        env;             /* environment of the running instance */
	EnvList        start_env;       /* pending environment for the next start */
	bool           has_start_env;
	EnvList        stop_env;        /* environment for pre-stop/post-stop */
	/* Listening sockets (socket activation) the start events carried,
	 * taken with start_env; those of the running instance, for its
	 * main process (init/socket_source.h). */
	SocketSet      start_sockets;
	SocketSet      sockets;

	EventOperator *stop_on;         /* this instance's copy */
	struct event  *blocker;         /* our own starting/stopping event */
	BlockedList    blocking;        /* events and clients we hold */

	pid_t          pid[PROCESS_COUNT];
	JobSpawn       spawn[PROCESS_COUNT];
	struct job_log *log[PROCESS_COUNT];
	struct timer  *kill_timer;
	pid_t          kill_pid;        /* process group the kill timer is for */

	bool           failed;
	int            failed_process;  /* ProcessType, or -1 for respawn */
	int            exit_status;     /* exit code or signum << 8 */

	uint64_t       respawn_time_ms;
	int            respawn_count;
	struct timer  *spawn_retry;     /* a respawn job's main spawn, again */
	unsigned       spawn_retry_ms;  /* the next wait before it */

	TraceState     trace_state;
	int            trace_forks;
	pid_t          forked_from;     /* parent of the followed main process */

	/* The instance's cgroup (init/cgroup.h), made at its first spawn;
	 * NULL without cgroups.  A stop that was asked for (command,
	 * event, shutdown: not a main process that ended by itself) kills
	 * what is left in it, unless `kill mode process`: `kill_all`.
	 * While the job waits for it to empty (in killed or post-stop),
	 * `drain_fd` is its cgroup.events, watched by `drain_watch`. */
	char          *cgroup;
	bool           kill_all;
	bool           kill_only;       /* this stop runs no pre-stop, post-stop */
	int            drain_fd;
	struct watch  *drain_watch;

	/* Why (init/history.h): the latest goal change, one reference;
	 * and this run's entry in the boot timeline (init/timeline.h), 0
	 * for none. */
	struct record *cause;
	uint64_t       span;
} Job;

/* "job" or "job (instance)" — static buffer, valid until the next call. */
const char *job_name(const Job *job);
const char *job_goal_name(JobGoal goal);
const char *job_state_name(JobState state);
const char *process_name(ProcessType type);

/* A new instance of `class` named `name`, in stop/waiting. */
Job  *job_new(JobClass *class, const char *name);
/* Free an instance at rest (called from job_change_state). */
void  job_free(Job *job);

/* Find an instance by name in a class. */
Job  *job_find(JobClass *class, const char *name);

/* The one table of transitions. */
JobState job_next_state(const Job *job);

/* Enter `state` and keep going while nothing has to be waited for.
 * Returns false when the job reached waiting and was freed. */
bool  job_change_state(Job *job, JobState state);

/* Set the goal; moves the job when it is resting.  Returns false when
 * the job was freed. */
bool  job_change_goal(Job *job, JobGoal goal);

/* Set the goal and record the change with the cause at hand (see
 * init/history.h); nothing moves: the caller moves the job on. */
void  job_set_goal(Job *job, JobGoal goal);

/* After a re-exec: an instance the previous image gave no cause (an
 * older version) gets a goal record saying so, so that why has an
 * answer. */
void  job_note_restored(Job *job);

/* A new request (command or event) sets the goal: what the job held for
 * the earlier one is released once the goal has changed, so waiting
 * clients print the status the job has now (as Upstart's clients see it
 * when they ask).  The caller adds the new request's blocks afterwards.
 * Returns false when the job was freed. */
bool  job_new_goal(Job *job, JobGoal goal);
/* Take an instance at rest (new, in stop/waiting) through stopping,
 * killed and post-stop, as if it had been running: the stop of a class
 * with script_actions.  Returns false when it reached waiting at once and
 * was freed. */
bool  job_stop_at_rest(Job *job);

/* Release everything the job holds (events, waiting clients). */
void  job_finished(Job *job, bool failed);
/* Record a failure (the first one sticks) and release with failure. */
void  job_failed(Job *job, int process, int status);

/* The job's own starting/stopping event finished. */
void  job_blocker_finished(Job *job);

/* Status lines as initctl prints them, "job[ (inst)] goal/state[, process
 * PID]" as Upstart does (Debian's scripts parse them): the first line, then
 * one TAB line per further process; appended to `out` via the callback. */
typedef void (*JobLineFn)(void *data, const char *line);
void  job_status_lines(const Job *job, JobLineFn fn, void *data);
/* The walk behind them (and behind status --json): `fn` once for each
 * process the instance has, in the order status lists them (main,
 * pre-start, post-start, pre-stop, post-stop, security). */
typedef void (*JobProcessFn)(void *data, ProcessType type, pid_t pid);
void  job_foreach_process(const Job *job, JobProcessFn fn, void *data);
/* "name stop/waiting" for a class without instances. */
void  job_class_status_line(const JobClass *class, JobLineFn fn, void *data);

/* Visit every instance of every registered class (and of classes kept
 * alive only by their instances).  The callback may not free jobs. */
void  job_foreach(void (*fn)(Job *job, void *data), void *data);

/* Re-exec: find an instance by id; give a restored one its old id. */
Job  *job_find_id(uint64_t id);
void  job_set_id(Job *job, uint64_t id);

/* Find the job and process type owning `pid`; NULL when none. */
Job  *job_find_by_pid(pid_t pid, ProcessType *type);

/* The instance `pid` or one of its ancestors runs in: its name into
 * `name` and its latest goal record (borrowed), for the cause of a
 * control client's request (a HistoryPidResolver); NULL when none. */
struct record *job_record_of_pid(pid_t pid, char *name, size_t len);

/* Is some instance between states (a service not yet running, a task
 * not finished, a stop under way)?  For the boot timeline. */
bool  job_any_busy(void);

#endif
