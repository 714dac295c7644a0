/* initctl_fifo — sysvinit's /run/initctl FIFO.  See initctl_fifo.h. */
#include "sysv/initctl_fifo.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <unistd.h>

#include "init/history.h"
#include "init/log.h"
#include "init/loop.h"

/* ---- the decoder ------------------------------------------------------ */

/* What a RUNLVL request may ask for, either case (sysvinit's read_level
 * accepts QS0123456789ABCU after upper-casing). */
static const char runlevel_chars[] = "0123456789SsQqUuAaBbCc";

static const char *const type_names[] = {
	[INIT_REQUEST_RUNLEVEL]      = "runlevel",
	[INIT_REQUEST_POWERFAIL]     = "powerfail",
	[INIT_REQUEST_POWERFAILNOW]  = "powerfailnow",
	[INIT_REQUEST_POWEROK]       = "powerok",
	[INIT_REQUEST_SETENV]        = "setenv",
	[INIT_REQUEST_UNIMPLEMENTED] = "unimplemented",
};

const char *
initreq_type_name(InitRequestType type)
{
	if ((size_t)type < sizeof type_names / sizeof type_names[0])
		return type_names[type];
	return "unknown";
}

static int
reject(const char **why, const char *reason)
{
	if (why)
		*why = reason;
	errno = EINVAL;
	return -1;
}

/* INIT_ followed by letters, digits and underscores, up to '=' or the
 * end.  sysvinit only checks the prefix; a name a shell could not export
 * is of no use to a job, so it is dropped like any other. */
static bool
setenv_name_ok(const char *entry, size_t len)
{
	size_t i;

	if (len < 5 || memcmp(entry, "INIT_", 5) != 0)
		return false;
	for (i = 5; i < len && entry[i] != '='; i++) {
		char c = entry[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		      (c >= '0' && c <= '9') || c == '_'))
			return false;
	}
	return true;
}

/* The SETENV list: NUL-terminated strings ending with an empty one, all
 * inside data[].  A list that runs off the end without its empty string is
 * bogus (sysvinit would read past the buffer there). */
static int
decode_setenv(const char *data, InitRequest *req, const char **why)
{
	size_t pos = 0, out = 0;

	for (;;) {
		const char *entry, *nul;
		size_t len;

		if (pos >= INITREQ_DATA_SIZE)
			return reject(why, "unterminated environment list");
		entry = data + pos;
		if (*entry == '\0')
			return 0;
		nul = memchr(entry, '\0', INITREQ_DATA_SIZE - pos);
		if (!nul)
			return reject(why, "unterminated environment list");
		len = (size_t)(nul - entry);
		pos += len + 1;

		if (!setenv_name_ok(entry, len) ||
		    req->env_len == INITREQ_ENV_MAX) {
			req->env_dropped++;
			continue;
		}
		/* `out` never passes `pos`: entries are copied in order,
		 * some skipped, each with its NUL. */
		memcpy(req->env_buf + out, entry, len + 1);
		req->env_at[req->env_len++] = (uint16_t)out;
		out += len + 1;
	}
}

int
initreq_decode(const void *buf, size_t len, InitRequest *req, const char **why)
{
	struct init_request wire;

	memset(req, 0, sizeof *req);
	if (len != INITREQ_SIZE)
		return reject(why, "wrong size");
	memcpy(&wire, buf, sizeof wire);   /* `buf` may be unaligned */
	if (wire.magic != INITREQ_MAGIC)
		return reject(why, "wrong magic");

	req->cmd = wire.cmd;
	switch (wire.cmd) {
	case INITREQ_CMD_RUNLVL:
		if (wire.runlevel <= 0 || wire.runlevel > 127 ||
		    !strchr(runlevel_chars, (char)wire.runlevel))
			return reject(why, "bad runlevel");
		req->type = INIT_REQUEST_RUNLEVEL;
		req->runlevel = (char)wire.runlevel;
		if (req->runlevel >= 'a' && req->runlevel <= 'z')
			req->runlevel = (char)(req->runlevel - 'a' + 'A');
		break;
	case INITREQ_CMD_POWERFAIL:
		req->type = INIT_REQUEST_POWERFAIL;
		break;
	case INITREQ_CMD_POWERFAILNOW:
		req->type = INIT_REQUEST_POWERFAILNOW;
		break;
	case INITREQ_CMD_POWEROK:
		req->type = INIT_REQUEST_POWEROK;
		break;
	case INITREQ_CMD_SETENV:
		req->type = INIT_REQUEST_SETENV;
		return decode_setenv(wire.i.data, req, why);
	case INITREQ_CMD_START:
	case INITREQ_CMD_BSD:
	case INITREQ_CMD_UNSETENV:
		req->type = INIT_REQUEST_UNIMPLEMENTED;
		return 0;
	default:
		return reject(why, "unknown command");
	}

	/* RUNLVL and POWER* carry the TERM-to-KILL delay. */
	if (wire.sleeptime < 0 || wire.sleeptime > INITREQ_SLEEPTIME_MAX)
		return reject(why, "bad sleeptime");
	req->sleeptime = wire.sleeptime;
	return 0;
}

