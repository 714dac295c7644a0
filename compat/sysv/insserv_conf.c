/* insserv_conf — the LSB facilities.  See insserv_conf.h. */
#include "sysv/insserv_conf.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define WORD_MAX 255

static bool
next_word(const char **at, const char *end, char *word)
{
	for (;;) {
		const char *s = *at;
		size_t n;

		while (s < end && isspace((unsigned char)*s))
			s++;
		if (s == end)
			return false;
		for (n = 0; s + n < end && !isspace((unsigned char)s[n]); n++)
			;
		*at = s + n;
		if (n <= WORD_MAX && !memchr(s, '\0', n)) {
			memcpy(word, s, n);
			word[n] = '\0';
			return true;
		}
	}
}

static InsservEntry *
entry_get(InsservConf *conf, const char *name)
{
	InsservEntry *e = (InsservEntry *)insserv_conf_find(conf, name);
	InsservEntry *entries;

	if (e)
		return e;
	if (!(entries = reallocarray(conf->entries, conf->len + 1, sizeof *entries)))
		return NULL;
	conf->entries = entries;
	e = &entries[conf->len];
	*e = (InsservEntry){ .name = strdup(name) };
	if (!e->name)
		return NULL;
	conf->len++;
	return e;
}

static int
parse_line(InsservConf *conf, const char *line, const char *end)
{
	const char *hash = memchr(line, '#', (size_t)(end - line));
	char word[WORD_MAX + 1];
	InsservEntry *e;

	if (hash)
		end = hash;
	if (!next_word(&line, end, word))
		return 0;
	if (word[0] != '$' && !(word[0] == '<' && word[strlen(word) - 1] == '>'))
		return 0;
	if (!(e = entry_get(conf, word)))
		return -1;
	while (next_word(&line, end, word))
		if (!strlist_push(&e->members, word))
			return -1;
	return 0;
}

int
insserv_conf_parse(InsservConf *conf, const char *text, size_t len)
{
	for (size_t at = 0; at < len;) {
		const char *line = text + at, *nl = memchr(line, '\n', len - at);
		const char *end = nl ? nl : text + len;

		at = (size_t)(end - text) + (nl ? 1 : 0);
		if (parse_line(conf, line, end) < 0)
			return -1;
	}
	return 0;
}

void
insserv_conf_free(InsservConf *conf)
{
	for (size_t i = 0; i < conf->len; i++) {
		free(conf->entries[i].name);
		strlist_free(&conf->entries[i].members);
	}
	free(conf->entries);
	conf->entries = NULL;
	conf->len = 0;
}

const InsservEntry *
insserv_conf_find(const InsservConf *conf, const char *name)
{
	for (size_t i = 0; i < conf->len; i++)
		if (!strcmp(conf->entries[i].name, name))
			return &conf->entries[i];
	return NULL;
}
