/* runlevel — PID 1 owns the runlevel.  See runlevel.h. */
#include "sysv/runlevel.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "lib/proto.h"

#include "init/event.h"
#include "init/log.h"

static char current = 'N';
static char previous = 'N';
static UtmpRecords *records;
static char *runlevel_file;

void
runlevel_setup(UtmpRecords *rec, const char *file)
{
	records = rec;
	free(runlevel_file);
	runlevel_file = strdup(file ? file : UTMP_RECORDS_RUNLEVEL_FILE);
}

void
runlevel_free(void)
{
	utmp_records_free(records);
	records = NULL;
	free(runlevel_file);
	runlevel_file = NULL;
	current = previous = 'N';
}

UtmpRecords *runlevel_records(void) { return records; }
char runlevel_current(void)  { return current; }
char runlevel_previous(void) { return previous; }

bool
runlevel_valid(char c)
{
	return (c >= '0' && c <= '6') || c == 'S' || c == 's';
}

static void
write_records(char level, char prev)
{
	if (!records)
		return;
	if (utmp_records_runlevel_change(records, level, prev) < 0)
		log_debug("utmp/wtmp not writable yet (%s): runlevel record kept for later",
			  strerror(errno));
	if (runlevel_file && *runlevel_file &&
	    utmp_records_write_runlevel_file(runlevel_file, level) < 0)
		log_debug("%s: %s", runlevel_file, strerror(errno));
}

int
runlevel_change(char level, const EnvList *extra)
{
	EnvList env = ENV_LIST_INIT;
	char cur[2] = { 0 }, prev[2] = { 0 };

	if (!runlevel_valid(level)) {
		errno = EINVAL;
		return -1;
	}
	if (level == 's')
		level = 'S';
	previous = current;
	current = level;
	log_info("Runlevel %c (previous %c)", current, previous);
	write_records(current, previous);

	cur[0] = current;
	prev[0] = previous;
	env_set_kv(&env, "RUNLEVEL", cur);
	env_set_kv(&env, "PREVLEVEL", prev);
	if (extra)
		for (size_t i = 0; i < extra->len; i++)
			env_set(&env, extra->vars[i]);
	event_new("runlevel", &env);
	env_clear(&env);
	return 0;
}

void
runlevel_boot_record(void)
{
	if (records && utmp_records_boot(records) < 0)
		log_debug("utmp/wtmp not writable yet (%s): boot record kept for later",
			  strerror(errno));
}


struct json_object *
runlevel_serialise(void)
{
	struct json_object *obj = json_object_new_object();
	char cur[2] = { current, 0 }, prev[2] = { previous, 0 };

	if (!proto_add_member(obj, "v", json_object_new_int(1)) ||
	    !proto_add_member(obj, "current", json_object_new_string(cur)) ||
	    !proto_add_member(obj, "previous", json_object_new_string(prev)) ||
	    (records && !proto_add_member(obj, "utmp", utmp_records_serialise(records)))) {
		json_object_put(obj);
		errno = ENOMEM;
		return NULL;
	}
	return obj;
}

/* A level read back from state: a runlevel character or 'N'. */
static char
level_from(struct json_object *obj, const char *key)
{
	struct json_object *val;
	const char *s;

	if (!json_object_object_get_ex(obj, key, &val) ||
	    !(s = json_object_get_string(val)) || strlen(s) != 1)
		return 'N';
	return runlevel_valid(s[0]) ? (char)(s[0] == 's' ? 'S' : s[0]) : 'N';
}

int
runlevel_deserialise(struct json_object *json)
{
	struct json_object *val;

	if (!json_object_is_type(json, json_type_object)) {
		errno = EINVAL;
		return -1;
	}
	current = level_from(json, "current");
	previous = level_from(json, "previous");
	if (records && json_object_object_get_ex(json, "utmp", &val))
		utmp_records_deserialise(records, val);
	return 0;
}
