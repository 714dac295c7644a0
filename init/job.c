/* job — instances and the state machine.  See job.h. */
#include "init/job.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "init/cgroup.h"
#include "init/cgroup_limits.h"
#include "init/event.h"
#include "init/history.h"
#include "init/job_env.h"
#include "init/job_log.h"
#include "init/job_process.h"
#include "init/log.h"
#include "init/loop.h"
#include "lib/signame.h"
#include "init/registry.h"
#include "init/timeline.h"
#include "lib/fsutil.h"

/* Every instance, whatever class (registered or kept alive by it). */
static uint64_t next_job_id = 1;

static const char *const goal_names[] = {
	[JOB_STOP] = "stop", [JOB_START] = "start", [JOB_RESPAWN] = "respawn",
};

static const char *const state_names[] = {
	[JOB_WAITING] = "waiting",
	[JOB_STARTING] = "starting",
	[JOB_SECURITY_SPAWNING] = "security-spawning",
	[JOB_SECURITY] = "security",
	[JOB_PRE_STARTING] = "pre-starting",
	[JOB_PRE_START] = "pre-start",
	[JOB_SPAWNING] = "spawning",
	[JOB_SPAWNED] = "spawned",
	[JOB_POST_STARTING] = "post-starting",
	[JOB_POST_START] = "post-start",
	[JOB_RUNNING] = "running",
	[JOB_PRE_STOPPING] = "pre-stopping",
	[JOB_PRE_STOP] = "pre-stop",
	[JOB_STOPPING] = "stopping",
	[JOB_KILLED] = "killed",
	[JOB_POST_STOPPING] = "post-stopping",
	[JOB_POST_STOP] = "post-stop",
};

static const char *const process_names[] = {
	[PROCESS_MAIN] = "main", [PROCESS_PRE_START] = "pre-start",
	[PROCESS_POST_START] = "post-start", [PROCESS_PRE_STOP] = "pre-stop",
	[PROCESS_POST_STOP] = "post-stop", [PROCESS_SECURITY] = "security",
};

const char *job_goal_name(JobGoal goal)     { return goal_names[goal]; }
const char *job_state_name(JobState state)  { return state_names[state]; }

const char *
process_name(ProcessType type)
{
	return (unsigned)type < PROCESS_COUNT ? process_names[type] : "respawn";
}

const char *
job_name(const Job *job)
{
	static char buf[1024];
	size_t n;

	n = (size_t)snprintf(buf, sizeof buf, "%s", job->class->name);
	if (job->name[0] && n + 2 < sizeof buf) {
		/* An instance is named by its job's variables, and a value
		 * may hold a newline: every status line, list entry and log
		 * line must stay one line, so control characters are
		 * written as C escapes.  The instance itself keeps its
		 * name. */
		n += (size_t)snprintf(buf + n, sizeof buf - n, " (");
		for (const unsigned char *c = (const unsigned char *)job->name;
		     *c && n + 5 < sizeof buf; c++) {
			if (*c == '\n')
				n += (size_t)snprintf(buf + n, sizeof buf - n, "\\n");
			else if (*c == '\t')
				n += (size_t)snprintf(buf + n, sizeof buf - n, "\\t");
			else if (*c < 0x20 || *c == 0x7f)
				n += (size_t)snprintf(buf + n, sizeof buf - n, "\\x%02x", *c);
			else
				buf[n++] = (char)*c;
		}
		snprintf(buf + n, sizeof buf - n, ")");
	}
	return buf;
}

/* ---- all-jobs list: a second link kept beside the class list ---- */

typedef struct job_entry {
	TAILQ_ENTRY(job_entry) link;
	Job *job;
} JobEntry;

static TAILQ_HEAD(, job_entry) all_jobs = TAILQ_HEAD_INITIALIZER(all_jobs);

/* False when out of memory: a job missing from this list would never be
 * found by its pid (its processes reaped as strangers) nor walked over
 * (re-exec, teardown), so job_new() fails instead. */
static bool
all_jobs_add(Job *job)
{
	JobEntry *e = calloc(1, sizeof *e);

	if (!e)
		return false;
	e->job = job;
	TAILQ_INSERT_TAIL(&all_jobs, e, link);
	return true;
}

static void
all_jobs_remove(Job *job)
{
	JobEntry *e;

	TAILQ_FOREACH(e, &all_jobs, link) {
		if (e->job == job) {
			TAILQ_REMOVE(&all_jobs, e, link);
			free(e);
			return;
		}
	}
}

