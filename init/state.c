/* state — stateful re-exec.  See state.h.
 *
 * The document:
 *   { "v": 1,
 *     "env":      [global job environment],
 *     "control":  {...control.c},    "logs": {...job_log.c},
 *     "inotify_fd": the job directories' watch (conf_watch_adopt),
 *     "cgroup":   {"fd","path"}: the jobs' cgroup subtree (cgroup_adopt);
 *                 fd -1 when jobs are tracked without cgroups,
 *     "history":  the records of causes (init/history.h), which jobs
 *                 ("cause") and events ("record") name by seq;
 *     "timeline": the boot timeline (init/timeline.h), whose entries
 *                 jobs name by id ("span");
 *     "sockets":  the listening sockets of socket activation, their
 *                 descriptors kept open across the exec; jobs
 *                 ("sockets", "start_sockets") and `socket` events
 *                 ("socket") name them by socket_source_name();
 *     KEY:        each section a layer added (state_add_section): the
 *                 SysV layer's "runlevel" and "fifo",
 *     "classes":  [{"name","path","conf","override","registered"}]
 *                  (definitions that instances run with),
 *     "events":   [{"id","name","env","progress","failed","blocking"}],
 *     "jobs":     [{"id","class",...}],
 *     "start_on": [{"class","expr","leaves"}] (partly matched conditions) }
 * Pointers become ids: events and jobs by their ids, classes by their
 * index in "classes", logs by job_log_id().  Event blocker counts are not
 * stored: each restored reference takes its block again.
 */
#include "init/state.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <json-c/json.h>

#include "init/cgroup.h"
#include "init/conf.h"
#include "init/control.h"
#include "init/event.h"
#include "lib/fsutil.h"
#include "lib/proto.h"
#include "init/history.h"
#include "init/job.h"
#include "init/job_env.h"
#include "init/job_log.h"
#include "init/job_process.h"
#include "init/log.h"
#include "init/loop.h"
#include "init/registry.h"
#include "init/socket_source.h"
#include "init/timeline.h"

#define STATE_VERSION 1
/* A state file larger than this is not ours. */
#define STATE_MAX_SIZE (256 * 1024 * 1024)

/* Sections of other layers, in the order added. */
#define MAX_SECTIONS 8
static const StateSection *sections[MAX_SECTIONS];
static size_t nsections;

int
state_add_section(const StateSection *section)
{
	for (size_t i = 0; i < nsections; i++)
		if (sections[i] == section)
			return 0;
	if (nsections == MAX_SECTIONS) {
		errno = ENOSPC;
		return -1;
	}
	sections[nsections++] = section;
	return 0;
}

/* ---- small JSON helpers ---- */

/* Writing the document: json-c aborts on a NULL container and keeps a
 * NULL value as a JSON null, so every addition goes through put() and
 * push() (which take NULL for either), and a single failure anywhere
 * makes state_serialise() refuse the whole document: a re-exec with
 * half its state would lose jobs without a word. */
static bool doc_failed;
/* The document said how jobs are tracked (restore_cgroup). */
static bool cgroup_decided;

bool state_cgroup_restored(void) { return cgroup_decided; }

static void
put(struct json_object *obj, const char *key, struct json_object *value)
{
	if (!proto_add_member(obj, key, value))
		doc_failed = true;
}

static void
push(struct json_object *arr, struct json_object *value)
{
	if (!proto_add_element(arr, value))
		doc_failed = true;
}

/* Every environment string in the document, once: an environment is an
 * array of indexes into the pool ("strings").  Jobs share most of their
 * variables (the global environment); written out whole, a user init's
 * hundred jobs made three quarters of the document, and writing and
 * reading them again most of a re-exec's time.  An environment may
 * still hold strings themselves (documents of earlier images). */
static struct lh_table *pool_index;  /* while writing: string -> index + 1 */
static struct json_object *pool;     /* while writing or reading */

static struct json_object *
env_to_json(const EnvList *env)
{
	struct json_object *arr = json_object_new_array();

	for (size_t i = 0; i < env->len; i++) {
		const char *var = env->vars[i];
		void *slot;

		if (!pool_index || !pool) {
			push(arr, json_object_new_string(var));
			continue;
		}
		if (!lh_table_lookup_ex(pool_index, var, &slot)) {
			size_t at = json_object_array_length(pool);

			if (!proto_add_element(pool, json_object_new_string(var)) ||
			    json_object_array_length(pool) != at + 1 ||
			    lh_table_insert(pool_index, var, (void *)(uintptr_t)(at + 1)) < 0) {
				doc_failed = true;
				continue;
			}
			slot = (void *)(uintptr_t)(at + 1);
		}
		push(arr, json_object_new_int64((int64_t)((uintptr_t)slot - 1)));
	}
	return arr;
}

/* An environment entry of a document: a string, or its index in the pool. */
static const char *
env_entry(struct json_object *val)
{
	if (json_object_is_type(val, json_type_string))
		return json_object_get_string(val);
	if (json_object_is_type(val, json_type_int) && pool) {
		int64_t i = json_object_get_int64(val);

		if (i >= 0 && (uint64_t)i < json_object_array_length(pool)) {
			struct json_object *s = json_object_array_get_idx(pool, (size_t)i);

			if (json_object_is_type(s, json_type_string))
				return json_object_get_string(s);
		}
	}
	return NULL;
}

