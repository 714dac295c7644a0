/* uevent_source: the kernel's uevents as Upstart's device events.  The
 * parser names them as upstart-udev-bridge did and orders their
 * variables as it did; it refuses garbage whole (and drops only a value
 * with a control character); a queued event has the kernel as its
 * cause; and the socket takes nothing from a sender that is not the
 * kernel. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/netlink.h>

#include "init/event.h"
#include "init/history.h"
#include "init/loop.h"
#include "init/uevent_source.h"

/* A message as the kernel sends it: sizeof of a literal counts the
 * final NUL, the last pair's terminator. */
#define MSG(lit) (lit), sizeof(lit)

static int
teardown(void **state)
{
	(void)state;
	event_discard_all();
	history_reset();
	return 0;
}

/* Parse, expect success, compare the name and the whole environment
 * (NULL-terminated `want`). */
static void
expect_event(const char *buf, size_t len, const char *want_name, const char *const *want)
{
	EnvList env = ENV_LIST_INIT;
	char *name = NULL;
	size_t i;

	assert_int_equal(uevent_parse(buf, len, &name, &env), 0);
	assert_non_null(name);
	assert_string_equal(name, want_name);
	for (i = 0; want[i]; i++) {
		assert_true(i < env.len);
		assert_string_equal(env.vars[i], want[i]);
	}
	assert_int_equal(env.len, i);
	free(name);
	env_clear(&env);
}

/* Parse, expect EINVAL, and the caller's list untouched. */
static void
expect_refused(const char *buf, size_t len)
{
	EnvList env = ENV_LIST_INIT;
	char *name = (char *)"unset";

	assert_int_equal(env_set(&env, "KEEP=1"), 0);
	errno = 0;
	assert_int_equal(uevent_parse(buf, len, &name, &env), -1);
	assert_int_equal(errno, EINVAL);
	assert_null(name);
	assert_int_equal(env.len, 1);
	assert_string_equal(env.vars[0], "KEEP=1");
	env_clear(&env);
}

/* ---- names and variables ---- */

/* What `ip link add veth0 type veth ...` makes the kernel send. */
static void
test_veth_added(void **state)
{
	static const char *const want[] = {
		"KERNEL=veth0", "DEVPATH=/devices/virtual/net/veth0",
		"SUBSYSTEM=net", "ACTION=add",
		"INTERFACE=veth0", "IFINDEX=5", "SEQNUM=4242", NULL,
	};

	(void)state;
	expect_event(MSG("add@/devices/virtual/net/veth0\0"
			 "ACTION=add\0DEVPATH=/devices/virtual/net/veth0\0"
			 "SUBSYSTEM=net\0INTERFACE=veth0\0IFINDEX=5\0SEQNUM=4242"),
		     "net-device-added", want);
}

/* DEVNAME comes after DEVPATH, made absolute; the kernel's own order
 * follows for the rest. */
static void
test_devname_absolute(void **state)
{
	static const char *const tty[] = {
		"KERNEL=ttyS0", "DEVPATH=/devices/platform/serial8250/tty/ttyS0",
		"DEVNAME=/dev/ttyS0", "SUBSYSTEM=tty", "ACTION=add",
		"MAJOR=4", "MINOR=64", "SEQNUM=1", NULL,
	};
	static const char *const usb[] = {
		"KERNEL=1-1", "DEVPATH=/devices/pci0000:00/0000:00:14.0/usb1/1-1",
		"DEVNAME=/dev/bus/usb/001/002", "SUBSYSTEM=usb", "ACTION=add",
		"MAJOR=189", "MINOR=1", "DEVTYPE=usb_device", "PRODUCT=46d/c52b/1211",
		NULL,
	};

	(void)state;
	expect_event(MSG("add@/devices/platform/serial8250/tty/ttyS0\0"
			 "ACTION=add\0DEVPATH=/devices/platform/serial8250/tty/ttyS0\0"
			 "SUBSYSTEM=tty\0MAJOR=4\0MINOR=64\0DEVNAME=ttyS0\0SEQNUM=1"),
		     "tty-device-added", tty);
	expect_event(MSG("add@/devices/pci0000:00/0000:00:14.0/usb1/1-1\0"
			 "ACTION=add\0DEVPATH=/devices/pci0000:00/0000:00:14.0/usb1/1-1\0"
			 "SUBSYSTEM=usb\0MAJOR=189\0MINOR=1\0DEVNAME=bus/usb/001/002\0"
			 "DEVTYPE=usb_device\0PRODUCT=46d/c52b/1211"),
		     "usb-device-added", usb);
}

