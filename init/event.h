/* event — the event queue.
 *
 * Events are emitted into a FIFO queue.  event_poll() drives the queue to
 * a fixpoint: a pending event is matched against every job (stop on
 * first, then start on) and becomes `handling`; a handling event with no
 * blockers left is finished: waiting emitters are answered, jobs waiting
 * on it (their own starting/stopping event) move on, EVENT/failed is
 * queued when a job it started failed, and the event is freed.
 *
 * Ownership: the queue owns every Event; nobody else frees one.  Holders
 * of a pointer keep the event alive by holding a blocker (event_block).
 */
#ifndef UPINIT_EVENT_H
#define UPINIT_EVENT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/queue.h>

#include "init/blocked.h"
#include "lib/environ.h"

struct job;

typedef enum event_progress {
	EVENT_PENDING,
	EVENT_HANDLING,
	EVENT_FINISHED,
} EventProgress;

typedef struct event {
	TAILQ_ENTRY(event) link;
	uint64_t           id;
	char              *name;
	EnvList            env;
	EventProgress      progress;
	unsigned           blockers;
	bool               failed;
	BlockedList        blocking;  /* emit clients waiting for the end */
	struct job        *job;       /* the job whose starting/stopping this
					 is, waiting for the event to finish */
	struct record     *record;    /* its history record (one reference),
					 or NULL when it could not be made */
	struct socket_source *socket; /* a `socket` event's listening socket
					 (one reference), or NULL */
} Event;

/* The event variables anyone may see (monitor, history, why, timeline):
 * what init itself puts on job and runlevel events, which status, list
 * and runlevel tell anyone anyway.  The rest (an emitter's values, a
 * job's `export`ed ones) may be secret: only root and the owner see
 * them. */
bool   event_var_public(const char *var);

/* Queue a new event; `env` (may be NULL) is copied.  Returns NULL on ENOMEM. */
Event *event_new(const char *name, const EnvList *env);

static inline void event_block(Event *event)   { event->blockers++; }
static inline void event_unblock(Event *event) { if (event->blockers) event->blockers--; }

/* Drive the queue until nothing more can happen now. */
void   event_poll(void);
/* The same, for about `ms` milliseconds at most (what is under way when
 * they are up is finished first): true when it stopped for time, with
 * work perhaps left for the next call. */
bool   event_poll_for(uint64_t ms);
/* True when events are queued or being handled (used by tests and state). */
bool   event_queue_busy(void);

/* Re-exec: walk the queue in order (start with NULL), find by id, and
 * put back an event as it was (blockers are restored by whoever holds
 * them), with its history record (may be NULL). */
Event *event_next(Event *prev);
Event *event_find_id(uint64_t id);
Event *event_adopt(uint64_t id, const char *name, const EnvList *env,
		   EventProgress progress, bool failed, struct record *record);

/* Drop every queued event without finishing it: no `/failed` event, no
 * job woken, waiters freed unanswered.  Teardown after a restore (tests,
 * fuzzing); the jobs must be gone already or never looked at again. */
void   event_discard_all(void);

/* Observers (initctl monitor): called for every event as it is handled. */
typedef void (*EventObserver)(const Event *event, void *data);
void   event_set_observer(EventObserver fn, void *data);

#endif
