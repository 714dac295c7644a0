/* help — the texts initctl prints itself: --help and `help`.
 *
 * Laid out the way libnih lays them out (usage line, wrapped synopsis,
 * options in a column starting at 30, commands grouped by section), with
 * lib/cli.h's rows and paragraphs, wrapped as every tool's help is.
 * --version is cli_print_version().  Everything goes to stdout; none of
 * it needs the daemon.
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
#endif
