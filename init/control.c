/* control — the control socket server.  See control.h. */
#include "init/control.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "lib/fsutil.h"
#include "lib/proto.h"

#include "init/event.h"
#include "init/job.h"
#include "init/job_env.h"
#include "init/job_log.h"
#include "init/job_report.h"
#include "init/log.h"
#include "init/loop.h"
#include "init/registry.h"
#include "sysv/runlevel.h"
#include "sysv/sysv.h"

/* Bounds that keep one client, or many, from costing init much. */
#define MAX_CLIENTS       1024
#define IDLE_TIMEOUT_MS   30000

typedef struct client {
	LIST_ENTRY(client) link;
	uint64_t  id;
	int       fd;
	Watch    *watch;
	Timer    *idle;
	uid_t     uid;
	pid_t     pid;
	unsigned  waiting;     /* requests parked in blocking lists */
	bool      monitor;
} Client;

static LIST_HEAD(, client) clients = LIST_HEAD_INITIALIZER(clients);
static unsigned nclients;
static uint64_t next_client_id = 1;
static int listen_fd = -1;
static Watch *listen_watch;
static char *listen_path;
static uid_t owner_uid;
static bool user_mode;
static char program[64] = "init";
static void (*reload_hook)(void);

void control_set_owner(uid_t uid)        { owner_uid = uid; }
bool control_user_mode(void)             { return user_mode; }
void control_set_user_mode(bool enable)  { user_mode = enable; }
void control_set_reload_hook(void (*fn)(void)) { reload_hook = fn; }

void
control_set_program(const char *argv0)
{
	const char *base = strrchr(argv0, '/');

	snprintf(program, sizeof program, "%s", base ? base + 1 : argv0);
}

/* ---- clients ---- */

static Client *
client_by_id(uint64_t id)
{
	Client *c;

	LIST_FOREACH(c, &clients, link)
		if (c->id == id)
			return c;
	return NULL;
}

static void
client_close(Client *c)
{
	LIST_REMOVE(c, link);
	nclients--;
	loop_unwatch(c->watch);
	loop_timer_cancel(c->idle);
	close(c->fd);
	free(c);
}

static void
idle_expired(void *data)
{
	Client *c = data;

	c->idle = NULL;
	log_debug("Closing idle control client (pid %d)", (int)c->pid);
	client_close(c);
}

/* A client with nothing under way is closed after a while, so idle
 * connections cannot use up the client slots for ever. */
static void
client_touch(Client *c)
{
	loop_timer_cancel(c->idle);
	c->idle = NULL;
	if (!c->waiting && !c->monitor)
		c->idle = loop_timer(IDLE_TIMEOUT_MS, idle_expired, c);
}

/* Send or drop: a client that does not read its replies is closed rather
 * than allowed to make init wait. */
static bool
client_send(Client *c, struct json_object *msg)
{
	if (proto_send(c->fd, msg, MSG_DONTWAIT) == 0)
		return true;
	log_debug("Dropping control client (pid %d): %s", (int)c->pid, strerror(errno));
	client_close(c);
	return false;
}

static void
reply_send(Client *c, struct json_object *reply)
{
	if (proto_send_reply(c->fd, reply, MSG_DONTWAIT) == 0) {
		client_touch(c);
	} else {
		log_debug("Dropping control client (pid %d): %s", (int)c->pid,
			  strerror(errno));
		client_close(c);
	}
	json_object_put(reply);
}

