#!/bin/bash
# mkrootfs.sh [ROOT] - the small root filesystem the system tests boot.
#
#   tests/system/mkrootfs.sh                  # into $BUILD/system-rootfs
#   BUILD=build-asan tests/system/mkrootfs.sh /tmp/rootfs
#
# What is in it:
#   - Debian's busybox-static as /bin/busybox with a symbolic link for each
#     of its applets at the applet's own path (what `busybox --install -s`
#     makes; done from `busybox --list-full` so that nothing has to run
#     inside the tree), never over a file that is already there;
#   - upinit, from `make install DESTDIR=ROOT PREFIX=/usr`: /sbin/init,
#     initctl and its links, telinit and its links (runlevel, shutdown,
#     halt, reboot, poweroff), the jobs in /etc/init, /lib/init/upstart-job
#     and upinit-tty-free; plus the shared libraries these programs need,
#     copied to the paths ldd names;
#   - a System V boot as Debian's sysv-rc would run it, minus sysv-rc
#     itself: /etc/init.d/rcS runs /etc/rcS.d/S* start; there is NO
#     /etc/init.d/rc, so the rc job walks /etc/rcN.d itself;
#   - scripts that leave traces the tests read (see "Traces" below);
#   - a fake /sbin/getty and /sbin/sulogin that record their arguments and
#     sleep;
#   - /etc/inittab with only `id:2:initdefault:`, empty /etc/fstab,
#     /var/run -> /run, an empty /var/log/wtmp, root and nobody/nogroup;
#   - when it can be had, sysvinit's own tools under /opt/sysvinit/sbin
#     (telinit -> init, shutdown, halt, runlevel) from Debian's
#     sysvinit-core package, unpacked, never installed.  Set NO_SYSVINIT=1
#     to leave them out.  The package is fetched once with `apt-get
#     download` into $BUILD/system-cache and kept there.
#
# Traces (all written by scripts of the tree):
#   /run/marker-rcS          rcS.d ran (S05bootmisc), with PID 1's view
#   /run/rcS-runs            one line each time rcS.d ran
#   /run/marker-rcN          rcN.d/S01marker* ran in runlevel N: runlevel=,
#                            prevlevel=, runlevel_cmd= (output of
#                            `runlevel`), pid1= (PID 1's command line)
#   /var/log/rc-trace        one line per K/S script run:
#                            "NAME ACTION RUNLEVEL=N PREVLEVEL=P"; on the
#                            overlay, so it outlives the guest
#   /run/getty-TTY           one line per getty start: "PID ARGS..."
#   /run/sulogin             one line per sulogin start: "PID ARGS..."
#
# Runlevel scripts (K and S links to /etc/init.d/trace, which logs as above):
#   rc2.d: S01marker S20svc2 S30common K20svc3
#   rc3.d: S01marker3 S20svc3 S30common K80svc2
#   rc4.d, rc5.d: S01marker4, S01marker5
# (the marker links have a name of their own in each level: the rc job,
# like sysv-rc, does not start again in level N what level P started
# under the same name and N does not stop)
#   rc0.d: S20trace S31umountnfs (halt -w) S90halt (halt -d -f)
#   rc6.d: S20trace S31umountnfs (halt -w) S90reboot (reboot -d -f)
#   rc1.d: S30trace S99single (init -t1 S, as Debian's /etc/init.d/single)
#
# Debian's scripts call halt, reboot and init by name.  Here they use full
# paths: busybox-static's sh is built "standalone" and runs its own applet
# of that name (busybox halt, reboot, init) before it looks at PATH, where
# Debian's /bin/sh (dash) would find /sbin/halt, upinit's.
#
# Idempotent and quick: the tree is rebuilt (into ROOT.new, then moved)
# only when the upinit programs, the jobs, or this script are newer than
# ROOT/.upinit-rootfs.  Needs root (make install writes root-owned files).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in
/*) build_abs=$BUILD ;;
*)  build_abs=$repo/$BUILD ;;
esac
ROOT=${1:-$build_abs/system-rootfs}
case $ROOT in
/*) ;;
*) ROOT=$PWD/$ROOT ;;
esac
ROOT=${ROOT%/}
# make install as root writes under DESTDIR: never let that be "/".
if [ -z "$ROOT" ] || [ "$ROOT" = / ] || [ "$(readlink -f "$ROOT")" = / ]; then
	echo "mkrootfs.sh: refusing to build into '$ROOT'" >&2
	exit 2
fi
[ "$(id -u)" = 0 ] || { echo "mkrootfs.sh: must run as root" >&2; exit 2; }

log() { echo "mkrootfs: $*" >&2; }

# The programs first: make is quick when nothing changed.
make -s -C "$repo" BUILD="$BUILD" all >&2

stamp=$ROOT/.upinit-rootfs
stale() {
	[ -e "$stamp" ] || return 0
	[ -z "$(find "$build_abs/init" "$build_abs/initctl" "$build_abs/telinit" \
		"$repo/jobs" "$repo/scripts/upstart-job" "${BASH_SOURCE[0]}" \
		-newer "$stamp" -print -quit 2>/dev/null)" ] || return 0
	# sysvinit's tools have reached the cache since the last build.
	if [ "${NO_SYSVINIT:-0}" != 1 ] && [ ! -e "$ROOT/opt/sysvinit/sbin/init" ] &&
	   [ -e "$build_abs/system-cache/sysvinit/sbin/init" ]; then
		return 0
	fi
	return 1
}

# sysvinit-core, unpacked into the cache (best effort: tests skip without).
fetch_sysvinit() {
	local cache=$build_abs/system-cache dl
	[ "${NO_SYSVINIT:-0}" != 1 ] || return 0
	[ -x "$cache/sysvinit/sbin/init" ] && return 0
	mkdir -p "$cache"
	dl=$(mktemp -d "$cache/dl.XXXXXX")
	if (cd "$dl" && apt-get download sysvinit-core) >"$dl/apt.log" 2>&1 &&
	   dpkg-deb -x "$dl"/sysvinit-core_*.deb "$dl/x"; then
		rm -rf "$cache/sysvinit"
		mv "$dl/x" "$cache/sysvinit"
		log "sysvinit-core unpacked into $cache/sysvinit"
	else
		log "could not get sysvinit-core (tests that need it will skip):"
		sed 's/^/  /' "$dl/apt.log" >&2 || true
	fi
	rm -rf "$dl"
}

fetch_sysvinit
if ! stale; then
	exit 0
fi

# busybox-static is the only thing this may install on the host.
if [ ! -x /bin/busybox ]; then
	log "installing busybox-static"
	apt-get install -y busybox-static >&2
fi
if ldd /bin/busybox >/dev/null 2>&1; then
	echo "mkrootfs.sh: /bin/busybox is not static (install busybox-static)" >&2
	exit 1
fi

new=$ROOT.new
rm -rf "$new"
mkdir -p "$new"
cd "$new"
mkdir -p bin sbin usr/bin usr/sbin lib lib64 etc/init.d etc/init \
	 proc sys dev run mnt tmp root var/log opt usr/local/bin
chmod 1777 tmp
chmod 700 root
ln -s /run var/run
ln -s /run/lock var/lock

# ---- upinit ----
make -s -C "$repo" BUILD="$BUILD" install DESTDIR="$new" PREFIX=/usr >&2
rm -rf "$new/usr/share/man"

# ---- libraries of the dynamic programs ----
copy_libs() {
	local lib
	for lib in $(ldd "$@" 2>/dev/null | awk '
		$2 == "=>" && $3 ~ /^\// { print $3 }
		$1 ~ /^\// && $2 ~ /^\(/ { print $1 }' | sort -u); do
		[ -e "$new$lib" ] && continue
		mkdir -p "$new$(dirname "$lib")"
		cp -L "$lib" "$new$lib"
	done
}
copy_libs "$new/sbin/init" "$new/sbin/initctl" "$new/sbin/telinit"

# ---- fakes, before busybox so that its applets do not take the names ----
cat >sbin/getty <<'EOF'
#!/bin/sh
# Fake getty for the system tests: record the start, then idle.
tty=
for a in "$@"; do tty=$a; done
tty=${tty#/dev/}
echo "$$ $*" >>"/run/getty-$tty"
exec sleep 100000
EOF
cat >sbin/sulogin <<'EOF'
#!/bin/sh
# Fake sulogin for the system tests: record the start, then idle until
# killed (what an administrator leaving the shell looks like to init).
echo "$$ $*" >>/run/sulogin
exec sleep 100000
EOF
chmod 755 sbin/getty sbin/sulogin

# ---- busybox and its applet links (busybox --install -s) ----
cp /bin/busybox bin/busybox
/bin/busybox --list-full | while read -r applet; do
	case $applet in
	bin/busybox|linuxrc) continue ;;
	esac
	if [ -e "$applet" ] || [ -L "$applet" ]; then
		continue
	fi
	mkdir -p "$(dirname "$applet")"
	ln -s /bin/busybox "$applet"
done

# ---- sysvinit's tools, for the cross-compatibility tests ----
sv=$build_abs/system-cache/sysvinit
if [ "${NO_SYSVINIT:-0}" != 1 ] && [ -x "$sv/sbin/init" ]; then
	mkdir -p opt/sysvinit/sbin
	for p in init shutdown halt runlevel; do
		cp "$sv/sbin/$p" opt/sysvinit/sbin/
	done
	ln -s init opt/sysvinit/sbin/telinit
	ln -s halt opt/sysvinit/sbin/reboot
	ln -s halt opt/sysvinit/sbin/poweroff
	copy_libs opt/sysvinit/sbin/init opt/sysvinit/sbin/shutdown \
		opt/sysvinit/sbin/halt opt/sysvinit/sbin/runlevel
fi

# ---- /etc ----
cat >etc/passwd <<'EOF'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
EOF
cat >etc/group <<'EOF'
root:x:0:
tty:x:5:
utmp:x:43:
nogroup:x:65534:
EOF
: >etc/fstab
echo upinit-test >etc/hostname
cat >etc/inittab <<'EOF'
# /etc/inittab of the upinit system-test tree.
#
# Only the default runlevel: upinit's jobs (/etc/init) do what Debian's
# sysinit, l0-l6, ~~ (sulogin), ca (ctrlaltdel) and getty lines did.
# Tests replace this file to add process entries.
id:2:initdefault:
EOF
: >var/log/wtmp
chmod 664 var/log/wtmp

# /etc/init.d/rcS: as sysv-rc's, the S scripts of /etc/rcS.d with "start".
cat >etc/init.d/rcS <<'EOF'
#!/bin/sh
# rcS - run the system initialisation scripts, as sysv-rc's rcS does.
PATH=/sbin:/bin:/usr/sbin:/usr/bin
export PATH
for s in /etc/rcS.d/S[0-9][0-9]*; do
	[ -x "$s" ] || continue
	"$s" start
done
EOF

# bootmisc: what Debian's bootmisc.sh does for init (an empty utmp), and a
# trace that rcS ran.
cat >etc/init.d/bootmisc <<'EOF'
#!/bin/sh
# bootmisc - create utmp as Debian's bootmisc.sh does; trace the run.
case $1 in
start)
	echo "$$" >>/run/rcS-runs
	: >/var/run/utmp
	chgrp utmp /var/run/utmp 2>/dev/null
	chmod 664 /var/run/utmp
	{
		echo "pid1=$(tr '\0' ' ' </proc/1/cmdline)"
		echo "runlevel_cmd=$(runlevel 2>&1)"
	} >/run/marker-rcS.tmp
	mv /run/marker-rcS.tmp /run/marker-rcS
	;;
esac
exit 0
EOF

# marker: written in runlevel N when rcN.d/S01marker starts.
cat >etc/init.d/marker <<'EOF'
#!/bin/sh
# marker - record that rc$RUNLEVEL.d ran, with PID 1's view of things.
case $1 in
start)
	f=/run/marker-rc${RUNLEVEL:-unknown}
	{
		echo "runlevel=${RUNLEVEL:-}"
		echo "prevlevel=${PREVLEVEL:-}"
		echo "runlevel_cmd=$(runlevel 2>&1)"
		echo "pid1=$(tr '\0' ' ' </proc/1/cmdline)"
	} >"$f.tmp"
	mv "$f.tmp" "$f"
	;;
esac
exit 0
EOF

# trace: every K/S link to it appends one line to /var/log/rc-trace.
cat >etc/init.d/trace <<'EOF'
#!/bin/sh
# trace - log "NAME ACTION RUNLEVEL=N PREVLEVEL=P" to /var/log/rc-trace,
# NAME being the link's name without its K??/S?? prefix.
name=${0##*/}
case $name in
[KS][0-9][0-9]*) name=${name#???} ;;
esac
echo "$name $1 RUNLEVEL=${RUNLEVEL:-} PREVLEVEL=${PREVLEVEL:-}" >>/var/log/rc-trace
exit 0
EOF

# umountnfs: Debian's writes the shutdown record with `halt -w`.
cat >etc/init.d/umountnfs <<'EOF'
#!/bin/sh
# umountnfs - as Debian's umountnfs.sh: the wtmp shutdown record.
case $1 in
stop) /sbin/halt -w ;;
esac
exit 0
EOF

