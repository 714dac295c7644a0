/* Tests for compat/sysv/utmp_records: every record is written to files in
 * a temporary directory and checked twice, by reading it back with
 * glibc's getutxent() and by running the real readers on the file:
 * coreutils `who -r`/`who -b` and util-linux `last -x` (run with
 * LC_ALL=C and TZ=UTC so their dates are predictable). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <json-c/json.h>
#include <paths.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <utmpx.h>

#include "sysv/utmp_records.h"

#define MAX_RECORDS 64

/* One test's files. */
typedef struct fixture {
	char dir[64];
	char utmp[128];
	char wtmp[128];
	char missing_dir[128];   /* a directory that does not exist (yet) */
	char missing_utmp[160];
	char missing_wtmp[160];
	UtmpRecords *rec;        /* writer for utmp/wtmp above */
} Fixture;

/* ---- helpers ------------------------------------------------------------ */

static int
remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

static void
touch(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	assert_true(fd >= 0);
	close(fd);
}

static int
setup(void **state)
{
	Fixture *fx = calloc(1, sizeof *fx);

	if (!fx)
		return -1;
	strcpy(fx->dir, "/tmp/test_utmp_records.XXXXXX");
	if (!mkdtemp(fx->dir))
		return -1;
	snprintf(fx->utmp, sizeof fx->utmp, "%s/utmp", fx->dir);
	snprintf(fx->wtmp, sizeof fx->wtmp, "%s/wtmp", fx->dir);
	snprintf(fx->missing_dir, sizeof fx->missing_dir, "%s/var", fx->dir);
	snprintf(fx->missing_utmp, sizeof fx->missing_utmp, "%s/utmp",
		 fx->missing_dir);
	snprintf(fx->missing_wtmp, sizeof fx->missing_wtmp, "%s/wtmp",
		 fx->missing_dir);
	touch(fx->utmp);
	touch(fx->wtmp);
	fx->rec = utmp_records_new(fx->utmp, fx->wtmp);
	if (!fx->rec)
		return -1;
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	Fixture *fx = *state;

	utmp_records_free(fx->rec);
	nftw(fx->dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
	free(fx);
	return 0;
}

/* Every record of `path`, read with glibc's getutxent(). */
static size_t
read_records(const char *path, struct utmpx *out, size_t max)
{
	struct utmpx *ent;
	size_t n = 0;

	assert_int_equal(utmpxname(path), 0);
	setutxent();
	while ((ent = getutxent()) != NULL && n < max)
		out[n++] = *ent;
	endutxent();
	utmpxname(_PATH_UTMP);
	return n;
}

static bool
field_eq(const char *field, size_t size, const char *value)
{
	return strlen(value) <= size && strncmp(field, value, size) == 0;
}

#define assert_field(ut, member, value) \
	assert_true(field_eq((ut).member, sizeof (ut).member, (value)))

static const char *
kernel_release(void)
{
	static struct utsname un;

	assert_int_equal(uname(&un), 0);
	return un.release;
}

/* Check the fields of one of init's own records. */
static void
assert_init_record(const struct utmpx *ut, short type, const char *user,
		   const char *line, pid_t pid)
{
	assert_int_equal(ut->ut_type, type);
	assert_field(*ut, ut_user, user);
	assert_field(*ut, ut_id, "~~");
	assert_field(*ut, ut_line, line);
	assert_int_equal(ut->ut_pid, pid);
	assert_field(*ut, ut_host, kernel_release());
	assert_true(ut->ut_tv.tv_sec > 0);
}

/* Run argv with LC_ALL=C TZ=UTC; returns its stdout (caller frees) and
 * its exit status in *status. */
static char *
run_capture(char *const argv[], int *status)
{
	int pipefd[2];
	pid_t pid;
	char *out = NULL;
	size_t len = 0, cap = 0;

	assert_int_equal(pipe(pipefd), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(pipefd[1], STDOUT_FILENO);
		close(pipefd[0]);
		close(pipefd[1]);
		setenv("LC_ALL", "C", 1);
		setenv("TZ", "UTC", 1);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(pipefd[1]);
	for (;;) {
		ssize_t n;

		if (len + 1 >= cap) {
			cap = cap ? cap * 2 : 1024;
			out = realloc(out, cap);
			assert_non_null(out);
		}
		n = read(pipefd[0], out + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		assert_true(n >= 0);
		if (n == 0)
			break;
		len += (size_t)n;
	}
	out[len] = '\0';
	close(pipefd[0]);
	assert_int_equal(waitpid(pid, status, 0), pid);
	return out;
}

static char *
run_who(const char *option, const char *file)
{
	char *argv[] = { "who", (char *)option, (char *)file, NULL };
	int status;
	char *out = run_capture(argv, &status);

	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	return out;
}

static char *
run_last(const char *file)
{
	char *argv[] = { "last", "-x", "-f", (char *)file, NULL };
	int status;
	char *out = run_capture(argv, &status);

	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	return out;
}

/* `s` with the characters special to an extended regex escaped. */
static char *
regex_escape(const char *s)
{
	char *out = malloc(2 * strlen(s) + 1), *p = out;

	assert_non_null(out);
	for (; *s; s++) {
		if (strchr(".[]()*+?{}|^$\\", *s))
			*p++ = '\\';
		*p++ = *s;
	}
	*p = '\0';
	return out;
}

/* True when `text` has a line matching the extended regex `pattern`
 * (a printf-style format); prints the text when `want` is not met. */
static bool __attribute__((format(printf, 3, 4)))
line_matches(bool want, const char *text, const char *fmt, ...)
{
	char pattern[1024];
	regex_t re;
	va_list ap;
	bool found;

	va_start(ap, fmt);
	vsnprintf(pattern, sizeof pattern, fmt, ap);
	va_end(ap);
	if (regcomp(&re, pattern, REG_EXTENDED | REG_NEWLINE | REG_NOSUB) != 0) {
		print_error("bad regex /%s/\n", pattern);
		return !want;
	}
	found = regexec(&re, text, 0, NULL, 0) == 0;
	regfree(&re);
	if (found != want)
		print_error("%s line matches /%s/ in:\n%s", want ? "no" : "a",
			    pattern, text);
	return found;
}

#define assert_line_matches(text, ...) \
	assert_true(line_matches(true, (text), __VA_ARGS__))
#define assert_no_line_matches(text, ...) \
	assert_false(line_matches(false, (text), __VA_ARGS__))

/* The date as `who` prints it in the C locale ("Nov 21 22:06"). */
static void
who_date(time_t t, char *buf, size_t size)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, size, "%b %e %H:%M", &tm);
}

/* The login date as `last` prints it ("Sat Nov 21 22:06"). */
static void
last_date(time_t t, char *buf, size_t size)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, size, "%a %b %e %H:%M", &tm);
}

