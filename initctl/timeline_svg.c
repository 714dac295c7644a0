/* timeline_svg — the boot timeline drawn as a standalone SVG document.
 *
 * The picture, top to bottom (all sizes in px; the constants below are
 * the layout, and tests/cli/timeline_svg.bats places bars with them):
 *
 *   header   "Boot timeline", then one line: kernel time (boot.init_start),
 *            time to the default runlevel (boot.reached), their sum, the
 *            UTC date of init start (ISO 8601) and the number of jobs
 *   legend   one swatch per colour and mark
 *   events   one dashed vertical line per event, its name in one of
 *            EVENT_LANES staggered lanes so that names do not overlap
 *   reached  a vertical line at boot.reached, "runlevel N reached at X s"
 *   axis     seconds from init start, 9 to 20 ticks of 1, 2 or 5 times a
 *            power of ten, grid lines down the plot, labels above and below
 *   rows     one per job entry, in the document's order: the name (and
 *            " (instance)") right-aligned in the label column left of the
 *            axis, and a bar from the first known time:
 *              goal/starting -> running    "starting" colour
 *              running -> stopping         "running" (a task: "task running")
 *              stopping -> stopped         "stopping" colour
 *            a segment that has not ended runs to the end of the axis;
 *            SysV jobs are hatched, failed ones outlined in red with a red
 *            end, those on the critical chain outlined thick in dark blue
 *            with a bold label; after the bar, the time it took to come
 *            up (to running, for a task to its end).  Each row's <title>
 *            is a tooltip with every time.
 *   chain    an arrow from each link of the critical chain down (or up)
 *            to the start of the next link's bar
 *
 * Times are sanitised, never trusted: a field of the wrong type, a value
 * that is not finite or beyond TIME_CAP is unknown; times out of order
 * are drawn in order (a later stage never before an earlier one); times
 * before 0 are drawn at 0.  Text is UTF-8 with every XML special escaped
 * and every character XML 1.0 forbids (controls, invalid UTF-8, NUL)
 * replaced by U+FFFD.  Numbers are formatted by hand, not by printf's
 * %f: initctl runs under the user's locale, which may write "0,5".
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "initctl/timeline_svg.h"

/* Layout. */
enum {
	LABEL_RIGHT   = 252,   /* labels end here (text-anchor end) */
	LABEL_CHARS   = 34,    /* longer labels are cut, with an ellipsis */
	PLOT_X        = 260,   /* x of t = 0 */
	PLOT_W        = 1200,  /* width of the time axis */
	RIGHT_ROOM    = 50,
	SVG_WIDTH     = PLOT_X + PLOT_W + RIGHT_ROOM,
	LEGEND_Y      = 50,    /* top of the legend swatches */
	EVENT_Y       = 84,    /* baseline of the first event lane */
	EVENT_LANES   = 4,
	EVENT_LANE_H  = 12,
	EVENT_CHARS   = 40,
	REACHED_Y     = 134,   /* baseline of the "reached" label */
	AXIS_Y        = 148,   /* baseline of the upper tick labels */
	PLOT_Y        = 154,   /* top of the first row */
	ROW_H         = 18,
	BAR_PAD       = 3,     /* bar: row top + BAR_PAD, BAR_H high */
	BAR_H         = 12,
	MIN_BAR_W     = 2,
	CHAIN_MAX     = 1000,  /* critical_chain links looked at */
};

/* Colours. */
#define COL_STARTING "#f2c14e"
#define COL_RUNNING  "#3f9f5f"
#define COL_TASK     "#4a90d9"
#define COL_STOPPING "#e8955a"
#define COL_FAILED   "#d62728"
#define COL_CRITICAL "#14286e"
#define COL_EVENT    "#8a8a8a"
#define COL_REACHED  "#0b7a75"
#define COL_GRID     "#e3e3e3"
#define COL_STRIPE   "#f4f4f4"
#define COL_TEXT     "#222222"
#define COL_MUTED    "#666666"

/* Times beyond this (about 31 years) are taken as unknown. */
#define TIME_CAP 1e9

/* The stages of an entry, in their order. */
enum { T_GOAL, T_STARTING, T_RUNNING, T_STOPPING, T_STOPPED, T_COUNT };
static const char *const stage_names[T_COUNT] = {
	"goal", "starting", "running", "stopping", "stopped",
};

/* One job entry as read from the document; strings are borrowed. */
typedef struct entry {
	double      t[T_COUNT];    /* as given (valid where ok[]) */
	bool        ok[T_COUNT];
	double      at[T_COUNT];   /* in order and >= 0, for drawing */
	int         first;         /* first known stage, or -1 */
	const char *name, *instance, *state, *result, *cause;
	size_t      name_len, instance_len, state_len, result_len, cause_len;
	bool        sysv, task, failed, critical, active;
	bool        has_id;
	int64_t     id;
} Entry;

