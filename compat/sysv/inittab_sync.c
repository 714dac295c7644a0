/* inittab_sync — re-reading /etc/inittab acts on its processes as
 * sysvinit does.  See inittab_sync.h. */
#include "inittab_sync.h"

#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "inittab.h"
#include "inittab_jobs.h"
#include "job.h"
#include "job_env.h"
#include "log.h"
#include "loop.h"
#include "registry.h"
#include "runlevel.h"

/* How often a changed entry is looked at until its old process is gone. */
#define PENDING_POLL_MS 100

typedef struct snap_entry {
	char *name;
	char *text;
} SnapEntry;

struct inittab_snapshot {
	SnapEntry *v;
	size_t     len;
};

/* Changed entries whose old process is stopping: started once the new
 * definition is the one in force.  Each holds the new text. */
static SnapEntry *pending;
static size_t     npending;
static Timer     *pending_timer;

static bool
is_inittab_job(const char *name)
{
	return !strncmp(name, INITTAB_JOB_PREFIX, strlen(INITTAB_JOB_PREFIX));
}

static void
snapshot_free(InittabSnapshot *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->len; i++) {
		free(s->v[i].name);
		free(s->v[i].text);
	}
	free(s->v);
	free(s);
}

InittabSnapshot *
inittab_sync_snapshot(void)
{
	InittabSnapshot *s = calloc(1, sizeof *s);

	if (!s)
		return NULL;
	for (JobClass *c = registry_next(NULL); c; c = registry_next(c)) {
		SnapEntry *v;

		if (!is_inittab_job(c->name))
			continue;
		if (!(v = reallocarray(s->v, s->len + 1, sizeof *v))) {
			snapshot_free(s);
			return NULL;
		}
		s->v = v;
		v[s->len].name = strdup(c->name);
		v[s->len].text = strdup(c->conf_text ? c->conf_text : "");
		if (!v[s->len].name || !v[s->len].text) {
			free(v[s->len].name);
			free(v[s->len].text);
			snapshot_free(s);
			return NULL;
		}
		s->len++;
	}
	return s;
}

static const char *
snapshot_text(const InittabSnapshot *s, const char *name)
{
	for (size_t i = 0; i < s->len; i++)
		if (!strcmp(s->v[i].name, name))
			return s->v[i].text;
	return NULL;
}

bool
inittab_sync_same_text(const char *a, const char *b)
{
	const char *na = strchr(a, '\n'), *nb = strchr(b, '\n');

	if (!strncmp(a, "# ", 2) && na)
		a = na + 1;
	if (!strncmp(b, "# ", 2) && nb)
		b = nb + 1;
	return !strcmp(a, b);
}

/* ---- acting on a class ---- */

static bool
class_running(const JobClass *class)
{
	const Job *job;

	TAILQ_FOREACH(job, &class->instances, link)
		if (job->goal == JOB_START)
			return true;
	return false;
}

/* Start the class's one instance, as `start on` would, with the global
 * environment and the class's own. */
static void
start_class(JobClass *class)
{
	EnvList env = ENV_LIST_INIT;
	char *name = NULL, *unknown = NULL;
	Job *job;

	if (job_env_build(class, NULL, &env) < 0 ||
	    !(name = job_env_instance_name(class, &env, &unknown)))
		goto out;
	if (!(job = job_find(class, name)) && !(job = job_new(class, name)))
		goto out;
	if (job->goal == JOB_START)
		goto out;
	log_info("%s: started, /etc/inittab was changed", class->name);
	env_clear(&job->start_env);
	job->start_env = env;
	env_init(&env);
	job->has_start_env = true;
	job_new_goal(job, JOB_START);
out:
	free(name);
	free(unknown);
	env_clear(&env);
}

static void
stop_class(JobClass *class)
{
	Job *job, *next;

	TAILQ_FOREACH_SAFE(job, &class->instances, link, next) {
		if (job->goal == JOB_STOP)
			continue;
		log_info("%s: stopped, /etc/inittab was changed", class->name);
		job_new_goal(job, JOB_STOP);
	}
}

/* ---- changed entries: start once the old process is gone ---- */

static void pending_check(void *data);

