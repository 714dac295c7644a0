/* inspect — why, history, timeline.  See inspect.h. */
#include "initctl/inspect.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "initctl/client.h"
#include "initctl/json_out.h"
#include "initctl/messages.h"
#include "initctl/timeline_svg.h"
#include "lib/proto.h"

/* ---- reading replies: absent or mistyped fields read as empty ---- */

static struct json_object *
member(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	if (!o || !json_object_object_get_ex(o, key, &v))
		return NULL;
	return v;
}

static const char *
str(struct json_object *o, const char *key)
{
	struct json_object *v = member(o, key);

	return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

static int64_t
num(struct json_object *o, const char *key, int64_t dflt)
{
	struct json_object *v = member(o, key);

	return v && json_object_is_type(v, json_type_int) ? json_object_get_int64(v) : dflt;
}

/* A time in seconds, or -1 for null/absent. */
static double
secs(struct json_object *o, const char *key)
{
	struct json_object *v = member(o, key);

	if (!v || !(json_object_is_type(v, json_type_double) || json_object_is_type(v, json_type_int)))
		return -1;
	return json_object_get_double(v);
}

static struct json_object *
array(struct json_object *o, const char *key)
{
	struct json_object *v = member(o, key);

	return v && json_object_is_type(v, json_type_array) ? v : NULL;
}

/* Control characters in names and values are shown as \xNN, so that a
 * record is always one line. */
static void
put_escaped(FILE *out, const char *s)
{
	for (const unsigned char *c = (const unsigned char *)s; c && *c; c++) {
		if (*c < 0x20 || *c == 0x7f)
			fprintf(out, "\\x%02x", *c);
		else
			fputc(*c, out);
	}
}

/* ---- requests ---- */

int
inspect_build_why(const CommandCall *call, struct json_object **request)
{
	struct json_object *req;

	if (call->nargs < 1) {
		msg_usage_error("missing job name");
		return -1;
	}
	if (call->nargs > 2) {
		msg_usage_error("too many arguments");
		return -1;
	}
	req = proto_request_new("why");
	proto_add_member(req, "job", json_object_new_string(call->args[0]));
	if (call->nargs == 2)
		proto_add_member(req, "instance", json_object_new_string(call->args[1]));
	if (!req) {
		msg_error("Cannot allocate memory");
		return -1;
	}
	*request = req;
	return 0;
}

int
inspect_build_history(const CommandCall *call, struct json_object **request)
{
	struct json_object *req;
	long count = -1;

	if (call->nargs > 1) {
		msg_usage_error("too many arguments");
		return -1;
	}
	if (call->opts->count) {
		char *end;

		errno = 0;
		count = strtol(call->opts->count, &end, 10);
		if (errno || end == call->opts->count || *end || count < 0 || count > INT_MAX) {
			msg_usage_error("illegal count: %s", call->opts->count);
			return -1;
		}
	}
	req = proto_request_new("history");
	if (call->nargs == 1)
		proto_add_member(req, "job", json_object_new_string(call->args[0]));
	if (count >= 0)
		proto_add_member(req, "count", json_object_new_int64(count));
	if (!req) {
		msg_error("Cannot allocate memory");
		return -1;
	}
	*request = req;
	return 0;
}

/* ---- records as text ---- */

/* "event runlevel RUNLEVEL=2 PREVLEVEL=N", "cron: goal start",
 * "cron: running", "cron: stopped (failed: ...)". */
static void
put_subject(FILE *out, struct json_object *rec)
{
	const char *kind = str(rec, "kind"), *inst = str(rec, "instance");
	struct json_object *env = array(rec, "env");

	if (kind && !strcmp(kind, "event")) {
		fputs("event ", out);
		put_escaped(out, str(rec, "event"));
		for (size_t i = 0; env && i < json_object_array_length(env); i++) {
			fputc(' ', out);
			put_escaped(out, json_object_get_string(json_object_array_get_idx(env, i)));
		}
		return;
	}
	put_escaped(out, str(rec, "job"));
	if (inst && *inst) {
		fputs(" (", out);
		put_escaped(out, inst);
		fputc(')', out);
	}
	if (kind && !strcmp(kind, "goal")) {
		fputs(": goal ", out);
		put_escaped(out, str(rec, "goal"));
	} else if (str(rec, "state") && !strcmp(str(rec, "state"), "waiting")) {
		fputs(": stopped", out);
		if (str(rec, "detail")) {
			fputs(" (", out);
			put_escaped(out, str(rec, "detail"));
			fputc(')', out);
		}
	} else {
		fputs(": ", out);
		put_escaped(out, str(rec, "state"));
	}
}

/* The record whose seq is `seq` among `items`, or NULL. */
static struct json_object *
find_seq(struct json_object *items, int64_t seq)
{
	for (size_t i = 0; items && i < json_object_array_length(items); i++) {
		struct json_object *o = json_object_array_get_idx(items, i);

		if (num(o, "seq", 0) == seq && !member(o, "repeat"))
			return o;
	}
	return NULL;
}

/* " -- by command `telinit 2` (pid 310, uid 0)" and the like.  With
 * `parents_follow`, the causes that are records (events, the job's goal)
 * are listed after (why), so they are not named here. */
static void
put_cause(FILE *out, struct json_object *rec, struct json_object *items, bool parents_follow)
{
	struct json_object *cause = member(rec, "cause"), *parents = array(cause, "parents");
	const char *kind = str(cause, "kind"), *text = str(cause, "text");

	if (!kind)
		return;
	if (!strcmp(kind, "event")) {
		if (parents_follow)
			return;
		fputs(" -- by ", out);
		for (size_t i = 0; parents && i < json_object_array_length(parents); i++) {
			int64_t seq = json_object_get_int64(json_object_array_get_idx(parents, i));
			struct json_object *p = find_seq(items, seq);

			fputs(i ? ", " : "", out);
			if (p)
				put_subject(out, p);
			else
				fprintf(out, "event #%lld", (long long)seq);
		}
		if (!parents || !json_object_array_length(parents))
			fputs("events", out);
	} else if (!strcmp(kind, "command")) {
		fputs(" -- by command \"", out);
		put_escaped(out, text ? text : "?");
		fprintf(out, "\" (pid %lld, uid %lld)", (long long)num(cause, "pid", 0),
			(long long)num(cause, "uid", 0));
	} else if (!strcmp(kind, "job")) {
		if (!parents_follow) {
			fputs(" -- by job ", out);
			put_escaped(out, text);
		}
	} else if (!strcmp(kind, "init")) {
		if (!str(rec, "kind") || !strcmp(str(rec, "kind"), "event"))
			fputs(" -- by init", out);
	} else {
		fputs(" -- ", out);
		put_escaped(out, text ? text : kind);
	}
}

static void
put_time(FILE *out, struct json_object *rec)
{
	fprintf(out, "[%10.3f]", (double)num(rec, "mono_us", 0) / 1e6);
}

static void
put_wall(FILE *out, int64_t real_us)
{
	time_t t = (time_t)(real_us / 1000000);
	struct tm tm;
	char buf[32];

	if (!gmtime_r(&t, &tm) || !strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm))
		snprintf(buf, sizeof buf, "?");
	fprintf(out, "%s.%03d", buf, (int)((real_us / 1000) % 1000));
}