static void
test_actions(void **state)
{
	static const char *const change[] = {
		"KERNEL=sda", "DEVPATH=/devices/virtual/block/sda",
		"DEVNAME=/dev/sda", "SUBSYSTEM=block", "ACTION=change",
		"DISK_MEDIA_CHANGE=1", NULL,
	};
	static const char *const removed[] = {
		"KERNEL=veth0", "DEVPATH=/devices/virtual/net/veth0",
		"SUBSYSTEM=net", "ACTION=remove", "INTERFACE=veth0", NULL,
	};
	static const char *const bind[] = {
		"KERNEL=1-1:1.0", "DEVPATH=/devices/usb1/1-1/1-1:1.0",
		"SUBSYSTEM=usb", "ACTION=bind", "DRIVER=usbhid", NULL,
	};
	static const char *const cciss[] = {
		"KERNEL=cciss/c0d0", "DEVPATH=/devices/pci0000:00/block/cciss!c0d0",
		"SUBSYSTEM=block", "ACTION=online", NULL,
	};

	(void)state;
	expect_event(MSG("change@/devices/virtual/block/sda\0SUBSYSTEM=block\0"
			 "DEVNAME=sda\0ACTION=change\0DISK_MEDIA_CHANGE=1"),
		     "block-device-changed", change);
	expect_event(MSG("remove@/devices/virtual/net/veth0\0SUBSYSTEM=net\0"
			 "INTERFACE=veth0"),
		     "net-device-removed", removed);
	expect_event(MSG("bind@/devices/usb1/1-1/1-1:1.0\0SUBSYSTEM=usb\0DRIVER=usbhid"),
		     "usb-device-bind", bind);
	/* A KERNEL sent along is not a second KERNEL. */
	expect_event(MSG("remove@/devices/virtual/net/veth0\0SUBSYSTEM=net\0"
			 "KERNEL=other\0INTERFACE=veth0"),
		     "net-device-removed", removed);
	/* '!' stands for '/' in a kernel name, as udev reads it. */
	expect_event(MSG("online@/devices/pci0000:00/block/cciss!c0d0\0SUBSYSTEM=block"),
		     "block-device-online", cciss);
}

/* A value with a control character loses that variable, not the
 * event; empty strings between pairs are nothing. */
static void
test_dropped_values(void **state)
{
	static const char *const want[] = {
		"KERNEL=input5", "DEVPATH=/devices/virtual/input/input5",
		"SUBSYSTEM=input", "ACTION=add", "PRODUCT=3/1/1/1", "SEQNUM=7", NULL,
	};

	(void)state;
	expect_event(MSG("add@/devices/virtual/input/input5\0SUBSYSTEM=input\0"
			 "NAME=\"bad\tname\"\0\0PRODUCT=3/1/1/1\0NOISE=\x7f\0SEQNUM=7\0"),
		     "input-device-added", want);
}

/* ---- garbage ---- */

