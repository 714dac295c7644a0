/* test_timeline_svg — `initctl timeline --svg` (initctl/timeline_svg.c).
 *
 * Timeline documents are drawn into memory and the text is checked: the
 * shape of an SVG document with nothing XML forbids in it, hostile names
 * escaped, the critical chain marked on its links only, the axis, and
 * -1 with nothing written for what is not a timeline document.  Documents
 * with every field of the wrong type, odd or huge times must still draw.
 * What the picture looks like is tests/cli/timeline_svg.bats's business.
 */
#include <locale.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "initctl/timeline_svg.h"

/* Colours of initctl/timeline_svg.c, as the unit tests look for them. */
#define COL_STARTING "#f2c14e"
#define COL_RUNNING  "#3f9f5f"
#define COL_TASK     "#4a90d9"
#define COL_STOPPING "#e8955a"

/* A document like the one `initctl timeline --json` prints. */
static const char sample_doc[] =
	"{\"boot\": {\"init_start\": 0.84, \"init_start_wall\": 1764800000.123,"
	"            \"reached\": 3.456, \"runlevel\": \"2\"},"
	" \"jobs\": ["
	"  {\"id\": 3, \"job\": \"rc-sysinit\", \"instance\": \"\", \"sysv\": false, \"task\": true,"
	"   \"goal\": 0.002, \"starting\": 0.003, \"running\": 0.004, \"stopping\": 1.6,"
	"   \"stopped\": 1.61, \"state\": \"waiting\", \"result\": \"ok\","
	"   \"cause\": \"event startup\", \"cause_job\": null, \"critical\": true},"
	"  {\"id\": 7, \"job\": \"cron\", \"instance\": \"\", \"sysv\": false, \"task\": false,"
	"   \"goal\": 0.010, \"starting\": 0.011, \"running\": 0.5, \"stopping\": null,"
	"   \"stopped\": null, \"state\": \"running\", \"result\": null,"
	"   \"cause\": \"event started dbus\", \"cause_job\": 3, \"critical\": true},"
	"  {\"id\": 9, \"job\": \"sysv/console-setup.sh\", \"instance\": \"\", \"sysv\": true,"
	"   \"task\": true, \"goal\": 0.7, \"starting\": 0.7, \"running\": 0.71,"
	"   \"stopping\": 0.98, \"stopped\": 0.982, \"state\": \"waiting\", \"result\": \"failed\","
	"   \"cause\": \"event stopped sysv/keyboard-setup.sh\", \"cause_job\": null,"
	"   \"critical\": false},"
	"  {\"id\": 12, \"job\": \"network-interface\", \"instance\": \"eth0\", \"sysv\": false,"
	"   \"task\": false, \"goal\": 1.0, \"starting\": 1.0, \"running\": 1.2, \"stopping\": null,"
	"   \"stopped\": null, \"state\": \"running\", \"result\": null,"
	"   \"cause\": \"event net-device-added\", \"cause_job\": null, \"critical\": false}"
	" ],"
	" \"events\": [{\"t\": 0.001, \"name\": \"startup\", \"env\": []},"
	"            {\"t\": 1.6, \"name\": \"runlevel\", \"env\": [\"RUNLEVEL=2\", \"PREVLEVEL=N\"]}],"
	" \"critical_chain\": [3, 7]}";

/* The drawing of `doc`: its text (free it), *rc the return value. */
static char *
render(struct json_object *doc, int *rc, size_t *len)
{
	char  *buf = NULL;
	size_t n = 0;
	FILE  *out = open_memstream(&buf, &n);

	assert_non_null(out);
	*rc = timeline_svg_write(out, doc);
	assert_int_equal(fclose(out), 0);
	assert_non_null(buf);
	if (len)
		*len = n;
	assert_int_equal(strlen(buf), n);
	return buf;
}

static struct json_object *
parse(const char *text)
{
	struct json_object *doc = json_tokener_parse(text);

	if (!doc)
		fail_msg("test document does not parse: %s", text);
	return doc;
}

