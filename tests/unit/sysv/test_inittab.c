/* Unit tests for compat/sysv/inittab: the /etc/inittab parser.
 *
 * Table-driven: Debian 12's stock inittab entry by entry, one line ->
 * entry fields or the message it earns, getty lines -> the tty they
 * serve; then initdefault, duplicates, hostile and huge input, and every
 * allocation failing in turn.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sysv/inittab.h"

#define COUNT(a) (sizeof (a) / sizeof (a)[0])

/* ---- a counting allocator, to fail the Nth allocation ----------------- *
 * glibc lets a program replace malloc; its own strndup, asprintf and
 * reallocarray then come here too.  Not under AddressSanitizer, which
 * owns malloc itself. */
#ifndef __SANITIZE_ADDRESS__
#define HAVE_ALLOC_FAILURES 1
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void  __libc_free(void *);

static long alloc_countdown = -1;   /* -1: never fail */
static long alloc_live;             /* blocks handed out minus freed */

static bool
alloc_fails(void)
{
	if (alloc_countdown < 0)
		return false;
	if (alloc_countdown == 0)
		return true;
	alloc_countdown--;
	return false;
}

void *
malloc(size_t n)
{
	void *p;

	if (alloc_fails()) {
		errno = ENOMEM;
		return NULL;
	}
	p = __libc_malloc(n);
	if (p)
		alloc_live++;
	return p;
}

void *
calloc(size_t n, size_t size)
{
	void *p;

	if (alloc_fails()) {
		errno = ENOMEM;
		return NULL;
	}
	p = __libc_calloc(n, size);
	if (p)
		alloc_live++;
	return p;
}

void *
realloc(void *old, size_t n)
{
	void *p;

	if (alloc_fails()) {
		errno = ENOMEM;
		return NULL;
	}
	p = __libc_realloc(old, n);
	if (p && !old)
		alloc_live++;
	return p;
}

void
free(void *p)
{
	if (p)
		alloc_live--;
	__libc_free(p);
}
#endif

/* ---- Debian 12 (bookworm) sysvinit-core's /etc/inittab ---------------- */

static const char debian_inittab[] =
	"# /etc/inittab: init(8) configuration.\n"
	"# $Id: inittab,v 1.91 2002/01/25 13:35:21 miquels Exp $\n"
	"\n"
	"# The default runlevel.\n"
	"id:2:initdefault:\n"
	"\n"
	"# Boot-time system configuration/initialization script.\n"
	"# This is run first except when booting in emergency (-b) mode.\n"
	"si::sysinit:/etc/init.d/rcS\n"
	"\n"
	"# What to do in single-user mode.\n"
	"~~:S:wait:/sbin/sulogin --force\n"
	"\n"
	"# /etc/init.d executes the S and K scripts upon change\n"
	"# of runlevel.\n"
	"#\n"
	"# Runlevel 0 is halt.\n"
	"# Runlevel 1 is single-user.\n"
	"# Runlevels 2-5 are multi-user.\n"
	"# Runlevel 6 is reboot.\n"
	"\n"
	"l0:0:wait:/etc/init.d/rc 0\n"
	"l1:1:wait:/etc/init.d/rc 1\n"
	"l2:2:wait:/etc/init.d/rc 2\n"
	"l3:3:wait:/etc/init.d/rc 3\n"
	"l4:4:wait:/etc/init.d/rc 4\n"
	"l5:5:wait:/etc/init.d/rc 5\n"
	"l6:6:wait:/etc/init.d/rc 6\n"
	"# Normally not reached, but fallthrough in case of emergency.\n"
	"z6:6:respawn:/sbin/sulogin --force\n"
	"\n"
	"# What to do when CTRL-ALT-DEL is pressed.\n"
	"ca:12345:ctrlaltdel:/sbin/shutdown -t1 -a -r now\n"
	"\n"
	"# Action on special keypress (ALT-UpArrow).\n"
	"#kb::kbrequest:/bin/echo \"Keyboard Request--edit /etc/inittab to let this work.\"\n"
	"\n"
	"# What to do when the power fails/returns.\n"
	"pf::powerwait:/etc/init.d/powerfail start\n"
	"pn::powerfailnow:/etc/init.d/powerfail now\n"
	"po::powerokwait:/etc/init.d/powerfail stop\n"
	"\n"
	"# /sbin/getty invocations for the runlevels.\n"
	"#\n"
	"# The \"id\" field MUST be the same as the last\n"
	"# characters of the device (after \"tty\").\n"
	"#\n"
	"# Format:\n"
	"#  <id>:<runlevels>:<action>:<process>\n"
	"#\n"
	"# Note that on most Debian systems tty7 is used by the X Window System,\n"
	"# so if you want to add more getty's go ahead but skip tty7 if you run X.\n"
	"#\n"
	"1:2345:respawn:/sbin/getty --noclear 38400 tty1\n"
	"2:23:respawn:/sbin/getty 38400 tty2\n"
	"3:23:respawn:/sbin/getty 38400 tty3\n"
	"4:23:respawn:/sbin/getty 38400 tty4\n"
	"5:23:respawn:/sbin/getty 38400 tty5\n"
	"6:23:respawn:/sbin/getty 38400 tty6\n"
	"\n"
	"# Example how to put a getty on a serial line (for a terminal)\n"
	"#\n"
	"#T0:23:respawn:/sbin/getty -L ttyS0 9600 vt100\n"
	"#T1:23:respawn:/sbin/getty -L ttyS1 9600 vt100\n"
	"\n"
	"# Example how to put a getty on a modem line.\n"
	"#\n"
	"#T3:23:respawn:/sbin/mgetty -x0 -s 57600 ttyS3\n"
	"\n";