void
job_foreach(void (*fn)(Job *job, void *data), void *data)
{
	JobEntry *e, *next;

	TAILQ_FOREACH_SAFE(e, &all_jobs, link, next)
		fn(e->job, data);
}

Job *
job_find_by_pid(pid_t pid, ProcessType *type)
{
	JobEntry *e;

	if (pid <= 0)
		return NULL;
	TAILQ_FOREACH(e, &all_jobs, link) {
		for (int t = 0; t < PROCESS_COUNT; t++) {
			if (e->job->pid[t] == pid) {
				if (type)
					*type = (ProcessType)t;
				return e->job;
			}
		}
	}
	return NULL;
}

/* ---- life cycle ---- */

Job *
job_new(JobClass *class, const char *name)
{
	Job *job = calloc(1, sizeof *job);

	if (!job)
		return NULL;
	if (!(job->name = strdup(name))) {
		free(job);
		return NULL;
	}
	if ((class->stop_on && !(job->stop_on = event_operator_copy(class->stop_on))) ||
	    !all_jobs_add(job)) {
		event_operator_free(job->stop_on);
		free(job->name);
		free(job);
		return NULL;
	}
	job->class = job_class_ref(class);
	job->id = next_job_id++;
	job->goal = JOB_STOP;
	job->state = JOB_WAITING;
	job->failed_process = -1;
	env_init(&job->env);
	env_init(&job->start_env);
	env_init(&job->stop_env);
	blocked_list_init(&job->blocking);
	for (int t = 0; t < PROCESS_COUNT; t++)
		job->spawn[t].fd = -1;
	job->drain_fd = -1;
	TAILQ_INSERT_TAIL(&class->instances, job, link);
	return job;
}

void
job_free(Job *job)
{
	JobClass *class = job->class;

	job_process_cleanup(job);
	if (job->cgroup) {
		cgroup_remove(job->cgroup);
		cgroup_limits_remove(job->class, job->cgroup, &job->env);
		free(job->cgroup);
	}
	blocked_list_release(&job->blocking, NULL, false);
	for (int t = 0; t < PROCESS_COUNT; t++)
		if (job->log[t])
			job_log_release(job->log[t]);
	event_operator_free(job->stop_on);
	env_clear(&job->env);
	env_clear(&job->start_env);
	env_clear(&job->stop_env);
	socket_set_clear(&job->start_sockets);
	socket_set_release(&job->sockets, job->failed);
	history_unref(job->cause);
	TAILQ_REMOVE(&class->instances, job, link);
	all_jobs_remove(job);
	free(job->name);
	free(job);
	if (TAILQ_EMPTY(&class->instances))
		registry_reconsider(class);
	job_class_unref(class);
}

Job *
job_find(JobClass *class, const char *name)
{
	Job *job;

	TAILQ_FOREACH(job, &class->instances, link)
		if (strcmp(job->name, name) == 0)
			return job;
	return NULL;
}

/* ---- the transition table (docs/state-machine.md) ---- */

JobState
job_next_state(const Job *job)
{
	/* JOB_RESPAWN goes the way of a stop until `stopping` turns it back
	 * into JOB_START. */
	bool stop = job->goal != JOB_START;

	switch (job->state) {
	case JOB_WAITING:
		return stop ? JOB_WAITING : JOB_STARTING;
	case JOB_STARTING:
		return stop ? JOB_STOPPING : JOB_SECURITY_SPAWNING;
	case JOB_SECURITY_SPAWNING:
		return JOB_SECURITY;
	case JOB_SECURITY:
		return stop ? JOB_STOPPING : JOB_PRE_STARTING;
	case JOB_PRE_STARTING:
		return JOB_PRE_START;
	case JOB_PRE_START:
		return stop ? JOB_STOPPING : JOB_SPAWNING;
	case JOB_SPAWNING:
		return JOB_SPAWNED;
	case JOB_SPAWNED:
		return stop ? JOB_STOPPING : JOB_POST_STARTING;
	case JOB_POST_STARTING:
		return JOB_POST_START;
	case JOB_POST_START:
		return stop ? JOB_STOPPING : JOB_RUNNING;
	case JOB_RUNNING:
		if (job->goal == JOB_STOP && job->pid[PROCESS_MAIN] > 0)
			return JOB_PRE_STOPPING;
		return JOB_STOPPING;   /* stop, or the main process ended */
	case JOB_PRE_STOPPING:
		return JOB_PRE_STOP;
	case JOB_PRE_STOP:
		return stop ? JOB_STOPPING : JOB_RUNNING;
	case JOB_STOPPING:
		return JOB_KILLED;
	case JOB_KILLED:
		return JOB_POST_STOPPING;
	case JOB_POST_STOPPING:
		return JOB_POST_STOP;
	case JOB_POST_STOP:
		return job->goal == JOB_STOP ? JOB_WAITING : JOB_STARTING;
	}
	return job->state;
}

