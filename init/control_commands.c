/* control_commands — the core's control commands.  See control_commands.h. */
#include "init/control_commands.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/proto.h"

#include "init/control.h"
#include "init/event.h"
#include "init/job.h"
#include "init/job_env.h"
#include "init/job_json.h"
#include "init/job_log.h"
#include "init/job_process.h"
#include "init/job_report.h"
#include "init/log.h"
#include "init/registry.h"
#include "init/socket_source.h"
#include "init/why_commands.h"

static bool user_mode;
static char program[64] = "init";
static void (*reload_hook)(void);
static void (*reexec_hook)(void);

bool control_user_mode(void)                    { return user_mode; }
void control_set_user_mode(bool enable)         { user_mode = enable; }
void control_set_reload_hook(void (*fn)(void))  { reload_hook = fn; }
void control_set_reexec_hook(void (*fn)(void))  { reexec_hook = fn; }

void
control_set_program(const char *argv0)
{
	const char *base = strrchr(argv0, '/');

	snprintf(program, sizeof program, "%s", base ? base + 1 : argv0);
}

/* ---- request helpers ---- */

static JobClass *
request_class(ControlRequest *r)
{
	const char *name = proto_get_string(r->msg, "job");
	JobClass *class;

	if (!name) {
		control_reply_error(r, "missing job name");
		return NULL;
	}
	if (!(class = registry_find(name)))
		control_reply_error(r, "Unknown job: %s", name);
	return class;
}

static void
reply_unknown_parameter(ControlRequest *r, const JobClass *class, const char *var)
{
	if (class->usage)
		control_reply_error(r, "Unknown parameter: %s\nUsage: %s", var, class->usage);
	else
		control_reply_error(r, "Unknown parameter: %s", var);
}

/* The instance a start/stop/restart/reload/status addresses.  *name is
 * set to the expanded instance name (caller frees); the job may be NULL.
 * Returns false (after replying) on an error. */
static bool
request_instance(ControlRequest *r, JobClass *class, const EnvList *given,
		 bool usage_on_error, char **name, EnvList *env_out)
{
	EnvList env = ENV_LIST_INIT;
	char *unknown = NULL;

	if (proto_get_bool(r->msg, "self", false)) {
		const char *inst = proto_get_string(r->msg, "instance");

		*name = strdup(inst ? inst : "");
		if (!*name)
			control_reply_error(r, "Out of memory");
		return *name != NULL;
	}
	if (job_env_build(class, given, &env) < 0) {
		env_clear(&env);
		control_reply_error(r, "Out of memory");
		return false;
	}
	*name = job_env_instance_name(class, &env, &unknown);
	if (!*name && !unknown) {
		env_clear(&env);
		control_reply_error(r, "Out of memory");
		return false;
	}
	if (!*name) {
		if (usage_on_error)
			reply_unknown_parameter(r, class, unknown);
		else
			control_reply_error(r, "Unknown parameter: %s", unknown);
		free(unknown);
		env_clear(&env);
		return false;
	}
	if (env_out)
		*env_out = env;
	else
		env_clear(&env);
	return true;
}

static void
reply_status(ControlRequest *r, Job *job, const JobClass *class, bool alive)
{
	struct json_object *reply = proto_reply_new(0, NULL);

	if (alive && job)
		job_status_lines(job, proto_reply_line_fn, reply);
	else
		job_class_status_line(class, proto_reply_line_fn, reply);
	if (alive && job && proto_get_bool(r->msg, "processes", false))
		job_process_list(job, proto_reply_line_fn, reply);
	control_reply(r, reply);
}

/* ---- --json: the answer as objects in "items" ---- */

/* Does the request ask for "items" instead of "lines"? */
static bool
wants_json(ControlRequest *r)
{
	return proto_get_bool(r->msg, "json", false);
}

/* A reply of status 0 with an empty "items". */
static struct json_object *
items_reply_new(void)
{
	struct json_object *reply = proto_reply_new(0, NULL);

	if (reply && !proto_add_member(reply, "items", json_object_new_array())) {
		json_object_put(reply);
		return NULL;
	}
	return reply;
}

/* Append `item` (consumed; NULL when it could not be made) to the
 * reply's items.  As for a line, a failure turns the status to 1: a
 * partial list must not pass for the whole one. */
static void
reply_item(struct json_object *reply, struct json_object *item)
{
	struct json_object *items = json_object_object_get(reply, "items");

	if (!proto_add_element(items, item))
		json_object_set_int(json_object_object_get(reply, "status"), 1);
}

