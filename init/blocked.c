/* blocked — what a job or an event holds up.  See blocked.h. */
#include "init/blocked.h"

#include <stdlib.h>
#include <string.h>

#include "init/event.h"

static WaiterHandler waiter_handler;

void
blocked_set_waiter_handler(WaiterHandler handler)
{
	waiter_handler = handler;
}

Waiter *
waiter_new(uint64_t client_id, WaiterKind kind, const char *class_name)
{
	Waiter *w = calloc(1, sizeof *w);

	if (!w)
		return NULL;
	w->client_id = client_id;
	w->kind = kind;
	if (class_name && !(w->class_name = strdup(class_name))) {
		free(w);
		return NULL;
	}
	return w;
}

void
waiter_free(Waiter *waiter)
{
	if (!waiter)
		return;
	free(waiter->class_name);
	free(waiter);
}

void
blocked_list_init(BlockedList *list)
{
	TAILQ_INIT(list);
}

int
blocked_add_event(BlockedList *list, Event *event)
{
	Blocked *b = calloc(1, sizeof *b);

	if (!b)
		return -1;
	b->type = BLOCKED_EVENT;
	b->event = event;
	event_block(event);
	TAILQ_INSERT_TAIL(list, b, link);
	return 0;
}

int
blocked_add_waiter(BlockedList *list, Waiter *waiter)
{
	Blocked *b = calloc(1, sizeof *b);

	if (!b)
		return -1;
	b->type = BLOCKED_WAITER;
	b->waiter = waiter;
	TAILQ_INSERT_TAIL(list, b, link);
	return 0;
}

void
blocked_list_move(BlockedList *to, BlockedList *from)
{
	Blocked *b;

	while ((b = TAILQ_FIRST(from))) {
		TAILQ_REMOVE(from, b, link);
		TAILQ_INSERT_TAIL(to, b, link);
	}
}

void
blocked_list_release(BlockedList *list, struct job *job, bool failed)
{
	Blocked *b;

	/* Take each entry off before acting: answering a waiter may lead to
	 * more entries being added to a (new) list. */
	while ((b = TAILQ_FIRST(list))) {
		TAILQ_REMOVE(list, b, link);
		if (b->type == BLOCKED_EVENT) {
			if (failed)
				b->event->failed = true;
			event_unblock(b->event);
		} else if (waiter_handler) {
			waiter_handler(b->waiter, job, failed);
		} else {
			waiter_free(b->waiter);
		}
		free(b);
	}
}
