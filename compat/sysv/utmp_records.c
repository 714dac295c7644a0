/* utmp_records — utmp/wtmp records as sysvinit writes them.  See
 * utmp_records.h for the records, the delayed writes and the errors. */
#include "sysv/utmp_records.h"

#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <limits.h>
#include <paths.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <utmpx.h>

#define STATE_VERSION 1

/* The two files, as array indices. */
typedef enum utmp_file {
	UTMP_FILE_UTMP,
	UTMP_FILE_WTMP,
	UTMP_FILE_COUNT,
} UtmpFile;

/* Records that could not be written to one file yet. */
typedef struct pending {
	bool boot;
	bool level;
} Pending;

struct utmp_records {
	char          *path[UTMP_FILE_COUNT];
	Pending        pending[UTMP_FILE_COUNT];

	bool           booted;      /* utmp_records_boot() was called */
	struct timeval boot_tv;     /* ...at this time */

	bool           have_level;  /* a runlevel change was recorded */
	char           cur, prev;   /* 'N' for no previous level */
	struct timeval level_tv;
};

/* ---- small helpers ------------------------------------------------------ */

/* Copy `value` into a fixed-size utmp field: NUL-padded, not necessarily
 * NUL-terminated when full (the utmp convention). */
static void
field_set(char *field, size_t size, const char *value)
{
	size_t len = value ? strlen(value) : 0;

	if (len > size)
		len = size;

	memset(field, 0, size);
	memcpy(field, value ? value : "", len);
}

/* True when the NUL-padded field holds exactly `value`. */
static bool
field_is(const char *field, size_t size, const char *value)
{
	return strlen(value) <= size && strncmp(field, value, size) == 0;
}

static void
set_host_release(struct utmpx *ut)
{
	struct utsname un;

	if (uname(&un) == 0)
		field_set(ut->ut_host, sizeof ut->ut_host, un.release);
}

static void
set_time(struct utmpx *ut, const struct timeval *tv)
{
	/* ut_tv has 32-bit members on 64-bit glibc (bi-arch layout). */
	ut->ut_tv.tv_sec = tv->tv_sec;
	ut->ut_tv.tv_usec = tv->tv_usec;
}

static void
now(struct timeval *tv)
{
	gettimeofday(tv, NULL);
}

/* A record of init's own kind: id "~~", pid and host as given. */
static void
record_fill(struct utmpx *ut, short type, const char *user, const char *id,
	    const char *line, pid_t pid, const struct timeval *tv)
{
	memset(ut, 0, sizeof *ut);
	ut->ut_type = type;
	ut->ut_pid = pid;
	field_set(ut->ut_user, sizeof ut->ut_user, user);
	field_set(ut->ut_id, sizeof ut->ut_id, id);
	field_set(ut->ut_line, sizeof ut->ut_line, line);
	set_time(ut, tv);
}

static bool
is_level(int c)
{
	return (c >= '0' && c <= '9') || c == 'S' || c == 's';
}

static bool
is_process_type(short type)
{
	return type == INIT_PROCESS || type == LOGIN_PROCESS ||
	       type == USER_PROCESS;
}

/* Open `path` to see whether glibc could use it now: it must be a regular
 * file (a FIFO would block glibc's open), openable with `flags`, and no
 * other process may hold a lock that conflicts with `lock`, since glibc
 * would wait for it (see the header).  Returns the descriptor, or -1
 * with errno. */
static int
file_probe(const char *path, int flags, short lock)
{
	struct flock fl = { .l_type = lock, .l_whence = SEEK_SET };
	struct stat st;
	int fd, err;

	fd = open(path, flags | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0)
		goto fail;
	if (!S_ISREG(st.st_mode)) {
		errno = EINVAL;
		goto fail;
	}
	if (fcntl(fd, F_GETLK, &fl) < 0)
		goto fail;
	if (fl.l_type != F_UNLCK) {
		errno = EAGAIN;
		goto fail;
	}
	return fd;
fail:
	err = errno;
	close(fd);
	errno = err;
	return -1;
}

/* Point glibc at `path`; pair with utmp_close(). */
static int
utmp_open(const char *path)
{
	if (utmpxname(path) < 0)
		return -1;
	setutxent();
	return 0;
}

/* Close glibc's utmp file and give it back its default name. */
static void
utmp_close(void)
{
	int err = errno;

	endutxent();
	utmpxname(_PATH_UTMP);
	errno = err;
}

/* pututxline() into the utmp file `path`: replaces the record glibc
 * matches (same type for BOOT_TIME/RUN_LVL, same id or line for process
 * records) or appends. */
