/* Unit tests for init/event_operator.c: parsing and printing, matching,
 * value propagation through and/or, collecting environment and events,
 * reset, copy, and hostile (deep) input.
 *
 * Events are built by hand (not with event_new) so nothing is queued. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "init/blocked.h"
#include "lib/environ.h"
#include "init/event.h"
#include "init/event_operator.h"

/* ---- helpers ---- */

/* Split `text` on spaces into tokens (parentheses must be spaced out). */
typedef struct tokens {
	char  *buf;
	char **v;
	size_t n;
} Tokens;

static Tokens
split(const char *text)
{
	Tokens t = { strdup(text), calloc(strlen(text) + 1, sizeof (char *)), 0 };
	char *save = NULL;

	assert_non_null(t.buf);
	assert_non_null(t.v);
	for (char *w = strtok_r(t.buf, " ", &save); w; w = strtok_r(NULL, " ", &save))
		t.v[t.n++] = w;
	return t;
}

static void
tokens_free(Tokens *t)
{
	free(t->buf);
	free(t->v);
}

/* Parse `text`, failing the test on a parse error. */
static EventOperator *
parse_ok(const char *text)
{
	Tokens t = split(text);
	const char *error = NULL;
	size_t at = 0;
	EventOperator *op = event_operator_parse(t.v, t.n, &error, &at);

	if (!op)
		fail_msg("parse of \"%s\" failed: %s at token %zu", text, error, at);
	tokens_free(&t);
	return op;
}

/* A hand-made event: name and NULL-terminated KEY=VALUE list. */
static Event *
event_make(const char *name, ...)
{
	Event *e = calloc(1, sizeof *e);
	va_list ap;

	assert_non_null(e);
	e->name = strdup(name);
	env_init(&e->env);
	blocked_list_init(&e->blocking);
	va_start(ap, name);
	for (const char *kv; (kv = va_arg(ap, const char *));)
		assert_int_equal(env_append(&e->env, kv), 0);
	va_end(ap);
	return e;
}

static void
event_destroy(Event *e)
{
	free(e->name);
	env_clear(&e->env);
	free(e);
}

/* An EnvList from a NULL-terminated list. */
static EnvList
env_make(const char *first, ...)
{
	EnvList env = ENV_LIST_INIT;
	va_list ap;

	va_start(ap, first);
	for (const char *kv = first; kv; kv = va_arg(ap, const char *))
		assert_int_equal(env_append(&env, kv), 0);
	va_end(ap);
	return env;
}

static void
assert_prints(const EventOperator *op, const char *expected)
{
	char *s = event_operator_to_string(op);

	assert_non_null(s);
	assert_string_equal(s, expected);
	free(s);
}

/* ---- parse and print ---- */

static const struct {
	const char *input;
	const char *printed;
} round_trips[] = {
	{ "startup", "startup" },
	{ "runlevel [2345]", "runlevel [2345]" },
	{ "stopped rc RUNLEVEL=[2345]", "stopped rc RUNLEVEL=[2345]" },
	{ "a and b", "(a and b)" },
	{ "a or b", "(a or b)" },
	/* equal precedence, left-associative */
	{ "a or b or c", "((a or b) or c)" },
	{ "a and b or c", "((a and b) or c)" },
	{ "a or b and c", "((a or b) and c)" },
	{ "a and ( b FOO=BAR or starting C x=y )",
	  "(a and (b FOO=BAR or starting C x=y))" },
	{ "( ( ( a ) ) )", "a" },
	{ "( a or b ) and c", "((a or b) and c)" },
	{ "a and ( b or ( c and d ) )", "(a and (b or (c and d)))" },
	{ "stopped rc RUNLEVEL=[2345] and ( not-container or container CONTAINER=lxc )",
	  "(stopped rc RUNLEVEL=[2345] and (not-container or container CONTAINER=lxc))" },
	{ "runlevel [!$RUNLEVEL]", "runlevel [!$RUNLEVEL]" },
	{ "a FOO!=bar", "a FOO!=bar" },
};

static void
test_round_trips(void **state)
{
	for (size_t i = 0; i < sizeof round_trips / sizeof round_trips[0]; i++) {
		EventOperator *op = parse_ok(round_trips[i].input);
		EventOperator *again;
		char *printed = event_operator_to_string(op);

		assert_string_equal(printed, round_trips[i].printed);
		/* The printed form parses back to the same tree, once the
		 * parentheses are spaced out as the lexer would. */
		{
			char spaced[512] = "";
			size_t n = 0;

			for (const char *p = printed; *p && n + 4 < sizeof spaced; p++) {
				if (*p == '(' || *p == ')') {
					spaced[n++] = ' ';
					spaced[n++] = *p;
					spaced[n++] = ' ';
				} else {
					spaced[n++] = *p;
				}
			}
			spaced[n] = '\0';
			again = parse_ok(spaced);
			assert_prints(again, printed);
			event_operator_free(again);
		}
		free(printed);
		event_operator_free(op);
	}
}

