/* main — the upinit daemon's start-up.  See main.h.
 *
 * init_main() parses options, sets up the loop and everything that
 * listens on it, sets up the plug-ins, loads the configuration and emits
 * `startup`; then it runs the loop for ever (as PID 1) or until told to
 * stop (user mode).  Past setup, nothing here exits on an error: it is
 * logged and init carries on.
 */
#include <errno.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/fsutil.h"
#include "lib/proto.h"
#include "lib/signame.h"

#include "init/cgroup.h"
#include "init/conf.h"
#include "init/control.h"
#include "init/control_commands.h"
#include "init/main.h"
#include "init/event.h"
#include "init/history.h"
#include "init/job.h"
#include "init/job_env.h"
#include "init/job_log.h"
#include "init/job_process.h"
#include "init/log.h"
#include "init/loop.h"
#include "init/registry.h"
#include "init/crash.h"
#include "init/options.h"
#include "init/state.h"
#include "init/system.h"
#include "init/timeline.h"
#include "init/uevent_source.h"
#include "init/event_sources.h"
#include "init/file_source.h"
#include "init/socket_source.h"


static Options opts;
static const InitPlugin *const *plugins;
static bool exit_requested;

/* Events are worked through in slices of this many milliseconds, the
 * descriptors served between slices: a cascade (a hundred jobs to
 * respawn after a re-exec, each a fork) never keeps a client waiting for
 * all of it. */
#define EVENT_SLICE_MS 2
static int signal_fd = -1;

static const char *const console_names[] = {
	[CONSOLE_NONE] = "none", [CONSOLE_LOG] = "log",
	[CONSOLE_OUTPUT] = "output", [CONSOLE_OWNER] = "owner",
};

static int
apply_options(void)
{
	if (opts.debug)
		log_set_priority(LOG_PRIO_DEBUG);
	else if (opts.verbose)
		log_set_priority(LOG_PRIO_INFO);
	else if (opts.quiet)
		log_set_priority(LOG_PRIO_ERROR);
	if (opts.default_console) {
		size_t i;

		for (i = 0; i < 4; i++)
			if (!strcmp(opts.default_console, console_names[i]))
				break;
		if (i == 4) {
			fprintf(stderr, "init: illegal argument: %s\n", opts.default_console);
			return -1;
		}
		job_class_set_default_console((ConsoleType)i);
	}
	job_log_set_disabled(opts.no_log);
	return 0;
}

/* ---- paths of the two modes ---- */

/* The user mode default: $XDG_CONFIG_HOME/upstart. */
static void
add_user_confdir(void)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	char path[4096];

	if (xdg)
		snprintf(path, sizeof path, "%s/upstart", xdg);
	else
		snprintf(path, sizeof path, "%s/.config/upstart", home ? home : "");
	conf_add_dir(path);
}

static void
add_default_confdirs(void)
{
	const char *env = getenv("UPSTART_CONFDIR");

	if (opts.nconfdirs) {
		for (size_t i = 0; i < opts.nconfdirs; i++)
			conf_add_dir(opts.confdirs[i]);
	} else if (env) {
		conf_add_dir(env);
	} else if (opts.user) {
		add_user_confdir();
	} else {
		conf_add_dir("/etc/init");
		conf_set_init_conf("/etc/init.conf");
	}
}

static void
set_log_dir(void)
{
	const char *env = getenv("UPSTART_LOGDIR");
	char path[4096];

	if (opts.logdir) {
		job_log_set_dir(opts.logdir);
	} else if (env) {
		job_log_set_dir(env);
	} else if (opts.user) {
		const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");

		if (xdg)
			snprintf(path, sizeof path, "%s/upstart", xdg);
		else
			snprintf(path, sizeof path, "%s/.cache/upstart", home ? home : "");
		job_log_set_dir(path);
	}
}

/* SIGHUP, reload-configuration, telinit q: every source again, told
 * that it was asked for. */
static void
reload_configuration(void)
{
	log_message("Reloading configuration");
	conf_reload_asked();
	/* Sockets that could not be bound are tried again. */
	event_sources_resync();
}

