/* conf — the job directories.  See conf.h. */
#include "init/conf.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/fsutil.h"

#include "init/log.h"
#include "init/loop.h"
#include "init/parse_job.h"
#include "init/registry.h"
#include "init/state.h"

/* Job files larger than this are refused outright. */
#define CONF_MAX_SIZE (16 * 1024 * 1024)
#define CONF_MAX_DEPTH 16

typedef struct conf_file {
	char     *name;      /* job name: relative path minus .conf */
	JobClass *class;     /* one reference */
	bool      seen;      /* during a full reload */
} ConfFile;

typedef struct conf_source {
	char      *path;
	ConfFile **files;    /* sorted by name */
	size_t     nfiles, capfiles;
	int        parent_wd;   /* watch on the parent directory, or -1 */
} ConfSource;

typedef struct conf_watch_dir {
	int   wd;
	int   source;        /* index into sources */
	char *rel;           /* "" for the top, else "sub/dir" */
} WatchDir;

static char *init_conf_path;     /* /etc/init.conf: comments only */
/* A source whose jobs are made from text by a layer (conf.h). */
typedef struct conf_generator {
	ConfSource      src;
	ConfGenerateFn  generate;
	ConfDroppedFn   dropped;
	void           *data;
} Generator;

static Generator **generators;
static size_t ngenerators;
static ConfSource *sources;
static size_t nsources;
static int inotify_fd = -1;
static Watch *inotify_watch;
static WatchDir *wdirs;
static size_t nwdirs, capwdirs;

/* ---- file table of a source ---- */

static ssize_t
file_index(const ConfSource *src, const char *name, size_t *insert)
{
	size_t lo = 0, hi = src->nfiles;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(name, src->files[mid]->name);

		if (c == 0)
			return (ssize_t)mid;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	if (insert)
		*insert = lo;
	return -1;
}

static ConfFile *
file_get(ConfSource *src, const char *name, bool create)
{
	size_t at = 0;
	ssize_t i = file_index(src, name, &at);
	ConfFile *f;

	if (i >= 0)
		return src->files[i];
	if (!create)
		return NULL;
	if (src->nfiles == src->capfiles) {
		size_t cap = src->capfiles ? src->capfiles * 2 : 32;
		ConfFile **p = reallocarray(src->files, cap, sizeof *p);

		if (!p)
			return NULL;
		src->files = p;
		src->capfiles = cap;
	}
	if (!(f = calloc(1, sizeof *f)) || !(f->name = strdup(name))) {
		free(f);
		return NULL;
	}
	memmove(&src->files[at + 1], &src->files[at], (src->nfiles - at) * sizeof *src->files);
	src->files[at] = f;
	src->nfiles++;
	return f;
}

static void
file_remove(ConfSource *src, const char *name)
{
	ssize_t i = file_index(src, name, NULL);
	ConfFile *f;

	if (i < 0)
		return;
	f = src->files[i];
	memmove(&src->files[i], &src->files[i + 1],
		(src->nfiles - (size_t)i - 1) * sizeof *src->files);
	src->nfiles--;
	if (f->class)
		job_class_unref(f->class);
	free(f->name);
	free(f);
}

JobClass *
conf_best(const char *name)
{
	ConfFile *f;

	for (size_t s = 0; s < nsources; s++) {
		f = file_get(&sources[s], name, false);
		if (f && f->class)
			return f->class;
	}
	/* Job files win over generated jobs of the same name. */
	for (size_t g = 0; g < ngenerators; g++) {
		f = file_get(&generators[g]->src, name, false);
		if (f && f->class)
			return f->class;
	}
	return NULL;
}

int
conf_add_dir(const char *path)
{
	ConfSource *p = reallocarray(sources, nsources + 1, sizeof *p);

	if (!p)
		return -1;
	sources = p;
	memset(&sources[nsources], 0, sizeof *sources);
	sources[nsources].parent_wd = -1;
	if (!(sources[nsources].path = strdup(path)))
		return -1;
	nsources++;
	return 0;
}

