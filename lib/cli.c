/* cli — see cli.h. */
#include "lib/cli.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

/* Where option descriptions start, and the widest label that still fits
 * before them on the same line (libnih's layout). */
#define HELP_COLUMN      30
#define HELP_LABEL_LIMIT 28

#define COPYRIGHT "Copyright (C) 2026 upinit developers"
#define WARRANTY \
	"This is free software; see the source for copying conditions.  " \
	"There is NO warranty; not even for MERCHANTABILITY or FITNESS FOR " \
	"A PARTICULAR PURPOSE."
/* libnih never wraps narrower than this many screen columns. */
#define HELP_MIN_SCREEN  50

static const char  *program_name = "upinit";
static CliPriority  min_priority = CLI_MESSAGE;

/* ---- messages ----------------------------------------------------------- */

/* Keep only the basename, as every message and the job links use it. */
void
cli_init(const char *argv0)
{
	const char *slash;

	if (argv0 == NULL || *argv0 == '\0')
		return;
	slash = strrchr(argv0, '/');
	program_name = slash != NULL ? slash + 1 : argv0;
}

/* The name messages are prefixed with. */
const char *
cli_program(void)
{
	return program_name;
}

/* Set the threshold chosen by -q / -v / --debug (last one wins). */
void
cli_set_priority(CliPriority priority)
{
	min_priority = priority;
}

CliPriority
cli_priority(void)
{
	return min_priority;
}

/* Print "PROG: " + formatted text + newline on stderr, after flushing
 * stdout so that output and errors interleave in order. */
static void
vprefixed(const char *fmt, va_list ap)
{
	fflush(stdout);
	fprintf(stderr, "%s: ", program_name);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

/* An error message; errors are shown even with -q. */
void
cli_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprefixed(fmt, ap);
	va_end(ap);
}

/* libnih's hint after a command-line mistake. */
void
cli_suggest_help(void)
{
	fprintf(stderr, "Try `%s --help' for more information.\n", program_name);
}

/* An error about how the program was called, with the hint. */
void
cli_usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprefixed(fmt, ap);
	va_end(ap);
	cli_suggest_help();
}

/* Normal output (nih_message): suppressed by -q. */
void
cli_out(const char *line)
{
	if (min_priority > CLI_MESSAGE)
		return;
	fputs(line, stdout);
	fputc('\n', stdout);
}

/* What the program is doing, for -v. */
void
cli_info(const char *fmt, ...)
{
	va_list ap;

	if (min_priority > CLI_INFO)
		return;
	va_start(ap, fmt);
	vprefixed(fmt, ap);
	va_end(ap);
}

/* Traces for --debug (what goes over the socket, ...). */
void
cli_debug(const char *fmt, ...)
{
	va_list ap;

	if (min_priority > CLI_DEBUG)
		return;
	va_start(ap, fmt);
	vprefixed(fmt, ap);
	va_end(ap);
}

/* ---- parsing ------------------------------------------------------------ */

/* True for the entry that ends a popt table. */
static bool
is_table_end(const struct poptOption *opt)
{
	return opt->longName == NULL && opt->shortName == '\0'
		&& opt->argInfo == 0;
}

/* The entry for short option `c` in `table` or the tables it includes. */
static const struct poptOption *
find_short(const struct poptOption *table, char c)
{
	for (const struct poptOption *opt = table; !is_table_end(opt); opt++) {
		const struct poptOption *found = NULL;

		if ((opt->argInfo & POPT_ARG_MASK) == POPT_ARG_INCLUDE_TABLE)
			found = find_short(opt->arg, c);
		else if (opt->shortName == c)
			found = opt;
		if (found != NULL)
			return found;
	}
	return NULL;
}

/* libnih names the one bad letter of a short-option cluster ("-nx" is
 * `invalid option: -x`); popt only knows the whole word, so walk it the
 * way libnih does: letters until one is unknown, stopping at a letter
 * that takes the rest of the word as its argument. */