static void
test_garbage(void **state)
{
	char huge[UEVENT_MAX_LEN + 1];
	char many[UEVENT_MAX_LEN];
	size_t n;

	(void)state;
	expect_refused(NULL, 0);
	expect_refused("", 0);
	expect_refused(MSG(""));                              /* a NUL alone */
	expect_refused(MSG("add/devices/x\0SUBSYSTEM=net"));  /* no '@' */
	expect_refused(MSG("add@/devices/x\0INTERFACE=x"));   /* no SUBSYSTEM */
	expect_refused(MSG("add@/devices/x"));                 /* nothing but the header */
	/* Keys: lower case, punctuation, empty, no '='. */
	expect_refused(MSG("add@/devices/x\0SUBSYSTEM=net\0lower=x"));
	expect_refused(MSG("add@/devices/x\0SUBSYSTEM=net\0KEY-X=1"));
	expect_refused(MSG("add@/devices/x\0SUBSYSTEM=net\0=x"));
	expect_refused(MSG("add@/devices/x\0SUBSYSTEM=net\0NOEQUALS"));
	expect_refused(MSG("add@/devices/x\0SUBSYSTEM=net\0SEQNUM=1\0SEQNUM=2"));
	/* Truncated: the last pair, or the header, without its NUL. */
	expect_refused("add@/devices/x\0SUBSYSTEM=net", sizeof "add@/devices/x\0SUBSYSTEM=net" - 1);
	expect_refused("add@/devices/x", 10);
	/* The header: empty or odd action, relative or odd path. */
	expect_refused(MSG("@/devices/x\0SUBSYSTEM=net"));
	expect_refused(MSG("a d@/devices/x\0SUBSYSTEM=net"));
	expect_refused(MSG("add@devices/x\0SUBSYSTEM=net"));
	expect_refused(MSG("add@\0SUBSYSTEM=net"));
	expect_refused(MSG("add@/\0SUBSYSTEM=net"));
	expect_refused(MSG("add@/devices/x/\0SUBSYSTEM=net"));
	expect_refused(MSG("add@/devices/../etc\0SUBSYSTEM=net"));
	expect_refused(MSG("add@/devices/x\ty\0SUBSYSTEM=net"));
	/* SUBSYSTEM makes the name: no blanks, no slashes, not empty. */
	expect_refused(MSG("add@/devices/x\0SUBSYSTEM=n et"));
	expect_refused(MSG("add@/devices/x\0SUBSYSTEM=a/b"));
	expect_refused(MSG("add@/devices/x\0SUBSYSTEM="));
	/* ACTION= and DEVPATH= must agree with the header. */
	expect_refused(MSG("add@/devices/x\0ACTION=remove\0SUBSYSTEM=net"));
	expect_refused(MSG("add@/devices/x\0DEVPATH=/devices/y\0SUBSYSTEM=net"));
	/* DEVNAME leads nowhere else. */
	expect_refused(MSG("add@/devices/x\0SUBSYSTEM=block\0DEVNAME=../sda"));
	expect_refused(MSG("add@/devices/x\0SUBSYSTEM=block\0DEVNAME=a/../../sda"));
	expect_refused(MSG("add@/devices/x\0SUBSYSTEM=block\0DEVNAME="));
	/* udevd's messages. */
	expect_refused(MSG("libudev\0\xfe\xed\xca\xfe"));

	/* Huge: more than UEVENT_MAX_LEN bytes, however well formed. */
	memset(huge, 'A', sizeof huge);
	memcpy(huge, "add@/devices/x\0SUBSYSTEM=net\0X=", 31);
	huge[sizeof huge - 1] = '\0';
	expect_refused(huge, sizeof huge);
	/* A key, SUBSYSTEM or ACTION over its limit. */
	n = (size_t)snprintf(many, sizeof many, "add@/devices/x%cSUBSYSTEM=net", 0) + 1;
	memset(many + n, 'K', UEVENT_MAX_KEY + 1);
	n += UEVENT_MAX_KEY + 1;
	memcpy(many + n, "=1", 3);
	expect_refused(many, n + 3);
	n = (size_t)snprintf(many, sizeof many, "add@/devices/x%cSUBSYSTEM=%0*d",
			     0, UEVENT_MAX_WORD + 1, 0);
	expect_refused(many, n + 1);
	/* More variables than the kernel ever sends. */
	n = (size_t)snprintf(many, sizeof many, "add@/devices/x%cSUBSYSTEM=net", 0) + 1;
	for (int i = 0; i < UEVENT_MAX_VARS; i++)
		n += (size_t)snprintf(many + n, sizeof many - n, "V%d=%d", i, i) + 1;
	expect_refused(many, n);
}

/* At the limits is still fine. */
static void
test_limits(void **state)
{
	char buf[UEVENT_MAX_LEN];
	EnvList env = ENV_LIST_INIT;
	char *name;
	size_t n;

	(void)state;
	n = (size_t)snprintf(buf, sizeof buf, "add@/devices/x%cSUBSYSTEM=net", 0) + 1;
	for (int i = 0; i < UEVENT_MAX_VARS - 1; i++)
		n += (size_t)snprintf(buf + n, sizeof buf - n, "V%d=%d", i, i) + 1;
	assert_int_equal(uevent_parse(buf, n, &name, &env), 0);
	/* KERNEL, DEVPATH, SUBSYSTEM, ACTION and the 63 others. */
	assert_int_equal(env.len, 4 + UEVENT_MAX_VARS - 1);
	assert_string_equal(env.vars[env.len - 1], "V62=62");
	free(name);
	env_clear(&env);
}

/* Every prefix of a good message, and every byte of it changed to each
 * of a few odd values: refused or parsed, never a crash (the fuzz
 * target goes further). */
