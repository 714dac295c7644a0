/* uevent_source — the kernel's device uevents as events.  See uevent_source.h. */
#include "init/uevent_source.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/netlink.h>

#include "init/event.h"
#include "init/history.h"
#include "init/log.h"
#include "init/loop.h"

/* The kernel's multicast group; udevd re-sends on group 2, which we
 * never join. */
#define UEVENT_GROUP_KERNEL 1
/* A boot, or plugging a dock, sends thousands of uevents before init
 * reads any: the default receive buffer (~200 kB) would overflow. */
#define UEVENT_RCVBUF (8 * 1024 * 1024)
/* udevd's messages start with this magic (libudev's monitor). */
#define LIBUDEV_MAGIC "libudev"

/* ---- the parser ---- */

/* One KEY=VALUE of a uevent, pointing into the datagram.  `value` is
 * NUL-terminated there (every pair is); the key ends at '='. */
typedef struct uevent_var {
	const char *pair;      /* "KEY=VALUE" */
	size_t      keylen;
	const char *value;
	size_t      valuelen;
	bool        dropped;   /* a value with a control character */
} UeventVar;

typedef struct uevent {
	const char *action;    /* in the header, not NUL-terminated */
	size_t      actionlen;
	const char *devpath;   /* NUL-terminated (the header's end) */
	size_t      devpathlen;
	UeventVar   vars[UEVENT_MAX_VARS];
	size_t      nvars;
} Uevent;

static bool
is_word_char(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '.' || c == ':' || c == '-';
}

/* ACTION and SUBSYSTEM become part of an event name: no blanks, no
 * '=', nothing a `start on` pattern would read otherwise. */
static bool
is_word(const char *s, size_t n)
{
	if (n == 0 || n > UEVENT_MAX_WORD)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!is_word_char((unsigned char)s[i]))
			return false;
	return true;
}

static bool
is_key(const char *s, size_t n)
{
	if (n == 0 || n > UEVENT_MAX_KEY)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'))
			return false;
	}
	return true;
}

static bool
has_control(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return true;
	return false;
}

/* DEVPATH and DEVNAME end up in paths jobs open (/sys$DEVPATH,
 * $DEVNAME): a ".." component would lead them elsewhere. */
static bool
is_path(const char *s, size_t n)
{
	if (n == 0 || n > UEVENT_MAX_PATH || has_control(s, n))
		return false;
	for (size_t i = 0; i + 1 < n; i++)
		if (s[i] == '.' && s[i + 1] == '.' &&
		    (i == 0 || s[i - 1] == '/') && (i + 2 == n || s[i + 2] == '/'))
			return false;
	return true;
}

/* The next NUL-terminated string at *p before `end`; false when the
 * message was cut short (no NUL before its end). */
static bool
next_string(const char **p, const char *end, const char **s, size_t *n)
{
	const char *nul = memchr(*p, '\0', (size_t)(end - *p));

	if (!nul)
		return false;
	*s = *p;
	*n = (size_t)(nul - *p);
	*p = nul + 1;
	return true;
}

static bool
split_header(const char *s, size_t n, Uevent *u)
{
	const char *at = memchr(s, '@', n);

	if (!at)
		return false;
	u->action = s;
	u->actionlen = (size_t)(at - s);
	u->devpath = at + 1;
	u->devpathlen = n - u->actionlen - 1;
	return is_word(u->action, u->actionlen) && u->devpath[0] == '/' &&
	       u->devpath[u->devpathlen - 1] != '/' &&
	       is_path(u->devpath, u->devpathlen);
}

static const UeventVar *
find_var(const Uevent *u, const char *key)
{
	size_t len = strlen(key);

	for (size_t i = 0; i < u->nvars; i++)
		if (u->vars[i].keylen == len && !memcmp(u->vars[i].pair, key, len))
			return &u->vars[i];
	return NULL;
}

static bool
add_var(Uevent *u, const char *s, size_t n)
{
	const char *eq = memchr(s, '=', n);
	UeventVar *v;

	if (!eq || u->nvars == UEVENT_MAX_VARS || !is_key(s, (size_t)(eq - s)))
		return false;
	v = &u->vars[u->nvars];
	v->pair = s;
	v->keylen = (size_t)(eq - s);
	v->value = eq + 1;
	v->valuelen = n - v->keylen - 1;
	v->dropped = has_control(v->value, v->valuelen);
	/* Look for the key before counting this one in. */
	for (size_t i = 0; i < u->nvars; i++)
		if (u->vars[i].keylen == v->keylen && !memcmp(u->vars[i].pair, s, v->keylen))
			return false;
	u->nvars++;
	return true;
}

