/* rc_main — upinit-rc, the program: runs a runlevel change's SysV
 * scripts, in parallel.  See rc_main.h.
 *
 *   upinit-rc [OPTION]... RUNLEVEL
 *
 * What Debian's /etc/init.d/rc and startpar do together, in one program
 * (see upinit-rc(8)): the K scripts, then the S scripts of
 * /etc/rcRUNLEVEL.d, chosen as rc chooses them (PREVLEVEL from the
 * environment, N at boot), each started as soon as the scripts it comes
 * after have ended, ordered by insserv's .depend files, by the scripts'
 * LSB headers when there are none, one at a time in name order under
 * /etc/init.d/.legacy-bootordering or concurrency=none on the kernel
 * command line.  The rc job runs it (jobs/rc/rc.conf).  Exit status 0,
 * like rc, once everything ran; 1 only for a bad command line.
 *
 * When init answers on its control socket (and not --local), each script
 * is the job sysv/NAME: the runner asks init to start or stop it, and
 * init runs it as the job's pre-start or post-stop through
 *
 *   upinit-rc [--etc DIR] [--logdir DIR] --job start|stop [--interactive] NAME
 *
 * which runs the one script as the runner would (terminal, whole output,
 * log) and exits with its status (7 from a stop counts as 0).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rc/rc_main.h"

#include "lib/cli.h"
#include "lib/fsutil.h"
#include "lib/proto.h"
#include "lib/strlist.h"
#include "rc/rc_drain.h"
#include "rc/rc_run.h"
#include "sysv/insserv_conf.h"
#include "sysv/lsb_header.h"
#include "sysv/rc_facility.h"
#include "sysv/rc_lsb.h"
#include "sysv/rc_plan.h"
#include "sysv/rc_sched.h"

#define MAX_FILE (1 << 20)
/* The jobs stopped before sendsigs get the kill timeout (5 s by default)
 * before SIGKILL; init answers once each cgroup is empty. */
#define DRAIN_TIMEOUT_MS 30000

enum { OPT_ETC = 1, OPT_LIMIT, OPT_LOGDIR, OPT_JOB, OPT_INTERACTIVE, OPT_LOCAL,
       OPT_EMITTED, OPT_HELP, OPT_VERSION };

static struct {
	const char *etc;
	const char *logdir;
	size_t      limit;
	char        run;
	const char *job_action;   /* --job: "start" or "stop" */
	const char *job_name;
	bool        interactive;
	bool        local;
	const char *emitted;      /* --emitted: the facility events sent */
} opts = { .etc = "/etc", .logdir = "/var/log/upstart" };

static const struct poptOption options[] = {
	{ "etc", 0, POPT_ARG_STRING, NULL, OPT_ETC,
	  "read rcN.d, init.d and insserv.conf below DIR (default /etc)", "DIR" },
	{ "limit", 0, POPT_ARG_STRING, NULL, OPT_LIMIT,
	  "run at most N scripts at once (default: by memory)", "N" },
	{ "logdir", 0, POPT_ARG_STRING, NULL, OPT_LOGDIR,
	  "append each script's output to DIR/sysv-NAME.log", "DIR" },
	{ "local", 0, POPT_ARG_NONE, NULL, OPT_LOCAL,
	  "run the scripts here, not as init's sysv/NAME jobs", NULL },
	{ "emitted", 0, POPT_ARG_STRING, NULL, OPT_EMITTED,
	  "in rcS, send no facility event FILE lists; append each one sent", "FILE" },
	{ "job", 0, POPT_ARG_STRING, NULL, OPT_JOB,
	  "run one script, NAME, with ACTION (start or stop), as its job does", "ACTION" },
	{ "interactive", 0, POPT_ARG_NONE, NULL, OPT_INTERACTIVE,
	  "with --job: the script talks to the terminal directly", NULL },
	{ "help", 0, POPT_ARG_NONE, NULL, OPT_HELP, "display this help and exit", NULL },
	{ "version", 0, POPT_ARG_NONE, NULL, OPT_VERSION,
	  "output version information and exit", NULL },
	POPT_TABLEEND
};

static char *etc_copy, *logdir_copy, *name_copy, *emitted_copy;