static void
test_mangled(void **state)
{
	static const char good[] = "add@/devices/virtual/net/veth0\0ACTION=add\0"
				   "SUBSYSTEM=net\0INTERFACE=veth0\0DEVNAME=x\0SEQNUM=1";
	static const char odd[] = { '\0', '=', '@', '/', '.', '\t', 'a', (char)0xff };
	char buf[sizeof good];
	EnvList env = ENV_LIST_INIT;
	char *name;

	(void)state;
	for (size_t len = 0; len <= sizeof good; len++)
		if (uevent_parse(good, len, &name, &env) == 0) {
			free(name);
			env_clear(&env);
		}
	for (size_t i = 0; i < sizeof good; i++)
		for (size_t k = 0; k < sizeof odd; k++) {
			memcpy(buf, good, sizeof good);
			buf[i] = odd[k];
			if (uevent_parse(buf, sizeof buf, &name, &env) == 0) {
				assert_non_null(name);
				assert_non_null(strstr(name, "-device-"));
				free(name);
				env_clear(&env);
			}
		}
}

/* ---- emitting ---- */

/* The event is queued with the kernel as its cause. */
static void
test_handle_queues(void **state)
{
	Event *event;
	size_t before = 0;

	(void)state;
	for (event = event_next(NULL); event; event = event_next(event))
		before++;
	assert_int_equal(uevent_source_handle(MSG("add@/devices/virtual/net/veth7\0"
						  "SUBSYSTEM=net\0INTERFACE=veth7")), 0);
	assert_int_equal(uevent_source_handle(MSG("add@/devices/x")), -1);
	assert_int_equal(errno, EINVAL);
	for (event = event_next(NULL); event && before; event = event_next(event))
		before--;
	assert_non_null(event);
	assert_string_equal(event->name, "net-device-added");
	assert_string_equal(env_get(&event->env, "KERNEL"), "veth7");
	assert_string_equal(env_get(&event->env, "INTERFACE"), "veth7");
	assert_null(event_next(event));
	assert_non_null(event->record);
	assert_int_equal(event->record->cause.kind, CAUSE_SOURCE);
	assert_string_equal(event->record->cause.text, "kernel uevent");
	assert_int_equal(history_context_kind(), CAUSE_INIT);
}

/* ---- the socket ---- */

static bool
fake_queued(void)
{
	for (Event *e = event_next(NULL); e; e = event_next(e))
		if (!strcmp(e->name, "upinittest-device-added"))
			return true;
	return false;
}

/* Open, idempotent, closed; and a datagram sent to init's port by a
 * process (port not 0) is dropped, however good it looks. */
static void
test_socket_only_kernel(void **state)
{
	static const char fake[] = "add@/devices/virtual/upinittest/x\0"
				   "SUBSYSTEM=upinittest\0SEQNUM=1";
	struct sockaddr_nl me = { .nl_family = AF_NETLINK };
	socklen_t melen = sizeof me;
	int fd, sender;

	(void)state;
	assert_int_equal(loop_init(), 0);
	if (uevent_source_start() < 0)
		skip();   /* no netlink here (a seccomp'd sandbox) */
	fd = uevent_source_fd();
	assert_true(fd >= 0);
	assert_int_equal(uevent_source_start(), 0);
	assert_int_equal(uevent_source_fd(), fd);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&me, &melen), 0);
	assert_int_not_equal(me.nl_pid, 0);

	sender = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_KOBJECT_UEVENT);
	assert_true(sender >= 0);
	{
		struct sockaddr_nl to = { .nl_family = AF_NETLINK, .nl_pid = me.nl_pid };

		if (sendto(sender, fake, sizeof fake, 0, (struct sockaddr *)&to, sizeof to) < 0) {
			/* Sending to a uevent socket needs CAP_NET_ADMIN. */
			assert_int_equal(errno, EPERM);
		} else {
			for (int i = 0; i < 5; i++)
				loop_run_once(20);
			assert_false(fake_queued());
			/* The same bytes as from the kernel would be taken. */
			assert_int_equal(uevent_source_handle(fake, sizeof fake), 0);
			assert_true(fake_queued());
		}
	}
	close(sender);
	uevent_source_stop();
	assert_int_equal(uevent_source_fd(), -1);
	uevent_source_stop();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_veth_added, teardown),
		cmocka_unit_test_teardown(test_devname_absolute, teardown),
		cmocka_unit_test_teardown(test_actions, teardown),
		cmocka_unit_test_teardown(test_dropped_values, teardown),
		cmocka_unit_test_teardown(test_garbage, teardown),
		cmocka_unit_test_teardown(test_limits, teardown),
		cmocka_unit_test_teardown(test_mangled, teardown),
		cmocka_unit_test_teardown(test_handle_queues, teardown),
		cmocka_unit_test_teardown(test_socket_only_kernel, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