/* What the kernel always sends, and sends right. */
static bool
check_vars(const Uevent *u)
{
	const UeventVar *subsystem = find_var(u, "SUBSYSTEM");
	const UeventVar *action = find_var(u, "ACTION");
	const UeventVar *devpath = find_var(u, "DEVPATH");
	const UeventVar *devname = find_var(u, "DEVNAME");

	if (!subsystem || !is_word(subsystem->value, subsystem->valuelen))
		return false;
	if (action && (action->valuelen != u->actionlen ||
		       memcmp(action->value, u->action, u->actionlen)))
		return false;
	if (devpath && strcmp(devpath->value, u->devpath))
		return false;
	if (devname && !is_path(devname->value, devname->valuelen))
		return false;
	return true;
}

static bool
split(const char *buf, size_t len, Uevent *u)
{
	const char *p = buf, *end = buf + len, *s;
	size_t n;

	if (!next_string(&p, end, &s, &n) || !split_header(s, n, u))
		return false;
	u->nvars = 0;
	while (p < end) {
		if (!next_string(&p, end, &s, &n))
			return false;
		if (n && !add_var(u, s, n))
			return false;
	}
	return check_vars(u);
}

/* Upstart's names: add, change and remove in the past tense, any other
 * action as it is. */
static char *
event_name(const Uevent *u)
{
	const UeventVar *subsystem = find_var(u, "SUBSYSTEM");
	const char *suffix = NULL;
	char *name;

	if (u->actionlen == 3 && !memcmp(u->action, "add", 3))
		suffix = "added";
	else if (u->actionlen == 6 && !memcmp(u->action, "change", 6))
		suffix = "changed";
	else if (u->actionlen == 6 && !memcmp(u->action, "remove", 6))
		suffix = "removed";
	if (suffix)
		return asprintf(&name, "%s-device-%s", subsystem->value, suffix) < 0 ? NULL : name;
	return asprintf(&name, "%s-device-%.*s", subsystem->value,
			(int)u->actionlen, u->action) < 0 ? NULL : name;
}

static int
append_fmt(EnvList *env, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int ret;

	va_start(ap, fmt);
	ret = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (ret < 0)
		return -1;
	ret = env_append(env, s);
	free(s);
	return ret;
}

/* udev's sysname: the last component, '!' standing for '/' in it. */
static int
append_kernel(EnvList *env, const Uevent *u)
{
	const char *last = strrchr(u->devpath, '/') + 1;
	char *s;
	int ret;

	if (asprintf(&s, "KERNEL=%s", last) < 0)
		return -1;
	for (char *c = s; *c; c++)
		if (*c == '!')
			*c = '/';
	ret = env_append(env, s);
	free(s);
	return ret;
}

/* The variables made from the header, or put first: each key is in an
 * event once (the kernel sends no KERNEL, but anyone could). */
static bool
given_first(const UeventVar *v)
{
	static const char *const keys[] = {
		"KERNEL", "DEVPATH", "DEVNAME", "SUBSYSTEM", "ACTION",
	};

	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (v->keylen == strlen(keys[i]) && !memcmp(v->pair, keys[i], v->keylen))
			return true;
	return false;
}

static int
make_env(const Uevent *u, EnvList *env)
{
	const UeventVar *devname = find_var(u, "DEVNAME");

	if (append_kernel(env, u) < 0 ||
	    append_fmt(env, "DEVPATH=%s", u->devpath) < 0)
		return -1;
	if (devname && append_fmt(env, "DEVNAME=%s%s",
				  devname->value[0] == '/' ? "" : "/dev/", devname->value) < 0)
		return -1;
	if (append_fmt(env, "SUBSYSTEM=%s", find_var(u, "SUBSYSTEM")->value) < 0 ||
	    append_fmt(env, "ACTION=%.*s", (int)u->actionlen, u->action) < 0)
		return -1;
	for (size_t i = 0; i < u->nvars; i++)
		if (!u->vars[i].dropped && !given_first(&u->vars[i]) &&
		    env_append(env, u->vars[i].pair) < 0)
			return -1;
	return 0;
}

int
uevent_parse(const char *buf, size_t len, char **name, EnvList *env)
{
	/* Static: 64 variables are 2.5 kB, and PID 1 reads one datagram
	 * at a time. */
	static Uevent u;
	EnvList out = ENV_LIST_INIT;

	*name = NULL;
	if (!buf || len == 0 || len > UEVENT_MAX_LEN || !split(buf, len, &u)) {
		errno = EINVAL;
		return -1;
	}
	if (make_env(&u, &out) < 0 || !(*name = event_name(&u))) {
		env_clear(&out);
		errno = ENOMEM;
		return -1;
	}
	env_clear(env);
	*env = out;
	return 0;
}

/* ---- emitting ---- */