/* -1 when an entry could not be kept (out of memory). */
static int
env_from_json(struct json_object *arr, EnvList *env)
{
	env_clear(env);
	if (!json_object_is_type(arr, json_type_array))
		return 0;
	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		const char *s = env_entry(json_object_array_get_idx(arr, i));

		if (s && env_is_assignment(s) && env_append(env, s) < 0)
			return -1;
	}
	return 0;
}

static struct json_object *
get(struct json_object *obj, const char *key)
{
	struct json_object *val = NULL;

	json_object_object_get_ex(obj, key, &val);
	return val;
}

static int64_t
get_int(struct json_object *obj, const char *key, int64_t dflt)
{
	struct json_object *val = get(obj, key);

	return val && json_object_is_type(val, json_type_int) ? json_object_get_int64(val) : dflt;
}

static const char *
get_str(struct json_object *obj, const char *key)
{
	struct json_object *val = get(obj, key);

	return val && json_object_is_type(val, json_type_string) ? json_object_get_string(val) : NULL;
}

/* Element `i` of the array `key` of `obj`; NULL when there is no such
 * array or element (json-c aborts on an index into anything else). */
static struct json_object *
get_idx(struct json_object *obj, const char *key, size_t i)
{
	struct json_object *arr = get(obj, key);

	if (!json_object_is_type(arr, json_type_array) || i >= json_object_array_length(arr))
		return NULL;
	return json_object_array_get_idx(arr, i);
}

static void
add_int(struct json_object *obj, const char *key, int64_t value)
{
	put(obj, key, json_object_new_int64(value));
}

/* ---- blocking lists ---- */

static struct json_object *
blocked_to_json(const BlockedList *list)
{
	struct json_object *arr = json_object_new_array();
	Blocked *b;

	TAILQ_FOREACH(b, list, link) {
		struct json_object *o = json_object_new_object();

		if (b->type == BLOCKED_EVENT) {
			add_int(o, "event", (int64_t)b->event->id);
		} else {
			add_int(o, "client", (int64_t)b->waiter->client_id);
			add_int(o, "kind", b->waiter->kind);
			if (b->waiter->class_name)
				put(o, "class",
					json_object_new_string(b->waiter->class_name));
		}
		push(arr, o);
	}
	return arr;
}

static void
blocked_from_json(struct json_object *arr, BlockedList *list)
{
	if (!json_object_is_type(arr, json_type_array))
		return;
	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		struct json_object *o = json_object_array_get_idx(arr, i);
		int64_t id = get_int(o, "event", 0);

		if (id) {
			Event *event = event_find_id((uint64_t)id);

			if (event && blocked_add_event(list, event) < 0)
				log_error("Unable to restore a blocked event: %s", strerror(ENOMEM));
		} else {
			int64_t kind = get_int(o, "kind", -1);
			Waiter *w;

			if (kind < WAITER_START || kind > WAITER_EMIT)
				continue;
			w = waiter_new((uint64_t)get_int(o, "client", 0), (WaiterKind)kind,
				       get_str(o, "class"));
			if (!w || blocked_add_waiter(list, w) < 0) {
				/* Its client will not be answered: say so. */
				log_error("Unable to restore a waiting client: %s", strerror(ENOMEM));
				waiter_free(w);
			}
		}
	}
}

/* ---- event operator leaves ---- */

static void
leaf_to_json(const EventOperator *leaf, void *data)
{
	push(data, json_object_new_int64(
		leaf->value && leaf->event ? (int64_t)leaf->event->id : 0));
}

static struct json_object *
leaves_to_json(const EventOperator *op)
{
	struct json_object *arr = json_object_new_array();

	event_operator_foreach_leaf(op, leaf_to_json, arr);
	return arr;
}

static bool
leaves_held(const EventOperator *op)
{
	struct json_object *arr = leaves_to_json(op);
	bool held = false;

	if (!arr) {
		doc_failed = true;
		return false;
	}
	for (size_t i = 0; i < json_object_array_length(arr); i++)
		if (json_object_get_int64(json_object_array_get_idx(arr, i)))
			held = true;
	json_object_put(arr);
	return held;
}

static void
leaves_from_json(EventOperator *op, struct json_object *arr)
{
	size_t n;
	Event **events;

	if (!op || !json_object_is_type(arr, json_type_array))
		return;
	n = json_object_array_length(arr);
	if (!(events = calloc(n ? n : 1, sizeof *events)))
		return;
	for (size_t i = 0; i < n; i++)
		events[i] = event_find_id((uint64_t)json_object_get_int64(
			json_object_array_get_idx(arr, i)));
	event_operator_restore(op, events, n);
	free(events);
}

/* ---- classes that instances run with ---- */

typedef struct class_table {
	JobClass **v;
	size_t     n;
} ClassTable;

static void
collect_class(Job *job, void *data)
{
	ClassTable *t = data;
	JobClass **p;

	for (size_t i = 0; i < t->n; i++)
		if (t->v[i] == job->class)
			return;
	if (!(p = reallocarray(t->v, t->n + 1, sizeof *p))) {
		doc_failed = true;
		return;
	}
	t->v = p;
	t->v[t->n++] = job->class;
}

