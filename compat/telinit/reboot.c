/* halt, reboot, poweroff — stop the machine (reboot(8)).
 *
 * Both dialects' flags: -f/--force, -n/--no-sync, -p/--poweroff (halt),
 * -w/--wtmp-only, -d (no wtmp record), -k (kexec, reboot), -m MESSAGE
 * (reboot with an argument for the firmware; implies -f), -t SECONDS
 * (handed to shutdown), REBOOTCOMMAND (reboot -f); -h and -i are
 * accepted and ignored.
 *
 *   not forced, not in runlevel 0 or 6  shutdown's logic: -r now,
 *                                       -h -H now, -h -P now
 *   forced (-f, -m, or runlevel 0/6)    the `shutdown` record to wtmp
 *                                       (not utmp: runlevel still says
 *                                       0 or 6), sync unless -n, reboot(2)
 *   -w                                  the record only
 *
 * The current runlevel comes from level_query.h (upinit first).  Whether
 * reboot(2) may really be made is power.h's rule: in runlevel 0/6 without
 * -f, only inside a PID namespace of its own.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/cli.h"
#include "telinit/level_query.h"
#include "telinit/power.h"
#include "telinit/telinit.h"
#include "telinit/tool_common.h"
#include "telinit/tool_paths.h"
#include "sysv/utmp_records.h"

/* Flags are known by their letter; these take an argument. */
enum reboot_option {
	OPT_MESSAGE = 1,    /* -m MESSAGE */
	OPT_SLEEPTIME,      /* -t SECONDS */
};

static const struct poptOption reboot_options[] = {
	{ "no-sync", 'n', POPT_ARG_NONE, NULL, 'n',
	  "don't sync before reboot or halt", NULL },
	{ "force", 'f', POPT_ARG_NONE, NULL, 'f',
	  "force reboot or halt, don't call shutdown(8)", NULL },
	{ "poweroff", 'p', POPT_ARG_NONE, NULL, 'p',
	  "switch off the power when called as halt", NULL },
	{ "wtmp-only", 'w', POPT_ARG_NONE, NULL, 'w',
	  "only write the shutdown record to wtmp", NULL },
	{ NULL, 'd', POPT_ARG_NONE, NULL, 'd',
	  "don't write the shutdown record to wtmp", NULL },
	{ NULL, 'k', POPT_ARG_NONE, NULL, 'k',
	  "reboot into the kernel loaded by kexec", NULL },
	{ NULL, 'm', POPT_ARG_STRING, NULL, OPT_MESSAGE,
	  "reboot with MESSAGE for the firmware (implies -f)", "MESSAGE" },
	{ NULL, 't', POPT_ARG_STRING, NULL, OPT_SLEEPTIME,
	  "seconds between SIGTERM and SIGKILL", "SECONDS" },
	/* Accepted and ignored: disks and interfaces are left to the
	 * shutdown scripts. */
	{ "hard-disk-standby", 'h', POPT_ARG_NONE, NULL, 'h', NULL, NULL },
	{ "interface-down", 'i', POPT_ARG_NONE, NULL, 'i', NULL, NULL },
	{ NULL, 0, POPT_ARG_INCLUDE_TABLE, (void *)tool_options_verbosity, 0, NULL, NULL },
	{ NULL, 0, POPT_ARG_INCLUDE_TABLE, (void *)tool_options_info, 0, NULL, NULL },
	POPT_TABLEEND
};

static const ToolHelp reboot_help = {
	.usage = "[REBOOTCOMMAND]",
	.synopsis = "Reboot, halt or power off the system.",
	.table = reboot_options,
	.footer =
	"Unless forced, or already in runlevel 0 or 6, this asks shutdown(8) to\n"
	"bring the system down now.  Forced, it writes the shutdown record to\n"
	"wtmp, syncs the disks and stops the machine at once.\n",
};

/* What the command line says.  Owns its strings. */
typedef struct reboot_args {
	bool  force, no_sync, poweroff, wtmp_only, no_wtmp, kexec;
	char *restart_arg;   /* -m MESSAGE or REBOOTCOMMAND */
	char *sleeptime;     /* -t, handed on as given */
} RebootArgs;

/* Replace *slot with a copy of `arg`. */
static CliParseResult
keep(char **slot, const char *arg)
{
	char *copy = strdup(arg);

	if (copy == NULL) {
		cli_error("Cannot allocate memory");
		return CLI_PARSE_ERROR;
	}
	free(*slot);
	*slot = copy;
	return CLI_PARSE_OK;
}

