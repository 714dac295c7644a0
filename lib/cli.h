/* cli — what every upinit command-line tool shares: libnih's way of
 * talking to the user, and popt parsing reported in libnih's words.
 *
 * Messages.  Normal output goes to stdout with no prefix and is
 * suppressed by -q; errors go to stderr as "PROG: text", PROG being the
 * basename of argv[0] (so the job links say `start: Unknown job: foo`
 * and `init 3` says `init: ...`).  Usage errors add libnih's hint line
 * ``Try `PROG --help' for more information.``  The module keeps the
 * program name and the message priority chosen by -q/-v/--debug;
 * nothing else is global.
 *
 * Parsing.  cli_parse() runs popt over argv with GNU-style permutation
 * (options and arguments interleaved, `--` ends the options), hands each
 * option to the caller's callback by the `val` of its popt entry and each
 * remaining argument to a second callback, and reports every mistake as
 * libnih does: `invalid option: -x` (the one bad letter of a cluster),
 * `invalid option: --xyz`, `missing argument: -t`, `unexpected argument:
 * --help=x`, each followed by the hint.  POSIXLY_CORRECT is ignored, as
 * libnih ignores it.
 *
 * Help.  cli_print_help() and cli_print_version() print libnih's layout:
 * usage line, synopsis, options in a column starting at 30, a closing
 * paragraph; `PROG (upstart VERSION)` with the copyright and warranty.
 * Descriptions and paragraphs are wrapped to $COLUMNS, else the
 * terminal's width, else 80, as libnih wraps them.  initctl builds its
 * longer texts (`initctl help`, per-command help) from the same rows and
 * paragraphs.
 *
 * Ownership: cli_init() keeps a pointer into argv0, which must outlive
 * every call here.  Nothing is allocated that the caller must free.
 */
#ifndef UPINIT_CLI_H
#define UPINIT_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include <popt.h>

/* Message priorities, lowest first, as libnih orders them. */
typedef enum cli_priority {
	CLI_DEBUG,
	CLI_INFO,
	CLI_MESSAGE,    /* the default */
	CLI_WARN,
	CLI_ERROR,      /* -q */
} CliPriority;

/* Record the program name (basename of argv0).  A NULL or empty argv0
 * keeps the previous name ("upinit" before the first call). */
void        cli_init(const char *argv0);
const char *cli_program(void);
/* Show only messages at `priority` or above. */
void        cli_set_priority(CliPriority priority);
CliPriority cli_priority(void);

/* "PROG: text" on stderr (stdout is flushed first so both interleave in
 * order when they go to one file).  Errors are shown even with -q. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "Try `PROG --help' for more information." on stderr. */
void cli_suggest_help(void);
/* cli_error() followed by the hint: every command-line mistake. */
void cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* One line of normal output on stdout, unless -q. */
void cli_out(const char *line);
/* "PROG: text" on stderr, only with -v or --debug. */
void cli_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "PROG: text" on stderr, only with --debug. */
void cli_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* What a parse found. */
typedef enum cli_parse_result {
	CLI_PARSE_OK,
	CLI_PARSE_ERROR,    /* already reported; exit 1 */
	CLI_PARSE_HELP,     /* --help seen: print help, exit 0 */
	CLI_PARSE_VERSION,  /* --version seen: print version, exit 0 */
} CliParseResult;

/* Called for each option popt returns: `id` is the entry's `val`, `arg`
 * its argument or NULL (valid only during the call).  Returning anything
 * but CLI_PARSE_OK stops the parse with that result; a callback that
 * returns CLI_PARSE_ERROR has printed the reason. */
typedef CliParseResult (*CliOptionFn)(void *data, int id, const char *arg);
/* Called for each non-option argument, in order; false stops the parse
 * with CLI_PARSE_ERROR (the callback printed why). */
typedef bool (*CliArgFn)(void *data, const char *arg);

/* Parse argv[1..argc) against `table` (entries carry a nonzero `val` and
 * no `arg` pointer).  With `stop_at_first_arg`, everything from the first
 * non-option argument on is handed to `on_arg` unparsed (initctl's first
 * pass over its global options).  --help and --version entries are the
 * caller's: its callback returns CLI_PARSE_HELP / CLI_PARSE_VERSION. */
CliParseResult cli_parse(const struct poptOption *table, int argc,
			 const char **argv, bool stop_at_first_arg,
			 CliOptionFn on_option, CliArgFn on_arg, void *data);

/* `PROG --help`:
 *   Usage: PROG [OPTION]... USAGE
 *   SYNOPSIS
 *
 *   Options:
 *     -x, --long=ARG              description
 *
 *   FOOTER
 * `usage` and `footer` may be NULL; `footer` is printed as given (wrap it
 * yourself).  Options without a description are not listed. */
void cli_print_help(const char *usage, const char *synopsis,
		    const struct poptOption *table, const char *footer);
/* `PROG --version`: "PROG (upstart VERSION)", or "upstart VERSION" when
 * PROG is upstart, then the copyright line, a blank line and the
 * warranty paragraph. */
void cli_print_version(void);

/* "  -x, --long=ARG" (or "  -x ARG" for a short-only option) for one
 * option, as libnih labels them, into `label` (truncated to `size`). */
void cli_option_label(const struct poptOption *opt, char *label, size_t size);
/* One row per documented option of `table` and the tables it includes,
 * in order; options without help text (--debug) stay hidden. */
void cli_print_option_rows(const struct poptOption *table);
/* One row: `label`, then `text` from column 30, wrapped to the screen (an
 * option's description gets one column less, as libnih's). */
void cli_print_row(const char *label, const char *text, bool option);
/* `text` wrapped to the screen, then a newline. */
void cli_print_paragraph(const char *text);

/* The width text is wrapped to: $COLUMNS, else the terminal's, else 80. */
size_t cli_screen_width(void);
/* A copy of `text` with newlines put in so no line is wider than `width`,
 * breaking at the last blank where there is one; lines after the first
 * get `indent` spaces.  Caller frees; NULL when out of memory. */
char  *cli_wrap(const char *text, size_t width, size_t indent);

#endif
