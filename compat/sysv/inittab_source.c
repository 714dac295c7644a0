/* inittab_source — /etc/inittab as a configuration source.  See
 * inittab_source.h. */
#include "sysv/inittab_source.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/fsutil.h"

#include "init/conf.h"
#include "init/log.h"
#include "sysv/inittab.h"
#include "sysv/inittab_jobs.h"
#include "sysv/inittab_sync.h"

/* A real inittab is a few kilobytes; this only stops a runaway file. */
#define INITTAB_MAX_SIZE (1024 * 1024)

static char *inittab_path;

/* One job for one process entry; synced with its processes when the
 * load was asked for. */
static void
define_entry(ConfGenerator *gen, const InittabEntry *e, bool after_rc, bool asked)
{
	char name[sizeof INITTAB_JOB_PREFIX + INITTAB_ID_MAX + 1];
	char *text = inittab_job_text(e, after_rc);
	JobClass *old, *class;
	bool changed;

	if (!text)
		return;
	snprintf(name, sizeof name, "%s%s", INITTAB_JOB_PREFIX, e->id);
	/* Moving a line is no change: the first line of the text (its
	 * position in the file) is not compared. */
	old = conf_generator_find(gen, name);
	changed = !old || !inittab_job_same(old->conf_text, text);
	class = conf_generator_define(gen, name, inittab_path, text);
	free(text);
	if (class && asked)
		inittab_sync_entry(name, e, class, changed);
}

static void
generate(ConfGenerator *gen, bool asked, void *data)
{
	size_t len = 0;
	char *text = read_regular_file(inittab_path, INITTAB_MAX_SIZE, &len);
	Inittab *tab;
	bool after_rc = false;

	if (!text)
		return;
	if (!(tab = inittab_parse(text, len, inittab_path))) {
		free(text);
		return;
	}
	for (size_t i = 0; i < tab->n_messages; i++)
		log_msg(tab->messages[i].error ? LOG_PRIO_ERROR : LOG_PRIO_WARN,
			"%s", tab->messages[i].text);
	for (size_t i = 0; i < tab->len; i++) {
		define_entry(gen, &tab->entries[i], after_rc, asked);
		if (tab->entries[i].role == INITTAB_ROLE_RC)
			after_rc = true;
	}
	inittab_free(tab);
	free(text);
}

static void
dropped(const char *name, bool asked, void *data)
{
	if (asked)
		inittab_sync_entry(name, NULL, NULL, true);
}

int
inittab_source_add(const char *path)
{
	free(inittab_path);
	if (!(inittab_path = strdup(path)))
		return -1;
	return conf_add_generator(generate, dropped, NULL) ? 0 : -1;
}

void
inittab_source_free(void)
{
	free(inittab_path);
	inittab_path = NULL;
}