static CliParseResult
on_option(void *data, int id, const char *arg)
{
	char *end;
	unsigned long n;

	switch (id) {
	case OPT_ETC:
		free(etc_copy);
		opts.etc = etc_copy = strdup(arg);
		return CLI_PARSE_OK;
	case OPT_LOGDIR:
		free(logdir_copy);
		opts.logdir = logdir_copy = strdup(arg);
		return CLI_PARSE_OK;
	case OPT_LIMIT:
		n = strtoul(arg, &end, 10);
		if (*arg < '0' || *arg > '9' || *end || n > 100000) {
			cli_usage_error("illegal argument: %s", arg);
			return CLI_PARSE_ERROR;
		}
		opts.limit = n;
		return CLI_PARSE_OK;
	case OPT_JOB:
		if (strcmp(arg, "start") && strcmp(arg, "stop")) {
			cli_usage_error("illegal action: %s", arg);
			return CLI_PARSE_ERROR;
		}
		opts.job_action = !strcmp(arg, "start") ? "start" : "stop";
		return CLI_PARSE_OK;
	case OPT_EMITTED:
		free(emitted_copy);
		opts.emitted = emitted_copy = strdup(arg);
		return CLI_PARSE_OK;
	case OPT_INTERACTIVE:
		opts.interactive = true;
		return CLI_PARSE_OK;
	case OPT_LOCAL:
		opts.local = true;
		return CLI_PARSE_OK;
	case OPT_HELP:
		return CLI_PARSE_HELP;
	case OPT_VERSION:
		return CLI_PARSE_VERSION;
	default:
		return CLI_PARSE_ERROR;
	}
}

static bool
on_arg(void *data, const char *arg)
{
	if (opts.job_action) {
		if (opts.job_name) {
			cli_usage_error("unexpected argument: %s", arg);
			return false;
		}
		/* popt's arguments go with its context. */
		free(name_copy);
		opts.job_name = name_copy = strdup(arg);
		return opts.job_name != NULL;
	}
	if (opts.run) {
		cli_usage_error("unexpected argument: %s", arg);
		return false;
	}
	if (strlen(arg) != 1 || !strchr("0123456Ss", arg[0])) {
		cli_usage_error("illegal runlevel: %s", arg);
		return false;
	}
	opts.run = arg[0] == 's' ? 'S' : arg[0];
	return true;
}

/* ---- which order ---- */

static bool
file_nonempty(const char *dir, const char *name)
{
	char path[8192];
	struct stat st;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	return stat(path, &st) == 0 && st.st_size > 0;
}

/* rc's test: one at a time under .legacy-bootordering or with
 * concurrency=none among the kernel's words. */
static bool
legacy_wanted(const char *initd)
{
	const char *cmdline = getenv("UPINIT_CMDLINE");
	char path[8192], *text;
	size_t len;
	bool none = false;

	snprintf(path, sizeof path, "%s/.legacy-bootordering", initd);
	if (access(path, F_OK) == 0)
		return true;
	if ((text = read_regular_file(cmdline ? cmdline : "/proc/cmdline", MAX_FILE, &len))) {
		for (char *w = strtok(text, " \t\n"); w && !none; w = strtok(NULL, " \t\n"))
			none = !strcmp(w, "concurrency=none");
		free(text);
	}
	return none;
}

static RcDepend *
depend_file(const char *initd, const char *mode)
{
	char path[8192], *text;
	size_t len;
	RcDepend *g;

	snprintf(path, sizeof path, "%s/.depend.%s", initd, mode);
	if (!(text = read_regular_file(path, MAX_FILE, &len)))
		return NULL;
	g = rc_depend_parse(text, len);
	free(text);
	for (size_t i = 0; g && i < g->messages.len; i++)
		cli_error("%s: %s", path, g->messages.items[i]);
	return g;
}