static CliParseResult
on_option(void *data, int id, const char *arg)
{
	RebootArgs *ra = data;

	switch (id) {
	case 'n': ra->no_sync = true;   return CLI_PARSE_OK;
	case 'f': ra->force = true;     return CLI_PARSE_OK;
	case 'p': ra->poweroff = true;  return CLI_PARSE_OK;
	case 'w': ra->wtmp_only = true; return CLI_PARSE_OK;
	case 'd': ra->no_wtmp = true;   return CLI_PARSE_OK;
	case 'k': ra->kexec = true;     return CLI_PARSE_OK;
	case 'h': case 'i':             return CLI_PARSE_OK;
	case OPT_MESSAGE:
		ra->force = true;
		return keep(&ra->restart_arg, arg);
	case OPT_SLEEPTIME:
		return keep(&ra->sleeptime, arg);
	default:
		return tool_common_option(id);
	}
}

/* REBOOTCOMMAND: the first argument, unless -m gave one; the rest are
 * ignored. */
static bool
on_arg(void *data, const char *arg)
{
	RebootArgs *ra = data;

	if (ra->restart_arg != NULL)
		return true;
	return keep(&ra->restart_arg, arg) == CLI_PARSE_OK;
}

/* The mode from the program name and the flags. */
static PowerMode
choose_mode(const RebootArgs *ra)
{
	PowerMode mode = power_mode_for(cli_program());

	if (mode == POWER_HALT && ra->poweroff)
		return POWER_POWEROFF;
	if (mode == POWER_REBOOT && ra->kexec)
		return POWER_KEXEC;
	return mode;
}

/* The `shutdown` record, to wtmp only; failures are not fatal (a
 * container often has no wtmp). */
static void
write_record(void)
{
	UtmpRecords *rec = utmp_records_new(NULL, tool_path(TOOL_PATH_WTMP));

	if (rec == NULL || utmp_records_shutdown(rec, false) < 0)
		cli_debug("no shutdown record in %s: %s",
			  tool_path(TOOL_PATH_WTMP), strerror(errno));
	utmp_records_free(rec);
}

/* The long way: shutdown's logic, in this process, under its name. */
static int
hand_to_shutdown(PowerMode mode, const RebootArgs *ra)
{
	const char *argv[8];
	size_t      argc = power_shutdown_argv(mode, ra->sleeptime, argv,
					       sizeof(argv) / sizeof(*argv));

	if (argc == 0) {
		cli_error("-k needs -f, or runlevel 6");
		return 1;
	}
	cli_info("Calling shutdown");
	return telinit_shutdown_main((int)argc, (char **)argv);
}

/* The short way: record, sync, reboot(2). */
static int
stop_now(PowerMode mode, const RebootArgs *ra, bool explicit_force, char level)
{
	if (!power_may_reboot(explicit_force)) {
		cli_error("refusing to stop the machine without -f in runlevel %c "
			  "outside a PID namespace of its own", level);
		return 1;
	}
	if (!ra->no_wtmp && !ra->no_sync)
		write_record();
	if (!ra->no_sync) {
		cli_info("Syncing disks");
		power_sync();
	}
	if (power_reboot(mode, mode == POWER_REBOOT ? ra->restart_arg : NULL) == 0)
		return 0;
	cli_error("Unable to stop the machine: %s", strerror(errno));
	return 1;
}

int
telinit_reboot_main(int argc, char **argv)
{
	RebootArgs     ra = { 0 };
	CliParseResult result;
	LevelAnswer    level;
	PowerMode      mode;
	int            status = 1;

	cli_init(argc > 0 ? argv[0] : "reboot");
	cli_set_priority(CLI_MESSAGE);
	result = cli_parse(reboot_options, argc, (const char **)argv, false,
			   on_option, on_arg, &ra);
	if (tool_parse_finished(result, &reboot_help, &status)
	    || !tool_require_root())
		goto out;
	mode = choose_mode(&ra);
	if (ra.wtmp_only) {
		if (!ra.no_wtmp)
			write_record();
		status = 0;
	} else if (ra.force) {
		status = stop_now(mode, &ra, true, 'N');
	} else {
		level_query(&level);
		if (level.cur == '0' || level.cur == '6')
			status = stop_now(mode, &ra, false, level.cur);
		else
			status = hand_to_shutdown(mode, &ra);
	}
out:
	free(ra.restart_arg);
	free(ra.sleeptime);
	return status;
}
