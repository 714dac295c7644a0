/* lsb_header — the LSB comment block of an init script.
 *
 *   ### BEGIN INIT INFO
 *   # Provides:          ssh sshd
 *   # Required-Start:    $remote_fs $syslog
 *   # Default-Start:     2 3 4 5
 *   # X-Interactive:     true
 *   # Description:       first line
 *   #                    continued (a '#' then a tab or two blanks)
 *   ### END INIT INFO
 *
 * Only the first block counts; a block without its END line counts up to
 * the end of the text.  Keywords are matched without regard to case, as
 * insserv does; unknown keywords (X-Foo, Description) are skipped.
 * Values are words separated by blanks.  Runlevels of Default-Start and
 * Default-Stop are kept as the characters "0123456S" in that order, each
 * once ("s" is S; anything else is left out).  X-Interactive is true only
 * when its value is "true" (any case).
 *
 * The parser reads no file and runs nothing: init's rc runner, tests and
 * the fuzzer share it.
 *
 * Ownership: an LsbHeader owns its lists and strings; lsb_header_free()
 * releases them and leaves an empty header.
 */
#ifndef UPINIT_LSB_HEADER_H
#define UPINIT_LSB_HEADER_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/strlist.h"

/* "0123456S" and a NUL. */
#define LSB_LEVELS_MAX 9

typedef struct lsb_header {
	bool     found;             /* the BEGIN line was there */
	StrList  provides;
	StrList  required_start, required_stop;
	StrList  should_start, should_stop;
	StrList  start_before;      /* X-Start-Before */
	StrList  stop_after;        /* X-Stop-After */
	char     default_start[LSB_LEVELS_MAX];
	char     default_stop[LSB_LEVELS_MAX];
	bool     interactive;       /* X-Interactive: true */
	char    *short_description; /* or NULL */
} LsbHeader;

#define LSB_HEADER_INIT { 0 }

/* Parse `text` (`len` bytes, need not be NUL-terminated) into `h`, which
 * must be empty.  Returns 0 (h->found tells whether there was a block),
 * or -1 when out of memory (h is then emptied). */
int  lsb_header_parse(const char *text, size_t len, LsbHeader *h);
void lsb_header_free(LsbHeader *h);

/* Does `levels` (as in default_start) hold level `c`? */
bool lsb_levels_have(const char *levels, char c);

#endif
