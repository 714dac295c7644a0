/* Unit tests for compat/sysv/insserv_conf and rc_lsb: facilities, and the
 * order the scripts' LSB headers give when insserv wrote no .depend
 * files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sysv/insserv_conf.h"
#include "sysv/rc_depend.h"
#include "sysv/rc_lsb.h"

/* Debian 12's /etc/insserv.conf, comments shortened. */
static const char debian_conf[] =
	"# All local filesystems are mounted\n"
	"$local_fs\t+mountall +mountall-bootclean +mountoverflowtmp +umountfs\n"
	"$network\t+networking +ifupdown\n"
	"$named\t\t+named +dnsmasq +lwresd +bind9 +unbound +pdns-recursor $network\n"
	"$remote_fs\t$local_fs +mountnfs +mountnfs-bootclean +umountnfs +sendsigs\n"
	"$syslog\t\t+rsyslog +sysklogd +syslog-ng +dsyslog +inetutils-syslogd\n"
	"$time\t\t+hwclock\n"
	"<interactive>\tglibc udev console-screen keymap keyboard-setup console-setup\n";

static void
test_insserv_conf(void **state)
{
	InsservConf conf = INSSERV_CONF_INIT;
	const InsservEntry *e;
	static const char more[] = "$local_fs +extra # a comment $ignored\nnot-a-definition x y\n";

	(void)state;
	assert_int_equal(insserv_conf_parse(&conf, debian_conf, strlen(debian_conf)), 0);
	assert_int_equal(conf.len, 7);
	e = insserv_conf_find(&conf, "$remote_fs");
	assert_non_null(e);
	assert_int_equal(e->members.len, 5);
	assert_string_equal(e->members.items[0], "$local_fs");
	assert_string_equal(e->members.items[1], "+mountnfs");
	assert_non_null(insserv_conf_find(&conf, "<interactive>"));
	/* A second file adds to a facility. */
	assert_int_equal(insserv_conf_parse(&conf, more, strlen(more)), 0);
	e = insserv_conf_find(&conf, "$local_fs");
	assert_int_equal(e->members.len, 5);
	assert_string_equal(e->members.items[4], "+extra");
	assert_null(insserv_conf_find(&conf, "not-a-definition"));
	assert_null(insserv_conf_find(&conf, "$ignored"));
	insserv_conf_free(&conf);
	assert_int_equal(conf.len, 0);
}

/* The scripts of a small Debian: name, then header text. */
static const char *const script_texts[][2] = {
	{ "mountkernfs.sh", "# Provides: mountkernfs\n# Default-Start: S\n" },
	{ "udev", "# Provides: udev\n# Required-Start: mountkernfs\n" },
	{ "mountall.sh", "# Provides: mountall\n# Required-Start: checkfs\n" },
	{ "rsyslog", "# Provides: rsyslog\n# Required-Start: $remote_fs $time\n"
		     "# Required-Stop: $remote_fs $time\n" },
	{ "ssh", "# Provides: sshd\n# Required-Start: $remote_fs $syslog\n"
		 "# Required-Stop: $remote_fs $syslog\n" },
	{ "marker", "# Provides: marker\n# Required-Start: $all\n# Default-Start: 2 3 4 5\n" },
	/* Neither single (level 1) nor mountkernfs.sh (S) is in marker's $all. */
	{ "single", "# Provides: single\n# Default-Start: 1\n" },
	{ "early", "# Provides: early\n# X-Start-Before: sshd\n# X-Stop-After: sshd\n" },
	{ "console", "# Provides: console\n# X-Interactive: true\n" },
	{ "legacy", NULL },
};
#define NSCRIPTS (sizeof script_texts / sizeof script_texts[0])

static LsbHeader headers[NSCRIPTS];
static RcScript scripts[NSCRIPTS];

static int
setup(void **state)
{
	(void)state;
	for (size_t i = 0; i < NSCRIPTS; i++) {
		char text[512] = "";

		if (script_texts[i][1])
			snprintf(text, sizeof text, "### BEGIN INIT INFO\n%s### END INIT INFO\n",
				 script_texts[i][1]);
		memset(&headers[i], 0, sizeof headers[i]);
		if (lsb_header_parse(text, strlen(text), &headers[i]) < 0)
			return -1;
		scripts[i] = (RcScript){ script_texts[i][0], &headers[i] };
	}
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	for (size_t i = 0; i < NSCRIPTS; i++)
		lsb_header_free(&headers[i]);
	return 0;
}

/* "name: a b" for each name with edges, in script order, "; "-joined. */
static void
assert_edges(const RcDepend *g, const char *want)
{
	char got[2048] = "";

	for (size_t i = 0; i < g->len; i++) {
		const RcDependNode *n = &g->nodes[i];

		if (!n->nafter)
			continue;
		if (got[0])
			strcat(got, "; ");
		strcat(got, n->name);
		strcat(got, ":");
		for (size_t k = 0; k < n->nafter; k++) {
			strcat(got, " ");
			strcat(got, g->nodes[n->after[k]].name);
		}
	}
	assert_string_equal(got, want);
}

static RcDepend *
depend(RcLsbMode mode, const InsservConf *conf)
{
	char *text = rc_lsb_depend_text(scripts, NSCRIPTS, conf, mode);
	RcDepend *g;

	assert_non_null(text);
	g = rc_depend_parse(text, strlen(text));
	free(text);
	assert_non_null(g);
	assert_int_equal(g->messages.len, 0);
	assert_int_equal(g->len, NSCRIPTS);
	return g;
}

static void
test_start_order(void **state)
{
	InsservConf conf = INSSERV_CONF_INIT;
	RcDepend *g;

	(void)state;
	assert_int_equal(insserv_conf_parse(&conf, debian_conf, strlen(debian_conf)), 0);
	g = depend(RC_LSB_START, &conf);
	assert_edges(g, "udev: mountkernfs.sh; "
		     "rsyslog: mountall.sh; "          /* $remote_fs -> $local_fs -> +mountall */
		     "ssh: mountall.sh rsyslog early; " /* early: X-Start-Before sshd */
		     "marker: udev mountall.sh rsyslog ssh early console legacy");
	assert_true(rc_depend_find(g, "udev")->interactive);      /* <interactive> */
	assert_true(rc_depend_find(g, "console")->interactive);   /* X-Interactive */
	assert_false(rc_depend_find(g, "ssh")->interactive);
	rc_depend_free(g);
	insserv_conf_free(&conf);
}

static void
test_stop_order(void **state)
{
	InsservConf conf = INSSERV_CONF_INIT;
	RcDepend *g;

	(void)state;
	assert_int_equal(insserv_conf_parse(&conf, debian_conf, strlen(debian_conf)), 0);
	g = depend(RC_LSB_STOP, &conf);
	/* What a script needs stops after it; early stops after ssh. */
	assert_edges(g, "mountall.sh: rsyslog ssh; rsyslog: ssh; early: ssh");
	rc_depend_free(g);
	insserv_conf_free(&conf);
}

/* Without insserv.conf, facilities resolve only through Provides. */
static void
test_no_conf(void **state)
{
	RcDepend *g;

	(void)state;
	g = depend(RC_LSB_START, NULL);
	assert_edges(g, "udev: mountkernfs.sh; ssh: early; "
		     "marker: udev mountall.sh rsyslog ssh early console legacy");
	assert_false(rc_depend_find(g, "udev")->interactive);
	rc_depend_free(g);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_insserv_conf),
		cmocka_unit_test_setup_teardown(test_start_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stop_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_conf, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
