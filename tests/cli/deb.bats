#!/usr/bin/env bats
# The Debian package (`make deb`, scripts/mkdeb): fields, contents,
# conffiles, and an install into a private dpkg root.
#
# Safety first: the package is never installed on this machine and its
# maintainer scripts never run here.  The programs of the package are run
# only from an unpacked copy, against a private `init --user` with an
# empty job directory (the shipped jobs would run /etc/init.d/rcS), and
# never through a link that leaves the unpacked root
# (/usr/bin/init-checkconf points at the machine's own /sbin/init).

load helpers

REPO=$BATS_TEST_DIRNAME/../..

setup_file() {
	command -v dpkg-deb >/dev/null || skip "dpkg-deb missing"
	local d=$BATS_FILE_TMPDIR
	# The package of whatever $UPINIT_BUILD holds; the .deb goes to $d.
	env -u SANITIZE -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
		BUILD="$UPINIT_BUILD" DEBDIR="$d/out" "$REPO/scripts/mkdeb" \
		>"$d/mkdeb.out" 2>"$d/mkdeb.err" || { cat "$d/mkdeb.err" >&3; return 1; }
	cp "$(tail -1 "$d/mkdeb.out")" "$d/upinit.deb"
	mkdir -p "$d/x"
	dpkg-deb -x "$d/upinit.deb" "$d/x"
	dpkg-deb -c "$d/upinit.deb" >"$d/contents"
}

setup() {
	command -v dpkg-deb >/dev/null || skip "dpkg-deb missing"
	DEB=$BATS_FILE_TMPDIR/upinit.deb
	X=$BATS_FILE_TMPDIR/x
	CONTENTS=$BATS_FILE_TMPDIR/contents
}

teardown() {
	stop_init
}

field() { dpkg-deb -f "$DEB" "$1"; }

# has_dep FIELD NAME: NAME is one of the comma-separated entries of FIELD.
has_dep() {
	field "$1" | tr ',' '\n' | sed 's/^ *//; s/ *(.*//' | grep -qx "$2"
}

@test "deb: the package is named after the version in GNUmakefile" {
	local up
	up=$(sed -n 's/^VERSION[[:space:]]*:=[[:space:]]*//p' "$REPO/GNUmakefile")
	[ "$(field Package)" = upinit ]
	[ "$(field Version)" = "${up//-/+}-1" ]
	dpkg --validate-version "$(field Version)"
	dpkg --compare-versions "$(field Version)" gt "${up%%-*}"
	[ "$(field Architecture)" = "$(dpkg --print-architecture)" ]
	[ "$(tail -1 "$BATS_FILE_TMPDIR/mkdeb.out")" = \
	  "$BATS_FILE_TMPDIR/out/upinit_$(field Version)_$(field Architecture).deb" ]
}

@test "deb: it takes sysvinit-core's place and keeps sysv-rc and initscripts" {
	for p in sysvinit-core systemd-sysv upstart; do
		has_dep Conflicts "$p"
		has_dep Replaces "$p"
	done
	has_dep Provides sysvinit-core
	for p in sysv-rc initscripts sysvinit-utils libc6 libjson-c5 libpopt0 libbsd0; do
		has_dep Depends "$p"
	done
	[ "$(field Section)" = admin ]
	[ "$(field Priority)" = optional ]
	# Not Essential, as sysvinit-core (dpkg-deb says "no" when unset).
	! dpkg-deb -I "$DEB" control | grep -qi '^Essential: *yes'
	field Description | grep -q sysvinit
}

@test "deb: it ships init, the SysV tools, initctl and its links" {
	for f in init initctl telinit; do
		grep -qE "^-rwxr-xr-x root/root .* \./sbin/$f\$" "$CONTENTS"
		[ -x "$X/sbin/$f" ]
	done
	for l in runlevel shutdown halt reboot poweroff; do
		grep -qE " \./sbin/$l -> telinit\$" "$CONTENTS"
	done
	for l in start stop restart reload status; do
		grep -qE " \./sbin/$l -> initctl\$" "$CONTENTS"
	done
	grep -qE " \./usr/bin/init-checkconf -> /sbin/init\$" "$CONTENTS"
	# Every entry belongs to root:root.
	! awk '$2 != "root/root"' "$CONTENTS" | grep .
}

