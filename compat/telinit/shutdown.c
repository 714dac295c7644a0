/* shutdown — bring the system down at a given time, warning users on
 * the way: sysvinit 3.x's flags, time forms, warning texts, /etc/nologin
 * and pid file, with Upstart's leniency (-H and -P imply -h), so that
 * scripts written for either keep working.
 *
 * In order:
 *   1. read the command line (shutdown_plan.h decides target and time);
 *   2. check root, then -a against /etc/shutdown.allow;
 *   3. -c: interrupt the shutdown named in the pid file, and stop;
 *   4. refuse to run beside a live shutdown (the pid file again);
 *   5. with a delay: write the pid file, count down on a timer that
 *      counts suspend too (CLOCK_BOOTTIME), warn on sysvinit's schedule,
 *      write /etc/nologin five minutes before; SIGINT, SIGTERM or SIGQUIT
 *      cancel (`Shutdown cancelled.`, files removed);
 *   6. at zero: the final warning; with -k stop there; else sync and ask
 *      init for the runlevel, INIT_HALT in the event (upinit) or set by
 *      SETENV first (sysvinit's FIFO), see transport.h.
 *
 * Signals are read from a signalfd next to a timerfd: no handlers.  A pid
 * read from the pid file is only ever signalled when it is above 1 and
 * not our own, so a stale or hostile file cannot reach init or a process
 * group.  UPINIT_SHUTDOWN_MINUTE_MS shortens the minute for tests.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/timerfd.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "lib/cli.h"
#include "sysv/initctl_fifo.h"
#include "telinit/shutdown_plan.h"
#include "telinit/sysv_request.h"
#include "telinit/telinit.h"
#include "telinit/tool_common.h"
#include "telinit/tool_paths.h"
#include "telinit/transport.h"
#include "telinit/wall.h"

/* sysvinit reads at most this many names from /etc/shutdown.allow. */
#define ALLOW_MAX 32

/* Option ids: a flag without argument is known by its own letter; the
 * options with an argument get these (below any letter, and below
 * tool_common's TOOL_OPT_FIRST). */
enum shutdown_option {
	OPT_TIME = 1,      /* -g TIME */
	OPT_LEVEL,         /* -i LEVEL */
	OPT_SLEEPTIME,     /* -t SECONDS */
};

static const struct poptOption shutdown_options[] = {
	{ NULL, 'r', POPT_ARG_NONE, NULL, 'r', "reboot after shutdown", NULL },
	{ NULL, 'h', POPT_ARG_NONE, NULL, 'h',
	  "halt or power off after shutdown", NULL },
	{ NULL, 'H', POPT_ARG_NONE, NULL, 'H',
	  "halt after shutdown (implies -h)", NULL },
	{ NULL, 'P', POPT_ARG_NONE, NULL, 'P',
	  "power off after shutdown (implies -h)", NULL },
	{ NULL, 'c', POPT_ARG_NONE, NULL, 'c', "cancel a running shutdown", NULL },
	{ NULL, 'k', POPT_ARG_NONE, NULL, 'k',
	  "only send warnings, don't shutdown", NULL },
	{ NULL, 'a', POPT_ARG_NONE, NULL, 'a', "use /etc/shutdown.allow", NULL },
	{ NULL, 'f', POPT_ARG_NONE, NULL, 'f',
	  "skip fsck on the next boot (/fastboot)", NULL },
	{ NULL, 'F', POPT_ARG_NONE, NULL, 'F',
	  "force fsck on the next boot (/forcefsck)", NULL },
	{ NULL, 'q', POPT_ARG_NONE, NULL, 'q',
	  "warn only at 10 and 5 minutes and hourly", NULL },
	{ NULL, 'Q', POPT_ARG_NONE, NULL, 'Q', "send only the final warning", NULL },
	{ NULL, 'i', POPT_ARG_STRING, NULL, OPT_LEVEL,
	  "go to LEVEL (one of 0156abcs)", "LEVEL" },
	{ NULL, 't', POPT_ARG_STRING, NULL, OPT_SLEEPTIME,
	  "seconds between SIGTERM and SIGKILL", "SECONDS" },
	/* Compatibility: -g is another way to give TIME; -n and -y are
	 * accepted and ignored. */
	{ NULL, 'g', POPT_ARG_STRING, NULL, OPT_TIME, NULL, "TIME" },
	{ NULL, 'n', POPT_ARG_NONE, NULL, 'n', NULL, NULL },
	{ NULL, 'y', POPT_ARG_NONE, NULL, 'y', NULL, NULL },
	{ NULL, 0, POPT_ARG_INCLUDE_TABLE, (void *)tool_options_verbose, 0, NULL, NULL },
	{ NULL, 0, POPT_ARG_INCLUDE_TABLE, (void *)tool_options_info, 0, NULL, NULL },
	POPT_TABLEEND
};

