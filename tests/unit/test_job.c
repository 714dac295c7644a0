/* Unit tests for the core state machine: init/job.c (the transition
 * table, the goal changes and the events each state emits), init/event.c
 * (the queue driven to a fixpoint, blocking, EVENT/failed) and
 * init/blocked.c.
 *
 * The jobs here have no process (Upstart's "abstract" jobs): every
 * transition happens inside event_poll(), with no fork, no main loop and
 * no socket, so a regression in the state machine shows in milliseconds.
 * Every event the queue handles is recorded by an observer as one line,
 * "NAME VAR=VALUE ...", and compared with the sequence Upstart emits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "init/blocked.h"
#include "init/event.h"
#include "init/job.h"
#include "init/job_class.h"
#include "job_defs.h"
#include "init/registry.h"

/* Define job `name` (job_defs.h), failing the test when it does not parse. */
static JobClass *
define(const char *name, const char *text)
{
	JobClass *class = job_defs_define(name, text);

	if (!class)
		fail_msg("job %s does not parse", name);
	return class;
}

/* ---- the events seen ---- */

static char seen[4096];

static void
observe(const Event *event, void *data)
{
	size_t n = strlen(seen);

	(void)data;
	snprintf(seen + n, sizeof seen - n, "%s%s", n ? "\n" : "", event->name);
	for (size_t i = 0; i < event->env.len; i++) {
		n = strlen(seen);
		snprintf(seen + n, sizeof seen - n, " %s", event->env.vars[i]);
	}
}

/* The events handled since the last call, one per line; then forget them. */
static void
assert_seen(const char *want)
{
	assert_string_equal(seen, want);
	seen[0] = '\0';
}

static void
emit(const char *name, const char *var)
{
	EnvList env = ENV_LIST_INIT;

	if (var)
		assert_int_equal(env_append(&env, var), 0);
	assert_non_null(event_new(name, &env));
	env_clear(&env);
	event_poll();
}

static Job *
instance(const char *class, const char *name)
{
	return job_find(registry_find(class), name);
}

static void
assert_job(const char *class, const char *name, JobGoal goal, JobState state)
{
	Job *job = instance(class, name);

	assert_non_null(job);
	assert_string_equal(job_goal_name(job->goal), job_goal_name(goal));
	assert_string_equal(job_state_name(job->state), job_state_name(state));
}

static int
setup(void **state)
{
	(void)state;
	event_set_observer(observe, NULL);
	seen[0] = '\0';
	return 0;
}

/* Each test leaves every job stopped (and so freed) and the queue empty;
 * the definitions are dropped. */
static int
teardown(void **state)
{
	(void)state;
	assert_false(event_queue_busy());
	job_defs_clear();
	return 0;
}

/* ---- job_next_state: the whole table ---- */

typedef struct transition {
	JobState state;
	JobGoal  goal;
	pid_t    main_pid;
	JobState next;
} Transition;