/* ---- plug-ins ---- */

static void reexec(void);

/* The state document took megabytes (a thousand clients and a hundred
 * jobs: 1.5 MB) that malloc keeps for later; every fork copies their page
 * tables, and on some machines a fork costs 45 us per MB.  They go back
 * once the work the exec held up is done: trimming walks the whole heap
 * (2 ms), and clients wait for their answers meanwhile. */
#define TRIM_AFTER_RESTORE_MS 1000

static void
trim_fired(void *data)
{
	malloc_trim(0);
}

static void
trim_later(void)
{
	if (!loop_timer(TRIM_AFTER_RESTORE_MS, trim_fired, NULL))
		malloc_trim(0);
}

#define FOREACH_PLUGIN(p) \
	for (const InitPlugin *const *p = plugins; p && *p; p++)

static void
plugins_setup(bool pid1)
{
	InitContext ctx = {
		.pid1 = pid1, .user = opts.user,
		.reload = reload_configuration, .reexec = reexec,
	};

	FOREACH_PLUGIN(p)
		if ((*p)->setup)
			(*p)->setup(&ctx);
}

static void
plugins_boot(void)
{
	FOREACH_PLUGIN(p)
		if ((*p)->boot)
			(*p)->boot();
}

static void
plugins_signal(int sig)
{
	FOREACH_PLUGIN(p)
		if ((*p)->signal)
			(*p)->signal(sig);
}

static void
plugins_free(void)
{
	FOREACH_PLUGIN(p)
		if ((*p)->free)
			(*p)->free();
}

/* ---- signals ---- */

static void
stop_all_jobs(Job *job, void *data)
{
	/* Best effort on the way out of a user init: leave no strays. */
	for (int t = 0; t < PROCESS_COUNT; t++) {
		if (job->pid[t] > 0) {
			kill(-job->pid[t], SIGTERM);
			kill(job->pid[t], SIGTERM);
		}
	}
}

static void
reexec(void)
{
	state_reexec(opts.argv);
}

/* What each signal means: as PID 1 Upstart's and sysvinit's (init(8),
 * SIGNALS); in a user init SIGTERM and SIGINT end it. */
static void
handle_signal(int sig)
{
	bool pid1 = getpid() == 1;

	switch (sig) {
	case SIGCHLD:
		job_process_reap();
		break;
	case SIGHUP:
		reload_configuration();
		break;
	case SIGTERM:
		if (pid1) {
			log_message("Re-executing %s", opts.argv[0]);
			reexec();
			break;
		}
		/* fall through */
	case SIGINT:
		if (!pid1) {
			log_message("Exiting on %s", sig == SIGTERM ? "SIGTERM" : "SIGINT");
			job_foreach(stop_all_jobs, NULL);
			exit_requested = true;
		} else {
			event_new("control-alt-delete", NULL);
		}
		break;
	case SIGWINCH:
		if (pid1)
			event_new("keyboard-request", NULL);
		break;
	case SIGUSR1:
		/* Debian's mountall.sh mounts a new /run and signals us: the
		 * control socket comes back there (and the plug-ins' files). */
		if (pid1)
			system_mount_run();
		control_check();
		plugins_signal(sig);
		break;
	case SIGPWR:
	case SIGUSR2:
		plugins_signal(sig);
		break;
	default:
		break;
	}
}

static void
signal_readable(void *data, int fd, uint32_t events)
{
	struct signalfd_siginfo si;

	while (read(fd, &si, sizeof si) == (ssize_t)sizeof si) {
		/* What a signal sets going (ctrl-alt-del's event, a reload)
		 * has it as its cause; a child's end pushes its own. */
		char why[64];

		if (si.ssi_pid)
			snprintf(why, sizeof why, "SIG%s from pid %u",
				 signal_name((int)si.ssi_signo) ? signal_name((int)si.ssi_signo) : "?",
				 si.ssi_pid);
		else
			snprintf(why, sizeof why, "SIG%s from the kernel",
				 signal_name((int)si.ssi_signo) ? signal_name((int)si.ssi_signo) : "?");
		history_push(CAUSE_SIGNAL, why, NULL, 0);
		handle_signal((int)si.ssi_signo);
		history_pop();
	}
}

