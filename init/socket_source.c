/* socket_source — see socket_source.h. */
#include "init/socket_source.h"

#include <arpa/inet.h>
#include <errno.h>
#include <json-c/json.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "init/event.h"
#include "init/history.h"
#include "init/log.h"
#include "init/loop.h"
#include "lib/fsutil.h"

/* A job that fails this many times within this window is held back for
 * as long before init watches its socket again (as the respawn limit
 * does for a respawning job). */
#define STORM_STARTS 10
#define STORM_WINDOW_MS 5000

typedef struct socket_spec {
	int       family;
	union {
		struct sockaddr     sa;
		struct sockaddr_in  in;
		struct sockaddr_in6 in6;
		struct sockaddr_un  un;
	} addr;
	socklen_t len;
	char      name[160];    /* "inet 127.0.0.1:80", "unix /run/x.sock" */
	EnvList   env;          /* the event's variables */
} SocketSpec;

struct socket_source {
	LIST_ENTRY(socket_source) link;
	unsigned   refs;
	unsigned   lent;         /* SocketSet entries holding it */
	bool       wanted;       /* a registered job names it (one ref) */
	bool       marked;       /* during a sync: still wanted */
	bool       in_flight;    /* an event carrying it is not finished */
	bool       missed;       /* a connection came while it was */
	int        fd;
	Watch     *watch;
	bool       armed;
	Timer     *delay;        /* held back after a storm, until it fires */
	uint64_t   storm_start;  /* first of the recent activations */
	unsigned   storm_count;
	SocketSpec spec;
};

static LIST_HEAD(, socket_source) sockets = LIST_HEAD_INITIALIZER(sockets);
static bool user_mode;

void socket_source_set_user_mode(bool on) { user_mode = on; }

/* ---- the condition's arguments ---- */

static bool
parse_port(const char *s, unsigned short *port)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 1 || v > 65535)
		return false;
	*port = (unsigned short)v;
	return true;
}

/* The variables of a condition, each at most once. */
typedef struct spec_args {
	const char *proto, *port, *addr, *path;
} SpecArgs;

static const char *
split_args(char *const *args, SpecArgs *a)
{
	memset(a, 0, sizeof *a);
	for (char *const *p = args; p && *p; p++) {
		const char *eq = strchr(*p, '=');
		const char **slot = NULL;
		size_t klen;

		if (!eq || strstr(*p, "!="))
			return "arguments must be KEY=VALUE";
		klen = (size_t)(eq - *p);
		if (klen == 5 && !strncmp(*p, "PROTO", 5))
			slot = &a->proto;
		else if (klen == 4 && !strncmp(*p, "PORT", 4))
			slot = &a->port;
		else if (klen == 4 && !strncmp(*p, "ADDR", 4))
			slot = &a->addr;
		else if ((klen == 4 && !strncmp(*p, "PATH", 4)) ||
			 (klen == 11 && !strncmp(*p, "SOCKET_PATH", 11)))
			slot = &a->path;
		else
			return "unknown variable (PROTO, PORT, ADDR, PATH or SOCKET_PATH)";
		if (*slot)
			return "a variable given twice";
		*slot = eq + 1;
		if (strpbrk(*slot, "$*?["))
			return "values must be literal (no $VAR, no pattern)";
	}
	return NULL;
}

static const char *
parse_inet(const SpecArgs *a, SocketSpec *spec, bool six)
{
	unsigned short port;
	const char *addr = a->addr ? a->addr : six ? "::" : "0.0.0.0";

	if (a->path)
		return "PATH is for PROTO=unix";
	if (!a->port)
		return "PORT missing";
	if (!parse_port(a->port, &port))
		return "PORT must be a number from 1 to 65535";
	if (six) {
		spec->addr.in6.sin6_family = AF_INET6;
		spec->addr.in6.sin6_port = htons(port);
		if (inet_pton(AF_INET6, addr, &spec->addr.in6.sin6_addr) != 1)
			return "ADDR is not an IPv6 address";
		spec->len = sizeof spec->addr.in6;
		snprintf(spec->name, sizeof spec->name, "inet6 [%s]:%u", addr, port);
	} else {
		spec->addr.in.sin_family = AF_INET;
		spec->addr.in.sin_port = htons(port);
		if (inet_pton(AF_INET, addr, &spec->addr.in.sin_addr) != 1)
			return "ADDR is not an IPv4 address";
		spec->len = sizeof spec->addr.in;
		snprintf(spec->name, sizeof spec->name, "inet %s:%u", addr, port);
	}
	spec->family = six ? AF_INET6 : AF_INET;
	return NULL;
}