/* ---- events about the job: JOB, INSTANCE, then RESULT and the rest
 * for stopping/stopped, then `export`ed variables, in Upstart's order ---- */

/* These return -1 when out of memory. */
static int
add_exported(const Job *job, EnvList *env)
{
	for (size_t i = 0; i < job->class->nexport; i++) {
		const char *entry = env_lookup(&job->env, job->class->export[i]);

		if (entry && env_append(env, entry) < 0)
			return -1;
	}
	return 0;
}

static int
add_result(const Job *job, EnvList *env)
{
	char buf[64];
	const char *key = "EXIT_STATUS";

	if (env_append(env, job->failed ? "RESULT=failed" : "RESULT=ok") < 0)
		return -1;
	if (!job->failed)
		return 0;
	if (env_set_kv(env, "PROCESS", process_name((ProcessType)job->failed_process)) < 0)
		return -1;
	if (job->failed_process < 0 || job->exit_status < 0)
		return 0;
	if (job->exit_status & ~0xff) {
		int sig = job->exit_status >> 8;

		key = "EXIT_SIGNAL";
		if (signal_name(sig))
			snprintf(buf, sizeof buf, "%s", signal_name(sig));
		else
			snprintf(buf, sizeof buf, "%d", sig);
	} else {
		snprintf(buf, sizeof buf, "%d", job->exit_status);
	}
	return env_set_kv(env, key, buf);
}

static Event *
job_emit_event(Job *job, const char *name, bool stopping)
{
	EnvList env = ENV_LIST_INIT;
	Event *event = NULL;

	if (env_set_kv(&env, "JOB", job->class->name) == 0 &&
	    env_set_kv(&env, "INSTANCE", job->name) == 0 &&
	    (!stopping || add_result(job, &env) == 0) &&
	    add_exported(job, &env) == 0) {
		/* The job's own event: its cause is the job's goal change. */
		history_push(CAUSE_JOB, job_name(job), &job->cause, 1);
		event = event_new(name, &env);
		history_pop();
		if (event && event->record)
			event->record->span = job->span;
	} else
		log_error("Failed to emit %s event of %s: %s", name, job_name(job),
			  strerror(ENOMEM));
	env_clear(&env);
	return event;
}

/* Wait on our own starting/stopping event; false when it could not be
 * made (the state machine then carries on without it). */
static bool
job_block_on(Job *job, const char *name, bool stopping)
{
	Event *event = job_emit_event(job, name, stopping);

	if (!event)
		return false;
	job->blocker = event;
	event->job = job;
	return true;
}

/* ---- finishing ---- */

void
job_finished(Job *job, bool failed)
{
	blocked_list_release(&job->blocking, job, failed);
}

void
job_failed(Job *job, int process, int status)
{
	if (job->failed)
		return;
	job->failed = true;
	job->failed_process = process;
	job->exit_status = status;
	job_finished(job, true);
}

void
job_blocker_finished(Job *job)
{
	job->blocker = NULL;
	job_change_state(job, job_next_state(job));
}

/* Start process `type` if the class has one; true when the job must now
 * wait for it to launch. */
static bool
spawn_if_defined(Job *job, ProcessType type)
{
	if (!job->class->process[type].command)
		return false;
	if (job_process_start(job, type) == 0 || job_process_retry_later(job, type, errno))
		return true;

	/* No child at all: as a failed spawn. */
	if (type == PROCESS_MAIN || type == PROCESS_PRE_START ||
	    type == PROCESS_POST_STOP || type == PROCESS_SECURITY) {
		char why[64];

		job_failed(job, type, -1);
		snprintf(why, sizeof why, "%s process could not be started", process_name(type));
		history_push(CAUSE_PROCESS, why, NULL, 0);
		job_set_goal(job, JOB_STOP);
		history_pop();
	}
	return false;
}

/* Entering `state`: do its action.  Returns the state to go on to, or
 * `state` itself when the job has to wait. */
