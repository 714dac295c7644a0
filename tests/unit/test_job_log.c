/* Tests for job_log: real processes write to the pty, the main loop
 * copies their output into files under a temporary log directory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <json-c/json.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "init/job_log.h"
#include "init/log.h"
#include "init/loop.h"

#define WAIT_MS 10000   /* give up on anything taking longer */

static char log_dir[64];         /* mkdtemp under /tmp */
static char self_exe[PATH_MAX];

/* ---- helpers ------------------------------------------------------------ */

static int
remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

static int
setup(void **state)
{
	strcpy(log_dir, "/tmp/test_job_log.XXXXXX");
	if (!mkdtemp(log_dir))
		return -1;
	job_log_set_disabled(false);
	job_log_set_buffer_limit(JOB_LOG_DEFAULT_BUFFER_LIMIT);
	return job_log_set_dir(log_dir);
}

static int
teardown(void **state)
{
	uint64_t end = loop_now_ms() + 2000;

	job_log_free_all();
	/* We are a subreaper: collect daemons the tests left behind. */
	while (waitpid(-1, NULL, WNOHANG) >= 0 && loop_now_ms() < end)
		usleep(10000);
	return nftw(log_dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* "DIR/NAME" in a static buffer: copy it to keep it across calls. */
static const char *
in_dir(const char *name)
{
	static char path[PATH_MAX];

	snprintf(path, sizeof path, "%s/%s", log_dir, name);
	return path;
}

/* The whole file (NUL-terminated for convenience), or NULL if missing. */
static char *
slurp(const char *path, size_t *len)
{
	char *data = NULL;
	size_t size = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		return NULL;
	data = malloc(1);
	for (;;) {
		char chunk[65536];
		size_t n = fread(chunk, 1, sizeof chunk, f);

		if (!n)
			break;
		data = realloc(data, size + n + 1);
		memcpy(data + size, chunk, n);
		size += n;
	}
	fclose(f);
	data[size] = '\0';
	if (len)
		*len = size;
	return data;
}

static bool
file_is(const char *path, const char *want)
{
	char *data = slurp(path, NULL);
	bool same = data && strcmp(data, want) == 0;

	free(data);
	return same;
}

/* Run the loop until `done(arg)` holds; false after WAIT_MS. */
static bool
run_until(bool (*done)(const void *), const void *arg)
{
	uint64_t end = loop_now_ms() + WAIT_MS;

	while (!done(arg)) {
		if (loop_now_ms() > end)
			return false;
		loop_run_once(50);
	}
	return true;
}

static bool count_is(const void *n)   { return job_log_count() == *(const size_t *)n; }
static bool pending_is(const void *n) { return job_log_pending() == *(const size_t *)n; }

struct file_want { const char *path; const char *data; };
static bool file_matches(const void *w)
{
	const struct file_want *want = w;

	return file_is(want->path, want->data);
}

/* Run the loop until child `pid` has exited (the loop keeps reading, so a
 * child writing more than the pty holds does not stall). */
static void
reap(pid_t pid)
{
	uint64_t end = loop_now_ms() + WAIT_MS;
	int status;

	for (;;) {
		pid_t got = waitpid(pid, &status, WNOHANG);

		if (got == pid)
			break;
		assert_int_equal(got, 0);
		assert_true(loop_now_ms() < end);
		loop_run_once(50);
	}
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

static void
write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			_exit(3);
		p += n;
		len -= (size_t)n;
	}
}

/* Children inherit both ends of every pipe (they do not exec), so a
 * signal is a byte, not the end of the pipe. */
static void
wait_for_go(int fd)
{
	char c;

	while (read(fd, &c, 1) < 0 && errno == EINTR)
		;
}

static void
send_go(int fd)
{
	write_all(fd, "g", 1);
}

/* What a child does with its stdout/stderr on the slave. */
typedef void (*ChildFn)(const void *arg);

/* Fork a "job process" as job_process would: stdin /dev/null, stdout and
 * stderr the slave, which the parent then closes. */
static pid_t
spawn(int slave, ChildFn fn, const void *arg)
{
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		int null = open("/dev/null", O_RDONLY);

		alarm(2 * WAIT_MS / 1000);     /* never outlive a failed test */
		dup2(null, 0);
		dup2(slave, 1);
		dup2(slave, 2);
		close(slave);
		close(null);
		fn(arg);
		_exit(0);
	}
	close(slave);
	return pid;
}

