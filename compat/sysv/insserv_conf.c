/* insserv_conf — the LSB facilities.  See insserv_conf.h. */
#include "sysv/insserv_conf.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "lib/textscan.h"

#define WORD_MAX 255

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
	if (!text_next_word(&line, end, word, sizeof word))
		return 0;
	if (word[0] != '$' && !(word[0] == '<' && word[strlen(word) - 1] == '>'))
		return 0;
	if (!(e = entry_get(conf, word)))
		return -1;
	while (text_next_word(&line, end, word, sizeof word))
		if (!strlist_push(&e->members, word))
			return -1;
	return 0;
}

int
insserv_conf_parse(InsservConf *conf, const char *text, size_t len)
{
	const char *line, *end;
	size_t at = 0;

	while (text_next_line(text, len, &at, &line, &end))
		if (parse_line(conf, line, end) < 0)
			return -1;
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
