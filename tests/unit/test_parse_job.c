/* Unit tests for init/parse_job.c and init/job_class.c.
 *
 * Table-driven: job text -> one field rendered as a string, or job text
 * -> error message and line.  Plus override files, the corpus of real
 * Upstart jobs (directory from $UPINIT_CORPUS, default the copy in
 * tests/corpus/upstart-jobs; tests run from the project root), and
 * hostile input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "init/event_operator.h"
#include "init/job_class.h"
#include "init/parse_job.h"
#include "lib/signame.h"

#define COUNT(a) (sizeof (a) / sizeof (a)[0])

/* ---- helpers ---- */

static JobClass *
parse_text(const char *text, ParseError *error)
{
	return parse_job(NULL, "test", "/etc/init/test.conf", text, strlen(text), error);
}

/* A growing string for rendering fields. */
static char *
append(char *s, const char *fmt, ...)
{
	va_list ap;
	char *add = NULL, *out = NULL;

	va_start(ap, fmt);
	assert_true(vasprintf(&add, fmt, ap) >= 0);
	va_end(ap);
	assert_true(asprintf(&out, "%s%s", s ? s : "", add) >= 0);
	free(s);
	free(add);
	return out;
}

static char *
render_strv(char **v, const char *sep)
{
	char *s = strdup("");

	for (size_t i = 0; v && v[i]; i++)
		s = append(s, "%s%s", i ? sep : "", v[i]);
	return s;
}

static char *
render_process(const ProcessDef *p)
{
	if (!p->command)
		return strdup("(none)");
	return append(NULL, "%s:%s", p->script ? "script" : "exec", p->command);
}

static char *
render_tree(const EventOperator *op)
{
	return op ? event_operator_to_string(op) : strdup("(none)");
}

static char *
render_limit(const struct rlimit *l)
{
	char *s = NULL;

	if (!l)
		return strdup("(none)");
	if (l->rlim_cur == RLIM_INFINITY)
		s = append(s, "unlimited");
	else
		s = append(s, "%llu", (unsigned long long)l->rlim_cur);
	if (l->rlim_max == RLIM_INFINITY)
		return append(s, " unlimited");
	return append(s, " %llu", (unsigned long long)l->rlim_max);
}

static char *
render_string(const char *s)
{
	return strdup(s ? s : "(null)");
}

/* One field of the class, by the name of the stanza that sets it. */
static char *
render(const JobClass *c, const char *field)
{
	static const char *const consoles[] = { "none", "log", "output", "owner" };
	static const char *const expects[] = { "none", "stop", "daemon", "fork" };

	if (!strcmp(field, "exec") || !strcmp(field, "script"))
		return render_process(&c->process[PROCESS_MAIN]);
	if (!strcmp(field, "pre-start"))
		return render_process(&c->process[PROCESS_PRE_START]);
	if (!strcmp(field, "post-start"))
		return render_process(&c->process[PROCESS_POST_START]);
	if (!strcmp(field, "pre-stop"))
		return render_process(&c->process[PROCESS_PRE_STOP]);
	if (!strcmp(field, "post-stop"))
		return render_process(&c->process[PROCESS_POST_STOP]);
	if (!strcmp(field, "apparmor load"))
		return render_process(&c->process[PROCESS_SECURITY]);
	if (!strcmp(field, "apparmor switch"))
		return render_string(c->apparmor_switch);
	if (!strcmp(field, "start on"))
		return render_tree(c->start_on);
	if (!strcmp(field, "stop on"))
		return render_tree(c->stop_on);
	if (!strcmp(field, "env"))
		return render_strv(c->env.vars, "|");
	if (!strcmp(field, "export"))
		return render_strv(c->export, " ");
	if (!strcmp(field, "emits"))
		return render_strv(c->emits, " ");
	if (!strcmp(field, "task"))
		return strdup(c->task ? "true" : "false");
	if (!strcmp(field, "respawn"))
		return strdup(c->respawn ? "true" : "false");
	if (!strcmp(field, "debug"))
		return strdup(c->debug ? "true" : "false");
	if (!strcmp(field, "respawn limit"))
		return append(NULL, "%d %ld", c->respawn_limit, (long)c->respawn_interval);
	if (!strcmp(field, "normal exit")) {
		char *s = strdup("");

		for (size_t i = 0; i < c->nnormal_exit; i++)
			s = append(s, "%s%d", i ? "," : "", c->normal_exit[i]);
		return s;
	}
	if (!strcmp(field, "instance"))
		return render_string(c->instance);
	if (!strcmp(field, "description"))
		return render_string(c->description);
	if (!strcmp(field, "author"))
		return render_string(c->author);
	if (!strcmp(field, "version"))
		return render_string(c->version);
	if (!strcmp(field, "usage"))
		return render_string(c->usage);
	if (!strcmp(field, "chroot"))
		return render_string(c->chroot);
	if (!strcmp(field, "chdir"))
		return render_string(c->chdir);
	if (!strcmp(field, "setuid"))
		return render_string(c->setuid);
	if (!strcmp(field, "setgid"))
		return render_string(c->setgid);
	if (!strcmp(field, "console"))
		return strdup(consoles[c->console]);
	if (!strcmp(field, "expect"))
		return strdup(expects[c->expect]);
	if (!strcmp(field, "umask"))
		return append(NULL, "%03o", (unsigned)c->umask);
	if (!strcmp(field, "nice"))
		return append(NULL, "%d", c->nice);
	if (!strcmp(field, "oom"))
		return append(NULL, "%d", c->oom_score_adj);
	if (!strcmp(field, "kill signal"))
		return append(NULL, "%d", c->kill_signal);
	if (!strcmp(field, "kill timeout"))
		return append(NULL, "%ld", (long)c->kill_timeout);
	if (!strcmp(field, "kill mode"))
		return strdup(c->kill_process_only ? "process" : "cgroup");
	if (!strcmp(field, "cgroup")) {
		char *s = strdup("");

		for (size_t i = 0; i < c->ncgroups; i++)
			s = append(s, "%s[%s %s %s %s]", i ? " " : "", c->cgroups[i].controller,
				   c->cgroups[i].name ? c->cgroups[i].name : "-",
				   c->cgroups[i].key ? c->cgroups[i].key : "-",
				   c->cgroups[i].value ? c->cgroups[i].value : "-");
		return s;
	}
	if (!strcmp(field, "reload signal"))
		return append(NULL, "%d", c->reload_signal);
	if (!strcmp(field, "limit nofile"))
		return render_limit(c->limits[RLIMIT_NOFILE]);
	if (!strcmp(field, "limit core"))
		return render_limit(c->limits[RLIMIT_CORE]);
	if (!strcmp(field, "limit as"))
		return render_limit(c->limits[RLIMIT_AS]);
	fail_msg("no renderer for field \"%s\"", field);
	return NULL;
}

