/* Unit tests for init/state.c: the re-exec document survives a round
 * trip.  A forked child builds a state as a running init would hold it
 * (registered definitions, running instances with their environment, a
 * job blocked on its own event, a partly matched `start on`, an event
 * still queued), serialises it and hands the JSON text over a pipe.  The
 * parent, which holds no state of its own, restores it, checks what it
 * got back, and serialises it again: the two documents must be equal.
 *
 * Each test needs a process without state, so each restores in a fresh
 * child of its own. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <json-c/json.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "init/conf.h"
#include "init/control.h"
#include "init/event.h"
#include "init/job.h"
#include "init/job_class.h"
#include "job_defs.h"
#include "init/registry.h"
#include "init/state.h"

/* Define job `name` (job_defs.h); a child that cannot exits 30. */
static void
define(const char *name, const char *text)
{
	if (!job_defs_define(name, text))
		_exit(30);
}

static void
emit(const char *name, const char *var, bool poll)
{
	EnvList env = ENV_LIST_INIT;

	if (var)
		assert_int_equal(env_append(&env, var), 0);
	assert_non_null(event_new(name, &env));
	env_clear(&env);
	if (poll)
		event_poll();
}

/* The job files, as both images read them from the job directory. */
static void
define_jobs(void)
{
	define("worker", "instance $N\nexport N\nstart on go\nstop on halt-all\nenv COLOUR=blue\n");
	define("both", "start on a and b\n");
	define("idle", "start on never\n");
}

/* A private directory for the control sockets. */
static char sockdir[] = "/tmp/upinit-state.XXXXXX";

/* The state the child builds.  An init always listens on its control
 * socket, and the document carries that descriptor. */
static void
build_state(void)
{
	char path[sizeof sockdir + 16];

	snprintf(path, sizeof path, "%s/control", sockdir);
	if (control_listen(path) < 0)
		_exit(20);
	define_jobs();
	emit("go", "N=1", true);
	emit("go", "N=2", true);
	emit("a", NULL, true);           /* `both` has seen half of its condition */
	emit("queued", "X=1", false);    /* still pending */
}

/* Serialise the current state as JSON text (caller frees). */
static char *
dump(void)
{
	struct json_object *state = state_serialise();
	char *text;

	assert_non_null(state);
	text = strdup(json_object_to_json_string_ext(state, JSON_C_TO_STRING_PLAIN));
	json_object_put(state);
	return text;
}

/* Run `fn` in a child; its stdout is returned (caller frees). */
static char *
in_child(void (*fn)(int fd))
{
	int fds[2], status;
	pid_t pid;
	char *text = NULL;
	size_t len = 0;
	FILE *in;

	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(fds[0]);
		fn(fds[1]);
		_exit(0);
	}
	close(fds[1]);
	in = fdopen(fds[0], "r");
	assert_non_null(in);
	if (getdelim(&text, &len, '\0', in) < 0) {
		free(text);
		text = strdup("");
	}
	fclose(in);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		fail_msg("the child ended with status %#x", status);
	return text;
}

static void
write_all(int fd, const char *text)
{
	size_t len = strlen(text);

	while (len > 0) {
		ssize_t n = write(fd, text, len);

		if (n <= 0)
			_exit(1);
		text += n;
		len -= (size_t)n;
	}
}

static void
child_build(int fd)
{
	char *text;

	build_state();
	conf_watch();   /* as init has: the document names it */
	text = dump();
	write_all(fd, text);
	free(text);
}

static const char *restore_from;

/* What the new image of a re-exec inherits: a listening socket at the
 * descriptor number the document names. */