static ssize_t
class_index(const ClassTable *t, const JobClass *class)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i] == class)
			return (ssize_t)i;
	return -1;
}

static struct json_object *
class_to_json(const JobClass *class)
{
	struct json_object *o = json_object_new_object();

	put(o, "name", json_object_new_string(class->name));
	put(o, "path", json_object_new_string(class->path ? class->path : ""));
	if (class->conf_text)
		put(o, "conf", json_object_new_string(class->conf_text));
	if (class->override_text)
		put(o, "override", json_object_new_string(class->override_text));
	put(o, "registered", json_object_new_boolean(class->registered));
	return o;
}

static JobClass *
class_from_json(struct json_object *o)
{
	const char *name = get_str(o, "name"), *path = get_str(o, "path");
	const char *conf = get_str(o, "conf"), *over = get_str(o, "override");
	char over_path[4096];

	if (!name || !path || !conf)
		return NULL;
	snprintf(over_path, sizeof over_path, "%.*s.override",
		 (int)(strlen(path) > 5 ? strlen(path) - 5 : strlen(path)), path);
	return conf_class_from_text(name, path, conf, over_path, over);
}

/* ---- jobs ---- */

typedef struct job_ctx {
	struct json_object *arr;
	const ClassTable   *classes;
} JobCtx;

static struct json_object *
sockets_to_json(const SocketSet *set)
{
	struct json_object *arr = json_object_new_array();

	for (size_t i = 0; i < set->n; i++)
		push(arr, json_object_new_string(socket_source_name(set->s[i])));
	return arr;
}

/* The sockets a previous image's instance held: those it kept open. */
static void
sockets_from_json(struct json_object *arr, SocketSet *set)
{
	size_t n = json_object_is_type(arr, json_type_array) ? json_object_array_length(arr) : 0;

	for (size_t i = 0; i < n; i++) {
		struct json_object *v = json_object_array_get_idx(arr, i);
		SocketSource *s = json_object_is_type(v, json_type_string) ?
				  socket_source_find(json_object_get_string(v)) : NULL;

		if (s)
			socket_set_add(set, s);
	}
}

static void
job_to_json(Job *job, void *data)
{
	JobCtx *ctx = data;
	struct json_object *o = json_object_new_object();
	struct json_object *pids = json_object_new_array();
	struct json_object *fds = json_object_new_array();
	struct json_object *logs = json_object_new_array();

	add_int(o, "id", (int64_t)job->id);
	add_int(o, "class", class_index(ctx->classes, job->class));
	put(o, "name", json_object_new_string(job->name));
	add_int(o, "goal", job->goal);
	add_int(o, "state", job->state);
	put(o, "env", env_to_json(&job->env));
	if (job->has_start_env)
		put(o, "start_env", env_to_json(&job->start_env));
	put(o, "stop_env", env_to_json(&job->stop_env));
	for (int t = 0; t < PROCESS_COUNT; t++) {
		push(pids, json_object_new_int(job->pid[t]));
		push(fds, json_object_new_int(job->spawn[t].fd));
		push(logs, json_object_new_int64(
			job->log[t] ? (int64_t)job_log_id(job->log[t]) : 0));
	}
	put(o, "pids", pids);
	put(o, "spawn_fds", fds);
	put(o, "logs", logs);
	add_int(o, "kill_due", (int64_t)job_process_kill_due(job));
	put(o, "failed", json_object_new_boolean(job->failed));
	add_int(o, "failed_process", job->failed_process);
	add_int(o, "exit_status", job->exit_status);
	add_int(o, "respawn_time", (int64_t)job->respawn_time_ms);
	add_int(o, "respawn_count", job->respawn_count);
	add_int(o, "trace_state", job->trace_state);
	add_int(o, "trace_forks", job->trace_forks);
	add_int(o, "forked_from", job->forked_from);
	if (job->cgroup)
		put(o, "cgroup", json_object_new_string(job->cgroup));
	put(o, "kill_all", json_object_new_boolean(job->kill_all));
	put(o, "kill_only", json_object_new_boolean(job->kill_only));
	put(o, "draining", json_object_new_boolean(job_process_draining(job)));
	if (job->cause)
		add_int(o, "cause", (int64_t)job->cause->seq);
	add_int(o, "span", (int64_t)job->span);
	add_int(o, "blocker", job->blocker ? (int64_t)job->blocker->id : 0);
	put(o, "blocking", blocked_to_json(&job->blocking));
	put(o, "sockets", sockets_to_json(&job->sockets));
	put(o, "start_sockets", sockets_to_json(&job->start_sockets));
	if (job->stop_on)
		put(o, "stop_on", leaves_to_json(job->stop_on));
	push(ctx->arr, o);
}

static int
in_range(int64_t v, int64_t lo, int64_t hi, int64_t dflt)
{
	return (int)(v >= lo && v <= hi ? v : dflt);
}

/* A job's cgroup as cgroup_name() makes them: "JOB" or "JOB/INSTANCE",
 * neither part empty, "." or "..".  Anything else in a document is not
 * ours to remove later. */
