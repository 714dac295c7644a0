/* Unit tests for compat/sysv/initctl_fifo: the /run/initctl request
 * decoder (table-driven) and the FIFO itself, in a temporary directory,
 * fed by child processes that write exactly as sysvinit's telinit does:
 * open the FIFO for writing, one write(2) of 384 bytes, close.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sysv/initctl_fifo.h"
#include "sysv/initreq.h"
#include "init/log.h"
#include "init/loop.h"

#define COUNT(a) (sizeof (a) / sizeof (a)[0])

/* ---- building requests ------------------------------------------------ */

static struct init_request
request(int cmd, int runlevel, int sleeptime)
{
	struct init_request req;

	memset(&req, 0, sizeof req);
	req.magic = INITREQ_MAGIC;
	req.cmd = cmd;
	req.runlevel = runlevel;
	req.sleeptime = sleeptime;
	return req;
}

/* A SETENV request whose data holds `len` bytes of `data` (the rest 0). */
static struct init_request
setenv_request(const char *data, size_t len)
{
	struct init_request req = request(INITREQ_CMD_SETENV, 0, 5);

	assert_true(len <= sizeof req.i.data);
	memcpy(req.i.data, data, len);
	return req;
}

/* ---- the decoder: header fields --------------------------------------- */

typedef struct decode_case {
	const char     *name;
	int32_t         magic;
	int32_t         cmd;
	int32_t         runlevel;
	int32_t         sleeptime;
	size_t          len;          /* 0: INITREQ_SIZE */
	int             ret;
	InitRequestType type;
	char            level;        /* expected runlevel when ret == 0 */
	const char     *why;          /* expected reason when ret == -1 */
} DecodeCase;

#define OK(n, c, rl, st, t, lvl) \
	{ n, INITREQ_MAGIC, c, rl, st, 0, 0, t, lvl, NULL }
#define BAD(n, m, c, rl, st, l, w) \
	{ n, m, c, rl, st, l, -1, 0, 0, w }

static const DecodeCase decode_cases[] = {
	OK("runlevel 0", INITREQ_CMD_RUNLVL, '0', 3, INIT_REQUEST_RUNLEVEL, '0'),
	OK("runlevel 6", INITREQ_CMD_RUNLVL, '6', 5, INIT_REQUEST_RUNLEVEL, '6'),
	OK("runlevel 7", INITREQ_CMD_RUNLVL, '7', 5, INIT_REQUEST_RUNLEVEL, '7'),
	OK("runlevel 9", INITREQ_CMD_RUNLVL, '9', 5, INIT_REQUEST_RUNLEVEL, '9'),
	OK("runlevel S", INITREQ_CMD_RUNLVL, 'S', 5, INIT_REQUEST_RUNLEVEL, 'S'),
	OK("runlevel s", INITREQ_CMD_RUNLVL, 's', 5, INIT_REQUEST_RUNLEVEL, 'S'),
	OK("reload q", INITREQ_CMD_RUNLVL, 'q', 5, INIT_REQUEST_RUNLEVEL, 'Q'),
	OK("reload Q", INITREQ_CMD_RUNLVL, 'Q', 5, INIT_REQUEST_RUNLEVEL, 'Q'),
	OK("reexec u", INITREQ_CMD_RUNLVL, 'u', 5, INIT_REQUEST_RUNLEVEL, 'U'),
	OK("reexec U", INITREQ_CMD_RUNLVL, 'U', 5, INIT_REQUEST_RUNLEVEL, 'U'),
	OK("ondemand a", INITREQ_CMD_RUNLVL, 'a', 5, INIT_REQUEST_RUNLEVEL, 'A'),
	OK("ondemand B", INITREQ_CMD_RUNLVL, 'B', 5, INIT_REQUEST_RUNLEVEL, 'B'),
	OK("ondemand c", INITREQ_CMD_RUNLVL, 'c', 5, INIT_REQUEST_RUNLEVEL, 'C'),
	OK("sleeptime 0", INITREQ_CMD_RUNLVL, '2', 0, INIT_REQUEST_RUNLEVEL, '2'),
	OK("sleeptime max", INITREQ_CMD_RUNLVL, '2', INITREQ_SLEEPTIME_MAX,
	   INIT_REQUEST_RUNLEVEL, '2'),
	OK("powerfail", INITREQ_CMD_POWERFAIL, 0, 5, INIT_REQUEST_POWERFAIL, 0),
	OK("powerfailnow", INITREQ_CMD_POWERFAILNOW, 0, 5,
	   INIT_REQUEST_POWERFAILNOW, 0),
	OK("powerok", INITREQ_CMD_POWEROK, 0, 5, INIT_REQUEST_POWEROK, 0),
	/* The runlevel field means nothing to POWER* requests. */
	OK("powerfail, junk level", INITREQ_CMD_POWERFAIL, 'X', 5,
	   INIT_REQUEST_POWERFAIL, 0),
	OK("start", INITREQ_CMD_START, 0, 0, INIT_REQUEST_UNIMPLEMENTED, 0),
	OK("bsd", INITREQ_CMD_BSD, 0, 0, INIT_REQUEST_UNIMPLEMENTED, 0),
	OK("unsetenv", INITREQ_CMD_UNSETENV, 0, 0, INIT_REQUEST_UNIMPLEMENTED, 0),
	/* SETENV ignores runlevel and sleeptime. */
	OK("setenv", INITREQ_CMD_SETENV, 'X', -9, INIT_REQUEST_SETENV, 0),

	BAD("size 0", INITREQ_MAGIC, 1, '2', 5, 1, "wrong size"),
	BAD("size 383", INITREQ_MAGIC, 1, '2', 5, 383, "wrong size"),
	BAD("size 385", INITREQ_MAGIC, 1, '2', 5, 385, "wrong size"),
	BAD("size 768", INITREQ_MAGIC, 1, '2', 5, 768, "wrong size"),
	BAD("magic 0", 0, 1, '2', 5, 0, "wrong magic"),
	BAD("magic swapped", 0x69190903, 1, '2', 5, 0, "wrong magic"),
	BAD("magic off by one", INITREQ_MAGIC + 1, 1, '2', 5, 0, "wrong magic"),
	BAD("cmd 8", INITREQ_MAGIC, 8, '2', 5, 0, "unknown command"),
	BAD("cmd -1", INITREQ_MAGIC, -1, '2', 5, 0, "unknown command"),
	BAD("changecons", INITREQ_MAGIC, INITREQ_CMD_CHANGECONS, '2', 5, 0,
	    "unknown command"),
	BAD("level NUL", INITREQ_MAGIC, 1, 0, 5, 0, "bad runlevel"),
	BAD("level 0 as a number", INITREQ_MAGIC, 1, 6, 5, 0, "bad runlevel"),
	BAD("level X", INITREQ_MAGIC, 1, 'X', 5, 0, "bad runlevel"),
	BAD("level D", INITREQ_MAGIC, 1, 'D', 5, 0, "bad runlevel"),
	BAD("level space", INITREQ_MAGIC, 1, ' ', 5, 0, "bad runlevel"),
	BAD("level -1", INITREQ_MAGIC, 1, -1, 5, 0, "bad runlevel"),
	BAD("level '2'+256", INITREQ_MAGIC, 1, '2' + 256, 5, 0, "bad runlevel"),
	BAD("level 0xb2", INITREQ_MAGIC, 1, 0xb2, 5, 0, "bad runlevel"),
	BAD("sleeptime -1", INITREQ_MAGIC, 1, '2', -1, 0, "bad sleeptime"),
	BAD("sleeptime huge", INITREQ_MAGIC, 1, '2', INITREQ_SLEEPTIME_MAX + 1,
	    0, "bad sleeptime"),
	BAD("powerok, sleeptime -5", INITREQ_MAGIC, 4, 0, -5, 0,
	    "bad sleeptime"),
};

