/* Unit tests for compat/sysv/rc_depend: insserv's .depend files as
 * startpar reads them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "sysv/rc_depend.h"

static RcDepend *
parse(const char *text)
{
	RcDepend *g = rc_depend_parse(text, strlen(text));

	assert_non_null(g);
	return g;
}

/* Does `name` run right after exactly the names given? */
static void
assert_after(const RcDepend *g, const char *name, const char *const *want)
{
	const RcDependNode *n = rc_depend_find(g, name);
	size_t count = 0;

	assert_non_null(n);
	for (; want[count]; count++) {
		bool found = false;

		for (size_t i = 0; i < n->nafter; i++)
			found |= !strcmp(g->nodes[n->after[i]].name, want[count]);
		if (!found)
			fail_msg("%s does not run after %s", name, want[count]);
	}
	assert_int_equal(n->nafter, count);
}

/* The head of a Debian 12 .depend.boot, as insserv writes it. */
static void
test_debian_boot(void **state)
{
	static const char text[] =
		"TARGETS = mountkernfs.sh hostname.sh udev keyboard-setup.sh mountdevsubfs.sh "
		"checkroot.sh procps mountall.sh urandom\n"
		"INTERACTIVE = udev keyboard-setup.sh checkroot.sh\n"
		"udev: mountkernfs.sh\n"
		"keyboard-setup.sh: mountkernfs.sh\n"
		"mountdevsubfs.sh: mountkernfs.sh udev\n"
		"checkroot.sh: hostname.sh keyboard-setup.sh mountdevsubfs.sh\n"
		"procps: mountkernfs.sh udev\n"
		"mountall.sh: checkroot.sh\n"
		"urandom: mountall.sh\n";
	RcDepend *g = parse(text);

	(void)state;
	assert_int_equal(g->len, 9);
	assert_string_equal(g->nodes[0].name, "mountkernfs.sh");   /* order met */
	assert_after(g, "mountkernfs.sh", (const char *[]){ NULL });
	assert_after(g, "mountdevsubfs.sh", (const char *[]){ "mountkernfs.sh", "udev", NULL });
	assert_after(g, "checkroot.sh",
		     (const char *[]){ "hostname.sh", "keyboard-setup.sh", "mountdevsubfs.sh", NULL });
	assert_true(rc_depend_find(g, "udev")->interactive);
	assert_true(rc_depend_find(g, "checkroot.sh")->interactive);
	assert_false(rc_depend_find(g, "procps")->interactive);
	assert_int_equal(g->messages.len, 0);
	assert_null(rc_depend_find(g, "cron"));
	assert_int_equal(rc_depend_index(g, "nope"), -1);
	rc_depend_free(g);
}

/* Names met only in a dependency line are nodes; INTERACTIVE of an
 * unknown name adds nothing; junk lines are ignored. */
static void
test_loose_forms(void **state)
{
	static const char text[] =
		"# a comment: with a colon\n"
		"\n"
		"INTERACTIVE = ghost\n"
		"   TARGETS=a\n"
		"b :   a   c\r\n"
		"just words\n"
		"c:\n"
		"INTERACTIVE = c";
	RcDepend *g = parse(text);

	(void)state;
	assert_int_equal(g->len, 3);
	assert_null(rc_depend_find(g, "ghost"));
	assert_after(g, "b", (const char *[]){ "a", "c", NULL });
	assert_after(g, "c", (const char *[]){ NULL });
	assert_true(rc_depend_find(g, "c")->interactive);
	rc_depend_free(g);
}

/* An edge that would close a loop is dropped and reported; a repeated
 * edge is kept once; a self-edge is a loop. */
static void
test_loops(void **state)
{
	static const char text[] =
		"a: b\n"
		"b: c\n"
		"c: a\n"          /* closes a -> b -> c -> a */
		"a: b b\n"
		"d: d\n";
	RcDepend *g = parse(text);

	(void)state;
	assert_after(g, "a", (const char *[]){ "b", NULL });
	assert_after(g, "b", (const char *[]){ "c", NULL });
	assert_after(g, "c", (const char *[]){ NULL });
	assert_after(g, "d", (const char *[]){ NULL });
	assert_int_equal(g->messages.len, 2);
	assert_string_equal(g->messages.items[0], "loop exists a in c!");
	assert_string_equal(g->messages.items[1], "loop exists d in d!");
	rc_depend_free(g);
}

static void
test_many_loops_are_counted(void **state)
{
	char text[4096] = "";
	RcDepend *g;

	(void)state;
	for (int i = 0; i < 40; i++) {
		char line[32];

		snprintf(line, sizeof line, "n%d: n%d\n", i, i);
		strcat(text, line);
	}
	g = parse(text);
	assert_int_equal(g->messages.len, RC_DEPEND_MESSAGES_MAX);
	assert_int_equal(g->dropped, 40 - RC_DEPEND_MESSAGES_MAX);
	rc_depend_free(g);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_debian_boot),
		cmocka_unit_test(test_loose_forms),
		cmocka_unit_test(test_loops),
		cmocka_unit_test(test_many_loops_are_counted),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
