/* Unit tests for init/cgroup.c: how an instance's cgroup is named (the
 * kernel's rules for a directory name, and the names controllers keep
 * for their files), and that nothing works on a descriptor that is no
 * cgroup2 directory.  The cgroups themselves are exercised for real by
 * tests/cli/cgroups.bats. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "init/cgroup.h"

static void
expect_name(const char *job, const char *instance, const char *want)
{
	char *got = cgroup_name(job, instance);

	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void
test_plain_names(void **state)
{
	(void)state;
	expect_name("cron", "", "cron");
	expect_name("cron", NULL, "cron");
	expect_name("tty", "tty1", "tty/tty1");
	expect_name("console-setup.sh", "", "console-setup.sh");
}

static void
test_slashes_and_control_characters(void **state)
{
	(void)state;
	expect_name("sysv/ssh", "", "sysv\\x2fssh");
	expect_name("inittab/1", "", "inittab\\x2f1");
	expect_name("net/if", "eth0/1", "net\\x2fif/eth0\\x2f1");
	expect_name("a\\b", "x\ny\t", "a\\x5cb/x\\x0ay\\x09");
	/* A backslash is escaped too, so no two names meet. */
	expect_name("a\\x2fb", "", "a\\x5cx2fb");
}

static void
test_names_a_controller_could_own(void **state)
{
	(void)state;
	expect_name("cgroup.procs", "", "_cgroup.procs");
	expect_name("memory.max", "", "_memory.max");
	expect_name("cpu.weight", "", "_cpu.weight");
	expect_name("tasks", "", "_tasks");
	expect_name("release_agent", "", "_release_agent");
	expect_name(".hidden", "", "_.hidden");
	expect_name("..", "", "_..");
	expect_name("_x", "", "__x");
	expect_name("job", ".", "job/_.");
	/* Only the part before the first dot counts. */
	expect_name("memoryd.x", "", "memoryd.x");
	expect_name("io", "", "io");
	expect_name("tasks2", "", "tasks2");
}

static void
test_long_names_are_cut_apart(void **state)
{
	char a[400], b[400], *na, *nb;

	(void)state;
	memset(a, 'a', sizeof a - 1);
	a[sizeof a - 1] = '\0';
	memcpy(b, a, sizeof b);
	b[sizeof b - 2] = 'b';
	na = cgroup_name(a, "");
	nb = cgroup_name(b, "");
	assert_non_null(na);
	assert_non_null(nb);
	assert_true(strlen(na) <= NAME_MAX);
	assert_true(strlen(nb) <= NAME_MAX);
	assert_string_not_equal(na, nb);
	assert_int_equal(strncmp(na, a, 240), 0);
	free(na);
	free(nb);
	/* Escapes count against the limit too. */
	memset(a, '/', sizeof a - 1);
	na = cgroup_name(a, "");
	assert_true(strlen(na) <= NAME_MAX);
	free(na);
}

static void
test_adopt_refuses_what_is_no_cgroup(void **state)
{
	int fd = open("/tmp", O_DIRECTORY | O_RDONLY);

	(void)state;
	assert_true(fd >= 0);
	assert_false(cgroup_adopt(fd, "/upinit"));
	assert_false(cgroup_enabled());
	assert_int_equal(cgroup_fd(), -1);
	assert_null(cgroup_path());
	close(fd);
	assert_false(cgroup_adopt(-1, "/upinit"));
	/* Off: nothing to make, nothing read. */
	assert_int_equal(cgroup_make("job"), -1);
	assert_int_equal(cgroup_populated("job"), -1);
	assert_int_equal(cgroup_signal("job", 0), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_names),
		cmocka_unit_test(test_slashes_and_control_characters),
		cmocka_unit_test(test_names_a_controller_could_own),
		cmocka_unit_test(test_long_names_are_cut_apart),
		cmocka_unit_test(test_adopt_refuses_what_is_no_cgroup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
