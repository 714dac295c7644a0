/* cgroup — the cgroup2 subtree of the jobs.  See cgroup.h. */
#include "init/cgroup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "init/log.h"
#include "lib/fsutil.h"

#define SUBTREE "upinit"
/* cgroup.procs of a busy cgroup can be long; this is plenty. */
#define PROCS_MAX (4 * 1024 * 1024)

static int root_fd = -1;      /* BASE/upinit */
static char *root_path;       /* its path in the hierarchy, "/upinit" */

bool cgroup_enabled(void)      { return root_fd >= 0; }
int  cgroup_fd(void)           { return root_fd; }
const char *cgroup_path(void)  { return root_fd >= 0 ? root_path : NULL; }

void
cgroup_close(void)
{
	if (root_fd >= 0)
		close(root_fd);
	root_fd = -1;
	free(root_path);
	root_path = NULL;
}

void
cgroup_teardown(void)
{
	int base = root_fd >= 0 ? openat(root_fd, "..", O_DIRECTORY | O_RDONLY | O_CLOEXEC) : -1;

	if (base >= 0) {
		/* Fails, harmlessly, while a job's cgroup is left in it. */
		unlinkat(base, SUBTREE, AT_REMOVEDIR);
		close(base);
	}
	cgroup_close();
}

void
cgroup_inherit(bool inherit)
{
	if (root_fd >= 0)
		fd_set_cloexec(root_fd, !inherit);
}

static bool
is_cgroup2(int fd)
{
	struct statfs fs;

	return fstatfs(fd, &fs) == 0 && fs.f_type == CGROUP2_SUPER_MAGIC;
}

/* ---- finding the hierarchy ---- */

/* Our cgroup in the v2 hierarchy ("0::PATH" of /proc/self/cgroup). */
static char *
own_cgroup(void)
{
	FILE *f = fopen("/proc/self/cgroup", "re");
	char *line = NULL, *path = NULL;
	size_t size = 0;
	ssize_t len;

	if (!f)
		return NULL;
	while (!path && (len = getline(&line, &size, f)) > 0) {
		if (strncmp(line, "0::", 3) != 0)
			continue;
		line[strcspn(line, "\n")] = '\0';
		path = strdup(line + 3);
	}
	free(line);
	fclose(f);
	return path;
}

/* mountinfo writes blanks, tabs, newlines and backslashes as \ooo. */
static void
unescape_octal(char *s)
{
	char *out = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' &&
		    s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*out++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
			s += 3;
		} else {
			*out++ = *s;
		}
	}
	*out = '\0';
}

/* Where our cgroup `own` is in the file system: the first cgroup2 mount
 * whose root contains it.  NULL when none is mounted. */
static char *
own_directory(const char *own)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char *line = NULL, *dir = NULL;
	size_t size = 0;

	if (!f)
		return NULL;
	while (!dir && getline(&line, &size, f) > 0) {
		char *sep = strstr(line, " - "), *save = NULL, *root, *point;
		size_t rlen;

		if (!sep || strncmp(sep + 3, "cgroup2 ", 8) != 0)
			continue;
		*sep = '\0';
		/* ID PARENT MAJOR:MINOR ROOT MOUNT-POINT ... */
		if (!strtok_r(line, " ", &save) || !strtok_r(NULL, " ", &save) ||
		    !strtok_r(NULL, " ", &save) || !(root = strtok_r(NULL, " ", &save)) ||
		    !(point = strtok_r(NULL, " ", &save)))
			continue;
		unescape_octal(root);
		unescape_octal(point);
		rlen = strcmp(root, "/") == 0 ? 0 : strlen(root);
		if (strncmp(own, root, rlen) != 0 || (own[rlen] != '/' && own[rlen] != '\0'))
			continue;
		if (asprintf(&dir, "%s%s", point, own[rlen] ? own + rlen : "") < 0)
			dir = NULL;
	}
	free(line);
	fclose(f);
	return dir;
}

/* PID 1 of a system without one: /sys/fs/cgroup, or beside the v1
 * hierarchies of a hybrid layout when something is mounted there. */