static const struct {
	const char *input;
	const char *error;
	size_t      token;
} parse_errors[] = {
	{ "", "Expected event", 0 },
	{ "and", "Expected event", 0 },
	{ "or a", "Expected event", 0 },
	{ "a and", "Expected event", 2 },
	{ "a and or b", "Expected event", 2 },
	{ "( a", "Mismatched parentheses", 2 },
	{ "a )", "Mismatched parentheses", 1 },
	{ "a ) and ( b", "Mismatched parentheses", 1 },
	{ "( )", "Expected event", 1 },
	{ "a ( b )", "Expected operator", 1 },
	{ "( a ) b", "Expected operator", 3 },
	{ "( a ) ( b )", "Expected operator", 3 },
	{ "a X=1 pos", "Expected variable name before value", 2 },
	{ "a X!=1 pos", "Expected variable name before value", 2 },
	{ "a and ( b X=1 Y=2 z )", "Expected variable name before value", 6 },
	{ "( a and", "Expected event", 3 },
};

static void
test_parse_errors(void **state)
{
	for (size_t i = 0; i < sizeof parse_errors / sizeof parse_errors[0]; i++) {
		Tokens t = split(parse_errors[i].input);
		const char *error = NULL;
		size_t at = 99;
		EventOperator *op = event_operator_parse(t.v, t.n, &error, &at);

		if (op)
			fail_msg("\"%s\" parsed", parse_errors[i].input);
		assert_non_null(error);
		if (strcmp(error, parse_errors[i].error) || at != parse_errors[i].token)
			fail_msg("\"%s\": got \"%s\" at %zu, want \"%s\" at %zu",
				 parse_errors[i].input, error, at,
				 parse_errors[i].error, parse_errors[i].token);
		tokens_free(&t);
	}
}

/* ---- hostile input ---- */

/* A token array of `n` copies cycling through `pattern`. */
static char **
repeat_tokens(const char *const *pattern, size_t plen, size_t n)
{
	char **v = calloc(n + 1, sizeof *v);

	assert_non_null(v);
	for (size_t i = 0; i < n; i++)
		v[i] = (char *)pattern[i % plen];
	return v;
}

static void
test_deep_parentheses(void **state)
{
	const size_t depth = 100000;
	char **v = calloc(2 * depth + 1, sizeof *v);
	const char *error = NULL;
	size_t at = 0;
	EventOperator *op;

	assert_non_null(v);
	for (size_t i = 0; i < depth; i++) {
		v[i] = "(";
		v[depth + 1 + i] = ")";
	}
	v[depth] = "a";

	/* Balanced: parentheses make no nodes, so this is just "a". */
	op = event_operator_parse(v, 2 * depth + 1, &error, &at);
	assert_non_null(op);
	assert_prints(op, "a");
	event_operator_free(op);

	/* One closing parenthesis short. */
	op = event_operator_parse(v, 2 * depth, &error, &at);
	assert_null(op);
	assert_string_equal(error, "Mismatched parentheses");
	assert_int_equal(at, 2 * depth);
	free(v);
}

static void
test_deep_tree_refused(void **state)
{
	/* "( a or ( a or ... b" never closed: a right spine as deep as the
	 * input, refused without recursing. */
	static const char *const pattern[] = { "(", "a", "or" };
	const size_t n = 3 * 100000;
	char **v = repeat_tokens(pattern, 3, n + 1);
	const char *error = NULL;
	size_t at = 0;
	EventOperator *op;

	v[n] = "b";
	op = event_operator_parse(v, n + 1, &error, &at);
	assert_null(op);
	assert_string_equal(error, "Mismatched parentheses");
	assert_int_equal(at, n + 1);
	free(v);

	/* Closed properly, the depth limit is what stops it. */
	{
		const size_t levels = 5000;
		char **w = calloc(4 * levels + 2, sizeof *w);
		size_t k = 0;

		assert_non_null(w);
		for (size_t i = 0; i < levels; i++) {
			w[k++] = "(";
			w[k++] = "a";
			w[k++] = "or";
		}
		w[k++] = "b";
		for (size_t i = 0; i < levels; i++)
			w[k++] = ")";
		op = event_operator_parse(w, k, &error, &at);
		assert_null(op);
		assert_string_equal(error, "Expression nested too deeply");
		assert_true(at < k);
		free(w);
	}
}