static void
reply_error(Client *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
reply_error(Client *c, const char *fmt, ...)
{
	char text[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	reply_send(c, proto_reply_new(1, text));
}

static void
line_to_reply(void *data, const char *line)
{
	proto_reply_line(data, line);
}

/* ---- waiters ---- */

static Waiter *
waiter_new(Client *c, WaiterKind kind, const char *class_name)
{
	Waiter *w = calloc(1, sizeof *w);

	if (!w)
		return NULL;
	w->client_id = c->id;
	w->kind = kind;
	w->class_name = class_name ? strdup(class_name) : NULL;
	c->waiting++;
	return w;
}

void
waiter_finish(Waiter *w, Job *job, bool failed)
{
	static const char *const failures[] = {
		[WAITER_START] = "Job failed to start",
		[WAITER_STOP] = "Job failed while stopping",
		[WAITER_RESTART] = "Job failed to restart",
		[WAITER_EMIT] = "Event failed",
	};
	Client *c = client_by_id(w->client_id);

	if (c) {
		struct json_object *reply = proto_reply_new(failed ? 1 : 0,
							    failed ? failures[w->kind] : NULL);

		if (c->waiting)
			c->waiting--;
		if (!failed && w->kind != WAITER_EMIT) {
			/* A job at rest is gone by the time a client could ask:
			 * it prints as a class without instances. */
			if (!job || job->state == JOB_WAITING) {
				if (w->class_name)
					proto_reply_linef(reply, "%s stop/waiting", w->class_name);
			} else {
				job_status_lines(job, line_to_reply, reply);
			}
		}
		reply_send(c, reply);
	}
	free(w->class_name);
	free(w);
}

/* ---- request helpers ---- */

typedef struct request {
	Client             *client;
	struct json_object *msg;
	const char         *cmd;
} Request;

static bool
may_change(Request *r, const char *what)
{
	if (r->client->uid == 0 || r->client->uid == owner_uid)
		return true;
	reply_error(r->client, "You do not have permission to %s", what);
	return false;
}

/* The "env" list as an EnvList; false (after replying) when malformed. */
static bool
request_env(Request *r, EnvList *env)
{
	size_t n = 0;
	bool bad = false;
	const char **vars = proto_get_strings(r->msg, "env", &n, &bad);

	if (bad) {
		reply_error(r->client, "Invalid request: env must be a list of strings");
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		if (!env_is_assignment(vars[i]) || env_append(env, vars[i]) < 0) {
			free(vars);
			env_clear(env);
			reply_error(r->client, "Env must be KEY=VALUE pairs");
			return false;
		}
	}
	free(vars);
	return true;
}

static JobClass *
request_class(Request *r)
{
	const char *name = proto_get_string(r->msg, "job");
	JobClass *class;

	if (!name) {
		reply_error(r->client, "missing job name");
		return NULL;
	}
	if (!(class = registry_find(name)))
		reply_error(r->client, "Unknown job: %s", name);
	return class;
}

static void
reply_unknown_parameter(Request *r, const JobClass *class, const char *var)
{
	if (class->usage)
		reply_error(r->client, "Unknown parameter: %s\nUsage: %s", var, class->usage);
	else
		reply_error(r->client, "Unknown parameter: %s", var);
}

/* The instance a start/stop/restart/reload/status addresses.  *name is
 * set to the expanded instance name (caller frees); the job may be NULL.
 * Returns false (after replying) on an error. */
static bool
request_instance(Request *r, JobClass *class, const EnvList *given,
		 bool usage_on_error, char **name, EnvList *env_out)
{
	EnvList env = ENV_LIST_INIT;
	char *unknown = NULL;

	if (proto_get_bool(r->msg, "self", false)) {
		const char *inst = proto_get_string(r->msg, "instance");

		*name = strdup(inst ? inst : "");
		return *name != NULL;
	}
	if (job_env_build(class, given, &env) < 0) {
		reply_error(r->client, "Out of memory");
		return false;
	}
	*name = job_env_instance_name(class, &env, &unknown);
	if (!*name) {
		if (usage_on_error)
			reply_unknown_parameter(r, class, unknown ? unknown : "");
		else
			reply_error(r->client, "Unknown parameter: %s", unknown ? unknown : "");
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
reply_status(Request *r, Job *job, const JobClass *class, bool alive)
{
	struct json_object *reply = proto_reply_new(0, NULL);

	if (alive && job)
		job_status_lines(job, line_to_reply, reply);
	else
		job_class_status_line(class, line_to_reply, reply);
	reply_send(r->client, reply);
}

/* Park the client in `list` when it asked to wait. */
static bool
park(Request *r, BlockedList *list, WaiterKind kind, const char *class_name)
{
	Waiter *w;

	if (!proto_get_bool(r->msg, "wait", true) || proto_get_bool(r->msg, "self", false))
		return false;
	if (!(w = waiter_new(r->client, kind, class_name)))
		return false;
	if (blocked_add_waiter(list, w) < 0) {
		r->client->waiting--;
		free(w->class_name);
		free(w);
		return false;
	}
	loop_timer_cancel(r->client->idle);
	r->client->idle = NULL;
	return true;
}

/* ---- job commands ---- */

/* Change the goal for a start/stop/restart command and answer: earlier
 * waiters are released with the status the job has after the change (as
 * Upstart's clients see it when they ask), then the caller waits or gets
 * the status now. */
static void
command_goal(Request *r, Job *job, JobGoal goal, WaiterKind kind)
{
	JobClass *class = job_class_ref(job->class);
	bool alive = job_new_goal(job, goal);

	if (!alive || !park(r, &job->blocking, kind, class->name))
		reply_status(r, job, class, alive);
	job_class_unref(class);
}

static void
cmd_start(Request *r)
{
	EnvList given = ENV_LIST_INIT, env = ENV_LIST_INIT;
	JobClass *class;
	char *name = NULL;
	Job *job;

	if (!request_env(r, &given) || !(class = request_class(r)))
		goto out;
	if (!may_change(r, "modify job"))
		goto out;
	if (!request_instance(r, class, &given, true, &name, &env))
		goto out;
	job = job_find(class, name);
	if (proto_get_bool(r->msg, "self", false) && !job) {
		reply_error(r->client, "Unknown instance: %s", name);
		goto out;
	}
	if (!job && !(job = job_new(class, name))) {
		reply_error(r->client, "Out of memory");
		goto out;
	}
	if (job->goal == JOB_START) {
		reply_error(r->client, "Job is already running: %s", job_name(job));
		goto out;
	}
	if (!proto_get_bool(r->msg, "self", false)) {
		env_clear(&job->start_env);
		job->start_env = env;
		env_init(&env);
		job->has_start_env = true;
	}
	command_goal(r, job, JOB_START, WAITER_START);
out:
	free(name);
	env_clear(&given);
	env_clear(&env);
}

/* Find the instance for stop/restart/reload; NULL after replying. */
static Job *
existing_instance(Request *r, JobClass *class, const EnvList *given, bool usage)
{
	char *name = NULL;
	Job *job;

	if (!request_instance(r, class, given, usage, &name, NULL))
		return NULL;
	if (!(job = job_find(class, name)))
		reply_error(r->client, "Unknown instance: %s", name);
	free(name);
	return job;
}

/* stop, restart, reload: the caller's variables in `given`, the right to
 * change jobs, an instance that exists.  NULL after replying. */
static Job *
instance_to_change(Request *r, EnvList *given, bool usage)
{
	JobClass *class;

	if (!request_env(r, given) || !(class = request_class(r)) ||
	    !may_change(r, "modify job"))
		return NULL;
	return existing_instance(r, class, given, usage);
}

static void
cmd_stop(Request *r)
{
	EnvList given = ENV_LIST_INIT;
	Job *job;

	if (!(job = instance_to_change(r, &given, true)))
		goto out;
	if (job->goal == JOB_STOP) {
		reply_error(r->client, "Job has already been stopped: %s", job_name(job));
		goto out;
	}
	if (!proto_get_bool(r->msg, "self", false)) {
		env_clear(&job->stop_env);
		job->stop_env = given;
		env_init(&given);
	}
	command_goal(r, job, JOB_STOP, WAITER_STOP);
out:
	env_clear(&given);
}

static void
cmd_restart(Request *r)
{
	EnvList given = ENV_LIST_INIT, env = ENV_LIST_INIT;
	Job *job;

	if (!(job = instance_to_change(r, &given, false)))
		goto out;
	if (job->goal == JOB_STOP) {
		/* Upstart names the instance here, often empty; kept, since
		 * scripts may match the message. */
		reply_error(r->client, "Job has already been stopped: %s", job->name);
		goto out;
	}
	if (!proto_get_bool(r->msg, "self", false) &&
	    job_env_build(job->class, &given, &env) == 0) {
		env_clear(&job->start_env);
		job->start_env = env;
		env_init(&env);
		job->has_start_env = true;
	}
	command_goal(r, job, JOB_RESPAWN, WAITER_RESTART);
out:
	env_clear(&given);
	env_clear(&env);
}

static void
cmd_reload(Request *r)
{
	EnvList given = ENV_LIST_INIT;
	Job *job;

	if (!(job = instance_to_change(r, &given, false)))
		goto out;
	if (job->pid[PROCESS_MAIN] <= 0) {
		reply_error(r->client, "Job is not running: %s", job_name(job));
		goto out;
	}
	kill(job->pid[PROCESS_MAIN], job->class->reload_signal);
	reply_send(r->client, proto_reply_new(0, NULL));
out:
	env_clear(&given);
}

static void
cmd_status(Request *r)
{
	EnvList given = ENV_LIST_INIT;
	JobClass *class;
	char *name = NULL;
	Job *job;

	if (!request_env(r, &given) || !(class = request_class(r)))
		goto out;
	if (!request_instance(r, class, &given, false, &name, NULL))
		goto out;
	job = job_find(class, name);
	if (!job && given.len)
		reply_error(r->client, "Unknown instance: %s", name);
	else
		reply_status(r, job, class, job != NULL);
out:
	free(name);
	env_clear(&given);
}

static void
cmd_list(Request *r)
{
	struct json_object *reply = proto_reply_new(0, NULL);
	JobClass *class = NULL;

	while ((class = registry_next(class))) {
		Job *job;

		if (TAILQ_EMPTY(&class->instances))
			job_class_status_line(class, line_to_reply, reply);
		TAILQ_FOREACH(job, &class->instances, link)
			job_status_lines(job, line_to_reply, reply);
	}
	reply_send(r->client, reply);
}

/* ---- events ---- */

static void
cmd_emit(Request *r)
{
	EnvList env = ENV_LIST_INIT;
	const char *name = proto_get_string(r->msg, "event");
	Event *event;

	if (!request_env(r, &env))
		return;
	if (!name) {
		reply_error(r->client, "missing event name");
	} else if (!*name) {
		reply_error(r->client, "Name may not be empty string");
	} else if (may_change(r, "emit an event")) {
		if (!(event = event_new(name, &env)))
			reply_error(r->client, "Out of memory");
		else if (!park(r, &event->blocking, WAITER_EMIT, NULL))
			reply_send(r->client, proto_reply_new(0, NULL));
	}
	env_clear(&env);
}

static void
monitor_observer(const Event *event, void *data)
{
	Client *c, *next;

	LIST_FOREACH_SAFE(c, &clients, link, next) {
		struct json_object *msg, *env;

		if (!c->monitor)
			continue;
		msg = json_object_new_object();
		env = json_object_new_array();
		json_object_object_add(msg, "v", json_object_new_int(PROTO_VERSION));
		json_object_object_add(msg, "event", json_object_new_string(event->name));
		for (size_t i = 0; i < event->env.len; i++)
			json_object_array_add(env, json_object_new_string(event->env.vars[i]));
		json_object_object_add(msg, "env", env);
		client_send(c, msg);
		json_object_put(msg);
	}
}

static void
cmd_monitor(Request *r)
{
	r->client->monitor = true;
	reply_send(r->client, proto_reply_new(0, NULL));
}

/* ---- configuration ---- */

static void
cmd_reload_configuration(Request *r)
{
	if (!may_change(r, "reload configuration"))
		return;
	if (reload_hook)
		reload_hook();
	reply_send(r->client, proto_reply_new(0, NULL));
}

static void
cmd_version(Request *r)
{
	struct json_object *reply = proto_reply_new(0, NULL);

	proto_reply_linef(reply, "%s (upstart %s)", program, UPINIT_VERSION);
	reply_send(r->client, reply);
}

static void
cmd_log_priority(Request *r)
{
	const char *prio = proto_get_string(r->msg, "priority");
	struct json_object *reply;
	int p;

	if (!prio) {
		reply = proto_reply_new(0, NULL);
		proto_reply_line(reply, log_priority_name(log_get_priority()));
		reply_send(r->client, reply);
		return;
	}
	if (!may_change(r, "set log priority"))
		return;
	if ((p = log_priority_parse(prio)) < 0) {
		reply_error(r->client, "The log priority given was not recognised");
		return;
	}
	log_set_priority((LogPriority)p);
	reply_send(r->client, proto_reply_new(0, NULL));
}

static void
cmd_usage(Request *r)
{
	JobClass *class = request_class(r);
	struct json_object *reply;

	if (!class)
		return;
	reply = proto_reply_new(0, NULL);
	proto_reply_linef(reply, "Usage: %s", class->usage ? class->usage : "");
	reply_send(r->client, reply);
}

static void
cmd_notify_disk_writeable(Request *r)
{
	if (!may_change(r, "notify disk is writeable"))
		return;
	job_log_notify_disk_writeable();
	reply_send(r->client, proto_reply_new(0, NULL));
}

/* ---- show-config, check-config ---- */

static void
cmd_show_config(Request *r)
{
	const char *name = proto_get_string(r->msg, "job");
	bool enumerate = proto_get_bool(r->msg, "enumerate", false);
	struct json_object *reply;
	JobClass *class = NULL;

	if (name && !registry_find(name)) {
		reply_error(r->client, "Unknown job: %s", name);
		return;
	}
	reply = proto_reply_new(0, NULL);
	if (name)
		job_report_show_config(registry_find(name), enumerate, line_to_reply, reply);
	else
		while ((class = registry_next(class)))
			job_report_show_config(class, enumerate, line_to_reply, reply);
	reply_send(r->client, reply);
}

static void
cmd_check_config(Request *r)
{
	const char *name = proto_get_string(r->msg, "job");
	bool warn = proto_get_bool(r->msg, "warn", false);
	size_t nignored = 0;
	bool bad = false, problems = false;
	const char **ignored = proto_get_strings(r->msg, "ignore_events", &nignored, &bad);
	struct json_object *reply;
	JobClass *class = NULL;

	if (name && !registry_find(name)) {
		reply_error(r->client, "Invalid job class: %s", name);
		free(ignored);
		return;
	}
	reply = proto_reply_new(0, NULL);
	if (name)
		problems = job_report_check_config(registry_find(name), (char *const *)ignored,
						   nignored, warn, line_to_reply, reply);
	else
		while ((class = registry_next(class)))
			problems |= job_report_check_config(class, (char *const *)ignored,
							    nignored, warn, line_to_reply, reply);
	if (problems)
		json_object_object_add(reply, "status", json_object_new_int(1));
	reply_send(r->client, reply);
	free(ignored);
}

/* ---- the job environment table ---- */

/* The table a request addresses: the caller's own instance unless
 * --global, else the global table. */
static EnvList *
request_env_table(Request *r)
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
may_change_env(Request *r)
{
	if (!may_change(r, "modify job environment"))
		return false;
	if (!user_mode) {
		reply_error(r->client, "Not permissible to modify PID 1 job environment");
		return false;
	}
	return true;
}

static const char **
request_vars(Request *r, size_t *n)
{
	bool bad = false;
	const char **vars = proto_get_strings(r->msg, "vars", n, &bad);

	if (bad || !vars || !*n) {
		free(vars);
		reply_error(r->client, "missing variable name");
		return NULL;
	}
	return vars;
}

static void
cmd_get_env(Request *r)
{
	size_t n = 0;
	const char **vars = request_vars(r, &n);
	const char *value;
	struct json_object *reply;

	if (!vars)
		return;
	if (!(value = env_get(request_env_table(r), vars[0]))) {
		reply_error(r->client, "No such variable: %s", vars[0]);
	} else {
		reply = proto_reply_new(0, NULL);
		proto_reply_line(reply, value);
		reply_send(r->client, reply);
	}
	free(vars);
}

static int
cmp_coll(const void *a, const void *b)
{
	return strcoll(*(char *const *)a, *(char *const *)b);
}

static void
cmd_list_env(Request *r)
{
	const EnvList *env = request_env_table(r);
	struct json_object *reply = proto_reply_new(0, NULL);
	char **sorted = calloc(env->len + 1, sizeof *sorted);

	if (sorted) {
		memcpy(sorted, env_vars(env), env->len * sizeof *sorted);
		qsort(sorted, env->len, sizeof *sorted, cmp_coll);
		for (size_t i = 0; i < env->len; i++)
			proto_reply_line(reply, sorted[i]);
		free(sorted);
	}
	reply_send(r->client, reply);
}

static void
cmd_set_env(Request *r)
{
	size_t n = 0;
	const char **vars;
	bool retain = proto_get_bool(r->msg, "retain", false);
	EnvList *env;

	if (!may_change_env(r) || !(vars = request_vars(r, &n)))
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
	reply_send(r->client, proto_reply_new(0, NULL));
}

static void
cmd_unset_env(Request *r)
{
	size_t n = 0;
	const char **vars;
	EnvList *env;

	if (!may_change_env(r) || !(vars = request_vars(r, &n)))
		return;
	env = request_env_table(r);
	for (size_t i = 0; i < n; i++)
		env_unset(env, vars[i]);   /* not set: fine, as Upstart */
	free(vars);
	reply_send(r->client, proto_reply_new(0, NULL));
}

static void
cmd_reset_env(Request *r)
{
	if (!may_change_env(r))
		return;
	job_env_reset();
	reply_send(r->client, proto_reply_new(0, NULL));
}

/* ---- SysV requests: PID 1 owns the runlevel (docs/compatibility.md) ---- */

static void
cmd_runlevel(Request *r)
{
	struct json_object *reply;

	if (runlevel_current() == 'N') {
		reply_send(r->client, proto_reply_new(1, NULL));
		return;
	}
	reply = proto_reply_new(0, NULL);
	proto_reply_linef(reply, "%c %c", runlevel_previous(), runlevel_current());
	reply_send(r->client, reply);
}

static void
cmd_telinit(Request *r)
{
	const char *level = proto_get_string(r->msg, "runlevel");
	EnvList env = ENV_LIST_INIT;

	if (!request_env(r, &env))
		return;
	if (!level || strlen(level) != 1 || !runlevel_valid(level[0]))
		reply_error(r->client, "illegal runlevel: %.8s", level ? level : "");
	else if (may_change(r, "change the runlevel"))
		reply_send(r->client, proto_reply_new(runlevel_change(level[0], &env) < 0, NULL));
	env_clear(&env);
}

/* sysvinit's SETENV (telinit -e): INIT_* variables for every job. */
static void
cmd_init_env(Request *r)
{
	size_t n = 0;
	const char **vars;

	if (!may_change(r, "modify job environment") || !(vars = request_vars(r, &n)))
		return;
	for (size_t i = 0; i < n; i++)
		job_env_init_var(vars[i]);   /* other names dropped, as sysvinit */
	free(vars);
	reply_send(r->client, proto_reply_new(0, NULL));
}

static void
cmd_ondemand(Request *r)
{
	const char *level = proto_get_string(r->msg, "level");

	if (!may_change(r, "start ondemand entries"))
		return;
	if (!level || strlen(level) != 1 || sysv_ondemand(level[0]) < 0)
		reply_error(r->client, "illegal runlevel: %.8s", level ? level : "");
	else
		reply_send(r->client, proto_reply_new(0, NULL));
}

static void (*reexec_hook)(void);
void control_set_reexec_hook(void (*fn)(void)) { reexec_hook = fn; }

static void
cmd_reexec(Request *r)
{
	if (!may_change(r, "re-execute init"))
		return;
	if (!reexec_hook) {
		reply_error(r->client, "Not able to re-execute");
		return;
	}
	reply_send(r->client, proto_reply_new(0, NULL));
	reexec_hook();
}

/* ---- dispatch ---- */

typedef struct command {
	const char *name;
	void      (*fn)(Request *r);
} Command;

static const Command commands[] = {
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
	{ "runlevel", cmd_runlevel },
	{ "telinit", cmd_telinit },
	{ "init-env", cmd_init_env },
	{ "reexec", cmd_reexec },
	{ "ondemand", cmd_ondemand },
};

static void
dispatch(Client *c, struct json_object *msg)
{
	Request r = { .client = c, .msg = msg, .cmd = proto_get_string(msg, "cmd") };

	if (!r.cmd) {
		reply_error(c, "Invalid request: no command");
		return;
	}
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
		if (strcmp(commands[i].name, r.cmd) == 0) {
			commands[i].fn(&r);
			return;
		}
	}
	reply_error(c, "Invalid request: unknown command %.64s", r.cmd);
}

static void
client_readable(void *data, int fd, uint32_t events)
{
	Client *c = data;
	uint64_t id = c->id;
	char buf[PROTO_MAX_MESSAGE + 1];

	/* A few requests per wake-up at most: one client cannot hog init. */
	for (int i = 0; i < 16; i++) {
		const char *why = NULL;
		struct json_object *msg;
		ssize_t n = recv(fd, buf, sizeof buf, MSG_DONTWAIT | MSG_TRUNC);

		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		if (n <= 0) {
			client_close(c);
			return;
		}
		if ((size_t)n > PROTO_MAX_MESSAGE) {
			reply_error(c, "Invalid request: message too large");
		} else if (!(msg = proto_decode(buf, (size_t)n, &why))) {
			reply_error(c, "Invalid request: %s", why ? why : "malformed");
		} else {
			dispatch(c, msg);
			json_object_put(msg);
		}
		/* The reply may have found the client gone. */
		if (!client_by_id(id))
			return;
	}
}

/* A descriptor kept spare so that, out of descriptors, a connection can
 * still be taken off the queue and closed instead of waking init for
 * ever (the classic EMFILE busy loop). */
static int reserve_fd = -1;

static void
refuse_one(int fd)
{
	int cfd;

	if (reserve_fd >= 0) {
		close(reserve_fd);
		reserve_fd = -1;
	}
	cfd = accept4(fd, NULL, NULL, SOCK_CLOEXEC);
	if (cfd >= 0)
		close(cfd);
	reserve_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
}

static void
listen_readable(void *data, int fd, uint32_t events)
{
	for (int i = 0; i < 64; i++) {
		int cfd = accept4(fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
		Client *c;

		if (cfd < 0) {
			if (errno == EMFILE || errno == ENFILE) {
				static uint64_t last_warned;

				/* One line per 10 s: a flood must not flood the log. */
				if (!last_warned || loop_now_ms() - last_warned > 10000) {
					log_warn("Refusing control connections: %s", strerror(errno));
					last_warned = loop_now_ms();
				}
				refuse_one(fd);
			}
			return;
		}
		if (nclients >= MAX_CLIENTS || !(c = calloc(1, sizeof *c))) {
			log_warn("Refusing control connection: too many clients");
			close(cfd);
			continue;
		}
		c->id = next_client_id++;
		c->fd = cfd;
		/* Room for a long reply (show-config, list of thousands of
		 * jobs) sent in several packets without waiting. */
		setsockopt(cfd, SOL_SOCKET, SO_SNDBUF, &(int){ 1 << 20 }, sizeof(int));
		if (proto_peer_uid(cfd, &c->uid, &c->pid) < 0)
			c->uid = (uid_t)-1;   /* unknown: may only read */
		c->watch = loop_watch(cfd, EPOLLIN, client_readable, c);
		if (!c->watch) {
			close(cfd);
			free(c);
			continue;
		}
		LIST_INSERT_HEAD(&clients, c, link);
		nclients++;
		client_touch(c);
	}
}

/* The socket file we bound, to notice when /run is replaced. */
static dev_t socket_dev;
static ino_t socket_ino;

static void
remember_socket_file(void)
{
	struct stat st;

	if (listen_path && stat(listen_path, &st) == 0) {
		socket_dev = st.st_dev;
		socket_ino = st.st_ino;
	}
}

int
control_listen(const char *path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof addr.sun_path) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(addr.sun_path, path);
	mkdir_parents(path, 0755);
	unlink(path);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0 ||
	    chmod(path, 0666) < 0 || listen(fd, 128) < 0 ||
	    !(listen_watch = loop_watch(fd, EPOLLIN, listen_readable, NULL))) {
		int err = errno;

		close(fd);
		errno = err;
		return -1;
	}
	listen_fd = fd;
	if (reserve_fd < 0)
		reserve_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	free(listen_path);
	listen_path = strdup(path);
	remember_socket_file();
	event_set_observer(monitor_observer, NULL);
	return 0;
}

int
control_check(void)
{
	struct stat st;
	char *path;
	int ret;

	if (!listen_path)
		return 0;
	if (stat(listen_path, &st) == 0 && st.st_dev == socket_dev && st.st_ino == socket_ino)
		return 0;
	/* /run was mounted over (or the file removed): listen again.
	 * Connected clients keep their connections. */
	log_message("Control socket %s gone; listening again", listen_path);
	if (!(path = strdup(listen_path)))
		return -1;
	loop_unwatch(listen_watch);
	listen_watch = NULL;
	close(listen_fd);
	listen_fd = -1;
	ret = control_listen(path);
	if (ret < 0)
		log_error("Unable to listen on %s: %s", path, strerror(errno));
	free(path);
	return ret;
}

void
control_close(void)
{
	while (!LIST_EMPTY(&clients))
		client_close(LIST_FIRST(&clients));
	if (listen_watch)
		loop_unwatch(listen_watch);
	listen_watch = NULL;
	if (listen_fd >= 0)
		close(listen_fd);
	listen_fd = -1;
	if (reserve_fd >= 0)
		close(reserve_fd);
	reserve_fd = -1;
	free(listen_path);
	listen_path = NULL;
}

/* ---- re-exec ---- */

void
control_inherit(bool inherit)
{
	Client *c;

	if (listen_fd >= 0)
		fd_set_cloexec(listen_fd, !inherit);
	LIST_FOREACH(c, &clients, link)
		fd_set_cloexec(c->fd, !inherit);
}

struct json_object *
control_serialise(void)
{
	struct json_object *obj = json_object_new_object();
	struct json_object *list = json_object_new_array();
	Client *c;

	json_object_object_add(obj, "listen_fd", json_object_new_int(listen_fd));
	if (listen_path)
		json_object_object_add(obj, "path", json_object_new_string(listen_path));
	json_object_object_add(obj, "next_id", json_object_new_int64((int64_t)next_client_id));
	LIST_FOREACH(c, &clients, link) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "id", json_object_new_int64((int64_t)c->id));
		json_object_object_add(o, "fd", json_object_new_int(c->fd));
		json_object_object_add(o, "uid", json_object_new_int64(c->uid));
		json_object_object_add(o, "pid", json_object_new_int(c->pid));
		json_object_object_add(o, "waiting", json_object_new_int((int)c->waiting));
		json_object_object_add(o, "monitor", json_object_new_boolean(c->monitor));
		json_object_array_add(list, o);
	}
	json_object_object_add(obj, "clients", list);
	return obj;
}

