/* rc_sched — when each step of a phase may run.  See rc_sched.h. */
#include "sysv/rc_sched.h"

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

size_t
rc_sched_default_limit(const char *meminfo)
{
	FILE *f = fopen(meminfo ? meminfo : "/proc/meminfo", "re");
	char line[256];
	unsigned long kb = 0;
	size_t limit;

	if (!f)
		return LIMIT_MIN;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "MemAvailable: %lu kB", &kb) == 1)
			break;
	fclose(f);
	limit = (size_t)(kb / (BYTES_PER_SLOT / 1024));
	if (limit < LIMIT_MIN)
		return LIMIT_MIN;
	return limit > LIMIT_MAX ? LIMIT_MAX : limit;
}
