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
	refute grep -qi '^Essential: *yes' <(dpkg-deb -I "$DEB" control)
	field Description | grep -q sysvinit
}

@test "deb: it ships init, the SysV tools, initctl and its links in /usr/sbin" {
	for f in init initctl telinit; do
		grep -qE "^-rwxr-xr-x root/root .* \./usr/sbin/$f\$" "$CONTENTS"
		[ -x "$X/usr/sbin/$f" ]
	done
	for l in runlevel shutdown halt reboot poweroff; do
		grep -qE " \./usr/sbin/$l -> telinit\$" "$CONTENTS"
	done
	for l in start stop restart reload status; do
		grep -qE " \./usr/sbin/$l -> initctl\$" "$CONTENTS"
	done
	grep -qE " \./usr/bin/init-checkconf -> /usr/sbin/init\$" "$CONTENTS"
	# Nothing under the aliases of a merged /usr: dpkg would take
	# /sbin/init and /usr/sbin/init for two files.
	refute grep -E ' \./(sbin|bin|lib)/' "$CONTENTS"
	# Every entry belongs to root:root.
	refute grep . <(awk '$2 != "root/root"' "$CONTENTS")
}

@test "deb: it ships the jobs, the wrapper, the man pages and the docs" {
	for j in rc-sysinit rc rcS tty1 tty6 console control-alt-delete; do
		grep -qE "^-rw-r--r-- root/root .* \./etc/init/$j\.conf\$" "$CONTENTS"
	done
	grep -qE "^-rwxr-xr-x root/root .* \./usr/lib/init/upstart-job\$" "$CONTENTS"
	grep -qE "^-rwxr-xr-x root/root .* \./usr/lib/init/upinit-tty-free\$" "$CONTENTS"
	grep -qE "^-rwxr-xr-x root/root .* \./usr/lib/init/upinit-rc\$" "$CONTENTS"
	grep -qE "^-rw-r--r-- root/root .* \./etc/default/upinit\$" "$CONTENTS"
	for m in man5/init.5 man7/runlevel.7 man7/upstart-events.7 man8/init.8 \
		 man8/initctl.8 man8/telinit.8 man8/runlevel.8 man8/shutdown.8 \
		 man8/reboot.8 man8/halt.8 man8/poweroff.8 man8/start.8 man8/upstart-job.8 \
		 man8/upinit-rc.8; do
		grep -qE " \./usr/share/man/$m\.gz\$" "$CONTENTS"
		gzip -t "$X/usr/share/man/$m.gz"
	done
	# Nothing left uncompressed.
	refute grep -E '\./usr/share/man/.*\.[0-9]$' "$CONTENTS"
	[ -s "$X/usr/share/doc/upinit/copyright" ]
	grep -qE "^-rw-r--r-- root/root .* \./usr/share/doc/upinit/examples/mysql\.conf\$" "$CONTENTS"
	# Where console log writes (the daemon's default log directory).
	grep -qE "^drwxr-xr-x root/root .* \./var/log/upstart/\$" "$CONTENTS"
	zcat "$X/usr/share/doc/upinit/changelog.Debian.gz" | head -1 |
		grep -qF "upinit ($(field Version)) "
}

@test "deb: every job in /etc/init, /etc/default/upinit and the ifupdown hooks are conffiles" {
	local ctl=$BATS_TEST_TMPDIR/ctl
	dpkg-deb -e "$DEB" "$ctl"
	(cd "$X" && { find etc/init -name '*.conf'; echo etc/default/upinit;
		      echo etc/network/if-up.d/upinit; echo etc/network/if-down.d/upinit; } |
		    sed 's|^|/|' | sort) \
		>"$BATS_TEST_TMPDIR/jobs"
	sort "$ctl/conffiles" >"$BATS_TEST_TMPDIR/conffiles"
	[ -s "$BATS_TEST_TMPDIR/jobs" ]
	diff "$BATS_TEST_TMPDIR/jobs" "$BATS_TEST_TMPDIR/conffiles"
	grep -qx /etc/init/rc-sysinit.conf "$ctl/conffiles"
	grep -qx /etc/init/tty1.conf "$ctl/conffiles"
	grep -qx /etc/default/upinit "$ctl/conffiles"
}

