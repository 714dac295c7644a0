/* sysv_plugin — the SysV layer as a plug-in of init.  See sysv_plugin.h. */
#include "sysv/sysv_plugin.h"

#include <errno.h>
#include <popt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <json-c/json.h>

#include "lib/fsutil.h"
#include "lib/proto.h"

#include "init/job_process.h"
#include "init/log.h"
#include "init/state.h"
#include "sysv/initctl_fifo.h"
#include "sysv/inittab_source.h"
#include "sysv/inittab_sync.h"
#include "sysv/runlevel.h"
#include "sysv/sysv.h"
#include "sysv/sysv_commands.h"
#include "sysv/sysv_jobs.h"

/* Hidden options: the paths tests move. */
static char *opt_utmp, *opt_wtmp, *opt_runlevel_file;
static char *opt_initctl_fifo, *opt_powerstatus, *opt_inittab;
static char *opt_sysv_etc, *opt_sysv_helper;
static bool pid1;

static const struct poptOption options[] = {
	{ "utmp", 0, POPT_ARG_STRING | POPT_ARGFLAG_DOC_HIDDEN, &opt_utmp, 0, NULL, NULL },
	{ "wtmp", 0, POPT_ARG_STRING | POPT_ARGFLAG_DOC_HIDDEN, &opt_wtmp, 0, NULL, NULL },
	{ "runlevel-file", 0, POPT_ARG_STRING | POPT_ARGFLAG_DOC_HIDDEN,
	  &opt_runlevel_file, 0, NULL, NULL },
	{ "initctl-fifo", 0, POPT_ARG_STRING | POPT_ARGFLAG_DOC_HIDDEN,
	  &opt_initctl_fifo, 0, NULL, NULL },
	{ "powerstatus", 0, POPT_ARG_STRING | POPT_ARGFLAG_DOC_HIDDEN,
	  &opt_powerstatus, 0, NULL, NULL },
	{ "inittab", 0, POPT_ARG_STRING | POPT_ARGFLAG_DOC_HIDDEN, &opt_inittab, 0, NULL, NULL },
	/* The tree the sysv/NAME jobs come from, and the upinit-rc command
	 * line that runs their scripts. */
	{ "sysv-etc", 0, POPT_ARG_STRING | POPT_ARGFLAG_DOC_HIDDEN, &opt_sysv_etc, 0, NULL, NULL },
	{ "sysv-helper", 0, POPT_ARG_STRING | POPT_ARGFLAG_DOC_HIDDEN,
	  &opt_sysv_helper, 0, NULL, NULL },
	POPT_TABLEEND
};

/* ---- re-exec state ---- */

static struct json_object *
runlevel_save(void)
{
	return runlevel_serialise();
}

static void
runlevel_restore(struct json_object *value)
{
	runlevel_deserialise(value);
}

static const StateSection runlevel_section = {
	.key = "runlevel", .save = runlevel_save, .restore = runlevel_restore,
};

static struct json_object *
fifo_save(void)
{
	struct json_object *obj;

	if (initctl_fifo_fd() < 0 || !initctl_fifo_path())
		return NULL;
	obj = json_object_new_object();
	if (!proto_add_member(obj, "path", json_object_new_string(initctl_fifo_path())) ||
	    !proto_add_member(obj, "fd", json_object_new_int(initctl_fifo_fd()))) {
		json_object_put(obj);
		errno = ENOMEM;   /* not "nothing to keep" */
		return NULL;
	}
	return obj;
}

static void
fifo_restore(struct json_object *value)
{
	const char *path = proto_get_string(value, "path");
	struct json_object *fd;

	struct stat st;
	int n;

	if (!path || !json_object_object_get_ex(value, "fd", &fd) ||
	    !json_object_is_type(fd, json_type_int))
		return;
	/* Only a FIFO nobody else holds: initctl_fifo_adopt() closes what
	 * it cannot serve, and must not close a stranger's descriptor. */
	n = json_object_get_int(fd);
	if (fstat(n, &st) == 0 && S_ISFIFO(st.st_mode) && state_claim_fd(n))
		initctl_fifo_adopt(path, n);
	else
		log_warn("Not restoring %s: descriptor %d is not a FIFO of its own", path, n);
}