/* What every part of the drawing needs. */
typedef struct ctx {
	FILE               *out;
	struct json_object *jobs;
	size_t              njobs;
	struct json_object *chain;     /* critical_chain, or NULL */
	size_t              nchain;
	double              end;       /* axis end, seconds (> 0) */
	double              step;      /* tick step */
	int                 nticks;    /* ticks after 0 */
	int                 decimals;  /* of tick labels */
	double              plot_bottom;
	char                ring[8][40];
	unsigned            ring_next;
} Ctx;

/* ---- reading the document: wrong types are null ---- */

static struct json_object *
field(struct json_object *obj, const char *key)
{
	struct json_object *v = NULL;

	if (!obj || !json_object_is_type(obj, json_type_object))
		return NULL;
	if (!json_object_object_get_ex(obj, key, &v))
		return NULL;
	return v;
}

static bool
get_time(struct json_object *obj, const char *key, double *out)
{
	struct json_object *v = field(obj, key);
	double              d;

	if (!v || !(json_object_is_type(v, json_type_double) ||
		    json_object_is_type(v, json_type_int)))
		return false;
	d = json_object_get_double(v);
	/* NaN fails both comparisons. */
	if (!(d >= -TIME_CAP && d <= TIME_CAP))
		return false;
	*out = d;
	return true;
}

static const char *
get_str(struct json_object *obj, const char *key, size_t *len)
{
	struct json_object *v = field(obj, key);

	*len = 0;
	if (!v || !json_object_is_type(v, json_type_string))
		return NULL;
	*len = (size_t)json_object_get_string_len(v);
	return json_object_get_string(v);
}

static bool
get_bool(struct json_object *obj, const char *key)
{
	struct json_object *v = field(obj, key);

	return v && json_object_is_type(v, json_type_boolean) &&
	       json_object_get_boolean(v);
}

static bool
get_id(struct json_object *v, int64_t *id)
{
	if (!v || !json_object_is_type(v, json_type_int))
		return false;
	*id = json_object_get_int64(v);
	return true;
}

static bool
str_is(const char *s, size_t len, const char *word)
{
	return s && len == strlen(word) && memcmp(s, word, len) == 0;
}

/* Is `id` one of the links of the critical chain? */
static bool
in_chain(const Ctx *c, int64_t id)
{
	for (size_t i = 0; i < c->nchain; i++) {
		int64_t link;

		if (get_id(json_object_array_get_idx(c->chain, i), &link) && link == id)
			return true;
	}
	return false;
}

static void
entry_read(const Ctx *c, size_t idx, Entry *e)
{
	struct json_object *obj = json_object_array_get_idx(c->jobs, idx);
	double              prev = 0;

	memset(e, 0, sizeof *e);
	e->first = -1;
	for (int i = 0; i < T_COUNT; i++) {
		e->ok[i] = get_time(obj, stage_names[i], &e->t[i]);
		if (!e->ok[i])
			continue;
		/* In order, and not before init started. */
		e->at[i] = e->t[i] < prev ? prev : e->t[i];
		prev = e->at[i];
		if (e->first < 0)
			e->first = i;
	}
	e->name = get_str(obj, "job", &e->name_len);
	e->instance = get_str(obj, "instance", &e->instance_len);
	e->state = get_str(obj, "state", &e->state_len);
	e->result = get_str(obj, "result", &e->result_len);
	e->cause = get_str(obj, "cause", &e->cause_len);
	e->sysv = get_bool(obj, "sysv");
	e->task = get_bool(obj, "task");
	e->failed = str_is(e->result, e->result_len, "failed");
	e->has_id = get_id(field(obj, "id"), &e->id);
	e->critical = get_bool(obj, "critical") || (e->has_id && in_chain(c, e->id));
	/* Not at rest: what has not ended runs to the end of the plot. */
	e->active = !e->ok[T_STOPPED] && !str_is(e->state, e->state_len, "waiting");
}

/* ---- writing ---- */

/* `v` with `dec` decimals, whatever the locale; from a ring of buffers,
 * so that a few can be used in one fprintf. */
static const char *
num(Ctx *c, double v, int dec)
{
	char     *buf = c->ring[c->ring_next++ % 8];
	long long p = 1, r;
	bool      neg = v < 0;
	double    a = neg ? -v : v;

	for (int i = 0; i < dec; i++)
		p *= 10;
	if (!(a < 1e15))
		a = 1e15;
	r = (long long)(a * (double)p + 0.5);
	if (r == 0)
		neg = false;
	if (dec == 0)
		snprintf(buf, sizeof c->ring[0], "%s%lld", neg ? "-" : "", r);
	else
		snprintf(buf, sizeof c->ring[0], "%s%lld.%0*lld", neg ? "-" : "",
			 r / p, dec, r % p);
	return buf;
}