static const Transition transitions[] = {
	{ JOB_WAITING,           JOB_STOP,    0, JOB_WAITING },
	{ JOB_WAITING,           JOB_START,   0, JOB_STARTING },
	{ JOB_WAITING,           JOB_RESPAWN, 0, JOB_WAITING },
	{ JOB_STARTING,          JOB_START,   0, JOB_SECURITY_SPAWNING },
	{ JOB_STARTING,          JOB_STOP,    0, JOB_STOPPING },
	{ JOB_STARTING,          JOB_RESPAWN, 0, JOB_STOPPING },
	{ JOB_SECURITY_SPAWNING, JOB_START,   0, JOB_SECURITY },
	{ JOB_SECURITY_SPAWNING, JOB_STOP,    0, JOB_SECURITY },
	{ JOB_SECURITY,          JOB_START,   0, JOB_PRE_STARTING },
	{ JOB_SECURITY,          JOB_STOP,    0, JOB_STOPPING },
	{ JOB_PRE_STARTING,      JOB_START,   0, JOB_PRE_START },
	{ JOB_PRE_STARTING,      JOB_STOP,    0, JOB_PRE_START },
	{ JOB_PRE_START,         JOB_START,   0, JOB_SPAWNING },
	{ JOB_PRE_START,         JOB_STOP,    0, JOB_STOPPING },
	{ JOB_SPAWNING,          JOB_START,   0, JOB_SPAWNED },
	{ JOB_SPAWNING,          JOB_STOP,    0, JOB_SPAWNED },
	{ JOB_SPAWNED,           JOB_START,   0, JOB_POST_STARTING },
	{ JOB_SPAWNED,           JOB_STOP,    0, JOB_STOPPING },
	{ JOB_POST_STARTING,     JOB_START,   0, JOB_POST_START },
	{ JOB_POST_STARTING,     JOB_STOP,    0, JOB_POST_START },
	{ JOB_POST_START,        JOB_START,   0, JOB_RUNNING },
	{ JOB_POST_START,        JOB_STOP,    0, JOB_STOPPING },
	/* Running: a stop with a main process runs pre-stop first; without
	 * one, or when the main process ended (goal still start, or
	 * respawn), it goes straight to stopping. */
	{ JOB_RUNNING,           JOB_STOP,    42, JOB_PRE_STOPPING },
	{ JOB_RUNNING,           JOB_STOP,    0, JOB_STOPPING },
	{ JOB_RUNNING,           JOB_START,   0, JOB_STOPPING },
	{ JOB_RUNNING,           JOB_RESPAWN, 42, JOB_STOPPING },
	{ JOB_PRE_STOPPING,      JOB_STOP,    42, JOB_PRE_STOP },
	{ JOB_PRE_STOPPING,      JOB_START,   42, JOB_PRE_STOP },
	/* pre-stop done: a start asked meanwhile cancels the stop. */
	{ JOB_PRE_STOP,          JOB_STOP,    42, JOB_STOPPING },
	{ JOB_PRE_STOP,          JOB_START,   42, JOB_RUNNING },
	{ JOB_STOPPING,          JOB_STOP,    0, JOB_KILLED },
	{ JOB_STOPPING,          JOB_START,   0, JOB_KILLED },
	{ JOB_KILLED,            JOB_STOP,    0, JOB_POST_STOPPING },
	{ JOB_KILLED,            JOB_START,   0, JOB_POST_STOPPING },
	{ JOB_POST_STOPPING,     JOB_STOP,    0, JOB_POST_STOP },
	{ JOB_POST_STOPPING,     JOB_START,   0, JOB_POST_STOP },
	/* post-stop done: rest, or start again (restart, respawn). */
	{ JOB_POST_STOP,         JOB_STOP,    0, JOB_WAITING },
	{ JOB_POST_STOP,         JOB_START,   0, JOB_STARTING },
	{ JOB_POST_STOP,         JOB_RESPAWN, 0, JOB_STARTING },
};

static void
test_next_state_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof transitions / sizeof transitions[0]; i++) {
		const Transition *t = &transitions[i];
		Job job;

		memset(&job, 0, sizeof job);
		job.state = t->state;
		job.goal = t->goal;
		job.pid[PROCESS_MAIN] = t->main_pid;
		if (job_next_state(&job) != t->next)
			fail_msg("%s with goal %s (main pid %d): %s, want %s",
				 job_state_name(t->state), job_goal_name(t->goal),
				 (int)t->main_pid, job_state_name(job_next_state(&job)),
				 job_state_name(t->next));
	}
}

/* ---- goals, states and the events they emit ---- */

static void
test_start_and_stop_on_events(void **state)
{
	(void)state;
	define("abs", "start on foo\nstop on bar\n");
	emit("foo", NULL);
	assert_seen("foo\n"
		    "starting JOB=abs INSTANCE=\n"
		    "started JOB=abs INSTANCE=");
	assert_job("abs", "", JOB_START, JOB_RUNNING);

	/* An unrelated event and a second start event change nothing. */
	emit("baz", NULL);
	emit("foo", NULL);
	assert_seen("baz\nfoo");
	assert_job("abs", "", JOB_START, JOB_RUNNING);

	emit("bar", NULL);
	assert_seen("bar\n"
		    "stopping JOB=abs INSTANCE= RESULT=ok\n"
		    "stopped JOB=abs INSTANCE= RESULT=ok");
	/* At rest an instance is freed. */
	assert_null(instance("abs", ""));
}

