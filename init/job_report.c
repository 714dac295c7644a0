/* job_report — show-config and check-config.  See job_report.h. */
#include "init/job_report.h"

#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "init/event_sources.h"
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

/* ---- show-config: one walk, the text below or JSON (job_json.c) ---- */

typedef struct walk_ctx {
	ConfigStanza             stanza;
	const ShowConfigVisitor *visitor;
	void                    *data;
} WalkCtx;

static void
walk_leaf(const EventOperator *leaf, void *data)
{
	WalkCtx *ctx = data;
	int j = job_arg(leaf);

	ctx->visitor->event(ctx->data, ctx->stanza, leaf->name,
			    j >= 0 ? job_arg_value(leaf, j) : NULL,
			    leaf->args, j);
}

static void
walk_condition(ConfigStanza stanza, const EventOperator *op, bool enumerate,
	       const ShowConfigVisitor *v, void *data)
{
	if (!op)
		return;
	if (v->condition) {
		char *text = event_operator_to_string(op);

		if (text)
			v->condition(data, stanza, text);
		free(text);
	}
	if (enumerate && v->event) {
		WalkCtx ctx = { stanza, v, data };

		event_operator_foreach_leaf(op, walk_leaf, &ctx);
	}
}

void
job_report_walk_config(const JobClass *class, bool enumerate,
		       const ShowConfigVisitor *v, void *data)
{
	v->name(data, class->name);
	for (size_t i = 0; i < class->nemits; i++)
		v->emits(data, class->emits[i]);
	walk_condition(CONFIG_START_ON, class->start_on, enumerate, v, data);
	walk_condition(CONFIG_STOP_ON, class->stop_on, enumerate, v, data);
}

const char *
job_report_stanza_name(ConfigStanza stanza)
{
	return stanza == CONFIG_START_ON ? "start on" : "stop on";
}

typedef struct text_ctx {
	JobLineFn  fn;
	void      *data;
} TextCtx;

static void
text_name(void *data, const char *name)
{
	TextCtx *ctx = data;

	ctx->fn(ctx->data, name);
}

static void
text_emits(void *data, const char *event)
{
	TextCtx *ctx = data;
	char line[2048];

	snprintf(line, sizeof line, "  emits %s", event);
	ctx->fn(ctx->data, line);
}

static void
text_condition(void *data, ConfigStanza stanza, const char *text)
{
	TextCtx *ctx = data;
	const char *name = job_report_stanza_name(stanza);
	size_t n = strlen(text) + strlen(name) + 8;
	char *line = malloc(n);

	if (line) {
		snprintf(line, n, "  %s %s", name, text);
		ctx->fn(ctx->data, line);
	}
	free(line);
}

static void
text_event(void *data, ConfigStanza stanza, const char *event, const char *job,
	   char *const *args, int skip)
{
	TextCtx *ctx = data;
	char line[4096];
	size_t len;

	len = (size_t)snprintf(line, sizeof line, "  %s %s (job:%s%s, env:",
			       job_report_stanza_name(stanza), event,
			       job ? " " : "", job ? job : "");
	for (int i = 0; args && args[i] && len < sizeof line; i++) {
		if (i == skip)
			continue;
		len += (size_t)snprintf(line + len, sizeof line - len, " %s", args[i]);
	}
	if (len < sizeof line)
		snprintf(line + len, sizeof line - len, ")");
	ctx->fn(ctx->data, line);
}

void
job_report_show_config(const JobClass *class, bool enumerate, JobLineFn fn, void *data)
{
	/* With -e the conditions are printed event by event only. */
	const ShowConfigVisitor text = {
		text_name, text_emits, enumerate ? NULL : text_condition, text_event,
	};
	TextCtx ctx = { fn, data };

	job_report_walk_config(class, enumerate, &text, &ctx);
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
	if (event_sources_emits(name))
		return true;
	while ((class = registry_next(class)))
		for (size_t i = 0; i < class->nemits; i++)
			if (fnmatch(class->emits[i], name, 0) == 0)
				return true;
	return false;
}

/* One problem line under the job's name (shown once):
 * "  start on: unknown event X", "  stop on: socket: PORT missing". */
static void
problem(CheckCtx *ctx, const char *what, const char *detail)
{
	char line[2048];

	if (!*ctx->header_shown) {
		ctx->fn(ctx->data, ctx->class_name);
		*ctx->header_shown = true;
	}
	snprintf(line, sizeof line, "  %s: %s%s", ctx->stanza, what, detail);
	ctx->fn(ctx->data, line);
}

static void
report(CheckCtx *ctx, const char *what, const char *name)
{
	char text[1024];

	snprintf(text, sizeof text, "unknown %s ", what);
	problem(ctx, text, name);
}

/* Is this leaf satisfiable?  With `emit`, report when not. */
static bool
check_leaf(CheckCtx *ctx, const EventOperator *leaf, bool emit)
{
	int j = job_arg(leaf);
	const char *bad;

	if (j >= 0) {
		const char *job = job_arg_value(leaf, j);

		/* A pattern or variable may name any job. */
		if (strpbrk(job, "$*?[") || registry_find(job))
			return true;
		if (emit)
			report(ctx, "job", job);
		return false;
	}
	if ((bad = event_sources_check_leaf(leaf))) {
		/* A socket or file condition init cannot watch never fires. */
		if (emit) {
			char text[256];

			snprintf(text, sizeof text, "%s: ", leaf->name);
			problem(ctx, text, bad);
		}
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
