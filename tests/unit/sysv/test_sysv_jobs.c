/* Unit tests for compat/sysv/sysv_jobs: which defaults files leave the
 * scripts to upinit-rc, which script names make jobs, and the job text a
 * script becomes (parsed back by the real job parser). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "init/conf.h"
#include "init/job_class.h"
#include "sysv/lsb_header.h"
#include "sysv/sysv_jobs.h"

static void
test_native(void **state)
{
	(void)state;
	assert_true(sysv_jobs_native(""));
	assert_true(sysv_jobs_native("# RC=debian\n#RC=debian\n"));
	assert_true(sysv_jobs_native("RC=native\n"));
	assert_false(sysv_jobs_native("RC=debian\n"));
	assert_false(sysv_jobs_native("RC=\"debian\"\n"));
	assert_false(sysv_jobs_native("  RC='debian' # back to sysv-rc\n"));
	assert_false(sysv_jobs_native("RC=native\nRC=debian"));
	assert_true(sysv_jobs_native("RC=debian\nRC=native\n"));
	/* Not an assignment of RC. */
	assert_true(sysv_jobs_native("XRC=debian\necho RC=debian\n"));
}

static void
test_names(void **state)
{
	(void)state;
	assert_true(sysv_jobs_name_ok("ssh"));
	assert_true(sysv_jobs_name_ok("checkroot.sh"));
	assert_true(sysv_jobs_name_ok("mount-configfs"));
	assert_true(sysv_jobs_name_ok("a_b+c@d"));
	assert_false(sysv_jobs_name_ok(""));
	assert_false(sysv_jobs_name_ok(".hidden"));
	assert_false(sysv_jobs_name_ok("two words"));
	assert_false(sysv_jobs_name_ok("semi;colon"));
	assert_false(sysv_jobs_name_ok("a/b"));
	assert_false(sysv_jobs_name_ok("$x"));
}

static JobClass *
parse(const char *text)
{
	return conf_class_from_text("sysv/x", "/etc/init.d/x", text, NULL, NULL);
}

static void
test_text(void **state)
{
	static const char script[] =
		"#!/bin/sh\n### BEGIN INIT INFO\n# Provides: x\n"
		"# Short-Description: say \"hi\" \\ there\n### END INIT INFO\n";
	LsbHeader h = LSB_HEADER_INIT;
	char *text;
	JobClass *c;

	(void)state;
	assert_int_equal(lsb_header_parse(script, strlen(script), &h), 0);
	text = sysv_jobs_text("x", "/etc", "/lib/init/upinit-rc", &h);
	assert_non_null(text);
	c = parse(text);
	assert_non_null(c);
	assert_string_equal(c->description, "say \"hi\" \\ there");
	assert_int_equal(c->console, CONSOLE_OUTPUT);
	assert_string_equal(c->process[PROCESS_PRE_START].command,
			    "/lib/init/upinit-rc --job start x");
	assert_string_equal(c->process[PROCESS_POST_STOP].command,
			    "/lib/init/upinit-rc --job stop x");
	assert_null(c->process[PROCESS_MAIN].command);
	assert_false(c->task);
	job_class_unref(c);
	free(text);
	lsb_header_free(&h);

	/* X-Interactive: the console is the script's. */
	h = (LsbHeader)LSB_HEADER_INIT;
	h.found = true;
	h.interactive = true;
	text = sysv_jobs_text("y", "/etc", "/lib/init/upinit-rc --etc /t", &h);
	c = parse(text);
	assert_non_null(c);
	assert_int_equal(c->console, CONSOLE_OWNER);
	assert_string_equal(c->description, "y");
	assert_string_equal(c->process[PROCESS_PRE_START].command,
			    "/lib/init/upinit-rc --etc /t --job start --interactive y");
	job_class_unref(c);
	free(text);

	/* A Short-Description of blanks and control characters (the
	 * parser refuses `description ""`): the name. */
	h = (LsbHeader)LSB_HEADER_INIT;
	h.found = true;
	h.short_description = (char *)" \f\t";
	text = sysv_jobs_text("w", "/etc", "/h", &h);
	c = parse(text);
	assert_non_null(c);
	assert_string_equal(c->description, "w");
	job_class_unref(c);
	free(text);

	/* No header at all. */
	text = sysv_jobs_text("z", "/etc", "/h", NULL);
	c = parse(text);
	assert_non_null(c);
	assert_string_equal(c->description, "z");
	job_class_unref(c);
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_native),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
