/* job_process — spawning, signalling and reaping.  See job_process.h. */
#include "init/job_process.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <stdio_ext.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/sched.h>
#include <unistd.h>

#include "init/cgroup.h"
#include "init/cgroup_limits.h"
#include "init/history.h"
#include "lib/fsutil.h"
#include "init/job_log.h"
#include "init/log.h"
#include "init/loop.h"
#include "lib/signame.h"

/* Characters that make an `exec` line go through the shell (Upstart's). */
#define SHELL_CHARS "~`!$^&*()=|\\{}[];\"'<>?"
#define SCRIPT_FD 9

static bool user_mode;
static char *socket_path;
static void (*launched_hook)(const Job *job, pid_t pid);
static void (*reaped_hook)(pid_t pid);
static const JobBuiltin *builtin;
static struct rlimit job_nofile;
static bool job_nofile_set;

void
job_process_set_hooks(void (*launched)(const Job *job, pid_t pid),
		      void (*reaped)(pid_t pid))
{
	launched_hook = launched;
	reaped_hook = reaped;
}

void job_process_set_user_mode(bool enable) { user_mode = enable; }
void job_process_set_builtin(const JobBuiltin *b) { builtin = b; }

void
job_process_set_nofile(const struct rlimit *limit)
{
	job_nofile = *limit;
	job_nofile_set = true;
}

bool
job_process_get_nofile(struct rlimit *limit)
{
	if (job_nofile_set)
		*limit = job_nofile;
	return job_nofile_set;
}

void
job_process_set_socket(const char *path)
{
	free(socket_path);
	socket_path = path ? strdup(path) : NULL;
}

/* ---- the setup report a child sends when a step fails ---- */

typedef enum spawn_step {
	STEP_CONSOLE, STEP_RLIMIT, STEP_PRIORITY, STEP_OOM, STEP_CHROOT,
	STEP_CHDIR, STEP_PTRACE, STEP_EXEC, STEP_SETUID, STEP_SETGID,
	STEP_NO_USER, STEP_NO_GROUP, STEP_INITGROUPS, STEP_SIGNALS, STEP_SCRIPT,
	STEP_SESSION, STEP_CGROUP, STEP_SOCKETS,
} SpawnStep;

typedef struct spawn_report {
	int step;
	int err;
} SpawnReport;

static const char *const step_text[] = {
	[STEP_CONSOLE] = "unable to open console",
	[STEP_RLIMIT] = "unable to set resource limit",
	[STEP_PRIORITY] = "unable to set priority",
	[STEP_OOM] = "unable to set oom adjustment",
	[STEP_CHROOT] = "unable to change root directory",
	[STEP_CHDIR] = "unable to change working directory",
	[STEP_PTRACE] = "unable to set trace",
	[STEP_EXEC] = "unable to execute",
	[STEP_SETUID] = "unable to set user",
	[STEP_SETGID] = "unable to set group",
	[STEP_NO_USER] = "unable to find setuid user",
	[STEP_NO_GROUP] = "unable to find setgid group",
	[STEP_INITGROUPS] = "unable to initgroups",
	[STEP_SIGNALS] = "unable to reset signal handlers",
	[STEP_SCRIPT] = "unable to pass script",
	[STEP_SESSION] = "unable to start a new session",
	[STEP_CGROUP] = "unable to join its cgroup",
	[STEP_SOCKETS] = "unable to pass its sockets",
};

/* In the child: report the failed step and die.  Only async-signal-safe
 * calls from here on. */
static void __attribute__((noreturn))
child_fail(int report_fd, SpawnStep step, int err)
{
	SpawnReport r = { .step = step, .err = err };

	if (write(report_fd, &r, sizeof r) < 0) {
		/* Nothing left to tell it with. */
	}
	_exit(255);
}

/* ---- building what the child needs, in the parent ---- */

typedef struct spawn_plan {
	char       **argv;
	EnvList      env;
	int          script_fd;   /* memfd holding a multi-line script, or -1 */
	int          console_fd;  /* pty slave for `console log`, or -1 */
	ConsoleType  console;
	int          cgroup_dir;  /* the instance's cgroup for clone3, or -1 */
	int          cgroup_procs; /* its cgroup.procs, for the child, or -1 */
	int          joins[CGROUP_LIMITS_MAX_JOINS]; /* v1 cgroup.procs (`cgroup`) */
	size_t       njoins;
	/* The main process's listening sockets (init's descriptors, not
	 * the plan's), for descriptors 3, 4, ... */
	int          sockets[SOCKET_SET_MAX];
	size_t       nsockets;
	char        *listen_pid;  /* the value of LISTEN_PID in `env`: room
				     for any pid, which the child writes */
} SpawnPlan;

static void
plan_free(SpawnPlan *plan)
{
	if (plan->argv) {
		for (char **a = plan->argv; *a; a++)
			free(*a);
		free(plan->argv);
	}
	env_clear(&plan->env);
	if (plan->script_fd >= 0)
		close(plan->script_fd);
	if (plan->console_fd >= 0)
		close(plan->console_fd);
	if (plan->cgroup_dir >= 0)
		close(plan->cgroup_dir);
	if (plan->cgroup_procs >= 0)
		close(plan->cgroup_procs);
	for (size_t i = 0; i < plan->njoins; i++)
		close(plan->joins[i]);
}

static char **
argv_of(const char *const *words, size_t n)
{
	char **argv = calloc(n + 1, sizeof *argv);

	if (!argv)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (!(argv[i] = strdup(words[i]))) {
			while (i--)
				free(argv[i]);
			free(argv);
			return NULL;
		}
	}
	return argv;
}

/* Split an `exec` line without shell characters on blanks. */
static char **
split_words(const char *cmd)
{
	char *copy = strdup(cmd), *save = NULL, *w;
	const char **words;
	size_t n = 0;
	char **argv = NULL;

	if (!copy)
		return NULL;
	words = calloc(strlen(cmd) / 2 + 2, sizeof *words);
	if (words) {
		for (w = strtok_r(copy, " \t\n", &save); w; w = strtok_r(NULL, " \t\n", &save))
			words[n++] = w;
		argv = argv_of(words, n);
	}
	free(words);
	free(copy);
	return argv;
}

/* A script body held in a sealed memory file, read by `sh /proc/self/fd/9`:
 * never pasted into a command line, never blocking init on a pipe. */
static int
script_memfd(const char *body)
{
	size_t len = strlen(body), off = 0;
	int fd = memfd_create("upinit-script", MFD_CLOEXEC);

	if (fd < 0)
		return -1;
	while (off < len) {
		ssize_t n = write(fd, body + off, len - off);

		if (n < 0) {
			close(fd);
			return -1;
		}
		off += (size_t)n;
	}
	lseek(fd, 0, SEEK_SET);
	return fd;
}

/* Only trailing newlines: the script runs as `sh -e -c BODY`. */
static bool
single_line(const char *body)
{
	const char *nl = strchr(body, '\n');

	return !nl || nl[strspn(nl, "\n")] == '\0';
}

static int
plan_command(SpawnPlan *plan, const ProcessDef *def)
{
	if (def->script) {
		if (single_line(def->command)) {
			char *body = strndup(def->command, strcspn(def->command, "\n"));
			const char *words[] = { "/bin/sh", "-e", "-c", body, "/bin/sh" };

			if (!body)
				return -1;
			plan->argv = argv_of(words, 5);
			free(body);
		} else {
			const char *words[] = { "/bin/sh", "-e", "/proc/self/fd/9" };

			if ((plan->script_fd = script_memfd(def->command)) < 0)
				return -1;
			plan->argv = argv_of(words, 3);
		}
	} else if (strpbrk(def->command, SHELL_CHARS)) {
		size_t n = strlen(def->command) + 6;
		char *line = malloc(n);
		const char *words[] = { "/bin/sh", "-e", "-c", line };

		if (!line)
			return -1;
		snprintf(line, n, "exec %s", def->command);
		plan->argv = argv_of(words, 4);
		free(line);
	} else {
		plan->argv = split_words(def->command);
	}
	return plan->argv ? 0 : -1;
}

