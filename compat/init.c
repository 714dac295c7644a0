/* init — the init program as shipped: the core (init/) with the SysV
 * layer plugged in (sysv/sysv_plugin.h), and upinit-rc linked in so that
 * the sysv/NAME jobs run their scripts without an exec (sysv/sysv_jobs.h).
 *
 * Run from a shell without --user (and not as PID 1), `init 3` is
 * `telinit 3`, as under both sysvinit and Upstart.
 */
#include <stddef.h>

#include "init/main.h"
#include "rc/rc_main.h"
#include "sysv/sysv_jobs.h"
#include "sysv/sysv_plugin.h"
#include "telinit/telinit.h"

static const InitPlugin *const plugins[] = { &sysv_plugin, NULL };

int
main(int argc, char **argv)
{
	if (!init_argv_is_daemon(argc, argv))
		return telinit_main(argc, argv);
	sysv_jobs_set_runner(rc_main, rc_main_is_job);
	return init_main(argc, argv, plugins);
}