typedef struct expect_entry {
	const char   *id;
	unsigned      line;
	InittabAction action;
	const char   *runlevels;
	const char   *levels;
	const char   *process;
	InittabRole   role;
	char          rc_level;
	const char   *tty;
} ExpectEntry;

static const ExpectEntry debian_entries[] = {
	{ "id", 5, INITTAB_INITDEFAULT, "2", "2", "", INITTAB_ROLE_PLAIN, 0, NULL },
	{ "si", 9, INITTAB_SYSINIT, "", "", "/etc/init.d/rcS",
	  INITTAB_ROLE_RCS, 0, NULL },
	{ "~~", 12, INITTAB_WAIT, "S", "S", "/sbin/sulogin --force",
	  INITTAB_ROLE_PLAIN, 0, NULL },
	{ "l0", 22, INITTAB_WAIT, "0", "0", "/etc/init.d/rc 0", INITTAB_ROLE_RC,
	  '0', NULL },
	{ "l1", 23, INITTAB_WAIT, "1", "1", "/etc/init.d/rc 1", INITTAB_ROLE_RC,
	  '1', NULL },
	{ "l2", 24, INITTAB_WAIT, "2", "2", "/etc/init.d/rc 2", INITTAB_ROLE_RC,
	  '2', NULL },
	{ "l3", 25, INITTAB_WAIT, "3", "3", "/etc/init.d/rc 3", INITTAB_ROLE_RC,
	  '3', NULL },
	{ "l4", 26, INITTAB_WAIT, "4", "4", "/etc/init.d/rc 4", INITTAB_ROLE_RC,
	  '4', NULL },
	{ "l5", 27, INITTAB_WAIT, "5", "5", "/etc/init.d/rc 5", INITTAB_ROLE_RC,
	  '5', NULL },
	{ "l6", 28, INITTAB_WAIT, "6", "6", "/etc/init.d/rc 6", INITTAB_ROLE_RC,
	  '6', NULL },
	{ "z6", 30, INITTAB_RESPAWN, "6", "6", "/sbin/sulogin --force",
	  INITTAB_ROLE_PLAIN, 0, NULL },
	{ "ca", 33, INITTAB_CTRLALTDEL, "12345", "12345",
	  "/sbin/shutdown -t1 -a -r now", INITTAB_ROLE_PLAIN, 0, NULL },
	{ "pf", 39, INITTAB_POWERWAIT, "", "S0123456789",
	  "/etc/init.d/powerfail start", INITTAB_ROLE_PLAIN, 0, NULL },
	{ "pn", 40, INITTAB_POWERFAILNOW, "", "S0123456789",
	  "/etc/init.d/powerfail now", INITTAB_ROLE_PLAIN, 0, NULL },
	{ "po", 41, INITTAB_POWEROKWAIT, "", "S0123456789",
	  "/etc/init.d/powerfail stop", INITTAB_ROLE_PLAIN, 0, NULL },
	{ "1", 54, INITTAB_RESPAWN, "2345", "2345",
	  "/sbin/getty --noclear 38400 tty1", INITTAB_ROLE_GETTY, 0, "tty1" },
	{ "2", 55, INITTAB_RESPAWN, "23", "23", "/sbin/getty 38400 tty2",
	  INITTAB_ROLE_GETTY, 0, "tty2" },
	{ "3", 56, INITTAB_RESPAWN, "23", "23", "/sbin/getty 38400 tty3",
	  INITTAB_ROLE_GETTY, 0, "tty3" },
	{ "4", 57, INITTAB_RESPAWN, "23", "23", "/sbin/getty 38400 tty4",
	  INITTAB_ROLE_GETTY, 0, "tty4" },
	{ "5", 58, INITTAB_RESPAWN, "23", "23", "/sbin/getty 38400 tty5",
	  INITTAB_ROLE_GETTY, 0, "tty5" },
	{ "6", 59, INITTAB_RESPAWN, "23", "23", "/sbin/getty 38400 tty6",
	  INITTAB_ROLE_GETTY, 0, "tty6" },
};

static Inittab *
parse(const char *text)
{
	Inittab *tab = inittab_parse(text, strlen(text), "/etc/inittab");

	assert_non_null(tab);
	return tab;
}