/* Socket activation: the main process gets the listening sockets as
 * descriptors 3, 4, ... with Upstart's UPSTART_FDS and the LISTEN_FDS
 * convention most daemons now read.  LISTEN_PID is its own pid, which
 * only the child knows: child_sockets() sets it. */
static int
plan_sockets(SpawnPlan *plan, const SocketSet *set)
{
	char fds[SOCKET_SET_MAX * 3 + 1] = "", count[8];
	size_t len = 0;

	for (size_t i = 0; i < set->n; i++) {
		plan->sockets[plan->nsockets++] = socket_source_fd(set->s[i]);
		len += (size_t)snprintf(fds + len, sizeof fds - len, "%s%zu",
					i ? " " : "", 3 + i);
	}
	snprintf(count, sizeof count, "%zu", set->n);
	/* Padded to the widest pid: the child writes its own over it. */
	if (env_set_kv(&plan->env, "UPSTART_FDS", fds) < 0 ||
	    env_set_kv(&plan->env, "LISTEN_FDS", count) < 0 ||
	    env_set_kv(&plan->env, "LISTEN_PID", "           ") < 0)
		return -1;
	plan->listen_pid = strchr(env_lookup(&plan->env, "LISTEN_PID"), '=') + 1;
	return 0;
}

static int
plan_env(SpawnPlan *plan, const Job *job, ProcessType type)
{
	EnvList *env = &plan->env;

	if (env_copy(env, &job->env) < 0)
		return -1;
	if ((type == PROCESS_PRE_STOP || type == PROCESS_POST_STOP) &&
	    env_merge(env, &job->stop_env) < 0)
		return -1;
	if (env_set_kv(env, "UPSTART_JOB", job->class->name) < 0 ||
	    env_set_kv(env, "UPSTART_INSTANCE", job->name) < 0)
		return -1;
	if (socket_path && env_set_kv(env, "UPINIT_SOCKET", socket_path) < 0)
		return -1;
	if (type == PROCESS_MAIN && job->sockets.n)
		return plan_sockets(plan, &job->sockets);
	return 0;
}

static int
plan_new(SpawnPlan *plan, Job *job, ProcessType type)
{
	const JobClass *class = job->class;

	memset(plan, 0, sizeof *plan);
	plan->script_fd = plan->console_fd = plan->cgroup_dir = plan->cgroup_procs = -1;
	plan->console = class->console;
	if (plan->console == CONSOLE_LOG && job_log_disabled())
		plan->console = CONSOLE_NONE;
	if (plan_command(plan, &class->process[type]) < 0 ||
	    plan_env(plan, job, type) < 0)
		return -1;
	if (plan->console == CONSOLE_LOG) {
		job->log[type] = job_log_new(class->name, job->name, &plan->console_fd);
		/* job_log_new() has said why; the job runs without a log. */
		if (!job->log[type])
			plan->console = CONSOLE_NONE;
	}
	return 0;
}

/* ---- in the child ---- */

static void
child_signals(int report)
{
	sigset_t all;
	struct sigaction dfl = { .sa_handler = SIG_DFL };

	for (int sig = 1; sig < NSIG; sig++)
		sigaction(sig, &dfl, NULL);
	sigemptyset(&all);
	if (sigprocmask(SIG_SETMASK, &all, NULL) < 0)
		child_fail(report, STEP_SIGNALS, errno);
}

/* /dev/console for a job.  Once it is no terminal device, init's own
 * standard output, the console it was started on, stands in: a
 * container's console is a terminal bind-mounted on /dev/console (LXC
 * does it, and the test guests), which Debian's umountnfs.sh unmounts at
 * shutdown (devpts is not among the mounts it keeps), leaving the file
 * beneath, and the last scripts' words would go into that file.  An rc
 * that opened the console before keeps it; each job opens it anew. */
static int
console_open(void)
{
	struct stat st;
	int fd = open("/dev/console", O_RDWR | O_NOCTTY);

	if (fd >= 0 && fstat(fd, &st) == 0 && !S_ISCHR(st.st_mode) && isatty(STDOUT_FILENO)) {
		close(fd);
		fd = dup(STDOUT_FILENO);
	}
	return fd;
}

static void
child_console(int report, const SpawnPlan *plan)
{
	int null = open("/dev/null", O_RDWR | O_NOCTTY);
	int out = -1;

	if (null < 0)
		child_fail(report, STEP_CONSOLE, errno);
	switch (plan->console) {
	case CONSOLE_NONE:
		out = null;
		break;
	case CONSOLE_LOG:
		out = plan->console_fd;
		break;
	case CONSOLE_OUTPUT:
	case CONSOLE_OWNER:
		if (user_mode) {
			/* A user init has no console of its own: its jobs
			 * share init's standard descriptors. */
			close(null);
			return;
		}
		out = console_open();
		if (out < 0)
			out = null;   /* as Upstart: fall back to none */
		else if (plan->console == CONSOLE_OWNER)
			ioctl(out, TIOCSCTTY, 1);
		break;
	}
	if (dup2(plan->console == CONSOLE_OUTPUT || plan->console == CONSOLE_OWNER ?
		 out : null, 0) < 0 || dup2(out, 1) < 0 || dup2(out, 2) < 0)
		child_fail(report, STEP_CONSOLE, errno);
}

static void
child_limits(int report, const JobClass *class)
{
	umask(class->umask);
	if (class->nice != JOB_NICE_UNSET &&
	    setpriority(PRIO_PROCESS, 0, class->nice) < 0)
		child_fail(report, STEP_PRIORITY, errno);
	if (class->oom_score_adj != JOB_OOM_UNSET) {
		char buf[16];
		int fd = open("/proc/self/oom_score_adj", O_WRONLY);
		int n = snprintf(buf, sizeof buf, "%d\n", class->oom_score_adj);

		if (fd < 0 || write(fd, buf, (size_t)n) != n)
			child_fail(report, STEP_OOM, errno);
		close(fd);
	}
	/* init's own limit is not the jobs' (PID 1 raised it). */
	if (job_nofile_set && !class->limits[RLIMIT_NOFILE] &&
	    setrlimit(RLIMIT_NOFILE, &job_nofile) < 0)
		child_fail(report, STEP_RLIMIT, errno);
	for (int r = 0; r < RLIM_NLIMITS; r++)
		if (class->limits[r] && setrlimit(r, class->limits[r]) < 0)
			child_fail(report, STEP_RLIMIT, errno);
}

static void
child_credentials(int report, const JobClass *class)
{
	uid_t uid = 0;
	gid_t gid = 0;
	bool have_uid = false, have_gid = false;
	struct passwd *pw = NULL;

	/* Names are checked whoever we are (an unknown one fails the job, as
	 * in Upstart); only root switches to them, so a user init runs such
	 * jobs as its own user. */
	if (class->setuid) {
		if (!(pw = getpwnam(class->setuid)))
			child_fail(report, STEP_NO_USER, 0);
		uid = pw->pw_uid;
		gid = pw->pw_gid;
		have_uid = have_gid = true;
	}
	if (class->setgid) {
		struct group *gr = getgrnam(class->setgid);

		if (!gr)
			child_fail(report, STEP_NO_GROUP, 0);
		gid = gr->gr_gid;
		have_gid = true;
	}
	if (geteuid() != 0)
		return;
	if (pw && initgroups(pw->pw_name, gid) < 0)
		child_fail(report, STEP_INITGROUPS, errno);
	if (have_gid && setgid(gid) < 0)
		child_fail(report, STEP_SETGID, errno);
	if (have_uid && setuid(uid) < 0)
		child_fail(report, STEP_SETUID, errno);
}