static const ToolHelp shutdown_help = {
	.usage = "TIME [MESSAGE]",
	.synopsis = "Bring the system down.",
	.table = shutdown_options,
	.footer =
	"TIME is `now', +M or M minutes from now, HH:MM on the 24-hour clock, or\n"
	"+HH:MM hours and minutes from now.  Logged-in users are warned, with\n"
	"MESSAGE if one is given; five minutes before, /etc/nologin stops new\n"
	"logins.  A waiting shutdown stays in the foreground; Control-C or\n"
	"`shutdown -c' cancels it.\n"
	"\n"
	"Without -r or -h the system goes to maintenance (single-user) mode.\n",
};

/* What the command line says.  Owns `when` and the words in `args`. */
typedef struct shutdown_args {
	ShutdownTarget target;
	ShutdownQuiet  quiet;
	bool           cancel, warn_only, use_acl, fastboot, forcefsck;
	char          *when;        /* -g TIME, else the first argument */
	int            sleeptime;
	char         **args;        /* the other arguments, NULL-terminated */
	size_t         nargs;
} ShutdownArgs;

/* ---- command line ------------------------------------------------------- */

static CliParseResult
set_sleeptime(ShutdownArgs *sa, const char *arg)
{
	return tool_parse_sleeptime(arg, &sa->sleeptime);
}

/* -g TIME replaces an earlier one. */
static CliParseResult
set_when(ShutdownArgs *sa, const char *arg)
{
	char *copy = strdup(arg);

	if (copy == NULL) {
		cli_error("Cannot allocate memory");
		return CLI_PARSE_ERROR;
	}
	free(sa->when);
	sa->when = copy;
	return CLI_PARSE_OK;
}

static CliParseResult
on_option(void *data, int id, const char *arg)
{
	ShutdownArgs *sa = data;

	switch (id) {
	case 'r': case 'h': case 'H': case 'P':
		shutdown_target_flag(&sa->target, (char)id);
		return CLI_PARSE_OK;
	case 'c': sa->cancel = true;                  return CLI_PARSE_OK;
	case 'k': sa->warn_only = true;               return CLI_PARSE_OK;
	case 'a': sa->use_acl = true;                 return CLI_PARSE_OK;
	case 'f': sa->fastboot = true;                return CLI_PARSE_OK;
	case 'F': sa->forcefsck = true;               return CLI_PARSE_OK;
	case 'q': sa->quiet = SHUTDOWN_QUIET_SOME;    return CLI_PARSE_OK;
	case 'Q': sa->quiet = SHUTDOWN_QUIET_ALL;     return CLI_PARSE_OK;
	case 'n': case 'y':                           return CLI_PARSE_OK;
	case OPT_TIME:
		return set_when(sa, arg);
	case OPT_SLEEPTIME:
		return set_sleeptime(sa, arg);
	case OPT_LEVEL:
		if (!shutdown_target_level(&sa->target, arg)) {
			cli_error("`%s': bad runlevel", arg);
			return CLI_PARSE_ERROR;
		}
		return CLI_PARSE_OK;
	default:
		return tool_common_option(id);
	}
}

static bool
on_arg(void *data, const char *arg)
{
	ShutdownArgs *sa = data;
	char        **grown = reallocarray(sa->args, sa->nargs + 2, sizeof(*grown));
	char         *copy = strdup(arg);

	if (grown != NULL)
		sa->args = grown;
	if (grown == NULL || copy == NULL) {
		free(copy);
		cli_error("Cannot allocate memory");
		return false;
	}
	sa->args[sa->nargs++] = copy;
	sa->args[sa->nargs] = NULL;
	return true;
}

static void
args_free(ShutdownArgs *sa)
{
	for (size_t i = 0; i < sa->nargs; i++)
		free(sa->args[i]);
	free(sa->args);
	free(sa->when);
}

/* ---- files -------------------------------------------------------------- */

/* The pid in the pid file, or 0 when there is none worth signalling: no
 * file, no number, init, a process group, or ourselves. */
static pid_t
read_pid_file(void)
{
	FILE *fp = fopen(tool_path(TOOL_PATH_SHUTDOWN_PID), "r");
	int   pid = 0;

	if (fp == NULL)
		return 0;
	if (fscanf(fp, "%d", &pid) != 1)
		pid = 0;
	fclose(fp);
	return pid > 1 && pid != getpid() ? pid : 0;
}