/* A coordinate. */
static const char *
px(Ctx *c, double v)
{
	return num(c, v, 1);
}

/* Decode one character of `s` (UTF-8, `len` bytes left): its length, and
 * in *cp the code point, or U+FFFD for a byte that starts no valid one. */
static size_t
utf8_next(const unsigned char *s, size_t len, uint32_t *cp)
{
	unsigned char b = s[0];
	size_t        n;
	uint32_t      v, min;

	if (b < 0x80) {
		*cp = b;
		return 1;
	} else if (b >= 0xc2 && b <= 0xdf) {
		n = 2, v = b & 0x1f, min = 0x80;
	} else if (b >= 0xe0 && b <= 0xef) {
		n = 3, v = b & 0x0f, min = 0x800;
	} else if (b >= 0xf0 && b <= 0xf4) {
		n = 4, v = b & 0x07, min = 0x10000;
	} else {
		*cp = 0xfffd;
		return 1;
	}
	if (len < n) {
		*cp = 0xfffd;
		return 1;
	}
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80) {
			*cp = 0xfffd;
			return 1;
		}
		v = (v << 6) | (s[i] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) {
		*cp = 0xfffd;
		return 1;
	}
	*cp = v;
	return n;
}

/* Characters of `s`, as put_text counts them. */
static size_t
text_chars(const char *s, size_t len)
{
	size_t   n = 0;
	uint32_t cp;

	for (size_t i = 0; i < len; n++)
		i += utf8_next((const unsigned char *)s + i, len - i, &cp);
	return n;
}

/* Write at most `budget` characters of the `len` bytes of `s` as XML
 * character data (also fit for an attribute value); returns how many. */
static size_t
put_chars(FILE *out, const char *s, size_t len, size_t budget)
{
	size_t   i = 0, n = 0;
	uint32_t cp;

	while (i < len && n < budget) {
		size_t k = utf8_next((const unsigned char *)s + i, len - i, &cp);

		switch (cp) {
		case '&':  fputs("&amp;", out); break;
		case '<':  fputs("&lt;", out); break;
		case '>':  fputs("&gt;", out); break;
		case '"':  fputs("&quot;", out); break;
		case '\'': fputs("&apos;", out); break;
		default:
			/* XML 1.0 forbids most controls; C1 ones and
			 * U+FFFE/U+FFFF are no better in a label. */
			if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) ||
			    cp == 0xfffe || cp == 0xffff || cp == 0xfffd)
				fputs("\xef\xbf\xbd", out);
			else
				fwrite(s + i, 1, k, out);
		}
		i += k;
		n++;
	}
	return n;
}

#define ELLIPSIS "\xe2\x80\xa6"

/* Write `s` as put_chars does, at most `max` characters: a longer text
 * is cut to max - 1 and an ellipsis.  max 0: no limit. */
static void
put_text(FILE *out, const char *s, size_t len, size_t max)
{
	if (!s)
		return;
	if (max && text_chars(s, len) > max) {
		put_chars(out, s, len, max - 1);
		fputs(ELLIPSIS, out);
	} else {
		put_chars(out, s, len, SIZE_MAX);
	}
}

/* The row's label: "name" or "name (instance)", cut to `max` (0: whole). */
static void
put_label(FILE *out, const Entry *e, size_t max)
{
	size_t total, budget = SIZE_MAX;

	if (!e->name) {
		fputs("?", out);
		return;
	}
	total = text_chars(e->name, e->name_len);
	if (e->instance_len)
		total += text_chars(e->instance, e->instance_len) + 3;
	if (max && total > max)
		budget = max - 1;
	budget -= put_chars(out, e->name, e->name_len, budget);
	if (e->instance_len) {
		budget -= put_chars(out, " (", 2, budget);
		budget -= put_chars(out, e->instance, e->instance_len, budget);
		budget -= put_chars(out, ")", 1, budget);
	}
	if (max && total > max)
		fputs(ELLIPSIS, out);
}

/* Estimated width of `chars` characters at font size `size`. */
static double
text_width(size_t chars, double size)
{
	return (double)chars * size * 0.6;
}

/* ---- the time axis ---- */

/* The x of time t. */
static double
xt(const Ctx *c, double t)
{
	if (t < 0)
		t = 0;
	if (t > c->end)
		t = c->end;
	return PLOT_X + t / c->end * PLOT_W;
}

static void
scan_max(double *max, double t)
{
	if (t > *max)
		*max = t;
}

/* Choose the axis: its end covers every time known (2% more) in 8 to 19
 * steps of 1, 2 or 5 times a power of ten, 0.001 s at least: 9 to 20
 * ticks, 0 included. */
