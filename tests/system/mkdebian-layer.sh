#!/usr/bin/env bash
# mkdebian-layer.sh ROOTFS DEB LAYER - an overlay layer that holds only what
# installing the upinit package DEB on the Debian tree ROOTFS (mkdebian.sh)
# changes: dpkg runs chrooted in an overlay whose upper directory is LAYER,
# so ROOTFS stays a plain sysvinit system for the comparisons.  Stack it as
# lowerdir=LAYER:ROOTFS.  Rebuilt only when DEB or ROOTFS's recipe changed
# (LAYER/.upinit-deb records both).  Needs root.  Prints LAYER.
#
# The package goes in the way README tells an administrator: `apt-get
# install --allow-remove-essential ./upinit_*.deb sysvinit-core-`, which
# removes sysvinit-core (upinit Conflicts/Replaces/Provides it, so the
# `init` package stays satisfied; Debian 13 marks sysvinit-core
# Protected, and its apt removes such a package only when told by name
# and with that option).  apt runs in a chroot, so the postinst leaves
# the running init alone (ischroot).  Then every program sysvinit-core
# provided must be upinit's, by its /sbin and its /usr/sbin name, and
# dpkg must agree (dpkg -S, dpkg --verify, no diversion left).
set -euo pipefail

[ $# -eq 3 ] || { echo "usage: $0 ROOTFS DEB LAYER" >&2; exit 2; }
ROOTFS=$1 DEB=$2 LAYER=$3
die() { echo "mkdebian-layer: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "must run as root"
[ -x "$ROOTFS/usr/bin/dpkg" ] || die "no Debian tree at $ROOTFS"
[ -f "$DEB" ] || die "no package $DEB"

# One builder at a time (a test run and a demo may start together).
mkdir -p "$(dirname "$LAYER")"
exec 9>"$LAYER.lock"
flock 9

want="$(md5sum <"$DEB" | cut -d' ' -f1) $(cat "$ROOTFS/.upinit-recipe" 2>/dev/null || true)"
if [ "$(cat "$LAYER/.upinit-deb" 2>/dev/null || true)" = "$want" ]; then
	echo "$LAYER"
	exit 0
fi

rm -rf --one-file-system "$LAYER" "$LAYER.work"
mkdir -p "$LAYER" "$LAYER.work"
# overlayfs wants the work directory on the upper's filesystem; it is
# removed afterwards.  The mount lives in a private namespace only.
unshare --mount --propagation private -- /bin/sh -ec '
	rootfs=$1 layer=$2 deb=$3
	m=$(mktemp -d)
	mount -t overlay upinit-layer -o "lowerdir=$rootfs,upperdir=$layer,workdir=$layer.work" "$m"
	mount -t proc proc "$m/proc"
	mount --rbind /dev "$m/dev"
	mount -t tmpfs tmpfs "$m/run"
	mount -t tmpfs tmpfs "$m/tmp"
	cp "$deb" "$m/tmp/upinit.deb"
	chmod 644 "$m/tmp/upinit.deb"
	inroot() { chroot "$m" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		DEBIAN_FRONTEND=noninteractive LC_ALL=C "$@"; }
	inroot apt-get install -y --allow-remove-essential /tmp/upinit.deb sysvinit-core-
	inroot dpkg-query -W -f="\${Status}\n" upinit | grep -qx "install ok installed"
	if inroot dpkg-query -W -f="\${Status}\n" sysvinit-core 2>/dev/null | grep -q "ok installed"; then
		echo "sysvinit-core is still installed" >&2; exit 1
	fi
	for p in init telinit shutdown runlevel halt reboot poweroff; do
		for f in /sbin/$p /usr/sbin/$p; do
			grep -q upinit "$m$f" || { echo "$f is not upinit'"'"'s" >&2; exit 1; }
		done
		[ "$(inroot dpkg -S /usr/sbin/$p)" = "upinit: /usr/sbin/$p" ] ||
			{ echo "dpkg -S /usr/sbin/$p: not upinit" >&2; exit 1; }
	done
	[ -z "$(inroot dpkg --verify upinit)" ] || { echo "dpkg --verify upinit complains" >&2; exit 1; }
	! inroot dpkg-divert --list | grep -q " by upinit\$" || { echo "diversions left" >&2; exit 1; }
' sh "$ROOTFS" "$LAYER" "$DEB" >"$LAYER.log" 2>&1 || die "installing the package failed, see $LAYER.log"
rm -rf "$LAYER.work"
echo "$want" >"$LAYER/.upinit-deb"
echo "$LAYER"
