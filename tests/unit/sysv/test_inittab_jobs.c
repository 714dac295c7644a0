/* Unit tests for compat/sysv/inittab_jobs: every inittab action becomes
 * the job text it should, and that text parses as a job. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sysv/inittab.h"
#include "sysv/inittab_jobs.h"
#include "init/parse_job.h"

typedef struct case_ {
	const char *line;        /* one inittab line */
	const char *want[4];     /* substrings the job text must hold */
	bool        job;         /* false: no job for this entry */
} Case;

static const Case cases[] = {
	{ "1:2345:respawn:/sbin/getty 38400 tty1",
	  { "start on runlevel [2345]\n", "stop on runlevel [!2345]\n", "respawn\n",
	    "utmp 1 tty1\n" }, true },
	{ "x:3:once:/bin/echo hi", { "start on runlevel [3]\n", "exec /bin/echo hi\n" }, true },
	{ "w:2:wait:/bin/true", { "task\n", "start on runlevel [2]\n" }, true },
	{ "b::boot:/bin/true", { "start on startup\n" }, true },
	{ "bw::bootwait:/bin/true", { "start on startup\ntask\n" }, true },
	{ "od:a:ondemand:/bin/true", { "start on ondemand LEVEL=[Aa]\n", "respawn\n" }, true },
	{ "pf::powerwait:/etc/init.d/powerfail start",
	  { "start on power-status-changed PWRSTAT=F\ntask\n" }, true },
	{ "pn::powerfailnow:/etc/init.d/powerfail now", { "PWRSTAT=L\n" }, true },
	{ "po::powerokwait:/etc/init.d/powerfail stop", { "PWRSTAT=O\n" }, true },
	{ "ca:12345:ctrlaltdel:/sbin/shutdown -t1 -a -r now",
	  { "start on control-alt-delete\ntask\n" }, true },
	{ "kb::kbrequest:/bin/echo kb", { "start on keyboard-request\n" }, true },
	{ "p:2:respawn:+/bin/sleep 1", { "exec /bin/sleep 1\n" }, true },
	{ "si::sysinit:/etc/init.d/rcS", { NULL }, false },
	{ "l2:2:wait:/etc/init.d/rc 2", { NULL }, false },
	{ "id:2:initdefault:", { NULL }, false },
	{ "o:2:off:/bin/true", { NULL }, false },
	{ "~~:S:wait:/sbin/sulogin --force", { NULL }, false },
	{ "z6:6:respawn:/sbin/sulogin --force", { "start on runlevel [6]\n" }, true },
	{ "s:89:respawn:/bin/true", { NULL }, false },   /* no level an event carries */
};

static void
test_actions(void **state)
{
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const Case *c = &cases[i];
		Inittab *tab = inittab_parse(c->line, strlen(c->line), "inittab");
		char *text;

		assert_non_null(tab);
		assert_int_equal(tab->len, 1);
		text = inittab_job_text(&tab->entries[0], false);
		if (!c->job) {
			assert_null(text);
			assert_int_equal(errno, 0);
		} else {
			ParseError err = { 0, NULL };
			JobClass *class;

			assert_non_null(text);
			for (int k = 0; k < 4 && c->want[k]; k++)
				if (!strstr(text, c->want[k]))
					fail_msg("%s: no \"%s\" in:\n%s", c->line, c->want[k], text);
			class = parse_job(NULL, "inittab/x", "inittab", text, strlen(text), &err);
			if (!class)
				fail_msg("%s: job text does not parse: %zu: %s", c->line,
					 err.line, err.message);
			job_class_unref(class);
		}
		free(text);
		inittab_free(tab);
	}
}

static void
test_no_utmp_with_plus(void **state)
{
	const char *line = "p:2:respawn:+/bin/sleep 1";
	Inittab *tab = inittab_parse(line, strlen(line), NULL);
	char *text = inittab_job_text(&tab->entries[0], false);

	assert_null(strstr(text, "utmp "));
	free(text);
	inittab_free(tab);
}

static void
test_after_rc(void **state)
{
	const char *line = "1:2345:respawn:/sbin/getty 38400 tty1";
	Inittab *tab = inittab_parse(line, strlen(line), NULL);
	char *text = inittab_job_text(&tab->entries[0], true);

	assert_non_null(strstr(text, "start on stopped rc RUNLEVEL=[2345]\n"));
	assert_non_null(strstr(text, "stop on runlevel [!2345]\n"));
	free(text);
	inittab_free(tab);
}

/* telinit q compares entries by their job text, wherever they stand. */
static void
test_same_text(void **state)
{
	const char *a = "# /etc/inittab line 3: x1:2:respawn:/bin/sleep 1\nrespawn\nexec sleep 1\n";
	const char *moved = "# /etc/inittab line 9: x1:2:respawn:/bin/sleep 1\nrespawn\nexec sleep 1\n";
	const char *changed = "# /etc/inittab line 3: x1:2:respawn:/bin/sleep 2\nrespawn\nexec sleep 2\n";
	char *t1, *t2;
	Inittab *tab1, *tab2;
	const char *f1 = "id:2:initdefault:\nx1:23:respawn:/bin/sleep 4242\n";
	const char *f2 = "# a comment and a blank line first\n\nid:2:initdefault:\nx1:23:respawn:/bin/sleep 4242\n";

	(void)state;
	assert_true(inittab_job_same(a, a));
	assert_true(inittab_job_same(a, moved));
	assert_false(inittab_job_same(a, changed));
	assert_false(inittab_job_same("respawn\n", "task\n"));
	assert_true(inittab_job_same("", ""));
	/* The real generator: the same line two lines further down. */
	tab1 = inittab_parse(f1, strlen(f1), NULL);
	tab2 = inittab_parse(f2, strlen(f2), NULL);
	t1 = inittab_job_text(&tab1->entries[1], false);
	t2 = inittab_job_text(&tab2->entries[1], false);
	assert_string_not_equal(t1, t2);
	assert_true(inittab_job_same(t1, t2));
	free(t1);
	free(t2);
	inittab_free(tab1);
	inittab_free(tab2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_actions),
		cmocka_unit_test(test_no_utmp_with_plus),
		cmocka_unit_test(test_after_rc),
		cmocka_unit_test(test_same_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