static const char *
parse_unix(const SpecArgs *a, SocketSpec *spec)
{
	size_t len;

	if (a->port || a->addr)
		return "PORT and ADDR are for PROTO=inet and inet6";
	if (!a->path || !*a->path)
		return "PATH missing";
	len = strlen(a->path);
	if (len >= sizeof spec->addr.un.sun_path)
		return "PATH too long for a unix socket";
	if (a->path[0] != '/' && a->path[0] != '@')
		return "PATH must be absolute, or @name for an abstract socket";
	if (a->path[0] == '/' && strstr(a->path, "/../"))
		return "PATH must not contain /../";
	spec->family = AF_UNIX;
	spec->addr.un.sun_family = AF_UNIX;
	memcpy(spec->addr.un.sun_path, a->path, len);
	if (a->path[0] == '@')
		spec->addr.un.sun_path[0] = '\0';
	spec->len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len +
				(a->path[0] == '@' ? 0 : 1));
	snprintf(spec->name, sizeof spec->name, "unix %s", a->path);
	return NULL;
}

/* The event's variables: what a condition written either way matches.
 * A unix socket's path is SOCKET_PATH only: PATH would replace the job's
 * command search path (event_operator.c lets a socket condition's PATH=
 * match SOCKET_PATH). */
static int
spec_env(SocketSpec *spec, const SpecArgs *a)
{
	EnvList *env = &spec->env;
	char port[8];

	if (spec->family == AF_UNIX)
		return env_set_kv(env, "PROTO", "unix") < 0 ||
		       env_set_kv(env, "SOCKET_PATH", a->path) < 0 ? -1 : 0;
	snprintf(port, sizeof port, "%u", ntohs(spec->family == AF_INET ?
						spec->addr.in.sin_port :
						spec->addr.in6.sin6_port));
	return env_set_kv(env, "PROTO", spec->family == AF_INET ? "inet" : "inet6") < 0 ||
	       env_set_kv(env, "PORT", port) < 0 ||
	       env_set_kv(env, "ADDR", a->addr ? a->addr :
			  spec->family == AF_INET ? "0.0.0.0" : "::") < 0 ? -1 : 0;
}

/* Parse a condition into `spec` (its env filled only when `with_env`). */
static const char *
spec_parse(char *const *args, SocketSpec *spec, bool with_env)
{
	SpecArgs a;
	const char *why;

	memset(spec, 0, sizeof *spec);
	if ((why = split_args(args, &a)))
		return why;
	if (!a.proto)
		return "PROTO missing (inet, inet6 or unix)";
	if (!strcmp(a.proto, "inet"))
		why = parse_inet(&a, spec, false);
	else if (!strcmp(a.proto, "inet6"))
		why = parse_inet(&a, spec, true);
	else if (!strcmp(a.proto, "unix"))
		why = parse_unix(&a, spec);
	else
		return "PROTO must be inet, inet6 or unix";
	if (!why && with_env && spec_env(spec, &a) < 0)
		why = "out of memory";
	return why;
}

/* The same conditions name sockets for either kind of init (only the
 * unix socket file's mode differs): `user` is for symmetry with
 * file_spec_check(). */
const char *
socket_spec_check(char *const *args, bool user)
{
	SocketSpec spec;

	(void)user;
	return spec_parse(args, &spec, false);
}

/* ---- the listening socket ---- */

static void readable(void *data, int fd, uint32_t events);
static void fire(SocketSource *s);

