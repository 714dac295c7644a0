/* Unit tests for the pure parts of compat/telinit: shutdown's time
 * parsing, warning schedule, target flags and texts; telinit's argument
 * and the requests it becomes in both init's languages (the FIFO records
 * are read back with PID 1's own decoder); halt/reboot's modes and the
 * shutdown command lines they hand over; runlevel's reply parsing; wall's
 * header and escaping.  Table-driven: one row per case.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "sysv/initctl_fifo.h"
#include "sysv/initreq.h"
#include "telinit/level_query.h"
#include "telinit/power.h"
#include "telinit/shutdown_plan.h"
#include "telinit/sysv_request.h"
#include "telinit/wall.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---- shutdown: TIME ----------------------------------------------------- */

static void
test_time_parse(void **state)
{
	static const struct {
		const char *when;
		int         hour, min;      /* local time "now" */
		long        minutes;        /* when error is NULL */
		const char *error;
	} rows[] = {
		{ "now",        10,  0,    0, NULL },
		{ "0",          10,  0,    0, NULL },
		{ "5",          10,  0,    5, NULL },
		{ "+5",         10,  0,    5, NULL },
		{ "+0",         10,  0,    0, NULL },
		{ "007",        10,  0,    7, NULL },
		{ "10:30",      10,  0,   30, NULL },
		{ "10:00",      10,  0,    0, NULL },
		{ "09:59",      10,  0, 1439, NULL },   /* tomorrow */
		{ "0:00",       23, 59,    1, NULL },
		{ "23:59",       0,  0, 1439, NULL },
		{ "1:5",         1,  0,    5, NULL },
		{ "+1:30",      10,  0,   90, NULL },   /* relative (sysvinit 3) */
		{ "+0:00",      10,  0,    0, NULL },
		{ "+25:00",     10,  0, 1500, NULL },
		{ "527040",     10,  0, SHUTDOWN_MAX_MINUTES, NULL },
		{ "527041",     10,  0,    0, "illegal time value" },
		{ "99999999999999999999", 10, 0, 0, "illegal time value" },
		{ "24:00",      10,  0,    0, "illegal hour value" },
		{ ":30",        10,  0,    0, "illegal hour value" },
		{ "x:30",       10,  0,    0, "illegal hour value" },
		{ "+9000:00",   10,  0,    0, "illegal hour value" },
		{ "1:60",       10,  0,    0, "illegal minute value" },
		{ "10:",        10,  0,    0, "illegal minute value" },
		{ "1:5x",       10,  0,    0, "illegal minute value" },
		{ "1:2:3",      10,  0,    0, "illegal minute value" },
		{ "",           10,  0,    0, "illegal time value" },
		{ "+",          10,  0,    0, "illegal time value" },
		{ "abc",        10,  0,    0, "illegal time value" },
		{ "5m",         10,  0,    0, "illegal time value" },
		{ "-5",         10,  0,    0, "illegal time value" },
		{ " 5",         10,  0,    0, "illegal time value" },
		{ "+now",       10,  0,    0, "illegal time value" },
		{ "NOW",        10,  0,    0, "illegal time value" },
	};

	for (size_t i = 0; i < COUNT(rows); i++) {
		struct tm   now = { .tm_hour = rows[i].hour, .tm_min = rows[i].min };
		const char *error = NULL;
		long        minutes = -1;
		int         rc = shutdown_time_parse(rows[i].when, &now, &minutes,
						     &error);

		print_message("TIME %s at %02d:%02d\n", rows[i].when,
			      rows[i].hour, rows[i].min);
		if (rows[i].error == NULL) {
			assert_int_equal(rc, 0);
			assert_int_equal(minutes, rows[i].minutes);
		} else {
			assert_int_equal(rc, -1);
			assert_string_equal(error, rows[i].error);
		}
	}
}

/* ---- shutdown: warning schedule ----------------------------------------- */

