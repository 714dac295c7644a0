/* Unit tests for compat/sysv/rc_sched: phases run on a simulated clock.
 * Every launch is checked (predecessors ended, the limit, interactive
 * steps alone), and the makespan compared with the critical path. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sysv/rc_sched.h"

#define MAX_STEPS 512

static RcStep steps[MAX_STEPS];
static RcPhase phase = { steps, 0 };
static unsigned duration[MAX_STEPS];

static void
reset(void)
{
	for (size_t i = 0; i < phase.len; i++)
		free(steps[i].after);
	memset(steps, 0, sizeof steps);
	phase.len = 0;
}

/* A step of `ms` after the steps listed (-1 ends the list). */
static size_t
step(unsigned ms, bool interactive, ...)
{
	size_t i = phase.len++;
	va_list ap;
	int before;

	steps[i].interactive = interactive;
	steps[i].action = "start";
	duration[i] = ms;
	va_start(ap, interactive);
	while ((before = va_arg(ap, int)) >= 0) {
		steps[i].after = reallocarray(steps[i].after, steps[i].nafter + 1, sizeof(size_t));
		steps[i].after[steps[i].nafter++] = (size_t)before;
	}
	va_end(ap);
	return i;
}

/* Longest path by durations. */
static unsigned
critical_path(void)
{
	unsigned finish[MAX_STEPS], best = 0;

	/* Steps only come after earlier ones here, so one pass does. */
	for (size_t i = 0; i < phase.len; i++) {
		unsigned start = 0;

		for (size_t k = 0; k < steps[i].nafter; k++)
			if (finish[steps[i].after[k]] > start)
				start = finish[steps[i].after[k]];
		finish[i] = start + duration[i];
		if (finish[i] > best)
			best = finish[i];
	}
	return best;
}

/* Run the phase; returns the makespan.  Asserts the rules at each launch. */
static unsigned
simulate(size_t limit)
{
	RcSched s;
	unsigned now = 0, end_at[MAX_STEPS];
	bool running[MAX_STEPS] = { false }, ended[MAX_STEPS] = { false };
	size_t nrunning = 0;

	assert_int_equal(rc_sched_init(&s, &phase, limit), 0);
	for (;;) {
		ssize_t i;
		size_t next = (size_t)-1;

		while ((i = rc_sched_next(&s)) >= 0) {
			for (size_t k = 0; k < steps[i].nafter; k++)
				assert_true(ended[steps[i].after[k]]);
			if (steps[i].interactive)
				assert_int_equal(nrunning, 0);
			for (size_t k = 0; k < phase.len; k++)
				if (running[k])
					assert_false(steps[k].interactive);
			running[i] = true;
			nrunning++;
			assert_true(!limit || nrunning <= limit);
			end_at[i] = now + duration[i];
		}
		if (rc_sched_finished(&s))
			break;
		/* The next step to end. */
		for (size_t k = 0; k < phase.len; k++)
			if (running[k] && (next == (size_t)-1 || end_at[k] < end_at[next]))
				next = k;
		assert_true(next != (size_t)-1);    /* else it is stuck */
		now = end_at[next];
		for (size_t k = 0; k < phase.len; k++) {
			if (running[k] && end_at[k] == now) {
				running[k] = false;
				ended[k] = true;
				nrunning--;
				rc_sched_ended(&s, k);
			}
		}
	}
	for (size_t k = 0; k < phase.len; k++)
		assert_true(ended[k]);
	rc_sched_free(&s);
	return now;
}

/* The synthetic graphs of the benchmark: layers of `width` steps, each
 * after two steps of the layer before. */
static void
layered(size_t depth, size_t width, unsigned ms)
{
	for (size_t d = 0; d < depth; d++)
		for (size_t w = 0; w < width; w++) {
			if (d == 0) {
				step(ms, false, -1);
			} else {
				size_t base = (d - 1) * width;

				step(ms, false, (int)(base + w), (int)(base + (w * 7 + 3) % width), -1);
			}
		}
}

static void
test_unlimited_is_the_critical_path(void **state)
{
	(void)state;
	reset();
	layered(5, 40, 300);
	assert_int_equal(critical_path(), 1500);
	assert_int_equal(simulate(0), 1500);
	assert_int_equal(simulate(40), 1500);   /* the widest layer fits */
	assert_true(simulate(16) > 1500);       /* a startpar-like cap does not */
	reset();
}

