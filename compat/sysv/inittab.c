/* inittab — a parser for sysvinit's /etc/inittab.  See inittab.h. */
#include "sysv/inittab.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- actions ---------------------------------------------------------- */

static const struct {
	const char *name;
	bool        waits;
} actions[INITTAB_N_ACTIONS] = {
	[INITTAB_RESPAWN]      = { "respawn",      false },
	[INITTAB_WAIT]         = { "wait",         true  },
	[INITTAB_ONCE]         = { "once",         false },
	[INITTAB_BOOT]         = { "boot",         false },
	[INITTAB_BOOTWAIT]     = { "bootwait",     true  },
	[INITTAB_ONDEMAND]     = { "ondemand",     false },
	[INITTAB_POWERWAIT]    = { "powerwait",    true  },
	[INITTAB_POWERFAIL]    = { "powerfail",    false },
	[INITTAB_POWEROKWAIT]  = { "powerokwait",  true  },
	[INITTAB_POWERFAILNOW] = { "powerfailnow", true  },
	[INITTAB_CTRLALTDEL]   = { "ctrlaltdel",   true  },
	[INITTAB_KBREQUEST]    = { "kbrequest",    false },
	[INITTAB_INITDEFAULT]  = { "initdefault",  false },
	[INITTAB_SYSINIT]      = { "sysinit",      true  },
	[INITTAB_OFF]          = { "off",          false },
};

const char *
inittab_action_name(InittabAction action)
{
	if ((unsigned)action >= INITTAB_N_ACTIONS)
		return NULL;
	return actions[action].name;
}

int
inittab_action_parse(const char *name)
{
	for (int i = 0; i < INITTAB_N_ACTIONS; i++)
		if (strcasecmp(name, actions[i].name) == 0)
			return i;
	return -1;
}

bool
inittab_action_waits(InittabAction action)
{
	return (unsigned)action < INITTAB_N_ACTIONS && actions[action].waits;
}

/* The actions sysvinit lets run in S too when the levels field is empty. */
static bool
is_power_action(InittabAction action)
{
	return action == INITTAB_POWERWAIT || action == INITTAB_POWERFAIL ||
	       action == INITTAB_POWEROKWAIT ||
	       action == INITTAB_POWERFAILNOW || action == INITTAB_CTRLALTDEL;
}

/* ---- words of a command (no allocation) ------------------------------- */

typedef struct word {
	const char *s;
	size_t      n;
} Word;

