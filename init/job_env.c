/* job_env — the environment jobs start with.  See job_env.h. */
#include "init/job_env.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

static EnvList global_env = ENV_LIST_INIT;
static bool global_user_mode;

static const char default_path[] =
	"PATH=/usr/local/sbin:/usr/local/bin:/usr/bin:/usr/sbin:/sbin:/bin";

void
job_env_reset(void)
{
	env_clear(&global_env);
	if (global_user_mode) {
		for (char **e = environ; e && *e; e++)
			if (env_is_assignment(*e))
				env_set(&global_env, *e);
		return;
	}
	/* System jobs see a fixed PATH and init's TERM only, as in Upstart:
	 * kernel command line variables reach them only through `env KEY`. */
	env_set(&global_env, default_path);
	if (getenv("TERM"))
		env_set_kv(&global_env, "TERM", getenv("TERM"));
}

void
job_env_init(bool user_mode)
{
	global_user_mode = user_mode;
	job_env_reset();
}

EnvList *job_env_global(void) { return &global_env; }
void     job_env_free(void)   { env_clear(&global_env); }

/* Set "KEY=VALUE" for a bare `env KEY` of the class, from init's own
 * environment; nothing when init has no such variable. */
static int
set_inherited(EnvIndex *ix, EnvList *out, const char *key)
{
	const char *value = getenv(key);
	char *entry;
	int ret;

	if (!value)
		return 0;
	if (asprintf(&entry, "%s=%s", key, value) < 0)
		return -1;
	ret = env_index_set(ix, out, entry);
	free(entry);
	return ret;
}

/* Through one key index: a class with thousands of `env` lines, or a
 * request with thousands of variables, costs linear time, not one scan of
 * the list per entry. */
int
job_env_build(const JobClass *class, const EnvList *extra, EnvList *out)
{
	EnvIndex ix = ENV_INDEX_INIT;
	int ret = env_copy(out, &global_env);

	for (size_t i = 0; ret == 0 && i < class->env.len; i++) {
		const char *entry = class->env.vars[i];

		ret = strchr(entry, '=') ? env_index_set(&ix, out, entry)
					 : set_inherited(&ix, out, entry);
	}
	for (size_t i = 0; ret == 0 && extra && i < extra->len; i++)
		if (env_is_assignment(extra->vars[i]))
			ret = env_index_set(&ix, out, extra->vars[i]);
	env_index_free(&ix);
	return ret;
}

char *
job_env_instance_name(const JobClass *class, const EnvList *env, char **unknown)
{
	return env_expand(class->instance ? class->instance : "", env, unknown);
}

static size_t
count_init_vars(void)
{
	size_t n = 0;

	for (size_t i = 0; i < global_env.len; i++)
		if (!strncmp(global_env.vars[i], "INIT_", 5))
			n++;
	return n;
}

int
job_env_init_var(const char *entry)
{
	size_t klen = env_key_len(entry);
	char key[128];

	if (strncmp(entry, "INIT_", 5) || klen >= sizeof key || klen <= 5) {
		errno = EINVAL;
		return -1;
	}
	memcpy(key, entry, klen);
	key[klen] = '\0';
	if (!strchr(entry, '=')) {
		env_unset(&global_env, key);
		return 0;
	}
	if (!env_get(&global_env, key) && count_init_vars() >= JOB_ENV_INIT_MAX) {
		errno = ENOSPC;
		return -1;
	}
	return env_set(&global_env, entry);
}