/* ---- fields ---- */

static const struct {
	const char *text;
	const char *field;
	const char *expected;
} fields[] = {
	/* defaults (U:init/job_class.c job_class_new) */
	{ "", "kill signal", "15" },
	{ "", "kill timeout", "5" },
	{ "", "reload signal", "1" },
	{ "", "respawn limit", "10 5" },
	{ "", "umask", "022" },
	{ "", "nice", "-21" },
	{ "", "oom", "-2000" },
	{ "", "console", "log" },
	{ "", "instance", "" },
	{ "", "expect", "none" },
	{ "", "start on", "(none)" },
	{ "", "exec", "(none)" },
	{ "# only a comment\n\n   \t\n", "respawn", "false" },

	/* exec: the raw command, as the shell will see it */
	{ "exec /bin/foo --bar\n", "exec", "exec:/bin/foo --bar" },
	{ "exec   /bin/foo   a  b   \n", "exec", "exec:/bin/foo   a  b" },
	{ "exec echo \"a  b\" 'c'\n", "exec", "exec:echo \"a  b\" 'c'" },
	{ "exec foo # comment\n", "exec", "exec:foo" },
	{ "exec echo \"# not a comment\"\n", "exec", "exec:echo \"# not a comment\"" },
	{ "exec foo \\\n   bar\n", "exec", "exec:foo bar" },
	{ "exec echo a\\ b\n", "exec", "exec:echo a\\ b" },
	{ "exec echo \"a\n   b\"\n", "exec", "exec:echo \"a b\"" },
	{ "exec foo", "exec", "exec:foo" },
	{ "exec a\nexec b\n", "exec", "exec:b" },
	{ "\"exec\" foo\n", "exec", "exec:foo" },
	{ "exec a\nscript\nb\nend script\n", "script", "script:b\n" },
	{ "script\nb\nend script\nexec a\n", "exec", "exec:a" },

	/* script blocks */
	{ "script\n    a\n      b\n    c\nend script\n", "script", "script:a\n  b\nc\n" },
	{ "script\n  a\n\n  b\nend script\n", "script", "script:  a\n\n  b\n" },
	{ "script\n\ta\n\tb\n  end script  # done\n", "script", "script:a\nb\n" },
	{ "script\nend scripts\nend  script", "script", "script:end scripts\n" },
	{ "script\nend script\n", "script", "script:" },
	{ "script # why\n  x 'y\nend script\n", "script", "script:x 'y\n" },
	{ "pre-start script\n  mkdir -p /run/x\nend script\n", "pre-start",
	  "script:mkdir -p /run/x\n" },
	{ "pre-start exec /bin/true\n", "pre-start", "exec:/bin/true" },
	{ "post-start exec /bin/true\n", "post-start", "exec:/bin/true" },
	{ "pre-stop exec /bin/true\n", "pre-stop", "exec:/bin/true" },
	{ "post-stop script\nx\nend script\n", "post-stop", "script:x\n" },

	/* start on / stop on / manual */
	{ "start on runlevel [2345]\n", "start on", "runlevel [2345]" },
	{ "start on a and b or c\n", "start on", "((a and b) or c)" },
	{ "start on (a\n   or b) # c\n", "start on", "(a or b)" },
	{ "start on (a  # first\n\n  # blank and comment lines\n  or b)\n", "start on", "(a or b)" },
	{ "start on a \\\n and b\n", "start on", "(a and b)" },
	{ "start on (a)or(b)\n", "start on", "(a or b)" },
	{ "start on \"(x)\"\n", "start on", "(x)" },
	{ "start on foo \"A=b c\"\n", "start on", "foo A=b c" },
	{ "start on a\nstart on b\n", "start on", "b" },
	{ "start on a\nmanual\n", "start on", "(none)" },
	{ "manual\nstart on a\n", "start on", "a" },
	{ "manual # disabled\n", "start on", "(none)" },
	{ "stop on runlevel [!$RUNLEVEL]\n", "stop on", "runlevel [!$RUNLEVEL]" },
	{ "stop on a\nmanual\n", "stop on", "a" },

	/* env, export, emits: cumulative */
	{ "env A=1\n", "env", "A=1" },
	{ "env A=1\nenv B\nenv A=2\n", "env", "A=2|B" },
	{ "env B\nenv B=x\n", "env", "B=x" },
	{ "env A=\"x y\"\n", "env", "A=x y" },
	{ "env A=''\n", "env", "A=" },
	{ "export A B\nexport C\n", "export", "A B C" },
	{ "emits a b* # doc\nemits c\n", "emits", "a b* c" },

	/* flags and respawn */
	{ "task\n", "task", "true" },
	{ "respawn\n", "respawn", "true" },
	{ "respawn # comment\n", "respawn", "true" },
	{ "respawn limit 3 10\n", "respawn limit", "3 10" },
	{ "respawn limit 3 10\n", "respawn", "false" },
	{ "respawn limit unlimited\n", "respawn limit", "0 0" },
	{ "respawn limit 0 0\n", "respawn limit", "0 0" },
	{ "debug\n", "debug", "true" },

	/* normal exit: numbers are exit codes, names signals << 8 */
	{ "normal exit 0 1 TERM SIGHUP\nnormal exit 15\n", "normal exit", "0,1,3840,256,15" },

	/* strings: the last one wins */
	{ "instance $INTERFACE\n", "instance", "$INTERFACE" },
	{ "description \"A job\"\n", "description", "A job" },
	{ "description one\ndescription two\n", "description", "two" },
	{ "description \"multi\n   line\"\n", "description", "multi line" },
	{ "description it\\'s\n", "description", "it's" },
	{ "author \"Me <me@example.com>\"\n", "author", "Me <me@example.com>" },
	{ "version 1.0\n", "version", "1.0" },
	{ "usage \"tty DEV=ttyX\"\n", "usage", "tty DEV=ttyX" },
	{ "chroot /srv/jail\n", "chroot", "/srv/jail" },
	{ "chdir /var/lib/x\n", "chdir", "/var/lib/x" },
	{ "setuid nobody\n", "setuid", "nobody" },
	{ "setgid nogroup\n", "setgid", "nogroup" },

	/* process environment */
	{ "console none\n", "console", "none" },
	{ "console log\n", "console", "log" },
	{ "console output\n", "console", "output" },
	{ "console owner\n", "console", "owner" },
	{ "umask 0027\n", "umask", "027" },
	{ "umask 7\n", "umask", "007" },
	{ "nice -20\n", "nice", "-20" },
	{ "nice 19\n", "nice", "19" },
	{ "oom score 100\n", "oom", "100" },
	{ "oom score -1000\n", "oom", "-1000" },
	{ "oom score never\n", "oom", "-1000" },
	{ "oom never\n", "oom", "-1000" },
	{ "oom -17\n", "oom", "-1000" },
	{ "oom 15\n", "oom", "1000" },
	{ "oom -8\n", "oom", "-470" },
	{ "oom 10\n", "oom", "666" },
	{ "limit nofile 1024 4096\n", "limit nofile", "1024 4096" },
	{ "limit nofile 1 2\nlimit nofile 3 4\n", "limit nofile", "3 4" },
	{ "limit core unlimited unlimited\n", "limit core", "unlimited unlimited" },
	{ "limit as 0 unlimited\n", "limit as", "0 unlimited" },
	{ "expect stop\n", "expect", "stop" },
	{ "expect daemon\n", "expect", "daemon" },
	{ "expect fork\n", "expect", "fork" },
	{ "expect fork\nexpect none\n", "expect", "none" },
	{ "kill signal INT\n", "kill signal", "2" },
	{ "kill signal SIGKILL\n", "kill signal", "9" },
	{ "kill signal 10\n", "kill signal", "10" },
	{ "kill timeout 30\n", "kill timeout", "30" },
	{ "kill timeout 0\n", "kill timeout", "0" },
	{ "reload signal USR1\n", "reload signal", "10" },
	{ "reload signal SIGUSR2\n", "reload signal", "12" },
	{ "apparmor load /etc/apparmor.d/x\n", "apparmor load", "exec:/etc/apparmor.d/x" },
	{ "apparmor switch /usr/bin/x\n", "apparmor switch", "/usr/bin/x" },
	{ "cgroup memory\ncgroup cpu mygroup\ncgroup memory $UPSTART_CGROUP memory.limit 100\n",
	  "exec", "(none)" },
	{ "cgroup memory\ncgroup cpu mygroup\ncgroup memory $UPSTART_CGROUP memory.limit 100\n",
	  "cgroup", "[memory - - -] [cpu mygroup - -] [memory - memory.limit 100]" },
	/* The same key again replaces the value; another name is another. */
	{ "cgroup memory ${UPSTART_CGROUP} limit_in_bytes 1\ncgroup memory $UPSTART_CGROUP limit_in_bytes 2\n"
	  "cgroup memory db-$JOB limit_in_bytes 3\n",
	  "cgroup", "[memory - limit_in_bytes 2] [memory db-$JOB limit_in_bytes 3]" },
	{ "", "cgroup", "" },
	{ "", "kill mode", "cgroup" },
	{ "kill mode process\n", "kill mode", "process" },
	{ "kill mode process\nkill mode cgroup\n", "kill mode", "cgroup" },
};

