/* event_sources — which sockets and files the loaded jobs listen to.
 *
 * The outside world becomes events inside init itself (docs/event-sources.md
 * says why): socket_source.c makes `socket` events of connections,
 * file_source.c `file` events of inotify, uevent_source.c device events
 * of the kernel's uevents.  The first two need to know what to watch:
 * that is what the `start on` and `stop on` conditions of the registered
 * jobs name.  Whenever the registry changes, event_sources_sync() walks
 * every registered class's leaves named `socket` and `file` and tells
 * each source what is wanted now; each keeps what it has of that, makes
 * what is new and drops the rest.  The registrations are the job files
 * themselves: nothing is registered anywhere else that could be lost.
 *
 * The same walk answers check-config (what these sources emit, and
 * whether a socket or file condition is well formed).
 */
#ifndef UPINIT_EVENT_SOURCES_H
#define UPINIT_EVENT_SOURCES_H

#include <stdbool.h>

#include "init/event_operator.h"

/* System init or init --user: decides what a relative FILE means and
 * whether device events are emitted. */
void        event_sources_init(bool user_mode);

/* Bring the sources in line with the registered jobs when they changed
 * since the last call (cheap otherwise): called from the main loop. */
void        event_sources_sync(void);

/* The next sync walks the jobs even if none changed (reload-configuration:
 * a socket that could not be bound is tried again). */
void        event_sources_resync(void);

/* For check-config: does one of the sources emit `name`? */
bool        event_sources_emits(const char *name);
/* For check-config: a static message when a `socket` or `file` leaf is
 * malformed (it would never fire), else NULL. */
const char *event_sources_check_leaf(const EventOperator *leaf);

#endif
