/* Unit tests for compat/sysv/rc_facility: a facility's events come once
 * the last step providing it has ended, nested facilities included. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "sysv/rc_facility.h"

static const char conf_text[] =
	"$local_fs\t+mountall +mountall-bootclean # comment\n"
	"$remote_fs\t$local_fs +mountnfs\n"
	"$network\t+networking\n";

static char seen[512];

static void
record(const char *event, void *data)
{
	(void)data;
	strlcat(seen, event, sizeof seen);
	strlcat(seen, ";", sizeof seen);
}

static void
test_events(void **state)
{
	RcStep steps[] = {
		{ .name = "mountall.sh" }, { .name = "mountnfs.sh" },
		{ .name = "mountall-bootclean" }, { .name = "ssh" },
	};
	RcPhase phase = { steps, 4 };
	StrList p0 = STRLIST_INIT, p1 = STRLIST_INIT;
	const StrList *provides[] = { &p0, &p1, NULL, NULL };
	InsservConf conf = INSSERV_CONF_INIT;
	RcFacilities f;

	(void)state;
	assert_true(strlist_push(&p0, "mountall"));
	assert_true(strlist_push(&p1, "mountnfs"));
	assert_int_equal(insserv_conf_parse(&conf, conf_text, strlen(conf_text)), 0);
	assert_int_equal(rc_facilities_init(&f, &phase, &conf, provides), 0);

	seen[0] = 0;
	rc_facilities_step_ended(&f, 3, record, NULL);     /* ssh: nothing */
	rc_facilities_step_ended(&f, 0, record, NULL);     /* mountall */
	assert_string_equal(seen, "");
	rc_facilities_step_ended(&f, 1, record, NULL);     /* mountnfs */
	assert_string_equal(seen, "");
	/* A header-less script counts by its own name. */
	rc_facilities_step_ended(&f, 2, record, NULL);
	assert_string_equal(seen, "local-filesystems;all-swaps;remote-filesystems;filesystem;");
	/* Once only; nobody provides $network here. */
	rc_facilities_step_ended(&f, 2, record, NULL);
	rc_facilities_step_ended(&f, 99, record, NULL);
	assert_string_equal(seen, "local-filesystems;all-swaps;remote-filesystems;filesystem;");

	rc_facilities_free(&f);
	insserv_conf_free(&conf);
	strlist_free(&p0);
	strlist_free(&p1);
}

/* A facility that contains itself ends the walk, and nothing else. */
static void
test_loop(void **state)
{
	static const char text[] = "$local_fs\t$local_fs +mountall\n";
	RcStep steps[] = { { .name = "mountall" } };
	RcPhase phase = { steps, 1 };
	InsservConf conf = INSSERV_CONF_INIT;
	RcFacilities f;

	(void)state;
	assert_int_equal(insserv_conf_parse(&conf, text, strlen(text)), 0);
	assert_int_equal(rc_facilities_init(&f, &phase, &conf, NULL), 0);
	seen[0] = 0;
	rc_facilities_step_ended(&f, 0, record, NULL);
	assert_string_equal(seen, "local-filesystems;all-swaps;");
	rc_facilities_free(&f);
	insserv_conf_free(&conf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_events),
		cmocka_unit_test(test_loop),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