static void
test_fields(void **state)
{
	for (size_t i = 0; i < COUNT(fields); i++) {
		ParseError error = { 0, NULL };
		JobClass *c = parse_text(fields[i].text, &error);
		char *got;

		if (!c)
			fail_msg("case %zu \"%s\": %zu: %s", i, fields[i].text,
				 error.line, error.message);
		got = render(c, fields[i].field);
		if (strcmp(got, fields[i].expected))
			fail_msg("case %zu \"%s\": %s is \"%s\", want \"%s\"", i,
				 fields[i].text, fields[i].field, got, fields[i].expected);
		free(got);
		job_class_unref(c);
	}
}

/* ---- errors ---- */

static const struct {
	const char *text;
	const char *message;
	size_t      line;
} errors[] = {
	{ "foo\n", "Unknown stanza", 1 },
	{ "\n\n  bar baz\n", "Unknown stanza", 3 },
	{ "Exec foo\n", "Unknown stanza", 1 },
	/* parentheses split words even without blanks: foo ( bar ) */
	{ "start on foo(bar)\n", "Expected operator", 1 },
	{ "manual foo\n", "Unknown stanza", 1 },
	{ "exec\n", "Expected token", 1 },
	{ "exec # nothing\n", "Expected token", 1 },
	{ "description\n", "Expected token", 1 },
	{ "description \"\"\n", "Expected token", 1 },
	{ "description a b\n", "Unexpected token", 1 },
	{ "description \"a b\n", "Unterminated quoted string", 1 },
	{ "# c\ndescription 'x\ny\n", "Unterminated quoted string", 2 },
	{ "exec echo \"x\n\n", "Unterminated quoted string", 1 },
	{ "exec foo\\", "Trailing slash in file", 1 },
	{ "script\necho\n", "Unterminated block", 1 },
	{ "script", "Unterminated block", 1 },
	{ "\npre-start script\necho\nend scrip\n", "Unterminated block", 2 },
	{ "script\nendscript\n", "Unterminated block", 1 },
	{ "script foo\nend script\n", "Unexpected token", 1 },
	{ "pre-start\n", "Expected token", 1 },
	{ "pre-start foo\n", "Unknown stanza", 1 },
	{ "pre-start \"exec\" x\n", "Unknown stanza", 1 },
	{ "post-stop exec\n", "Expected token", 1 },
	{ "start\n", "Expected token", 1 },
	{ "start foo\n", "Unknown stanza", 1 },
	{ "start \"on\" foo\n", "Unknown stanza", 1 },
	{ "start on\n", "Expected token", 1 },
	{ "start on # nothing\n", "Expected token", 1 },
	{ "start on and\n", "Expected event", 1 },
	{ "start on a and\n", "Expected event", 1 },
	{ "start on a and\nexec x\n", "Expected event", 1 },
	{ "start on (a\n", "Mismatched parentheses", 1 },
	{ "start on (a\nexec foo\n", "Mismatched parentheses", 2 },
	{ "start on a)\n", "Mismatched parentheses", 1 },
	{ "start on (a or\n b) c\n", "Expected operator", 2 },
	{ "start on a X=1 y\n", "Expected variable name before value", 1 },
	{ "start on (a\n\n or b\n and c X=1 y)\n", "Expected variable name before value", 4 },
	{ "start on (a \"b\n", "Unterminated quoted string", 1 },
	{ "stop on\n", "Expected token", 1 },
	{ "stop on ()\n", "Expected event", 1 },
	{ "env\n", "Expected token", 1 },
	{ "env A=1 B=2\n", "Unexpected token", 1 },
	{ "export\n", "Expected token", 1 },
	{ "emits # none\n", "Expected token", 1 },
	{ "task x\n", "Unexpected token", 1 },
	{ "respawn foo\n", "Unknown stanza", 1 },
	{ "respawn limit\n", "Expected token", 1 },
	{ "respawn limit x 5\n", "Illegal limit, expected 'unlimited' or integer", 1 },
	{ "respawn limit -1 5\n", "Illegal limit, expected 'unlimited' or integer", 1 },
	{ "respawn limit 10\n", "Expected token", 1 },
	{ "respawn limit 10 x\n", "Illegal interval, expected number of seconds", 1 },
	{ "respawn limit 10 -5\n", "Illegal interval, expected number of seconds", 1 },
	{ "respawn limit 10 5 6\n", "Unexpected token", 1 },
	{ "respawn limit unlimited 5\n", "Unexpected token", 1 },
	{ "normal\n", "Expected token", 1 },
	{ "normal foo\n", "Unknown stanza", 1 },
	{ "normal exit\n", "Expected token", 1 },
	{ "normal exit 0 FOO\n", "Illegal exit status, expected integer", 1 },
	{ "normal exit -1\n", "Illegal exit status, expected integer", 1 },
	{ "normal exit 99999999999\n", "Illegal exit status, expected integer", 1 },
	{ "instance\n", "Expected token", 1 },
	{ "author\n", "Expected token", 1 },
	{ "version\n", "Expected token", 1 },
	{ "usage\n", "Expected token", 1 },
	{ "chroot\n", "Expected token", 1 },
	{ "chdir /a /b\n", "Unexpected token", 1 },
	{ "setuid\n", "Expected token", 1 },
	{ "setgid\n", "Expected token", 1 },
	{ "console\n", "Expected token", 1 },
	{ "console foo\n", "Unknown stanza", 1 },
	{ "console log x\n", "Unexpected token", 1 },
	{ "umask 8\n", "Illegal file creation mask, expected octal integer", 1 },
	{ "umask 1000\n", "Illegal file creation mask, expected octal integer", 1 },
	{ "umask x\n", "Illegal file creation mask, expected octal integer", 1 },
	{ "nice 20\n", "Illegal nice value, expected -20 to 19", 1 },
	{ "nice -21\n", "Illegal nice value, expected -20 to 19", 1 },
	{ "nice x\n", "Illegal nice value, expected -20 to 19", 1 },
	{ "oom\n", "Expected token", 1 },
	{ "oom 16\n", "Illegal oom adjustment, expected -16 to 15 or 'never'", 1 },
	{ "oom -18\n", "Illegal oom adjustment, expected -16 to 15 or 'never'", 1 },
	{ "oom x\n", "Illegal oom adjustment, expected -16 to 15 or 'never'", 1 },
	{ "oom score\n", "Expected token", 1 },
	{ "oom score 1001\n", "Illegal oom score adjustment, expected -999 to 1000 or 'never'", 1 },
	{ "oom score -1001\n", "Illegal oom score adjustment, expected -999 to 1000 or 'never'", 1 },
	{ "oom score x\n", "Illegal oom score adjustment, expected -999 to 1000 or 'never'", 1 },
	{ "limit\n", "Expected token", 1 },
	{ "limit foo 1 2\n", "Unknown stanza", 1 },
	{ "limit nofile\n", "Expected token", 1 },
	{ "limit nofile 1\n", "Expected token", 1 },
	{ "limit nofile x 1\n", "Illegal limit, expected 'unlimited' or integer", 1 },
	{ "limit nofile 1 x\n", "Illegal limit, expected 'unlimited' or integer", 1 },
	{ "limit nofile 1 2 3\n", "Unexpected token", 1 },
	{ "expect\n", "Expected token", 1 },
	{ "expect foo\n", "Unknown stanza", 1 },
	{ "kill\n", "Expected token", 1 },
	{ "kill foo\n", "Unknown stanza", 1 },
	{ "kill timeout\n", "Expected token", 1 },
	{ "kill timeout x\n", "Illegal interval, expected number of seconds", 1 },
	{ "kill timeout -1\n", "Illegal interval, expected number of seconds", 1 },
	{ "kill signal FOO\n", "Illegal signal status, expected integer", 1 },
	{ "kill signal 0\n", "Illegal signal status, expected integer", 1 },
	{ "kill signal 999\n", "Illegal signal status, expected integer", 1 },
	{ "kill signal term\n", "Illegal signal status, expected integer", 1 },
	{ "reload\n", "Expected token", 1 },
	{ "reload foo\n", "Unknown stanza", 1 },
	{ "reload signal BAR\n", "Illegal signal status, expected integer", 1 },
	{ "apparmor\n", "Expected token", 1 },
	{ "apparmor foo x\n", "Unknown stanza", 1 },
	{ "apparmor load\n", "Expected token", 1 },
	{ "apparmor switch a b\n", "Unexpected token", 1 },
	{ "cgroup\n", "Expected token", 1 },
	{ "cgroup a b c d e\n", "Unexpected token", 1 },
	/* A key needs its value. */
	{ "cgroup memory x limit_in_bytes\n", "Expected token", 1 },
	{ "kill mode\n", "Expected token", 1 },
	{ "kill mode all\n", "Illegal kill mode, expected 'cgroup' or 'process'", 1 },
	{ "kill mode process x\n", "Unexpected token", 1 },
	/* lines are counted through blocks, quotes and continuations */
	{ "script\na\nend script\nfoo\n", "Unknown stanza", 4 },
	{ "description \"a\nb\"\nfoo\n", "Unknown stanza", 3 },
	{ "exec a \\\n b\nfoo\n", "Unknown stanza", 3 },
	{ "start on (a\n or b)\nnice 99\n", "Illegal nice value, expected -20 to 19", 3 },
	{ "kill timeout \\\n x\n", "Illegal interval, expected number of seconds", 2 },
};

