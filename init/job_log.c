/* job_log — `console log` output through a pty into log files.  See job_log.h. */
#include "init/job_log.h"

#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/queue.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/fsutil.h"
#include "lib/proto.h"
#include "init/log.h"
#include "init/loop.h"
#include "init/state.h"

#define LOG_FILE_MODE      0640
#define STATE_VERSION      1
/* One read of the master; a chatty job gets this much per loop pass
 * times READS_PER_WAKEUP before other descriptors get their turn. */
#define READ_CHUNK         65536
#define READS_PER_WAKEUP   4
/* job_log_release() reads at most this much before leaving the rest to
 * the loop, so a process that never stops writing cannot hold init. */
#define RELEASE_BUDGET     ((size_t)1 << 20)

struct job_log {
	TAILQ_ENTRY(job_log) link;
	uint64_t  id;
	char     *path;      /* the log file, fixed at creation */
	int       master;    /* pty master; -1 once every slave copy closed */
	Watch    *watch;     /* on master */
	int       file;      /* the open log file, or -1 */
	bool      released;  /* the job let go: free once finished */
	char     *buf;       /* output not on disk yet, oldest first */
	size_t    len;
	size_t    cap;
	size_t    lost;      /* bytes dropped since the last report */
	int       error;     /* errno of the last failed open/write */
	bool      failing;   /* the file could not be written last time */
	bool      claimed;   /* taken back by its job after a re-exec */
};

static TAILQ_HEAD(, job_log) logs = TAILQ_HEAD_INITIALIZER(logs);
static char    *log_dir_copy;          /* NULL: the default */
static bool     logging_disabled;
static size_t   buffer_limit = JOB_LOG_DEFAULT_BUFFER_LIMIT;
static uint64_t next_id = 1;

/* ---- settings --------------------------------------------------------- */

int
job_log_set_dir(const char *dir)
{
	char *copy = NULL;

	if (dir && !(copy = strdup(dir)))
		return -1;
	free(log_dir_copy);
	log_dir_copy = copy;
	return 0;
}

const char *
job_log_dir(void)
{
	return log_dir_copy ? log_dir_copy : JOB_LOG_DEFAULT_DIR;
}

void   job_log_set_disabled(bool disabled) { logging_disabled = disabled; }
bool   job_log_disabled(void)              { return logging_disabled; }
void   job_log_set_buffer_limit(size_t n)  { buffer_limit = n; }
size_t job_log_buffer_limit(void)          { return buffer_limit; }

char *
job_log_path(const char *job_name, const char *instance)
{
	const char *dir = job_log_dir();
	char *path;
	int n;

	if (instance && *instance)
		n = asprintf(&path, "%s/%s-%s.log", dir, job_name, instance);
	else
		n = asprintf(&path, "%s/%s.log", dir, job_name);
	if (n < 0)
		return NULL;
	/* Every log lives directly in the directory: `net/apache` must
	 * not name a subdirectory. */
	for (char *p = path + strlen(dir) + 1; *p; p++)
		if (*p == '/')
			*p = '_';
	return path;
}

/* ---- writing the file ------------------------------------------------- */

/* Make sure log->file is open on the current file at log->path.  A file
 * that was deleted since we opened it (logrotate without copytruncate)
 * is replaced by a new one, or the output would go nowhere visible. */
static bool
file_ready(JobLog *log)
{
	struct stat st;

	if (log->file >= 0) {
		if (fstat(log->file, &st) == 0 && st.st_nlink > 0)
			return true;
		close(log->file);
		log->file = -1;
	}
	/* O_NOFOLLOW: a symlink planted in the log directory must not make
	 * init append to some other file. */
	log->file = open(log->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC |
			 O_NOFOLLOW | O_NOCTTY, LOG_FILE_MODE);
	if (log->file < 0) {
		log->error = errno;
		return false;
	}
	return true;
}

static bool
expected_early_error(int err)
{
	/* What a log directory on a not yet mounted or still read-only
	 * filesystem gives: normal during boot, worth no warning. */
	return err == ENOENT || err == EROFS || err == EACCES || err == EPERM;
}

static void
note_failure(JobLog *log)
{
	if (log->failing)
		return;
	log->failing = true;
	if (expected_early_error(log->error))
		log_debug("%s: %s; holding job output in memory", log->path,
			  strerror(log->error));
	else
		log_warn("%s: %s; holding job output in memory", log->path,
			 strerror(log->error));
}

static void
note_success(JobLog *log)
{
	log->failing = false;
	if (log->lost) {
		log_warn("%s: %zu bytes of job output were lost while the "
			 "log could not be written", log->path, log->lost);
		log->lost = 0;
	}
}

