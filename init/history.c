/* history — causes and the record of them.  See history.h. */
#include "init/history.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "lib/proto.h"

#include "lib/fsutil.h"

/* Every live record, oldest first, linked through `all` so that records
 * kept only by references can still be found and serialised. */
typedef struct node {
	Record       rec;
	struct node *prev, *next;
	bool         held;   /* restored outside the ring, until restore ends */
} Node;

static Node    *oldest, *newest;
static Record  *ring[HISTORY_SIZE];
static size_t   ring_start, ring_len;
static uint64_t next_seq = 1;
static HistoryPidResolver resolver;

static const char *const cause_names[] = {
	[CAUSE_INIT] = "init", [CAUSE_EVENT] = "event", [CAUSE_COMMAND] = "command",
	[CAUSE_JOB] = "job", [CAUSE_PROCESS] = "process", [CAUSE_SIGNAL] = "signal",
	[CAUSE_FIFO] = "initctl-fifo", [CAUSE_RESTORE] = "restore",
	[CAUSE_CONFIG] = "config", [CAUSE_SOURCE] = "source",
};

static const char *const kind_names[] = {
	[RECORD_EVENT] = "event", [RECORD_GOAL] = "goal", [RECORD_STATE] = "state",
};

const char *
history_cause_name(CauseKind kind)
{
	return (unsigned)kind < CAUSE_KIND_COUNT ? cause_names[kind] : "init";
}

const char *
history_kind_name(RecordKind kind)
{
	return (unsigned)kind <= RECORD_STATE ? kind_names[kind] : "event";
}

void
history_set_resolver(HistoryPidResolver fn)
{
	resolver = fn;
}

/* ---- records ---- */

static Node *
node_of(Record *record)
{
	return (Node *)((char *)record - offsetof(Node, rec));
}

Record *
history_ref(Record *record)
{
	if (record)
		record->refs++;
	return record;
}

static void
cause_clear(Cause *cause)
{
	for (size_t i = 0; i < cause->nparents; i++)
		history_unref(cause->parents[i]);
	free(cause->text);
	memset(cause, 0, sizeof *cause);
}

void
history_unref(Record *record)
{
	Node *n;

	if (!record || --record->refs > 0)
		return;
	n = node_of(record);
	if (n->prev)
		n->prev->next = n->next;
	else
		oldest = n->next;
	if (n->next)
		n->next->prev = n->prev;
	else
		newest = n->prev;
	cause_clear(&record->cause);
	free(record->name);
	free(record->instance);
	free(record->what);
	free(record->detail);
	for (char **e = record->env; e && *e; e++)
		free(*e);
	free(record->env);
	free(n);
}

/* A copy of at most HISTORY_MAX_TEXT bytes of `s` (NULL stays NULL). */
static char *
bounded_dup(const char *s)
{
	return s ? strndup(s, HISTORY_MAX_TEXT) : NULL;
}

