/* history: causes and their records.  The ring keeps the newest
 * HISTORY_SIZE records, a reference keeps an older one alive, contexts
 * nest, and a serialised history comes back with its ring, its kept
 * records and its links.  Also event_operator_unmet(), which `why`
 * prints as "waiting for". */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "init/event_operator.h"
#include "init/history.h"

static int
teardown(void **state)
{
	(void)state;
	history_reset();
	return 0;
}

/* The ring drops the oldest record once full; a record someone holds
 * stays, findable by its seq, and goes when let go. */
static void
test_ring_and_references(void **state)
{
	Record *first, *held;
	uint64_t seq, first_seq;

	(void)state;
	first = history_event("startup", NULL);
	assert_non_null(first);
	assert_int_equal(first->cause.kind, CAUSE_INIT);
	first_seq = first->seq;
	held = history_ref(history_goal("cron", "", "start", NULL));
	seq = held->seq;
	for (int i = 0; i < HISTORY_SIZE; i++)
		assert_non_null(history_event("noise", NULL));
	assert_int_equal(history_len(), HISTORY_SIZE);
	assert_string_equal(history_at(0)->name, "noise");
	assert_null(history_find(first_seq));   /* dropped: nobody held it */
	assert_ptr_equal(history_find(seq), held);
	assert_null(history_last_goal("cron", NULL));   /* out of the ring */
	history_unref(held);
	assert_null(history_find(seq));
}

/* Contexts nest; the innermost is the cause; parents are referenced. */
static void
test_context(void **state)
{
	Record *ev, *goal, *inner;

	(void)state;
	ev = history_event("runlevel", NULL);
	history_push(CAUSE_EVENT, NULL, &ev, 1);
	goal = history_goal("rc", "", "start", NULL);
	history_push(CAUSE_PROCESS, "main process (12) exited with status 1", NULL, 0);
	inner = history_goal("rc", "", "stop", goal);
	history_pop();
	history_pop();
	assert_int_equal(goal->cause.kind, CAUSE_EVENT);
	assert_int_equal(goal->cause.nparents, 1);
	assert_ptr_equal(goal->cause.parents[0], ev);
	assert_int_equal(inner->cause.kind, CAUSE_PROCESS);
	assert_string_equal(inner->cause.text, "main process (12) exited with status 1");
	/* What it repeats comes last among the parents. */
	assert_ptr_equal(inner->cause.parents[inner->cause.nparents - 1], goal);
	assert_int_equal(history_context_kind(), CAUSE_INIT);
	assert_ptr_equal(history_last_goal("rc", ""), inner);
	history_pop();   /* one pop too many: nothing happens */
}

/* An event keeps at most HISTORY_MAX_ENV variables of at most
 * HISTORY_MAX_TEXT bytes; the JSON for others leaves out what the
 * filter refuses and the command line. */
static bool
only_job(const char *var)
{
	return !strncmp(var, "JOB=", 4);
}

static void
test_bounds_and_filter(void **state)
{
	EnvList env = ENV_LIST_INIT;
	char big[2000];
	struct json_object *o, *arr;
	Record *r;

	(void)state;
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	big[0] = 'B';
	big[1] = '=';
	env_set_kv(&env, "JOB", "cron");
	env_set(&env, big);
	for (int i = 0; i < 50; i++) {
		char kv[32];

		snprintf(kv, sizeof kv, "V%d=%d", i, i);
		env_set(&env, kv);
	}
	history_push_client(0, 1000);   /* pid 0: nothing to look up */
	r = history_event("noise", &env);
	history_pop();
	assert_int_equal(r->cause.kind, CAUSE_COMMAND);
	assert_int_equal(r->cause.uid, 1000);
	assert_int_equal(strlen(r->env[1]), HISTORY_MAX_TEXT);
	for (int i = 0; i < HISTORY_MAX_ENV; i++)
		assert_non_null(r->env[i]);
	assert_null(r->env[HISTORY_MAX_ENV]);
	o = history_record_json(r, only_job);
	assert_true(json_object_object_get_ex(o, "env", &arr));
	assert_int_equal(json_object_array_length(arr), 1);
	assert_string_equal(json_object_get_string(json_object_array_get_idx(arr, 0)), "JOB=cron");
	json_object_put(o);
	env_clear(&env);
}

/* Serialise, drop, restore: the ring, a record kept only by a
 * reference, and the links between them come back. */