/* Write `data` to the log file, opening it first if needed.  Returns how
 * much was written; on a shortfall the file is closed (so that the next
 * attempt re-opens it, e.g. after a remount) and log->error says why. */
static size_t
write_out(JobLog *log, const char *data, size_t n)
{
	size_t done = 0;

	if (!file_ready(log)) {
		note_failure(log);
		return 0;
	}
	while (done < n) {
		ssize_t w = write(log->file, data + done, n - done);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			log->error = w < 0 ? errno : EIO;
			close(log->file);
			log->file = -1;
			note_failure(log);
			return done;
		}
		done += (size_t)w;
	}
	if (log->failing || log->lost)
		note_success(log);
	return done;
}

/* Hold `data` in memory, as much as the limit allows. */
static void
buffer_keep(JobLog *log, const char *data, size_t n)
{
	size_t room = buffer_limit > log->len ? buffer_limit - log->len : 0;
	size_t keep = n < room ? n : room;

	if (keep && log->len + keep > log->cap) {
		size_t cap = log->cap ? log->cap * 2 : 4096;
		char *buf;

		if (cap < log->len + keep)
			cap = log->len + keep;
		if (cap > buffer_limit && buffer_limit >= log->len + keep)
			cap = buffer_limit;
		buf = realloc(log->buf, cap);
		if (buf) {
			log->buf = buf;
			log->cap = cap;
		} else {
			keep = 0;
		}
	}
	if (keep) {
		memcpy(log->buf + log->len, data, keep);
		log->len += keep;
	}
	if (keep < n) {
		if (!log->lost)
			log_warn("%s: %zu bytes of job output held in memory, "
				 "dropping further output until the log can "
				 "be written", log->path, log->len);
		log->lost += n - keep;
	}
}

/* Write out what is held in memory.  True when nothing is left. */
static bool
flush(JobLog *log)
{
	size_t done;

	if (!log->len)
		return true;
	done = write_out(log, log->buf, log->len);
	if (done < log->len) {
		memmove(log->buf, log->buf + done, log->len - done);
		log->len -= done;
		return false;
	}
	/* Most logs buffer only during boot: give the memory back. */
	free(log->buf);
	log->buf = NULL;
	log->len = log->cap = 0;
	return true;
}

/* New output from the job: after anything held back, to keep the order. */
static void
output(JobLog *log, const char *data, size_t n)
{
	size_t done = 0;

	if (flush(log))
		done = write_out(log, data, n);
	if (done < n)
		buffer_keep(log, data + done, n - done);
}

/* ---- the pty ------------------------------------------------------------ */

static void
free_log(JobLog *log)
{
	TAILQ_REMOVE(&logs, log, link);
	loop_unwatch(log->watch);
	if (log->master >= 0)
		close(log->master);
	if (log->file >= 0)
		close(log->file);
	free(log->buf);
	free(log->path);
	free(log);
}

/* Free `log` when nobody needs it any more: the job let go, every slave
 * copy is closed and its output is on disk.  True when freed. */
static bool
maybe_free(JobLog *log)
{
	if (!log->released || log->master >= 0 || log->len)
		return false;
	free_log(log);
	return true;
}

static void
master_closed(JobLog *log)
{
	loop_unwatch(log->watch);
	log->watch = NULL;
	close(log->master);
	log->master = -1;
}

/* Read what the master has, at most about `budget` bytes.  Returns false
 * when the master reported the end (every slave copy closed): it is then
 * closed and unwatched. */