static int
utmp_put(const char *path, const struct utmpx *ut)
{
	int fd = file_probe(path, O_RDWR, F_WRLCK);
	bool ok;

	if (fd < 0)
		return -1;
	close(fd);
	if (utmp_open(path) < 0)
		return -1;
	errno = 0;
	ok = pututxline(ut) != NULL;
	if (!ok && errno == 0)
		errno = EIO;
	utmp_close();
	return ok ? 0 : -1;
}

/* updwtmpx() to `path`, which returns nothing: the file's size tells
 * whether the record arrived. */
static int
wtmp_append(const char *path, const struct utmpx *ut)
{
	struct stat before, after;
	off_t want;
	int fd = file_probe(path, O_WRONLY, F_WRLCK);

	if (fd < 0)
		return -1;
	if (fstat(fd, &before) < 0) {
		int err = errno;

		close(fd);
		errno = err;
		return -1;
	}
	updwtmpx(path, ut);
	if (fstat(fd, &after) < 0)
		after.st_size = 0;
	close(fd);
	/* glibc first drops a torn record at the end, then appends. */
	want = before.st_size - before.st_size % (off_t)sizeof *ut +
	       (off_t)sizeof *ut;
	if (after.st_size < want) {
		errno = EIO;
		return -1;
	}
	return 0;
}

static int
file_write_now(const UtmpRecords *rec, UtmpFile file, const struct utmpx *ut)
{
	if (file == UTMP_FILE_UTMP)
		return utmp_put(rec->path[file], ut);
	return wtmp_append(rec->path[file], ut);
}

/* ---- the records -------------------------------------------------------- */

static void
boot_record(const UtmpRecords *rec, struct utmpx *ut)
{
	record_fill(ut, BOOT_TIME, "reboot", "~~", "~", 0, &rec->boot_tv);
	set_host_release(ut);
}

static void
level_record(const UtmpRecords *rec, struct utmpx *ut)
{
	record_fill(ut, RUN_LVL, "runlevel", "~~", "~",
		    (unsigned char)rec->cur + 256 * (unsigned char)rec->prev,
		    &rec->level_tv);
	set_host_release(ut);
}

/* Since the boot record went in, someone may have emptied utmp (Debian's
 * bootmisc.sh does `: > /var/run/utmp`) or removed it: put boot and
 * runlevel back, as sysvinit's redo_utmp_wtmp() does. */
static void
utmp_check_emptied(UtmpRecords *rec)
{
	struct stat st;

	if (!rec->booted)
		return;
	if (stat(rec->path[UTMP_FILE_UTMP], &st) < 0 || st.st_size == 0) {
		rec->pending[UTMP_FILE_UTMP].boot = true;
		rec->pending[UTMP_FILE_UTMP].level = rec->have_level;
	}
}

/* Write what waits for `file`, boot first.  -1 with errno leaves the rest
 * pending. */
static int
file_flush(UtmpRecords *rec, UtmpFile file)
{
	Pending *p = &rec->pending[file];
	struct utmpx ut;

	if (file == UTMP_FILE_UTMP)
		utmp_check_emptied(rec);
	if (p->boot) {
		boot_record(rec, &ut);
		if (file_write_now(rec, file, &ut) < 0)
			return -1;
		p->boot = false;
	}
	if (p->level) {
		level_record(rec, &ut);
		if (file_write_now(rec, file, &ut) < 0)
			return -1;
		p->level = false;
	}
	return 0;
}

/* Write `ut` to `file` after anything that waits for it. */
static int
file_write(UtmpRecords *rec, UtmpFile file, const struct utmpx *ut)
{
	if (file_flush(rec, file) < 0)
		return -1;
	return file_write_now(rec, file, ut);
}

/* Flush both files; -1 with the errno of the first failure. */
static int
flush_all(UtmpRecords *rec)
{
	int ret = 0, err = 0;

	for (int f = 0; f < UTMP_FILE_COUNT; f++) {
		if (file_flush(rec, (UtmpFile)f) < 0 && ret == 0) {
			ret = -1;
			err = errno;
		}
	}
	if (ret < 0)
		errno = err;
	return ret;
}

/* ---- public ------------------------------------------------------------- */