static void
test_goal_changes_by_command(void **state)
{
	Job *job;

	(void)state;
	define("abs", "");
	job = job_new(registry_find("abs"), "");
	assert_non_null(job);
	assert_job("abs", "", JOB_STOP, JOB_WAITING);

	/* As `initctl start`: the goal moves the job at once; its own
	 * starting event holds it in `starting` until the queue handles it. */
	assert_true(job_change_goal(job, JOB_START));
	assert_job("abs", "", JOB_START, JOB_STARTING);
	assert_non_null(job->blocker);
	event_poll();
	assert_seen("starting JOB=abs INSTANCE=\nstarted JOB=abs INSTANCE=");
	assert_job("abs", "", JOB_START, JOB_RUNNING);

	/* A start while running: nothing to do. */
	assert_true(job_change_goal(job, JOB_START));
	event_poll();
	assert_seen("");

	/* As `initctl stop`: stopping waits for its event; once handled the
	 * job is stopped and freed. */
	assert_true(job_change_goal(job, JOB_STOP));
	assert_job("abs", "", JOB_STOP, JOB_STOPPING);
	event_poll();
	assert_seen("stopping JOB=abs INSTANCE= RESULT=ok\nstopped JOB=abs INSTANCE= RESULT=ok");
	assert_null(instance("abs", ""));
}

static void
test_stop_while_starting(void **state)
{
	Job *job;

	(void)state;
	define("abs", "");
	job = job_new(registry_find("abs"), "");
	assert_non_null(job);
	assert_true(job_change_goal(job, JOB_START));
	/* Before its starting event was handled, the goal turns to stop:
	 * the job never reaches running and emits no `started`. */
	assert_true(job_change_goal(job, JOB_STOP));
	event_poll();
	assert_seen("starting JOB=abs INSTANCE=\n"
		    "stopping JOB=abs INSTANCE= RESULT=ok\n"
		    "stopped JOB=abs INSTANCE= RESULT=ok");
	assert_null(instance("abs", ""));
}

static void
test_instances_and_exported_variables(void **state)
{
	(void)state;
	define("worker", "instance $N\nexport N\nstart on go\nstop on halt-all\n");
	emit("go", "N=1");
	emit("go", "N=2");
	emit("go", "N=1");       /* that instance runs already */
	assert_seen("go N=1\n"
		    "starting JOB=worker INSTANCE=1 N=1\n"
		    "started JOB=worker INSTANCE=1 N=1\n"
		    "go N=2\n"
		    "starting JOB=worker INSTANCE=2 N=2\n"
		    "started JOB=worker INSTANCE=2 N=2\n"
		    "go N=1");
	assert_job("worker", "1", JOB_START, JOB_RUNNING);
	assert_job("worker", "2", JOB_START, JOB_RUNNING);
	/* The instance's environment came from the event. */
	assert_non_null(env_lookup(&instance("worker", "2")->env, "N"));
	assert_string_equal(env_lookup(&instance("worker", "2")->env, "N"), "N=2");

	emit("halt-all", NULL);
	assert_seen("halt-all\n"
		    "stopping JOB=worker INSTANCE=1 RESULT=ok N=1\n"
		    "stopping JOB=worker INSTANCE=2 RESULT=ok N=2\n"
		    "stopped JOB=worker INSTANCE=1 RESULT=ok N=1\n"
		    "stopped JOB=worker INSTANCE=2 RESULT=ok N=2");
	assert_null(instance("worker", "1"));
	assert_null(instance("worker", "2"));
}