# halt and reboot: as Debian's initscripts, the last scripts of 0 and 6.
cat >etc/init.d/halt <<'EOF'
#!/bin/sh
# halt - as Debian's /etc/init.d/halt: halt without a wtmp record.
PATH=/sbin:/bin:/usr/sbin:/usr/bin
case $1 in
stop) echo "Will now halt"; /sbin/halt -d -f ;;
esac
exit 0
EOF
cat >etc/init.d/reboot <<'EOF'
#!/bin/sh
# reboot - as Debian's /etc/init.d/reboot: reboot without a wtmp record.
PATH=/sbin:/bin:/usr/sbin:/usr/bin
case $1 in
stop) echo "Will now restart"; /sbin/reboot -d -f ;;
esac
exit 0
EOF

# single: as Debian's /etc/init.d/single, runlevel 1 ends in S.
cat >etc/init.d/single <<'EOF'
#!/bin/sh
# single - as Debian's /etc/init.d/single: from runlevel 1 go to S.
PATH=/sbin:/bin:/usr/sbin:/usr/bin
case $1 in
start) exec /sbin/init -t1 S ;;
esac
exit 0
EOF

# A respawning helper for inittab tests: records its pid, then idles.
cat >usr/local/bin/respawner <<'EOF'
#!/bin/sh
# respawner NAME - record "PID" in /run/respawn-NAME, then idle.
echo "$$" >>"/run/respawn-${1:-x}"
exec sleep 100000
EOF
chmod 755 etc/init.d/* usr/local/bin/respawner

link() { ln -s "../init.d/$2" "etc/$1"; }
mkdir -p etc/rcS.d etc/rc0.d etc/rc1.d etc/rc2.d etc/rc3.d etc/rc4.d \
	 etc/rc5.d etc/rc6.d
link rcS.d/S05bootmisc bootmisc
link rc2.d/S01marker marker
link rc2.d/S20svc2 trace
link rc2.d/S30common trace
link rc2.d/K20svc3 trace
link rc3.d/S01marker3 marker
link rc3.d/S20svc3 trace
link rc3.d/S30common trace
link rc3.d/K80svc2 trace
for l in 4 5; do
	link "rc$l.d/S01marker$l" marker
done
link rc1.d/S30trace trace
link rc1.d/S99single single
link rc0.d/S20trace trace
link rc0.d/S31umountnfs umountnfs
link rc0.d/S90halt halt
link rc6.d/S20trace trace
link rc6.d/S31umountnfs umountnfs
link rc6.d/S90reboot reboot

# Sanity: what the tests rely on.
for f in sbin/init sbin/initctl sbin/telinit sbin/runlevel sbin/shutdown \
	 sbin/halt sbin/reboot etc/init/rc.conf etc/init/rc-sysinit.conf \
	 etc/init/rcS.conf lib/init/upstart-job bin/sh bin/sleep; do
	[ -e "$f" ] || { echo "mkrootfs.sh: $f missing in the tree" >&2; exit 1; }
done
[ ! -e etc/init.d/rc ] || { echo "mkrootfs.sh: etc/init.d/rc must not exist" >&2; exit 1; }

touch "$new/.upinit-rootfs"
cd /
rm -rf "$ROOT"
mv "$new" "$ROOT"
log "built $ROOT"