static void
fifo_inherit(bool inherit)
{
	if (initctl_fifo_fd() >= 0)
		fd_set_cloexec(initctl_fifo_fd(), !inherit);
}

static const StateSection fifo_section = {
	.key = "fifo", .save = fifo_save, .restore = fifo_restore, .inherit = fifo_inherit,
};

/* ---- the plug-in ---- */

/* utmp, wtmp, /var/run/runlevel and /run/initctl: the real ones as PID 1,
 * only those named on the command line in a user init. */
static void
setup(const InitContext *ctx)
{
	UtmpRecords *records = NULL;

	pid1 = ctx->pid1;
	if (pid1 || opt_utmp || opt_wtmp)
		records = utmp_records_new(opt_utmp, opt_wtmp);
	runlevel_setup(records, opt_runlevel_file ? opt_runlevel_file : pid1 ? NULL : "");
	sysv_set_hooks(ctx->reload, ctx->reexec);
	job_process_set_hooks(sysv_process_launched, sysv_process_reaped);
	sysv_commands_register();
	state_add_section(&runlevel_section);
	state_add_section(&fifo_section);
	if (opt_inittab || !ctx->user)
		inittab_source_add(opt_inittab ? opt_inittab : "/etc/inittab");
	if (opt_sysv_etc || !ctx->user)
		sysv_jobs_add(opt_sysv_etc ? opt_sysv_etc : "/etc",
			      opt_sysv_helper ? opt_sysv_helper : UPINIT_INITLIBDIR "/upinit-rc");
	initctl_fifo_set_handler(sysv_fifo_request, NULL);
	if (pid1 || opt_initctl_fifo) {
		const char *path = opt_initctl_fifo ? opt_initctl_fifo : INITCTL_FIFO_PATH;

		if (initctl_fifo_open(path) < 0)
			log_warn("Unable to open %s: %s", path, strerror(errno));
		else if (pid1)
			initctl_fifo_link_dev(INITCTL_FIFO_DEV_PATH);
	}
}

static void
boot(void)
{
	runlevel_boot_record();
}

static void
handle_signal(int sig)
{
	switch (sig) {
	case SIGPWR:
		sysv_sigpwr(opt_powerstatus);
		break;
	case SIGUSR1:
		/* mountall.sh recreates /run/initctl and asks us to reopen it. */
		if (initctl_fifo_path())
			initctl_fifo_reopen();
		else if (opt_initctl_fifo || pid1)
			initctl_fifo_open(opt_initctl_fifo ? opt_initctl_fifo : INITCTL_FIFO_PATH);
		break;
	case SIGUSR2:
		initctl_fifo_close();
		break;
	default:
		break;
	}
}

static void
free_all(void)
{
	initctl_fifo_close();
	inittab_sync_free();
	inittab_source_free();
	sysv_jobs_free();
	runlevel_free();
	free(opt_utmp);
	free(opt_wtmp);
	free(opt_runlevel_file);
	free(opt_initctl_fifo);
	free(opt_powerstatus);
	free(opt_inittab);
	free(opt_sysv_etc);
	free(opt_sysv_helper);
	opt_sysv_etc = opt_sysv_helper = NULL;
	opt_utmp = opt_wtmp = opt_runlevel_file = NULL;
	opt_initctl_fifo = opt_powerstatus = opt_inittab = NULL;
}

const InitPlugin sysv_plugin = {
	.name = "sysv",
	.options = options,
	.setup = setup,
	.boot = boot,
	.signal = handle_signal,
	.free = free_all,
};