static void
test_long_chain(void **state)
{
	/* A flat "a or a or ..." chain of 1000 events is fine and every
	 * walk over it works; 100000 is refused, not crashed on. */
	static const char *const pattern[] = { "a", "or" };
	char **v = repeat_tokens(pattern, 2, 1999);
	const char *error = NULL;
	size_t at = 0;
	EventOperator *op = event_operator_parse(v, 1999, &error, &at);
	EventOperator *copy;
	Event *a = event_make("a", NULL);
	char *s;

	assert_non_null(op);
	s = event_operator_to_string(op);
	assert_non_null(s);
	assert_int_equal(strncmp(s, "((((", 4), 0);
	free(s);
	copy = event_operator_copy(op);
	assert_non_null(copy);
	assert_true(event_operator_handle(copy, a, NULL));
	assert_true(copy->value);
	assert_int_equal(a->blockers, 1000);
	event_operator_reset(copy);
	assert_int_equal(a->blockers, 0);
	event_operator_free(copy);
	event_operator_free(op);
	free(v);

	v = repeat_tokens(pattern, 2, 199999);
	op = event_operator_parse(v, 199999, &error, &at);
	assert_null(op);
	assert_string_equal(error, "Expression nested too deeply");
	free(v);
	event_destroy(a);
}

/* ---- matching ---- */

static const struct {
	const char *leaf;
	const char *event;    /* "name K=V K=V" */
	const char *env;      /* NULL: no environment; else "K=V K=V" */
	bool        match;
} matches[] = {
	{ "startup", "startup", NULL, true },
	{ "startup", "starting", NULL, false },
	/* positional: the i-th value, whatever its key */
	{ "runlevel [2345]", "runlevel RUNLEVEL=2 PREVLEVEL=N", NULL, true },
	{ "runlevel [2345]", "runlevel RUNLEVEL=S PREVLEVEL=N", NULL, false },
	{ "runlevel [!2345]", "runlevel RUNLEVEL=0 PREVLEVEL=2", NULL, true },
	{ "runlevel 2 N", "runlevel RUNLEVEL=2 PREVLEVEL=N", NULL, true },
	{ "runlevel 2 2", "runlevel RUNLEVEL=2 PREVLEVEL=N", NULL, false },
	{ "stopped rc", "stopped JOB=rc INSTANCE= RESULT=ok", NULL, true },
	{ "stopped rc", "stopped JOB=rcS INSTANCE=", NULL, false },
	{ "stopped rc*", "stopped JOB=rcS INSTANCE=", NULL, true },
	/* too few positional values */
	{ "foo x y", "foo A=x", NULL, false },
	{ "foo x", "foo", NULL, false },
	/* by name */
	{ "stopped rc RUNLEVEL=[2345]", "stopped JOB=rc RUNLEVEL=2", NULL, true },
	{ "stopped rc RUNLEVEL=[2345]", "stopped JOB=rc RUNLEVEL=S", NULL, false },
	{ "foo B=2", "foo A=1 B=2", NULL, true },
	{ "foo B=2", "foo A=1", NULL, false },
	{ "foo B=", "foo B=", NULL, true },
	{ "foo B=", "foo B=x", NULL, false },
	{ "foo B=b*", "foo B=bar", NULL, true },
	{ "foo B=?", "foo B=ab", NULL, false },
	/* negation; a missing key is no match for != too */
	{ "foo B!=2", "foo B=3", NULL, true },
	{ "foo B!=2", "foo B=2", NULL, false },
	{ "foo B!=2", "foo A=1", NULL, false },
	{ "foo B!=[0-9]", "foo B=x", NULL, true },
	/* $VAR expansion */
	{ "foo B=$X", "foo B=bar", NULL, false },
	{ "foo B=$X", "foo B=bar", "X=bar", true },
	{ "foo B=$X", "foo B=bar", "X=baz", false },
	{ "foo B=$X", "foo B=bar", "Y=bar", false },
	{ "foo B=${X}*", "foo B=barn", "X=bar", true },
	{ "foo B!=$X", "foo B=bar", NULL, false },
	{ "foo B!=$X", "foo B=bar", "Y=1", false },
	{ "foo B!=$X", "foo B=bar", "X=baz", true },
	{ "runlevel [!$RUNLEVEL]", "runlevel RUNLEVEL=3", "RUNLEVEL=2", true },
	{ "runlevel [!$RUNLEVEL]", "runlevel RUNLEVEL=2", "RUNLEVEL=2", false },
	{ "runlevel [!$RUNLEVEL]", "runlevel RUNLEVEL=3", NULL, false },
	{ "foo ${}", "foo A=$", NULL, false },
	{ "foo ${X", "foo A=x", "X=x", false },
	/* name checks come first */
	{ "bar B=2", "foo B=2", NULL, false },
};

