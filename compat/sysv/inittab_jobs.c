/* inittab_jobs — inittab entries as job text.  See inittab_jobs.h. */
#include "sysv/inittab_jobs.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The runlevel characters of `levels` an event can carry (0-6, S). */
static void
event_levels(const char *levels, char *out, size_t size)
{
	size_t n = 0;

	for (const char *c = levels; *c && n + 1 < size; c++)
		if ((*c >= '0' && *c <= '6') || *c == 'S')
			out[n++] = *c;
	out[n] = '\0';
}

/* The ondemand letters of `levels` (a, b, c) in both cases. */
static void
ondemand_levels(const char *levels, char *out, size_t size)
{
	size_t n = 0;

	for (const char *c = levels; *c && n + 2 < size; c++) {
		if (*c >= 'A' && *c <= 'C') {
			out[n++] = *c;
			out[n++] = (char)(*c - 'A' + 'a');
		}
	}
	out[n] = '\0';
}

/* "start on …" / "stop on …" lines and the kind of job for an action;
 * false when the action runs nothing. */
static bool
action_lines(const InittabEntry *e, bool after_rc, char *buf, size_t size)
{
	char levels[16];
	static const char pwr[] = "start on power-status-changed PWRSTAT=";

	switch (e->action) {
	case INITTAB_RESPAWN:
	case INITTAB_ONCE:
	case INITTAB_WAIT:
		event_levels(e->levels, levels, sizeof levels);
		if (!*levels)
			return false;
		/* sysvinit runs the entries of a level in file order and
		 * waits at each `wait` line: after the rc line, an entry
		 * starts when rc has finished (a getty after the services;
		 * Debian's z6 sulogin only if rc 6 did not reboot). */
		snprintf(buf, size, "start on %s[%s]\nstop on runlevel [!%s]\n%s",
			 after_rc ? "stopped rc RUNLEVEL=" : "runlevel ", levels, levels,
			 e->action == INITTAB_RESPAWN ? "respawn\nrespawn limit 10 120\n" :
			 e->action == INITTAB_WAIT ? "task\n" : "");
		return true;
	case INITTAB_BOOT:
		snprintf(buf, size, "start on startup\n");
		return true;
	case INITTAB_BOOTWAIT:
	case INITTAB_SYSINIT:
		snprintf(buf, size, "start on startup\ntask\n");
		return true;
	case INITTAB_ONDEMAND:
		ondemand_levels(e->levels, levels, sizeof levels);
		if (!*levels)
			return false;
		snprintf(buf, size, "start on ondemand LEVEL=[%s]\nrespawn\nrespawn limit 10 120\n",
			 levels);
		return true;
	case INITTAB_POWERWAIT:
		snprintf(buf, size, "%sF\ntask\n", pwr);
		return true;
	case INITTAB_POWERFAIL:
		snprintf(buf, size, "%sF\n", pwr);
		return true;
	case INITTAB_POWERFAILNOW:
		snprintf(buf, size, "%sL\ntask\n", pwr);
		return true;
	case INITTAB_POWEROKWAIT:
		snprintf(buf, size, "%sO\ntask\n", pwr);
		return true;
	case INITTAB_CTRLALTDEL:
		snprintf(buf, size, "start on control-alt-delete\ntask\n");
		return true;
	case INITTAB_KBREQUEST:
		snprintf(buf, size, "start on keyboard-request\n");
		return true;
	case INITTAB_INITDEFAULT:
	case INITTAB_OFF:
		return false;
	}
	return false;
}

/* Debian's `~~:S:wait:/sbin/sulogin --force`: single-user mode is the
 * rcS job's, which runs sulogin itself; two would fight over the
 * console. */
static bool
is_single_user_sulogin(const InittabEntry *e)
{
	const char *cmd = e->command, *end, *base;

	if (strcmp(e->levels, "S") != 0 || !cmd)
		return false;
	end = cmd + strcspn(cmd, " \t");
	for (base = end; base > cmd && base[-1] != '/'; base--)
		;
	return (size_t)(end - base) == strlen("sulogin") && !strncmp(base, "sulogin", 7);
}

char *
inittab_job_text(const InittabEntry *e, bool after_rc)
{
	char lines[256], utmp[64] = "";
	char *text = NULL;

	errno = 0;
	if (e->role == INITTAB_ROLE_RCS || e->role == INITTAB_ROLE_RC ||
	    is_single_user_sulogin(e))
		return NULL;
	if (!e->command || !*e->command || !action_lines(e, after_rc, lines, sizeof lines))
		return NULL;
	/* `+` means no utmp records (sysvinit); gettys get their tty. */
	if (!e->no_utmp)
		snprintf(utmp, sizeof utmp, "utmp %s%s%s\n", e->id,
			 e->tty ? " " : "", e->tty ? e->tty : "");
	/* As sysvinit: the command line through the shell with exec, on
	 * the console. */
	if (asprintf(&text,
		     "# /etc/inittab line %u: %s\n"
		     "description \"inittab entry %s\"\n"
		     "%s"
		     "console output\n"
		     "%s"
		     "script\n"
		     "exec %s\n"
		     "end script\n",
		     e->line, inittab_action_name(e->action), e->id, lines, utmp,
		     e->command) < 0) {
		errno = ENOMEM;
		return NULL;
	}
	return text;
}

bool
inittab_job_same(const char *a, const char *b)
{
	const char *na = strchr(a, '\n'), *nb = strchr(b, '\n');

	if (!strncmp(a, "# ", 2) && na)
		a = na + 1;
	if (!strncmp(b, "# ", 2) && nb)
		b = nb + 1;
	return !strcmp(a, b);
}
