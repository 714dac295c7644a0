/* Unit tests for compat/sysv/rc_dirs and rc_plan: the scripts Debian's
 * rc (and startpar's makefile mode) would run for a runlevel change,
 * over a private tree of rc directories with real links. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sysv/rc_plan.h"

static char etc[] = "/tmp/upinit-rcplan.XXXXXX";

/* link LEVEL NAME: etc/rcLEVEL.d/NAME -> ../init.d/<script>, the script
 * being NAME minus its first three characters. */
static void
add_link(char level, const char *name)
{
	char dir[256], target[256], path[512], script[512];
	FILE *f;

	snprintf(dir, sizeof dir, "%s/rc%c.d", etc, level);
	mkdir(dir, 0755);
	snprintf(script, sizeof script, "%s/init.d/%s", etc, name + 3);
	if ((f = fopen(script, "w"))) {
		fputs("#!/bin/sh\n", f);
		fclose(f);
	}
	snprintf(target, sizeof target, "../init.d/%s", name + 3);
	snprintf(path, sizeof path, "%s/%s", dir, name);
	assert_int_equal(symlink(target, path), 0);
}

static int
setup(void **state)
{
	char initd[256];

	(void)state;
	if (!mkdtemp(etc))
		return -1;
	snprintf(initd, sizeof initd, "%s/init.d", etc);
	mkdir(initd, 0755);
	/* rcS.d */
	add_link('S', "S01mountkernfs.sh");
	add_link('S', "S02udev");
	add_link('S', "S03checkroot.sh");
	add_link('S', "S04procps");
	/* rc2.d and rc3.d share ssh and cron; rc3.d has apache, rc2.d exim */
	add_link('2', "S01rsyslog");
	add_link('2', "S02ssh");
	add_link('2', "S02cron");
	add_link('2', "S03exim");
	add_link('2', "K01apache");
	add_link('3', "S01rsyslog");
	add_link('3', "S02ssh");
	add_link('3', "S02cron");
	add_link('3', "S03apache");
	add_link('3', "K01exim");
	/* rc0.d: everything stops */
	add_link('0', "K01ssh");
	add_link('0', "K01cron");
	add_link('0', "K01apache");
	add_link('0', "K02rsyslog");
	add_link('0', "K03halt");
	add_link('0', "S01legacy-stop");
	return 0;
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf %s", etc);
	strcpy(etc, "/tmp/upinit-rcplan.XXXXXX");
	return system(cmd);
}

static RcDepend *
graph(const char *text)
{
	RcDepend *g = rc_depend_parse(text, strlen(text));

	assert_non_null(g);
	return g;
}

/* The steps of a phase as "action name<after,after>" words. */
static void
assert_phase(const RcPhase *phase, const char *want)
{
	char got[1024] = "";

	for (size_t i = 0; i < phase->len; i++) {
		const RcStep *s = &phase->steps[i];
		char word[128];

		snprintf(word, sizeof word, "%s%s %s%s", i ? "; " : "", s->action, s->name,
			 s->interactive ? "!" : "");
		strcat(got, word);
		for (size_t k = 0; k < s->nafter; k++) {
			snprintf(word, sizeof word, "%c%s", k ? ',' : '<',
				 phase->steps[s->after[k]].name);
			strcat(got, word);
		}
		if (s->nafter)
			strcat(got, ">");
	}
	assert_string_equal(got, want);
}

static void
scan(char level, RcDir *dir)
{
	assert_int_equal(rc_dir_scan(etc, level, dir), 0);
}

static void
test_dirs(void **state)
{
	RcDir dir, none;
	char dangling[512];

	(void)state;
	snprintf(dangling, sizeof dangling, "%s/rc2.d/S09gone", etc);
	assert_int_equal(symlink("../init.d/gone", dangling), 0);
	scan('2', &dir);
	assert_true(dir.exists);
	assert_int_equal(dir.len, 5);       /* the dangling link is left out */
	assert_int_equal(dir.links[0].kind, 'K');
	assert_string_equal(dir.links[0].name, "apache");
	assert_string_equal(dir.links[1].name, "rsyslog");
	assert_string_equal(dir.links[2].name, "cron");   /* S02cron < S02ssh */
	assert_true(strstr(dir.links[2].path, "/rc2.d/S02cron") != NULL);
	assert_true(rc_dir_has(&dir, 'S', "exim"));
	assert_false(rc_dir_has(&dir, 'K', "exim"));
	rc_dir_free(&dir);
	scan('5', &none);
	assert_false(none.exists);
	assert_int_equal(none.len, 0);
	rc_dir_free(&none);
}

static void
test_depend_boot(void **state)
{
	RcDir s;
	RcDepend *boot = graph("TARGETS = mountkernfs.sh udev checkroot.sh procps notlinked\n"
			       "INTERACTIVE = checkroot.sh\n"
			       "udev: mountkernfs.sh\n"
			       "checkroot.sh: udev notlinked\n"
			       "procps: mountkernfs.sh udev\n");
	RcSources src = { .order = RC_ORDER_DEPEND, .boot = boot };
	RcPlan plan;

	(void)state;
	scan('S', &s);
	src.run_dir = &s;
	assert_int_equal(rc_plan_build(&src, 'N', 'S', &plan), 0);
	assert_int_equal(plan.nphases, 1);
	/* notlinked is not run and holds nothing up. */
	assert_phase(&plan.phases[0], "start mountkernfs.sh; start udev<mountkernfs.sh>; "
		     "start checkroot.sh!<udev>; start procps<mountkernfs.sh,udev>");
	rc_plan_free(&plan);
	rc_depend_free(boot);
	rc_dir_free(&s);
}