static void
choose_axis(Ctx *c, struct json_object *doc)
{
	static const int mult[3] = { 1, 2, 5 };
	struct json_object *boot = field(doc, "boot");
	struct json_object *events = field(doc, "events");
	double              max = 0, t, span, q;
	bool                any = false;

	for (size_t i = 0; i < c->njobs; i++) {
		struct json_object *obj = json_object_array_get_idx(c->jobs, i);

		for (int k = 0; k < T_COUNT; k++)
			if (get_time(obj, stage_names[k], &t)) {
				scan_max(&max, t);
				any = true;
			}
	}
	if (events && json_object_is_type(events, json_type_array))
		for (size_t i = 0; i < json_object_array_length(events); i++)
			if (get_time(json_object_array_get_idx(events, i), "t", &t)) {
				scan_max(&max, t);
				any = true;
			}
	if (get_time(boot, "reached", &t)) {
		scan_max(&max, t);
		any = true;
	}
	if (!any)
		max = 1;
	if (max < 0.01)
		max = 0.01;
	span = max * 1.02;
	c->step = 1;
	c->decimals = 0;
	for (int k = -3; k <= 9; k++) {
		double p = 1;
		bool   found = false;

		for (int i = 0; i < (k < 0 ? -k : k); i++)
			p *= 10;
		for (int m = 0; m < 3; m++) {
			c->step = k < 0 ? mult[m] / p : mult[m] * p;
			c->decimals = k < 0 ? -k : 0;
			if (span / c->step <= 19) {
				found = true;
				break;
			}
		}
		if (found)
			break;
	}
	q = span / c->step;
	c->nticks = (int)q;
	if (c->nticks < q - 1e-9)
		c->nticks++;
	if (c->nticks < 1)
		c->nticks = 1;
	c->end = c->nticks * c->step;
}

/* ---- the parts of the picture ---- */

static void
write_defs(FILE *out)
{
	fputs("<defs>\n"
	      "<pattern id=\"sysv-hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\""
	      " patternTransform=\"rotate(45)\">"
	      "<rect x=\"0\" y=\"0\" width=\"2.5\" height=\"6\" fill=\"#ffffff\" fill-opacity=\"0.55\"/>"
	      "</pattern>\n"
	      "<marker id=\"crit-arrow\" viewBox=\"0 0 8 8\" refX=\"7\" refY=\"4\" markerWidth=\"5\""
	      " markerHeight=\"5\" orient=\"auto\"><path d=\"M0,0 L8,4 L0,8 z\" fill=\"" COL_CRITICAL
	      "\"/></marker>\n"
	      "</defs>\n", out);
}

/* UTC ISO 8601 date of Unix time `w`, or NULL. */
static const char *
iso_date(char *buf, size_t size, double w)
{
	struct tm tm;
	time_t    secs;
	long long whole;
	int       ms;

	/* Years 1970 to 9999. */
	if (!(w >= 0 && w < 253402300800.0))
		return NULL;
	whole = (long long)w;
	ms = (int)((w - (double)whole) * 1000 + 0.5);
	if (ms >= 1000) {
		whole++;
		ms -= 1000;
	}
	secs = (time_t)whole;
	if (!gmtime_r(&secs, &tm))
		return NULL;
	snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
	return buf;
}

static void
write_header(Ctx *c, struct json_object *boot)
{
	FILE       *out = c->out;
	double      start, reached, wall;
	bool        has_start = get_time(boot, "init_start", &start);
	bool        has_reached = get_time(boot, "reached", &reached);
	size_t      rl_len;
	const char *rl = get_str(boot, "runlevel", &rl_len);
	struct json_object *w = field(boot, "init_start_wall");
	char        date[96];
	const char *when = NULL;

	if (w && (json_object_is_type(w, json_type_double) ||
		  json_object_is_type(w, json_type_int))) {
		wall = json_object_get_double(w);
		when = iso_date(date, sizeof date, wall);
	}
	fputs("<text x=\"12\" y=\"22\" font-size=\"16\" font-weight=\"bold\" fill=\"" COL_TEXT
	      "\">Boot timeline</text>\n", out);
	fputs("<text class=\"header\" x=\"12\" y=\"40\" fill=\"" COL_TEXT "\">", out);
	fprintf(out, "kernel %s s", has_start ? num(c, start, 3) : "?");
	if (has_reached) {
		fprintf(out, " \xc2\xb7 init %s s to ", num(c, reached, 3));
		if (rl) {
			fputs("runlevel ", out);
			put_text(out, rl, rl_len, 8);
		} else {
			fputs("boot settled", out);
		}
		if (has_start)
			fprintf(out, " \xc2\xb7 total %s s", num(c, start + reached, 3));
	} else {
		fputs(" \xc2\xb7 boot not settled yet", out);
	}
	fprintf(out, " \xc2\xb7 init started %s \xc2\xb7 %zu job%s</text>\n",
		when ? when : "at an unknown date", c->njobs, c->njobs == 1 ? "" : "s");
}

