/* rc_run — runs one phase of an rc plan.  See rc_run.h. */
#include "rc/rc_run.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "lib/proto.h"
#include "sysv/rc_sched.h"

typedef struct buffer {
	char   *s;
	size_t  len, cap;
} Buffer;

typedef struct running {
	pid_t     pid;          /* 0 once reaped (or answered); -1 asked of init */
	int       master;       /* the script's terminal, or -1 */
	int       ctl;          /* the request to init, or -1 */
	bool      via_init;     /* init runs it: output and log are its job's */
	Buffer    pending;      /* output not yet shown */
	Buffer    all;          /* all of it, for the log */
	bool      shown;        /* past the flush time: output goes straight out */
	uint64_t  started_ms;
	int       status;       /* wait status */
} Running;

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void
write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		buf += n;
		len -= (size_t)n;
	}
}

/* Append; false when out of memory. */
static bool
buffer_add(Buffer *b, const char *buf, size_t n)
{
	if (b->len + n > b->cap) {
		size_t cap = (b->len + n) * 2;
		char *grown = realloc(b->s, cap);

		if (!grown)
			return false;
		b->s = grown;
		b->cap = cap;
	}
	memcpy(b->s + b->len, buf, n);
	b->len += n;
	return true;
}

static void
buffer_free(Buffer *b)
{
	free(b->s);
	memset(b, 0, sizeof *b);
}

/* Show what is pending. */
static void
show_pending(Running *r)
{
	write_all(STDOUT_FILENO, r->pending.s, r->pending.len);
	r->pending.len = 0;
}

static void
keep_output(Running *r, const char *buf, size_t n, bool logging)
{
	if (logging)
		buffer_add(&r->all, buf, n);    /* a log short of memory is short */
	if (!r->shown && buffer_add(&r->pending, buf, n))
		return;
	/* Shown as it comes, or out of memory: now rather than never. */
	show_pending(r);
	write_all(STDOUT_FILENO, buf, n);
}

/* Read what the terminal has now.  Returns false once nobody holds the
 * other side any more (EIO) or it broke. */
static bool
read_terminal(Running *r, bool logging)
{
	char buf[4096];

	for (;;) {
		ssize_t n = read(r->master, buf, sizeof buf);

		if (n > 0) {
			keep_output(r, buf, (size_t)n, logging);
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
	}
}

/* ---- starting a script ---- */

/* A terminal pair: the master (non-blocking) in *master, the slave
 * opened here in *slave, before the fork, so that it has an opener from
 * the start (a master whose slave was never opened reads as hung up).
 * Bytes pass as written (no \r added: the console adds its own); the
 * window size is the console's. */
static int
open_terminal(int *master, int *slave)
{
	struct termios t;
	struct winsize ws;
	char *name;

	*master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	*slave = -1;
	if (*master < 0)
		return -1;
	if (grantpt(*master) < 0 || unlockpt(*master) < 0 || !(name = ptsname(*master)) ||
	    (*slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0) {
		close(*master);
		*master = -1;
		return -1;
	}
	fcntl(*master, F_SETFL, fcntl(*master, F_GETFL) | O_NONBLOCK);
	if (tcgetattr(*slave, &t) == 0) {
		t.c_oflag &= ~(tcflag_t)OPOST;
		tcsetattr(*slave, TCSANOW, &t);
	}
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0)
		ioctl(*slave, TIOCSWINSZ, &ws);
	return 0;
}

/* vfork: the child shares our memory until it execs, so starting a
 * script costs no copy of the runner's address space (init's, when the
 * runner is init's builtin).  The child only makes system calls on
 * what was prepared before, and writes nothing but its own stack. */
static pid_t
spawn(const RcStep *step, const RcRunOptions *opt, int slave)
{
	char path[4096];
	char *const argv[] = { step->path, (char *)step->action, NULL };
	sigset_t none;
	pid_t pid;

	snprintf(path, sizeof path, "%s/%s", opt->initd, step->name);
	sigemptyset(&none);
	pid = vfork();
	if (pid != 0)
		return pid;
	/* The child. */
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);
	setpgid(0, 0);
	if (slave >= 0) {
		dup2(slave, STDOUT_FILENO);
		dup2(slave, STDERR_FILENO);
	}
	execve(path, argv, opt->envp);
	/* "PATH: REASON", with nothing that allocates or translates; errno
	 * is the parent's too: read once, right here. */
	{
		int err = errno;
		const char *why = strerrordesc_np(err);
		struct iovec msg[] = {
			{ path, strlen(path) }, { (char *)": ", 2 },
			{ (char *)(why ? why : "cannot execute"), strlen(why ? why : "cannot execute") },
			{ (char *)"\n", 1 },
		};

		if (writev(STDERR_FILENO, msg, 4) < 0) {
			/* nothing left to say it with */
		}
		_exit(err == ENOENT ? 5 : 1);
	}
}