/* ---- reading and parsing one job ---- */

/* Parse `text` read from `path` as job `name` (over `into` for an
 * override); NULL when it does not parse (reported as FILE:LINE). */
static JobClass *
parse_text(const char *name, const char *path, const char *text, size_t len,
	   const JobClass *into)
{
	ParseError err = { 0, NULL };
	JobClass *class = parse_job(into, name, path, text, len, &err);

	if (!class && err.message)
		log_error("%s:%zu: %s", path, err.line, err.message);
	else if (!class)
		log_error("%s: %s", path, strerror(errno));
	return class;
}

/* Read a job file whole; NULL (reported unless simply missing). */
static char *
read_job_file(const char *path, size_t *len)
{
	char *text = read_regular_file(path, CONF_MAX_SIZE, len);

	if (!text) {
		if (errno == EFBIG)
			log_error("%s: file too large", path);
		else if (errno != ENOENT)
			log_error("%s: unable to read: %s", path, strerror(errno));
	}
	return text;
}

JobClass *
conf_class_from_text(const char *name, const char *path, const char *conf_text,
		     const char *override_path, const char *override_text)
{
	JobClass *class, *overridden;

	class = parse_text(name, path, conf_text, strlen(conf_text), NULL);
	if (!class)
		return NULL;
	if (override_text) {
		overridden = parse_text(name, override_path, override_text,
					strlen(override_text), class);
		/* A broken override is ignored: the .conf alone applies. */
		if (overridden) {
			job_class_unref(class);
			class = overridden;
		}
	}
	/* Kept so a re-exec can rebuild exactly this definition even after
	 * the files change. */
	free(class->conf_text);
	free(class->override_text);
	class->conf_text = strdup(conf_text);
	class->override_text = override_text ? strdup(override_text) : NULL;
	if (!class->conf_text || (override_text && !class->override_text)) {
		log_error("%s: %s", path, strerror(ENOMEM));
		job_class_unref(class);
		return NULL;
	}
	return class;
}

/* A job file that is there but is not loaded: say why, as Upstart did
 * not.  Links are not followed, as in Upstart: a job's definition is
 * what the directory holds, not what a link points to at the moment. */
static void
not_regular(const char *path, const struct stat *st)
{
	if (S_ISLNK(st->st_mode))
		log_warn("%s: ignored: a symbolic link (job files must be regular files)", path);
	else if (!S_ISDIR(st->st_mode))
		log_warn("%s: ignored: not a regular file", path);
}

/* Load job `name` of source `src` from NAME.conf and NAME.override. */
static void
load_job(ConfSource *src, const char *name)
{
	char conf[PATH_MAX], over[PATH_MAX];
	char *conf_text, *over_text = NULL;
	size_t len = 0;
	JobClass *class;
	ConfFile *f;
	struct stat st;
	bool present;

	snprintf(conf, sizeof conf, "%s/%s.conf", src->path, name);
	snprintf(over, sizeof over, "%s/%s.override", src->path, name);
	present = lstat(conf, &st) == 0;
	if (!present || !S_ISREG(st.st_mode)) {
		if (present)
			not_regular(conf, &st);
		file_remove(src, name);
		registry_consider(name);
		return;
	}
	class = NULL;
	if ((conf_text = read_job_file(conf, &len))) {
		if (memchr(conf_text, '\0', len)) {
			/* parse_job() names the fault; strlen() below would not
			 * see past it. */
			parse_text(name, conf, conf_text, len, NULL);
		} else {
			present = lstat(over, &st) == 0;
			if (present && !S_ISREG(st.st_mode))
				not_regular(over, &st);
			if (present && S_ISREG(st.st_mode) &&
			    (over_text = read_job_file(over, &len)) &&
			    memchr(over_text, '\0', len)) {
				parse_text(name, over, over_text, len, NULL);
				free(over_text);
				over_text = NULL;
			}
			class = conf_class_from_text(name, conf, conf_text, over, over_text);
		}
	}
	free(conf_text);
	free(over_text);
	if (!class) {
		/* The previous definition (if any) stays in force. */
		if ((f = file_get(src, name, false)))
			f->seen = true;
		return;
	}
	if (!(f = file_get(src, name, true))) {
		job_class_unref(class);
		log_error("Unable to load %s: out of memory", conf);
		return;
	}
	if (f->class)
		job_class_unref(f->class);
	f->class = class;
	f->seen = true;
	log_debug("Loaded %s", conf);
	registry_consider(name);
}