/* Show the builtin as the program it stands for, in comm and in the
 * command line ps and pidof read (as long as it fits in the space of
 * init's own), so that no script runner is taken for another init. */
static void
child_rename(const char *name, char *const *argv)
{
	char line[512] = "";

	prctl(PR_SET_NAME, name, 0, 0, 0);
	for (char *const *a = argv; *a; a++) {
		if (a != argv)
			strlcat(line, " ", sizeof line);
		strlcat(line, *a, sizeof line);
	}
	setproctitle("-%s", line);
}

/* Run the builtin in place of exec; see job_process.h. */
static void __attribute__((noreturn))
child_builtin(char **argv, char **env)
{
	extern char **environ;
	int argc = 0, code;

	while (argv[argc])
		argc++;
	environ = env;
	/* Launched: the report pipe closes with the rest of init's
	 * descriptors, as close-on-exec would have closed them. */
	close_range(3, ~0U, 0);
	/* init's unwritten output is not the builtin's to write. */
	__fpurge(stdout);
	__fpurge(stderr);
	child_rename(builtin->name, argv);
	code = builtin->run(argc, argv);
	fflush(NULL);
	_exit(code & 0xff);
}

/* The listening sockets onto 3, 4, ...: first out of the way (one may
 * sit where another must go), then into place without close-on-exec;
 * and LISTEN_PID, into the room the plan left for it.  That is the one
 * write of a child that may share init's memory (may_share_memory):
 * into the plan, which init only frees once the child has exec'd. */
static void
child_sockets(int report, const SpawnPlan *plan)
{
	int moved[SOCKET_SET_MAX];
	char pid[16];

	for (size_t i = 0; i < plan->nsockets; i++)
		if ((moved[i] = fcntl(plan->sockets[i], F_DUPFD_CLOEXEC, SCRIPT_FD + 1)) < 0)
			child_fail(report, STEP_SOCKETS, errno);
	for (size_t i = 0; i < plan->nsockets; i++)
		if (dup2(moved[i], 3 + (int)i) < 0)
			child_fail(report, STEP_SOCKETS, errno);
	snprintf(pid, sizeof pid, "%d", (int)getpid());
	memcpy(plan->listen_pid, pid, strlen(pid) + 1);
}

static void __attribute__((noreturn))
child_run(int report, const Job *job, const SpawnPlan *plan, ProcessType type)
{
	const JobClass *class = job->class;
	extern char **environ;

	/* The report pipe must survive the script landing on fd 9. */
	if (report <= SCRIPT_FD) {
		int moved = fcntl(report, F_DUPFD_CLOEXEC, SCRIPT_FD + 1);

		if (moved >= 0)
			report = moved;
	}
	child_signals(report);
	/* First, while still root and before anything can fork: moving
	 * ourselves is writing "0". */
	if (plan->cgroup_procs >= 0 && write(plan->cgroup_procs, "0", 1) != 1)
		child_fail(report, STEP_CGROUP, errno);
	for (size_t i = 0; i < plan->njoins; i++)
		if (write(plan->joins[i], "0", 1) != 1)
			child_fail(report, STEP_CGROUP, errno);
	if (setsid() < 0)
		child_fail(report, STEP_SESSION, errno);
	child_console(report, plan);
	child_limits(report, class);
	if (class->chroot && chroot(class->chroot) < 0)
		child_fail(report, STEP_CHROOT, errno);
	if (class->chdir ? chdir(class->chdir) < 0 :
	    (!user_mode && chdir("/") < 0))
		child_fail(report, STEP_CHDIR, errno);
	child_credentials(report, class);

	/* Everything but stdio, the report pipe and the script closes on
	 * exec; descriptors init forgot to mark are not leaked to jobs. */
	close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
	if (plan->script_fd == SCRIPT_FD) {
		/* dup2() onto itself would leave close-on-exec set. */
		if (fcntl(SCRIPT_FD, F_SETFD, 0) < 0)
			child_fail(report, STEP_SCRIPT, errno);
	} else if (plan->script_fd >= 0 && dup2(plan->script_fd, SCRIPT_FD) < 0) {
		child_fail(report, STEP_SCRIPT, errno);
	}
	if (plan->nsockets)
		child_sockets(report, plan);
	if (type == PROCESS_MAIN &&
	    (class->expect == EXPECT_FORK || class->expect == EXPECT_DAEMON) &&
	    ptrace(PTRACE_TRACEME, 0, NULL, NULL) < 0)
		child_fail(report, STEP_PTRACE, errno);
	if (class->debug && log_get_priority() == LOG_PRIO_DEBUG)
		raise(SIGSTOP);

	if (builtin && plan->script_fd < 0 && builtin->accepts(plan->argv))
		child_builtin(plan->argv, (char **)env_vars(&plan->env));
	/* execvpe, not `environ =`: a child sharing init's memory must
	 * write none of it. */
	execvpe(plan->argv[0], plan->argv, (char **)env_vars(&plan->env));
	child_fail(report, STEP_EXEC, errno);
}

/* ---- starting the child ---- */

/* A fork copies init's page tables, and on some machines that costs a
 * millisecond a job under load (45 us per MB of init's memory even
 * idle): a respawn storm or a boot then spends most of init's time in
 * fork.  A child that shares init's memory until it execs (what
 * posix_spawn and vfork do) costs a tenth of that; init waits the
 * little while it takes the child to reach execve.
 *
 * Sharing is only for a child whose path to execve can neither block
 * nor touch init's memory: no user or group to look up (NSS may load
 * libraries and allocate), no builtin run in the child, no console to
 * open (a tty open may wait), no stop for a debugger.  Every other
 * child is forked as before. */
typedef struct child_start {
	int              report;
	const Job       *job;
	const SpawnPlan *plan;
	ProcessType      type;
} ChildStart;

#define CHILD_STACK_SIZE (256 * 1024)

static int
child_entry(void *data)
{
	const ChildStart *start = data;

	child_run(start->report, start->job, start->plan, start->type);
}

/* AddressSanitizer cannot follow a child onto a stack of our own (it
 * reports its own bookkeeping there as overflows): its builds fork. */
#if defined(__SANITIZE_ADDRESS__)
#define SHARE_MEMORY_BUILD false
#else
#define SHARE_MEMORY_BUILD true
#endif

static bool
may_share_memory(const Job *job, const SpawnPlan *plan)
{
	const JobClass *class = job->class;

	/* A child joining v1 cgroups (`cgroup`) would make us wait for the
	 * kernel's cgroup lock: forked. */
	return SHARE_MEMORY_BUILD && !class->setuid && !class->setgid && !class->debug &&
	       !plan->njoins &&
	       (plan->console == CONSOLE_NONE || plan->console == CONSOLE_LOG) &&
	       !(builtin && plan->script_fd < 0 && builtin->accepts(plan->argv));
}

/* The top of the child's stack while it shares our memory: one is
 * enough, as we wait for each child to exec or exit.  Mapped on first
 * use, with an inaccessible page below it: a child that overflowed
 * would otherwise write into whatever of init's lies there. */
static void *
child_stack(void)
{
	static char *top;

	if (!top) {
		size_t guard = (size_t)sysconf(_SC_PAGESIZE);
		char *p = mmap(NULL, guard + CHILD_STACK_SIZE, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK | MAP_NORESERVE, -1, 0);

		if (p == MAP_FAILED)
			return NULL;
		if (mprotect(p, guard, PROT_NONE) < 0) {
			munmap(p, guard + CHILD_STACK_SIZE);
			return NULL;
		}
		top = p + guard + CHILD_STACK_SIZE;
	}
	return top;
}

