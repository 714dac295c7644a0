/* registry — which job definition is in force for each job name.
 *
 * The registry maps a job name to the JobClass in force and holds one
 * reference on it.  Configuration sources (conf.c) offer the best current
 * definition of a name through the source function; a newly parsed
 * definition replaces the registered one only when the old one has no
 * instances, otherwise the swap happens when its last instance ends
 * (registry_reconsider).
 */
#ifndef UPINIT_REGISTRY_H
#define UPINIT_REGISTRY_H

#include <stddef.h>
#include <stdint.h>

#include "init/job_class.h"

/* The class in force for `name`, or NULL. */
JobClass *registry_find(const char *name);

/* Iterate the registered classes in name order: start with NULL. */
JobClass *registry_next(const JobClass *prev);
size_t    registry_count(void);
/* Changes whenever a class is registered or unregistered: who derives
 * something from the registered classes (init/event_sources.h) redoes
 * it when this moved. */
uint64_t  registry_generation(void);

/* conf.c provides the best current definition of a name (no reference
 * given), or NULL. */
typedef JobClass *(*RegistrySource)(const char *name);
void      registry_set_source(RegistrySource fn);

/* `name` may have a new best definition (or none): update the registry
 * when that is allowed (the registered class has no instances). */
void      registry_consider(const char *name);
/* The last instance of `class` is gone: it may now be replaced. */
void      registry_reconsider(JobClass *class);

/* Re-exec: register `class` as it was before, whatever the sources say
 * now (its instances run with it; registry_reconsider() swaps later). */
int       registry_adopt(JobClass *class);

/* Drop everything (tests, valgrind). */
void      registry_free(void);

#endif
