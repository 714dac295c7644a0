/* job_defs.h — job definitions for the core's unit tests (test_job,
 * test_state, test_control), in a header of static functions because
 * every test program is built from one .c file.
 *
 * A small table stands in for /etc/init: job_defs_define() builds a
 * class from job-file text as conf.c does (the class keeps its text, as
 * the re-exec document needs) and registers it; the registry asks
 * job_defs_source() for definitions.  job_defs_clear() drops the table
 * and the registry.  The table owns one reference on each class.
 */
#ifndef UPINIT_TEST_JOB_DEFS_H
#define UPINIT_TEST_JOB_DEFS_H

#include <stdio.h>
#include <string.h>

#include "init/conf.h"
#include "init/job_class.h"
#include "init/registry.h"

#define JOB_DEFS_MAX 16
static JobClass *job_defs[JOB_DEFS_MAX];
static size_t job_defs_n;

static inline JobClass *
job_defs_source(const char *name)
{
	for (size_t i = 0; i < job_defs_n; i++)
		if (strcmp(job_defs[i]->name, name) == 0)
			return job_defs[i];
	return NULL;
}

/* Define job `name` from `text` as /etc/init/NAME.conf and register it.
 * NULL when the text does not parse (reported on stderr) or the table
 * is full. */
static inline JobClass *
job_defs_define(const char *name, const char *text)
{
	char path[128];
	JobClass *class;

	if (job_defs_n == JOB_DEFS_MAX)
		return NULL;
	snprintf(path, sizeof path, "/etc/init/%s.conf", name);
	class = conf_class_from_text(name, path, text, NULL, NULL);
	if (!class)
		return NULL;
	job_defs[job_defs_n++] = class;
	registry_set_source(job_defs_source);
	registry_consider(name);
	return registry_find(name) == class ? class : NULL;
}

static inline void
job_defs_clear(void)
{
	registry_free();
	for (size_t i = 0; i < job_defs_n; i++) {
		job_class_unref(job_defs[i]);
		job_defs[i] = NULL;
	}
	job_defs_n = 0;
}

#endif