static void
test_errors(void **state)
{
	for (size_t i = 0; i < COUNT(errors); i++) {
		ParseError error = { 0, NULL };
		JobClass *c = parse_text(errors[i].text, &error);

		if (c)
			fail_msg("case %zu \"%s\" parsed", i, errors[i].text);
		assert_int_equal(errno, EINVAL);
		if (!error.message || strcmp(error.message, errors[i].message) ||
		    error.line != errors[i].line)
			fail_msg("case %zu \"%s\": got %zu: %s, want %zu: %s", i,
				 errors[i].text, error.line,
				 error.message ? error.message : "(null)",
				 errors[i].line, errors[i].message);
	}
}

static void
test_nul_byte(void **state)
{
	static const char text[] = "description a\nexec b\0c\nnice 99\n";
	ParseError error = { 0, NULL };

	assert_null(parse_job(NULL, "t", NULL, text, sizeof text - 1, &error));
	assert_string_equal(error.message, "Illegal NUL byte in file");
	assert_int_equal(error.line, 2);

	/* The length given is what counts, not a terminating NUL. */
	{
		JobClass *c = parse_job(NULL, "t", NULL, "exec a\nnice 99", 6, &error);

		assert_non_null(c);
		job_class_unref(c);
	}
	assert_int_equal(parse_empty_conf("#x\n\0", 4, &error), -1);
	assert_string_equal(error.message, "Illegal NUL byte in file");
}

