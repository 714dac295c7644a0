/* Allocation failure, one allocation at a time, over the core's main
 * paths: loading job files, emitting events through the job state
 * machine, serving control requests, and writing and restoring the
 * re-exec state.
 *
 * The program replaces malloc, calloc, realloc and free (glibc lets a
 * program do so, and then its own strdup, asprintf and getline use the
 * replacement, as json-c does).  The replacement counts the blocks alive
 * and, when told, fails the Nth allocation from now.  For each scenario:
 *
 *   1. it runs twice without failure: the second run must end with as
 *      many blocks alive as it began with (no leak on the good path), and
 *      gives the number of allocations it makes, T;
 *   2. it runs T more times, allocation n of T failing in run n.  Every
 *      run must end without a crash, with no block more alive than before
 *      (a failure path that leaks shows here), and either with the same
 *      result as without failure or with an error said: a message in
 *      init's log (stderr) or an error reply to the client.
 *
 * Upstart checked each core function this way (TEST_ALLOC_FAIL).  Under
 * AddressSanitizer, whose allocator cannot be replaced, the test skips.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dlfcn.h>
#include <errno.h>
#include <execinfo.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "init/conf.h"
#include "init/control.h"
#include "init/control_commands.h"
#include "init/event.h"
#include "init/job.h"
#include "init/job_class.h"
#include "init/log.h"
#include "init/loop.h"
#include "init/registry.h"
#include "init/state.h"
#include "job_defs.h"
#include "lib/proto.h"

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

/* ---- the counting allocator ---- */

static int saved_stderr = -1;     /* the real stderr while runs log */

#ifndef UNDER_ASAN
extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t size);
extern void  __libc_free(void *p);

static unsigned long allocations;   /* made since the run began */
static unsigned long fail_at;       /* that one fails (1-based); 0: none */
static int paused;                  /* the test's own side: not counted */
static bool tracking;               /* a run is on */
static unsigned long show_at;       /* ALLOC_FAIL_SHOW: print its stack */
static unsigned long run_allocations; /* made by the run proper */

/* The blocks a run allocated and has not freed: an open-addressing set
 * of pointers, each with the number of its allocation.  Exact whatever
 * glibc allocates behind our back: a free of a block not in it is
 * simply not counted. */
#define SLOTS (1u << 17)
#define GONE  ((void *)1)
static struct { void *p; unsigned long n; } slots[SLOTS];
static long alive;

static size_t
slot_of(const void *p)
{
	return ((uintptr_t)p >> 4) * 2654435761u % SLOTS;
}

static bool made_by(const char *function);

static void
remember(void *p)
{
	size_t i = slot_of(p);

	if (!p || !tracking || paused)
		return;
	/* json-c 0.16 leaks the copy of a key when its table cannot grow
	 * (lh_table_insert_w_hash fails after json_object_object_add_ex
	 * made it): its loss, not init's, so its keys are not counted. */
	if (made_by("json_object_object_add_ex"))
		return;
	while (slots[i].p && slots[i].p != GONE)
		i = (i + 1) % SLOTS;
	slots[i].p = p;
	slots[i].n = allocations;
	alive++;
}

/* Forget `p`; true when it was a block of this run. */
static bool
forget(void *p)
{
	for (size_t i = slot_of(p); slots[i].p; i = (i + 1) % SLOTS) {
		if (slots[i].p == p) {
			slots[i].p = GONE;
			alive--;
			return true;
		}
	}
	return false;
}

static void
forget_all(void)
{
	memset(slots, 0, sizeof slots);
	alive = 0;
}

/* With ALLOC_FAIL_TRACE: the numbers of the blocks still alive. */
static void
report_alive(void)
{
	for (size_t i = 0; i < SLOTS; i++)
		if (slots[i].p && slots[i].p != GONE)
			dprintf(saved_stderr, "-- still alive: allocation %lu\n", slots[i].n);
}

static void
print_stack(const char *what)
{
	void *frames[24];

	paused++;
	dprintf(saved_stderr, "-- allocation %lu %s:\n", allocations, what);
	backtrace_symbols_fd(frames, backtrace(frames, 24), saved_stderr);
	paused--;
}

/* Is the allocation being made inside `function` (an exported symbol)? */
static bool
made_by(const char *function)
{
	void *frames[8];
	int n;
	Dl_info info;

	paused++;
	n = backtrace(frames, 8);
	paused--;
	for (int i = 0; i < n; i++)
		if (dladdr(frames[i], &info) && info.dli_sname &&
		    strcmp(info.dli_sname, function) == 0)
			return true;
	return false;
}