static void
test_need_warning(void **state)
{
	static const struct {
		long          minutes;
		ShutdownQuiet quiet;
		bool          warn;
	} rows[] = {
		{   1, SHUTDOWN_QUIET_NONE, true },
		{   9, SHUTDOWN_QUIET_NONE, true },
		{  10, SHUTDOWN_QUIET_NONE, false },
		{  14, SHUTDOWN_QUIET_NONE, false },
		{  15, SHUTDOWN_QUIET_NONE, true },
		{  30, SHUTDOWN_QUIET_NONE, true },
		{  45, SHUTDOWN_QUIET_NONE, true },
		{  50, SHUTDOWN_QUIET_NONE, false },
		{  60, SHUTDOWN_QUIET_NONE, true },
		{  75, SHUTDOWN_QUIET_NONE, false },
		{  90, SHUTDOWN_QUIET_NONE, true },
		{ 150, SHUTDOWN_QUIET_NONE, true },
		{ 180, SHUTDOWN_QUIET_NONE, true },
		{ 210, SHUTDOWN_QUIET_NONE, false },
		{ 240, SHUTDOWN_QUIET_NONE, true },
		{   1, SHUTDOWN_QUIET_SOME, false },
		{   5, SHUTDOWN_QUIET_SOME, true },
		{   9, SHUTDOWN_QUIET_SOME, false },
		{  10, SHUTDOWN_QUIET_SOME, true },
		{  15, SHUTDOWN_QUIET_SOME, false },
		{  60, SHUTDOWN_QUIET_SOME, true },
		{ 120, SHUTDOWN_QUIET_SOME, true },
		{   1, SHUTDOWN_QUIET_ALL,  false },
		{   5, SHUTDOWN_QUIET_ALL,  false },
		{  60, SHUTDOWN_QUIET_ALL,  false },
	};

	for (size_t i = 0; i < COUNT(rows); i++) {
		print_message("%ld minutes, quiet %d\n", rows[i].minutes,
			      rows[i].quiet);
		assert_int_equal(shutdown_need_warning(rows[i].minutes,
						       rows[i].quiet),
				 rows[i].warn);
	}
}

/* ---- shutdown: target flags --------------------------------------------- */

static void
test_target_flags(void **state)
{
	static const struct {
		const char *flags;     /* in command-line order */
		char        level;
		const char *halt;      /* INIT_HALT sent */
	} rows[] = {
		{ "",     '1', NULL },
		{ "r",    '6', NULL },
		{ "h",    '0', NULL },
		{ "H",    '0', "HALT" },        /* Upstart: -H alone implies -h */
		{ "P",    '0', "POWEROFF" },
		{ "hH",   '0', "HALT" },
		{ "hP",   '0', "POWEROFF" },
		{ "Ph",   '0', "POWEROFF" },    /* sysvinit: -P -h powers off */
		{ "HP",   '0', "POWEROFF" },
		{ "PH",   '0', "HALT" },
		{ "Pr",   '6', NULL },          /* the last level flag wins */
		{ "rP",   '0', "POWEROFF" },
		{ "Hr",   '6', NULL },
		{ "rh",   '0', NULL },
		{ "hr",   '6', NULL },
		{ "Prh",  '0', NULL },          /* -r forgot the halt type */
		{ "x",    '1', NULL },          /* not a target flag */
	};

	for (size_t i = 0; i < COUNT(rows); i++) {
		ShutdownTarget target;
		const char    *halt;

		print_message("flags '%s'\n", rows[i].flags);
		shutdown_target_init(&target);
		for (const char *f = rows[i].flags; *f; f++)
			shutdown_target_flag(&target, *f);
		assert_int_equal(target.level, rows[i].level);
		halt = shutdown_target_halt(&target);
		if (rows[i].halt == NULL)
			assert_null(halt);
		else
			assert_string_equal(halt, rows[i].halt);
	}
}

static void
test_target_level(void **state)
{
	static const struct {
		const char *arg;
		bool        ok;
	} rows[] = {
		{ "0", true }, { "1", true }, { "5", true }, { "6", true },
		{ "a", true }, { "A", true }, { "b", true }, { "B", true },
		{ "c", true }, { "C", true }, { "s", true }, { "S", true },
		{ "2", false }, { "3", false }, { "4", false }, { "7", false },
		{ "q", false }, { "", false }, { "00", false }, { "S ", false },
	};

	for (size_t i = 0; i < COUNT(rows); i++) {
		ShutdownTarget target;

		print_message("-i '%s'\n", rows[i].arg);
		shutdown_target_init(&target);
		shutdown_target_flag(&target, 'P');
		assert_int_equal(shutdown_target_level(&target, rows[i].arg),
				 rows[i].ok);
		if (rows[i].ok)
			assert_int_equal(target.level, rows[i].arg[0]);
		else
			assert_int_equal(target.level, '0');
	}
	/* -i keeps the halt type only for level 0. */
	{
		ShutdownTarget target;

		shutdown_target_init(&target);
		shutdown_target_flag(&target, 'H');
		assert_true(shutdown_target_level(&target, "0"));
		assert_string_equal(shutdown_target_halt(&target), "HALT");
		assert_true(shutdown_target_level(&target, "6"));
		assert_null(shutdown_target_halt(&target));
	}
}