@test "deb: the maintainer scripts are sh, only the preinst refuses, and they leave sysvinit alone" {
	local ctl=$BATS_TEST_TMPDIR/ctl
	dpkg-deb -e "$DEB" "$ctl"
	for s in preinst postinst prerm postrm; do
		[ -x "$ctl/$s" ]
		head -1 "$ctl/$s" | grep -qx '#!/bin/sh'
		sh -n "$ctl/$s"
		tail -1 "$ctl/$s" | grep -qx 'exit 0'
		refute grep -qE '^[[:space:]]*set -e' "$ctl/$s"
		# debian/usrmerge.sh was pasted in, not left as a marker.
		refute grep -qx '#USRMERGE#' "$ctl/$s"
	done
	# The list of upinit's programs names initctl and telinit: leave it out.
	local nolist=$BATS_TEST_TMPDIR/nolist
	mkdir -p "$nolist"
	for s in preinst prerm postrm; do
		grep -v '^UPINIT_SBIN=' "$ctl/$s" >"$nolist/$s"
	done
	# Only the preinst may fail (an unmerged /usr is refused).
	[ "$(grep -c 'exit 1' "$ctl/preinst")" -ge 1 ]
	refute grep -q 'exit 1' "$ctl/postinst" "$ctl/prerm" "$ctl/postrm"
	# telinit u only once upinit is known to be PID 1 (sysvinit would
	# re-exec into upinit with its own state); nothing else signals init.
	[ "$(grep -c 'telinit u' "$ctl/postinst")" -ge 1 ]
	grep -q 'upinit_is_pid1' "$ctl/postinst"
	refute grep -qE '(^|[^l])init u|kill .*(1|-1)\b' "$ctl/postinst"
	refute grep -qE 'telinit|kill|initctl' "$nolist/preinst" "$nolist/prerm" "$nolist/postrm"
	# Installs into another root (DPKG_ROOT) do nothing to this system.
	grep -q 'DPKG_ROOT' "$ctl/postinst"
	grep -q 'root=${DPKG_ROOT:-}' "$ctl/preinst"
}