static bool
cgroup_name_ok(const char *name)
{
	const char *slash = name ? strchr(name, '/') : NULL;
	size_t first = slash ? (size_t)(slash - name) : (name ? strlen(name) : 0);

	if (!name || !first || (slash && (!slash[1] || strchr(slash + 1, '/'))))
		return false;
	if ((first == 1 && name[0] == '.') || (first == 2 && !strncmp(name, "..", 2)))
		return false;
	return !slash || (strcmp(slash + 1, ".") && strcmp(slash + 1, ".."));
}

/* A pid as the document has it, if it can be one of a job's processes:
 * never 1 or less, which kill() would read as init itself, a process
 * group or every process. */
static pid_t
restored_pid(struct json_object *p)
{
	int64_t pid = json_object_is_type(p, json_type_int) ? json_object_get_int64(p) : 0;

	return pid > 1 && pid <= INT32_MAX ? (pid_t)pid : 0;
}

/* Descriptors this restore has given an owner (emptied when a
 * restore starts and ends; a module's own deserialise called alone, as
 * its unit tests do, claims too): a bit per descriptor, so that a
 * thousand clients cost a thousand lookups, not half a million. */
static uint64_t *claimed;
static size_t claimed_words;

/* Beyond any descriptor a process holds in practice (a bitmap that
 * reaches it is 2 MiB); every adopter checked the descriptor is open. */
#define CLAIM_FD_LIMIT (1 << 24)

static void
forget_claims(void)
{
	free(claimed);
	claimed = NULL;
	claimed_words = 0;
}

bool
state_claim_fd(int fd)
{
	size_t word = (size_t)fd / 64;
	uint64_t bit = UINT64_C(1) << (fd % 64);

	if (fd <= 2 || fd >= CLAIM_FD_LIMIT)
		return false;
	if (word >= claimed_words) {
		size_t words = word + 1 > claimed_words * 2 ? word + 1 : claimed_words * 2;
		uint64_t *grown = reallocarray(claimed, words, sizeof *grown);

		if (!grown)
			return false;
		memset(grown + claimed_words, 0, (words - claimed_words) * sizeof *grown);
		claimed = grown;
		claimed_words = words;
	}
	if (claimed[word] & bit)
		return false;
	claimed[word] |= bit;
	return true;
}

/* An inherited spawn report pipe: a pipe (not, say, the control socket a
 * bad document names), and no other owner's. */
static bool
spawn_pipe(int fd)
{
	struct stat st;

	return fd > 2 && fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode) && state_claim_fd(fd);
}

static void
job_from_json(struct json_object *o, JobClass *const *classes, size_t nclasses)
{
	int64_t ci = get_int(o, "class", -1);
	const char *name = get_str(o, "name");
	struct json_object *arr;
	Event *blocker;
	Job *job;

	if (ci < 0 || (size_t)ci >= nclasses || !classes[ci] || !name ||
	    job_find(classes[ci], name))
		return;
	if (!(job = job_new(classes[ci], name))) {
		log_error("Unable to restore %s (%s): %s", classes[ci]->name, name,
			  strerror(ENOMEM));
		return;
	}
	job_set_id(job, (uint64_t)get_int(o, "id", 0));
	/* Its cause and timeline entry: records the history section put
	 * back (an unknown seq, from an older image, leaves none). */
	if (get_int(o, "cause", 0) > 0)
		job->cause = history_ref(history_find((uint64_t)get_int(o, "cause", 0)));
	if (get_int(o, "span", 0) > 0)
		job->span = (uint64_t)get_int(o, "span", 0);
	sockets_from_json(get(o, "sockets"), &job->sockets);
	sockets_from_json(get(o, "start_sockets"), &job->start_sockets);
	job->goal = (JobGoal)in_range(get_int(o, "goal", 0), JOB_STOP, JOB_RESPAWN, JOB_STOP);
	job->state = (JobState)in_range(get_int(o, "state", 0), JOB_WAITING, JOB_POST_STOP,
					JOB_WAITING);
	if (env_from_json(get(o, "env"), &job->env) < 0)
		log_error("%s: environment restored in part: %s", job_name(job), strerror(ENOMEM));
	if ((arr = get(o, "start_env"))) {
		if (env_from_json(arr, &job->start_env) < 0)
			log_error("%s: start environment restored in part: %s", job_name(job),
				  strerror(ENOMEM));
		job->has_start_env = true;
	}
	if (env_from_json(get(o, "stop_env"), &job->stop_env) < 0)
		log_error("%s: stop environment restored in part: %s", job_name(job),
			  strerror(ENOMEM));
	for (int t = 0; t < PROCESS_COUNT; t++) {
		struct json_object *l = get_idx(o, "logs", (size_t)t);
		int fd = (int)json_object_get_int(get_idx(o, "spawn_fds", (size_t)t));

		job->pid[t] = restored_pid(get_idx(o, "pids", (size_t)t));
		if (spawn_pipe(fd))
			job_process_adopt_spawn(job, (ProcessType)t, fd);
		if (l && json_object_get_int64(l))
			job->log[t] = job_log_claim((uint64_t)json_object_get_int64(l));
	}
	/* Saved while waiting to spawn the main process again (its timer
	 * is no part of the document): wait again. */
	if (job->state == JOB_SPAWNING && job->goal == JOB_START &&
	    job->pid[PROCESS_MAIN] <= 0 && job->spawn[PROCESS_MAIN].fd < 0)
		job_process_retry_later(job, PROCESS_MAIN, EAGAIN);
	if (get_int(o, "kill_due", 0) > 0)
		job_process_arm_kill(job, (uint64_t)get_int(o, "kill_due", 0));
	job->failed = json_object_get_boolean(get(o, "failed"));
	job->failed_process = in_range(get_int(o, "failed_process", -1), -1, PROCESS_COUNT - 1, -1);
	job->exit_status = (int)get_int(o, "exit_status", 0);
	job->respawn_time_ms = (uint64_t)get_int(o, "respawn_time", 0);
	job->respawn_count = (int)get_int(o, "respawn_count", 0);
	job->trace_state = (TraceState)in_range(get_int(o, "trace_state", 0), TRACE_NONE,
						TRACE_NORMAL, TRACE_NONE);
	job->trace_forks = (int)get_int(o, "trace_forks", 0);
	job->forked_from = restored_pid(get(o, "forked_from"));
	if (cgroup_name_ok(get_str(o, "cgroup")) && !(job->cgroup = strdup(get_str(o, "cgroup"))))
		log_error("%s: cgroup not restored: %s", job_name(job), strerror(ENOMEM));
	job->kill_all = json_object_get_boolean(get(o, "kill_all"));
	job->kill_only = json_object_get_boolean(get(o, "kill_only"));
	if (json_object_get_boolean(get(o, "draining")))
		job_process_adopt_drain(job);
	if ((blocker = event_find_id((uint64_t)get_int(o, "blocker", 0)))) {
		job->blocker = blocker;
		blocker->job = job;
	}
	blocked_from_json(get(o, "blocking"), &job->blocking);
	leaves_from_json(job->stop_on, get(o, "stop_on"));
	job_note_restored(job);
}

