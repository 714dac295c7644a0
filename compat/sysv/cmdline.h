/* cmdline — the kernel command line as PID 1 and rc-sysinit read it.
 *
 * The text of /proc/cmdline is split into words the way the kernel splits
 * it (next_arg() in lib/cmdline.c): words are separated by white space
 * (and, for robustness, NUL bytes); a double quote toggles quoting
 * anywhere in a word, so `KEY="a b"` and `"a b"` are single words; the
 * quotes around a whole word or around a value are removed, quotes inside
 * are kept.  Each word is then classified, later words winning:
 *
 *   `0`-`6`                         default runlevel
 *   `S` `s` `single` `-s`           default runlevel 'S'
 *   `emergency` `-b`                emergency: sulogin before anything
 *   `auto` `-a`                     autoboot (sysvinit's AUTOBOOT=YES)
 *   `KEY=VALUE`                     environment: what the kernel may hand
 *                                   to init (Upstart keeps it in init's own
 *                                   environment); a later KEY replaces the
 *                                   value and keeps the first position.
 *                                   Module parameters (a `.` in KEY, such
 *                                   as `usbcore.autosuspend=1`) never reach
 *                                   init and are skipped.  Parameters the
 *                                   running kernel consumes itself
 *                                   (`root=`, `console=`, ...) depend on
 *                                   the kernel and are kept.
 *   `-...`, `--...`                 init options (`--verbose`, `--debug`,
 *                                   `--confdir=DIR`, ...), kept in order
 *                                   for the option parser; the value of
 *                                   `--confdir DIR` written as two words is
 *                                   an ordinary word and is not collected.
 *   `--`                            the end of kernel parameters: the
 *                                   kernel hands every later word to init
 *                                   as an argument, so runlevel words and
 *                                   options after it count as above but
 *                                   `KEY=VALUE` is ignored (not
 *                                   environment).
 *   anything else                   ignored (kernel parameters such as
 *                                   `ro`, `quiet`, `splash`).
 *
 * The words that set the runlevel, emergency or autoboot are not also
 * collected as options.  Whether `single` or `-b` should be honoured (not
 * when rc-sysinit comes back from single-user mode) is the caller's
 * decision.
 *
 * cmdline_parse() has no size limit: a command line of megabytes is parsed
 * in time linear in its length (up to a log factor for the environment).
 * cmdline_read() reads at most CMDLINE_READ_MAX bytes (the kernel's own
 * limit is a few KiB).
 *
 * Ownership: a Cmdline owns everything in it; cmdline_clear() frees it
 * all.  No global state; safe to use from any thread on distinct structs.
 */
#ifndef UPINIT_CMDLINE_H
#define UPINIT_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/environ.h"

#define CMDLINE_DEFAULT_PATH "/proc/cmdline"
#define CMDLINE_READ_MAX     ((size_t)16 << 20)

typedef struct cmdline {
	char    runlevel;   /* '0'-'6' or 'S'; '\0' when no word chose one */
	bool    emergency;  /* `emergency` or `-b` */
	bool    autoboot;   /* `auto` or `-a` */
	EnvList env;        /* KEY=VALUE words, in the order of first use */
	EnvList options;    /* words starting with `-`, in order; a plain
			     * NULL-terminated list (options.vars), not
			     * KEY=VALUE pairs */
} Cmdline;

#define CMDLINE_INIT { '\0', false, false, ENV_LIST_INIT, ENV_LIST_INIT }

void cmdline_init(Cmdline *cl);
/* Frees everything `cl` holds; it is then empty and reusable. */
void cmdline_clear(Cmdline *cl);

/* Parse `len` bytes of `text` (need not be NUL-terminated) into `cl`,
 * which is cleared first.  Returns 0, or -1 with errno ENOMEM leaving
 * `cl` empty. */
int  cmdline_parse(Cmdline *cl, const char *text, size_t len);

/* Read the file `path` (NULL: CMDLINE_DEFAULT_PATH) and parse it.
 * Returns 0, or -1 with errno from open/read (ENOENT, ...), EFBIG beyond
 * CMDLINE_READ_MAX, or ENOMEM; `cl` is then empty. */
int  cmdline_read(Cmdline *cl, const char *path);

#endif