static int
launch(const RcStep *step, const RcRunOptions *opt, Running *r)
{
	int slave = -1;

	memset(r, 0, sizeof *r);
	r->master = -1;
	r->ctl = -1;
	r->started_ms = now_ms();
	if (!step->interactive && open_terminal(&r->master, &slave) < 0)
		fprintf(stderr, "upinit-rc: no terminal for %s: %s\n", step->name, strerror(errno));
	r->pid = spawn(step, opt, slave);
	if (slave >= 0)
		close(slave);
	if (r->pid < 0) {
		fprintf(stderr, "upinit-rc: cannot run %s: %s\n", step->name, strerror(errno));
		if (r->master >= 0)
			close(r->master);
		r->master = -1;
		r->pid = 0;
		r->status = 1 << 8;
		return -1;
	}
	return 0;
}

/* ---- a step as a job of init ---- */

/* Ask init to start or stop sysv/NAME and to answer when it is done. */
static int
ask_init(const RcStep *step, const RcRunOptions *opt, Running *r)
{
	struct json_object *msg = proto_request_new(step->action), *env = json_object_new_array();
	char job[512], link[4200], action[64];
	int fd;

	memset(r, 0, sizeof *r);
	r->master = -1;
	r->ctl = -1;
	r->started_ms = now_ms();
	snprintf(job, sizeof job, "sysv/%s", step->name);
	/* The link rc would have run, for the script's $0. */
	snprintf(link, sizeof link, "UPINIT_RC_LINK=%s", step->path);
	for (char *const *e = opt->job_env; e && *e; e++)
		json_object_array_add(env, json_object_new_string(*e));
	json_object_array_add(env, json_object_new_string(link));
	/* The variables are the job's until its next start: the action
	 * says which run they were meant for. */
	snprintf(action, sizeof action, "UPINIT_RC_ACTION=%s", step->action);
	json_object_array_add(env, json_object_new_string(action));
	proto_add_member(msg, "job", json_object_new_string(job));
	proto_add_member(msg, "env", env);
	proto_add_member(msg, "wait", json_object_new_boolean(true));
	fd = msg ? proto_connect(opt->socket) : -1;
	if (fd < 0 || proto_send(fd, msg, 0) < 0) {
		json_object_put(msg);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	json_object_put(msg);
	r->ctl = fd;
	r->pid = -1;
	r->via_init = true;
	return 0;
}

static void
start_step(const RcStep *step, const RcRunOptions *opt, Running *r)
{
	if (step->kills_all && opt->before_kill_all)
		opt->before_kill_all(opt->kill_all_data);
	if (opt->socket && !step->local && ask_init(step, opt, r) == 0)
		return;
	launch(step, opt, r);
}

/* init answered: the step has ended with the script's exit status (the
 * failed process's, as init reports it), or runs here after all when init
 * has no such job. */
static void
init_answered(const RcStep *step, const RcRunOptions *opt, Running *r)
{
	struct json_object *reply = NULL, *status;
	const char *error;
	int code = 1;

	if (proto_recv_reply(r->ctl, &reply) == 1 && proto_reply_valid(reply)) {
		json_object_object_get_ex(reply, "status", &status);
		error = proto_get_string(reply, "error");
		if (json_object_get_int(status) == 0) {
			code = 0;
		} else if (json_object_object_get_ex(reply, "exit_status", &status)) {
			int raw = json_object_get_int(status);

			code = raw & ~0xff ? 128 + (raw >> 8) : raw;
		} else if (error && !strncmp(error, "Unknown job:", 12)) {
			close(r->ctl);
			json_object_put(reply);
			launch(step, opt, r);
			return;
		} else if (error && !strncmp(error, "Job is already running:", 23)) {
			/* init believes it runs, rc's choice says start it (its
			 * daemon may be gone: killprocs on the way to single
			 * user mode ends every process): the script's start runs
			 * here, as rc would run it, and the job stays running. */
			close(r->ctl);
			json_object_put(reply);
			launch(step, opt, r);
			return;
		} else if (error) {
			fprintf(stderr, "upinit-rc: %s %s: %s\n", step->name, step->action, error);
		}
	}
	json_object_put(reply);
	close(r->ctl);
	r->ctl = -1;
	r->pid = 0;
	/* As a wait status: 128 + N is the wrapper's word for signal N. */
	r->status = code > 127 ? code - 128 : code << 8;
}

/* ---- a script that ended ---- */

/* Something still holds the terminal: a forwarder copies the rest. */
static void
forward_rest(int master)
{
	pid_t pid = fork();

	if (pid != 0)
		return;
	/* Only the one terminal stays open in the forwarder. */
	if (master > 3)
		close_range(3, (unsigned)master - 1, 0);
	close_range((unsigned)master + 1, ~0U, 0);
	fcntl(master, F_SETFL, fcntl(master, F_GETFL) & ~O_NONBLOCK);
	for (;;) {
		char buf[4096];
		ssize_t n = read(master, buf, sizeof buf);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			_exit(0);
		write_all(STDOUT_FILENO, buf, (size_t)n);
	}
}

/* "PATH ACTION: exit status N after D s (from A to B s since boot)":
 * times on the monotonic clock, the same for every script, so an order
 * can be checked from the logs. */
static void
log_script(const RcRunOptions *opt, const RcStep *step, const Running *r, int code,
	   uint64_t end_ms)
{
	char path[4096], line[512];
	uint64_t ms = end_ms - r->started_ms;
	int fd;

	if (!opt->logdir)
		return;
	snprintf(path, sizeof path, "%s/sysv-%s.log", opt->logdir, step->name);
	if ((fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0640)) < 0)
		return;
	write_all(fd, r->all.s, r->all.len);
	snprintf(line, sizeof line,
		 "%s%s %s: %s %d after %llu.%03llu s (from %llu.%03llu to %llu.%03llu s since boot)\n",
		 r->all.len && r->all.s[r->all.len - 1] != '\n' ? "\n" : "", step->path, step->action,
		 WIFSIGNALED(r->status) ? "killed by signal" : "exit status", code,
		 (unsigned long long)(ms / 1000), (unsigned long long)(ms % 1000),
		 (unsigned long long)(r->started_ms / 1000), (unsigned long long)(r->started_ms % 1000),
		 (unsigned long long)(end_ms / 1000), (unsigned long long)(end_ms % 1000));
	write_all(fd, line, strlen(line));
	close(fd);
}

