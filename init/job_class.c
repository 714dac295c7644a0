/* job_class — a job definition.  See job_class.h.
 *
 * Construction gives Upstart's defaults (U:init/job_class.c
 * job_class_new); destruction frees everything the parser put in the
 * class.  The run-time list of instances is only initialised here: an
 * instance holds a reference, so a class is never freed while one lives.
 */
#include "init/job_class.h"

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* The console of classes that do not say (`--default-console`).  The one
 * piece of global state in the module: it is an init option, set once
 * while parsing the command line. */
static ConsoleType default_console = CONSOLE_LOG;

/* See job_class.h.  The new class owns copies of `name` and `path`
 * (`path` may be NULL). */
JobClass *
job_class_new(const char *name, const char *path)
{
	JobClass *class = calloc(1, sizeof *class);

	if (!class)
		return NULL;
	class->refs = 1;
	class->name = strdup(name);
	class->path = path ? strdup(path) : NULL;
	class->instance = strdup("");
	if (!class->name || (path && !class->path) || !class->instance) {
		job_class_unref(class);
		return NULL;
	}

	class->expect = EXPECT_NONE;
	class->kill_signal = SIGTERM;
	class->kill_timeout = JOB_DEFAULT_KILL_TIMEOUT;
	class->reload_signal = SIGHUP;
	class->respawn_limit = JOB_DEFAULT_RESPAWN_LIMIT;
	class->respawn_interval = JOB_DEFAULT_RESPAWN_INTERVAL;
	class->console = job_class_default_console();
	class->umask = JOB_DEFAULT_UMASK;
	class->nice = JOB_NICE_UNSET;
	class->oom_score_adj = JOB_OOM_UNSET;
	env_init(&class->env);
	TAILQ_INIT(&class->instances);
	return class;
}

/* See job_class.h.  Returns `class` for convenience. */
JobClass *
job_class_ref(JobClass *class)
{
	if (class)
		class->refs++;
	return class;
}

/* Frees a NULL-terminated string array and its strings. */
static void
free_strv(char **strv)
{
	for (char **s = strv; s && *s; s++)
		free(*s);
	free(strv);
}

void
job_class_free_cgroups(JobClass *class)
{
	for (size_t i = 0; i < class->ncgroups; i++) {
		free(class->cgroups[i].controller);
		free(class->cgroups[i].name);
		free(class->cgroups[i].key);
		free(class->cgroups[i].value);
	}
	free(class->cgroups);
	class->cgroups = NULL;
	class->ncgroups = 0;
}

/* Frees everything the class owns, then the class. */
static void
job_class_free(JobClass *class)
{
	free(class->name);
	free(class->path);
	free(class->utmp_id);
	free(class->utmp_line);
	job_class_free_cgroups(class);
	free(class->conf_text);
	free(class->override_text);
	free(class->instance);
	free(class->description);
	free(class->author);
	free(class->version);
	free(class->usage);
	event_operator_free(class->start_on);
	event_operator_free(class->stop_on);
	free_strv(class->emits);
	for (int i = 0; i < PROCESS_COUNT; i++)
		free(class->process[i].command);
	free(class->apparmor_switch);
	free(class->normal_exit);
	env_clear(&class->env);
	free_strv(class->export);
	for (int i = 0; i < RLIM_NLIMITS; i++)
		free(class->limits[i]);
	free(class->chroot);
	free(class->chdir);
	free(class->setuid);
	free(class->setgid);
	free(class);
}

/* See job_class.h.  NULL is ignored.  The last reference frees the class;
 * instances hold references, so `instances` is empty by then. */
void
job_class_unref(JobClass *class)
{
	if (!class)
		return;
	if (class->refs > 1) {
		class->refs--;
		return;
	}
	job_class_free(class);
}

/* See job_class.h.  Affects classes created afterwards. */
void
job_class_set_default_console(ConsoleType console)
{
	default_console = console;
}

/* See job_class.h. */
ConsoleType
job_class_default_console(void)
{
	return default_console;
}

/* See job_class.h. */
bool
job_class_normal_exit(const JobClass *class, int status)
{
	for (size_t i = 0; i < class->nnormal_exit; i++)
		if (class->normal_exit[i] == status)
			return true;
	return false;
}

/* ---- copying (what an .override file is applied to) ---- */