/* ---- job_class ---- */

static void
test_job_class(void **state)
{
	JobClass *c = job_class_new("net/apache", "/etc/init/net/apache.conf");
	ParseError error;

	assert_non_null(c);
	assert_string_equal(c->name, "net/apache");
	assert_string_equal(c->path, "/etc/init/net/apache.conf");
	assert_int_equal(c->refs, 1);
	assert_true(TAILQ_EMPTY(&c->instances));
	assert_ptr_equal(job_class_ref(c), c);
	assert_int_equal(c->refs, 2);
	job_class_unref(c);
	assert_int_equal(c->refs, 1);
	job_class_unref(c);
	job_class_unref(NULL);

	job_class_set_default_console(CONSOLE_NONE);
	assert_int_equal(job_class_default_console(), CONSOLE_NONE);
	c = parse_text("exec x\n", &error);
	assert_int_equal(c->console, CONSOLE_NONE);
	job_class_unref(c);
	job_class_set_default_console(CONSOLE_LOG);

	c = parse_text("normal exit 2 TERM\n", &error);
	assert_true(job_class_normal_exit(c, 2));
	assert_true(job_class_normal_exit(c, SIGTERM << 8));
	assert_false(job_class_normal_exit(c, 15));
	assert_false(job_class_normal_exit(c, 0));
	job_class_unref(c);

	c = job_class_new("x", NULL);
	assert_null(c->path);
	job_class_unref(c);
}