static uint64_t
clock_us(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* A new record, linked as the newest and, with `in_ring`, put in the
 * ring (which drops its reference on the oldest when full). */
static Record *
record_new(RecordKind kind, uint64_t seq, bool in_ring)
{
	Node *n = calloc(1, sizeof *n);

	if (!n)
		return NULL;
	n->rec.refs = 1;   /* the ring's, or the restore's hold */
	n->held = !in_ring;
	n->rec.kind = kind;
	n->rec.seq = seq ? seq : next_seq;
	if (n->rec.seq >= next_seq)
		next_seq = n->rec.seq + 1;
	n->rec.mono_us = clock_us(CLOCK_MONOTONIC);
	n->rec.real_us = (int64_t)clock_us(CLOCK_REALTIME);
	n->prev = newest;
	if (newest)
		newest->next = n;
	else
		oldest = n;
	newest = n;
	if (!in_ring)
		return &n->rec;
	if (ring_len == HISTORY_SIZE) {
		history_unref(ring[ring_start]);
		ring[ring_start] = &n->rec;
		ring_start = (ring_start + 1) % HISTORY_SIZE;
	} else {
		ring[(ring_start + ring_len++) % HISTORY_SIZE] = &n->rec;
	}
	return &n->rec;
}

/* ---- the context ---- */

#define MAX_DEPTH 16

typedef struct context {
	Cause cause;
	bool  resolved;   /* a client's command line and job looked up */
} Context;

static Context stack[MAX_DEPTH];
static size_t  depth;     /* pushes; only the first MAX_DEPTH are kept */

static Context *
top(void)
{
	if (depth == 0)
		return NULL;
	return &stack[(depth > MAX_DEPTH ? MAX_DEPTH : depth) - 1];
}

static void
push(CauseKind kind, const char *text, Record *const *parents, size_t nparents,
     bool resolved)
{
	Context *c;

	if (++depth > MAX_DEPTH)
		return;
	c = &stack[depth - 1];
	memset(c, 0, sizeof *c);
	c->cause.kind = kind;
	c->cause.text = bounded_dup(text);
	for (size_t i = 0; i < nparents && c->cause.nparents < HISTORY_MAX_PARENTS; i++)
		if (parents[i])
			c->cause.parents[c->cause.nparents++] = history_ref(parents[i]);
	c->resolved = resolved;
}

void
history_push(CauseKind kind, const char *text, Record *const *parents, size_t nparents)
{
	push(kind, text, parents, nparents, true);
}

void
history_push_client(pid_t pid, uid_t uid)
{
	Context *c;

	push(CAUSE_COMMAND, NULL, NULL, 0, false);
	if ((c = top()) && depth <= MAX_DEPTH) {
		c->cause.pid = pid;
		c->cause.uid = uid;
	}
}

void
history_pop(void)
{
	if (depth == 0)
		return;
	if (depth <= MAX_DEPTH)
		cause_clear(&stack[depth - 1].cause);
	depth--;
}

CauseKind
history_context_kind(void)
{
	Context *c = top();

	return c ? c->cause.kind : CAUSE_INIT;
}

/* "/sbin/telinit 2", from /proc/PID/cmdline, NUL turned to spaces. */
static char *
command_line(pid_t pid)
{
	char path[64], buf[HISTORY_MAX_TEXT + 1];
	ssize_t n;
	int fd;

	snprintf(path, sizeof path, "/proc/%d/cmdline", (int)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return NULL;
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return NULL;
	while (n > 0 && buf[n - 1] == '\0')
		n--;
	for (ssize_t i = 0; i < n; i++)
		if (buf[i] == '\0' || buf[i] == '\n')
			buf[i] = ' ';
	buf[n] = '\0';
	return strdup(buf);
}

/* A client's details, looked up the first time they are needed. */
static void
resolve(Context *c)
{
	char job[256] = "", text[2 * HISTORY_MAX_TEXT];
	char *cmd;
	Record *parent = NULL;

	c->resolved = true;
	if (c->cause.pid <= 0)
		return;
	cmd = command_line(c->cause.pid);
	if (resolver)
		parent = resolver(c->cause.pid, job, sizeof job);
	if (job[0])
		snprintf(text, sizeof text, "%s (of job %s)", cmd ? cmd : "?", job);
	else
		snprintf(text, sizeof text, "%s", cmd ? cmd : "?");
	free(cmd);
	free(c->cause.text);
	c->cause.text = strdup(text);
	if (parent)
		c->cause.parents[c->cause.nparents++] = history_ref(parent);
}

/* The record takes the current context as its cause. */
static void
take_context(Record *record)
{
	Context *c = top();
	Cause *to = &record->cause;

	if (!c) {
		to->kind = CAUSE_INIT;
		return;
	}
	if (!c->resolved)
		resolve(c);
	to->kind = c->cause.kind;
	to->pid = c->cause.pid;
	to->uid = c->cause.uid;
	to->text = c->cause.text ? strdup(c->cause.text) : NULL;
	for (size_t i = 0; i < c->cause.nparents; i++)
		to->parents[to->nparents++] = history_ref(c->cause.parents[i]);
}

/* ---- recording ---- */

Record *
history_event(const char *name, const EnvList *env)
{
	Record *r = record_new(RECORD_EVENT, 0, true);
	size_t n = env ? env->len : 0;

	if (!r)
		return NULL;
	r->name = bounded_dup(name);
	if (n > HISTORY_MAX_ENV)
		n = HISTORY_MAX_ENV;
	/* A value that cannot be copied is left out: the array must stay
	 * NULL-terminated with nothing after the end. */
	if (n && (r->env = calloc(n + 1, sizeof *r->env)))
		for (size_t i = 0, j = 0; i < n; i++)
			if ((r->env[j] = bounded_dup(env_vars(env)[i])))
				j++;
	take_context(r);
	return r;
}

static Record *
job_record(RecordKind kind, const char *name, const char *instance, const char *what)
{
	Record *r = record_new(kind, 0, true);

	if (!r)
		return NULL;
	r->name = bounded_dup(name);
	r->instance = bounded_dup(instance ? instance : "");
	r->what = bounded_dup(what);
	return r;
}

Record *
history_goal(const char *name, const char *instance, const char *goal, Record *repeats)
{
	Record *r = job_record(RECORD_GOAL, name, instance, goal);

	if (!r)
		return NULL;
	take_context(r);
	/* A respawn's cause is its process's end; what it repeats is the
	 * start, and so the chain goes back through it, not through every
	 * respawn before. */
	if (repeats && r->cause.nparents < HISTORY_MAX_PARENTS)
		r->cause.parents[r->cause.nparents++] = history_ref(repeats);
	return r;
}

Record *
history_state(const char *name, const char *instance, const char *state,
	      const char *detail)
{
	Record *r = job_record(RECORD_STATE, name, instance, state);

	if (r)
		r->detail = bounded_dup(detail);
	return r;
}

/* ---- reading ---- */

size_t
history_len(void)
{
	return ring_len;
}

Record *
history_at(size_t i)
{
	return i < ring_len ? ring[(ring_start + i) % HISTORY_SIZE] : NULL;
}

Record *
history_find(uint64_t seq)
{
	for (Node *n = newest; n; n = n->prev)
		if (n->rec.seq == seq)
			return &n->rec;
	return NULL;
}

Record *
history_last_goal(const char *name, const char *instance)
{
	for (size_t i = ring_len; i-- > 0;) {
		Record *r = ring[(ring_start + i) % HISTORY_SIZE];

		if (r->kind == RECORD_GOAL && !strcmp(r->name, name) &&
		    (!instance || !strcmp(r->instance, instance)))
			return r;
	}
	return NULL;
}

/* ---- JSON ---- */

static void
add(struct json_object *o, const char *key, struct json_object *val)
{
	if (val && json_object_object_add(o, key, val) != 0)
		json_object_put(val);
}

static struct json_object *
string_or_null(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

static struct json_object *
cause_json(const Cause *cause, bool full)
{
	struct json_object *o = json_object_new_object();
	struct json_object *parents = json_object_new_array();

	if (!o || !parents) {
		json_object_put(o);
		json_object_put(parents);
		return NULL;
	}
	add(o, "kind", json_object_new_string(history_cause_name(cause->kind)));
	if (cause->pid > 0)
		add(o, "pid", json_object_new_int(cause->pid));
	if (cause->kind == CAUSE_COMMAND)
		add(o, "uid", json_object_new_int64(cause->uid));
	if (full || cause->kind != CAUSE_COMMAND)
		add(o, "text", string_or_null(cause->text));
	for (size_t i = 0; parents && i < cause->nparents; i++)
		json_object_array_add(parents, json_object_new_int64((int64_t)cause->parents[i]->seq));
	add(o, "parents", parents);
	return o;
}

struct json_object *
history_record_json(const Record *r, HistoryVarFilter shown)
{
	struct json_object *o = json_object_new_object();

	if (!o)
		return NULL;
	add(o, "seq", json_object_new_int64((int64_t)r->seq));
	add(o, "kind", json_object_new_string(history_kind_name(r->kind)));
	add(o, "mono_us", json_object_new_int64((int64_t)r->mono_us));
	add(o, "real_us", json_object_new_int64(r->real_us));
	if (r->kind == RECORD_EVENT) {
		struct json_object *env = json_object_new_array();

		add(o, "event", string_or_null(r->name));
		for (char **e = r->env; env && e && *e; e++)
			if (!shown || shown(*e))
				json_object_array_add(env, json_object_new_string(*e));
		add(o, "env", env);
	} else {
		add(o, "job", string_or_null(r->name));
		add(o, "instance", string_or_null(r->instance));
		add(o, r->kind == RECORD_GOAL ? "goal" : "state", string_or_null(r->what));
		add(o, "detail", string_or_null(r->detail));
	}
	if (r->span)
		add(o, "span", json_object_new_int64((int64_t)r->span));
	add(o, "cause", cause_json(&r->cause, !shown));
	return o;
}

/* ---- re-exec ---- */

struct json_object *
history_serialise(void)
{
	struct json_object *doc = json_object_new_object();
	struct json_object *records = json_object_new_array();
	struct json_object *in_ring = json_object_new_array();

	if (!doc || !records || !in_ring) {
		json_object_put(doc);
		json_object_put(records);
		json_object_put(in_ring);
		errno = ENOMEM;
		return NULL;
	}
	for (Node *n = oldest; n; n = n->next)
		json_object_array_add(records, history_record_json(&n->rec, NULL));
	for (size_t i = 0; i < ring_len; i++)
		json_object_array_add(in_ring, json_object_new_int64(
			(int64_t)ring[(ring_start + i) % HISTORY_SIZE]->seq));
	add(doc, "next_seq", json_object_new_int64((int64_t)next_seq));
	add(doc, "records", records);
	add(doc, "ring", in_ring);
	return doc;
}

static int64_t
get_int(struct json_object *o, const char *key, int64_t dflt)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_int))
		return dflt;
	return json_object_get_int64(v);
}

