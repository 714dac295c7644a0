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
#include "init/cgroup_limits.h"

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

static void
expect_v2(const char *controller, const char *key, const char *value, const char *current,
	  const char *want_key, const char *want_value)
{
	char k[256], v[256];
	const char *why = NULL;

	if (cgroup_limits_v2_key(controller, key, value, current, k, sizeof k, v, sizeof v, &why) < 0)
		fail_msg("%s %s %s: %s", controller, key, value, why);
	assert_string_equal(k, want_key);
	assert_string_equal(v, want_value);
}

static void
test_v1_keys_in_v2(void **state)
{
	char k[256], v[256];
	const char *why = NULL;

	(void)state;
	expect_v2("memory", "memory.limit_in_bytes", "52428800", NULL, "memory.max", "52428800");
	expect_v2("memory", "limit_in_bytes", "-1", NULL, "memory.max", "max");
	expect_v2("memory", "limit_in_bytes", "64M", NULL, "memory.max", "64M");
	expect_v2("memory", "memory.soft_limit_in_bytes", "1G", NULL, "memory.low", "1G");
	expect_v2("memory", "memory.max", "1G", NULL, "memory.max", "1G");
	/* cpu.shares 2..262144 (1024 the default) onto cpu.weight 1..10000
	 * (100 the default), in proportion. */
	expect_v2("cpu", "cpu.shares", "1024", NULL, "cpu.weight", "100");
	expect_v2("cpu", "shares", "512", NULL, "cpu.weight", "50");
	expect_v2("cpu", "shares", "2", NULL, "cpu.weight", "1");
	expect_v2("cpu", "shares", "262144", NULL, "cpu.weight", "10000");
	/* The two halves of cpu.max, each keeping the other. */
	expect_v2("cpu", "cpu.cfs_quota_us", "50000", "max 100000\n", "cpu.max", "50000 100000");
	expect_v2("cpu", "cpu.cfs_quota_us", "-1", "50000 200000\n", "cpu.max", "max 200000");
	expect_v2("cpu", "cpu.cfs_period_us", "200000", "50000 100000\n", "cpu.max", "50000 200000");
	expect_v2("blkio", "blkio.weight", "500", NULL, "io.weight", "default 100");
	expect_v2("blkio", "weight", "1000", NULL, "io.weight", "default 200");
	expect_v2("pids", "pids.max", "-1", NULL, "pids.max", "max");
	expect_v2("pids", "max", "100", NULL, "pids.max", "100");
	expect_v2("hugetlb", "hugetlb.2MB.limit_in_bytes", "2097152", NULL, "hugetlb.2MB.max", "2097152");
	expect_v2("cpuset", "cpus", "0-1", NULL, "cpuset.cpus", "0-1");
	/* No equivalent: said, not guessed. */
	assert_int_equal(cgroup_limits_v2_key("memory", "memory.memsw.limit_in_bytes", "1", NULL,
					      k, sizeof k, v, sizeof v, &why), -1);
	assert_non_null(strstr(why, "memory.swap.max"));
	assert_int_equal(cgroup_limits_v2_key("memory", "swappiness", "10", NULL,
					      k, sizeof k, v, sizeof v, &why), -1);
	assert_int_equal(cgroup_limits_v2_key("cpu", "shares", "lots", NULL,
					      k, sizeof k, v, sizeof v, &why), -1);
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
		cmocka_unit_test(test_v1_keys_in_v2),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