static void
classify(const RcStep *step, int code, bool signaled, RcRunResult *result)
{
	StrList *list = NULL;

	if (signaled)
		list = &result->failed;
	else if (code == 5)
		list = &result->not_installed;
	else if (code == 6)
		list = &result->not_configured;
	else if (code != 0 && !(code == 7 && !strcmp(step->action, "stop")))
		list = &result->failed;
	if (list)
		strlist_push(list, step->name);
}

static void
finish(const RcStep *step, const RcRunOptions *opt, Running *r, RcRunResult *result)
{
	bool signaled = WIFSIGNALED(r->status);
	int code = signaled ? WTERMSIG(r->status) : WEXITSTATUS(r->status);

	if (r->master >= 0) {
		/* All the script wrote is read here: a read that finds the
		 * master empty first waits for the kernel to move what is
		 * still in the terminal's buffer (Linux's n_tty).  What comes
		 * later is from a process the script left behind, holding the
		 * terminal (a daemon): a forwarder copies it, and the step
		 * ends now, as under startpar, not when the daemon is quiet. */
		if (read_terminal(r, opt->logdir != NULL))
			forward_rest(r->master);
		close(r->master);
		r->master = -1;
	}
	show_pending(r);
	if (!r->via_init)
		log_script(opt, step, r, code, now_ms());
	classify(step, code, signaled, result);
	result->last_code = signaled ? 128 + code : code;
	buffer_free(&r->pending);
	buffer_free(&r->all);
}

/* ---- the loop ---- */

static int
signal_channel(sigset_t *old)
{
	sigset_t chld;

	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	if (sigprocmask(SIG_BLOCK, &chld, old) < 0)
		return -1;
	return signalfd(-1, &chld, SFD_NONBLOCK | SFD_CLOEXEC);
}

/* Did a launch fail (its step is done already)? */
static bool
launched_and_ended(const Running *runs, const bool *active, size_t n)
{
	for (size_t k = 0; k < n; k++)
		if (active[k] && runs[k].pid == 0)
			return true;
	return false;
}