static int
setup_signals(void)
{
	static const int handled[] = {
		SIGCHLD, SIGHUP, SIGTERM, SIGINT, SIGWINCH, SIGPWR, SIGUSR1, SIGUSR2,
	};
	sigset_t mask;

	sigemptyset(&mask);
	for (size_t i = 0; i < sizeof handled / sizeof handled[0]; i++)
		sigaddset(&mask, handled[i]);
	/* No handlers at all: the signals arrive through signalfd in the
	 * loop.  Broken pipes are errors on the write, not deaths. */
	/* SETMASK, not BLOCK: an image exec'd from the crash handler
	 * inherits every signal blocked. */
	if (sigprocmask(SIG_SETMASK, &mask, NULL) < 0)
		return -1;
	signal(SIGPIPE, SIG_IGN);
	signal_fd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	if (signal_fd < 0 || !loop_watch(signal_fd, EPOLLIN, signal_readable, NULL))
		return -1;
	return 0;
}

static bool
has_daemon_flag(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if (!strcmp(argv[i], "--user") || !strcmp(argv[i], "--version") ||
		    !strcmp(argv[i], "--help"))
			return true;
	}
	return false;
}

/* ---- init-checkconf ---- */

static int
check_file_main(int argc, const char **argv)
{
	const char *file = NULL;

	log_set_program("init-checkconf");
	for (int i = 1; i < argc; i++)
		if (argv[i][0] != '-')
			file = argv[i];
	if (!file) {
		fprintf(stderr, "init-checkconf: missing job file\n"
			"Usage: init-checkconf FILE\n");
		return 1;
	}
	if (conf_check_file(file) < 0)
		return 1;
	printf("File %s: syntax ok\n", file);
	return 0;
}

static void
free_everything(void)
{
	plugins_free();
	uevent_source_stop();
	file_source_free_all();
	socket_source_free_all();
	control_close();
	conf_free();
	registry_free();
	job_log_free_all();
	job_env_free();
	cgroup_teardown();
	job_process_set_socket(NULL);
	options_free(&opts);
	if (signal_fd >= 0)
		close(signal_fd);
}

/* ---- setting up ---- */

static int
setup_control(void)
{
	char *socket_path = proto_socket_path(opts.socket, opts.user);
	int ret = 0;

	if (!socket_path || control_listen(socket_path) < 0) {
		log_error("Unable to listen on %s: %s", socket_path ? socket_path : "?",
			  strerror(errno));
		ret = -1;
	}
	/* Jobs find the socket through UPINIT_SOCKET when it is not the
	 * system one (initctl inside a job of a user init). */
	if (socket_path && (opts.user || strcmp(socket_path, PROTO_SYSTEM_SOCKET)))
		job_process_set_socket(socket_path);
	free(socket_path);
	return ret;
}

static bool
called_as(const char *argv0, const char *name)
{
	const char *base = strrchr(argv0, '/');

	return !strcmp(base ? base + 1 : argv0, name);
}

/* A cgroup per job instance (init/cgroup.h), unless --no-cgroups.  PID 1
 * mounts the hierarchy if no one has; a user init needs a subtree
 * delegated to it. */
static void
setup_cgroups(bool pid1)
{
	if (opts.no_cgroups) {
		log_msg(LOG_PRIO_MESSAGE, "No cgroups (--no-cgroups): jobs are tracked by process group only");
		return;
	}
	cgroup_setup(pid1 && !opts.user, opts.user);
}

bool
init_argv_is_daemon(int argc, char **argv)
{
	return getpid() == 1 || called_as(argv[0], "init-checkconf") ||
	       has_daemon_flag(argc, argv);
}