static void
test_starting_event_blocks_until_dependents_start(void **state)
{
	(void)state;
	/* db starts when web is starting: web's `starting` event is blocked
	 * until db is running, so db's `started` comes before web's. */
	define("web", "start on go\nstop on halt-all\n");
	define("db", "start on starting web\nstop on stopped web\n");
	emit("go", NULL);
	assert_seen("go\n"
		    "starting JOB=web INSTANCE=\n"
		    "starting JOB=db INSTANCE=\n"
		    "started JOB=db INSTANCE=\n"
		    "started JOB=web INSTANCE=");
	assert_job("db", "", JOB_START, JOB_RUNNING);

	/* web's `stopped` stops db. */
	emit("halt-all", NULL);
	assert_seen("halt-all\n"
		    "stopping JOB=web INSTANCE= RESULT=ok\n"
		    "stopped JOB=web INSTANCE= RESULT=ok\n"
		    "stopping JOB=db INSTANCE= RESULT=ok\n"
		    "stopped JOB=db INSTANCE= RESULT=ok");
	assert_null(instance("db", ""));
	assert_null(instance("web", ""));
}

static void
test_stop_on_stopping_runs_before_the_stop(void **state)
{
	(void)state;
	/* Stopping web first stops its client (`stop on stopping web`). */
	define("web", "start on go\nstop on halt-all\n");
	define("client", "start on started web\nstop on stopping web\n");
	emit("go", NULL);
	assert_seen("go\n"
		    "starting JOB=web INSTANCE=\n"
		    "started JOB=web INSTANCE=\n"
		    "starting JOB=client INSTANCE=\n"
		    "started JOB=client INSTANCE=");
	emit("halt-all", NULL);
	assert_seen("halt-all\n"
		    "stopping JOB=web INSTANCE= RESULT=ok\n"
		    "stopping JOB=client INSTANCE= RESULT=ok\n"
		    "stopped JOB=client INSTANCE= RESULT=ok\n"
		    "stopped JOB=web INSTANCE= RESULT=ok");
}

/* ---- the queue and blocking ---- */

static void
test_blocked_event_finishes_when_released(void **state)
{
	BlockedList list;
	Event *event;

	(void)state;
	blocked_list_init(&list);
	event = event_new("held", NULL);
	assert_non_null(event);
	assert_int_equal(blocked_add_event(&list, event), 0);
	assert_int_equal(event->blockers, 1);

	/* Handled, but not finished while blocked. */
	event_poll();
	assert_seen("held");
	assert_true(event_queue_busy());
	assert_int_equal(event->progress, EVENT_HANDLING);

	/* Released as failed: it finishes, and NAME/failed follows. */
	blocked_list_release(&list, NULL, true);
	assert_true(TAILQ_EMPTY(&list));
	event_poll();
	assert_seen("held/failed");
	assert_false(event_queue_busy());
}

static void
test_blocked_event_released_ok_emits_nothing_more(void **state)
{
	BlockedList list, other;
	Event *a, *b;

	(void)state;
	blocked_list_init(&list);
	blocked_list_init(&other);
	a = event_new("a", NULL);
	b = event_new("b", NULL);
	assert_int_equal(blocked_add_event(&other, a), 0);
	assert_int_equal(blocked_add_event(&other, b), 0);
	/* Moving the entries keeps the blocks. */
	blocked_list_move(&list, &other);
	assert_true(TAILQ_EMPTY(&other));
	event_poll();
	assert_seen("a\nb");
	assert_true(event_queue_busy());
	blocked_list_release(&list, NULL, false);
	event_poll();
	assert_seen("");
	assert_false(event_queue_busy());
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_next_state_table),
		cmocka_unit_test_setup_teardown(test_start_and_stop_on_events, setup, teardown),
		cmocka_unit_test_setup_teardown(test_goal_changes_by_command, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stop_while_starting, setup, teardown),
		cmocka_unit_test_setup_teardown(test_instances_and_exported_variables, setup, teardown),
		cmocka_unit_test_setup_teardown(test_starting_event_blocks_until_dependents_start,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_stop_on_stopping_runs_before_the_stop,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_blocked_event_finishes_when_released,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_blocked_event_released_ok_emits_nothing_more,
						setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