/* ---- why ---- */

int
inspect_render_why(const CommandCall *call, struct json_object *reply)
{
	struct json_object *items = array(reply, "items");
	const char *waiting = str(reply, "waiting_for");
	size_t n = items ? json_object_array_length(items) : 0;

	if (call->opts->json) {
		struct json_object *doc = json_object_new_object();
		static const char *const keys[] = {
			"job", "instance", "status_line", "items", "waiting_for", "start_on",
		};
		int rc;

		for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
			if (member(reply, keys[i]))
				json_object_object_add(doc, strcmp(keys[i], "items") ? keys[i] : "chain",
						       json_object_get(member(reply, keys[i])));
		rc = json_out_print(doc);
		json_object_put(doc);
		return rc;
	}
	if (call->opts->priority > MSG_MESSAGE)   /* -q */
		return 0;
	put_escaped(stdout, str(reply, "status_line"));
	putchar('\n');
	for (size_t i = 0; i < n; i++) {
		struct json_object *rec = json_object_array_get_idx(items, i);
		int depth = (int)num(rec, "depth", 0);

		if (member(rec, "repeat")) {
			struct json_object *first = find_seq(items, num(rec, "seq", 0));

			printf("%*s%*s(", 12, "", 2 * depth + 1, "");
			if (first)
				put_subject(stdout, first);
			printf(": see above)\n");
			continue;
		}
		put_time(stdout, rec);
		printf(" %*s", 2 * depth, "");
		put_subject(stdout, rec);
		put_cause(stdout, rec, items, true);
		putchar('\n');
	}
	if (n == 0)
		printf("No recorded start or stop: nothing asked for it since init started"
		       " (or its records have left the history).\n");
	if (waiting) {
		/* A job that ran waits for all of `start on` again. */
		fputs(n ? "to start again, waiting for: " : "waiting for: ", stdout);
		put_escaped(stdout, waiting);
		putchar('\n');
	} else if (!member(reply, "start_on") && (n == 0 || strstr(str(reply, "status_line") ? str(reply, "status_line") : "", "stop/"))) {
		printf("no start on: started only when asked\n");
	}
	return 0;
}

