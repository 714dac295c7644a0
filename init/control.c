/* control — the control socket server: clients, requests, replies.
 * See control.h; the core's commands are in control_commands.c. */
#include "init/control.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "lib/fsutil.h"
#include "lib/proto.h"

#include "init/event.h"
#include "init/job.h"
#include "init/history.h"
#include "init/log.h"
#include "init/loop.h"
#include "init/state.h"

/* Bounds that keep one client, or many, from costing init much.  Root
 * (and a user init's owner) may use every slot; the others share all
 * but ROOT_RESERVE of them, at most MAX_PER_USER each, so that no user,
 * by holding connections open, keeps root's initctl or telinit out. */
#define MAX_CLIENTS       1024
#define ROOT_RESERVE      128
#define MAX_PER_USER      64
#define IDLE_TIMEOUT_MS   30000

typedef struct control_client {
	LIST_ENTRY(control_client) link;
	uint64_t  id;
	int       fd;
	Watch    *watch;
	Timer    *idle;
	uid_t     uid;
	pid_t     pid;
	unsigned  waiting;     /* requests parked in blocking lists */
	bool      monitor;
} Client;

static LIST_HEAD(, control_client) clients = LIST_HEAD_INITIALIZER(clients);
static unsigned nclients;
static unsigned nmonitors;   /* clients with monitor set */
static uint64_t next_client_id = 1;
static int listen_fd = -1;
static Watch *listen_watch;
static char *listen_path;
static uid_t owner_uid;

void control_set_owner(uid_t uid)        { owner_uid = uid; }
static bool private_socket;
void control_set_private(bool enable)    { private_socket = enable; }

static bool privileged(uid_t uid);

/* ---- clients ---- */

static Client *
client_by_id(uint64_t id)
{
	Client *c;

	LIST_FOREACH(c, &clients, link)
		if (c->id == id)
			return c;
	return NULL;
}

static void
client_close(Client *c)
{
	LIST_REMOVE(c, link);
	nclients--;
	if (c->monitor)
		nmonitors--;
	loop_unwatch(c->watch);
	loop_timer_cancel(c->idle);
	close(c->fd);
	free(c);
}

static void
idle_expired(void *data)
{
	Client *c = data;

	c->idle = NULL;
	log_debug("Closing idle control client (pid %d)", (int)c->pid);
	client_close(c);
}

/* A client with nothing under way is closed after a while, so idle
 * connections cannot use up the client slots for ever. */
static void
client_touch(Client *c)
{
	loop_timer_cancel(c->idle);
	c->idle = NULL;
	if (!c->waiting && !c->monitor)
		c->idle = loop_timer(IDLE_TIMEOUT_MS, idle_expired, c);
}

/* Send or drop: a client that does not read its replies is closed rather
 * than allowed to make init wait. */
static bool
client_send(Client *c, struct json_object *msg)
{
	if (proto_send(c->fd, msg, MSG_DONTWAIT) == 0)
		return true;
	log_debug("Dropping control client (pid %d): %s", (int)c->pid, strerror(errno));
	client_close(c);
	return false;
}

/* Send `reply` (consumed; NULL: it could not be made).  A client that
 * cannot take it is dropped: quietly when it went away, with a word when
 * init ran out of memory. */
static void
reply_send(Client *c, struct json_object *reply)
{
	if (reply && proto_send_reply(c->fd, reply, MSG_DONTWAIT) == 0) {
		client_touch(c);
	} else if (!reply || errno == ENOMEM) {
		log_warn("Dropping control client (pid %d): unable to answer: %s",
			 (int)c->pid, strerror(ENOMEM));
		client_close(c);
	} else {
		log_debug("Dropping control client (pid %d): %s", (int)c->pid,
			  strerror(errno));
		client_close(c);
	}
	json_object_put(reply);
}

/* A reply of status 1 carrying the formatted message. */
static void
reply_verror(Client *c, const char *fmt, va_list ap)
{
	char text[1024];

	vsnprintf(text, sizeof text, fmt, ap);
	reply_send(c, proto_reply_new(1, text));
}