static int
first_unknown_short(const struct poptOption *table, const char *word)
{
	for (const char *p = word + 1; *p != '\0'; p++) {
		const struct poptOption *opt = find_short(table, *p);

		if (opt == NULL)
			return (unsigned char)*p;
		if ((opt->argInfo & POPT_ARG_MASK) == POPT_ARG_STRING)
			break;
	}
	return -1;
}

/* Report an unknown option, or an argument given to a flag, as libnih
 * words it. */
static void
report_bad_option(const struct poptOption *table, const char *word, int rc)
{
	bool short_word = word[0] == '-' && word[1] != '-' && word[1] != '\0';
	int  c = short_word ? first_unknown_short(table, word) : -1;

	if (c >= 0)
		cli_usage_error("invalid option: -%c", c);
	else if (rc == POPT_ERROR_UNWANTEDARG)
		cli_usage_error("unexpected argument: %s", word);
	else
		cli_usage_error("invalid option: %s", word);
}

/* Translate a popt error code into libnih's message and hint. */
static void
report_popt_error(poptContext ctx, const struct poptOption *table, int rc)
{
	const char *word = poptBadOption(ctx, POPT_BADOPTION_NOALIAS);

	if (word == NULL)
		word = "";
	switch (rc) {
	case POPT_ERROR_BADOPT:
	case POPT_ERROR_UNWANTEDARG:
		report_bad_option(table, word, rc);
		break;
	case POPT_ERROR_NOARG:
		cli_usage_error("missing argument: %s", word);
		break;
	default:
		cli_usage_error("%s: %s", word, poptStrerror(rc));
		break;
	}
}

/* Environment variables that make popt stop at the first argument; libnih
 * ignores them, and honouring them would stop `start JOB -n` or
 * `shutdown now -r` working. */
static const char *const posix_vars[] = { "POSIXLY_CORRECT", "POSIX_ME_HARDER" };
#define N_POSIX_VARS (sizeof(posix_vars) / sizeof(*posix_vars))

/* A popt context over argv that ignores posix_vars (they are hidden while
 * popt reads them and put back afterwards). */
static poptContext
new_context(const struct poptOption *table, int argc, const char **argv,
	    bool stop_at_first_arg)
{
	char       *saved[N_POSIX_VARS];
	poptContext ctx;

	for (size_t i = 0; i < N_POSIX_VARS; i++) {
		const char *val = getenv(posix_vars[i]);

		saved[i] = val != NULL ? strdup(val) : NULL;
		unsetenv(posix_vars[i]);
	}
	ctx = poptGetContext(NULL, argc, argv, table,
			     stop_at_first_arg ? POPT_CONTEXT_POSIXMEHARDER : 0);
	for (size_t i = 0; i < N_POSIX_VARS; i++) {
		if (saved[i] != NULL)
			setenv(posix_vars[i], saved[i], 1);
		free(saved[i]);
	}
	return ctx;
}

/* Hand popt's leftover arguments (which it owns) to `on_arg`. */
static CliParseResult
collect_args(poptContext ctx, CliArgFn on_arg, void *data)
{
	const char **left = poptGetArgs(ctx);

	for (; left != NULL && *left != NULL; left++)
		if (!on_arg(data, *left))
			return CLI_PARSE_ERROR;
	return CLI_PARSE_OK;
}