/* ---- history ---- */

int
inspect_render_history(const CommandCall *call, struct json_object *reply)
{
	struct json_object *items = array(reply, "items");
	size_t n = items ? json_object_array_length(items) : 0;

	if (call->opts->json) {
		struct json_object *none = items ? NULL : json_object_new_array();
		int rc = json_out_print(items ? items : none);

		json_object_put(none);
		return rc;
	}
	if (call->opts->priority > MSG_MESSAGE)
		return 0;
	for (size_t i = 0; i < n; i++) {
		struct json_object *rec = json_object_array_get_idx(items, i);

		put_time(stdout, rec);
		putchar(' ');
		put_wall(stdout, num(rec, "real_us", 0));
		printf(" #%-6lld ", (long long)num(rec, "seq", 0));
		put_subject(stdout, rec);
		put_cause(stdout, rec, items, false);
		putchar('\n');
	}
	return 0;
}

/* ---- timeline ---- */

/* When an entry was done with, for the boot: a service once running, a
 * task once finished.  -1 when it never was. */
static double
completion(struct json_object *e)
{
	bool task = json_object_get_boolean(member(e, "task"));

	return task ? secs(e, "stopped") : secs(e, "running");
}

static struct json_object *
entry_by_id(struct json_object *jobs, int64_t id)
{
	for (size_t i = 0; jobs && i < json_object_array_length(jobs); i++)
		if (num(json_object_array_get_idx(jobs, i), "id", 0) == id)
			return json_object_array_get_idx(jobs, i);
	return NULL;
}

/* The entry completed latest, no later than `before` (+1 ms for the
 * clock's grain), among those caused by entry `parent` (any when 0 and
 * `any`), or NULL. */
static struct json_object *
latest_before(struct json_object *jobs, double before, int64_t parent, bool any,
	      struct json_object *except)
{
	struct json_object *best = NULL;
	double best_t = -1;

	for (size_t i = 0; i < json_object_array_length(jobs); i++) {
		struct json_object *e = json_object_array_get_idx(jobs, i);
		double t = completion(e);

		if (e == except || t < 0 || t > before + 0.001)
			continue;
		if (!any && num(e, "cause_job", 0) != parent)
			continue;
		if (t > best_t) {
			best = e;
			best_t = t;
		}
	}
	return best;
}

/* What entry `e` waited for: the entry whose event or process started it,
 * when that was done by the time e's goal became start; else the sibling
 * (started by the same job, as the rc runner starts SysV scripts in
 * dependency order) that completed last before it. */
static struct json_object *
waited_for(struct json_object *jobs, struct json_object *e)
{
	int64_t parent = num(e, "cause_job", 0);
	double goal = secs(e, "goal");
	struct json_object *p = parent ? entry_by_id(jobs, parent) : NULL;
	struct json_object *sib;

	if (goal < 0)
		return NULL;
	if (p && completion(p) >= 0 && completion(p) <= goal + 0.001)
		return p;
	if (parent && (sib = latest_before(jobs, goal, parent, false, e)))
		return sib;
	return p;
}

/* Seconds with the microseconds init keeps, no more digits. */
static struct json_object *
seconds_json(double t)
{
	char buf[32];

	snprintf(buf, sizeof buf, "%.6f", t);
	return json_object_new_double_s(t, buf);
}

/* The entry's last child: started by it (the rc runner's scripts) and
 * done by the time it was, or NULL.  A task that starts others is done
 * when the last of them is. */
static struct json_object *
last_child(struct json_object *jobs, struct json_object *e)
{
	struct json_object *child = latest_before(jobs, completion(e), num(e, "id", 0), false, e);

	return child && secs(child, "goal") >= secs(e, "goal") ? child : NULL;
}

static bool
listed(struct json_object *const *seen, size_t n, struct json_object *e)
{
	for (size_t i = 0; i < n; i++)
		if (seen[i] == e)
			return true;
	return false;
}

static int
by_critical_at(const void *a, const void *b)
{
	double x = secs(*(struct json_object *const *)a, "critical_at");
	double y = secs(*(struct json_object *const *)b, "critical_at");

	return (x > y) - (x < y);
}