static void
inherit_socket(struct json_object *state)
{
	struct json_object *control, *fd;
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int s;

	if (!json_object_object_get_ex(state, "control", &control) ||
	    !json_object_object_get_ex(control, "listen_fd", &fd))
		_exit(21);
	snprintf(addr.sun_path, sizeof addr.sun_path, "%s/inherited.%d", sockdir, (int)getpid());
	s = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	if (s < 0 || bind(s, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(s, 8) < 0 ||
	    dup2(s, json_object_get_int(fd)) < 0)
		_exit(22);
	if (s != json_object_get_int(fd))
		close(s);
}

/* The job directories' inotify descriptor at the number the document
 * names, as the previous image leaves it; -1 when it names none. */
static int
inherit_inotify(struct json_object *state)
{
	struct json_object *fd;
	int n;

	if (!json_object_object_get_ex(state, "inotify_fd", &fd))
		return -1;
	n = inotify_init1(IN_NONBLOCK);
	if (n < 0 || dup2(n, json_object_get_int(fd)) < 0)
		_exit(23);
	if (n != json_object_get_int(fd))
		close(n);
	return json_object_get_int(fd);
}

/* As the new image does: read the job files, take over the inherited
 * socket and inotify descriptor, restore `restore_from`.  Exits 2 when
 * it cannot, 5 when the inotify descriptor was not taken over. */
static void
restore(void)
{
	struct json_object *state = json_tokener_parse(restore_from);
	int inotify;

	define_jobs();
	if (!state)
		_exit(2);
	inherit_socket(state);
	inotify = inherit_inotify(state);
	if (state_deserialise(state) < 0)
		_exit(2);
	if (inotify >= 0 && (conf_watch_fd() != inotify ||
			     !(fcntl(inotify, F_GETFD) & FD_CLOEXEC)))
		_exit(5);
	json_object_put(state);
}

/* Restore `restore_from`, check what came back, and dump it again; any
 * mismatch exits non-zero. */
static void
child_restore(int fd)
{
	Job *w1, *w2;
	char *text;

	restore();
	w1 = job_find(registry_find("worker"), "1");
	w2 = job_find(registry_find("worker"), "2");
	if (!w1 || !w2 || w1->goal != JOB_START || w1->state != JOB_RUNNING ||
	    !env_lookup(&w2->env, "N") || strcmp(env_lookup(&w2->env, "N"), "N=2") ||
	    !env_lookup(&w1->env, "COLOUR"))
		_exit(3);
	if (job_find(registry_find("idle"), "") || !event_queue_busy())
		_exit(4);
	text = dump();
	write_all(fd, text);
	free(text);
}

static void
test_round_trip(void **unused)
{
	char *before, *after;

	(void)unused;
	before = in_child(child_build);
	assert_non_null(strstr(before, "\"worker\""));
	assert_non_null(strstr(before, "\"queued\""));
	restore_from = before;
	after = in_child(child_restore);
	assert_string_equal(after, before);
	free(before);
	free(after);
}

/* Each environment of `arr` (an array of environments' holders: jobs
 * or events) rewritten by `fn` (the member `key` of each). */
static void
each_env(struct json_object *arr, const char *key,
	 void (*fn)(struct json_object *env, struct json_object *pool),
	 struct json_object *pool)
{
	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		struct json_object *env;

		if (json_object_object_get_ex(json_object_array_get_idx(arr, i), key, &env))
			fn(env, pool);
	}
}

/* Indexes into the pool replaced by the strings: how an image before
 * the pool wrote environments. */
static void
inline_env(struct json_object *env, struct json_object *pool)
{
	for (size_t i = 0; i < json_object_array_length(env); i++) {
		struct json_object *v = json_object_array_get_idx(env, i);

		assert_true(json_object_is_type(v, json_type_int));
		json_object_array_put_idx(env, i, json_object_get(
			json_object_array_get_idx(pool, (size_t)json_object_get_int(v))));
	}
}

/* Entries no environment can use: skipped, the rest kept. */
static void
spoil_env(struct json_object *env, struct json_object *pool)
{
	(void)pool;
	json_object_array_add(env, json_object_new_int(1 << 30));
	json_object_array_add(env, json_object_new_int(-1));
	json_object_array_add(env, json_object_new_string("NOT AN ASSIGNMENT"));
	json_object_array_add(env, json_object_new_boolean(1));
	json_object_array_add(env, json_object_new_object());
}

/* `before` rewritten by fn over every environment; the caller frees. */
static char *
rewrite_envs(const char *before, void (*fn)(struct json_object *, struct json_object *),
	     bool drop_pool)
{
	struct json_object *doc = json_tokener_parse(before), *pool, *jobs, *events;
	char *text;

	assert_non_null(doc);
	assert_true(json_object_object_get_ex(doc, "strings", &pool));
	assert_true(json_object_object_get_ex(doc, "jobs", &jobs));
	assert_true(json_object_object_get_ex(doc, "events", &events));
	each_env(jobs, "env", fn, pool);
	each_env(jobs, "stop_env", fn, pool);
	each_env(events, "env", fn, pool);
	{
		struct json_object *global;

		assert_true(json_object_object_get_ex(doc, "env", &global));
		fn(global, pool);
	}
	if (drop_pool)
		json_object_object_del(doc, "strings");
	text = strdup(json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PLAIN));
	json_object_put(doc);
	return text;
}

/* Environments are indexes into one pool of strings; a document whose
 * environments hold the strings themselves (an earlier image's) restores
 * to the same state, and entries that are neither are skipped. */