/* ---- the whole document ---- */

static struct json_object *
events_to_json(void)
{
	struct json_object *arr = json_object_new_array();
	Event *event = NULL;

	while ((event = event_next(event))) {
		struct json_object *o = json_object_new_object();

		add_int(o, "id", (int64_t)event->id);
		if (event->record)
			add_int(o, "record", (int64_t)event->record->seq);
		put(o, "name", json_object_new_string(event->name));
		put(o, "env", env_to_json(&event->env));
		add_int(o, "progress", event->progress);
		put(o, "failed", json_object_new_boolean(event->failed));
		put(o, "blocking", blocked_to_json(&event->blocking));
		if (event->socket)
			put(o, "socket", json_object_new_string(socket_source_name(event->socket)));
		push(arr, o);
	}
	return arr;
}

static struct json_object *
start_on_to_json(void)
{
	struct json_object *arr = json_object_new_array();
	JobClass *class = NULL;

	while ((class = registry_next(class))) {
		struct json_object *o;
		char *expr;

		if (!class->start_on || !leaves_held(class->start_on))
			continue;
		if (!(expr = event_operator_to_string(class->start_on)))
			doc_failed = true;
		o = json_object_new_object();
		put(o, "class", json_object_new_string(class->name));
		put(o, "expr", json_object_new_string(expr ? expr : ""));
		put(o, "leaves", leaves_to_json(class->start_on));
		push(arr, o);
		free(expr);
	}
	return arr;
}

struct json_object *
state_serialise(void)
{
	struct json_object *state = json_object_new_object();
	struct json_object *classes = json_object_new_array();
	ClassTable table = { NULL, 0 };
	JobCtx ctx = { json_object_new_array(), &table };
	struct rlimit nofile;

	doc_failed = false;
	pool = json_object_new_array();
	pool_index = lh_kchar_table_new(256, NULL);
	if (!pool || !pool_index)
		doc_failed = true;
	add_int(state, "v", STATE_VERSION);
	put(state, "env", env_to_json(job_env_global()));
	if (job_process_get_nofile(&nofile)) {
		struct json_object *limit = json_object_new_array();

		push(limit, json_object_new_int64((int64_t)nofile.rlim_cur));
		push(limit, json_object_new_int64((int64_t)nofile.rlim_max));
		put(state, "job_nofile", limit);
	}
	put(state, "control", control_serialise());
	if (conf_watch_fd() >= 0)
		add_int(state, "inotify_fd", conf_watch_fd());
	{
		struct json_object *cg = json_object_new_object();

		add_int(cg, "fd", cgroup_fd());
		if (cgroup_path())
			put(cg, "path", json_object_new_string(cgroup_path()));
		put(state, "cgroup", cg);
	}
	for (size_t i = 0; i < nsections; i++) {
		struct json_object *val;

		errno = 0;
		val = sections[i]->save ? sections[i]->save() : NULL;
		if (val)
			put(state, sections[i]->key, val);
		else if (errno)
			doc_failed = true;
	}
	put(state, "history", history_serialise());
	put(state, "timeline", timeline_serialise());
	put(state, "sockets", socket_source_serialise());
	put(state, "logs", job_log_serialise());
	job_foreach(collect_class, &table);
	for (size_t i = 0; i < table.n; i++)
		push(classes, class_to_json(table.v[i]));
	put(state, "classes", classes);
	put(state, "events", events_to_json());
	job_foreach(job_to_json, &ctx);
	put(state, "jobs", ctx.arr);
	put(state, "start_on", start_on_to_json());
	put(state, "strings", pool);   /* the document owns it now */
	pool = NULL;
	if (pool_index)
		lh_table_free(pool_index);
	pool_index = NULL;
	free(table.v);
	if (doc_failed) {
		json_object_put(state);
		errno = ENOMEM;
		return NULL;
	}
	return state;
}

