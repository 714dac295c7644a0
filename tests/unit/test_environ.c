/* Unit tests for lib/environ: lists and $VAR expansion. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <stdio.h>

#include "lib/environ.h"

static void
test_set_get_unset(void **state)
{
	EnvList env = ENV_LIST_INIT;

	assert_int_equal(env_set(&env, "A=1"), 0);
	assert_int_equal(env_set(&env, "B=2"), 0);
	assert_int_equal(env_set(&env, "A=3"), 0);   /* replaces in place */
	assert_int_equal(env.len, 2);
	assert_string_equal(env.vars[0], "A=3");
	assert_string_equal(env_get(&env, "B"), "2");
	assert_null(env_get(&env, "C"));
	assert_null(env_get(&env, "A=3"));
	assert_true(env_unset(&env, "A"));
	assert_false(env_unset(&env, "A"));
	assert_string_equal(env.vars[0], "B=2");
	assert_null(env.vars[1]);
	assert_int_equal(env_set(&env, "NOEQUALS"), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(env_set(&env, "=x"), -1);
	env_clear(&env);
	assert_null(env_vars(&env)[0]);
}

static void
test_prefix_keys(void **state)
{
	EnvList env = ENV_LIST_INIT;

	env_set(&env, "AB=1");
	assert_null(env_get(&env, "A"));
	env_set(&env, "A=2");
	assert_string_equal(env_get(&env, "AB"), "1");
	assert_string_equal(env_get(&env, "A"), "2");
	env_clear(&env);
}

static void
test_merge_copy(void **state)
{
	EnvList a = ENV_LIST_INIT, b = ENV_LIST_INIT;

	env_set(&a, "X=1");
	env_set(&a, "Y=2");
	env_set(&b, "Y=3");
	env_set(&b, "Z=4");
	assert_int_equal(env_merge(&a, &b), 0);
	assert_int_equal(a.len, 3);
	assert_string_equal(env_get(&a, "Y"), "3");
	assert_int_equal(env_copy(&b, &a), 0);
	assert_int_equal(b.len, 3);
	assert_string_equal(b.vars[2], "Z=4");
	env_clear(&a);
	env_clear(&b);
}

/* The index gives what env_set() entry by entry gives: same order, a
 * repeated key replaced in place, entries there before the index was
 * made found by it, a bare KEY kept; on lists big enough for env_merge()
 * to take the index too. */
static void
test_index_matches_env_set(void **state)
{
	EnvList by_set = ENV_LIST_INIT, by_index = ENV_LIST_INIT, src = ENV_LIST_INIT;
	EnvIndex ix = ENV_INDEX_INIT;
	char entry[64];

	env_set(&by_set, "PRE=0");
	env_set(&by_index, "PRE=0");
	for (int i = 0; i < 3000; i++) {
		/* Keys repeat: every third entry sets an earlier key again. */
		snprintf(entry, sizeof entry, "K%d=%d", i % 3 ? i : i / 3, i);
		assert_int_equal(env_set(&by_set, entry), 0);
		assert_int_equal(env_index_set(&ix, &by_index, entry), 0);
	}
	assert_int_equal(env_set(&by_set, "PRE=1"), 0);
	assert_int_equal(env_index_set(&ix, &by_index, "PRE=1"), 0);
	assert_int_equal(by_index.len, by_set.len);
	for (size_t i = 0; i < by_set.len; i++)
		assert_string_equal(by_index.vars[i], by_set.vars[i]);
	assert_null(by_index.vars[by_index.len]);
	assert_string_equal(by_index.vars[0], "PRE=1");
	env_index_free(&ix);
	assert_null(ix.slots);

	/* env_merge over the index: the same as setting one by one. */
	for (int i = 0; i < 100; i++) {
		snprintf(entry, sizeof entry, "K%d=merged", i * 7);
		env_set(&src, entry);
	}
	env_set(&src, "NEW=1");
	assert_int_equal(env_merge(&by_index, &src), 0);
	for (size_t i = 0; i < src.len; i++)
		assert_int_equal(env_set(&by_set, src.vars[i]), 0);
	assert_int_equal(by_index.len, by_set.len);
	for (size_t i = 0; i < by_set.len; i++)
		assert_string_equal(by_index.vars[i], by_set.vars[i]);
	env_clear(&by_set);
	env_clear(&by_index);
	env_clear(&src);

	/* A bare KEY (a class's `env KEY`) is kept as it is. */
	assert_int_equal(env_index_set(&ix, &by_index, "A=1"), 0);
	assert_int_equal(env_index_set(&ix, &by_index, "BARE"), 0);
	assert_int_equal(env_index_set(&ix, &by_index, "A=2"), 0);
	assert_int_equal(by_index.len, 2);
	assert_string_equal(by_index.vars[0], "A=2");
	assert_string_equal(by_index.vars[1], "BARE");
	env_index_free(&ix);
	env_clear(&by_index);
}

