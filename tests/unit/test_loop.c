/* Unit tests for init/loop's timers: they fire soonest first (those due
 * at the same moment in the order they were made), cancelled ones never
 * fire, and a callback may cancel or add others. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "init/loop.h"

#define MANY 2000

typedef struct {
	int      id;       /* order of making */
	uint64_t due;
	Timer   *timer;
	int      fired;    /* times */
} Probe;

static Probe probes[MANY];
static int order[MANY];
static int nfired;

static void
fire(void *data)
{
	Probe *p = data;

	p->timer = NULL;
	p->fired++;
	if (nfired < MANY)
		order[nfired] = p->id;
	nfired++;
}

static int
setup(void **state)
{
	(void)state;
	memset(probes, 0, sizeof probes);
	nfired = 0;
	return loop_init();
}

/* Runs the loop until `want` timers fired or 3 s passed. */
static void
run_until(int want)
{
	uint64_t end = loop_now_ms() + 3000;

	while (nfired < want && loop_now_ms() < end)
		loop_run_once(50);
}

static void
make(int i, uint64_t ms)
{
	probes[i].id = i;
	probes[i].timer = loop_timer(ms, fire, &probes[i]);
	assert_non_null(probes[i].timer);
	probes[i].due = loop_timer_due(probes[i].timer);
}

/* Fired in (due, made) order. */
static void
assert_in_order(int n)
{
	for (int k = 1; k < n; k++) {
		const Probe *a = &probes[order[k - 1]], *b = &probes[order[k]];

		assert_true(a->due < b->due || (a->due == b->due && a->id < b->id));
	}
}

static void
test_soonest_first(void **state)
{
	(void)state;
	srand(1);
	for (int i = 0; i < MANY; i++)
		make(i, (uint64_t)(rand() % 40));
	run_until(MANY);
	assert_int_equal(nfired, MANY);
	for (int i = 0; i < MANY; i++)
		assert_int_equal(probes[i].fired, 1);
	assert_in_order(MANY);
}

/* All due at once: first made, first fired. */
static void
test_same_time_in_order(void **state)
{
	(void)state;
	for (int i = 0; i < 100; i++)
		make(i, 0);
	run_until(100);
	assert_int_equal(nfired, 100);
	for (int i = 0; i < 100; i++)
		assert_int_equal(order[i], i);
}

static void
test_cancelled_never_fire(void **state)
{
	(void)state;
	srand(2);
	for (int i = 0; i < MANY; i++)
		make(i, (uint64_t)(rand() % 30));
	/* Every third, wherever it sits in the heap (its top included). */
	for (int i = 0; i < MANY; i += 3) {
		loop_timer_cancel(probes[i].timer);
		probes[i].timer = NULL;
	}
	run_until(MANY - (MANY + 2) / 3);
	/* Give a cancelled one the chance to fire wrongly. */
	loop_run_once(40);
	assert_int_equal(nfired, MANY - (MANY + 2) / 3);
	for (int i = 0; i < MANY; i++)
		assert_int_equal(probes[i].fired, i % 3 ? 1 : 0);
	assert_in_order(nfired);
}

/* A callback that cancels a timer due later and adds one. */
static Probe *victim;

static void
fire_and_meddle(void *data)
{
	fire(data);
	if (victim) {
		loop_timer_cancel(victim->timer);
		victim->timer = NULL;
		victim = NULL;
		make(3, 5);
	}
}

static void
test_callback_cancels_and_adds(void **state)
{
	(void)state;
	probes[0].id = 0;
	probes[0].timer = loop_timer(0, fire_and_meddle, &probes[0]);
	probes[0].due = loop_timer_due(probes[0].timer);
	make(1, 10);
	make(2, 20);
	victim = &probes[1];
	run_until(3);
	loop_run_once(30);
	assert_int_equal(nfired, 3);
	assert_int_equal(probes[0].fired, 1);
	assert_int_equal(probes[1].fired, 0);
	assert_int_equal(probes[2].fired, 1);
	assert_int_equal(probes[3].fired, 1);
	assert_int_equal(order[0], 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_soonest_first, setup),
		cmocka_unit_test_setup(test_same_time_in_order, setup),
		cmocka_unit_test_setup(test_cancelled_never_fire, setup),
		cmocka_unit_test_setup(test_callback_cancels_and_adds, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
