/* uevent_source — the kernel's device uevents as Upstart's device events.
 *
 * Upstart had a separate process, upstart-udev-bridge, turn udev's
 * messages into events; upinit reads the kernel's own uevents inside
 * PID 1 (only a system init as PID 1 opens the source: a user init, or
 * init run elsewhere, sees no device events).  Each uevent becomes one
 * event named as the bridge named it:
 *
 *   add    SUBSYSTEM-device-added        net-device-added
 *   change SUBSYSTEM-device-changed      block-device-changed
 *   remove SUBSYSTEM-device-removed      tty-device-removed
 *   other  SUBSYSTEM-device-ACTION       usb-device-bind
 *
 * with, in this order, KERNEL (the last component of DEVPATH, '!' turned
 * into '/' as udev does: block/cciss!c0d0 is KERNEL=cciss/c0d0), DEVPATH,
 * DEVNAME (made absolute: the kernel's DEVNAME=ttyS0 is /dev/ttyS0; only
 * when sent), SUBSYSTEM, ACTION, then every other variable the kernel
 * sent in its order (IFINDEX, INTERFACE, SEQNUM, MAJOR, MINOR, DEVTYPE,
 * ...; a KERNEL it sent is not repeated).  What udev adds (ID_*, names
 * from rules) is not there: this is the kernel's view.  The event is
 * queued with the cause CAUSE_SOURCE "kernel uevent" and nobody waits
 * for it, as with the bridge.
 *
 * Only datagrams from the kernel count: the sender's netlink port is 0
 * and, when credentials came along, its uid is 0.  udevd's own messages
 * ("libudev" magic) are ignored.  At most UEVENT_BATCH datagrams are read
 * per wakeup, so a storm of uevents cannot hold PID 1 from its other
 * work; the rest wait for the next turn of the loop.  When the socket's
 * queue overflowed anyway (ENOBUFS), one warning says uevents were lost
 * and reading goes on.  A bad datagram is dropped with at most a debug
 * message.
 *
 * Re-exec: the socket is close-on-exec, and the new image opens a new
 * one (main.c starts the source after a restore as after a fresh
 * start): uevents the kernel sends during the exec are lost.  The kernel
 * replays nothing, ever: devices present before the socket was opened
 * are announced only if something asks for it again (udevadm trigger, or
 * writing "add" to a device's uevent file).
 *
 * In a network namespace other than the initial one, the kernel sends a
 * network device's uevents only to the sockets of the namespace the
 * device is in; other uevents reach every namespace owned by the initial
 * user namespace.
 *
 * Ownership: the source owns its socket and its watch; uevent_source_stop()
 * closes both.  uevent_parse() gives the caller the name (free it) and the
 * strings it put in `env` (env_clear() them).
 */
#ifndef UPINIT_UEVENT_SOURCE_H
#define UPINIT_UEVENT_SOURCE_H

#include <stddef.h>

#include "lib/environ.h"

/* Limits of what the parser accepts.  The kernel builds a uevent in a
 * buffer of 2048 bytes (UEVENT_BUFFER_SIZE) with at most 64 variables
 * (UEVENT_NUM_ENVP); the header ACTION@DEVPATH comes on top. */
#define UEVENT_MAX_LEN   8192  /* bytes of one datagram */
#define UEVENT_MAX_VARS  64    /* KEY=VALUE pairs after the header */
#define UEVENT_MAX_KEY   64    /* bytes of a key */
#define UEVENT_MAX_WORD  64    /* bytes of ACTION and of SUBSYSTEM */
#define UEVENT_MAX_PATH  1024  /* bytes of DEVPATH and of DEVNAME */
/* Datagrams read per wakeup of the loop. */
#define UEVENT_BATCH     64

/* Open the kernel's uevent socket (multicast group 1, a receive buffer
 * of a few MB, credentials passed) and watch it in the loop.  Calling it
 * again while open does nothing.  A failure is logged as a warning and
 * returns -1 with errno: init carries on without device events. */
int  uevent_source_start(void);
/* Stop watching and close the socket; nothing when not open. */
void uevent_source_stop(void);
/* The socket, or -1 when not open (tests). */
int  uevent_source_fd(void);

/* One datagram's payload, as received from the kernel: parse it and
 * queue its event.  0 when an event was queued; -1 with errno (EINVAL:
 * not a uevent we accept, ENOMEM) when nothing was. */
int  uevent_source_handle(const char *buf, size_t len);

/* The pure parser: `buf` holds `len` bytes, "ACTION@DEVPATH\0" then
 * "KEY=VALUE\0" pairs, each of them NUL-terminated inside `len` (a
 * message cut short is refused).  On success returns 0, sets *name to
 * the event's name (malloc'd) and replaces what `env` held with its
 * variables, in the order given above.  On failure returns -1 with errno
 * EINVAL or ENOMEM, *name is NULL and `env` is as it was.
 *
 * What it accepts (anything else is EINVAL, the whole message refused,
 * since the kernel never sends it):
 *   - at most UEVENT_MAX_LEN bytes and UEVENT_MAX_VARS variables; empty
 *     strings between pairs are skipped;
 *   - ACTION: 1..UEVENT_MAX_WORD of [A-Za-z0-9_.:-]; DEVPATH: starts
 *     with '/', at most UEVENT_MAX_PATH bytes, no control character and
 *     no ".." component (jobs open /sys$DEVPATH), not ending in '/';
 *   - keys: 1..UEVENT_MAX_KEY of [A-Z0-9_], each key once, '=' present;
 *   - SUBSYSTEM present, 1..UEVENT_MAX_WORD of [A-Za-z0-9_.:-];
 *   - ACTION= and DEVPATH=, when sent, equal to the header's;
 *   - DEVNAME, when sent: at most UEVENT_MAX_PATH bytes, no control
 *     character and no ".." component.
 * A value of any other variable holding a control character (below 0x20,
 * or 0x7f) drops that variable only: such values come from devices
 * (a USB product name), and the event is still worth having. */
int  uevent_parse(const char *buf, size_t len, char **name, EnvList *env);

#endif