static void
write_legend(Ctx *c)
{
	static const struct {
		const char *text;
		const char *kind;
	} items[] = {
		{ "starting", COL_STARTING },
		{ "running", COL_RUNNING },
		{ "task running", COL_TASK },
		{ "stopping", COL_STOPPING },
		{ "SysV script", "sysv" },
		{ "failed", "failed" },
		{ "critical chain", "critical" },
		{ "event", "event" },
		{ "default runlevel reached", "reached" },
	};
	FILE  *out = c->out;
	double x = 12, y = LEGEND_Y;

	fputs("<g class=\"legend\">\n", out);
	for (size_t i = 0; i < sizeof items / sizeof items[0]; i++) {
		const char *k = items[i].kind;

		if (k[0] == '#') {
			fprintf(out, "<rect x=\"%s\" y=\"%s\" width=\"14\" height=\"12\" fill=\"%s\"/>",
				px(c, x), px(c, y), k);
		} else if (!strcmp(k, "sysv")) {
			fprintf(out, "<rect x=\"%s\" y=\"%s\" width=\"14\" height=\"12\" fill=\"" COL_RUNNING
				"\"/><rect x=\"%s\" y=\"%s\" width=\"14\" height=\"12\" fill=\"url(#sysv-hatch)\"/>",
				px(c, x), px(c, y), px(c, x), px(c, y));
		} else if (!strcmp(k, "failed")) {
			fprintf(out, "<rect x=\"%s\" y=\"%s\" width=\"14\" height=\"12\" fill=\"" COL_RUNNING
				"\" stroke=\"" COL_FAILED "\" stroke-width=\"1.5\"/>"
				"<rect x=\"%s\" y=\"%s\" width=\"3\" height=\"12\" fill=\"" COL_FAILED "\"/>",
				px(c, x), px(c, y), px(c, x + 11), px(c, y));
		} else if (!strcmp(k, "critical")) {
			fprintf(out, "<rect x=\"%s\" y=\"%s\" width=\"14\" height=\"12\" fill=\"" COL_RUNNING
				"\" stroke=\"" COL_CRITICAL "\" stroke-width=\"2.5\"/>",
				px(c, x), px(c, y));
		} else if (!strcmp(k, "event")) {
			fprintf(out, "<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\" stroke=\"" COL_EVENT
				"\" stroke-dasharray=\"3 2\"/>",
				px(c, x + 7), px(c, y - 1), px(c, x + 7), px(c, y + 13));
		} else {
			fprintf(out, "<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\" stroke=\"" COL_REACHED
				"\" stroke-width=\"2\"/>",
				px(c, x + 7), px(c, y - 1), px(c, x + 7), px(c, y + 13));
		}
		fprintf(out, "<text x=\"%s\" y=\"%s\" fill=\"" COL_TEXT "\">%s</text>\n",
			px(c, x + 19), px(c, y + 10), items[i].text);
		x += 19 + text_width(strlen(items[i].text), 12) + 18;
	}
	fputs("</g>\n", out);
}

static double
row_top(size_t i)
{
	return PLOT_Y + (double)i * ROW_H;
}

static void
write_grid(Ctx *c)
{
	FILE  *out = c->out;
	double top = PLOT_Y, bottom = c->plot_bottom;

	fputs("<g class=\"grid\">\n", out);
	/* Stripes on every other row, label column included. */
	for (size_t i = 1; i < c->njobs; i += 2)
		fprintf(out, "<rect x=\"4\" y=\"%s\" width=\"%d\" height=\"%d\" fill=\"" COL_STRIPE "\"/>\n",
			px(c, row_top(i)), PLOT_X + PLOT_W - 4, ROW_H);
	fprintf(out, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\" fill=\"" COL_MUTED
		"\">seconds since init start</text>\n", PLOT_X - 22, AXIS_Y);
	for (int i = 0; i <= c->nticks; i++) {
		double      x = xt(c, i * c->step);
		const char *label = num(c, i * c->step, c->decimals);

		fprintf(out, "<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\" stroke=\"%s\" stroke-width=\"1\"/>\n",
			px(c, x), px(c, top - 4), px(c, x), px(c, bottom + 4),
			i == 0 ? "#b0b0b0" : COL_GRID);
		fprintf(out, "<text class=\"tick\" x=\"%s\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\""
			" fill=\"" COL_MUTED "\">%s</text>", px(c, x), AXIS_Y, label);
		fprintf(out, "<text x=\"%s\" y=\"%s\" font-size=\"11\" text-anchor=\"middle\""
			" fill=\"" COL_MUTED "\">%s</text>\n", px(c, x), px(c, bottom + 16), label);
	}
	fputs("</g>\n", out);
}