static void
test_decode_table(void **state)
{
	for (size_t i = 0; i < COUNT(decode_cases); i++) {
		const DecodeCase *c = &decode_cases[i];
		char buf[2 * INITREQ_SIZE];
		struct init_request wire = request(c->cmd, c->runlevel,
						   c->sleeptime);
		InitRequest req;
		const char *why = NULL;
		int ret;

		wire.magic = c->magic;
		memset(buf, 0, sizeof buf);
		memcpy(buf, &wire, sizeof wire);
		errno = 0;
		ret = initreq_decode(buf, c->len ? c->len : INITREQ_SIZE, &req,
				     &why);
		if (ret != c->ret)
			fail_msg("%s: returned %d", c->name, ret);
		if (c->ret < 0) {
			assert_int_equal(errno, EINVAL);
			if (!why || strcmp(why, c->why) != 0)
				fail_msg("%s: why \"%s\", wanted \"%s\"", c->name,
					 why ? why : "(null)", c->why);
			continue;
		}
		if (req.type != c->type)
			fail_msg("%s: type %s", c->name,
				 initreq_type_name(req.type));
		assert_int_equal(req.cmd, c->cmd);
		if (req.runlevel != c->level)
			fail_msg("%s: level '%c'", c->name, req.runlevel);
		if (c->type == INIT_REQUEST_RUNLEVEL ||
		    c->type == INIT_REQUEST_POWERFAIL ||
		    c->type == INIT_REQUEST_POWERFAILNOW ||
		    c->type == INIT_REQUEST_POWEROK)
			assert_int_equal(req.sleeptime, c->sleeptime);
		else
			assert_int_equal(req.sleeptime, 0);
	}
}

/* Every runlevel character sysvinit's telinit can send, and no other. */
static void
test_decode_every_level_byte(void **state)
{
	for (int c = -300; c < 600; c++) {
		struct init_request wire = request(INITREQ_CMD_RUNLVL, c, 5);
		bool valid = c > 0 && c < 128 &&
			     strchr("0123456789SsQqUuAaBbCc", c);
		InitRequest req;

		if ((initreq_decode(&wire, sizeof wire, &req, NULL) == 0) != valid)
			fail_msg("runlevel %d: valid should be %d", c, valid);
		if (valid && req.runlevel != (c >= 'a' ? c - 32 : c))
			fail_msg("runlevel %d: got '%c'", c, req.runlevel);
	}
}

/* The decoder copies: any alignment, and `why` may be NULL. */
static void
test_decode_unaligned(void **state)
{
	struct init_request wire = request(INITREQ_CMD_RUNLVL, '3', 7);
	char buf[INITREQ_SIZE + 8];
	InitRequest req;

	for (size_t off = 0; off < 8; off++) {
		memcpy(buf + off, &wire, sizeof wire);
		assert_int_equal(initreq_decode(buf + off, INITREQ_SIZE, &req,
						 NULL), 0);
		assert_int_equal(req.runlevel, '3');
		assert_int_equal(req.sleeptime, 7);
	}
	assert_int_equal(initreq_decode(buf, 10, &req, NULL), -1);
}