@test "deb: it ships the jobs, the wrapper, the man pages and the docs" {
	for j in rc-sysinit rc rcS tty1 tty6 console control-alt-delete; do
		grep -qE "^-rw-r--r-- root/root .* \./etc/init/$j\.conf\$" "$CONTENTS"
	done
	grep -qE "^-rwxr-xr-x root/root .* \./lib/init/upstart-job\$" "$CONTENTS"
	grep -qE "^-rwxr-xr-x root/root .* \./lib/init/upinit-tty-free\$" "$CONTENTS"
	for m in man5/init.5 man7/runlevel.7 man7/upstart-events.7 man8/init.8 \
		 man8/initctl.8 man8/telinit.8 man8/runlevel.8 man8/shutdown.8 \
		 man8/reboot.8 man8/halt.8 man8/poweroff.8 man8/start.8 man8/upstart-job.8; do
		grep -qE " \./usr/share/man/$m\.gz\$" "$CONTENTS"
		gzip -t "$X/usr/share/man/$m.gz"
	done
	# Nothing left uncompressed.
	! grep -E '\./usr/share/man/.*\.[0-9]$' "$CONTENTS"
	[ -s "$X/usr/share/doc/upinit/copyright" ]
	grep -qE "^-rw-r--r-- root/root .* \./usr/share/doc/upinit/examples/mysql\.conf\$" "$CONTENTS"
	# Where console log writes (the daemon's default log directory).
	grep -qE "^drwxr-xr-x root/root .* \./var/log/upstart/\$" "$CONTENTS"
	zcat "$X/usr/share/doc/upinit/changelog.Debian.gz" | head -1 |
		grep -qF "upinit ($(field Version)) "
}

@test "deb: every job in /etc/init is a conffile" {
	local ctl=$BATS_TEST_TMPDIR/ctl
	dpkg-deb -e "$DEB" "$ctl"
	(cd "$X" && find etc/init -name '*.conf' | sed 's|^|/|' | sort) >"$BATS_TEST_TMPDIR/jobs"
	sort "$ctl/conffiles" >"$BATS_TEST_TMPDIR/conffiles"
	[ -s "$BATS_TEST_TMPDIR/jobs" ]
	diff "$BATS_TEST_TMPDIR/jobs" "$BATS_TEST_TMPDIR/conffiles"
	grep -qx /etc/init/rc-sysinit.conf "$ctl/conffiles"
	grep -qx /etc/init/tty1.conf "$ctl/conffiles"
}

@test "deb: the maintainer scripts are sh, never fail and leave sysvinit alone" {
	local ctl=$BATS_TEST_TMPDIR/ctl
	dpkg-deb -e "$DEB" "$ctl"
	for s in postinst prerm postrm; do
		[ -x "$ctl/$s" ]
		head -1 "$ctl/$s" | grep -qx '#!/bin/sh'
		sh -n "$ctl/$s"
		tail -1 "$ctl/$s" | grep -qx 'exit 0'
		! grep -qE '^[[:space:]]*set -e' "$ctl/$s"
	done
	! grep -q preinst <(ls "$ctl")
	# telinit u only once upinit is known to be PID 1 (sysvinit would
	# re-exec into upinit with its own state); nothing else signals init.
	[ "$(grep -c 'telinit u' "$ctl/postinst")" -ge 1 ]
	grep -q 'upinit_is_pid1' "$ctl/postinst"
	! grep -qE '(^|[^l])init u|kill .*(1|-1)\b' "$ctl/postinst"
	! grep -qE 'telinit|kill|initctl' "$ctl/prerm" "$ctl/postrm"
	# Installs into another root (DPKG_ROOT) do nothing.
	grep -q 'DPKG_ROOT' "$ctl/postinst"
}

