/* libFuzzer target: restoring the re-exec state document
 * (state_deserialise(), init/state.h), with the SysV layer's sections.
 *
 * The input is the document's text.  A restore takes over descriptors the
 * document names, so the harness gives it real ones to name, made afresh
 * for every input (a restore may take them over, and the teardown closes
 * what it took):
 *
 *   100        an unbound SOCK_SEQPACKET socket   (control.listen_fd)
 *   101-103    sockets whose peer is closed       (control.clients records)
 *   110-113    read ends of pipes                 (jobs[].spawn_fds, fifo.fd)
 *   120-121    pty masters                        (logs.logs[].master)
 *
 * The seeds in corpus/state/ name them.  After each restore:
 *   - init's standard streams are still open and still the same files (a
 *     document naming 0, 1 or 2 must not get them closed or read);
 *   - no job has a pid of 1 or below, and every spawn report descriptor
 *     held is a pipe above 2;
 *   - the state serialises again;
 * then state_discard() tears everything down, and nothing may be left: no
 * job, no queued event, no registered class.  LeakSanitizer reports what
 * the restore allocated and the teardown did not free.
 */
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "init/event.h"
#include "init/job.h"
#include "init/job_log.h"
#include "init/log.h"
#include "init/loop.h"
#include "init/main.h"
#include "init/registry.h"
#include "init/state.h"
#include "sysv/initctl_fifo.h"
#include "sysv/sysv_plugin.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { FD_LISTEN = 100, FD_CLIENT = 101, FD_PIPE = 110, FD_PTY = 120 };

static struct stat streams[3];

/* Put `fd` at `at` (closing whatever was there), or abort. */
static void
place(int fd, int at)
{
	if (fd < 0 || dup2(fd, at) != at)
		abort();
	if (fd != at)
		close(fd);
}

static void
make_descriptors(void)
{
	int pair[2], p[2];

	place(socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0), FD_LISTEN);
	for (int i = 0; i < 3; i++) {
		if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) < 0)
			abort();
		close(pair[1]);
		place(pair[0], FD_CLIENT + i);
	}
	for (int i = 0; i < 4; i++) {
		if (pipe2(p, O_CLOEXEC) < 0)
			abort();
		close(p[1]);
		place(p[0], FD_PIPE + i);
	}
	for (int i = 0; i < 2; i++) {
		int m = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);

		if (m < 0 || grantpt(m) < 0 || unlockpt(m) < 0)
			abort();
		place(m, FD_PTY + i);
	}
}

static void
check_streams(void)
{
	for (int fd = 0; fd < 3; fd++) {
		struct stat st;

		if (fstat(fd, &st) < 0 || st.st_dev != streams[fd].st_dev ||
		    st.st_ino != streams[fd].st_ino)
			abort();
	}
}

static void
check_job(Job *job, void *data)
{
	struct stat st;

	(void)data;
	for (int t = 0; t < PROCESS_COUNT; t++) {
		if (job->pid[t] < 0 || job->pid[t] == 1)
			abort();
		if (job->spawn[t].fd >= 0 &&
		    (job->spawn[t].fd <= 2 || fstat(job->spawn[t].fd, &st) < 0 ||
		     !S_ISFIFO(st.st_mode)))
			abort();
	}
}

static void
count_job(Job *job, void *data)
{
	(void)job;
	++*(size_t *)data;
}

static char workdir[] = "/tmp/fuzz_state.XXXXXX";
static int home_fd = -1, work_fd = -1;

static int
remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	remove(path);
	return 0;
}

static void
remove_workdir(void)
{
	nftw(workdir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const InitContext ctx = { .pid1 = false, .user = true };

	(void)argc;
	(void)argv;
	for (int fd = 0; fd < 3; fd++)
		if (fstat(fd, &streams[fd]) < 0)
			abort();
	log_set_priority(LOG_PRIO_FATAL);
	/* A document names log files, FIFOs and job paths: whatever the
	 * restore makes of them lands in a directory of our own, not where
	 * the fuzzer was started.  Only while an input runs: libFuzzer
	 * reads its corpus by the paths it was given. */
	if (!mkdtemp(workdir) || job_log_set_dir(workdir) < 0 ||
	    (home_fd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0 ||
	    (work_fd = open(workdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		abort();
	atexit(remove_workdir);
	if (loop_init() < 0)
		abort();
	/* The SysV layer adds its sections (runlevel, /run/initctl). */
	sysv_plugin.setup(&ctx);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *doc, *again;
	size_t jobs = 0;

	if (!tok)
		abort();
	doc = json_tokener_parse_ex(tok, (const char *)data, (int)(size > INT32_MAX ? INT32_MAX : size));
	json_tokener_free(tok);
	if (!doc)
		return 0;
	if (fchdir(work_fd) < 0)
		abort();
	make_descriptors();
	state_deserialise(doc);
	json_object_put(doc);
	check_streams();
	job_foreach(check_job, NULL);
	if (!(again = state_serialise()))
		abort();
	json_object_put(again);

	state_discard();
	initctl_fifo_close();
	job_foreach(count_job, &jobs);
	if (jobs || event_next(NULL) || registry_next(NULL))
		abort();
	check_streams();
	if (fchdir(home_fd) < 0)
		abort();
	return 0;
}