/* Job name of a path relative to the source, or NULL: errno 0 when the
 * file is not a job (`.conf` alone, other suffixes), ENOMEM. */
static char *
job_name_of(const char *rel, const char *suffix)
{
	size_t n = strlen(rel), s = strlen(suffix);
	const char *base = strrchr(rel, '/');

	base = base ? base + 1 : rel;
	errno = 0;
	if (n <= s || strcmp(rel + n - s, suffix) != 0 || strcmp(base, suffix) == 0)
		return NULL;
	return strndup(rel, n - s);
}

/* ---- scanning ---- */

static void add_watch(size_t source, const char *rel);

/* Read the directory `rel` of source `s` and what is below it, loading
 * every job file.  False when a directory that is there could not be
 * read (out of memory or descriptors): the caller must then not take
 * the jobs it did not see for removed. */
static bool
scan_dir(size_t s, const char *rel, int depth)
{
	char dirpath[PATH_MAX];
	struct dirent *de;
	DIR *dir;

	snprintf(dirpath, sizeof dirpath, "%s%s%s", sources[s].path, *rel ? "/" : "", rel);
	bool whole = true;

	if (depth > CONF_MAX_DEPTH) {
		log_warn("%s: ignored: nested deeper than %d directories", dirpath,
			 CONF_MAX_DEPTH);
		return true;
	}
	if (!(dir = opendir(dirpath))) {
		if (errno == ENOENT || errno == ENOTDIR) {
			if (depth == 0)
				log_debug("%s: %s", dirpath, strerror(errno));
			return true;
		}
		log_warn("%s: unable to read: %s", dirpath, strerror(errno));
		return false;
	}
	add_watch(s, rel);
	while ((de = readdir(dir))) {
		char sub[PATH_MAX];
		char *name;

		if (de->d_name[0] == '.' && (!de->d_name[1] ||
		    (de->d_name[1] == '.' && !de->d_name[2])))
			continue;
		snprintf(sub, sizeof sub, "%s%s%s", rel, *rel ? "/" : "", de->d_name);
		if (de->d_type == DT_DIR) {
			whole &= scan_dir(s, sub, depth + 1);
			continue;
		}
		if ((name = job_name_of(sub, ".conf"))) {
			load_job(&sources[s], name);
			free(name);
		} else if (errno) {
			whole = false;
		}
	}
	closedir(dir);
	return whole;
}

void
conf_set_init_conf(const char *path)
{
	free(init_conf_path);
	init_conf_path = path ? strdup(path) : NULL;
}

/* Upstart reads /etc/init.conf but accepts no stanza in it: say so
 * rather than ignore what an administrator wrote there. */
static void
check_init_conf(void)
{
	ParseError err = { 0, NULL };
	size_t len = 0;
	char *text;

	if (!init_conf_path || !(text = read_regular_file(init_conf_path, CONF_MAX_SIZE, &len)))
		return;
	if (parse_empty_conf(text, len, &err) < 0 && err.message)
		log_error("%s:%zu: %s", init_conf_path, err.line, err.message);
	free(text);
}

/* ---- generated sources ---- */

