/* libFuzzer target: the kernel command line as PID 1 reads it
 * (compat/sysv/cmdline.h).
 *
 * Any bytes are a /proc/cmdline.  The parse must return 0 (only memory
 * can fail it) and obey the header: a runlevel of 0-6 or S when one was
 * chosen; every environment entry a KEY=VALUE with a non-empty KEY and no
 * `.` in the key (module parameters never reach init), each key once;
 * every option a word starting with `-`, none of them one of the words
 * that set the runlevel, emergency or autoboot.  Parsing the same bytes
 * again gives the same result, and clearing leaves nothing (leaks are
 * LeakSanitizer's to report).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sysv/cmdline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool
same_list(const EnvList *a, const EnvList *b)
{
	if (a->len != b->len)
		return false;
	for (size_t i = 0; i < a->len; i++)
		if (strcmp(a->vars[i], b->vars[i]))
			return false;
	return true;
}

static void
check(const Cmdline *cl)
{
	static const char *const consumed[] = { "-s", "-b", "-a" };

	if (cl->runlevel && !strchr("0123456S", cl->runlevel))
		abort();
	for (size_t i = 0; i < cl->env.len; i++) {
		const char *e = cl->env.vars[i];
		size_t klen = env_key_len(e);

		if (!env_is_assignment(e) || memchr(e, '.', klen))
			abort();
		for (size_t k = 0; k < i; k++)
			if (env_key_len(cl->env.vars[k]) == klen &&
			    !strncmp(cl->env.vars[k], e, klen))
				abort();
	}
	for (size_t i = 0; i < cl->options.len; i++) {
		const char *o = cl->options.vars[i];

		if (o[0] != '-')
			abort();
		for (size_t k = 0; k < sizeof consumed / sizeof consumed[0]; k++)
			if (!strcmp(o, consumed[k]))
				abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	Cmdline a = CMDLINE_INIT, b = CMDLINE_INIT;

	if (cmdline_parse(&a, (const char *)data, size) < 0)
		abort();
	check(&a);
	if (cmdline_parse(&b, (const char *)data, size) < 0 ||
	    a.runlevel != b.runlevel || a.emergency != b.emergency ||
	    a.autoboot != b.autoboot || !same_list(&a.env, &b.env) ||
	    !same_list(&a.options, &b.options))
		abort();
	cmdline_clear(&a);
	cmdline_clear(&b);
	if (a.env.len || a.options.len || a.runlevel)
		abort();
	return 0;
}