/* Draw `text`, which must succeed. */
static char *
render_text(const char *text)
{
	struct json_object *doc = parse(text);
	int                 rc;
	char               *svg = render(doc, &rc, NULL);

	assert_int_equal(rc, 0);
	json_object_put(doc);
	return svg;
}

static size_t
count(const char *s, const char *what)
{
	size_t n = 0;

	for (const char *p = strstr(s, what); p; p = strstr(p + strlen(what), what))
		n++;
	return n;
}

/* A whole SVG document, as far as text can tell: the XML declaration
 * and the root, balanced elements, every & an entity, every < a tag, no
 * control character, no number that is not one. */
static void
assert_svg_shape(const char *svg)
{
	size_t len = strlen(svg);
	static const char *const bad_numbers[] = {
		"=\"nan", "=\"-nan", "=\"inf", "=\"-inf", "width=\"-", "height=\"-",
	};

	assert_true(strncmp(svg, "<?xml version=\"1.0\" encoding=\"UTF-8\"", 36) == 0);
	assert_non_null(strstr(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\""));
	assert_true(len > 7 && strcmp(svg + len - 7, "</svg>\n") == 0);
	assert_int_equal(count(svg, "<svg"), 1);
	assert_int_equal(count(svg, "<g"), count(svg, "</g>"));
	assert_int_equal(count(svg, "<text"), count(svg, "</text>"));
	assert_int_equal(count(svg, "<title>"), count(svg, "</title>"));
	for (const char *p = svg; *p; p++) {
		unsigned char ch = (unsigned char)*p;

		if (ch < 0x20 && ch != '\n')
			fail_msg("control character 0x%02x at offset %td", ch, p - svg);
		if (ch == '&' && strncmp(p, "&amp;", 5) && strncmp(p, "&lt;", 4) &&
		    strncmp(p, "&gt;", 4) && strncmp(p, "&quot;", 6) && strncmp(p, "&apos;", 6))
			fail_msg("bare & at offset %td: %.20s", p - svg, p);
		if (ch == '<' && !(p[1] == '/' || p[1] == '?' || p[1] == '!' ||
				   (p[1] >= 'a' && p[1] <= 'z')))
			fail_msg("bare < at offset %td: %.20s", p - svg, p);
	}
	for (size_t i = 0; i < sizeof bad_numbers / sizeof bad_numbers[0]; i++)
		if (strstr(svg, bad_numbers[i]))
			fail_msg("%s in the drawing: %.60s", bad_numbers[i], strstr(svg, bad_numbers[i]));
}

/* The row group of the entry labelled `label` (copy; free it). */
static char *
row_of(const char *svg, const char *label)
{
	char        want[256];
	const char *p = svg;

	snprintf(want, sizeof want, ">%s</text>", label);
	while ((p = strstr(p, "<g class=\"row"))) {
		const char *end = strstr(p, "</g>\n");

		assert_non_null(end);
		if (memmem(p, (size_t)(end - p), want, strlen(want)))
			return strndup(p, (size_t)(end - p));
		p = end;
	}
	fail_msg("no row labelled %s", label);
	return NULL;
}