static void
reply_error(Client *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
reply_error(Client *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	reply_verror(c, fmt, ap);
	va_end(ap);
}


/* ---- waiters ---- */

/* The WaiterHandler: answer the client, if it is still there. */
static void
waiter_finish(Waiter *w, Job *job, bool failed)
{
	static const char *const failures[] = {
		[WAITER_START] = "Job failed to start",
		[WAITER_STOP] = "Job failed while stopping",
		[WAITER_RESTART] = "Job failed to restart",
		[WAITER_EMIT] = "Event failed",
	};
	Client *c = client_by_id(w->client_id);

	if (c) {
		struct json_object *reply = proto_reply_new(failed ? 1 : 0,
							    failed ? failures[w->kind] : NULL);

		if (c->waiting)
			c->waiting--;
		if (failed && job && job->failed && job->failed_process >= 0 &&
		    job->exit_status >= 0) {
			/* Which process failed and how, for tools that act on
			 * it (upinit-rc reports a script's exit status). */
			proto_add_member(reply, "process",
					 json_object_new_string(process_name(job->failed_process)));
			proto_add_member(reply, "exit_status",
					 json_object_new_int(job->exit_status));
		}
		if (!failed && w->kind != WAITER_EMIT) {
			/* A job at rest is gone by the time a client could ask:
			 * it prints as a class without instances. */
			if (!job || job->state == JOB_WAITING) {
				if (w->class_name)
					proto_reply_linef(reply, "%s stop/waiting", w->class_name);
			} else {
				job_status_lines(job, proto_reply_line_fn, reply);
			}
		}
		reply_send(c, reply);
	}
	waiter_free(w);
}

/* ---- requests ---- */

void
control_reply(ControlRequest *r, struct json_object *reply)
{
	reply_send(r->client, reply);
}

void
control_reply_error(ControlRequest *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	reply_verror(r->client, fmt, ap);
	va_end(ap);
}

bool
control_may_change(ControlRequest *r, const char *what)
{
	if (privileged(r->client->uid))
		return true;
	control_reply_error(r, "You do not have permission to %s", what);
	return false;
}

bool
control_privileged(ControlRequest *r)
{
	return privileged(r->client->uid);
}

bool
control_may_read_env(ControlRequest *r)
{
	return control_may_change(r, "read job environment");
}

/* The "env" list as an EnvList; false (after replying) when malformed. */
bool
control_request_env(ControlRequest *r, EnvList *env)
{
	size_t n = 0;
	bool bad = false;
	const char **vars = proto_get_strings(r->msg, "env", &n, &bad);

	if (bad) {
		control_reply_error(r, "Invalid request: env must be a list of strings");
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		if (!env_is_assignment(vars[i]) || env_append(env, vars[i]) < 0) {
			free(vars);
			env_clear(env);
			control_reply_error(r, "Env must be KEY=VALUE pairs");
			return false;
		}
	}
	free(vars);
	return true;
}

const char **
control_request_vars(ControlRequest *r, size_t *n)
{
	bool bad = false;
	const char **vars = proto_get_strings(r->msg, "vars", n, &bad);

	if (bad || !vars || !*n) {
		free(vars);
		control_reply_error(r, "missing variable name");
		return NULL;
	}
	return vars;
}

/* Park the client in `list` when it asked to wait. */
bool
control_park(ControlRequest *r, BlockedList *list, WaiterKind kind, const char *class_name)
{
	Waiter *w;

	if (!proto_get_bool(r->msg, "wait", true) || proto_get_bool(r->msg, "self", false))
		return false;
	if (!(w = waiter_new(r->client->id, kind, class_name)))
		return false;
	if (blocked_add_waiter(list, w) < 0) {
		waiter_free(w);
		return false;
	}
	r->client->waiting++;
	loop_timer_cancel(r->client->idle);
	r->client->idle = NULL;
	return true;
}

/* ---- monitors ---- */

static void
monitor_observer(const Event *event, void *data)
{
	Client *c, *next;

	/* Called for every event: with a thousand clients and no monitor,
	 * the walk would be the whole cost. */
	if (!nmonitors)
		return;
	LIST_FOREACH_SAFE(c, &clients, link, next) {
		struct json_object *msg, *env;
		bool all;

		if (!c->monitor)
			continue;
		all = privileged(c->uid);
		msg = json_object_new_object();
		env = json_object_new_array();
		json_object_object_add(msg, "v", json_object_new_int(PROTO_VERSION));
		json_object_object_add(msg, "event", json_object_new_string(event->name));
		for (size_t i = 0; i < event->env.len; i++)
			if (all || event_var_public(event->env.vars[i]))
				json_object_array_add(env, json_object_new_string(event->env.vars[i]));
		json_object_object_add(msg, "env", env);
		client_send(c, msg);
		json_object_put(msg);
	}
}

void
control_request_monitor(ControlRequest *r)
{
	if (!r->client->monitor)
		nmonitors++;
	r->client->monitor = true;
}

/* ---- dispatch ---- */

/* The command tables added so far: the core's and each plug-in's. */
#define MAX_COMMAND_TABLES 8

static struct {
	const ControlCommand *table;
	size_t                n;
} tables[MAX_COMMAND_TABLES];
static size_t ntables;

int
control_add_commands(const ControlCommand *table, size_t n)
{
	for (size_t i = 0; i < ntables; i++)
		if (tables[i].table == table)
			return 0;
	if (ntables == MAX_COMMAND_TABLES) {
		errno = ENOSPC;
		return -1;
	}
	tables[ntables].table = table;
	tables[ntables].n = n;
	ntables++;
	return 0;
}

static const ControlCommand *
command_find(const char *name)
{
	for (size_t t = 0; t < ntables; t++)
		for (size_t i = 0; i < tables[t].n; i++)
			if (!strcmp(tables[t].table[i].name, name))
				return &tables[t].table[i];
	return NULL;
}

static void
dispatch(Client *c, struct json_object *msg)
{
	ControlRequest r = { .client = c, .msg = msg, .cmd = proto_get_string(msg, "cmd") };
	const ControlCommand *command;

	if (!r.cmd) {
		reply_error(c, "Invalid request: no command");
		return;
	}
	if (!(command = command_find(r.cmd))) {
		reply_error(c, "Invalid request: unknown command %.64s", r.cmd);
		return;
	}
	/* What the command changes has this client as its cause. */
	history_push_client(c->pid, c->uid);
	command->fn(&r);
	history_pop();
}

static void
client_readable(void *data, int fd, uint32_t events)
{
	Client *c = data;
	uint64_t id = c->id;
	char buf[PROTO_MAX_MESSAGE + 1];

	/* A few requests per wake-up at most: one client cannot hog init. */
	for (int i = 0; i < 16; i++) {
		const char *why = NULL;
		struct json_object *msg;
		ssize_t n = recv(fd, buf, sizeof buf, MSG_DONTWAIT | MSG_TRUNC);

		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		if (n <= 0) {
			client_close(c);
			return;
		}
		if ((size_t)n > PROTO_MAX_MESSAGE) {
			reply_error(c, "Invalid request: message too large");
		} else if (!(msg = proto_decode(buf, (size_t)n, &why))) {
			reply_error(c, "Invalid request: %s", why ? why : "malformed");
		} else {
			dispatch(c, msg);
			json_object_put(msg);
		}
		/* The reply may have found the client gone. */
		if (!client_by_id(id))
			return;
	}
}

/* A descriptor kept spare so that, out of descriptors, a connection can
 * still be taken off the queue and closed instead of waking init for
 * ever (the classic EMFILE busy loop). */
static int reserve_fd = -1;

/* Tell a connection init will not serve why, then close it.  Nothing it
 * sent is read, so the reply's "refused" member promises the request was
 * never acted on: telinit may take it to /run/initctl instead. */
static void
refuse_connection(int cfd, const char *why)
{
	char text[128], byte;
	struct json_object *reply;

	/* Drop a request already sent: closing with it unread would reset
	 * the connection, and the client would see the reset, not why. */
	(void)recv(cfd, &byte, 1, MSG_DONTWAIT | MSG_TRUNC);
	snprintf(text, sizeof text, "Connection refused by init: %s", why);
	reply = proto_reply_new(1, text);
	if (reply) {
		json_object_object_add(reply, "refused", json_object_new_boolean(1));
		proto_send_reply(cfd, reply, MSG_DONTWAIT);
		json_object_put(reply);
	}
	close(cfd);
}

static void
refuse_one(int fd)
{
	int cfd;

	if (reserve_fd >= 0) {
		close(reserve_fd);
		reserve_fd = -1;
	}
	cfd = accept4(fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (cfd >= 0)
		refuse_connection(cfd, "out of descriptors");
	reserve_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
}

static bool
privileged(uid_t uid)
{
	return uid == 0 || uid == owner_uid;
}

/* Log why a connection is refused, once per 10 s (a flood must not
 * flood the log), and return `why`. */
static const char *
refused(uid_t uid, const char *why)
{
	static uint64_t last_warned;

	if (!last_warned || loop_now_ms() - last_warned > 10000) {
		log_warn("Refusing control connection of uid %ld: %s", (long)uid, why);
		last_warned = loop_now_ms();
	}
	return why;
}

/* May a new client of `uid` be taken on?  NULL if so, else why not.
 * See MAX_CLIENTS. */
static const char *
admit(uid_t uid)
{
	unsigned others = 0, mine = 0;
	Client *c;

	/* The file's mode keeps others out of a private socket; this also
	 * holds for a socket an older image made, or a descriptor passed
	 * on. */
	if (private_socket && !privileged(uid)) {
		log_debug("Refusing control connection of uid %ld: not the owner", (long)uid);
		return "not the owner";
	}
	if (nclients >= MAX_CLIENTS)
		return refused(uid, "too many clients");
	if (privileged(uid))
		return NULL;
	LIST_FOREACH(c, &clients, link) {
		if (!privileged(c->uid))
			others++;
		if (c->uid == uid)
			mine++;
	}
	if (mine >= MAX_PER_USER)
		return refused(uid, "too many connections of that user");
	if (others >= MAX_CLIENTS - ROOT_RESERVE)
		return refused(uid, "the rest is kept for root");
	return NULL;
}

static void
listen_readable(void *data, int fd, uint32_t events)
{
	for (int i = 0; i < 64; i++) {
		int cfd = accept4(fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
		uid_t uid;
		pid_t pid = 0;
		const char *why;
		Client *c;

		if (cfd < 0) {
			if (errno == EMFILE || errno == ENFILE) {
				static uint64_t last_warned;

				/* One line per 10 s: a flood must not flood the log. */
				if (!last_warned || loop_now_ms() - last_warned > 10000) {
					log_warn("Refusing control connections: %s", strerror(errno));
					last_warned = loop_now_ms();
				}
				refuse_one(fd);
			}
			return;
		}
		if (proto_peer_uid(cfd, &uid, &pid) < 0)
			uid = (uid_t)-1;   /* unknown: may only read */
		if ((why = admit(uid)) || !(c = calloc(1, sizeof *c))) {
			if (!why)
				log_warn("Refusing control connection: %s", strerror(ENOMEM));
			refuse_connection(cfd, why ? why : "out of memory");
			continue;
		}
		c->id = next_client_id++;
		c->fd = cfd;
		c->uid = uid;
		c->pid = pid;
		/* Room for a long reply (show-config, list of thousands of
		 * jobs) sent in several packets without waiting. */
		setsockopt(cfd, SOL_SOCKET, SO_SNDBUF, &(int){ 1 << 20 }, sizeof(int));
		c->watch = loop_watch(cfd, EPOLLIN, client_readable, c);
		if (!c->watch) {
			log_warn("Refusing control connection: %s", strerror(errno));
			refuse_connection(cfd, "out of memory");
			free(c);
			continue;
		}
		LIST_INSERT_HEAD(&clients, c, link);
		nclients++;
		client_touch(c);
		/* initctl sends its request as it connects: serve it now,
		 * not a loop turn later (behind whatever that turn brings). */
		client_readable(c, cfd, EPOLLIN);
	}
}

/* The socket file we bound, to notice when /run is replaced. */
static dev_t socket_dev;
static ino_t socket_ino;

static void
remember_socket_file(void)
{
	struct stat st;

	if (listen_path && stat(listen_path, &st) == 0) {
		socket_dev = st.st_dev;
		socket_ino = st.st_ino;
	}
}

int
control_listen(const char *path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof addr.sun_path) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(addr.sun_path, path);
	mkdir_parents(path, 0755);
	unlink(path);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0 ||
	    chmod(path, private_socket ? 0600 : 0666) < 0 || listen(fd, 128) < 0 ||
	    !(listen_watch = loop_watch(fd, EPOLLIN, listen_readable, NULL))) {
		int err = errno;

		close(fd);
		errno = err;
		return -1;
	}
	listen_fd = fd;
	if (reserve_fd < 0)
		reserve_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	free(listen_path);
	listen_path = strdup(path);
	remember_socket_file();
	event_set_observer(monitor_observer, NULL);
	blocked_set_waiter_handler(waiter_finish);
	return 0;
}

int
control_check(void)
{
	struct stat st;
	char *path;
	int ret;

	if (!listen_path)
		return 0;
	if (stat(listen_path, &st) == 0 && st.st_dev == socket_dev && st.st_ino == socket_ino)
		return 0;
	/* /run was mounted over (or the file removed): listen again.
	 * Connected clients keep their connections. */
	log_message("Control socket %s gone; listening again", listen_path);
	if (!(path = strdup(listen_path)))
		return -1;
	loop_unwatch(listen_watch);
	listen_watch = NULL;
	close(listen_fd);
	listen_fd = -1;
	ret = control_listen(path);
	if (ret < 0)
		log_error("Unable to listen on %s: %s", path, strerror(errno));
	free(path);
	return ret;
}

void
control_close(void)
{
	while (!LIST_EMPTY(&clients))
		client_close(LIST_FIRST(&clients));
	if (listen_watch)
		loop_unwatch(listen_watch);
	listen_watch = NULL;
	if (listen_fd >= 0)
		close(listen_fd);
	listen_fd = -1;
	if (reserve_fd >= 0)
		close(reserve_fd);
	reserve_fd = -1;
	free(listen_path);
	listen_path = NULL;
}

/* ---- re-exec ---- */

void
control_inherit(bool inherit)
{
	Client *c;

	if (listen_fd >= 0)
		fd_set_cloexec(listen_fd, !inherit);
	LIST_FOREACH(c, &clients, link)
		fd_set_cloexec(c->fd, !inherit);
}

/* The clients as one string, a record per client, "ID FD UID PID
 * WAITING MONITOR" separated by ';'.  A thousand clients as JSON objects
 * were half of a re-exec's time (each object a hash table to build,
 * print, parse and free); as text they cost a line of printf each.
 * NULL when out of memory. */
static char *
clients_to_text(void)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	Client *c;

	if (!out)
		return NULL;
	LIST_FOREACH(c, &clients, link)
		fprintf(out, "%s%" PRIu64 " %d %ld %d %u %d", c == LIST_FIRST(&clients) ? "" : ";",
			c->id, c->fd, (long)c->uid, (int)c->pid, c->waiting, (int)c->monitor);
	if (fclose(out) != 0) {
		free(text);
		return NULL;
	}
	return text;
}