/* Build an EnvList (or NULL) from "K=V K=V". */
static const EnvList *
env_from_words(const char *words, EnvList *env)
{
	Tokens t;

	if (!words)
		return NULL;
	t = split(words);
	env_init(env);
	for (size_t i = 0; i < t.n; i++)
		assert_int_equal(env_append(env, t.v[i]), 0);
	tokens_free(&t);
	return env;
}

static void
test_match(void **state)
{
	for (size_t i = 0; i < sizeof matches / sizeof matches[0]; i++) {
		EventOperator *leaf = parse_ok(matches[i].leaf);
		Tokens t = split(matches[i].event);
		Event *e = event_make(t.v[0], NULL);
		EnvList env_buf = ENV_LIST_INIT;
		const EnvList *env = env_from_words(matches[i].env, &env_buf);

		for (size_t k = 1; k < t.n; k++)
			assert_int_equal(env_append(&e->env, t.v[k]), 0);
		if (event_operator_match(leaf, e, env) != matches[i].match)
			fail_msg("leaf \"%s\" event \"%s\" env \"%s\": want %s",
				 matches[i].leaf, matches[i].event,
				 matches[i].env ? matches[i].env : "(null)",
				 matches[i].match ? "match" : "no match");
		env_clear(&env_buf);
		tokens_free(&t);
		event_destroy(e);
		event_operator_free(leaf);
	}
}

/* ---- handle, collect, reset ---- */

static void
test_and(void **state)
{
	EventOperator *op = parse_ok("a and b");
	Event *a = event_make("a", "X=1", "Y=2", NULL);
	Event *b = event_make("b", "X=3", "Z=4", NULL);
	Event *c = event_make("c", NULL);
	EnvList env = ENV_LIST_INIT;
	BlockedList list;
	char *names = NULL;

	assert_false(event_operator_handle(op, c, NULL));
	assert_true(event_operator_handle(op, a, NULL));
	assert_false(op->value);
	assert_true(op->left->value);
	assert_ptr_equal(op->left->event, a);
	assert_int_equal(a->blockers, 1);
	/* A leaf already true ignores a second matching event. */
	assert_false(event_operator_handle(op, a, NULL));
	assert_int_equal(a->blockers, 1);

	assert_true(event_operator_handle(op, b, NULL));
	assert_true(op->value);

	/* Tree order; later values replace earlier ones in place. */
	assert_int_equal(event_operator_collect_env(op, &env, &names), 0);
	assert_int_equal(env.len, 3);
	assert_string_equal(env.vars[0], "X=3");
	assert_string_equal(env.vars[1], "Y=2");
	assert_string_equal(env.vars[2], "Z=4");
	assert_string_equal(names, "a b");

	blocked_list_init(&list);
	assert_int_equal(event_operator_collect_events(op, &list), 0);
	assert_int_equal(a->blockers, 2);
	assert_int_equal(b->blockers, 2);

	event_operator_reset(op);
	assert_false(op->value);
	assert_false(op->left->value);
	assert_null(op->left->event);
	assert_null(op->right->event);
	assert_int_equal(a->blockers, 1);
	assert_int_equal(b->blockers, 1);

	blocked_list_release(&list, NULL, false);
	assert_int_equal(a->blockers, 0);
	assert_int_equal(b->blockers, 0);

	free(names);
	env_clear(&env);
	event_operator_free(op);
	event_destroy(a);
	event_destroy(b);
	event_destroy(c);
}