UtmpRecords *
utmp_records_new(const char *utmp_path, const char *wtmp_path)
{
	UtmpRecords *rec = calloc(1, sizeof *rec);

	if (!rec)
		return NULL;
	rec->path[UTMP_FILE_UTMP] = strdup(utmp_path ? utmp_path : _PATH_UTMP);
	rec->path[UTMP_FILE_WTMP] = strdup(wtmp_path ? wtmp_path : _PATH_WTMP);
	if (!rec->path[UTMP_FILE_UTMP] || !rec->path[UTMP_FILE_WTMP]) {
		utmp_records_free(rec);
		errno = ENOMEM;
		return NULL;
	}
	return rec;
}

void
utmp_records_free(UtmpRecords *rec)
{
	if (!rec)
		return;
	for (int f = 0; f < UTMP_FILE_COUNT; f++)
		free(rec->path[f]);
	free(rec);
}

const char *
utmp_records_utmp_path(const UtmpRecords *rec)
{
	return rec->path[UTMP_FILE_UTMP];
}

const char *
utmp_records_wtmp_path(const UtmpRecords *rec)
{
	return rec->path[UTMP_FILE_WTMP];
}

int
utmp_records_boot(UtmpRecords *rec)
{
	rec->booted = true;
	now(&rec->boot_tv);
	for (int f = 0; f < UTMP_FILE_COUNT; f++)
		rec->pending[f].boot = true;
	return flush_all(rec);
}

int
utmp_records_runlevel_change(UtmpRecords *rec, char cur, char prev)
{
	if (!is_level(cur) || !(is_level(prev) || prev == '\0' ||
				prev == UTMP_RECORDS_UNKNOWN_LEVEL)) {
		errno = EINVAL;
		return -1;
	}
	rec->have_level = true;
	rec->cur = cur == 's' ? 'S' : cur;
	rec->prev = prev == '\0' ? UTMP_RECORDS_UNKNOWN_LEVEL :
		    prev == 's' ? 'S' : prev;
	now(&rec->level_tv);
	for (int f = 0; f < UTMP_FILE_COUNT; f++)
		rec->pending[f].level = true;
	return flush_all(rec);
}

int
utmp_records_flush(UtmpRecords *rec)
{
	return flush_all(rec);
}

bool
utmp_records_pending(const UtmpRecords *rec)
{
	for (int f = 0; f < UTMP_FILE_COUNT; f++)
		if (rec->pending[f].boot || rec->pending[f].level)
			return true;
	return false;
}

int
utmp_records_shutdown(UtmpRecords *rec, bool also_utmp)
{
	struct utmpx ut;
	struct timeval tv;
	int ret = 0, err = 0;

	now(&tv);
	record_fill(&ut, RUN_LVL, "shutdown", "~~", "~~", 0, &tv);
	set_host_release(&ut);
	if (file_write(rec, UTMP_FILE_WTMP, &ut) < 0) {
		ret = -1;
		err = errno;
	}
	if (also_utmp && file_write(rec, UTMP_FILE_UTMP, &ut) < 0 && ret == 0) {
		ret = -1;
		err = errno;
	}
	if (ret < 0)
		errno = err;
	return ret;
}

int
utmp_records_init_process(UtmpRecords *rec, const char *id, const char *line,
			  pid_t pid)
{
	struct utmpx ut;
	struct timeval tv;
	int ret = 0, err = 0;

	if (!id || !*id || pid <= 0) {
		errno = EINVAL;
		return -1;
	}
	if (line && strncmp(line, "/dev/", 5) == 0)
		line += 5;
	now(&tv);
	record_fill(&ut, INIT_PROCESS, "", id, line, pid, &tv);
	if (file_write(rec, UTMP_FILE_UTMP, &ut) < 0) {
		ret = -1;
		err = errno;
	}
	set_host_release(&ut);
	if (file_write(rec, UTMP_FILE_WTMP, &ut) < 0 && ret == 0) {
		ret = -1;
		err = errno;
	}
	if (ret < 0)
		errno = err;
	return ret;
}

/* The first live process record of `pid` in the open utmp file. */
static bool
utmp_find_process(pid_t pid, struct utmpx *found)
{
	struct utmpx *ent;

	while ((ent = getutxent()) != NULL) {
		if (ent->ut_pid == pid && is_process_type(ent->ut_type)) {
			*found = *ent;
			return true;
		}
	}
	return false;
}

