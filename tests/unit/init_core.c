/* init-core — the core of init (init/) with no plug-in: jobs, events,
 * job directories and the control socket, no runlevel, /etc/inittab,
 * utmp or /run/initctl.  Built for the tests, which run it as a user
 * init to show that the core stands on its own. */
#include <stddef.h>

#include "init/main.h"

static const InitPlugin *const no_plugins[] = { NULL };

int
main(int argc, char **argv)
{
	return init_main(argc, argv, no_plugins);
}