const char *
initreq_env(const InitRequest *req, size_t i)
{
	return i < req->env_len ? req->env_buf + req->env_at[i] : NULL;
}

bool
initreq_env_is_unset(const InitRequest *req, size_t i)
{
	const char *entry = initreq_env(req, i);

	return entry && !strchr(entry, '=');
}

/* ---- the FIFO --------------------------------------------------------- */

static struct {
	char              *path;       /* NULL until the first open */
	int                fd;
	Watch             *watch;
	bool               wanted;     /* false after initctl_fifo_close() */
	bool               opened_once;
	dev_t              dev;        /* of the open FIFO */
	ino_t              ino;
	/* Bumped whenever the descriptor goes away, so a read loop can tell
	 * that the handler closed or reopened the FIFO under it. */
	unsigned           generation;
	int                failed_errno;  /* last open failure already logged */
	InitctlFifoHandler handler;
	void              *handler_data;

	/* One line about dropped requests per interval. */
	uint64_t           quiet_ms;
	uint64_t           last_line_ms;
	bool               said_anything;
	unsigned long      quiet_dropped; /* dropped since the last line */
	Timer             *flush_timer;

	InitctlFifoStats   stats;
} fifo = { .fd = -1, .quiet_ms = INITCTL_FIFO_BOGUS_INTERVAL };

static void
flush_dropped(void *data)
{
	fifo.flush_timer = NULL;
	if (fifo.quiet_dropped == 0)
		return;
	log_warn("got bogus initrequest: %lu more dropped in the last %llu s",
		 fifo.quiet_dropped,
		 (unsigned long long)((fifo.quiet_ms + 999) / 1000));
	fifo.stats.log_lines++;
	fifo.quiet_dropped = 0;
	fifo.last_line_ms = loop_now_ms();
}

/* Count one dropped request and say so, unless a line went out less than
 * an interval ago; then the drop is counted into the next line, which a
 * timer writes at the end of the interval. */
static void
note_dropped(const char *text)
{
	uint64_t now = loop_now_ms();

	fifo.stats.dropped++;
	if (fifo.said_anything && now - fifo.last_line_ms < fifo.quiet_ms) {
		fifo.quiet_dropped++;
		if (!fifo.flush_timer)
			fifo.flush_timer = loop_timer(
				fifo.last_line_ms + fifo.quiet_ms - now,
				flush_dropped, NULL);
		return;
	}
	if (fifo.quiet_dropped)
		log_warn("%s (and %lu more dropped before it)", text,
			 fifo.quiet_dropped);
	else
		log_warn("%s", text);
	fifo.stats.log_lines++;
	fifo.quiet_dropped = 0;
	fifo.said_anything = true;
	fifo.last_line_ms = now;
}

static void
handle_chunk(const char *buf, size_t len)
{
	InitRequest req;
	const char *why = NULL;
	char text[80];

	if (initreq_decode(buf, len, &req, &why) < 0) {
		snprintf(text, sizeof text, "got bogus initrequest: %s", why);
		note_dropped(text);
		return;
	}
	if (req.type == INIT_REQUEST_UNIMPLEMENTED) {
		note_dropped("got unimplemented initrequest.");
		return;
	}
	fifo.stats.requests++;
	/* The FIFO carries no credentials: the cause is the request. */
	snprintf(text, sizeof text, "%s request on %s", initreq_type_name(req.type),
		 fifo.path ? fifo.path : "/run/initctl");
	history_push(CAUSE_FIFO, text, NULL, 0);
	if (fifo.handler)
		fifo.handler(&req, fifo.handler_data);
	history_pop();
}

