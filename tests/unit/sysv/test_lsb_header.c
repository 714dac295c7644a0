/* Unit tests for compat/sysv/lsb_header: the LSB block of init scripts,
 * as Debian's scripts write it and as careless ones do. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "sysv/lsb_header.h"

static void
parse(const char *text, LsbHeader *h)
{
	memset(h, 0, sizeof *h);
	assert_int_equal(lsb_header_parse(text, strlen(text), h), 0);
}

static void
assert_words(const StrList *list, const char *const *want)
{
	size_t n = 0;

	for (; want[n]; n++) {
		assert_true(n < list->len);
		assert_string_equal(list->items[n], want[n]);
	}
	assert_int_equal(list->len, n);
}

/* Debian 12's /etc/init.d/ssh, the block as shipped. */
static void
test_debian_ssh(void **state)
{
	static const char text[] =
		"#! /bin/sh\n"
		"\n"
		"### BEGIN INIT INFO\n"
		"# Provides:\t\tsshd\n"
		"# Required-Start:\t$remote_fs $syslog\n"
		"# Required-Stop:\t$remote_fs $syslog\n"
		"# Default-Start:\t2 3 4 5\n"
		"# Default-Stop:\t\t\n"
		"# Short-Description:\tOpenBSD Secure Shell server\n"
		"### END INIT INFO\n"
		"\n"
		"set -e\n";
	LsbHeader h;

	(void)state;
	parse(text, &h);
	assert_true(h.found);
	assert_words(&h.provides, (const char *[]){ "sshd", NULL });
	assert_words(&h.required_start, (const char *[]){ "$remote_fs", "$syslog", NULL });
	assert_words(&h.required_stop, (const char *[]){ "$remote_fs", "$syslog", NULL });
	assert_int_equal(h.should_start.len, 0);
	assert_string_equal(h.default_start, "2345");
	assert_string_equal(h.default_stop, "");
	assert_false(h.interactive);
	assert_string_equal(h.short_description, "OpenBSD Secure Shell server");
	lsb_header_free(&h);
	assert_null(h.provides.items);
}

static void
test_every_keyword(void **state)
{
	static const char text[] =
		"### BEGIN INIT INFO\n"
		"# provides: a b\n"                         /* any case */
		"# REQUIRED-START: $local_fs\n"
		"# Should-Start:    udev   x\n"
		"# Should-Stop: y\n"
		"# X-Start-Before: c d\n"
		"# X-Stop-After: e\n"
		"# Default-Start: S\n"
		"# Default-Stop: 6 0 s 7 12 x\n"            /* order kept, junk dropped */
		"# X-Interactive: TRUE\n"
		"# Description: long text\n"
		"#  continued over a second line, with a colon: here\n"
		"### END INIT INFO\n"
		"### BEGIN INIT INFO\n"
		"# Provides: second-block-ignored\n"
		"### END INIT INFO\n";
	LsbHeader h;

	(void)state;
	parse(text, &h);
	assert_true(h.found);
	assert_string_equal(h.provides.items[0], "a");
	assert_string_equal(h.provides.items[1], "b");
	assert_words(&h.required_start, (const char *[]){ "$local_fs", NULL });
	assert_words(&h.should_start, (const char *[]){ "udev", "x", NULL });
	assert_words(&h.should_stop, (const char *[]){ "y", NULL });
	assert_words(&h.start_before, (const char *[]){ "c", "d", NULL });
	assert_words(&h.stop_after, (const char *[]){ "e", NULL });
	assert_string_equal(h.default_start, "S");
	assert_string_equal(h.default_stop, "06S");
	assert_true(h.interactive);
	assert_null(h.short_description);
	for (size_t i = 0; i < h.provides.len; i++)
		assert_string_not_equal(h.provides.items[i], "second-block-ignored");
	assert_true(lsb_levels_have(h.default_stop, '6'));
	assert_false(lsb_levels_have(h.default_stop, '2'));
	assert_false(lsb_levels_have(h.default_stop, '\0'));
	lsb_header_free(&h);
}

static void
test_no_block(void **state)
{
	LsbHeader h;

	(void)state;
	parse("#!/bin/sh\n# Provides: outside\necho hi\n", &h);
	assert_false(h.found);
	assert_int_equal(h.provides.len, 0);
	lsb_header_free(&h);
	parse("", &h);
	assert_false(h.found);
	lsb_header_free(&h);
}

/* No END line, no final newline, CRLF endings, text with NUL bytes. */
static void
test_ragged_text(void **state)
{
	static const char crlf[] =
		"### BEGIN INIT INFO\r\n# Provides: x\r\n# X-Interactive: true\r\n# Default-Start: 2";
	static const char nul[] = "### BEGIN INIT INFO\n# Provides: a\0b\n# Default-Stop: 1\n";
	LsbHeader h;

	(void)state;
	parse(crlf, &h);
	assert_true(h.found);
	assert_words(&h.provides, (const char *[]){ "x", NULL });
	assert_true(h.interactive);
	assert_string_equal(h.default_start, "2");
	lsb_header_free(&h);

	memset(&h, 0, sizeof h);
	assert_int_equal(lsb_header_parse(nul, sizeof nul - 1, &h), 0);
	assert_true(h.found);
	assert_string_equal(h.default_stop, "1");
	assert_int_equal(h.provides.len, 0);   /* "a\0b" is no name */
	lsb_header_free(&h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_debian_ssh),
		cmocka_unit_test(test_every_keyword),
		cmocka_unit_test(test_no_block),
		cmocka_unit_test(test_ragged_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
