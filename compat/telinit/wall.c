/* wall — see wall.h. */
#include "telinit/wall.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <paths.h>
#include <poll.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>
#include <utmpx.h>

#include "lib/cli.h"
#include "telinit/tool_paths.h"

/* ---- who is logged in --------------------------------------------------- */

/* DEV/LINE for a utmp line (which is not NUL-terminated when full). */
static void
device_path(const struct utmpx *ut, char *out, size_t size)
{
	const char *dev = tool_path(TOOL_PATH_DEV);
	char        line[sizeof(ut->ut_line) + 1];
	const char *rel = line;

	memcpy(line, ut->ut_line, sizeof(ut->ut_line));
	line[sizeof(ut->ut_line)] = '\0';
	if (strncmp(line, "/dev/", 5) == 0)
		rel = line + 5;
	snprintf(out, size, "%s/%s", dev, rel);
}

/* Append one session to *list (grown as needed). */
static bool
push_session(WallSession **list, long *n, long *cap, const struct utmpx *ut)
{
	WallSession *s;

	if (*n == *cap) {
		long         grown_cap = *cap > 0 ? *cap * 2 : 8;
		WallSession *grown = reallocarray(*list, (size_t)grown_cap,
						  sizeof(**list));

		if (grown == NULL)
			return false;
		*list = grown;
		*cap = grown_cap;
	}
	s = &(*list)[(*n)++];
	memset(s, 0, sizeof(*s));
	memcpy(s->user, ut->ut_user,
	       sizeof(ut->ut_user) < sizeof(s->user) - 1
	       ? sizeof(ut->ut_user) : sizeof(s->user) - 1);
	device_path(ut, s->device, sizeof(s->device));
	return true;
}

long
wall_sessions(WallSession **out)
{
	const char   *utmp = tool_path(TOOL_PATH_UTMP);
	struct utmpx *ut;
	WallSession  *list = NULL;
	long          n = 0, cap = 0;
	bool          ok = true;

	*out = NULL;
	/* glibc opens the file lazily; an unreadable one shows up as no
	 * records, so check it first to report why. */
	if (access(utmp, R_OK) < 0)
		return -1;
	if (utmpxname(utmp) < 0)
		return -1;
	setutxent();
	while (ok && (ut = getutxent()) != NULL)
		if (ut->ut_type == USER_PROCESS && ut->ut_user[0] != '\0')
			ok = push_session(&list, &n, &cap, ut);
	endutxent();
	utmpxname(_PATH_UTMP);
	if (!ok) {
		free(list);
		errno = ENOMEM;
		return -1;
	}
	*out = list;
	return n;
}

/* ---- the message -------------------------------------------------------- */

char *
wall_header(const char *user, const char *host, const char *tty, time_t now)
{
	char  date[64], *nl, *s;
	int   n;

	if (ctime_r(&now, date) == NULL)
		strcpy(date, " ");
	if ((nl = strchr(date, '\n')) != NULL)
		*nl = '\0';
	n = asprintf(&s, "\r\nBroadcast message from %s@%s %s%s%s(%s):\r\n\r\n",
		     user, host, tty != NULL ? "(" : "", tty != NULL ? tty : "",
		     tty != NULL ? ") " : "", date);
	return n < 0 ? NULL : s;
}

char *
wall_escape(const char *text)
{
	/* Worst case every byte becomes two. */
	char *out = malloc(strlen(text) * 2 + 1), *o = out;

	if (out == NULL)
		return NULL;
	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		if (strchr("\t\r\n", *p) != NULL || (*p >= 32 && *p <= 127)
		    || *p >= 160) {
			*o++ = (char)*p;
		} else {
			*o++ = '^';
			*o++ = (char)((*p & 0x1f) + 'A' - 1);
		}
	}
	*o = '\0';
	return out;
}

/* Who sends it: the login name of our uid, as sysvinit's wall says it. */
static void
sender_name(char *out, size_t size)
{
	uid_t          uid = getuid();
	struct passwd *pw = getpwuid(uid);

	if (pw != NULL)
		snprintf(out, size, "%s", pw->pw_name);
	else if (uid == 0)
		snprintf(out, size, "root");
	else
		snprintf(out, size, "uid %lu", (unsigned long)uid);
}

/* The sender's terminal without "/dev/", or NULL. */
static const char *
sender_tty(void)
{
	const char *tty = ttyname(STDIN_FILENO);

	if (tty != NULL && strncmp(tty, "/dev/", 5) == 0)
		tty += 5;
	return tty;
}

/* ---- delivery ----------------------------------------------------------- */

/* sysvinit's test that a path is a terminal worth opening: a character
 * device with one link, not of a major whose open has side effects. */
static bool
looks_like_tty(const char *path)
{
	static const unsigned skip[] = {
		1, 2, 6, 9, 12, 16, 21, 27, 37, 96, 97, 206, 230,
	};
	struct stat st;

	if (strstr(path, "/../") != NULL || stat(path, &st) < 0
	    || !S_ISCHR(st.st_mode) || st.st_nlink != 1)
		return false;
	for (size_t i = 0; i < sizeof(skip) / sizeof(*skip); i++)
		if (major(st.st_rdev) == skip[i])
			return false;
	return true;
}

/* Write all of `buf` to the non-blocking `fd`, waiting for room at most
 * WALL_TTY_TIMEOUT_MS in all.  False when it did not go through. */
static bool
write_all(int fd, const char *buf, size_t len)
{
	struct timespec start, now;

	clock_gettime(CLOCK_MONOTONIC, &start);
	while (len > 0) {
		ssize_t       n = write(fd, buf, len);
		struct pollfd pfd = { .fd = fd, .events = POLLOUT };
		long          spent;

		if (n > 0) {
			buf += n;
			len -= (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno != EAGAIN)
			return false;
		clock_gettime(CLOCK_MONOTONIC, &now);
		spent = (now.tv_sec - start.tv_sec) * 1000
			+ (now.tv_nsec - start.tv_nsec) / 1000000;
		if (spent >= WALL_TTY_TIMEOUT_MS
		    || poll(&pfd, 1, (int)(WALL_TTY_TIMEOUT_MS - spent)) <= 0)
			return false;
	}
	return true;
}

/* Send `message` to the terminal at `path`; true when it took it all. */
static bool
send_to(const char *path, const char *message)
{
	bool sent = false;
	int  fd;

	if (!looks_like_tty(path))
		return false;
	fd = open(path, O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return false;
	if (isatty(fd))
		sent = write_all(fd, message, strlen(message));
	close(fd);
	return sent;
}

long
wall_send(const char *text)
{
	WallSession *sessions;
	char         user[64], host[256], *header, *body, *message = NULL;
	long         n, sent = 0;

	n = wall_sessions(&sessions);
	if (n < 0)
		return -1;
	sender_name(user, sizeof(user));
	if (gethostname(host, sizeof(host)) < 0)
		snprintf(host, sizeof(host), "[unknown]");
	host[sizeof(host) - 1] = '\0';
	header = wall_header(user, host, sender_tty(), time(NULL));
	body = wall_escape(text);
	if (header != NULL && body != NULL
	    && asprintf(&message, "%s%s", header, body) < 0)
		message = NULL;
	for (long i = 0; message != NULL && i < n; i++) {
		if (send_to(sessions[i].device, message))
			sent++;
		else
			cli_debug("wall: %s did not take the message",
				  sessions[i].device);
	}
	free(message);
	free(body);
	free(header);
	free(sessions);
	return sent;
}
