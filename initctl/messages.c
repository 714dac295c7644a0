/* messages — see messages.h. */
#include "messages.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char  *program_name = "initctl";
static MsgPriority  min_priority = MSG_MESSAGE;

/* Keep only the basename, as every message and the job links use it. */
void
msg_init(const char *argv0)
{
	const char *slash;

	if (argv0 == NULL || *argv0 == '\0')
		return;
	slash = strrchr(argv0, '/');
	program_name = slash != NULL ? slash + 1 : argv0;
}

/* The name messages are prefixed with. */
const char *
msg_program(void)
{
	return program_name;
}

/* Set the threshold chosen by -q / -v / --debug (last one wins). */
void
msg_set_priority(MsgPriority priority)
{
	min_priority = priority;
}

/* Print "PROG: " + formatted text + newline on stderr.  stdout is flushed
 * first so that output and errors interleave in order when both go to
 * one file. */
static void
vprefixed(const char *fmt, va_list ap)
{
	fflush(stdout);
	fprintf(stderr, "%s: ", program_name);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

/* An error message; errors are shown even with -q. */
void
msg_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprefixed(fmt, ap);
	va_end(ap);
}

/* libnih's hint after a command-line mistake. */
void
msg_suggest_help(void)
{
	fprintf(stderr, "Try `%s --help' for more information.\n", program_name);
}

/* An error about how the program was called, with the hint. */
void
msg_usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprefixed(fmt, ap);
	va_end(ap);
	msg_suggest_help();
}

/* Normal output (nih_message): suppressed by -q. */
void
msg_out(const char *line)
{
	if (min_priority > MSG_MESSAGE)
		return;
	fputs(line, stdout);
	fputc('\n', stdout);
}

/* Debug trace of what goes over the socket, for --debug. */
void
msg_debug(const char *fmt, ...)
{
	va_list ap;

	if (min_priority > MSG_DEBUG)
		return;
	va_start(ap, fmt);
	vprefixed(fmt, ap);
	va_end(ap);
}