#define MAX_WORDS 32

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Split `s` into words the way sh would for the simple lines inittab
 * holds: blanks separate, '...' and "..." quote, a backslash escapes the
 * next character (inside "..." only before " \\ $ `).  The unquoted words
 * go into `buf`, which has room for strlen(s) + 1 bytes. */
static size_t
split_words(const char *s, char *buf, Word *words, size_t max)
{
	size_t n = 0;
	char *out = buf;

	while (n < max) {
		char quote = 0;

		while (is_blank(*s))
			s++;
		if (!*s)
			break;
		words[n].s = out;
		for (; *s && (quote || !is_blank(*s)); s++) {
			if (quote == '\'') {
				if (*s == '\'')
					quote = 0;
				else
					*out++ = *s;
			} else if (*s == '\\' && s[1] &&
				   (!quote || strchr("\"\\$`", s[1]))) {
				*out++ = *++s;
			} else if (*s == '"' && quote == '"') {
				quote = 0;
			} else if (!quote && (*s == '\'' || *s == '"')) {
				quote = *s;
			} else {
				*out++ = *s;
			}
		}
		words[n].n = (size_t)(out - words[n].s);
		n++;
	}
	return n;
}

static bool
word_is(Word w, const char *str)
{
	return strlen(str) == w.n && memcmp(w.s, str, w.n) == 0;
}

static bool
word_in(Word w, const char *const *list)
{
	for (; *list; list++)
		if (word_is(w, *list))
			return true;
	return false;
}

/* ---- which tty a getty serves ----------------------------------------- */

static const char *const getty_programs[] = {
	"getty", "agetty", "mingetty", "fgetty", "mgetty", NULL,
};

/* Long options of agetty and mingetty that take the next word when not
 * written as --name=value. */
static const char *const getty_long_with_arg[] = {
	"autologin", "chdir", "delay", "issue-file", "host", "init-string",
	"login-program", "login-options", "nice", "chroot", "timeout",
	"erase-chars", "kill-chars", "nologin-message", "loginprog", NULL,
};

/* agetty's short options with an argument (util-linux getopt string). */
static const char getty_short_with_arg[] = "aCdfHIloPrt";

/* A baud rate list, "38400" or "115200,38400,9600". */
static bool
is_speed(Word w)
{
	if (w.n == 0)
		return false;
	for (size_t i = 0; i < w.n; i++)
		if (!((w.s[i] >= '0' && w.s[i] <= '9') || w.s[i] == ','))
			return false;
	return true;
}

/* The port of a getty command line: agetty's `[options] port [baud]
 * [term]` and its `baud port` form, mingetty's `[options] tty`, and for
 * mgetty (`[options] tty`, options of its own) the last operand. */
static bool
getty_port(const Word *words, size_t n, Word *port)
{
	Word operands[MAX_WORDS];
	size_t n_ops = 0;
	bool options_done = false;
	bool mgetty = word_is(words[0], "mgetty") ||
		      (words[0].n > 7 &&
		       memcmp(words[0].s + words[0].n - 7, "/mgetty", 7) == 0);

	for (size_t i = 1; i < n; i++) {
		Word w = words[i];

		if (options_done || w.n < 2 || w.s[0] != '-') {
			operands[n_ops++] = w;
		} else if (word_is(w, "--")) {
			options_done = true;
		} else if (w.s[1] == '-') {
			Word name = { w.s + 2, w.n - 2 };

			if (!memchr(name.s, '=', name.n) &&
			    word_in(name, getty_long_with_arg))
				i++;
		} else {
			for (size_t j = 1; j < w.n; j++) {
				if (!strchr(getty_short_with_arg, w.s[j]))
					continue;
				if (j + 1 == w.n)
					i++;    /* the argument is the next word */
				break;
			}
		}
	}
	if (n_ops == 0)
		return false;
	if (mgetty)
		*port = operands[n_ops - 1];
	else if (is_speed(operands[0]))
		*port = n_ops > 1 ? operands[1] : (Word){ NULL, 0 };
	else
		*port = operands[0];
	return port->s != NULL;
}

/* A login started by hand on a tty: `... </dev/tty1` or `< /dev/tty1`. */
static bool
stdin_tty(const Word *words, size_t n, Word *port)
{
	for (size_t i = 1; i < n; i++) {
		Word w = words[i];

		if (w.n >= 2 && w.s[0] == '0' && w.s[1] == '<') {
			w.s++;
			w.n--;
		}
		if (w.n == 0 || w.s[0] != '<')
			continue;
		if (w.n > 1) {
			*port = (Word){ w.s + 1, w.n - 1 };
		} else if (i + 1 < n) {
			*port = words[i + 1];
		} else {
			return false;
		}
		return port->n > 5 && memcmp(port->s, "/dev/", 5) == 0;
	}
	return false;
}

/* "tty1" from "tty1" or "/dev/tty1"; NULL for "-" (agetty: stdin) or
 * anything that cannot be a device name under /dev. */
static char *
tty_name(Word port)
{
	if (port.n > 5 && memcmp(port.s, "/dev/", 5) == 0) {
		port.s += 5;
		port.n -= 5;
	}
	if (port.n == 0 || port.n > 64 || port.s[0] == '/' ||
	    port.s[0] == '-' || port.s[0] == '.')
		return NULL;
	for (size_t i = 0; i < port.n; i++) {
		char c = port.s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || strchr("_-./:", c)))
			return NULL;
	}
	return strndup(port.s, port.n);
}

static Word
basename_of(Word w)
{
	for (size_t i = w.n; i > 0; i--)
		if (w.s[i - 1] == '/')
			return (Word){ w.s + i, w.n - i };
	return w;
}