static int64_t
get_int(struct json_object *obj, const char *key, int64_t dflt)
{
	struct json_object *val;

	if (!json_object_object_get_ex(obj, key, &val) ||
	    !json_object_is_type(val, json_type_int))
		return dflt;
	return json_object_get_int64(val);
}

/* Is `fd` an open socket of ours?  A state file could name anything. */
static bool
is_socket(int fd)
{
	struct stat st;

	return fd >= 0 && fstat(fd, &st) == 0 && S_ISSOCK(st.st_mode);
}

static void
adopt_client(struct json_object *o)
{
	int fd = (int)get_int(o, "fd", -1);
	Client *c;

	if (!is_socket(fd) || nclients >= MAX_CLIENTS || !(c = calloc(1, sizeof *c)))
		return;
	c->id = (uint64_t)get_int(o, "id", 0);
	c->fd = fd;
	c->uid = (uid_t)get_int(o, "uid", -1);
	c->pid = (pid_t)get_int(o, "pid", 0);
	c->waiting = (unsigned)get_int(o, "waiting", 0);
	c->monitor = proto_get_bool(o, "monitor", false);
	fd_set_cloexec(fd, true);
	if (!(c->watch = loop_watch(fd, EPOLLIN, client_readable, c))) {
		close(fd);
		free(c);
		return;
	}
	LIST_INSERT_HEAD(&clients, c, link);
	nclients++;
	client_touch(c);
}

int
control_deserialise(struct json_object *obj)
{
	struct json_object *list;
	int fd = (int)get_int(obj, "listen_fd", -1);
	const char *path = proto_get_string(obj, "path");

	if (!is_socket(fd)) {
		errno = EBADF;
		return -1;
	}
	fd_set_cloexec(fd, true);
	if (!(listen_watch = loop_watch(fd, EPOLLIN, listen_readable, NULL)))
		return -1;
	listen_fd = fd;
	free(listen_path);
	listen_path = path ? strdup(path) : NULL;
	remember_socket_file();
	if (reserve_fd < 0)
		reserve_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	next_client_id = (uint64_t)get_int(obj, "next_id", 1);
	event_set_observer(monitor_observer, NULL);
	if (json_object_object_get_ex(obj, "clients", &list) &&
	    json_object_is_type(list, json_type_array))
		for (size_t i = 0; i < json_object_array_length(list); i++)
			adopt_client(json_object_array_get_idx(list, i));
	return 0;
}
