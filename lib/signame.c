/* signame — signal names.  See signame.h. */
#include "lib/signame.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

/* Names Upstart accepts that the C library no longer lists. */
static const struct {
	const char *name;
	int         signum;
} aliases[] = {
	{ "IOT", SIGABRT }, { "CLD", SIGCHLD }, { "POLL", SIGIO },
};

int
signal_from_name(const char *name)
{
	if (!strncmp(name, "SIG", 3))
		name += 3;
	for (int i = 1; i < NSIG; i++) {
		const char *abbrev = sigabbrev_np(i);

		if (abbrev && !strcmp(abbrev, name))
			return i;
	}
	for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
		if (!strcmp(aliases[i].name, name))
			return aliases[i].signum;
	return -1;
}

int
parse_signal(const char *name)
{
	int signum = signal_from_name(name);
	unsigned long n;
	char *end;

	if (signum > 0)
		return signum;
	errno = 0;
	n = strtoul(name, &end, 10);
	if (!errno && end != name && !*end && n > 0 && n < NSIG)
		return (int)n;
	return -1;
}

const char *
signal_name(int signum)
{
	if (signum <= 0 || signum >= NSIG)
		return NULL;
	return sigabbrev_np(signum);
}