/* Sets role, rc_level and tty.  Returns -1 only when out of memory. */
static int
classify(InittabEntry *entry)
{
	Word words[MAX_WORDS], port;
	char buf[INITTAB_PROCESS_MAX + 1];
	size_t n;

	entry->role = INITTAB_ROLE_PLAIN;
	if (entry->action == INITTAB_OFF || entry->action == INITTAB_INITDEFAULT)
		return 0;
	n = split_words(entry->command, buf, words, MAX_WORDS);
	if (n == 0)
		return 0;

	if (n == 1 && word_is(words[0], "/etc/init.d/rcS")) {
		entry->role = INITTAB_ROLE_RCS;
		return 0;
	}
	if (n == 2 && word_is(words[0], "/etc/init.d/rc") && words[1].n == 1 &&
	    strchr("0123456Ss", words[1].s[0])) {
		entry->role = INITTAB_ROLE_RC;
		entry->rc_level = words[1].s[0] == 's' ? 'S' : words[1].s[0];
		return 0;
	}
	if (!(word_in(basename_of(words[0]), getty_programs) &&
	      getty_port(words, n, &port)) &&
	    !stdin_tty(words, n, &port))
		return 0;

	errno = 0;
	entry->tty = tty_name(port);
	if (!entry->tty)
		return errno == ENOMEM ? -1 : 0;
	entry->role = INITTAB_ROLE_GETTY;
	return 0;
}

/* ---- the parser ------------------------------------------------------- */

typedef struct parser {
	Inittab    *tab;
	const char *file;
	unsigned    line;
	size_t      cap;            /* of tab->entries */
	size_t      untold;         /* messages past INITTAB_MESSAGES_MAX */
	uint32_t   *ids;            /* open addressing; 0 = free slot */
	size_t      ids_cap;        /* a power of two */
	size_t      ids_len;
	bool        oom;
} Parser;