int
uevent_source_handle(const char *buf, size_t len)
{
	EnvList env = ENV_LIST_INIT;
	Event *event;
	char *name;

	if (uevent_parse(buf, len, &name, &env) < 0)
		return -1;
	history_push(CAUSE_SOURCE, "kernel uevent", NULL, 0);
	event = event_new(name, &env);
	history_pop();
	free(name);
	env_clear(&env);
	if (!event) {
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

/* ---- the socket ---- */

static int uevent_fd = -1;
static Watch *uevent_watch;

/* From the kernel: netlink port 0 and, when credentials came, uid 0.
 * Anyone may send to a uevent socket's port; only the kernel sends from
 * port 0. */
static bool
from_kernel(const struct msghdr *msg, const struct sockaddr_nl *sa)
{
	if (msg->msg_namelen != sizeof *sa || sa->nl_family != AF_NETLINK || sa->nl_pid != 0)
		return false;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(msg); c; c = CMSG_NXTHDR((struct msghdr *)msg, c)) {
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_CREDENTIALS &&
		    c->cmsg_len >= CMSG_LEN(sizeof(struct ucred))) {
			struct ucred cred;

			memcpy(&cred, CMSG_DATA(c), sizeof cred);
			if (cred.uid != 0)
				return false;
		}
	}
	return true;
}

static void
take_datagram(const char *buf, size_t len, const struct msghdr *msg,
	      const struct sockaddr_nl *sa)
{
	if (msg->msg_flags & (MSG_TRUNC | MSG_CTRUNC)) {
		log_debug("Dropped a uevent: too long");
		return;
	}
	if (!from_kernel(msg, sa)) {
		log_debug("Dropped a uevent: not from the kernel (port %u)", sa->nl_pid);
		return;
	}
	if (len >= sizeof LIBUDEV_MAGIC && !memcmp(buf, LIBUDEV_MAGIC, sizeof LIBUDEV_MAGIC))
		return;
	if (uevent_source_handle(buf, len) < 0)
		log_debug("Dropped a uevent: %s", strerror(errno));
}

/* One datagram: 1 when one was taken (or dropped), 0 when none is left,
 * -1 when the socket failed.  *lost is set on an overflow. */
static int
receive_one(int fd, bool *lost)
{
	static char buf[UEVENT_MAX_LEN];
	char control[CMSG_SPACE(sizeof(struct ucred))];
	struct sockaddr_nl sa;
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof buf };
	struct msghdr msg = {
		.msg_name = &sa, .msg_namelen = sizeof sa,
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = control, .msg_controllen = sizeof control,
	};
	ssize_t n;

	memset(&sa, 0, sizeof sa);
	n = recvmsg(fd, &msg, MSG_DONTWAIT);
	if (n >= 0) {
		take_datagram(buf, (size_t)n, &msg, &sa);
		return 1;
	}
	switch (errno) {
	case EINTR:
		return 1;
	case ENOBUFS:
		/* The kernel dropped some; what is queued still reads. */
		*lost = true;
		return 1;
	case EAGAIN:
		return 0;
	default:
		log_debug("Unable to read a uevent: %s", strerror(errno));
		return -1;
	}
}

static void
uevent_readable(void *data, int fd, uint32_t events)
{
	bool lost = false;

	for (int i = 0; i < UEVENT_BATCH; i++)
		if (receive_one(fd, &lost) <= 0)
			break;
	if (lost)
		log_warn("uevents were lost: %s (device events are missing)",
			 strerror(ENOBUFS));
}

static int
open_socket(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = UEVENT_GROUP_KERNEL };
	int fd, size = UEVENT_RCVBUF, on = 1;

	fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    NETLINK_KOBJECT_UEVENT);
	if (fd < 0)
		return -1;
	/* FORCE passes the rmem_max limit (PID 1 is root); without
	 * CAP_NET_ADMIN, as much as the limit allows. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size) < 0 &&
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size) < 0)
		log_debug("Unable to enlarge the uevent buffer: %s", strerror(errno));
	/* Without credentials the sender's port still tells the kernel. */
	if (setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &on, sizeof on) < 0)
		log_debug("Unable to ask for uevent credentials: %s", strerror(errno));
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
		int saved = errno;

		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

int
uevent_source_start(void)
{
	int fd, saved;

	if (uevent_fd >= 0)
		return 0;
	if ((fd = open_socket()) < 0)
		goto fail;
	if (!(uevent_watch = loop_watch(fd, EPOLLIN, uevent_readable, NULL))) {
		saved = errno;
		close(fd);
		errno = saved;
		goto fail;
	}
	uevent_fd = fd;
	return 0;
fail:
	saved = errno;
	log_warn("Unable to receive the kernel's uevents: %s (no device events)",
		 strerror(errno));
	errno = saved;
	return -1;
}

void
uevent_source_stop(void)
{
	if (uevent_fd < 0)
		return;
	loop_unwatch(uevent_watch);
	uevent_watch = NULL;
	close(uevent_fd);
	uevent_fd = -1;
}

int
uevent_source_fd(void)
{
	return uevent_fd;
}