static void
test_env_pool(void **unused)
{
	char *before, *legacy, *spoilt, *after;

	(void)unused;
	before = in_child(child_build);
	assert_non_null(strstr(before, "\"strings\":["));
	assert_non_null(strstr(before, "\"COLOUR=blue\""));
	/* Written once, however many jobs hold it. */
	assert_null(strstr(strstr(before, "\"COLOUR=blue\"") + 1, "\"COLOUR=blue\""));

	legacy = rewrite_envs(before, inline_env, true);
	assert_null(strstr(legacy, "\"strings\""));
	restore_from = legacy;
	after = in_child(child_restore);
	assert_string_equal(after, before);
	free(after);

	spoilt = rewrite_envs(before, spoil_env, false);
	restore_from = spoilt;
	after = in_child(child_restore);
	assert_string_equal(after, before);
	free(after);
	free(legacy);
	free(spoilt);
	free(before);
}

/* `before` with control's "clients" replaced by `clients` (JSON text). */
static char *
with_clients(const char *before, const char *clients)
{
	struct json_object *doc = json_tokener_parse(before), *control;
	char *text;

	assert_non_null(doc);
	assert_true(json_object_object_get_ex(doc, "control", &control));
	json_object_object_add(control, "clients", json_tokener_parse(clients));
	text = strdup(json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PLAIN));
	json_object_put(doc);
	return text;
}

/* Restore with connected sockets at descriptors 40-42, as a re-exec
 * leaves its clients, and dump what came back. */
static void
child_restore_clients(int fd)
{
	char *text;

	for (int n = 40; n <= 42; n++) {
		int sv[2];

		if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) < 0 || dup2(sv[0], n) < 0)
			_exit(6);
	}
	restore();
	text = dump();
	write_all(fd, text);
	free(text);
}

/* Clients are one string, a record of six numbers each: a record that
 * does not read is skipped and the next one read; the objects an earlier
 * image wrote restore too. */
static void
test_clients(void **unused)
{
	char *before, *doc, *after;

	(void)unused;
	before = in_child(child_build);

	doc = with_clients(before, "\"7 40 0 123 0 0;7 x 0 1 0 0;8 41 1000 124 1 1;"
				   "9 42 0 125;10 2 0 1 0 0;11 40 0 126 0 0\"");
	restore_from = doc;
	after = in_child(child_restore_clients);
	/* 40 once (the second claim of it refused), 41, never 42 or 2. */
	assert_non_null(strstr(after, "7 40 0 123 0 0"));
	assert_non_null(strstr(after, "8 41 1000 124 1 1"));
	assert_null(strstr(after, " 42 "));
	assert_null(strstr(after, "10 2 "));
	assert_null(strstr(after, "11 40 "));
	free(after);
	free(doc);

	doc = with_clients(before, "[{\"id\":5,\"fd\":41,\"uid\":0,\"pid\":9,"
				   "\"waiting\":0,\"monitor\":true},{\"fd\":\"41\"}]");
	restore_from = doc;
	after = in_child(child_restore_clients);
	assert_non_null(strstr(after, "\"clients\":\"5 41 0 9 0 1\""));
	free(after);
	free(doc);
	free(before);
}

/* A document whose inotify_fd names an open descriptor that is no
 * inotify instance (here /dev/null at 50) gets a new watch, and the
 * descriptor is left alone. */
static void
child_restore_wrong_inotify(int fd)
{
	struct json_object *state = json_tokener_parse(restore_from);
	int null = open("/dev/null", O_RDONLY);

	define_jobs();
	if (!state || null < 0 || dup2(null, 50) < 0)
		_exit(2);
	json_object_object_add(state, "inotify_fd", json_object_new_int(50));
	inherit_socket(state);
	if (state_deserialise(state) < 0)
		_exit(2);
	if (conf_watch_fd() < 0 || conf_watch_fd() == 50 || fcntl(50, F_GETFD) != 0)
		_exit(7);
	json_object_put(state);
	write_all(fd, "ok");
}

static void
test_inotify_fd_not_inotify(void **unused)
{
	char *before, *after;

	(void)unused;
	before = in_child(child_build);
	restore_from = before;
	after = in_child(child_restore_wrong_inotify);
	assert_string_equal(after, "ok");
	free(after);
	free(before);
}

/* The restored state goes on: the pending event is handled, the
 * half-matched `start on a and b` still holds `a`, and the other half
 * starts `both`. */
static void
child_restore_and_go_on(int fd)
{
	restore();
	/* `a` stays held by the half-matched `start on a and b`. */
	event_poll();
	if (!event_queue_busy() || job_find(registry_find("both"), ""))
		_exit(3);
	/* The other half: `both` starts, and both events are done. */
	emit("b", NULL, true);
	if (!job_find(registry_find("both"), "") || event_queue_busy())
		_exit(4);
	emit("halt-all", NULL, true);
	if (job_find(registry_find("worker"), "1"))
		_exit(5);
	write_all(fd, "ok");
}