static void child_print(const void *arg) { write_all(1, arg, strlen(arg)); }

/* Writes `before`, waits for a byte (or EOF) on `go`, writes `after`. */
struct two_part { const char *before; int go; const char *after; };
static void child_two_part(const void *arg)
{
	const struct two_part *tp = arg;

	write_all(1, tp->before, strlen(tp->before));
	wait_for_go(tp->go);
	write_all(2, tp->after, strlen(tp->after));
}

static char *
expand_newlines(const char *data, size_t len, size_t *out_len)
{
	char *out = malloc(2 * len + 1);
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		if (data[i] == '\n')
			out[n++] = '\r';
		out[n++] = data[i];
	}
	out[n] = '\0';
	*out_len = n;
	return out;
}

/* ---- tests -------------------------------------------------------------- */

static void
test_path_mangling(void **state)
{
	static const struct {
		const char *job, *instance, *file;
	} cases[] = {
		{ "apache",     NULL,     "apache.log" },
		{ "net/apache", NULL,     "net_apache.log" },
		{ "tty",        "",       "tty.log" },
		{ "tty",        "tty1",   "tty-tty1.log" },
		{ "a/b/c",      "x/y",    "a_b_c-x_y.log" },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *path = job_log_path(cases[i].job, cases[i].instance);

		assert_non_null(path);
		assert_string_equal(path, in_dir(cases[i].file));
		free(path);
	}
	assert_string_equal(job_log_dir(), log_dir);
	assert_int_equal(job_log_set_dir(NULL), 0);
	assert_string_equal(job_log_dir(), "/var/log/upstart");
	assert_int_equal(job_log_set_dir(log_dir), 0);
}

/* Lines arrive with \r\n; the file is created 0640 under umask 022. */
static void
test_lines(void **state)
{
	size_t zero = 0;
	struct stat st;
	int slave;
	JobLog *log = job_log_new("net/apache", NULL, &slave);
	pid_t pid;

	assert_non_null(log);
	assert_string_equal(job_log_file(log), in_dir("net_apache.log"));
	assert_true(fcntl(slave, F_GETFD) & FD_CLOEXEC);
	assert_true(isatty(slave));
	pid = spawn(slave, child_print, "hello\nworld\n");
	reap(pid);
	job_log_release(log);
	assert_true(run_until(count_is, &zero));

	assert_true(file_is(in_dir("net_apache.log"), "hello\r\nworld\r\n"));
	assert_int_equal(stat(in_dir("net_apache.log"), &st), 0);
	assert_int_equal(st.st_mode & 07777, 0640);
}

/* Instance logs are JOB-INSTANCE.log; a second run appends. */
static void
test_instance_appends(void **state)
{
	size_t zero = 0;

	for (int run = 0; run < 2; run++) {
		int slave;
		JobLog *log = job_log_new("getty", "tty/1", &slave);

		assert_non_null(log);
		reap(spawn(slave, child_print, run ? "second\n" : "first\n"));
		job_log_release(log);
		assert_true(run_until(count_is, &zero));
	}
	assert_true(file_is(in_dir("getty-tty_1.log"), "first\r\nsecond\r\n"));
}

static void child_binary(const void *arg)
{
	char bytes[256];

	for (int i = 0; i < 256; i++)
		bytes[i] = (char)i;
	write_all(1, bytes, sizeof bytes);
}

/* Every byte value passes through; only \n gains its \r. */
static void
test_binary(void **state)
{
	char bytes[256], *want, *got;
	size_t want_len, got_len, zero = 0;
	int slave;
	JobLog *log = job_log_new("binary", NULL, &slave);

	assert_non_null(log);
	reap(spawn(slave, child_binary, NULL));
	job_log_release(log);
	assert_true(run_until(count_is, &zero));

	for (int i = 0; i < 256; i++)
		bytes[i] = (char)i;
	want = expand_newlines(bytes, sizeof bytes, &want_len);
	got = slurp(in_dir("binary.log"), &got_len);
	assert_non_null(got);
	assert_int_equal(got_len, want_len);
	assert_memory_equal(got, want, want_len);
	free(want);
	free(got);
}