struct json_object *
control_serialise(void)
{
	struct json_object *obj = json_object_new_object();
	char *list = clients_to_text();
	bool ok;

	/* Any failure fails the whole: NULL, never a document short of a
	 * client (proto_add_* take NULL containers and values). */
	ok = list && proto_add_member(obj, "listen_fd", json_object_new_int(listen_fd)) &&
	     (!listen_path || proto_add_member(obj, "path", json_object_new_string(listen_path))) &&
	     proto_add_member(obj, "next_id", json_object_new_int64((int64_t)next_client_id)) &&
	     proto_add_member(obj, "clients", json_object_new_string(list));
	free(list);
	if (!ok) {
		json_object_put(obj);
		return NULL;
	}
	return obj;
}

static int64_t
get_int(struct json_object *obj, const char *key, int64_t dflt)
{
	struct json_object *val;

	if (!json_object_object_get_ex(obj, key, &val) ||
	    !json_object_is_type(val, json_type_int))
		return dflt;
	return json_object_get_int64(val);
}

/* Is `fd` an open socket of ours?  A state file could name anything. */
static bool
is_socket(int fd)
{
	struct stat st;

	return fd >= 0 && fstat(fd, &st) == 0 && S_ISSOCK(st.st_mode);
}

/* May `fd`, named by a state document, be taken on?  A socket nobody
 * else holds (state_claim_fd). */