/* status --json: the one instance (or the class without it). */
static void
reply_status_json(ControlRequest *r, Job *job, const JobClass *class)
{
	struct json_object *reply = items_reply_new();
	struct json_object *item = job ? job_json_status(job) : job_json_class_status(class);

	if (item && proto_get_bool(r->msg, "processes", false) &&
	    !job_json_add_members(item, job)) {
		json_object_put(item);
		item = NULL;
	}
	reply_item(reply, item);
	control_reply(r, reply);
}

/* Park the client in `list` when it asked to wait. */

/* ---- job commands ---- */

/* Change the goal for a start/stop/restart command and answer: earlier
 * waiters are released with the status the job has after the change (as
 * Upstart's clients see it when they ask), then the caller waits or gets
 * the status now. */
/* Did the change run to its end at once?  Only when the job had no
 * starting or stopping event to wait on (it could not be made, for want
 * of memory): a waiter parked now would never be released. */
static bool
settled(const Job *job, JobGoal goal)
{
	(void)goal;
	return (job->goal == JOB_START && job->state == JOB_RUNNING && !job->class->task) ||
	       (job->goal == JOB_STOP && job->state == JOB_WAITING);
}

static void
command_goal(ControlRequest *r, Job *job, JobGoal goal, WaiterKind kind)
{
	JobClass *class = job_class_ref(job->class);
	bool alive = job_new_goal(job, goal);

	if (!alive || settled(job, goal) || !control_park(r, &job->blocking, kind, class->name))
		reply_status(r, job, class, alive);
	job_class_unref(class);
}

static void
cmd_start(ControlRequest *r)
{
	EnvList given = ENV_LIST_INIT, env = ENV_LIST_INIT;
	JobClass *class;
	char *name = NULL;
	Job *job;

	if (!control_request_env(r, &given) || !(class = request_class(r)))
		goto out;
	if (!control_may_change(r, "modify job"))
		goto out;
	if (!request_instance(r, class, &given, true, &name, &env))
		goto out;
	job = job_find(class, name);
	if (proto_get_bool(r->msg, "self", false) && !job) {
		control_reply_error(r, "Unknown instance: %s", name);
		goto out;
	}
	if (!job && !(job = job_new(class, name))) {
		control_reply_error(r, "Out of memory");
		goto out;
	}
	if (job->goal == JOB_START) {
		control_reply_error(r, "Job is already running: %s", job_name(job));
		goto out;
	}
	if (!proto_get_bool(r->msg, "self", false)) {
		env_clear(&job->start_env);
		job->start_env = env;
		env_init(&env);
		job->has_start_env = true;
		/* Started by hand: no listening socket (as in Upstart). */
		socket_set_clear(&job->start_sockets);
	}
	command_goal(r, job, JOB_START, WAITER_START);
out:
	free(name);
	env_clear(&given);
	env_clear(&env);
}

/* Find the instance for stop/restart/reload; NULL after replying. */
static Job *
existing_instance(ControlRequest *r, JobClass *class, const EnvList *given, bool usage)
{
	char *name = NULL;
	Job *job;

	if (!request_instance(r, class, given, usage, &name, NULL))
		return NULL;
	if (!(job = job_find(class, name)))
		control_reply_error(r, "Unknown instance: %s", name);
	free(name);
	return job;
}

/* stop, restart, reload: the caller's variables in `given`, the right to
 * change jobs, an instance that exists.  NULL after replying. */
static Job *
instance_to_change(ControlRequest *r, EnvList *given, bool usage)
{
	JobClass *class;

	if (!control_request_env(r, given) || !(class = request_class(r)) ||
	    !control_may_change(r, "modify job"))
		return NULL;
	return existing_instance(r, class, given, usage);
}

/* The stop of a class with script_actions when it has no instance: its
 * post-stop (the script's stop) runs all the same, through stopping and
 * stopped.  True when it answered the request this way. */
static bool
stop_at_rest(ControlRequest *r, EnvList *given)
{
	JobClass *class;
	char *name = NULL;
	Job *job;
	bool alive;

	if (!(class = request_class(r)) || !class->script_actions ||
	    proto_get_bool(r->msg, "self", false))
		return false;
	if (!request_instance(r, class, given, true, &name, NULL))
		return true;   /* answered */
	if (job_find(class, name)) {
		free(name);
		return false;
	}
	job = job_new(class, name);
	free(name);
	if (!job) {
		control_reply_error(r, "Out of memory");
		return true;
	}
	job->stop_env = *given;
	env_init(given);
	class = job_class_ref(class);
	alive = job_stop_at_rest(job);
	if (!alive || !control_park(r, &job->blocking, WAITER_STOP, class->name))
		reply_status(r, job, class, alive);
	job_class_unref(class);
	return true;
}

