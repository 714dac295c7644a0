/* help — see help.h. */
#include "initctl/help.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "lib/cli.h"
#include "initctl/messages.h"

/* Where descriptions start, and the last column a label may reach before
 * its description moves to the next line (libnih's layout). */
#define HELP_COLUMN      30
#define HELP_LABEL_LIMIT 28
/* libnih never wraps narrower than this many screen columns. */
#define HELP_MIN_SCREEN  50

#define COPYRIGHT "Copyright (C) 2026 upinit developers"
#define WARRANTY \
	"This is free software; see the source for copying conditions.  " \
	"There is NO warranty; not even for MERCHANTABILITY or FITNESS FOR " \
	"A PARTICULAR PURPOSE."

/* $COLUMNS when it is a plain number, else the terminal, else 80. */
size_t
help_screen_width(void)
{
	const char    *columns = getenv("COLUMNS");
	struct winsize ws;
	char          *end;
	unsigned long  n;

	if (columns != NULL) {
		n = strtoul(columns, &end, 10);
		if (*end == '\0' && n > 0)
			return n;
	}
	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0
	    && ws.ws_col > 0)
		return ws.ws_col;
	return 80;
}

/* Make room for `extra` bytes after position `at` in the NUL-terminated
 * *buf of length *len (moving the tail up); false when out of memory. */
static bool
open_gap(char **buf, size_t *len, size_t at, size_t extra)
{
	char *grown = realloc(*buf, *len + extra + 1);

	if (grown == NULL)
		return false;
	memmove(grown + at + extra, grown + at, *len - at + 1);
	*buf = grown;
	*len += extra;
	return true;
}

/* Wrap as libnih's nih_str_wrap does: a blank past the width becomes the
 * line break; a word running past it breaks at the line's last blank, or
 * is cut where it overflows when it has none; existing newlines are kept.
 * Each break is followed by `indent` spaces, which count as columns. */
char *
help_wrap(const char *text, size_t width, size_t indent)
{
	char  *buf = strdup(text);
	size_t len = strlen(text), col = 0, blank = 0;

	for (size_t i = 0; buf != NULL && i < len; i++) {
		bool cut_word = false;

		if (strchr(" \t\r", buf[i]) != NULL) {
			buf[i] = ' ';
			blank = i;
			if (++col <= width)
				continue;
		} else if (buf[i] != '\n') {
			if (++col <= width)
				continue;
			if (blank != 0)
				i = blank;
			else
				cut_word = true;
		}
		/* Break at i: a cut word keeps its letter, moved past the
		 * newline; otherwise the blank or newline at i is replaced. */
		if (!open_gap(&buf, &len, cut_word ? i : i + 1, indent + cut_word)) {
			free(buf);
			return NULL;
		}
		buf[i] = '\n';
		memset(buf + i + 1, ' ', indent);
		i += indent;
		col = indent;
		blank = 0;
	}
	return buf;
}

/* Print `label` (its width is `len`) and `text` in the description
 * column, wrapped into `width` columns. */
static void
print_row(const char *label, const char *text, size_t width)
{
	size_t len = strlen(label);
	char  *wrapped = help_wrap(text, width, 2);
	const char *p = wrapped != NULL ? wrapped : text;

	fputs(label, stdout);
	while (*p != '\0') {
		size_t n = strcspn(p, "\n");

		if (len > HELP_LABEL_LIMIT) {
			putchar('\n');
			len = 0;
		}
		printf("%*s%.*s\n", (int)(HELP_COLUMN - len), "", (int)n, p);
		len = 0;
		p += n;
		if (*p == '\n')
			p++;
	}
	free(wrapped);
}

/* Print `text` wrapped to the screen and a newline. */
static void
print_paragraph(const char *text)
{
	char *wrapped = help_wrap(text, help_screen_width() - 1, 0);

	printf("%s\n", wrapped != NULL ? wrapped : text);
	free(wrapped);
}

/* The screen width left for descriptions once `used` columns are taken. */
static size_t
description_width(size_t used)
{
	size_t screen = help_screen_width();

	return (screen > HELP_MIN_SCREEN ? screen : HELP_MIN_SCREEN) - used;
}

/* One row per documented option of `table` and the tables it includes,
 * in order; options without help text (--debug) stay hidden. */
static void
print_option_rows(const struct poptOption *table)
{
	for (const struct poptOption *opt = table;
	     opt->longName != NULL || opt->shortName != '\0' || opt->argInfo != 0;
	     opt++) {
		char label[128];

		if ((opt->argInfo & POPT_ARG_MASK) == POPT_ARG_INCLUDE_TABLE) {
			print_option_rows(opt->arg);
			continue;
		}
		if (opt->descrip == NULL)
			continue;
		cli_option_label(opt, label, sizeof(label));
		print_row(label, opt->descrip, description_width(HELP_COLUMN + 1));
	}
}

/* The "Options:" section. */
static void
print_options(const struct poptOption *table)
{
	printf("Options:\n");
	print_option_rows(table);
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
	print_paragraph(spec->synopsis);
	printf("\n");
	print_options(spec->options);
	if (spec->help != NULL)
		print_paragraph(spec->help);
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
		print_row(label, spec->synopsis, description_width(HELP_COLUMN));
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

/* `--version`: libnih prints "PROG (PACKAGE VERSION)", or just
 * "PACKAGE VERSION" when the program is called like the package. */
void
help_print_version(void)
{
	if (strcmp(msg_program(), "upstart") == 0)
		printf("upstart %s\n", UPINIT_VERSION);
	else
		printf("%s (upstart %s)\n", msg_program(), UPINIT_VERSION);
	printf("%s\n\n", COPYRIGHT);
	print_paragraph(WARRANTY);
}