static bool
drain(JobLog *log, size_t budget)
{
	static char chunk[READ_CHUNK];
	size_t total = 0;

	while (log->master >= 0 && total < budget) {
		ssize_t n = read(log->master, chunk, sizeof chunk);

		if (n > 0) {
			output(log, chunk, (size_t)n);
			total += (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return true;
		/* EIO is how a pty master says the last slave copy was
		 * closed (after everything written before was read). */
		if (n < 0 && errno != EIO)
			log_warn("%s: reading job output: %s", log->path,
				 strerror(errno));
		master_closed(log);
		return false;
	}
	return log->master >= 0;
}

static void
on_master(void *data, int fd, uint32_t events)
{
	JobLog *log = data;

	if (!drain(log, (size_t)READ_CHUNK * READS_PER_WAKEUP))
		maybe_free(log);
}

/* A new pty: the master non-blocking and close-on-exec, the slave
 * close-on-exec and not our controlling terminal. */
static int
open_pty(int *master_out, int *slave_out)
{
	char name[64];
	int master, slave = -1, err;

	master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (master < 0)
		return -1;
	if (grantpt(master) < 0 || unlockpt(master) < 0 ||
	    fd_set_nonblock(master) < 0)
		goto fail;
#ifdef TIOCGPTPEER
	/* Opens the slave of this very master, no path lookup. */
	slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
#endif
	if (slave < 0) {
		err = ptsname_r(master, name, sizeof name);
		if (err) {
			errno = err;
			goto fail;
		}
		slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
		if (slave < 0)
			goto fail;
	}
	*master_out = master;
	*slave_out = slave;
	return 0;
fail:
	err = errno;
	close(master);
	errno = err;
	return -1;
}

/* A log for `path` reading `master` (may be -1); on success the log owns
 * both, on failure (NULL) the caller still does. */
static JobLog *
log_create(char *path, int master, uint64_t id)
{
	JobLog *log = calloc(1, sizeof *log);

	if (!log)
		return NULL;
	log->path = path;
	log->master = master;
	log->file = -1;
	log->id = id;
	if (master >= 0) {
		log->watch = loop_watch(master, EPOLLIN, on_master, log);
		if (!log->watch) {
			free(log);
			return NULL;
		}
	}
	if (id >= next_id)
		next_id = id + 1;
	TAILQ_INSERT_TAIL(&logs, log, link);
	return log;
}

JobLog *
job_log_new(const char *job_name, const char *instance, int *slave_fd)
{
	JobLog *log = NULL;
	char *path;
	int master = -1, slave = -1, err;

	if (logging_disabled) {
		errno = ECANCELED;
		return NULL;
	}
	path = job_log_path(job_name, instance);
	if (!path || open_pty(&master, &slave) < 0)
		goto fail;
	log = log_create(path, master, next_id);
	if (!log)
		goto fail;
	*slave_fd = slave;
	return log;
fail:
	err = errno;
	if (master >= 0)
		close(master);
	if (slave >= 0)
		close(slave);
	free(path);
	log_warn("%s%s%s%s: cannot set up console log (%s); output "
		 "discarded", job_name, instance && *instance ? " (" : "",
		 instance && *instance ? instance : "",
		 instance && *instance ? ")" : "", strerror(err));
	errno = err;
	return NULL;
}

const char *
job_log_file(const JobLog *log)
{
	return log->path;
}

void
job_log_release(JobLog *log)
{
	if (!log)
		return;
	log->released = true;
	/* Output written just before the process ended may still be in
	 * the pty; whatever is not readable yet arrives through the loop. */
	drain(log, RELEASE_BUDGET);
	maybe_free(log);
}

void
job_log_notify_disk_writeable(void)
{
	JobLog *log, *next;

	TAILQ_FOREACH_SAFE(log, &logs, link, next) {
		if (!log->len)
			continue;
		if (!flush(log))
			log_warn("%s: still cannot write job output: %s",
				 log->path, strerror(log->error));
		maybe_free(log);
	}
}

size_t
job_log_count(void)
{
	JobLog *log;
	size_t n = 0;

	TAILQ_FOREACH(log, &logs, link)
		n++;
	return n;
}

size_t
job_log_pending(void)
{
	JobLog *log;
	size_t n = 0;

	TAILQ_FOREACH(log, &logs, link)
		n += log->len;
	return n;
}

void
job_log_free_all(void)
{
	JobLog *log;

	while ((log = TAILQ_FIRST(&logs))) {
		drain(log, RELEASE_BUDGET);
		flush(log);
		free_log(log);
	}
}

/* ---- re-exec ------------------------------------------------------------ */

uint64_t
job_log_id(const JobLog *log)
{
	return log->id;
}

JobLog *
job_log_claim(uint64_t id)
{
	JobLog *log;

	TAILQ_FOREACH(log, &logs, link) {
		if (log->id != id)
			continue;
		if (log->claimed || log->released)
			return NULL;
		log->claimed = true;
		return log;
	}
	return NULL;
}

void
job_log_keep_across_exec(bool keep)
{
	JobLog *log;

	TAILQ_FOREACH(log, &logs, link)
		if (log->master >= 0)
			fd_set_cloexec(log->master, !keep);
}

/* Output bytes may be anything: hex keeps the JSON plain ASCII. */
static json_object *
hex_string(const char *data, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	json_object *str;
	char *hex = malloc(2 * n + 1);

	if (!hex)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		hex[2 * i] = digits[(unsigned char)data[i] >> 4];
		hex[2 * i + 1] = digits[(unsigned char)data[i] & 0xf];
	}
	str = json_object_new_string_len(hex, (int)(2 * n));
	free(hex);
	return str;
}

static int
hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static json_object *
log_serialise(const JobLog *log)
{
	json_object *obj = json_object_new_object();

	if (!obj)
		return NULL;
	if (!proto_add_member(obj, "id", json_object_new_uint64(log->id)) ||
	    !proto_add_member(obj, "path", json_object_new_string(log->path)) ||
	    !proto_add_member(obj, "master", json_object_new_int(log->master)) ||
	    !proto_add_member(obj, "released", json_object_new_boolean(log->released)) ||
	    !proto_add_member(obj, "lost", json_object_new_uint64(log->lost)) ||
	    !proto_add_member(obj, "buffered", hex_string(log->buf, log->len))) {
		json_object_put(obj);
		return NULL;
	}
	return obj;
}

json_object *
job_log_serialise(void)
{
	json_object *root = json_object_new_object(), *array;
	JobLog *log;

	if (!root)
		return NULL;
	array = json_object_new_array();
	if (!proto_add_member(root, "v", json_object_new_int(STATE_VERSION))) {
		json_object_put(array);
		goto fail;
	}
	if (!proto_add_member(root, "logs", array))
		goto fail;
	TAILQ_FOREACH(log, &logs, link) {
		json_object *obj = log_serialise(log);

		if (!obj || json_object_array_add(array, obj) < 0) {
			json_object_put(obj);
			goto fail;
		}
	}
	return root;
fail:
	json_object_put(root);
	return NULL;
}

/* One log of the previous image; -1 with errno on failure. */
static bool
adoptable_master(int fd)
{
	unsigned int n;

	return fd > 2 && ioctl(fd, TIOCGPTN, &n) == 0 && state_claim_fd(fd);
}

static int
log_deserialise(json_object *obj)
{
	json_object *id, *path, *master, *released, *lost, *buffered;
	const char *hex;
	size_t hex_len;
	char *copy;
	int fd;
	JobLog *log;

	if (!json_object_object_get_ex(obj, "id", &id) ||
	    !json_object_object_get_ex(obj, "path", &path) ||
	    !json_object_object_get_ex(obj, "master", &master) ||
	    !json_object_object_get_ex(obj, "released", &released) ||
	    !json_object_object_get_ex(obj, "lost", &lost) ||
	    !json_object_object_get_ex(obj, "buffered", &buffered) ||
	    !json_object_is_type(path, json_type_string) ||
	    !json_object_is_type(buffered, json_type_string)) {
		errno = EINVAL;
		return -1;
	}
	hex = json_object_get_string(buffered);
	hex_len = (size_t)json_object_get_string_len(buffered);
	if (hex_len % 2) {
		errno = EINVAL;
		return -1;
	}

	/* A descriptor that did not survive the exec means the output
	 * source is gone: keep what was buffered, nothing more to read.
	 * One that is not a pty master, or is one another log holds
	 * already, is not ours to read or close: a broken document must
	 * not hand init's console, or anything else, to a log. */
	fd = json_object_get_int(master);
	if (fd >= 0 && !adoptable_master(fd))
		fd = -1;
	if (fd >= 0 && (fd_set_nonblock(fd) < 0 || fd_set_cloexec(fd, true) < 0))
		fd = -1;
	copy = strdup(json_object_get_string(path));
	log = copy ? log_create(copy, fd, json_object_get_uint64(id)) : NULL;
	if (!log) {
		free(copy);
		if (fd >= 0)
			close(fd);
		errno = ENOMEM;
		return -1;
	}
	log->released = json_object_get_boolean(released);
	log->lost = json_object_get_uint64(lost);
	if (hex_len) {
		log->buf = malloc(hex_len / 2);
		if (log->buf)
			log->cap = hex_len / 2;
		else
			log->lost += hex_len / 2;
		for (size_t i = 0; log->buf && i < hex_len; i += 2) {
			int hi = hex_digit(hex[i]), lo = hex_digit(hex[i + 1]);

			if (hi < 0 || lo < 0)
				break;
			log->buf[log->len++] = (char)(hi << 4 | lo);
		}
	}
	maybe_free(log);
	return 0;
}

int
job_log_deserialise(json_object *json)
{
	json_object *version, *array;
	int ret = 0, err = 0;

	if (!json_object_object_get_ex(json, "v", &version) ||
	    json_object_get_int(version) != STATE_VERSION ||
	    !json_object_object_get_ex(json, "logs", &array) ||
	    !json_object_is_type(array, json_type_array)) {
		errno = EINVAL;
		return -1;
	}
	for (size_t i = 0; i < json_object_array_length(array); i++) {
		if (log_deserialise(json_object_array_get_idx(array, i)) < 0) {
			err = errno;
			ret = -1;
		}
	}
	if (ret < 0)
		errno = err;
	return ret;
}