/* clone3() whose child runs fn(arg) on the stack `args` gives it and
 * exits with what fn returns: the only way to put a child that shares
 * our memory straight into a cgroup (CLONE_INTO_CGROUP).  glibc has no
 * clone3 wrapper, and a child on a new stack cannot return into C from
 * syscall(), so the few instructions around the system call are ours,
 * as in glibc's clone.  The child starts with our registers, rax = 0
 * and the new stack: r12 and r13 carry fn and arg across.  Returns the
 * child's pid, or -errno. */
#if defined(__x86_64__)
#define HAVE_CLONE3_RUN 1
static long
clone3_run(struct clone_args *args, int (*fn)(void *), void *arg)
{
	register long rax __asm__("rax") = SYS_clone3;
	register void *r12 __asm__("r12") = (void *)fn;
	register void *r13 __asm__("r13") = arg;

	__asm__ volatile(
		"syscall\n\t"
		"test %%rax, %%rax\n\t"
		"jnz 1f\n\t"
		"xor %%ebp, %%ebp\n\t"      /* the child: end of the frame chain */
		"mov %%r13, %%rdi\n\t"
		"call *%%r12\n\t"
		"mov %%eax, %%edi\n\t"
		"mov %[exit], %%eax\n\t"
		"syscall\n\t"
		"hlt\n"
		"1:"
		: "+r"(rax)
		: "D"(args), "S"(sizeof *args), "r"(r12), "r"(r13), [exit] "i"(SYS_exit)
		: "rcx", "r11", "memory", "cc");
	return rax;
}
#else
#define HAVE_CLONE3_RUN 0
#endif

/* Whether clone3(CLONE_INTO_CGROUP) works here: 0 not tried yet, 1 yes,
 * -1 no (a kernel before 5.7). */
static int clone3_works;

/* The shared-memory child straight into its cgroup.  -1 with errno,
 * ENOSYS when clone3 cannot do it (the caller falls back). */
static pid_t
clone_into_cgroup(ChildStart *start, char *stack, int cgroup_dir)
{
#if HAVE_CLONE3_RUN
	struct clone_args args = {
		.flags = CLONE_VM | CLONE_VFORK | CLONE_INTO_CGROUP,
		.exit_signal = SIGCHLD,
		.stack = (uint64_t)(uintptr_t)(stack - CHILD_STACK_SIZE),
		.stack_size = CHILD_STACK_SIZE,
		.cgroup = (uint64_t)cgroup_dir,
	};
	long rc;

	if (clone3_works >= 0) {
		rc = clone3_run(&args, child_entry, start);
		if (rc >= 0) {
			clone3_works = 1;
			return (pid_t)rc;
		}
		if (clone3_works == 1 || (rc != -ENOSYS && rc != -EINVAL && rc != -E2BIG)) {
			errno = (int)-rc;
			return -1;
		}
		clone3_works = -1;
		log_debug("clone3 cannot start a process in a cgroup: %s", strerror((int)-rc));
	}
#endif
	errno = ENOSYS;
	return -1;
}

/* fork(), straight into the cgroup where clone3 can (a fork() child
 * that moves itself waits for the kernel's cgroup lock, and holds up
 * every fork on the machine meanwhile, init's next spawn among them: at
 * boot that cost Debian's a tenth of its time).  clone3 without a new
 * stack returns in the child as fork does.  glibc's fork() would also
 * run atfork handlers (init has none) and reset locks other threads
 * might hold (init has no other thread); the child's cached thread id
 * stays the parent's, which glibc reads only for locks it takes and
 * releases itself.  AddressSanitizer wraps fork() to keep its own state
 * straight: its builds fork. */
static pid_t
fork_into_cgroup(SpawnPlan *plan)
{
#if !defined(__SANITIZE_ADDRESS__)
	struct clone_args args = {
		.flags = CLONE_INTO_CGROUP,
		.exit_signal = SIGCHLD,
		.cgroup = (uint64_t)plan->cgroup_dir,
	};

	if (plan->cgroup_dir >= 0 && clone3_works >= 0) {
		long rc = syscall(SYS_clone3, &args, sizeof args);

		if (rc >= 0 || (errno != ENOSYS && errno != EINVAL && errno != E2BIG))
			return (pid_t)rc;
		clone3_works = -1;
		log_debug("clone3 cannot start a process in a cgroup: %s", strerror(errno));
	}
#endif
	if (plan->cgroup_dir >= 0 &&
	    (plan->cgroup_procs = openat(plan->cgroup_dir, "cgroup.procs",
					 O_WRONLY | O_CLOEXEC)) < 0)
		return -1;
	return fork();
}

/* fork(), clone(CLONE_VM | CLONE_VFORK) or its clone3 form: the child's
 * pid, 0 never (the child runs child_run), -1 with errno.  A child that
 * is not started in its cgroup moves itself there first thing
 * (plan->cgroup_procs).  That costs the child a wait the first time
 * after a quiet while (the kernel's cgroup lock: 15-20 ms on the
 * development VM), which init would share were the child one that
 * shares our memory: clone3 spares it. */
static pid_t
spawn_child(int report[2], const Job *job, SpawnPlan *plan, ProcessType type)
{
	ChildStart start = { report[1], job, plan, type };
	sigset_t all, old;
	char *stack = NULL;
	pid_t pid;
	int err;
	bool share = may_share_memory(job, plan) && (stack = child_stack());

	if (!share) {
		pid = fork_into_cgroup(plan);
		if (pid == 0) {
			close(report[0]);
			child_run(report[1], job, plan, type);
		}
		return pid;
	}
	/* The child keeps our handlers until child_signals() resets them:
	 * no signal may reach it before (init takes its own through
	 * signalfd, blocked already; this covers the rest).  report[0] is
	 * close-on-exec, so the child needs no close of its own. */
	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, &old);
	pid = -1;
	errno = ENOSYS;
	if (plan->cgroup_dir >= 0 && plan->cgroup_procs < 0)
		pid = clone_into_cgroup(&start, stack, plan->cgroup_dir);
	if (pid < 0 && errno == ENOSYS) {
		if (plan->cgroup_dir >= 0 && plan->cgroup_procs < 0)
			plan->cgroup_procs = openat(plan->cgroup_dir, "cgroup.procs",
						    O_WRONLY | O_CLOEXEC);
		if (plan->cgroup_dir < 0 || plan->cgroup_procs >= 0)
			pid = clone(child_entry, stack, CLONE_VM | CLONE_VFORK | SIGCHLD, &start);
	}
	err = errno;
	sigprocmask(SIG_SETMASK, &old, NULL);
	errno = err;
	return pid;
}

/* ---- launch bookkeeping in the parent ---- */

static void spawn_readable(void *data, int fd, uint32_t events);

/* Stop watching a descriptor of ours and close it. */
static void
unwatch_close(struct watch **watch, int *fd)
{
	if (*watch)
		loop_unwatch(*watch);
	if (*fd >= 0)
		close(*fd);
	*watch = NULL;
	*fd = -1;
}

static void
spawn_close(Job *job, ProcessType type)
{
	unwatch_close(&job->spawn[type].watch, &job->spawn[type].fd);
}

/* The child exec'd: move the state machine on. */
static void
process_launched(Job *job, ProcessType type)
{
	spawn_close(job, type);
	if (type == PROCESS_MAIN)
		job->spawn_retry_ms = 0;
	log_info("%s %s process (%d)", job_name(job), process_name(type),
		 (int)job->pid[type]);
	if (type == PROCESS_MAIN && job->class->utmp_id && launched_hook)
		launched_hook(job, job->pid[type]);
	job_change_state(job, job_next_state(job));
}

