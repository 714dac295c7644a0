/* sysv — requests from /run/initctl and power signals.  See sysv.h. */
#include "sysv/sysv.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "init/event.h"
#include "init/job.h"
#include "init/job_env.h"
#include "init/log.h"
#include "sysv/runlevel.h"

static void (*reload_hook)(void);
static void (*reexec_hook)(void);

void
sysv_set_hooks(void (*reload)(void), void (*reexec)(void))
{
	reload_hook = reload;
	reexec_hook = reexec;
}

void
sysv_power_status(char status)
{
	EnvList env = ENV_LIST_INIT;
	char value[2] = { status, 0 };

	env_set_kv(&env, "PWRSTAT", value);
	event_new("power-status-changed", &env);
	env_clear(&env);
}

/* First byte of a power status file, removed once read; 0 when none. */
static char
take_status(const char *path)
{
	char c = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);

	if (fd < 0)
		return 0;
	if (read(fd, &c, 1) != 1)
		c = 0;
	close(fd);
	unlink(path);
	return c ? c : 'F';
}

void
sysv_sigpwr(const char *path)
{
	char c = take_status(path ? path : "/var/run/powerstatus");

	if (!c && !path)
		c = take_status("/etc/powerstatus");
	sysv_power_status(c == 'L' || c == 'O' ? c : 'F');
}

int
sysv_ondemand(char letter)
{
	EnvList env = ENV_LIST_INIT;
	char value[2] = { (char)(letter >= 'a' ? letter - 'a' + 'A' : letter), 0 };

	if (value[0] < 'A' || value[0] > 'C')
		return -1;
	env_set_kv(&env, "LEVEL", value);
	event_new("ondemand", &env);
	env_clear(&env);
	return 0;
}

static void
runlevel_request(char level)
{
	switch (level) {
	case 'Q':
		if (reload_hook)
			reload_hook();
		break;
	case 'U':
		if (reexec_hook)
			reexec_hook();
		break;
	case 'A':
	case 'B':
	case 'C':
		sysv_ondemand(level);
		break;
	default:
		if (runlevel_change(level, NULL) < 0)
			log_warn("Ignoring request for runlevel %c", level);
		break;
	}
}

void
sysv_fifo_request(const InitRequest *req, void *data)
{
	switch (req->type) {
	case INIT_REQUEST_RUNLEVEL:
		runlevel_request(req->runlevel);
		break;
	case INIT_REQUEST_POWERFAIL:
		sysv_power_status('F');
		break;
	case INIT_REQUEST_POWERFAILNOW:
		sysv_power_status('L');
		break;
	case INIT_REQUEST_POWEROK:
		sysv_power_status('O');
		break;
	case INIT_REQUEST_SETENV:
		for (size_t i = 0; i < req->env_len; i++)
			if (job_env_init_var(initreq_env(req, i)) < 0)
				log_debug("Dropping init variable %s", initreq_env(req, i));
		break;
	case INIT_REQUEST_UNIMPLEMENTED:
		break;
	}
}

void
sysv_process_launched(const Job *job, pid_t pid)
{
	UtmpRecords *records = runlevel_records();

	if (records && utmp_records_init_process(records, job->class->utmp_id,
						 job->class->utmp_line, pid) < 0)
		log_debug("utmp: no INIT_PROCESS record for %s: %s", job_name(job),
			  strerror(errno));
}

void
sysv_process_reaped(pid_t pid)
{
	UtmpRecords *records = runlevel_records();

	if (records)
		utmp_records_process_dead(records, pid);
}
