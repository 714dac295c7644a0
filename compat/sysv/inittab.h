/* inittab — a parser for sysvinit's /etc/inittab (docs/compatibility.md).
 *
 * inittab_parse() turns the text of one file into entries, a default
 * runlevel and messages; it reads no files and runs nothing, so init, the
 * tools and the fuzzer share it.  Lines are `id:runlevels:action:process`;
 * leading blanks are skipped, `#` after them starts a comment, blank lines
 * are ignored.  The rules are sysvinit's (read_inittab):
 *
 *   - id: 1 to 4 characters, unique (`~~` may repeat).  A repeated id is
 *     reported and the later line skipped, except on `initdefault` lines,
 *     which start nothing and are read the way Upstart's rc-sysinit reads
 *     them (see default_level).
 *   - runlevels: at most 11 characters of 0-9, S, A, B, C (either case;
 *     anything else is reported and ignored).
 *   - action: one of the names below, in any case.
 *   - process: the rest of the line, colons included, kept raw; at most
 *     255 characters.  A leading `+` means no utmp/wtmp records; after it
 *     a leading `@` (sysvinit 3.x) means run without a shell.
 *
 * A line breaking a rule is reported as "FILE:LINE: message" (sysvinit's
 * wording where it has one) and skipped; everything else is kept.
 *
 * Ownership: inittab_parse() returns one Inittab that owns every string
 * in it; inittab_free() releases all of it.
 */
#ifndef UPINIT_INITTAB_H
#define UPINIT_INITTAB_H

#include <stdbool.h>
#include <stddef.h>

#define INITTAB_PATH           "/etc/inittab"
#define INITTAB_ID_MAX         4
#define INITTAB_RUNLEVELS_MAX  11
#define INITTAB_PROCESS_MAX    255
/* Messages kept per parse; one more line then says how many were not. */
#define INITTAB_MESSAGES_MAX   64

/* sysvinit's actions, with what each means there. */
typedef enum inittab_action {
	INITTAB_RESPAWN,       /* in its levels; restarted when it exits */
	INITTAB_WAIT,          /* once on entering its levels; init waits */
	INITTAB_ONCE,          /* once on entering its levels */
	INITTAB_BOOT,          /* once at boot, after sysinit; levels ignored */
	INITTAB_BOOTWAIT,      /* as boot, and init waits */
	INITTAB_ONDEMAND,      /* on `telinit a|b|c` naming one of its levels;
				* respawned like respawn; no level change */
	INITTAB_POWERWAIT,     /* power failing (F); init waits */
	INITTAB_POWERFAIL,     /* power failing (F); no wait */
	INITTAB_POWEROKWAIT,   /* power back (O); init waits */
	INITTAB_POWERFAILNOW,  /* UPS battery almost empty (L); init waits */
	INITTAB_CTRLALTDEL,    /* SIGINT from the kernel; init waits */
	INITTAB_KBREQUEST,     /* SIGWINCH (KeyboardSignal) */
	INITTAB_INITDEFAULT,   /* names the default runlevel; runs nothing */
	INITTAB_SYSINIT,       /* first thing at boot; init waits; levels
				* ignored */
	INITTAB_OFF,           /* does nothing */
} InittabAction;

#define INITTAB_N_ACTIONS (INITTAB_OFF + 1)

/* What init should make of an entry. */
typedef enum inittab_role {
	INITTAB_ROLE_PLAIN,    /* run it as a job with its action's meaning */
	INITTAB_ROLE_RCS,      /* /etc/init.d/rcS: rc-sysinit runs that */
	INITTAB_ROLE_RC,       /* /etc/init.d/rc N: the rc job runs that */
	INITTAB_ROLE_GETTY,    /* a getty or a login on `tty` */
} InittabRole;

typedef struct inittab_entry {
	unsigned      line;
	char          id[INITTAB_ID_MAX + 1];
	char          runlevels[INITTAB_RUNLEVELS_MAX + 1];   /* as written */
	/* The levels it applies in, as sysvinit reads the field: upper-cased,
	 * unknown characters left out; an empty field means "0123456789"
	 * ("S0123456789" for the power actions and ctrlaltdel); "" for
	 * sysinit, boot and bootwait, which ignore it. */
	char          levels[16];
	InittabAction action;
	char         *process;     /* the field as written, maybe "" */
	const char   *command;     /* inside `process`, after `+` and `@` */
	bool          no_utmp;     /* leading `+` */
	bool          no_shell;    /* `@` */
	InittabRole   role;
	char          rc_level;    /* INITTAB_ROLE_RC: '0'-'6' or 'S' */
	char         *tty;         /* INITTAB_ROLE_GETTY: "tty1", "ttyS0" */
} InittabEntry;

typedef struct inittab_message {
	unsigned  line;
	bool      error;    /* the line was skipped; false: a warning */
	char     *text;     /* "FILE:LINE: message" */
} InittabMessage;

typedef struct inittab {
	InittabEntry   *entries;     /* in file order */
	size_t          len;
	/* The default runlevel ('0'-'6' or 'S'), or 0 when none: the level
	 * of the LAST `initdefault` line whose runlevels field is exactly
	 * one of 0-6, s, S — what rc-sysinit's sed takes.  Other
	 * initdefault lines are reported and change nothing. */
	char            default_level;
	unsigned        default_line;
	InittabMessage *messages;
	size_t          n_messages;
	size_t          n_errors;    /* lines skipped (all, not only kept) */
	size_t          n_warnings;
} Inittab;

/* Parse `len` bytes of inittab text; `file` names it in messages (NULL:
 * INITTAB_PATH).  The text need not be NUL-terminated and may hold
 * anything; a line with a NUL byte is reported and skipped.  Returns NULL
 * only when memory runs out (errno ENOMEM). */
Inittab            *inittab_parse(const char *text, size_t len,
				  const char *file);
void                inittab_free(Inittab *tab);

/* The entry with `id`, or NULL. */
const InittabEntry *inittab_find(const Inittab *tab, const char *id);
/* The entry that puts a getty or login on `tty` ("tty1" or "/dev/tty1"),
 * in any runlevel, or NULL: a shipped tty job stands aside for it, so no
 * tty ever gets two gettys. */
const InittabEntry *inittab_tty_entry(const Inittab *tab, const char *tty);
/* True when `entry` applies in runlevel `level` (either case). */
bool                inittab_entry_in_level(const InittabEntry *entry,
					   char level);

/* "respawn", ...; NULL for a value outside the enum. */
const char         *inittab_action_name(InittabAction action);
/* The action for `name` in any case, or -1. */
int                 inittab_action_parse(const char *name);
/* True for actions init waits for before going on (wait, bootwait,
 * sysinit, powerwait, powerfailnow, powerokwait, ctrlaltdel). */
bool                inittab_action_waits(InittabAction action);

#endif
