/* The multi-call binary build/telinit and its links (runlevel, shutdown,
 * halt, reboot, poweroff); see telinit.h. */
#include <locale.h>

#include "telinit/telinit.h"

int
main(int argc, char **argv)
{
	setlocale(LC_ALL, "");
	return telinit_multicall_main(argc, argv);
}