static bool
adoptable(int fd)
{
	return is_socket(fd) && state_claim_fd(fd);
}

/* What a document says of one client. */
typedef struct client_record {
	int64_t id, fd, uid, pid, waiting;
	bool    monitor;
} ClientRecord;

static void
adopt_client(const ClientRecord *r)
{
	int fd = r->fd >= 0 && r->fd <= INT_MAX ? (int)r->fd : -1;
	Client *c;

	if (!adoptable(fd) || nclients >= MAX_CLIENTS || !(c = calloc(1, sizeof *c)))
		return;
	c->id = (uint64_t)r->id;
	c->fd = fd;
	c->uid = (uid_t)r->uid;
	c->pid = (pid_t)r->pid;
	c->waiting = r->waiting >= 0 && r->waiting <= UINT_MAX ? (unsigned)r->waiting : 0;
	c->monitor = r->monitor;
	fd_set_cloexec(fd, true);
	if (!(c->watch = loop_watch(fd, EPOLLIN, client_readable, c))) {
		close(fd);
		free(c);
		return;
	}
	LIST_INSERT_HEAD(&clients, c, link);
	nclients++;
	nmonitors += c->monitor;
	client_touch(c);
}

/* A client as an older image wrote it: an object. */
static void
adopt_client_object(struct json_object *o)
{
	ClientRecord r = {
		.id = get_int(o, "id", 0), .fd = get_int(o, "fd", -1),
		.uid = get_int(o, "uid", -1), .pid = get_int(o, "pid", 0),
		.waiting = get_int(o, "waiting", 0),
		.monitor = proto_get_bool(o, "monitor", false),
	};

	adopt_client(&r);
}

