/* registry — the job definitions in force.  See registry.h. */
#include "init/registry.h"

#include <search.h>
#include <stdlib.h>
#include <string.h>

#include "init/log.h"

/* Sorted array of registered classes: lookups by bsearch, iteration in
 * name order for `initctl list`.  Registration is rare next to lookups. */
static JobClass **classes;
static size_t nclasses, capclasses;
static RegistrySource source;

void registry_set_source(RegistrySource fn) { source = fn; }
size_t registry_count(void) { return nclasses; }

/* Bumped at every change of what is registered (registry_generation). */
static uint64_t generation;
uint64_t registry_generation(void) { return generation; }

static int
cmp_name(const void *key, const void *elem)
{
	return strcmp(key, (*(JobClass *const *)elem)->name);
}

/* Index where `name` is or would be inserted. */
static size_t
position(const char *name, bool *found)
{
	size_t lo = 0, hi = nclasses;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(name, classes[mid]->name);

		if (c == 0) {
			*found = true;
			return mid;
		}
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	*found = false;
	return lo;
}

JobClass *
registry_find(const char *name)
{
	JobClass **p;

	if (!nclasses)
		return NULL;
	p = bsearch(name, classes, nclasses, sizeof *classes, cmp_name);
	return p ? *p : NULL;
}

JobClass *
registry_next(const JobClass *prev)
{
	bool found;
	size_t i;

	if (!prev)
		return nclasses ? classes[0] : NULL;
	i = position(prev->name, &found);
	if (found)
		i++;
	return i < nclasses ? classes[i] : NULL;
}

static void
remove_at(size_t i)
{
	JobClass *old = classes[i];

	memmove(&classes[i], &classes[i + 1], (nclasses - i - 1) * sizeof *classes);
	nclasses--;
	old->registered = false;
	generation++;
	job_class_unref(old);
}

static int
insert_at(size_t i, JobClass *class)
{
	if (nclasses == capclasses) {
		size_t cap = capclasses ? capclasses * 2 : 64;
		JobClass **p = reallocarray(classes, cap, sizeof *p);

		if (!p)
			return -1;
		classes = p;
		capclasses = cap;
	}
	memmove(&classes[i + 1], &classes[i], (nclasses - i) * sizeof *classes);
	classes[i] = job_class_ref(class);
	class->registered = true;
	nclasses++;
	generation++;
	return 0;
}

void
registry_consider(const char *name)
{
	JobClass *best = source ? source(name) : NULL;
	bool found;
	size_t i = position(name, &found);

	if (found) {
		JobClass *cur = classes[i];

		if (cur == best)
			return;
		/* A running instance keeps its definition: swap later. */
		if (!TAILQ_EMPTY(&cur->instances))
			return;
		remove_at(i);
		log_debug("Job %s definition replaced", name);
	}
	if (best && insert_at(i, best) < 0)
		log_error("Unable to register job %s: out of memory", name);
}

void
registry_reconsider(JobClass *class)
{
	char *name;

	if (!class->registered)
		return;
	/* consider() may free `class` along with its name. */
	name = strdup(class->name);
	if (!name)
		return;
	registry_consider(name);
	free(name);
}

void
registry_free(void)
{
	while (nclasses)
		remove_at(nclasses - 1);
	free(classes);
	classes = NULL;
	capclasses = 0;
}

int
registry_adopt(JobClass *class)
{
	bool found;
	size_t i = position(class->name, &found);

	if (found) {
		if (classes[i] == class)
			return 0;
		remove_at(i);
	}
	return insert_at(i, class);
}