static void
test_sample(void **state)
{
	char *svg = render_text(sample_doc);
	char *row;

	assert_svg_shape(svg);
	assert_int_equal(count(svg, "<g class=\"row"), 4);
	assert_non_null(strstr(svg, "kernel 0.840 s"));
	assert_non_null(strstr(svg, "init 3.456 s to runlevel 2"));
	assert_non_null(strstr(svg, "total 4.296 s"));
	assert_non_null(strstr(svg, "init started 2025-12-03T22:13:20.123Z"));
	assert_non_null(strstr(svg, "runlevel 2 reached at 3.456 s</text>"));
	/* Events, with their environment in the tooltip. */
	assert_int_equal(count(svg, "<g class=\"event\">"), 2);
	assert_non_null(strstr(svg, "<title>event runlevel at 1.600 s\n  RUNLEVEL=2\n  PREVLEVEL=N</title>"));
	/* A task runs in its own colour, a service in the running one. */
	row = row_of(svg, "rc-sysinit");
	assert_non_null(strstr(row, COL_TASK));
	assert_null(strstr(row, COL_RUNNING));
	assert_non_null(strstr(row, COL_STOPPING));
	assert_non_null(strstr(row, "\nrunning: 0.004 s\n"));
	free(row);
	row = row_of(svg, "cron");
	assert_non_null(strstr(row, COL_STARTING));
	assert_non_null(strstr(row, COL_RUNNING));
	assert_null(strstr(row, COL_STOPPING));
	assert_non_null(strstr(row, "cause: event started dbus"));
	free(row);
	/* SysV hatched, failed outlined. */
	row = row_of(svg, "sysv/console-setup.sh");
	assert_non_null(strstr(row, "class=\"row failed sysv task\""));
	assert_non_null(strstr(row, "url(#sysv-hatch)"));
	assert_non_null(strstr(row, "failed-outline"));
	free(row);
	row = row_of(svg, "network-interface (eth0)");
	assert_null(strstr(row, "url(#sysv-hatch)"));
	assert_null(strstr(row, "failed-outline"));
	free(row);
	free(svg);
}

/* The critical marker is on the links of the chain and nowhere else;
 * consecutive links are joined by an arrow. */
static void
test_critical_marker(void **state)
{
	char *svg = render_text(sample_doc);
	char *row;

	assert_int_equal(count(svg, "crit-outline"), 2);
	assert_int_equal(count(svg, "<g class=\"row critical"), 2);
	assert_int_equal(count(svg, "marker-end=\"url(#crit-arrow)\""), 1);
	row = row_of(svg, "rc-sysinit");
	assert_non_null(strstr(row, "crit-outline"));
	assert_non_null(strstr(row, "font-weight=\"bold\""));
	free(row);
	row = row_of(svg, "cron");
	assert_non_null(strstr(row, "crit-outline"));
	free(row);
	row = row_of(svg, "sysv/console-setup.sh");
	assert_null(strstr(row, "crit-outline"));
	assert_null(strstr(row, "font-weight"));
	free(row);
	row = row_of(svg, "network-interface (eth0)");
	assert_null(strstr(row, "crit-outline"));
	free(row);
	free(svg);

	/* No chain, no critical entry: no marker at all. */
	svg = render_text("{\"boot\": {}, \"jobs\": ["
			  "{\"id\": 1, \"job\": \"a\", \"goal\": 0.1, \"running\": 0.2},"
			  "{\"id\": 2, \"job\": \"b\", \"goal\": 0.2, \"running\": 0.3}],"
			  " \"critical_chain\": []}");
	assert_svg_shape(svg);
	assert_int_equal(count(svg, "crit-outline"), 0);
	assert_int_equal(count(svg, "marker-end="), 0);
	free(svg);
}

/* Every character XML forbids or gives a meaning is escaped or replaced,
 * wherever a string of the document lands. */
