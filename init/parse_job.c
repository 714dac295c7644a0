/* parse_job — the job file language (init(5)) into a JobClass.
 *
 * The text is read by a small lexer that follows libnih's config rules
 * (keybuk/libnih nih/config.c), because job files written for Upstart
 * depend on its details:
 *
 *  - a stanza is a word at the start of a line; its handler reads the rest
 *    of the line with one of: an argument (quotes removed), a keyword
 *    (quotes kept, so `start "on"` is not `start on`), the raw command of
 *    `exec` (quotes and backslashes kept, to be handed to the shell), a
 *    `script` ... `end script` block, or the tokens of an event
 *    expression, which may continue over lines inside parentheses;
 *  - quotes group words and may span lines (a newline inside them becomes
 *    one space); a backslash escapes the next character, and
 *    backslash-newline continues the line; `#` outside quotes starts a
 *    comment; blank lines are ignored;
 *  - an argument-less stanza followed by another word is "Unexpected
 *    token", a missing argument "Expected token", except after `manual`
 *    and `debug`, which (as in Upstart) end where their word ends, so
 *    what follows on the line is read as the next stanza.
 *
 * Then a table maps each stanza name to a small handler that validates
 * and sets one field of the class.
 *
 * Robustness: the lexer and every handler are linear in the input; the
 * event expression parser does not recurse; `env` keys are de-duplicated
 * through a hash index so a file of a million `env` lines stays linear.
 * A NUL byte anywhere is an error before anything is parsed.
 *
 * Error lines are the line of the offending token; for an unterminated
 * quote or block, the line where it was opened.
 *
 * Two small differences from Upstart, both about event expressions:
 * blank and comment-only lines inside parentheses are accepted (Upstart
 * fails them with "Expected token"); and a quoted "and", "or", "(" or ")"
 * is still an operator, because event_operator_parse() receives plain
 * strings (Upstart makes a quoted operator an ordinary word).
 */
#include "init/parse_job.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "init/event_operator.h"
#include "lib/signame.h"
#include "lib/strbuf.h"

/* Characters as libnih classes them. */
#define LEX_WS       " \t\r"
#define LEX_CNL      "#\n"
#define LEX_CNLWS    " \t\r#\n"
#define LEX_ON_DELIM "()" LEX_CNLWS

/* Messages: Upstart's words, libnih's for the lexer (init(5), "Errors"). */
static const char ERR_UNKNOWN_STANZA[]    = "Unknown stanza";
static const char ERR_EXPECTED_TOKEN[]    = "Expected token";
static const char ERR_UNEXPECTED_TOKEN[]  = "Unexpected token";
static const char ERR_UNTERMINATED_QUOTE[] = "Unterminated quoted string";
static const char ERR_UNTERMINATED_BLOCK[] = "Unterminated block";
static const char ERR_TRAILING_SLASH[]    = "Trailing slash in file";
static const char ERR_NUL_BYTE[]          = "Illegal NUL byte in file";
static const char ERR_NO_MEMORY[]         = "Cannot allocate memory";
static const char ERR_INTERVAL[]   = "Illegal interval, expected number of seconds";
static const char ERR_EXIT[]       = "Illegal exit status, expected integer";
static const char ERR_SIGNAL[]     = "Illegal signal status, expected integer";
static const char ERR_UMASK[]      = "Illegal file creation mask, expected octal integer";
static const char ERR_NICE[]       = "Illegal nice value, expected -20 to 19";
static const char ERR_OOM[]        = "Illegal oom adjustment, expected -16 to 15 or 'never'";
static const char ERR_OOM_SCORE[]  = "Illegal oom score adjustment, expected -999 to 1000 or 'never'";
static const char ERR_LIMIT[]      = "Illegal limit, expected 'unlimited' or integer";
static const char ERR_KILL_MODE[]  = "Illegal kill mode, expected 'cgroup' or 'process'";

/* Frees *p; for __attribute__((cleanup)) on function-local strings. */
static void
free_ptr(void *p)
{
	free(*(void **)p);
}
#define AUTOFREE __attribute__((cleanup(free_ptr)))

/* ------------------------------------------------------------------ */
/* State                                                                */
/* ------------------------------------------------------------------ */

typedef struct lexer {
	const char *text;
	size_t      len;
	size_t      pos;
	size_t      line;   /* 1-based line of text[pos] */
} Lexer;

/* One parse.  The growable arrays of the class carry no capacity of
 * their own, so it is tracked here (0 means "exactly full"). */
typedef struct parse_ctx {
	Lexer       lx;
	JobClass   *class;
	ParseError *error;
	EnvIndex    env_index;   /* class->env's keys: a repeated `env` in constant time */
	size_t      emits_cap;
	size_t      export_cap;
	size_t      normal_exit_cap;
} ParseCtx;

typedef struct stanza Stanza;
typedef int (*StanzaFn)(ParseCtx *ctx, const Stanza *stanza);

/* A table row: the handler, and for the generic handlers which field
 * (`offset` into JobClass) or which process (`arg`) it sets. */
struct stanza {
	const char *name;
	StanzaFn    fn;
	size_t      offset;
	int         arg;
};

#define CLASS_FIELD(ctx, st, type) ((type *)(void *)((char *)(ctx)->class + (st)->offset))

/* Record an error at `line`; errno EINVAL.  Always returns -1. */
static int
fail(ParseCtx *ctx, size_t line, const char *message)
{
	ctx->error->line = line;
	ctx->error->message = message;
	errno = EINVAL;
	return -1;
}

/* Record an allocation failure at the current line; errno ENOMEM. */
static int
fail_nomem(ParseCtx *ctx)
{
	ctx->error->line = ctx->lx.line;
	ctx->error->message = ERR_NO_MEMORY;
	errno = ENOMEM;
	return -1;
}

