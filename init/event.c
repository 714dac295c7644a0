/* event — the event queue and the matching of events to jobs.
 * See event.h. */
#include "init/event.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "init/history.h"
#include "init/socket_source.h"
#include "init/job.h"
#include "init/job_env.h"
#include "init/log.h"
#include "init/loop.h"
#include "init/registry.h"
#include "init/timeline.h"

static TAILQ_HEAD(, event) queue = TAILQ_HEAD_INITIALIZER(queue);
static uint64_t next_event_id = 1;
static EventObserver observer;
static void *observer_data;

void
event_set_observer(EventObserver fn, void *data)
{
	observer = fn;
	observer_data = data;
}

/* A new event, recorded in the history unless `record` is given. */
static Event *
event_create(const char *name, const EnvList *env, Record *record)
{
	Event *event = calloc(1, sizeof *event);

	if (!event || !(event->name = strdup(name))) {
		free(event);
		log_error("Failed to emit %s event: out of memory", name);
		return NULL;
	}
	env_init(&event->env);
	if (env && env_copy(&event->env, env) < 0) {
		free(event->name);
		free(event);
		log_error("Failed to emit %s event: out of memory", name);
		return NULL;
	}
	event->id = next_event_id++;
	event->progress = EVENT_PENDING;
	event->record = history_ref(record ? record : history_event(name, env));
	blocked_list_init(&event->blocking);
	TAILQ_INSERT_TAIL(&queue, event, link);
	log_debug("Pending %s event", name);
	return event;
}

bool
event_var_public(const char *var)
{
	static const char *const public[] = {
		"JOB", "INSTANCE", "RESULT", "PROCESS", "EXIT_STATUS",
		"EXIT_SIGNAL", "RUNLEVEL", "PREVLEVEL",
	};
	size_t len = env_key_len(var);

	for (size_t i = 0; i < sizeof public / sizeof public[0]; i++)
		if (strlen(public[i]) == len && strncmp(var, public[i], len) == 0)
			return true;
	return false;
}

Event *
event_new(const char *name, const EnvList *env)
{
	return event_create(name, env, NULL);
}

bool
event_queue_busy(void)
{
	return !TAILQ_EMPTY(&queue);
}

/* ---- matching (docs/state-machine.md, "Matching") ---- */

/* Does the tree mention $ anywhere (so it needs an environment)? */
static void
leaf_has_var(const EventOperator *leaf, void *data)
{
	bool *has = data;

	for (char **a = leaf->args; a && *a; a++)
		if (strchr(*a, '$'))
			*has = true;
}

/* The environment `start on` patterns are expanded against: the job's
 * env defaults and the global table, as init(5) always promised (Upstart
 * itself expanded against nothing, so such a pattern never matched). */
static const EnvList *
start_on_env(const JobClass *class, EnvList *scratch)
{
	bool has = false;

	event_operator_foreach_leaf(class->start_on, leaf_has_var, &has);
	if (!has)
		return NULL;
	if (job_env_build(class, NULL, scratch) < 0)
		return NULL;
	return scratch;
}

/* Collect the environment a satisfied tree gives, with the names of its
 * events in `list_key` (UPSTART_EVENTS or UPSTART_STOP_EVENTS). */
static int
collect(const EventOperator *tree, EnvList *env, const char *list_key,
	bool first_event_key)
{
	char *names = NULL;
	int ret = event_operator_collect_env(tree, env, &names);

	if (ret == 0)
		ret = env_set_kv(env, list_key, names ? names : "");
	/* UPSTART_EVENT: the one event of 0.6-era scripts, which people
	 * still copy from old articles. */
	if (ret == 0 && first_event_key && names) {
		char *sp = strchr(names, ' ');

		if (sp)
			*sp = '\0';
		ret = env_set_kv(env, "UPSTART_EVENT", names);
	}
	free(names);
	return ret;
}

/* The listening sockets of the events that made a tree true: the
 * instance they start takes them (init/socket_source.h). */