/* insserv.conf and the files of insserv.conf.d. */
static void
load_insserv_conf(InsservConf *conf)
{
	char path[8192], *text;
	struct dirent **list = NULL;
	size_t len;
	int n;

	snprintf(path, sizeof path, "%s/insserv.conf", opts.etc);
	if ((text = read_regular_file(path, MAX_FILE, &len)))
		insserv_conf_parse(conf, text, len);
	free(text);
	text = NULL;   /* the loop below frees it for every entry */
	snprintf(path, sizeof path, "%s/insserv.conf.d", opts.etc);
	n = scandir(path, &list, NULL, alphasort);
	for (int i = 0; i < n; i++) {
		char file[8192 + 512];

		snprintf(file, sizeof file, "%s/%s", path, list[i]->d_name);
		if (list[i]->d_name[0] != '.' && (text = read_regular_file(file, MAX_FILE, &len)))
			insserv_conf_parse(conf, text, len);
		free(text);
		text = NULL;
		free(list[i]);
	}
	free(list);
}

/* The scripts of init.d with their headers; false when none has one. */
typedef struct scripts {
	RcScript  *v;
	LsbHeader *headers;
	size_t     n;
} Scripts;

static bool
load_scripts(const char *initd, Scripts *s)
{
	struct dirent **list = NULL;
	bool any = false;
	int n = scandir(initd, &list, NULL, alphasort);

	memset(s, 0, sizeof *s);
	if (n <= 0 || !(s->v = calloc((size_t)n, sizeof *s->v)) ||
	    !(s->headers = calloc((size_t)n, sizeof *s->headers))) {
		for (int i = 0; i < n; i++)
			free(list[i]);
		free(list);
		return false;
	}
	for (int i = 0; i < n; i++) {
		const char *name = list[i]->d_name;
		char path[8192], *text;
		size_t len;

		snprintf(path, sizeof path, "%s/%s", initd, name);
		if (name[0] != '.' && strcmp(name, "README") && strcmp(name, "rc") &&
		    strcmp(name, "rcS") && strcmp(name, "skeleton") && !strstr(name, ".dpkg-") &&
		    (text = read_regular_file(path, MAX_FILE, &len))) {
			if (lsb_header_parse(text, len, &s->headers[s->n]) == 0) {
				any |= s->headers[s->n].found;
				s->v[s->n] = (RcScript){ strdup(name), &s->headers[s->n] };
				s->n++;
			}
			free(text);
		}
		free(list[i]);
	}
	free(list);
	return any;
}

static RcDepend *
lsb_graph(const Scripts *s, const InsservConf *conf, RcLsbMode mode)
{
	char *text = rc_lsb_depend_text(s->v, s->n, conf, mode);
	RcDepend *g = text ? rc_depend_parse(text, strlen(text)) : NULL;

	free(text);
	return g;
}

/* ---- the scripts' environment ---- */

/* VERBOSE as /etc/default/rcS sets it (rc sources the file and exports
 * VERBOSE). */
static void
verbose_from_rcs(void)
{
	char cmd[4200], value[64] = "";
	FILE *p;

	snprintf(cmd, sizeof cmd,
		 "f='%s/default/rcS'; [ -r \"$f\" ] && . \"$f\" >/dev/null 2>&1; "
		 "[ \"${VERBOSE+set}\" ] && printf 'set:%%s' \"$VERBOSE\"", opts.etc);
	if (!(p = popen(cmd, "r")))
		return;
	if (fgets(value, sizeof value, p) && !strncmp(value, "set:", 4))
		setenv("VERBOSE", value + 4, 1);
	pclose(p);
}

/* What rc gives its scripts: its PATH, runlevel and previous exported,
 * umask 022; startpar adds LINES and COLUMNS when it knows them. */
static void
script_environment(char prev)
{
	char level[2] = { opts.run, 0 }, previous[2] = { prev, 0 };
	struct winsize ws;

	setenv("PATH", "/sbin:/usr/sbin:/bin:/usr/bin", 1);
	setenv("runlevel", level, 1);
	setenv("previous", previous, 1);
	verbose_from_rcs();
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row && ws.ws_col) {
		char n[16];

		snprintf(n, sizeof n, "%u", ws.ws_row);
		setenv("LINES", n, 1);
		snprintf(n, sizeof n, "%u", ws.ws_col);
		setenv("COLUMNS", n, 1);
	}
	umask(022);
}

/* ---- init's part ---- */

/* init's control socket when init is there to run the scripts as jobs:
 * it answered rc-scan (and so defined the sysv/NAME jobs anew).  NULL
 * otherwise: the scripts run here. */