static void
test_escaping(void **state)
{
	static const char hostile[] = "<&\"'\n\x01";
	struct json_object *doc = parse(sample_doc);
	struct json_object *jobs, *job, *ev;
	char               *svg, *row;
	int                 rc;

	json_object_object_get_ex(doc, "jobs", &jobs);
	job = json_object_array_get_idx(jobs, 1);
	json_object_object_add(job, "instance", json_object_new_string(hostile));
	/* Invalid UTF-8, a NUL, U+FFFF and a C1 control. */
	json_object_object_add(job, "cause",
			       json_object_new_string_len("a\xff" "b\0c\xef\xbf\xbf" "d\xc2\x85" "e\xed\xa0\x80", 15));
	job = json_object_array_get_idx(jobs, 0);
	json_object_object_add(job, "job", json_object_new_string("a]]>b</text><script>x</script>"));
	json_object_object_add(job, "state", json_object_new_string("wait\ring"));
	ev = json_object_array_get_idx(json_object_object_get(doc, "events"), 0);
	json_object_object_add(ev, "name", json_object_new_string("ev<1>&\"'"));
	json_object_array_add(json_object_object_get(ev, "env"), json_object_new_string("K=v\x1b[31m"));
	json_object_object_add(json_object_object_get(doc, "boot"), "runlevel",
			       json_object_new_string("<S>"));

	svg = render(doc, &rc, NULL);
	assert_int_equal(rc, 0);
	assert_svg_shape(svg);
	row = row_of(svg, "cron (&lt;&amp;&quot;&apos;\xef\xbf\xbd\xef\xbf\xbd)");
	assert_non_null(strstr(row, "cause: a\xef\xbf\xbd" "b\xef\xbf\xbd" "c\xef\xbf\xbd" "d\xef\xbf\xbd"
				    "e\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\non the critical chain</title>"));
	free(row);
	assert_null(strstr(svg, "<script"));
	assert_non_null(strstr(svg, "a]]&gt;b&lt;/text&gt;&lt;script&gt;x&lt;/script&gt;"));
	assert_non_null(strstr(svg, "state wait\xef\xbf\xbding"));
	assert_non_null(strstr(svg, ">ev&lt;1&gt;&amp;&quot;&apos;</text>"));
	assert_non_null(strstr(svg, "K=v\xef\xbf\xbd[31m"));
	assert_non_null(strstr(svg, "runlevel &lt;S&gt; reached at"));
	assert_null(memchr(svg, '\x01', strlen(svg)));
	assert_null(memchr(svg, '\xff', strlen(svg)));
	assert_null(memchr(svg, '\r', strlen(svg)));
	free(svg);
	json_object_put(doc);
}

/* A long label is cut with an ellipsis; the tooltip has it whole. */
static void
test_long_label(void **state)
{
	char  name[201];
	char *text, *svg;

	memset(name, 'n', 200);
	name[200] = '\0';
	if (asprintf(&text, "{\"boot\": {}, \"jobs\": [{\"job\": \"%s\", \"instance\": \"i\","
		     " \"goal\": 0.1}]}", name) < 0)
		fail();
	svg = render_text(text);
	assert_svg_shape(svg);
	{
		/* 33 characters and the ellipsis. */
		char want[256];

		snprintf(want, sizeof want, ">%.33s\xe2\x80\xa6</text>", name);
		assert_non_null(strstr(svg, want));
		snprintf(want, sizeof want, "<title>%s (i)\n", name);
		assert_non_null(strstr(svg, want));
	}
	free(svg);
	free(text);
}

/* What is not a timeline document: -1, and not a byte written. */
static void
test_bad_docs(void **state)
{
	static const char *const docs[] = {
		"[]", "\"text\"", "42", "null", "{}",
		"{\"boot\": {}}", "{\"jobs\": []}",
		"{\"boot\": 1, \"jobs\": []}", "{\"boot\": null, \"jobs\": []}",
		"{\"boot\": [], \"jobs\": []}", "{\"boot\": {}, \"jobs\": {}}",
		"{\"boot\": {}, \"jobs\": \"[]\"}", "{\"boot\": {}, \"jobs\": null}",
	};
	int    rc;
	size_t len;
	char  *svg;

	for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
		struct json_object *doc = json_tokener_parse(docs[i]);

		svg = render(doc, &rc, &len);
		if (rc != -1 || len != 0)
			fail_msg("%s: rc %d, %zu bytes written", docs[i], rc, len);
		free(svg);
		json_object_put(doc);
	}
	svg = render(NULL, &rc, &len);
	assert_int_equal(rc, -1);
	assert_int_equal(len, 0);
	free(svg);
}

/* Fields of the wrong type are null; nothing crashes, the drawing is
 * still a drawing. */
