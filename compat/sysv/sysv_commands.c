/* sysv_commands — the SysV layer's control commands.  See sysv_commands.h. */
#include "sysv/sysv_commands.h"

#include <stdlib.h>
#include <string.h>

#include "lib/proto.h"

#include "init/conf.h"
#include "init/control.h"
#include "init/job_env.h"
#include "sysv/runlevel.h"
#include "sysv/sysv.h"

static void
cmd_runlevel(ControlRequest *r)
{
	struct json_object *reply;

	if (runlevel_current() == 'N') {
		control_reply(r, proto_reply_new(1, NULL));
		return;
	}
	reply = proto_reply_new(0, NULL);
	proto_reply_linef(reply, "%c %c", runlevel_previous(), runlevel_current());
	control_reply(r, reply);
}

static void
cmd_telinit(ControlRequest *r)
{
	const char *level = proto_get_string(r->msg, "runlevel");
	EnvList env = ENV_LIST_INIT;

	if (!control_request_env(r, &env))
		return;
	if (!level || strlen(level) != 1 || !runlevel_valid(level[0]))
		control_reply_error(r, "illegal runlevel: %.8s", level ? level : "");
	else if (control_may_change(r, "change the runlevel"))
		control_reply(r, proto_reply_new(runlevel_change(level[0], &env) < 0, NULL));
	env_clear(&env);
}

/* sysvinit's SETENV (telinit -e): INIT_* variables for every job. */
static void
cmd_init_env(ControlRequest *r)
{
	size_t n = 0;
	const char **vars;

	if (!control_may_change(r, "modify job environment") || !(vars = control_request_vars(r, &n)))
		return;
	for (size_t i = 0; i < n; i++)
		job_env_init_var(vars[i]);   /* other names dropped, as sysvinit */
	free(vars);
	control_reply(r, proto_reply_new(0, NULL));
}

static void
cmd_ondemand(ControlRequest *r)
{
	const char *level = proto_get_string(r->msg, "level");

	if (!control_may_change(r, "start ondemand entries"))
		return;
	if (!level || strlen(level) != 1 || sysv_ondemand(level[0]) < 0)
		control_reply_error(r, "illegal runlevel: %.8s", level ? level : "");
	else
		control_reply(r, proto_reply_new(0, NULL));
}

/* upinit-rc, before a runlevel change: read the rc?.d links again, so
 * the sysv/NAME jobs are those of the scripts it is about to run. */
static void
cmd_rc_scan(ControlRequest *r)
{
	if (!control_may_change(r, "reload configuration"))
		return;
	conf_reload();
	control_reply(r, proto_reply_new(0, NULL));
}

static const ControlCommand commands[] = {
	{ "rc-scan", cmd_rc_scan },
	{ "runlevel", cmd_runlevel },
	{ "telinit", cmd_telinit },
	{ "init-env", cmd_init_env },
	{ "ondemand", cmd_ondemand },
};

void
sysv_commands_register(void)
{
	control_add_commands(commands, sizeof commands / sizeof commands[0]);
}