/* The child could not set itself up: it exits by itself and is reaped as
 * a stranger; the job fails (main, pre-start, post-stop, security) or
 * carries on (post-start, pre-stop). */
static void
process_spawn_failed(Job *job, ProcessType type, const SpawnReport *r)
{
	const char *what = (unsigned)r->step < sizeof step_text / sizeof step_text[0] ?
			   step_text[r->step] : "unable to spawn";

	spawn_close(job, type);
	if (r->err)
		log_warn("Failed to spawn %s %s process: %s: %s", job_name(job),
			 process_name(type), what, strerror(r->err));
	else
		log_warn("Failed to spawn %s %s process: %s", job_name(job),
			 process_name(type), what);
	job->pid[type] = 0;
	if (job->log[type]) {
		job_log_release(job->log[type]);
		job->log[type] = NULL;
	}
	if (job_process_retry_later(job, type, r->err))
		return;
	if (type != PROCESS_POST_START && type != PROCESS_PRE_STOP) {
		char why[128];

		snprintf(why, sizeof why, "%s process could not be started: %s",
			 process_name(type), what);
		job_failed(job, type, -1);
		history_push(CAUSE_PROCESS, why, NULL, 0);
		job_set_goal(job, JOB_STOP);
		history_pop();
	}
	job_change_state(job, job_next_state(job));
}

/* Read the report pipe: 1 launched, 0 failed (handled), -1 not yet. */
static int
spawn_check(Job *job, ProcessType type)
{
	SpawnReport r;
	ssize_t n = read(job->spawn[type].fd, &r, sizeof r);

	if (n == (ssize_t)sizeof r) {
		process_spawn_failed(job, type, &r);
		return 0;
	}
	if (n < 0 && errno == EAGAIN)
		return -1;
	process_launched(job, type);
	return 1;
}

static void
spawn_readable(void *data, int fd, uint32_t events)
{
	JobSpawn *spawn = data;

	spawn_check(spawn->job, (ProcessType)spawn->type);
}

/* The instance's cgroup, made when its first process starts: the
 * descriptor the child is started in (or moves itself into). */
static int
plan_cgroup(SpawnPlan *plan, Job *job)
{
	bool made = false;

	if (!cgroup_enabled())
		return 0;
	if (!job->cgroup) {
		if (!(job->cgroup = cgroup_name(job->class->name, job->name)))
			return -1;
		made = cgroup_make(job->cgroup) == 0;
	}
	/* Made once per instance; again only if someone removed it. */
	if ((plan->cgroup_dir = cgroup_open_dir(job->cgroup)) < 0 && !made &&
	    cgroup_make(job->cgroup) == 0)
		plan->cgroup_dir = cgroup_open_dir(job->cgroup);
	if (plan->cgroup_dir < 0) {
		int err = errno;

		log_warn("Unable to make the cgroup %s/%s of %s: %s", cgroup_path(),
			 job->cgroup, job_name(job), strerror(err));
		errno = err;
		return -1;
	}
	if (job->class->ncgroups)
		return cgroup_limits_apply(job->class, job_name(job), job->cgroup, &job->env,
					   plan->joins, &plan->njoins);
	return 0;
}

int
job_process_start(Job *job, ProcessType type)
{
	SpawnPlan plan;
	int report[2];
	pid_t pid;

	if (plan_new(&plan, job, type) < 0 || plan_cgroup(&plan, job) < 0 ||
	    pipe2(report, O_CLOEXEC) < 0) {
		int err = errno;

		log_warn("Failed to spawn %s %s process: %s", job_name(job),
			 process_name(type), strerror(err));
		plan_free(&plan);
		errno = err;   /* the caller may try again later (EMFILE) */
		return -1;
	}
	pid = spawn_child(report, job, &plan, type);
	close(report[1]);
	if (pid < 0) {
		int err = errno;

		log_warn("Failed to spawn %s %s process: unable to fork: %s",
			 job_name(job), process_name(type), strerror(err));
		close(report[0]);
		plan_free(&plan);
		errno = err;
		return -1;
	}
	plan_free(&plan);
	fd_set_nonblock(report[0]);
	job->pid[type] = pid;
	job->spawn[type].fd = report[0];
	if (type == PROCESS_MAIN) {
		job->trace_forks = 0;
		job->forked_from = 0;
		job->trace_state = (job->class->expect == EXPECT_FORK ||
				    job->class->expect == EXPECT_DAEMON) ? TRACE_NEW : TRACE_NONE;
	}
	job->spawn[type].job = job;
	job->spawn[type].type = type;
	job->spawn[type].watch = loop_watch(report[0], EPOLLIN, spawn_readable,
					    &job->spawn[type]);
	return 0;
}

static void drain_end(Job *job);

void
job_process_cleanup(Job *job)
{
	for (int t = 0; t < PROCESS_COUNT; t++)
		spawn_close(job, (ProcessType)t);
	drain_end(job);
	job_process_cancel_retry(job);
}

/* ---- a spawn that failed for want of a resource ---- */

#define SPAWN_RETRY_FIRST_MS 1000
#define SPAWN_RETRY_MAX_MS   30000

static bool
transient(int err)
{
	return err == EMFILE || err == ENFILE || err == EAGAIN || err == ENOMEM;
}

static void
spawn_retry_fired(void *data)
{
	Job *job = data;

	job->spawn_retry = NULL;
	if (job->goal == JOB_START) {
		if (job_process_start(job, PROCESS_MAIN) == 0 ||
		    job_process_retry_later(job, PROCESS_MAIN, errno))
			return;
		job_failed(job, PROCESS_MAIN, -1);
		job_set_goal(job, JOB_STOP);
	}
	job_change_state(job, job_next_state(job));
}

bool
job_process_retry_later(Job *job, ProcessType type, int err)
{
	unsigned wait;

	if (type != PROCESS_MAIN || !job->class->respawn || job->goal != JOB_START ||
	    job->state != JOB_SPAWNING || !transient(err) || job->spawn_retry)
		return false;
	wait = job->spawn_retry_ms ? job->spawn_retry_ms : SPAWN_RETRY_FIRST_MS;
	if (!(job->spawn_retry = loop_timer(wait, spawn_retry_fired, job)))
		return false;
	job->spawn_retry_ms = wait * 2 < SPAWN_RETRY_MAX_MS ? wait * 2 : SPAWN_RETRY_MAX_MS;
	log_warn("%s main process will be spawned again in %u s", job_name(job), wait / 1000);
	return true;
}

bool
job_process_cancel_retry(Job *job)
{
	if (!job->spawn_retry)
		return false;
	loop_timer_cancel(job->spawn_retry);
	job->spawn_retry = NULL;
	return true;
}

/* ---- stopping ---- */

/* Signal the process group, and the process itself in case it has not
 * made its own group yet.  False when neither exists. */
static bool
signal_group(pid_t pid, int sig)
{
	int group = kill(-pid, sig);
	int single = kill(pid, sig);

	return group == 0 || single == 0;
}

/* A stopped process would keep the kill signal pending until the kill
 * timeout: SIGCONT after it wakes it to act on it now (as sysvinit's
 * killall5 does).  Not after a stop signal, which is then what the job
 * asked for, nor after SIGKILL, which needs none. */
static bool
wakes_stopped(int sig)
{
	return sig != SIGKILL && sig != SIGCONT && sig != SIGSTOP && sig != SIGTSTP &&
	       sig != SIGTTIN && sig != SIGTTOU;
}

/* ---- what is left in the cgroup ---- */