static CauseKind
cause_kind_of(const char *name)
{
	for (int k = 0; name && k < CAUSE_KIND_COUNT; k++)
		if (!strcmp(cause_names[k], name))
			return (CauseKind)k;
	return CAUSE_INIT;
}

static void
restore_cause(Record *r, struct json_object *o)
{
	struct json_object *parents;
	int64_t pid = get_int(o, "pid", 0), uid = get_int(o, "uid", 0);

	r->cause.kind = cause_kind_of(proto_get_string(o, "kind"));
	r->cause.pid = pid > 0 && pid <= INT32_MAX ? (pid_t)pid : 0;
	r->cause.uid = uid >= 0 && uid <= UINT32_MAX ? (uid_t)uid : 0;
	r->cause.text = bounded_dup(proto_get_string(o, "text"));
	if (!json_object_object_get_ex(o, "parents", &parents) ||
	    !json_object_is_type(parents, json_type_array))
		return;
	for (size_t i = 0; i < json_object_array_length(parents) &&
	     r->cause.nparents < HISTORY_MAX_PARENTS; i++) {
		int64_t seq = json_object_get_int64(json_object_array_get_idx(parents, i));
		Record *p = seq > 0 && (uint64_t)seq < r->seq ? history_find((uint64_t)seq) : NULL;

		if (p)
			r->cause.parents[r->cause.nparents++] = history_ref(p);
	}
}

