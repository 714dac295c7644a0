/* sysv_request — see sysv_request.h. */
#include "telinit/sysv_request.h"

#include <ctype.h>
#include <errno.h>
#include <string.h>

#include <json-c/json.h>

#include "lib/proto.h"

/* ---- telinit's argument ------------------------------------------------- */

bool
sysv_request_parse_level(const char *arg, SysvRequestKind *kind, char *level)
{
	char c;

	if (arg == NULL || arg[0] == '\0' || arg[1] != '\0')
		return false;
	c = arg[0];
	if (c >= '0' && c <= '6') {
		*kind = SYSV_REQUEST_RUNLEVEL;
		*level = c;
	} else if (c == 'S' || c == 's') {
		*kind = SYSV_REQUEST_RUNLEVEL;
		*level = 'S';
	} else if (c == 'Q' || c == 'q') {
		*kind = SYSV_REQUEST_RELOAD;
		*level = 'Q';
	} else if (c == 'U' || c == 'u') {
		*kind = SYSV_REQUEST_REEXEC;
		*level = 'U';
	} else if (strchr("aAbBcC", c) != NULL) {
		*kind = SYSV_REQUEST_ONDEMAND;
		*level = (char)tolower((unsigned char)c);
	} else {
		return false;
	}
	return true;
}

/* ---- the upinit request ------------------------------------------------- */

/* A JSON array of the strings of `list` (NULL: empty array). */
static struct json_object *
string_array(const char *const *list)
{
	struct json_object *arr = json_object_new_array();

	for (; arr != NULL && list != NULL && *list != NULL; list++) {
		struct json_object *s = json_object_new_string(*list);

		if (s == NULL || json_object_array_add(arr, s) != 0) {
			json_object_put(s);
			json_object_put(arr);
			return NULL;
		}
	}
	return arr;
}

/* A one-character JSON string. */
static struct json_object *
char_string(char c)
{
	char s[2] = { c, '\0' };

	return json_object_new_string(s);
}

struct json_object *
sysv_request_json(const SysvRequest *req)
{
	struct json_object *msg = json_object_new_object();
	bool                ok;

	if (msg == NULL)
		return NULL;
	ok = proto_add_member(msg, "v", json_object_new_int(PROTO_VERSION));
	switch (req->kind) {
	case SYSV_REQUEST_RUNLEVEL:
		ok = ok && proto_add_member(msg, "cmd", json_object_new_string("telinit"))
			&& proto_add_member(msg, "runlevel", char_string(req->level))
			&& proto_add_member(msg, "env", string_array(req->env));
		break;
	case SYSV_REQUEST_RELOAD:
		ok = ok && proto_add_member(msg, "cmd",
			       json_object_new_string("reload-configuration"));
		break;
	case SYSV_REQUEST_REEXEC:
		ok = ok && proto_add_member(msg, "cmd", json_object_new_string("reexec"));
		break;
	case SYSV_REQUEST_ONDEMAND:
		ok = ok && proto_add_member(msg, "cmd", json_object_new_string("ondemand"))
			&& proto_add_member(msg, "level", char_string(req->level));
		break;
	case SYSV_REQUEST_INIT_ENV:
		ok = ok && proto_add_member(msg, "cmd", json_object_new_string("init-env"))
			&& proto_add_member(msg, "vars", string_array(req->env));
		break;
	default:
		ok = false;
		break;
	}
	if (!ok) {
		json_object_put(msg);
		return NULL;
	}
	return msg;
}

/* ---- the /run/initctl records ------------------------------------------- */

/* A record of command `cmd` with everything else zero. */
static void
record_init(struct init_request *out, int cmd)
{
	memset(out, 0, sizeof(*out));
	out->magic = INITREQ_MAGIC;
	out->cmd = cmd;
}

int
sysv_request_setenv(struct init_request *out, const char *const *entries)
{
	size_t used = 0;

	record_init(out, INITREQ_CMD_SETENV);
	for (; entries != NULL && *entries != NULL; entries++) {
		size_t len = strlen(*entries);

		/* The entry, its NUL, and room for the closing empty string. */
		if (len + 1 + 1 > sizeof(out->i.data) - used) {
			errno = EMSGSIZE;
			return -1;
		}
		memcpy(out->i.data + used, *entries, len + 1);
		used += len + 1;
	}
	return 0;
}

/* A RUNLVL record for level character `level`. */
static void
runlevel_record(struct init_request *out, char level, int sleeptime)
{
	record_init(out, INITREQ_CMD_RUNLVL);
	out->runlevel = level;
	out->sleeptime = sleeptime;
}

int
sysv_request_initreq(const SysvRequest *req, struct init_request *out,
		     size_t max)
{
	size_t n = 0;

	if (max < 2) {
		errno = EMSGSIZE;
		return -1;
	}
	switch (req->kind) {
	case SYSV_REQUEST_RUNLEVEL:
		if (req->fifo_setenv != NULL && req->fifo_setenv[0] != NULL
		    && sysv_request_setenv(&out[n++], req->fifo_setenv) < 0)
			return -1;
		runlevel_record(&out[n++], req->level, req->sleeptime);
		break;
	case SYSV_REQUEST_RELOAD:
		runlevel_record(&out[n++], 'Q', req->sleeptime);
		break;
	case SYSV_REQUEST_REEXEC:
		runlevel_record(&out[n++], 'U', req->sleeptime);
		break;
	case SYSV_REQUEST_ONDEMAND:
		runlevel_record(&out[n++],
				(char)toupper((unsigned char)req->level),
				req->sleeptime);
		break;
	case SYSV_REQUEST_INIT_ENV:
		if (sysv_request_setenv(&out[n++], req->env) < 0)
			return -1;
		break;
	default:
		errno = EINVAL;
		return -1;
	}
	return (int)n;
}
