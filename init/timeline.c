/* timeline — where the boot went.  See timeline.h. */
#include "init/timeline.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "lib/proto.h"

#include "init/history.h"

/* Variables kept of a mark; the marks are for the eye. */
#define TIMELINE_MARK_VARS 8

typedef struct entry {
	char    *job, *instance;
	bool     sysv, task, failed, has_result;
	uint64_t goal, starting, running, stopping, stopped;   /* µs; 0: not yet */
	char     state[20];
	char    *cause;          /* one line */
	char    *cause_public;   /* the same without a command line, or NULL
				    when `cause` holds none */
	uint64_t cause_entry;    /* id of the entry whose job caused it, or 0 */
} Entry;

typedef struct mark {
	uint64_t t;
	char    *name;
	char    *env[TIMELINE_MARK_VARS];   /* the first variables, bounded */
	size_t   nenv;
} Mark;

static Entry   *entries;
static size_t   nentries, entries_dropped;
static Mark    *marks;
static size_t   nmarks, marks_dropped;
static uint64_t start_mono, reached;   /* µs */
static int64_t  start_real;            /* µs since the epoch */
static bool     user, target_seen;
static char     runlevel[8];

static uint64_t
clock_us(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

void
timeline_init(bool user_mode)
{
	timeline_reset();
	user = user_mode;
	start_mono = clock_us(CLOCK_MONOTONIC);
	start_real = (int64_t)clock_us(CLOCK_REALTIME);
}

bool
timeline_waiting(void)
{
	/* Before the target event there is nothing to look for: not even
	 * the walk over the jobs (a user init without startup event). */
	return !reached && target_seen;
}

static Entry *
entry(uint64_t id)
{
	return id >= 1 && id <= nentries ? &entries[id - 1] : NULL;
}

/* "event started dbus", "event runlevel RUNLEVEL=2": an event record in
 * one line, its job's name standing for the JOB variable as a job file
 * writes it.  Only variables anyone may see (event.h): other users read
 * the timeline too. */
static char *
event_text(const Record *ev)
{
	char buf[HISTORY_MAX_TEXT + 64];
	const char *job = NULL, *level = NULL;

	for (char **e = ev->env; e && *e; e++) {
		if (!strncmp(*e, "JOB=", 4))
			job = *e + 4;
		if (!strncmp(*e, "RUNLEVEL=", 9))
			level = *e;
	}
	if (job)
		snprintf(buf, sizeof buf, "event %s %s", ev->name, job);
	else if (level)
		snprintf(buf, sizeof buf, "event %s %s", ev->name, level);
	else
		snprintf(buf, sizeof buf, "event %s", ev->name);
	return strdup(buf);
}

/* The entry of the job whose process asked for an event (telinit 2 in
 * rc-sysinit emits runlevel), or 0. */
static uint64_t
asker_entry(const Record *ev)
{
	if (ev->cause.kind != CAUSE_COMMAND)
		return 0;
	for (size_t i = 0; i < ev->cause.nparents; i++)
		if (ev->cause.parents[i]->kind == RECORD_GOAL && ev->cause.parents[i]->span)
			return ev->cause.parents[i]->span;
	return 0;
}

/* What started the entry: the latest event among the goal's causes (the
 * one that completed `start on`), or the client and its job. */
static void
set_cause(Entry *e, const Record *goal)
{
	const Record *latest = NULL;
	char buf[HISTORY_MAX_TEXT + 64];

	if (!goal) {
		e->cause = strdup("init");
		return;
	}
	for (size_t i = 0; i < goal->cause.nparents; i++) {
		const Record *p = goal->cause.parents[i];

		if (goal->cause.kind == CAUSE_EVENT && p->kind == RECORD_EVENT &&
		    (!latest || p->mono_us >= latest->mono_us))
			latest = p;
		if (goal->cause.kind == CAUSE_COMMAND && p->kind == RECORD_GOAL)
			e->cause_entry = p->span;
	}
	if (latest) {
		e->cause = event_text(latest);
		e->cause_entry = latest->span ? latest->span : asker_entry(latest);
		return;
	}
	snprintf(buf, sizeof buf, "%s%s%s", history_cause_name(goal->cause.kind),
		 goal->cause.text ? " " : "", goal->cause.text ? goal->cause.text : "");
	e->cause = strdup(buf);
	if (goal->cause.kind == CAUSE_COMMAND) {
		snprintf(buf, sizeof buf, "command of uid %u", (unsigned)goal->cause.uid);
		e->cause_public = strdup(buf);
	}
}

uint64_t
timeline_begin(const char *job, const char *instance, bool sysv, bool task,
	       const Record *cause)
{
	Entry *e, *grown;
	uint64_t now = clock_us(CLOCK_MONOTONIC);

	if (reached || !start_mono)
		return 0;
	if (nentries == TIMELINE_MAX_ENTRIES) {
		entries_dropped++;
		return 0;
	}
	if (!(nentries % 64)) {
		if (!(grown = realloc(entries, (nentries + 64) * sizeof *entries)))
			return 0;
		entries = grown;
	}
	e = &entries[nentries];
	memset(e, 0, sizeof *e);
	if (!(e->job = strdup(job)) || !(e->instance = strdup(instance))) {
		free(e->job);
		return 0;
	}
	e->sysv = sysv;
	e->task = task;
	e->starting = now;
	e->goal = cause && cause->kind == RECORD_GOAL && cause->mono_us <= now ? cause->mono_us : now;
	snprintf(e->state, sizeof e->state, "starting");
	set_cause(e, cause);
	return ++nentries;
}

void
timeline_state(uint64_t id, const char *state, bool failed)
{
	Entry *e = entry(id);
	uint64_t now = clock_us(CLOCK_MONOTONIC);

	if (!e)
		return;
	snprintf(e->state, sizeof e->state, "%s", state);
	if (!strcmp(state, "running") && !e->running)
		e->running = now;
	else if (!strcmp(state, "stopping") && !e->stopping)
		e->stopping = now;
	else if (!strcmp(state, "waiting") && !e->stopped) {
		e->stopped = now;
		e->failed = failed;
		e->has_result = true;
	}
}

static bool
is_job_event(const char *name)
{
	return !strcmp(name, "starting") || !strcmp(name, "started") ||
	       !strcmp(name, "stopping") || !strcmp(name, "stopped");
}

void
timeline_event(const char *name, const EnvList *env)
{
	const char *level = NULL;
	Mark *m;

	if (reached || !start_mono || is_job_event(name))
		return;
	if (!strcmp(name, user ? "startup" : "runlevel")) {
		level = env ? env_get(env, "RUNLEVEL") : NULL;
		if (user || (level && strcmp(level, "S") && strcmp(level, "0") &&
			     strcmp(level, "6") && strcmp(level, "N"))) {
			target_seen = true;
			snprintf(runlevel, sizeof runlevel, "%s", level ? level : "");
		}
	}
	if (nmarks == TIMELINE_MAX_EVENTS) {
		marks_dropped++;
		return;
	}
	if (!(nmarks % 32)) {
		Mark *grown = realloc(marks, (nmarks + 32) * sizeof *marks);

		if (!grown)
			return;
		marks = grown;
	}
	m = &marks[nmarks];
	memset(m, 0, sizeof *m);
	if (!(m->name = strdup(name)))
		return;
	m->t = clock_us(CLOCK_MONOTONIC);
	for (size_t i = 0; env && i < env->len && m->nenv < TIMELINE_MARK_VARS; i++)
		if ((m->env[m->nenv] = strndup(env_vars(env)[i], HISTORY_MAX_TEXT)))
			m->nenv++;
	nmarks++;
}

void
timeline_check(bool busy)
{
	if (!reached && target_seen && !busy)
		reached = clock_us(CLOCK_MONOTONIC);
}

/* ---- the reply ---- */

static void
add(struct json_object *o, const char *key, struct json_object *val)
{
	if (json_object_object_add(o, key, val) != 0)
		json_object_put(val);
}

/* Microseconds as seconds, printed with six decimals. */
static struct json_object *
seconds_json(uint64_t us)
{
	char buf[32];

	snprintf(buf, sizeof buf, "%.6f", (double)us / 1e6);
	return json_object_new_double_s((double)us / 1e6, buf);
}

/* Seconds since init started, or null. */
static struct json_object *
since_start(uint64_t t)
{
	char buf[32];
	double s;

	if (!t)
		return NULL;
	/* Microseconds are all there is: print no more digits. */
	s = ((double)t - (double)start_mono) / 1e6;
	snprintf(buf, sizeof buf, "%.6f", s);
	return json_object_new_double_s(s, buf);
}

static struct json_object *
entry_json(size_t i, bool full)
{
	const Entry *e = &entries[i];
	struct json_object *o = json_object_new_object();

	add(o, "type", json_object_new_string("job"));
	add(o, "id", json_object_new_int64((int64_t)i + 1));
	add(o, "job", json_object_new_string(e->job));
	add(o, "instance", json_object_new_string(e->instance));
	add(o, "sysv", json_object_new_boolean(e->sysv));
	add(o, "task", json_object_new_boolean(e->task));
	add(o, "goal", since_start(e->goal));
	add(o, "starting", since_start(e->starting));
	add(o, "running", since_start(e->running));
	add(o, "stopping", since_start(e->stopping));
	add(o, "stopped", since_start(e->stopped));
	add(o, "state", json_object_new_string(e->state));
	add(o, "result", e->has_result ? json_object_new_string(e->failed ? "failed" : "ok") : NULL);
	add(o, "cause", json_object_new_string(!full && e->cause_public ? e->cause_public
							: e->cause ? e->cause : ""));
	add(o, "cause_job", e->cause_entry && e->cause_entry <= nentries ?
	    json_object_new_int64((int64_t)e->cause_entry) : NULL);
	return o;
}

static struct json_object *
mark_json(const Mark *m, bool (*shown)(const char *var))
{
	struct json_object *o = json_object_new_object();
	struct json_object *env = json_object_new_array();

	add(o, "type", json_object_new_string("event"));
	add(o, "t", since_start(m->t));
	add(o, "name", json_object_new_string(m->name));
	for (size_t i = 0; env && i < m->nenv; i++)
		if (!shown || shown(m->env[i]))
			json_object_array_add(env, json_object_new_string(m->env[i]));
	add(o, "env", env);
	return o;
}

void
timeline_reply(struct json_object *reply, bool (*shown)(const char *var))
{
	struct json_object *boot = json_object_new_object();
	struct json_object *items = json_object_new_array();

	add(boot, "init_start", seconds_json(start_mono));
	add(boot, "init_start_wall", seconds_json((uint64_t)start_real));
	add(boot, "reached", since_start(reached));
	add(boot, "runlevel", reached && runlevel[0] ? json_object_new_string(runlevel) : NULL);
	add(boot, "jobs_left_out", json_object_new_int64((int64_t)entries_dropped));
	add(boot, "events_left_out", json_object_new_int64((int64_t)marks_dropped));
	for (size_t i = 0; i < nentries; i++)
		json_object_array_add(items, entry_json(i, !shown));
	for (size_t i = 0; i < nmarks; i++)
		json_object_array_add(items, mark_json(&marks[i], shown));
	add(reply, "boot", boot);
	add(reply, "items", items);
}

/* ---- re-exec: the same fields, times kept in µs ---- */

static void
add_u64(struct json_object *o, const char *key, uint64_t v)
{
	add(o, key, json_object_new_int64((int64_t)v));
}

struct json_object *
timeline_serialise(void)
{
	struct json_object *doc = json_object_new_object();
	struct json_object *arr = json_object_new_array(), *ev = json_object_new_array();

	if (!doc || !arr || !ev) {
		json_object_put(doc);
		json_object_put(arr);
		json_object_put(ev);
		errno = ENOMEM;
		return NULL;
	}
	add_u64(doc, "start_mono", start_mono);
	add(doc, "start_real", json_object_new_int64(start_real));
	add_u64(doc, "reached", reached);
	add(doc, "user", json_object_new_boolean(user));
	add(doc, "target_seen", json_object_new_boolean(target_seen));
	add(doc, "runlevel", json_object_new_string(runlevel));
	add_u64(doc, "entries_dropped", entries_dropped);
	add_u64(doc, "marks_dropped", marks_dropped);
	for (size_t i = 0; i < nentries; i++) {
		const Entry *e = &entries[i];
		struct json_object *o = json_object_new_object();

		add(o, "job", json_object_new_string(e->job));
		add(o, "instance", json_object_new_string(e->instance));
		add(o, "sysv", json_object_new_boolean(e->sysv));
		add(o, "task", json_object_new_boolean(e->task));
		add(o, "failed", json_object_new_boolean(e->failed));
		add(o, "has_result", json_object_new_boolean(e->has_result));
		add_u64(o, "goal", e->goal);
		add_u64(o, "starting", e->starting);
		add_u64(o, "running", e->running);
		add_u64(o, "stopping", e->stopping);
		add_u64(o, "stopped", e->stopped);
		add(o, "state", json_object_new_string(e->state));
		add(o, "cause", json_object_new_string(e->cause ? e->cause : ""));
		if (e->cause_public)
			add(o, "cause_public", json_object_new_string(e->cause_public));
		add_u64(o, "cause_entry", e->cause_entry);
		json_object_array_add(arr, o);
	}
	for (size_t i = 0; i < nmarks; i++) {
		struct json_object *o = mark_json(&marks[i], NULL);

		add_u64(o, "t", marks[i].t);   /* µs here, as every time kept */
		json_object_array_add(ev, o);
	}
	add(doc, "entries", arr);
	add(doc, "marks", ev);
	return doc;
}

static uint64_t
get_u64(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_int))
		return 0;
	return json_object_get_int64(v) > 0 ? (uint64_t)json_object_get_int64(v) : 0;
}