/* ------------------------------------------------------------------ */
/* Lexer                                                                */
/* ------------------------------------------------------------------ */

/* Is `c` one of `set`?  (strchr alone would also find the NUL.) */
static bool
is_in(char c, const char *set)
{
	return c != '\0' && strchr(set, c) != NULL;
}

/* Is there a token before the end of the line (or a comment)? */
static bool
lex_has_token(const Lexer *lx)
{
	return lx->pos < lx->len && !is_in(lx->text[lx->pos], LEX_CNL);
}

/* Skip blanks and backslash-newline continuations. */
static void
lex_skip_blanks(Lexer *lx)
{
	while (lx->pos < lx->len) {
		char c = lx->text[lx->pos];

		if (c == '\\' && lx->pos + 1 < lx->len && lx->text[lx->pos + 1] == '\n') {
			lx->pos += 2;
			lx->line++;
		} else if (is_in(c, LEX_WS)) {
			lx->pos++;
		} else {
			break;
		}
	}
}

/* Move past the end of the current line, whatever is on it. */
static void
lex_next_line(Lexer *lx)
{
	const char *nl = memchr(lx->text + lx->pos, '\n', lx->len - lx->pos);

	if (!nl) {
		lx->pos = lx->len;
		return;
	}
	lx->pos = (size_t)(nl - lx->text) + 1;
	lx->line++;
}

/* The stanza must end here: only a comment may follow. */
static int
lex_end_stanza(ParseCtx *ctx)
{
	if (lex_has_token(&ctx->lx))
		return fail(ctx, ctx->lx.line, ERR_UNEXPECTED_TOKEN);
	lex_next_line(&ctx->lx);
	return 0;
}

/* Scan one token into `out`, stopping at an unquoted, unescaped
 * character of `delims` (libnih's nih_config_token).  Whitespace inside
 * the token (only possible in quotes, or when blanks are not delimiters)
 * is kept, except that a newline and the blanks around it become one
 * space.  With `dequote`, quotes and escaping backslashes are removed. */
static int
lex_scan(ParseCtx *ctx, const char *delims, bool dequote, StrBuf *out)
{
	Lexer *lx = &ctx->lx;
	const char *t = lx->text;
	size_t p, ws = 0, quote_line = 0;
	bool slash = false, nl = false;
	char quote = 0;

	for (p = lx->pos; p < lx->len; p++) {
		char c = t[p];
		size_t extra = 0;      /* an escaping backslash before c */
		bool isq = false;      /* c is a quote character */

		if (slash) {
			slash = false;
			if (c == '\n') {
				nl = true;
				lx->line++;
				continue;
			}
			extra = 1;
		} else if (c == '\\') {
			slash = true;
			continue;
		} else if (quote) {
			if (c == quote) {
				quote = 0;
				isq = true;
			} else if (c == '\n') {
				nl = true;
				lx->line++;
				continue;
			} else if (is_in(c, LEX_WS)) {
				ws++;
				continue;
			}
		} else if (c == '"' || c == '\'') {
			quote = c;
			quote_line = lx->line;
			isq = true;
		} else if (is_in(c, delims)) {
			break;
		} else if (is_in(c, LEX_WS)) {
			ws++;
			continue;
		}

		/* Whitespace pending before c (and its backslash). */
		if (nl)
			sb_add(out, " ", 1);
		else if (ws)
			sb_add(out, t + p - ws - extra, ws);
		if (extra && !dequote)
			sb_add(out, "\\", 1);
		if (!(isq && dequote))
			sb_add(out, &c, 1);
		ws = 0;
		nl = false;
	}
	lx->pos = p;
	if (slash)
		return fail(ctx, lx->line, ERR_TRAILING_SLASH);
	if (quote)
		return fail(ctx, quote_line, ERR_UNTERMINATED_QUOTE);
	if (out->failed)
		return fail_nomem(ctx);
	return 0;
}

/* Read a non-empty token (the caller frees *out) and skip the blanks
 * after it.  An empty one (end of line, or `""`) is "Expected token". */
static int
lex_token(ParseCtx *ctx, const char *delims, bool dequote, char **out)
{
	StrBuf sb = { 0 };
	size_t line = ctx->lx.line;

	if (lex_scan(ctx, delims, dequote, &sb) < 0) {
		free(sb.s);
		return -1;
	}
	if (!sb.len) {
		free(sb.s);
		return fail(ctx, line, ERR_EXPECTED_TOKEN);
	}
	lex_skip_blanks(&ctx->lx);
	*out = sb.s;
	return 0;
}

/* An argument: quotes and escapes removed. */
static int
read_arg(ParseCtx *ctx, char **out)
{
	return lex_token(ctx, LEX_CNLWS, true, out);
}

/* A sub-stanza keyword (`on`, `exec`, `limit`...): read as written, so a
 * quoted keyword is not one. */
static int
read_keyword(ParseCtx *ctx, char **out)
{
	return lex_token(ctx, LEX_CNLWS, false, out);
}

/* The rest of the line as written (quotes and backslashes kept for the
 * shell, continuation lines joined by one space, trailing comment and
 * blanks dropped).  The caller frees *out. */
static int
read_command(ParseCtx *ctx, char **out)
{
	StrBuf sb = { 0 };

	if (lex_scan(ctx, LEX_CNL, false, &sb) < 0) {
		free(sb.s);
		return -1;
	}
	sb_add(&sb, "", 0);
	if (sb.failed) {
		free(sb.s);
		return fail_nomem(ctx);
	}
	lex_next_line(&ctx->lx);
	*out = sb.s;
	return 0;
}

/* If the line at `p` is "end script" (blanks before, between and after,
 * optionally a comment), return the position just past it (past its
 * newline, if any) in *after. */
