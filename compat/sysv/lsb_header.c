/* lsb_header — the LSB comment block of an init script.  See
 * lsb_header.h. */
#include "sysv/lsb_header.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/textscan.h"

#define BEGIN_LINE "### BEGIN INIT INFO"
#define END_LINE   "### END INIT INFO"

static const char level_order[] = "0123456S";

bool
lsb_levels_have(const char *levels, char c)
{
	return c != '\0' && strchr(levels, c) != NULL;
}

/* Add each level word of `value` to `levels`, keeping level_order.
 * Words of more than one character are no level. */
static void
parse_levels(const char *value, size_t len, char *levels)
{
	char have[sizeof level_order] = { 0 }, word[2];
	const char *at = value;
	size_t n = 0;

	while (text_next_word(&at, value + len, word, sizeof word)) {
		char c = (char)toupper((unsigned char)word[0]);
		const char *in = strchr(level_order, c);

		if (in && c)
			have[in - level_order] = 1;
	}
	for (size_t i = 0; i < sizeof level_order - 1; i++)
		if (have[i])
			levels[n++] = level_order[i];
	levels[n] = '\0';
}

/* Append each word of `value` to `list`. */
static bool
push_words(StrList *list, const char *value, size_t len)
{
	const char *at = value;
	char word[256];

	while (text_next_word(&at, value + len, word, sizeof word))
		if (!strlist_push(list, word))
			return false;
	return true;
}

static StrList *
word_list(LsbHeader *h, const char *key, size_t klen)
{
	static const struct {
		const char *key;
		size_t      offset;
	} lists[] = {
		{ "Provides", offsetof(LsbHeader, provides) },
		{ "Required-Start", offsetof(LsbHeader, required_start) },
		{ "Required-Stop", offsetof(LsbHeader, required_stop) },
		{ "Should-Start", offsetof(LsbHeader, should_start) },
		{ "Should-Stop", offsetof(LsbHeader, should_stop) },
		{ "X-Start-Before", offsetof(LsbHeader, start_before) },
		{ "X-Stop-After", offsetof(LsbHeader, stop_after) },
	};

	for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++)
		if (strlen(lists[i].key) == klen && !strncasecmp(lists[i].key, key, klen))
			return (StrList *)((char *)h + lists[i].offset);
	return NULL;
}

static bool
key_is(const char *key, size_t klen, const char *name)
{
	return strlen(name) == klen && !strncasecmp(key, name, klen);
}

/* One line of the block: "# Keyword: value".  False when out of memory. */
static bool
parse_line(LsbHeader *h, const char *line, size_t len)
{
	const char *key, *colon, *value;
	size_t klen, vlen;
	StrList *list;

	if (len == 0 || line[0] != '#')
		return true;
	key = line + 1;
	while (key < line + len && isblank((unsigned char)*key))
		key++;
	if (!(colon = memchr(key, ':', (size_t)(line + len - key))))
		return true;
	klen = (size_t)(colon - key);
	value = colon + 1;
	vlen = (size_t)(line + len - value);
	while (vlen && isspace((unsigned char)value[vlen - 1]))
		vlen--;
	if ((list = word_list(h, key, klen)))
		return push_words(list, value, vlen);
	if (key_is(key, klen, "Default-Start")) {
		parse_levels(value, vlen, h->default_start);
	} else if (key_is(key, klen, "Default-Stop")) {
		parse_levels(value, vlen, h->default_stop);
	} else if (key_is(key, klen, "X-Interactive")) {
		while (vlen && isblank((unsigned char)*value)) {
			value++;
			vlen--;
		}
		h->interactive = vlen == 4 && !strncasecmp(value, "true", 4);
	} else if (key_is(key, klen, "Short-Description") && !h->short_description) {
		while (vlen && isblank((unsigned char)*value)) {
			value++;
			vlen--;
		}
		if (!(h->short_description = strndup(value, vlen)))
			return false;
	}
	return true;
}

/* Does the line start with `prefix` (then only blanks)? */
static bool
line_is(const char *line, size_t len, const char *prefix)
{
	size_t plen = strlen(prefix);

	if (len < plen || memcmp(line, prefix, plen))
		return false;
	for (size_t i = plen; i < len; i++)
		if (!isspace((unsigned char)line[i]))
			return false;
	return true;
}

int
lsb_header_parse(const char *text, size_t len, LsbHeader *h)
{
	bool inside = false;

	const char *line, *end;
	size_t at = 0;

	while (text_next_line(text, len, &at, &line, &end)) {
		size_t llen = (size_t)(end - line);

		if (!inside) {
			if (line_is(line, llen, BEGIN_LINE))
				inside = h->found = true;
			continue;
		}
		if (line_is(line, llen, END_LINE))
			break;
		if (!parse_line(h, line, llen)) {
			lsb_header_free(h);
			return -1;
		}
	}
	return 0;
}

void
lsb_header_free(LsbHeader *h)
{
	strlist_free(&h->provides);
	strlist_free(&h->required_start);
	strlist_free(&h->required_stop);
	strlist_free(&h->should_start);
	strlist_free(&h->should_stop);
	strlist_free(&h->start_before);
	strlist_free(&h->stop_after);
	free(h->short_description);
	memset(h, 0, sizeof *h);
}