static void
restore_events(struct json_object *arr)
{
	if (!json_object_is_type(arr, json_type_array))
		return;
	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		struct json_object *o = json_object_array_get_idx(arr, i);
		const char *name = get_str(o, "name"), *socket;
		EnvList env = ENV_LIST_INIT;
		Event *event;

		if (!name)
			continue;
		if (env_from_json(get(o, "env"), &env) < 0)
			log_error("%s event restored without part of its environment: %s", name,
				  strerror(ENOMEM));
		event = event_adopt((uint64_t)get_int(o, "id", 0), name, &env,
				    (EventProgress)in_range(get_int(o, "progress", 0), EVENT_PENDING,
							    EVENT_HANDLING, EVENT_PENDING),
				    json_object_get_boolean(get(o, "failed")),
				    history_find((uint64_t)get_int(o, "record", 0)));
		if (event && (socket = get_str(o, "socket")) &&
		    (event->socket = socket_source_find(socket)))
			socket_source_event_restored(event->socket);
		env_clear(&env);
	}
}

/* Emit waiters are restored once every job holds its blocks again. */
static void
restore_event_waiters(struct json_object *arr)
{
	if (!json_object_is_type(arr, json_type_array))
		return;
	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		struct json_object *o = json_object_array_get_idx(arr, i);
		Event *event = event_find_id((uint64_t)get_int(o, "id", 0));

		if (event)
			blocked_from_json(get(o, "blocking"), &event->blocking);
	}
}

static void
restore_start_on(struct json_object *arr)
{
	if (!json_object_is_type(arr, json_type_array))
		return;
	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		struct json_object *o = json_object_array_get_idx(arr, i);
		const char *name = get_str(o, "class"), *expr = get_str(o, "expr");
		JobClass *class = name ? registry_find(name) : NULL;
		char *now;

		if (!class || !class->start_on || !expr)
			continue;
		/* Only onto the same expression: a changed file starts over. */
		now = event_operator_to_string(class->start_on);
		if (now && !strcmp(now, expr))
			leaves_from_json(class->start_on, get(o, "leaves"));
		free(now);
	}
}

static void
restore_jobs(struct json_object *state)
{
	struct json_object *classes = get(state, "classes"), *jobs = get(state, "jobs");
	size_t n = json_object_is_type(classes, json_type_array) ?
		   json_object_array_length(classes) : 0;
	JobClass **table = calloc(n ? n : 1, sizeof *table);

	if (!table) {
		log_error("Unable to restore the jobs: %s", strerror(ENOMEM));
		return;
	}
	for (size_t i = 0; i < n; i++)
		table[i] = class_from_json(json_object_array_get_idx(classes, i));
	if (json_object_is_type(jobs, json_type_array))
		for (size_t i = 0; i < json_object_array_length(jobs); i++)
			job_from_json(json_object_array_get_idx(jobs, i), table, n);
	/* Definitions in force before stay in force while they have
	 * instances; the new files take over when those end. */
	for (size_t i = 0; i < n; i++) {
		if (!table[i])
			continue;
		if (json_object_get_boolean(get(json_object_array_get_idx(classes, i), "registered")) &&
		    !TAILQ_EMPTY(&table[i]->instances))
			registry_adopt(table[i]);
		job_class_unref(table[i]);
	}
	free(table);
}

/* The descriptor limit jobs start with, as the first image was given it
 * (this image was started with the limit PID 1 raised). */
static void
restore_job_nofile(struct json_object *state)
{
	struct json_object *cur = get_idx(state, "job_nofile", 0);
	struct json_object *max = get_idx(state, "job_nofile", 1);
	struct rlimit limit;

	if (!json_object_is_type(cur, json_type_int) || !json_object_is_type(max, json_type_int) ||
	    json_object_get_int64(cur) <= 0 || json_object_get_int64(cur) > json_object_get_int64(max))
		return;
	limit.rlim_cur = (rlim_t)json_object_get_int64(cur);
	limit.rlim_max = (rlim_t)json_object_get_int64(max);
	job_process_set_nofile(&limit);
}

static void
discard_job(Job *job, void *data)
{
	(void)data;
	job_free(job);
}

void
state_discard(void)
{
	/* Waiters are freed, not answered: nobody is there to hear. */
	blocked_set_waiter_handler(NULL);
	job_foreach(discard_job, NULL);
	/* A partly matched `start on` holds its events: it lets go before
	 * they are freed (a class can outlive the registry's reference). */
	for (JobClass *class = registry_next(NULL); class; class = registry_next(class))
		event_operator_reset(class->start_on);
	event_discard_all();
	registry_free();
	control_close();
	job_log_free_all();
	job_env_free();
	/* Last: the jobs and events above held records. */
	history_reset();
	timeline_reset();
	socket_source_free_all();
}