@test "deb: the unpacked programs run: initctl version, status, init-checkconf" {
	INIT=$X/usr/sbin/init
	INITCTL=$X/usr/sbin/initctl
	start_init
	run "$X/usr/sbin/initctl" version
	[ "$status" -eq 0 ]
	[[ "$output" == "init (upstart "*upinit*")" ]]
	echo 'exec sleep 300' >"$T/conf/napper.conf"
	wait_for "napper known" "$X/usr/sbin/initctl" status napper
	run "$X/usr/sbin/start" napper
	[ "$status" -eq 0 ]
	[[ "$output" == "napper start/running, process "* ]]
	run "$X/usr/sbin/stop" napper
	[ "$output" = "napper stop/waiting" ]
	# The shipped jobs parse (argv[0] picks the checker; the link itself
	# would run this machine's /sbin/init).
	for j in "$X"/etc/init/*.conf; do
		run bash -c 'exec -a init-checkconf "$1" "$2"' _ "$X/usr/sbin/init" "$j"
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


# SysV programs that sysvinit-core ships and upinit takes over.
SYSV_PROGRAMS="init telinit shutdown runlevel halt reboot poweroff"

# fake_system ROOT SBIN MERGED [INIT]: a private dpkg root as Debian sees a
# system booted with sysvinit, without any maintainer script (nothing
# runs, in or out of ROOT).  SBIN is where its sysvinit-core ships the
# programs: "sbin" as Debian 12's (3.06), "usr/sbin" as Debian 13's
# (3.14).  MERGED "yes" makes /sbin, /bin and /lib symlinks to their /usr
# directories, as on every Debian 12 and 13 installation; "no" is an
# unmerged /usr.  INIT "upinit-sbin" installs, in sysvinit-core's place,
# an older upinit that shipped its programs in /sbin.
fake_system() {
	local R=$1 sbin=$2 merged=$3 init=${4:-sysvinit-core} d=$BATS_TEST_TMPDIR/debs p v
	v=3.14-4
	[ "$sbin" = usr/sbin ] || v=3.06-4
	mkdir -p "$R/var/lib/dpkg/info" "$R/var/lib/dpkg/updates" "$R/var/lib/dpkg/triggers" \
		"$R/usr/sbin" "$R/usr/lib" "$R/usr/bin" "$d"
	touch "$R/var/lib/dpkg/status"
	if [ "$merged" = yes ]; then
		for p in sbin bin lib; do ln -s "usr/$p" "$R/$p"; done
	else
		mkdir -p "$R/sbin" "$R/bin" "$R/lib"
	fi
	# The libraries the package depends on, whatever they are (the
	# sanitizer pass packages binaries that need libasan too).
	for p in $(field Depends | tr ',' '\n' | sed 's/^ *//; s/[ (].*//' |
		   grep -vxE 'sysv-rc|initscripts|sysvinit-utils'); do
		dummy "$d" "$p" 99
	done
	for p in sysv-rc initscripts sysvinit-utils; do
		dummy "$d" "$p" "$v"
	done
	# Other packages own the directory too (sulogin is util-linux's): dpkg
	# removes a directory, or the symlink in its place, with its last owner.
	mkdir -p "$d/pkg-util-linux/$sbin"
	echo sulogin >"$d/pkg-util-linux/$sbin/sulogin"
	dummy "$d" util-linux 2.38.1-5
	mkdir -p "$d/pkg-sysvinit-core/$sbin"
	echo sysvinit >"$d/pkg-sysvinit-core/$sbin/init"
	for p in $SYSV_PROGRAMS; do
		[ "$p" = init ] || ln -s init "$d/pkg-sysvinit-core/$sbin/$p"
	done
	if [ "$init" = upinit-sbin ]; then
		mv "$d/pkg-sysvinit-core" "$d/pkg-upinit"
		dummy "$d" upinit 1.13.2+upinit0.0-1 "Provides: sysvinit-core" \
			"Conflicts: sysvinit-core" "Replaces: sysvinit-core"
		mv "$d/upinit.deb" "$d/sysvinit-core.deb"
	else
		dummy "$d" sysvinit-core "$v" "Depends: initscripts, sysv-rc, sysvinit-utils"
	fi
	dummy "$d" init 1.65.2+deb12u1 "Pre-Depends: systemd-sysv | sysvinit-core" "Important: yes"
	dpkg --root="$R" --force-not-root -i $(ls "$d"/*.deb | grep -v '/init\.deb$') >/dev/null
	dpkg --root="$R" --force-not-root -i "$d/init.deb" >/dev/null
	[ "$(cat "$R/$sbin/halt")" = sysvinit ]
}

# dpkg_in ROOT ARGS...: dpkg on the private root.  The maintainer scripts
# run without chroot, with DPKG_ROOT=ROOT: upinit's never touch anything
# outside it then (the postinst stops before the running system).
dpkg_in() {
	local R=$1
	shift
	dpkg --root="$R" --force-not-root --force-script-chrootless "$@"
}

# assert_upinit_owns ROOT: every SysV program, by either name, is
# upinit's file, dpkg says so, and nothing of sysvinit-core or of the
# preinst's diversions is left.
assert_upinit_owns() {
	local R=$1 p
	[ "$(dpkg-query --root="$R" -W -f='${Status}' upinit)" = "install ok installed" ]
	[ "$(dpkg-query --root="$R" -W -f='${Status}' init)" = "install ok installed" ]
	run dpkg-query --root="$R" -W -f='${Status}' sysvinit-core
	[[ "$output" != *" installed"* ]]
	for p in $SYSV_PROGRAMS; do
		cmp "$R/usr/sbin/$p" "$X/usr/sbin/$p" || { echo "/usr/sbin/$p is not upinit's" >&2; return 1; }
		cmp "$R/sbin/$p" "$X/usr/sbin/$p"
		[ "$(dpkg --root="$R" -S "/usr/sbin/$p")" = "upinit: /usr/sbin/$p" ]
		# No package claims the alias any more.
		run dpkg --root="$R" -S "/sbin/$p"
		[ "$status" -ne 0 ]
	done
	[ -x "$R/lib/init/upstart-job" ]
	run dpkg-divert --admindir "$R/var/lib/dpkg" --list
	[ -z "$output" ] || { echo "diversions left: $output" >&2; return 1; }
	run dpkg --root="$R" --verify upinit
	[ "$status" -eq 0 ] && [ -z "$output" ] || { echo "dpkg --verify: $output" >&2; return 1; }
}

@test "deb: on a merged /usr, dpkg -i replaces Debian 13's sysvinit-core (/usr/sbin/init) and every program stays" {
	command -v dpkg >/dev/null || skip "dpkg missing"
	local R=$BATS_TEST_TMPDIR/root
	fake_system "$R" usr/sbin yes
	run dpkg_in "$R" -i "$DEB"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"will remove sysvinit-core in favour of upinit"* ]]
	assert_upinit_owns "$R"
	# Conffiles are in place once configured.
	[ -f "$R/etc/init/rc-sysinit.conf" ]
}

@test "deb: on a merged /usr, dpkg -i replaces Debian 12's sysvinit-core (/sbin/init) through protective diversions" {
	command -v dpkg >/dev/null || skip "dpkg missing"
	local R=$BATS_TEST_TMPDIR/root p
	fake_system "$R" sbin yes
	# Unpacked, not configured: the diversions guard sysvinit-core's
	# /sbin names while dpkg removes it.
	run dpkg_in "$R" --unpack "$DEB"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"will remove sysvinit-core in favour of upinit"* ]]
	for p in $SYSV_PROGRAMS; do
		cmp "$R/sbin/$p" "$X/usr/sbin/$p"
		[ "$(dpkg-divert --admindir "$R/var/lib/dpkg" --listpackage "/sbin/$p")" = upinit ]
	done
	# The postinst drops them: sysvinit-core is gone.
	run dpkg_in "$R" --configure upinit
	[ "$status" -eq 0 ] || { echo "$output" >&2; return 1; }
	assert_upinit_owns "$R"
}

@test "deb: an unmerged /usr is refused by the preinst and sysvinit-core stays" {
	command -v dpkg >/dev/null || skip "dpkg missing"
	local R=$BATS_TEST_TMPDIR/root
	fake_system "$R" sbin no
	run dpkg_in "$R" -i "$DEB"
	[ "$status" -ne 0 ]
	[[ "$output" == *"upinit needs a merged /usr"* ]]
	[ "$(dpkg-query --root="$R" -W -f='${Status}' sysvinit-core)" = "install ok installed" ]
	[ "$(cat "$R/sbin/init")" = sysvinit ]
	run dpkg-query --root="$R" -W -f='${Status}' upinit
	[[ "$output" != *" installed"* ]]
	run dpkg-divert --admindir "$R/var/lib/dpkg" --list
	[ -z "$output" ]
}

@test "deb: upgrading an older upinit that shipped /sbin moves every program to /usr/sbin and loses none" {
	command -v dpkg >/dev/null || skip "dpkg missing"
	local R=$BATS_TEST_TMPDIR/root
	fake_system "$R" sbin yes upinit-sbin
	[ "$(dpkg --root="$R" -S /sbin/init)" = "upinit: /sbin/init" ]
	# Moving files within one package: dpkg keeps an obsolete file that
	# is the same inode as a new one, and no diversion is needed.
	run dpkg_in "$R" -i "$DEB"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"Preparing to unpack"*"over (1.13.2+upinit0.0-1)"* ]]
	[ "$(dpkg-query --root="$R" -W -f='${Version}' upinit)" = "$(field Version)" ]
	assert_upinit_owns "$R"
}