/* The critical chain: from the entry completed last before the boot was
 * reached, back through what each waited for (waited_for()); an entry
 * that started others is reached through the last of them, and left by
 * what it waited for itself.  Ids, first to last.  Each link gets
 * "critical_at", the moment it stands for: when it was done, or, for an
 * entry that waited for what it started, when it began. */
static struct json_object *
critical_chain(struct json_object *jobs, double reached)
{
	struct json_object *chain = json_object_new_array(), *e, *next;
	struct json_object *seen[256];
	size_t n = 0;
	double end = reached;

	if (end < 0)
		for (size_t i = 0; i < json_object_array_length(jobs); i++)
			if (completion(json_object_array_get_idx(jobs, i)) > end)
				end = completion(json_object_array_get_idx(jobs, i));
	e = latest_before(jobs, end, 0, true, NULL);
	while (e && n < 256) {
		seen[n++] = e;
		next = last_child(jobs, e);
		if (next && !listed(seen, n, next)) {
			e = next;
			continue;
		}
		/* Back up through entries already in the chain (the parent
		 * of the first of its children) to what they waited for. */
		next = waited_for(jobs, e);
		for (int hops = 0; next && listed(seen, n, next) && hops < 256; hops++)
			next = waited_for(jobs, next);
		e = next && !listed(seen, n, next) ? next : NULL;
	}
	/* An entry whose children are links stands for its beginning, the
	 * others for when they were done; in that order the chain reads
	 * forward in time (an entry that started others comes before them,
	 * though it was reached after them). */
	for (size_t i = 0; i < n; i++) {
		struct json_object *child = last_child(jobs, seen[i]);

		json_object_object_add(seen[i], "critical_at", seconds_json(
			child && listed(seen, n, child) ? secs(seen[i], "goal") : completion(seen[i])));
	}
	qsort(seen, n, sizeof *seen, by_critical_at);
	for (size_t i = 0; i < n; i++)
		json_object_array_add(chain, json_object_new_int64(num(seen[i], "id", 0)));
	return chain;
}

struct json_object *
inspect_timeline_document(struct json_object *reply)
{
	struct json_object *doc = json_object_new_object();
	struct json_object *jobs = json_object_new_array(), *events = json_object_new_array();
	struct json_object *items = array(reply, "items"), *chain;
	struct json_object *boot = member(reply, "boot");

	for (size_t i = 0; items && i < json_object_array_length(items); i++) {
		struct json_object *it = json_object_array_get_idx(items, i);
		const char *type = str(it, "type");

		if (type && !strcmp(type, "job"))
			json_object_array_add(jobs, json_object_get(it));
		else if (type && !strcmp(type, "event"))
			json_object_array_add(events, json_object_get(it));
	}
	chain = critical_chain(jobs, secs(boot, "reached"));
	for (size_t i = 0; i < json_object_array_length(jobs); i++) {
		struct json_object *e = json_object_array_get_idx(jobs, i);
		bool critical = false;

		json_object_object_del(e, "type");
		for (size_t j = 0; j < json_object_array_length(chain); j++)
			if (json_object_get_int64(json_object_array_get_idx(chain, j)) == num(e, "id", 0))
				critical = true;
		json_object_object_add(e, "critical", json_object_new_boolean(critical));
	}
	for (size_t i = 0; i < json_object_array_length(events); i++)
		json_object_object_del(json_object_array_get_idx(events, i), "type");
	json_object_object_add(doc, "boot", boot ? json_object_get(boot) : json_object_new_object());
	json_object_object_add(doc, "jobs", jobs);
	json_object_object_add(doc, "events", events);
	json_object_object_add(doc, "critical_chain", chain);
	return doc;
}

static void
put_secs(FILE *out, double t)
{
	if (t < 0)
		fprintf(out, "%9s", "-");
	else
		fprintf(out, "%9.3f", t);
}

static void
put_entry_name(FILE *out, struct json_object *e)
{
	const char *inst = str(e, "instance");

	put_escaped(out, str(e, "job"));
	if (inst && *inst) {
		fputs(" (", out);
		put_escaped(out, inst);
		fputc(')', out);
	}
}