static JobState
enter_state(Job *job, JobState old, JobState state)
{
	switch (state) {
	case JOB_STARTING:
		if (job->has_start_env) {
			env_clear(&job->env);
			job->env = job->start_env;
			env_init(&job->start_env);
			job->has_start_env = false;
			socket_set_move(&job->sockets, &job->start_sockets);
		}
		env_clear(&job->stop_env);
		job->kill_all = false;
		job->kill_only = false;
		job->failed = false;
		job->failed_process = -1;
		job->exit_status = 0;
		if (job->stop_on)
			event_operator_reset(job->stop_on);
		return job_block_on(job, "starting", false) ? state : job_next_state(job);

	case JOB_SECURITY_SPAWNING:
		/* AppArmor profiles are loaded only where AppArmor runs; upinit
		 * does not load them (Upstart ignores the stanza without it). */
		return job_next_state(job);

	case JOB_POST_STOPPING:
		/* A script's start that failed has nothing to stop. */
		if (job->class->script_actions && job->failed &&
		    job->failed_process == PROCESS_PRE_START)
			return job_next_state(job);
		/* fall through */
	case JOB_PRE_STARTING:
	case JOB_SPAWNING:
	case JOB_POST_STARTING:
	case JOB_PRE_STOPPING: {
		static const ProcessType proc_of[] = {
			[JOB_PRE_STARTING] = PROCESS_PRE_START,
			[JOB_SPAWNING] = PROCESS_MAIN,
			[JOB_POST_STARTING] = PROCESS_POST_START,
			[JOB_PRE_STOPPING] = PROCESS_PRE_STOP,
			[JOB_POST_STOPPING] = PROCESS_POST_STOP,
		};
		/* A stop that only kills (the rc runner at shutdown) runs no
		 * pre-stop nor post-stop. */
		if (job->kill_only && (state == JOB_PRE_STOPPING || state == JOB_POST_STOPPING))
			return job_next_state(job);
		return spawn_if_defined(job, proc_of[state]) ? state : job_next_state(job);
	}

	case JOB_POST_STOP:
		/* The last state of a run: what a stop leaves is killed. */
		if (job->pid[PROCESS_POST_STOP] <= 0 && job_process_drain(job))
			return state;
		/* fall through */
	case JOB_SECURITY:
	case JOB_PRE_START:
	case JOB_POST_START:
	case JOB_PRE_STOP: {
		static const ProcessType proc_of[] = {
			[JOB_SECURITY] = PROCESS_SECURITY,
			[JOB_PRE_START] = PROCESS_PRE_START,
			[JOB_POST_START] = PROCESS_POST_START,
			[JOB_PRE_STOP] = PROCESS_PRE_STOP,
			[JOB_POST_STOP] = PROCESS_POST_STOP,
		};
		return job->pid[proc_of[state]] > 0 ? state : job_next_state(job);
	}

	case JOB_SPAWNED:
		if (job->pid[PROCESS_MAIN] > 0 && job->class->expect != EXPECT_NONE &&
		    job->goal == JOB_START)
			return state;
		return job_next_state(job);

	case JOB_RUNNING:
		if (old != JOB_PRE_STOP) {
			Event *started = job_emit_event(job, "started", false);

			(void)started;
			if (!job->class->task)
				job_finished(job, false);
		}
		return state;

	case JOB_STOPPING:
		if (job->goal == JOB_RESPAWN)
			job->goal = JOB_START;
		return job_block_on(job, "stopping", true) ? state : job_next_state(job);

	case JOB_KILLED:
		if (job->pid[PROCESS_MAIN] > 0) {
			job_process_kill(job, PROCESS_MAIN);
			return state;
		}
		return job_next_state(job);

	case JOB_WAITING:
		job_emit_event(job, "stopped", true);
		job_finished(job, false);
		return state;
	}
	return state;
}

/* "ok", or how the run failed: "failed: main process exited with
 * status 1", for the record of the instance at rest. */
static const char *
result_text(const Job *job, char *buf, size_t len)
{
	int st = job->exit_status;

	if (!job->failed)
		return "ok";
	if (job->failed_process < 0)
		snprintf(buf, len, "failed: respawning too fast");
	else if (st < 0)
		snprintf(buf, len, "failed: %s process could not be started",
			 process_name((ProcessType)job->failed_process));
	else if (st & ~0xff)
		snprintf(buf, len, "failed: %s process killed by signal %s",
			 process_name((ProcessType)job->failed_process),
			 signal_name(st >> 8) ? signal_name(st >> 8) : "?");
	else
		snprintf(buf, len, "failed: %s process exited with status %d",
			 process_name((ProcessType)job->failed_process), st);
	return buf;
}

