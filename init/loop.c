/* loop — epoll main loop with one-shot timers.  See loop.h. */
#include "init/loop.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/queue.h>
#include <time.h>
#include <unistd.h>

struct watch {
	LIST_ENTRY(watch) link;
	int      fd;
	WatchFn  fn;
	void    *data;
	bool     dead;   /* removed while a batch was being dispatched */
};

struct timer {
	size_t   slot;     /* where it is in the heap */
	uint64_t due_ms;
	uint64_t seq;      /* among timers due at the same time, first made first */
	TimerFn  fn;
	void    *data;
};

static int epoll_fd = -1;
static LIST_HEAD(, watch) watches = LIST_HEAD_INITIALIZER(watches);
static LIST_HEAD(, watch) graveyard = LIST_HEAD_INITIALIZER(graveyard);
/* Timers in a binary heap, soonest first: adding, cancelling and firing
 * one cost O(log n).  A sorted list cost O(n) per timer added, and every
 * control request re-arms its client's idle timer: with a thousand
 * clients connected, each request walked a thousand timers, and a
 * re-exec that restored them walked half a million. */
static Timer **heap;
static size_t nheap, heap_cap;
static uint64_t next_seq;
static bool dispatching;

uint64_t
loop_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

int
loop_init(void)
{
	if (epoll_fd >= 0)
		return 0;
	epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	return epoll_fd < 0 ? -1 : 0;
}

Watch *
loop_watch(int fd, uint32_t events, WatchFn fn, void *data)
{
	struct epoll_event ev = { .events = events };
	Watch *watch;

	if (loop_init() < 0)
		return NULL;
	watch = calloc(1, sizeof *watch);
	if (!watch)
		return NULL;
	watch->fd = fd;
	watch->fn = fn;
	watch->data = data;
	ev.data.ptr = watch;
	if (epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &ev) < 0) {
		free(watch);
		return NULL;
	}
	LIST_INSERT_HEAD(&watches, watch, link);
	return watch;
}

int
loop_watch_modify(Watch *watch, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.ptr = watch };

	return epoll_ctl(epoll_fd, EPOLL_CTL_MOD, watch->fd, &ev);
}

void
loop_unwatch(Watch *watch)
{
	if (!watch)
		return;
	epoll_ctl(epoll_fd, EPOLL_CTL_DEL, watch->fd, NULL);
	LIST_REMOVE(watch, link);
	/* A later entry of the current epoll batch may still point here:
	 * keep the memory until the batch is over. */
	if (dispatching) {
		watch->dead = true;
		LIST_INSERT_HEAD(&graveyard, watch, link);
	} else {
		free(watch);
	}
}

static bool
earlier(const Timer *a, const Timer *b)
{
	return a->due_ms != b->due_ms ? a->due_ms < b->due_ms : a->seq < b->seq;
}

static void
place(size_t i, Timer *timer)
{
	heap[i] = timer;
	timer->slot = i;
}

static void
sift_up(size_t i)
{
	Timer *timer = heap[i];

	while (i > 0 && earlier(timer, heap[(i - 1) / 2])) {
		place(i, heap[(i - 1) / 2]);
		i = (i - 1) / 2;
	}
	place(i, timer);
}

static void
sift_down(size_t i)
{
	Timer *timer = heap[i];

	for (;;) {
		size_t child = 2 * i + 1;

		if (child >= nheap)
			break;
		if (child + 1 < nheap && earlier(heap[child + 1], heap[child]))
			child++;
		if (!earlier(heap[child], timer))
			break;
		place(i, heap[child]);
		i = child;
	}
	place(i, timer);
}

/* Takes `timer` out of the heap (the caller frees it). */
static void
heap_remove(Timer *timer)
{
	size_t i = timer->slot;
	Timer *last = heap[--nheap];

	if (last == timer)
		return;
	place(i, last);
	sift_down(i);
	sift_up(last->slot);
}

Timer *
loop_timer(uint64_t ms, TimerFn fn, void *data)
{
	Timer *timer;

	if (nheap == heap_cap) {
		size_t cap = heap_cap ? heap_cap * 2 : 64;
		Timer **grown = reallocarray(heap, cap, sizeof *heap);

		if (!grown)
			return NULL;
		heap = grown;
		heap_cap = cap;
	}
	if (!(timer = calloc(1, sizeof *timer)))
		return NULL;
	timer->due_ms = loop_now_ms() + ms;
	timer->seq = next_seq++;
	timer->fn = fn;
	timer->data = data;
	place(nheap++, timer);
	sift_up(timer->slot);
	return timer;
}

void
loop_timer_cancel(Timer *timer)
{
	if (!timer)
		return;
	heap_remove(timer);
	free(timer);
}

static int
next_timeout(int timeout_ms)
{
	uint64_t now, wait;

	if (nheap == 0)
		return timeout_ms;
	now = loop_now_ms();
	wait = heap[0]->due_ms > now ? heap[0]->due_ms - now : 0;
	if (timeout_ms >= 0 && (uint64_t)timeout_ms < wait)
		return timeout_ms;
	return wait > 60000 ? 60000 : (int)wait;
}

static int
run_due_timers(void)
{
	uint64_t now = loop_now_ms();
	Timer *timer;
	int ran = 0;

	while (nheap > 0 && (timer = heap[0])->due_ms <= now) {
		TimerFn fn = timer->fn;
		void *data = timer->data;

		heap_remove(timer);
		free(timer);
		fn(data);
		ran++;
	}
	return ran;
}

int
loop_run_once(int timeout_ms)
{
	struct epoll_event events[64];
	int n, ran = 0;

	if (loop_init() < 0)
		return -1;
	n = epoll_wait(epoll_fd, events, 64, next_timeout(timeout_ms));
	if (n < 0 && errno != EINTR)
		return -1;

	dispatching = true;
	for (int i = 0; i < n; i++) {
		Watch *watch = events[i].data.ptr;

		if (watch->dead)
			continue;
		watch->fn(watch->data, watch->fd, events[i].events);
		ran++;
	}
	dispatching = false;
	while (!LIST_EMPTY(&graveyard)) {
		Watch *watch = LIST_FIRST(&graveyard);

		LIST_REMOVE(watch, link);
		free(watch);
	}
	return ran + run_due_timers();
}

uint64_t
loop_timer_due(const Timer *timer)
{
	return timer->due_ms;
}
