/* why_commands — why, history, timeline.  See why_commands.h. */
#include "init/why_commands.h"

#include <stdlib.h>
#include <string.h>

#include "lib/proto.h"

#include "init/control.h"
#include "init/event.h"
#include "init/history.h"
#include "init/job.h"
#include "init/registry.h"
#include "init/timeline.h"

#define WHY_MAX_DEPTH 64
#define WHY_MAX_ITEMS 512

static void
add(struct json_object *o, const char *key, struct json_object *val)
{
	if (val && json_object_object_add(o, key, val) != 0)
		json_object_put(val);
}

/* Everything to root and the owner; to others what monitor shows them
 * (event.h): values jobs and emitters gave init may be secret. */
static HistoryVarFilter
shown_to(ControlRequest *r)
{
	return control_privileged(r) ? NULL : event_var_public;
}

/* ---- why ---- */

typedef struct walk {
	struct json_object *items;
	HistoryVarFilter    shown;
	const Record       *seen[WHY_MAX_ITEMS];
	size_t              nseen;
} Walk;

static bool
seen(Walk *w, const Record *r)
{
	for (size_t i = 0; i < w->nseen; i++)
		if (w->seen[i] == r)
			return true;
	return false;
}

/* The record, then its causes one level deeper, depth first: the tree of
 * causes as initctl indents it.  A record reached twice (two jobs
 * started by one event) is listed once and referred to after. */
static void
chain(Walk *w, const Record *r, int depth)
{
	struct json_object *o;

	if (!r || depth > WHY_MAX_DEPTH || w->nseen == WHY_MAX_ITEMS)
		return;
	if (seen(w, r)) {
		o = json_object_new_object();
		add(o, "seq", json_object_new_int64((int64_t)r->seq));
		add(o, "depth", json_object_new_int(depth));
		add(o, "repeat", json_object_new_boolean(1));
		json_object_array_add(w->items, o);
		return;
	}
	w->seen[w->nseen++] = r;
	if ((o = history_record_json(r, w->shown))) {
		add(o, "depth", json_object_new_int(depth));
		json_object_array_add(w->items, o);
	}
	for (size_t i = 0; i < r->cause.nparents; i++)
		chain(w, r->cause.parents[i], depth + 1);
}

static void
first_line(void *data, const char *line)
{
	char **out = data;

	if (!*out)
		*out = strdup(line);
}

/* The instance `why` is about: the one named, the only one, or the
 * single instance (""); NULL with *error set otherwise. */
static Job *
why_instance(JobClass *class, const char *inst, const char **error)
{
	Job *job, *only = NULL;
	size_t n = 0;

	if (inst)
		return job_find(class, inst);
	TAILQ_FOREACH(job, &class->instances, link) {
		only = job;
		n++;
	}
	if (n > 1 && !job_find(class, "")) {
		*error = "has several instances: name one";
		return NULL;
	}
	return n == 1 ? only : job_find(class, "");
}

static void
cmd_why(ControlRequest *r)
{
	const char *name = proto_get_string(r->msg, "job");
	const char *inst = proto_get_string(r->msg, "instance");
	const char *error = NULL;
	struct json_object *reply;
	const Record *goal;
	JobClass *class;
	char *status = NULL, *text;
	Walk *w;
	Job *job;

	if (!name) {
		control_reply_error(r, "missing job name");
		return;
	}
	if (!(class = registry_find(name))) {
		control_reply_error(r, "Unknown job: %s", name);
		return;
	}
	job = why_instance(class, inst, &error);
	if (error) {
		control_reply_error(r, "%s %s", name, error);
		return;
	}
	if (!(w = calloc(1, sizeof *w)) || !(w->items = json_object_new_array())) {
		free(w);
		control_reply_error(r, "Out of memory");
		return;
	}
	w->shown = shown_to(r);
	reply = proto_reply_new(0, NULL);
	if (job)
		job_status_lines(job, first_line, &status);
	else
		job_class_status_line(class, first_line, &status);
	add(reply, "job", json_object_new_string(class->name));
	add(reply, "instance", json_object_new_string(job ? job->name : inst ? inst : ""));
	add(reply, "status_line", json_object_new_string(status ? status : ""));
	free(status);
	/* A live instance holds its latest goal change; one at rest is
	 * found in the ring, as long as it is there. */
	goal = job && job->cause ? job->cause
				 : history_last_goal(class->name, job ? job->name : inst);
	chain(w, goal, 0);
	add(reply, "items", w->items);
	if (class->start_on && (!job || job->goal == JOB_STOP)) {
		if ((text = event_operator_unmet(class->start_on)))
			add(reply, "waiting_for", json_object_new_string(text));
		free(text);
	}
	if (class->start_on && (text = event_operator_to_string(class->start_on))) {
		add(reply, "start_on", json_object_new_string(text));
		free(text);
	}
	free(w);
	control_reply(r, reply);
}

/* ---- history ---- */

/* Is the record about job `name`: its goal or state, or its event? */
static bool
about(const Record *rec, const char *name)
{
	if (rec->kind != RECORD_EVENT)
		return !strcmp(rec->name, name);
	for (char **e = rec->env; e && *e; e++)
		if (!strncmp(*e, "JOB=", 4))
			return !strcmp(*e + 4, name);
	return false;
}

static void
cmd_history(ControlRequest *r)
{
	const char *name = proto_get_string(r->msg, "job");
	struct json_object *count_obj, *reply, *items;
	int64_t count = -1;
	size_t n = history_len(), first = 0, matched = 0;

	if (json_object_object_get_ex(r->msg, "count", &count_obj)) {
		if (!json_object_is_type(count_obj, json_type_int) ||
		    (count = json_object_get_int64(count_obj)) < 0) {
			control_reply_error(r, "count must be a number from 0");
			return;
		}
	}
	if (name && !registry_find(name) && !history_last_goal(name, NULL)) {
		control_reply_error(r, "Unknown job: %s", name);
		return;
	}
	/* The last `count` of those that match: count back first. */
	if (count >= 0) {
		for (first = n; first > 0 && matched < (size_t)count; first--)
			if (!name || about(history_at(first - 1), name))
				matched++;
	}
	reply = proto_reply_new(0, NULL);
	items = json_object_new_array();
	for (size_t i = first; items && i < n; i++) {
		const Record *rec = history_at(i);

		if (!name || about(rec, name))
			json_object_array_add(items, history_record_json(rec, shown_to(r)));
	}
	add(reply, "items", items);
	control_reply(r, reply);
}

/* ---- timeline ---- */

static void
cmd_timeline(ControlRequest *r)
{
	struct json_object *reply = proto_reply_new(0, NULL);

	timeline_reply(reply, shown_to(r));
	control_reply(r, reply);
}

static const ControlCommand commands[] = {
	{ "why", cmd_why },
	{ "history", cmd_history },
	{ "timeline", cmd_timeline },
};

void
why_commands_register(void)
{
	control_add_commands(commands, sizeof commands / sizeof commands[0]);
}
