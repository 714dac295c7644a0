/* loop — the single epoll main loop: file descriptors and timers.
 *
 * Callbacks run from loop_run_once(); after each batch the caller drives
 * the event queue (event_poll).  Nothing here blocks except epoll_wait.
 *
 * Ownership: the loop owns Watch and Timer objects; a callback may remove
 * its own watch or timer (and any other) safely.  The loop never closes a
 * watched descriptor: its owner does, after loop_unwatch().
 */
#ifndef UPINIT_LOOP_H
#define UPINIT_LOOP_H

#include <stdint.h>

typedef struct watch Watch;
typedef struct timer Timer;

/* `events` are EPOLLIN/EPOLLOUT...; the callback gets what happened. */
typedef void (*WatchFn)(void *data, int fd, uint32_t events);
typedef void (*TimerFn)(void *data);

int     loop_init(void);
Watch  *loop_watch(int fd, uint32_t events, WatchFn fn, void *data);
int     loop_watch_modify(Watch *watch, uint32_t events);
void    loop_unwatch(Watch *watch);

/* One-shot timer `ms` milliseconds from now (monotonic clock). */
Timer  *loop_timer(uint64_t ms, TimerFn fn, void *data);
void    loop_timer_cancel(Timer *timer);
/* When the timer fires, on loop_now_ms()'s clock. */
uint64_t loop_timer_due(const Timer *timer);

/* Wait for and dispatch one batch; timeout_ms -1 waits for ever (or the
 * next timer).  Returns the number of callbacks run, -1 on error. */
int     loop_run_once(int timeout_ms);

/* Milliseconds of the monotonic clock. */
uint64_t loop_now_ms(void);

#endif
