/* shutdown_plan — the pure decisions of `shutdown`: where the system
 * goes, when, and what users are told on the way (shutdown(8)).
 *
 * Target.  -r reboots (runlevel 6), -h halts (0), neither goes to
 * maintenance mode (1).  -H and -P choose how runlevel 0 ends
 * (INIT_HALT=HALT or POWEROFF) and, with Upstart's leniency, imply -h on
 * their own.  The last of -r/-h/-H/-P decides the level, except that -h
 * after -H/-P keeps the halt type (sysvinit's `-P -h` means power off);
 * -r forgets it.  -i LEVEL (sysvinit) names the level directly.
 *
 * Time.  `now`, `M` or `+M` minutes, `HH:MM` on the 24-hour clock (the
 * next time it is that time, so a past time means tomorrow), `+HH:MM`
 * hours and minutes from now (sysvinit 3.x).  Errors are Upstart's words:
 * `illegal hour value`, `illegal minute value`, `illegal time value`.
 *
 * Warnings.  sysvinit's texts and schedule: every minute in the last 10,
 * every 15 under an hour, every 30 under three, hourly beyond; -q only at
 * 10 and 5 minutes and on the hour, -Q never (the final NOW message is
 * always sent).
 *
 * Strings returned by *_text() and shutdown_message() are the caller's
 * to free; NULL means out of memory.  Nothing here touches a file.
 */
#ifndef UPINIT_SHUTDOWN_PLAN_H
#define UPINIT_SHUTDOWN_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/* The longest delay accepted, in minutes: a year. */
#define SHUTDOWN_MAX_MINUTES (366L * 24 * 60)

/* sysvinit's cap on the message given after TIME, in bytes. */
#define SHUTDOWN_MESSAGE_MAX 256

typedef enum shutdown_quiet {
	SHUTDOWN_QUIET_NONE,
	SHUTDOWN_QUIET_SOME,   /* -q */
	SHUTDOWN_QUIET_ALL,    /* -Q */
} ShutdownQuiet;

typedef struct shutdown_target {
	char        level;   /* '1' by default; '0', '6', or -i's level */
	const char *halt;    /* NULL, "HALT" or "POWEROFF" (static strings) */
} ShutdownTarget;

/* Maintenance mode, no halt type. */
void        shutdown_target_init(ShutdownTarget *target);
/* Apply one of the flags 'r', 'h', 'H', 'P' (others are ignored). */
void        shutdown_target_flag(ShutdownTarget *target, char flag);
/* -i LEVEL: one of 0156aAbBcCsS (sysvinit's list).  False, and nothing
 * changed, for anything else. */
bool        shutdown_target_level(ShutdownTarget *target, const char *arg);
/* INIT_HALT for the target: the halt type when going to 0, else NULL. */
const char *shutdown_target_halt(const ShutdownTarget *target);

/* Parse TIME against the local time `now`.  Returns 0 with *minutes set,
 * or -1 with *error set to a static libnih-style message. */
int   shutdown_time_parse(const char *when, const struct tm *now,
			  long *minutes, const char **error);

/* True when a warning is due with `minutes` left. */
bool  shutdown_need_warning(long minutes, ShutdownQuiet quiet);

/* sysvinit's words for the target: "for system halt", "for reboot",
 * "to maintenance mode", "to runlevel X". */
char *shutdown_state_text(char level);

/* The words after TIME as sysvinit joins them: each followed by one
 * space, stopping before the word that would pass SHUTDOWN_MESSAGE_MAX,
 * then "\r\n"; "" when there are none. */
char *shutdown_message(char *const *words, size_t n);

/* MESSAGE + "\rThe system is going DOWN STATE in N minute(s)!\r\n", or
 * with 0 minutes MESSAGE + "\rThe system is going down STATE NOW!\r\n". */
char *shutdown_warning_text(const char *message, const char *state,
			    long minutes);

/* /etc/nologin: "\rThe system is going down on " + ctime(when) (which
 * ends in a newline) + "\r\n" + MESSAGE. */
char *shutdown_nologin_text(const char *message, time_t when);

#endif
