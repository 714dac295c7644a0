/* rc_depend — insserv's .depend files.  See rc_depend.h. */
#include "sysv/rc_depend.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/textscan.h"

/* Longest name kept; longer words are skipped (no script is named so). */
#define NAME_MAX_LEN 255

typedef struct parser {
	RcDepend *g;
	size_t    cap;
	size_t   *sorted;     /* node indices sorted by name, for lookups */
	unsigned *mark;       /* loop search: visited in search number... */
	unsigned  search;
	size_t   *stack;
} Parser;

static ssize_t
sorted_pos(const Parser *p, const char *name, size_t *insert)
{
	size_t lo = 0, hi = p->g->len;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(name, p->g->nodes[p->sorted[mid]].name);

		if (!c)
			return (ssize_t)mid;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	*insert = lo;
	return -1;
}

/* The node named `name`, made when new; -1 when out of memory. */
static ssize_t
node_get(Parser *p, const char *name)
{
	RcDepend *g = p->g;
	size_t at = 0;
	ssize_t pos = sorted_pos(p, name, &at);
	char *copy;

	if (pos >= 0)
		return (ssize_t)p->sorted[pos];
	if (g->len == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 64;
		RcDependNode *nodes = reallocarray(g->nodes, cap, sizeof *nodes);
		size_t *sorted, *stack;
		unsigned *mark;

		if (nodes)
			g->nodes = nodes;
		sorted = reallocarray(p->sorted, cap, sizeof *sorted);
		if (sorted)
			p->sorted = sorted;
		stack = reallocarray(p->stack, cap, sizeof *stack);
		if (stack)
			p->stack = stack;
		mark = reallocarray(p->mark, cap, sizeof *mark);
		if (mark)
			p->mark = mark;
		if (!nodes || !sorted || !stack || !mark)
			return -1;
		p->cap = cap;
	}
	if (!(copy = strdup(name)))
		return -1;
	g->nodes[g->len] = (RcDependNode){ .name = copy };
	p->mark[g->len] = 0;
	memmove(&p->sorted[at + 1], &p->sorted[at], (g->len - at) * sizeof *p->sorted);
	p->sorted[at] = g->len;
	return (ssize_t)g->len++;
}

/* Does `from` run after `to`, directly or through others? */
static bool
runs_after(Parser *p, size_t from, size_t to)
{
	size_t top = 0;

	p->search++;
	p->stack[top++] = from;
	p->mark[from] = p->search;
	while (top) {
		const RcDependNode *n = &p->g->nodes[p->stack[--top]];

		for (size_t i = 0; i < n->nafter; i++) {
			size_t next = n->after[i];

			if (next == to)
				return true;
			if (p->mark[next] != p->search) {
				p->mark[next] = p->search;
				p->stack[top++] = next;
			}
		}
	}
	return false;
}

static void
report_loop(RcDepend *g, const char *a, const char *b)
{
	char text[2 * NAME_MAX_LEN + 32];

	if (g->messages.len >= RC_DEPEND_MESSAGES_MAX) {
		g->dropped++;
		return;
	}
	snprintf(text, sizeof text, "loop exists %s in %s!", a, b);
	if (!strlist_push(&g->messages, text))
		g->dropped++;
}

/* `node` runs after `dep`; an edge closing a loop is reported instead. */
static int
add_after(Parser *p, size_t node, size_t dep)
{
	RcDependNode *n = &p->g->nodes[node];
	size_t *after;

	for (size_t i = 0; i < n->nafter; i++)
		if (n->after[i] == dep)
			return 0;
	if (node == dep || runs_after(p, dep, node)) {
		report_loop(p->g, p->g->nodes[dep].name, n->name);
		return 0;
	}
	if (!(after = reallocarray(n->after, n->nafter + 1, sizeof *after)))
		return -1;
	n->after = after;
	n->after[n->nafter++] = dep;
	return 0;
}

/* "KEY =" at the start of the line: the rest after '='. */
static const char *
assignment(const char *line, const char *end, const char *key)
{
	size_t klen = strlen(key);
	const char *s = line + klen;

	if ((size_t)(end - line) < klen || memcmp(line, key, klen))
		return NULL;
	while (s < end && isblank((unsigned char)*s))
		s++;
	return s < end && *s == '=' ? s + 1 : NULL;
}

static int
parse_line(Parser *p, const char *line, const char *end)
{
	char word[NAME_MAX_LEN + 1];
	const char *rest, *colon;
	ssize_t node, dep;

	while (line < end && isspace((unsigned char)*line))
		line++;
	if (line == end || *line == '#')
		return 0;
	if ((rest = assignment(line, end, "TARGETS"))) {
		while (text_next_word(&rest, end, word, sizeof word))
			if (node_get(p, word) < 0)
				return -1;
		return 0;
	}
	if ((rest = assignment(line, end, "INTERACTIVE"))) {
		size_t at;

		while (text_next_word(&rest, end, word, sizeof word)) {
			ssize_t pos = sorted_pos(p, word, &at);

			if (pos >= 0)
				p->g->nodes[p->sorted[pos]].interactive = true;
		}
		return 0;
	}
	if (!(colon = memchr(line, ':', (size_t)(end - line))))
		return 0;
	rest = line;
	if (!text_next_word(&rest, colon, word, sizeof word))
		return 0;
	if ((node = node_get(p, word)) < 0)
		return -1;
	rest = colon + 1;
	while (text_next_word(&rest, end, word, sizeof word))
		if ((dep = node_get(p, word)) < 0 || add_after(p, (size_t)node, (size_t)dep) < 0)
			return -1;
	return 0;
}

RcDepend *
rc_depend_parse(const char *text, size_t len)
{
	Parser p = { .g = calloc(1, sizeof *p.g) };
	int rc = 0;

	if (!p.g)
		return NULL;
	const char *line, *end;
	size_t at = 0;

	while (rc == 0 && text_next_line(text, len, &at, &line, &end))
		rc = parse_line(&p, line, end);
	free(p.sorted);
	free(p.mark);
	free(p.stack);
	if (rc < 0) {
		rc_depend_free(p.g);
		return NULL;
	}
	return p.g;
}

void
rc_depend_free(RcDepend *g)
{
	if (!g)
		return;
	for (size_t i = 0; i < g->len; i++) {
		free(g->nodes[i].name);
		free(g->nodes[i].after);
	}
	free(g->nodes);
	strlist_free(&g->messages);
	free(g);
}

ssize_t
rc_depend_index(const RcDepend *g, const char *name)
{
	for (size_t i = 0; i < g->len; i++)
		if (!strcmp(g->nodes[i].name, name))
			return (ssize_t)i;
	return -1;
}

const RcDependNode *
rc_depend_find(const RcDepend *g, const char *name)
{
	ssize_t i = rc_depend_index(g, name);

	return i < 0 ? NULL : &g->nodes[i];
}