/* Reads and handles up to `max` requests from `fd`; false if the
 * handler closed or reopened the FIFO meanwhile (stop reading then). */
static bool
read_requests(int fd, int max)
{
	unsigned generation = fifo.generation;
	char buf[INITREQ_SIZE];

	/* A writer's request is one write of 384 bytes, atomic in a pipe,
	 * so whole reads keep us aligned.  A read shorter than asked for
	 * took everything the pipe held: a stray partial write, drained and
	 * reported, leaving nothing half-read behind. */
	for (int i = 0; i < max; i++) {
		ssize_t n = read(fd, buf, sizeof buf);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN)
				log_warn("error reading initrequest: %s",
					 strerror(errno));
			break;
		}
		if (n == 0)   /* cannot happen with O_RDWR; never spin on it */
			break;
		handle_chunk(buf, (size_t)n);
		if (generation != fifo.generation)
			return false;
	}
	return true;
}

static void
on_readable(void *data, int fd, uint32_t events)
{
	if (read_requests(fd, INITCTL_FIFO_READS_PER_WAKEUP))
		initctl_fifo_check();
}

/* Stops serving the descriptor and hands it to the caller (-1 if none). */
static int
detach_fd(void)
{
	int fd = fifo.fd;

	if (fifo.watch) {
		loop_unwatch(fifo.watch);
		fifo.watch = NULL;
	}
	fifo.fd = -1;
	fifo.generation++;
	return fd;
}

static void
close_fd(void)
{
	int fd = detach_fd();

	if (fd >= 0)
		close(fd);
}

static void
open_failed(const char *what, int err)
{
	if (err != fifo.failed_errno)
		log_error("%s: %s: %s", fifo.path, what, strerror(err));
	fifo.failed_errno = err;
	errno = err;
}

static void
not_a_fifo(void)
{
	/* The words sysvinit uses, so people find them. */
	if (fifo.failed_errno != EINVAL)
		log_error("%s is not a fifo", fifo.path);
	fifo.failed_errno = EINVAL;
	errno = EINVAL;
}

/* Checks an open descriptor for the FIFO and starts watching it. */
static int
serve_fd(int fd)
{
	struct stat st;

	if (fstat(fd, &st) < 0) {
		open_failed("fstat", errno);
		close(fd);
		return -1;
	}
	if (!S_ISFIFO(st.st_mode)) {
		not_a_fifo();
		close(fd);
		return -1;
	}
	if (st.st_uid != geteuid()) {
		if (fifo.failed_errno != EPERM)
			log_error("%s belongs to uid %u, not to us: not served",
				  fifo.path, (unsigned)st.st_uid);
		fifo.failed_errno = EPERM;
		close(fd);
		errno = EPERM;
		return -1;
	}
	/* Whoever can write here can change the runlevel. */
	if ((st.st_mode & 077) && fchmod(fd, 0600) < 0)
		log_warn("%s: cannot make it private: %s", fifo.path,
			 strerror(errno));

	fifo.watch = loop_watch(fd, EPOLLIN, on_readable, NULL);
	if (!fifo.watch) {
		open_failed("watch", errno ? errno : ENOMEM);
		close(fd);
		return -1;
	}
	fifo.fd = fd;
	fifo.dev = st.st_dev;
	fifo.ino = st.st_ino;
	fifo.failed_errno = 0;
	if (fifo.opened_once)
		fifo.stats.reopens++;
	fifo.opened_once = true;
	return 0;
}

/* Opens (or creates) the FIFO at the path and serves it. */
static int
open_new(void)
{
	struct stat st;
	int fd;

	if (stat(fifo.path, &st) < 0) {
		if (errno != ENOENT) {
			open_failed("stat", errno);
			return -1;
		}
		if (mkfifo(fifo.path, 0600) < 0 && errno != EEXIST) {
			open_failed("mkfifo", errno);
			return -1;
		}
	} else if (!S_ISFIFO(st.st_mode)) {
		/* Refused before open(): opening a device can have effects. */
		not_a_fifo();
		return -1;
	}
	fd = open(fifo.path, O_RDWR | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		open_failed("open", errno);
		return -1;
	}
	return serve_fd(fd);
}