/* Move every record of `path` `delta` seconds in time, so that `last`,
 * which treats "the same second as now" specially, prints durations
 * that do not depend on how fast the test runs. */
static void
shift_times(const char *path, int delta)
{
	struct utmpx ut;
	int fd = open(path, O_RDWR);
	off_t off = 0;

	assert_true(fd >= 0);
	while (pread(fd, &ut, sizeof ut, off) == (ssize_t)sizeof ut) {
		ut.ut_tv.tv_sec += delta;
		assert_int_equal(pwrite(fd, &ut, sizeof ut, off), sizeof ut);
		off += (off_t)sizeof ut;
	}
	close(fd);
}

/* A record written directly with pututxline()/updwtmpx(), as another
 * program (login, Upstart's telinit) would. */
static void
put_raw(const char *utmp, const char *wtmp, short type, const char *user,
	const char *id, const char *line, pid_t pid)
{
	struct utmpx ut;
	struct timeval tv;

	memset(&ut, 0, sizeof ut);
	ut.ut_type = type;
	ut.ut_pid = pid;
	strncpy(ut.ut_user, user, sizeof ut.ut_user);
	strncpy(ut.ut_id, id, sizeof ut.ut_id);
	strncpy(ut.ut_line, line, sizeof ut.ut_line);
	gettimeofday(&tv, NULL);
	ut.ut_tv.tv_sec = tv.tv_sec;
	ut.ut_tv.tv_usec = tv.tv_usec;
	if (utmp) {
		assert_int_equal(utmpxname(utmp), 0);
		setutxent();
		assert_non_null(pututxline(&ut));
		endutxent();
		utmpxname(_PATH_UTMP);
	}
	if (wtmp)
		updwtmpx(wtmp, &ut);
}

static off_t
file_size(const char *path)
{
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	return st.st_size;
}

/* ---- boot and runlevel -------------------------------------------------- */

static void
test_boot_and_runlevel(void **state)
{
	Fixture *fx = *state;
	struct utmpx recs[MAX_RECORDS];
	char date[64], *out, *rel = regex_escape(kernel_release());
	char cur, prev;

	assert_int_equal(utmp_records_boot(fx->rec), 0);
	assert_int_equal(utmp_records_runlevel_change(fx->rec, '2', 'N'), 0);
	assert_false(utmp_records_pending(fx->rec));

	/* Read back with glibc. */
	assert_int_equal(read_records(fx->utmp, recs, MAX_RECORDS), 2);
	assert_init_record(&recs[0], BOOT_TIME, "reboot", "~", 0);
	assert_init_record(&recs[1], RUN_LVL, "runlevel", "~", '2' + 256 * 'N');
	assert_int_equal(read_records(fx->wtmp, recs, MAX_RECORDS), 2);
	assert_init_record(&recs[0], BOOT_TIME, "reboot", "~", 0);
	assert_init_record(&recs[1], RUN_LVL, "runlevel", "~", '2' + 256 * 'N');
	assert_int_equal(utmp_records_runlevel(fx->utmp, &cur, &prev), 0);
	assert_int_equal(cur, '2');
	assert_int_equal(prev, 'N');

	/* coreutils who. */
	who_date(recs[1].ut_tv.tv_sec, date, sizeof date);
	out = run_who("-r", fx->utmp);
	assert_line_matches(out, "^ +run-level 2  %s +last=S$", date);
	free(out);
	who_date(recs[0].ut_tv.tv_sec, date, sizeof date);
	out = run_who("-b", fx->utmp);
	assert_line_matches(out, "^ +system boot  %s$", date);
	free(out);

	/* util-linux last, an hour later. */
	shift_times(fx->wtmp, -3600);
	read_records(fx->wtmp, recs, MAX_RECORDS);
	last_date(recs[0].ut_tv.tv_sec, date, sizeof date);
	out = run_last(fx->wtmp);
	assert_line_matches(out, "^runlevel \\(to lvl 2\\)   %s +%s   still running$",
			    rel, date);
	assert_line_matches(out, "^reboot   system boot  %s +%s   still running$",
			    rel, date);
	free(out);
	free(rel);
}

/* Previous-level encoding: what is stored and what the readers show. */
typedef struct level_case {
	char        cur, prev;    /* arguments */
	int         pid;          /* stored ut_pid */
	const char *who_suffix;   /* regex for what follows the date */
	char        read_cur, read_prev;
} LevelCase;