/* The document as text: the header, the critical chain, every entry. */
static void
timeline_text(FILE *out, struct json_object *doc)
{
	struct json_object *boot = member(doc, "boot"), *jobs = array(doc, "jobs");
	struct json_object *chain = array(doc, "critical_chain");
	double reached = secs(boot, "reached"), start = secs(boot, "init_start");
	double wall = secs(boot, "init_start_wall");

	fputs("init started ", out);
	if (start >= 0)
		fprintf(out, "%.3f s after the kernel", start);
	if (wall >= 0) {
		fputs(" (", out);
		put_wall(out, (int64_t)(wall * 1e6));
		fputs(" UTC)", out);
	}
	if (reached >= 0) {
		fprintf(out, "; ");
		if (str(boot, "runlevel") && *str(boot, "runlevel"))
			fprintf(out, "runlevel %s ", str(boot, "runlevel"));
		else
			fprintf(out, "the boot ");
		fprintf(out, "reached %.3f s later\n", reached);
	} else {
		fprintf(out, "; the boot has not settled yet\n");
	}
	if (num(boot, "jobs_left_out", 0) || num(boot, "events_left_out", 0))
		fprintf(out, "(%lld job starts and %lld events were left out: the timeline was full)\n",
			(long long)num(boot, "jobs_left_out", 0), (long long)num(boot, "events_left_out", 0));
	if (chain && json_object_array_length(chain)) {
		fprintf(out, "\ncritical chain:\n");
		for (size_t i = 0; i < json_object_array_length(chain); i++) {
			struct json_object *e = entry_by_id(jobs, json_object_get_int64(
				json_object_array_get_idx(chain, i)));
			double goal = secs(e, "goal"), done = completion(e), at = secs(e, "critical_at");

			if (!e)
				continue;
			fprintf(out, "  %9.3f s  ", at >= 0 ? at : done >= 0 ? done : goal);
			put_entry_name(out, e);
			if (done >= 0 && goal >= 0)
				fprintf(out, " (%s %.3f s)", at >= 0 && at < done ? "began, done after" : "took",
					done - goal);
			fputs("  <- ", out);
			put_escaped(out, str(e, "cause"));
			fputc('\n', out);
		}
	}
	fprintf(out, "\n%9s %9s %9s %9s  %-7s %s\n", "GOAL", "RUNNING", "STOPPING", "STOPPED",
		"RESULT", "JOB  <- CAUSE");
	for (size_t i = 0; jobs && i < json_object_array_length(jobs); i++) {
		struct json_object *e = json_object_array_get_idx(jobs, i);
		const char *result = str(e, "result");

		put_secs(out, secs(e, "goal"));
		fputc(' ', out);
		put_secs(out, secs(e, "running"));
		fputc(' ', out);
		put_secs(out, secs(e, "stopping"));
		fputc(' ', out);
		put_secs(out, secs(e, "stopped"));
		fprintf(out, "  %-7s %s", result ? result : str(e, "state") ? str(e, "state") : "-",
			json_object_get_boolean(member(e, "critical")) ? "*" : "");
		put_entry_name(out, e);
		fputs("  <- ", out);
		put_escaped(out, str(e, "cause"));
		fputc('\n', out);
	}
}

/* Print the document as --json, --svg or text asked. */
static int
timeline_output(const CommandCall *call, struct json_object *doc)
{
	if (call->opts->json)
		return json_out_print(doc);
	if (call->opts->svg) {
		if (timeline_svg_write(stdout, doc) < 0) {
			msg_error("Not a timeline document");
			return 1;
		}
		return fflush(stdout) == 0 ? 0 : 1;
	}
	if (call->opts->priority <= MSG_MESSAGE)
		timeline_text(stdout, doc);
	return 0;
}

int
inspect_render_timeline(const CommandCall *call, struct json_object *reply)
{
	struct json_object *doc = inspect_timeline_document(reply);
	int rc = timeline_output(call, doc);

	json_object_put(doc);
	return rc;
}

int
inspect_timeline(const CommandCall *call)
{
	struct json_object *doc, *request;
	int rc;

	if (call->nargs > 0) {
		msg_usage_error("too many arguments");
		return 1;
	}
	if (call->opts->json && call->opts->svg) {
		msg_usage_error("--json and --svg exclude each other");
		return 1;
	}
	if (!call->opts->input) {
		if (!(request = proto_request_new("timeline"))) {
			msg_error("Cannot allocate memory");
			return 1;
		}
		rc = client_run(call, request);
		json_object_put(request);
		return rc;
	}
	/* A document saved with --json, drawn again (elsewhere, later). */
	doc = json_object_from_file(call->opts->input);
	if (!doc || !json_object_is_type(doc, json_type_object) ||
	    !array(doc, "jobs") || !json_object_is_type(member(doc, "boot"), json_type_object)) {
		msg_error("%s: not a timeline document (initctl timeline --json)", call->opts->input);
		json_object_put(doc);
		return 1;
	}
	rc = timeline_output(call, doc);
	json_object_put(doc);
	return rc;
}