static void
test_type_names(void **state)
{
	assert_string_equal(initreq_type_name(INIT_REQUEST_RUNLEVEL), "runlevel");
	assert_string_equal(initreq_type_name(INIT_REQUEST_POWERFAIL), "powerfail");
	assert_string_equal(initreq_type_name(INIT_REQUEST_POWERFAILNOW),
			    "powerfailnow");
	assert_string_equal(initreq_type_name(INIT_REQUEST_POWEROK), "powerok");
	assert_string_equal(initreq_type_name(INIT_REQUEST_SETENV), "setenv");
	assert_string_equal(initreq_type_name(INIT_REQUEST_UNIMPLEMENTED),
			    "unimplemented");
	assert_string_equal(initreq_type_name((InitRequestType)99), "unknown");
}

/* ---- the decoder: SETENV lists ---------------------------------------- */

typedef struct setenv_case {
	const char *name;
	const char *data;       /* NUL-separated; `len` bytes */
	size_t      len;
	int         ret;
	const char *kept[INITREQ_ENV_MAX + 1];   /* NULL-terminated */
	size_t      dropped;
} SetenvCase;

#define S(str) str, sizeof (str) - 1

static const SetenvCase setenv_cases[] = {
	{ "empty list", S("\0"), 0, { NULL }, 0 },
	{ "all zero", S(""), 0, { NULL }, 0 },
	{ "set one", S("INIT_A=1\0\0"), 0, { "INIT_A=1", NULL }, 0 },
	{ "set and unset", S("INIT_A=1\0INIT_B\0\0"), 0,
	  { "INIT_A=1", "INIT_B", NULL }, 0 },
	{ "empty value", S("INIT_A=\0\0"), 0, { "INIT_A=", NULL }, 0 },
	{ "value with =", S("INIT_A=x=y\0\0"), 0, { "INIT_A=x=y", NULL }, 0 },
	{ "value with bytes", S("INIT_A=\x01\xff \t\0\0"), 0,
	  { "INIT_A=\x01\xff \t", NULL }, 0 },
	{ "bare prefix", S("INIT_=1\0\0"), 0, { "INIT_=1", NULL }, 0 },
	{ "order kept, repeats kept", S("INIT_A=1\0INIT_A=2\0INIT_A\0\0"), 0,
	  { "INIT_A=1", "INIT_A=2", "INIT_A", NULL }, 0 },
	{ "other names dropped", S("PATH=/tmp\0INIT_A=1\0HOME\0LD_PRELOAD=x\0\0"),
	  0, { "INIT_A=1", NULL }, 3 },
	{ "prefix is case-sensitive", S("init_a=1\0Init_B=2\0\0"), 0,
	  { NULL }, 2 },
	{ "INIT without _", S("INIT=1\0INITX=2\0INIT\0\0"), 0, { NULL }, 3 },
	{ "odd name characters", S("INIT_A B=1\0INIT_A-B=1\0INIT_\xc3\xa9=1\0\0"),
	  0, { NULL }, 3 },
	{ "=value alone", S("=INIT_A\0\0"), 0, { NULL }, 1 },
	{ "stops at the empty string", S("INIT_A=1\0\0INIT_B=2\0\0"), 0,
	  { "INIT_A=1", NULL }, 0 },
	/* The rest of data[] is zero: terminated. */
	{ "zero padding ends it", S("INIT_A=1"), 0, { "INIT_A=1", NULL }, 0 },
};

static void
check_setenv(const char *name, const InitRequest *req, const char *const *kept,
	     size_t dropped)
{
	size_t n = 0;

	while (kept[n])
		n++;
	if (req->env_len != n)
		fail_msg("%s: %zu entries kept, wanted %zu", name, req->env_len, n);
	for (size_t i = 0; i < n; i++) {
		if (strcmp(initreq_env(req, i), kept[i]) != 0)
			fail_msg("%s: entry %zu \"%s\", wanted \"%s\"", name, i,
				 initreq_env(req, i), kept[i]);
		assert_int_equal(initreq_env_is_unset(req, i),
				 strchr(kept[i], '=') == NULL);
	}
	assert_null(initreq_env(req, n));
	if (req->env_dropped != dropped)
		fail_msg("%s: %zu dropped, wanted %zu", name, req->env_dropped,
			 dropped);
}

static void
test_setenv_table(void **state)
{
	for (size_t i = 0; i < COUNT(setenv_cases); i++) {
		const SetenvCase *c = &setenv_cases[i];
		struct init_request wire = setenv_request(c->data, c->len);
		InitRequest req;

		if (initreq_decode(&wire, sizeof wire, &req, NULL) != c->ret)
			fail_msg("%s: wrong result", c->name);
		assert_int_equal(req.type, INIT_REQUEST_SETENV);
		check_setenv(c->name, &req, c->kept, c->dropped);
	}
}