/* json-c 0.16 (Debian 12) does not survive its own failed strdup in its
 * parser (a NULL key reaches strlen in json_object_object_add_ex): a
 * crash in a library init uses, not in init's code, so the parser's
 * allocations are never failed. */
static bool
in_json_tokener(void)
{
	return made_by("json_tokener_parse_ex");
}

/* Count an allocation; true when it is the one to fail.  With
 * ALLOC_FAIL_TRACE set, the failing allocation's stack is printed (the
 * debug build's -rdynamic gives names), and ALLOC_FAIL_SHOW=N prints
 * allocation N's. */
static bool
fail_now(void)
{
	static int trace = -1;

	if (paused || !tracking)
		return false;
	++allocations;
	if (trace < 0)
		trace = getenv("ALLOC_FAIL_TRACE") != NULL;
	if (allocations == show_at)
		print_stack("is made");
	if (allocations != fail_at || in_json_tokener())
		return false;
	if (trace)
		print_stack("fails");
	return true;
}

void *
malloc(size_t size)
{
	void *p;

	if (fail_now()) {
		errno = ENOMEM;
		return NULL;
	}
	p = __libc_malloc(size);
	remember(p);
	return p;
}

void *
calloc(size_t n, size_t size)
{
	void *p;

	if (fail_now()) {
		errno = ENOMEM;
		return NULL;
	}
	p = __libc_calloc(n, size);
	remember(p);
	return p;
}

void *
realloc(void *old, size_t size)
{
	void *p;

	if (!old)
		return malloc(size);
	if (!size) {
		free(old);
		return NULL;
	}
	if (fail_now()) {
		errno = ENOMEM;
		return NULL;
	}
	p = __libc_realloc(old, size);
	if (p && forget(old))
		remember(p);
	return p;
}

void
free(void *p)
{
	if (p) {
		forget(p);
		__libc_free(p);
	}
}
#define PAUSE()  (paused++)
#define RESUME() (paused--)
#else
#define PAUSE()  ((void)0)
#define RESUME() ((void)0)
#endif

/* ---- init's log, captured ---- */

static char logfile[] = "/tmp/upinit-allocfail-log.XXXXXX";
static int log_fd = -1;

#ifndef UNDER_ASAN

/* Send init's messages to the log file from here on; its size so far. */
static off_t
log_begin(void)
{
	struct stat st;

	saved_stderr = dup(STDERR_FILENO);
	dup2(log_fd, STDERR_FILENO);
	fstat(log_fd, &st);
	return st.st_size;
}

/* Back to the real stderr; true when init said something since `mark`. */
static bool
log_end(off_t mark)
{
	struct stat st;

	dup2(saved_stderr, STDERR_FILENO);
	close(saved_stderr);
	fstat(log_fd, &st);
	return st.st_size > mark;
}
#endif

/* ---- scenarios ---- */

/* What a run ended with. */
typedef enum {
	RUN_AS_USUAL,      /* the result a run without failure has */
	RUN_REFUSED,       /* a different result, with an error reply */
	RUN_DIFFERENT,     /* a different result, nothing said by the run */
} RunResult;

typedef struct scenario {
	const char *name;
	void (*setup)(void);              /* not counted */
	RunResult (*run)(void);           /* counted: what fails */
	void (*teardown)(void);           /* not counted */
} Scenario;

static char dir[] = "/tmp/upinit-allocfail.XXXXXX";
static char sock_path[96];

