/* log — init's messages.  See log.h. */
#include "init/log.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static LogPriority min_priority = LOG_PRIO_MESSAGE;
static int kmsg_fd = -1;
static const char *program = "init";

static const char *const names[] = {
	[LOG_PRIO_DEBUG] = "debug", [LOG_PRIO_INFO] = "info",
	[LOG_PRIO_MESSAGE] = "message", [LOG_PRIO_WARN] = "warn",
	[LOG_PRIO_ERROR] = "error", [LOG_PRIO_FATAL] = "fatal",
};

/* Kernel log levels for each priority, as Upstart writes them. */
static const int kmsg_levels[] = { 7, 6, 5, 4, 3, 2 };

void        log_set_priority(LogPriority prio) { min_priority = prio; }
LogPriority log_get_priority(void)             { return min_priority; }
void        log_set_program(const char *name)  { program = name; }

int
log_priority_parse(const char *name)
{
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(names[i], name) == 0)
			return (int)i;
	return -1;
}

const char *
log_priority_name(LogPriority prio)
{
	return prio <= LOG_PRIO_FATAL ? names[prio] : "unknown";
}

void
log_use_kmsg(int enable)
{
	if (enable && kmsg_fd < 0)
		kmsg_fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC | O_NOCTTY);
	else if (!enable && kmsg_fd >= 0) {
		close(kmsg_fd);
		kmsg_fd = -1;
	}
}

void
log_msg(LogPriority prio, const char *fmt, ...)
{
	char text[1024];
	char line[1100];
	va_list ap;
	int n;

	if (prio < min_priority)
		return;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);

	/* One write per message so lines from init never interleave. */
	if (kmsg_fd >= 0) {
		n = snprintf(line, sizeof line, "<%d>%s: %s\n", kmsg_levels[prio],
			     program, text);
		if (write(kmsg_fd, line, (size_t)n) == n)
			return;
	}
	n = snprintf(line, sizeof line, "%s: %s\n", program, text);
	if (n > (int)sizeof line - 1)
		n = (int)sizeof line - 1;
	if (write(STDERR_FILENO, line, (size_t)n) < 0)
		return;
}