static int restore_all(struct json_object *state);

int
state_deserialise(struct json_object *state)
{
	int ret;

	if (get_int(state, "v", 0) != STATE_VERSION) {
		errno = EINVAL;
		return -1;
	}
	forget_claims();
	pool = get(state, "strings");
	if (!json_object_is_type(pool, json_type_array))
		pool = NULL;
	ret = restore_all(state);
	pool = NULL;   /* the document's */
	forget_claims();
	return ret;
}

/* Before the jobs, whose cgroups are relative to it.  A document
 * without the section (an image from before cgroups) leaves the choice
 * to init, which makes it as at boot. */
static void
restore_cgroup(struct json_object *cg)
{
	int64_t fd = get_int(cg, "fd", -1);

	if (!cg)
		return;
	cgroup_decided = true;
	if (fd > 2 && fd <= INT_MAX && state_claim_fd((int)fd) &&
	    !cgroup_adopt((int)fd, get_str(cg, "path")))
		log_warn("The cgroup subtree was not handed over: jobs are tracked by process group only");
}

static int
restore_all(struct json_object *state)
{
	struct json_object *val;

	if (control_deserialise(get(state, "control")) < 0)
		return -1;
	if (env_from_json(get(state, "env"), job_env_global()) < 0)
		log_error("Job environment restored in part: %s", strerror(ENOMEM));
	restore_job_nofile(state);
	for (size_t i = 0; i < nsections; i++)
		if ((val = get(state, sections[i]->key)) && sections[i]->restore)
			sections[i]->restore(val);
	if ((val = get(state, "logs")))
		job_log_deserialise(val);
	if ((val = get(state, "history")) && json_object_is_type(val, json_type_object))
		history_deserialise(val);
	if ((val = get(state, "timeline")) && json_object_is_type(val, json_type_object))
		timeline_deserialise(val);
	/* Before the events and jobs that name them. */
	socket_source_deserialise(get(state, "sockets"));
	restore_events(get(state, "events"));
	restore_cgroup(get(state, "cgroup"));
	restore_jobs(state);
	history_restore_done();
	{
		int64_t fd = get_int(state, "inotify_fd", -1);

		conf_watch_adopt(fd > 0 && fd <= INT_MAX ? (int)fd : -1);
	}
	conf_reload();
	restore_start_on(get(state, "start_on"));
	restore_event_waiters(get(state, "events"));
	return 0;
}

/* ---- exec ---- */

int
state_restore(int fd)
{
	struct json_object *state;
	char *text;
	int ret;

	lseek(fd, 0, SEEK_SET);
	text = read_fd_all(fd, STATE_MAX_SIZE, NULL);
	close(fd);
	if (!text) {
		log_error("Unable to read state: %s", strerror(errno));
		return -1;
	}
	state = json_tokener_parse(text);
	free(text);
	if (!state || !json_object_is_type(state, json_type_object)) {
		log_error("Unable to read state: not a state document");
		json_object_put(state);
		return -1;
	}
	ret = state_deserialise(state);
	if (ret < 0)
		log_error("Unable to restore state: %s", strerror(errno));
	json_object_put(state);
	return ret;
}

static void
inherit_job(Job *job, void *data)
{
	job_process_inherit(job, *(bool *)data);
}

/* Descriptors the new image needs stay open across exec (or, when the
 * exec failed, close-on-exec again). */
void
state_inherit(bool inherit)
{
	control_inherit(inherit);
	conf_watch_inherit(inherit);
	socket_source_inherit(inherit);
	cgroup_inherit(inherit);
	job_log_keep_across_exec(inherit);
	job_foreach(inherit_job, &inherit);
	for (size_t i = 0; i < nsections; i++)
		if (sections[i]->inherit)
			sections[i]->inherit(inherit);
}

int
state_restart_words(char *const *argv, size_t i)
{
	if (!strcmp(argv[i], "--restart") || !strncmp(argv[i], "--state-fd=", 11))
		return 1;
	if (!strcmp(argv[i], "--state-fd"))
		return argv[i + 1] ? 2 : 1;
	return 0;
}

/* The command line for the new image: the old one without any earlier
 * --restart/--state-fd, then ours. */
static char **
reexec_argv(char **argv, int fd)
{
	size_t n = 0, j = 0;
	char **out;
	static char fdbuf[16];

	while (argv[n])
		n++;
	if (!(out = calloc(n + 4, sizeof *out)))
		return NULL;
	for (size_t i = 0; i < n; i++) {
		int skip = state_restart_words(argv, i);

		if (skip) {
			i += (size_t)skip - 1;
			continue;
		}
		out[j++] = argv[i];
	}
	snprintf(fdbuf, sizeof fdbuf, "%d", fd);
	out[j++] = "--restart";
	out[j++] = "--state-fd";
	out[j++] = fdbuf;
	out[j] = NULL;
	return out;
}