static void
check_entry(const InittabEntry *got, const ExpectEntry *want)
{
	const char *id = want->id;

	if (strcmp(got->id, want->id) != 0)
		fail_msg("entry \"%s\": got id \"%s\"", id, got->id);
	if (want->line && got->line != want->line)
		fail_msg("%s: line %u, wanted %u", id, got->line, want->line);
	if (got->action != want->action)
		fail_msg("%s: action %s", id, inittab_action_name(got->action));
	if (strcmp(got->runlevels, want->runlevels) != 0)
		fail_msg("%s: runlevels \"%s\"", id, got->runlevels);
	if (strcmp(got->levels, want->levels) != 0)
		fail_msg("%s: levels \"%s\", wanted \"%s\"", id, got->levels,
			 want->levels);
	if (strcmp(got->process, want->process) != 0)
		fail_msg("%s: process \"%s\"", id, got->process);
	if (got->role != want->role)
		fail_msg("%s: role %d, wanted %d", id, got->role, want->role);
	if (got->rc_level != want->rc_level)
		fail_msg("%s: rc level '%c'", id, got->rc_level);
	if ((got->tty == NULL) != (want->tty == NULL) ||
	    (got->tty && strcmp(got->tty, want->tty) != 0))
		fail_msg("%s: tty \"%s\", wanted \"%s\"", id,
			 got->tty ? got->tty : "(none)",
			 want->tty ? want->tty : "(none)");
}

static void
test_debian_default(void **state)
{
	Inittab *tab = parse(debian_inittab);

	for (size_t i = 0; i < tab->n_messages; i++)
		print_message("unexpected: %s\n", tab->messages[i].text);
	assert_int_equal(tab->n_messages, 0);
	assert_int_equal(tab->n_errors, 0);
	assert_int_equal(tab->len, COUNT(debian_entries));
	for (size_t i = 0; i < COUNT(debian_entries); i++)
		check_entry(&tab->entries[i], &debian_entries[i]);
	assert_int_equal(tab->default_level, '2');
	assert_int_equal(tab->default_line, 5);

	/* What init asks of it. */
	assert_ptr_equal(inittab_find(tab, "l2"), &tab->entries[5]);
	assert_null(inittab_find(tab, "kb"));
	assert_null(inittab_find(tab, "T0"));
	assert_ptr_equal(inittab_tty_entry(tab, "tty1"), inittab_find(tab, "1"));
	assert_ptr_equal(inittab_tty_entry(tab, "/dev/tty6"),
			 inittab_find(tab, "6"));
	assert_null(inittab_tty_entry(tab, "tty7"));
	assert_null(inittab_tty_entry(tab, "ttyS0"));   /* commented out */
	assert_true(inittab_entry_in_level(inittab_find(tab, "1"), '5'));
	assert_false(inittab_entry_in_level(inittab_find(tab, "2"), '5'));
	assert_true(inittab_entry_in_level(inittab_find(tab, "~~"), 's'));
	assert_true(inittab_entry_in_level(inittab_find(tab, "pf"), 'S'));
	assert_false(inittab_entry_in_level(inittab_find(tab, "ca"), 'S'));
	assert_false(inittab_entry_in_level(inittab_find(tab, "si"), 'S'));
	assert_false(inittab_entry_in_level(inittab_find(tab, "1"), '\0'));
	inittab_free(tab);
}

/* ---- one line at a time ----------------------------------------------- */

typedef struct line_case {
	const char  *text;
	const char  *message;   /* NULL: no message; else the whole text */
	bool         error;     /* message is an error: nothing kept */
	ExpectEntry  entry;     /* when !error */
} LineCase;

#define KEPT(txt, ...)         { txt, NULL, false, { __VA_ARGS__ } }
#define WARN(txt, msg, ...)    { txt, msg, false, { __VA_ARGS__ } }
#define REJECT(txt, msg)       { txt, msg, true, { NULL, 0, 0, NULL, NULL, NULL, 0, 0, NULL } }