/* ---- shutdown: texts ---------------------------------------------------- */

static void
test_state_text(void **state)
{
	static const struct {
		char        level;
		const char *text;
	} rows[] = {
		{ '0', "for system halt" },
		{ '6', "for reboot" },
		{ '1', "to maintenance mode" },
		{ '5', "to runlevel 5" },
		{ 's', "to runlevel s" },
	};

	for (size_t i = 0; i < COUNT(rows); i++) {
		char *text = shutdown_state_text(rows[i].level);

		assert_string_equal(text, rows[i].text);
		free(text);
	}
}

static void
test_warning_text(void **state)
{
	static const struct {
		const char *message;
		long        minutes;
		const char *text;
	} rows[] = {
		{ "", 0, "\rThe system is going down for reboot NOW!\r\n" },
		{ "", 1, "\rThe system is going DOWN for reboot in 1 minute!\r\n" },
		{ "", 2, "\rThe system is going DOWN for reboot in 2 minutes!\r\n" },
		{ "bye \r\n", 15,
		  "bye \r\n\rThe system is going DOWN for reboot in 15 minutes!\r\n" },
	};

	for (size_t i = 0; i < COUNT(rows); i++) {
		char *text = shutdown_warning_text(rows[i].message, "for reboot",
						   rows[i].minutes);

		assert_string_equal(text, rows[i].text);
		free(text);
	}
}

static void
test_message(void **state)
{
	char  *words[] = { "System", "going", "down", NULL };
	char  *text, *big[200];
	char   word[] = "0123456789";
	size_t len;

	text = shutdown_message(words, 3);
	assert_string_equal(text, "System going down \r\n");
	free(text);
	text = shutdown_message(words, 0);
	assert_string_equal(text, "");
	free(text);

	/* sysvinit stops before the word that would pass 256 bytes: 23
	 * words of 11 bytes fill 253, the 24th would not fit. */
	for (size_t i = 0; i < COUNT(big); i++)
		big[i] = word;
	text = shutdown_message(big, COUNT(big));
	len = strlen(text);
	assert_int_equal(len, 23 * 11 + 2);
	assert_true(len < SHUTDOWN_MESSAGE_MAX);
	assert_string_equal(text + len - 2, "\r\n");
	free(text);
}

static void
test_nologin_text(void **state)
{
	char *text;

	setenv("TZ", "UTC", 1);
	tzset();
	text = shutdown_nologin_text("bye \r\n", 0);
	assert_string_equal(text, "\rThe system is going down on "
			    "Thu Jan  1 00:00:00 1970\n\r\nbye \r\n");
	free(text);
}

/* ---- telinit's argument and its requests -------------------------------- */

static void
test_parse_level(void **state)
{
	static const struct {
		const char     *arg;
		bool            ok;
		SysvRequestKind kind;
		char            level;
	} rows[] = {
		{ "0", true, SYSV_REQUEST_RUNLEVEL, '0' },
		{ "6", true, SYSV_REQUEST_RUNLEVEL, '6' },
		{ "S", true, SYSV_REQUEST_RUNLEVEL, 'S' },
		{ "s", true, SYSV_REQUEST_RUNLEVEL, 'S' },
		{ "q", true, SYSV_REQUEST_RELOAD, 'Q' },
		{ "Q", true, SYSV_REQUEST_RELOAD, 'Q' },
		{ "u", true, SYSV_REQUEST_REEXEC, 'U' },
		{ "U", true, SYSV_REQUEST_REEXEC, 'U' },
		{ "a", true, SYSV_REQUEST_ONDEMAND, 'a' },
		{ "B", true, SYSV_REQUEST_ONDEMAND, 'b' },
		{ "c", true, SYSV_REQUEST_ONDEMAND, 'c' },
		{ "7", false, 0, 0 },
		{ "9", false, 0, 0 },
		{ "d", false, 0, 0 },
		{ "", false, 0, 0 },
		{ "22", false, 0, 0 },
		{ "-1", false, 0, 0 },
	};

	for (size_t i = 0; i < COUNT(rows); i++) {
		SysvRequestKind kind = -1;
		char            level = 0;

		print_message("telinit '%s'\n", rows[i].arg);
		assert_int_equal(sysv_request_parse_level(rows[i].arg, &kind, &level),
				 rows[i].ok);
		if (!rows[i].ok)
			continue;
		assert_int_equal(kind, rows[i].kind);
		assert_int_equal(level, rows[i].level);
	}
}