static const LevelCase level_cases[] = {
	{ '2', 'N',  '2' + 256 * 'N', " +last=S$", '2', 'N' },
	{ '2', '\0', '2' + 256 * 'N', " +last=S$", '2', 'N' },
	{ '3', '2',  '3' + 256 * '2', " +last=2$", '3', '2' },
	{ 'S', 'N',  'S' + 256 * 'N', " +last=S$", 'S', 'N' },
	{ 's', '2',  'S' + 256 * '2', " +last=2$", 'S', '2' },
	{ '2', 'S',  '2' + 256 * 'S', " +last=S$", '2', 'S' },
	{ '0', '2',  '0' + 256 * '2', " +last=2$", '0', '2' },
	{ '6', '5',  '6' + 256 * '5', " +last=5$", '6', '5' },
};

static void
test_level_encoding(void **state)
{
	Fixture *fx = *state;

	for (size_t i = 0; i < sizeof level_cases / sizeof *level_cases; i++) {
		const LevelCase *c = &level_cases[i];
		struct utmpx recs[MAX_RECORDS];
		char date[64], *out, cur = 0, prev = 0;
		size_t n;

		assert_int_equal(utmp_records_runlevel_change(fx->rec, c->cur, c->prev), 0);
		/* utmp keeps one RUN_LVL record, replaced every time. */
		assert_int_equal(read_records(fx->utmp, recs, MAX_RECORDS), 1);
		assert_int_equal(recs[0].ut_pid, c->pid);
		n = read_records(fx->wtmp, recs, MAX_RECORDS);
		assert_int_equal(n, i + 1);
		assert_int_equal(recs[n - 1].ut_pid, c->pid);

		assert_int_equal(utmp_records_runlevel(fx->utmp, &cur, &prev), 0);
		assert_int_equal(cur, c->read_cur);
		assert_int_equal(prev, c->read_prev);

		who_date(recs[n - 1].ut_tv.tv_sec, date, sizeof date);
		out = run_who("-r", fx->utmp);
		assert_line_matches(out, "^ +run-level %c  %s%s", c->read_cur,
				    date, c->who_suffix);
		free(out);
	}
}

static void
test_level_invalid(void **state)
{
	Fixture *fx = *state;
	static const char bad[][2] = {
		{ 'x', 'N' }, { '\0', 'N' }, { 'N', '2' }, { '2', 'x' },
		{ '2', '\x9b' },
	};

	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		errno = 0;
		assert_int_equal(utmp_records_runlevel_change(fx->rec, bad[i][0],
							       bad[i][1]), -1);
		assert_int_equal(errno, EINVAL);
	}
	assert_int_equal(file_size(fx->utmp), 0);
	assert_int_equal(file_size(fx->wtmp), 0);
	assert_false(utmp_records_pending(fx->rec));
}

/* Upstart's encoding (previous level 0) is read as 'N'; `who -r` then
 * prints no last= field, which is why upinit stores 'N'. */
static void
test_upstart_encoding_read(void **state)
{
	Fixture *fx = *state;
	char cur, prev, *out;

	put_raw(fx->utmp, NULL, RUN_LVL, "runlevel", "~~", "~", '2');
	assert_int_equal(utmp_records_runlevel(fx->utmp, &cur, &prev), 0);
	assert_int_equal(cur, '2');
	assert_int_equal(prev, 'N');
	out = run_who("-r", fx->utmp);
	assert_line_matches(out, "^ +run-level 2  [A-Z][a-z]{2} [ 0-9][0-9] "
			    "[0-9]{2}:[0-9]{2}$");
	assert_no_line_matches(out, "last=");
	free(out);
}

/* ---- shutdown ----------------------------------------------------------- */

static void
test_shutdown_record(void **state)
{
	Fixture *fx = *state;
	struct utmpx recs[MAX_RECORDS];
	char cur, prev, date[64], *out, *rel = regex_escape(kernel_release());
	size_t n;

	assert_int_equal(utmp_records_boot(fx->rec), 0);
	assert_int_equal(utmp_records_runlevel_change(fx->rec, '2', 'N'), 0);
	assert_int_equal(utmp_records_runlevel_change(fx->rec, '6', '2'), 0);

	/* Default: wtmp only, so `runlevel` still says 6. */
	assert_int_equal(utmp_records_shutdown(fx->rec, false), 0);
	assert_int_equal(read_records(fx->utmp, recs, MAX_RECORDS), 2);
	assert_int_equal(utmp_records_runlevel(fx->utmp, &cur, &prev), 0);
	assert_int_equal(cur, '6');
	assert_int_equal(prev, '2');
	n = read_records(fx->wtmp, recs, MAX_RECORDS);
	assert_int_equal(n, 4);
	assert_init_record(&recs[3], RUN_LVL, "shutdown", "~~", 0);

	/* A next boot, then `last -x` an hour later. */
	assert_int_equal(utmp_records_boot(fx->rec), 0);
	shift_times(fx->wtmp, -3600);
	n = read_records(fx->wtmp, recs, MAX_RECORDS);
	assert_int_equal(n, 5);
	last_date(recs[3].ut_tv.tv_sec, date, sizeof date);
	out = run_last(fx->wtmp);
	assert_line_matches(out, "^shutdown system down  %s +%s - [0-9]{2}:[0-9]{2} +"
			    "\\([0-9:+-]+\\)$", rel, date);
	assert_line_matches(out, "^runlevel \\(to lvl 6\\)   %s +%s - ", rel, date);
	assert_line_matches(out, "^runlevel \\(to lvl 2\\)   %s +%s - ", rel, date);
	assert_line_matches(out, "^reboot   system boot  %s +%s   still running$",
			    rel, date);
	assert_line_matches(out, "^reboot   system boot  %s +%s - ", rel, date);
	free(out);

	/* On request utmp too: the runlevel becomes unknown. */
	assert_int_equal(utmp_records_shutdown(fx->rec, true), 0);
	errno = 0;
	assert_int_equal(utmp_records_runlevel(fx->utmp, &cur, &prev), -1);
	assert_int_equal(errno, ESRCH);
	n = read_records(fx->utmp, recs, MAX_RECORDS);
	assert_int_equal(n, 2);
	assert_init_record(&recs[1], RUN_LVL, "shutdown", "~~", 0);
	out = run_who("-r", fx->utmp);
	assert_line_matches(out, "^ +run-level  ");
	assert_no_line_matches(out, "last=");
	free(out);
	free(rel);
}