static const LineCase line_cases[] = {
	/* every action, with sysvinit's reading of the levels field */
	KEPT("r1:2345:respawn:/bin/r", "r1", 1, INITTAB_RESPAWN, "2345", "2345",
	     "/bin/r", INITTAB_ROLE_PLAIN, 0, NULL),
	KEPT("w1:3:wait:/bin/w", "w1", 1, INITTAB_WAIT, "3", "3", "/bin/w",
	     INITTAB_ROLE_PLAIN, 0, NULL),
	KEPT("o1:3:once:/bin/o", "o1", 1, INITTAB_ONCE, "3", "3", "/bin/o",
	     INITTAB_ROLE_PLAIN, 0, NULL),
	KEPT("b1:3:boot:/bin/b", "b1", 1, INITTAB_BOOT, "3", "", "/bin/b",
	     INITTAB_ROLE_PLAIN, 0, NULL),
	KEPT("bw:3:bootwait:/etc/rc", "bw", 1, INITTAB_BOOTWAIT, "3", "",
	     "/etc/rc", INITTAB_ROLE_PLAIN, 0, NULL),
	KEPT("od:Ab:ondemand:/bin/od", "od", 1, INITTAB_ONDEMAND, "Ab", "AB",
	     "/bin/od", INITTAB_ROLE_PLAIN, 0, NULL),
	KEPT("pw::powerwait:/bin/pw", "pw", 1, INITTAB_POWERWAIT, "",
	     "S0123456789", "/bin/pw", INITTAB_ROLE_PLAIN, 0, NULL),
	KEPT("pf:2:powerfail:/bin/pf", "pf", 1, INITTAB_POWERFAIL, "2", "2",
	     "/bin/pf", INITTAB_ROLE_PLAIN, 0, NULL),
	KEPT("po::powerokwait:/bin/po", "po", 1, INITTAB_POWEROKWAIT, "",
	     "S0123456789", "/bin/po", INITTAB_ROLE_PLAIN, 0, NULL),
	KEPT("pn::powerfailnow:/bin/pn", "pn", 1, INITTAB_POWERFAILNOW, "",
	     "S0123456789", "/bin/pn", INITTAB_ROLE_PLAIN, 0, NULL),
	KEPT("ca::ctrlaltdel:/sbin/shutdown -r now", "ca", 1,
	     INITTAB_CTRLALTDEL, "", "S0123456789", "/sbin/shutdown -r now",
	     INITTAB_ROLE_PLAIN, 0, NULL),
	KEPT("kb::kbrequest:/bin/echo hi", "kb", 1, INITTAB_KBREQUEST, "",
	     "0123456789", "/bin/echo hi", INITTAB_ROLE_PLAIN, 0, NULL),
	KEPT("id:3:initdefault:", "id", 1, INITTAB_INITDEFAULT, "3", "3", "",
	     INITTAB_ROLE_PLAIN, 0, NULL),
	KEPT("si::sysinit:/bin/mount -a", "si", 1, INITTAB_SYSINIT, "", "",
	     "/bin/mount -a", INITTAB_ROLE_PLAIN, 0, NULL),
	KEPT("x:2:off:/sbin/getty 38400 tty9", "x", 1, INITTAB_OFF, "2", "2",
	     "/sbin/getty 38400 tty9", INITTAB_ROLE_PLAIN, 0, NULL),
	KEPT("r2::respawn:/bin/r", "r2", 1, INITTAB_RESPAWN, "", "0123456789",
	     "/bin/r", INITTAB_ROLE_PLAIN, 0, NULL),
	/* actions in any case, as sysvinit's strcasecmp */
	KEPT("r3:2:ReSpawn:/bin/r", "r3", 1, INITTAB_RESPAWN, "2", "2", "/bin/r",
	     INITTAB_ROLE_PLAIN, 0, NULL),
	/* layout */
	KEPT("  \t r4:2:respawn:/bin/r", "r4", 1, INITTAB_RESPAWN, "2", "2",
	     "/bin/r", INITTAB_ROLE_PLAIN, 0, NULL),
	KEPT("r5:2:respawn:/bin/sh -c 'a:b:c'", "r5", 1, INITTAB_RESPAWN, "2",
	     "2", "/bin/sh -c 'a:b:c'", INITTAB_ROLE_PLAIN, 0, NULL),
	KEPT("r6:2:respawn:  spaced  ", "r6", 1, INITTAB_RESPAWN, "2", "2",
	     "  spaced  ", INITTAB_ROLE_PLAIN, 0, NULL),
	KEPT("r7:2:respawn:", "r7", 1, INITTAB_RESPAWN, "2", "2", "",
	     INITTAB_ROLE_PLAIN, 0, NULL),
	KEPT("abcd:s2:respawn:/bin/r", "abcd", 1, INITTAB_RESPAWN, "s2", "S2",
	     "/bin/r", INITTAB_ROLE_PLAIN, 0, NULL),
	KEPT("r8:22233:respawn:/bin/r", "r8", 1, INITTAB_RESPAWN, "22233", "23",
	     "/bin/r", INITTAB_ROLE_PLAIN, 0, NULL),
	KEPT("r9:0123456789S:once:/bin/r", "r9", 1, INITTAB_ONCE,
	     "0123456789S", "0123456789S", "/bin/r", INITTAB_ROLE_PLAIN, 0, NULL),
	/* the rc lines init leaves to rc-sysinit and rc */
	KEPT("rs::sysinit:/etc/init.d/rcS", "rs", 1, INITTAB_SYSINIT, "", "",
	     "/etc/init.d/rcS", INITTAB_ROLE_RCS, 0, NULL),
	KEPT("l3:3:wait:/etc/init.d/rc 3", "l3", 1, INITTAB_WAIT, "3", "3",
	     "/etc/init.d/rc 3", INITTAB_ROLE_RC, '3', NULL),
	KEPT("ls:S:wait:/etc/init.d/rc s", "ls", 1, INITTAB_WAIT, "S", "S",
	     "/etc/init.d/rc s", INITTAB_ROLE_RC, 'S', NULL),
	KEPT("l7:7:wait:/etc/init.d/rc 7", "l7", 1, INITTAB_WAIT, "7", "7",
	     "/etc/init.d/rc 7", INITTAB_ROLE_PLAIN, 0, NULL),
	KEPT("lx:2:wait:/etc/init.d/rc 2 extra", "lx", 1, INITTAB_WAIT, "2",
	     "2", "/etc/init.d/rc 2 extra", INITTAB_ROLE_PLAIN, 0, NULL),
	KEPT("ly:2:wait:/etc/init.d/rcS.local", "ly", 1, INITTAB_WAIT, "2",
	     "2", "/etc/init.d/rcS.local", INITTAB_ROLE_PLAIN, 0, NULL),
	KEPT("lz:2:off:/etc/init.d/rc 2", "lz", 1, INITTAB_OFF, "2", "2",
	     "/etc/init.d/rc 2", INITTAB_ROLE_PLAIN, 0, NULL),
	/* + and @ */
	KEPT("p1:2:respawn:+/sbin/getty 38400 tty3", "p1", 1, INITTAB_RESPAWN,
	     "2", "2", "+/sbin/getty 38400 tty3", INITTAB_ROLE_GETTY, 0, "tty3"),
	KEPT("p2:2:respawn:+@/bin/x $y", "p2", 1, INITTAB_RESPAWN, "2", "2",
	     "+@/bin/x $y", INITTAB_ROLE_PLAIN, 0, NULL),
	/* warnings: the line is kept */
	WARN("w2:2x5:respawn:/bin/r", "/etc/inittab:1: unknown runlevel 'x' "
	     "ignored", "w2", 1, INITTAB_RESPAWN, "2x5", "25", "/bin/r",
	     INITTAB_ROLE_PLAIN, 0, NULL),
	WARN("id:23:initdefault:", "/etc/inittab:1: initdefault level \"23\" "
	     "is not one of 0-6 or S: ignored", "id", 1, INITTAB_INITDEFAULT,
	     "23", "23", "", INITTAB_ROLE_PLAIN, 0, NULL),
	WARN("id:7:initdefault:", "/etc/inittab:1: initdefault level \"7\" is "
	     "not one of 0-6 or S: ignored", "id", 1, INITTAB_INITDEFAULT, "7",
	     "7", "", INITTAB_ROLE_PLAIN, 0, NULL),
	/* errors: the line is skipped, sysvinit's words */
	REJECT(":2:respawn:/bin/r", "/etc/inittab:1: missing id field"),
	REJECT("r1", "/etc/inittab:1: missing runlevel field"),
	REJECT("r1:2", "/etc/inittab:1: missing action field"),
	REJECT("r1:2:", "/etc/inittab:1: missing action field"),
	REJECT("r1:2::/bin/r", "/etc/inittab:1: missing action field"),
	REJECT("r1:2:respawn", "/etc/inittab:1: missing process field"),
	REJECT("id:2:initdefault", "/etc/inittab:1: missing process field"),
	REJECT("abcde:2:respawn:/bin/r",
	       "/etc/inittab:1: id field too long (max 4 characters)"),
	REJECT("r1:012345678901:respawn:/bin/r",
	       "/etc/inittab:1: rlevel field too long (max 11 characters)"),
	REJECT("r1:2:respawns:/bin/r",
	       "/etc/inittab:1: respawns: unknown action field"),
	REJECT("r1:2:re\x01spawn:/bin/r",
	       "/etc/inittab:1: re?spawn: unknown action field"),
	REJECT("r1:2:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa:/bin/r",
	       "/etc/inittab:1: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...: unknown "
	       "action field"),
	/* comments and blank lines: nothing at all */
	{ "# r1:2:respawn:/bin/r", NULL, true, { NULL, 0, 0, NULL, NULL, NULL, 0, 0, NULL } },
	{ "   \t# indented comment", NULL, true, { NULL, 0, 0, NULL, NULL, NULL, 0, 0, NULL } },
	{ "", NULL, true, { NULL, 0, 0, NULL, NULL, NULL, 0, 0, NULL } },
	{ " \t ", NULL, true, { NULL, 0, 0, NULL, NULL, NULL, 0, 0, NULL } },
};