typedef struct expand_case {
	const char *in;
	const char *out;      /* NULL: error */
	int         err;
	const char *unknown;
} ExpandCase;

static const ExpandCase expand_cases[] = {
	{ "plain", "plain", 0, NULL },
	{ "$FOO", "foo", 0, NULL },
	{ "${FOO}bar", "foobar", 0, NULL },
	{ "a$FOO-b", "afoo-b", 0, NULL },
	{ "$FOO$BAR", "foobar", 0, NULL },
	{ "${EMPTY:-dflt}", "dflt", 0, NULL },
	{ "${EMPTY-dflt}", "", 0, NULL },
	{ "${NOPE-dflt}", "dflt", 0, NULL },
	{ "${NOPE:-$FOO}", "foo", 0, NULL },
	{ "${FOO:+alt}", "alt", 0, NULL },
	{ "${EMPTY:+alt}", "", 0, NULL },
	{ "${EMPTY+alt}", "alt", 0, NULL },
	{ "${NOPE+alt}", "", 0, NULL },
	{ "${}", "$", 0, NULL },
	{ "$", "$", 0, NULL },
	{ "$1", "$1", 0, NULL },
	{ "cost $ 5", "cost $ 5", 0, NULL },
	{ "[!$RUNLEVEL]", "[!2]", 0, NULL },
	{ "$NOPE", NULL, ENOENT, "NOPE" },
	{ "x${NOPE}y", NULL, ENOENT, "NOPE" },
	{ "${FOO", NULL, EINVAL, NULL },
	{ "${FOO?x}", NULL, EINVAL, NULL },
	{ "${-x}", NULL, EINVAL, NULL },
};

static void
test_expand_table(void **state)
{
	EnvList env = ENV_LIST_INIT;

	env_set(&env, "FOO=foo");
	env_set(&env, "BAR=bar");
	env_set(&env, "EMPTY=");
	env_set(&env, "RUNLEVEL=2");
	for (size_t i = 0; i < sizeof expand_cases / sizeof expand_cases[0]; i++) {
		const ExpandCase *c = &expand_cases[i];
		char *unknown = NULL;
		char *out;

		errno = 0;
		out = env_expand(c->in, &env, &unknown);
		if (c->out) {
			assert_non_null(out);
			assert_string_equal(out, c->out);
		} else {
			assert_null(out);
			assert_int_equal(errno, c->err);
			if (c->unknown)
				assert_string_equal(unknown, c->unknown);
		}
		free(out);
		free(unknown);
	}
	env_clear(&env);
}

static void
test_expand_no_env(void **state)
{
	char *unknown = NULL;
	char *out = env_expand("$X", NULL, &unknown);

	assert_null(out);
	assert_string_equal(unknown, "X");
	free(unknown);
	out = env_expand("no vars", NULL, NULL);
	assert_string_equal(out, "no vars");
	free(out);
}

static void
test_expand_deep_nesting(void **state)
{
	/* Hostile input must end in an error, not a stack overflow. */
	size_t depth = 100000;
	char *in = malloc(depth * 8 + 16), *p = in;
	EnvList env = ENV_LIST_INIT;
	char *out;

	for (size_t i = 0; i < depth; i++)
		p = stpcpy(p, "${A:-");
	for (size_t i = 0; i < depth; i++)
		*p++ = '}';
	*p = '\0';
	out = env_expand(in, &env, NULL);
	assert_null(out);
	free(in);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_set_get_unset),
		cmocka_unit_test(test_prefix_keys),
		cmocka_unit_test(test_merge_copy),
		cmocka_unit_test(test_index_matches_env_set),
		cmocka_unit_test(test_expand_table),
		cmocka_unit_test(test_expand_no_env),
		cmocka_unit_test(test_expand_deep_nesting),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