static void
test_signals(void **state)
{
	assert_int_equal(parse_signal("TERM"), SIGTERM);
	assert_int_equal(parse_signal("SIGTERM"), SIGTERM);
	assert_int_equal(parse_signal("HUP"), SIGHUP);
	assert_int_equal(parse_signal("9"), 9);
	assert_int_equal(parse_signal("IOT"), SIGABRT);
	assert_int_equal(parse_signal("CLD"), SIGCHLD);
	assert_int_equal(parse_signal("SIG"), -1);
	assert_int_equal(parse_signal("term"), -1);
	assert_int_equal(parse_signal(""), -1);
	assert_int_equal(parse_signal("0"), -1);
	assert_int_equal(parse_signal("65"), -1);
	assert_int_equal(parse_signal("9x"), -1);
	assert_string_equal(signal_name(SIGTERM), "TERM");
	assert_string_equal(signal_name(SIGKILL), "KILL");
	assert_string_equal(signal_name(SIGUSR1), "USR1");
	assert_null(signal_name(0));
	assert_null(signal_name(-1));
	assert_null(signal_name(4096));
}

static void
test_empty_conf(void **state)
{
	static const char ok[] = "# init.conf\n\n   # indented comment\n\t\n";
	ParseError error = { 0, NULL };

	assert_int_equal(parse_empty_conf(ok, strlen(ok), &error), 0);
	assert_int_equal(parse_empty_conf("", 0, &error), 0);
	assert_int_equal(parse_empty_conf("#\n\nexec foo\n", strlen("#\n\nexec foo\n"), &error), -1);
	assert_string_equal(error.message, "Unknown stanza");
	assert_int_equal(error.line, 3);
	assert_int_equal(parse_empty_conf("\"x\n", 3, &error), -1);
	assert_string_equal(error.message, "Unterminated quoted string");
}

/* ---- override files ---- */

static void
test_override(void **state)
{
	static const char conf[] =
		"description \"base\"\n"
		"start on runlevel [2345]\n"
		"stop on runlevel [!2345]\n"
		"env A=1\nenv B=2\n"
		"export A\nemits ev1\n"
		"normal exit 1\n"
		"limit nofile 10 20\n"
		"respawn\nexec /bin/base\n"
		"pre-start script\n  true\nend script\n";
	static const char over[] =
		"description \"override\"\n"
		"env B=3\nenv C=4\n"
		"export B\nemits ev2\n"
		"normal exit 2\n"
		"manual\n"
		"exec /bin/override\n";
	ParseError error = { 0, NULL };
	JobClass *base = parse_text(conf, &error);
	JobClass *c;
	char *s;

	assert_non_null(base);
	c = parse_job(base, "test", "/etc/init/test.conf", over, strlen(over), &error);
	assert_non_null(c);
	assert_ptr_not_equal(c, base);
	assert_int_equal(c->refs, 1);

	/* single-valued: replaced; cumulative: added; manual: start on gone */
	assert_string_equal(c->description, "override");
	assert_null(c->start_on);
	s = render(c, "stop on");
	assert_string_equal(s, "runlevel [!2345]");
	free(s);
	s = render(c, "env");
	assert_string_equal(s, "A=1|B=3|C=4");
	free(s);
	s = render(c, "export");
	assert_string_equal(s, "A B");
	free(s);
	s = render(c, "emits");
	assert_string_equal(s, "ev1 ev2");
	free(s);
	s = render(c, "normal exit");
	assert_string_equal(s, "1,2");
	free(s);
	s = render(c, "limit nofile");
	assert_string_equal(s, "10 20");
	free(s);
	assert_true(c->respawn);
	assert_string_equal(c->process[PROCESS_MAIN].command, "/bin/override");
	assert_string_equal(c->process[PROCESS_PRE_START].command, "true\n");
	assert_true(c->process[PROCESS_PRE_START].script);

	/* The base is untouched. */
	assert_string_equal(base->description, "base");
	assert_non_null(base->start_on);
	s = render(base, "env");
	assert_string_equal(s, "A=1|B=2");
	free(s);
	assert_int_equal(base->nnormal_exit, 1);
	assert_string_equal(base->process[PROCESS_MAIN].command, "/bin/base");
	job_class_unref(c);

	/* A broken override yields nothing and leaves the base alone. */
	c = parse_job(base, "test", NULL, "env X=1\nnice 99\n", 16, &error);
	assert_null(c);
	assert_string_equal(error.message, "Illegal nice value, expected -20 to 19");
	assert_int_equal(error.line, 2);
	s = render(base, "env");
	assert_string_equal(s, "A=1|B=2");
	free(s);

	/* An override of nothing but `manual` (the canonical use). */
	c = parse_job(base, "test", NULL, "manual\n", 7, &error);
	assert_non_null(c);
	assert_null(c->start_on);
	assert_non_null(c->stop_on);
	assert_true(c->respawn);
	job_class_unref(c);
	job_class_unref(base);
}