static void
drain_end(Job *job)
{
	unwatch_close(&job->drain_watch, &job->drain_fd);
	if (job->kill_timer) {
		loop_timer_cancel(job->kill_timer);
		job->kill_timer = NULL;
	}
}

/* The cgroup emptied (or can no longer be read): move on. */
static void
drain_check(Job *job)
{
	if (cgroup_populated_fd(job->drain_fd) == 1)
		return;
	drain_end(job);
	job_change_state(job, job_next_state(job));
}

static void
drain_readable(void *data, int fd, uint32_t events)
{
	drain_check(data);
}

/* Watch the cgroup's events; false when they cannot be watched or it
 * is empty already (the job need not wait then). */
static bool
drain_watch(Job *job)
{
	int fd = cgroup_open_events(job->cgroup);

	/* Read once after opening: from then on a change makes it
	 * EPOLLPRI, so the cgroup cannot empty unseen in between. */
	if (fd < 0 || cgroup_populated_fd(fd) != 1 ||
	    !(job->drain_watch = loop_watch(fd, EPOLLPRI, drain_readable, job))) {
		if (fd >= 0)
			close(fd);
		return false;
	}
	job->drain_fd = fd;
	return true;
}

static void kill_timer_fired(void *data);

bool
job_process_drain(Job *job)
{
	int sig = job->class->kill_signal, n;

	if (job->drain_fd >= 0)
		return true;
	if (!job->cgroup || !job->kill_all || !drain_watch(job))
		return false;
	n = cgroup_signal(job->cgroup, sig);
	log_info("Sending %s signal to %d processes left in the cgroup of %s",
		 signal_name(sig) ? signal_name(sig) : "?", n, job_name(job));
	if (wakes_stopped(sig))
		cgroup_signal(job->cgroup, SIGCONT);
	if (job->kill_timer)
		loop_timer_cancel(job->kill_timer);
	job->kill_timer = loop_timer((uint64_t)job->class->kill_timeout * 1000,
				     kill_timer_fired, job);
	return true;
}

bool
job_process_adopt_drain(Job *job)
{
	if (!job->cgroup || job->drain_fd >= 0)
		return false;
	if (drain_watch(job))
		return true;
	/* Empty already: the job moves on from the loop, not from the
	 * middle of a restore. */
	if ((job->drain_fd = cgroup_open_events(job->cgroup)) < 0)
		return false;
	job_process_arm_kill(job, 0);
	return true;
}

bool
job_process_draining(const Job *job)
{
	return job->drain_fd >= 0;
}

static void
kill_timer_fired(void *data)
{
	Job *job = data;
	pid_t pid = job->pid[PROCESS_MAIN];

	job->kill_timer = NULL;
	if (job->drain_fd >= 0) {
		log_info("Sending KILL signal to what is left in the cgroup of %s", job_name(job));
		cgroup_signal(job->cgroup, SIGKILL);
		/* From now on only the kernel can keep it from emptying. */
		drain_check(job);
		return;
	}
	if (pid <= 0)
		return;
	log_info("Sending KILL signal to %s main process (%d)", job_name(job), (int)pid);
	if (job->cgroup && job->kill_all)
		cgroup_signal(job->cgroup, SIGKILL);
	if (!signal_group(pid, SIGKILL) || (kill(pid, 0) < 0 && errno == ESRCH)) {
		/* Not ours to reap any more (a daemon that escaped tracking):
		 * the stop must still end, or the job hangs in stop/killed. */
		job->pid[PROCESS_MAIN] = 0;
		job_process_terminated(job, PROCESS_MAIN, SIGKILL << 8);
	}
}

void
job_process_kill(Job *job, ProcessType type)
{
	pid_t pid = job->pid[type];
	int sig = job->class->kill_signal;

	log_info("Sending %s signal to %s %s process (%d)",
		 signal_name(sig) ? signal_name(sig) : "?", job_name(job),
		 process_name(type), (int)pid);
	if (job->trace_state != TRACE_NONE) {
		/* A traced process would only stop on the signal. */
		ptrace(PTRACE_DETACH, pid, NULL, 0);
		job->trace_state = TRACE_NONE;
	}
	signal_group(pid, sig);
	if (wakes_stopped(sig))
		signal_group(pid, SIGCONT);
	/* Armed even when the signal found nobody: Upstart returned early
	 * there and left the job in stop/killed for ever. */
	if (job->kill_timer)
		loop_timer_cancel(job->kill_timer);
	job->kill_timer = loop_timer((uint64_t)job->class->kill_timeout * 1000,
				     kill_timer_fired, job);
}

/* ---- respawn: more than `limit` within `interval` s is a runaway ---- */

static bool
respawn_runaway(Job *job)
{
	const JobClass *class = job->class;
	uint64_t now = loop_now_ms();

	if (class->respawn_limit <= 0 || class->respawn_interval <= 0)
		return false;
	if (job->respawn_count &&
	    now - job->respawn_time_ms < (uint64_t)class->respawn_interval * 1000) {
		if (++job->respawn_count > class->respawn_limit)
			return true;
	} else {
		job->respawn_time_ms = now;
		job->respawn_count = 1;
	}
	return false;
}

/* ---- termination (docs/state-machine.md, "Processes") ---- */

static void
log_termination(const Job *job, ProcessType type, pid_t pid, int status,
		bool normal)
{
	if (status & ~0xff) {
		const char *sig = signal_name(status >> 8);

		/* Even a death we caused is reported, as Upstart does:
		 * "tty1 main process (859) killed by TERM signal". */
		if (sig)
			log_warn("%s %s process (%d) killed by %s signal",
				 job_name(job), process_name(type), (int)pid, sig);
		else
			log_warn("%s %s process (%d) killed by signal %d",
				 job_name(job), process_name(type), (int)pid, status >> 8);
	} else if (status) {
		log_msg(normal ? LOG_PRIO_INFO : LOG_PRIO_WARN,
			"%s %s process (%d) terminated with status %d",
			job_name(job), process_name(type), (int)pid, status);
	} else {
		log_info("%s %s process (%d) exited normally", job_name(job),
			 process_name(type), (int)pid);
	}
}

/* The main process ended while the job wanted to run. */
static void
main_ended(Job *job, int status)
{
	const JobClass *class = job->class;
	bool normal = job_class_normal_exit(class, status);

	if (job->goal == JOB_START && class->respawn && !normal &&
	    !(class->task && status == 0)) {
		if (respawn_runaway(job)) {
			log_warn("%s respawning too fast, stopped", job_name(job));
			job_failed(job, -1, 0);
			/* The process's end is not the whole story: the limit is. */
			history_push(CAUSE_PROCESS, "respawning too fast (respawn limit)", NULL, 0);
			job_set_goal(job, JOB_STOP);
			history_pop();
		} else {
			log_warn("%s %s process ended, respawning", job_name(job),
				 process_name(PROCESS_MAIN));
			/* Through stopping and starting again, never stopped;
			 * a running hook moves the job on when it ends. */
			job_set_goal(job, JOB_RESPAWN);
		}
		return;
	}
	if (status && !normal)
		job_failed(job, PROCESS_MAIN, status);
	job_set_goal(job, JOB_STOP);
}

/* `expect fork` or `expect daemon` counted the forks wrong: the process
 * followed as the main one exited normally, but the daemon lives on in
 * the instance's cgroup, an orphan now ours.  When exactly one such
 * orphan is there (hook processes aside) it is the main process from
 * now on, as systemd guesses a forking service's main process; true
 * then.  Under Upstart the job ended here (or respawned, again and
 * again) while the daemon ran on unseen. */