/* The watch is edge-triggered: one wake-up per new connection, and one
 * when it is armed with connections already waiting.  It is armed
 * exactly when the socket is wanted, open, not lent and not held back
 * after a storm; an event in flight leaves it armed, so a connection
 * that comes meanwhile is noticed (`missed`). */
static void
update_watch(SocketSource *s)
{
	bool want = s->fd >= 0 && s->wanted && !s->lent && !s->delay;
	uint32_t events = want ? EPOLLIN | EPOLLET : 0;

	if (want == s->armed)
		return;
	if (!s->watch) {
		if (!want)
			return;
		s->watch = loop_watch(s->fd, events, readable, s);
	} else if (loop_watch_modify(s->watch, events) < 0) {
		loop_unwatch(s->watch);
		s->watch = NULL;
	}
	if (want && !s->watch) {
		log_error("Cannot watch socket %s: %s", s->spec.name, strerror(errno));
		return;
	}
	s->armed = want;
}

static void
unlink_socket_file(const SocketSpec *spec)
{
	struct stat st;
	const char *path = spec->addr.un.sun_path;

	if (spec->family == AF_UNIX && path[0] == '/' &&
	    lstat(path, &st) == 0 && S_ISSOCK(st.st_mode))
		unlink(path);
}

static int
open_listening(SocketSource *s, const char *origin)
{
	SocketSpec *spec = &s->spec;
	int fd, one = 1;

	/* Blocking, as a daemon expects what it inherits (O_NONBLOCK
	 * belongs to the open file, which the daemon shares): init only
	 * waits for it to become readable, it never accepts. */
	fd = socket(spec->family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		goto fail;
	if (spec->family != AF_UNIX &&
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0)
		goto fail;
	/* A socket file left by a previous boot or instance is ours to
	 * replace; anything else at the path is not. */
	unlink_socket_file(spec);
	if (bind(fd, &spec->addr.sa, spec->len) < 0)
		goto fail;
	/* Who may connect: anyone on the system (the job decides whom to
	 * serve, as with inetd), only the user under init --user. */
	if (spec->family == AF_UNIX && spec->addr.un.sun_path[0] == '/' &&
	    chmod(spec->addr.un.sun_path, user_mode ? 0600 : 0666) < 0)
		goto fail;
	if (listen(fd, SOMAXCONN) < 0)
		goto fail;
	s->fd = fd;
	return 0;
fail:
	log_warn("%s: socket %s: %s", origin, spec->name, strerror(errno));
	if (fd >= 0) {
		close(fd);
		unlink_socket_file(spec);
	}
	return -1;
}

static SocketSource *
find_spec(const SocketSpec *spec)
{
	SocketSource *s;

	LIST_FOREACH(s, &sockets, link)
		if (!strcmp(s->spec.name, spec->name))
			return s;
	return NULL;
}

SocketSource *
socket_source_find(const char *name)
{
	SocketSource *s;

	LIST_FOREACH(s, &sockets, link)
		if (!strcmp(s->spec.name, name))
			return s;
	return NULL;
}

/* Close it (a unix socket's file goes too) and free it. */
static void
destroy(SocketSource *s)
{
	loop_timer_cancel(s->delay);
	loop_unwatch(s->watch);
	if (s->fd >= 0) {
		close(s->fd);
		unlink_socket_file(&s->spec);
	}
	env_clear(&s->spec.env);
	LIST_REMOVE(s, link);
	free(s);
}

SocketSource *
socket_source_ref(SocketSource *s)
{
	s->refs++;
	return s;
}

void
socket_source_unref(SocketSource *s)
{
	if (s && !--s->refs)
		destroy(s);
}

int
socket_source_fd(const SocketSource *s)
{
	return s->fd;
}

const char *
socket_source_name(const SocketSource *s)
{
	return s->spec.name;
}

/* ---- the sync with the loaded jobs ---- */

void
socket_source_begin_sync(void)
{
	SocketSource *s;

	LIST_FOREACH(s, &sockets, link)
		s->marked = false;
}

void
socket_source_want(char *const *args, const char *origin)
{
	SocketSpec spec;
	SocketSource *s;
	const char *why = spec_parse(args, &spec, true);

	if (why) {
		log_warn("%s: socket: %s; no socket made", origin, why);
		env_clear(&spec.env);
		return;
	}
	if ((s = find_spec(&spec))) {
		env_clear(&spec.env);
		s->marked = true;
		/* A socket that could not be bound last time is tried
		 * again at each re-read of the jobs. */
		if (s->fd < 0 && !s->lent && !s->in_flight)
			open_listening(s, origin);
		update_watch(s);
		return;
	}
	if (!(s = calloc(1, sizeof *s))) {
		log_error("%s: socket %s: %s", origin, spec.name, strerror(ENOMEM));
		env_clear(&spec.env);
		return;
	}
	s->spec = spec;
	s->fd = -1;
	s->marked = true;
	LIST_INSERT_HEAD(&sockets, s, link);
	s->refs = 1;   /* the "wanted" reference */
	s->wanted = true;
	open_listening(s, origin);
	update_watch(s);
}

void
socket_source_end_sync(void)
{
	SocketSource *s, *next;

	for (s = LIST_FIRST(&sockets); s; s = next) {
		next = LIST_NEXT(s, link);
		if (s->marked && !s->wanted) {
			s->wanted = true;
			socket_source_ref(s);
		} else if (!s->marked && s->wanted) {
			s->wanted = false;
			update_watch(s);
			socket_source_unref(s);
			continue;
		}
		update_watch(s);
	}
}

/* ---- connections become events ---- */

static void
fire(SocketSource *s)
{
	char cause[200];
	Event *event;

	s->in_flight = true;
	s->missed = false;
	snprintf(cause, sizeof cause, "connection on %s", s->spec.name);
	history_push(CAUSE_SOURCE, cause, NULL, 0);
	event = event_new("socket", &s->spec.env);
	history_pop();
	if (!event) {
		log_error("Cannot emit socket event for %s: %s", s->spec.name, strerror(ENOMEM));
		s->in_flight = false;
		return;
	}
	event->socket = socket_source_ref(s);
}

static void
readable(void *data, int fd, uint32_t events)
{
	SocketSource *s = data;

	(void)fd;
	(void)events;
	if (!s->armed)
		return;
	if (s->in_flight)
		s->missed = true;
	else
		fire(s);
}

void
socket_source_event_done(SocketSource *s)
{
	if (!s)
		return;
	s->in_flight = false;
	/* Nobody took it: what waited then did not start anything, and
	 * only a connection that came since tries again. */
	if (!s->lent && s->missed && s->armed && s->refs > 1)
		fire(s);
	socket_source_unref(s);
}

void
socket_source_event_restored(SocketSource *s)
{
	s->in_flight = true;
	socket_source_ref(s);
}

/* ---- instances holding sockets ---- */

int
socket_set_add(SocketSet *set, SocketSource *s)
{
	for (size_t i = 0; i < set->n; i++)
		if (set->s[i] == s)
			return 0;
	if (set->n == SOCKET_SET_MAX) {
		errno = EMFILE;
		return -1;
	}
	set->s[set->n++] = socket_source_ref(s);
	if (!s->lent++)
		update_watch(s);
	return 0;
}

static void
delay_over(void *data)
{
	SocketSource *s = data;

	s->delay = NULL;
	update_watch(s);
}

/* The last holder let go: watch again, which starts the job again at
 * once when connections wait.  A job that fails again and again (a
 * daemon that cannot start, and never accepts what waits) is held back
 * a while.  One that ends well is not: a daemon serving one client a
 * run is started as fast as clients come. */
static void
returned(SocketSource *s, bool failed)
{
	uint64_t now = loop_now_ms();

	if (!failed) {
		update_watch(s);
		return;
	}
	if (!s->storm_count || now - s->storm_start > STORM_WINDOW_MS) {
		s->storm_start = now;
		s->storm_count = 0;
	}
	if (++s->storm_count >= STORM_STARTS && !s->delay &&
	    (s->delay = loop_timer(STORM_WINDOW_MS, delay_over, s))) {
		log_warn("Socket %s: its job failed %u times in %u s; "
			 "waiting %u s before watching it again",
			 s->spec.name, s->storm_count, STORM_WINDOW_MS / 1000,
			 STORM_WINDOW_MS / 1000);
		s->storm_count = 0;
	}
	update_watch(s);
}

void
socket_set_release(SocketSet *set, bool failed)
{
	for (size_t i = 0; i < set->n; i++) {
		SocketSource *s = set->s[i];

		if (!--s->lent)
			returned(s, failed);
		socket_source_unref(s);
	}
	set->n = 0;
}

void
socket_set_clear(SocketSet *set)
{
	socket_set_release(set, false);
}

void
socket_set_move(SocketSet *dst, SocketSet *src)
{
	SocketSet old = *dst;

	*dst = *src;
	src->n = 0;
	/* Let go of the old ones after taking the new: a socket in both
	 * stays lent throughout. */
	socket_set_clear(&old);
}

/* ---- re-exec ---- */

void
socket_source_inherit(bool inherit)
{
	SocketSource *s;

	LIST_FOREACH(s, &sockets, link)
		if (s->fd >= 0)
			fd_set_cloexec(s->fd, !inherit);
}

struct json_object *
socket_source_serialise(void)
{
	struct json_object *arr = json_object_new_array();
	SocketSource *s;

	if (!arr)
		return NULL;
	LIST_FOREACH(s, &sockets, link) {
		struct json_object *o = json_object_new_object(), *env = json_object_new_array();

		if (!o || !env || s->fd < 0) {
			json_object_put(o);
			json_object_put(env);
			continue;
		}
		for (size_t i = 0; i < s->spec.env.len; i++) {
			const char *var = env_vars(&s->spec.env)[i];

			/* The condition's spelling of a unix path. */
			json_object_array_add(env, json_object_new_string(
				!strncmp(var, "SOCKET_PATH=", 12) ? var + 7 : var));
		}
		json_object_object_add(o, "args", env);
		json_object_object_add(o, "fd", json_object_new_int(s->fd));
		json_object_array_add(arr, o);
	}
	return arr;
}

/* Is `fd` a listening stream socket bound where `spec` says? */
static bool
adoptable(int fd, const SocketSpec *spec)
{
	int listening = 0, type = 0;
	socklen_t len = sizeof listening;

	if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len) < 0 || !listening)
		return false;
	len = sizeof type;
	if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) < 0 || type != SOCK_STREAM)
		return false;
	len = sizeof type;
	return getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &type, &len) == 0 && type == spec->family;
}