/* ---- process records ---------------------------------------------------- */

static void
test_init_and_dead_process(void **state)
{
	Fixture *fx = *state;
	struct utmpx recs[MAX_RECORDS];
	size_t n;

	assert_int_equal(utmp_records_init_process(fx->rec, "1", "/dev/tty1", 4242), 0);
	assert_int_equal(utmp_records_init_process(fx->rec, "S0", "ttyS0", 4343), 0);
	n = read_records(fx->utmp, recs, MAX_RECORDS);
	assert_int_equal(n, 2);
	assert_int_equal(recs[0].ut_type, INIT_PROCESS);
	assert_int_equal(recs[0].ut_pid, 4242);
	assert_field(recs[0], ut_id, "1");
	assert_field(recs[0], ut_line, "tty1");
	assert_field(recs[0], ut_user, "");
	assert_field(recs[0], ut_host, "");
	n = read_records(fx->wtmp, recs, MAX_RECORDS);
	assert_int_equal(n, 2);
	assert_int_equal(recs[0].ut_type, INIT_PROCESS);
	assert_field(recs[0], ut_host, kernel_release());

	/* getty turned it into a login, login into a user session. */
	put_raw(fx->utmp, NULL, USER_PROCESS, "root", "1", "tty1", 4242);

	assert_int_equal(utmp_records_process_dead(fx->rec, 4242), 1);
	n = read_records(fx->utmp, recs, MAX_RECORDS);
	assert_int_equal(n, 2);
	assert_int_equal(recs[0].ut_type, DEAD_PROCESS);
	assert_int_equal(recs[0].ut_pid, 4242);
	assert_field(recs[0], ut_id, "1");
	assert_field(recs[0], ut_line, "tty1");
	assert_field(recs[0], ut_user, "");
	assert_field(recs[0], ut_host, "");
	assert_int_equal(recs[1].ut_type, INIT_PROCESS);   /* untouched */
	n = read_records(fx->wtmp, recs, MAX_RECORDS);
	assert_int_equal(n, 3);
	assert_int_equal(recs[2].ut_type, DEAD_PROCESS);
	assert_int_equal(recs[2].ut_pid, 4242);
	assert_field(recs[2], ut_line, "tty1");
	assert_field(recs[2], ut_user, "");

	/* Already dead, or never there: nothing to do. */
	assert_int_equal(utmp_records_process_dead(fx->rec, 4242), 0);
	assert_int_equal(utmp_records_process_dead(fx->rec, 9999), 0);
	assert_int_equal(read_records(fx->wtmp, recs, MAX_RECORDS), 3);

	/* A new INIT_PROCESS for the same id re-uses the dead slot. */
	assert_int_equal(utmp_records_init_process(fx->rec, "1", "tty1", 5000), 0);
	n = read_records(fx->utmp, recs, MAX_RECORDS);
	assert_int_equal(n, 2);
	assert_int_equal(recs[0].ut_type, INIT_PROCESS);
	assert_int_equal(recs[0].ut_pid, 5000);

	errno = 0;
	assert_int_equal(utmp_records_init_process(fx->rec, "", "tty1", 1), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(utmp_records_init_process(fx->rec, "1", "tty1", 0), -1);
	assert_int_equal(utmp_records_process_dead(fx->rec, 0), 0);
	assert_int_equal(utmp_records_process_dead(fx->rec, -1), 0);
}

/* Upstart matched the pid alone and could overwrite a RUN_LVL record
 * whose encoded ut_pid equals a dead pid: this one survives. */
static void
test_dead_never_clobbers_runlevel(void **state)
{
	Fixture *fx = *state;
	struct utmpx recs[MAX_RECORDS];
	char cur, prev;
	size_t n;

	/* Upstart-style record: ut_pid 50 is runlevel 2 with no previous. */
	put_raw(fx->utmp, NULL, RUN_LVL, "runlevel", "~~", "~", 50);
	put_raw(fx->utmp, NULL, BOOT_TIME, "reboot", "~~", "~", 50);
	assert_int_equal(utmp_records_process_dead(fx->rec, 50), 0);
	n = read_records(fx->utmp, recs, MAX_RECORDS);
	assert_int_equal(n, 2);
	assert_int_equal(recs[0].ut_type, RUN_LVL);
	assert_int_equal(recs[0].ut_pid, 50);
	assert_int_equal(recs[1].ut_type, BOOT_TIME);
	assert_int_equal(utmp_records_runlevel(fx->utmp, &cur, &prev), 0);
	assert_int_equal(cur, '2');
	assert_int_equal(prev, 'N');
	assert_int_equal(file_size(fx->wtmp), 0);

	/* A real process with that pid after it: only that one is marked. */
	put_raw(fx->utmp, NULL, LOGIN_PROCESS, "LOGIN", "2", "tty2", 50);
	assert_int_equal(utmp_records_process_dead(fx->rec, 50), 1);
	n = read_records(fx->utmp, recs, MAX_RECORDS);
	assert_int_equal(n, 3);
	assert_int_equal(recs[0].ut_type, RUN_LVL);
	assert_int_equal(recs[0].ut_pid, 50);
	assert_int_equal(recs[2].ut_type, DEAD_PROCESS);
	assert_field(recs[2], ut_line, "tty2");

	/* Our own encoding: pid '2' + 256 * 'N'. */
	assert_int_equal(utmp_records_runlevel_change(fx->rec, '3', 'N'), 0);
	assert_int_equal(utmp_records_process_dead(fx->rec, '3' + 256 * 'N'), 0);
	assert_int_equal(utmp_records_runlevel(fx->utmp, &cur, &prev), 0);
	assert_int_equal(cur, '3');
}

/* A session login wrote is closed in `last` by our DEAD_PROCESS. */
static void
test_dead_closes_session_in_last(void **state)
{
	Fixture *fx = *state;
	struct utmpx recs[MAX_RECORDS];
	char date[64], *out;

	assert_int_equal(utmp_records_boot(fx->rec), 0);
	assert_int_equal(utmp_records_runlevel_change(fx->rec, '2', 'N'), 0);
	assert_int_equal(utmp_records_init_process(fx->rec, "1", "tty1", 4242), 0);
	put_raw(fx->utmp, fx->wtmp, USER_PROCESS, "root", "1", "tty1", 4242);
	assert_int_equal(utmp_records_process_dead(fx->rec, 4242), 1);

	shift_times(fx->wtmp, -3600);
	read_records(fx->wtmp, recs, MAX_RECORDS);
	last_date(recs[3].ut_tv.tv_sec, date, sizeof date);
	out = run_last(fx->wtmp);
	assert_line_matches(out, "^root     tty1 +%s - [0-9]{2}:[0-9]{2}  \\(00:00\\)$",
			    date);
	assert_no_line_matches(out, "still logged in");
	free(out);
}

/* ---- delayed writes ----------------------------------------------------- */

static void
make_missing_dir(Fixture *fx)
{
	assert_int_equal(mkdir(fx->missing_dir, 0755), 0);
	touch(fx->missing_utmp);
	touch(fx->missing_wtmp);
}

static void
test_delayed_write(void **state)
{
	Fixture *fx = *state;
	UtmpRecords *rec = utmp_records_new(fx->missing_utmp, fx->missing_wtmp);
	struct utmpx recs[MAX_RECORDS];
	struct timeval before;
	char cur, prev, *out;

	assert_non_null(rec);
	gettimeofday(&before, NULL);
	errno = 0;
	assert_int_equal(utmp_records_boot(rec), -1);
	assert_int_equal(errno, ENOENT);
	assert_true(utmp_records_pending(rec));
	assert_int_equal(utmp_records_runlevel_change(rec, '2', 'N'), -1);
	assert_int_equal(utmp_records_flush(rec), -1);
	assert_int_equal(utmp_records_process_dead(rec, 1234), -1);
	assert_true(utmp_records_pending(rec));

	/* /var is mounted. */
	make_missing_dir(fx);
	assert_int_equal(utmp_records_flush(rec), 0);
	assert_false(utmp_records_pending(rec));
	assert_int_equal(read_records(fx->missing_utmp, recs, MAX_RECORDS), 2);
	assert_init_record(&recs[0], BOOT_TIME, "reboot", "~", 0);
	assert_init_record(&recs[1], RUN_LVL, "runlevel", "~", '2' + 256 * 'N');
	assert_int_equal(read_records(fx->missing_wtmp, recs, MAX_RECORDS), 2);
	assert_init_record(&recs[0], BOOT_TIME, "reboot", "~", 0);
	assert_init_record(&recs[1], RUN_LVL, "runlevel", "~", '2' + 256 * 'N');
	/* The records keep the time of the event. */
	assert_true(recs[0].ut_tv.tv_sec >= before.tv_sec);
	assert_true(recs[0].ut_tv.tv_sec <= recs[1].ut_tv.tv_sec);
	assert_int_equal(utmp_records_runlevel(fx->missing_utmp, &cur, &prev), 0);
	assert_int_equal(cur, '2');
	out = run_who("-b", fx->missing_utmp);
	assert_line_matches(out, "^ +system boot  ");
	free(out);

	/* Flushing again writes nothing more. */
	assert_int_equal(utmp_records_flush(rec), 0);
	assert_int_equal(read_records(fx->missing_wtmp, recs, MAX_RECORDS), 2);
	utmp_records_free(rec);
}

/* Only the latest runlevel waits; any later write brings the delayed
 * records in first, in order. */
static void
test_delayed_before_other_records(void **state)
{
	Fixture *fx = *state;
	UtmpRecords *rec = utmp_records_new(fx->missing_utmp, fx->missing_wtmp);
	struct utmpx recs[MAX_RECORDS];

	assert_non_null(rec);
	assert_int_equal(utmp_records_boot(rec), -1);
	assert_int_equal(utmp_records_runlevel_change(rec, 'S', 'N'), -1);
	assert_int_equal(utmp_records_runlevel_change(rec, '2', 'S'), -1);
	make_missing_dir(fx);

	assert_int_equal(utmp_records_init_process(rec, "1", "tty1", 77), 0);
	assert_false(utmp_records_pending(rec));
	assert_int_equal(read_records(fx->missing_wtmp, recs, MAX_RECORDS), 3);
	assert_int_equal(recs[0].ut_type, BOOT_TIME);
	assert_int_equal(recs[1].ut_type, RUN_LVL);
	assert_int_equal(recs[1].ut_pid, '2' + 256 * 'S');
	assert_int_equal(recs[2].ut_type, INIT_PROCESS);
	assert_int_equal(read_records(fx->missing_utmp, recs, MAX_RECORDS), 3);
	assert_int_equal(recs[0].ut_type, BOOT_TIME);
	assert_int_equal(recs[1].ut_type, RUN_LVL);
	assert_int_equal(recs[2].ut_type, INIT_PROCESS);
	utmp_records_free(rec);
}

/* One file writable, the other not: each keeps its own pending records. */
static void
test_delayed_one_file(void **state)
{
	Fixture *fx = *state;
	UtmpRecords *rec = utmp_records_new(fx->utmp, fx->missing_wtmp);
	struct utmpx recs[MAX_RECORDS];

	assert_non_null(rec);
	assert_int_equal(utmp_records_boot(rec), -1);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(utmp_records_runlevel_change(rec, '2', 'N'), -1);
	assert_int_equal(read_records(fx->utmp, recs, MAX_RECORDS), 2);
	assert_true(utmp_records_pending(rec));
	make_missing_dir(fx);
	assert_int_equal(utmp_records_flush(rec), 0);
	assert_int_equal(read_records(fx->utmp, recs, MAX_RECORDS), 2);
	assert_int_equal(read_records(fx->missing_wtmp, recs, MAX_RECORDS), 2);
	utmp_records_free(rec);
}

/* A read-only file.  Root writes it anyway, so as root there is nothing
 * to see (not skip(): tests/run counts cmocka's "not ok # SKIP" as a
 * failure). */
static void
test_readonly_file(void **state)
{
	Fixture *fx = *state;
	struct utmpx recs[MAX_RECORDS];

	if (geteuid() == 0)
		return;
	assert_int_equal(chmod(fx->wtmp, 0444), 0);
	errno = 0;
	assert_int_equal(utmp_records_boot(fx->rec), -1);
	assert_int_equal(errno, EACCES);
	assert_true(utmp_records_pending(fx->rec));
	assert_int_equal(read_records(fx->utmp, recs, MAX_RECORDS), 1);
	assert_int_equal(chmod(fx->wtmp, 0644), 0);
	assert_int_equal(utmp_records_flush(fx->rec), 0);
	assert_int_equal(read_records(fx->wtmp, recs, MAX_RECORDS), 1);
	assert_int_equal(recs[0].ut_type, BOOT_TIME);
}

/* A utmp emptied after boot (Debian's bootmisc.sh) gets boot and
 * runlevel back at the next flush; wtmp gets nothing twice. */
static void
test_emptied_utmp_refilled(void **state)
{
	Fixture *fx = *state;
	struct utmpx recs[MAX_RECORDS];
	char cur, prev;

	assert_int_equal(utmp_records_boot(fx->rec), 0);
	assert_int_equal(utmp_records_runlevel_change(fx->rec, '2', 'N'), 0);
	assert_int_equal(truncate(fx->utmp, 0), 0);
	assert_int_equal(utmp_records_flush(fx->rec), 0);
	assert_int_equal(read_records(fx->utmp, recs, MAX_RECORDS), 2);
	assert_int_equal(recs[0].ut_type, BOOT_TIME);
	assert_int_equal(recs[1].ut_type, RUN_LVL);
	assert_int_equal(utmp_records_runlevel(fx->utmp, &cur, &prev), 0);
	assert_int_equal(cur, '2');
	assert_int_equal(prev, 'N');
	assert_int_equal(read_records(fx->wtmp, recs, MAX_RECORDS), 2);
}

/* A lock held by another process makes writes fail at once (EAGAIN)
 * instead of waiting; the records are written once it is released. */
static void
test_locked_file(void **state)
{
	Fixture *fx = *state;
	struct utmpx recs[MAX_RECORDS];
	struct timespec t0, t1;
	int ready[2], release[2];
	char c;
	pid_t pid;

	assert_int_equal(pipe(ready), 0);
	assert_int_equal(pipe(release), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
		int fd = open(fx->utmp, O_RDWR);

		if (fd < 0 || fcntl(fd, F_SETLK, &fl) < 0)
			_exit(1);
		(void)!write(ready[1], "x", 1);
		(void)!read(release[0], &c, 1);
		_exit(0);
	}
	assert_int_equal(read(ready[0], &c, 1), 1);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	errno = 0;
	assert_int_equal(utmp_records_runlevel_change(fx->rec, '2', 'N'), -1);
	assert_int_equal(errno, EAGAIN);
	assert_int_equal(utmp_records_runlevel(fx->utmp, NULL, NULL), -1);
	assert_int_equal(errno, EAGAIN);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_true(t1.tv_sec - t0.tv_sec < 2);
	assert_true(utmp_records_pending(fx->rec));
	assert_int_equal(read_records(fx->wtmp, recs, MAX_RECORDS), 1);

	assert_int_equal(write(release[1], "x", 1), 1);
	assert_int_equal(waitpid(pid, NULL, 0), pid);
	assert_int_equal(utmp_records_flush(fx->rec), 0);
	assert_int_equal(read_records(fx->utmp, recs, MAX_RECORDS), 1);
	assert_int_equal(recs[0].ut_type, RUN_LVL);
	close(ready[0]);
	close(ready[1]);
	close(release[0]);
	close(release[1]);
}

/* ---- the reader --------------------------------------------------------- */

static void
test_reader_missing_empty_shutdown(void **state)
{
	Fixture *fx = *state;
	char path[256], cur = 'x', prev = 'x';

	snprintf(path, sizeof path, "%s/nonexistent", fx->dir);
	errno = 0;
	assert_int_equal(utmp_records_runlevel(path, &cur, &prev), -1);
	assert_int_equal(errno, ENOENT);

	errno = 0;
	assert_int_equal(utmp_records_runlevel(fx->utmp, &cur, &prev), -1);
	assert_int_equal(errno, ESRCH);

	/* Only other records. */
	put_raw(fx->utmp, NULL, BOOT_TIME, "reboot", "~~", "~", 0);
	put_raw(fx->utmp, NULL, LOGIN_PROCESS, "LOGIN", "1", "tty1", 99);
	assert_int_equal(utmp_records_runlevel(fx->utmp, &cur, &prev), -1);
	assert_int_equal(errno, ESRCH);

	/* Upstart's and sysvinit's shutdown records. */
	put_raw(fx->utmp, NULL, RUN_LVL, "shutdown", "~~", "~", 0);
	assert_int_equal(utmp_records_runlevel(fx->utmp, &cur, &prev), -1);
	assert_int_equal(errno, ESRCH);
	put_raw(fx->utmp, NULL, RUN_LVL, "shutdown", "~~", "~~", 0);
	assert_int_equal(utmp_records_runlevel(fx->utmp, &cur, &prev), -1);
	assert_int_equal(errno, ESRCH);
	assert_int_equal(cur, 'x');   /* untouched on failure */

	/* A directory and a FIFO: refused without blocking. */
	assert_int_equal(utmp_records_runlevel(fx->dir, &cur, &prev), -1);
	snprintf(path, sizeof path, "%s/fifo", fx->dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_int_equal(utmp_records_runlevel(path, &cur, &prev), -1);
	assert_int_equal(errno, EINVAL);
	{
		UtmpRecords *rec = utmp_records_new(path, path);

		assert_non_null(rec);
		assert_int_equal(utmp_records_runlevel_change(rec, '2', 'N'), -1);
		assert_int_equal(errno, EINVAL);
		assert_int_equal(utmp_records_process_dead(rec, 5), -1);
		utmp_records_free(rec);
	}
}

/* sysvinit's runlevel uses the first RUN_LVL record of the file. */
static void
test_reader_first_record(void **state)
{
	Fixture *fx = *state;
	struct utmpx ut[2];
	char cur, prev;
	int fd;

	memset(ut, 0, sizeof ut);
	ut[0].ut_type = RUN_LVL;
	ut[0].ut_pid = '3' + 256 * '2';
	strcpy(ut[0].ut_user, "runlevel");
	ut[1] = ut[0];
	ut[1].ut_pid = '5' + 256 * '3';
	fd = open(fx->utmp, O_WRONLY | O_TRUNC);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, ut, sizeof ut), sizeof ut);
	close(fd);
	assert_int_equal(utmp_records_runlevel(fx->utmp, &cur, &prev), 0);
	assert_int_equal(cur, '3');
	assert_int_equal(prev, '2');
}