static void
write_pid_file(void)
{
	const char *path = tool_path(TOOL_PATH_SHUTDOWN_PID);
	FILE       *fp;

	unlink(path);
	fp = fopen(path, "w");
	if (fp != NULL) {
		fprintf(fp, "%d\n", (int)getpid());
		fclose(fp);
	} else if (errno != EROFS) {
		cli_error("warning: cannot open %s", path);
	}
}

/* An empty file at `which` (the /fastboot and /forcefsck flags). */
static void
touch(ToolPath which)
{
	int fd = open(tool_path(which), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);

	if (fd >= 0)
		close(fd);
}

/* Replace /etc/nologin with `text`. */
static void
write_nologin(const char *text)
{
	FILE *fp = fopen(tool_path(TOOL_PATH_NOLOGIN), "w");

	if (fp == NULL)
		return;
	fputs(text, fp);
	fclose(fp);
}

/* What a cancelled shutdown leaves behind: nothing. */
static void
remove_files(bool flags_too)
{
	unlink(tool_path(TOOL_PATH_NOLOGIN));
	unlink(tool_path(TOOL_PATH_SHUTDOWN_PID));
	if (flags_too) {
		unlink(tool_path(TOOL_PATH_FASTBOOT));
		unlink(tool_path(TOOL_PATH_FORCEFSCK));
	}
}

/* ---- shutdown -a -------------------------------------------------------- */

/* The names in /etc/shutdown.allow; -1 when there is no such file (then
 * -a allows everyone, as in sysvinit). */
static int
read_allow(char names[ALLOW_MAX][64])
{
	FILE *fp = fopen(tool_path(TOOL_PATH_SHUTDOWN_ALLOW), "r");
	char  line[128];
	int   n = 0;

	if (fp == NULL)
		return -1;
	while (fgets(line, sizeof(line), fp) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (line[0] == '#' || line[0] == '\0' || n >= ALLOW_MAX)
			continue;
		snprintf(names[n++], 64, "%.63s", line);
	}
	fclose(fp);
	return n;
}

/* True for a virtual console: character device, major 4, minor 0-63. */
static bool
on_console(const char *device)
{
	struct stat st;

	return stat(device, &st) == 0 && S_ISCHR(st.st_mode)
		&& major(st.st_rdev) == 4 && minor(st.st_rdev) <= 63;
}

/* sysvinit's -a: someone allowed (or root) must be logged in on a
 * virtual console.  On refusal the console is told, as sysvinit does. */
static bool
allowed_by_acl(void)
{
	char         names[ALLOW_MAX][64], console[PATH_MAX];
	WallSession *sessions;
	long         n;
	int          count = read_allow(names);
	bool         ok = false;
	FILE        *fp;

	if (count < 0)
		return true;
	n = wall_sessions(&sessions);
	for (long i = 0; i < n && !ok; i++) {
		if (!on_console(sessions[i].device))
			continue;
		if (strcmp(sessions[i].user, "root") == 0)
			ok = true;
		for (int j = 0; j < count && !ok; j++)
			ok = strcmp(names[j], sessions[i].user) == 0;
	}
	free(sessions);
	if (ok)
		return true;
	snprintf(console, sizeof(console), "%s/console", tool_path(TOOL_PATH_DEV));
	fp = fopen(console, "w");
	if (fp != NULL) {
		fputs("\rshutdown: no authorized users logged in.\r\n", fp);
		fclose(fp);
	}
	return false;
}

/* ---- cancel ------------------------------------------------------------- */

/* shutdown -c: interrupt the waiting shutdown; wall MESSAGE if any. */
static int
cancel_running(pid_t pid, const char *message)
{
	if (pid == 0) {
		cli_error("cannot find pid of running shutdown.");
		return 1;
	}
	if (kill(pid, SIGINT) < 0) {
		cli_error("not running.");
		return 1;
	}
	if (message[0] != '\0')
		wall_send(message);
	return 0;
}

/* ---- the countdown ------------------------------------------------------ */

/* Everything the countdown and the final step need. */
typedef struct countdown {
	const ShutdownArgs *sa;
	const char         *message;   /* "" or the words + "\r\n" */
	char               *state;     /* "for reboot", ... */
	int                 sigfd;     /* SIGINT, SIGTERM, SIGQUIT */
	int                 timerfd;   /* CLOCK_BOOTTIME */
	long                minute_ms;
} Countdown;