#define BURST_SIZE (3 << 20)

static void fill_burst(char *buf)
{
	for (size_t i = 0; i < BURST_SIZE; i++)
		buf[i] = i % 80 == 79 ? '\n' : (char)('a' + i % 26);
}

static void child_burst(const void *arg)
{
	char *buf = malloc(BURST_SIZE);

	fill_burst(buf);
	write_all(1, buf, BURST_SIZE);
	free(buf);
}

/* Far more than a pty holds: the child blocks until init reads, nothing
 * is lost or reordered. */
static void
test_burst(void **state)
{
	char *buf, *want, *got;
	size_t want_len, got_len, zero = 0;
	int slave;
	JobLog *log = job_log_new("burst", NULL, &slave);

	assert_non_null(log);
	reap(spawn(slave, child_burst, NULL));
	job_log_release(log);
	assert_true(run_until(count_is, &zero));

	buf = malloc(BURST_SIZE);
	fill_burst(buf);
	want = expand_newlines(buf, BURST_SIZE, &want_len);
	got = slurp(in_dir("burst.log"), &got_len);
	assert_non_null(got);
	assert_int_equal(got_len, want_len);
	assert_memory_equal(got, want, want_len);
	free(buf);
	free(want);
	free(got);
}

/* The pty reports EOF before the job lets go: the log stays (its pointer
 * is still held) and goes at release. */
static void
test_eof_before_release(void **state)
{
	size_t zero = 0, one = 1;
	struct file_want want = { in_dir("early-eof.log"), "bye\r\n" };
	int slave;
	JobLog *log = job_log_new("early-eof", NULL, &slave);

	assert_non_null(log);
	reap(spawn(slave, child_print, "bye\n"));
	assert_true(run_until(file_matches, &want));
	for (int i = 0; i < 5; i++)
		loop_run_once(10);
	assert_true(count_is(&one));
	job_log_release(log);
	assert_true(count_is(&zero));
}

/* No log directory yet: output waits in memory, the file appears with
 * notify-disk-writeable; a finished log then frees itself. */
static void
test_buffer_until_notify(void **state)
{
	size_t zero = 0, one = 1, seven = 7;
	char sub[PATH_MAX];
	int slave;
	JobLog *log;

	snprintf(sub, sizeof sub, "%s/sub", log_dir);
	assert_int_equal(job_log_set_dir(sub), 0);
	log = job_log_new("early", NULL, &slave);
	assert_non_null(log);
	reap(spawn(slave, child_print, "early\n"));
	job_log_release(log);
	assert_true(run_until(pending_is, &seven));
	for (int i = 0; i < 5; i++)
		loop_run_once(10);
	assert_true(count_is(&one));           /* held for its output */
	assert_int_equal(access(in_dir("sub"), F_OK), -1);

	job_log_notify_disk_writeable();       /* still no directory */
	assert_true(count_is(&one));
	assert_true(pending_is(&seven));

	assert_int_equal(mkdir(sub, 0755), 0);
	job_log_notify_disk_writeable();
	assert_true(count_is(&zero));
	assert_true(file_is(in_dir("sub/early.log"), "early\r\n"));
}

/* Buffered output is written, in order, at the next open that works:
 * here when more output arrives after the directory appeared. */
static void
test_flush_on_next_output(void **state)
{
	size_t zero = 0, seven = 7;
	char sub[PATH_MAX];
	int slave, go[2];
	struct two_part tp = { "early\n", -1, "late\n" };
	JobLog *log;
	pid_t pid;

	snprintf(sub, sizeof sub, "%s/sub", log_dir);
	assert_int_equal(job_log_set_dir(sub), 0);
	assert_int_equal(pipe(go), 0);
	tp.go = go[0];
	log = job_log_new("order", NULL, &slave);
	assert_non_null(log);
	pid = spawn(slave, child_two_part, &tp);
	close(go[0]);
	assert_true(run_until(pending_is, &seven));

	assert_int_equal(mkdir(sub, 0755), 0);
	send_go(go[1]);
	reap(pid);
	job_log_release(log);
	assert_true(run_until(count_is, &zero));
	assert_true(file_is(in_dir("sub/order.log"), "early\r\nlate\r\n"));
}