static void
test_limit_one_is_sequential(void **state)
{
	(void)state;
	reset();
	layered(3, 4, 10);
	assert_int_equal(simulate(1), 12 * 10);
	reset();
}

/* With two slots, the chain goes first although the plan lists twenty
 * independent steps before it: 13 rounds, where plan order takes 15. */
static void
test_longest_chain_first(void **state)
{
	(void)state;
	reset();
	for (int i = 0; i < 20; i++)
		step(100, false, -1);
	step(100, false, -1);
	for (int i = 0; i < 4; i++)
		step(100, false, (int)phase.len - 1, -1);
	assert_int_equal(critical_path(), 500);
	assert_int_equal(simulate(2), 1300);
	reset();
}

static void
test_interactive_alone(void **state)
{
	size_t a, b;

	(void)state;
	reset();
	a = step(50, false, -1);
	step(80, false, -1);
	b = step(30, true, (int)a, -1);      /* waits for both others to end */
	step(10, false, (int)b, -1);
	step(10, false, -1);
	/* checked in simulate(): nothing runs beside the interactive step */
	assert_true(simulate(0) >= 80 + 30);
	reset();
}

/* write DIR/NAME with TEXT (directories made). */
static void
put(const char *dir, const char *name, const char *text)
{
	char path[512], cmd[600];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	snprintf(cmd, sizeof cmd, "mkdir -p \"$(dirname '%s')\"", path);
	assert_int_equal(system(cmd), 0);
	assert_non_null(f = fopen(path, "w"));
	fputs(text, f);
	fclose(f);
}

static void
test_default_limit(void **state)
{
	char dir[] = "/tmp/upinit-mem.XXXXXX", meminfo[64], self[64], root[64], cmd[128];
	RcMemFiles files = { meminfo, self, root };

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(meminfo, sizeof meminfo, "%s/meminfo", dir);
	snprintf(self, sizeof self, "%s/self-cgroup", dir);
	snprintf(root, sizeof root, "%s/cgroup", dir);
	/* Nothing readable: the floor. */
	assert_int_equal(rc_sched_default_limit(&files), 16);
	/* MemAvailable alone (no cgroup file): 1 GiB / 4 MiB. */
	put(dir, "meminfo", "MemTotal:        2000000 kB\nMemAvailable:    1048576 kB\n");
	assert_int_equal(rc_sched_default_limit(&files), 256);
	put(dir, "meminfo", "MemAvailable:      10240 kB\n");
	assert_int_equal(rc_sched_default_limit(&files), 16);
	put(dir, "meminfo", "MemAvailable: 104857600 kB\n");
	assert_int_equal(rc_sched_default_limit(&files), 512);
	/* cgroup v2 with a cap: 2 GiB max, 1 GiB used leaves 1 GiB. */
	put(dir, "self-cgroup", "0::/box\n");
	put(dir, "cgroup/box/memory.max", "2147483648\n");
	put(dir, "cgroup/box/memory.current", "1073741824\n");
	assert_int_equal(rc_sched_default_limit(&files), 256);
	/* "max": no cap, MemAvailable again. */
	put(dir, "cgroup/box/memory.max", "max\n");
	assert_int_equal(rc_sched_default_limit(&files), 512);
	/* cgroup v1 (a hybrid system): memory among the controllers. */
	put(dir, "self-cgroup", "7:memoryx:/other\n5:cpu,memory:/lxc\n0::/box\n");
	put(dir, "cgroup/memory/lxc/memory.limit_in_bytes", "536870912\n");
	assert_int_equal(rc_sched_default_limit(&files), 128);
	put(dir, "cgroup/memory/lxc/memory.usage_in_bytes", "600000000\n");  /* over */
	assert_int_equal(rc_sched_default_limit(&files), 16);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unlimited_is_the_critical_path),
		cmocka_unit_test(test_limit_one_is_sequential),
		cmocka_unit_test(test_longest_chain_first),
		cmocka_unit_test(test_interactive_alone),
		cmocka_unit_test(test_default_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