/* The length of a minute: 60 s, or UPINIT_SHUTDOWN_MINUTE_MS (tests). */
static long
minute_length(void)
{
	const char *env = secure_getenv("UPINIT_SHUTDOWN_MINUTE_MS");
	char       *end;
	long        ms;

	if (env == NULL || *env == '\0')
		return 60000;
	ms = strtol(env, &end, 10);
	return *end == '\0' && ms > 0 && ms <= 60000 ? ms : 60000;
}

/* Milliseconds on the clock that keeps counting through suspend. */
static long long
boot_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Wall the warning for `minutes` left. */
static void
warn(const Countdown *cd, long minutes)
{
	char *text = shutdown_warning_text(cd->message, cd->state, minutes);

	if (text != NULL)
		wall_send(text);
	free(text);
}

/* Signals arrive on a descriptor; the job-control and hangup ones are
 * ignored so a closing terminal does not stop the countdown. */
static int
setup_signals(void)
{
	static const int ignored[] = { SIGHUP, SIGTSTP, SIGTTIN, SIGTTOU };
	struct sigaction ign = { .sa_handler = SIG_IGN };
	sigset_t         set;

	sigemptyset(&ign.sa_mask);
	for (size_t i = 0; i < sizeof(ignored) / sizeof(*ignored); i++)
		sigaction(ignored[i], &ign, NULL);
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGQUIT);
	sigprocmask(SIG_BLOCK, &set, NULL);
	return signalfd(-1, &set, SFD_CLOEXEC);
}

/* Sleep until `at` (boot_ms() time).  False when a cancelling signal
 * arrived first. */
static bool
wait_until(const Countdown *cd, long long at)
{
	struct itimerspec its = {
		.it_value = { .tv_sec = at / 1000, .tv_nsec = (at % 1000) * 1000000 },
	};
	struct pollfd fds[2] = {
		{ .fd = cd->sigfd, .events = POLLIN },
		{ .fd = cd->timerfd, .events = POLLIN },
	};
	uint64_t expirations;

	if (timerfd_settime(cd->timerfd, TFD_TIMER_ABSTIME, &its, NULL) < 0)
		return true;
	while (poll(fds, 2, -1) < 0)
		if (errno != EINTR)
			return true;
	if (fds[0].revents & POLLIN)
		return false;
	if (read(cd->timerfd, &expirations, sizeof(expirations)) < 0)
		return true;
	return true;
}

/* The minutes before the shutdown; false when it was cancelled. */
static bool
count_down(Countdown *cd, long minutes)
{
	long long target = boot_ms() + (long long)minutes * cd->minute_ms;
	long      last = -1;
	bool      nologin = false;

	/* sysvinit's extra first warning when the first scheduled one is
	 * still some minutes away. */
	if (minutes < 15 && cd->sa->quiet == SHUTDOWN_QUIET_NONE
	    && !shutdown_need_warning(minutes, cd->sa->quiet))
		warn(cd, minutes);
	for (;;) {
		long long left_ms = target - boot_ms();
		long      left;

		if (left_ms <= 0)
			return true;
		left = (long)((left_ms + cd->minute_ms - 1) / cd->minute_ms);
		if (left != last) {
			if (left <= 5 && !nologin) {
				char *text = shutdown_nologin_text(
					cd->message, time(NULL) + left * 60);

				if (text != NULL)
					write_nologin(text);
				free(text);
				nologin = true;
			}
			if (shutdown_need_warning(left, cd->sa->quiet))
				warn(cd, left);
			last = left;
		}
		if (!wait_until(cd, target - (long long)(left - 1) * cd->minute_ms))
			return false;
	}
}

/* sysvinit's "Shutdown cancelled." and a clean slate. */
static int
cancelled(void)
{
	remove_files(true);
	printf("\r\nShutdown cancelled.\r\n");
	fflush(stdout);
	return 0;
}

/* ---- the act ------------------------------------------------------------ */