static void child_many_x(const void *arg)
{
	char buf[5000];

	memset(buf, 'x', sizeof buf);
	write_all(1, buf, sizeof buf);
}

/* The memory buffer is capped; what did not fit is dropped. */
static void
test_buffer_limit(void **state)
{
	size_t zero = 0, limit = 1000, got_len;
	char sub[PATH_MAX], *got;
	int slave;
	JobLog *log;

	snprintf(sub, sizeof sub, "%s/sub", log_dir);
	assert_int_equal(job_log_set_dir(sub), 0);
	job_log_set_buffer_limit(limit);
	log = job_log_new("chatty", NULL, &slave);
	assert_non_null(log);
	reap(spawn(slave, child_many_x, NULL));
	job_log_release(log);
	for (int i = 0; i < 5; i++)
		loop_run_once(10);
	assert_true(pending_is(&limit));

	assert_int_equal(mkdir(sub, 0755), 0);
	job_log_notify_disk_writeable();
	assert_true(count_is(&zero));
	got = slurp(in_dir("sub/chatty.log"), &got_len);
	assert_non_null(got);
	assert_int_equal(got_len, limit);
	assert_int_equal(strspn(got, "x"), limit);
	free(got);
}

/* logrotate without copytruncate deletes the file: a new one is made. */
static void
test_deleted_file_recreated(void **state)
{
	size_t zero = 0;
	struct file_want first = { in_dir("rotate.log"), "one\r\n" };
	struct two_part tp = { "one\n", -1, "two\n" };
	int slave, go[2];
	JobLog *log;
	pid_t pid;

	assert_int_equal(pipe(go), 0);
	tp.go = go[0];
	log = job_log_new("rotate", NULL, &slave);
	assert_non_null(log);
	pid = spawn(slave, child_two_part, &tp);
	close(go[0]);
	assert_true(run_until(file_matches, &first));
	assert_int_equal(unlink(in_dir("rotate.log")), 0);
	send_go(go[1]);
	reap(pid);
	job_log_release(log);
	assert_true(run_until(count_is, &zero));
	assert_true(file_is(in_dir("rotate.log"), "two\r\n"));
}

/* A daemon keeps the slave after its parent exited.  release() returns at
 * once, other logs carry on, the daemon's later output is still logged
 * and the log ends when the daemon does. */
struct daemon_arg { int go; int quit; };
static void child_daemon(const void *arg)
{
	const struct daemon_arg *d = arg;

	if (fork() == 0) {
		alarm(2 * WAIT_MS / 1000);
		wait_for_go(d->go);
		write_all(1, "daemon\n", 7);
		wait_for_go(d->quit);
		_exit(0);
	}
	write_all(1, "parent\n", 7);
}

static void
test_daemon_keeps_slave(void **state)
{
	size_t zero = 0, one = 1;
	char path[PATH_MAX];
	struct file_want both = { path, "parent\r\ndaemon\r\n" };
	struct daemon_arg d;
	int slave, go[2], quit[2];
	uint64_t start;
	JobLog *log, *other;

	strcpy(path, in_dir("daemon.log"));
	assert_int_equal(pipe(go), 0);
	assert_int_equal(pipe(quit), 0);
	d.go = go[0];
	d.quit = quit[0];
	log = job_log_new("daemon", NULL, &slave);
	assert_non_null(log);
	reap(spawn(slave, child_daemon, &d));
	close(go[0]);
	close(quit[0]);

	start = loop_now_ms();
	job_log_release(log);
	assert_true(loop_now_ms() - start < 1000);
	assert_true(count_is(&one));
	assert_true(file_is(in_dir("daemon.log"), "parent\r\n"));

	/* The loop is not held up: an idle pass times out, another job's
	 * log runs its whole course meanwhile. */
	start = loop_now_ms();
	loop_run_once(100);
	assert_true(loop_now_ms() - start < 1000);
	other = job_log_new("other", NULL, &slave);
	assert_non_null(other);
	reap(spawn(slave, child_print, "other\n"));
	job_log_release(other);
	assert_true(run_until(count_is, &one));
	assert_true(file_is(in_dir("other.log"), "other\r\n"));

	send_go(go[1]);
	assert_true(run_until(file_matches, &both));
	assert_true(count_is(&one));
	send_go(quit[1]);
	assert_true(run_until(count_is, &zero));
	assert_true(file_is(in_dir("daemon.log"), "parent\r\ndaemon\r\n"));
}