/* Serves the FIFO at the path in place of the one open now.  The old
 * descriptor closes only after the new one is open, and is read dry
 * first: closing the last descriptor of a pipe throws away what it
 * holds.  sysvinit's postinst sends SIGUSR1 (reopen) and at once
 * `init u`; closing first lost that request whenever both arrived in
 * the same wakeup.  Same FIFO: whatever comes after the drain waits in
 * the pipe, which the new descriptor keeps. */
static int
open_path(void)
{
	int old = detach_fd();
	int rc = open_new();

	if (old >= 0) {
		read_requests(old, INITCTL_FIFO_READS_PER_WAKEUP);
		close(old);
	}
	return rc;
}

static int
set_path(const char *path)
{
	char *copy;

	if (!path)
		path = INITCTL_FIFO_PATH;
	if (fifo.path && strcmp(fifo.path, path) == 0)
		return 0;
	copy = strdup(path);
	if (!copy)
		return -1;
	free(fifo.path);
	fifo.path = copy;
	fifo.failed_errno = 0;
	return 0;
}

void
initctl_fifo_set_handler(InitctlFifoHandler fn, void *data)
{
	fifo.handler = fn;
	fifo.handler_data = data;
}

int
initctl_fifo_open(const char *path)
{
	if (set_path(path) < 0)
		return -1;
	fifo.wanted = true;
	return open_path();
}

int
initctl_fifo_adopt(const char *path, int fd)
{
	if (set_path(path) < 0) {
		close(fd);
		return -1;
	}
	close_fd();
	fifo.wanted = true;
	return serve_fd(fd);
}

int
initctl_fifo_reopen(void)
{
	if (!fifo.path) {
		errno = EINVAL;
		return -1;
	}
	fifo.wanted = true;
	return open_path();
}

void
initctl_fifo_close(void)
{
	fifo.wanted = false;
	close_fd();
}

int
initctl_fifo_check(void)
{
	struct stat st;

	if (!fifo.path || !fifo.wanted)
		return 0;
	if (fifo.fd < 0)
		return open_path();
	if (stat(fifo.path, &st) == 0 && st.st_dev == fifo.dev &&
	    st.st_ino == fifo.ino)
		return 0;
	log_info("%s was replaced: reopening", fifo.path);
	return open_path();
}

int
initctl_fifo_link_dev(const char *devpath)
{
	char target[4096], tmp[4096];
	struct stat st;
	ssize_t n;

	if (!fifo.path) {
		errno = EINVAL;
		return -1;
	}
	if (!devpath)
		devpath = INITCTL_FIFO_DEV_PATH;
	if (lstat(devpath, &st) == 0) {
		if (S_ISLNK(st.st_mode)) {
			n = readlink(devpath, target, sizeof target - 1);
			if (n >= 0) {
				target[n] = '\0';
				if (strcmp(target, fifo.path) == 0)
					return 0;   /* already ours */
			}
		} else if (!S_ISFIFO(st.st_mode)) {
			log_info("%s exists and is not a link or fifo: "
				 "left alone", devpath);
			errno = EEXIST;
			return -1;
		}
	} else if (errno != ENOENT) {
		goto failed;
	}

	/* Replace whatever link or old FIFO is there in one rename. */
	if ((size_t)snprintf(tmp, sizeof tmp, "%s.upinit-new", devpath) >=
	    sizeof tmp) {
		errno = ENAMETOOLONG;
		goto failed;
	}
	unlink(tmp);
	if (symlink(fifo.path, tmp) < 0)
		goto failed;
	if (rename(tmp, devpath) < 0) {
		int err = errno;

		unlink(tmp);
		errno = err;
		goto failed;
	}
	return 0;

failed:
	log_info("cannot link %s to %s: %s", devpath, fifo.path,
		 strerror(errno));
	return -1;
}

int
initctl_fifo_fd(void)
{
	return fifo.fd;
}

const char *
initctl_fifo_path(void)
{
	return fifo.path;
}

void
initctl_fifo_get_stats(InitctlFifoStats *stats)
{
	*stats = fifo.stats;
}

void
initctl_fifo_set_bogus_interval(uint64_t ms)
{
	fifo.quiet_ms = ms;
}

void
initctl_fifo_reset(void)
{
	close_fd();
	if (fifo.flush_timer)
		loop_timer_cancel(fifo.flush_timer);
	free(fifo.path);
	memset(&fifo, 0, sizeof fifo);
	fifo.fd = -1;
	fifo.quiet_ms = INITCTL_FIFO_BOGUS_INTERVAL;
}