/* Ask init for the target level; INIT_HALT rides along. */
static int
act(const Countdown *cd)
{
	const ShutdownArgs *sa = cd->sa;
	const char         *halt = shutdown_target_halt(&sa->target);
	char                halt_var[32];
	const char         *event_env[2] = { NULL, NULL };
	const char         *fifo_env[2] = { "INIT_HALT", NULL };
	char                level[2] = { sa->target.level, '\0' };
	SysvRequest         req = { .sleeptime = sa->sleeptime };
	int                 status;

	if (halt != NULL) {
		snprintf(halt_var, sizeof(halt_var), "INIT_HALT=%s", halt);
		event_env[0] = halt_var;
		fifo_env[0] = halt_var;
	}
	sysv_request_parse_level(level, &req.kind, &req.level);
	if (req.kind == SYSV_REQUEST_RUNLEVEL) {
		req.env = event_env;
		req.fifo_setenv = fifo_env;
	}
	openlog("shutdown", LOG_PID, LOG_USER);
	syslog(LOG_NOTICE, "shutting down for system %s",
	       sa->target.level == '0' ? "halt" : "reboot");
	closelog();
	remove_files(false);
	sync();
	status = transport_deliver(&req);
	if (status != 0) {
		unlink(tool_path(TOOL_PATH_FASTBOOT));
		unlink(tool_path(TOOL_PATH_FORCEFSCK));
	}
	return status;
}

/* Steps 5 and 6 of the header comment. */
static int
run(const ShutdownArgs *sa, long minutes, const char *message)
{
	Countdown cd = {
		.sa = sa,
		.message = message,
		.state = shutdown_state_text(sa->target.level),
		.minute_ms = minute_length(),
		.sigfd = -1,
		.timerfd = -1,
	};
	int status = 1;

	if (cd.state == NULL) {
		cli_error("Cannot allocate memory");
		return 1;
	}
	if (minutes > 0)
		write_pid_file();
	cd.sigfd = setup_signals();
	cd.timerfd = timerfd_create(CLOCK_BOOTTIME, TFD_CLOEXEC);
	if (cd.sigfd < 0 || cd.timerfd < 0) {
		cli_error("Unable to set up the countdown: %s", strerror(errno));
		remove_files(false);
		goto out;
	}
	if (chdir("/") < 0)
		cli_error("Unable to change directory: %s", strerror(errno));
	umask(022);
	if (sa->fastboot)
		touch(TOOL_PATH_FASTBOOT);
	if (sa->forcefsck)
		touch(TOOL_PATH_FORCEFSCK);
	if (minutes > 0 && !count_down(&cd, minutes)) {
		status = cancelled();
		goto out;
	}
	warn(&cd, 0);
	if (sa->warn_only)
		status = cancelled();
	else
		status = act(&cd);
out:
	if (cd.sigfd >= 0)
		close(cd.sigfd);
	if (cd.timerfd >= 0)
		close(cd.timerfd);
	free(cd.state);
	return status;
}

/* TIME and MESSAGE from the arguments; false after a usage error. */
static bool
split_args(ShutdownArgs *sa, long *minutes, char **message)
{
	size_t      first_word = 0;
	const char *error;
	time_t      now = time(NULL);
	struct tm   tm;

	*minutes = 0;
	if (!sa->cancel && sa->when == NULL) {
		if (sa->nargs == 0) {
			cli_usage_error("time expected");
			return false;
		}
		sa->when = strdup(sa->args[0]);
		first_word = 1;
		if (sa->when == NULL) {
			cli_error("Cannot allocate memory");
			return false;
		}
	}
	localtime_r(&now, &tm);
	if (!sa->cancel
	    && shutdown_time_parse(sa->when, &tm, minutes, &error) < 0) {
		cli_usage_error("%s", error);
		return false;
	}
	*message = shutdown_message(sa->args + first_word, sa->nargs - first_word);
	if (*message == NULL) {
		cli_error("Cannot allocate memory");
		return false;
	}
	return true;
}

int
telinit_shutdown_main(int argc, char **argv)
{
	ShutdownArgs   sa = { .sleeptime = SYSV_REQUEST_SLEEPTIME };
	CliParseResult result;
	char          *message = NULL;
	long           minutes;
	pid_t          pid;
	int            status = 1;

	cli_init(argc > 0 ? argv[0] : "shutdown");
	cli_set_priority(CLI_MESSAGE);
	shutdown_target_init(&sa.target);
	result = cli_parse(shutdown_options, argc, (const char **)argv, false,
			   on_option, on_arg, &sa);
	if (tool_parse_finished(result, &shutdown_help, &status)
	    || !split_args(&sa, &minutes, &message) || !tool_require_root())
		goto out;
	status = 1;
	if (sa.use_acl && !allowed_by_acl())
		goto out;
	pid = read_pid_file();
	if (sa.cancel)
		status = cancel_running(pid, message);
	else if (pid != 0 && kill(pid, 0) == 0)
		cli_error("already running.");
	else
		status = run(&sa, minutes, message);
out:
	free(message);
	args_free(&sa);
	return status;
}