/* One parse; see cli.h. */
CliParseResult
cli_parse(const struct poptOption *table, int argc, const char **argv,
	  bool stop_at_first_arg, CliOptionFn on_option, CliArgFn on_arg,
	  void *data)
{
	poptContext    ctx = new_context(table, argc, argv, stop_at_first_arg);
	CliParseResult result = CLI_PARSE_OK;
	int            rc = -1;

	if (ctx == NULL) {
		cli_error("Cannot allocate memory");
		return CLI_PARSE_ERROR;
	}
	while (result == CLI_PARSE_OK && (rc = poptGetNextOpt(ctx)) > 0) {
		char *arg = poptGetOptArg(ctx);

		result = on_option(data, rc, arg);
		free(arg);
	}
	if (result == CLI_PARSE_OK && rc < -1) {
		report_popt_error(ctx, table, rc);
		result = CLI_PARSE_ERROR;
	}
	if (result == CLI_PARSE_OK)
		result = collect_args(ctx, on_arg, data);
	poptFreeContext(ctx);
	return result;
}

/* ---- help --------------------------------------------------------------- */

void
cli_option_label(const struct poptOption *opt, char *label, size_t size)
{
	const char *arg = opt->argDescrip;
	int         n;

	if (opt->shortName != '\0')
		n = snprintf(label, size, "  -%c%s", opt->shortName,
			     opt->longName != NULL ? ", " : "");
	else
		n = snprintf(label, size, "      ");
	if (n < 0 || (size_t)n >= size)
		return;
	if (opt->shortName != '\0' && opt->longName == NULL && arg != NULL)
		snprintf(label + n, size - (size_t)n, " %s", arg);
	else if (opt->longName != NULL)
		snprintf(label + n, size - (size_t)n, "--%s%s%s", opt->longName,
			 arg != NULL ? "=" : "", arg != NULL ? arg : "");
}

/* $COLUMNS when it is a plain number, else the terminal, else 80. */
size_t
cli_screen_width(void)
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
cli_wrap(const char *text, size_t width, size_t indent)
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

/* One row: `label`, then `text` in the description column, wrapped into
 * `width` columns; a label too wide for the column puts the text on the
 * next line. */
static void
print_row(const char *label, const char *text, size_t width)
{
	size_t len = strlen(label);
	char  *wrapped = cli_wrap(text, width, 2);
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

void
cli_print_paragraph(const char *text)
{
	char *wrapped = cli_wrap(text, cli_screen_width() - 1, 0);

	printf("%s\n", wrapped != NULL ? wrapped : text);
	free(wrapped);
}

/* The screen width left for descriptions once `used` columns are taken. */
static size_t
description_width(size_t used)
{
	size_t screen = cli_screen_width();

	return (screen > HELP_MIN_SCREEN ? screen : HELP_MIN_SCREEN) - used;
}

void
cli_print_row(const char *label, const char *text, bool option)
{
	print_row(label, text, description_width(HELP_COLUMN + (option ? 1 : 0)));
}

void
cli_print_option_rows(const struct poptOption *table)
{
	for (const struct poptOption *opt = table; !is_table_end(opt); opt++) {
		char label[128];

		if ((opt->argInfo & POPT_ARG_MASK) == POPT_ARG_INCLUDE_TABLE) {
			cli_print_option_rows(opt->arg);
			continue;
		}
		if (opt->descrip == NULL)
			continue;
		cli_option_label(opt, label, sizeof(label));
		cli_print_row(label, opt->descrip, true);
	}
}

/* `PROG --help`. */
void
cli_print_help(const char *usage, const char *synopsis,
	       const struct poptOption *table, const char *footer)
{
	printf("Usage: %s [OPTION]...%s%s\n", program_name,
	       usage != NULL ? " " : "", usage != NULL ? usage : "");
	if (synopsis != NULL)
		printf("%s\n", synopsis);
	printf("\nOptions:\n");
	cli_print_option_rows(table);
	if (footer != NULL)
		printf("\n%s", footer);
}

/* `PROG --version`. */
void
cli_print_version(void)
{
	if (strcmp(program_name, "upstart") == 0)
		printf("upstart %s\n", UPINIT_VERSION);
	else
		printf("%s (upstart %s)\n", program_name, UPINIT_VERSION);
	printf("%s\n\n", COPYRIGHT);
	cli_print_paragraph(WARRANTY);
}