/* The moments the history and the boot timeline keep: a run begins
 * (starting), is up (running), ends (stopping, and at rest). */
static void
note_state(Job *job, JobState state)
{
	char buf[128];

	switch (state) {
	case JOB_STARTING:
		/* A respawn begins a new run without having rested. */
		if (job->span)
			timeline_state(job->span, "waiting", job->failed);
		job->span = timeline_begin(job->class->name, job->name,
					   !strncmp(job->class->name, "sysv/", 5),
					   job->class->task, job->cause);
		if (job->cause && !job->cause->span)
			job->cause->span = job->span;
		break;
	case JOB_RUNNING:
		history_state(job->class->name, job->name, "running", NULL);
		timeline_state(job->span, "running", false);
		break;
	case JOB_STOPPING:
		timeline_state(job->span, "stopping", false);
		break;
	case JOB_WAITING:
		history_state(job->class->name, job->name, "waiting",
			      result_text(job, buf, sizeof buf));
		/* The span stays: the `stopped` event still to come is the
		 * run's, and a job at rest is freed. */
		timeline_state(job->span, "waiting", job->failed);
		break;
	default:
		break;
	}
}

bool
job_change_state(Job *job, JobState state)
{
	while (job->state != state) {
		JobState old = job->state;

		log_info("%s state changed from %s to %s", job_name(job),
			 job_state_name(old), job_state_name(state));
		job->state = state;
		note_state(job, state);
		state = enter_state(job, old, state);
		if (job->state == JOB_WAITING && state == JOB_WAITING) {
			job_free(job);
			return false;
		}
		if (state == job->state)
			break;
	}
	return true;
}

/* Record a goal change with the cause at hand. */
static void
record_goal(Job *job, JobGoal goal)
{
	Record *repeats = NULL, *rec;

	/* A respawn repeats the start that made the run (history.h); a
	 * process that ended stops what that start began: both lead back
	 * to it. */
	if (job->cause && (goal == JOB_RESPAWN || history_context_kind() == CAUSE_PROCESS)) {
		repeats = job->cause;
		if (repeats->what && !strcmp(repeats->what, "respawn") &&
		    repeats->cause.nparents)
			repeats = repeats->cause.parents[repeats->cause.nparents - 1];
	}
	rec = history_goal(job->class->name, job->name, job_goal_name(goal), repeats);
	if (rec) {
		rec->span = job->span;
		history_unref(job->cause);
		job->cause = history_ref(rec);
	}
}

void
job_note_restored(Job *job)
{
	if (job->cause || job->goal == JOB_STOP)
		return;
	history_push(CAUSE_RESTORE, "re-exec from an image that kept no cause", NULL, 0);
	record_goal(job, job->goal);
	history_pop();
}

void
job_set_goal(Job *job, JobGoal goal)
{
	if (job->goal == goal)
		return;
	job->goal = goal;
	record_goal(job, goal);
}

bool
job_change_goal(Job *job, JobGoal goal)
{
	if (job->goal == goal)
		return true;
	log_info("%s goal changed from %s to %s", job_name(job),
		 job_goal_name(job->goal), job_goal_name(goal));
	job_set_goal(job, goal);
	/* Asked to stop (or restart): the whole instance goes. */
	if (goal != JOB_START)
		job->kill_all = !job->class->kill_process_only;

	/* A process or an event normally moves the job on and reads the new
	 * goal then; these states wait for nothing, so move now. */
	switch (job->state) {
	case JOB_WAITING:
		if (goal == JOB_START)
			return job_change_state(job, job_next_state(job));
		break;
	case JOB_RUNNING:
		/* stop, or restart (JOB_RESPAWN: to stopping, no pre-stop). */
		if (goal != JOB_START)
			return job_change_state(job, job_next_state(job));
		break;
	case JOB_SPAWNING:
		/* Waiting to spawn the main process again: nothing to wait
		 * for when it is not wanted any more. */
		if (goal != JOB_START && job_process_cancel_retry(job))
			return job_change_state(job, job_next_state(job));
		break;
	case JOB_SPAWNED:
		/* Waiting for `expect` to be satisfied: a stop kills it. */
		if (goal == JOB_STOP && job->spawn[PROCESS_MAIN].fd < 0)
			return job_change_state(job, job_next_state(job));
		break;
	default:
		break;
	}
	return true;
}