static bool
listed(struct json_object *seqs, uint64_t seq)
{
	for (size_t i = 0; i < json_object_array_length(seqs); i++)
		if ((uint64_t)json_object_get_int64(json_object_array_get_idx(seqs, i)) == seq)
			return true;
	return false;
}

/* One record back, as the newest; NULL when it cannot be (its seq must
 * be above every record restored so far, so references point back). */
static Record *
restore_record(struct json_object *o, struct json_object *in_ring)
{
	const char *kind = proto_get_string(o, "kind");
	int64_t seq = get_int(o, "seq", 0);
	struct json_object *env, *cause;
	RecordKind k;
	Record *r;

	if (!kind || seq <= 0 || (newest && (uint64_t)seq <= newest->rec.seq))
		return NULL;
	k = !strcmp(kind, "goal") ? RECORD_GOAL : !strcmp(kind, "state") ? RECORD_STATE : RECORD_EVENT;
	if (!(r = record_new(k, (uint64_t)seq, !in_ring || listed(in_ring, (uint64_t)seq))))
		return NULL;
	r->mono_us = (uint64_t)get_int(o, "mono_us", 0);
	r->span = get_int(o, "span", 0) > 0 ? (uint64_t)get_int(o, "span", 0) : 0;
	r->real_us = get_int(o, "real_us", 0);
	if (k == RECORD_EVENT) {
		r->name = bounded_dup(proto_get_string(o, "event"));
		if (json_object_object_get_ex(o, "env", &env) &&
		    json_object_is_type(env, json_type_array)) {
			size_t n = json_object_array_length(env), j = 0;

			if (n > HISTORY_MAX_ENV)
				n = HISTORY_MAX_ENV;
			if (n && (r->env = calloc(n + 1, sizeof *r->env)))
				for (size_t i = 0; i < n; i++) {
					struct json_object *e = json_object_array_get_idx(env, i);

					if (json_object_is_type(e, json_type_string) &&
					    (r->env[j] = bounded_dup(json_object_get_string(e))))
						j++;
				}
		}
	} else {
		r->name = bounded_dup(proto_get_string(o, "job"));
		r->instance = bounded_dup(proto_get_string(o, "instance") ? proto_get_string(o, "instance") : "");
		r->what = bounded_dup(proto_get_string(o, k == RECORD_GOAL ? "goal" : "state"));
		r->detail = bounded_dup(proto_get_string(o, "detail"));
	}
	if (!r->name)
		r->name = strdup("?");
	if (k != RECORD_EVENT && !r->what)
		r->what = strdup("?");
	if (json_object_object_get_ex(o, "cause", &cause) &&
	    json_object_is_type(cause, json_type_object))
		restore_cause(r, cause);
	return r;
}

