#!/usr/bin/env bash
# mkdebian.sh [ROOTFS] - a stock Debian system that boots with sysvinit, for
# the Debian system tests, `make demo ROOTFS=debian`, `make vmtest` and
# `make bench`.  Needs root and debootstrap.
#
# UPINIT_DEBIAN_SUITE picks the release: trixie or 13 (Debian 13, the
# current stable; the default), bookworm or 12 (Debian 12).  Both get the same
# packages and the same test-bed settings, so a test or a benchmark reads
# the same on either.
#
# The tree is large (~600 MB) and slow to make (a few minutes), so it lives
# outside the repository, where the machine keeps files between runs
# (default /var/cache/upinit/debian-SUITE), and is built only when it is
# missing or was built by an older recipe (RECIPE below, bumped when a
# stage changes; a changed package list counts too).  The configuration stage is cheap and
# applied again whenever this script changed.  FORCE=1 rebuilds from
# scratch.
#
# What is in it: debootstrap --variant=minbase with sysvinit-core, sysv-rc,
# initscripts, insserv, startpar; then (apt, no recommends) the services
# -- openssh-server, cron, rsyslog with orphan-sysvinit-scripts (Debian's
# rsyslog has no init.d script of its own), mariadb-server, nginx-light,
# dbus -- plus libjson-c5 (upinit's one library that minbase lacks),
# ifupdown for the loopback and less.  systemd-sysv never, and on trixie
# not systemd either: openssh-server there wants a sysusers tool, and
# systemd-standalone-sysusers is the one that is not systemd.  Trixie's
# minbase also lacks e2fsprogs (no longer "required"), which every
# installed Debian has and checkroot.sh needs to fsck an ext4 root (make
# vmtest).
#
# Test-bed settings, the same whichever init boots the tree:
#   - /etc/inittab: the tty1-6 getty lines are commented out (a container
#     has no /dev/ttyN; LXC's Debian template does the same) and one line
#     T0 runs /usr/local/sbin/upinit-test-getty ttyS0: a getty when ttyS0
#     is a working terminal (QEMU), otherwise it idles;
#   - /etc/fstab is empty (the harness mounts "/");
#   - /etc/init.d/upinit-marker (Required-Start: $all, runlevels 2-5)
#     writes /run/upinit-test/booted when the runlevel is reached;
#   - /lib/lsb/init-functions.d/99-upinit-trace, also sourced from
#     /etc/default/rcS: every init script that sources init-functions or
#     /lib/init/vars.sh (all but a few) appends "NAME ACTION STATUS" to
#     /run/upinit-test/rc-trace and /var/log/upinit-test/rc-trace when it
#     exits, so a test can prove that the S and K scripts ran and exited 0.
# Beside the tree, ROOTFS.debs/ keeps the release's sysvinit-core package
# (the Debian tests go back to it from upinit).  The mirror comes from
# this machine's apt configuration, never written here; a machine of one
# release builds the other from the same mirror.  Prints the rootfs path
# on success.
set -euo pipefail

RECIPE=1
SUITE=${UPINIT_DEBIAN_SUITE:-trixie}
case $SUITE in 12) SUITE=bookworm ;; 13) SUITE=trixie ;; esac
ROOTFS=${1:-${UPINIT_DEBIAN_ROOTFS:-/var/cache/upinit/debian-$SUITE}}
BOOT_PKGS=sysvinit-core,sysv-rc,initscripts,insserv,startpar,procps,util-linux,iproute2,sysvinit-utils,apt,ca-certificates
SERVICE_PKGS="openssh-server cron rsyslog orphan-sysvinit-scripts mariadb-server nginx-light dbus libjson-c5 ifupdown less"
case $SUITE in
bookworm) ;;
trixie) SERVICE_PKGS="systemd-standalone-sysusers e2fsprogs $SERVICE_PKGS" ;;
*) echo "mkdebian: unknown suite '$SUITE' (bookworm or trixie)" >&2; exit 2 ;;
esac