static char *
init_socket(void)
{
	char *path = proto_socket_path(NULL, false);
	struct json_object *msg = proto_request_new("rc-scan"), *reply = NULL, *status;
	int fd = path ? proto_connect(path) : -1;
	bool ok = false;

	if (msg && fd >= 0 && proto_send(fd, msg, 0) == 0 && proto_recv_reply(fd, &reply) == 1 &&
	    proto_reply_valid(reply) && json_object_object_get_ex(reply, "status", &status))
		ok = json_object_get_int(status) == 0;
	json_object_put(msg);
	json_object_put(reply);
	if (fd >= 0)
		close(fd);
	if (!ok) {
		free(path);
		return NULL;
	}
	return path;
}

/* ---- facility events during rcS ---- */

/* `line` is one of the lines of `text`. */
static bool
has_line(const char *text, const char *line)
{
	size_t n = strlen(line);

	for (const char *p = text; *p; p++) {
		if (!strncmp(p, line, n) && (p[n] == '\n' || p[n] == '\0'))
			return true;
		if (!(p = strchr(p, '\n')))
			break;
	}
	return false;
}

/* The --emitted file, open for appending and locked (flock, at most
 * about 10 s of waiting), or -1 when it cannot be opened.  Sets *sent
 * when `line` is in it already.  ifupdown's hook
 * (/etc/network/if-up.d/upinit) sends net-device-up IFACE=lo and
 * static-network-up when ifup has brought the interfaces up, which is
 * before the step that provides $network ends, and lists them here;
 * rc-sysinit does the same after rcS.  Whoever comes first sends the
 * event, under the lock, and the others find it listed. */
static int
emitted_open(const char *line, bool *sent)
{
	int fd = open(opts.emitted, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	char *text;

	*sent = false;
	if (fd < 0)
		return -1;
	for (int i = 0; i < 1000 && flock(fd, LOCK_EX | LOCK_NB) < 0; i++) {
		if (errno != EWOULDBLOCK && errno != EINTR)
			break;
		usleep(10000);
	}
	if ((text = read_fd_all(fd, MAX_FILE, NULL))) {
		*sent = has_line(text, line);
		free(text);
	}
	return fd;
}

/* One event line ("net-device-up IFACE=lo") to init, without waiting for
 * the jobs it starts (an rcS script may wait for one of them), unless the
 * --emitted file lists it already; then to that file, for rc-sysinit
 * and ifupdown's hook. */
static void
emit_event(const char *line, void *data)
{
	const char *socket = data;
	struct json_object *msg, *env, *reply = NULL;
	char *copy, *name, *word, *save = NULL;
	int fd, record = -1;
	bool sent = false;

	if (opts.emitted)
		record = emitted_open(line, &sent);
	if (sent) {
		close(record);
		return;
	}
	msg = proto_request_new("emit");
	env = json_object_new_array();
	copy = strdup(line);
	if (!copy || !msg) {
		free(copy);
		json_object_put(msg);
		json_object_put(env);
		if (record >= 0)
			close(record);
		return;
	}
	name = strtok_r(copy, " ", &save);
	while ((word = strtok_r(NULL, " ", &save)))
		json_object_array_add(env, json_object_new_string(word));
	proto_add_member(msg, "event", json_object_new_string(name));
	proto_add_member(msg, "env", env);
	proto_add_member(msg, "wait", json_object_new_boolean(false));
	if ((fd = proto_connect(socket)) >= 0) {
		if (proto_send(fd, msg, 0) == 0 && proto_recv_reply(fd, &reply) == 1 &&
		    record >= 0)
			dprintf(record, "%s\n", line);
		close(fd);
	}
	if (record >= 0)
		close(record);
	json_object_put(reply);
	json_object_put(msg);
	free(copy);
}

/* The facilities of one phase, and what its scripts provide. */
typedef struct phase_facilities {
	RcFacilities  f;
	LsbHeader    *headers;
	StrList     **provides;
	size_t        n;
	const char   *socket;
} PhaseFacilities;

static void
facility_step_ended(size_t i, void *data)
{
	PhaseFacilities *pf = data;

	rc_facilities_step_ended(&pf->f, i, emit_event, (void *)pf->socket);
}

static void
phase_facilities_free(PhaseFacilities *pf)
{
	rc_facilities_free(&pf->f);
	for (size_t i = 0; i < pf->n; i++)
		lsb_header_free(&pf->headers[i]);
	free(pf->headers);
	free(pf->provides);
	memset(pf, 0, sizeof *pf);
}

static int
phase_facilities_init(PhaseFacilities *pf, const RcPhase *phase, const InsservConf *conf,
		      const char *initd, const char *socket)
{
	memset(pf, 0, sizeof *pf);
	pf->socket = socket;
	if (!(pf->headers = calloc(phase->len + 1, sizeof *pf->headers)) ||
	    !(pf->provides = calloc(phase->len + 1, sizeof *pf->provides))) {
		phase_facilities_free(pf);
		return -1;
	}
	pf->n = phase->len;
	for (size_t i = 0; i < phase->len; i++) {
		char path[8192], *text;
		size_t len;

		snprintf(path, sizeof path, "%s/%s", initd, phase->steps[i].name);
		if (!(text = read_regular_file(path, MAX_FILE, &len)))
			continue;
		if (lsb_header_parse(text, len, &pf->headers[i]) == 0 && pf->headers[i].found)
			pf->provides[i] = &pf->headers[i].provides;
		free(text);
	}
	if (rc_facilities_init(&pf->f, phase, conf, (const StrList *const *)pf->provides) < 0) {
		phase_facilities_free(pf);
		return -1;
	}
	return 0;
}

/* What each job request carries: the variables the scripts get from rc
 * (script_environment) and from the rc job. */
static char **
job_environment(void)
{
	static const char *const names[] = {
		"RUNLEVEL", "PREVLEVEL", "runlevel", "previous", "VERBOSE", "LINES", "COLUMNS",
	};
	static char *env[sizeof names / sizeof names[0] + 1];
	size_t n = 0;

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		const char *v = getenv(names[i]);

		if (v && asprintf(&env[n], "%s=%s", names[i], v) >= 0)
			n++;
	}
	env[n] = NULL;
	return env;
}