static void
test_line_table(void **state)
{
	for (size_t i = 0; i < COUNT(line_cases); i++) {
		const LineCase *c = &line_cases[i];
		Inittab *tab = parse(c->text);

		if (c->message) {
			if (tab->n_messages != 1 ||
			    strcmp(tab->messages[0].text, c->message) != 0)
				fail_msg("\"%s\": message \"%s\", wanted \"%s\"",
					 c->text,
					 tab->n_messages ? tab->messages[0].text
							 : "(none)",
					 c->message);
			assert_int_equal(tab->messages[0].line, 1);
			assert_int_equal(tab->messages[0].error, c->error);
			assert_int_equal(tab->n_errors, c->error ? 1 : 0);
		} else if (tab->n_messages) {
			fail_msg("\"%s\": unexpected \"%s\"", c->text,
				 tab->messages[0].text);
		}
		if (c->error) {
			assert_int_equal(tab->len, 0);
		} else {
			if (tab->len != 1)
				fail_msg("\"%s\": %zu entries", c->text, tab->len);
			check_entry(&tab->entries[0], &c->entry);
		}
		inittab_free(tab);
	}
}

/* Process field limits: 255 characters kept, 256 rejected. */
static void
test_process_length(void **state)
{
	char line[400];
	Inittab *tab;

	snprintf(line, sizeof line, "r1:2:respawn:%0255d", 0);
	tab = parse(line);
	assert_int_equal(tab->len, 1);
	assert_int_equal(strlen(tab->entries[0].process), 255);
	inittab_free(tab);

	snprintf(line, sizeof line, "r1:2:respawn:%0256d", 0);
	tab = parse(line);
	assert_int_equal(tab->len, 0);
	assert_string_equal(tab->messages[0].text, "/etc/inittab:1: process "
			    "field too long (max 255 characters)");
	inittab_free(tab);
}