static void
write_file(const char *name, const char *text)
{
	char path[160];
	FILE *f;

	snprintf(path, sizeof path, "%s/conf/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* -- loading job files -- */

static const char every_stanza[] =
	"description \"every stanza\"\n"
	"author \"someone\"\n"
	"version \"1\"\n"
	"usage \"start every\"\n"
	"start on (started a and b X=y) or runlevel [2345]\n"
	"stop on runlevel [!2345] or stopping a\n"
	"emits one two\n"
	"env A=1\nenv B=\"two words\"\nexport A\n"
	"instance $A\n"
	"respawn\nrespawn limit 5 30\n"
	"normal exit 0 2 TERM\n"
	"kill signal INT\nkill timeout 3\nreload signal USR1\n"
	"umask 022\nnice 5\noom score 100\n"
	"limit nofile 1024 4096\nlimit core unlimited unlimited\n"
	"chdir /\nconsole log\n"
	"pre-start script\n  echo pre\nend script\n"
	"exec /bin/sleep 10\n"
	"post-stop exec /bin/true\n";

static void
load_setup(void)
{
	char confdir[128];

	snprintf(confdir, sizeof confdir, "%s/conf", dir);
	mkdir(confdir, 0755);
	write_file("every.conf", every_stanza);
	write_file("plain.conf", "task\nexec /bin/true\n");
	write_file("plain.override", "manual\nenv C=3\n");
	conf_add_dir(confdir);
	registry_set_source(conf_best);
}

static RunResult
load_run(void)
{
	JobClass *every, *plain;

	conf_reload();
	every = registry_find("every");
	plain = registry_find("plain");
	if (!every || !plain)
		return RUN_DIFFERENT;
	if (every->respawn_limit != 5 || !every->start_on || !plain->task ||
	    plain->start_on || env_get(&plain->env, "C") == NULL)
		return RUN_DIFFERENT;
	return RUN_AS_USUAL;
}

static void
load_teardown(void)
{
	conf_free();
	registry_free();
}

/* -- events and the job state machine -- */

static void
events_setup(void)
{
	job_defs_define("worker", "instance $N\nexport N\nstart on go\nstop on halt\n"
			"env COLOUR=blue\nemits done\n");
	job_defs_define("follower", "start on started worker N=1\nstop on stopped worker\n");
	job_defs_define("once", "task\nstart on go N=2\n");
	job_defs_define("both", "start on go and other\n");
}

static bool
emit(const char *name, const char *var)
{
	EnvList env = ENV_LIST_INIT;
	Event *ev;

	PAUSE();   /* the emitter's list is not init's */
	if (var && env_append(&env, var) < 0)
		fail_msg("cannot build the event");
	RESUME();
	ev = event_new(name, &env);
	env_clear(&env);
	event_poll();
	return ev != NULL;
}

static const char *
status_of(const char *class_name, const char *instance)
{
	JobClass *class = registry_find(class_name);
	Job *job = class ? job_find(class, instance) : NULL;

	return job ? job_state_name(job->state) : "none";
}

static RunResult
events_run(void)
{
	bool emitted = emit("go", "N=1") & emit("go", "N=2") & emit("other", NULL);

	if (!emitted)
		return RUN_DIFFERENT;
	if (strcmp(status_of("worker", "1"), "running") || strcmp(status_of("worker", "2"), "running") ||
	    strcmp(status_of("follower", ""), "running") || strcmp(status_of("once", ""), "running") ||
	    strcmp(status_of("both", ""), "running"))
		return RUN_DIFFERENT;
	if (!emit("halt", NULL))
		return RUN_DIFFERENT;
	if (strcmp(status_of("worker", "1"), "none") || strcmp(status_of("follower", ""), "none"))
		return RUN_DIFFERENT;
	return RUN_AS_USUAL;
}

static void
events_teardown(void)
{
	state_discard();
	job_defs_clear();
}

/* -- control requests -- */

static void
control_setup(void)
{
	if (control_listen(sock_path) < 0)
		fail_msg("control_listen: %s", strerror(errno));
	job_defs_define("abs", "instance $I\nenv SECRET=x\n");
	job_defs_define("on-go", "start on go\n");
}

/* One request on its own connection: 1 the reply's status was 0, 0 it
 * was not (an error told), -1 no reply (the connection was dropped). */
static int
request(const char *text)
{
	struct json_object *reply = NULL;
	struct pollfd p;
	int fd, status = -1;

	/* The client's own allocations are not init's to fail. */
	PAUSE();
	fd = proto_connect(sock_path);
	if (fd >= 0 && send(fd, text, strlen(text), 0) < 0) {
		close(fd);
		fd = -1;
	}
	RESUME();
	if (fd < 0)
		return -1;
	p = (struct pollfd){ .fd = fd, .events = POLLIN };
	for (int i = 0; i < 200 && poll(&p, 1, 0) == 0; i++) {
		event_poll();
		loop_run_once(5);
		event_poll();
	}
	PAUSE();
	/* No reply by now is none at all: never wait for ever. */
	fcntl(fd, F_SETFL, O_NONBLOCK);
	if (proto_recv_reply(fd, &reply) > 0)
		status = json_object_get_int(json_object_object_get(reply, "status")) ? 0 : 1;
	else if (errno == EPROTO || errno == EBADMSG || errno == EINVAL)
		/* A packet that is not a reply: json-c writes what it has
		 * when its buffer cannot grow.  initctl says "Unable to
		 * receive reply" and exits 1: an error told. */
		status = 0;
	json_object_put(reply);
	close(fd);
	RESUME();
	for (int i = 0; i < 3; i++)
		loop_run_once(0);
	return status;
}

static RunResult
control_run(void)
{
	static const char *const requests[] = {
		"{\"v\":1,\"cmd\":\"version\"}",
		"{\"v\":1,\"cmd\":\"start\",\"job\":\"abs\",\"env\":[\"I=1\",\"X=y\"],\"wait\":true}",
		"{\"v\":1,\"cmd\":\"status\",\"job\":\"abs\",\"env\":[\"I=1\"]}",
		"{\"v\":1,\"cmd\":\"list\"}",
		"{\"v\":1,\"cmd\":\"emit\",\"event\":\"go\",\"env\":[\"A=1\"],\"wait\":true}",
		"{\"v\":1,\"cmd\":\"show-config\",\"enumerate\":true}",
		"{\"v\":1,\"cmd\":\"status\",\"job\":\"abs\",\"env\":[\"I=1\"],"
		"\"processes\":true,\"json\":true}",
		"{\"v\":1,\"cmd\":\"list\",\"json\":true}",
		"{\"v\":1,\"cmd\":\"show-config\",\"enumerate\":true,\"json\":true}",
		"{\"v\":1,\"cmd\":\"list-env\",\"global\":true}",
		"{\"v\":1,\"cmd\":\"set-env\",\"vars\":[\"COLOUR=blue\"],\"global\":true}",
		"{\"v\":1,\"cmd\":\"stop\",\"job\":\"abs\",\"env\":[\"I=1\"],\"wait\":true}",
		"{\"v\":1,\"cmd\":\"no-such\"}",
	};
	static const int usual[] = { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0 };
	RunResult result = RUN_AS_USUAL;

	for (size_t i = 0; i < sizeof requests / sizeof requests[0]; i++) {
		int got = request(requests[i]);

		if (got == usual[i])
			continue;
		if (got == 0 && result == RUN_AS_USUAL)
			result = RUN_REFUSED;
		else if (got < 0)
			result = RUN_DIFFERENT;
	}
	return result;
}

static void
control_teardown(void)
{
	state_discard();
	job_defs_clear();
}

/* -- the re-exec state, written and read back -- */

static void
state_setup(void)
{
	control_setup();
	events_setup();
	emit("go", "N=1");
	emit("go", "N=2");
	emit("queued-never-polled", NULL);
}

/* As the new image finds things after exec: the document in the memory
 * file `mem`, and a listening socket at the descriptor it names.  Then
 * state_restore(), which reads, parses and logs as init does. */
static int
restore_from(int mem)
{
	struct json_object *doc, *control, *fd;
	char *text = NULL;
	size_t size = 0;
	FILE *in;
	int s, at = -1;

	PAUSE();
	lseek(mem, 0, SEEK_SET);
	if ((in = fdopen(dup(mem), "r")) && getdelim(&text, &size, '\0', in) > 0 &&
	    (doc = json_tokener_parse(text))) {
		if (json_object_object_get_ex(doc, "control", &control) &&
		    json_object_object_get_ex(control, "listen_fd", &fd))
			at = json_object_get_int(fd);
		json_object_put(doc);
	}
	if (in)
		fclose(in);
	free(text);
	s = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (at >= 0 && s >= 0 && s != at && dup2(s, at) == at)
		close(s);
	RESUME();
	if (at < 0 || s < 0 || at == mem) {
		dup2(saved_stderr, STDERR_FILENO);   /* say it where it is seen */
		fail_msg("cannot set up the restore (descriptor %d): %s", at, strerror(errno));
	}
	return state_restore(mem);
}

/* Init's own re-exec, but for the exec: state_save() writes the memory
 * file, the old state goes, state_restore() reads it back. */
static RunResult
state_run(void)
{
	struct json_object *doc;
	int mem = state_save(&doc);

	if (mem < 0)
		return RUN_DIFFERENT;   /* logged: "Unable to re-execute" */
	json_object_put(doc);
	state_discard();
	if (restore_from(mem) < 0)
		return RUN_DIFFERENT;
	if (strcmp(status_of("worker", "1"), "running") || strcmp(status_of("worker", "2"), "running") ||
	    strcmp(status_of("follower", ""), "running") || !event_next(NULL))
		return RUN_DIFFERENT;
	return RUN_AS_USUAL;
}

static void
state_teardown(void)
{
	state_discard();
	job_defs_clear();
}

/* ---- the driver ---- */

#ifndef UNDER_ASAN
/* One run of `s`, allocation `n` failing (0: none); returns its result,
 * in *leaked the blocks it allocated and did not free, and in *said
 * whether init logged anything. */
static RunResult
run_once(const Scenario *s, unsigned long n, long *leaked, bool *said)
{
	off_t mark;
	RunResult r;

	show_at = getenv("ALLOC_FAIL_SHOW") ? strtoul(getenv("ALLOC_FAIL_SHOW"), NULL, 10) : 0;
	forget_all();
	allocations = 0;
	fail_at = 0;
	tracking = true;
	paused++;            /* set-up is not under test */
	s->setup();
	paused--;
	mark = log_begin();
	fail_at = n;
	r = s->run();
	run_allocations = allocations;
	fail_at = 0;
	*said = log_end(mark);
	s->teardown();
	tracking = false;
	*leaked = alive;
	if (alive && getenv("ALLOC_FAIL_TRACE"))
		report_alive();
	return r;
}

/* A problem of one run: fatal, unless ALLOC_FAIL_ALL asks for the whole
 * list (with ALLOC_FAIL_TRACE, each comes after its stack). */
static unsigned long problems;

static void
problem(const char *fmt, ...)
{
	char text[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	problems++;
	if (!getenv("ALLOC_FAIL_ALL"))
		fail_msg("%s", text);
	dprintf(STDERR_FILENO, "PROBLEM: %s\n", text);
}

static void
fail_each_allocation(const Scenario *s)
{
	unsigned long total;
	long leaked;
	bool said;
	RunResult r;

	/* A first run fills what lives for ever (json-c's tables, stdio
	 * buffers, the locale); the second is the yardstick. */
	problems = 0;
	run_once(s, 0, &leaked, &said);
	r = run_once(s, 0, &leaked, &said);
	total = run_allocations;
	if (r != RUN_AS_USUAL)
		problem("%s: without failures the run does not end as it should", s->name);
	if (leaked)
		problem("%s: %ld blocks leak without any failure", s->name, leaked);
	for (unsigned long n = 1; n <= total; n++) {
		/* ALLOC_FAIL_ONLY=N: that run alone (under a debugger). */
		if (getenv("ALLOC_FAIL_ONLY") && n != strtoul(getenv("ALLOC_FAIL_ONLY"), NULL, 10))
			continue;
		r = run_once(s, n, &leaked, &said);
		if (leaked)
			problem("%s: allocation %lu of %lu failing leaks %ld blocks",
				s->name, n, total, leaked);
		if (r == RUN_DIFFERENT && !said)
			problem("%s: allocation %lu of %lu failing changes the result "
				"and nothing says so", s->name, n, total);
	}
	if (problems)
		fail_msg("%s: %lu problems", s->name, problems);
	printf("# %s: each of %lu allocations failed once: no crash, no leak, "
	       "every changed result told\n", s->name, total);
}
#endif

static void
test_scenario(void **state)
{
#ifdef UNDER_ASAN
	(void)state;
	skip();
#else
	const Scenario *s = *state;
	const char *only = getenv("ALLOC_FAIL_SCENARIO");

	if (only && strcmp(only, s->name) != 0)
		skip();
	fail_each_allocation(s);
#endif
}

static const Scenario scenarios[] = {
	{ "job files", load_setup, load_run, load_teardown },
	{ "events", events_setup, events_run, events_teardown },
	{ "control", control_setup, control_run, control_teardown },
	{ "state", state_setup, state_run, state_teardown },
};

static int
group_setup(void **state)
{
	(void)state;
	if (!mkdtemp(dir) || (log_fd = mkstemp(logfile)) < 0)
		return -1;
	unlink(logfile);
	snprintf(sock_path, sizeof sock_path, "%s/control", dir);
	log_set_priority(LOG_PRIO_WARN);
	if (loop_init() < 0)
		return -1;
	control_set_program("init");
	control_set_owner(getuid());
	control_set_user_mode(true);
	control_commands_register();
	return 0;
}

static int
group_teardown(void **state)
{
	char cmd[160];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

int
main(void)
{
	struct CMUnitTest tests[] = {
		cmocka_unit_test_prestate(test_scenario, (void *)&scenarios[0]),
		cmocka_unit_test_prestate(test_scenario, (void *)&scenarios[1]),
		cmocka_unit_test_prestate(test_scenario, (void *)&scenarios[2]),
		cmocka_unit_test_prestate(test_scenario, (void *)&scenarios[3]),
	};

	tests[0].name = "job files: loading";
	tests[1].name = "events: emission and the job state machine";
	tests[2].name = "control: requests";
	tests[3].name = "state: serialise and restore";
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