int
utmp_records_process_dead(UtmpRecords *rec, pid_t pid)
{
	const char *path = rec->path[UTMP_FILE_UTMP];
	struct utmpx ut;
	struct timeval tv;
	bool found, ok;
	int fd;

	if (pid <= 0)
		return 0;
	/* Whatever waits for utmp goes first; if it cannot be written now
	 * it stays pending and the scan below reports why. */
	file_flush(rec, UTMP_FILE_UTMP);

	fd = file_probe(path, O_RDWR, F_WRLCK);
	if (fd < 0)
		return -1;
	close(fd);
	if (utmp_open(path) < 0)
		return -1;
	found = utmp_find_process(pid, &ut);
	if (!found) {
		utmp_close();
		return 0;
	}
	/* The process record stays where it is: glibc overwrites the entry
	 * it just returned when the new one matches it by id (or line). */
	now(&tv);
	ut.ut_type = DEAD_PROCESS;
	set_time(&ut, &tv);
	memset(ut.ut_user, 0, sizeof ut.ut_user);
	memset(ut.ut_host, 0, sizeof ut.ut_host);
	errno = 0;
	ok = pututxline(&ut) != NULL;
	if (!ok && errno == 0)
		errno = EIO;
	utmp_close();
	if (!ok)
		return -1;

	set_host_release(&ut);
	file_write(rec, UTMP_FILE_WTMP, &ut);
	return 1;
}

/* ---- readers ------------------------------------------------------------ */

int
utmp_records_runlevel(const char *path, char *cur, char *prev)
{
	struct utmpx *ent, ut;
	bool found = false;
	int fd, c, p;

	if (!path)
		path = _PATH_UTMP;
	fd = file_probe(path, O_RDONLY, F_RDLCK);
	if (fd < 0)
		return -1;
	close(fd);
	if (utmp_open(path) < 0)
		return -1;
	while ((ent = getutxent()) != NULL) {
		if (ent->ut_type == RUN_LVL) {
			ut = *ent;
			found = true;
			break;
		}
	}
	utmp_close();

	if (!found || field_is(ut.ut_user, sizeof ut.ut_user, "shutdown") ||
	    ut.ut_pid < 0 || ut.ut_pid / 256 > UCHAR_MAX) {
		errno = ESRCH;
		return -1;
	}
	c = ut.ut_pid % 256;
	p = ut.ut_pid / 256;
	if (p == 0)
		p = UTMP_RECORDS_UNKNOWN_LEVEL;
	if (!is_level(c) || !(is_level(p) || p == UTMP_RECORDS_UNKNOWN_LEVEL)) {
		errno = ESRCH;
		return -1;
	}
	if (cur)
		*cur = (char)c;
	if (prev)
		*prev = (char)p;
	return 0;
}

int
utmp_records_write_runlevel_file(const char *path, char level)
{
	char *tmp = NULL;
	bool ok;
	int fd, err;

	if (!is_level(level)) {
		errno = EINVAL;
		return -1;
	}
	if (level == 's')
		level = 'S';
	if (!path)
		path = UTMP_RECORDS_RUNLEVEL_FILE;
	if (asprintf(&tmp, "%s.XXXXXX", path) < 0)
		return -1;
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		err = errno;
		free(tmp);
		errno = err;
		return -1;
	}
	/* Readers see the old character or the new one, never an empty
	 * file. */
	ok = fchmod(fd, 0644) == 0 && write(fd, &level, 1) == 1;
	err = errno;
	if (close(fd) < 0 && ok) {
		ok = false;
		err = errno;
	}
	if (ok && rename(tmp, path) < 0) {
		ok = false;
		err = errno;
	}
	if (!ok)
		unlink(tmp);
	free(tmp);
	errno = err;
	return ok ? 0 : -1;
}

int
utmp_records_read_runlevel_file(const char *path, char *level)
{
	struct stat st;
	char c;
	ssize_t n;
	int fd, err;

	if (!path)
		path = UTMP_RECORDS_RUNLEVEL_FILE;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0)
		goto fail;
	if (!S_ISREG(st.st_mode)) {
		errno = EINVAL;
		goto fail;
	}
	n = read(fd, &c, 1);
	if (n < 0)
		goto fail;
	close(fd);
	if (n != 1 || !is_level(c)) {
		errno = EINVAL;
		return -1;
	}
	if (level)
		*level = c == 's' ? 'S' : c;
	return 0;
fail:
	err = errno;
	close(fd);
	errno = err;
	return -1;
}

/* ---- re-exec ------------------------------------------------------------ */

/* json_object_object_add() that takes ownership even on failure. */
static bool
put(json_object *obj, const char *key, json_object *val)
{
	if (!val)
		return false;
	if (json_object_object_add(obj, key, val) < 0) {
		json_object_put(val);
		return false;
	}
	return true;
}

static json_object *
level_string(char c)
{
	char s[2] = { c, '\0' };

	return json_object_new_string(s);
}

