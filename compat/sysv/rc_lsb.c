/* rc_lsb — an ordering from the scripts' LSB headers.  See rc_lsb.h. */
#include "sysv/rc_lsb.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "lib/strbuf.h"

/* Facilities naming facilities: deeper than this is a loop. */
#define FACILITY_DEPTH 8

typedef struct builder {
	const RcScript    *scripts;
	size_t             n;
	const InsservConf *conf;
	bool              *after;   /* n x n: after[x * n + y]: x runs after y */
} Builder;

static bool
provides(const RcScript *s, const char *name)
{
	const StrList *p = &s->header->provides;

	for (size_t i = 0; i < p->len; i++)
		if (!strcmp(p->items[i], name))
			return true;
	/* A script without a header is known by its file name. */
	return !s->header->found && !strcmp(s->name, name);
}

static bool
asks_all(const RcScript *s, RcLsbMode mode)
{
	const StrList *lists[2];

	if (mode == RC_LSB_START) {
		lists[0] = &s->header->required_start;
		lists[1] = &s->header->should_start;
	} else {
		lists[0] = &s->header->required_stop;
		lists[1] = &s->header->should_stop;
	}
	for (int l = 0; l < 2; l++)
		for (size_t i = 0; i < lists[l]->len; i++)
			if (!strcmp(lists[l]->items[i], "$all"))
				return true;
	return false;
}

/* Do x and y share a runlevel of the mode (as insserv's $all asks)?  A
 * script without levels shares all. */
static bool
share_level(const RcScript *x, const RcScript *y, RcLsbMode mode)
{
	const char *a = mode == RC_LSB_START ? x->header->default_start : x->header->default_stop;
	const char *b = mode == RC_LSB_START ? y->header->default_start : y->header->default_stop;

	if (!a[0] || !b[0])
		return true;
	for (; *a; a++)
		if (lsb_levels_have(b, *a))
			return true;
	return false;
}

/* Call `edge(b, x, y)` for every script y that `name` stands for. */
static void
resolve(Builder *b, const char *name, size_t x, int depth, RcLsbMode mode,
	void (*edge)(Builder *b, size_t x, size_t y))
{
	const InsservEntry *fac;

	if (name[0] == '+')
		name++;
	if (!strcmp(name, "$all")) {
		for (size_t y = 0; y < b->n; y++)
			if (y != x && !asks_all(&b->scripts[y], mode) &&
			    share_level(&b->scripts[x], &b->scripts[y], mode))
				edge(b, x, y);
		return;
	}
	for (size_t y = 0; y < b->n; y++)
		if (y != x && provides(&b->scripts[y], name))
			edge(b, x, y);
	if (name[0] == '$' && b->conf && depth < FACILITY_DEPTH &&
	    (fac = insserv_conf_find(b->conf, name)))
		for (size_t i = 0; i < fac->members.len; i++)
			resolve(b, fac->members.items[i], x, depth + 1, mode, edge);
}

/* x runs after y. */
static void
after(Builder *b, size_t x, size_t y)
{
	b->after[x * b->n + y] = true;
}

/* y runs after x. */
static void
before(Builder *b, size_t x, size_t y)
{
	b->after[y * b->n + x] = true;
}

static void
resolve_all(Builder *b, size_t x, const StrList *names, RcLsbMode mode,
	    void (*edge)(Builder *b, size_t x, size_t y))
{
	for (size_t i = 0; i < names->len; i++)
		resolve(b, names->items[i], x, 0, mode, edge);
}

static bool
interactive(const Builder *b, const RcScript *s)
{
	const InsservEntry *list = b->conf ? insserv_conf_find(b->conf, "<interactive>") : NULL;

	if (s->header->interactive)
		return true;
	for (size_t i = 0; list && i < list->members.len; i++)
		if (!strcmp(list->members.items[i], s->name) || provides(s, list->members.items[i]))
			return true;
	return false;
}

static void
add(StrBuf *out, const char *a, const char *b)
{
	sb_add(out, a, strlen(a));
	if (b)
		sb_add(out, b, strlen(b));
}

static char *
write_text(const Builder *b)
{
	StrBuf out = { NULL, 0, 0, false };

	add(&out, "TARGETS =", NULL);
	for (size_t x = 0; x < b->n; x++)
		add(&out, " ", b->scripts[x].name);
	add(&out, "\nINTERACTIVE =", NULL);
	for (size_t x = 0; x < b->n; x++)
		if (interactive(b, &b->scripts[x]))
			add(&out, " ", b->scripts[x].name);
	add(&out, "\n", NULL);
	for (size_t x = 0; x < b->n; x++) {
		bool any = false;

		for (size_t y = 0; y < b->n; y++) {
			if (!b->after[x * b->n + y])
				continue;
			if (!any)
				add(&out, b->scripts[x].name, ":");
			add(&out, " ", b->scripts[y].name);
			any = true;
		}
		if (any)
			add(&out, "\n", NULL);
	}
	if (out.failed) {
		free(out.s);
		return NULL;
	}
	return out.s;
}

char *
rc_lsb_depend_text(const RcScript *scripts, size_t n, const InsservConf *conf, RcLsbMode mode)
{
	Builder b = { .scripts = scripts, .n = n, .conf = conf };
	char *text;

	if (n && !(b.after = calloc(n * n, sizeof *b.after)))
		return NULL;
	for (size_t x = 0; x < n; x++) {
		const LsbHeader *h = scripts[x].header;

		if (mode == RC_LSB_START) {
			resolve_all(&b, x, &h->required_start, mode, after);
			resolve_all(&b, x, &h->should_start, mode, after);
			resolve_all(&b, x, &h->start_before, mode, before);
		} else {
			resolve_all(&b, x, &h->required_stop, mode, before);
			resolve_all(&b, x, &h->should_stop, mode, before);
			resolve_all(&b, x, &h->stop_after, mode, after);
		}
	}
	text = write_text(&b);
	free(b.after);
	return text;
}
