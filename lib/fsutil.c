/* fsutil — files, directories and descriptor flags.  See fsutil.h. */
#include "lib/fsutil.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>

/* mkdir each prefix of buf that ends before a '/', then, with `last`,
 * buf itself.  A prefix that cannot be made is passed over, as mkdir -p
 * would stumble on it anyway at the next one; the result is that of the
 * last mkdir (an existing directory counts as made). */
static int
make_dirs(char *buf, mode_t mode, bool last)
{
	int rc = 0;

	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		rc = mkdir(buf, mode) < 0 && errno != EEXIST ? -1 : 0;
		*p = '/';
	}
	if (last)
		rc = mkdir(buf, mode) < 0 && errno != EEXIST ? -1 : 0;
	return rc;
}

static int
copy_path(char *buf, const char *path)
{
	size_t len = strlen(path);

	if (len >= PATH_MAX) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(buf, path, len + 1);
	return 0;
}

int
mkdir_p(const char *path, mode_t mode)
{
	char buf[PATH_MAX];

	if (copy_path(buf, path) < 0)
		return -1;
	return make_dirs(buf, mode, true);
}

int
mkdir_parents(const char *path, mode_t mode)
{
	char buf[PATH_MAX];

	if (copy_path(buf, path) < 0)
		return -1;
	return make_dirs(buf, mode, false);
}

int
fd_set_cloexec(int fd, bool on)
{
	/* FD_CLOEXEC is the only descriptor flag there is: no F_GETFD
	 * first (a re-exec sets it on a thousand client sockets twice). */
	return fcntl(fd, F_SETFD, on ? FD_CLOEXEC : 0);
}

int
fd_set_nonblock(int fd)
{
	int flags = fcntl(fd, F_GETFL);

	if (flags < 0)
		return -1;
	return fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

char *
read_regular_file(const char *path, size_t max, size_t *len)
{
	struct stat st;
	char *buf;
	size_t off = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		errno = EINVAL;
		return NULL;
	}
	if ((uintmax_t)st.st_size > max) {
		close(fd);
		errno = EFBIG;
		return NULL;
	}
	buf = malloc((size_t)st.st_size + 1);
	while (buf) {
		ssize_t n = read(fd, buf + off, (size_t)st.st_size - off);

		if (n < 0) {
			free(buf);
			buf = NULL;
			break;
		}
		if (n == 0 || (off += (size_t)n) == (size_t)st.st_size)
			break;
	}
	close(fd);
	if (buf) {
		buf[off] = '\0';
		*len = off;
	}
	return buf;
}

bool
is_mount_point(const char *path)
{
	struct stat st, parent;
	char up[PATH_MAX];

	if (stat(path, &st) < 0)
		return false;
	snprintf(up, sizeof up, "%s/..", path);
	if (stat(up, &parent) < 0)
		return false;
	return st.st_dev != parent.st_dev || st.st_ino == parent.st_ino;
}

char *
read_fd_all(int fd, size_t max, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap + 1), *grown;

	while (buf) {
		ssize_t got = read(fd, buf + n, cap - n);

		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		n += (size_t)got;
		if (n < cap)
			continue;
		if (cap >= max || !(grown = realloc(buf, cap * 2 + 1))) {
			free(buf);
			errno = cap >= max ? EFBIG : ENOMEM;
			return NULL;
		}
		buf = grown;
		cap *= 2;
	}
	if (buf) {
		buf[n] = '\0';
		if (len)
			*len = n;
	}
	return buf;
}

pid_t
proc_parent(pid_t pid)
{
	char path[32], buf[512], *end;
	ssize_t n;
	int fd;
	long ppid;

	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	/* PID (COMM) STATE PPID ...: the name may hold anything. */
	if (!(end = strrchr(buf, ')')) || sscanf(end + 1, " %*c %ld", &ppid) != 1)
		return -1;
	return (pid_t)ppid;
}