json_object *
utmp_records_serialise(const UtmpRecords *rec)
{
	json_object *obj = json_object_new_object();

	if (!obj)
		return NULL;
	if (!put(obj, "v", json_object_new_int(STATE_VERSION)) ||
	    !put(obj, "booted", json_object_new_boolean(rec->booted)) ||
	    !put(obj, "boot_sec", json_object_new_int64(rec->boot_tv.tv_sec)) ||
	    !put(obj, "boot_usec", json_object_new_int64(rec->boot_tv.tv_usec)) ||
	    !put(obj, "have_level", json_object_new_boolean(rec->have_level)) ||
	    !put(obj, "cur", level_string(rec->have_level ? rec->cur : 'N')) ||
	    !put(obj, "prev", level_string(rec->have_level ? rec->prev : 'N')) ||
	    !put(obj, "level_sec", json_object_new_int64(rec->level_tv.tv_sec)) ||
	    !put(obj, "level_usec", json_object_new_int64(rec->level_tv.tv_usec)) ||
	    !put(obj, "utmp_boot", json_object_new_boolean(rec->pending[UTMP_FILE_UTMP].boot)) ||
	    !put(obj, "utmp_level", json_object_new_boolean(rec->pending[UTMP_FILE_UTMP].level)) ||
	    !put(obj, "wtmp_boot", json_object_new_boolean(rec->pending[UTMP_FILE_WTMP].boot)) ||
	    !put(obj, "wtmp_level", json_object_new_boolean(rec->pending[UTMP_FILE_WTMP].level))) {
		json_object_put(obj);
		return NULL;
	}
	return obj;
}

/* Member `key` of type `type`, or NULL. */
static json_object *
member(json_object *obj, const char *key, json_type type)
{
	json_object *val;

	if (!json_object_object_get_ex(obj, key, &val) ||
	    !json_object_is_type(val, type))
		return NULL;
	return val;
}

/* The single level character of string member `key`, or '\0'. */
static char
member_level(json_object *obj, const char *key)
{
	json_object *val = member(obj, key, json_type_string);

	if (!val || json_object_get_string_len(val) != 1)
		return '\0';
	return json_object_get_string(val)[0];
}

int
utmp_records_deserialise(UtmpRecords *rec, json_object *json)
{
	static const char *const bools[] = {
		"booted", "have_level", "utmp_boot", "utmp_level",
		"wtmp_boot", "wtmp_level",
	};
	static const char *const ints[] = {
		"boot_sec", "boot_usec", "level_sec", "level_usec",
	};
	json_object *v;
	char cur, prev;

	if (!json || !json_object_is_type(json, json_type_object) ||
	    !(v = member(json, "v", json_type_int)) ||
	    json_object_get_int(v) != STATE_VERSION)
		goto invalid;
	for (size_t i = 0; i < sizeof bools / sizeof *bools; i++)
		if (!member(json, bools[i], json_type_boolean))
			goto invalid;
	for (size_t i = 0; i < sizeof ints / sizeof *ints; i++)
		if (!member(json, ints[i], json_type_int))
			goto invalid;
	cur = member_level(json, "cur");
	prev = member_level(json, "prev");
	if (!(is_level(cur) || cur == 'N') || !(is_level(prev) || prev == 'N'))
		goto invalid;

#define GET_BOOL(key) json_object_get_boolean(member(json, key, json_type_boolean))
#define GET_INT(key)  json_object_get_int64(member(json, key, json_type_int))
	rec->booted = GET_BOOL("booted");
	rec->boot_tv.tv_sec = GET_INT("boot_sec");
	rec->boot_tv.tv_usec = GET_INT("boot_usec");
	rec->have_level = GET_BOOL("have_level") && is_level(cur);
	rec->cur = cur;
	rec->prev = prev;
	rec->level_tv.tv_sec = GET_INT("level_sec");
	rec->level_tv.tv_usec = GET_INT("level_usec");
	rec->pending[UTMP_FILE_UTMP].boot = GET_BOOL("utmp_boot") && rec->booted;
	rec->pending[UTMP_FILE_UTMP].level = GET_BOOL("utmp_level") && rec->have_level;
	rec->pending[UTMP_FILE_WTMP].boot = GET_BOOL("wtmp_boot") && rec->booted;
	rec->pending[UTMP_FILE_WTMP].level = GET_BOOL("wtmp_level") && rec->have_level;
#undef GET_BOOL
#undef GET_INT
	return 0;
invalid:
	errno = EINVAL;
	return -1;
}
