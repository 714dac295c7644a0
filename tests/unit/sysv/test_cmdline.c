/* Tests for compat/sysv/cmdline: the kernel command line, word by word. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sysv/cmdline.h"

#define MAX_WORDS 8

typedef struct cmdline_case {
	const char *text;
	char        runlevel;
	bool        emergency;
	bool        autoboot;
	const char *env[MAX_WORDS];       /* NULL-terminated */
	const char *options[MAX_WORDS];   /* NULL-terminated */
} CmdlineCase;

static const CmdlineCase cases[] = {
	/* Empty and blank. */
	{ "", 0, false, false, { NULL }, { NULL } },
	{ "   \n", 0, false, false, { NULL }, { NULL } },
	{ "\t \v\f\r", 0, false, false, { NULL }, { NULL } },

	/* A Debian kernel line: nothing for init but the environment. */
	{ "BOOT_IMAGE=/boot/vmlinuz-6.1.0-18-amd64 root=UUID=1234-abcd ro quiet\n",
	  0, false, false,
	  { "BOOT_IMAGE=/boot/vmlinuz-6.1.0-18-amd64", "root=UUID=1234-abcd", NULL },
	  { NULL } },

	/* Runlevel words. */
	{ "0", '0', false, false, { NULL }, { NULL } },
	{ "1", '1', false, false, { NULL }, { NULL } },
	{ "ro 2 quiet", '2', false, false, { NULL }, { NULL } },
	{ "3", '3', false, false, { NULL }, { NULL } },
	{ "4", '4', false, false, { NULL }, { NULL } },
	{ "5", '5', false, false, { NULL }, { NULL } },
	{ "6", '6', false, false, { NULL }, { NULL } },
	{ "S", 'S', false, false, { NULL }, { NULL } },
	{ "s", 'S', false, false, { NULL }, { NULL } },
	{ "single", 'S', false, false, { NULL }, { NULL } },
	{ "-s", 'S', false, false, { NULL }, { NULL } },
	/* Not runlevels: 7-9, two digits, other case, a word containing one. */
	{ "7 8 9 23 SINGLE Single -S x2", 0, false, false, { NULL }, { "-S", NULL } },
	/* Later words win. */
	{ "3 single", 'S', false, false, { NULL }, { NULL } },
	{ "single 3", '3', false, false, { NULL }, { NULL } },
	{ "-s 5 S 2", '2', false, false, { NULL }, { NULL } },

	/* Emergency and autoboot. */
	{ "emergency", 0, true, false, { NULL }, { NULL } },
	{ "-b", 0, true, false, { NULL }, { NULL } },
	{ "-b 2", '2', true, false, { NULL }, { NULL } },
	{ "auto", 0, false, true, { NULL }, { NULL } },
	{ "-a 3", '3', false, true, { NULL }, { NULL } },
	{ "EMERGENCY emergency=1", 0, false, false, { "emergency=1", NULL }, { NULL } },

	/* Environment: later wins, at the first position. */
	{ "A=1 B=2 A=3", 0, false, false, { "A=3", "B=2", NULL }, { NULL } },
	{ "A= B==x C=a=b", 0, false, false, { "A=", "B==x", "C=a=b", NULL }, { NULL } },
	{ "AB=1 A=2 ABC=3 A=4", 0, false, false,
	  { "AB=1", "A=4", "ABC=3", NULL }, { NULL } },
	/* Module parameters and empty keys are not init's. */
	{ "usbcore.autosuspend=-1 i915.modeset=0 X=y.z =v", 0, false, false,
	  { "X=y.z", NULL }, { NULL } },

	/* Quoting, as the kernel does it. */
	{ "KEY=\"a b\" 2", '2', false, false, { "KEY=a b", NULL }, { NULL } },
	{ "KEY=\"a  b\"\tX=1", 0, false, false, { "KEY=a  b", "X=1", NULL }, { NULL } },
	{ "\"KEY=a b\"", 0, false, false, { "KEY=a b", NULL }, { NULL } },
	{ "KEY=a\"b c\"d", 0, false, false, { "KEY=a\"b c\"d", NULL }, { NULL } },
	{ "\"single\"", 'S', false, false, { NULL }, { NULL } },
	{ "\"two words\" 3", '3', false, false, { NULL }, { NULL } },
	{ "KEY=\"unterminated 2 3", 0, false, false,
	  { "KEY=unterminated 2 3", NULL }, { NULL } },
	{ "KEY=\"\"", 0, false, false, { "KEY=", NULL }, { NULL } },
	{ "\"\"", 0, false, false, { NULL }, { NULL } },
	{ "\"", 0, false, false, { NULL }, { NULL } },
	{ "\"--confdir=/a b\"", 0, false, false, { NULL }, { "--confdir=/a b", NULL } },

	/* Init options, in order; their classified cousins are not options. */
	{ "--verbose --confdir=/etc/x --debug", 0, false, false,
	  { NULL }, { "--verbose", "--confdir=/etc/x", "--debug", NULL } },
	{ "--confdir /etc/y -q -s -b", 'S', true, false,
	  { NULL }, { "--confdir", "-q", NULL } },
	{ "--no-startup-event --default-console=output", 0, false, false,
	  { NULL }, { "--no-startup-event", "--default-console=output", NULL } },

	/* `--`: the rest is init's argv; KEY=VALUE there is no environment. */
	{ "A=1 -- B=2 --debug 3 -- C=3", '3', false, false,
	  { "A=1", NULL }, { "--debug", NULL } },
};