void
socket_source_deserialise(struct json_object *array)
{
	size_t n = array && json_object_is_type(array, json_type_array) ?
		   json_object_array_length(array) : 0;

	for (size_t i = 0; i < n; i++) {
		struct json_object *o = json_object_array_get_idx(array, i), *args_j, *fd_j;
		char *args[8] = { NULL };
		size_t nargs;
		SocketSpec spec;
		SocketSource *s;
		int fd;

		if (!json_object_object_get_ex(o, "args", &args_j) ||
		    !json_object_object_get_ex(o, "fd", &fd_j) ||
		    !json_object_is_type(args_j, json_type_array) ||
		    !json_object_is_type(fd_j, json_type_int))
			continue;
		nargs = json_object_array_length(args_j);
		if (nargs >= 8)
			continue;
		for (size_t j = 0; j < nargs; j++)
			args[j] = (char *)json_object_get_string(json_object_array_get_idx(args_j, j));
		fd = json_object_get_int(fd_j);
		if (fd < 3 || spec_parse(args, &spec, true) || find_spec(&spec) ||
		    !adoptable(fd, &spec) || !(s = calloc(1, sizeof *s))) {
			env_clear(&spec.env);
			continue;
		}
		fd_set_cloexec(fd, true);
		s->spec = spec;
		s->fd = fd;
		/* Held by the "wanted" reference until the first sync says
		 * whether a job still names it. */
		s->refs = 1;
		s->wanted = true;
		LIST_INSERT_HEAD(&sockets, s, link);
	}
}

void
socket_source_free_all(void)
{
	SocketSource *s;

	while ((s = LIST_FIRST(&sockets)))
		destroy(s);
}