static void
test_restored_state_goes_on(void **unused)
{
	char *before, *result;

	(void)unused;
	before = in_child(child_build);
	restore_from = before;
	result = in_child(child_restore_and_go_on);
	assert_string_equal(result, "ok");
	free(before);
	free(result);
}

/* Garbage is refused, and refusing it changes nothing. */
static void
child_garbage(int fd)
{
	static const char *const docs[] = {
		"{}", "{\"v\":999}", "[]", "{\"v\":1,\"jobs\":7}",
	};

	for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
		struct json_object *state = json_tokener_parse(docs[i]);

		if (state && state_deserialise(state) == 0 && i < 3)
			_exit(10 + (int)i);
		if (state)
			json_object_put(state);
	}
	write_all(fd, "ok");
}

static void
test_garbage_is_refused(void **unused)
{
	char *result;

	(void)unused;
	result = in_child(child_garbage);
	assert_string_equal(result, "ok");
	free(result);
}

/* A document whose job entries are broken in the ways a version skew or
 * a truncated memfd could break them: each restores (init carries on)
 * or skips the entry, never aborts, and takes no pid that kill() would
 * read as init, a group or everyone, nor a descriptor that is not a
 * pipe as a spawn pipe. */
static const char *const broken_jobs[][2] = {
	{ "pids", NULL },                 /* missing */
	{ "pids", "7" },                  /* not an array */
	{ "pids", "\"x\"" },
	{ "pids", "[-1, 1, 0, \"9\", null, 2147483648]" },
	{ "spawn_fds", "{}" },
	{ "spawn_fds", "[0, 1, 2, 3, 4, 5, 6]" },
	{ "spawn_fds", "[99999, -5]" },
	{ "logs", "null" },
	{ "logs", "[[1], {}, \"z\"]" },
	{ "env", "{\"a\": 1}" },
	{ "blocking", "[1, \"x\", {\"kind\": 99}]" },
	{ "class", "\"worker\"" },
	{ "name", "7" },
};

static bool
is_pipe(int fd)
{
	struct stat st;

	return fd > 2 && fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode);
}

static void
child_broken(int fd)
{
	for (size_t i = 0; i < sizeof broken_jobs / sizeof broken_jobs[0]; i++) {
		pid_t pid = fork();
		int status;

		if (pid == 0) {
			struct json_object *state = json_tokener_parse(restore_from);
			struct json_object *jobs, *job;
			const char *key = broken_jobs[i][0], *value = broken_jobs[i][1];
			Job *w;

			define_jobs();
			if (!state || !json_object_object_get_ex(state, "jobs", &jobs))
				_exit(40);
			for (size_t k = 0; k < json_object_array_length(jobs); k++) {
				job = json_object_array_get_idx(jobs, k);
				if (value)
					json_object_object_add(job, key, json_tokener_parse(value));
				else
					json_object_object_del(job, key);
			}
			inherit_socket(state);
			if (state_deserialise(state) < 0)
				_exit(41);
			json_object_put(state);
			w = job_find(registry_find("worker"), "1");
			for (int t = 0; w && t < PROCESS_COUNT; t++)
				if (w->pid[t] < 0 || w->pid[t] == 1 ||
				    (w->spawn[t].fd >= 0 && !is_pipe(w->spawn[t].fd)))
					_exit(42);
			_exit(0);
		}
		if (pid < 0 || waitpid(pid, &status, 0) != pid)
			_exit(43);
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			char msg[128];

			snprintf(msg, sizeof msg, "%s=%s: status %#x\n", broken_jobs[i][0],
				 broken_jobs[i][1] ? broken_jobs[i][1] : "(none)", status);
			write_all(fd, msg);
			return;
		}
	}
	write_all(fd, "ok");
}

static void
test_broken_jobs_do_not_abort(void **unused)
{
	char *before, *result;

	(void)unused;
	before = in_child(child_build);
	restore_from = before;
	result = in_child(child_broken);
	assert_string_equal(result, "ok");
	free(before);
	free(result);
}

int
main(void)
{
	int rc;
	char cmd[64];
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_env_pool),
		cmocka_unit_test(test_clients),
		cmocka_unit_test(test_inotify_fd_not_inotify),
		cmocka_unit_test(test_restored_state_goes_on),
		cmocka_unit_test(test_garbage_is_refused),
		cmocka_unit_test(test_broken_jobs_do_not_abort),
	};

	if (!mkdtemp(sockdir))
		return 1;
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", sockdir);
	if (system(cmd) != 0)
		rc = 1;
	return rc;
}
