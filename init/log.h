/* log — init's messages.
 *
 * In user mode messages go to stderr as "init: TEXT"; as PID 1 to
 * /dev/kmsg as "<N>init: TEXT" (falling back to the console).  Only
 * messages at or above the current priority are written.
 */
#ifndef UPINIT_LOG_H
#define UPINIT_LOG_H

typedef enum log_priority {
	LOG_PRIO_DEBUG,
	LOG_PRIO_INFO,
	LOG_PRIO_MESSAGE,
	LOG_PRIO_WARN,
	LOG_PRIO_ERROR,
	LOG_PRIO_FATAL,
} LogPriority;

void        log_set_priority(LogPriority prio);
LogPriority log_get_priority(void);
/* "debug", "info", "message", "warn", "error", "fatal"; -1 when unknown. */
int         log_priority_parse(const char *name);
const char *log_priority_name(LogPriority prio);
/* Send messages to /dev/kmsg instead of stderr. */
void        log_use_kmsg(int enable);
void        log_set_program(const char *name);

void log_msg(LogPriority prio, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define log_debug(...)   log_msg(LOG_PRIO_DEBUG, __VA_ARGS__)
#define log_info(...)    log_msg(LOG_PRIO_INFO, __VA_ARGS__)
#define log_message(...) log_msg(LOG_PRIO_MESSAGE, __VA_ARGS__)
#define log_warn(...)    log_msg(LOG_PRIO_WARN, __VA_ARGS__)
#define log_error(...)   log_msg(LOG_PRIO_ERROR, __VA_ARGS__)

#endif
