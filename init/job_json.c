/* job_json — see job_json.h. */
#include "init/job_json.h"

#include <stdio.h>

#include "lib/proto.h"

#include "init/job_process.h"
#include "init/job_report.h"

/* proto_add_member/_element consume the value whatever happens, and
 * fail on a NULL one (an allocation that failed): `ok` collects it. */
static void
add(bool *ok, struct json_object *obj, const char *key, struct json_object *value)
{
	if (!proto_add_member(obj, key, value))
		*ok = false;
}

/* A key whose value is null (json-c's NULL). */
static void
add_null(bool *ok, struct json_object *obj, const char *key)
{
	if (!obj || json_object_object_add(obj, key, NULL) != 0)
		*ok = false;
}

/* A string, or null for NULL. */
static void
add_string(bool *ok, struct json_object *obj, const char *key, const char *value)
{
	if (value)
		add(ok, obj, key, json_object_new_string(value));
	else
		add_null(ok, obj, key);
}

static void
append(bool *ok, struct json_object *arr, struct json_object *value)
{
	if (!proto_add_element(arr, value))
		*ok = false;
}

/* The object when everything went in, else NULL. */
static struct json_object *
finish(bool ok, struct json_object *obj)
{
	if (ok)
		return obj;
	json_object_put(obj);
	return NULL;
}

/* ---- status ---- */

/* Everything but the processes, which go in its empty "processes". */
static struct json_object *
status_object(const char *class, const char *instance, JobGoal goal, JobState state)
{
	struct json_object *obj = json_object_new_object();
	bool ok = obj != NULL;

	add_string(&ok, obj, "job", class);
	add_string(&ok, obj, "instance", instance);
	add_string(&ok, obj, "goal", job_goal_name(goal));
	add_string(&ok, obj, "state", job_state_name(state));
	add(&ok, obj, "processes", json_object_new_array());
	return finish(ok, obj);
}

typedef struct walk {
	struct json_object *arr;
	bool                ok;
} Walk;

static void
add_process(void *data, ProcessType type, pid_t pid)
{
	Walk *w = data;
	struct json_object *obj = json_object_new_object();
	bool ok = obj != NULL;

	add(&ok, obj, "process", json_object_new_string(process_name(type)));
	add(&ok, obj, "pid", json_object_new_int64(pid));
	append(&w->ok, w->arr, finish(ok, obj));
}

struct json_object *
job_json_status(const Job *job)
{
	struct json_object *obj = status_object(job->class->name, job->name,
						job->goal, job->state);
	Walk w = { json_object_object_get(obj, "processes"), true };

	if (obj)
		job_foreach_process(job, add_process, &w);
	return finish(w.ok, obj);
}

struct json_object *
job_json_class_status(const JobClass *class)
{
	return status_object(class->name, NULL, JOB_STOP, JOB_WAITING);
}

static void
add_member(void *data, pid_t pid, const char *command)
{
	Walk *w = data;
	struct json_object *obj = json_object_new_object();
	bool ok = obj != NULL;

	add(&ok, obj, "pid", json_object_new_int64(pid));
	add(&ok, obj, "command", json_object_new_string(command));
	append(&w->ok, w->arr, finish(ok, obj));
}

bool
job_json_add_members(struct json_object *status, const Job *job)
{
	char path[4096];
	Walk w = { json_object_new_array(), true };

	add_string(&w.ok, status, "cgroup",
		   job && job_process_cgroup(job, path, sizeof path) ? path : NULL);
	if (job && w.arr)
		job_process_members(job, add_member, &w);
	add(&w.ok, status, "members", w.arr);
	return w.ok;
}

/* ---- show-config ---- */

typedef struct config_walk {
	struct json_object *obj;
	struct json_object *emits;
	struct json_object *events[2];   /* by ConfigStanza, or NULL */
	bool                ok;
} ConfigWalk;

static const char *const condition_keys[] = {
	[CONFIG_START_ON] = "start_on", [CONFIG_STOP_ON] = "stop_on",
};

static const char *const events_keys[] = {
	[CONFIG_START_ON] = "start_on_events", [CONFIG_STOP_ON] = "stop_on_events",
};

static void
config_name(void *data, const char *name)
{
	ConfigWalk *w = data;

	add_string(&w->ok, w->obj, "job", name);
}

static void
config_emits(void *data, const char *event)
{
	ConfigWalk *w = data;

	append(&w->ok, w->emits, json_object_new_string(event));
}

static void
config_condition(void *data, ConfigStanza stanza, const char *text)
{
	ConfigWalk *w = data;

	add_string(&w->ok, w->obj, condition_keys[stanza], text);
}

static void
config_event(void *data, ConfigStanza stanza, const char *event, const char *job,
	     char *const *args, int skip)
{
	ConfigWalk *w = data;
	struct json_object *obj = json_object_new_object();
	struct json_object *env = json_object_new_array();
	bool ok = obj != NULL;

	add_string(&ok, obj, "event", event);
	add_string(&ok, obj, "job", job);
	for (int i = 0; args && args[i]; i++)
		if (i != skip)
			append(&ok, env, json_object_new_string(args[i]));
	add(&ok, obj, "env", env);
	append(&w->ok, w->events[stanza], finish(ok, obj));
}

struct json_object *
job_json_config(const JobClass *class, bool enumerate)
{
	static const ShowConfigVisitor visitor = {
		config_name, config_emits, config_condition, config_event,
	};
	ConfigWalk w = { json_object_new_object(), json_object_new_array(), { NULL, NULL }, true };

	if (!w.obj || !w.emits) {
		json_object_put(w.emits);
		json_object_put(w.obj);
		return NULL;
	}
	if (enumerate) {
		w.events[CONFIG_START_ON] = json_object_new_array();
		w.events[CONFIG_STOP_ON] = json_object_new_array();
		if (!w.events[CONFIG_START_ON] || !w.events[CONFIG_STOP_ON])
			w.ok = false;
	}
	/* Every key is there, null or empty when the job has nothing. */
	add_null(&w.ok, w.obj, "job");
	add(&w.ok, w.obj, "emits", json_object_get(w.emits));
	add_null(&w.ok, w.obj, "start_on");
	add_null(&w.ok, w.obj, "stop_on");
	for (int s = 0; s < 2 && enumerate; s++)
		add(&w.ok, w.obj, events_keys[s], json_object_get(w.events[s]));
	if (w.ok)
		job_report_walk_config(class, enumerate, &visitor, &w);
	json_object_put(w.emits);
	json_object_put(w.events[0]);
	json_object_put(w.events[1]);
	return finish(w.ok, w.obj);
}