/* upinit-rc --job ACTION NAME: one script, as its job's pre-start or
 * post-stop.  Returns the exit status. */
static int
run_job(void)
{
	char initd[4096], path[4200], *link = NULL;
	const char *given = getenv("UPINIT_RC_LINK"), *for_action = getenv("UPINIT_RC_ACTION");
	/* The runner's variables count when they were sent for this action:
	 * a stop by hand still sees those of the runner's start. */
	bool from_runner = for_action && !strcmp(for_action, opts.job_action);
	RcStep step = { .action = opts.job_action, .interactive = opts.interactive };
	RcPhase phase = { .steps = &step, .len = 1 };
	RcRunResult result = { 0 };
	int code;

	snprintf(initd, sizeof initd, "%s/init.d", opts.etc);
	snprintf(path, sizeof path, "%s/%s", initd, opts.job_name);
	/* $0 is the rc link when the runner asked, the script otherwise. */
	if (from_runner && given && *given)
		link = strdup(given);
	unsetenv("UPINIT_RC_LINK");
	unsetenv("UPINIT_RC_ACTION");
	step.name = (char *)opts.job_name;
	step.path = link ? link : path;
	setenv("PATH", "/sbin:/usr/sbin:/bin:/usr/bin", 1);
	umask(022);
	{
		RcRunOptions ro = {
			.limit = 1,
			.initd = initd,
			.logdir = access(opts.logdir, W_OK) == 0 ? opts.logdir : NULL,
			.envp = environ,
			/* Other jobs may be writing to the console: only
			 * whole outputs, or a slow script's after 20 s. */
			.hold = true,
		};

		if (rc_run_phase(&phase, &ro, &result) < 0)
			result.last_code = 1;
	}
	code = result.last_code;
	if (code == 7 && !strcmp(opts.job_action, "stop"))
		code = 0;    /* "not running" is stopped */
	rc_run_result_free(&result);
	free(link);
	return code;
}

/* Scripts that signal every process outside their own session
 * (killprocs in rc1.d, sendsigs in rc0.d and rc6.d call killall5) were
 * written to run in rc's session, which killall5 spares.  Run as jobs,
 * each in a session of its own, they would kill the runner and the rest
 * of the runlevel change with it; so the runner runs them itself. */
