/* shutdown_plan — see shutdown_plan.h. */
#include "telinit/shutdown_plan.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- target ------------------------------------------------------------- */

void
shutdown_target_init(ShutdownTarget *target)
{
	*target = (ShutdownTarget){ .level = '1', .halt = NULL };
}

void
shutdown_target_flag(ShutdownTarget *target, char flag)
{
	switch (flag) {
	case 'r':
		target->level = '6';
		target->halt = NULL;
		break;
	case 'h':
		target->level = '0';
		break;
	case 'H':
		target->level = '0';
		target->halt = "HALT";
		break;
	case 'P':
		target->level = '0';
		target->halt = "POWEROFF";
		break;
	default:
		break;
	}
}

bool
shutdown_target_level(ShutdownTarget *target, const char *arg)
{
	if (arg == NULL || arg[0] == '\0' || arg[1] != '\0'
	    || strchr("0156aAbBcCsS", arg[0]) == NULL)
		return false;
	target->level = arg[0];
	if (arg[0] != '0')
		target->halt = NULL;
	return true;
}

const char *
shutdown_target_halt(const ShutdownTarget *target)
{
	return target->level == '0' ? target->halt : NULL;
}

/* ---- time --------------------------------------------------------------- */

/* A run of decimal digits at *p, at most `max`; advances *p.  False for
 * no digits or a value over `max`. */
static bool
read_number(const char **p, long max, long *value)
{
	const char *s = *p;
	long        n = 0;

	if (*s < '0' || *s > '9')
		return false;
	for (; *s >= '0' && *s <= '9'; s++) {
		n = n * 10 + (*s - '0');
		if (n > max)
			return false;
	}
	*p = s;
	*value = n;
	return true;
}

/* "HH:MM" at `s`: on the clock, or relative after a '+'. */
static int
parse_clock(const char *s, bool relative, const struct tm *now,
	    long *minutes, const char **error)
{
	long hours, mins, delay;

	if (!read_number(&s, relative ? SHUTDOWN_MAX_MINUTES / 60 : 23, &hours)
	    || *s++ != ':') {
		*error = "illegal hour value";
		return -1;
	}
	if (!read_number(&s, 59, &mins) || *s != '\0') {
		*error = "illegal minute value";
		return -1;
	}
	if (relative) {
		delay = hours * 60 + mins;
		if (delay > SHUTDOWN_MAX_MINUTES) {
			*error = "illegal hour value";
			return -1;
		}
	} else {
		delay = hours * 60 + mins - (now->tm_hour * 60L + now->tm_min);
		if (delay < 0)
			delay += 24 * 60;
	}
	*minutes = delay;
	return 0;
}

int
shutdown_time_parse(const char *when, const struct tm *now, long *minutes,
		    const char **error)
{
	bool relative = false;
	long n;

	if (strcmp(when, "now") == 0) {
		*minutes = 0;
		return 0;
	}
	if (*when == '+') {
		relative = true;
		when++;
	}
	if (strchr(when, ':') != NULL)
		return parse_clock(when, relative, now, minutes, error);
	if (!read_number(&when, SHUTDOWN_MAX_MINUTES, &n) || *when != '\0') {
		*error = "illegal time value";
		return -1;
	}
	*minutes = n;
	return 0;
}

/* ---- warnings ----------------------------------------------------------- */

bool
shutdown_need_warning(long minutes, ShutdownQuiet quiet)
{
	switch (quiet) {
	case SHUTDOWN_QUIET_ALL:
		return false;
	case SHUTDOWN_QUIET_SOME:
		return minutes == 10 || minutes == 5
			|| (minutes > 0 && minutes % 60 == 0);
	default:
		if (minutes < 10)
			return true;
		if (minutes < 60)
			return minutes % 15 == 0;
		if (minutes < 180)
			return minutes % 30 == 0;
		return minutes % 60 == 0;
	}
}

/* A string printed with `fmt`, or NULL. */
static char *
format(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *
format(const char *fmt, ...)
{
	va_list ap;
	char   *s;
	int     n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	return n < 0 ? NULL : s;
}

char *
shutdown_state_text(char level)
{
	switch (level) {
	case '0':
		return strdup("for system halt");
	case '6':
		return strdup("for reboot");
	case '1':
		return strdup("to maintenance mode");
	default:
		return format("to runlevel %c", level);
	}
}

char *
shutdown_message(char *const *words, size_t n)
{
	char   buf[SHUTDOWN_MESSAGE_MAX];
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		size_t wlen = strlen(words[i]);

		/* sysvinit keeps room for the space, "\r\n" and the NUL. */
		if (len + wlen + 4 > SHUTDOWN_MESSAGE_MAX)
			break;
		memcpy(buf + len, words[i], wlen);
		len += wlen;
		buf[len++] = ' ';
		buf[len] = '\0';
	}
	if (len > 0)
		memcpy(buf + len, "\r\n", 3);
	return strdup(buf);
}

char *
shutdown_warning_text(const char *message, const char *state, long minutes)
{
	if (minutes == 0)
		return format("%s\rThe system is going down %s NOW!\r\n",
			      message, state);
	return format("%s\rThe system is going DOWN %s in %ld minute%s!\r\n",
		      message, state, minutes, minutes == 1 ? "" : "s");
}

char *
shutdown_nologin_text(const char *message, time_t when)
{
	char date[64];

	if (ctime_r(&when, date) == NULL)
		strcpy(date, "\n");
	return format("\rThe system is going down on %s\r\n%s", date, message);
}
