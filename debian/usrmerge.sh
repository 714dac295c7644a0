# usrmerge.sh - the protective diversions of a merged /usr, shared by the
# maintainer scripts: scripts/mkdeb pastes this file where a script says
# "#USRMERGE#".  Why they exist: see the preinst and docs/packaging.md.
# Every path is under $root (DPKG_ROOT); dpkg-divert and dpkg-query take
# the root and the database from dpkg's environment.
root=${DPKG_ROOT:-}

# The programs of /usr/sbin (scripts/mkdeb checks the list against the
# package).
UPINIT_SBIN="init initctl telinit runlevel shutdown halt reboot poweroff start stop restart reload status"

# owners PATH: the packages that own PATH, one per line (diversions aside).
owners() {
	dpkg-query -S "$1" 2>/dev/null | grep -v '^diversion by ' |
		sed 's/: .*//' | tr ',' '\n' | sed 's/^ *//; /^$/d'
}

usr_is_merged() {
	[ "$root/sbin" -ef "$root/usr/sbin" ] && [ "$root/lib" -ef "$root/usr/lib" ]
}

# protect: divert /sbin/NAME of every other package that still owns it
# to /sbin/NAME.upinit-usrmerge, a path that never exists.
protect() {
	for p in $UPINIT_SBIN; do
		f=/sbin/$p
		[ "$(dpkg-divert --listpackage "$f")" = upinit ] && continue
		owners "$f" | grep -qvx upinit || continue
		dpkg-divert --package upinit --no-rename --quiet \
			--divert "$f.upinit-usrmerge" --add "$f" || return 1
	done
}

# unprotect [all]: drop upinit's diversions; without "all", only those
# whose path no other package owns any more.
unprotect() {
	for p in $UPINIT_SBIN; do
		f=/sbin/$p
		[ "$(dpkg-divert --listpackage "$f")" = upinit ] || continue
		if [ "${1:-}" != all ] && owners "$f" | grep -q .; then
			continue
		fi
		dpkg-divert --package upinit --no-rename --quiet \
			--divert "$f.upinit-usrmerge" --remove "$f"
	done
}