static void
test_round_trip(void **state)
{
	Record *ev, *goal, *held;
	struct json_object *doc;
	uint64_t ev_seq, goal_seq;

	(void)state;
	ev = history_event("startup", NULL);
	history_push(CAUSE_EVENT, NULL, &ev, 1);
	goal = history_goal("cron", "", "start", NULL);
	history_pop();
	held = history_ref(goal);
	for (int i = 0; i < HISTORY_SIZE; i++)
		history_event("noise", NULL);
	ev_seq = ev->seq;
	goal_seq = goal->seq;
	doc = history_serialise();
	assert_non_null(doc);
	history_unref(held);
	history_reset();
	assert_null(history_find(goal_seq));

	history_deserialise(doc);
	goal = history_find(goal_seq);
	assert_non_null(goal);   /* held by the restore until done */
	held = history_ref(goal);   /* as a restored job takes it */
	history_restore_done();
	assert_int_equal(history_len(), HISTORY_SIZE);
	assert_string_equal(goal->name, "cron");
	assert_int_equal(goal->cause.kind, CAUSE_EVENT);
	assert_int_equal(goal->cause.parents[0]->seq, ev_seq);
	assert_string_equal(goal->cause.parents[0]->name, "startup");
	/* New records go on from where the old image stopped. */
	assert_true(history_event("after", NULL)->seq > goal_seq + HISTORY_SIZE);
	history_unref(held);
	json_object_put(doc);
}

/* A document from elsewhere: garbage is skipped, order enforced. */
static void
test_restore_garbage(void **state)
{
	struct json_object *doc = json_tokener_parse(
		"{\"next_seq\":\"x\",\"ring\":[3,1],\"records\":["
		"{\"seq\":3,\"kind\":\"goal\",\"job\":\"a\",\"goal\":\"start\","
		" \"cause\":{\"kind\":\"nonsense\",\"parents\":[1,99,\"x\"],\"pid\":-5}},"
		"{\"seq\":1,\"kind\":\"event\",\"event\":\"late\"},"
		"{\"seq\":5,\"kind\":\"event\",\"env\":[1,\"A=b\",null]},"
		"17, {\"kind\":\"goal\"}]}");

	(void)state;
	assert_non_null(doc);
	history_deserialise(doc);
	history_restore_done();
	assert_non_null(history_find(3));
	assert_int_equal(history_find(3)->cause.kind, CAUSE_INIT);
	assert_int_equal(history_find(3)->cause.nparents, 0);
	assert_int_equal(history_find(3)->cause.pid, 0);
	assert_null(history_find(1));   /* out of order */
	assert_null(history_find(5));   /* not in the ring, nobody took it */
	json_object_put(doc);
}

/* ---- event_operator_unmet ---- */

static char *
unmet_after(const char *expr, const char *seen)
{
	char *tokens[32], *copy = strdup(expr), *save = NULL;
	size_t n = 0;
	const char *error;
	size_t at;
	EventOperator *tree;
	char *out;

	for (char *t = strtok_r(copy, " ", &save); t && n < 32; t = strtok_r(NULL, " ", &save))
		tokens[n++] = t;
	tree = event_operator_parse(tokens, n, &error, &at);
	assert_non_null(tree);
	/* Mark the leaves named in `seen` true by hand. */
	{
		EventOperator *stack[64];
		size_t sp = 0;

		stack[sp++] = tree;
		while (sp) {
			EventOperator *op = stack[--sp];

			if (op->type == EVENT_MATCH) {
				op->value = strstr(seen, op->name) != NULL;
				continue;
			}
			stack[sp++] = op->left;
			stack[sp++] = op->right;
		}
		/* Recompute the operators bottom up (small trees: twice is
		 * enough for the depth used here). */
		for (int pass = 0; pass < 4; pass++) {
			sp = 0;
			stack[sp++] = tree;
			while (sp) {
				EventOperator *op = stack[--sp];

				if (op->type == EVENT_MATCH)
					continue;
				op->value = op->type == EVENT_AND ? op->left->value && op->right->value
								  : op->left->value || op->right->value;
				stack[sp++] = op->left;
				stack[sp++] = op->right;
			}
		}
	}
	out = event_operator_unmet(tree);
	event_operator_free(tree);
	free(copy);
	return out;
}

static void
test_unmet(void **state)
{
	char *s;

	(void)state;
	s = unmet_after("started a and ( b or c )", "started");
	assert_string_equal(s, "b or c");
	free(s);
	s = unmet_after("started a and ( b or c )", "");
	assert_string_equal(s, "started a and (b or c)");
	free(s);
	s = unmet_after("( a and b ) or c", "a");
	assert_string_equal(s, "b or c");
	free(s);
	s = unmet_after("a and b and c", "b");
	assert_string_equal(s, "a and c");
	free(s);
	assert_null(unmet_after("a or b", "b"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_ring_and_references, teardown),
		cmocka_unit_test_teardown(test_context, teardown),
		cmocka_unit_test_teardown(test_bounds_and_filter, teardown),
		cmocka_unit_test_teardown(test_round_trip, teardown),
		cmocka_unit_test_teardown(test_restore_garbage, teardown),
		cmocka_unit_test(test_unmet),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