static void
write_events(Ctx *c, struct json_object *events)
{
	FILE  *out = c->out;
	double lane_end[EVENT_LANES];
	size_t n;

	if (!events || !json_object_is_type(events, json_type_array))
		return;
	for (int i = 0; i < EVENT_LANES; i++)
		lane_end[i] = -1e9;
	n = json_object_array_length(events);
	fputs("<g class=\"events\">\n", out);
	for (size_t i = 0; i < n; i++) {
		struct json_object *ev = json_object_array_get_idx(events, i);
		struct json_object *env = field(ev, "env");
		size_t              name_len;
		const char         *name = get_str(ev, "name", &name_len);
		double              t, x, w;
		int                 lane = 0;

		if (!get_time(ev, "t", &t))
			continue;
		x = xt(c, t);
		w = text_width(name ? text_chars(name, name_len) : 1, 11);
		if (w > text_width(EVENT_CHARS, 11))
			w = text_width(EVENT_CHARS, 11);
		/* The first lane free at x, else the one that frees first. */
		for (int l = 0; l < EVENT_LANES; l++) {
			if (lane_end[l] <= x) {
				lane = l;
				break;
			}
			if (lane_end[l] < lane_end[lane])
				lane = l;
		}
		lane_end[lane] = x + 3 + w + 6;
		fputs("<g class=\"event\"><title>event ", out);
		if (name)
			put_text(out, name, name_len, 0);
		else
			fputs("?", out);
		fprintf(out, " at %s s", num(c, t, 3));
		if (env && json_object_is_type(env, json_type_array))
			for (size_t k = 0; k < json_object_array_length(env); k++) {
				struct json_object *v = json_object_array_get_idx(env, k);

				if (!v || !json_object_is_type(v, json_type_string))
					continue;
				fputs("\n  ", out);
				put_text(out, json_object_get_string(v),
					 (size_t)json_object_get_string_len(v), 0);
			}
		fprintf(out, "</title><line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\" stroke=\"" COL_EVENT
			"\" stroke-width=\"1\" stroke-dasharray=\"4 3\"/>",
			px(c, x), px(c, EVENT_Y + lane * EVENT_LANE_H + 3), px(c, x), px(c, c->plot_bottom));
		fprintf(out, "<text x=\"%s\" y=\"%d\" font-size=\"11\" fill=\"" COL_MUTED "\">",
			px(c, x + 3), EVENT_Y + lane * EVENT_LANE_H);
		if (name)
			put_text(out, name, name_len, EVENT_CHARS);
		else
			fputs("?", out);
		fputs("</text></g>\n", out);
	}
	fputs("</g>\n", out);
}

static void
write_reached(Ctx *c, struct json_object *boot)
{
	FILE       *out = c->out;
	double      t, x, w;
	size_t      rl_len, chars;
	const char *rl = get_str(boot, "runlevel", &rl_len);

	if (!get_time(boot, "reached", &t))
		return;
	x = xt(c, t);
	chars = (rl ? 9 + text_chars(rl, rl_len) : 12) + 22;
	w = text_width(chars, 11);
	fprintf(out, "<g class=\"reached\"><line x1=\"%s\" y1=\"%d\" x2=\"%s\" y2=\"%s\" stroke=\""
		COL_REACHED "\" stroke-width=\"2\"/>",
		px(c, x), REACHED_Y + 3, px(c, x), px(c, c->plot_bottom + 4));
	if (x + 4 + w <= SVG_WIDTH - 4)
		fprintf(out, "<text x=\"%s\" y=\"%d\" font-size=\"11\" font-weight=\"bold\" fill=\""
			COL_REACHED "\">", px(c, x + 4), REACHED_Y);
	else
		fprintf(out, "<text x=\"%s\" y=\"%d\" font-size=\"11\" font-weight=\"bold\""
			" text-anchor=\"end\" fill=\"" COL_REACHED "\">", px(c, x - 4), REACHED_Y);
	if (rl) {
		fputs("runlevel ", out);
		put_text(out, rl, rl_len, 8);
	} else {
		fputs("boot settled", out);
	}
	fprintf(out, " reached at %s s</text></g>\n", num(c, t, 3));
}

/* The tooltip of a row. */
static void
write_row_title(Ctx *c, const Entry *e)
{
	FILE *out = c->out;

	fputs("<title>", out);
	put_label(out, e, 0);
	fprintf(out, "\n%s", e->sysv ? "SysV script" : e->task ? "task" : "service");
	if (e->has_id)
		fprintf(out, ", entry %lld", (long long)e->id);
	for (int i = 0; i < T_COUNT; i++)
		fprintf(out, "\n%s: %s%s", stage_names[i], e->ok[i] ? num(c, e->t[i], 3) : "-",
			e->ok[i] ? " s" : "");
	fputs("\nstate ", out);
	if (e->state)
		put_text(out, e->state, e->state_len, 0);
	else
		fputs("?", out);
	fputs(", result ", out);
	if (e->result)
		put_text(out, e->result, e->result_len, 0);
	else
		fputs("-", out);
	if (e->cause) {
		fputs("\ncause: ", out);
		put_text(out, e->cause, e->cause_len, 0);
	}
	if (e->critical)
		fputs("\non the critical chain", out);
	fputs("</title>", out);
}