static void
assert_list(const EnvList *list, const char *const *want, const char *text)
{
	size_t n = 0;

	while (want[n])
		n++;
	if (list->len != n)
		fail_msg("\"%s\": %zu entries, want %zu", text, list->len, n);
	for (size_t i = 0; i < n; i++) {
		if (strcmp(list->vars[i], want[i]) != 0)
			fail_msg("\"%s\": entry %zu is \"%s\", want \"%s\"",
				 text, i, list->vars[i], want[i]);
	}
	assert_null(env_vars(list)[n]);
}

static void
test_table(void **state)
{
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		const CmdlineCase *c = &cases[i];
		Cmdline cl = CMDLINE_INIT;

		assert_int_equal(cmdline_parse(&cl, c->text, strlen(c->text)), 0);
		if (cl.runlevel != c->runlevel)
			fail_msg("\"%s\": runlevel '%c', want '%c'", c->text,
				 cl.runlevel ? cl.runlevel : '-',
				 c->runlevel ? c->runlevel : '-');
		if (cl.emergency != c->emergency || cl.autoboot != c->autoboot)
			fail_msg("\"%s\": emergency %d autoboot %d", c->text,
				 cl.emergency, cl.autoboot);
		assert_list(&cl.env, c->env, c->text);
		assert_list(&cl.options, c->options, c->text);
		cmdline_clear(&cl);
	}
}

/* Parsing again replaces everything from before. */
static void
test_reparse_clears(void **state)
{
	Cmdline cl;

	cmdline_init(&cl);
	assert_int_equal(cmdline_parse(&cl, "A=1 -b 3 --debug", 16), 0);
	assert_int_equal(cmdline_parse(&cl, "B=2", 3), 0);
	assert_int_equal(cl.runlevel, '\0');
	assert_false(cl.emergency);
	assert_int_equal(cl.env.len, 1);
	assert_string_equal(cl.env.vars[0], "B=2");
	assert_int_equal(cl.options.len, 0);
	/* Length is honoured: nothing past it is read. */
	assert_int_equal(cmdline_parse(&cl, "2 3", 1), 0);
	assert_int_equal(cl.runlevel, '2');
	cmdline_clear(&cl);
	cmdline_clear(&cl);
}

/* NUL bytes separate words too (/proc/PID/cmdline style). */
static void
test_nul_separated(void **state)
{
	static const char text[] = "A=1\0002\0--debug\0KEY=\"x\0y\"";
	Cmdline cl = CMDLINE_INIT;

	assert_int_equal(cmdline_parse(&cl, text, sizeof text - 1), 0);
	assert_int_equal(cl.runlevel, '2');
	assert_int_equal(cl.env.len, 2);
	assert_string_equal(cl.env.vars[0], "A=1");
	/* A NUL ends a word even inside quotes; `y"` is a word of its own. */
	assert_string_equal(cl.env.vars[1], "KEY=x");
	assert_int_equal(cl.options.len, 1);
	assert_string_equal(cl.options.vars[0], "--debug");
	cmdline_clear(&cl);
}