static void
test_plus_at(void **state)
{
	Inittab *tab = parse("a:2:once:+@/bin/a\nb:2:once:@+/bin/b\n"
			     "c:2:once:/bin/c\nd:2:once:+/bin/d\n");

	assert_int_equal(tab->len, 4);
	assert_true(tab->entries[0].no_utmp);
	assert_true(tab->entries[0].no_shell);
	assert_string_equal(tab->entries[0].command, "/bin/a");
	/* '+' counts only first, as in sysvinit. */
	assert_false(tab->entries[1].no_utmp);
	assert_true(tab->entries[1].no_shell);
	assert_string_equal(tab->entries[1].command, "+/bin/b");
	assert_false(tab->entries[2].no_utmp);
	assert_false(tab->entries[2].no_shell);
	assert_string_equal(tab->entries[2].command, "/bin/c");
	assert_true(tab->entries[3].no_utmp);
	assert_string_equal(tab->entries[3].command, "/bin/d");
	inittab_free(tab);
}

/* ---- which tty a line serves ------------------------------------------ */

static const struct {
	const char *process;
	const char *tty;   /* NULL: not a getty */
} tty_cases[] = {
	{ "/sbin/getty 38400 tty1", "tty1" },
	{ "/sbin/getty --noclear 38400 tty1", "tty1" },
	{ "/sbin/getty -L ttyS0 9600 vt100", "ttyS0" },
	{ "/sbin/getty -L 115200,38400,9600 ttyS1 vt102", "ttyS1" },
	{ "/sbin/agetty --keep-baud 115200,38400,9600 ttyAMA0 vt220", "ttyAMA0" },
	{ "/sbin/agetty -a root --noclear tty2 linux", "tty2" },
	{ "/sbin/agetty --autologin root tty3", "tty3" },
	{ "/sbin/agetty --autologin=root tty3", "tty3" },
	{ "/sbin/agetty -aroot tty4", "tty4" },
	{ "/sbin/agetty -8 -n -l /bin/bash tty5 38400", "tty5" },
	{ "/sbin/agetty -o '-p -- \\u' --noclear tty1", "tty1" },
	{ "/sbin/agetty \"--noclear\" 'tty2'", "tty2" },
	{ "/sbin/agetty '' tty2", NULL },
	{ "agetty -t 60 /dev/ttyS2 9600", "ttyS2" },
	{ "/sbin/agetty -- tty6", "tty6" },
	{ "/sbin/agetty - 9600", NULL },
	{ "/sbin/agetty --help", NULL },
	{ "/sbin/mingetty tty1", "tty1" },
	{ "/sbin/mingetty --noclear --autologin bob tty2", "tty2" },
	{ "/sbin/mingetty --loginprog=/bin/sh tty3", "tty3" },
	{ "/sbin/mgetty -x0 -D ttyS1", "ttyS1" },
	{ "/sbin/mgetty -x0 -s 57600 ttyS3", "ttyS3" },
	{ "/sbin/fgetty tty4", "tty4" },
	{ "getty tty1 VC linux", "tty1" },
	{ "+/sbin/getty 38400 hvc0", "hvc0" },
	{ "/sbin/getty 38400 console", "console" },
	{ "/sbin/getty 38400", NULL },
	{ "/bin/login -f pi tty1 </dev/tty1 >/dev/tty1 2>&1", "tty1" },
	{ "/bin/bash --login < /dev/tty2 > /dev/tty2 2>&1", "tty2" },
	{ "/bin/sh 0</dev/ttyS0", "ttyS0" },
	{ "/bin/sh </tmp/input", NULL },
	{ "/sbin/sulogin --force", NULL },
	{ "/usr/bin/mygetty tty1", NULL },
	{ "/sbin/getty.sh tty1", NULL },
};

static void
test_tty_table(void **state)
{
	for (size_t i = 0; i < COUNT(tty_cases); i++) {
		char line[300];
		Inittab *tab;
		const InittabEntry *e;

		snprintf(line, sizeof line, "t:2345:respawn:%s\n",
			 tty_cases[i].process);
		tab = parse(line);
		assert_int_equal(tab->len, 1);
		e = &tab->entries[0];
		if (!tty_cases[i].tty) {
			if (e->role != INITTAB_ROLE_PLAIN || e->tty)
				fail_msg("\"%s\": serves %s", tty_cases[i].process,
					 e->tty ? e->tty : "?");
		} else if (e->role != INITTAB_ROLE_GETTY || !e->tty ||
			   strcmp(e->tty, tty_cases[i].tty) != 0) {
			fail_msg("\"%s\": serves %s, wanted %s",
				 tty_cases[i].process, e->tty ? e->tty : "nothing",
				 tty_cases[i].tty);
		}
		inittab_free(tab);
	}
}

/* ---- initdefault, duplicates, line numbers ---------------------------- */