/* One segment [t0, t1] of a bar; returns its right edge. */
static double
write_segment(Ctx *c, double y, double t0, double t1, const char *colour)
{
	double x0 = xt(c, t0), x1 = xt(c, t1);

	if (x1 > x0)
		fprintf(c->out, "<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"%d\" fill=\"%s\"/>",
			px(c, x0), px(c, y), px(c, x1 - x0), BAR_H, colour);
	return x1;
}

/* The first known time after stage `i`, or the end (if the entry is not
 * at rest), or the stage's own time. */
static double
stage_end(const Ctx *c, const Entry *e, int i)
{
	for (int k = i + 1; k < T_COUNT; k++)
		if (e->ok[k])
			return e->at[k];
	return e->active ? c->end : e->at[i];
}

static void
write_row(Ctx *c, size_t idx, const Entry *e)
{
	FILE       *out = c->out;
	double      top = row_top(idx), y = top + BAR_PAD, x0, x1;
	const char *last = COL_STARTING;

	fprintf(out, "<g class=\"row%s%s%s%s\">", e->critical ? " critical" : "",
		e->failed ? " failed" : "", e->sysv ? " sysv" : "", e->task ? " task" : "");
	write_row_title(c, e);
	fprintf(out, "<text x=\"%d\" y=\"%s\" text-anchor=\"end\" fill=\"%s\"%s%s>", LABEL_RIGHT,
		px(c, top + 13), e->critical ? COL_CRITICAL : e->failed ? COL_FAILED : COL_TEXT,
		e->critical ? " font-weight=\"bold\"" : "", e->sysv ? " font-style=\"italic\"" : "");
	put_label(out, e, LABEL_CHARS);
	fputs("</text>", out);
	if (e->first < 0) {
		fputs("</g>\n", out);
		return;
	}
	x0 = xt(c, e->at[e->first]);
	x1 = x0;
	if (e->first <= T_STARTING) {
		double r = write_segment(c, y, e->at[e->first], stage_end(c, e, T_STARTING), COL_STARTING);

		x1 = r > x1 ? r : x1;
	}
	if (e->ok[T_RUNNING]) {
		double r;

		last = e->task ? COL_TASK : COL_RUNNING;
		r = write_segment(c, y, e->at[T_RUNNING], stage_end(c, e, T_RUNNING), last);
		x1 = r > x1 ? r : x1;
	}
	if (e->ok[T_STOPPING]) {
		double r;

		last = COL_STOPPING;
		r = write_segment(c, y, e->at[T_STOPPING], stage_end(c, e, T_STOPPING), last);
		x1 = r > x1 ? r : x1;
	}
	if (x1 - x0 < MIN_BAR_W) {
		/* Too short to see: a sliver in the colour it ended in. */
		if (x0 > PLOT_X + PLOT_W - MIN_BAR_W)
			x0 = PLOT_X + PLOT_W - MIN_BAR_W;
		x1 = x0 + MIN_BAR_W;
		fprintf(out, "<rect x=\"%s\" y=\"%s\" width=\"%d\" height=\"%d\" fill=\"%s\"/>",
			px(c, x0), px(c, y), MIN_BAR_W, BAR_H, last);
	}
	if (e->sysv)
		fprintf(out, "<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"%d\" fill=\"url(#sysv-hatch)\"/>",
			px(c, x0), px(c, y), px(c, x1 - x0), BAR_H);
	if (e->failed) {
		double cap = x1 - x0 < 4 ? x1 - x0 : 4;

		fprintf(out, "<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"%d\" fill=\"" COL_FAILED "\"/>"
			"<rect class=\"failed-outline\" x=\"%s\" y=\"%s\" width=\"%s\" height=\"%d\" fill=\"none\""
			" stroke=\"" COL_FAILED "\" stroke-width=\"1.5\"/>",
			px(c, x1 - cap), px(c, y), px(c, cap), BAR_H, px(c, x0), px(c, y), px(c, x1 - x0), BAR_H);
	}
	if (e->critical)
		fprintf(out, "<rect class=\"crit-outline\" x=\"%s\" y=\"%s\" width=\"%s\" height=\"%d\""
			" fill=\"none\" stroke=\"" COL_CRITICAL "\" stroke-width=\"2.5\"/>",
			px(c, x0 - 2), px(c, y - 2), px(c, x1 - x0 + 4), BAR_H + 4);
	/* After the bar: how long it took to come up, and a failure. */
	{
		int    up = e->task ? T_STOPPED : T_RUNNING;
		char   what[64] = "";
		double d;

		if (e->ok[up]) {
			d = e->at[up] - e->at[e->first];
			snprintf(what, sizeof what, "%s s", num(c, d, 3));
		}
		if (e->failed)
			snprintf(what + strlen(what), sizeof what - strlen(what), "%sfailed",
				 what[0] ? " " : "");
		if (what[0] && x1 + 6 + text_width(strlen(what), 10) <= SVG_WIDTH - 4)
			fprintf(out, "<text x=\"%s\" y=\"%s\" font-size=\"10\" fill=\"%s\">%s</text>",
				px(c, x1 + 5), px(c, top + 12.5), e->failed ? COL_FAILED : COL_MUTED, what);
	}
	fputs("</g>\n", out);
}