static void
cmd_stop(ControlRequest *r)
{
	EnvList given = ENV_LIST_INIT;
	Job *job;

	if (!control_request_env(r, &given) || !request_class(r) ||
	    !control_may_change(r, "modify job"))
		goto out;
	if (stop_at_rest(r, &given))
		goto out;
	if (!(job = existing_instance(r, request_class(r), &given, true)))
		goto out;
	if (job->goal == JOB_STOP) {
		control_reply_error(r, "Job has already been stopped: %s", job_name(job));
		goto out;
	}
	if (!proto_get_bool(r->msg, "self", false)) {
		env_clear(&job->stop_env);
		job->stop_env = given;
		env_init(&given);
	}
	/* The rc runner at shutdown: end what is left of a SysV script's
	 * daemon, without a stop action sysvinit would not have run. */
	job->kill_only = proto_get_bool(r->msg, "kill_only", false);
	command_goal(r, job, JOB_STOP, WAITER_STOP);
out:
	env_clear(&given);
}

static void
cmd_restart(ControlRequest *r)
{
	EnvList given = ENV_LIST_INIT, env = ENV_LIST_INIT;
	Job *job;

	if (!(job = instance_to_change(r, &given, false)))
		goto out;
	if (job->goal == JOB_STOP) {
		/* Upstart names the instance here, often empty; kept, since
		 * scripts may match the message. */
		control_reply_error(r, "Job has already been stopped: %s", job->name);
		goto out;
	}
	if (!proto_get_bool(r->msg, "self", false) &&
	    job_env_build(job->class, &given, &env) == 0) {
		env_clear(&job->start_env);
		job->start_env = env;
		env_init(&env);
		job->has_start_env = true;
		/* The same instance again: a socket-activated daemon keeps
		 * the sockets it was started with. */
		socket_set_clear(&job->start_sockets);
		for (size_t i = 0; i < job->sockets.n; i++)
			socket_set_add(&job->start_sockets, job->sockets.s[i]);
	}
	command_goal(r, job, JOB_RESPAWN, WAITER_RESTART);
out:
	env_clear(&given);
	env_clear(&env);
}

static void
cmd_reload(ControlRequest *r)
{
	EnvList given = ENV_LIST_INIT;
	Job *job;

	if (!(job = instance_to_change(r, &given, false)))
		goto out;
	if (job->pid[PROCESS_MAIN] <= 0) {
		control_reply_error(r, "Job is not running: %s", job_name(job));
		goto out;
	}
	kill(job->pid[PROCESS_MAIN], job->class->reload_signal);
	control_reply(r, proto_reply_new(0, NULL));
out:
	env_clear(&given);
}

static void
cmd_status(ControlRequest *r)
{
	EnvList given = ENV_LIST_INIT;
	JobClass *class;
	char *name = NULL;
	Job *job;

	if (!control_request_env(r, &given) || !(class = request_class(r)))
		goto out;
	if (!request_instance(r, class, &given, false, &name, NULL))
		goto out;
	job = job_find(class, name);
	if (!job && given.len)
		control_reply_error(r, "Unknown instance: %s", name);
	else if (wants_json(r))
		reply_status_json(r, job, class);
	else
		reply_status(r, job, class, job != NULL);
out:
	free(name);
	env_clear(&given);
}

static void
cmd_list(ControlRequest *r)
{
	bool json = wants_json(r);
	struct json_object *reply = json ? items_reply_new() : proto_reply_new(0, NULL);
	JobClass *class = NULL;

	while ((class = registry_next(class))) {
		Job *job;

		if (TAILQ_EMPTY(&class->instances)) {
			if (json)
				reply_item(reply, job_json_class_status(class));
			else
				job_class_status_line(class, proto_reply_line_fn, reply);
		}
		TAILQ_FOREACH(job, &class->instances, link) {
			if (json)
				reply_item(reply, job_json_status(job));
			else
				job_status_lines(job, proto_reply_line_fn, reply);
		}
	}
	control_reply(r, reply);
}

/* ---- events ---- */

static void
cmd_emit(ControlRequest *r)
{
	EnvList env = ENV_LIST_INIT;
	const char *name = proto_get_string(r->msg, "event");
	Event *event;

	if (!control_request_env(r, &env))
		return;
	if (!name) {
		control_reply_error(r, "missing event name");
	} else if (!*name) {
		control_reply_error(r, "Name may not be empty string");
	} else if (control_may_change(r, "emit an event")) {
		if (!(event = event_new(name, &env)))
			control_reply_error(r, "Out of memory");
		else if (!control_park(r, &event->blocking, WAITER_EMIT, NULL))
			control_reply(r, proto_reply_new(0, NULL));
	}
	env_clear(&env);
}


