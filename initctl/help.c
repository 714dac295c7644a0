/* help — see help.h. */
#include "initctl/help.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/cli.h"
#include "initctl/messages.h"

/* The "Options:" section. */
static void
print_options(const struct poptOption *table)
{
	printf("Options:\n");
	cli_print_option_rows(table);
	printf("\n");
}

/* `initctl --help`. */
void
help_print_main(void)
{
	printf("Usage: %s [OPTION]... COMMAND [OPTION]... [ARG]...\n\n",
	       msg_program());
	print_options(options_global);
	printf("For a list of commands, try `%s help'.\n", msg_program());
}

/* `initctl COMMAND --help` / `COMMAND --help`. */
void
help_print_command(const CommandSpec *spec, bool by_name)
{
	printf("Usage: %s", msg_program());
	if (!by_name)
		printf(" %s", spec->name);
	printf(" [OPTION]...");
	if (spec->usage != NULL)
		printf(" %s", spec->usage);
	printf("\n");
	cli_print_paragraph(spec->synopsis);
	printf("\n");
	print_options(spec->options);
	if (spec->help != NULL)
		cli_print_paragraph(spec->help);
}

/* One section of `initctl help`, if any command belongs to it. */
static void
print_group(CommandGroup group)
{
	const char *title = command_group_title(group);
	bool        any = false;

	for (const CommandSpec *spec = command_table(); spec->name != NULL; spec++) {
		char label[64];

		if (spec->group != group)
			continue;
		if (!any)
			printf("%s commands:\n", title != NULL ? title : "Other");
		any = true;
		snprintf(label, sizeof(label), "  %s", spec->name);
		cli_print_row(label, spec->synopsis, false);
	}
	if (any)
		printf("\n");
}

/* `initctl help`. */
void
help_print_commands(void)
{
	for (CommandGroup group = GROUP_JOB; group <= GROUP_OTHER; group++)
		print_group(group);
	printf("For more information on a command, try `%s COMMAND --help'.\n",
	       msg_program());
}