/* Read the decimal at *p into *val and step past it and one separator
 * in `seps` (a '\0' in it matches the end of the text). */
static bool
next_number(const char **p, const char *seps, int64_t *val)
{
	char *end;

	if (!isdigit((unsigned char)**p) && **p != '-')
		return false;
	errno = 0;
	*val = strtoll(*p, &end, 10);
	if (errno || end == *p || !memchr(seps, *end, strlen(seps) + 1))
		return false;
	*p = *end ? end + 1 : end;
	return true;
}

/* The clients as clients_to_text() wrote them.  A record that does not
 * read as six numbers is skipped, and the next one read. */
static void
adopt_client_text(const char *text)
{
	while (*text) {
		ClientRecord r;
		int64_t monitor;

		if (next_number(&text, " ", &r.id) && next_number(&text, " ", &r.fd) &&
		    next_number(&text, " ", &r.uid) && next_number(&text, " ", &r.pid) &&
		    next_number(&text, " ", &r.waiting) && next_number(&text, ";", &monitor)) {
			r.monitor = monitor != 0;
			adopt_client(&r);
		} else {
			text = strchrnul(text, ';');
			if (*text)
				text++;
		}
	}
}

int
control_deserialise(struct json_object *obj)
{
	struct json_object *list;
	int fd = (int)get_int(obj, "listen_fd", -1);
	const char *path = proto_get_string(obj, "path");

	if (listen_fd >= 0 || !adoptable(fd)) {
		errno = EBADF;
		return -1;
	}
	fd_set_cloexec(fd, true);
	if (!(listen_watch = loop_watch(fd, EPOLLIN, listen_readable, NULL)))
		return -1;
	listen_fd = fd;
	free(listen_path);
	listen_path = path ? strdup(path) : NULL;
	remember_socket_file();
	if (reserve_fd < 0)
		reserve_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	next_client_id = (uint64_t)get_int(obj, "next_id", 1);
	event_set_observer(monitor_observer, NULL);
	blocked_set_waiter_handler(waiter_finish);
	if (!json_object_object_get_ex(obj, "clients", &list))
		return 0;
	if (json_object_is_type(list, json_type_string))
		adopt_client_text(json_object_get_string(list));
	else if (json_object_is_type(list, json_type_array))
		for (size_t i = 0; i < json_object_array_length(list); i++)
			adopt_client_object(json_object_array_get_idx(list, i));
	return 0;
}