/* Duplicate *src into *dst (NULL stays NULL).  False on ENOMEM. */
static bool
dup_string(char **dst, const char *src)
{
	free(*dst);
	*dst = src ? strdup(src) : NULL;
	return !src || *dst;
}

/* Copy of a NULL-terminated string array of (at most) `n` strings. */
static bool
dup_strv(char ***dst, char *const *src, size_t n)
{
	if (!src)
		return true;
	*dst = calloc(n + 1, sizeof **dst);
	if (!*dst)
		return false;
	for (size_t i = 0; i < n && src[i]; i++)
		if (!((*dst)[i] = strdup(src[i])))
			return false;
	return true;
}

/* Copy of a memory block; NULL on ENOMEM. */
static void *
dup_mem(const void *src, size_t size)
{
	void *copy = malloc(size ? size : 1);

	if (copy)
		memcpy(copy, src, size);
	return copy;
}

/* See job_class.h.  Event expressions are copied without state. */
JobClass *
job_class_copy(const JobClass *src, const char *name, const char *path)
{
	JobClass *c = job_class_new(name, path);
	bool ok;

	if (!c)
		return NULL;
	ok = dup_string(&c->instance, src->instance) &&
	     dup_string(&c->description, src->description) &&
	     dup_string(&c->author, src->author) &&
	     dup_string(&c->version, src->version) &&
	     dup_string(&c->usage, src->usage) &&
	     dup_string(&c->apparmor_switch, src->apparmor_switch) &&
	     dup_string(&c->chroot, src->chroot) &&
	     dup_string(&c->chdir, src->chdir) &&
	     dup_string(&c->setuid, src->setuid) &&
	     dup_string(&c->setgid, src->setgid) &&
	     dup_string(&c->utmp_id, src->utmp_id) &&
	     dup_string(&c->utmp_line, src->utmp_line) &&
	     (!src->start_on || (c->start_on = event_operator_copy(src->start_on))) &&
	     (!src->stop_on || (c->stop_on = event_operator_copy(src->stop_on))) &&
	     dup_strv(&c->emits, src->emits, src->nemits) &&
	     dup_strv(&c->export, src->export, src->nexport) &&
	     (!src->normal_exit ||
	      (c->normal_exit = dup_mem(src->normal_exit,
					src->nnormal_exit * sizeof *src->normal_exit))) &&
	     env_copy(&c->env, &src->env) == 0;
	if (ok && src->ncgroups) {
		ok = (c->cgroups = calloc(src->ncgroups, sizeof *c->cgroups)) != NULL;
		for (size_t i = 0; ok && i < src->ncgroups; i++) {
			const CgroupDef *from = &src->cgroups[i];
			CgroupDef *to = &c->cgroups[i];

			c->ncgroups = i + 1;
			ok = dup_string(&to->controller, from->controller) &&
			     dup_string(&to->name, from->name) &&
			     dup_string(&to->key, from->key) &&
			     dup_string(&to->value, from->value);
		}
	}
	c->nemits = src->emits ? src->nemits : 0;
	c->nexport = src->export ? src->nexport : 0;
	c->nnormal_exit = c->normal_exit ? src->nnormal_exit : 0;
	for (int i = 0; ok && i < PROCESS_COUNT; i++) {
		ok = dup_string(&c->process[i].command, src->process[i].command);
		c->process[i].script = src->process[i].script;
	}
	for (int i = 0; ok && i < RLIM_NLIMITS; i++)
		ok = !src->limits[i] ||
		     (c->limits[i] = dup_mem(src->limits[i], sizeof *src->limits[i]));
	if (!ok) {
		job_class_unref(c);
		errno = ENOMEM;
		return NULL;
	}
	c->expect = src->expect;
	c->task = src->task;
	c->kill_signal = src->kill_signal;
	c->kill_timeout = src->kill_timeout;
	c->kill_process_only = src->kill_process_only;
	c->reload_signal = src->reload_signal;
	c->respawn = src->respawn;
	c->respawn_limit = src->respawn_limit;
	c->respawn_interval = src->respawn_interval;
	c->console = src->console;
	c->umask = src->umask;
	c->nice = src->nice;
	c->oom_score_adj = src->oom_score_adj;
	c->debug = src->debug;
	c->script_actions = src->script_actions;
	return c;
}
