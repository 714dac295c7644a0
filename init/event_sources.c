/* event_sources — see event_sources.h. */
#include "init/event_sources.h"

#include <fnmatch.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "init/file_source.h"
#include "init/job_class.h"
#include "init/registry.h"
#include "init/socket_source.h"

static bool user_mode;
static uint64_t synced = UINT64_MAX;

void
event_sources_init(bool user)
{
	const char *home = getenv("HOME");

	user_mode = user;
	socket_source_set_user_mode(user);
	file_source_set_user_mode(user, home);
	synced = UINT64_MAX;
}

void
event_sources_resync(void)
{
	synced = UINT64_MAX;
}

typedef struct sync_ctx {
	const JobClass *class;
} SyncCtx;

static void
want_leaf(const EventOperator *leaf, void *data)
{
	const SyncCtx *ctx = data;
	const char *origin = ctx->class->path ? ctx->class->path : ctx->class->name;

	if (!strcmp(leaf->name, "socket"))
		socket_source_want(leaf->args, origin);
	else if (!strcmp(leaf->name, "file"))
		file_source_want(leaf->args, origin);
}

void
event_sources_sync(void)
{
	const JobClass *class = NULL;

	if (synced == registry_generation())
		return;
	synced = registry_generation();
	socket_source_begin_sync();
	file_source_begin_sync();
	while ((class = registry_next(class))) {
		SyncCtx ctx = { class };

		event_operator_foreach_leaf(class->start_on, want_leaf, &ctx);
		event_operator_foreach_leaf(class->stop_on, want_leaf, &ctx);
	}
	socket_source_end_sync();
	file_source_end_sync();
}

/* What the sources (and the ifupdown hooks the package installs) emit:
 * check-config must not call these unknown. */
bool
event_sources_emits(const char *name)
{
	static const char *const always[] = {
		"socket", "file", "net-device-up", "net-device-down", "static-network-up",
		NULL,
	};

	for (const char *const *p = always; *p; p++)
		if (!strcmp(*p, name))
			return true;
	/* Kernel uevents: the system init only. */
	return !user_mode && fnmatch("?*-device-?*", name, 0) == 0;
}

const char *
event_sources_check_leaf(const EventOperator *leaf)
{
	if (leaf->type != EVENT_MATCH)
		return NULL;
	if (!strcmp(leaf->name, "socket"))
		return socket_spec_check(leaf->args, user_mode);
	if (!strcmp(leaf->name, "file"))
		return file_spec_check(leaf->args, user_mode);
	return NULL;
}