/* ---- the corpus ---- */

static char *
read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long size;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	size = ftell(f);
	assert_true(size >= 0);
	rewind(f);
	buf = malloc((size_t)size + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)size, f), (size_t)size);
	fclose(f);
	buf[size] = '\0';
	*len = (size_t)size;
	return buf;
}

static const char *
corpus_dir(void)
{
	const char *dir = getenv("UPINIT_CORPUS");

	return dir && *dir ? dir : "tests/corpus/upstart-jobs";
}

/* Calls fn for every *.conf in the corpus; returns how many. */
static size_t
corpus_each(void (*fn)(const char *name, const char *text, size_t len, void *data),
	    void *data)
{
	DIR *d = opendir(corpus_dir());
	struct dirent *de;
	size_t n = 0;

	if (!d)
		fail_msg("cannot open corpus %s: %s", corpus_dir(), strerror(errno));
	while ((de = readdir(d))) {
		size_t nlen = strlen(de->d_name), len;
		char *path, *text;

		if (nlen < 6 || strcmp(de->d_name + nlen - 5, ".conf"))
			continue;
		assert_true(asprintf(&path, "%s/%s", corpus_dir(), de->d_name) > 0);
		text = read_file(path, &len);
		fn(de->d_name, text, len, data);
		free(text);
		free(path);
		n++;
	}
	closedir(d);
	return n;
}

static void
corpus_parses(const char *name, const char *text, size_t len, void *data)
{
	ParseError error = { 0, NULL };
	JobClass *c = parse_job(NULL, name, name, text, len, &error);

	if (!c)
		fail_msg("%s:%zu: %s", name, error.line, error.message);
	job_class_unref(c);
}

static void
test_corpus(void **state)
{
	assert_true(corpus_each(corpus_parses, NULL) >= 50);
}

static JobClass *
parse_corpus_file(const char *file)
{
	ParseError error = { 0, NULL };
	char *path, *text;
	size_t len;
	JobClass *c;

	assert_true(asprintf(&path, "%s/%s", corpus_dir(), file) > 0);
	text = read_file(path, &len);
	c = parse_job(NULL, file, path, text, len, &error);
	if (!c)
		fail_msg("%s:%zu: %s", file, error.line, error.message);
	free(text);
	free(path);
	return c;
}

static const struct {
	const char *file;
	const char *field;
	const char *expected;
} corpus_fields[] = {
	{ "rc.conf", "stop on", "runlevel [!$RUNLEVEL]" },
	{ "rc.conf", "export", "RUNLEVEL PREVLEVEL" },
	{ "rc.conf", "console", "output" },
	{ "rc.conf", "env", "INIT_VERBOSE" },
	{ "networking.conf", "start on",
	  "(((local-filesystems and (stopped udevtrigger or container)) or runlevel [2345])"
	  " or stopped networking RESULT=failed PROCESS=post-stop EXIT_STATUS=100)" },
	{ "plymouth-splash.conf", "start on",
	  "(started plymouth and ((graphics-device-added PRIMARY_DEVICE_FOR_DISPLAY=1"
	  " or drm-device-added PRIMARY_DEVICE_FOR_DISPLAY=1) or stopped udev-fallback-graphics))" },
	{ "console.conf", "start on", "(stopped rc RUNLEVEL=[2345] and container CONTAINER=lxc)" },
	{ "container-detect.conf", "env", "container|LIBVIRT_LXC_UUID" },
	{ "container-detect.conf", "emits", "container not-container" },
	{ "control-alt-delete.conf", "exec", "exec:shutdown -r now \"Control-Alt-Delete pressed\"" },
	{ "cron.conf", "expect", "fork" },
	{ "rcS.conf", "console", "owner" },
	{ "network-interface.conf", "instance", "$INTERFACE" },
};

static void
test_corpus_fields(void **state)
{
	for (size_t i = 0; i < COUNT(corpus_fields); i++) {
		JobClass *c = parse_corpus_file(corpus_fields[i].file);
		char *got = render(c, corpus_fields[i].field);

		if (strcmp(got, corpus_fields[i].expected))
			fail_msg("%s: %s is \"%s\", want \"%s\"", corpus_fields[i].file,
				 corpus_fields[i].field, got, corpus_fields[i].expected);
		free(got);
		job_class_unref(c);
	}
}

/* ---- hostile input ---- */