/* Random bytes, of sizes that are not whole records, crash nothing. */
static void
test_garbage_files(void **state)
{
	Fixture *fx = *state;
	static const size_t sizes[] = {
		1, 7, 100, 383, 384, 385, 767, 1000, 4097, 384 * 20 + 3,
	};
	unsigned int seed = 12345;

	for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
		for (int round = 0; round < 20; round++) {
			unsigned char *buf = malloc(sizes[s]);
			UtmpRecords *rec;
			char cur = 0, prev = 0;
			int fd, ret;

			assert_non_null(buf);
			for (size_t i = 0; i < sizes[s]; i++)
				buf[i] = (unsigned char)rand_r(&seed);
			/* Some rounds with RUN_LVL type, to reach the decoder. */
			if (round % 2 && sizes[s] >= sizeof(struct utmpx)) {
				struct utmpx *ut = (struct utmpx *)buf;

				ut->ut_type = RUN_LVL;
			}
			fd = open(fx->utmp, O_WRONLY | O_TRUNC);
			assert_true(fd >= 0);
			assert_int_equal(write(fd, buf, sizes[s]), (ssize_t)sizes[s]);
			close(fd);
			fd = open(fx->wtmp, O_WRONLY | O_TRUNC);
			assert_true(fd >= 0);
			assert_int_equal(write(fd, buf, sizes[s]), (ssize_t)sizes[s]);
			close(fd);

			ret = utmp_records_runlevel(fx->utmp, &cur, &prev);
			if (ret == 0) {
				assert_non_null(strchr("0123456789Ss", cur));
				assert_non_null(strchr("0123456789SsN", prev));
			} else {
				assert_int_equal(errno, ESRCH);
			}
			rec = utmp_records_new(fx->utmp, fx->wtmp);
			assert_non_null(rec);
			utmp_records_process_dead(rec, 4242);
			utmp_records_process_dead(rec, (pid_t)(rand_r(&seed) & 0x7fffffff) + 1);
			utmp_records_init_process(rec, "1", "tty1", 4242);
			utmp_records_process_dead(rec, 4242);
			assert_int_equal(utmp_records_runlevel_change(rec, '2', 'N'), 0);
			assert_int_equal(utmp_records_runlevel(fx->utmp, &cur, &prev) == 0 ||
					 errno == ESRCH, 1);
			utmp_records_free(rec);
			free(buf);
		}
	}
}

