/* help — the texts initctl prints itself: --help, `help`, --version.
 *
 * Laid out the way libnih lays them out (usage line, wrapped synopsis,
 * options in a column starting at 30, commands grouped by section),
 * wrapped to $COLUMNS, the terminal's width, or 80.  Everything goes to
 * stdout; none of it needs the daemon.
 */
#ifndef UPINIT_INITCTL_HELP_H
#define UPINIT_INITCTL_HELP_H

#include <stdbool.h>
#include <stddef.h>

#include "initctl/commands.h"

/* `initctl --help`. */
void   help_print_main(void);
/* `initctl COMMAND --help`, or `COMMAND --help` when run by the command's
 * name (`by_name`, the job links). */
void   help_print_command(const CommandSpec *spec, bool by_name);
/* `initctl help`: the commands grouped by section. */
void   help_print_commands(void);
/* `--version`. */
void   help_print_version(void);

/* The width text is wrapped to: $COLUMNS, else the terminal's, else 80. */
size_t help_screen_width(void);
/* A copy of `text` with newlines put in so no line is wider than `width`,
 * breaking at the last blank where there is one; lines after the first
 * get `indent` spaces.  Caller frees; NULL when out of memory. */
char  *help_wrap(const char *text, size_t width, size_t indent);

#endif
