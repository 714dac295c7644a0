/* blocked — what a job or an event holds up until it is done.
 *
 * A job started (or stopped) by events holds a block on each of them until
 * it reaches its rest state; a control client that asked to start, stop,
 * restart or emit waits in such a list too.  Releasing the list unblocks
 * the events (marking them failed if the job failed) and answers the
 * clients.
 *
 * Who answers a waiter is not the core's business: the control server
 * registers a handler (blocked_set_waiter_handler), as it registers an
 * event observer, and blocked_list_release() hands each waiter to it.
 *
 * Ownership: a BlockedList owns its Blocked entries and their waiters;
 * an entry for an event owns one blocker count on that event.  The
 * waiter handler takes over the waiter it is given and frees it with
 * waiter_free().
 */
#ifndef UPINIT_BLOCKED_H
#define UPINIT_BLOCKED_H

#include <stdbool.h>
#include <sys/queue.h>

#include <stdint.h>

struct event;
struct job;

/* What a waiting client asked for: it decides the reply. */
typedef enum waiter_kind {
	WAITER_START,
	WAITER_STOP,
	WAITER_RESTART,
	WAITER_EMIT,
} WaiterKind;

/* Someone outside the core waiting for a job or an event to be done. */
typedef struct waiter {
	uint64_t   client_id;    /* the handler's name for the one waiting */
	WaiterKind kind;
	char      *class_name;   /* for the reply when the job is gone */
} Waiter;

/* A new waiter (class_name copied, may be NULL), or NULL. */
Waiter *waiter_new(uint64_t client_id, WaiterKind kind, const char *class_name);
void    waiter_free(Waiter *waiter);

/* Answers a released waiter: `job` (may be NULL) is the instance the
 * wait was about, `failed` whether it failed.  It must free the waiter. */
typedef void (*WaiterHandler)(Waiter *waiter, struct job *job, bool failed);
/* One handler for every list (NULL: released waiters are just freed). */
void blocked_set_waiter_handler(WaiterHandler handler);

typedef enum blocked_type {
	BLOCKED_EVENT,
	BLOCKED_WAITER,
} BlockedType;

typedef struct blocked {
	TAILQ_ENTRY(blocked) link;
	BlockedType          type;
	struct event        *event;   /* BLOCKED_EVENT */
	Waiter              *waiter;  /* BLOCKED_WAITER, owned */
} Blocked;

TAILQ_HEAD(blocked_list, blocked);
typedef struct blocked_list BlockedList;

void blocked_list_init(BlockedList *list);
/* Adds `event` and takes one blocker on it. */
int  blocked_add_event(BlockedList *list, struct event *event);
/* Adds `waiter`; the list takes ownership. */
int  blocked_add_waiter(BlockedList *list, Waiter *waiter);
/* Moves every entry of `from` to the end of `to`. */
void blocked_list_move(BlockedList *to, BlockedList *from);
/* Empties the list: events are unblocked (and marked failed when `failed`),
 * waiters handed to the handler with `job` (may be NULL) and `failed`. */
void blocked_list_release(BlockedList *list, struct job *job, bool failed);

#endif