static void
test_request_json(void **state)
{
	static const char *const halt[] = { "INIT_HALT=POWEROFF", NULL };
	static const char *const vars[] = { "INIT_X=1", "INIT_Y", NULL };
	static const struct {
		SysvRequest req;
		const char *json;
	} rows[] = {
		{ { .kind = SYSV_REQUEST_RUNLEVEL, .level = '2' },
		  "{\"v\":1,\"cmd\":\"telinit\",\"runlevel\":\"2\",\"env\":[]}" },
		{ { .kind = SYSV_REQUEST_RUNLEVEL, .level = '0', .env = halt },
		  "{\"v\":1,\"cmd\":\"telinit\",\"runlevel\":\"0\","
		  "\"env\":[\"INIT_HALT=POWEROFF\"]}" },
		{ { .kind = SYSV_REQUEST_RELOAD },
		  "{\"v\":1,\"cmd\":\"reload-configuration\"}" },
		{ { .kind = SYSV_REQUEST_REEXEC }, "{\"v\":1,\"cmd\":\"reexec\"}" },
		{ { .kind = SYSV_REQUEST_ONDEMAND, .level = 'b' },
		  "{\"v\":1,\"cmd\":\"ondemand\",\"level\":\"b\"}" },
		{ { .kind = SYSV_REQUEST_INIT_ENV, .env = vars },
		  "{\"v\":1,\"cmd\":\"init-env\",\"vars\":[\"INIT_X=1\",\"INIT_Y\"]}" },
	};

	for (size_t i = 0; i < COUNT(rows); i++) {
		struct json_object *msg = sysv_request_json(&rows[i].req);

		assert_non_null(msg);
		assert_string_equal(json_object_to_json_string_ext(
					    msg, JSON_C_TO_STRING_PLAIN),
				    rows[i].json);
		json_object_put(msg);
	}
}