bool
job_new_goal(Job *job, JobGoal goal)
{
	BlockedList earlier;
	bool alive;

	blocked_list_init(&earlier);
	blocked_list_move(&earlier, &job->blocking);
	alive = job_change_goal(job, goal);
	blocked_list_release(&earlier, alive ? job : NULL, false);
	return alive;
}

bool
job_stop_at_rest(Job *job)
{
	/* At rest the goal already is stop: record the request all the
	 * same, it is what runs the script's stop. */
	job->goal = JOB_STOP;
	record_goal(job, JOB_STOP);
	job->kill_all = !job->class->kill_process_only;
	return job_change_state(job, JOB_STOPPING);
}

/* ---- status lines: scripts parse them, so Upstart's bytes exactly ---- */

void
job_foreach_process(const Job *job, JobProcessFn fn, void *data)
{
	static const ProcessType order[] = {
		PROCESS_MAIN, PROCESS_PRE_START, PROCESS_POST_START,
		PROCESS_PRE_STOP, PROCESS_POST_STOP, PROCESS_SECURITY,
	};

	for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
		if (job->pid[order[i]] > 0)
			fn(data, order[i], job->pid[order[i]]);
}

typedef struct status_ctx {
	char       line[1200];
	int        len;
	bool       first;
	JobLineFn  fn;
	void      *data;
} StatusCtx;

/* The first process ends the first line, each further one has a line. */
static void
status_process(void *data, ProcessType t, pid_t pid)
{
	StatusCtx *ctx = data;

	if (ctx->first) {
		bool plain = t == PROCESS_MAIN || t == PROCESS_PRE_START ||
			     t == PROCESS_POST_STOP;

		if (plain)
			snprintf(ctx->line + ctx->len, sizeof ctx->line - (size_t)ctx->len,
				 ", process %d", (int)pid);
		else
			snprintf(ctx->line + ctx->len, sizeof ctx->line - (size_t)ctx->len,
				 ", (%s) process %d", process_name(t), (int)pid);
		ctx->fn(ctx->data, ctx->line);
		ctx->first = false;
	} else {
		char extra[64];

		snprintf(extra, sizeof extra, "\t%s process %d", process_name(t), (int)pid);
		ctx->fn(ctx->data, extra);
	}
}

void
job_status_lines(const Job *job, JobLineFn fn, void *data)
{
	StatusCtx ctx = { .first = true, .fn = fn, .data = data };

	ctx.len = snprintf(ctx.line, sizeof ctx.line, "%s %s/%s", job_name(job),
			   job_goal_name(job->goal), job_state_name(job->state));
	job_foreach_process(job, status_process, &ctx);
	if (ctx.first)
		fn(data, ctx.line);
}

void
job_class_status_line(const JobClass *class, JobLineFn fn, void *data)
{
	char line[1100];

	snprintf(line, sizeof line, "%s stop/waiting", class->name);
	fn(data, line);
}

/* ---- re-exec ---- */

static void
match_id(Job *job, void *data)
{
	void **p = data;

	if (job->id == *(uint64_t *)p[0])
		p[1] = job;
}

Job *
job_find_id(uint64_t id)
{
	void *p[2] = { &id, NULL };

	job_foreach(match_id, p);
	return p[1];
}

void
job_set_id(Job *job, uint64_t id)
{
	job->id = id;
	if (next_job_id <= id)
		next_job_id = id + 1;
}

/* ---- why: the job of a control client ---- */

Record *
job_record_of_pid(pid_t pid, char *name, size_t len)
{
	/* A client is often a child of a job's process (a script running
	 * initctl, upinit-rc's helpers): look up its ancestors too, as far
	 * as init's own children. */
	for (int depth = 0; pid > 1 && depth < 32; depth++, pid = proc_parent(pid)) {
		ProcessType type;
		Job *job = job_find_by_pid(pid, &type);

		if (job) {
			snprintf(name, len, "%s", job_name(job));
			return job->cause;
		}
	}
	return NULL;
}

static void
busy_one(Job *job, void *data)
{
	bool *busy = data;

	if (job->goal == JOB_START ? job->state != JOB_RUNNING || job->class->task
				   : job->state != JOB_WAITING)
		*busy = true;
}

bool
job_any_busy(void)
{
	bool busy = false;

	job_foreach(busy_one, &busy);
	return busy;
}