int
init_main(int argc, char **argv, const InitPlugin *const *with)
{
	const struct poptOption *extra[OPTIONS_MAX_EXTRA + 1] = { NULL };
	bool pid1 = getpid() == 1;
	size_t n = 0;
	int rc;

	if (called_as(argv[0], "init-checkconf"))
		return check_file_main(argc, (const char **)argv);
	/* A builtin's child renames itself (job_process.h) in the space of
	 * init's own arguments and environment, which libbsd sets aside. */
	setproctitle_init(argc, argv, environ);
	plugins = with;
	FOREACH_PLUGIN(p)
		if ((*p)->options && n < OPTIONS_MAX_EXTRA)
			extra[n++] = (*p)->options;
	if ((rc = options_parse(&opts, argc, argv, extra)))
		return rc < 0 ? 1 : 0;
	if (apply_options() < 0)
		return 1;

	/* ---- acquire everything; from here on failures are logged ---- */
	if (pid1) {
		crash_setup(argv);
		system_boot_setup();
		system_raise_nofile();
		/* In a container the console is ours and the kernel's log is
		 * the host's: messages go to the console there. */
		if (!system_in_container()) {
			log_use_kmsg(1);
			system_keyboard_signals();
		}
	} else {
		prctl(PR_SET_CHILD_SUBREAPER, 1);
	}
	if (loop_init() < 0 || setup_signals() < 0) {
		fprintf(stderr, "init: unable to set up the main loop: %s\n", strerror(errno));
		return 1;
	}
	job_env_init(opts.user);
	event_sources_init(opts.user);
	job_process_set_user_mode(opts.user);
	control_set_user_mode(opts.user);
	control_set_owner(getuid());
	control_set_private(opts.user && !opts.open_socket);
	control_set_program(argv[0]);
	control_set_reload_hook(reload_configuration);
	control_set_reexec_hook(reexec);
	control_commands_register();
	history_set_resolver(job_record_of_pid);
	set_log_dir();
	/* A user init owns its log directory; the system one is the
	 * distribution's, and may not be writable yet. */
	if (opts.user)
		mkdir_p(job_log_dir(), 0755);
	add_default_confdirs();
	plugins_setup(pid1);
	registry_set_source(conf_best);
	/* A restore watches the job directories through the previous
	 * image's inotify descriptor (conf_watch_adopt); else a new one,
	 * before they are read, so that no change falls in between. */
	if (opts.restart && opts.state_fd >= 0 && state_restore(opts.state_fd) == 0) {
		log_info("Restored state after re-exec");
		if (!state_cgroup_restored())
			setup_cgroups(pid1);
		/* Children that ended while we were exec'ing. */
		job_process_reap();
		trim_later();
		/* Control requests that arrived during the exec have waited
		 * longest: they are served before the first event slice
		 * (respawns of what ended meanwhile: ~2 ms under load). */
		loop_run_once(0);
	} else {
		timeline_init(opts.user);
		if (setup_control() < 0 && opts.user)
			return 1;
		setup_cgroups(pid1);
		conf_watch();
		conf_reload();
		if (opts.restart)
			log_warn("Re-executed without state");
		else {
			plugins_boot();
			if (!opts.no_startup_event)
				event_new(opts.startup_event ? opts.startup_event : "startup", NULL);
		}
	}
	/* Device events, as upstart-udev-bridge gave them, for the system
	 * init only.  After a re-exec too: the socket did not survive it. */
	if (pid1 && !opts.user)
		uevent_source_start();

	/* ---- the loop: never leaves as PID 1 ---- */
	while (!exit_requested || pid1) {
		bool more;

		/* Sockets and file watches follow the jobs loaded: made
		 * before the events that could need them are handled. */
		event_sources_sync();
		more = event_poll_for(EVENT_SLICE_MS);

		/* Until the boot has settled, look whenever no event is
		 * pending (init/timeline.h).  Events may stay handled for
		 * long: a half-matched `start on` holds its events. */
		if (!more && timeline_waiting())
			timeline_check(job_any_busy());
		loop_run_once(more ? 0 : -1);
	}
	free_everything();
	return 0;
}