static void
cmd_monitor(ControlRequest *r)
{
	control_request_monitor(r);
	control_reply(r, proto_reply_new(0, NULL));
}


/* ---- configuration ---- */

static void
cmd_reload_configuration(ControlRequest *r)
{
	if (!control_may_change(r, "reload configuration"))
		return;
	if (reload_hook)
		reload_hook();
	control_reply(r, proto_reply_new(0, NULL));
}

static void
cmd_version(ControlRequest *r)
{
	struct json_object *reply = proto_reply_new(0, NULL);

	proto_reply_linef(reply, "%s (upstart %s)", program, UPINIT_VERSION);
	control_reply(r, reply);
}

static void
cmd_log_priority(ControlRequest *r)
{
	const char *prio = proto_get_string(r->msg, "priority");
	struct json_object *reply;
	int p;

	if (!prio) {
		reply = proto_reply_new(0, NULL);
		proto_reply_line(reply, log_priority_name(log_get_priority()));
		control_reply(r, reply);
		return;
	}
	if (!control_may_change(r, "set log priority"))
		return;
	if ((p = log_priority_parse(prio)) < 0) {
		control_reply_error(r, "The log priority given was not recognised");
		return;
	}
	log_set_priority((LogPriority)p);
	control_reply(r, proto_reply_new(0, NULL));
}

static void
cmd_usage(ControlRequest *r)
{
	JobClass *class = request_class(r);
	struct json_object *reply;

	if (!class)
		return;
	reply = proto_reply_new(0, NULL);
	proto_reply_linef(reply, "Usage: %s", class->usage ? class->usage : "");
	control_reply(r, reply);
}

static void
cmd_notify_disk_writeable(ControlRequest *r)
{
	if (!control_may_change(r, "notify disk is writeable"))
		return;
	job_log_notify_disk_writeable();
	control_reply(r, proto_reply_new(0, NULL));
}

/* ---- show-config, check-config ---- */

static void
cmd_show_config(ControlRequest *r)
{
	const char *name = proto_get_string(r->msg, "job");
	bool enumerate = proto_get_bool(r->msg, "enumerate", false);
	struct json_object *reply;
	JobClass *class = NULL;

	if (name && !registry_find(name)) {
		control_reply_error(r, "Unknown job: %s", name);
		return;
	}
	if (wants_json(r)) {
		reply = items_reply_new();
		if (name)
			reply_item(reply, job_json_config(registry_find(name), enumerate));
		else
			while ((class = registry_next(class)))
				reply_item(reply, job_json_config(class, enumerate));
		control_reply(r, reply);
		return;
	}
	reply = proto_reply_new(0, NULL);
	if (name)
		job_report_show_config(registry_find(name), enumerate, proto_reply_line_fn, reply);
	else
		while ((class = registry_next(class)))
			job_report_show_config(class, enumerate, proto_reply_line_fn, reply);
	control_reply(r, reply);
}

static void
cmd_check_config(ControlRequest *r)
{
	const char *name = proto_get_string(r->msg, "job");
	bool warn = proto_get_bool(r->msg, "warn", false);
	size_t nignored = 0;
	bool bad = false, problems = false;
	const char **ignored = proto_get_strings(r->msg, "ignore_events", &nignored, &bad);
	struct json_object *reply;
	JobClass *class = NULL;

	if (name && !registry_find(name)) {
		control_reply_error(r, "Invalid job class: %s", name);
		free(ignored);
		return;
	}
	reply = proto_reply_new(0, NULL);
	if (name)
		problems = job_report_check_config(registry_find(name), (char *const *)ignored,
						   nignored, warn, proto_reply_line_fn, reply);
	else
		while ((class = registry_next(class)))
			problems |= job_report_check_config(class, (char *const *)ignored,
							    nignored, warn, proto_reply_line_fn, reply);
	if (problems)
		json_object_object_add(reply, "status", json_object_new_int(1));
	control_reply(r, reply);
	free(ignored);
}

/* ---- the job environment table ---- */

/* The table a request addresses: the caller's own instance unless
 * --global, else the global table. */
static EnvList *
request_env_table(ControlRequest *r)
{
	const char *job = proto_get_string(r->msg, "job");
	const char *inst = proto_get_string(r->msg, "instance");
	JobClass *class;
	Job *j;

	if (!proto_get_bool(r->msg, "global", false) && job &&
	    (class = registry_find(job)) && (j = job_find(class, inst ? inst : "")))
		return &j->env;
	return job_env_global();
}

