/* crash — re-exec instead of dying.  See crash.h. */
#include "init/crash.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "init/state.h"

#define MAX_ARGS   64
#define MAX_KEEP   4096
#define STATE_WAIT_MS 3000

static const int fatal_signals[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT };

/* Built at setup, so the handler allocates nothing. */
static char *stateful_argv[MAX_ARGS + 4];
static char *stateless_argv[MAX_ARGS + 2];
static char fd_text[16];
static volatile sig_atomic_t in_handler;

static void
say(const char *text)
{
	if (write(STDERR_FILENO, text, strlen(text)) < 0)
		return;
}

/* The first child: die of the signal, leaving a core in /. */
static void
dump_core(int sig)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	sigset_t set;
	pid_t pid = fork();

	if (pid == 0) {
		sigaction(sig, &dfl, NULL);
		sigemptyset(&set);
		sigaddset(&set, sig);
		sigprocmask(SIG_UNBLOCK, &set, NULL);
		if (chdir("/") < 0)
			_exit(1);
		raise(sig);
		_exit(1);
	}
	if (pid > 0)
		waitpid(pid, NULL, 0);
}

/* In the second child: the state into `state_fd`, and the numbers of the
 * descriptors the new image needs into `report_fd`. */
static void __attribute__((noreturn))
write_state(int state_fd, int report_fd)
{
	struct json_object *state = state_serialise();
	const char *text;
	size_t len = 0, off = 0;
	DIR *dir;
	struct dirent *de;

	text = state ? json_object_to_json_string_length(state, JSON_C_TO_STRING_PLAIN, &len) : NULL;
	if (!text)
		_exit(1);
	while (off < len) {
		ssize_t n = write(state_fd, text + off, len - off);

		if (n <= 0)
			_exit(1);
		off += (size_t)n;
	}
	/* Mark what must survive in this copy of the descriptor table and
	 * tell the parent which numbers those are. */
	state_inherit(true);
	if (!(dir = opendir("/proc/self/fd")))
		_exit(1);
	while ((de = readdir(dir))) {
		int fd = atoi(de->d_name);

		if (fd > 2 && fd != state_fd && fd != report_fd && fd != dirfd(dir) &&
		    !(fcntl(fd, F_GETFD) & FD_CLOEXEC) &&
		    write(report_fd, &fd, sizeof fd) != sizeof fd)
			_exit(1);
	}
	_exit(0);
}

/* Wait for `pid` up to STATE_WAIT_MS; true when it exited 0. */
static int
child_ok(pid_t pid)
{
	struct timespec tick = { 0, 10 * 1000 * 1000 };
	int status;

	for (int i = 0; i < STATE_WAIT_MS / 10; i++) {
		pid_t r = waitpid(pid, &status, WNOHANG);

		if (r == pid)
			return WIFEXITED(status) && WEXITSTATUS(status) == 0;
		if (r < 0)
			return 0;
		nanosleep(&tick, NULL);
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	return 0;
}

static void
utoa(unsigned v, char *buf)
{
	char tmp[16];
	int n = 0;

	do
		tmp[n++] = (char)('0' + v % 10);
	while ((v /= 10) && n < 15);
	while (n)
		*buf++ = tmp[--n];
	*buf = '\0';
}

static void
try_stateful(void)
{
	int state_fd = memfd_create("upinit-crash-state", 0);
	int report[2];
	pid_t pid;
	int fd;

	if (state_fd < 0 || pipe(report) < 0)
		return;
	pid = fork();
	if (pid == 0) {
		close(report[0]);
		write_state(state_fd, report[1]);
	}
	close(report[1]);
	if (pid < 0 || !child_ok(pid)) {
		close(report[0]);
		close(state_fd);
		return;
	}
	while (read(report[0], &fd, sizeof fd) == sizeof fd)
		fcntl(fd, F_SETFD, 0);
	close(report[0]);
	lseek(state_fd, 0, SEEK_SET);
	utoa((unsigned)state_fd, fd_text);
	execv(stateful_argv[0], stateful_argv);
	close(state_fd);
}

static void
crash_handler(int sig)
{
	if (!in_handler) {
		in_handler = 1;
		say("init: caught a fatal signal, core dumped; re-executing\n");
		dump_core(sig);
		try_stateful();
	}
	say("init: re-executing without state\n");
	execv(stateless_argv[0], stateless_argv);
	say("init: unable to re-execute; waiting for ever\n");
	for (;;)
		pause();
}

void
crash_setup(char **argv)
{
	static char altstack[64 * 1024];
	stack_t ss = { .ss_sp = altstack, .ss_size = sizeof altstack };
	struct sigaction sa = { .sa_handler = crash_handler, .sa_flags = SA_ONSTACK };
	size_t n = 0, a = 0, b = 0;

	while (argv[n] && n < MAX_ARGS)
		n++;
	for (size_t i = 0; i < n; i++) {
		int skip = state_restart_words(argv, i);

		if (skip) {
			i += (size_t)skip - 1;
			continue;
		}
		stateful_argv[a++] = argv[i];
		stateless_argv[b++] = argv[i];
	}
	stateful_argv[a++] = "--restart";
	stateful_argv[a++] = "--state-fd";
	stateful_argv[a++] = fd_text;
	stateful_argv[a] = NULL;
	stateless_argv[b++] = "--restart";
	stateless_argv[b] = NULL;

	sigset_t fatal;

	sigaltstack(&ss, NULL);
	sigfillset(&sa.sa_mask);
	sigemptyset(&fatal);
	for (size_t i = 0; i < sizeof fatal_signals / sizeof fatal_signals[0]; i++) {
		sigaction(fatal_signals[i], &sa, NULL);
		sigaddset(&fatal, fatal_signals[i]);
	}
	/* An image exec'd from inside the handler starts with every signal
	 * blocked: the fatal ones must reach us again.  (The others stay
	 * blocked for signalfd; pending ones are read there.) */
	sigprocmask(SIG_UNBLOCK, &fatal, NULL);
}