static void
test_or_collects_only_true_paths(void **state)
{
	/* a is true under a false `and`: it took no part, so neither its
	 * environment nor its event is collected. */
	EventOperator *op = parse_ok("( a and b ) or c");
	Event *a = event_make("a", "A=1", NULL);
	Event *c = event_make("c", "C=1", NULL);
	EnvList env = ENV_LIST_INIT;
	BlockedList list;
	char *names = strdup("pre");

	assert_true(event_operator_handle(op, a, NULL));
	assert_false(op->value);
	assert_true(event_operator_handle(op, c, NULL));
	assert_true(op->value);

	assert_int_equal(event_operator_collect_env(op, &env, &names), 0);
	assert_int_equal(env.len, 1);
	assert_string_equal(env.vars[0], "C=1");
	assert_string_equal(names, "pre c");

	blocked_list_init(&list);
	assert_int_equal(event_operator_collect_events(op, &list), 0);
	assert_int_equal(a->blockers, 1);
	assert_int_equal(c->blockers, 2);
	blocked_list_release(&list, NULL, false);

	/* Freeing a tree drops the blocks it holds. */
	event_operator_free(op);
	assert_int_equal(a->blockers, 0);
	assert_int_equal(c->blockers, 0);

	free(names);
	env_clear(&env);
	event_destroy(a);
	event_destroy(c);
}

static void
test_one_event_two_leaves(void **state)
{
	EventOperator *op = parse_ok("a or a X=1");
	Event *a = event_make("a", "X=1", NULL);
	char *names = NULL;
	EnvList env = ENV_LIST_INIT;

	assert_true(event_operator_handle(op, a, NULL));
	assert_true(op->left->value);
	assert_true(op->right->value);
	assert_int_equal(a->blockers, 2);
	assert_int_equal(event_operator_collect_env(op, &env, &names), 0);
	assert_string_equal(names, "a a");
	event_operator_reset(op);
	assert_int_equal(a->blockers, 0);
	free(names);
	env_clear(&env);
	event_operator_free(op);
	event_destroy(a);
}

static void
test_handle_with_env(void **state)
{
	EventOperator *op = parse_ok("runlevel [!$RUNLEVEL]");
	Event *e = event_make("runlevel", "RUNLEVEL=3", "PREVLEVEL=2", NULL);
	EnvList env = env_make("RUNLEVEL=2", NULL);

	assert_false(event_operator_handle(op, e, NULL));
	assert_true(event_operator_handle(op, e, &env));
	assert_true(op->value);
	event_operator_free(op);
	assert_int_equal(e->blockers, 0);
	env_clear(&env);
	event_destroy(e);
}

static void
test_collect_without_names(void **state)
{
	EventOperator *op = parse_ok("a");
	Event *a = event_make("a", "K=v", NULL);
	EnvList env = env_make("K=old", "L=1", NULL);

	assert_true(event_operator_handle(op, a, NULL));
	assert_int_equal(event_operator_collect_env(op, &env, NULL), 0);
	assert_int_equal(env.len, 2);
	assert_string_equal(env_get(&env, "K"), "v");
	env_clear(&env);
	event_operator_free(op);
	event_destroy(a);
}

/* ---- copy and leaves ---- */

static void
test_copy(void **state)
{
	EventOperator *op = parse_ok("a X=1 and ( b or c y )");
	Event *a = event_make("a", "X=1", NULL);
	EventOperator *copy;

	assert_true(event_operator_handle(op, a, NULL));
	copy = event_operator_copy(op);
	assert_non_null(copy);
	assert_prints(copy, "(a X=1 and (b or c y))");
	/* No state is copied. */
	assert_false(copy->left->value);
	assert_null(copy->left->event);
	assert_int_equal(a->blockers, 1);
	assert_ptr_not_equal(copy->left->args, op->left->args);
	assert_null(event_operator_copy(NULL));
	event_operator_free(copy);
	event_operator_free(op);
	event_destroy(a);
}

static void
add_name(const EventOperator *leaf, void *data)
{
	char *buf = data;

	strcat(buf, leaf->name);
}

static void
test_foreach_leaf(void **state)
{
	EventOperator *op = parse_ok("( a or b ) and ( c or d ) and e");
	char buf[16] = "";

	event_operator_foreach_leaf(op, add_name, buf);
	assert_string_equal(buf, "abcde");
	event_operator_foreach_leaf(NULL, add_name, buf);
	assert_string_equal(buf, "abcde");
	event_operator_free(op);
	event_operator_reset(NULL);
	event_operator_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trips),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_deep_parentheses),
		cmocka_unit_test(test_deep_tree_refused),
		cmocka_unit_test(test_long_chain),
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_and),
		cmocka_unit_test(test_or_collects_only_true_paths),
		cmocka_unit_test(test_one_event_two_leaves),
		cmocka_unit_test(test_handle_with_env),
		cmocka_unit_test(test_collect_without_names),
		cmocka_unit_test(test_copy),
		cmocka_unit_test(test_foreach_leaf),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