/* The FIFO form of each request, read back with PID 1's decoder. */
static void
test_request_initreq(void **state)
{
	static const char *const halt[] = { "INIT_HALT=HALT", NULL };
	static const char *const unset[] = { "INIT_HALT", NULL };
	static const char *const vars[] = { "INIT_X=1", "INIT_Y", NULL };
	static const struct {
		SysvRequest     req;
		int             count;
		/* the last record */
		InitRequestType type;
		char            runlevel;
		int             sleeptime;
		/* the SETENV record, when count is 2 or type is SETENV */
		const char     *env[3];
	} rows[] = {
		{ { .kind = SYSV_REQUEST_RUNLEVEL, .level = '3', .sleeptime = 3 },
		  1, INIT_REQUEST_RUNLEVEL, '3', 3, { NULL } },
		{ { .kind = SYSV_REQUEST_RUNLEVEL, .level = '0', .sleeptime = 7,
		    .env = halt, .fifo_setenv = halt },
		  2, INIT_REQUEST_RUNLEVEL, '0', 7, { "INIT_HALT=HALT" } },
		{ { .kind = SYSV_REQUEST_RUNLEVEL, .level = '6', .sleeptime = 3,
		    .fifo_setenv = unset },
		  2, INIT_REQUEST_RUNLEVEL, '6', 3, { "INIT_HALT" } },
		{ { .kind = SYSV_REQUEST_RUNLEVEL, .level = 'S', .sleeptime = 3 },
		  1, INIT_REQUEST_RUNLEVEL, 'S', 3, { NULL } },
		{ { .kind = SYSV_REQUEST_RELOAD, .sleeptime = 3 },
		  1, INIT_REQUEST_RUNLEVEL, 'Q', 3, { NULL } },
		{ { .kind = SYSV_REQUEST_REEXEC, .sleeptime = 3 },
		  1, INIT_REQUEST_RUNLEVEL, 'U', 3, { NULL } },
		{ { .kind = SYSV_REQUEST_ONDEMAND, .level = 'c', .sleeptime = 3 },
		  1, INIT_REQUEST_RUNLEVEL, 'C', 3, { NULL } },
		{ { .kind = SYSV_REQUEST_INIT_ENV, .env = vars },
		  1, INIT_REQUEST_SETENV, 0, 0, { "INIT_X=1", "INIT_Y" } },
	};

	for (size_t i = 0; i < COUNT(rows); i++) {
		struct init_request records[2];
		InitRequest         got;
		const char         *why = NULL;
		int                 n;

		print_message("row %zu\n", i);
		n = sysv_request_initreq(&rows[i].req, records, COUNT(records));
		assert_int_equal(n, rows[i].count);
		for (int r = 0; r < n; r++)
			assert_int_equal(records[r].magic, INITREQ_MAGIC);
		assert_int_equal(initreq_decode(&records[n - 1], INITREQ_SIZE,
						&got, &why), 0);
		assert_int_equal(got.type, rows[i].type);
		assert_int_equal(got.runlevel, rows[i].runlevel);
		assert_int_equal(got.sleeptime, rows[i].sleeptime);
		if (n == 2)
			assert_int_equal(initreq_decode(&records[0], INITREQ_SIZE,
							&got, &why), 0);
		if (n == 2 || rows[i].type == INIT_REQUEST_SETENV) {
			size_t k = 0;

			assert_int_equal(got.type, INIT_REQUEST_SETENV);
			for (; rows[i].env[k] != NULL; k++)
				assert_string_equal(initreq_env(&got, k),
						    rows[i].env[k]);
			assert_int_equal(got.env_len, k);
		}
	}
}