static void
add_leaf_socket(const EventOperator *leaf, void *data)
{
	SocketSet *set = data;

	if (leaf->value && leaf->event && leaf->event->socket &&
	    socket_set_add(set, leaf->event->socket) < 0)
		log_warn("Too many sockets for one instance: %s not passed",
			 socket_source_name(leaf->event->socket));
}

/* The records of the events that made a tree true: the cause of the goal
 * change it brings. */
typedef struct cause_events {
	Record *records[HISTORY_MAX_PARENTS];
	size_t  n;
} CauseEvents;

static void
add_leaf_record(const EventOperator *leaf, void *data)
{
	CauseEvents *c = data;

	if (leaf->value && leaf->event && leaf->event->record && c->n < HISTORY_MAX_PARENTS)
		c->records[c->n++] = leaf->event->record;
}

static void
push_tree_cause(const EventOperator *tree)
{
	CauseEvents c = { .n = 0 };

	event_operator_foreach_leaf(tree, add_leaf_record, &c);
	history_push(CAUSE_EVENT, NULL, c.records, c.n);
}

/* An instance's `stop on` became true. */
static void
stop_instance(Job *job)
{
	if (job->goal != JOB_STOP) {
		bool alive;

		env_clear(&job->stop_env);
		/* Stopped all the same: only its pre-stop misses the names. */
		if (collect(job->stop_on, &job->stop_env, "UPSTART_STOP_EVENTS", false) < 0)
			log_error("Stopping %s without its stop events' variables: %s",
				  job_name(job), strerror(ENOMEM));
		push_tree_cause(job->stop_on);
		alive = job_new_goal(job, JOB_STOP);
		history_pop();
		if (!alive)
			return;   /* freed, and its tree with it */
		event_operator_collect_events(job->stop_on, &job->blocking);
	}
	event_operator_reset(job->stop_on);
}

/* A class's `start on` became true: find or make the instance. */
static void
start_class(JobClass *class)
{
	EnvList extra = ENV_LIST_INIT, env = ENV_LIST_INIT;
	char *name = NULL, *unknown = NULL;
	Job *job;

	if (collect(class->start_on, &extra, "UPSTART_EVENTS", true) < 0 ||
	    job_env_build(class, &extra, &env) < 0)
		goto nomem;
	name = job_env_instance_name(class, &env, &unknown);
	if (!name && !unknown)
		goto nomem;
	if (!name) {
		log_warn("Failed to obtain %s instance: Unknown parameter: %s",
			 class->name, unknown);
		goto out;
	}
	job = job_find(class, name);
	if (!job && !(job = job_new(class, name)))
		goto nomem;
	if (job->goal != JOB_START) {
		env_clear(&job->start_env);
		job->start_env = env;
		env_init(&env);
		job->has_start_env = true;
		socket_set_clear(&job->start_sockets);
		event_operator_foreach_leaf(class->start_on, add_leaf_socket, &job->start_sockets);
		push_tree_cause(class->start_on);
		if (job_new_goal(job, JOB_START))
			event_operator_collect_events(class->start_on, &job->blocking);
		history_pop();
	}
	goto out;
nomem:
	log_error("Failed to start %s: %s", class->name, strerror(ENOMEM));
out:
	event_operator_reset(class->start_on);
	free(name);
	free(unknown);
	env_clear(&extra);
	env_clear(&env);
}

static void
handle_class(JobClass *class, Event *event)
{
	Job *job, *next;

	/* stop on first, so an event in both restarts the job (Upstart). */
	TAILQ_FOREACH_SAFE(job, &class->instances, link, next) {
		if (job->stop_on && event_operator_handle(job->stop_on, event, &job->env) &&
		    job->stop_on->value)
			stop_instance(job);
	}
	if (class->start_on) {
		EnvList scratch = ENV_LIST_INIT;
		const EnvList *env = start_on_env(class, &scratch);

		if (event_operator_handle(class->start_on, event, env) &&
		    class->start_on->value)
			start_class(class);
		env_clear(&scratch);
	}
}