/* Does step `i` end a chain: it comes after some step, and none comes
 * after it (halt after umountroot after umountfs after ...)?  Not merely
 * "nothing comes after it": Debian 13's rc.local has no stop order at all
 * in rc0. */
static bool
last_step(const RcPhase *phase, size_t i)
{
	if (!phase->steps[i].nafter)
		return false;
	for (size_t k = 0; k < phase->len; k++)
		for (size_t a = 0; a < phase->steps[k].nafter; a++)
			if (phase->steps[k].after[a] == i)
				return false;
	return true;
}

/* On the way down (0 and 6), the steps that end the phase (halt, reboot)
 * are ours too: the machine stops right after its last words, which are
 * shown as they come once it runs alone, as under startpar. */
static void
mark_local_steps(RcPlan *plan, const char *initd)
{
	for (size_t p = 0; p < plan->nphases; p++) {
		for (size_t i = 0; i < plan->phases[p].len; i++) {
			RcStep *step = &plan->phases[p].steps[i];
			char path[8192], *text;
			size_t len;

			if (rc_level_halts(plan->run) && last_step(&plan->phases[p], i)) {
				step->local = true;
				continue;
			}

			snprintf(path, sizeof path, "%s/%s", initd, step->name);
			if ((text = read_regular_file(path, MAX_FILE, &len))) {
				step->local = step->kills_all =
					memmem(text, len, "killall5", 8) != NULL;
				free(text);
			}
		}
	}
}

/* On the way down, before sendsigs: what is left of the SysV daemons
 * goes with their cgroups (rc_drain.h). */
typedef struct drain_at_halt {
	const char   *socket;
	const RcPlan *plan;
} DrainAtHalt;

static void
drain_before_kill_all(void *data)
{
	const DrainAtHalt *d = data;

	rc_drain_jobs(d->socket, d->plan, "/run/sendsigs.omit.d", DRAIN_TIMEOUT_MS);
}

static void
report(const char *what, const StrList *names)
{
	char line[4096] = "";

	if (!names->len)
		return;
	for (size_t i = 0; i < names->len; i++) {
		strlcat(line, i ? " " : "", sizeof line);
		strlcat(line, names->items[i], sizeof line);
	}
	cli_error("%s: %s", what, line);
}

bool
rc_main_is_job(char *const *argv)
{
	for (char *const *a = argv; *a; a++)
		if (!strcmp(*a, "--job") || !strncmp(*a, "--job=", 6))
			return true;
	return false;
}