ConfGenerator *
conf_add_generator(ConfGenerateFn generate, ConfDroppedFn dropped, void *data)
{
	Generator **p = reallocarray(generators, ngenerators + 1, sizeof *p);
	Generator *g;

	if (!p)
		return NULL;
	generators = p;
	if (!(g = calloc(1, sizeof *g)))
		return NULL;
	g->generate = generate;
	g->dropped = dropped;
	g->data = data;
	generators[ngenerators++] = g;
	return g;
}

JobClass *
conf_generator_find(ConfGenerator *gen, const char *name)
{
	ConfFile *f = file_get(&gen->src, name, false);

	return f ? f->class : NULL;
}

JobClass *
conf_generator_define(ConfGenerator *gen, const char *name, const char *path,
		      const char *text)
{
	JobClass *class = conf_class_from_text(name, path, text, NULL, NULL);
	ConfFile *f;

	if (!class) {
		/* As for a file: the definition before stays. */
		if ((f = file_get(&gen->src, name, false)))
			f->seen = true;
		return NULL;
	}
	if (!(f = file_get(&gen->src, name, true))) {
		job_class_unref(class);
		return NULL;
	}
	if (f->class)
		job_class_unref(f->class);
	f->class = class;
	f->seen = true;
	registry_consider(name);
	return class;
}

/* Let a generator define its jobs again; those it did not are dropped. */
static void
generator_load(Generator *g, bool asked)
{
	ConfSource *src = &g->src;

	for (size_t i = 0; i < src->nfiles; i++)
		src->files[i]->seen = false;
	g->generate(g, asked, g->data);
	for (size_t i = src->nfiles; i-- > 0;) {
		char *name;

		if (src->files[i]->seen || !(name = strdup(src->files[i]->name)))
			continue;
		file_remove(src, name);
		registry_consider(name);
		if (g->dropped)
			g->dropped(name, asked, g->data);
		free(name);
	}
}

static void
generator_free(Generator *g)
{
	while (g->src.nfiles)
		file_remove(&g->src, g->src.files[0]->name);
	free(g->src.files);
	free(g);
}

static void
conf_load(bool asked)
{
	char **names = NULL;
	size_t nnames = 0;

	check_init_conf();
	for (size_t s = 0; s < nsources; s++)
		for (size_t i = 0; i < sources[s].nfiles; i++)
			sources[s].files[i]->seen = false;
	for (size_t s = 0; s < nsources; s++) {
		if (scan_dir(s, "", 0))
			continue;
		/* Not read through: what was not seen may still be there. */
		log_warn("%s: keeping the jobs loaded from it before", sources[s].path);
		for (size_t i = 0; i < sources[s].nfiles; i++)
			sources[s].files[i]->seen = true;
	}
	/* Files that are gone: drop them, then let the registry know. */
	for (size_t s = 0; s < nsources; s++) {
		ConfSource *src = &sources[s];

		for (size_t i = src->nfiles; i-- > 0;) {
			if (src->files[i]->seen)
				continue;
			char **p = reallocarray(names, nnames + 1, sizeof *p);

			if (p && (p[nnames] = strdup(src->files[i]->name))) {
				names = p;
				nnames++;
			} else if (p) {
				names = p;
			}
			file_remove(src, src->files[i]->name);
		}
	}
	for (size_t i = 0; i < nnames; i++) {
		registry_consider(names[i]);
		free(names[i]);
	}
	free(names);
	for (size_t g = 0; g < ngenerators; g++)
		generator_load(generators[g], asked);
}

void
conf_reload(void)
{
	conf_load(false);
}

void
conf_reload_asked(void)
{
	conf_load(true);
}

/* ---- inotify ---- */