static void
test_type_confusion(void **state)
{
	static const char *const docs[] = {
		"{\"boot\": {\"init_start\": \"0.8\", \"init_start_wall\": \"x\", \"reached\": [1],"
		"  \"runlevel\": 2},"
		" \"jobs\": [1, \"x\", null, [], {}, true, 2.5,"
		"  {\"id\": \"7\", \"job\": 5, \"instance\": {}, \"sysv\": \"yes\", \"task\": 1,"
		"   \"goal\": \"0.1\", \"starting\": true, \"running\": {}, \"stopping\": [],"
		"   \"stopped\": null, \"state\": 7, \"result\": false, \"cause\": [],"
		"   \"cause_job\": \"3\", \"critical\": \"true\"}],"
		" \"events\": {\"t\": 1}, \"critical_chain\": \"7\"}",
		"{\"boot\": {\"reached\": \"soon\"}, \"jobs\": [{\"job\": [\"a\"], \"goal\": 0.1}],"
		" \"events\": [1, null, \"x\", [], {\"t\": \"1\"}, {\"t\": 1, \"name\": 3, \"env\": \"A=1\"},"
		"  {\"t\": 2, \"name\": \"e\", \"env\": [1, null, {}, \"A=1\"]}],"
		" \"critical_chain\": [null, \"x\", 1.5, {}, [], 7, 7, -1]}",
		"{\"boot\": {\"init_start\": 1e308, \"init_start_wall\": -1e308, \"reached\": -1e308},"
		" \"jobs\": [{\"id\": 9223372036854775807, \"job\": \"big\", \"goal\": 1e308,"
		"   \"running\": -1e308, \"stopped\": 1e300},"
		"  {\"id\": -9223372036854775808, \"job\": \"cap\", \"goal\": 1e9, \"running\": 999999999.999}],"
		" \"events\": [{\"t\": 1e308, \"name\": \"late\"}, {\"t\": -5, \"name\": \"early\"}],"
		" \"critical_chain\": [9223372036854775807, -9223372036854775808]}",
		"{\"boot\": {\"init_start_wall\": 1e20}, \"jobs\": [], \"events\": null,"
		" \"critical_chain\": null, \"extra\": {\"jobs\": 1}}",
	};

	for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
		char *svg = render_text(docs[i]);

		assert_svg_shape(svg);
		/* "critical": "true" is not true. */
		if (i == 0) {
			assert_int_equal(count(svg, "<g class=\"row"), 8);
			assert_int_equal(count(svg, "crit-outline"), 0);
			assert_non_null(strstr(svg, "kernel ? s"));
			assert_non_null(strstr(svg, "boot not settled yet"));
			assert_non_null(strstr(svg, "at an unknown date"));
		}
		if (i == 3)
			assert_non_null(strstr(svg, "at an unknown date"));
		free(svg);
	}
}

/* Numbers json-c can hold but JSON cannot write. */
static void
test_not_finite(void **state)
{
	struct json_object *doc = parse("{\"boot\": {}, \"jobs\": [{\"job\": \"a\"}],"
					" \"events\": [{\"name\": \"e\"}]}");
	struct json_object *jobs = json_object_object_get(doc, "jobs");
	struct json_object *job = json_object_array_get_idx(jobs, 0);
	struct json_object *boot = json_object_object_get(doc, "boot");
	struct json_object *ev = json_object_array_get_idx(json_object_object_get(doc, "events"), 0);
	int                 rc;
	char               *svg;

	json_object_object_add(job, "goal", json_object_new_double(NAN));
	json_object_object_add(job, "starting", json_object_new_double(INFINITY));
	json_object_object_add(job, "running", json_object_new_double(0.25));
	json_object_object_add(job, "stopped", json_object_new_double(-INFINITY));
	json_object_object_add(boot, "reached", json_object_new_double(NAN));
	json_object_object_add(boot, "init_start", json_object_new_double(INFINITY));
	json_object_object_add(boot, "init_start_wall", json_object_new_double(NAN));
	json_object_object_add(ev, "t", json_object_new_double(-NAN));
	svg = render(doc, &rc, NULL);
	assert_int_equal(rc, 0);
	assert_svg_shape(svg);
	assert_non_null(strstr(svg, "goal: -\n"));
	assert_non_null(strstr(svg, "running: 0.250 s\n"));
	assert_int_equal(count(svg, "<g class=\"event\">"), 0);
	free(svg);
	json_object_put(doc);
}