static void
test_disabled(void **state)
{
	int slave = -1;

	job_log_set_disabled(true);
	assert_true(job_log_disabled());
	errno = 0;
	assert_null(job_log_new("quiet", NULL, &slave));
	assert_int_equal(errno, ECANCELED);
	assert_int_equal(slave, -1);
	job_log_set_disabled(false);
	assert_false(job_log_disabled());
}

/* No descriptors left: NULL with errno, so the caller can fall back to
 * `console none`. */
static void
test_pty_failure(void **state)
{
	int status;
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		struct rlimit lim = { 0, 0 };
		int slave = -1;
		JobLog *log;

		getrlimit(RLIMIT_NOFILE, &lim);
		lim.rlim_cur = 0;
		setrlimit(RLIMIT_NOFILE, &lim);
		log = job_log_new("nofd", NULL, &slave);
		_exit(!log && errno == EMFILE && slave == -1 ? 0 : 1);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

/* ---- re-exec --------------------------------------------------------------
 *
 * Stage 1 (a fresh image, so its epoll set is its own) starts a job
 * process that writes, waits and writes again, and a second log that
 * holds buffered output; it serialises, keeps the masters across exec
 * and re-execs itself.  Stage 2 restores, lets the job finish and checks
 * the files.  Failures exit non-zero with a message. */

#define CHECK(cond) do { if (!(cond)) { \
	fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #cond); \
	_exit(1); } } while (0)

static int
reexec_stage1(const char *dir)
{
	struct two_part tp = { "before\n", -1, "after\n" };
	struct file_want first;
	char path[PATH_MAX], sub[PATH_MAX], arg_fd[16], arg_go[16], arg_id[24],
	     arg_pid[16];
	size_t seven = 7;
	const char *text;
	int slave, go[2], state_fd, status;
	JobLog *log, *early;
	pid_t job, other;
	json_object *json;

	CHECK(job_log_set_dir(dir) == 0);
	CHECK(pipe(go) == 0);
	tp.go = go[0];
	log = job_log_new("reexec", NULL, &slave);
	CHECK(log);
	job = spawn(slave, child_two_part, &tp);
	close(go[0]);
	snprintf(path, sizeof path, "%s/reexec.log", dir);
	first.path = path;
	first.data = "before\r\n";
	CHECK(run_until(file_matches, &first));

	snprintf(sub, sizeof sub, "%s/sub", dir);
	CHECK(job_log_set_dir(sub) == 0);
	early = job_log_new("early", NULL, &slave);
	CHECK(early);
	other = spawn(slave, child_print, "early\n");
	CHECK(waitpid(other, &status, 0) == other);
	job_log_release(early);
	CHECK(run_until(pending_is, &seven));

	json = job_log_serialise();
	CHECK(json);
	text = json_object_to_json_string(json);
	state_fd = memfd_create("job_log-state", 0);
	CHECK(state_fd >= 0);
	CHECK(write(state_fd, text, strlen(text)) == (ssize_t)strlen(text));
	CHECK(lseek(state_fd, 0, SEEK_SET) == 0);
	snprintf(arg_fd, sizeof arg_fd, "%d", state_fd);
	snprintf(arg_go, sizeof arg_go, "%d", go[1]);
	snprintf(arg_id, sizeof arg_id, "%llu",
		 (unsigned long long)job_log_id(log));
	snprintf(arg_pid, sizeof arg_pid, "%d", (int)job);
	json_object_put(json);

	job_log_keep_across_exec(true);
	execl(self_exe, self_exe, "--reexec-stage2", dir, arg_fd, arg_go,
	      arg_id, arg_pid, (char *)NULL);
	job_log_keep_across_exec(false);
	CHECK(!"execl failed");
	return 1;
}

