/* file_source — see file_source.h. */
#include "init/file_source.h"

#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/inotify.h>
#include <sys/queue.h>
#include <sys/stat.h>
#include <unistd.h>

#include "init/event.h"
#include "init/history.h"
#include "init/log.h"
#include "init/loop.h"

enum {
	FT_CREATE = 1,
	FT_MODIFY = 2,
	FT_DELETE = 4,
	FT_ALL = 7,
};

/* One mask for every watch: inotify gives one descriptor per directory,
 * shared by every FILE watched through it, and a second add with another
 * mask would replace the first. */
#define WATCH_MASK (IN_CREATE | IN_MOVED_TO | IN_CLOSE_WRITE | IN_DELETE | \
		    IN_MOVED_FROM | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR)

/* Reads per wake-up: a directory full of churn cannot hold init. */
#define MAX_READS 16

typedef struct file_watch {
	LIST_ENTRY(file_watch) link;
	char     *file;      /* FILE as the job wrote it: the event's FILE */
	char     *dir;       /* the directory whose entries matter */
	char     *name;      /* the entry (a name or a glob); NULL: all */
	bool      is_dir;    /* FILE=/dir/ */
	bool      is_glob;
	unsigned  types;     /* FT_* some job asked for */
	bool      marked;    /* during a sync: still wanted */
	int       wd;        /* the watch it is seen through, or -1 */
	char     *watched;   /* that watch's directory: `dir` or an ancestor */
} FileWatch;

static LIST_HEAD(, file_watch) watches = LIST_HEAD_INITIALIZER(watches);
static int inotify_fd = -1;
static Watch *fd_watch;
static bool user_mode;
static const char *home = "/";

void
file_source_set_user_mode(bool on, const char *dir)
{
	user_mode = on;
	/* Every path watched is absolute: resolve() walks up to "/". */
	home = dir && dir[0] == '/' ? dir : "/";
}

/* ---- the condition ---- */

typedef struct file_args {
	const char *file;
	unsigned    types;
} FileArgs;

static unsigned
type_of(const char *value)
{
	if (!strcmp(value, "create"))
		return FT_CREATE;
	if (!strcmp(value, "modify"))
		return FT_MODIFY;
	if (!strcmp(value, "delete"))
		return FT_DELETE;
	return 0;
}

static const char *
split_args(char *const *args, FileArgs *a, bool user)
{
	a->file = NULL;
	a->types = FT_ALL;
	for (char *const *p = args; p && *p; p++) {
		if (!strncmp(*p, "FILE=", 5)) {
			if (a->file)
				return "FILE given twice";
			a->file = *p + 5;
		} else if (!strncmp(*p, "EVENT=", 6)) {
			/* A pattern or a negation may want any type. */
			unsigned t = type_of(*p + 6);

			if (!t && !strpbrk(*p + 6, "$*?["))
				return "EVENT must be create, modify or delete";
			a->types = t ? t : FT_ALL;
		} else if (!strchr(*p, '=') && p == args) {
			if (a->file)
				return "FILE given twice";
			a->file = *p;   /* positional: the first variable */
		}
		/* MATCH= and anything else only narrow what matches. */
	}
	if (!a->file || !*a->file)
		return "FILE missing";
	if (strchr(a->file, '$'))
		return "FILE must be literal (no $VAR)";
	if (!user && a->file[0] != '/')
		return "FILE must be an absolute path";
	if (strlen(a->file) >= PATH_MAX / 2)
		return "FILE too long";
	return NULL;
}

const char *
file_spec_check(char *const *args, bool user)
{
	FileArgs a;

	return split_args(args, &a, user);
}

/* FILE as a path: ~/x, ./x and x are below the user's home. */
static char *
expand(const char *file)
{
	char *path = NULL;

	if (file[0] == '/')
		return strdup(file);
	if (!strncmp(file, "~/", 2) || !strncmp(file, "./", 2))
		file += 2;
	if (asprintf(&path, "%s/%s", home, file) < 0)
		return NULL;
	return path;
}

/* ---- watching ---- */

static void readable(void *data, int fd, uint32_t events);

static int
ensure_fd(void)
{
	if (inotify_fd >= 0)
		return 0;
	if ((inotify_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) < 0) {
		log_warn("Cannot watch files for file events: %s", strerror(errno));
		return -1;
	}
	if (!(fd_watch = loop_watch(inotify_fd, EPOLLIN, readable, NULL))) {
		close(inotify_fd);
		inotify_fd = -1;
		return -1;
	}
	return 0;
}

static bool
wd_shared(int wd, const FileWatch *except)
{
	FileWatch *fw;

	LIST_FOREACH(fw, &watches, link)
		if (fw != except && fw->wd == wd)
			return true;
	return false;
}