void
timeline_deserialise(struct json_object *doc)
{
	struct json_object *arr;
	const char *s;

	timeline_reset();
	start_mono = get_u64(doc, "start_mono");
	start_real = (int64_t)get_u64(doc, "start_real");
	reached = get_u64(doc, "reached");
	user = proto_get_bool(doc, "user", false);
	target_seen = proto_get_bool(doc, "target_seen", false);
	snprintf(runlevel, sizeof runlevel, "%s", (s = proto_get_string(doc, "runlevel")) ? s : "");
	entries_dropped = get_u64(doc, "entries_dropped");
	marks_dropped = get_u64(doc, "marks_dropped");
	if (json_object_object_get_ex(doc, "entries", &arr) &&
	    json_object_is_type(arr, json_type_array)) {
		size_t n = json_object_array_length(arr);

		if (n > TIMELINE_MAX_ENTRIES)
			n = TIMELINE_MAX_ENTRIES;
		if (n && !(entries = calloc((n + 63) / 64 * 64, sizeof *entries)))
			n = 0;
		for (size_t i = 0; i < n; i++) {
			struct json_object *o = json_object_array_get_idx(arr, i);
			Entry *e = &entries[nentries];

			if (!proto_get_string(o, "job") || !proto_get_string(o, "instance") ||
			    !(e->job = strdup(proto_get_string(o, "job"))) ||
			    !(e->instance = strdup(proto_get_string(o, "instance")))) {
				free(e->job);
				e->job = NULL;
				break;   /* ids are positions: stop at the first gap */
			}
			e->sysv = proto_get_bool(o, "sysv", false);
			e->task = proto_get_bool(o, "task", false);
			e->failed = proto_get_bool(o, "failed", false);
			e->has_result = proto_get_bool(o, "has_result", false);
			e->goal = get_u64(o, "goal");
			e->starting = get_u64(o, "starting");
			e->running = get_u64(o, "running");
			e->stopping = get_u64(o, "stopping");
			e->stopped = get_u64(o, "stopped");
			snprintf(e->state, sizeof e->state, "%s",
				 (s = proto_get_string(o, "state")) ? s : "waiting");
			e->cause = (s = proto_get_string(o, "cause")) ? strdup(s) : NULL;
			e->cause_public = (s = proto_get_string(o, "cause_public")) ? strdup(s) : NULL;
			/* A command's line is for root and the owner only: an
			 * entry without its public form gets a bare one. */
			if (!e->cause_public && e->cause && !strncmp(e->cause, "command", 7))
				e->cause_public = strdup("command");
			e->cause_entry = get_u64(o, "cause_entry");
			nentries++;
		}
	}
	if (json_object_object_get_ex(doc, "marks", &arr) &&
	    json_object_is_type(arr, json_type_array)) {
		size_t n = json_object_array_length(arr);

		if (n > TIMELINE_MAX_EVENTS)
			n = TIMELINE_MAX_EVENTS;
		if (n && !(marks = calloc((n + 31) / 32 * 32, sizeof *marks)))
			n = 0;
		for (size_t i = 0; i < n; i++) {
			struct json_object *o = json_object_array_get_idx(arr, i);
			Mark *m = &marks[nmarks];

			struct json_object *env;

			memset(m, 0, sizeof *m);
			if (!proto_get_string(o, "name") || !(m->name = strdup(proto_get_string(o, "name"))))
				continue;
			m->t = get_u64(o, "t");
			if (json_object_object_get_ex(o, "env", &env) &&
			    json_object_is_type(env, json_type_array))
				for (size_t k = 0; k < json_object_array_length(env) &&
				     m->nenv < TIMELINE_MARK_VARS; k++) {
					struct json_object *v = json_object_array_get_idx(env, k);

					if (json_object_is_type(v, json_type_string) &&
					    (m->env[m->nenv] = strndup(json_object_get_string(v),
								       HISTORY_MAX_TEXT)))
						m->nenv++;
				}
			nmarks++;
		}
	}
}

void
timeline_reset(void)
{
	for (size_t i = 0; i < nentries; i++) {
		free(entries[i].job);
		free(entries[i].instance);
		free(entries[i].cause);
		free(entries[i].cause_public);
	}
	for (size_t i = 0; i < nmarks; i++) {
		free(marks[i].name);
		for (size_t k = 0; k < marks[i].nenv; k++)
			free(marks[i].env[k]);
	}
	free(entries);
	free(marks);
	entries = NULL;
	marks = NULL;
	nentries = nmarks = entries_dropped = marks_dropped = 0;
	start_mono = reached = 0;
	start_real = 0;
	target_seen = false;
	runlevel[0] = '\0';
}