int
rc_main(int argc, char **argv)
{
	char initd[4096], prev;
	const char *prevlevel = getenv("PREVLEVEL");
	RcDir run_dir, prev_dir;
	RcDepend *boot = NULL, *start = NULL, *stop = NULL;
	InsservConf conf = INSSERV_CONF_INIT;
	Scripts scripts = { 0 };
	RcSources src = { .order = RC_ORDER_DEPEND };
	RcPlan plan;
	RcRunResult result = { 0 };
	CliParseResult parsed;
	char *socket = NULL, **job_env = NULL;
	int code;

	cli_init(argv[0]);
	parsed = cli_parse(options, argc, (const char **)argv, false, on_option, on_arg, NULL);
	if (parsed == CLI_PARSE_HELP) {
		cli_print_help("RUNLEVEL", "Run the SysV scripts of a runlevel change, in parallel.",
			       options, NULL);
		return 0;
	}
	if (parsed == CLI_PARSE_VERSION) {
		cli_print_version();
		return 0;
	}
	if (parsed != CLI_PARSE_OK)
		return 1;
	if (opts.job_action) {
		if (!opts.job_name) {
			cli_usage_error("missing script name");
			return 1;
		}
		code = run_job();
		free(name_copy);
		free(etc_copy);
		free(logdir_copy);
		return code;
	}
	if (!opts.run) {
		cli_usage_error("missing runlevel");
		return 1;
	}
	prev = prevlevel && strlen(prevlevel) == 1 && strchr("0123456Ss", prevlevel[0])
	       ? (prevlevel[0] == 's' ? 'S' : prevlevel[0]) : 'N';
	snprintf(initd, sizeof initd, "%s/init.d", opts.etc);

	if (legacy_wanted(initd)) {
		src.order = RC_ORDER_LEGACY;
	} else if (file_nonempty(initd, ".depend.boot") && file_nonempty(initd, ".depend.start") &&
		   file_nonempty(initd, ".depend.stop")) {
		boot = depend_file(initd, "boot");
		start = depend_file(initd, "start");
		stop = depend_file(initd, "stop");
	} else if (load_scripts(initd, &scripts)) {
		load_insserv_conf(&conf);
		boot = start = lsb_graph(&scripts, &conf, RC_LSB_START);
		stop = lsb_graph(&scripts, &conf, RC_LSB_STOP);
	} else {
		src.order = RC_ORDER_LEGACY;     /* no headers: the numbers */
	}
	src.boot = boot;
	src.start = start;
	src.stop = stop;

	if (rc_dir_scan(opts.etc, opts.run, &run_dir) < 0 ||
	    (prev != 'N' && rc_dir_scan(opts.etc, prev, &prev_dir) < 0)) {
		cli_error("%s/rc%c.d: %s", opts.etc, opts.run, strerror(errno));
		return 0;
	}
	src.run_dir = &run_dir;
	src.prev_dir = prev != 'N' ? &prev_dir : NULL;
	if (rc_plan_build(&src, prev, opts.run, &plan) < 0) {
		cli_error("%s", strerror(ENOMEM));
		return 0;
	}
	/* What rc says as it starts the scripts of a level (its
	 * log_action_msg): the console shows when each level began. */
	if (src.order != RC_ORDER_LEGACY) {
		printf("Using upinit-rc concurrent boot in runlevel %c.\n", opts.run);
		fflush(stdout);
	}
	script_environment(prev);
	/* The scripts run here are run by an rc: the LSB hook of
	 * init-functions.d must not hand them to their jobs. */
	setenv("UPINIT_RC_LOCAL", "1", 1);
	if (!opts.local && (socket = init_socket())) {
		job_env = job_environment();
		mark_local_steps(&plan, initd);
	}
	{
		DrainAtHalt drain = { socket, &plan };
		RcRunOptions ro = {
			.socket = socket,
			.job_env = job_env,
			.limit = opts.limit ? opts.limit : rc_sched_default_limit(NULL),
			.initd = initd,
			.logdir = access(opts.logdir, W_OK) == 0 ? opts.logdir : NULL,
			.envp = environ,
			.before_kill_all = socket && rc_level_halts(plan.run) ?
					   drain_before_kill_all : NULL,
			.kill_all_data = &drain,
		};

		/* rcS through init: facility events as soon as they hold. */
		bool facilities = socket && opts.run == 'S';

		if (facilities && !conf.len)
			load_insserv_conf(&conf);
		for (size_t p = 0; p < plan.nphases; p++) {
			PhaseFacilities pf;
			bool watched = facilities &&
				       phase_facilities_init(&pf, &plan.phases[p], &conf,
							     initd, socket) == 0;

			ro.ended = watched ? facility_step_ended : NULL;
			ro.ended_data = watched ? &pf : NULL;
			rc_run_phase(&plan.phases[p], &ro, &result);
			if (watched)
				phase_facilities_free(&pf);
		}
	}
	report("service(s) returned failure", &result.failed);
	report("service(s) skipped, program is not installed", &result.not_installed);
	report("service(s) skipped, program is not configured", &result.not_configured);

	rc_run_result_free(&result);
	rc_plan_free(&plan);
	rc_dir_free(&run_dir);
	if (prev != 'N')
		rc_dir_free(&prev_dir);
	if (start != boot)
		rc_depend_free(start);
	rc_depend_free(boot);
	rc_depend_free(stop);
	insserv_conf_free(&conf);
	for (size_t i = 0; i < scripts.n; i++) {
		free((char *)scripts.v[i].name);
		lsb_header_free(&scripts.headers[i]);
	}
	free(scripts.v);
	free(scripts.headers);
	for (char **e = job_env; e && *e; e++)
		free(*e);
	free(socket);
	free(emitted_copy);
	free(etc_copy);
	free(logdir_copy);
	return 0;
}
