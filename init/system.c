/* system — PID 1's boot actions.  See system.h. */
#include "init/system.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/kd.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "init/job_process.h"
#include "init/log.h"
#include "lib/fsutil.h"

/* The inode of the initial PID namespace (PROC_PID_INIT_INO). */
#define INITIAL_PID_NS "pid:[4026531836]"

static void
mount_if_missing(const char *probe, const char *target, const char *type,
		 unsigned long flags, const char *data)
{
	if (access(probe, F_OK) == 0)
		return;
	mkdir(target, 0755);
	if (mount(type, target, type, flags, data) < 0)
		log_warn("Unable to mount %s on %s: %s", type, target, strerror(errno));
}

bool
system_run_mounted(void)
{
	return is_mount_point("/run");
}

int
system_mount_run(void)
{
	if (is_mount_point("/run"))
		return 0;
	mkdir("/run", 0755);
	if (mount("tmpfs", "/run", "tmpfs", MS_NOSUID | MS_NODEV, "mode=755") < 0) {
		log_warn("Unable to mount tmpfs on /run: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static void
make_node(const char *path, mode_t mode, unsigned major_nr, unsigned minor_nr)
{
	if (access(path, F_OK) == 0)
		return;
	if (mknod(path, mode, makedev(major_nr, minor_nr)) < 0)
		log_debug("Unable to create %s: %s", path, strerror(errno));
}

/* Standard descriptors: the console if we have none (the kernel starts
 * PID 1 with the console open; a container may give us anything). */
static void
standard_descriptors(void)
{
	for (int fd = 0; fd < 3; fd++) {
		if (fcntl(fd, F_GETFD) >= 0)
			continue;
		int c = open("/dev/console", O_RDWR | O_NOCTTY);

		if (c < 0)
			c = open("/dev/null", O_RDWR);
		if (c >= 0 && c != fd) {
			dup2(c, fd);
			close(c);
		}
	}
}

void
system_boot_setup(void)
{
	setsid();
	if (chdir("/") < 0)
		log_warn("Unable to change to /: %s", strerror(errno));
	umask(022);
	setenv("PATH", "/usr/local/sbin:/usr/local/bin:/usr/bin:/usr/sbin:/sbin:/bin", 1);

	mount_if_missing("/proc/self", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
	mount_if_missing("/sys/kernel", "/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
	if (access("/dev/null", F_OK) < 0 || access("/dev/ptmx", F_OK) < 0) {
		if (!is_mount_point("/dev") &&
		    mount("devtmpfs", "/dev", "devtmpfs", MS_NOSUID, "mode=0755") < 0)
			log_debug("Unable to mount devtmpfs on /dev: %s", strerror(errno));
	}
	make_node("/dev/null", S_IFCHR | 0666, 1, 3);
	make_node("/dev/console", S_IFCHR | 0600, 5, 1);
	make_node("/dev/tty", S_IFCHR | 0666, 5, 0);
	make_node("/dev/ptmx", S_IFCHR | 0666, 5, 2);
	if (!system_in_container())
		make_node("/dev/kmsg", S_IFCHR | 0644, 1, 11);
	if (!is_mount_point("/dev/pts")) {
		mkdir("/dev/pts", 0755);
		if (mount("devpts", "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC,
			  "gid=5,mode=0620,ptmxmode=0666") < 0)
			log_debug("Unable to mount devpts: %s", strerror(errno));
	}
	/* /run first: Debian's mountkernfs.sh mounts it only if no one
	 * has, and the control socket and /run/initctl live there. */
	system_mount_run();
	standard_descriptors();
}

bool
system_in_container(void)
{
	char link[64];
	ssize_t n;

	if (getenv("container"))
		return true;
	n = readlink("/proc/self/ns/pid", link, sizeof link - 1);
	if (n <= 0)
		return false;
	link[n] = '\0';
	return strcmp(link, INITIAL_PID_NS) != 0;
}

void
system_keyboard_signals(void)
{
	int fd;

	if (reboot(RB_DISABLE_CAD) < 0)
		log_debug("Unable to disable Ctrl-Alt-Del: %s", strerror(errno));
	fd = open("/dev/tty0", O_RDONLY | O_NOCTTY | O_CLOEXEC);
	if (fd >= 0) {
		if (ioctl(fd, KDSIGACCEPT, SIGWINCH) < 0)
			log_debug("Keyboard requests unavailable: %s", strerror(errno));
		close(fd);
	}
}

/* PID 1 holds a descriptor per control client, per spawn pipe and log
 * terminal, per watched directory: the 1,024 the kernel starts it with
 * were a limit any local user could reach by opening connections (the
 * control socket caps them too, see control.c).  Up to INIT_NOFILE, as
 * far as the kernel's nr_open allows; the jobs keep what init was given,
 * as under sysvinit. */
#define INIT_NOFILE 65536

void
system_raise_nofile(void)
{
	struct rlimit given, raised;
	unsigned long nr_open = INIT_NOFILE;
	rlim_t want;
	FILE *f;

	if (getrlimit(RLIMIT_NOFILE, &given) < 0)
		return;
	job_process_set_nofile(&given);
	if ((f = fopen("/proc/sys/fs/nr_open", "re"))) {
		if (fscanf(f, "%lu", &nr_open) != 1 || nr_open > INIT_NOFILE)
			nr_open = INIT_NOFILE;
		fclose(f);
	}
	want = (rlim_t)nr_open;
	if (given.rlim_cur >= want)
		return;
	raised.rlim_cur = want;
	raised.rlim_max = given.rlim_max > want ? given.rlim_max : want;
	if (setrlimit(RLIMIT_NOFILE, &raised) == 0)
		return;
	/* Not allowed past the hard limit: up to it, then. */
	raised.rlim_cur = raised.rlim_max = given.rlim_max;
	if (given.rlim_max > given.rlim_cur && setrlimit(RLIMIT_NOFILE, &raised) < 0)
		log_warn("Unable to raise the descriptor limit: %s", strerror(errno));
}