/* A small deterministic PRNG (xorshift) so failures reproduce. */
static uint32_t
next_random(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static void
assert_parse_ends(const char *text, size_t len)
{
	ParseError error = { 0, NULL };
	JobClass *c = parse_job(NULL, "h", NULL, text, len, &error);

	if (c)
		job_class_unref(c);
	else
		assert_non_null(error.message);
}

static void
test_random_bytes(void **state)
{
	const size_t len = 10 * 1024 * 1024;
	char *text = malloc(len);
	uint32_t seed = 12345;

	assert_non_null(text);
	for (size_t i = 0; i < len; i++)
		text[i] = (char)(next_random(&seed) & 0xff);
	assert_parse_ends(text, len);
	/* Printable noise without NULs gets further into the lexer. */
	for (size_t i = 0; i < len; i++)
		text[i] = (char)(" \t\n\"'\\#()abc=$"[next_random(&seed) % 15]);
	assert_parse_ends(text, len);
	free(text);
}

/* Ten megabytes of distinct `env` keys: linear, not quadratic. */
static void
test_big_file(void **state)
{
	const size_t target = 10 * 1024 * 1024;
	char *text = malloc(target + 64);
	size_t len = 0, n = 0;
	ParseError error = { 0, NULL };
	JobClass *c;
	clock_t start = clock();

	assert_non_null(text);
	while (len < target)
		len += (size_t)sprintf(text + len, "env K%zu=v\n", n++);
	c = parse_job(NULL, "big", NULL, text, len, &error);
	assert_non_null(c);
	assert_int_equal(c->env.len, n);
	job_class_unref(c);

	/* And a long script block, and a huge `emits` line. */
	len = (size_t)sprintf(text, "script\n");
	while (len < target)
		len += (size_t)sprintf(text + len, "  echo %zu\n", len);
	len += (size_t)sprintf(text + len, "end script\n");
	c = parse_job(NULL, "big", NULL, text, len, &error);
	assert_non_null(c);
	job_class_unref(c);

	len = (size_t)sprintf(text, "emits");
	while (len < target / 5)
		len += (size_t)sprintf(text + len, " e");
	text[len++] = '\n';
	c = parse_job(NULL, "big", NULL, text, len, &error);
	assert_non_null(c);
	assert_true(c->nemits > 1000000 / 2);
	job_class_unref(c);
	free(text);
	assert_true((clock() - start) / CLOCKS_PER_SEC < 60);
}

static void
test_deep_parentheses(void **state)
{
	const size_t depth = 100000;
	char *text = malloc(2 * depth + 32);
	ParseError error = { 0, NULL };
	size_t len = 0;
	JobClass *c;

	assert_non_null(text);
	len += (size_t)sprintf(text, "start on ");
	memset(text + len, '(', depth);
	len += depth;
	text[len++] = 'a';
	memset(text + len, ')', depth);
	len += depth;
	text[len++] = '\n';
	c = parse_job(NULL, "deep", NULL, text, len, &error);
	assert_non_null(c);
	assert_string_equal(c->start_on->name, "a");
	job_class_unref(c);

	/* Unbalanced: the rest of the file is read looking for ")". */
	text[len - 2] = '\n';
	assert_null(parse_job(NULL, "deep", NULL, text, len - 1, &error));
	assert_string_equal(error.message, "Mismatched parentheses");

	/* Deeply nested operators are refused cleanly. */
	len = (size_t)sprintf(text, "start on ");
	for (size_t i = 0; i < 20000; i++)
		len += (size_t)sprintf(text + len, "(a or ");
	text[len++] = 'b';
	memset(text + len, ')', 20000);
	len += 20000;
	text[len++] = '\n';
	assert_null(parse_job(NULL, "deep", NULL, text, len, &error));
	assert_string_equal(error.message, "Expression nested too deeply");
	assert_int_equal(error.line, 1);
	free(text);
}

static void
test_unterminated_at_eof(void **state)
{
	static const char *const texts[] = {
		"description \"", "exec '", "script\n  echo", "script\n", "start on (",
		"start on (a or", "\\", "exec \\", "env A=\"b", "pre-stop script",
	};
	ParseError error;

	for (size_t i = 0; i < COUNT(texts); i++) {
		error.message = NULL;
		assert_null(parse_text(texts[i], &error));
		assert_non_null(error.message);
	}
}

/* Mutate every corpus file at random places many times: whatever the
 * result, parsing must end cleanly (run under ASan for the real check). */
static void
mutate_and_parse(const char *name, const char *text, size_t len, void *data)
{
	uint32_t *seed = data;
	char *copy = malloc(len + 1);

	assert_non_null(copy);
	for (int round = 0; round < 200; round++) {
		memcpy(copy, text, len);
		for (int k = 0; k < 4 && len; k++) {
			size_t at = next_random(seed) % len;

			copy[at] = (char)("\"'\\#()\n \tx=$"[next_random(seed) % 13]);
		}
		assert_parse_ends(copy, len - (next_random(seed) % (len / 4 + 1)));
	}
	free(copy);
}

static void
test_corpus_mutations(void **state)
{
	uint32_t seed = 2463534242u;

	corpus_each(mutate_and_parse, &seed);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_nul_byte),
		cmocka_unit_test(test_job_class),
		cmocka_unit_test(test_signals),
		cmocka_unit_test(test_empty_conf),
		cmocka_unit_test(test_override),
		cmocka_unit_test(test_corpus),
		cmocka_unit_test(test_corpus_fields),
		cmocka_unit_test(test_random_bytes),
		cmocka_unit_test(test_big_file),
		cmocka_unit_test(test_deep_parentheses),
		cmocka_unit_test(test_unterminated_at_eof),
		cmocka_unit_test(test_corpus_mutations),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