/* Stop seeing `fw` through its watch; `gone`: the kernel dropped it. */
static void
unwatch(FileWatch *fw, bool gone)
{
	if (fw->wd >= 0 && !gone && !wd_shared(fw->wd, fw))
		inotify_rm_watch(inotify_fd, fw->wd);
	fw->wd = -1;
	free(fw->watched);
	fw->watched = NULL;
}

static bool
is_directory(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Watch `fw` through the nearest existing directory on the way to its
 * own.  Returns true when that is its own directory. */
static bool
resolve(FileWatch *fw)
{
	char *at = strdup(fw->dir);
	int wd = -1;

	unwatch(fw, false);
	if (!at || ensure_fd() < 0) {
		free(at);
		return false;
	}
	for (;;) {
		if (is_directory(at) &&
		    (wd = inotify_add_watch(inotify_fd, at, WATCH_MASK)) >= 0)
			break;
		if (wd < 0 && errno == ENOSPC) {
			log_warn("Cannot watch %s for %s: %s (fs.inotify.max_user_watches)",
				 at, fw->file, strerror(errno));
			free(at);
			return false;
		}
		if (!strcmp(at, "/")) {
			free(at);
			return false;
		}
		char *slash = strrchr(at, '/');

		if (!slash) {
			free(at);
			return false;
		}
		if (slash == at)
			slash[1] = '\0';
		else
			*slash = '\0';
	}
	fw->wd = wd;
	fw->watched = at;
	return !strcmp(at, fw->dir);
}

static FileWatch *
find(const char *file)
{
	FileWatch *fw;

	LIST_FOREACH(fw, &watches, link)
		if (!strcmp(fw->file, file))
			return fw;
	return NULL;
}

static void
watch_free(FileWatch *fw)
{
	unwatch(fw, false);
	LIST_REMOVE(fw, link);
	free(fw->file);
	free(fw->dir);
	free(fw->name);
	free(fw);
}

/* Split the expanded path into the directory to watch and the entry. */
static int
watch_init(FileWatch *fw, const char *file)
{
	char *path = expand(file);
	size_t len;
	char *slash;

	if (!path || !(fw->file = strdup(file)))
		goto fail;
	len = strlen(path);
	if (len > 1 && path[len - 1] == '/') {
		while (len > 1 && path[len - 1] == '/')
			path[--len] = '\0';
		fw->is_dir = true;
		fw->dir = path;
		return 0;
	}
	slash = strrchr(path, '/');
	if (!(fw->name = strdup(slash + 1)))
		goto fail;
	fw->is_glob = strpbrk(fw->name, "*?[") != NULL;
	if (slash == path)
		slash[1] = '\0';
	else
		*slash = '\0';
	fw->dir = path;
	return 0;
fail:
	free(path);
	return -1;
}

/* ---- the sync ---- */

void
file_source_begin_sync(void)
{
	FileWatch *fw;

	LIST_FOREACH(fw, &watches, link) {
		fw->marked = false;
		fw->types = 0;
	}
}

void
file_source_want(char *const *args, const char *origin)
{
	FileArgs a;
	FileWatch *fw;
	const char *why = split_args(args, &a, user_mode);

	if (why) {
		log_warn("%s: file: %s; not watched", origin, why);
		return;
	}
	if ((fw = find(a.file))) {
		fw->marked = true;
		fw->types |= a.types;
		return;
	}
	if (!(fw = calloc(1, sizeof *fw))) {
		log_error("%s: file %s: %s", origin, a.file, strerror(ENOMEM));
		return;
	}
	fw->wd = -1;
	if (watch_init(fw, a.file) < 0) {
		log_error("%s: file %s: %s", origin, a.file, strerror(ENOMEM));
		free(fw->file);
		free(fw);
		return;
	}
	fw->marked = true;
	fw->types = a.types;
	LIST_INSERT_HEAD(&watches, fw, link);
	resolve(fw);
}

void
file_source_end_sync(void)
{
	FileWatch *fw, *next;

	for (fw = LIST_FIRST(&watches); fw; fw = next) {
		next = LIST_NEXT(fw, link);
		if (!fw->marked)
			watch_free(fw);
	}
}

/* ---- inotify's news ---- */

static void
emit(const FileWatch *fw, unsigned type, const char *match)
{
	static const char *const names[] = {
		[FT_CREATE] = "create", [FT_MODIFY] = "modify", [FT_DELETE] = "delete",
	};
	static const char *const past[] = {
		[FT_CREATE] = "created", [FT_MODIFY] = "modified", [FT_DELETE] = "deleted",
	};
	EnvList env = ENV_LIST_INIT;
	char cause[HISTORY_MAX_TEXT];

	if (!(fw->types & type))
		return;
	if (env_set_kv(&env, "FILE", fw->file) < 0 ||
	    env_set_kv(&env, "EVENT", names[type]) < 0 ||
	    (match && env_set_kv(&env, "MATCH", match) < 0)) {
		log_error("Cannot emit file event for %s: %s", fw->file, strerror(ENOMEM));
		env_clear(&env);
		return;
	}
	snprintf(cause, sizeof cause, "file %s %s", match ? match : fw->file, past[type]);
	history_push(CAUSE_SOURCE, cause, NULL, 0);
	if (!event_new("file", &env))
		log_error("Cannot emit file event for %s: %s", fw->file, strerror(ENOMEM));
	history_pop();
	env_clear(&env);
}

static unsigned
type_of_mask(uint32_t mask)
{
	if (mask & (IN_CREATE | IN_MOVED_TO))
		return FT_CREATE;
	if (mask & IN_CLOSE_WRITE)
		return FT_MODIFY;
	if (mask & (IN_DELETE | IN_MOVED_FROM))
		return FT_DELETE;
	return 0;
}

/* An entry of `fw`'s own directory changed. */
static void
entry_changed(FileWatch *fw, const struct inotify_event *ev)
{
	unsigned type = type_of_mask(ev->mask);
	char *match = NULL;

	if (!type || !ev->len)
		return;
	if (fw->name && (fw->is_glob ? fnmatch(fw->name, ev->name, FNM_PERIOD) != 0 :
			 strcmp(fw->name, ev->name) != 0))
		return;
	if ((fw->is_dir || fw->is_glob) &&
	    asprintf(&match, "%s%s%s", fw->dir, strcmp(fw->dir, "/") ? "/" : "", ev->name) < 0) {
		log_error("Cannot emit file event for %s: %s", fw->file, strerror(ENOMEM));
		return;
	}
	emit(fw, type, match);
	free(match);
}

/* Watched through an ancestor: a directory appeared there.  If it is on
 * the way, go down; arriving, the directory (or the file already made in
 * it) is news. */
static void
ancestor_changed(FileWatch *fw, const struct inotify_event *ev)
{
	if (!(ev->mask & (IN_CREATE | IN_MOVED_TO)) || !(ev->mask & IN_ISDIR))
		return;
	if (!resolve(fw))
		return;
	if (fw->is_dir)
		emit(fw, FT_CREATE, fw->dir);
	else if (!fw->is_glob) {
		char path[PATH_MAX];
		struct stat st;

		snprintf(path, sizeof path, "%s/%s", fw->dir, fw->name);
		if (lstat(path, &st) == 0)
			emit(fw, FT_CREATE, NULL);
	}
}

static void
handle(const struct inotify_event *ev)
{
	FileWatch *fw, *next;

	for (fw = LIST_FIRST(&watches); fw; fw = next) {
		next = LIST_NEXT(fw, link);
		if (fw->wd != ev->wd)
			continue;
		if (ev->mask & (IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED)) {
			bool own = !strcmp(fw->watched, fw->dir);

			/* Gone (or renamed away): watch from higher up. */
			unwatch(fw, (ev->mask & IN_IGNORED) != 0);
			if (own && fw->is_dir && !(ev->mask & IN_IGNORED))
				emit(fw, FT_DELETE, fw->dir);
			resolve(fw);
		} else if (!strcmp(fw->watched, fw->dir)) {
			entry_changed(fw, ev);
		} else {
			ancestor_changed(fw, ev);
		}
	}
}

static void
resolve_all(void)
{
	FileWatch *fw;

	LIST_FOREACH(fw, &watches, link)
		resolve(fw);
}

static void
readable(void *data, int fd, uint32_t events)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));

	(void)data;
	(void)events;
	for (int i = 0; i < MAX_READS; i++) {
		ssize_t n = read(fd, buf, sizeof buf);

		if (n <= 0)
			return;
		for (char *p = buf; p < buf + n;) {
			const struct inotify_event *ev = (const struct inotify_event *)p;

			if (ev->mask & IN_Q_OVERFLOW) {
				log_warn("File events were lost (inotify queue overflow)");
				resolve_all();
			} else {
				handle(ev);
			}
			p += sizeof *ev + ev->len;
		}
	}
}

void
file_source_free_all(void)
{
	FileWatch *fw;

	while ((fw = LIST_FIRST(&watches)))
		watch_free(fw);
	loop_unwatch(fd_watch);
	fd_watch = NULL;
	if (inotify_fd >= 0)
		close(inotify_fd);
	inotify_fd = -1;
}