@test "deb: the unpacked programs run: initctl version, status, init-checkconf" {
	INIT=$X/sbin/init
	INITCTL=$X/sbin/initctl
	start_init
	run "$X/sbin/initctl" version
	[ "$status" -eq 0 ]
	[[ "$output" == "init (upstart "*upinit*")" ]]
	echo 'exec sleep 300' >"$T/conf/napper.conf"
	wait_for "napper known" "$X/sbin/initctl" status napper
	run "$X/sbin/start" napper
	[ "$status" -eq 0 ]
	[[ "$output" == "napper start/running, process "* ]]
	run "$X/sbin/stop" napper
	[ "$output" = "napper stop/waiting" ]
	# The shipped jobs parse (argv[0] picks the checker; the link itself
	# would run this machine's /sbin/init).
	for j in "$X"/etc/init/*.conf; do
		run bash -c 'exec -a init-checkconf "$1" "$2"' _ "$X/sbin/init" "$j"
		[ "$status" -eq 0 ]
		[ "$output" = "File $j: syntax ok" ]
	done
}

# dummy DIR NAME VERSION [FIELD...] : an empty package NAME in DIR; files
# under DIR/pkg-NAME are shipped.
dummy() {
	local dir=$1 n=$2 v=$3 f
	shift 3
	mkdir -p "$dir/pkg-$n/DEBIAN"
	{
		printf 'Package: %s\nVersion: %s\nArchitecture: all\n' "$n" "$v"
		printf 'Maintainer: test <test@example.invalid>\n'
		for f in "$@"; do printf '%s\n' "$f"; done
		printf 'Description: dummy %s\n' "$n"
	} >"$dir/pkg-$n/DEBIAN/control"
	dpkg-deb --root-owner-group -b "$dir/pkg-$n" "$dir/$n.deb" >/dev/null
}

@test "deb: dpkg replaces sysvinit-core with upinit and init stays satisfied" {
	command -v dpkg >/dev/null || skip "dpkg missing"
	local d=$BATS_TEST_TMPDIR R=$BATS_TEST_TMPDIR/root p
	mkdir -p "$R/var/lib/dpkg/info" "$R/var/lib/dpkg/updates" "$R/var/lib/dpkg/triggers"
	touch "$R/var/lib/dpkg/status"
	# A Debian 12 system booted with sysvinit, as dpkg sees it.  No
	# package has maintainer scripts: nothing runs, in or out of $R.
	for p in libc6:2.36-9 libbsd0:0.11.7-2 libjson-c5:0.16-2 libpopt0:1.19+dfsg-1 \
		 sysv-rc:3.06-4 initscripts:3.06-4 sysvinit-utils:3.06-4; do
		dummy "$d" "${p%%:*}" "${p#*:}"
	done
	mkdir -p "$d/pkg-sysvinit-core/sbin"
	echo sysvinit >"$d/pkg-sysvinit-core/sbin/init"
	ln -s init "$d/pkg-sysvinit-core/sbin/telinit"
	dummy "$d" sysvinit-core 3.06-4 "Depends: initscripts, sysv-rc, sysvinit-utils"
	dummy "$d" init 1.65.2+deb12u1 "Pre-Depends: systemd-sysv | sysvinit-core" "Important: yes"
	dpkg --root="$R" --force-not-root -i "$d"/lib*.deb "$d"/sysv*.deb "$d/initscripts.deb" >/dev/null
	dpkg --root="$R" --force-not-root -i "$d/init.deb" >/dev/null
	# Unpack only: configuring would run the postinst.
	run dpkg --root="$R" --force-not-root --unpack "$DEB"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"will remove sysvinit-core in favour of upinit"* ]]
	[ "$(dpkg-query --root="$R" -W -f='${Status}' upinit)" = "install ok unpacked" ]
	[ "$(dpkg-query --root="$R" -W -f='${Status}' init)" = "install ok installed" ]
	run dpkg-query --root="$R" -W -f='${Status}' sysvinit-core
	[[ "$output" != *installed* ]] || [[ "$output" == *not-installed* ]]
	[ "$(dpkg --root="$R" -S /sbin/init)" = "upinit: /sbin/init" ]
	[ "$(dpkg --root="$R" -S /sbin/telinit)" = "upinit: /sbin/telinit" ]
	cmp "$R/sbin/init" "$X/sbin/init"
	# Conffiles wait as .dpkg-new until configure.
	[ -f "$R/etc/init/rc-sysinit.conf.dpkg-new" ]
	[ -x "$R/lib/init/upstart-job" ]
}