static void say(Parser *p, bool error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
say(Parser *p, bool error, const char *fmt, ...)
{
	Inittab *tab = p->tab;
	char text[160], *line;
	va_list ap;

	if (error)
		tab->n_errors++;
	else
		tab->n_warnings++;
	if (tab->n_messages >= INITTAB_MESSAGES_MAX) {
		p->untold++;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	if (asprintf(&line, "%s:%u: %s", p->file, p->line, text) < 0) {
		p->oom = true;
		return;
	}
	tab->messages[tab->n_messages++] = (InittabMessage){
		.line = p->line, .error = error, .text = line,
	};
}

/* A field for a message: at most 32 bytes, unprintable bytes as '?'. */
static const char *
shown(const char *s, size_t n, char buf[static 36])
{
	size_t i;

	for (i = 0; i < n && i < 32; i++)
		buf[i] = (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?';
	if (n > 32) {
		memcpy(buf + i, "...", 3);
		i += 3;
	}
	buf[i] = '\0';
	return buf;
}

static uint32_t
id_key(const char *id, size_t n)
{
	uint32_t key = 0;

	for (size_t i = 0; i < n; i++)
		key |= (uint32_t)(unsigned char)id[i] << (8 * i);
	return key;   /* never 0: ids are 1-4 bytes, none of them NUL */
}

/* Adds `id` to the set; returns 1 if it was new, 0 if seen, -1 on ENOMEM. */
static int
id_insert(Parser *p, const char *id, size_t n)
{
	uint32_t key = id_key(id, n);
	size_t i;

	if ((p->ids_len + 1) * 2 > p->ids_cap) {
		size_t cap = p->ids_cap ? p->ids_cap * 2 : 64;
		uint32_t *ids = calloc(cap, sizeof *ids);

		if (!ids)
			return -1;
		for (size_t j = 0; j < p->ids_cap; j++) {
			if (!p->ids[j])
				continue;
			for (i = (p->ids[j] * 2654435761u) & (cap - 1); ids[i];
			     i = (i + 1) & (cap - 1))
				;
			ids[i] = p->ids[j];
		}
		free(p->ids);
		p->ids = ids;
		p->ids_cap = cap;
	}
	for (i = (key * 2654435761u) & (p->ids_cap - 1); p->ids[i];
	     i = (i + 1) & (p->ids_cap - 1))
		if (p->ids[i] == key)
			return 0;
	p->ids[i] = key;
	p->ids_len++;
	return 1;
}

/* levels: what the runlevels field means for this action (inittab.h). */
static void
fill_levels(Parser *p, InittabEntry *entry, const char *field, size_t n)
{
	size_t out = 0;
	bool warned = false;
	char buf[36];

	if (entry->action == INITTAB_SYSINIT || entry->action == INITTAB_BOOT ||
	    entry->action == INITTAB_BOOTWAIT)
		return;
	if (n == 0) {
		strcpy(entry->levels, is_power_action(entry->action) ?
		       "S0123456789" : "0123456789");
		return;
	}
	for (size_t i = 0; i < n; i++) {
		char c = field[i];

		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (c == '\0' || !strchr("0123456789SABC", c)) {
			if (!warned)
				say(p, false, "unknown runlevel '%s' ignored",
				    shown(&field[i], 1, buf));
			warned = true;
			continue;
		}
		if (!memchr(entry->levels, c, out))
			entry->levels[out++] = c;
	}
	entry->levels[out] = '\0';
}

static void
note_initdefault(Parser *p, const char *field, size_t n)
{
	char buf[36];

	if (n == 1 && field[0] != '\0' && strchr("0123456sS", field[0])) {
		p->tab->default_level = field[0] == 's' ? 'S' : field[0];
		p->tab->default_line = p->line;
		return;
	}
	say(p, false, "initdefault level \"%s\" is not one of 0-6 or S: "
	    "ignored", shown(field, n, buf));
}

static InittabEntry *
new_entry(Parser *p)
{
	Inittab *tab = p->tab;

	if (tab->len == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 32;
		InittabEntry *entries = reallocarray(tab->entries, cap,
						     sizeof *entries);

		if (!entries)
			return NULL;
		tab->entries = entries;
		p->cap = cap;
	}
	memset(&tab->entries[tab->len], 0, sizeof tab->entries[0]);
	return &tab->entries[tab->len++];
}

/* One line, without its newline. */
static void
parse_line(Parser *p, const char *s, size_t n)
{
	const char *end = s + n, *c1, *c2, *c3;
	const char *id, *levels, *action, *process;
	size_t id_n, levels_n, action_n, process_n;
	char name[36], buf[36];
	InittabEntry *entry;
	int act;

	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	if (s == end || *s == '#')
		return;
	if (memchr(s, '\0', (size_t)(end - s))) {
		say(p, true, "line contains a NUL byte");
		return;
	}

	/* id:runlevels:action:process — the process keeps its colons. */
	c1 = memchr(s, ':', (size_t)(end - s));
	c2 = c1 ? memchr(c1 + 1, ':', (size_t)(end - c1 - 1)) : NULL;
	c3 = c2 ? memchr(c2 + 1, ':', (size_t)(end - c2 - 1)) : NULL;
	if (c1 == s) {
		say(p, true, "missing id field");
		return;
	}
	if (!c1) {
		say(p, true, "missing runlevel field");
		return;
	}
	if (!c2 || (c3 ? c3 : end) == c2 + 1) {
		say(p, true, "missing action field");
		return;
	}
	if (!c3) {
		say(p, true, "missing process field");
		return;
	}
	id = s;               id_n = (size_t)(c1 - s);
	levels = c1 + 1;      levels_n = (size_t)(c2 - levels);
	action = c2 + 1;      action_n = (size_t)(c3 - action);
	process = c3 + 1;     process_n = (size_t)(end - process);

	if (id_n > INITTAB_ID_MAX) {
		say(p, true, "id field too long (max %d characters)",
		    INITTAB_ID_MAX);
		return;
	}
	if (levels_n > INITTAB_RUNLEVELS_MAX) {
		say(p, true, "rlevel field too long (max %d characters)",
		    INITTAB_RUNLEVELS_MAX);
		return;
	}
	if (process_n > INITTAB_PROCESS_MAX) {
		say(p, true, "process field too long (max %d characters)",
		    INITTAB_PROCESS_MAX);
		return;
	}
	act = -1;
	if (action_n <= 32) {
		memcpy(name, action, action_n);
		name[action_n] = '\0';
		act = inittab_action_parse(name);
	}
	if (act < 0) {
		say(p, true, "%s: unknown action field",
		    shown(action, action_n, buf));
		return;
	}

	/* The first line with an id wins, as in sysvinit; initdefault lines
	 * name no process, so rc-sysinit's "last one wins" can apply. */
	if (act != INITTAB_INITDEFAULT && !(id_n == 2 && !memcmp(id, "~~", 2))) {
		int fresh = id_insert(p, id, id_n);

		if (fresh < 0) {
			p->oom = true;
			return;
		}
		if (!fresh) {
			say(p, true, "duplicate ID field \"%s\"",
			    shown(id, id_n, buf));
			return;
		}
	}

	entry = new_entry(p);
	if (!entry) {
		p->oom = true;
		return;
	}
	entry->line = p->line;
	entry->action = (InittabAction)act;
	memcpy(entry->id, id, id_n);
	memcpy(entry->runlevels, levels, levels_n);
	fill_levels(p, entry, levels, levels_n);
	entry->process = strndup(process, process_n);
	if (!entry->process) {
		p->oom = true;
		return;
	}
	entry->command = entry->process;
	if (*entry->command == '+') {
		entry->no_utmp = true;
		entry->command++;
	}
	if (*entry->command == '@') {
		entry->no_shell = true;
		entry->command++;
	}
	if (classify(entry) < 0) {
		p->oom = true;
		return;
	}
	if (act == INITTAB_INITDEFAULT)
		note_initdefault(p, levels, levels_n);
}

void
inittab_free(Inittab *tab)
{
	if (!tab)
		return;
	for (size_t i = 0; i < tab->len; i++) {
		free(tab->entries[i].process);
		free(tab->entries[i].tty);
	}
	free(tab->entries);
	for (size_t i = 0; i < tab->n_messages; i++)
		free(tab->messages[i].text);
	free(tab->messages);
	free(tab);
}

Inittab *
inittab_parse(const char *text, size_t len, const char *file)
{
	Parser p = { .file = file ? file : INITTAB_PATH };
	const char *s = text, *end = text + len;

	p.tab = calloc(1, sizeof *p.tab);
	if (!p.tab)
		return NULL;
	/* Room for every kept message and the "more not shown" line. */
	p.tab->messages = calloc(INITTAB_MESSAGES_MAX + 1,
				 sizeof *p.tab->messages);
	if (!p.tab->messages)
		goto oom;

	while (s < end && !p.oom) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *eol = nl ? nl : end;

		p.line++;
		parse_line(&p, s, (size_t)(eol - s));
		s = nl ? nl + 1 : end;
	}
	if (p.oom)
		goto oom;
	if (p.untold) {
		char *line;

		if (asprintf(&line, "%s: %zu more problems not shown", p.file,
			     p.untold) < 0)
			goto oom;
		p.tab->messages[p.tab->n_messages++] = (InittabMessage){
			.line = 0, .error = false, .text = line,
		};
	}
	free(p.ids);
	return p.tab;

oom:
	free(p.ids);
	inittab_free(p.tab);
	errno = ENOMEM;
	return NULL;
}

/* ---- queries ---------------------------------------------------------- */

const InittabEntry *
inittab_find(const Inittab *tab, const char *id)
{
	for (size_t i = 0; i < tab->len; i++)
		if (strcmp(tab->entries[i].id, id) == 0)
			return &tab->entries[i];
	return NULL;
}

const InittabEntry *
inittab_tty_entry(const Inittab *tab, const char *tty)
{
	if (strncmp(tty, "/dev/", 5) == 0)
		tty += 5;
	for (size_t i = 0; i < tab->len; i++)
		if (tab->entries[i].role == INITTAB_ROLE_GETTY &&
		    strcmp(tab->entries[i].tty, tty) == 0)
			return &tab->entries[i];
	return NULL;
}

bool
inittab_entry_in_level(const InittabEntry *entry, char level)
{
	if (level >= 'a' && level <= 'z')
		level = (char)(level - 'a' + 'A');
	return level != '\0' && strchr(entry->levels, level) != NULL;
}