static void
test_zero_jobs(void **state)
{
	char *svg = render_text("{\"boot\": {\"reached\": null, \"runlevel\": null}, \"jobs\": [],"
				" \"events\": [], \"critical_chain\": []}");

	assert_svg_shape(svg);
	assert_int_equal(count(svg, "<g class=\"row"), 0);
	assert_non_null(strstr(svg, "no job started"));
	assert_non_null(strstr(svg, "0 jobs"));
	assert_null(strstr(svg, "class=\"reached\""));
	free(svg);
}

/* A single job known only by its goal, still starting: its bar runs to
 * the end of the axis. */
static void
test_goal_only(void **state)
{
	char *svg = render_text("{\"boot\": {\"reached\": null}, \"jobs\": [{\"id\": 1, \"job\": \"a\","
				" \"goal\": 0.5, \"starting\": null, \"running\": null, \"stopping\": null,"
				" \"stopped\": null, \"state\": \"starting\", \"result\": null}]}");
	char *row = row_of(svg, "a");

	assert_svg_shape(svg);
	assert_non_null(strstr(svg, "1 job</text>"));
	/* 0.5 s * 1.02: 0.51 s in steps of 0.05 s, to 0.55 s; the bar from
	 * x(0.5) = 260 + 0.5 / 0.55 * 1200 to the end, 1460. */
	assert_non_null(strstr(row, "<rect x=\"1350.9\" y=\"157.0\" width=\"109.1\" height=\"12\" fill=\""
				    COL_STARTING "\"/>"));
	free(row);
	free(svg);

	/* At rest and nothing but a goal (failed before it started): a sliver. */
	svg = render_text("{\"boot\": {}, \"jobs\": [{\"job\": \"a\", \"goal\": 0.5,"
			  " \"state\": \"waiting\", \"result\": \"failed\"}, {\"job\": \"b\", \"goal\": 1}]}");
	row = row_of(svg, "a");
	assert_non_null(strstr(row, "width=\"2\" height=\"12\" fill=\"" COL_STARTING "\""));
	assert_non_null(strstr(row, "failed-outline"));
	free(row);
	free(svg);
}

/* Times out of order are drawn in order: no segment runs backwards. */
static void
test_out_of_order(void **state)
{
	char *svg = render_text("{\"boot\": {\"reached\": 0.2}, \"jobs\": ["
				" {\"job\": \"a\", \"goal\": 2, \"starting\": 1, \"running\": 0.5,"
				"  \"stopping\": 3, \"stopped\": 0.1, \"state\": \"waiting\"},"
				" {\"job\": \"b\", \"goal\": -1, \"running\": -0.5, \"state\": \"running\"},"
				" {\"job\": \"c\", \"stopped\": 1, \"running\": 2}],"
				" \"critical_chain\": [1, 2, 3]}");

	assert_svg_shape(svg);
	assert_int_equal(count(svg, "<g class=\"row"), 3);
	free(svg);
}