static void
pending_clear(void)
{
	for (size_t i = 0; i < npending; i++) {
		free(pending[i].name);
		free(pending[i].text);
	}
	free(pending);
	pending = NULL;
	npending = 0;
	if (pending_timer) {
		loop_timer_cancel(pending_timer);
		pending_timer = NULL;
	}
}

static void
pending_add(const char *name, const char *text)
{
	SnapEntry *v = reallocarray(pending, npending + 1, sizeof *v);

	if (!v)
		return;
	pending = v;
	v[npending].name = strdup(name);
	v[npending].text = strdup(text);
	if (!v[npending].name || !v[npending].text) {
		free(v[npending].name);
		free(v[npending].text);
		return;
	}
	npending++;
	if (!pending_timer)
		pending_timer = loop_timer(PENDING_POLL_MS, pending_check, NULL);
}

static void
pending_check(void *data)
{
	(void)data;
	pending_timer = NULL;
	for (size_t i = npending; i-- > 0;) {
		JobClass *class = registry_find(pending[i].name);

		/* Still the old definition (its process is ending): later. */
		if (class && class->conf_text &&
		    !inittab_sync_same_text(class->conf_text, pending[i].text))
			continue;
		if (class)
			start_class(class);
		free(pending[i].name);
		free(pending[i].text);
		pending[i] = pending[--npending];
	}
	if (npending)
		pending_timer = loop_timer(PENDING_POLL_MS, pending_check, NULL);
}

/* ---- the comparison ---- */

/* Does `e` run in `level` as sysvinit's start_if_needed() sees it? */
static bool
runs_in_level(const InittabEntry *e, char level)
{
	switch (e->action) {
	case INITTAB_RESPAWN:
	case INITTAB_ONCE:
	case INITTAB_WAIT:
		return strchr(e->levels, level) != NULL;
	default:
		return false;   /* boot, power, ondemand...: their own events */
	}
}

static void
sync_entry(const InittabEntry *e, const char *text, const InittabSnapshot *before,
	   char level)
{
	char name[sizeof INITTAB_JOB_PREFIX + INITTAB_ID_MAX + 1];
	const char *old;
	JobClass *class;
	bool changed, runs = runs_in_level(e, level);

	snprintf(name, sizeof name, "%s%s", INITTAB_JOB_PREFIX, e->id);
	old = snapshot_text(before, name);
	changed = !old || !inittab_sync_same_text(old, text);
	if (!(class = registry_find(name)))
		return;
	if (changed && !TAILQ_EMPTY(&class->instances)) {
		/* The old definition's process: sysvinit kills it. */
		stop_class(class);
		if (runs)
			pending_add(name, text);
		return;
	}
	/* Unchanged entries of other levels: the runlevel events see to
	 * them. */
	if (runs && (e->action == INITTAB_RESPAWN || changed) && !class_running(class))
		start_class(class);
}

/* Entries gone from the file (or no longer jobs) that still run. */
static void
stop_removed(const InittabSnapshot *before)
{
	for (size_t i = 0; i < before->len; i++) {
		JobClass *class = registry_find(before->v[i].name);

		if (class && !conf_best(before->v[i].name))
			stop_class(class);
	}
}

void
inittab_sync_apply(InittabSnapshot *before, const char *path)
{
	char level = runlevel_current();
	Inittab *tab = NULL;
	size_t len = 0;
	char *text = NULL;

	if (!before || !path || level == 'N')
		goto out;
	pending_clear();
	stop_removed(before);
	if (!(text = conf_read_file(path, &len)) || !(tab = inittab_parse(text, len, path)))
		goto out;
	bool after_rc = false;

	for (size_t i = 0; i < tab->len; i++) {
		const InittabEntry *e = &tab->entries[i];
		char *job_text = inittab_job_text(e, after_rc);

		if (e->role == INITTAB_ROLE_RC)
			after_rc = true;
		if (!job_text)
			continue;
		sync_entry(e, job_text, before, level);
		free(job_text);
	}
out:
	if (tab)
		inittab_free(tab);
	free(text);
	snapshot_free(before);
}

void
inittab_sync_free(void)
{
	pending_clear();
}