void
history_deserialise(struct json_object *doc)
{
	struct json_object *records, *in_ring = NULL;
	int64_t next = get_int(doc, "next_seq", 0);

	if (!json_object_object_get_ex(doc, "records", &records) ||
	    !json_object_is_type(records, json_type_array))
		return;
	if (json_object_object_get_ex(doc, "ring", &in_ring) &&
	    !json_object_is_type(in_ring, json_type_array))
		in_ring = NULL;
	/* Records the ring did not hold were kept by references, which the
	 * jobs and events restored next take again; until then the restore
	 * holds them (history_restore_done). */
	for (size_t i = 0; i < json_object_array_length(records); i++) {
		struct json_object *o = json_object_array_get_idx(records, i);

		if (json_object_is_type(o, json_type_object))
			restore_record(o, in_ring);
	}
	if (next > 0 && (uint64_t)next > next_seq)
		next_seq = (uint64_t)next;
}

void
history_restore_done(void)
{
	Node *n = oldest, *next;

	for (; n; n = next) {
		next = n->next;
		if (n->held) {
			n->held = false;
			history_unref(&n->rec);
		}
	}
}

void
history_reset(void)
{
	while (depth)
		history_pop();
	for (size_t i = 0; i < ring_len; i++)
		history_unref(ring[(ring_start + i) % HISTORY_SIZE]);
	ring_start = ring_len = 0;
	/* Records still referenced by someone stay until unreferenced. */
}