static bool
main_succeeded(Job *job, pid_t old, int status)
{
	pid_t heir = 0, *pids;
	size_t n;

	if (!job->cgroup || status != 0 || job->goal != JOB_START ||
	    (job->class->expect != EXPECT_FORK && job->class->expect != EXPECT_DAEMON) ||
	    job->state < JOB_POST_STARTING || job->state > JOB_PRE_STOP)
		return false;
	pids = cgroup_pids(job->cgroup, &n);
	for (size_t i = 0; i < n; i++) {
		bool hook = false;

		for (int t = 0; t < PROCESS_COUNT; t++)
			hook |= job->pid[t] == pids[i];
		if (hook || proc_parent(pids[i]) != getpid())
			continue;
		if (heir) {
			heir = 0;   /* two: no way to tell */
			break;
		}
		heir = pids[i];
	}
	free(pids);
	if (!heir)
		return false;
	job->pid[PROCESS_MAIN] = heir;
	log_info("%s main process (%d) ended; (%d) in its cgroup is the main process now",
		 job_name(job), (int)old, (int)heir);
	return true;
}

void
job_process_terminated(Job *job, ProcessType type, int status)
{
	bool move = true;

	switch (type) {
	case PROCESS_MAIN:
		if (job->kill_timer && job->drain_fd < 0) {
			loop_timer_cancel(job->kill_timer);
			job->kill_timer = NULL;
		}
		job->trace_state = TRACE_NONE;
		if (job->state == JOB_KILLED)
			break;   /* we killed it: normal */
		{
			bool hook = (job->state == JOB_POST_START && job->pid[PROCESS_POST_START] > 0) ||
				    (job->state == JOB_PRE_STOP && job->pid[PROCESS_PRE_STOP] > 0);

			if (job->goal != JOB_STOP)
				main_ended(job, status);
			else if (status && !job_class_normal_exit(job->class, status))
				job_failed(job, PROCESS_MAIN, status);
			/* Hooks finish first; the other waiting states are
			 * not left for a main process that ended. */
			if (hook || job->state == JOB_STOPPING ||
			    job->state == JOB_SPAWNING || job->state == JOB_POST_STARTING ||
			    job->state == JOB_PRE_STOPPING)
				move = false;
		}
		break;
	case PROCESS_PRE_START:
	case PROCESS_SECURITY:
	case PROCESS_POST_STOP:
		if (status) {
			job_failed(job, type, status);
			/* A script's stop failing still lets restart start it. */
			if (type != PROCESS_POST_STOP || !job->class->script_actions)
				job_set_goal(job, JOB_STOP);
		}
		break;
	case PROCESS_POST_START:
	case PROCESS_PRE_STOP:
	default:
		break;   /* exit status ignored */
	}
	/* Leaving killed or post-stop: not while the cgroup holds more. */
	if (move && (job->state == JOB_KILLED ||
		     (job->state == JOB_POST_STOP && job->pid[PROCESS_POST_STOP] <= 0)) &&
	    job_process_drain(job))
		move = false;
	if (move)
		job_change_state(job, job_next_state(job));
}

/* ---- expect stop / fork / daemon ---- */

/* Pids whose first stop arrived before their parent's fork event. */
static pid_t early_stops[16];

static void
early_stop_add(pid_t pid)
{
	for (size_t i = 0; i < sizeof early_stops / sizeof early_stops[0]; i++) {
		if (!early_stops[i]) {
			early_stops[i] = pid;
			return;
		}
	}
}

static bool
early_stop_take(pid_t pid)
{
	for (size_t i = 0; i < sizeof early_stops / sizeof early_stops[0]; i++) {
		if (early_stops[i] == pid) {
			early_stops[i] = 0;
			return true;
		}
	}
	return false;
}

/* The tracked process is the one to keep: stop tracing, move on. */
static void
trace_done(Job *job, pid_t pid)
{
	ptrace(PTRACE_DETACH, pid, NULL, 0);
	job->trace_state = TRACE_NONE;
	if (job->state == JOB_SPAWNED)
		job_change_state(job, job_next_state(job));
}

static void
trace_follow(Job *job, pid_t pid)
{
	ptrace(PTRACE_SETOPTIONS, pid, NULL, PTRACE_O_TRACEFORK | PTRACE_O_TRACEEXEC);
	job->trace_state = TRACE_NORMAL;
	ptrace(PTRACE_CONT, pid, NULL, 0);
}

/* A forked child of the traced process reported its first stop. */
static void
trace_new_child(Job *job, pid_t pid)
{
	int wanted = job->class->expect == EXPECT_DAEMON ? 2 : 1;

	if (job->trace_forks >= wanted)
		trace_done(job, pid);
	else
		trace_follow(job, pid);
}

static void
trace_fork(Job *job, pid_t pid)
{
	unsigned long child = 0;

	ptrace(PTRACE_GETEVENTMSG, pid, NULL, &child);
	/* Only the child is of interest from now on. */
	ptrace(PTRACE_DETACH, pid, NULL, 0);
	job->pid[PROCESS_MAIN] = (pid_t)child;
	job->forked_from = pid;
	job->trace_forks++;
	job->trace_state = TRACE_NEW_CHILD;
	log_info("%s main process (%d) became new process (%d)", job_name(job),
		 (int)pid, (int)child);
	if (early_stop_take((pid_t)child))
		trace_new_child(job, (pid_t)child);
}

/* A traced or stopped process changed state. */
static void
process_stopped(pid_t pid, int status)
{
	ProcessType type;
	Job *job = job_find_by_pid(pid, &type);
	int sig = WSTOPSIG(status);
	int event = status >> 16;

	if (!job || type != PROCESS_MAIN) {
		/* A new child of a traced process, before its parent's fork
		 * event; or a stranger that stopped. */
		if (sig == SIGSTOP)
			early_stop_add(pid);
		return;
	}
	/* A stop after the exec can reach us before the launch report's end
	 * of file: a process that forks or stops at once, on a busy init.
	 * Read the report first, so the job is in spawned where expect
	 * looks for it; left for later, the fork or stop would be seen in
	 * spawning, the job then enter spawned and wait there for ever. */
	if (job->spawn[PROCESS_MAIN].fd >= 0 && spawn_check(job, PROCESS_MAIN) == 0)
		return;
	if (job->class->expect == EXPECT_STOP && job->trace_state == TRACE_NONE) {
		if (sig == SIGSTOP && job->state == JOB_SPAWNED) {
			kill(pid, SIGCONT);
			job_change_state(job, job_next_state(job));
		}
		return;
	}
	switch (job->trace_state) {
	case TRACE_NEW:
		if (sig == SIGTRAP)
			trace_follow(job, pid);
		else
			ptrace(PTRACE_CONT, pid, NULL, sig);
		break;
	case TRACE_NEW_CHILD:
		if (sig == SIGSTOP)
			trace_new_child(job, pid);
		else
			ptrace(PTRACE_CONT, pid, NULL, sig);
		break;
	case TRACE_NORMAL:
		if (sig == SIGTRAP && event == PTRACE_EVENT_FORK)
			trace_fork(job, pid);
		else if (sig == SIGTRAP && event == PTRACE_EVENT_EXEC)
			job->trace_forks ? trace_done(job, pid) :
					   (void)ptrace(PTRACE_CONT, pid, NULL, 0);
		else
			ptrace(PTRACE_CONT, pid, NULL, sig == SIGTRAP ? 0 : sig);
		break;
	case TRACE_NONE:
		/* Still traced after a stop: the detach in job_process_kill()
		 * fails on a tracee that is running, and the kill signal then
		 * stops it here instead of ending it.  Let go, and pass the
		 * signal on (harmless on a process we do not trace). */
		ptrace(PTRACE_DETACH, pid, NULL, sig == SIGTRAP ? 0 : sig);
		break;
	}
}