static void
add_watch(size_t source, const char *rel)
{
	char path[PATH_MAX];
	int wd;

	if (inotify_fd < 0)
		return;
	snprintf(path, sizeof path, "%s%s%s", sources[source].path, *rel ? "/" : "", rel);
	wd = inotify_add_watch(inotify_fd, path, IN_CREATE | IN_DELETE | IN_CLOSE_WRITE |
			       IN_MOVED_FROM | IN_MOVED_TO | IN_ATTRIB | IN_ONLYDIR);
	if (wd < 0)
		return;
	for (size_t i = 0; i < nwdirs; i++)
		if (wdirs[i].wd == wd)
			return;   /* already known */
	if (nwdirs == capwdirs) {
		size_t cap = capwdirs ? capwdirs * 2 : 16;
		WatchDir *p = reallocarray(wdirs, cap, sizeof *p);

		if (!p)
			return;
		wdirs = p;
		capwdirs = cap;
	}
	wdirs[nwdirs].wd = wd;
	wdirs[nwdirs].source = (int)source;
	wdirs[nwdirs].rel = strdup(rel);
	if (wdirs[nwdirs].rel)
		nwdirs++;
}

/* The directory a source lives in is watched too (for its name only), so
 * that a source removed and made again, or made after init started, is
 * read and watched without reload-configuration.  IN_MASK_ADD: the
 * parent may be watched as a job directory already. */
static void
watch_parent(size_t s)
{
	char parent[PATH_MAX];
	char *slash;
	int wd;

	if (inotify_fd < 0 || sources[s].parent_wd >= 0)
		return;
	snprintf(parent, sizeof parent, "%s", sources[s].path);
	slash = strrchr(parent, '/');
	if (!slash || !slash[1])
		return;   /* relative, or ending in '/': not worth guessing */
	if (slash == parent)
		slash[1] = '\0';
	else
		*slash = '\0';
	wd = inotify_add_watch(inotify_fd, parent, IN_CREATE | IN_DELETE | IN_MOVED_FROM |
			       IN_MOVED_TO | IN_ONLYDIR | IN_MASK_ADD);
	if (wd >= 0)
		sources[s].parent_wd = wd;
}

/* Does event `ev` on a parent directory concern a source itself? */
static bool
parent_event(const struct inotify_event *ev)
{
	bool ours = false;

	for (size_t s = 0; s < nsources; s++) {
		const char *base = strrchr(sources[s].path, '/');

		if (sources[s].parent_wd != ev->wd)
			continue;
		if (ev->mask & IN_IGNORED)
			sources[s].parent_wd = -1;
		else if (base && ev->len && strcmp(base + 1, ev->name) == 0)
			ours = true;
	}
	return ours;
}

static WatchDir *
find_wdir(int wd)
{
	for (size_t i = 0; i < nwdirs; i++)
		if (wdirs[i].wd == wd)
			return &wdirs[i];
	return NULL;
}

static void
forget_wdir(int wd)
{
	for (size_t i = 0; i < nwdirs; i++) {
		if (wdirs[i].wd == wd) {
			free(wdirs[i].rel);
			wdirs[i] = wdirs[--nwdirs];
			return;
		}
	}
}

static void
handle_inotify_event(const struct inotify_event *ev)
{
	WatchDir *wdir = find_wdir(ev->wd);
	char rel[PATH_MAX];
	char *name;

	if (ev->mask & IN_Q_OVERFLOW) {
		/* Events were lost: only a full read is sure. */
		conf_reload();
		return;
	}
	if (parent_event(ev)) {
		conf_reload();
		return;
	}
	if (ev->mask & IN_IGNORED) {
		forget_wdir(ev->wd);
		return;
	}
	if (!wdir || !ev->len)
		return;
	snprintf(rel, sizeof rel, "%s%s%s", wdir->rel, *wdir->rel ? "/" : "", ev->name);
	if (ev->mask & IN_ISDIR) {
		if (ev->mask & (IN_CREATE | IN_MOVED_TO))
			scan_dir((size_t)wdir->source, rel, 1);
		else if (ev->mask & IN_MOVED_FROM)
			conf_reload();
		return;
	}
	if ((name = job_name_of(rel, ".conf")) || (name = job_name_of(rel, ".override"))) {
		/* A half-written file shows up again at IN_CLOSE_WRITE. */
		if (!(ev->mask & IN_CREATE) || ev->mask & IN_MOVED_TO)
			load_job(&sources[wdir->source], name);
		free(name);
	}
}

