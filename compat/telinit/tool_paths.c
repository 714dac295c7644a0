/* tool_paths — see tool_paths.h. */
#include "telinit/tool_paths.h"

#include <paths.h>
#include <stdlib.h>

#include "sysv/initctl_fifo.h"
#include "sysv/utmp_records.h"

/* One row per ToolPath, in enum order. */
static const struct {
	const char *variable;
	const char *fallback;
} paths[TOOL_PATH_COUNT] = {
	[TOOL_PATH_INITCTL]        = { "UPINIT_INITCTL",        INITCTL_FIFO_PATH },
	[TOOL_PATH_UTMP]           = { "UPINIT_UTMP",           _PATH_UTMP },
	[TOOL_PATH_WTMP]           = { "UPINIT_WTMP",           _PATH_WTMP },
	[TOOL_PATH_RUNLEVEL_FILE]  = { "UPINIT_RUNLEVEL_FILE",  UTMP_RECORDS_RUNLEVEL_FILE },
	[TOOL_PATH_NOLOGIN]        = { "UPINIT_NOLOGIN",        "/etc/nologin" },
	[TOOL_PATH_SHUTDOWN_PID]   = { "UPINIT_SHUTDOWN_PID",   "/var/run/shutdown.pid" },
	[TOOL_PATH_SHUTDOWN_ALLOW] = { "UPINIT_SHUTDOWN_ALLOW", "/etc/shutdown.allow" },
	[TOOL_PATH_FASTBOOT]       = { "UPINIT_FASTBOOT",       "/fastboot" },
	[TOOL_PATH_FORCEFSCK]      = { "UPINIT_FORCEFSCK",      "/forcefsck" },
	[TOOL_PATH_DEV]            = { "UPINIT_DEV",            "/dev" },
};

/* The override when set and not empty, else the default. */
const char *
tool_path(ToolPath which)
{
	const char *value;

	if (which >= TOOL_PATH_COUNT)
		return NULL;
	value = secure_getenv(paths[which].variable);
	return value != NULL && *value != '\0' ? value : paths[which].fallback;
}

/* The name of the override, for messages. */
const char *
tool_path_variable(ToolPath which)
{
	return which < TOOL_PATH_COUNT ? paths[which].variable : NULL;
}
