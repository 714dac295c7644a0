/* libFuzzer target: the kernel uevent parser (init/uevent_source.h).
 *
 * Any bytes, any length: one datagram as it came off the netlink socket.
 * A message that parses must obey what uevent_source.h promises:
 *   - the name is SUBSYSTEM-device-added/changed/removed, or
 *     SUBSYSTEM-device-ACTION for any other action;
 *   - the variables start KERNEL, DEVPATH (absolute), DEVNAME (absolute,
 *     only when present), SUBSYSTEM, ACTION; KERNEL has no '/' unless
 *     DEVPATH's last component had a '!';
 *   - every variable is KEY=VALUE with a key of [A-Z0-9_], each key once,
 *     no control character anywhere, at most 4 + UEVENT_MAX_VARS of them;
 *   - parsing the same bytes again gives the same result.
 * A message that does not parse fails with EINVAL (or ENOMEM), leaves
 * the name NULL and the caller's list as it was.  Then the same bytes go
 * through uevent_source_handle(), which must queue an event exactly when
 * the parse succeeded; the queue and the history are emptied after each
 * input, so LeakSanitizer sees whatever an event kept.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "init/event.h"
#include "init/history.h"
#include "init/uevent_source.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *
value_of(char *const *vars, size_t i, const char *key)
{
	size_t n = strlen(key);

	if (!vars[i] || strncmp(vars[i], key, n) || vars[i][n] != '=')
		abort();
	return vars[i] + n + 1;
}

static void
check_vars(const EnvList *env)
{
	if (env->len < 4 || env->len > 5 + UEVENT_MAX_VARS || env->vars[env->len])
		abort();
	for (size_t i = 0; i < env->len; i++) {
		const char *v = env->vars[i];
		size_t key = env_key_len(v);

		if (key == 0 || v[key] != '=')
			abort();
		for (size_t k = 0; k < key; k++)
			if (!strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_", v[k]))
				abort();
		for (const char *c = v; *c; c++)
			if ((unsigned char)*c < 0x20 || *c == 0x7f)
				abort();
		for (size_t j = 0; j < i; j++)
			if (env_key_len(env->vars[j]) == key && !strncmp(env->vars[j], v, key))
				abort();
	}
}

static void
check_event(const char *name, const EnvList *env)
{
	char *const *vars = env->vars;
	const char *kernel = value_of(vars, 0, "KERNEL");
	const char *devpath = value_of(vars, 1, "DEVPATH");
	size_t at = 2;
	const char *subsystem, *action, *suffix, *last;

	check_vars(env);
	if (devpath[0] != '/' || !*kernel)
		abort();
	last = strrchr(devpath, '/') + 1;
	if (strlen(kernel) != strlen(last) || (strchr(kernel, '/') && !strchr(last, '!')))
		abort();
	if (!strncmp(vars[at], "DEVNAME=", 8)) {
		if (vars[at][8] != '/')
			abort();
		at++;
	}
	subsystem = value_of(vars, at, "SUBSYSTEM");
	action = value_of(vars, at + 1, "ACTION");
	if (!*subsystem || !*action || strncmp(name, subsystem, strlen(subsystem)) ||
	    strncmp(name + strlen(subsystem), "-device-", 8))
		abort();
	suffix = name + strlen(subsystem) + 8;
	if (!strcmp(action, "add") ? strcmp(suffix, "added") :
	    !strcmp(action, "change") ? strcmp(suffix, "changed") :
	    !strcmp(action, "remove") ? strcmp(suffix, "removed") :
	    strcmp(suffix, action))
		abort();
}

static void
check_same(const char *buf, size_t len, const char *name, const EnvList *env)
{
	EnvList again = ENV_LIST_INIT;
	char *name2;

	if (uevent_parse(buf, len, &name2, &again) < 0 || strcmp(name, name2) ||
	    again.len != env->len)
		abort();
	for (size_t i = 0; i < env->len; i++)
		if (strcmp(env->vars[i], again.vars[i]))
			abort();
	free(name2);
	env_clear(&again);
}

static size_t
queued(void)
{
	size_t n = 0;

	for (Event *e = event_next(NULL); e; e = event_next(e))
		n++;
	return n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	EnvList env = ENV_LIST_INIT;
	char *name = (char *)"unset";
	int rc;

	if (env_set(&env, "KEEP=1") < 0)
		return 0;
	errno = 0;
	rc = uevent_parse(buf, size, &name, &env);
	if (rc < 0) {
		if ((errno != EINVAL && errno != ENOMEM) || name || env.len != 1 ||
		    strcmp(env.vars[0], "KEEP=1"))
			abort();
	} else {
		if (rc != 0 || !name)
			abort();
		check_event(name, &env);
		check_same(buf, size, name, &env);
		free(name);
	}
	env_clear(&env);

	if ((uevent_source_handle(buf, size) == 0) != (rc == 0) && errno != ENOMEM)
		abort();
	if (queued() != (rc == 0 ? 1u : 0u))
		abort();
	event_discard_all();
	history_reset();
	return 0;
}
