/* blocked — what a job or an event holds up until it is done.
 *
 * A job started (or stopped) by events holds a block on each of them until
 * it reaches its rest state; a control client that asked to start, stop,
 * restart or emit waits in such a list too.  Releasing the list unblocks
 * the events (marking them failed if the job failed) and answers the
 * clients.
 *
 * Ownership: a BlockedList owns its Blocked entries and their waiters;
 * an entry for an event owns one blocker count on that event.
 */
#ifndef UPINIT_BLOCKED_H
#define UPINIT_BLOCKED_H

#include <stdbool.h>
#include <sys/queue.h>

struct event;
struct waiter;
struct job;

typedef enum blocked_type {
	BLOCKED_EVENT,
	BLOCKED_WAITER,
} BlockedType;

typedef struct blocked {
	TAILQ_ENTRY(blocked) link;
	BlockedType          type;
	struct event        *event;   /* BLOCKED_EVENT */
	struct waiter       *waiter;  /* BLOCKED_WAITER, owned */
} Blocked;

TAILQ_HEAD(blocked_list, blocked);
typedef struct blocked_list BlockedList;

void blocked_list_init(BlockedList *list);
/* Adds `event` and takes one blocker on it. */
int  blocked_add_event(BlockedList *list, struct event *event);
/* Adds `waiter`; the list takes ownership. */
int  blocked_add_waiter(BlockedList *list, struct waiter *waiter);
/* Moves every entry of `from` to the end of `to`. */
void blocked_list_move(BlockedList *to, BlockedList *from);
/* Empties the list: events are unblocked (and marked failed when `failed`),
 * waiters answered with `job` (may be NULL) and `failed`, then freed. */
void blocked_list_release(BlockedList *list, struct job *job, bool failed);

#endif