/* ---- /var/run/runlevel -------------------------------------------------- */

static void
test_runlevel_file(void **state)
{
	Fixture *fx = *state;
	char path[256], bad[300], buf[8], level;
	struct stat st;
	int fd;

	snprintf(path, sizeof path, "%s/runlevel", fx->dir);
	assert_int_equal(utmp_records_write_runlevel_file(path, '2'), 0);
	fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(read(fd, buf, sizeof buf), 1);
	assert_int_equal(buf[0], '2');
	close(fd);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
	assert_int_equal(utmp_records_read_runlevel_file(path, &level), 0);
	assert_int_equal(level, '2');

	assert_int_equal(utmp_records_write_runlevel_file(path, 's'), 0);
	assert_int_equal(utmp_records_read_runlevel_file(path, &level), 0);
	assert_int_equal(level, 'S');
	assert_int_equal(file_size(path), 1);

	errno = 0;
	assert_int_equal(utmp_records_write_runlevel_file(path, 'x'), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(utmp_records_read_runlevel_file(path, &level), 0);
	assert_int_equal(level, 'S');

	/* No file, an empty file, garbage, a directory that is not there. */
	snprintf(bad, sizeof bad, "%s/none", fx->dir);
	errno = 0;
	assert_int_equal(utmp_records_read_runlevel_file(bad, &level), -1);
	assert_int_equal(errno, ENOENT);
	touch(bad);
	assert_int_equal(utmp_records_read_runlevel_file(bad, &level), -1);
	assert_int_equal(errno, EINVAL);
	fd = open(bad, O_WRONLY);
	assert_int_equal(write(fd, "x\n", 2), 2);
	close(fd);
	assert_int_equal(utmp_records_read_runlevel_file(bad, &level), -1);
	assert_int_equal(errno, EINVAL);
	snprintf(bad, sizeof bad, "%s/runlevel", fx->missing_dir);
	assert_int_equal(utmp_records_write_runlevel_file(bad, '3'), -1);
	assert_int_equal(errno, ENOENT);
}

/* ---- re-exec ------------------------------------------------------------ */

static void
test_serialise(void **state)
{
	Fixture *fx = *state;
	UtmpRecords *rec = utmp_records_new(fx->missing_utmp, fx->missing_wtmp);
	UtmpRecords *copy;
	struct utmpx before[MAX_RECORDS], after[MAX_RECORDS];
	json_object *json, *bad;

	assert_non_null(rec);
	utmp_records_boot(rec);
	utmp_records_runlevel_change(rec, '2', 'N');
	json = utmp_records_serialise(rec);
	assert_non_null(json);
	utmp_records_free(rec);

	copy = utmp_records_new(fx->missing_utmp, fx->missing_wtmp);
	assert_non_null(copy);
	assert_int_equal(utmp_records_deserialise(copy, json), 0);
	assert_true(utmp_records_pending(copy));
	make_missing_dir(fx);
	assert_int_equal(utmp_records_flush(copy), 0);
	assert_int_equal(read_records(fx->missing_wtmp, after, MAX_RECORDS), 2);
	assert_int_equal(after[0].ut_type, BOOT_TIME);
	assert_int_equal(after[1].ut_pid, '2' + 256 * 'N');
	assert_int_equal(after[0].ut_tv.tv_sec,
			 json_object_get_int64(json_object_object_get(json, "boot_sec")));
	/* The restored runlevel is what refills an emptied utmp. */
	assert_int_equal(truncate(fx->missing_utmp, 0), 0);
	assert_int_equal(utmp_records_flush(copy), 0);
	assert_int_equal(read_records(fx->missing_utmp, before, MAX_RECORDS), 2);
	assert_int_equal(before[1].ut_pid, '2' + 256 * 'N');
	json_object_put(json);

	bad = json_tokener_parse("{\"v\":2}");
	errno = 0;
	assert_int_equal(utmp_records_deserialise(copy, bad), -1);
	assert_int_equal(errno, EINVAL);
	json_object_put(bad);
	bad = json_tokener_parse("[1,2]");
	assert_int_equal(utmp_records_deserialise(copy, bad), -1);
	json_object_put(bad);
	assert_int_equal(utmp_records_deserialise(copy, NULL), -1);
	utmp_records_free(copy);
}

static void
test_default_paths(void **state)
{
	UtmpRecords *rec = utmp_records_new(NULL, NULL);

	assert_non_null(rec);
	assert_string_equal(utmp_records_utmp_path(rec), _PATH_UTMP);
	assert_string_equal(utmp_records_wtmp_path(rec), _PATH_WTMP);
	utmp_records_free(rec);
	utmp_records_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(test_boot_and_runlevel),
		T(test_level_encoding),
		T(test_level_invalid),
		T(test_upstart_encoding_read),
		T(test_shutdown_record),
		T(test_init_and_dead_process),
		T(test_dead_never_clobbers_runlevel),
		T(test_dead_closes_session_in_last),
		T(test_delayed_write),
		T(test_delayed_before_other_records),
		T(test_delayed_one_file),
		T(test_readonly_file),
		T(test_emptied_utmp_refilled),
		T(test_locked_file),
		T(test_reader_missing_empty_shutdown),
		T(test_reader_first_record),
		T(test_garbage_files),
		T(test_runlevel_file),
		T(test_serialise),
		cmocka_unit_test(test_default_paths),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