/* Is the program at `path` (still) upinit?  A package switch back to
 * sysvinit leaves its init at our path, and sysvinit's own postinst asks
 * for `telinit u`: that image must start fresh, without our state.
 *
 * The file is searched for this very string, which every upinit image
 * holds.  Running the image with --version instead (as this once did)
 * cost every re-exec a fork and a dynamic link, some 15 ms with PID 1
 * waiting, and ran a foreign program as PID 1's child. */
static const char image_marker[] = "upinit: an image that takes over its state";

/* The file execvp() would run for a bare `name`: the first executable
 * of that name in PATH (caller frees), or NULL. */
static char *
path_search(const char *name)
{
	const char *path = getenv("PATH");
	char *copy, *dir, *save = NULL, *found = NULL;

	if (!(copy = strdup(path && *path ? path : "/usr/local/bin:/bin:/usr/bin")))
		return NULL;
	for (dir = strtok_r(copy, ":", &save); dir && !found; dir = strtok_r(NULL, ":", &save)) {
		char *candidate;

		if (asprintf(&candidate, "%s/%s", *dir ? dir : ".", name) < 0)
			break;
		if (access(candidate, X_OK) == 0)
			found = candidate;
		else
			free(candidate);
	}
	free(copy);
	return found;
}

static bool
image_is_upinit(const char *path)
{
	char buf[65536 + sizeof image_marker];
	size_t keep = 0, m = sizeof image_marker - 1;
	char *found_path = NULL;
	bool found = false;
	ssize_t n;
	int fd;

	if (!strchr(path, '/')) {
		/* As execvp would find it. */
		found_path = path_search(path);
		if (!found_path)
			return true;   /* cannot tell: assume the usual case */
		path = found_path;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	free(found_path);
	if (fd < 0)
		return true;
	while (!found && (n = read(fd, buf + keep, sizeof buf - keep)) > 0) {
		size_t len = keep + (size_t)n;

		found = memmem(buf, len, image_marker, m) != NULL;
		/* The marker may straddle two reads. */
		keep = len < m - 1 ? len : m - 1;
		memmove(buf, buf + len - keep, keep);
	}
	close(fd);
	return found;
}

/* Does `text` read back as `doc`?  json-c skips what it cannot append
 * when its buffer cannot grow, and goes on: the text may then parse and
 * still lack a member; appends that fit the room left still succeed. */
static bool
text_is(const char *text, size_t len, struct json_object *doc)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *back;
	bool same;

	if (!tok)
		return false;
	back = json_tokener_parse_ex(tok, text, (int)len);
	json_tokener_free(tok);
	same = back && json_object_equal(back, doc);
	json_object_put(back);
	return same;
}

int
state_save(struct json_object **doc)
{
	struct json_object *state;
	const char *text;
	size_t len = 0, off = 0;
	int fd;

	if (!(state = state_serialise())) {
		log_error("Unable to re-execute: out of memory");
		return -1;
	}
	errno = 0;
	text = json_object_to_json_string_length(state, JSON_C_TO_STRING_PLAIN, &len);
	/* A text short of anything would cost the new image jobs.  Reading
	 * it back costs more than the rest of the save (9 ms of a 35 ms
	 * re-exec with a thousand clients): it is done when an allocation
	 * failed meanwhile, as only then can json-c have skipped anything.
	 * A failed allocation sets ENOMEM; one that succeeded by another
	 * way after a failed try may too, and the read-back then decides. */
	if (!text || (errno == ENOMEM && !text_is(text, len, state))) {
		log_error("Unable to re-execute: out of memory");
		json_object_put(state);
		return -1;
	}
	if ((fd = memfd_create("upinit-state", 0)) < 0) {
		log_error("Unable to re-execute: %s", strerror(errno));
		json_object_put(state);
		return -1;
	}
	while (off < len) {
		ssize_t n = write(fd, text + off, len - off);

		if (n <= 0) {
			log_error("Unable to re-execute: writing state: %s", strerror(errno));
			json_object_put(state);
			close(fd);
			return -1;
		}
		off += (size_t)n;
	}
	*doc = state;
	return fd;
}

void
state_reexec(char **argv)
{
	struct json_object *doc;
	char **args;
	int fd;

	/* Another init at our path (a switch back to sysvinit, whose postinst
	 * asks for `init u`): executed now it would boot a running system a
	 * second time (sysvinit runs rcS again).  Stay PID 1 until the
	 * reboot, serving its tools through /run/initctl, as Debian does when
	 * leaving systemd. */
	if (!image_is_upinit(argv[0])) {
		log_warn("%s is not upinit any more: not re-executing; it takes over at the next boot",
			 argv[0]);
		return;
	}
	/* The document is freed only when the exec failed: freeing it takes
	 * longer than writing it, and the exec throws the heap away. */
	if ((fd = state_save(&doc)) < 0)
		return;
	if (!(args = reexec_argv(argv, fd))) {
		json_object_put(doc);
		close(fd);
		return;
	}
	state_inherit(true);
	if (strchr(args[0], '/'))
		execv(args[0], args);
	else
		execvp(args[0], args);
	log_error("Unable to re-execute %s: %s", args[0], strerror(errno));
	state_inherit(false);
	json_object_put(doc);
	free(args);
	close(fd);
}
