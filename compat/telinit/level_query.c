/* level_query — see level_query.h. */
#include "telinit/level_query.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "lib/cli.h"
#include "lib/proto.h"
#include "telinit/tool_paths.h"
#include "telinit/transport.h"
#include "sysv/utmp_records.h"

/* A runlevel character as utmp and PID 1 store them. */
static bool
is_level(char c)
{
	return (c >= '0' && c <= '9') || c == 'S';
}

bool
level_parse_line(const char *line, char *prev, char *cur)
{
	if (line == NULL || strlen(line) != 3 || line[1] != ' ')
		return false;
	if (!(is_level(line[0]) || line[0] == UTMP_RECORDS_UNKNOWN_LEVEL)
	    || !(is_level(line[2]) || line[2] == UTMP_RECORDS_UNKNOWN_LEVEL))
		return false;
	*prev = line[0];
	*cur = line[2];
	return true;
}

bool
level_known(const LevelAnswer *ans)
{
	return ans->source != LEVEL_FROM_NOWHERE && is_level(ans->cur);
}

/* Ask upinit.  True when it gave an answer to keep (a level, or its
 * word that the level is unknown); false to go on to the other sources. */
static bool
ask_upinit(LevelAnswer *ans)
{
	struct json_object *request, *reply = NULL;
	const char        **lines;
	char               *socket = proto_socket_path(NULL, false);
	size_t              n = 0;
	bool                bad, kept = false;
	int                 error;

	request = proto_request_new("runlevel");
	if (socket == NULL || request == NULL) {
		free(socket);
		json_object_put(request);
		return false;
	}
	if (transport_upinit_call(socket, request, &reply, &error) == UPINIT_REPLIED
	    && proto_get_string(reply, "error") == NULL) {
		int status = json_object_get_int(json_object_object_get(reply, "status"));

		lines = proto_get_strings(reply, "lines", &n, &bad);
		ans->source = LEVEL_FROM_UPINIT;
		if (status == 0 && n == 1
		    && level_parse_line(lines[0], &ans->prev, &ans->cur))
			kept = true;
		else if (status == 1)
			kept = true;   /* upinit says: unknown */
		free(lines);
	}
	if (!kept)
		cli_debug("upinit gave no runlevel; reading the other sources");
	json_object_put(reply);
	json_object_put(request);
	free(socket);
	return kept;
}

/* $RUNLEVEL / $PREVLEVEL; true when $RUNLEVEL is set at all. */
static bool
read_env(LevelAnswer *ans)
{
	const char *cur = getenv("RUNLEVEL"), *prev = getenv("PREVLEVEL");

	if (cur == NULL)
		return false;
	ans->source = LEVEL_FROM_ENV;
	ans->cur = *cur != '\0' ? *cur : UTMP_RECORDS_UNKNOWN_LEVEL;
	ans->prev = prev != NULL && *prev != '\0' ? *prev
		: UTMP_RECORDS_UNKNOWN_LEVEL;
	return true;
}

/* The utmp file at `path`; a read error other than "no such file" or
 * "no record" is remembered in `ans`. */
static bool
read_utmp(const char *path, LevelAnswer *ans)
{
	if (utmp_records_runlevel(path, &ans->cur, &ans->prev) == 0) {
		ans->source = LEVEL_FROM_UTMP;
		return true;
	}
	if (errno != ESRCH && errno != ENOENT) {
		ans->error = errno;
		ans->error_path = path;
	}
	return false;
}

/* sysvinit's /var/run/runlevel. */
static bool
read_level_file(LevelAnswer *ans)
{
	char level;

	if (utmp_records_read_runlevel_file(tool_path(TOOL_PATH_RUNLEVEL_FILE),
					    &level) < 0)
		return false;
	ans->source = LEVEL_FROM_FILE;
	ans->prev = UTMP_RECORDS_UNKNOWN_LEVEL;
	ans->cur = level;
	return true;
}

/* An answer that knows nothing yet. */
static void
answer_init(LevelAnswer *ans)
{
	*ans = (LevelAnswer){
		.source = LEVEL_FROM_NOWHERE,
		.prev = UTMP_RECORDS_UNKNOWN_LEVEL,
		.cur = UTMP_RECORDS_UNKNOWN_LEVEL,
	};
}

void
level_query(LevelAnswer *ans)
{
	answer_init(ans);
	if (ask_upinit(ans) || read_env(ans)
	    || read_utmp(tool_path(TOOL_PATH_UTMP), ans) || read_level_file(ans))
		return;
	ans->source = LEVEL_FROM_NOWHERE;
}

void
level_query_utmp(const char *utmp, LevelAnswer *ans)
{
	answer_init(ans);
	if (!read_utmp(utmp, ans))
		ans->source = LEVEL_FROM_NOWHERE;
}