static bool
may_change_env(ControlRequest *r)
{
	if (!control_may_change(r, "modify job environment"))
		return false;
	if (!user_mode) {
		control_reply_error(r, "Not permissible to modify PID 1 job environment");
		return false;
	}
	return true;
}

static void
cmd_get_env(ControlRequest *r)
{
	size_t n = 0;
	const char **vars;
	const char *value;
	struct json_object *reply;

	if (!control_may_read_env(r))
		return;
	if (!(vars = control_request_vars(r, &n)))
		return;
	if (!(value = env_get(request_env_table(r), vars[0]))) {
		control_reply_error(r, "No such variable: %s", vars[0]);
	} else {
		reply = proto_reply_new(0, NULL);
		proto_reply_line(reply, value);
		control_reply(r, reply);
	}
	free(vars);
}

static int
cmp_coll(const void *a, const void *b)
{
	return strcoll(*(char *const *)a, *(char *const *)b);
}

static void
cmd_list_env(ControlRequest *r)
{
	const EnvList *env;
	struct json_object *reply;
	char **sorted;

	if (!control_may_read_env(r))
		return;
	env = request_env_table(r);
	reply = proto_reply_new(0, NULL);
	sorted = calloc(env->len + 1, sizeof *sorted);

	if (sorted) {
		memcpy(sorted, env_vars(env), env->len * sizeof *sorted);
		qsort(sorted, env->len, sizeof *sorted, cmp_coll);
		for (size_t i = 0; i < env->len; i++)
			proto_reply_line(reply, sorted[i]);
		free(sorted);
	}
	control_reply(r, reply);
}

static void
cmd_set_env(ControlRequest *r)
{
	size_t n = 0;
	const char **vars;
	bool retain = proto_get_bool(r->msg, "retain", false);
	EnvList *env;

	if (!may_change_env(r) || !(vars = control_request_vars(r, &n)))
		return;
	env = request_env_table(r);
	for (size_t i = 0; i < n; i++) {
		size_t klen = env_key_len(vars[i]);
		char key[256];

		if (klen == 0 || klen >= sizeof key)
			continue;
		memcpy(key, vars[i], klen);
		key[klen] = '\0';
		if (retain && env_get(env, key))
			continue;
		if (strchr(vars[i], '='))
			env_set(env, vars[i]);
		else
			env_set_kv(env, key, "");
	}
	free(vars);
	control_reply(r, proto_reply_new(0, NULL));
}

static void
cmd_unset_env(ControlRequest *r)
{
	size_t n = 0;
	const char **vars;
	EnvList *env;

	if (!may_change_env(r) || !(vars = control_request_vars(r, &n)))
		return;
	env = request_env_table(r);
	for (size_t i = 0; i < n; i++)
		env_unset(env, vars[i]);   /* not set: fine, as Upstart */
	free(vars);
	control_reply(r, proto_reply_new(0, NULL));
}

static void
cmd_reset_env(ControlRequest *r)
{
	if (!may_change_env(r))
		return;
	job_env_reset();
	control_reply(r, proto_reply_new(0, NULL));
}



static void
cmd_reexec(ControlRequest *r)
{
	if (!control_may_change(r, "re-execute init"))
		return;
	if (!reexec_hook) {
		control_reply_error(r, "Not able to re-execute");
		return;
	}
	control_reply(r, proto_reply_new(0, NULL));
	reexec_hook();
}


/* ---- the table ---- */

static const ControlCommand commands[] = {
	{ "start", cmd_start },
	{ "stop", cmd_stop },
	{ "restart", cmd_restart },
	{ "reload", cmd_reload },
	{ "status", cmd_status },
	{ "list", cmd_list },
	{ "emit", cmd_emit },
	{ "monitor", cmd_monitor },
	{ "reload-configuration", cmd_reload_configuration },
	{ "version", cmd_version },
	{ "log-priority", cmd_log_priority },
	{ "show-config", cmd_show_config },
	{ "check-config", cmd_check_config },
	{ "usage", cmd_usage },
	{ "notify-disk-writeable", cmd_notify_disk_writeable },
	{ "get-env", cmd_get_env },
	{ "list-env", cmd_list_env },
	{ "set-env", cmd_set_env },
	{ "unset-env", cmd_unset_env },
	{ "reset-env", cmd_reset_env },
	{ "reexec", cmd_reexec },
};

void
control_commands_register(void)
{
	control_add_commands(commands, sizeof commands / sizeof commands[0]);
	why_commands_register();
}
