/* multicall — one binary, six tools: the name it runs under decides. */
#include <string.h>

#include "lib/cli.h"
#include "telinit/telinit.h"

typedef int (*ToolMain)(int argc, char **argv);

static const struct {
	const char *name;
	ToolMain    run;
} tools[] = {
	{ "telinit",  telinit_main },
	{ "init",     telinit_main },
	{ "runlevel", telinit_runlevel_main },
	{ "shutdown", telinit_shutdown_main },
	{ "halt",     telinit_reboot_main },
	{ "reboot",   telinit_reboot_main },
	{ "poweroff", telinit_reboot_main },
};

int
telinit_multicall_main(int argc, char **argv)
{
	const char *name;

	cli_init(argc > 0 ? argv[0] : NULL);
	name = cli_program();
	for (size_t i = 0; i < sizeof(tools) / sizeof(*tools); i++)
		if (strcmp(tools[i].name, name) == 0)
			return tools[i].run(argc, argv);
	cli_error("unknown tool name; run as telinit, runlevel, shutdown, "
		  "halt, reboot or poweroff");
	return 1;
}
