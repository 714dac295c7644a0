/* cgroup_limits — the `cgroup` stanza.  See cgroup_limits.h. */
#include "init/cgroup_limits.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "init/cgroup.h"
#include "init/log.h"

/* ---- v1 keys in v2 ---- */

static long long
clamp(long long v, long long lo, long long hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

static bool
number(const char *s, long long *v)
{
	char *end;

	errno = 0;
	*v = strtoll(s, &end, 10);
	return !errno && end != s && !*end;
}

/* "-1" (v1's unlimited) is "max" in v2. */
static void
limit_value(const char *value, char *out, size_t size)
{
	snprintf(out, size, "%s", !strcmp(value, "-1") ? "max" : value);
}

/* "limit_in_bytes" stands for "memory.limit_in_bytes". */
static void
full_key(const char *controller, const char *key, char *out, size_t size)
{
	size_t clen = strlen(controller);

	if (strncmp(key, controller, clen) == 0 && key[clen] == '.')
		snprintf(out, size, "%s", key);
	else
		snprintf(out, size, "%s.%s", controller, key);
}

int
cgroup_limits_v2_key(const char *controller, const char *key, const char *value,
		     const char *current, char *key_out, size_t key_size,
		     char *out, size_t size, const char **why)
{
	char full[256];
	long long v;

	full_key(controller, key, full, sizeof full);
	snprintf(key_out, key_size, "%s", full);
	snprintf(out, size, "%s", value);

	if (!strcmp(full, "memory.limit_in_bytes")) {
		snprintf(key_out, key_size, "memory.max");
		limit_value(value, out, size);
	} else if (!strcmp(full, "memory.soft_limit_in_bytes")) {
		/* v1 reclaimed from a group above its soft limit first; v2
		 * protects what is below memory.low. */
		snprintf(key_out, key_size, "memory.low");
		limit_value(value, out, size);
	} else if (!strcmp(full, "memory.memsw.limit_in_bytes")) {
		*why = "has no cgroup v2 equivalent (v2 limits swap alone: memory.swap.max)";
		return -1;
	} else if (!strcmp(full, "memory.swappiness") || !strcmp(full, "memory.oom_control") ||
		   !strcmp(full, "memory.use_hierarchy") ||
		   !strcmp(full, "memory.move_charge_at_immigrate")) {
		*why = "has no cgroup v2 equivalent";
		return -1;
	} else if (!strcmp(full, "cpu.shares")) {
		/* The scheduler's own equivalence: 1024 shares (v1's
		 * default) weigh what 100 (v2's) does, as systemd has it. */
		if (!number(value, &v)) {
			*why = "expects a number";
			return -1;
		}
		snprintf(key_out, key_size, "cpu.weight");
		snprintf(out, size, "%lld", clamp(clamp(v, 2, 262144) * 100 / 1024, 1, 10000));
	} else if (!strcmp(full, "cpu.cfs_quota_us") || !strcmp(full, "cpu.cfs_period_us")) {
		/* Both halves of cpu.max ("QUOTA PERIOD"): keep the other. */
		char quota[32] = "max", period[32] = "100000";
		bool is_quota = !strcmp(full, "cpu.cfs_quota_us");

		if (current)
			sscanf(current, "%31s %31s", quota, period);
		if (!number(value, &v)) {
			*why = "expects a number";
			return -1;
		}
		snprintf(key_out, key_size, "cpu.max");
		if (is_quota)
			snprintf(out, size, "%s %s", v < 0 ? "max" : value, period);
		else
			snprintf(out, size, "%s %s", quota, value);
	} else if (!strcmp(full, "blkio.weight")) {
		if (!number(value, &v)) {
			*why = "expects a number";
			return -1;
		}
		/* 10..1000, default 500, onto 1..10000, default 100. */
		snprintf(key_out, key_size, "io.weight");
		snprintf(out, size, "default %lld", clamp(v * 100 / 500, 1, 10000));
	} else if (!strcmp(full, "pids.max")) {
		limit_value(value, out, size);
	} else if (!strncmp(full, "hugetlb.", 8) && strstr(full, ".limit_in_bytes")) {
		/* hugetlb.2MB.limit_in_bytes is hugetlb.2MB.max */
		snprintf(key_out, key_size, "%.*s.max",
			 (int)(strstr(full, ".limit_in_bytes") - full), full);
		limit_value(value, out, size);
	}
	return 0;
}

/* ---- where a controller is ---- */

/* Whether `list` ("cpu io memory", or v1's "rw,memory") names `word`. */
static bool
names(const char *list, const char *word, const char *seps)
{
	size_t len = strlen(word);

	for (const char *p = list; *p; p += strcspn(p, seps), p += strspn(p, seps)) {
		if (strncmp(p, word, len) == 0 && (!p[len] || strchr(seps, p[len])))
			return true;
		if (!*p)
			break;
	}
	return false;
}

/* A small kernel file of the jobs' subtree (or, with "../", BASE). */
static bool
subtree_file_names(const char *file, const char *word)
{
	char buf[512];
	int fd = openat(cgroup_fd(), file, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return names(buf, word, " ");
}

/* Our cgroup in the v1 hierarchy of `controller`, from /proc/self/cgroup
 * ("4:memory:/path"), and the directory it is in from mountinfo.  NULL
 * when no v1 hierarchy has it. */
static char *
v1_directory(const char *controller)
{
	FILE *f = fopen("/proc/self/cgroup", "re");
	char *line = NULL, *own = NULL, *dir = NULL;
	size_t size = 0;

	if (!f)
		return NULL;
	while (!own && getline(&line, &size, f) > 0) {
		char *list = strchr(line, ':'), *path;

		if (!list || !(path = strchr(++list, ':')))
			continue;
		*path++ = '\0';
		path[strcspn(path, "\n")] = '\0';
		if (names(list, controller, ","))
			own = strdup(path);
	}
	fclose(f);
	if (!own || !(f = fopen("/proc/self/mountinfo", "re"))) {
		free(line);
		free(own);
		return NULL;
	}
	while (!dir && getline(&line, &size, f) > 0) {
		char *sep = strstr(line, " - "), root[PATH_MAX], point[PATH_MAX], type[32], opts[512];
		size_t rlen;

		if (!sep || sscanf(sep + 3, "%31s %*s %511s", type, opts) != 2 ||
		    strcmp(type, "cgroup") != 0 || !names(opts, controller, ","))
			continue;
		*sep = '\0';
		if (sscanf(line, "%*s %*s %*s %4095s %4095s", root, point) != 2)
			continue;
		rlen = strcmp(root, "/") == 0 ? 0 : strlen(root);
		if (strncmp(own, root, rlen) != 0 || (own[rlen] != '/' && own[rlen] != '\0'))
			continue;
		if (asprintf(&dir, "%s%s", point, strcmp(own + rlen, "/") ? own + rlen : "") < 0)
			dir = NULL;
	}
	free(line);
	free(own);
	fclose(f);
	return dir;
}

/* ---- one stanza ---- */

typedef struct where {
	bool  v2;
	int   dir;      /* the target cgroup's directory */
} Where;

/* Write `text` to `dir`/`file`.  -1 with errno. */
static int
write_file(int dir, const char *file, const char *text)
{
	int fd = openat(dir, file, O_WRONLY | O_CLOEXEC);
	ssize_t len = (ssize_t)strlen(text), n;

	if (fd < 0)
		return -1;
	n = write(fd, text, (size_t)len);
	if (n != len) {
		int err = n < 0 ? errno : EIO;

		close(fd);
		errno = err;
		return -1;
	}
	return close(fd);
}

/* "+memory" in `file` (a cgroup.subtree_control) unless it is there. */
static int
enable(int dir, const char *file, const char *controller)
{
	char buf[512], plus[64];
	int fd = openat(dir, file, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof buf - 1) : -1;

	if (fd >= 0)
		close(fd);
	if (n >= 0) {
		buf[n] = '\0';
		buf[strcspn(buf, "\n")] = '\0';
		if (names(buf, controller, " "))
			return 0;
	}
	snprintf(plus, sizeof plus, "+%s", controller);
	return write_file(dir, file, plus);
}

/* The v2 cgroup `own`, with `controller` enabled on the way to it: in
 * BASE, in the subtree, and in an instance's job directory. */
static int
v2_target(const char *controller, const char *own, const char **why)
{
	char parent[NAME_MAX + 1];
	const char *slash = strchr(own, '/');
	int dir;

	if (enable(cgroup_fd(), "../cgroup.subtree_control", controller) < 0 ||
	    enable(cgroup_fd(), "cgroup.subtree_control", controller) < 0) {
		*why = "cannot be enabled for the jobs' cgroups";
		return -1;
	}
	if (slash) {
		snprintf(parent, sizeof parent, "%.*s/cgroup.subtree_control",
			 (int)(slash - own), own);
		if (enable(cgroup_fd(), parent, controller) < 0) {
			*why = "cannot be enabled for the job's instances";
			return -1;
		}
	}
	if ((dir = openat(cgroup_fd(), own, O_DIRECTORY | O_RDONLY | O_CLOEXEC)) < 0)
		*why = "the instance's cgroup cannot be opened";
	return dir;
}

/* mkdir -p `path` below `dir`, returning the last directory open. */
static int
make_below(int dir, const char *path)
{
	char copy[PATH_MAX], *save = NULL;
	int fd = dup(dir);

	snprintf(copy, sizeof copy, "%s", path);
	for (char *part = strtok_r(copy, "/", &save); fd >= 0 && part;
	     part = strtok_r(NULL, "/", &save)) {
		int next;

		if (!strcmp(part, "..")) {
			close(fd);
			errno = EINVAL;
			return -1;
		}
		if (mkdirat(fd, part, 0755) < 0 && errno != EEXIST) {
			close(fd);
			return -1;
		}
		next = openat(fd, part, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
		close(fd);
		fd = next;
	}
	return fd;
}

static int
v1_target(const char *controller, const char *name, const char **why)
{
	char *base = v1_directory(controller), path[PATH_MAX];
	int dir, fd;

	if (!base) {
		*why = "is not available: no cgroup hierarchy has it";
		return -1;
	}
	dir = open(base, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
	free(base);
	snprintf(path, sizeof path, "upinit/%s", name);
	if (dir < 0 || (fd = make_below(dir, path)) < 0) {
		*why = "cannot make the cgroup";
		if (dir >= 0)
			close(dir);
		return -1;
	}
	close(dir);
	return fd;
}

/* NAME expanded: the instance's own cgroup when absent.  NULL with
 * *why set when it cannot be. */
static char *
def_name(const CgroupDef *def, const char *own, const EnvList *env, const char **why)
{
	static char unknown_text[300];
	EnvList with = ENV_LIST_INIT;
	char *name = NULL, *unknown = NULL;

	if (!def->name)
		return strdup(own);
	errno = ENOMEM;
	if (env_copy(&with, env) == 0 && env_set_kv(&with, "UPSTART_CGROUP", own) == 0)
		name = env_expand(def->name, &with, &unknown);
	env_clear(&with);
	if (!name && unknown) {
		snprintf(unknown_text, sizeof unknown_text, "unknown variable %s in %s",
			 unknown, def->name);
		*why = unknown_text;
	} else if (!name) {
		*why = errno == EINVAL ? "unterminated ${ in the name" : strerror(errno);
	}
	free(unknown);
	return name;
}

static int
write_key(const Where *at, const CgroupDef *def, const char **why)
{
	char key[256], value[256], current[128] = "";
	int fd;

	static char refused[1024];

	if (!at->v2) {
		full_key(def->controller, def->key, key, sizeof key);
		snprintf(value, sizeof value, "%s", def->value);
	} else {
		if ((fd = openat(at->dir, "cpu.max", O_RDONLY | O_CLOEXEC)) >= 0) {
			ssize_t n = read(fd, current, sizeof current - 1);

			current[n > 0 ? n : 0] = '\0';
			close(fd);
		}
		if (cgroup_limits_v2_key(def->controller, def->key, def->value, current,
					 key, sizeof key, value, sizeof value, why) < 0)
			return -1;
	}
	if (strchr(key, '/') || faccessat(at->dir, key, F_OK, 0) < 0) {
		*why = "has no such key";
		return -1;
	}
	if (write_file(at->dir, key, value) < 0) {
		snprintf(refused, sizeof refused, "%s refused \"%s\": %s", key, value,
			 strerror(errno));
		*why = refused;
		return -1;
	}
	return 0;
}

/* Is `controller` the v2 hierarchy's (offered to BASE)? */
static bool
in_v2(const char *controller)
{
	return subtree_file_names("../cgroup.controllers", controller);
}

int
cgroup_limits_apply(const JobClass *class, const char *who, const char *own,
		    const EnvList *env, int *joins, size_t *njoins)
{
	*njoins = 0;
	for (size_t i = 0; i < class->ncgroups; i++) {
		const CgroupDef *def = &class->cgroups[i];
		const char *why = NULL;
		char *name = def_name(def, own, env, &why);
		Where at = { in_v2(def->controller), -1 };

		if (!name)
			;   /* why is said */
		else if (!*name || strstr(name, "..") || name[0] == '/')
			why = "needs a relative cgroup name without \"..\"";
		else if (at.v2 && strcmp(name, own) != 0)
			why = "is in cgroup v2, where a job's processes live in its own cgroup: "
			      "leave the name out or give $UPSTART_CGROUP";
		else
			at.dir = at.v2 ? v2_target(def->controller, own, &why) :
					 v1_target(def->controller, name, &why);
		if (at.dir >= 0 && def->key && def->value)
			write_key(&at, def, &why);
		if (!why && !at.v2) {
			int procs = *njoins < CGROUP_LIMITS_MAX_JOINS ?
				    openat(at.dir, "cgroup.procs", O_WRONLY | O_CLOEXEC) : -1;

			if (procs < 0)
				why = "cannot be joined";
			else
				joins[(*njoins)++] = procs;
		}
		if (at.dir >= 0)
			close(at.dir);
		if (why) {
			log_warn("%s: cgroup %s%s%s%s%s: %s", who, def->controller,
				 name ? " " : "", name ? name : "",
				 def->key ? " " : "", def->key ? def->key : "", why);
			free(name);
			while (*njoins)
				close(joins[--*njoins]);
			errno = EINVAL;
			return -1;
		}
		free(name);
	}
	return 0;
}

void
cgroup_limits_remove(const JobClass *class, const char *own, const EnvList *env)
{
	for (size_t i = 0; i < class->ncgroups; i++) {
		const CgroupDef *def = &class->cgroups[i];
		char *name, *base, path[PATH_MAX];

		const char *why;

		if (in_v2(def->controller) || !(name = def_name(def, own, env, &why)))
			continue;
		if ((base = v1_directory(def->controller))) {
			/* The cgroup, then its parents below upinit/, each
			 * only while empty. */
			size_t len = strlen(name);

			while (len) {
				snprintf(path, sizeof path, "%s/upinit/%.*s", base, (int)len, name);
				if (rmdir(path) < 0)
					break;
				while (len && name[len - 1] != '/')
					len--;
				if (len)
					len--;
			}
			free(base);
		}
		free(name);
	}
}
