/* job_report — show-config and check-config.  See job_report.h. */
#include "init/job_report.h"

#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "init/registry.h"

static bool
is_job_event(const char *name)
{
	return !strcmp(name, "starting") || !strcmp(name, "started") ||
	       !strcmp(name, "stopping") || !strcmp(name, "stopped");
}

/* Index of the argument naming the job of a job event (first positional
 * argument, or JOB=...), -1 when none. */
static int
job_arg(const EventOperator *leaf)
{
	if (!is_job_event(leaf->name) || !leaf->args)
		return -1;
	for (int i = 0; leaf->args[i]; i++) {
		if (i == 0 && !strchr(leaf->args[i], '='))
			return 0;
		if (!strncmp(leaf->args[i], "JOB=", 4))
			return i;
	}
	return -1;
}

static const char *
job_arg_value(const EventOperator *leaf, int i)
{
	const char *a = leaf->args[i];

	return strncmp(a, "JOB=", 4) ? a : a + 4;
}

typedef struct enum_ctx {
	const char *stanza;
	JobLineFn   fn;
	void       *data;
} EnumCtx;

static void
enumerate_leaf(const EventOperator *leaf, void *data)
{
	EnumCtx *ctx = data;
	int j = job_arg(leaf);
	char line[4096];
	size_t len;

	len = (size_t)snprintf(line, sizeof line, "  %s %s (job:%s%s, env:", ctx->stanza,
			       leaf->name, j >= 0 ? " " : "",
			       j >= 0 ? job_arg_value(leaf, j) : "");
	for (int i = 0; leaf->args && leaf->args[i] && len < sizeof line; i++) {
		if (i == j)
			continue;
		len += (size_t)snprintf(line + len, sizeof line - len, " %s", leaf->args[i]);
	}
	if (len < sizeof line)
		snprintf(line + len, sizeof line - len, ")");
	ctx->fn(ctx->data, line);
}

static void
show_condition(const char *stanza, const EventOperator *op, bool enumerate,
	       JobLineFn fn, void *data)
{
	if (!op)
		return;
	if (enumerate) {
		EnumCtx ctx = { stanza, fn, data };

		event_operator_foreach_leaf(op, enumerate_leaf, &ctx);
	} else {
		char *text = event_operator_to_string(op);
		size_t n = text ? strlen(text) + strlen(stanza) + 8 : 0;
		char *line = n ? malloc(n) : NULL;

		if (line) {
			snprintf(line, n, "  %s %s", stanza, text);
			fn(data, line);
		}
		free(line);
		free(text);
	}
}

void
job_report_show_config(const JobClass *class, bool enumerate, JobLineFn fn, void *data)
{
	char line[2048];

	fn(data, class->name);
	for (size_t i = 0; i < class->nemits; i++) {
		snprintf(line, sizeof line, "  emits %s", class->emits[i]);
		fn(data, line);
	}
	show_condition("start on", class->start_on, enumerate, fn, data);
	show_condition("stop on", class->stop_on, enumerate, fn, data);
}

/* ---- check-config ---- */

static const char *const builtin_events[] = {
	"startup", "starting", "started", "stopping", "stopped",
	"control-alt-delete", "keyboard-request", "power-status-changed",
	NULL,
};

typedef struct check_ctx {
	char *const *ignored;
	size_t       nignored;
	bool         warn;
	const char  *stanza;
	JobLineFn    fn;
	void        *data;
	bool        *header_shown;
	const char  *class_name;
} CheckCtx;

static bool
event_known(const CheckCtx *ctx, const char *name)
{
	const JobClass *class = NULL;

	for (const char *const *b = builtin_events; *b; b++)
		if (!strcmp(*b, name))
			return true;
	for (size_t i = 0; i < ctx->nignored; i++)
		if (!strcmp(ctx->ignored[i], name))
			return true;
	while ((class = registry_next(class)))
		for (size_t i = 0; i < class->nemits; i++)
			if (fnmatch(class->emits[i], name, 0) == 0)
				return true;
	return false;
}

/* One problem line: "  start on: unknown event X" / "unknown job X". */
static void
report(CheckCtx *ctx, const char *what, const char *name)
{
	char line[2048];

	if (!*ctx->header_shown) {
		ctx->fn(ctx->data, ctx->class_name);
		*ctx->header_shown = true;
	}
	snprintf(line, sizeof line, "  %s: unknown %s %s", ctx->stanza, what, name);
	ctx->fn(ctx->data, line);
}

/* Is this leaf satisfiable?  With `emit`, report when not. */
static bool
check_leaf(CheckCtx *ctx, const EventOperator *leaf, bool emit)
{
	int j = job_arg(leaf);

	if (j >= 0) {
		const char *job = job_arg_value(leaf, j);

		/* A pattern or variable may name any job. */
		if (strpbrk(job, "$*?[") || registry_find(job))
			return true;
		if (emit)
			report(ctx, "job", job);
		return false;
	}
	if (event_known(ctx, leaf->name))
		return true;
	if (emit)
		report(ctx, "event", leaf->name);
	return false;
}

static bool
check_tree(CheckCtx *ctx, const EventOperator *op, bool emit)
{
	bool left, right;

	if (op->type == EVENT_MATCH)
		return check_leaf(ctx, op, emit);
	if (op->type == EVENT_AND) {
		left = check_tree(ctx, op->left, emit);
		right = check_tree(ctx, op->right, emit);
		return left && right;
	}
	/* OR: fine when either side can happen (as a running Upstart 1.13.2
	 * reports it, whatever its manual says), unless --warn. */
	left = check_tree(ctx, op->left, false);
	right = check_tree(ctx, op->right, false);
	if (emit && (ctx->warn || (!left && !right))) {
		check_tree(ctx, op->left, true);
		check_tree(ctx, op->right, true);
	}
	return left || right;
}

bool
job_report_check_config(const JobClass *class, char *const *ignored, size_t nignored,
			bool warn, JobLineFn fn, void *data)
{
	bool shown = false;
	CheckCtx ctx = { ignored, nignored, warn, "start on", fn, data, &shown, class->name };

	if (class->start_on)
		check_tree(&ctx, class->start_on, true);
	ctx.stanza = "stop on";
	if (class->stop_on)
		check_tree(&ctx, class->stop_on, true);
	return shown;
}