static bool
block_end_at(const Lexer *lx, size_t p, const char *type, size_t *after)
{
	const char *t = lx->text;
	size_t tlen = strlen(type);

	while (p < lx->len && is_in(t[p], LEX_WS))
		p++;
	if (lx->len - p < 4 || strncmp(t + p, "end", 3) || !is_in(t[p + 3], LEX_WS))
		return false;
	p += 3;
	while (p < lx->len && is_in(t[p], LEX_WS))
		p++;
	if (lx->len - p < tlen || strncmp(t + p, type, tlen))
		return false;
	p += tlen;
	while (p < lx->len && is_in(t[p], LEX_WS))
		p++;
	if (p < lx->len && t[p] == '#')
		while (p < lx->len && t[p] != '\n')
			p++;
	if (p < lx->len && t[p] != '\n')
		return false;
	*after = p < lx->len ? p + 1 : p;
	return true;
}

/* Length of the leading blanks of the line at `p` that equal those of
 * the block's first line at `first`, up to `max`. */
static size_t
common_indent(const Lexer *lx, size_t first, size_t p, size_t max)
{
	size_t n = 0;

	while (n < max && p + n < lx->len && lx->text[first + n] == lx->text[p + n])
		n++;
	return n;
}

/* The raw text of a `script` block, from the current position (the line
 * after the stanza) to the line `end script`, which is consumed.  The
 * indentation all lines share with the first line is removed (libnih
 * nih_config_parse_block; a blank line therefore keeps all indentation).
 * `open_line` is the line reported if the end never comes. */
static int
read_block(ParseCtx *ctx, const char *type, size_t open_line, char **out)
{
	Lexer *lx = &ctx->lx;
	size_t start = lx->pos, end, after, lines = 0, indent = 0;
	StrBuf sb = { 0 };

	while (!block_end_at(lx, lx->pos, type, &after)) {
		size_t line_start = lx->pos;

		if (lines++ == 0) {
			while (lx->pos < lx->len && is_in(lx->text[lx->pos], LEX_WS))
				lx->pos++;
			indent = lx->pos - line_start;
		} else {
			indent = common_indent(lx, start, line_start, indent);
		}
		lex_next_line(lx);
		if (lx->pos >= lx->len)
			return fail(ctx, open_line, ERR_UNTERMINATED_BLOCK);
	}
	end = lx->pos;
	lx->pos = after;
	lx->line += after > end && lx->text[after - 1] == '\n';

	/* Every body line ends in a newline (the end line follows it). */
	sb_add(&sb, "", 0);
	for (size_t p = start; p < end;) {
		const char *nl = memchr(lx->text + p + indent, '\n', end - p - indent);
		size_t next = (size_t)(nl - lx->text) + 1;

		sb_add(&sb, lx->text + p + indent, next - p - indent);
		p = next;
	}
	if (sb.failed) {
		free(sb.s);
		return fail_nomem(ctx);
	}
	*out = sb.s;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Event expression tokens                                              */
/* ------------------------------------------------------------------ */

typedef struct token_list {
	char  **v;
	size_t *lines;
	size_t  n;
	size_t  cap;
} TokenList;

/* Append `token` (taken over, freed on failure) read on `line`. */
static int
token_add(ParseCtx *ctx, TokenList *tl, char *token, size_t line)
{
	if (tl->n == tl->cap) {
		size_t cap = tl->cap ? tl->cap * 2 : 16;
		char **v = reallocarray(tl->v, cap, sizeof *v);
		size_t *lines;

		if (v)
			tl->v = v;
		lines = v ? reallocarray(tl->lines, cap, sizeof *lines) : NULL;
		if (!lines) {
			free(token);
			return fail_nomem(ctx);
		}
		tl->lines = lines;
		tl->cap = cap;
	}
	tl->v[tl->n] = token;
	tl->lines[tl->n++] = line;
	return 0;
}

/* Frees the tokens and the arrays. */
static void
token_list_free(TokenList *tl)
{
	for (size_t i = 0; i < tl->n; i++)
		free(tl->v[i]);
	free(tl->v);
	free(tl->lines);
}

/* A parenthesis is a token of its own wherever it appears outside
 * quotes.  `*paren` counts the groups still open. */
static int
read_paren(ParseCtx *ctx, TokenList *tl, size_t *paren)
{
	Lexer *lx = &ctx->lx;
	char c = lx->text[lx->pos];
	char *token = strdup(c == '(' ? "(" : ")");

	if (!token)
		return fail_nomem(ctx);
	if (token_add(ctx, tl, token, lx->line) < 0)
		return -1;
	if (c == '(')
		(*paren)++;
	else if (*paren)
		(*paren)--;
	lx->pos++;
	lex_skip_blanks(lx);
	return 0;
}

/* The tokens of a `start on` / `stop on` expression: to the end of the
 * line, or while a parenthesis is open, over following lines too
 * (comments and blank lines allowed there).  Words are dequoted. */
static int
read_on_tokens(ParseCtx *ctx, TokenList *tl)
{
	Lexer *lx = &ctx->lx;
	size_t paren = 0;

	for (;;) {
		lex_skip_blanks(lx);
		while (lex_has_token(lx)) {
			char c = lx->text[lx->pos];
			size_t line = lx->line;
			char *token = NULL;

			if (c == '(' || c == ')') {
				if (read_paren(ctx, tl, &paren) < 0)
					return -1;
				continue;
			}
			if (lex_token(ctx, LEX_ON_DELIM, true, &token) < 0 ||
			    token_add(ctx, tl, token, line) < 0)
				return -1;
		}
		lex_next_line(lx);
		if (!paren || lx->pos >= lx->len)
			return 0;
	}
}

/* ------------------------------------------------------------------ */
/* Field helpers                                                        */
/* ------------------------------------------------------------------ */

/* Append `s` (taken over; freed on failure) to a NULL-terminated array
 * of *n strings whose allocated size the caller tracks in *cap. */
static int
strv_push(char ***v, size_t *n, size_t *cap, char *s)
{
	if (*n + 2 > *cap) {
		size_t newcap = (*n + 2) * 2;
		char **nv = reallocarray(*v, newcap, sizeof *nv);

		if (!nv) {
			free(s);
			return -1;
		}
		*v = nv;
		*cap = newcap;
	}
	(*v)[(*n)++] = s;
	(*v)[*n] = NULL;
	return 0;
}

/* Replace a process definition; `command` is taken over. */
static void
set_process(JobClass *class, int type, char *command, bool script)
{
	free(class->process[type].command);
	class->process[type].command = command;
	class->process[type].script = script;
}

/* Whole-string strtol/strtoul, as Upstart checks them (errno, *endptr). */
static bool
to_long(const char *s, int base, long *out)
{
	char *end;

	errno = 0;
	*out = strtol(s, &end, base);
	return !errno && end != s && !*end;
}

/* As to_long; like strtoul, "-1" wraps to ULONG_MAX (Upstart accepts it). */
static bool
to_ulong(const char *s, int base, unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(s, &end, base);
	return !errno && end != s && !*end;
}

typedef struct name_value {
	const char *name;
	int         value;
} NameValue;

/* Value of `name` in a table, or -1. */
static int
name_lookup(const NameValue *table, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(table[i].name, name))
			return table[i].value;
	return -1;
}