/* 20 variables: the first 16 INIT_ ones are kept, the rest dropped. */
static void
test_setenv_limit(void **state)
{
	char data[INITREQ_DATA_SIZE];
	const char *kept[INITREQ_ENV_MAX + 1];
	static char names[INITREQ_ENV_MAX][16];
	size_t pos = 0;
	InitRequest req;
	struct init_request wire;

	memset(data, 0, sizeof data);
	pos += (size_t)sprintf(data + pos, "OTHER=1") + 1;
	for (int i = 0; i < 20; i++) {
		int n = sprintf(data + pos, "INIT_V%d=%d", i, i);

		if (i < INITREQ_ENV_MAX) {
			memcpy(names[i], data + pos, (size_t)n + 1);
			kept[i] = names[i];
		}
		pos += (size_t)n + 1;
	}
	kept[INITREQ_ENV_MAX] = NULL;
	assert_true(pos < sizeof data);
	wire = setenv_request(data, sizeof data);
	assert_int_equal(initreq_decode(&wire, sizeof wire, &req, NULL), 0);
	check_setenv("limit", &req, kept, 1 + 20 - INITREQ_ENV_MAX);
}

/* Lists that run to the very end of data[] without the empty string. */
static void
test_setenv_unterminated(void **state)
{
	struct init_request wire = request(INITREQ_CMD_SETENV, 0, 0);
	InitRequest req;
	const char *why = NULL;

	/* 368 bytes, no NUL at all. */
	memset(wire.i.data, 'A', sizeof wire.i.data);
	assert_int_equal(initreq_decode(&wire, sizeof wire, &req, &why), -1);
	assert_string_equal(why, "unterminated environment list");

	/* One entry ending on the last byte: no room for the empty string. */
	memset(wire.i.data, 'A', sizeof wire.i.data);
	memcpy(wire.i.data, "INIT_A=", 7);
	wire.i.data[INITREQ_DATA_SIZE - 1] = '\0';
	assert_int_equal(initreq_decode(&wire, sizeof wire, &req, &why), -1);

	/* Entries then filler up to the end. */
	memset(wire.i.data, 'x', sizeof wire.i.data);
	memcpy(wire.i.data, "INIT_A=1\0INIT_B=2", 18);
	assert_int_equal(initreq_decode(&wire, sizeof wire, &req, &why), -1);

	/* The same entry one byte shorter leaves the empty string: fine. */
	memset(wire.i.data, 'A', sizeof wire.i.data);
	memcpy(wire.i.data, "INIT_A=", 7);
	wire.i.data[INITREQ_DATA_SIZE - 2] = '\0';
	wire.i.data[INITREQ_DATA_SIZE - 1] = '\0';
	assert_int_equal(initreq_decode(&wire, sizeof wire, &req, &why), 0);
	assert_int_equal(req.env_len, 1);
	assert_int_equal(strlen(initreq_env(&req, 0)), INITREQ_DATA_SIZE - 2);
}

/* Many small entries: offsets stay inside env_buf and kept entries are
 * exactly what was sent. */
static void
test_setenv_dense(void **state)
{
	struct init_request wire = request(INITREQ_CMD_SETENV, 0, 0);
	InitRequest req;
	size_t pos = 0;
	int n = 0;

	while (pos + 8 < INITREQ_DATA_SIZE) {
		memcpy(wire.i.data + pos, n % 2 ? "INIT_X\0" : "XXXXXX\0", 7);
		pos += 7;
		n++;
	}
	assert_int_equal(initreq_decode(&wire, sizeof wire, &req, NULL), 0);
	assert_int_equal(req.env_len, INITREQ_ENV_MAX);
	assert_int_equal(req.env_dropped, (size_t)n - INITREQ_ENV_MAX);
	for (size_t i = 0; i < req.env_len; i++) {
		assert_string_equal(initreq_env(&req, i), "INIT_X");
		assert_true(initreq_env_is_unset(&req, i));
	}
}

/* ---- the FIFO: helpers ------------------------------------------------ */

#define MAX_SEEN 64

static struct {
	size_t          n;
	InitRequestType type[MAX_SEEN];
	char            level[MAX_SEEN];
	char            env0[MAX_SEEN][64];
	bool            close_on_first;
} seen;

static void
on_request(const InitRequest *req, void *data)
{
	assert_ptr_equal(data, &seen);
	if (seen.n < MAX_SEEN) {
		seen.type[seen.n] = req->type;
		seen.level[seen.n] = req->runlevel;
		snprintf(seen.env0[seen.n], sizeof seen.env0[0], "%s",
			 req->env_len ? initreq_env(req, 0) : "");
	}
	seen.n++;
	if (seen.close_on_first)
		initctl_fifo_close();
}

static char dir[PATH_MAX];
static char fifo_path[PATH_MAX + 32];
static char dev_path[PATH_MAX + 32];

/* stderr goes to a file while a test looks at init's log lines. */
static int saved_stderr = -1;
static char log_path[PATH_MAX + 32];