static int
reexec_stage2(char **argv)
{
	const char *dir = argv[2];
	int state_fd = atoi(argv[3]), go = atoi(argv[4]), status;
	uint64_t id = strtoull(argv[5], NULL, 10);
	pid_t job = atoi(argv[6]);
	char *text, path[PATH_MAX + 64], sub[PATH_MAX];
	size_t zero = 0, one = 1, two = 2;
	json_object *json;
	JobLog *log;

	CHECK(job_log_set_dir(dir) == 0);
	snprintf(path, sizeof path, "/proc/self/fd/%d", state_fd);
	text = slurp(path, NULL);
	CHECK(text);
	json = json_tokener_parse(text);
	CHECK(json);
	CHECK(job_log_deserialise(json) == 0);
	json_object_put(json);
	close(state_fd);
	CHECK(count_is(&two));
	CHECK(job_log_pending() == 7);
	log = job_log_claim(id);
	CHECK(log);

	/* Masters are close-on-exec again after restoring. */
	for (int fd = 3; fd < 64; fd++) {
		char link[PATH_MAX];
		ssize_t n;

		snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
		n = readlink(path, link, sizeof link - 1);
		if (n < 0)
			continue;
		link[n] = '\0';
		if (strcmp(link, "/dev/ptmx") == 0)
			CHECK(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	}

	/* The job process is still our child: let it write again. */
	send_go(go);
	for (uint64_t end = loop_now_ms() + WAIT_MS;
	     waitpid(job, &status, WNOHANG) == 0; loop_run_once(50))
		CHECK(loop_now_ms() < end);
	job_log_release(log);
	CHECK(run_until(count_is, &one));
	snprintf(path, sizeof path, "%s/reexec.log", dir);
	CHECK(file_is(path, "before\r\nafter\r\n"));

	snprintf(sub, sizeof sub, "%s/sub", dir);
	CHECK(mkdir(sub, 0755) == 0);
	job_log_notify_disk_writeable();
	CHECK(count_is(&zero));
	snprintf(path, sizeof path, "%s/early.log", sub);
	CHECK(file_is(path, "early\r\n"));
	free(text);
	return 0;
}

static void
test_reexec(void **state)
{
	int status;
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		execl(self_exe, self_exe, "--reexec-stage1", log_dir,
		      (char *)NULL);
		_exit(127);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_path_mangling, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lines, setup, teardown),
		cmocka_unit_test_setup_teardown(test_instance_appends, setup, teardown),
		cmocka_unit_test_setup_teardown(test_binary, setup, teardown),
		cmocka_unit_test_setup_teardown(test_burst, setup, teardown),
		cmocka_unit_test_setup_teardown(test_eof_before_release, setup, teardown),
		cmocka_unit_test_setup_teardown(test_buffer_until_notify, setup, teardown),
		cmocka_unit_test_setup_teardown(test_flush_on_next_output, setup, teardown),
		cmocka_unit_test_setup_teardown(test_buffer_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deleted_file_recreated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_daemon_keeps_slave, setup, teardown),
		cmocka_unit_test_setup_teardown(test_disabled, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pty_failure, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reexec, setup, teardown),
	};
	ssize_t n;

	n = readlink("/proc/self/exe", self_exe, sizeof self_exe - 1);
	if (n < 0)
		return 1;
	self_exe[n] = '\0';
	umask(022);
	log_set_priority(LOG_PRIO_ERROR);   /* expected warnings stay quiet */
	/* A job writing to a pty whose reader went away gets SIGHUP/EIO;
	 * the tests themselves must not die of SIGPIPE on closed pipes. */
	signal(SIGPIPE, SIG_IGN);
	prctl(PR_SET_CHILD_SUBREAPER, 1);

	if (argc > 2 && strcmp(argv[1], "--reexec-stage1") == 0)
		return reexec_stage1(argv[2]);
	if (argc > 6 && strcmp(argv[1], "--reexec-stage2") == 0)
		return reexec_stage2(argv);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