static void
inotify_readable(void *data, int fd, uint32_t events)
{
	char buf[16384] __attribute__((aligned(__alignof__(struct inotify_event))));
	ssize_t n;

	while ((n = read(fd, buf, sizeof buf)) > 0) {
		for (char *p = buf; p < buf + n;) {
			const struct inotify_event *ev = (const struct inotify_event *)p;

			handle_inotify_event(ev);
			p += sizeof *ev + ev->len;
		}
	}
}

/* Watch every source through inotify_fd. */
static int
watch_sources(void)
{
	if (!(inotify_watch = loop_watch(inotify_fd, EPOLLIN, inotify_readable, NULL))) {
		close(inotify_fd);
		inotify_fd = -1;
		return -1;
	}
	for (size_t s = 0; s < nsources; s++) {
		add_watch(s, "");
		watch_parent(s);
	}
	return 0;
}

int
conf_watch(void)
{
	if (inotify_fd >= 0)
		return 0;
	inotify_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (inotify_fd < 0)
		return -1;
	return watch_sources();
}

int
conf_watch_fd(void)
{
	return inotify_fd;
}

void
conf_watch_inherit(bool inherit)
{
	if (inotify_fd >= 0)
		fd_set_cloexec(inotify_fd, !inherit);
}

/* Is `fd` an inotify instance?  Every anonymous descriptor (epoll,
 * signalfd, timerfd…) has the same inode: only its name tells. */
static bool
is_inotify(int fd)
{
	char link[64], target[32];
	ssize_t n;

	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	n = readlink(link, target, sizeof target - 1);
	if (n < 0)
		return false;
	target[n] = '\0';
	return strcmp(target, "anon_inode:inotify") == 0;
}

int
conf_watch_adopt(int fd)
{
	int flags;

	if (inotify_fd >= 0 || fd <= 2 || !is_inotify(fd) || !state_claim_fd(fd) ||
	    (flags = fcntl(fd, F_GETFL)) < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0)
		return conf_watch();
	fd_set_cloexec(fd, true);
	/* Watches the previous image made are still there: adding one for
	 * the same directory gives back its number.  One on a directory no
	 * longer a source reports events nobody looks up, as before. */
	inotify_fd = fd;
	return watch_sources();
}

int
conf_check_file(const char *path)
{
	const char *base = strrchr(path, '/');
	char *name;
	JobClass *class;
	struct stat st;

	/* parse_path() is quiet about missing files (they come and go in a
	 * watched directory); a file named on the command line is not. */
	if (stat(path, &st) < 0) {
		log_error("%s: %s", path, strerror(errno));
		return -1;
	}
	name = job_name_of(base ? base + 1 : path, ".conf");
	{
		size_t len = 0;
		char *text = read_job_file(path, &len);

		class = text ? parse_text(name ? name : path, path, text, len, NULL) : NULL;
		free(text);
	}

	free(name);
	if (!class)
		return -1;
	job_class_unref(class);
	return 0;
}

void
conf_free(void)
{
	if (inotify_watch)
		loop_unwatch(inotify_watch);
	if (inotify_fd >= 0)
		close(inotify_fd);
	inotify_fd = -1;
	inotify_watch = NULL;
	for (size_t i = 0; i < nwdirs; i++)
		free(wdirs[i].rel);
	free(wdirs);
	wdirs = NULL;
	nwdirs = capwdirs = 0;
	for (size_t s = 0; s < nsources; s++) {
		while (sources[s].nfiles)
			file_remove(&sources[s], sources[s].files[0]->name);
		free(sources[s].files);
		free(sources[s].path);
	}
	free(sources);
	sources = NULL;
	nsources = 0;
	conf_set_init_conf(NULL);
	for (size_t g = 0; g < ngenerators; g++)
		generator_free(generators[g]);
	free(generators);
	generators = NULL;
	ngenerators = 0;
}
