/* Unit tests for lib/fsutil.c: mkdir -p and its parents-only form, and
 * the descriptor flag helpers, on a private temporary directory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/fsutil.h"

static bool
is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static void
test_mkdir_p(void **state)
{
	char top[] = "/tmp/upinit-fsutil.XXXXXX", path[256];

	(void)state;
	assert_non_null(mkdtemp(top));
	snprintf(path, sizeof path, "%s/a/b/c", top);
	assert_int_equal(mkdir_p(path, 0755), 0);
	assert_true(is_dir(path));
	/* Again: everything exists, which is fine. */
	assert_int_equal(mkdir_p(path, 0755), 0);

	/* Parents only: the socket's directory, not the socket. */
	snprintf(path, sizeof path, "%s/x/y/control", top);
	assert_int_equal(mkdir_parents(path, 0755), 0);
	snprintf(path, sizeof path, "%s/x/y", top);
	assert_true(is_dir(path));
	snprintf(path, sizeof path, "%s/x/y/control", top);
	assert_false(is_dir(path));

	/* A file in the way: the last directory cannot be made. */
	snprintf(path, sizeof path, "%s/file", top);
	fclose(fopen(path, "w"));
	snprintf(path, sizeof path, "%s/file/sub", top);
	assert_int_equal(mkdir_p(path, 0755), -1);

	snprintf(path, sizeof path, "rm -rf '%s'", top);
	assert_int_equal(system(path), 0);
}

static void
test_mkdir_p_too_long(void **state)
{
	char *path = malloc(PATH_MAX + 16);

	(void)state;
	assert_non_null(path);
	memset(path, 'a', PATH_MAX + 15);
	path[0] = '/';
	path[PATH_MAX + 15] = '\0';
	assert_int_equal(mkdir_p(path, 0755), -1);
	assert_int_equal(errno, ENAMETOOLONG);
	assert_int_equal(mkdir_parents(path, 0755), -1);
	free(path);
}

static void
test_fd_flags(void **state)
{
	int fds[2];

	(void)state;
	assert_int_equal(pipe(fds), 0);
	assert_false(fcntl(fds[0], F_GETFD) & FD_CLOEXEC);
	assert_int_equal(fd_set_cloexec(fds[0], true), 0);
	assert_true(fcntl(fds[0], F_GETFD) & FD_CLOEXEC);
	assert_int_equal(fd_set_cloexec(fds[0], false), 0);
	assert_false(fcntl(fds[0], F_GETFD) & FD_CLOEXEC);

	assert_false(fcntl(fds[1], F_GETFL) & O_NONBLOCK);
	assert_int_equal(fd_set_nonblock(fds[1]), 0);
	assert_true(fcntl(fds[1], F_GETFL) & O_NONBLOCK);

	close(fds[0]);
	close(fds[1]);
	assert_int_equal(fd_set_cloexec(fds[0], true), -1);
	assert_int_equal(fd_set_nonblock(fds[1]), -1);
}

/* read_fd_all: a pipe's whole contents, past the first buffer; a
 * bound that stops a runaway writer. */
static void
test_read_fd_all(void **state)
{
	static char big[10000];
	int p[2];
	size_t len = 0;
	char *text;

	(void)state;
	memset(big, 'x', sizeof big);
	assert_int_equal(pipe(p), 0);
	assert_int_equal(write(p[1], big, sizeof big), (ssize_t)sizeof big);
	close(p[1]);
	text = read_fd_all(p[0], 1 << 20, &len);
	close(p[0]);
	assert_non_null(text);
	assert_int_equal(len, sizeof big);
	assert_int_equal(strlen(text), sizeof big);
	free(text);

	assert_int_equal(pipe(p), 0);
	assert_int_equal(write(p[1], big, sizeof big), (ssize_t)sizeof big);
	close(p[1]);
	errno = 0;
	assert_null(read_fd_all(p[0], 4096, NULL));
	assert_int_equal(errno, EFBIG);
	close(p[0]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_fd_all),
		cmocka_unit_test(test_mkdir_p),
		cmocka_unit_test(test_mkdir_p_too_long),
		cmocka_unit_test(test_fd_flags),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