/* 500 jobs: 500 rows of 18 px. */
static void
test_many_jobs(void **state)
{
	struct json_object *doc = parse("{\"boot\": {\"reached\": 60}, \"jobs\": [], \"critical_chain\": []}");
	struct json_object *jobs = json_object_object_get(doc, "jobs");
	struct json_object *chain = json_object_object_get(doc, "critical_chain");
	int                 rc;
	char               *svg;

	for (int i = 0; i < 500; i++) {
		struct json_object *job = json_object_new_object();
		char                name[32];

		snprintf(name, sizeof name, "job%d", i);
		json_object_object_add(job, "id", json_object_new_int(i));
		json_object_object_add(job, "job", json_object_new_string(name));
		json_object_object_add(job, "goal", json_object_new_double(i * 0.1));
		json_object_object_add(job, "running", json_object_new_double(i * 0.1 + 0.05));
		json_object_object_add(job, "critical", json_object_new_boolean(i % 50 == 0));
		json_object_array_add(jobs, job);
		if (i % 50 == 0)
			json_object_array_add(chain, json_object_new_int(i));
	}
	svg = render(doc, &rc, NULL);
	assert_int_equal(rc, 0);
	assert_svg_shape(svg);
	assert_int_equal(count(svg, "<g class=\"row"), 500);
	assert_int_equal(count(svg, "crit-outline"), 10);
	assert_int_equal(count(svg, "marker-end=\"url(#crit-arrow)\""), 9);
	assert_non_null(strstr(svg, " height=\"9180\" viewBox=\"0 0 1510 9180\""));
	free(svg);
	json_object_put(doc);
}

/* 9 to 20 ticks, whatever the span. */
static void
test_ticks(void **state)
{
	static const double spans[] = {
		0, 0.0005, 0.003, 0.01, 0.05, 0.5, 0.98, 1, 3.4, 9.99, 77, 1234.5, 1e6, 9.9e8, 1e9,
	};

	for (size_t i = 0; i < sizeof spans / sizeof spans[0]; i++) {
		char   *text, *svg;
		size_t  n;

		if (asprintf(&text, "{\"boot\": {}, \"jobs\": [{\"job\": \"a\", \"goal\": %.17g}]}",
			     spans[i]) < 0)
			fail();
		svg = render_text(text);
		assert_svg_shape(svg);
		n = count(svg, "class=\"tick\"");
		if (n < 9 || n > 20)
			fail_msg("%g s: %zu ticks", spans[i], n);
		free(svg);
		free(text);
	}
}

/* Numbers are written with a point under any locale (initctl runs under
 * the user's).  Skipped where no locale writes a decimal comma. */
static void
test_locale(void **state)
{
	static const char *const names[] = { "de_DE.UTF-8", "fr_FR.UTF-8", "ru_RU.UTF-8" };
	locale_t loc = (locale_t)0;
	char     probe[16] = "";
	char    *svg;

	for (size_t i = 0; i < sizeof names / sizeof names[0] && !loc; i++)
		loc = newlocale(LC_NUMERIC_MASK, names[i], (locale_t)0);
	if (loc) {
		uselocale(loc);
		snprintf(probe, sizeof probe, "%.1f", 0.5);
	}
	if (strcmp(probe, "0,5") != 0) {
		uselocale(LC_GLOBAL_LOCALE);
		if (loc)
			freelocale(loc);
		skip();
	}
	svg = render_text(sample_doc);
	uselocale(LC_GLOBAL_LOCALE);
	freelocale(loc);
	assert_svg_shape(svg);
	assert_non_null(strstr(svg, "kernel 0.840 s"));
	assert_non_null(strstr(svg, "<text class=\"tick\" x=\"460.0\""));
	/* No attribute value starts with digits and a comma. */
	for (const char *p = strstr(svg, "=\""); p; p = strstr(p + 2, "=\"")) {
		const char *q = p + 2;

		while (*q >= '0' && *q <= '9')
			q++;
		if (q > p + 2 && *q == ',')
			fail_msg("decimal comma: %.30s", p);
	}
	free(svg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sample),
		cmocka_unit_test(test_critical_marker),
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_long_label),
		cmocka_unit_test(test_bad_docs),
		cmocka_unit_test(test_type_confusion),
		cmocka_unit_test(test_not_finite),
		cmocka_unit_test(test_zero_jobs),
		cmocka_unit_test(test_goal_only),
		cmocka_unit_test(test_out_of_order),
		cmocka_unit_test(test_many_jobs),
		cmocka_unit_test(test_ticks),
		cmocka_unit_test(test_locale),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
