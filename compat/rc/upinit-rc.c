/* upinit-rc — runs a runlevel change's SysV scripts, in parallel; see
 * upinit-rc(8) and rc/rc_main.h. */
#include "rc/rc_main.h"

int
main(int argc, char **argv)
{
	return rc_main(argc, argv);
}