/* ---- status -v ---- */

/* What ps shows as the command of `pid`: its arguments joined by
 * blanks, or its name in brackets; control characters as '?'.  False
 * when the process is gone. */
static bool
process_command(pid_t pid, char *buf, size_t size)
{
	char path[40];
	ssize_t n = -1;
	int fd;

	snprintf(path, sizeof path, "/proc/%d/cmdline", (int)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) >= 0) {
		n = read(fd, buf, size - 1);
		close(fd);
	}
	while (n > 0 && buf[n - 1] == '\0')
		n--;
	if (n <= 0) {
		snprintf(path, sizeof path, "/proc/%d/comm", (int)pid);
		if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
			return false;
		buf[0] = '[';
		n = read(fd, buf + 1, size - 3);
		close(fd);
		if (n <= 0)
			return false;
		n = (ssize_t)strcspn(buf, "\n");
		buf[n++] = ']';
	}
	buf[n] = '\0';
	for (ssize_t i = 0; i < n; i++)
		if (buf[i] == '\0')
			buf[i] = ' ';
		else if ((unsigned char)buf[i] < 0x20 || buf[i] == 0x7f)
			buf[i] = '?';
	return true;
}

bool
job_process_cgroup(const Job *job, char *buf, size_t size)
{
	if (!cgroup_enabled() || !job->cgroup)
		return false;
	snprintf(buf, size, "%s/%s", cgroup_path(), job->cgroup);
	return true;
}

void
job_process_members(const Job *job, JobMemberFn fn, void *data)
{
	char command[900];
	pid_t *pids;
	size_t n;

	if (!cgroup_enabled() || !job->cgroup)
		return;
	pids = cgroup_pids(job->cgroup, &n);
	for (size_t i = 0; i < n; i++)
		if (process_command(pids[i], command, sizeof command))
			fn(data, pids[i], command);
	free(pids);
}

typedef struct list_ctx {
	JobLineFn fn;
	void     *data;
} ListCtx;

static void
list_member(void *data, pid_t pid, const char *command)
{
	ListCtx *ctx = data;
	char line[1024];

	snprintf(line, sizeof line, "\tprocess %d %s", (int)pid, command);
	ctx->fn(ctx->data, line);
}

void
job_process_list(const Job *job, JobLineFn fn, void *data)
{
	static const char prefix[] = "\tcgroup ";
	char line[1024];
	ListCtx ctx = { fn, data };

	if (!cgroup_enabled()) {
		fn(data, "\tno cgroups: processes are tracked by process group only");
		return;
	}
	memcpy(line, prefix, sizeof prefix - 1);
	if (!job_process_cgroup(job, line + sizeof prefix - 1, sizeof line - (sizeof prefix - 1)))
		return;
	fn(data, line);
	job_process_members(job, list_member, &ctx);
}

/* ---- reaping ---- */

static void process_exited(pid_t pid, int status);

typedef struct forker_search {
	pid_t pid;
	Job  *job;
} ForkerSearch;

static void
forker_matches(Job *job, void *data)
{
	ForkerSearch *find = data;

	if (job->forked_from == find->pid)
		find->job = job;
}

/* `pid`, not a job's process, was reaped.  It may be the parent of a
 * main process `expect` followed, and may have reaped that process
 * itself (a shell waits for its subshell): then the main process ended
 * unseen, and is taken to have exited normally.  Without this the job
 * would show a dead main process, running for ever. */
static void
forker_exited(pid_t pid)
{
	ForkerSearch find = { pid, NULL };
	pid_t main_pid;

	job_foreach(forker_matches, &find);
	if (!find.job)
		return;
	find.job->forked_from = 0;
	main_pid = find.job->pid[PROCESS_MAIN];
	if (main_pid > 0 && kill(main_pid, 0) < 0 && errno == ESRCH)
		process_exited(main_pid, 0);
}

/* "main process (123) exited with status 1", "... killed by TERM
 * signal", "... exited normally": a process end as a cause. */
static void
termination_text(ProcessType type, pid_t pid, int status, char *buf, size_t len)
{
	const char *sig = status & ~0xff ? signal_name(status >> 8) : NULL;

	if (status & ~0xff && sig)
		snprintf(buf, len, "%s process (%d) killed by %s signal",
			 process_name(type), (int)pid, sig);
	else if (status & ~0xff)
		snprintf(buf, len, "%s process (%d) killed by signal %d",
			 process_name(type), (int)pid, status >> 8);
	else if (status)
		snprintf(buf, len, "%s process (%d) exited with status %d",
			 process_name(type), (int)pid, status);
	else
		snprintf(buf, len, "%s process (%d) exited normally", process_name(type), (int)pid);
}

static void
process_exited(pid_t pid, int status)
{
	ProcessType type;
	Job *job = job_find_by_pid(pid, &type);

	early_stop_take(pid);
	if (!job) {
		/* An orphan, or a child that failed to set up. */
		forker_exited(pid);
		return;
	}
	if (job->spawn[type].fd >= 0) {
		/* Reaped before its report pipe was read: everything it wrote
		 * is there now. */
		if (spawn_check(job, type) == 0)
			return;
		if (job->pid[type] != pid)
			return;
	}
	log_termination(job, type, pid, status,
			job_class_normal_exit(job->class, status));
	job->pid[type] = 0;
	if (type == PROCESS_MAIN && main_succeeded(job, pid, status))
		return;   /* its output goes on to the same log */
	if (job->log[type]) {
		job_log_release(job->log[type]);
		job->log[type] = NULL;
	}
	/* What this end changes (a stop, a respawn) has it as its cause. */
	{
		char why[96];

		termination_text(type, pid, status, why, sizeof why);
		history_push(CAUSE_PROCESS, why, NULL, 0);
		job_process_terminated(job, type, status);
		history_pop();
	}
}

void
job_process_reap(void)
{
	for (;;) {
		int status;
		pid_t pid = waitpid(-1, &status, WNOHANG | WUNTRACED | __WALL);

		if (pid <= 0)
			break;
		if (WIFEXITED(status) || WIFSIGNALED(status)) {
			/* Records first: a respawn may reuse the utmp slot. */
			if (reaped_hook)
				reaped_hook(pid);
			process_exited(pid, WIFEXITED(status) ? WEXITSTATUS(status) :
				       WTERMSIG(status) << 8);
		}
		else if (WIFSTOPPED(status))
			process_stopped(pid, status);
	}
}

/* ---- re-exec ---- */

void
job_process_adopt_spawn(Job *job, ProcessType type, int fd)
{
	fd_set_cloexec(fd, true);
	job->spawn[type].fd = fd;
	job->spawn[type].job = job;
	job->spawn[type].type = type;
	job->spawn[type].watch = loop_watch(fd, EPOLLIN, spawn_readable, &job->spawn[type]);
	/* Not watched (a document naming one pipe twice): not ours to
	 * close either. */
	if (!job->spawn[type].watch)
		job->spawn[type].fd = -1;
}

void
job_process_arm_kill(Job *job, uint64_t due_ms)
{
	uint64_t now = loop_now_ms();

	if (job->kill_timer)
		loop_timer_cancel(job->kill_timer);
	job->kill_timer = loop_timer(due_ms > now ? due_ms - now : 0, kill_timer_fired, job);
}

uint64_t
job_process_kill_due(const Job *job)
{
	return job->kill_timer ? loop_timer_due(job->kill_timer) : 0;
}

void
job_process_inherit(Job *job, bool inherit)
{
	for (int t = 0; t < PROCESS_COUNT; t++)
		if (job->spawn[t].fd >= 0)
			fd_set_cloexec(job->spawn[t].fd, !inherit);
}
