/* inittab_sync — re-reading /etc/inittab acts on its processes as
 * sysvinit does.  See inittab_sync.h. */
#include "sysv/inittab_sync.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "init/conf.h"
#include "init/history.h"
#include "init/job.h"
#include "init/job_env.h"
#include "init/log.h"
#include "init/loop.h"
#include "init/registry.h"
#include "sysv/runlevel.h"

/* How often a changed entry is looked at until its old process is gone. */
#define PENDING_POLL_MS 100

/* Changed entries whose old process is stopping, each with a reference
 * on its new definition: started once the registry has swapped it in. */
static JobClass **pending;
static size_t     npending;
static Timer     *pending_timer;

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
pending_drop(size_t i)
{
	job_class_unref(pending[i]);
	pending[i] = pending[--npending];
}

/* Forget what was pending for `name` (a newer verdict came). */
static void
pending_forget(const char *name)
{
	for (size_t i = npending; i-- > 0;)
		if (!strcmp(pending[i]->name, name))
			pending_drop(i);
}

static void
pending_add(JobClass *class)
{
	JobClass **v = reallocarray(pending, npending + 1, sizeof *v);

	if (!v)
		return;
	pending = v;
	pending[npending++] = job_class_ref(class);
	if (!pending_timer)
		pending_timer = loop_timer(PENDING_POLL_MS, pending_check, NULL);
}

static void
pending_check(void *data)
{
	(void)data;
	pending_timer = NULL;
	for (size_t i = npending; i-- > 0;) {
		JobClass *class = pending[i];

		if (registry_find(class->name) == class)
			start_class(class);
		else if (conf_best(class->name) == class)
			continue;   /* the old process is still ending */
		pending_drop(i);
	}
	if (npending)
		pending_timer = loop_timer(PENDING_POLL_MS, pending_check, NULL);
}

/* ---- one entry ---- */

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

/* What follows from a re-read of /etc/inittab has it as its cause. */
static void sync_entry(const char *name, const InittabEntry *e, JobClass *class,
		       bool changed);

void
inittab_sync_entry(const char *name, const InittabEntry *e, JobClass *class,
		   bool changed)
{
	char why[128];

	snprintf(why, sizeof why, "/etc/inittab %s: entry %s",
		 e ? changed ? "changed" : "re-read" : "lost", name);
	history_push(CAUSE_CONFIG, why, NULL, 0);
	sync_entry(name, e, class, changed);
	history_pop();
}

static void
sync_entry(const char *name, const InittabEntry *e, JobClass *class, bool changed)
{
	char level = runlevel_current();
	JobClass *cur = registry_find(name);
	bool runs;

	if (level == 'N')
		return;
	pending_forget(name);
	if (!e) {
		/* Gone from the file: sysvinit kills its process. */
		if (cur && !conf_best(name))
			stop_class(cur);
		return;
	}
	if (conf_best(name) != class)
		return;   /* a job file of the same name wins */
	runs = runs_in_level(e, level);
	if (cur != class) {
		/* The definition before is in force while its process runs.
		 * Changed: stop it; the new one starts once it has ended. */
		if (changed) {
			stop_class(cur);
			if (runs)
				pending_add(class);
		}
		return;
	}
	/* Unchanged entries of other levels: the runlevel events see to
	 * them. */
	if (runs && (e->action == INITTAB_RESPAWN || changed) && !class_running(class))
		start_class(class);
}

void
inittab_sync_free(void)
{
	while (npending)
		pending_drop(npending - 1);
	free(pending);
	pending = NULL;
	if (pending_timer) {
		loop_timer_cancel(pending_timer);
		pending_timer = NULL;
	}
}
