/* job_class — a job definition (one parsed .conf, plus its .override).
 *
 * A JobClass is reference counted: the configuration file that defined it
 * holds one reference, the registry one while the class is in force, and
 * every instance (Job) one, so a running instance keeps the definition it
 * started with after the file changes or disappears.
 *
 * Which definition is in force for a name is registry.h's business.
 */
#ifndef UPINIT_JOB_CLASS_H
#define UPINIT_JOB_CLASS_H

#include <stdbool.h>
#include <sys/queue.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <time.h>

#include "lib/environ.h"
#include "init/event_operator.h"

struct job;

typedef enum process_type {
	PROCESS_MAIN,
	PROCESS_PRE_START,
	PROCESS_POST_START,
	PROCESS_PRE_STOP,
	PROCESS_POST_STOP,
	PROCESS_SECURITY,
	PROCESS_COUNT,
} ProcessType;

typedef enum console_type {
	CONSOLE_NONE,
	CONSOLE_LOG,
	CONSOLE_OUTPUT,
	CONSOLE_OWNER,
} ConsoleType;

typedef enum expect_type {
	EXPECT_NONE,
	EXPECT_STOP,
	EXPECT_DAEMON,
	EXPECT_FORK,
} ExpectType;

/* A process of the job: `exec` line or `script` body; NULL when unset. */
typedef struct process_def {
	char *command;
	bool  script;
} ProcessDef;

#define JOB_NICE_UNSET      (-21)
#define JOB_OOM_UNSET       (-2000)
#define JOB_DEFAULT_UMASK   022
#define JOB_DEFAULT_KILL_TIMEOUT 5
#define JOB_DEFAULT_RESPAWN_LIMIT 10
#define JOB_DEFAULT_RESPAWN_INTERVAL 5

/* A `cgroup CONTROLLER [NAME] [KEY VALUE]` stanza (init/cgroup_limits.h). */
typedef struct cgroup_def {
	char *controller;
	char *name;     /* NULL: the instance's own cgroup ($UPSTART_CGROUP) */
	char *key;      /* NULL: the processes only join the cgroup */
	char *value;
} CgroupDef;

typedef struct job_class {
	unsigned        refs;
	char           *name;        /* "net/apache" */
	char           *path;        /* file it came from (for messages) */

	char           *instance;    /* template, "" for a single instance */
	char           *description;
	char           *author;
	char           *version;
	char           *usage;

	EventOperator  *start_on;    /* NULL: started by hand only */
	EventOperator  *stop_on;
	char          **emits;       /* NULL-terminated, may be NULL */
	size_t          nemits;

	ProcessDef      process[PROCESS_COUNT];
	char           *apparmor_switch;
	ExpectType      expect;
	bool            task;

	int             kill_signal;     /* default SIGTERM */
	time_t          kill_timeout;    /* seconds, default 5 */
	/* `kill mode process`: a stop signals the main process's group
	 * only, as Upstart did; by default what is left in the instance's
	 * cgroup is killed too (init/cgroup.h). */
	bool            kill_process_only;
	int             reload_signal;   /* default SIGHUP */

	bool            respawn;
	int             respawn_limit;   /* 0 = unlimited */
	time_t          respawn_interval;

	int            *normal_exit;     /* exit codes, or signum << 8 for signals */
	size_t          nnormal_exit;

	ConsoleType     console;
	EnvList         env;             /* `env` stanzas; "KEY" alone = take from init */
	char          **export;          /* NULL-terminated, may be NULL */
	size_t          nexport;

	mode_t          umask;
	int             nice;            /* JOB_NICE_UNSET */
	int             oom_score_adj;   /* JOB_OOM_UNSET */
	struct rlimit  *limits[RLIM_NLIMITS];
	char           *chroot;
	char           *chdir;
	char           *setuid;
	char           *setgid;
	bool            debug;
	CgroupDef      *cgroups;         /* `cgroup` stanzas, in file order */
	size_t          ncgroups;
	char           *utmp_id;         /* `utmp ID [LINE]` (upinit), or NULL */
	char           *utmp_line;
	/* Set by a generator, never by a job file: pre-start and post-stop
	 * are the start and stop actions of a SysV script.  A stop asked of
	 * an instance at rest still runs post-stop (job_stop_at_rest), a
	 * start whose pre-start failed does not, and a failed post-stop does
	 * not cancel the start that a restart does next. */
	bool            script_actions;

	/* The texts it was parsed from (conf.c), for a re-exec to rebuild
	 * the same definition after the files change; may be NULL. */
	char           *conf_text;
	char           *override_text;

	/* Run-time state, not parsed. */
	bool            registered;      /* in the registry now */
	TAILQ_HEAD(, job) instances;
} JobClass;

/* A new class with Upstart's defaults (console from job_class_set_default_console).
 * Returns one reference.  NULL on ENOMEM. */
JobClass   *job_class_new(const char *name, const char *path);
/* A copy of every field of `src` that a job file sets, as a new class
 * (one reference) named `name` from `path` (may be NULL): what an
 * .override file is applied to.  NULL on ENOMEM. */
JobClass   *job_class_copy(const JobClass *src, const char *name, const char *path);
JobClass   *job_class_ref(JobClass *class);
/* Drops a reference, freeing the class (and everything it owns) at 0. */
void        job_class_unref(JobClass *class);
/* Drop the class's `cgroup` stanzas. */
void        job_class_free_cgroups(JobClass *class);

/* The console used by classes that do not say (`--default-console`). */
void        job_class_set_default_console(ConsoleType console);
ConsoleType job_class_default_console(void);

/* Is `status` (exit code, or signum << 8) listed in `normal exit`? */
bool        job_class_normal_exit(const JobClass *class, int status);

#endif