/* Random bytes: no crash, and every result is well-formed. */
static void
test_garbage(void **state)
{
	unsigned int seed = 4242;
	char buf[512];

	for (int round = 0; round < 2000; round++) {
		size_t len = (size_t)rand_r(&seed) % sizeof buf;
		Cmdline cl = CMDLINE_INIT;

		for (size_t i = 0; i < len; i++) {
			/* Plenty of the characters that matter. */
			static const char special[] = " \"=-.\0\tS2";
			int r = rand_r(&seed);

			buf[i] = (r & 1) ? special[(r >> 1) % (sizeof special - 1)]
					 : (char)(r >> 8);
		}
		assert_int_equal(cmdline_parse(&cl, buf, len), 0);
		assert_true(cl.runlevel == '\0' ||
			    strchr("0123456S", cl.runlevel) != NULL);
		for (size_t i = 0; i < cl.env.len; i++) {
			assert_true(env_is_assignment(cl.env.vars[i]));
			assert_null(memchr(cl.env.vars[i], '.',
					   env_key_len(cl.env.vars[i])));
		}
		for (size_t i = 0; i < cl.options.len; i++)
			assert_int_equal(cl.options.vars[i][0], '-');
		cmdline_clear(&cl);
	}
}

/* A command line of 1 MiB: distinct keys, repeated keys, many options. */
static void
test_one_megabyte(void **state)
{
	size_t cap = (size_t)1 << 20, len = 0;
	char *text = malloc(cap + 64);
	Cmdline cl = CMDLINE_INIT;
	size_t keys = 0;
	struct timespec t0, t1;

	assert_non_null(text);
	while (len < cap) {
		len += (size_t)sprintf(text + len, "K%zu=%zu R=%zu --o%zu 3 ",
				       keys, keys, keys, keys);
		keys++;
	}
	len += (size_t)sprintf(text + len, "single");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(cmdline_parse(&cl, text, len), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_true(t1.tv_sec - t0.tv_sec < 10);

	assert_int_equal(cl.runlevel, 'S');
	assert_int_equal(cl.env.len, keys + 1);
	assert_int_equal(cl.options.len, keys);
	/* R first appears second and keeps that place, with the last value. */
	assert_string_equal(cl.env.vars[0], "K0=0");
	{
		char want[64];

		snprintf(want, sizeof want, "R=%zu", keys - 1);
		assert_string_equal(cl.env.vars[1], want);
		snprintf(want, sizeof want, "K%zu=%zu", keys - 1, keys - 1);
		assert_string_equal(cl.env.vars[keys], want);
		snprintf(want, sizeof want, "--o%zu", keys - 1);
		assert_string_equal(cl.options.vars[keys - 1], want);
	}
	cmdline_clear(&cl);

	/* One single word of 1 MiB. */
	memset(text, 'x', cap);
	memcpy(text, "BIG=", 4);
	assert_int_equal(cmdline_parse(&cl, text, cap), 0);
	assert_int_equal(cl.env.len, 1);
	assert_int_equal(strlen(cl.env.vars[0]), cap);
	cmdline_clear(&cl);
	free(text);
}

static void
test_read_file(void **state)
{
	char path[] = "/tmp/test_cmdline.XXXXXX";
	Cmdline cl = CMDLINE_INIT;
	int fd = mkstemp(path);
	const char text[] = "BOOT_IMAGE=/vmlinuz ro single --verbose\n";

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, sizeof text - 1), sizeof text - 1);
	close(fd);
	assert_int_equal(cmdline_read(&cl, path), 0);
	assert_int_equal(cl.runlevel, 'S');
	assert_int_equal(cl.env.len, 1);
	assert_string_equal(cl.env.vars[0], "BOOT_IMAGE=/vmlinuz");
	assert_int_equal(cl.options.len, 1);
	assert_string_equal(cl.options.vars[0], "--verbose");

	/* An empty file. */
	fd = open(path, O_WRONLY | O_TRUNC);
	close(fd);
	assert_int_equal(cmdline_read(&cl, path), 0);
	assert_int_equal(cl.runlevel, '\0');
	assert_int_equal(cl.env.len, 0);
	unlink(path);

	errno = 0;
	assert_int_equal(cmdline_read(&cl, path), -1);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(cl.env.len, 0);

	/* The real one parses (whatever it holds). */
	if (access(CMDLINE_DEFAULT_PATH, R_OK) == 0)
		assert_int_equal(cmdline_read(&cl, NULL), 0);
	cmdline_clear(&cl);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_reparse_clears),
		cmocka_unit_test(test_nul_separated),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_one_megabyte),
		cmocka_unit_test(test_read_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