/* The row of the entry with id `id`, or -1. */
static long
row_of(const Ctx *c, int64_t id)
{
	for (size_t i = 0; i < c->njobs; i++) {
		int64_t v;

		if (get_id(field(json_object_array_get_idx(c->jobs, i), "id"), &v) && v == id)
			return (long)i;
	}
	return -1;
}

/* Arrows between consecutive links of the critical chain: from the
 * cause's row down (or up) to where the next link's bar begins. */
static void
write_chain(Ctx *c)
{
	FILE *out = c->out;
	long  prev = -1;

	if (c->nchain < 2)
		return;
	fputs("<g class=\"chain\">\n", out);
	for (size_t i = 0; i < c->nchain; i++) {
		int64_t id;
		long    row;
		Entry   e;
		double  x, y0, y1;

		if (!get_id(json_object_array_get_idx(c->chain, i), &id) ||
		    (row = row_of(c, id)) < 0) {
			prev = -1;
			continue;
		}
		if (prev >= 0 && prev != row) {
			entry_read(c, (size_t)row, &e);
			if (e.first >= 0) {
				x = xt(c, e.at[e.first]);
				y0 = row_top((size_t)prev) + ROW_H / 2.0;
				y1 = row > prev ? row_top((size_t)row) + BAR_PAD - 2.5
						: row_top((size_t)row) + BAR_PAD + BAR_H + 2.5;
				fprintf(out, "<circle cx=\"%s\" cy=\"%s\" r=\"2.5\" fill=\"" COL_CRITICAL "\"/>"
					"<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\" stroke=\"" COL_CRITICAL
					"\" stroke-width=\"1.5\" marker-end=\"url(#crit-arrow)\"/>\n",
					px(c, x), px(c, y0), px(c, x), px(c, y0), px(c, x), px(c, y1));
			}
		}
		prev = row;
	}
	fputs("</g>\n", out);
}

int
timeline_svg_write(FILE *out, struct json_object *doc)
{
	struct json_object *boot = field(doc, "boot");
	struct json_object *jobs = field(doc, "jobs");
	struct json_object *chain = field(doc, "critical_chain");
	Ctx                 c;
	double              height;

	if (!out || !boot || !json_object_is_type(boot, json_type_object) ||
	    !jobs || !json_object_is_type(jobs, json_type_array))
		return -1;
	memset(&c, 0, sizeof c);
	c.out = out;
	c.jobs = jobs;
	c.njobs = json_object_array_length(jobs);
	if (chain && json_object_is_type(chain, json_type_array)) {
		c.chain = chain;
		c.nchain = json_object_array_length(chain);
		if (c.nchain > CHAIN_MAX)
			c.nchain = CHAIN_MAX;
	}
	choose_axis(&c, doc);
	c.plot_bottom = row_top(c.njobs ? c.njobs : 1);
	height = c.plot_bottom + 26;

	fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%d\" height=\"%s\""
		" viewBox=\"0 0 %d %s\" font-family=\"DejaVu Sans, Verdana, Arial, Helvetica, sans-serif\""
		" font-size=\"12\">\n<title>Boot timeline</title>\n",
		SVG_WIDTH, num(&c, height, 0), SVG_WIDTH, num(&c, height, 0));
	write_defs(out);
	fprintf(out, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%s\" fill=\"#ffffff\"/>\n",
		SVG_WIDTH, num(&c, height, 0));
	write_header(&c, boot);
	write_legend(&c);
	write_grid(&c);
	write_events(&c, field(doc, "events"));
	write_reached(&c, boot);
	if (c.njobs == 0)
		fprintf(out, "<text x=\"%d\" y=\"%d\" font-style=\"italic\" fill=\"" COL_MUTED
			"\">no job started</text>\n", PLOT_X + 8, PLOT_Y + 13);
	fputs("<g class=\"jobs\">\n", out);
	for (size_t i = 0; i < c.njobs; i++) {
		Entry e;

		entry_read(&c, i, &e);
		write_row(&c, i, &e);
	}
	fputs("</g>\n", out);
	write_chain(&c);
	fputs("</svg>\n", out);
	return 0;
}