static void
test_initdefault_last_wins(void **state)
{
	static const struct {
		const char *text;
		char        level;
		unsigned    line;
	} cases[] = {
		{ "", 0, 0 },
		{ "r:2:respawn:/bin/r\n", 0, 0 },
		{ "id:3:initdefault:\n", '3', 1 },
		{ "id:s:initdefault:\n", 'S', 1 },
		{ "id:S:initdefault:anything at all\n", 'S', 1 },
		/* rc-sysinit's sed: the last matching line wins, even with the
		 * same id (which sysvinit would call a duplicate). */
		{ "id:2:initdefault:\nid:5:initdefault:\n", '5', 2 },
		{ "id:2:initdefault:\nxx:4:initdefault:\n", '4', 2 },
		/* A level sed does not match leaves the earlier one. */
		{ "id:2:initdefault:\nid:9:initdefault:\n", '2', 1 },
		{ "id:2:initdefault:\nid::initdefault:\n", '2', 1 },
		{ "id:3:initdefault:\n#id:5:initdefault:\n", '3', 1 },
		{ "id:3:initdefault:\nid:5:initdefault\n", '3', 1 },
		{ "  id:4:initdefault:\n", '4', 1 },
		{ "id:0:INITDEFAULT:\n", '0', 1 },
	};

	for (size_t i = 0; i < COUNT(cases); i++) {
		Inittab *tab = parse(cases[i].text);

		if (tab->default_level != cases[i].level)
			fail_msg("case %zu: level '%c'", i, tab->default_level);
		assert_int_equal(tab->default_line, cases[i].line);
		inittab_free(tab);
	}
}

static void
test_duplicates(void **state)
{
	Inittab *tab = parse("a:2:once:/bin/first\n"
			     "b:2:once:/bin/b\n"
			     "a:3:respawn:/bin/second\n"
			     "~~:S:wait:/sbin/sulogin\n"
			     "~~:S:wait:/bin/sh\n"
			     "id:2:initdefault:\n"
			     "id:3:initdefault:\n");

	assert_int_equal(tab->n_messages, 1);
	assert_string_equal(tab->messages[0].text,
			    "/etc/inittab:3: duplicate ID field \"a\"");
	assert_true(tab->messages[0].error);
	assert_int_equal(tab->len, 6);
	assert_string_equal(inittab_find(tab, "a")->process, "/bin/first");
	assert_int_equal(tab->entries[3].line, 5);   /* ~~ may repeat */
	assert_int_equal(tab->default_level, '3');
	inittab_free(tab);
}

static void
test_line_endings(void **state)
{
	/* No final newline, CRLF, a NUL inside a line, the file name. */
	static const char text[] = "a:2:once:/bin/a\r\n"
				   "b:2:on\0ce:/bin/b\n"
				   "c:2:once:/bin/c";
	Inittab *tab = inittab_parse(text, sizeof text - 1, "/tmp/tab");

	assert_non_null(tab);
	assert_int_equal(tab->len, 2);
	assert_string_equal(tab->entries[0].process, "/bin/a\r");   /* raw */
	assert_string_equal(tab->entries[1].id, "c");
	assert_int_equal(tab->entries[1].line, 3);
	assert_int_equal(tab->n_messages, 1);
	assert_string_equal(tab->messages[0].text,
			    "/tmp/tab:2: line contains a NUL byte");
	inittab_free(tab);

	tab = inittab_parse("x", 0, NULL);   /* empty, default file name */
	assert_int_equal(tab->len, 0);
	inittab_free(tab);
	tab = inittab_parse("r1", 2, NULL);
	assert_string_equal(tab->messages[0].text,
			    "/etc/inittab:1: missing runlevel field");
	inittab_free(tab);
}

static void
test_actions(void **state)
{
	static const char *const names[] = {
		"respawn", "wait", "once", "boot", "bootwait", "ondemand",
		"powerwait", "powerfail", "powerokwait", "powerfailnow",
		"ctrlaltdel", "kbrequest", "initdefault", "sysinit", "off",
	};

	assert_int_equal(COUNT(names), INITTAB_N_ACTIONS);
	for (int i = 0; i < INITTAB_N_ACTIONS; i++) {
		char upper[32];

		assert_string_equal(inittab_action_name((InittabAction)i), names[i]);
		assert_int_equal(inittab_action_parse(names[i]), i);
		for (size_t j = 0; j <= strlen(names[i]); j++)
			upper[j] = (char)(names[i][j] >= 'a' ? names[i][j] - 32
							     : names[i][j]);
		assert_int_equal(inittab_action_parse(upper), i);
	}
	assert_int_equal(inittab_action_parse("respawnx"), -1);
	assert_int_equal(inittab_action_parse(""), -1);
	assert_null(inittab_action_name((InittabAction)INITTAB_N_ACTIONS));

	assert_true(inittab_action_waits(INITTAB_WAIT));
	assert_true(inittab_action_waits(INITTAB_BOOTWAIT));
	assert_true(inittab_action_waits(INITTAB_SYSINIT));
	assert_true(inittab_action_waits(INITTAB_POWERWAIT));
	assert_true(inittab_action_waits(INITTAB_POWERFAILNOW));
	assert_true(inittab_action_waits(INITTAB_POWEROKWAIT));
	assert_true(inittab_action_waits(INITTAB_CTRLALTDEL));
	assert_false(inittab_action_waits(INITTAB_RESPAWN));
	assert_false(inittab_action_waits(INITTAB_ONCE));
	assert_false(inittab_action_waits(INITTAB_BOOT));
	assert_false(inittab_action_waits(INITTAB_POWERFAIL));
	assert_false(inittab_action_waits(INITTAB_KBREQUEST));
	assert_false(inittab_action_waits(INITTAB_ONDEMAND));
}

