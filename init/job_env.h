/* job_env — the environment jobs start with.
 *
 * The global job environment table starts as PATH and TERM from init's
 * own environment in system mode (all of init's environment in user
 * mode, as a running Upstart does) and is what `initctl set-env` and
 * `list-env` change.  An instance's environment is built from it, the
 * class `env` stanzas and the variables of whatever started it.
 */
#ifndef UPINIT_JOB_ENV_H
#define UPINIT_JOB_ENV_H

#include <stdbool.h>

#include "lib/environ.h"
#include "init/job_class.h"

/* Set up the table from init's environment. */
void     job_env_init(bool user_mode);
EnvList *job_env_global(void);
void     job_env_reset(void);
void     job_env_free(void);

/* sysvinit's SETENV (telinit -e, /run/initctl): "INIT_X=VALUE" sets and
 * "INIT_X" unsets a variable of the global table.  Names not starting
 * with INIT_ are refused (EINVAL), as is a 17th INIT_ variable (ENOSPC). */
#define JOB_ENV_INIT_MAX 16
int      job_env_init_var(const char *entry);

/* out := global table, class `env` stanzas (a bare KEY is copied from
 * init's environment when set there), then `extra` (may be NULL).
 * `out` is cleared first.  Returns -1 on ENOMEM. */
int      job_env_build(const JobClass *class, const EnvList *extra, EnvList *out);

/* Expand the class `instance` template against `env`.  Returns a new
 * string, or NULL with *unknown set (malloc'd) to the undefined
 * variable's name. */
char    *job_env_instance_name(const JobClass *class, const EnvList *env,
			       char **unknown);

#endif