static void
capture_start(void)
{
	int fd = open(log_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	assert_true(fd >= 0);
	saved_stderr = dup(STDERR_FILENO);
	dup2(fd, STDERR_FILENO);
	close(fd);
}

/* Returns the captured text (static buffer). */
static const char *
capture_end(void)
{
	static char text[65536];
	ssize_t n;
	int fd;

	dup2(saved_stderr, STDERR_FILENO);
	close(saved_stderr);
	saved_stderr = -1;
	fd = open(log_path, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	n = read(fd, text, sizeof text - 1);
	close(fd);
	text[n > 0 ? n : 0] = '\0';
	return text;
}

static size_t
count_lines(const char *text, const char *needle)
{
	size_t n = 0;

	for (const char *p = text; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

static int
setup(void **state)
{
	snprintf(dir, sizeof dir, "%s/upinit-fifo-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(dir));
	snprintf(fifo_path, sizeof fifo_path, "%s/initctl", dir);
	snprintf(dev_path, sizeof dev_path, "%s/dev-initctl", dir);
	snprintf(log_path, sizeof log_path, "%s/log", dir);
	assert_int_equal(loop_init(), 0);
	memset(&seen, 0, sizeof seen);
	initctl_fifo_reset();
	initctl_fifo_set_handler(on_request, &seen);
	return 0;
}

static int
teardown(void **state)
{
	char cmd[PATH_MAX + 16];

	initctl_fifo_reset();
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		return -1;
	return 0;
}

/* Run the loop until `*counter` reaches `want` or `ms` pass. */
static void
pump_until(const size_t *counter, size_t want, int ms)
{
	uint64_t end = loop_now_ms() + (uint64_t)ms;

	while ((!counter || *counter < want) && loop_now_ms() < end)
		loop_run_once(20);
}

static void
pump(int ms)
{
	pump_until(NULL, 0, ms);
}

/* A child writes each of `n` buffers with one write(2), as telinit does
 * (open O_WRONLY, write, close), and exits; the loop runs meanwhile so
 * a child blocked on a full pipe is never left waiting. */
static void
child_writes(const void *const *bufs, const size_t *lens, size_t n)
{
	pid_t pid = fork();
	int status;

	assert_true(pid >= 0);
	if (pid == 0) {
		int fd;

		alarm(10);
		fd = open(fifo_path, O_WRONLY | O_CLOEXEC);
		if (fd < 0)
			_exit(2);
		for (size_t i = 0; i < n; i++)
			if (write(fd, bufs[i], lens[i]) != (ssize_t)lens[i])
				_exit(3);
		close(fd);
		_exit(0);
	}
	while (waitpid(pid, &status, WNOHANG) == 0)
		loop_run_once(10);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

static void
telinit(const struct init_request *req)
{
	const void *bufs[1] = { req };
	size_t lens[1] = { sizeof *req };

	child_writes(bufs, lens, 1);
}

/* ---- the FIFO: tests -------------------------------------------------- */

static void
test_fifo_create(void **state)
{
	struct stat st;

	assert_int_equal(initctl_fifo_open(fifo_path), 0);
	assert_int_equal(stat(fifo_path, &st), 0);
	assert_true(S_ISFIFO(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_true(initctl_fifo_fd() >= 0);
	assert_string_equal(initctl_fifo_path(), fifo_path);
	/* Close-on-exec and non-blocking. */
	assert_true(fcntl(initctl_fifo_fd(), F_GETFD) & FD_CLOEXEC);
	assert_true(fcntl(initctl_fifo_fd(), F_GETFL) & O_NONBLOCK);
}

static void
test_fifo_existing_made_private(void **state)
{
	struct stat st;

	assert_int_equal(mkfifo(fifo_path, 0600), 0);
	assert_int_equal(chmod(fifo_path, 0666), 0);
	assert_int_equal(initctl_fifo_open(fifo_path), 0);
	assert_int_equal(stat(fifo_path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
}

static void
test_fifo_requests_from_telinit(void **state)
{
	struct init_request lvl = request(INITREQ_CMD_RUNLVL, '5', 3);
	struct init_request pwr = request(INITREQ_CMD_POWERFAIL, 0, 5);
	struct init_request env = setenv_request(S("X=1\0INIT_HALT=POWEROFF\0\0"));
	InitctlFifoStats stats;

	assert_int_equal(initctl_fifo_open(fifo_path), 0);
	telinit(&lvl);
	telinit(&pwr);
	telinit(&env);
	pump_until(&seen.n, 3, 2000);
	assert_int_equal(seen.n, 3);
	assert_int_equal(seen.type[0], INIT_REQUEST_RUNLEVEL);
	assert_int_equal(seen.level[0], '5');
	assert_int_equal(seen.type[1], INIT_REQUEST_POWERFAIL);
	assert_int_equal(seen.type[2], INIT_REQUEST_SETENV);
	assert_string_equal(seen.env0[2], "INIT_HALT=POWEROFF");
	initctl_fifo_get_stats(&stats);
	assert_int_equal(stats.requests, 3);
	assert_int_equal(stats.dropped, 0);
}

/* Several requests queued before init gets to read: all handled, in
 * order, in one wakeup. */
static void
test_fifo_queued_requests(void **state)
{
	struct init_request reqs[10];
	const void *bufs[10];
	size_t lens[10];

	for (int i = 0; i < 10; i++) {
		reqs[i] = request(INITREQ_CMD_RUNLVL, '0' + i, 3);
		bufs[i] = &reqs[i];
		lens[i] = sizeof reqs[i];
	}
	assert_int_equal(initctl_fifo_open(fifo_path), 0);
	child_writes(bufs, lens, 10);
	pump_until(&seen.n, 10, 2000);
	assert_int_equal(seen.n, 10);
	for (int i = 0; i < 10; i++)
		assert_int_equal(seen.level[i], '0' + i);
}

/* Wrong size and wrong magic are dropped; the next good request is read
 * whole, because a short read took everything the pipe held. */
static void
test_fifo_bogus_then_good(void **state)
{
	struct init_request bad_magic = request(INITREQ_CMD_RUNLVL, '3', 3);
	struct init_request good = request(INITREQ_CMD_RUNLVL, '4', 3);
	struct init_request start = request(INITREQ_CMD_START, 0, 0);
	char small[100];
	const char *log;
	InitctlFifoStats stats;
	const void *bufs[1] = { small };
	size_t lens[1] = { sizeof small };

	bad_magic.magic = 0x12345678;
	memset(small, 0x55, sizeof small);
	initctl_fifo_set_bogus_interval(0);   /* every line, for this test */
	assert_int_equal(initctl_fifo_open(fifo_path), 0);

	capture_start();
	child_writes(bufs, lens, 1);
	pump(100);
	telinit(&bad_magic);
	pump(100);
	telinit(&start);
	pump(100);
	telinit(&good);
	pump_until(&seen.n, 1, 2000);
	log = capture_end();

	assert_int_equal(seen.n, 1);
	assert_int_equal(seen.level[0], '4');
	assert_non_null(strstr(log, "got bogus initrequest: wrong size"));
	assert_non_null(strstr(log, "got bogus initrequest: wrong magic"));
	assert_non_null(strstr(log, "got unimplemented initrequest."));
	initctl_fifo_get_stats(&stats);
	assert_int_equal(stats.dropped, 3);
	assert_int_equal(stats.requests, 1);
}

/* 1000 random writes: nothing reaches the handler (sizes and magic are
 * wrong), init never blocks, and the log gets ONE line for the flood;
 * afterwards the FIFO still works. */
static void
test_fifo_random_flood(void **state)
{
	enum { N = 1000 };
	static char data[N][1000];
	const void *bufs[N];
	size_t lens[N];
	struct init_request good = request(INITREQ_CMD_RUNLVL, '2', 3);
	InitctlFifoStats stats;
	const char *log;

	srandom(1969);
	for (int i = 0; i < N; i++) {
		lens[i] = 1 + (size_t)random() % sizeof data[i];
		if (lens[i] == INITREQ_SIZE)
			lens[i]--;
		for (size_t j = 0; j < lens[i]; j++)
			data[i][j] = (char)random();
		bufs[i] = data[i];
	}
	initctl_fifo_set_bogus_interval(60000);
	assert_int_equal(initctl_fifo_open(fifo_path), 0);

	capture_start();
	child_writes(bufs, lens, N);
	pump(200);            /* drain what the last wakeups left */
	log = capture_end();

	assert_int_equal(seen.n, 0);
	assert_int_equal(count_lines(log, "got bogus initrequest"), 1);
	initctl_fifo_get_stats(&stats);
	assert_true(stats.dropped >= N / 2);
	assert_int_equal(stats.log_lines, 1);

	/* The pipe is drained and aligned again. */
	telinit(&good);
	pump_until(&seen.n, 1, 2000);
	assert_int_equal(seen.n, 1);
	assert_int_equal(seen.level[0], '2');
}

/* Drops kept quiet are counted in the next line, which a timer writes at
 * the end of the interval. */
static void
test_fifo_rate_limit_counts(void **state)
{
	char junk[10] = { 0 };
	const char *log;
	const void *bufs[1] = { junk };
	size_t lens[1] = { sizeof junk };

	initctl_fifo_set_bogus_interval(1000);
	assert_int_equal(initctl_fifo_open(fifo_path), 0);
	capture_start();
	for (int i = 0; i < 5; i++) {
		child_writes(bufs, lens, 1);
		pump(20);
	}
	pump(1500);
	log = capture_end();
	assert_int_equal(count_lines(log, "got bogus initrequest"), 2);
	assert_non_null(strstr(log, "got bogus initrequest: 4 more dropped"));
}

/* rm + mkfifo, as mountall.sh does after mounting /run: the next check
 * serves the new FIFO. */
static void
test_fifo_replaced(void **state)
{
	struct init_request req = request(INITREQ_CMD_RUNLVL, '3', 3);
	struct stat st;
	InitctlFifoStats stats;

	assert_int_equal(initctl_fifo_open(fifo_path), 0);
	assert_int_equal(unlink(fifo_path), 0);
	assert_int_equal(mkfifo(fifo_path, 0600), 0);
	capture_start();
	assert_int_equal(initctl_fifo_check(), 0);
	capture_end();
	assert_int_equal(fstat(initctl_fifo_fd(), &st), 0);
	{
		struct stat now;

		assert_int_equal(stat(fifo_path, &now), 0);
		assert_int_equal(st.st_ino, now.st_ino);
	}
	initctl_fifo_get_stats(&stats);
	assert_int_equal(stats.reopens, 1);
	telinit(&req);
	pump_until(&seen.n, 1, 2000);
	assert_int_equal(seen.n, 1);
	assert_int_equal(seen.level[0], '3');

	/* Nothing changed: check is a no-op. */
	assert_int_equal(initctl_fifo_check(), 0);
	initctl_fifo_get_stats(&stats);
	assert_int_equal(stats.reopens, 1);
}

/* Removed and not re-created: check creates it again. */
static void
test_fifo_removed(void **state)
{
	struct stat st;

	assert_int_equal(initctl_fifo_open(fifo_path), 0);
	assert_int_equal(unlink(fifo_path), 0);
	capture_start();
	assert_int_equal(initctl_fifo_check(), 0);
	capture_end();
	assert_int_equal(stat(fifo_path, &st), 0);
	assert_true(S_ISFIFO(st.st_mode));
}

/* A replaced FIFO is noticed on the next wakeup of the old one too. */
static void
test_fifo_replaced_noticed_on_wakeup(void **state)
{
	struct init_request req = request(INITREQ_CMD_RUNLVL, '4', 3);
	struct stat st, now;
	int old_fd;

	assert_int_equal(initctl_fifo_open(fifo_path), 0);
	old_fd = open(fifo_path, O_WRONLY | O_CLOEXEC);   /* keeps the old one */
	assert_true(old_fd >= 0);
	assert_int_equal(unlink(fifo_path), 0);
	assert_int_equal(mkfifo(fifo_path, 0600), 0);
	capture_start();
	assert_int_equal(write(old_fd, &req, sizeof req), (ssize_t)sizeof req);
	pump_until(&seen.n, 1, 2000);
	capture_end();
	close(old_fd);
	assert_int_equal(seen.n, 1);
	assert_int_equal(fstat(initctl_fifo_fd(), &st), 0);
	assert_int_equal(stat(fifo_path, &now), 0);
	assert_int_equal(st.st_ino, now.st_ino);
}

/* Writes `req` as telinit does and returns at once: init has not read it. */
static void
write_unread(const struct init_request *req)
{
	int fd = open(fifo_path, O_WRONLY | O_NONBLOCK | O_CLOEXEC);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, req, sizeof *req), (ssize_t)sizeof *req);
	close(fd);
}

/* SIGUSR1 and a request in the same wakeup (sysvinit's postinst: kill
 * -USR1 1; init u): the reopen must not throw the request away. */
static void
test_fifo_reopen_keeps_unread_request(void **state)
{
	struct init_request req = request(INITREQ_CMD_RUNLVL, 'U', 3);
	struct init_request next = request(INITREQ_CMD_RUNLVL, '2', 3);

	assert_int_equal(initctl_fifo_open(fifo_path), 0);
	write_unread(&req);
	assert_int_equal(initctl_fifo_reopen(), 0);
	pump_until(&seen.n, 1, 2000);
	assert_int_equal(seen.n, 1);
	assert_int_equal(seen.level[0], 'U');
	/* And the reopened FIFO serves what comes next. */
	telinit(&next);
	pump_until(&seen.n, 2, 2000);
	assert_int_equal(seen.n, 2);
	assert_int_equal(seen.level[1], '2');
}

/* Replaced (rm + mkfifo) with a request still in the old one: handled,
 * and the new one served. */
static void
test_fifo_replaced_keeps_unread_request(void **state)
{
	struct init_request req = request(INITREQ_CMD_RUNLVL, '5', 3);
	struct stat st, now;

	assert_int_equal(initctl_fifo_open(fifo_path), 0);
	write_unread(&req);
	assert_int_equal(unlink(fifo_path), 0);
	assert_int_equal(mkfifo(fifo_path, 0600), 0);
	capture_start();
	assert_int_equal(initctl_fifo_check(), 0);
	capture_end();
	pump_until(&seen.n, 1, 2000);
	assert_int_equal(seen.n, 1);
	assert_int_equal(seen.level[0], '5');
	assert_int_equal(fstat(initctl_fifo_fd(), &st), 0);
	assert_int_equal(stat(fifo_path, &now), 0);
	assert_int_equal(st.st_ino, now.st_ino);
}

/* SIGUSR2 closes until SIGUSR1. */
static void
test_fifo_close_reopen(void **state)
{
	struct init_request req = request(INITREQ_CMD_RUNLVL, '1', 3);

	assert_int_equal(initctl_fifo_open(fifo_path), 0);
	initctl_fifo_close();
	assert_int_equal(initctl_fifo_fd(), -1);
	assert_int_equal(initctl_fifo_check(), 0);   /* stays closed */
	assert_int_equal(initctl_fifo_fd(), -1);
	assert_int_equal(initctl_fifo_reopen(), 0);
	assert_true(initctl_fifo_fd() >= 0);
	telinit(&req);
	pump_until(&seen.n, 1, 2000);
	assert_int_equal(seen.n, 1);
}

/* The handler may close the FIFO; the rest of the batch is not read. */
static void
test_fifo_handler_closes(void **state)
{
	struct init_request reqs[2] = {
		request(INITREQ_CMD_RUNLVL, '2', 3),
		request(INITREQ_CMD_RUNLVL, '3', 3),
	};
	const void *bufs[2] = { &reqs[0], &reqs[1] };
	size_t lens[2] = { sizeof reqs[0], sizeof reqs[1] };
	pid_t pid;
	int status;

	seen.close_on_first = true;
	assert_int_equal(initctl_fifo_open(fifo_path), 0);
	/* Both requests go in before the loop runs. */
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int fd = open(fifo_path, O_WRONLY);

		for (int i = 0; i < 2; i++)
			if (write(fd, bufs[i], lens[i]) < 0)
				_exit(1);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	pump(200);
	assert_int_equal(seen.n, 1);
	assert_int_equal(initctl_fifo_fd(), -1);
}

static void
test_fifo_refuses_regular_file(void **state)
{
	const char *log;
	struct stat st;
	int fd = open(fifo_path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, "keep", 4), 4);
	close(fd);
	capture_start();
	assert_int_equal(initctl_fifo_open(fifo_path), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(initctl_fifo_check(), -1);    /* logged once only */
	log = capture_end();
	assert_int_equal(count_lines(log, " is not a fifo"), 1);
	assert_non_null(strstr(log, "/initctl is not a fifo"));
	assert_int_equal(initctl_fifo_fd(), -1);
	assert_int_equal(stat(fifo_path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_size, 4);

	/* Once the file is gone, a check serves a FIFO there. */
	assert_int_equal(unlink(fifo_path), 0);
	assert_int_equal(initctl_fifo_check(), 0);
	assert_true(initctl_fifo_fd() >= 0);
}

static void
test_fifo_refuses_directory(void **state)
{
	assert_int_equal(mkdir(fifo_path, 0700), 0);
	capture_start();
	assert_int_equal(initctl_fifo_open(fifo_path), -1);
	assert_non_null(strstr(capture_end(), "is not a fifo"));
}

/* A missing directory: open fails and a later check succeeds once it
 * exists (as when /run is mounted late). */
static void
test_fifo_late_directory(void **state)
{
	char sub[PATH_MAX + 64];

	snprintf(sub, sizeof sub, "%s/run", dir);
	snprintf(fifo_path, sizeof fifo_path, "%s/run/initctl", dir);
	capture_start();
	assert_int_equal(initctl_fifo_open(fifo_path), -1);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(initctl_fifo_check(), -1);
	assert_int_equal(count_lines(capture_end(), "mkfifo"), 1);
	assert_int_equal(mkdir(sub, 0755), 0);
	assert_int_equal(initctl_fifo_check(), 0);
	assert_true(initctl_fifo_fd() >= 0);
}

/* A descriptor inherited across re-exec. */
static void
test_fifo_adopt(void **state)
{
	struct init_request req = request(INITREQ_CMD_RUNLVL, '6', 3);
	int fd;

	assert_int_equal(mkfifo(fifo_path, 0600), 0);
	fd = open(fifo_path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(initctl_fifo_adopt(fifo_path, fd), 0);
	assert_int_equal(initctl_fifo_fd(), fd);
	telinit(&req);
	pump_until(&seen.n, 1, 2000);
	assert_int_equal(seen.level[0], '6');

	/* Not a FIFO: refused and closed. */
	fd = open(log_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	capture_start();
	assert_int_equal(initctl_fifo_adopt(fifo_path, fd), -1);
	capture_end();
	assert_int_equal(fcntl(fd, F_GETFD), -1);
}

static void
test_fifo_link_dev(void **state)
{
	char target[PATH_MAX];
	ssize_t n;
	struct stat st;
	int fd;

	assert_int_equal(initctl_fifo_open(fifo_path), 0);
	assert_int_equal(initctl_fifo_link_dev(dev_path), 0);
	n = readlink(dev_path, target, sizeof target - 1);
	assert_true(n > 0);
	target[n] = '\0';
	assert_string_equal(target, fifo_path);
	assert_int_equal(initctl_fifo_link_dev(dev_path), 0);   /* again */

	/* A stale link is replaced. */
	assert_int_equal(unlink(dev_path), 0);
	assert_int_equal(symlink("/nowhere", dev_path), 0);
	assert_int_equal(initctl_fifo_link_dev(dev_path), 0);
	n = readlink(dev_path, target, sizeof target - 1);
	target[n] = '\0';
	assert_string_equal(target, fifo_path);

	/* An old sysvinit FIFO is replaced. */
	assert_int_equal(unlink(dev_path), 0);
	assert_int_equal(mkfifo(dev_path, 0600), 0);
	assert_int_equal(initctl_fifo_link_dev(dev_path), 0);
	assert_int_equal(lstat(dev_path, &st), 0);
	assert_true(S_ISLNK(st.st_mode));

	/* A regular file is left alone. */
	assert_int_equal(unlink(dev_path), 0);
	fd = open(dev_path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	close(fd);
	capture_start();
	assert_int_equal(initctl_fifo_link_dev(dev_path), -1);
	assert_int_equal(errno, EEXIST);
	capture_end();
	assert_int_equal(lstat(dev_path, &st), 0);
	assert_true(S_ISREG(st.st_mode));

	/* A directory that does not exist: an error, nothing else. */
	snprintf(dev_path, sizeof dev_path, "%s/nodev/initctl", dir);
	capture_start();
	assert_int_equal(initctl_fifo_link_dev(dev_path), -1);
	capture_end();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_table),
		cmocka_unit_test(test_decode_every_level_byte),
		cmocka_unit_test(test_decode_unaligned),
		cmocka_unit_test(test_type_names),
		cmocka_unit_test(test_setenv_table),
		cmocka_unit_test(test_setenv_limit),
		cmocka_unit_test(test_setenv_unterminated),
		cmocka_unit_test(test_setenv_dense),
		cmocka_unit_test_setup_teardown(test_fifo_create, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fifo_existing_made_private,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_fifo_requests_from_telinit,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_fifo_queued_requests,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_fifo_bogus_then_good,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_fifo_random_flood,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_fifo_rate_limit_counts,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_fifo_replaced, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_fifo_removed, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			test_fifo_replaced_noticed_on_wakeup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fifo_reopen_keeps_unread_request, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fifo_replaced_keeps_unread_request, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fifo_close_reopen, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_fifo_handler_closes, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_fifo_refuses_regular_file,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_fifo_refuses_directory,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_fifo_late_directory, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_fifo_adopt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fifo_link_dev, setup,
						teardown),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
