/* power — see power.h. */
#include "telinit/power.h"

#include <errno.h>
#include <linux/reboot.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The inode of the initial PID namespace (the kernel's PROC_PID_INIT_INO). */
#define INITIAL_PID_NS_INO 0xEFFFFFFCUL

PowerMode
power_mode_for(const char *program)
{
	if (strcmp(program, "halt") == 0)
		return POWER_HALT;
	if (strcmp(program, "poweroff") == 0)
		return POWER_POWEROFF;
	return POWER_REBOOT;
}

size_t
power_shutdown_argv(PowerMode mode, const char *sleeptime, const char **argv,
		    size_t max)
{
	const char *words[8];
	size_t      n = 0;

	words[n++] = "shutdown";
	if (sleeptime != NULL) {
		words[n++] = "-t";
		words[n++] = sleeptime;
	}
	switch (mode) {
	case POWER_REBOOT:
		words[n++] = "-r";
		break;
	case POWER_HALT:
		/* sysvinit 3.x: plain -h, INIT_HALT unset, so Debian's
		 * /etc/init.d/halt decides from /etc/default/halt (HALT=poweroff
		 * by default).  Upstart's -H forced a halt that stays on. */
		words[n++] = "-h";
		break;
	case POWER_POWEROFF:
		words[n++] = "-h";
		words[n++] = "-P";
		break;
	default:
		return 0;
	}
	words[n++] = "now";
	if (n + 1 > max)
		return 0;
	memcpy(argv, words, n * sizeof(*words));
	argv[n] = NULL;
	return n;
}

void
power_call_text(PowerMode mode, const char *restart_arg, char *buf, size_t size)
{
	switch (mode) {
	case POWER_HALT:
		snprintf(buf, size, "reboot(RB_HALT_SYSTEM)");
		break;
	case POWER_POWEROFF:
		snprintf(buf, size, "reboot(RB_POWER_OFF)");
		break;
	case POWER_KEXEC:
		snprintf(buf, size, "reboot(RB_KEXEC)");
		break;
	default:
		if (restart_arg != NULL)
			snprintf(buf, size,
				 "reboot(LINUX_REBOOT_CMD_RESTART2, \"%s\")",
				 restart_arg);
		else
			snprintf(buf, size, "reboot(RB_AUTOBOOT)");
		break;
	}
}

bool
power_dry_run(void)
{
	const char *env = secure_getenv("UPINIT_REBOOT_DRYRUN");

	return env != NULL && *env != '\0';
}

bool
power_in_own_pid_namespace(void)
{
	struct stat st;

	/* Without /proc we cannot tell: assume the machine's namespace. */
	if (stat("/proc/self/ns/pid", &st) < 0)
		return false;
	return (unsigned long)st.st_ino != INITIAL_PID_NS_INO;
}

bool
power_may_reboot(bool explicit_force)
{
	return geteuid() == 0 && (explicit_force || power_in_own_pid_namespace());
}

void
power_sync(void)
{
	if (power_dry_run()) {
		printf("sync()\n");
		fflush(stdout);
		return;
	}
	sync();
}

int
power_reboot(PowerMode mode, const char *restart_arg)
{
	char text[512];
	int  saved;

	if (power_dry_run()) {
		power_call_text(mode, restart_arg, text, sizeof(text));
		printf("%s\n", text);
		fflush(stdout);
		return 0;
	}
	/* Let Control-Alt-Delete reboot the machine if the call hangs. */
	reboot(RB_ENABLE_CAD);
	switch (mode) {
	case POWER_HALT:
		reboot(RB_HALT_SYSTEM);
		break;
	case POWER_POWEROFF:
		reboot(RB_POWER_OFF);
		break;
	case POWER_KEXEC:
		reboot(RB_KEXEC);
		break;
	default:
		if (restart_arg != NULL)
			syscall(SYS_reboot, LINUX_REBOOT_MAGIC1,
				LINUX_REBOOT_MAGIC2, LINUX_REBOOT_CMD_RESTART2,
				restart_arg);
		else
			reboot(RB_AUTOBOOT);
		break;
	}
	/* Still here: the kernel refused.  Give Control-Alt-Delete back to
	 * init, keeping the reason. */
	saved = errno;
	reboot(RB_DISABLE_CAD);
	errno = saved;
	return -1;
}