static void
test_depend_level_change(void **state)
{
	RcDir two, three;
	RcDepend *start = graph("TARGETS = rsyslog ssh cron exim apache\n"
				"ssh: rsyslog\ncron: rsyslog\nexim: rsyslog\napache: rsyslog\n");
	RcDepend *stop = graph("TARGETS = apache exim\n");
	RcSources src = { .order = RC_ORDER_DEPEND, .start = start, .stop = stop };
	RcPlan plan;

	(void)state;
	scan('2', &two);
	scan('3', &three);
	/* Boot into 2: no K phase; every S script of rc2.d. */
	src.run_dir = &two;
	assert_int_equal(rc_plan_build(&src, 'N', '2', &plan), 0);
	assert_int_equal(plan.nphases, 1);
	assert_phase(&plan.phases[0], "start rsyslog; start ssh<rsyslog>; start cron<rsyslog>; "
		     "start exim<rsyslog>");
	rc_plan_free(&plan);
	/* 3 -> 2: apache's K link in rc2.d runs (none in rc3.d); only exim
	 * starts: the others were started in 3 already. */
	src.prev_dir = &three;
	assert_int_equal(rc_plan_build(&src, '3', '2', &plan), 0);
	assert_int_equal(plan.nphases, 2);
	assert_phase(&plan.phases[0], "stop apache");
	assert_phase(&plan.phases[1], "start exim");
	rc_plan_free(&plan);
	/* 2 -> 3 */
	src.run_dir = &three;
	src.prev_dir = &two;
	assert_int_equal(rc_plan_build(&src, '2', '3', &plan), 0);
	assert_phase(&plan.phases[0], "stop exim");
	assert_phase(&plan.phases[1], "start apache");
	rc_plan_free(&plan);
	rc_depend_free(start);
	rc_depend_free(stop);
	rc_dir_free(&two);
	rc_dir_free(&three);
}

static void
test_depend_halt(void **state)
{
	RcDir zero, two;
	RcDepend *stop = graph("TARGETS = ssh cron apache rsyslog halt legacy-stop\n"
			       "rsyslog: ssh cron apache\nhalt: rsyslog\n");
	RcSources src = { .order = RC_ORDER_DEPEND, .stop = stop };
	RcPlan plan;

	(void)state;
	scan('0', &zero);
	scan('2', &two);
	src.run_dir = &zero;
	src.prev_dir = &two;
	/* One phase: rc2.d's K link for apache means it was stopped there
	 * already; S links of rc0.d are not run in this order. */
	assert_int_equal(rc_plan_build(&src, '2', '0', &plan), 0);
	assert_int_equal(plan.nphases, 1);
	assert_phase(&plan.phases[0], "stop ssh; stop cron; stop rsyslog<ssh,cron>; "
		     "stop halt<rsyslog>");
	rc_plan_free(&plan);
	rc_depend_free(stop);
	rc_dir_free(&zero);
	rc_dir_free(&two);
}

static void
test_legacy(void **state)
{
	RcDir zero, two, three;
	RcSources src = { .order = RC_ORDER_LEGACY };
	RcPlan plan;

	(void)state;
	scan('0', &zero);
	scan('2', &two);
	scan('3', &three);
	/* 3 -> 2: every K link, every S link, one after the other; nothing
	 * is skipped for having run in 3. */
	src.run_dir = &two;
	src.prev_dir = &three;
	assert_int_equal(rc_plan_build(&src, '3', '2', &plan), 0);
	assert_int_equal(plan.nphases, 2);
	assert_phase(&plan.phases[0], "stop apache");
	assert_phase(&plan.phases[1], "start rsyslog; start cron<rsyslog>; start ssh<cron>; "
		     "start exim<ssh>");
	rc_plan_free(&plan);
	/* Boot into 2: no K phase. */
	src.prev_dir = NULL;
	assert_int_equal(rc_plan_build(&src, 'N', '2', &plan), 0);
	assert_int_equal(plan.nphases, 1);
	rc_plan_free(&plan);
	/* 0: no K phase; the S links are run with "stop". */
	src.run_dir = &zero;
	src.prev_dir = &two;
	assert_int_equal(rc_plan_build(&src, '2', '0', &plan), 0);
	assert_int_equal(plan.nphases, 1);
	assert_phase(&plan.phases[0], "stop legacy-stop");
	rc_plan_free(&plan);
	rc_dir_free(&zero);
	rc_dir_free(&two);
	rc_dir_free(&three);
}

static void
test_no_directory(void **state)
{
	RcDir five;
	RcSources src = { .order = RC_ORDER_LEGACY };
	RcPlan plan;

	(void)state;
	scan('5', &five);
	src.run_dir = &five;
	assert_int_equal(rc_plan_build(&src, '2', '5', &plan), 0);
	assert_int_equal(plan.nphases, 0);
	rc_plan_free(&plan);
	rc_dir_free(&five);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_dirs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_depend_boot, setup, teardown),
		cmocka_unit_test_setup_teardown(test_depend_level_change, setup, teardown),
		cmocka_unit_test_setup_teardown(test_depend_halt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_legacy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_directory, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
