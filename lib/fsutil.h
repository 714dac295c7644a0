/* fsutil — small helpers for files, directories and descriptor flags
 * that the daemon's modules share (one copy instead of one per module).
 *
 * Each returns 0 or -1 (NULL) with errno and leaves the caller to decide
 * whether a failure matters.  Only read_regular_file() allocates: the
 * caller frees what it returns.
 */
#ifndef UPINIT_FSUTIL_H
#define UPINIT_FSUTIL_H

#include <stdbool.h>
#include <sys/types.h>

/* mkdir -p: every directory of `path`, the last component included.
 * Directories that exist already are fine.  -1 with errno when the last
 * one is not there afterwards (ENAMETOOLONG beyond PATH_MAX). */
int mkdir_p(const char *path, mode_t mode);

/* Every directory above the last component of `path` (the directory of a
 * socket or file about to be created). */
int mkdir_parents(const char *path, mode_t mode);

/* Set or clear FD_CLOEXEC (the only descriptor flag). */
int fd_set_cloexec(int fd, bool on);

/* Something is mounted on `path` (or it is the root). */
bool is_mount_point(const char *path);

/* Add O_NONBLOCK to the open file's status flags. */
int fd_set_nonblock(int fd);

/* The whole of a regular file (not a symlink, not a FIFO: opening never
 * blocks), NUL-terminated, its length in *len.  NULL with errno: EINVAL
 * for anything but a regular file, EFBIG beyond `max` bytes. */
char *read_regular_file(const char *path, size_t max, size_t *len);

/* Everything left to read on `fd` (a pipe, a memfd, a kernel file whose
 * size says 0), NUL-terminated; at most about `max` bytes (EFBIG past
 * that).  *len (may be NULL) gets the length.  NULL with errno. */
char *read_fd_all(int fd, size_t max, size_t *len);

/* The parent of `pid` (from /proc/PID/stat), or -1. */
pid_t proc_parent(pid_t pid);

#endif