#define COUNT(a) (sizeof (a) / sizeof (a)[0])

/* Add an `env` entry ("KEY=VALUE" or bare "KEY") to the class: a key
 * already there is replaced in place (later stanzas win and keep the
 * first one's position), a new one is appended. */
static int
class_env_add(ParseCtx *ctx, const char *entry)
{
	if (env_index_set(&ctx->env_index, &ctx->class->env, entry) < 0)
		return fail_nomem(ctx);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Stanzas                                                              */
/* ------------------------------------------------------------------ */

/* instance, description, author, version, usage, chroot, chdir, setuid,
 * setgid: one argument into a string field; the last one wins. */
static int
stanza_string(ParseCtx *ctx, const Stanza *st)
{
	char **field = CLASS_FIELD(ctx, st, char *);
	char *value = NULL;

	if (read_arg(ctx, &value) < 0)
		return -1;
	free(*field);
	*field = value;
	return lex_end_stanza(ctx);
}

/* `exec COMMAND...` for process `type`. */
static int
parse_exec(ParseCtx *ctx, int type)
{
	char *command = NULL;

	if (!lex_has_token(&ctx->lx))
		return fail(ctx, ctx->lx.line, ERR_EXPECTED_TOKEN);
	if (read_command(ctx, &command) < 0)
		return -1;
	set_process(ctx->class, type, command, false);
	return 0;
}

/* `script` NL ... `end script` for process `type`; `line` is the line of
 * the stanza, reported if the block never ends. */
static int
parse_script(ParseCtx *ctx, int type, size_t line)
{
	char *body = NULL;

	if (lex_end_stanza(ctx) < 0 || read_block(ctx, "script", line, &body) < 0)
		return -1;
	set_process(ctx->class, type, body, true);
	return 0;
}

/* exec: the main process. */
static int
stanza_exec(ParseCtx *ctx, const Stanza *st)
{
	return parse_exec(ctx, st->arg);
}

/* script: the main process. */
static int
stanza_script(ParseCtx *ctx, const Stanza *st)
{
	return parse_script(ctx, st->arg, ctx->lx.line);
}

/* pre-start, post-start, pre-stop, post-stop: `exec ...` or `script`. */
static int
stanza_process(ParseCtx *ctx, const Stanza *st)
{
	AUTOFREE char *kind = NULL;
	size_t line = ctx->lx.line;

	if (read_keyword(ctx, &kind) < 0)
		return -1;
	if (!strcmp(kind, "exec"))
		return parse_exec(ctx, st->arg);
	if (!strcmp(kind, "script"))
		return parse_script(ctx, st->arg, line);
	return fail(ctx, line, ERR_UNKNOWN_STANZA);
}

/* The expression after `start on` / `stop on`, into *field. */
static int
parse_on(ParseCtx *ctx, EventOperator **field)
{
	TokenList tl = { 0 };
	EventOperator *tree;
	const char *message = NULL;
	size_t at = 0, line = ctx->lx.line;
	int ret = -1;

	if (read_on_tokens(ctx, &tl) < 0)
		goto out;
	if (!tl.n) {
		fail(ctx, line, ERR_EXPECTED_TOKEN);
		goto out;
	}
	tree = event_operator_parse(tl.v, tl.n, &message, &at);
	if (!tree) {
		if (errno == ENOMEM)
			fail_nomem(ctx);
		else
			fail(ctx, tl.lines[at < tl.n ? at : tl.n - 1], message);
		goto out;
	}
	event_operator_free(*field);
	*field = tree;
	ret = 0;
out:
	token_list_free(&tl);
	return ret;
}

/* start on EXPR / stop on EXPR: the last one wins. */
static int
stanza_on(ParseCtx *ctx, const Stanza *st)
{
	AUTOFREE char *on = NULL;
	size_t line = ctx->lx.line;

	if (read_keyword(ctx, &on) < 0)
		return -1;
	if (strcmp(on, "on"))
		return fail(ctx, line, ERR_UNKNOWN_STANZA);
	return parse_on(ctx, CLASS_FIELD(ctx, st, EventOperator *));
}

/* manual: forget any `start on` seen so far (a later one counts again).
 * Like Upstart, it does not consume the rest of its line. */
static int
stanza_manual(ParseCtx *ctx, const Stanza *st)
{
	event_operator_free(ctx->class->start_on);
	ctx->class->start_on = NULL;
	return 0;
}

/* debug: stop before exec when init runs with --debug.  Like manual, it
 * does not consume the rest of its line. */
static int
stanza_debug(ParseCtx *ctx, const Stanza *st)
{
	ctx->class->debug = true;
	return 0;
}

/* task: a flag. */
static int
stanza_task(ParseCtx *ctx, const Stanza *st)
{
	ctx->class->task = true;
	return lex_end_stanza(ctx);
}

/* env KEY=VALUE | env KEY: cumulative, a repeated key replaces. */
static int
stanza_env(ParseCtx *ctx, const Stanza *st)
{
	AUTOFREE char *entry = NULL;

	if (read_arg(ctx, &entry) < 0 || lex_end_stanza(ctx) < 0)
		return -1;
	return class_env_add(ctx, entry);
}

/* One or more arguments appended to a string array (emits, export). */
static int
read_list(ParseCtx *ctx, char ***v, size_t *n, size_t *cap)
{
	if (!lex_has_token(&ctx->lx))
		return fail(ctx, ctx->lx.line, ERR_EXPECTED_TOKEN);
	while (lex_has_token(&ctx->lx)) {
		char *arg = NULL;

		if (read_arg(ctx, &arg) < 0)
			return -1;
		if (strv_push(v, n, cap, arg) < 0)
			return fail_nomem(ctx);
	}
	lex_next_line(&ctx->lx);
	return 0;
}

/* emits EVENT...: cumulative. */
static int
stanza_emits(ParseCtx *ctx, const Stanza *st)
{
	return read_list(ctx, &ctx->class->emits, &ctx->class->nemits, &ctx->emits_cap);
}

/* export KEY...: cumulative. */
static int
stanza_export(ParseCtx *ctx, const Stanza *st)
{
	return read_list(ctx, &ctx->class->export, &ctx->class->nexport, &ctx->export_cap);
}

/* respawn | respawn limit COUNT INTERVAL | respawn limit unlimited */
static int
stanza_respawn(ParseCtx *ctx, const Stanza *st)
{
	AUTOFREE char *kw = NULL, *count = NULL, *interval = NULL;
	JobClass *class = ctx->class;
	size_t line = ctx->lx.line;
	long n;

	if (!lex_has_token(&ctx->lx)) {
		class->respawn = true;
		return lex_end_stanza(ctx);
	}
	if (read_keyword(ctx, &kw) < 0)
		return -1;
	if (strcmp(kw, "limit"))
		return fail(ctx, line, ERR_UNKNOWN_STANZA);
	line = ctx->lx.line;
	if (read_arg(ctx, &count) < 0)
		return -1;
	if (!strcmp(count, "unlimited")) {
		class->respawn_limit = 0;
		class->respawn_interval = 0;
		return lex_end_stanza(ctx);
	}
	if (!to_long(count, 10, &n) || n < 0 || n > INT_MAX)
		return fail(ctx, line, ERR_LIMIT);
	class->respawn_limit = (int)n;
	line = ctx->lx.line;
	if (read_arg(ctx, &interval) < 0)
		return -1;
	if (!to_long(interval, 10, &n) || n < 0)
		return fail(ctx, line, ERR_INTERVAL);
	class->respawn_interval = (time_t)n;
	return lex_end_stanza(ctx);
}

/* Append one status to class->normal_exit. */
static int
normal_exit_add(ParseCtx *ctx, int status)
{
	JobClass *class = ctx->class;

	/* >= : an override's copied array starts exactly full (cap 0). */
	if (class->nnormal_exit >= ctx->normal_exit_cap) {
		size_t cap = (class->nnormal_exit + 1) * 2;
		int *v = reallocarray(class->normal_exit, cap, sizeof *v);

		if (!v)
			return fail_nomem(ctx);
		class->normal_exit = v;
		ctx->normal_exit_cap = cap;
	}
	class->normal_exit[class->nnormal_exit++] = status;
	return 0;
}

/* normal exit STATUS|SIGNAL...: numbers are exit codes, names (TERM,
 * SIGTERM) signals stored as signum << 8.  Cumulative. */
static int
stanza_normal(ParseCtx *ctx, const Stanza *st)
{
	AUTOFREE char *kw = NULL;
	size_t line = ctx->lx.line;

	if (read_keyword(ctx, &kw) < 0)
		return -1;
	if (strcmp(kw, "exit"))
		return fail(ctx, line, ERR_UNKNOWN_STANZA);
	do {
		AUTOFREE char *arg = NULL;
		unsigned long status;
		int signum;

		line = ctx->lx.line;
		if (read_arg(ctx, &arg) < 0)
			return -1;
		signum = signal_from_name(arg);
		if (signum > 0)
			status = (unsigned long)signum << 8;
		else if (!to_ulong(arg, 10, &status) || status > INT_MAX)
			return fail(ctx, line, ERR_EXIT);
		if (normal_exit_add(ctx, (int)status) < 0)
			return -1;
	} while (lex_has_token(&ctx->lx));
	return lex_end_stanza(ctx);
}

/* Reads one argument and looks it up in `table`; an unknown word is
 * "Unknown stanza", as in Upstart.  The stanza must end after it. */
static int
read_choice(ParseCtx *ctx, const NameValue *table, size_t n, int *value)
{
	AUTOFREE char *arg = NULL;
	size_t line = ctx->lx.line;

	if (read_arg(ctx, &arg) < 0)
		return -1;
	*value = name_lookup(table, n, arg);
	if (*value < 0)
		return fail(ctx, line, ERR_UNKNOWN_STANZA);
	return lex_end_stanza(ctx);
}

/* console none|log|output|owner */
static int
stanza_console(ParseCtx *ctx, const Stanza *st)
{
	static const NameValue consoles[] = {
		{ "none", CONSOLE_NONE }, { "log", CONSOLE_LOG },
		{ "output", CONSOLE_OUTPUT }, { "owner", CONSOLE_OWNER },
	};
	int value;

	if (read_choice(ctx, consoles, COUNT(consoles), &value) < 0)
		return -1;
	ctx->class->console = (ConsoleType)value;
	return 0;
}

/* expect stop|daemon|fork|none */
static int
stanza_expect(ParseCtx *ctx, const Stanza *st)
{
	static const NameValue expects[] = {
		{ "stop", EXPECT_STOP }, { "daemon", EXPECT_DAEMON },
		{ "fork", EXPECT_FORK }, { "none", EXPECT_NONE },
	};
	int value;

	if (read_choice(ctx, expects, COUNT(expects), &value) < 0)
		return -1;
	ctx->class->expect = (ExpectType)value;
	return 0;
}

/* umask OCTAL (at most 0777) */
static int
stanza_umask(ParseCtx *ctx, const Stanza *st)
{
	AUTOFREE char *arg = NULL;
	size_t line = ctx->lx.line;
	unsigned long mask;

	if (read_arg(ctx, &arg) < 0)
		return -1;
	if (!to_ulong(arg, 8, &mask) || (mask & ~0777UL))
		return fail(ctx, line, ERR_UMASK);
	ctx->class->umask = (mode_t)mask;
	return lex_end_stanza(ctx);
}

/* nice -20..19 */
static int
stanza_nice(ParseCtx *ctx, const Stanza *st)
{
	AUTOFREE char *arg = NULL;
	size_t line = ctx->lx.line;
	long nice;

	if (read_arg(ctx, &arg) < 0)
		return -1;
	if (!to_long(arg, 10, &nice) || nice < -20 || nice > 19)
		return fail(ctx, line, ERR_NICE);
	ctx->class->nice = (int)nice;
	return lex_end_stanza(ctx);
}

/* oom score -1000..1000|never, or the legacy oom ADJ|never on the old
 * -17..15 scale, converted to the score scale as Upstart does. */
static int
stanza_oom(ParseCtx *ctx, const Stanza *st)
{
	AUTOFREE char *arg = NULL, *score = NULL;
	size_t line = ctx->lx.line;
	long n;

	if (read_arg(ctx, &arg) < 0)
		return -1;
	if (!strcmp(arg, "score")) {
		line = ctx->lx.line;
		if (read_arg(ctx, &score) < 0)
			return -1;
		if (!strcmp(score, "never"))
			n = -1000;
		else if (!to_long(score, 10, &n) || n < -1000 || n > 1000)
			return fail(ctx, line, ERR_OOM_SCORE);
	} else if (!strcmp(arg, "never")) {
		n = -1000;
	} else {
		if (!to_long(arg, 10, &n) || n < -17 || n > 15)
			return fail(ctx, line, ERR_OOM);
		n = n * 1000 / (n < 0 ? 17 : 15);
	}
	ctx->class->oom_score_adj = (int)n;
	return lex_end_stanza(ctx);
}

/* One limit value: an integer or `unlimited`. */
static int
read_limit_value(ParseCtx *ctx, rlim_t *value)
{
	AUTOFREE char *arg = NULL;
	size_t line = ctx->lx.line;
	unsigned long n;

	if (read_arg(ctx, &arg) < 0)
		return -1;
	if (!strcmp(arg, "unlimited")) {
		*value = RLIM_INFINITY;
		return 0;
	}
	if (!to_ulong(arg, 10, &n))
		return fail(ctx, line, ERR_LIMIT);
	*value = (rlim_t)n;
	return 0;
}

/* limit RESOURCE SOFT HARD: one per resource, the last one wins. */
static int
stanza_limit(ParseCtx *ctx, const Stanza *st)
{
	static const NameValue resources[] = {
		{ "as", RLIMIT_AS }, { "core", RLIMIT_CORE }, { "cpu", RLIMIT_CPU },
		{ "data", RLIMIT_DATA }, { "fsize", RLIMIT_FSIZE },
		{ "memlock", RLIMIT_MEMLOCK }, { "msgqueue", RLIMIT_MSGQUEUE },
		{ "nice", RLIMIT_NICE }, { "nofile", RLIMIT_NOFILE },
		{ "nproc", RLIMIT_NPROC }, { "rss", RLIMIT_RSS },
		{ "rtprio", RLIMIT_RTPRIO }, { "sigpending", RLIMIT_SIGPENDING },
		{ "stack", RLIMIT_STACK },
	};
	AUTOFREE char *name = NULL;
	size_t line = ctx->lx.line;
	struct rlimit limit;
	int resource;

	if (read_arg(ctx, &name) < 0)
		return -1;
	resource = name_lookup(resources, COUNT(resources), name);
	if (resource < 0)
		return fail(ctx, line, ERR_UNKNOWN_STANZA);
	if (read_limit_value(ctx, &limit.rlim_cur) < 0 ||
	    read_limit_value(ctx, &limit.rlim_max) < 0)
		return -1;
	if (!ctx->class->limits[resource] &&
	    !(ctx->class->limits[resource] = malloc(sizeof limit)))
		return fail_nomem(ctx);
	*ctx->class->limits[resource] = limit;
	return lex_end_stanza(ctx);
}

/* A signal argument: a name (TERM, SIGTERM) or a number. */
static int
read_signal(ParseCtx *ctx, int *signum)
{
	AUTOFREE char *arg = NULL;
	size_t line = ctx->lx.line;

	if (read_arg(ctx, &arg) < 0)
		return -1;
	*signum = parse_signal(arg);
	if (*signum < 0)
		return fail(ctx, line, ERR_SIGNAL);
	return 0;
}

/* kill timeout SECONDS | kill signal SIGNAL | kill mode cgroup|process */
static int
stanza_kill(ParseCtx *ctx, const Stanza *st)
{
	AUTOFREE char *kw = NULL, *arg = NULL;
	size_t line = ctx->lx.line;
	long seconds;

	if (read_keyword(ctx, &kw) < 0)
		return -1;
	if (!strcmp(kw, "signal")) {
		if (read_signal(ctx, &ctx->class->kill_signal) < 0)
			return -1;
		return lex_end_stanza(ctx);
	}
	if (!strcmp(kw, "mode")) {
		line = ctx->lx.line;
		if (read_keyword(ctx, &arg) < 0)
			return -1;
		if (strcmp(arg, "process") && strcmp(arg, "cgroup"))
			return fail(ctx, line, ERR_KILL_MODE);
		ctx->class->kill_process_only = !strcmp(arg, "process");
		return lex_end_stanza(ctx);
	}
	if (strcmp(kw, "timeout"))
		return fail(ctx, line, ERR_UNKNOWN_STANZA);
	line = ctx->lx.line;
	if (read_arg(ctx, &arg) < 0)
		return -1;
	if (!to_long(arg, 10, &seconds) || seconds < 0)
		return fail(ctx, line, ERR_INTERVAL);
	ctx->class->kill_timeout = (time_t)seconds;
	return lex_end_stanza(ctx);
}

/* reload signal SIGNAL */
static int
stanza_reload(ParseCtx *ctx, const Stanza *st)
{
	AUTOFREE char *kw = NULL;
	size_t line = ctx->lx.line;

	if (read_keyword(ctx, &kw) < 0)
		return -1;
	if (strcmp(kw, "signal"))
		return fail(ctx, line, ERR_UNKNOWN_STANZA);
	if (read_signal(ctx, &ctx->class->reload_signal) < 0)
		return -1;
	return lex_end_stanza(ctx);
}

/* apparmor load PROFILE (run as the security process before pre-start)
 * | apparmor switch NAME */
static int
stanza_apparmor(ParseCtx *ctx, const Stanza *st)
{
	AUTOFREE char *kw = NULL;
	char *arg = NULL;
	size_t line = ctx->lx.line;

	if (read_keyword(ctx, &kw) < 0)
		return -1;
	if (strcmp(kw, "load") && strcmp(kw, "switch"))
		return fail(ctx, line, ERR_UNKNOWN_STANZA);
	if (read_arg(ctx, &arg) < 0)
		return -1;
	if (!strcmp(kw, "load")) {
		set_process(ctx->class, PROCESS_SECURITY, arg, false);
	} else {
		free(ctx->class->apparmor_switch);
		ctx->class->apparmor_switch = arg;
	}
	return lex_end_stanza(ctx);
}

/* cgroup CONTROLLER [NAME] [KEY VALUE]: Upstart's words, applied at
 * each start (init/cgroup_limits.h), where an unknown controller or
 * key is reported.  A later stanza for the same controller, cgroup and
 * key replaces an earlier one's value. */
static int
stanza_cgroup(ParseCtx *ctx, const Stanza *st)
{
	char *arg[4] = { NULL, NULL, NULL, NULL };
	CgroupDef *defs, *def = NULL;
	size_t n = 0;
	int rc = -1;

	while (n < 4 && (n == 0 || lex_has_token(&ctx->lx))) {
		if (read_arg(ctx, &arg[n]) < 0)
			goto out;
		n++;
	}
	/* A KEY needs its VALUE. */
	if (n == 3) {
		if (read_arg(ctx, &arg[3]) < 0)
			goto out;
		n++;
	}
	if (lex_end_stanza(ctx) < 0)
		goto out;
	if (n >= 2 && (!strcmp(arg[1], "$UPSTART_CGROUP") || !strcmp(arg[1], "${UPSTART_CGROUP}"))) {
		free(arg[1]);
		arg[1] = NULL;
	}
	for (size_t i = 0; n == 4 && i < ctx->class->ncgroups; i++) {
		CgroupDef *d = &ctx->class->cgroups[i];

		if (d->key && !strcmp(d->controller, arg[0]) && !strcmp(d->key, arg[2]) &&
		    (d->name ? arg[1] && !strcmp(d->name, arg[1]) : !arg[1]))
			def = d;
	}
	if (!def) {
		if (!(defs = realloc(ctx->class->cgroups,
				     (ctx->class->ncgroups + 1) * sizeof *defs))) {
			rc = fail(ctx, ctx->lx.line, ERR_NO_MEMORY);
			goto out;
		}
		ctx->class->cgroups = defs;
		def = &defs[ctx->class->ncgroups++];
		*def = (CgroupDef){ arg[0], arg[1], arg[2], NULL };
		arg[0] = arg[1] = arg[2] = NULL;
	}
	free(def->value);
	def->value = arg[3];
	arg[3] = NULL;
	rc = 0;
out:
	for (int i = 0; i < 4; i++)
		free(arg[i]);
	return rc;
}

/* utmp ID [LINE]: upinit's own stanza.  The job's main process gets an
 * INIT_PROCESS record with this id (and line), and a DEAD_PROCESS one
 * when it ends, as sysvinit writes for inittab entries and gettys: what
 * `who` and `last` read (docs/compatibility.md). */
static int
stanza_utmp(ParseCtx *ctx, const Stanza *st)
{
	char *id = NULL, *line = NULL;

	if (read_arg(ctx, &id) < 0)
		return -1;
	if (lex_has_token(&ctx->lx) && read_arg(ctx, &line) < 0) {
		free(id);
		return -1;
	}
	free(ctx->class->utmp_id);
	free(ctx->class->utmp_line);
	ctx->class->utmp_id = id;
	ctx->class->utmp_line = line;
	return lex_end_stanza(ctx);
}

/* Every stanza of init(5). */
static const Stanza job_stanzas[] = {
	{ "instance",    stanza_string,  offsetof(JobClass, instance),    0 },
	{ "description", stanza_string,  offsetof(JobClass, description), 0 },
	{ "author",      stanza_string,  offsetof(JobClass, author),      0 },
	{ "version",     stanza_string,  offsetof(JobClass, version),     0 },
	{ "usage",       stanza_string,  offsetof(JobClass, usage),       0 },
	{ "chroot",      stanza_string,  offsetof(JobClass, chroot),      0 },
	{ "chdir",       stanza_string,  offsetof(JobClass, chdir),       0 },
	{ "setuid",      stanza_string,  offsetof(JobClass, setuid),      0 },
	{ "setgid",      stanza_string,  offsetof(JobClass, setgid),      0 },
	{ "start",       stanza_on,      offsetof(JobClass, start_on),    0 },
	{ "stop",        stanza_on,      offsetof(JobClass, stop_on),     0 },
	{ "manual",      stanza_manual,  0, 0 },
	{ "exec",        stanza_exec,    0, PROCESS_MAIN },
	{ "script",      stanza_script,  0, PROCESS_MAIN },
	{ "pre-start",   stanza_process, 0, PROCESS_PRE_START },
	{ "post-start",  stanza_process, 0, PROCESS_POST_START },
	{ "pre-stop",    stanza_process, 0, PROCESS_PRE_STOP },
	{ "post-stop",   stanza_process, 0, PROCESS_POST_STOP },
	{ "env",         stanza_env,     0, 0 },
	{ "export",      stanza_export,  0, 0 },
	{ "emits",       stanza_emits,   0, 0 },
	{ "task",        stanza_task,    0, 0 },
	{ "respawn",     stanza_respawn, 0, 0 },
	{ "normal",      stanza_normal,  0, 0 },
	{ "console",     stanza_console, 0, 0 },
	{ "expect",      stanza_expect,  0, 0 },
	{ "umask",       stanza_umask,   0, 0 },
	{ "nice",        stanza_nice,    0, 0 },
	{ "oom",         stanza_oom,     0, 0 },
	{ "limit",       stanza_limit,   0, 0 },
	{ "kill",        stanza_kill,    0, 0 },
	{ "reload",      stanza_reload,  0, 0 },
	{ "apparmor",    stanza_apparmor, 0, 0 },
	{ "cgroup",      stanza_cgroup,  0, 0 },
	{ "debug",       stanza_debug,   0, 0 },
	{ "utmp",        stanza_utmp,    0, 0 },
};

/* ------------------------------------------------------------------ */
/* Files                                                                */
/* ------------------------------------------------------------------ */

/* A NUL byte would end C strings early and hide the rest of the file
 * from the checks, so it is refused outright. */
static int
check_no_nul(ParseCtx *ctx)
{
	const char *text = ctx->lx.text;
	const char *nul = ctx->lx.len ? memchr(text, '\0', ctx->lx.len) : NULL;
	size_t line = 1;

	if (!nul)
		return 0;
	for (const char *p = text; (p = memchr(p, '\n', (size_t)(nul - p))); p++)
		line++;
	return fail(ctx, line, ERR_NUL_BYTE);
}

/* The stanza loop: skip blanks, blank lines and comments; read a stanza
 * name and hand the rest to its handler. */
static int
parse_stanzas(ParseCtx *ctx, const Stanza *table, size_t n)
{
	Lexer *lx = &ctx->lx;

	if (check_no_nul(ctx) < 0)
		return -1;
	while (lx->pos < lx->len) {
		AUTOFREE char *name = NULL;
		const Stanza *st = NULL;
		size_t line;

		while (lx->pos < lx->len && is_in(lx->text[lx->pos], LEX_WS))
			lx->pos++;
		if (!lex_has_token(lx)) {
			lex_next_line(lx);
			continue;
		}
		line = lx->line;
		if (read_arg(ctx, &name) < 0)
			return -1;
		for (size_t i = 0; i < n && !st; i++)
			if (!strcmp(table[i].name, name))
				st = &table[i];
		if (!st)
			return fail(ctx, line, ERR_UNKNOWN_STANZA);
		if (st->fn(ctx, st) < 0)
			return -1;
	}
	return 0;
}

/* See parse_job.h.  The class returned (new, or the override copy) is
 * named `name` and records `path` (may be NULL); `error` may be NULL. */
JobClass *
parse_job(const JobClass *into, const char *name, const char *path,
	  const char *text, size_t len, ParseError *error)
{
	ParseError scratch;
	ParseCtx ctx = {
		.lx = { text ? text : "", text ? len : 0, 0, 1 },
		.error = error ? error : &scratch,
	};
	int saved;

	ctx.class = into ? job_class_copy(into, name, path) : job_class_new(name, path);
	if (!ctx.class) {
		fail_nomem(&ctx);
		return NULL;
	}
	if (parse_stanzas(&ctx, job_stanzas, COUNT(job_stanzas)) == 0) {
		env_index_free(&ctx.env_index);
		return ctx.class;
	}
	saved = errno;
	env_index_free(&ctx.env_index);
	job_class_unref(ctx.class);
	errno = saved;
	return NULL;
}

/* See parse_job.h: like a job file with an empty stanza table, so any
 * stanza is "Unknown stanza" (after the lexer's own checks). */
int
parse_empty_conf(const char *text, size_t len, ParseError *error)
{
	ParseError scratch;
	ParseCtx ctx = {
		.lx = { text ? text : "", text ? len : 0, 0, 1 },
		.error = error ? error : &scratch,
	};

	return parse_stanzas(&ctx, NULL, 0);
}