log() { printf 'mkdebian: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

[ "$(id -u)" = 0 ] || die "must run as root"
command -v debootstrap >/dev/null || die "debootstrap missing (apt-get install debootstrap)"
mkdir -p "$(dirname "$ROOTFS")"
LOG=$ROOTFS.log
# One builder at a time (a test run and a demo may start together).
exec 9>"$ROOTFS.lock"
flock 9

# The apt repository this machine uses for SUITE (one-line .list or
# deb822 .sources alike); printed to no one.  A machine of one release
# lists no other: then the repository that serves its own release, which
# carries every suite (the security archive likewise).
apt_repo() {
	apt-get indextargets --format '$(REPO_URI) $(CODENAME) $(COMPONENT) $(CREATED_BY)' 2>/dev/null |
		awk -v c="$1" '
			$3 != "main" || $4 != "Packages" { next }
			$2 == c { print $1; found = 1; exit }
			c ~ /-security$/ ? $2 ~ /-security$/ : $2 !~ /-/ { other = $1 }
			END { if (!found && other != "") print other }'
}

# in_chroot CMD...: CMD in the tree, in a private mount namespace with
# /proc, /sys, /dev and /run; the mounts vanish when it returns.
in_chroot() {
	unshare --mount --propagation private -- /bin/sh -c '
		r=$1; shift
		mount -t proc proc "$r/proc"
		mount -t sysfs -o ro sysfs "$r/sys"
		mount --rbind /dev "$r/dev"
		mount -t tmpfs tmpfs "$r/run"
		exec chroot "$r" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
			DEBIAN_FRONTEND=noninteractive LC_ALL=C "$@"' sh "$ROOTFS" "$@"
}

stamp=$ROOTFS/.upinit-recipe
want_stamp="$RECIPE $SUITE $(echo "$BOOT_PKGS $SERVICE_PKGS" | md5sum | cut -c1-8)"
if [ "${FORCE:-0}" = 1 ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want_stamp" ]; then
	[ ! -e "$ROOTFS" ] || log "rebuilding $ROOTFS (recipe ${RECIPE})"
	rm -rf --one-file-system "$ROOTFS"
	mirror=${MIRROR:-$(apt_repo "$SUITE")}
	[ -n "$mirror" ] || die "no apt repository for $SUITE in this machine's apt configuration; set MIRROR"
	security=$(apt_repo "$SUITE-security" || true)
	mkdir -p "$ROOTFS"
	log "debootstrap $SUITE into $ROOTFS (a few minutes; log $LOG)"
	debootstrap --variant=minbase --include="$BOOT_PKGS" --exclude=systemd,systemd-sysv \
		"$SUITE" "$ROOTFS" "$mirror" >"$LOG" 2>&1 ||
		die "debootstrap failed, see $LOG"
	{
		echo "deb $mirror $SUITE main"
		echo "deb $mirror $SUITE-updates main"
		[ -z "$security" ] || echo "deb $security $SUITE-security main"
	} >"$ROOTFS/etc/apt/sources.list"
	# policy-rc.d: maintainer scripts must not start daemons here.
	printf '#!/bin/sh\nexit 101\n' >"$ROOTFS/usr/sbin/policy-rc.d"
	chmod 755 "$ROOTFS/usr/sbin/policy-rc.d"
	log "apt-get install $SERVICE_PKGS"
	in_chroot sh -c "apt-get update && apt-get -y --no-install-recommends install $SERVICE_PKGS && apt-get clean" \
		>>"$LOG" 2>&1 || die "apt-get failed, see $LOG"
	rm -f "$ROOTFS/usr/sbin/policy-rc.d"
	for p in systemd-sysv systemd; do
		if in_chroot dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok'; then
			die "$p got installed; the tree must boot with sysvinit"
		fi
	done
	echo "$want_stamp" >"$stamp"
fi

# sysvinit-core's own package, beside the tree: the Debian tests go back
# to it from upinit.  Fetched with the tree's apt, so it is the release's.
debs=$ROOTFS.debs
if ! ls "$debs"/sysvinit-core_*.deb >/dev/null 2>&1; then
	mkdir -p "$debs"
	rm -f "$ROOTFS"/root/sysvinit-core_*.deb
	in_chroot sh -c 'cd /root && apt-get download sysvinit-core' >>"$LOG" 2>&1 ||
		die "apt-get download sysvinit-core failed, see $LOG"
	mv "$ROOTFS"/root/sysvinit-core_*.deb "$debs/"
fi

# --- configuration, applied when this script changed ---------------------
# Not on every run: other guests may be using the tree as a lower layer
# right now, and chpasswd alone would rewrite /etc/shadow each time.
config_stamp=$ROOTFS/.upinit-config
config_want=$(md5sum <"$0" | cut -d' ' -f1)
if [ "$(cat "$config_stamp" 2>/dev/null || true)" = "$config_want" ] && [ "${FORCE:-0}" != 1 ]; then
	echo "$ROOTFS"
	exit 0
fi
echo "root:upinit" | in_chroot chpasswd
echo upinit-debian >"$ROOTFS/etc/hostname"
cat >"$ROOTFS/etc/hosts" <<'EOF'
127.0.0.1	localhost
127.0.1.1	upinit-debian
::1		localhost ip6-localhost ip6-loopback
EOF
cat >"$ROOTFS/etc/network/interfaces" <<'EOF'
# loopback only: the test guests have no network
auto lo
iface lo inet loopback
EOF
echo '# empty: the harness mounts "/"' >"$ROOTFS/etc/fstab"
[ -e "$ROOTFS/etc/mtab" ] || [ -L "$ROOTFS/etc/mtab" ] || ln -s ../proc/self/mounts "$ROOTFS/etc/mtab"

cat >"$ROOTFS/usr/local/sbin/upinit-test-getty" <<'EOF'
#!/bin/sh
# A getty on $1 when it is a working terminal (QEMU's serial port),
# otherwise idle: a container has no such device.
if [ -c "/dev/$1" ] && stty -F "/dev/$1" >/dev/null 2>&1; then
	exec /sbin/getty -L "$1" 115200 vt100
fi
exec sleep infinity
EOF
chmod 755 "$ROOTFS/usr/local/sbin/upinit-test-getty"
inittab=$ROOTFS/etc/inittab
[ -e "$inittab.dist" ] || cp -p "$inittab" "$inittab.dist"
sed -e 's|^\([1-6]:[0-9]*:respawn:/sbin/getty.*\)|#\1|' "$inittab.dist" >"$inittab"
echo 'T0:2345:respawn:/usr/local/sbin/upinit-test-getty ttyS0' >>"$inittab"

mkdir -p "$ROOTFS/lib/lsb/init-functions.d"
cat >"$ROOTFS/lib/lsb/init-functions.d/99-upinit-trace" <<'EOF'
# upinit test bed: record "NAME ACTION STATUS" when an init script exits,
# in /run (read while the system runs) and on disk (read after it is gone;
# lines after umountroot made "/" read-only are lost there).
# Sourced by /lib/lsb/init-functions, so $0 and $1 are the script's.
upinit_trace() {
	upinit_st=$1
	mkdir -p /run/upinit-test /var/log/upinit-test 2>/dev/null
	echo "${0##*/} ${2:-} $upinit_st" >>/run/upinit-test/rc-trace 2>/dev/null
	echo "${0##*/} ${2:-} $upinit_st" >>/var/log/upinit-test/rc-trace 2>/dev/null
	exit "$upinit_st"
}
case $0 in
/etc/init.d/*|/etc/rc?.d/*)
	trap 'upinit_trace $? "${1:-}"' EXIT ;;
esac
EOF

# Scripts that do not source init-functions mostly source /lib/init/vars.sh,
# which sources /etc/default/rcS: hook there too.
grep -q upinit-trace "$ROOTFS/etc/default/rcS" ||
	echo '. /lib/lsb/init-functions.d/99-upinit-trace # upinit test bed' >>"$ROOTFS/etc/default/rcS"

cat >"$ROOTFS/etc/init.d/upinit-marker" <<'EOF'
#!/bin/sh
### BEGIN INIT INFO
# Provides:          upinit-marker
# Required-Start:    $all
# Required-Stop:
# Default-Start:     2 3 4 5
# Default-Stop:
# Short-Description: upinit test bed: the boot reached its runlevel
### END INIT INFO
# Writes /run/upinit-test/booted (runlevel, uptime, PID 1) atomically.
# With upinit.halt=SECONDS on the kernel command line (make vmtest) it
# powers the machine off that many seconds later.
case "$1" in
start)
	mkdir -p /run/upinit-test
	read -r up _ </proc/uptime
	{
		echo "uptime=$up"
		echo "runlevel=$(runlevel 2>/dev/null)"
		echo "pid1=$(tr '\0' ' ' </proc/1/cmdline)"
	} >/run/upinit-test/booted.tmp
	mv /run/upinit-test/booted.tmp /run/upinit-test/booted
	echo "UPINIT-TEST-BOOTED uptime=$up" >/dev/console 2>/dev/null || true
	for arg in $(cat /proc/cmdline); do
		case $arg in upinit.halt=*)
			setsid sh -c "sleep ${arg#upinit.halt=}; exec /sbin/shutdown -h -P now" \
				</dev/null >/dev/null 2>&1 &
		esac
	done
	;;
stop|restart|force-reload|status) ;;
*) echo "Usage: $0 start" >&2; exit 3 ;;
esac
exit 0
EOF
chmod 755 "$ROOTFS/etc/init.d/upinit-marker"
in_chroot update-rc.d upinit-marker defaults >/dev/null 2>&1
echo "$config_want" >"$config_stamp"
echo "$ROOTFS"