static void
test_setenv_too_big(void **state)
{
	struct init_request record;
	char                big[400], fits[INITREQ_DATA_SIZE - 1];
	const char         *list[] = { big, NULL };

	memset(big, 'A', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	memcpy(big, "INIT_", 5);
	errno = 0;
	assert_int_equal(sysv_request_setenv(&record, list), -1);
	assert_int_equal(errno, EMSGSIZE);

	/* 366 bytes, its NUL and the closing empty string: exactly 368. */
	memset(fits, 'B', sizeof(fits) - 1);
	fits[sizeof(fits) - 1] = '\0';
	memcpy(fits, "INIT_", 5);
	list[0] = fits;
	assert_int_equal(sysv_request_setenv(&record, list), 0);
	assert_int_equal(record.i.data[INITREQ_DATA_SIZE - 1], '\0');
	assert_int_equal(record.i.data[INITREQ_DATA_SIZE - 2], '\0');
}

/* ---- halt / reboot / poweroff ------------------------------------------- */

static void
test_power_modes(void **state)
{
	static const struct {
		const char *program;
		PowerMode   mode;
	} rows[] = {
		{ "halt", POWER_HALT },
		{ "poweroff", POWER_POWEROFF },
		{ "reboot", POWER_REBOOT },
		{ "anything", POWER_REBOOT },
	};

	for (size_t i = 0; i < COUNT(rows); i++)
		assert_int_equal(power_mode_for(rows[i].program), rows[i].mode);
}

static void
test_power_shutdown_argv(void **state)
{
	static const struct {
		PowerMode   mode;
		const char *sleeptime;
		const char *words;    /* joined by spaces; NULL: none */
	} rows[] = {
		{ POWER_REBOOT,   NULL, "shutdown -r now" },
		{ POWER_HALT,     NULL, "shutdown -h now" },
		{ POWER_POWEROFF, NULL, "shutdown -h -P now" },
		{ POWER_POWEROFF, "5",  "shutdown -t 5 -h -P now" },
		{ POWER_KEXEC,    NULL, NULL },
	};

	for (size_t i = 0; i < COUNT(rows); i++) {
		const char *argv[8];
		char        joined[128] = "";
		size_t      n = power_shutdown_argv(rows[i].mode, rows[i].sleeptime,
						    argv, COUNT(argv));

		if (rows[i].words == NULL) {
			assert_int_equal(n, 0);
			continue;
		}
		assert_null(argv[n]);
		for (size_t k = 0; k < n; k++) {
			if (k > 0)
				strcat(joined, " ");
			strcat(joined, argv[k]);
		}
		assert_string_equal(joined, rows[i].words);
	}
	/* Too small an array: nothing. */
	{
		const char *argv[3];

		assert_int_equal(power_shutdown_argv(POWER_HALT, NULL, argv, 3), 0);
	}
}

static void
test_power_call_text(void **state)
{
	static const struct {
		PowerMode   mode;
		const char *arg;
		const char *text;
	} rows[] = {
		{ POWER_REBOOT, NULL, "reboot(RB_AUTOBOOT)" },
		{ POWER_REBOOT, "rescue", "reboot(LINUX_REBOOT_CMD_RESTART2, \"rescue\")" },
		{ POWER_HALT, NULL, "reboot(RB_HALT_SYSTEM)" },
		{ POWER_POWEROFF, NULL, "reboot(RB_POWER_OFF)" },
		{ POWER_KEXEC, NULL, "reboot(RB_KEXEC)" },
	};

	for (size_t i = 0; i < COUNT(rows); i++) {
		char text[128];

		power_call_text(rows[i].mode, rows[i].arg, text, sizeof(text));
		assert_string_equal(text, rows[i].text);
	}
}

/* ---- runlevel ----------------------------------------------------------- */

static void
test_level_line(void **state)
{
	static const struct {
		const char *line;
		bool        ok;
		char        prev, cur;
	} rows[] = {
		{ "N 2", true, 'N', '2' },
		{ "S 2", true, 'S', '2' },
		{ "2 3", true, '2', '3' },
		{ "5 0", true, '5', '0' },
		{ "N S", true, 'N', 'S' },
		{ "N N", true, 'N', 'N' },    /* unknown, but well formed */
		{ "N2", false, 0, 0 },
		{ "N  2", false, 0, 0 },
		{ "x 2", false, 0, 0 },
		{ "N 2\n", false, 0, 0 },
		{ "", false, 0, 0 },
		{ "unknown", false, 0, 0 },
	};

	for (size_t i = 0; i < COUNT(rows); i++) {
		char prev = 0, cur = 0;

		print_message("line '%s'\n", rows[i].line);
		assert_int_equal(level_parse_line(rows[i].line, &prev, &cur),
				 rows[i].ok);
		if (rows[i].ok) {
			assert_int_equal(prev, rows[i].prev);
			assert_int_equal(cur, rows[i].cur);
		}
	}
}

/* ---- wall --------------------------------------------------------------- */

static void
test_wall_texts(void **state)
{
	char *text;

	setenv("TZ", "UTC", 1);
	tzset();
	text = wall_header("root", "box", "pts/3", 0);
	assert_string_equal(text, "\r\nBroadcast message from root@box (pts/3) "
			    "(Thu Jan  1 00:00:00 1970):\r\n\r\n");
	free(text);
	text = wall_header("uid 1000", "box", NULL, 0);
	assert_string_equal(text, "\r\nBroadcast message from uid 1000@box "
			    "(Thu Jan  1 00:00:00 1970):\r\n\r\n");
	free(text);

	text = wall_escape("a\tb\r\nc\ad\x1b[0m\x7f\x85\xe9");
	assert_string_equal(text, "a\tb\r\nc^Gd^[[0m\x7f^E\xe9");
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_time_parse),
		cmocka_unit_test(test_need_warning),
		cmocka_unit_test(test_target_flags),
		cmocka_unit_test(test_target_level),
		cmocka_unit_test(test_state_text),
		cmocka_unit_test(test_warning_text),
		cmocka_unit_test(test_message),
		cmocka_unit_test(test_nologin_text),
		cmocka_unit_test(test_parse_level),
		cmocka_unit_test(test_request_json),
		cmocka_unit_test(test_request_initreq),
		cmocka_unit_test(test_setenv_too_big),
		cmocka_unit_test(test_power_modes),
		cmocka_unit_test(test_power_shutdown_argv),
		cmocka_unit_test(test_power_call_text),
		cmocka_unit_test(test_level_line),
		cmocka_unit_test(test_wall_texts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
