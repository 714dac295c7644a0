/* rc_plan — what a runlevel change runs.  See rc_plan.h. */
#include "sysv/rc_plan.h"

#include <stdlib.h>
#include <string.h>

bool
rc_level_halts(char run)
{
	return run == '0' || run == '6';
}

static int
add_step(RcPhase *phase, const RcLink *link, const char *action, bool interactive)
{
	RcStep *steps = reallocarray(phase->steps, phase->len + 1, sizeof *steps);
	RcStep *s;

	if (!steps)
		return -1;
	phase->steps = steps;
	s = &steps[phase->len];
	*s = (RcStep){ .action = action, .interactive = interactive };
	if (!(s->name = strdup(link->name)) || !(s->path = strdup(link->path))) {
		free(s->name);
		free(s->path);
		return -1;
	}
	phase->len++;
	return 0;
}

static const RcLink *
find_link(const RcDir *dir, char kind, const char *name)
{
	for (size_t i = 0; i < dir->len; i++)
		if (dir->links[i].kind == kind && !strcmp(dir->links[i].name, name))
			return &dir->links[i];
	return NULL;
}

/* LEGACY: every `kind` link of the directory, each after the one before. */
static int
legacy_phase(const RcDir *dir, char kind, const char *action, RcPhase *phase)
{
	for (size_t i = 0; i < dir->len; i++) {
		RcStep *s;

		if (dir->links[i].kind != kind)
			continue;
		if (add_step(phase, &dir->links[i], action, false) < 0)
			return -1;
		s = &phase->steps[phase->len - 1];
		if (phase->len > 1) {
			if (!(s->after = malloc(sizeof *s->after)))
				return -1;
			s->after[0] = phase->len - 2;
			s->nafter = 1;
		}
	}
	return 0;
}

/* DEPEND: the nodes of `graph` with a `kind` link in rcRUN.d and none in
 * rcPREV.d (when `skip_prev`), in the graph's order; then each step's
 * edges to the steps kept. */
static int
depend_phase(const RcSources *src, const RcDepend *graph, char kind, bool skip_prev,
	     const char *action, RcPhase *phase)
{
	ssize_t *step_of;
	int ret = 0;

	if (!graph)
		return 0;
	if (!(step_of = malloc((graph->len + 1) * sizeof *step_of)))
		return -1;
	for (size_t i = 0; i < graph->len; i++) {
		const RcDependNode *n = &graph->nodes[i];
		const RcLink *link = find_link(src->run_dir, kind, n->name);

		step_of[i] = -1;
		if (!link || (skip_prev && src->prev_dir && rc_dir_has(src->prev_dir, kind, n->name)))
			continue;
		if (add_step(phase, link, action, n->interactive) < 0) {
			ret = -1;
			break;
		}
		step_of[i] = (ssize_t)phase->len - 1;
	}
	for (size_t i = 0; ret == 0 && i < graph->len; i++) {
		const RcDependNode *n = &graph->nodes[i];
		RcStep *s;

		if (step_of[i] < 0 || !n->nafter)
			continue;
		s = &phase->steps[step_of[i]];
		if (!(s->after = calloc(n->nafter, sizeof *s->after))) {
			ret = -1;
			break;
		}
		for (size_t k = 0; k < n->nafter; k++)
			if (step_of[n->after[k]] >= 0)
				s->after[s->nafter++] = (size_t)step_of[n->after[k]];
	}
	free(step_of);
	return ret;
}

static int
build(const RcSources *src, char prev, char run, RcPlan *plan)
{
	bool halts = rc_level_halts(run);
	bool depend = src->order == RC_ORDER_DEPEND;
	RcPhase *phase;

	if (!src->run_dir || !src->run_dir->exists)
		return 0;
	/* 1: the K scripts of a change between two running levels. */
	if (prev != 'N' && !halts) {
		phase = &plan->phases[plan->nphases++];
		if (depend ? depend_phase(src, src->stop, 'K', true, "stop", phase)
			   : legacy_phase(src->run_dir, 'K', "stop", phase))
			return -1;
	}
	/* 2: the level's own scripts. */
	phase = &plan->phases[plan->nphases++];
	if (!depend)
		return legacy_phase(src->run_dir, 'S', halts ? "stop" : "start", phase);
	if (run == 'S')
		return depend_phase(src, src->boot, 'S', false, "start", phase);
	if (halts)
		return depend_phase(src, src->stop, 'K', true, "stop", phase);
	return depend_phase(src, src->start, 'S', true, "start", phase);
}

int
rc_plan_build(const RcSources *src, char prev, char run, RcPlan *plan)
{
	memset(plan, 0, sizeof *plan);
	plan->prev = prev;
	plan->run = run;
	if (build(src, prev, run, plan) < 0) {
		rc_plan_free(plan);
		return -1;
	}
	return 0;
}

void
rc_plan_free(RcPlan *plan)
{
	for (size_t p = 0; p < plan->nphases; p++) {
		RcPhase *phase = &plan->phases[p];

		for (size_t i = 0; i < phase->len; i++) {
			free(phase->steps[i].name);
			free(phase->steps[i].path);
			free(phase->steps[i].after);
		}
		free(phase->steps);
	}
	memset(plan, 0, sizeof *plan);
}