/* Reap our children; mark the scripts among them. */
static void
reap(Running *runs, const bool *active, size_t n)
{
	for (;;) {
		int status;
		pid_t pid = waitpid(-1, &status, WNOHANG);

		if (pid <= 0)
			return;
		for (size_t i = 0; i < n; i++) {
			if (active[i] && runs[i].pid == pid) {
				runs[i].pid = 0;
				runs[i].status = status;
			}
		}
	}
}

int
rc_run_phase(const RcPhase *phase, const RcRunOptions *opt, RcRunResult *result)
{
	size_t n = phase->len;
	Running *runs = calloc(n + 1, sizeof *runs);
	bool *active = calloc(n + 1, sizeof *active);
	struct pollfd *fds = calloc(n + 2, sizeof *fds);
	size_t *fd_step = calloc(n + 2, sizeof *fd_step);
	RcSched sched;
	sigset_t old;
	int sfd = -1, ret = -1;

	if (!runs || !active || !fds || !fd_step || rc_sched_init(&sched, phase, opt->limit) < 0)
		goto out;
	if ((sfd = signal_channel(&old)) < 0) {
		rc_sched_free(&sched);
		goto out;
	}
	while (!rc_sched_finished(&sched)) {
		ssize_t i;
		size_t nfds = 1;
		int timeout = -1;
		uint64_t now;

		/* Scripts that ended (or could not start) are done with, so
		 * that those after them start at once. */
		for (size_t k = 0; k < n; k++) {
			if (!active[k] || runs[k].pid != 0)
				continue;
			finish(&phase->steps[k], opt, &runs[k], result);
			active[k] = false;
			rc_sched_ended(&sched, k);
			if (opt->ended)
				opt->ended(k, opt->ended_data);
		}
		while ((i = rc_sched_next(&sched)) >= 0) {
			active[i] = true;
			start_step(&phase->steps[i], opt, &runs[i]);
		}
		if (rc_sched_finished(&sched))
			break;
		if (launched_and_ended(runs, active, n))
			continue;
		/* Wait for output, a child, or the next flush. */
		now = now_ms();
		fds[0] = (struct pollfd){ .fd = sfd, .events = POLLIN };
		for (size_t k = 0; k < n; k++) {
			Running *r = &runs[k];

			if (active[k] && r->ctl >= 0) {
				fds[nfds] = (struct pollfd){ .fd = r->ctl, .events = POLLIN };
				fd_step[nfds++] = k;
				continue;
			}
			if (!active[k] || r->master < 0)
				continue;
			fds[nfds] = (struct pollfd){ .fd = r->master, .events = POLLIN };
			fd_step[nfds++] = k;
			if (!r->shown) {
				uint64_t due = r->started_ms + RC_RUN_FLUSH_MS;
				int left = due > now ? (int)(due - now) : 0;

				if (timeout < 0 || left < timeout)
					timeout = left;
			}
		}
		if (poll(fds, nfds, timeout) < 0 && errno != EINTR)
			break;
		for (size_t f = 1; f < nfds; f++) {
			Running *r = &runs[fd_step[f]];

			if (fds[f].revents && r->ctl == fds[f].fd) {
				init_answered(&phase->steps[fd_step[f]], opt, r);
				continue;
			}
			if (fds[f].revents && !read_terminal(r, opt->logdir != NULL)) {
				close(r->master);
				r->master = -1;
			}
		}
		if (fds[0].revents) {
			struct signalfd_siginfo si;

			while (read(sfd, &si, sizeof si) == (ssize_t)sizeof si)
				;
		}
		reap(runs, active, n);
		/* Slow scripts show what they said so far; a script running
		 * alone shows it at once (as under startpar: "Will now
		 * restart" must be seen before the machine goes). */
		now = now_ms();
		for (size_t k = 0; k < n; k++) {
			Running *r = &runs[k];

			if (!active[k])
				continue;
			if (!r->shown && now - r->started_ms >= RC_RUN_FLUSH_MS)
				r->shown = true;
			if (r->shown || (sched.running == 1 && !opt->hold))
				show_pending(r);
		}
	}
	ret = 0;
	rc_sched_free(&sched);
	close(sfd);
	sigprocmask(SIG_SETMASK, &old, NULL);
out:
	free(runs);
	free(active);
	free(fds);
	free(fd_step);
	return ret;
}

void
rc_run_result_free(RcRunResult *result)
{
	strlist_free(&result->failed);
	strlist_free(&result->not_installed);
	strlist_free(&result->not_configured);
}
