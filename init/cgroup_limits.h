/* cgroup_limits — the `cgroup` stanza: resource controllers for a job.
 *
 *     cgroup CONTROLLER [NAME] [KEY VALUE]
 *
 * puts every process of the job in cgroup NAME of the hierarchy that has
 * CONTROLLER, and writes VALUE to its file KEY.  NAME is expanded with
 * the job's environment; left out, or $UPSTART_CGROUP, it is the
 * instance's own cgroup (init/cgroup.h).  Upstart 1.13 asked cgmanager
 * for this; upinit writes the files itself:
 *
 *   - cgroup v2, when the jobs' hierarchy offers the controller: init
 *     enables it down to the instance's cgroup (cgroup.subtree_control)
 *     and writes the key there.  The v1 names Upstart-era job files use
 *     are turned into their v2 equivalents: memory.limit_in_bytes is
 *     memory.max, cpu.shares becomes cpu.weight on its scale, and so on
 *     (cgroup_limits_v2_key()).  A process lives in one cgroup of a v2
 *     hierarchy, and a job's is its own: another NAME is refused.
 *   - the controller's v1 hierarchy otherwise (a hybrid layout binds
 *     memory, cpu or pids there): the cgroup is BASE/upinit/NAME below
 *     the one init runs in, any NAME goes, jobs may share one, and the
 *     key is written as given.  Each process joins it as it starts.
 *
 * An unknown controller or key, a value the kernel refuses, a cgroup
 * that cannot be made: the start fails, with a message naming the job.
 * Without cgroup tracking (--no-cgroups, no delegated subtree) the
 * stanza is ignored, as Upstart ignored it without a cgroup manager.
 *
 * Ownership: the caller closes the descriptors it is given.
 */
#ifndef UPINIT_CGROUP_LIMITS_H
#define UPINIT_CGROUP_LIMITS_H

#include <stddef.h>

#include "init/job_class.h"
#include "lib/environ.h"

/* At most this many v1 cgroups a process joins besides its own. */
#define CGROUP_LIMITS_MAX_JOINS 8

/* Apply the class's `cgroup` stanzas for the instance `who` (its name
 * for messages) whose own cgroup is `own` (relative to the jobs'
 * subtree), NAME expanded with `env`.  The cgroup.procs of each v1
 * cgroup its processes must join go to joins[] (*njoins of them).
 * 0, or -1 after logging why. */
int  cgroup_limits_apply(const JobClass *class, const char *who, const char *own,
			 const EnvList *env, int *joins, size_t *njoins);

/* Remove the v1 cgroups the instance's stanzas made, once it is gone
 * (those still in use by another job stay). */
void cgroup_limits_remove(const JobClass *class, const char *own, const EnvList *env);

/* The v2 form of a v1 KEY VALUE (or a key already in v2 form): the file
 * in *key_out, the text to write in value_out (room for `size`).  A
 * short name ("limit_in_bytes") is taken as CONTROLLER.NAME.  -1 with a
 * reason in *why when there is no v2 equivalent. */
int  cgroup_limits_v2_key(const char *controller, const char *key, const char *value,
			  const char *current, char *key_out, size_t key_size,
			  char *value_out, size_t size, const char **why);

#endif
