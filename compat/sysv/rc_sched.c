/* rc_sched — when each step of a phase may run.  See rc_sched.h. */
#include "sysv/rc_sched.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIMIT_MIN       16
#define LIMIT_MAX       512
#define BYTES_PER_SLOT  (4UL << 20)

enum { WAITING, RUNNING, ENDED };

/* Longest chain of steps after step i (memoised; the plan is acyclic,
 * but a visit mark guards anyway). */
static size_t
chain_after(RcSched *s, size_t i, unsigned char *visiting)
{
	size_t best = 0;

	if (s->height[i] != (size_t)-1)
		return s->height[i];
	if (visiting[i])
		return 0;
	visiting[i] = 1;
	for (size_t k = 0; k < s->nnext[i]; k++) {
		size_t h = 1 + chain_after(s, s->next[i][k], visiting);

		if (h > best)
			best = h;
	}
	visiting[i] = 0;
	return s->height[i] = best;
}

int
rc_sched_init(RcSched *s, const RcPhase *phase, size_t limit)
{
	size_t n = phase->len;
	unsigned char *visiting;

	memset(s, 0, sizeof *s);
	s->phase = phase;
	s->limit = limit;
	s->state = calloc(n + 1, sizeof *s->state);
	s->left = calloc(n + 1, sizeof *s->left);
	s->height = malloc((n + 1) * sizeof *s->height);
	s->next = calloc(n + 1, sizeof *s->next);
	s->nnext = calloc(n + 1, sizeof *s->nnext);
	visiting = calloc(n + 1, 1);
	if (!s->state || !s->left || !s->height || !s->next || !s->nnext || !visiting)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		const RcStep *step = &phase->steps[i];

		s->height[i] = (size_t)-1;
		for (size_t k = 0; k < step->nafter; k++) {
			size_t before = step->after[k];
			size_t *grown;

			if (before >= n || before == i)
				continue;
			grown = reallocarray(s->next[before], s->nnext[before] + 1, sizeof *grown);
			if (!grown)
				goto fail;
			s->next[before] = grown;
			grown[s->nnext[before]++] = i;
			s->left[i]++;
		}
	}
	for (size_t i = 0; i < n; i++)
		chain_after(s, i, visiting);
	free(visiting);
	return 0;
fail:
	free(visiting);
	rc_sched_free(s);
	return -1;
}

void
rc_sched_free(RcSched *s)
{
	for (size_t i = 0; s->next && s->phase && i < s->phase->len; i++)
		free(s->next[i]);
	free(s->next);
	free(s->nnext);
	free(s->state);
	free(s->left);
	free(s->height);
	memset(s, 0, sizeof *s);
}

ssize_t
rc_sched_next(RcSched *s)
{
	ssize_t best = -1;

	if (s->alone || (s->limit && s->running >= s->limit))
		return -1;
	for (size_t i = 0; i < s->phase->len; i++) {
		if (s->state[i] != WAITING || s->left[i])
			continue;
		if (s->phase->steps[i].interactive && s->running)
			continue;
		if (best < 0 || s->height[i] > s->height[best])
			best = (ssize_t)i;
	}
	if (best >= 0) {
		s->state[best] = RUNNING;
		s->running++;
		s->alone = s->phase->steps[best].interactive;
	}
	return best;
}

void
rc_sched_ended(RcSched *s, size_t i)
{
	if (i >= s->phase->len || s->state[i] != RUNNING)
		return;
	s->state[i] = ENDED;
	s->running--;
	s->ended++;
	if (s->phase->steps[i].interactive)
		s->alone = false;
	for (size_t k = 0; k < s->nnext[i]; k++)
		if (s->left[s->next[i][k]])
			s->left[s->next[i][k]]--;
}

bool
rc_sched_finished(const RcSched *s)
{
	return s->ended == s->phase->len;
}

/* The first number in file `dir`/`name`, in *value; false when there is
 * none ("max" is none). */
static bool
read_number(const char *dir, const char *name, unsigned long long *value)
{
	char path[4096];
	FILE *f;
	bool ok;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	if (!(f = fopen(path, "re")))
		return false;
	ok = fscanf(f, "%llu", value) == 1;
	fclose(f);
	return ok;
}

/* Bytes our memory cgroup still allows, or ULLONG_MAX for no limit. */
static unsigned long long
cgroup_room(const RcMemFiles *files)
{
	unsigned long long room = ULLONG_MAX;
	FILE *f = fopen(files->self_cgroup, "re");
	char line[4096];

	if (!f)
		return room;
	while (fgets(line, sizeof line, f)) {
		char *controllers = strchr(line, ':'), *path, dir[8192];
		unsigned long long limit, used = 0;
		bool v2;

		if (!controllers || !(path = strchr(controllers + 1, ':')))
			continue;
		*path++ = '\0';
		*controllers++ = '\0';
		path[strcspn(path, "\n")] = '\0';
		v2 = !strcmp(line, "0") && !*controllers;
		if (!v2 && !strstr(controllers, "memory"))
			continue;
		/* v1: comma-separated names; "memory" must be one of them. */
		if (!v2) {
			bool found = false;

			for (char *c = strtok(controllers, ","); c; c = strtok(NULL, ","))
				found |= !strcmp(c, "memory");
			if (!found)
				continue;
		}
		snprintf(dir, sizeof dir, "%s%s%s", files->cgroup_root, v2 ? "" : "/memory", path);
		if (v2 ? !read_number(dir, "memory.max", &limit)
		       : !read_number(dir, "memory.limit_in_bytes", &limit))
			continue;
		read_number(dir, v2 ? "memory.current" : "memory.usage_in_bytes", &used);
		if (limit - (used < limit ? used : limit) < room)
			room = limit - (used < limit ? used : limit);
	}
	fclose(f);
	return room;
}

size_t
rc_sched_default_limit(const RcMemFiles *files)
{
	static const RcMemFiles real = { "/proc/meminfo", "/proc/self/cgroup", "/sys/fs/cgroup" };
	FILE *f;
	char line[256];
	unsigned long kb = 0;
	unsigned long long room;
	size_t limit;

	if (!files)
		files = &real;
	if (!(f = fopen(files->meminfo, "re")))
		return LIMIT_MIN;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "MemAvailable: %lu kB", &kb) == 1)
			break;
	fclose(f);
	room = cgroup_room(files);
	if (room / 1024 < kb)
		kb = (unsigned long)(room / 1024);
	limit = (size_t)(kb / (BYTES_PER_SLOT / 1024));
	if (limit < LIMIT_MIN)
		return LIMIT_MIN;
	return limit > LIMIT_MAX ? LIMIT_MAX : limit;
}