static void
mount_hierarchy(void)
{
	const char *target = "/sys/fs/cgroup";

	if (access("/sys/fs/cgroup", F_OK) < 0)
		return;   /* no sysfs, or a kernel without cgroups */
	if (is_mount_point(target)) {
		target = "/sys/fs/cgroup/unified";
		mkdir(target, 0755);
	}
	if (mount("cgroup2", target, "cgroup2", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
		log_debug("Unable to mount cgroup2 on %s: %s", target, strerror(errno));
}

/* Why we may not use `dir`, our cgroup, as an unprivileged init: NULL
 * when we may. */
static const char *
not_delegated(const char *own, int dir)
{
	if (strcmp(own, "/") == 0)
		return "init runs in the root cgroup";
	if (faccessat(dir, ".", W_OK, AT_EACCESS) < 0 ||
	    faccessat(dir, "cgroup.procs", W_OK, AT_EACCESS) < 0)
		return "its cgroup is not delegated to it";
	return NULL;
}

static bool
tracking_off(const char *why)
{
	log_msg(LOG_PRIO_MESSAGE, "No cgroups (%s): jobs are tracked by process group only", why);
	return false;
}

bool
cgroup_setup(bool may_mount, bool delegated_only)
{
	char *own = own_cgroup(), *dir = NULL;
	const char *why = NULL;
	bool mounted = false;
	int base = -1;

	cgroup_close();
	/* Until cgroup2 is first mounted somewhere, /proc/PID/cgroup has
	 * no "0::" line at all: so it is on a machine PID 1 just booted. */
	if (!own && may_mount) {
		mount_hierarchy();
		mounted = true;
		own = own_cgroup();
	}
	if (!own)
		return tracking_off("no cgroup2 hierarchy in /proc/self/cgroup");
	if (!(dir = own_directory(own)) && may_mount && !mounted) {
		mount_hierarchy();
		dir = own_directory(own);
	}
	if (!dir)
		why = "no cgroup2 hierarchy is mounted";
	else if ((base = open(dir, O_DIRECTORY | O_RDONLY | O_CLOEXEC)) < 0 || !is_cgroup2(base))
		why = "the cgroup2 hierarchy cannot be opened";
	else if (delegated_only)
		why = not_delegated(own, base);
	if (!why && mkdirat(base, SUBTREE, 0755) < 0 && errno != EEXIST)
		why = "it may not create a cgroup";
	if (!why && (root_fd = openat(base, SUBTREE, O_DIRECTORY | O_RDONLY | O_CLOEXEC)) < 0)
		why = "it cannot open its cgroup";
	if (!why && asprintf(&root_path, "%s%s", strcmp(own, "/") ? own : "", "/" SUBTREE) < 0) {
		root_path = NULL;
		why = "out of memory";
	}
	if (base >= 0)
		close(base);
	free(own);
	if (why) {
		cgroup_close();
		free(dir);
		return tracking_off(why);
	}
	log_info("Jobs are tracked in cgroups below %s/%s", dir, SUBTREE);
	free(dir);
	return true;
}

bool
cgroup_adopt(int fd, const char *path)
{
	cgroup_close();
	if (fd < 0 || !path || !is_cgroup2(fd) || !(root_path = strdup(path)))
		return false;
	root_fd = fd;
	fd_set_cloexec(fd, true);
	return true;
}

/* ---- names ---- */

/* What a controller (v1 or v2) or the kernel may call a file of its own
 * in a cgroup directory: "PREFIX." for these, and three whole names. */
static const char *const reserved_prefix[] = {
	"cgroup", "cpu", "cpuacct", "cpuset", "io", "blkio", "memory", "devices",
	"freezer", "net_cls", "net_prio", "perf_event", "hugetlb", "pids", "rdma",
	"misc", "debug", "dmem",
};
static const char *const reserved_name[] = { "tasks", "notify_on_release", "release_agent" };

static bool
needs_prefix(const char *s)
{
	size_t dot = strcspn(s, ".");

	if (*s == '_' || *s == '.')
		return true;
	for (size_t i = 0; i < sizeof reserved_name / sizeof *reserved_name; i++)
		if (strcmp(s, reserved_name[i]) == 0)
			return true;
	if (!s[dot])
		return false;
	for (size_t i = 0; i < sizeof reserved_prefix / sizeof *reserved_prefix; i++)
		if (strlen(reserved_prefix[i]) == dot && strncmp(s, reserved_prefix[i], dot) == 0)
			return true;
	return false;
}

/* FNV-1a: only to keep two long names that share their first 240
 * bytes apart. */
static uint32_t
name_hash(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* Append the escaped form of `s` to `out` (room for NAME_MAX + 1). */
static void
escape_part(char *out, const char *s)
{
	size_t n = 0;

	if (needs_prefix(s))
		out[n++] = '_';
	for (const unsigned char *c = (const unsigned char *)s; *c && n < NAME_MAX + 1 - 5; c++) {
		if (*c == '/' || *c == '\\' || *c < 0x20 || *c == 0x7f)
			n += (size_t)snprintf(out + n, 5, "\\x%02x", *c);
		else
			out[n++] = (char)*c;
	}
	out[n] = '\0';
	if (n > 240)
		snprintf(out + 240, NAME_MAX + 1 - 240, "~%08x", (unsigned)name_hash(s));
}

char *
cgroup_name(const char *job, const char *instance)
{
	char a[NAME_MAX + 1], b[NAME_MAX + 1], *name;

	escape_part(a, job);
	if (!instance || !*instance)
		return strdup(a);
	escape_part(b, instance);
	if (asprintf(&name, "%s/%s", a, b) < 0)
		return NULL;
	return name;
}

/* ---- one cgroup ---- */

int
cgroup_make(const char *name)
{
	const char *slash = strchr(name, '/');

	if (root_fd < 0) {
		errno = ENOENT;
		return -1;
	}
	if (slash) {
		char parent[NAME_MAX + 1];

		snprintf(parent, sizeof parent, "%.*s", (int)(slash - name), name);
		if (mkdirat(root_fd, parent, 0755) < 0 && errno != EEXIST)
			return -1;
	}
	if (mkdirat(root_fd, name, 0755) < 0 && errno != EEXIST)
		return -1;
	return 0;
}

void
cgroup_remove(const char *name)
{
	const char *slash = strchr(name, '/');

	if (root_fd < 0)
		return;
	if (unlinkat(root_fd, name, AT_REMOVEDIR) < 0 && errno != ENOENT) {
		log_debug("Unable to remove cgroup %s/%s: %s", root_path, name, strerror(errno));
		return;
	}
	if (slash) {
		char parent[NAME_MAX + 1];

		snprintf(parent, sizeof parent, "%.*s", (int)(slash - name), name);
		/* Other instances may still be there. */
		unlinkat(root_fd, parent, AT_REMOVEDIR);
	}
}

static int
open_file(const char *name, const char *file, int flags)
{
	char path[2 * NAME_MAX + 32];

	if (root_fd < 0) {
		errno = ENOENT;
		return -1;
	}
	snprintf(path, sizeof path, "%s/%s", name, file);
	return openat(root_fd, path, flags | O_CLOEXEC);
}

int cgroup_open_dir(const char *name)    { return open_file(name, ".", O_PATH | O_DIRECTORY); }
int cgroup_open_procs(const char *name)  { return open_file(name, "cgroup.procs", O_WRONLY); }
int cgroup_open_events(const char *name) { return open_file(name, "cgroup.events", O_RDONLY); }

int
cgroup_populated_fd(int fd)
{
	char buf[256];
	ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
	const char *p;

	if (n <= 0)
		return -1;
	buf[n] = '\0';
	/* "populated 0\nfrozen 0\n" */
	for (p = buf; p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (strncmp(p, "populated ", 10) == 0)
			return p[10] != '0';
	return -1;
}

int
cgroup_populated(const char *name)
{
	int fd = cgroup_open_events(name), populated;

	if (fd < 0)
		return -1;
	populated = cgroup_populated_fd(fd);
	close(fd);
	return populated;
}

/* The pids listed in `name`/`file` (cgroup.procs), parsed. */
static pid_t *
read_pids(const char *name, const char *file, size_t *count)
{
	char *text, *p, *end;
	pid_t *pids = NULL;
	size_t n = 0;
	int fd = open_file(name, file, O_RDONLY);

	*count = 0;
	if (fd < 0)
		return NULL;
	text = read_fd_all(fd, PROCS_MAX, NULL);
	close(fd);
	if (!text)
		return NULL;
	if (*text && (pids = calloc(strlen(text) / 2 + 1, sizeof *pids))) {
		for (p = text; *p; p = end) {
			long v = strtol(p, &end, 10);

			if (end == p)
				break;
			if (v > 0 && v <= INT32_MAX)
				pids[n++] = (pid_t)v;
		}
	}
	free(text);
	if (!n) {
		free(pids);
		return NULL;
	}
	*count = n;
	return pids;
}

pid_t *
cgroup_pids(const char *name, size_t *n)
{
	return read_pids(name, "cgroup.procs", n);
}

/* cgroup.kill (Linux 5.14): the kernel kills the whole subtree, and a
 * process forking meanwhile cannot escape it.  -1 when there is none. */
static int
kill_file(const char *name)
{
	int fd = open_file(name, "cgroup.kill", O_WRONLY), rc;

	if (fd < 0)
		return -1;
	rc = write(fd, "1", 1) == 1 ? 0 : -1;
	close(fd);
	return rc;
}

/* Signal every process of `name` and its sub-cgroups (an instance job's
 * cgroup has its instances below it only when empty itself). */
static int
signal_tree(const char *name, int sig, int depth)
{
	char path[2 * NAME_MAX + 32];
	size_t n;
	pid_t *pids = cgroup_pids(name, &n);
	int count = 0;

	for (size_t i = 0; i < n; i++)
		if (kill(pids[i], sig) == 0)
			count++;
	free(pids);
	if (depth > 0) {
		int fd = open_file(name, ".", O_RDONLY | O_DIRECTORY);
		DIR *dir = fd >= 0 ? fdopendir(fd) : NULL;
		struct dirent *e;

		if (!dir && fd >= 0)
			close(fd);
		while (dir && (e = readdir(dir))) {
			if (e->d_type != DT_DIR || e->d_name[0] == '.')
				continue;
			snprintf(path, sizeof path, "%s/%s", name, e->d_name);
			count += signal_tree(path, sig, depth - 1);
		}
		if (dir)
			closedir(dir);
	}
	return count;
}

int
cgroup_signal(const char *name, int sig)
{
	int populated = cgroup_populated(name);

	if (populated < 0)
		return -1;
	if (!populated)
		return 0;
	if (sig == SIGKILL && kill_file(name) == 0)
		return 1;
	return signal_tree(name, sig, strchr(name, '/') ? 0 : 1);
}