/* Instances of replaced definitions still listen to `stop on`. */
static void
handle_orphan_instance(Job *job, void *data)
{
	Event *event = data;

	if (job->class->registered)
		return;
	if (job->stop_on && event_operator_handle(job->stop_on, event, &job->env) &&
	    job->stop_on->value)
		stop_instance(job);
}

static void
event_pending(Event *event)
{
	JobClass *class = NULL;

	event->progress = EVENT_HANDLING;
	log_info("Handling %s event", event->name);
	timeline_event(event->name, &event->env);
	if (observer)
		observer(event, observer_data);
	/* Hold the event while jobs are matched so it cannot finish early. */
	event_block(event);
	while ((class = registry_next(class)))
		handle_class(class, event);
	job_foreach(handle_orphan_instance, event);
	event_unblock(event);
}

static void
event_finished(Event *event)
{
	Job *job = event->job;
	bool wake = job && job->blocker == event;

	event->progress = EVENT_FINISHED;
	log_debug("Finished %s event", event->name);
	TAILQ_REMOVE(&queue, event, link);

	blocked_list_release(&event->blocking, NULL, event->failed);
	if (event->failed) {
		size_t n = strlen(event->name);

		if (n < 7 || strcmp(event->name + n - 7, "/failed") != 0) {
			char *name = malloc(n + 8);

			if (name) {
				memcpy(name, event->name, n);
				memcpy(name + n, "/failed", 8);
				event_new(name, &event->env);
				free(name);
			}
		}
	}
	env_clear(&event->env);
	history_unref(event->record);
	socket_source_event_done(event->socket);
	free(event->name);
	free(event);

	/* The job whose starting/stopping this was may now go on. */
	if (wake)
		job_blocker_finished(job);
}

/* Drives the queue until nothing more can happen now, or `deadline`
 * (loop_now_ms) has passed: true when stopped for time. */
static bool
drive(uint64_t deadline)
{
	bool progress;

	do {
		Event *event, *next;

		progress = false;
		TAILQ_FOREACH_SAFE(event, &queue, link, next) {
			if (event->progress == EVENT_PENDING) {
				event_pending(event);
				progress = true;
			}
			if (event->progress == EVENT_HANDLING && event->blockers == 0) {
				/* `next` may be finished by what this one
				 * sets going; restart the walk after it. */
				event_finished(event);
				progress = true;
				break;
			}
			if (progress && loop_now_ms() >= deadline)
				return true;
		}
	} while (progress && loop_now_ms() < deadline);
	return progress;
}

void
event_poll(void)
{
	drive(UINT64_MAX);
}

bool
event_poll_for(uint64_t ms)
{
	return drive(loop_now_ms() + ms);
}

/* ---- re-exec ---- */

Event *
event_next(Event *prev)
{
	return prev ? TAILQ_NEXT(prev, link) : TAILQ_FIRST(&queue);
}

Event *
event_find_id(uint64_t id)
{
	Event *event;

	TAILQ_FOREACH(event, &queue, link)
		if (event->id == id)
			return event;
	return NULL;
}

Event *
event_adopt(uint64_t id, const char *name, const EnvList *env,
	    EventProgress progress, bool failed, Record *record)
{
	Event *event = event_create(name, env, record);

	if (!event)
		return NULL;
	event->id = id;
	event->progress = progress;
	event->failed = failed;
	if (next_event_id <= id)
		next_event_id = id + 1;
	return event;
}

void
event_discard_all(void)
{
	Event *event;

	/* Release every list first: one event's list may hold another. */
	TAILQ_FOREACH(event, &queue, link)
		blocked_list_release(&event->blocking, NULL, false);
	while ((event = TAILQ_FIRST(&queue))) {
		TAILQ_REMOVE(&queue, event, link);
		history_unref(event->record);
		socket_source_event_done(event->socket);
		env_clear(&event->env);
		free(event->name);
		free(event);
	}
}