/* ---- huge and hostile input ------------------------------------------- */

static void
id_for(unsigned n, char id[5])
{
	static const char digits[] =
		"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
	int i = 0;

	do {
		id[i++] = digits[n % 62];
		n /= 62;
	} while (n && i < 4);
	id[i] = '\0';
}

/* 200,000 distinct entries: parsed in linear time. */
static void
test_huge_many_entries(void **state)
{
	enum { N = 200000 };
	size_t cap = (size_t)N * 40, len = 0;
	char *text = malloc(cap);
	Inittab *tab;

	assert_non_null(text);
	for (unsigned i = 0; i < N; i++) {
		char id[5];

		id_for(i, id);
		len += (size_t)snprintf(text + len, cap - len,
					"%s:2345:respawn:/bin/job %u\n", id, i);
	}
	tab = inittab_parse(text, len, NULL);
	assert_non_null(tab);
	assert_int_equal(tab->len, N);
	assert_int_equal(tab->n_messages, 0);
	assert_string_equal(tab->entries[N - 1].process, "/bin/job 199999");
	inittab_free(tab);

	/* The same lines twice: every second copy is a duplicate, and the
	 * messages stop at the limit with one line saying how many more. */
	text = realloc(text, 2 * len);
	assert_non_null(text);
	memcpy(text + len, text, len);
	tab = inittab_parse(text, 2 * len, NULL);
	assert_non_null(tab);
	assert_int_equal(tab->len, N);
	assert_int_equal(tab->n_errors, N);
	assert_int_equal(tab->n_messages, INITTAB_MESSAGES_MAX + 1);
	assert_string_equal(tab->messages[INITTAB_MESSAGES_MAX].text,
			    "/etc/inittab: 199936 more problems not shown");
	inittab_free(tab);
	free(text);
}

/* One 16 MB line, lines of only colons, binary noise. */
static void
test_huge_hostile(void **state)
{
	size_t len = (size_t)16 << 20;
	char *text = malloc(len);
	Inittab *tab;

	assert_non_null(text);
	memset(text, 'x', len);
	memcpy(text, "r1:2:respawn:", 13);
	tab = inittab_parse(text, len, NULL);
	assert_int_equal(tab->len, 0);
	assert_int_equal(tab->n_errors, 1);
	inittab_free(tab);

	memset(text, ':', len);
	tab = inittab_parse(text, len, NULL);
	assert_int_equal(tab->len, 0);
	assert_string_equal(tab->messages[0].text,
			    "/etc/inittab:1: missing id field");
	inittab_free(tab);

	srandom(4711);
	for (size_t i = 0; i < len; i++)
		text[i] = (char)random();
	tab = inittab_parse(text, len, NULL);
	assert_non_null(tab);
	for (size_t i = 0; i < tab->len; i++) {
		assert_true(strlen(tab->entries[i].id) >= 1);
		assert_true(strlen(tab->entries[i].id) <= 4);
		assert_true(strlen(tab->entries[i].process) <= 255);
	}
	inittab_free(tab);
	free(text);
}

#ifdef HAVE_ALLOC_FAILURES
/* Fail the 1st, 2nd, ... allocation of a parse of Debian's inittab:
 * every attempt returns NULL with ENOMEM and frees everything, until
 * enough succeed for the whole parse. */
static void
test_alloc_failures(void **state)
{
	const char *text = debian_inittab;
	size_t len = strlen(text);

	for (long n = 0;; n++) {
		long before = alloc_live;
		Inittab *tab;

		alloc_countdown = n;
		errno = 0;
		tab = inittab_parse(text, len, NULL);
		alloc_countdown = -1;
		if (tab) {
			assert_int_equal(tab->len, COUNT(debian_entries));
			inittab_free(tab);
			assert_int_equal(alloc_live, before);
			assert_true(n > 20);
			break;
		}
		assert_int_equal(errno, ENOMEM);
		if (alloc_live != before)
			fail_msg("failing allocation %ld leaked %ld blocks", n,
				 alloc_live - before);
	}

	/* And with messages to allocate. */
	text = "a:2:x:y\nb:2:x:y\na:2:once:/a\na:2:once:/a\n";
	for (long n = 0;; n++) {
		long before = alloc_live;
		Inittab *tab;

		alloc_countdown = n;
		tab = inittab_parse(text, strlen(text), NULL);
		alloc_countdown = -1;
		if (tab) {
			assert_int_equal(tab->n_messages, 3);
			inittab_free(tab);
			assert_int_equal(alloc_live, before);
			break;
		}
		assert_int_equal(alloc_live, before);
	}
}
#endif

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_debian_default),
		cmocka_unit_test(test_line_table),
		cmocka_unit_test(test_process_length),
		cmocka_unit_test(test_plus_at),
		cmocka_unit_test(test_tty_table),
		cmocka_unit_test(test_initdefault_last_wins),
		cmocka_unit_test(test_duplicates),
		cmocka_unit_test(test_line_endings),
		cmocka_unit_test(test_actions),
		cmocka_unit_test(test_huge_many_entries),
		cmocka_unit_test(test_huge_hostile),
#ifdef HAVE_ALLOC_FAILURES
		cmocka_unit_test(test_alloc_failures),
#endif
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
