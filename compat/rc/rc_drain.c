/* rc_drain — SysV daemons' cgroups emptied before killall5.  See rc_drain.h. */
#include "rc/rc_drain.h"

#include <dirent.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "lib/proto.h"
#include "lib/strlist.h"

#define SYSV_PREFIX "sysv/"
/* How init names the cgroup of job sysv/NAME: its "/" escaped. */
#define SYSV_CGROUP "/sysv\\x2f"

/* The names of the running sysv/NAME jobs, from `initctl list`. */
static void
running_jobs(const char *socket, StrList *names)
{
	struct json_object *msg = proto_request_new("list"), *reply = NULL, *lines;
	int fd = msg ? proto_connect(socket) : -1;

	if (fd >= 0 && proto_send(fd, msg, 0) == 0 && proto_recv_reply(fd, &reply) == 1 &&
	    json_object_object_get_ex(reply, "lines", &lines)) {
		for (size_t i = 0; i < json_object_array_length(lines); i++) {
			const char *line = json_object_get_string(json_object_array_get_idx(lines, i));
			const char *sp = line ? strstr(line, " start/") : NULL;

			if (sp && !strncmp(line, SYSV_PREFIX, strlen(SYSV_PREFIX))) {
				char *name = strndup(line + strlen(SYSV_PREFIX),
						     (size_t)(sp - line) - strlen(SYSV_PREFIX));

				if (name && !strchr(name, ' '))
					strlist_push(names, name);
				free(name);
			}
		}
	}
	json_object_put(msg);
	json_object_put(reply);
	if (fd >= 0)
		close(fd);
}

static bool
in_plan(const RcPlan *plan, const char *name)
{
	for (size_t p = 0; p < plan->nphases; p++)
		for (size_t i = 0; i < plan->phases[p].len; i++)
			if (!strcmp(plan->phases[p].steps[i].name, name))
				return true;
	return false;
}

/* The job sysv/NAME whose cgroup holds process `pid`, into `names`. */
static void
job_of_pid(long pid, StrList *names)
{
	char path[64], line[4096];
	FILE *f;

	snprintf(path, sizeof path, "/proc/%ld/cgroup", pid);
	if (!(f = fopen(path, "re")))
		return;
	while (fgets(line, sizeof line, f)) {
		char *at;

		if (strncmp(line, "0::", 3) || !(at = strstr(line, SYSV_CGROUP)))
			continue;
		at += strlen(SYSV_CGROUP);
		at[strcspn(at, "/\n")] = '\0';
		strlist_push(names, at);
	}
	fclose(f);
}

/* The jobs holding a process some file of `dir` names (one pid a line,
 * or several on one line, as the files in sendsigs.omit.d have them). */
static void
omitted_jobs(const char *dir, StrList *names)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	while (d && (e = readdir(d))) {
		char path[4096], word[32];
		FILE *f;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		if (!(f = fopen(path, "re")))
			continue;
		while (fscanf(f, "%31s", word) == 1) {
			char *end;
			long pid = strtol(word, &end, 10);

			if (!*end && pid > 1)
				job_of_pid(pid, names);
		}
		fclose(f);
	}
	if (d)
		closedir(d);
}

/* Ask init to stop sysv/NAME, killing only; the connection, or -1. */
static int
ask_stop(const char *socket, const char *name)
{
	struct json_object *msg = proto_request_new("stop");
	char job[512];
	int fd;

	snprintf(job, sizeof job, SYSV_PREFIX "%s", name);
	proto_add_member(msg, "job", json_object_new_string(job));
	proto_add_member(msg, "env", json_object_new_array());
	proto_add_member(msg, "wait", json_object_new_boolean(true));
	proto_add_member(msg, "kill_only", json_object_new_boolean(true));
	fd = msg ? proto_connect(socket) : -1;
	if (fd >= 0 && proto_send(fd, msg, 0) < 0) {
		close(fd);
		fd = -1;
	}
	json_object_put(msg);
	return fd;
}

static long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* Wait for every answer (or the deadline); each connection is closed. */
static void
wait_answers(struct pollfd *fds, size_t n, int timeout_ms)
{
	long deadline = now_ms() + timeout_ms;
	size_t open = n;

	while (open) {
		long left = deadline - now_ms();
		int ready = left > 0 ? poll(fds, n, (int)left) : 0;

		if (ready <= 0)
			break;
		for (size_t i = 0; i < n; i++) {
			struct json_object *reply = NULL;

			if (fds[i].fd < 0 || !fds[i].revents)
				continue;
			proto_recv_reply(fds[i].fd, &reply);
			json_object_put(reply);
			close(fds[i].fd);
			fds[i].fd = -1;
			open--;
		}
	}
	for (size_t i = 0; i < n; i++)
		if (fds[i].fd >= 0)
			close(fds[i].fd);
}

int
rc_drain_jobs(const char *socket, const RcPlan *plan, const char *omit_dir, int timeout_ms)
{
	StrList running = STRLIST_INIT, spared = STRLIST_INIT;
	struct pollfd *fds;
	size_t n = 0;

	running_jobs(socket, &running);
	omitted_jobs(omit_dir, &spared);
	fds = calloc(running.len + 1, sizeof *fds);
	for (size_t i = 0; fds && i < running.len; i++) {
		const char *name = running.items[i];
		bool keep = in_plan(plan, name);

		for (size_t k = 0; !keep && k < spared.len; k++)
			keep = !strcmp(spared.items[k], name);
		if (keep)
			continue;
		if ((fds[n].fd = ask_stop(socket, name)) >= 0)
			fds[n++].events = POLLIN;
	}
	if (fds)
		wait_answers(fds, n, timeout_ms);
	free(fds);
	strlist_free(&running);
	strlist_free(&spared);
	return (int)n;
}
